//! Positions: the compiler's byte offsets and LSP's line/UTF-16-column pairs.

use lsp_types::{Position, Range};
use tally::line_index::LineIndex;
use tally::span::Span;

/// A document's text with its line index, for converting positions.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The LSP position of a byte offset (clamped into the text).
    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let line = self.index.line_of(offset as u32);
        let start = self.line_start(line);
        let mut end = offset.max(start);
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column: usize = self.text[start..end].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    /// The LSP range of a span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    fn line_start(&self, line: usize) -> usize {
        self.index
            .line_start(line)
            .map_or(self.text.len(), |start| start as usize)
    }
}
