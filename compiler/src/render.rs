//! The one place where diagnostics become text: for people through
//! `ariadne`, for tools as JSON. Messages themselves never contain colour.

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::{LineCol, LineIndex};
use crate::span::Span;

/// Longest source line an excerpt shows whole, in bytes; a longer line is
/// cut to windows around the labels' ends, the rest shown as `…`.
pub const MAX_EXCERPT_LINE: usize = 160;
/// Bytes an excerpt keeps on each side of a label's end in a cut line.
const WINDOW: usize = 40;

/// Renders a diagnostic for a person, as `ariadne` lays it out. The excerpt
/// holds only the lines from the first label to the last, each longer line
/// cut to windows around the labels, so its size does not grow with the file.
pub fn human(diagnostic: &Diagnostic, path: &str, text: &str, color: bool) -> String {
    let kind = match diagnostic.severity() {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let (primary_color, secondary_color) = match diagnostic.severity() {
        Severity::Error => (Color::Red, Color::Blue),
        Severity::Warning => (Color::Yellow, Color::Blue),
    };
    let mut labels: Vec<(&crate::diagnostic::Label, Color)> =
        vec![(&diagnostic.primary, primary_color)];
    labels.extend(diagnostic.secondary.iter().map(|l| (l, secondary_color)));
    let ranges: Vec<std::ops::Range<usize>> =
        labels.iter().map(|(l, _)| clamp(l.span, text)).collect();
    let excerpt = Excerpt::new(text, &ranges);
    let span = |s: &std::ops::Range<usize>| (path, excerpt.map(s.start)..excerpt.map(s.end));
    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Byte)
        .with_char_set(CharSet::Unicode);
    // Labels are ordered by position: ariadne starts a new snippet whenever a
    // label lies above the previous one, and one snippet reads best.
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| (ranges[i].start, ranges[i].end));
    let mut report = Report::build(kind, span(&ranges[0]))
        .with_config(config)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message);
    for (rank, &i) in order.iter().enumerate() {
        let (label, color) = labels[i];
        report = report.with_label(
            Label::new(span(&ranges[i]))
                .with_message(&label.message)
                .with_color(color)
                .with_order(rank as i32),
        );
    }
    for note in &diagnostic.notes {
        report = report.with_note(note);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    let mut out = Vec::new();
    let source = (path, ariadne::Source::from(excerpt.text.as_str()));
    if report.finish().write(source, &mut out).is_err() {
        return plain(diagnostic, path, text);
    }
    let rendered = String::from_utf8_lossy(&out).into_owned();
    // ariadne heads the snippet with the primary position in the excerpt;
    // on a cut line its column is not the file's.
    let start = ranges[0].start;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let mapped = excerpt.map(start);
    let excerpt_line_start = excerpt.text[..mapped].rfind('\n').map_or(0, |i| i + 1);
    let excerpt_column = excerpt.text[excerpt_line_start..mapped].chars().count() + 1;
    if column == excerpt_column {
        return rendered;
    }
    let line = excerpt.text[..mapped].matches('\n').count() + 1;
    rendered.replacen(
        &format!("{path}:{line}:{excerpt_column} "),
        &format!("{path}:{line}:{column} "),
        1,
    )
}

