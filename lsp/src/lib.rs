//! The Tally language server.
//!
//! Architecture invariant: no checking logic lives here. The server keeps a
//! [`tally::db::Database`] (the same salsa database the `tally` command uses),
//! feeds it the editor's texts, and translates the compiler's answers into
//! LSP messages, so the editor and `tally check` never disagree.

mod convert;
mod fields;
mod handlers;
mod navigation;
mod server;
mod std_files;

pub use server::run;
