//! Functions' gas and memory bounds, as the compiler's bound analysis
//! (`tally::bounds`, the same one `tally gas` prints) states them, for
//! hovers, code lenses and inlay hints.
//!
//! The analysis compiles a file's entry points and tests, so it knows every
//! function they reach: the file's own, the standard library's, and each
//! instance of a generic function used (`length<Int>`). While the file has
//! errors it has no bounds; the last ones known for the document are shown
//! instead, marked stale, so they do not flicker while the author types.

use std::sync::Arc;

use tally::bounds::{BoundReport, UnitBound};
use tally::db::SourceFile;
use tally::syntax::ast::Item;

use crate::snapshot::Snapshot;

/// The bounds to show for a document: the current ones, or the last known
/// (stale) while the file has front-end errors.
pub struct Known {
    /// The analysis' report.
    pub report: Arc<BoundReport>,
    /// Whether the report is of an older text.
    pub stale: bool,
}

/// The bounds known for `file` (an open document or a standard-library file).
pub fn known(s: &Snapshot, file: SourceFile) -> Option<Known> {
    let clean = !tally::db::front_end(&s.db, file)
        .iter()
        .any(|d| d.is_error());
    if clean {
        return Some(Known {
            report: Arc::new(tally::bounds::bounds(&s.db, file).clone()),
            stale: false,
        });
    }
    let report = s.open_document(file)?.known_bounds.clone()?;
    Some(Known {
        report,
        stale: true,
    })
}

/// The function a unit comes from: its module path and name, from the unit's
/// name (`std::list::map<Int, Int>{..}` → `map`).
fn base_name(unit: &UnitBound) -> &str {
    let end = unit.name.find(['<', '{']).unwrap_or(unit.name.len());
    let name = &unit.name[..end];
    name.rsplit("::").next().unwrap_or(name)
}

/// The units of function `name` of the file `path`: one for a non-generic
/// function, one per instance (and specialisation) for a generic one.
pub fn units_of<'a>(known: &'a Known, path: &str, name: &str) -> Vec<&'a UnitBound> {
    known
        .report
        .units
        .iter()
        .filter(|u| u.path == path && base_name(u) == name)
        .collect()
}

/// A unit's name for people: the instance without the module path, and a
/// note for a specialisation to the functions passed at one call.
pub fn display_name(unit: &UnitBound) -> String {
    let end = unit.name.find('{').unwrap_or(unit.name.len());
    let name = &unit.name[..end];
    let short = match name.find('<') {
        Some(open) => {
            let (head, args) = name.split_at(open);
            format!("{}{args}", head.rsplit("::").next().unwrap_or(head))
        }
        None => name.rsplit("::").next().unwrap_or(name).to_string(),
    };
    if end < unit.name.len() {
        format!("{short} (with the functions passed at one call)")
    } else {
        short
    }
}

/// The legend lines of the measures that `formulas` mention (a legend line
/// reads `|xs| = ...` or `n = ...`).
pub fn legend_for(legend: &[String], formulas: &[&str]) -> Vec<String> {
    let words: Vec<&str> = formulas
        .iter()
        .flat_map(|f| f.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '|')))
        .filter(|w| !w.is_empty())
        .collect();
    legend
        .iter()
        .filter(|line| {
            let measure = line.split(" = ").next().unwrap_or("");
            words.contains(&measure)
        })
        .cloned()
        .collect()
}

/// The bounds of `units` in Markdown, for a hover: each formula, then what
/// the measures they mention mean.
pub fn markdown(units: &[&UnitBound], stale: bool) -> Option<String> {
    let mut text = String::new();
    let mut formulas = Vec::new();
    let mut legend = Vec::new();
    let generic = units.len() > 1 || units.iter().any(|u| u.name.contains(['<', '{']));
    for unit in units.iter().take(4) {
        if !text.is_empty() {
            text.push('\n');
        }
        if generic {
            text.push_str(&format!("at `{}`: ", display_name(unit)));
        }
        text.push_str(&format!(
            "gas ≤ `{}`, memory ≤ `{}` bytes",
            unit.gas, unit.memory
        ));
        formulas.push(unit.gas.as_str());
        formulas.push(unit.memory.as_str());
        for line in &unit.legend {
            if !legend.contains(line) {
                legend.push(line.clone());
            }
        }
    }
    if text.is_empty() {
        return None;
    }
    if units.len() > 4 {
        text.push_str(&format!("\n… and {} more instances", units.len() - 4));
    }
    let legend = legend_for(&legend, &formulas);
    if !legend.is_empty() {
        text.push_str("\n\nwhere");
        for line in &legend {
            text.push_str(&format!("\n- {line}"));
        }
    }
    if stale {
        text.push_str("\n\n*stale: the last bounds known; the file has errors now*");
    }
    Some(text)
}

/// A gas label for a unit: `gas ≤ F`, `length<Int>: gas ≤ F`, stale marked.
pub fn label(unit: &UnitBound, generic: bool, stale: bool) -> String {
    let mut label = if generic {
        format!("{}: gas ≤ {}", display_name(unit), unit.gas)
    } else {
        format!("gas ≤ {}", unit.gas)
    };
    if stale {
        label.push_str(" (stale)");
    }
    label
}

/// Each function's gas-bound hint: the offset where its body starts, and
/// the label (one per instance for a generic function).
pub fn hints(s: &Snapshot, file: SourceFile) -> Vec<(u32, String)> {
    let module = &tally::db::parse(&s.db, file).module;
    let Some(known) = known(s, file) else {
        return Vec::new();
    };
    let path = file.path(&s.db);
    let mut hints: Vec<(u32, String)> = module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fn(f) => {
                let units = units_of(&known, path, &f.name.name);
                let generic = !f.generics.is_empty();
                let labels: Vec<String> = units
                    .iter()
                    .take(3)
                    .map(|u| label(u, generic, known.stale))
                    .collect();
                (!labels.is_empty()).then(|| (module.expr(f.body).span.start, labels.join("; ")))
            }
            _ => None,
        })
        .collect();
    hints.sort();
    hints
}
