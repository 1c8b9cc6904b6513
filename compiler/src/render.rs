//! The one place where diagnostics become text: for people through
//! `ariadne`, for tools as JSON. Messages themselves never contain colour.

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::{LineCol, LineIndex};
use crate::span::Span;

/// Renders a diagnostic for a person, as `ariadne` lays it out.
pub fn human(diagnostic: &Diagnostic, path: &str, text: &str, color: bool) -> String {
    let kind = match diagnostic.severity() {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let (primary_color, secondary_color) = match diagnostic.severity() {
        Severity::Error => (Color::Red, Color::Blue),
        Severity::Warning => (Color::Yellow, Color::Blue),
    };
    let span = |s: Span| (path, clamp(s, text));
    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Byte)
        .with_char_set(CharSet::Unicode);
    // Labels are ordered by position: ariadne starts a new snippet whenever a
    // label lies above the previous one, and one snippet reads best.
    let mut labels: Vec<(&crate::diagnostic::Label, Color)> =
        vec![(&diagnostic.primary, primary_color)];
    labels.extend(diagnostic.secondary.iter().map(|l| (l, secondary_color)));
    labels.sort_by_key(|(l, _)| (l.span.start, l.span.end));
    let mut report = Report::build(kind, span(diagnostic.primary.span))
        .with_config(config)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message);
    for (order, (label, color)) in labels.into_iter().enumerate() {
        report = report.with_label(
            Label::new(span(label.span))
                .with_message(&label.message)
                .with_color(color)
                .with_order(order as i32),
        );
    }
    for note in &diagnostic.notes {
        report = report.with_note(note);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    let mut out = Vec::new();
    let source = (path, ariadne::Source::from(text));
    if report.finish().write(source, &mut out).is_err() {
        return plain(diagnostic, path, text);
    }
    String::from_utf8_lossy(&out).into_owned()
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
