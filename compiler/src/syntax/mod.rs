//! Source text to syntax tree: tokens ([`token`]), the tree ([`ast`]), and
//! the parser ([`parse`]), which never fails: it returns a tree plus errors.

pub mod ast;
pub mod builder;
mod depth;
mod docs;
pub mod parse;
pub mod token;

#[allow(clippy::all, missing_docs, unused_parens, dead_code)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/syntax/grammar.rs"));
}

pub use parse::{Parse, parse};