/// The lines of a text that a diagnostic shows, long lines cut to windows,
/// after an empty line for each line before them (so lines keep their numbers).
struct Excerpt {
    /// The excerpt's text.
    text: String,
    /// Kept pieces: start and end in the file, start in the excerpt.
    pieces: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `text` showing the ranges `labels` (on character boundaries).
    fn new(text: &str, labels: &[std::ops::Range<usize>]) -> Excerpt {
        let lo = labels.iter().map(|r| r.start).min().unwrap_or(0);
        let hi = labels.iter().map(|r| r.end).max().unwrap_or(0);
        let begin = text[..lo].rfind('\n').map_or(0, |i| i + 1);
        let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i);
        let mut points: Vec<usize> = labels.iter().flat_map(|r| [r.start, r.end]).collect();
        points.sort_unstable();
        let mut excerpt = Excerpt {
            text: "\n".repeat(text[..begin].matches('\n').count()),
            pieces: Vec::new(),
        };
        let mut line_start = begin;
        while line_start <= end {
            let line_end = text[line_start..end]
                .find('\n')
                .map_or(end, |i| line_start + i);
            if line_end - line_start <= MAX_EXCERPT_LINE {
                excerpt.keep(text, line_start, line_end);
            } else {
                excerpt.cut(text, line_start, line_end, &points);
            }
            if line_end == end {
                break;
            }
            excerpt.text.push('\n');
            line_start = line_end + 1;
        }
        excerpt
    }

    /// Appends `text[from..to]` unchanged.
    fn keep(&mut self, text: &str, from: usize, to: usize) {
        self.pieces.push((from, to, self.text.len()));
        self.text.push_str(&text[from..to]);
    }

    /// Appends the line `text[from..to]` cut to windows around `points`.
    fn cut(&mut self, text: &str, from: usize, to: usize, points: &[usize]) {
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for &p in points.iter().filter(|&&p| p >= from && p <= to) {
            let start = floor(p.saturating_sub(WINDOW).max(from));
            let stop = ceil((p + WINDOW).min(to));
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(stop),
                _ => windows.push((start, stop)),
            }
        }
        let mut at = from;
        for (start, stop) in windows {
            if start > at {
                self.text.push('…');
            }
            self.keep(text, start, stop);
            at = stop;
        }
        if at < to {
            self.text.push('…');
        }
    }

    /// Where offset `offset` of the file is in the excerpt (the end of the
    /// piece before it if it was cut out).
    fn map(&self, offset: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|&(start, _, _)| start <= offset);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(start, end, at)) => at + offset.min(end) - start,
            None => 0,
        }
    }
}

/// A one-line rendering: `path:line:col: error[E0301]: message: label`.
pub fn plain(diagnostic: &Diagnostic, path: &str, text: &str) -> String {
    let at = LineIndex::new(text).line_col(text, diagnostic.primary.span.start);
    let severity = match diagnostic.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "{path}:{}:{}: {severity}[{}]: {}: {}",
        at.line,
        at.column,
        diagnostic.code.as_str(),
        diagnostic.message,
        diagnostic.primary.message
    )
}

/// A diagnostic as tools read it (`--format json`).
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    /// The file's path.
    pub file: String,
    /// The catalogue code, e.g. `E0301`.
    pub code: &'static str,
    /// The analysis that reported it: parse, name, type, exhaustive, termination, bound.
    pub kind: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// What is wrong.
    pub message: String,
    /// The primary place.
    pub primary: JsonLabel,
    /// Other places.
    pub labels: Vec<JsonLabel>,
    /// Notes.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
}

/// A labelled span with byte offsets and 1-based line/column positions.
#[derive(Debug, Clone, Serialize)]
pub struct JsonLabel {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// Where it starts.
    pub start_pos: LineCol,
    /// Where it ends.
    pub end_pos: LineCol,
    /// What is there.
    pub message: String,
}

/// Converts a diagnostic to its JSON form.
pub fn json(diagnostic: &Diagnostic, path: &str, text: &str) -> JsonDiagnostic {
    let index = LineIndex::new(text);
    let label = |l: &crate::diagnostic::Label| JsonLabel {
        start: l.span.start,
        end: l.span.end,
        start_pos: index.line_col(text, l.span.start),
        end_pos: index.line_col(text, l.span.end),
        message: l.message.clone(),
    };
    JsonDiagnostic {
        file: path.to_string(),
        code: diagnostic.code.as_str(),
        kind: diagnostic.code.kind().name(),
        severity: match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        message: diagnostic.message.clone(),
        primary: label(&diagnostic.primary),
        labels: diagnostic.secondary.iter().map(label).collect(),
        notes: diagnostic.notes.clone(),
        help: diagnostic.help.clone(),
    }
}

/// Keeps a span inside the text and on character boundaries, so rendering never fails.
fn clamp(span: Span, text: &str) -> std::ops::Range<usize> {
    let fix = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = fix(span.start as usize);
    let end = fix(span.end as usize).max(start);
    start..end
}
