//! Source text to syntax tree: tokens ([`token`]), the tree ([`ast`]), and
//! the parser ([`parse`]), which never fails: it returns a tree plus errors.

pub mod ast;
pub mod builder;
mod depth;
mod docs;
pub mod parse;
pub mod token;
mod unclosed;

#[allow(clippy::all, missing_docs, unused_parens, dead_code)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/syntax/grammar.rs"));
}

pub use parse::{Parse, parse};

/// Every token of a text with its span, doc comments included and bad
/// characters left out: for highlighting.
pub fn lex_spans(text: &str) -> Vec<(token::Token, crate::span::Span)> {
    use logos::Logos;
    token::Token::lexer(text)
        .spanned()
        .filter_map(|(token, range)| {
            Some((token.ok()?, crate::span::Span::new(range.start, range.end)))
        })
        .filter(|(token, _)| *token != token::Token::Error)
        .collect()
}
