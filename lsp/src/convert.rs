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

    /// The byte offset of an LSP position; positions past a line's end or the
    /// text's end are clamped to it.
    pub fn offset(&self, position: Position) -> u32 {
        let line = position.line as usize;
        let Some(start) = self.index.line_start(line) else {
            return self.text.len() as u32;
        };
        let start = start as usize;
        let mut units = 0usize;
        for (i, c) in self.text[start..].char_indices() {
            if c == '\n' || units >= position.character as usize {
                return (start + i) as u32;
            }
            units += c.len_utf16();
        }
        self.text.len() as u32
    }

    /// The range covering the whole text.
    pub fn whole(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len() as u32))
    }

    fn line_start(&self, line: usize) -> usize {
        self.index
            .line_start(line)
            .map_or(self.text.len(), |start| start as usize)
    }
}
