//! Size-change termination over each call-graph cycle.
//!
//! Every call inside a strongly connected component carries a size-change
//! graph: arcs "argument j is no larger than / strictly smaller than
//! parameter i's entry value", computed by the dataflow pass. The closure of
//! these graphs under composition is built per component; the recursion
//! terminates iff every idempotent self-graph `G` (`G;G = G`, from a
//! function to itself) has a strict arc `i → i` (Lee, Jones, Ben-Amram 2001).
//! Measures: number of constructor cells for ADTs; for Ints, the value, with
//! a strict arc only where the caller's parameter has a proven lower bound.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::CallEdge;
use crate::error::{Place, VerifyError, VerifyErrorKind};
use crate::limits::{MAX_SCT_GRAPHS, MAX_SCT_WORK};
use crate::module::Module;

/// Arc labels: 0 none, 1 no larger, 2 strictly smaller.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Graph {
    from: u32,
    to: u32,
    /// Row-major `params(from) × params(to)`.
    m: Vec<u8>,
}

fn compose(a: &Graph, b: &Graph, nfrom: usize, nmid: usize, nto: usize) -> Graph {
    let mut m = vec![0u8; nfrom * nto];
    for i in 0..nfrom {
        for j in 0..nmid {
            let x = a.m[i * nmid + j];
            if x == 0 {
                continue;
            }
            for k in 0..nto {
                let y = b.m[j * nto + k];
                if y != 0 {
                    let c = x.max(y);
                    let slot = &mut m[i * nto + k];
                    *slot = (*slot).max(c);
                }
            }
        }
    }
    Graph {
        from: a.from,
        to: b.to,
        m,
    }
}

/// Checks every recursive cycle of the module for size-change termination.
pub(crate) fn check_termination(
    m: &Module,
    comp: &[u32],
    edges: &[CallEdge],
    work_budget: u64,
) -> Result<(), VerifyError> {
    let np = |f: u32| m.functions.get(f as usize).map_or(0, |f| f.params.len());
    // Group the edges by component, in component order (deterministic).
    let mut by_comp: BTreeMap<u32, Vec<(Graph, u32)>> = BTreeMap::new();
    for e in edges {
        let (nf, nt) = (np(e.from), np(e.to));
        let mut g = Graph {
            from: e.from,
            to: e.to,
            m: vec![0; nf * nt],
        };
        for a in &e.arcs {
            let (i, j) = (a.src as usize, a.dst as usize);
            if i < nf && j < nt {
                let slot = &mut g.m[i * nt + j];
                *slot = (*slot).max(if a.strict { 2 } else { 1 });
            }
        }
        by_comp
            .entry(comp.get(e.from as usize).copied().unwrap_or(0))
            .or_default()
            .push((g, e.pc));
    }
    for base in by_comp.values() {
        // Closure: every composition of base graphs along call paths.
        let mut seen: BTreeSet<Graph> = BTreeSet::new();
        let mut origin: Vec<(Graph, u32, u32)> = Vec::new(); // graph, first call's function, pc
        let mut work: Vec<usize> = Vec::new();
        for (g, pc) in base {
            if seen.insert(g.clone()) {
                origin.push((g.clone(), g.from, *pc));
                work.push(origin.len() - 1);
            }
        }
        // Distinct base graphs, grouped by caller.
        let mut by_from: BTreeMap<u32, Vec<&Graph>> = BTreeMap::new();
        let distinct: BTreeSet<&Graph> = base.iter().map(|(g, _)| g).collect();
        for g in distinct {
            by_from.entry(g.from).or_default().push(g);
        }
        let mut budget = work_budget.min(MAX_SCT_WORK);
        while let Some(idx) = work.pop() {
            let (g, f0, pc0) = origin[idx].clone();
            for b in by_from.get(&g.to).map_or(&[][..], |v| v.as_slice()) {
                let cost = (np(g.from) * np(g.to) * np(b.to)).max(1) as u64;
                budget = budget.saturating_sub(cost);
                let c = compose(&g, b, np(g.from), np(g.to), np(b.to));
                if seen.insert(c.clone()) {
                    if seen.len() > MAX_SCT_GRAPHS || budget == 0 {
                        return Err(VerifyError {
                            place: Place::Function {
                                func: f0,
                                name: m
                                    .functions
                                    .get(f0 as usize)
                                    .map(|f| f.name.clone())
                                    .unwrap_or_default(),
                            },
                            kind: VerifyErrorKind::TerminationTooComplex(seen.len()),
                        });
                    }
                    origin.push((c, f0, pc0));
                    work.push(origin.len() - 1);
                }
            }
        }
        for (g, f0, pc0) in &origin {
            if g.from != g.to {
                continue;
            }
            let n = np(g.from);
            let gg = compose(g, g, n, n, n);
            if gg != *g {
                continue;
            }
            if !(0..n).any(|i| g.m[i * n + i] == 2) {
                let name = m
                    .functions
                    .get(g.from as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                let fname = m
                    .functions
                    .get(*f0 as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                return Err(VerifyError {
                    place: Place::Code {
                        func: *f0,
                        name: fname,
                        pc: *pc0,
                    },
                    kind: VerifyErrorKind::NonTerminating {
                        callee: name,
                        detail:
                            "no argument decreases on every path around the cycle (needs a strict \
                                 subterm of a parameter taken after a switch, or an Int parameter \
                                 minus a positive constant under a lower-bound guard)"
                                .into(),
                    },
                });
            }
        }
    }
    Ok(())
}
