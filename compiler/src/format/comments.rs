//! Finds the comments of a source text, which the syntax tree does not keep,
//! so the formatter can put them back.

use crate::span::Span;
use crate::syntax::lex_spans;

/// One `//` or `///` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Where it is, from the slashes to the end of the line.
    pub span: Span,
    /// Its text, slashes included, trailing white space removed.
    pub text: String,
    /// Whether only white space precedes it on its line.
    pub own_line: bool,
}

/// Every comment of `text`, in order. Comments live in the gaps between
/// tokens (Tally has no string literals in which `//` could appear).
pub fn collect(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut gap_start = 0usize;
    let scan_gap = |from: usize, to: usize, comments: &mut Vec<Comment>| {
        let gap = &text[from..to];
        let mut offset = 0;
        while let Some(found) = gap[offset..].find("//") {
            let start = from + offset + found;
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            comments.push(Comment {
                span: Span::new(start, end),
                text: text[start..end].trim_end().to_string(),
                own_line: text[line_start..start].trim().is_empty(),
            });
            offset = end - from;
            if offset >= gap.len() {
                break;
            }
        }
    };
    for (token, span) in lex_spans(text) {
        let (start, end) = (span.start as usize, span.end as usize);
        if let crate::syntax::token::Token::DocComment(_) = token {
            scan_gap(gap_start, start, &mut comments);
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            comments.push(Comment {
                span,
                text: text[start..end].trim_end().to_string(),
                own_line: text[line_start..start].trim().is_empty(),
            });
        } else {
            scan_gap(gap_start, start, &mut comments);
        }
        gap_start = end;
    }
    scan_gap(gap_start, text.len(), &mut comments);
    comments
}
