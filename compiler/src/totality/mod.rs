//! Termination checking by the size-change principle (Lee, Jones and
//! Ben-Amram, 2001), as Agda's termination checker does it.
//!
//! 1. `extract` walks every function body and records each call between
//!    the module's functions with a size-change graph: how each argument
//!    relates to each parameter of the caller (`<`, `≤` or `?`).
//! 2. `scc` groups the functions into strongly connected components of the
//!    call graph; only calls inside a component can repeat.
//! 3. `closure` composes the graphs of each component until nothing new
//!    appears. The recursion terminates iff every idempotent graph from a
//!    function to itself has a parameter that is `<` itself: any infinite
//!    run of calls would decrease that parameter infinitely often.
//! 4. `report` turns each loop without descent into an E0501 diagnostic.
//!
//! Only calls to functions of the same module count: imported functions
//! cannot call back into it. Calls inside `test` blocks are not edges.
//!
//! Reporting: one diagnostic per failing loop of calls, found shortest first,
//! skipping a loop that contains one already reported or that blames the
//! same call; each direct self-call is also checked on its own, so two
//! identical bad calls are both reported. The closure of a component is
//! capped (`closure::MAX_GRAPHS` graphs, `closure::MAX_WORK` steps);
//! past the cap the component gets one "too complex" E0501.

mod closure;
mod extract;
mod form;
mod guard;
mod matrix;
mod output;
mod report;
mod scc;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Module;

use closure::{MAX_GRAPHS, Outcome};
use extract::CallGraph;

/// The termination diagnostics of one module.
#[salsa::tracked(returns(ref))]
pub fn check_termination(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let parse = crate::db::parse(db, file);
    check_module(&parse.module, file.text(db))
}

/// Checks that every recursion in `module` terminates; `source` is its text
/// (for quoting calls). Returns one E0501 diagnostic per call loop not shown
/// to terminate, in source order.
pub fn check_module(module: &Module, source: &str) -> Vec<Diagnostic> {
    let graph = extract::extract(module, source);
    let n = graph.fns.len();
    let mut successors = vec![Vec::new(); n];
    for call in &graph.calls {
        if let Some(list) = successors.get_mut(call.caller) {
            list.push(call.callee);
        }
    }
    for list in &mut successors {
        list.sort_unstable();
        list.dedup();
    }
    let components = scc::components(n, &successors);
    let mut component_of = vec![usize::MAX; n];
    for (index, component) in components.iter().enumerate() {
        for &f in component {
            if let Some(slot) = component_of.get_mut(f) {
                *slot = index;
            }
        }
    }
    // The calls inside each component, in call order.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); components.len()];
    for (c, call) in graph.calls.iter().enumerate() {
        if let Some(&index) = component_of.get(call.caller)
            && component_of.get(call.callee) == Some(&index)
            && let Some(list) = members.get_mut(index)
        {
            list.push(c);
        }
    }
    let mut diagnostics = Vec::new();
    for calls in members.iter().filter(|calls| !calls.is_empty()) {
        diagnostics.extend(check_component(&graph, calls));
    }
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    diagnostics
}

/// The most loops reported for one component: past this, fixing the ones
/// shown will reveal the rest.
const MAX_REPORTS: usize = 50;

/// The diagnostics of one strongly connected component, given its calls.
fn check_component(graph: &CallGraph, members: &[usize]) -> Vec<Diagnostic> {
    let mut reported: Vec<BTreeSet<usize>> = Vec::new();
    let mut out = Vec::new();
    // Each direct self-call on its own first: the closure keeps one graph per
    // relation matrix, so two identical bad calls would otherwise be one report.
    for &c in members {
        let Some(call) = graph.calls.get(c) else {
            continue;
        };
        if out.len() >= MAX_REPORTS {
            break;
        }
        if call.caller != call.callee {
            continue;
        }
        if let Outcome::Loops(loops) = closure::close(&graph.calls, &[c], MAX_GRAPHS)
            && let Some(bad) = loops.first()
        {
            reported.push(BTreeSet::from([c]));
            out.push(report::non_terminating(graph, bad));
        }
    }
    match closure::close(&graph.calls, members, MAX_GRAPHS) {
        Outcome::TooComplex => out.push(report::too_complex(graph, members)),
        Outcome::Loops(loops) => {
            for bad in loops {
                if out.len() >= MAX_REPORTS {
                    break;
                }
                let calls: BTreeSet<usize> = bad.path.iter().copied().collect();
                // A loop that contains one already reported adds nothing new.
                if reported.iter().any(|done| done.is_subset(&calls)) {
                    continue;
                }
                reported.push(calls);
                let diagnostic = report::non_terminating(graph, &bad);
                // Another loop through the same blamed call: fixing that call fixes both.
                if out
                    .iter()
                    .all(|d: &Diagnostic| d.primary.span != diagnostic.primary.span)
                {
                    out.push(diagnostic);
                }
            }
        }
    }
    out
}
