//! Gas code lenses and the bounds in hovers: above every function its gas
//! bound (one per instance used for a generic one), and on each call of a
//! standard-library function the bound of the instance called. A lens's
//! command (`tally.showBound`) shows the legend of the measures.

use lsp_types::{CodeLens, Command};
use tally::db::SourceFile;
use tally::syntax::ast::{ExprKind, Item};
use tally::types::{self, ItemRef, Resolution, Ty};

use crate::bounds::{self, Known};
use crate::convert::Lines;
use crate::snapshot::Snapshot;

/// The command a gas lens runs: the server shows its argument, the legend.
pub const SHOW_BOUND: &str = "tally.showBound";

/// The bounds of the function `item` for a hover in `file`: of the instance
/// used there if `instance` gives its type arguments, else of every instance
/// the file uses.
pub fn hover_bound(
    s: &Snapshot,
    file: SourceFile,
    item: ItemRef,
    instance: &Option<Vec<Ty>>,
) -> Option<String> {
    let name = fn_name(s, item)?;
    let path = item.file.path(&s.db);
    let mut known = bounds::known(s, file)?;
    let mut units = bounds::units_of(&known, path, &name);
    if units.is_empty() && item.file != file {
        // A function no entry point or test of this file reaches: its own
        // module's analysis may know it.
        known = bounds::known(s, item.file)?;
        units = bounds::units_of(&known, path, &name);
    }
    let units = at_instance(units, instance);
    if units.is_empty() && item.file.path(&s.db) == file.path(&s.db) {
        // Say why there is no bound rather than nothing.
        if known.stale {
            return Some("gas: not known until the file checks again".into());
        }
        return Some(unbounded_reason(s, item).to_string());
    }
    bounds::markdown(&units, known.stale)
}

/// Why a function of the file has no bound: the analysis compiles only what
/// the entry points and tests reach, at the instances they use.
fn unbounded_reason(s: &Snapshot, item: ItemRef) -> &'static str {
    let generic = matches!(
        tally::db::parse(&s.db, item.file).module.items.get(item.index as usize),
        Some(Item::Fn(f)) if !f.generics.is_empty()
    );
    if generic {
        "gas: no instance of this generic function is used by an entry point or test, \
         so it has no bound yet (bounds are per instance)"
    } else {
        "gas: not reached from an entry point (`pub fn`) or a test, so it has no bound yet"
    }
}

/// The units of the instance with these type arguments, if the file has it.
fn at_instance<'a>(
    units: Vec<&'a tally::bounds::UnitBound>,
    instance: &Option<Vec<Ty>>,
) -> Vec<&'a tally::bounds::UnitBound> {
    let Some(tys) = instance.as_ref().filter(|t| !t.is_empty()) else {
        return units;
    };
    let args: Vec<String> = tys.iter().map(Ty::to_string).collect();
    let written = format!("<{}>", args.join(", "));
    let matching: Vec<_> = units
        .iter()
        .copied()
        .filter(|u| u.name.contains(&written))
        .collect();
    if matching.is_empty() { units } else { matching }
}

/// The name of a function item.
fn fn_name(s: &Snapshot, item: ItemRef) -> Option<String> {
    match tally::db::parse(&s.db, item.file)
        .module
        .items
        .get(item.index as usize)?
    {
        Item::Fn(f) => Some(f.name.name.clone()),
        _ => None,
    }
}

/// The gas lenses of `file`.
pub fn code_lenses(s: &Snapshot, file: SourceFile) -> Vec<CodeLens> {
    let Some(known) = bounds::known(s, file) else {
        return Vec::new();
    };
    let text = file.text(&s.db);
    let lines = Lines::new(text);
    let module = &tally::db::parse(&s.db, file).module;
    let path = file.path(&s.db);
    let mut lenses = Vec::new();
    let lens = |span, title: String, legend: String| CodeLens {
        range: lines.range(span),
        command: Some(Command {
            title,
            command: SHOW_BOUND.into(),
            arguments: Some(vec![serde_json::Value::String(legend)]),
        }),
        data: None,
    };
    for item in &module.items {
        let Item::Fn(f) = item else { continue };
        let generic = !f.generics.is_empty();
        let units = bounds::units_of(&known, path, &f.name.name);
        if units.is_empty() {
            let title = if generic {
                "gas: no instance used by an entry point or test"
            } else {
                "gas: not reached from an entry point or test"
            };
            lenses.push(lens(f.name.span, title.into(), title.into()));
        }
        for unit in units.iter().take(3) {
            let title = bounds::label(unit, generic, known.stale);
            lenses.push(lens(f.name.span, title, legend_text(unit)));
        }
    }
    lenses.extend(std_call_lenses(s, file, &known, &lens));
    lenses.sort_by_key(|l| (l.range.start.line, l.range.start.character));
    lenses
}

/// A lens on each call of a standard-library function (one per function
/// per line): the bound of the instance called.
fn std_call_lenses(
    s: &Snapshot,
    file: SourceFile,
    known: &Known,
    lens: &dyn Fn(tally::span::Span, String, String) -> CodeLens,
) -> Vec<CodeLens> {
    let module = &tally::db::parse(&s.db, file).module;
    let typed = types::infer(&s.db, file);
    let lines = Lines::new(file.text(&s.db));
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for (&expr, &res) in &typed.expr_resolutions {
        let Resolution::Fn(item) = res else { continue };
        let path = item.file.path(&s.db);
        if !path.starts_with("std::") {
            continue;
        }
        let ExprKind::Path(written) = &module.expr(expr).kind else {
            continue;
        };
        let Some(name) = fn_name(s, item) else {
            continue;
        };
        let span = written.span;
        let line = lines.position(span.start).line;
        if !seen.insert((line, name.clone())) {
            continue;
        }
        let units = at_instance(
            bounds::units_of(known, path, &name),
            &typed.instances.get(&expr).cloned(),
        );
        if let Some(unit) = units.first() {
            let title = format!(
                "{}: {}",
                bounds::display_name(unit),
                bounds::label(unit, false, known.stale)
            );
            found.push(lens(span, title, legend_text(unit)));
        }
    }
    found
}

/// The text a lens's command shows: the unit, its gas bound, and the
/// measures that bound mentions.
fn legend_text(unit: &tally::bounds::UnitBound) -> String {
    let mut text = format!("{}: gas ≤ {}", bounds::display_name(unit), unit.gas);
    let legend = bounds::legend_for(&unit.legend, &[unit.gas.as_str()]);
    if !legend.is_empty() {
        text.push_str(", where ");
        text.push_str(&legend.join("; "));
    }
    text
}
