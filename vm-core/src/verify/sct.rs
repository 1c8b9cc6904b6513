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

/// Heads of one component: a set of functions every cycle of its call
/// graph passes through (the targets of the back edges of a depth-first
/// search, which is iterative: no Rust recursion on program data).
fn heads(by_from: &BTreeMap<u32, Vec<(&Graph, u32)>>) -> BTreeSet<u32> {
    let succ = |f: u32| -> Vec<u32> {
        let mut v: Vec<u32> = by_from
            .get(&f)
            .map_or(vec![], |gs| gs.iter().map(|(g, _)| g.to).collect());
        v.dedup();
        v
    };
    let mut heads = BTreeSet::new();
    // 1: on the DFS stack, 2: done.
    let mut state: BTreeMap<u32, u8> = BTreeMap::new();
    for &root in by_from.keys() {
        if state.contains_key(&root) {
            continue;
        }
        state.insert(root, 1);
        let mut stack: Vec<(u32, Vec<u32>)> = vec![(root, succ(root))];
        while let Some((f, next)) = stack.last_mut() {
            match next.pop() {
                Some(g) => match state.get(&g) {
                    Some(1) => {
                        heads.insert(g);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(g, 1);
                        let s = succ(g);
                        stack.push((g, s));
                    }
                },
                None => {
                    state.insert(*f, 2);
                    stack.pop();
                }
            }
        }
    }
    heads
}

/// Checks every recursive cycle of the module for size-change termination.
pub(crate) fn check_termination(
    m: &Module,
    comp: &[u32],
    edges: &[CallEdge],
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
        let mut budget = MAX_SCT_WORK;
        let mut stored = 0usize;
        let too_complex = |f0: u32, n: usize| VerifyError {
            place: Place::Function {
                func: f0,
                name: m
                    .functions
                    .get(f0 as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
            },
            kind: VerifyErrorKind::TerminationTooComplex(n),
        };
        // Distinct base graphs, grouped by caller.
        let mut by_from: BTreeMap<u32, Vec<(&Graph, u32)>> = BTreeMap::new();
        let mut distinct: BTreeSet<&Graph> = BTreeSet::new();
        for (g, pc) in base {
            if distinct.insert(g) {
                by_from.entry(g.from).or_default().push((g, *pc));
            }
        }
        // Every cycle passes through a head, so every infinite call
        // sequence is a sequence of head-to-head segments: the closure
        // needs only the segments' composed graphs (a ring of n functions
        // has one head and one segment, not n² paths).
        let heads = heads(&by_from);
        let mut seen: BTreeSet<Graph> = BTreeSet::new();
        let mut origin: Vec<(Graph, u32, u32)> = Vec::new(); // graph, first call's function, pc
        let mut work: Vec<usize> = Vec::new();
        for &h in &heads {
            // (graph from `h` to the node it ends at, the first call's pc),
            // through non-head functions only.
            let mut reached: BTreeSet<Graph> = BTreeSet::new();
            let mut stack: Vec<(Graph, u32)> = Vec::new();
            for (g, pc) in by_from.get(&h).map_or(&[][..], |v| v.as_slice()) {
                if reached.insert((*g).clone()) {
                    stack.push(((*g).clone(), *pc));
                }
            }
            while let Some((g, pc)) = stack.pop() {
                if heads.contains(&g.to) {
                    if seen.insert(g.clone()) {
                        origin.push((g, h, pc));
                        work.push(origin.len() - 1);
                    }
                    continue;
                }
                for (b, _) in by_from.get(&g.to).map_or(&[][..], |v| v.as_slice()) {
                    let cost = (np(g.from) * np(g.to) * np(b.to)).max(1) as u64;
                    budget = budget.saturating_sub(cost);
                    let c = compose(&g, b, np(g.from), np(g.to), np(b.to));
                    if reached.insert(c.clone()) {
                        stored += 1;
                        if stored > MAX_SCT_GRAPHS || budget == 0 {
                            return Err(too_complex(h, stored));
                        }
                        stack.push((c, pc));
                    }
                }
            }
        }
        // Segments, grouped by the head they start at.
        let mut segs: BTreeMap<u32, Vec<Graph>> = BTreeMap::new();
        for (g, _, _) in &origin {
            segs.entry(g.from).or_default().push(g.clone());
        }
        // Closure: every composition of segments along call paths.
        while let Some(idx) = work.pop() {
            let (g, f0, pc0) = origin[idx].clone();
            for b in segs.get(&g.to).map_or(&[][..], |v| v.as_slice()) {
                let cost = (np(g.from) * np(g.to) * np(b.to)).max(1) as u64;
                budget = budget.saturating_sub(cost);
                let c = compose(&g, b, np(g.from), np(g.to), np(b.to));
                if seen.insert(c.clone()) {
                    stored += 1;
                    if stored > MAX_SCT_GRAPHS || budget == 0 {
                        return Err(too_complex(f0, stored));
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
