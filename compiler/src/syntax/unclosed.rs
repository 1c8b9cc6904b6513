//! Recovery from unclosed delimiters, before the parser runs.
//!
//! While an author types a new function, its closing `}` is not there yet.
//! Left to the LR parser, the next item would be read as part of the body
//! and every later item would shift. Instead, an item keyword at the start
//! of a line (`fn`, `pub`, `struct`, `enum`, `use`, `test`, `type`, `const`
//! in column 0, where the formatter puts items and nothing else) while a
//! `(`, `[` or `{` is still open closes what is open: the closing tokens
//! are inserted, zero-width, right after the last token before it (and at
//! the end of the file). The parser then reads the unclosed item whole, so
//! its tree (its locals, types and name) stays, and the missing delimiter is
//! one diagnostic where it belongs (E0108, or E0104 at the end of the file).

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::token::Token;

/// Where closing tokens were inserted: the parser's errors at these
/// zero-width positions are consequences of the repair and are dropped.
#[derive(Debug, Default)]
pub struct Repairs {
    /// The insertion points, in order.
    pub points: Vec<u32>,
    /// One diagnostic per insertion point.
    pub diagnostics: Vec<Diagnostic>,
}

impl Repairs {
    /// Whether a parser diagnostic is a consequence of an inserted token.
    pub fn explains(&self, diagnostic: &Diagnostic) -> bool {
        let span = diagnostic.primary.span;
        span.start == span.end && self.points.contains(&span.start)
    }
}

/// Closes the delimiters still open at each item keyword in column 0 and at
/// the end of the file, returning the tokens with the insertions.
pub fn close(
    text: &str,
    tokens: Vec<(usize, Token, usize)>,
) -> (Vec<(usize, Token, usize)>, Repairs) {
    let mut repairs = Repairs::default();
    let mut open: Vec<(Token, Span)> = Vec::new();
    let mut out = Vec::with_capacity(tokens.len());
    let mut last_end = 0usize;
    for token in tokens {
        let (start, ref kind, end) = token;
        if repairable(&open) && starts_item(kind) && at_line_start(text, start) {
            let next = Span::new(start, end);
            repairs.points.push(last_end as u32);
            repairs
                .diagnostics
                .push(unclosed(text, &open, last_end, Some(next)));
            close_all(&mut open, &mut out, last_end);
        }
        match kind {
            Token::LParen => open.push((Token::RParen, Span::new(start, end))),
            Token::LBracket => open.push((Token::RBracket, Span::new(start, end))),
            Token::LBrace => open.push((Token::RBrace, Span::new(start, end))),
            Token::RParen | Token::RBracket | Token::RBrace => {
                // A stray closer is left for the parser to report.
                if let Some(at) = open.iter().rposition(|(closer, _)| closer == kind) {
                    open.truncate(at);
                }
            }
            _ => {}
        }
        last_end = end;
        out.push(token);
    }
    if repairable(&open) {
        repairs.points.push(last_end as u32);
        // The parser's own "unexpected end of file" is then at the end.
        repairs.points.push(text.len() as u32);
        repairs
            .diagnostics
            .push(unclosed(text, &open, last_end, None));
        close_all(&mut open, &mut out, last_end);
    }
    (out, repairs)
}

/// Whether closing what is open is a repair: something is open, and not so
/// much that the closed tree would only be too deep (see `depth.rs`).
fn repairable(open: &[(Token, Span)]) -> bool {
    !open.is_empty() && open.len() <= 64
}

/// Pushes the closers of everything open, innermost first, at `at`.
fn close_all(open: &mut Vec<(Token, Span)>, out: &mut Vec<(usize, Token, usize)>, at: usize) {
    while let Some((closer, _)) = open.pop() {
        out.push((at, closer, at));
    }
}

/// Whether a token can only start an item.
fn starts_item(token: &Token) -> bool {
    matches!(
        token,
        Token::Fn
            | Token::Pub
            | Token::Struct
            | Token::Enum
            | Token::Use
            | Token::Test
            | Token::Type
            | Token::Const
    )
}

/// Whether `offset` is the first byte of a line.
fn at_line_start(text: &str, offset: usize) -> bool {
    offset == 0 || text.as_bytes().get(offset - 1) == Some(&b'\n')
}

/// The diagnostic of the delimiters in `open` left unclosed at `at`
/// (before the item starting at `next`, or at the end of the file).
fn unclosed(text: &str, open: &[(Token, Span)], at: usize, next: Option<Span>) -> Diagnostic {
    let (closer, opened) = open
        .last()
        .cloned()
        .unwrap_or((Token::RBrace, Span::new(at, at)));
    let closers: String = open.iter().rev().map(|(c, _)| c.text()).collect();
    let line = text[..opened.start as usize].matches('\n').count() + 1;
    let label = format!(
        "expected `{closers}` here, to close the `{}` of line {line}",
        opener(&closer)
    );
    let here = Span::new(at, at);
    let diagnostic = match next {
        Some(next) => Diagnostic::new(
            Code::UnclosedDelimiter,
            format!("unclosed `{}` before the next item", opener(&closer)),
            here,
            label,
        )
        .with_label(next, "the next item starts here")
        .with_label(opened, format!("this `{}` is not closed", opener(&closer))),
        None => Diagnostic::new(Code::UnexpectedEof, "unexpected end of file", here, label)
            .with_label(opened, format!("this `{}` is not closed", opener(&closer))),
    };
    diagnostic.with_help(format!("add `{closers}`"))
}

/// The opening spelling of a closing delimiter.
fn opener(closer: &Token) -> &'static str {
    match closer {
        Token::RParen => "(",
        Token::RBracket => "[",
        _ => "{",
    }
}
