//! Attaches `///` doc comments to the items, fields and variants they precede.

use crate::span::Span;
use crate::syntax::ast::{Item, Module};

/// Gives every item, field and variant the doc comment lines written right
/// above it (only white space between them).
pub fn attach(module: &mut Module, text: &str, comments: &[(Span, String)]) {
    if comments.is_empty() {
        return;
    }
    let doc_before = |start: u32| doc_before(text, comments, start);
    for item in &mut module.items {
        match item {
            Item::Fn(f) => f.doc = doc_before(f.span.start),
            Item::Struct(s) => {
                s.doc = doc_before(s.span.start);
                for field in &mut s.fields {
                    field.doc = doc_before(field.name.span.start);
                }
            }
            Item::Enum(e) => {
                e.doc = doc_before(e.span.start);
                for variant in &mut e.variants {
                    variant.doc = doc_before(variant.span.start);
                }
            }
            Item::Test(t) => t.doc = doc_before(t.span.start),
            Item::TypeAlias(a) => a.doc = doc_before(a.span.start),
            Item::Const(c) => c.doc = doc_before(c.span.start),
            Item::Use(_) | Item::Error(_) => {}
        }
    }
}

fn doc_before(text: &str, comments: &[(Span, String)], start: u32) -> Option<String> {
    let mut index = comments.partition_point(|(span, _)| span.end <= start);
    let mut cursor = start as usize;
    let mut lines = Vec::new();
    while index > 0 {
        let (span, line) = &comments[index - 1];
        let gap = text.get(span.end as usize..cursor).unwrap_or("x");
        if !gap.chars().all(char::is_whitespace) {
            break;
        }
        lines.push(line.as_str());
        cursor = span.start as usize;
        index -= 1;
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}
