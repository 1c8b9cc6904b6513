//! Functions' gas and memory bounds, as the compiler's bound analysis
//! (`tally::bounds`, the same one `tally gas` prints) states them, for
//! hovers and inlay hints.

use tally::bounds::FunctionBound;
use tally::db::{Database, SourceFile};
use tally::span::Span;

/// The bounds of the function whose name is at `name_span` in `file`, if
/// the analysis has them (generic functions and functions no entry point or
/// test reaches have none, nor do files with errors).
pub fn of_function(db: &Database, file: SourceFile, name_span: Span) -> Option<FunctionBound> {
    tally::bounds::bounds(db, file)
        .functions
        .iter()
        .find(|f| f.name_span == name_span)
        .cloned()
}

/// The bounds in Markdown: both formulas, then what their measures mean.
pub fn markdown(bound: &FunctionBound) -> String {
    let mut text = format!("gas ≤ `{}`, memory ≤ `{}` bytes", bound.gas, bound.memory);
    if !bound.legend.is_empty() {
        text.push_str("\n\nwhere");
        for line in &bound.legend {
            text.push_str(&format!("\n- {line}"));
        }
    }
    text
}

/// The inlay hint of a function's gas bound.
fn hint(bound: &FunctionBound) -> String {
    format!("gas ≤ {}", bound.gas)
}

/// Each function's gas-bound hint: the offset where its body starts, and
/// the label.
pub fn hints(db: &Database, file: SourceFile) -> Vec<(u32, String)> {
    let module = &tally::db::parse(db, file).module;
    let report = tally::bounds::bounds(db, file);
    let mut hints: Vec<(u32, String)> = module
        .items
        .iter()
        .filter_map(|item| match item {
            tally::syntax::ast::Item::Fn(f) => {
                let bound = report
                    .functions
                    .iter()
                    .find(|b| b.name_span == f.name.span)?;
                Some((module.expr(f.body).span.start, hint(bound)))
            }
            _ => None,
        })
        .collect();
    hints.sort();
    hints
}
