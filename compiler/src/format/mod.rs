//! `tally fmt`: the canonical layout of Tally source.
//!
//! The formatter prints the syntax tree again and puts the comments (which
//! the tree does not keep) back before the item, field, variant, statement,
//! arm or argument they precede, or at the end of the line they ended.
//! Layout depends only on the tree, the comments and a 100-column width, so
//! formatting is idempotent. Blank lines inside blocks are kept (at most one);
//! items are separated by one blank line. A file with syntax errors is not
//! formatted: its diagnostics are returned instead.

mod comments;
mod printer;

use crate::diagnostic::Diagnostic;
use crate::syntax;

/// The widest line the formatter aims for.
pub const WIDTH: usize = 100;

/// Formats a source text, or returns its syntax errors.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parse = syntax::parse(text);
    let errors: Vec<Diagnostic> = parse
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let comments = comments::collect(text);
    Ok(printer::print(&parse.module, text, &comments))
}
