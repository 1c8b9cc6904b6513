//! Bounds for one recursive call-graph cycle (a strongly connected component).
//!
//! 1. **Measure.** Choose, per function, a set `P` of ADT/Int parameters
//!    whose summed measure `μ` drops by at least one on every call of the
//!    cycle: each argument in `P` of the callee must descend from a distinct
//!    (or disjoint) parameter in `P` of the caller, at least one strictly.
//! 2. **Activations.** At most one recursive call per path: a chain of at
//!    most `μ` (ADT measures) or `μ + 1` (Int measures) activations. Several
//!    calls per path on pairwise disjoint subterms (a tree walk): at most
//!    `μ` activations. Otherwise (`fib`): at most `K·K^μ` activations for `K`
//!    calls per path, flagged as exponential.
//! 3. **Invariants.** A bound, over the entry's parameters, on every
//!    parameter of every activation: copies keep their base, accumulators
//!    grow by at most `Δ` per step (`acc ≤ |acc₀| + μ·Δ`).
//! 4. **Totals.** Output size and gas/memory: sum of the per-activation
//!    amounts, with the result of a recursive call counted once (it must
//!    occur linearly in the result), and the measure a leaf returns
//!    amortised against the steps taken to reach it.

mod choose;
mod invariants;
mod shape;
mod step;
mod total;

use std::collections::{BTreeMap, BTreeSet};

use self::choose::choose_measure;
use self::invariants::invariants;
use self::shape::shape;
use self::total::{Ends, Pieces, amortizable, prepare, strip_results, total};
use super::expr::Bound;
use super::pass::{Arg, FnPass, Site};
use super::{FnBounds, NoBound};
use crate::module::Module;
use crate::types::Ty;

const NONE: u32 = u32::MAX;
/// Parameters plus recursive call sites of one function, at most.
const MAX_RESULT_VARS: usize = 60_000;
/// Functions × (parameters + arguments) of one cycle, at most, for a
/// closed form; past it the cycle's bounds are `∞` (a ring of 140
/// one-parameter functions is about 40,000: 1 s of analysis).
pub const MAX_CYCLE_PAIRS: u64 = 40_000;
/// Argument visits of the invariant fixpoint (arguments × rounds), at most.
const MAX_CYCLE_WORK: u64 = 20_000_000;

pub(super) struct Cyc<'a> {
    pub(super) m: &'a Module,
    pub(super) funcs: &'a [u32],
    pub(super) passes: &'a BTreeMap<u32, FnPass>,
    /// `(caller, site)`.
    pub(super) sites: Vec<(u32, &'a Site)>,
}

impl Cyc<'_> {
    fn np(&self, f: u32) -> usize {
        self.m
            .functions
            .get(f as usize)
            .map_or(0, |f| f.params.len())
    }

    fn param_ty(&self, f: u32, j: usize) -> Ty {
        self.m
            .functions
            .get(f as usize)
            .and_then(|f| f.params.get(j).copied())
            .unwrap_or(Ty::Unit)
    }

    fn name(&self, f: u32) -> String {
        self.m
            .functions
            .get(f as usize)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }

    fn fail(&self, caller: u32, site: &Site, message: String) -> NoBound {
        NoBound {
            func: caller,
            name: self.name(caller),
            pc: site.pc,
            callee: self.name(site.callee),
            message,
            feeding: None,
            feeds_measure: false,
        }
    }
}

pub(super) fn strict_at(a: &Arg) -> bool {
    a.strict && (a.ty != Ty::Int || a.lb.is_some())
}

pub(super) fn prefix(a: &[u32], b: &[u32]) -> bool {
    a.len() <= b.len() && b[..a.len()] == *a
}

/// Two pieces of the same parameter are disjoint iff both are ADT subterms
/// at exact field paths neither of which extends the other.
pub(super) fn disjoint(a: &Arg, b: &Arg) -> bool {
    if a.origin != b.origin {
        return true;
    }
    match (&a.path, &b.path, a.ty, b.ty) {
        (Some(p), Some(q), Ty::Adt(_), Ty::Adt(_)) => !prefix(p, q) && !prefix(q, p),
        _ => false,
    }
}

pub(super) type Measure = BTreeMap<u32, BTreeSet<usize>>;

/// Bounds of every function of a cycle.
pub(crate) fn analyze(
    m: &Module,
    funcs: &[u32],
    passes: &BTreeMap<u32, FnPass>,
) -> Result<BTreeMap<u32, FnBounds>, NoBound> {
    let sites: Vec<(u32, &Site)> = passes
        .iter()
        .flat_map(|(f, p)| p.sites.iter().map(move |s| (*f, s)))
        .collect();
    let c = Cyc {
        m,
        funcs,
        passes,
        sites,
    };
    let chosen = choose_measure(&c)?;
    // Variables of recursive results must stay below the piece variables,
    // and the fixpoints below are quadratic in the cycle's size: past these
    // limits the cycle's bounds are `∞` (sound, and flagged by saturation).
    let args: usize = c.sites.iter().map(|(_, s)| s.args.len()).sum();
    let positions: usize = funcs.iter().map(|&f| c.np(f)).sum();
    // The totals are computed per entry function over every function of
    // the cycle (invariants, ends): quadratic in the cycle's size, with a
    // large constant (a ring of 500 functions took 15 s).
    let pairs = (funcs.len() as u64).saturating_mul((positions + args) as u64 + 1);
    let too_big = passes
        .iter()
        .any(|(f, p)| c.np(*f) + p.sites.len() > MAX_RESULT_VARS)
        || (args as u64).saturating_mul(2 * positions as u64 + 8) > MAX_CYCLE_WORK
        || pairs > MAX_CYCLE_PAIRS;
    if too_big {
        let top = FnBounds {
            gas: Bound::top(),
            memory: Bound::top(),
            stack: Bound::top(),
            output: Bound::top(),
            exponential: false,
        };
        return Ok(funcs.iter().map(|&f| (f, top.clone())).collect());
    }
    let mut sh = shape(&c, chosen);
    sh.step = step::consumption(&c, &sh);
    let mut invs = BTreeMap::new();
    let mut geometric = false;
    for &f in funcs {
        let (inv, g) = invariants(&c, &sh, f)?;
        geometric |= g;
        invs.insert(f, inv);
    }
    if let Some(inner) = &sh.inner {
        // (outer + 1) phases, each at most (inner + 1) activations, where
        // inner bounds the inner measure of every activation.
        let shift = sh.shift;
        let mut acts = BTreeMap::new();
        for &f in funcs {
            let inv = invs.get(&f).cloned().unwrap_or_default();
            let mut most = Bound::zero();
            for (g, s) in inner {
                let gi = inv.get(g).cloned().unwrap_or_default();
                let sum = s.iter().fold(Bound::zero(), |acc, &j| {
                    let b = gi.get(j).cloned().unwrap_or_else(Bound::top);
                    acc.add(&if c.param_ty(*g, j) == Ty::Int {
                        b.add_const(shift)
                    } else {
                        b
                    })
                });
                most = most.join(&sum);
            }
            let mu = sh.mu.get(&f).cloned().unwrap_or_else(Bound::top);
            acts.insert(f, mu.add_const(1).mul(&most.add_const(1)));
        }
        sh.lex_acts = acts;
    }
    // Output sizes.
    let mut out_ends: BTreeMap<u32, Ends> = BTreeMap::new();
    let mut out_pieces: BTreeMap<u32, Pieces> = BTreeMap::new();
    for (&g, p) in passes {
        let np = c.np(g);
        let scalar = matches!(
            m.functions.get(g as usize).map(|f| f.result),
            Some(Ty::Int | Ty::Bool | Ty::Unit)
        );
        let mut es = Vec::new();
        for e in &p.ends {
            let b = match strip_results(&e.out, np, p.sites.len()) {
                Some(b) => b,
                None if scalar => Bound::top(),
                None => {
                    let site = p.sites.first();
                    return Err(NoBound {
                        func: g,
                        name: c.name(g),
                        pc: site.map_or(0, |s| s.pc),
                        callee: site.map(|s| c.name(s.callee)).unwrap_or_default(),
                        message: "the result of a recursive call occurs more than once (or \
                                  non-linearly) in the function's result, so the result size \
                                  grows geometrically with the recursion depth"
                            .into(),
                        feeding: None,
                        feeds_measure: false,
                    });
                }
            };
            es.push((e.min_calls == 0, e.ncalls > 0, b));
        }
        let (es, pp) = prepare(p, &amortizable(&c, &sh, g), es);
        out_ends.insert(g, es);
        out_pieces.insert(g, pp);
    }
    sh.fanout = passes
        .values()
        .flat_map(|p| &p.ends)
        .filter(|e| e.ncalls > 0)
        .map(|e| u128::from(e.min_calls.max(1)))
        .min()
        .unwrap_or(1);
    let mut outs: BTreeMap<u32, Bound> = BTreeMap::new();
    for &f in funcs {
        let inv = invs.get(&f).cloned().unwrap_or_default();
        outs.insert(f, total(&sh, f, &out_ends, &out_pieces, &inv));
    }
    // Gas and memory, with each recursive result bounded by the callee's output.
    let mut gas_ends: BTreeMap<u32, Ends> = BTreeMap::new();
    let mut mem_ends: BTreeMap<u32, Ends> = BTreeMap::new();
    let mut gas_pieces: BTreeMap<u32, Pieces> = BTreeMap::new();
    let mut mem_pieces: BTreeMap<u32, Pieces> = BTreeMap::new();
    let mut stack_ends: BTreeMap<u32, Vec<Bound>> = BTreeMap::new();
    for (&g, p) in passes {
        let np = c.np(g);
        let amort = amortizable(&c, &sh, g);
        let mut sub: Vec<Bound> = (0..np).map(|j| Bound::var(j as u16)).collect();
        let tops: Vec<Bound> = sub
            .iter()
            .cloned()
            .chain(std::iter::repeat_n(Bound::top(), p.sites.len()))
            .collect();
        for s in &p.sites {
            let args: Vec<Bound> = s.args.iter().map(|a| a.size.subst(&tops)).collect();
            let o = outs.get(&s.callee).cloned().unwrap_or_else(Bound::top);
            sub.push(o.subst(&args));
        }
        // Parameters and pieces stay, recursive results become output bounds.
        let s = |v: u16| match sub.get(v as usize) {
            Some(b) => b.clone(),
            None if p.piece_of(v).is_some() => Bound::var(v),
            None => Bound::top(),
        };
        let (es, pp) = prepare(
            p,
            &amort,
            p.ends
                .iter()
                .map(|e| (e.min_calls == 0, e.ncalls > 0, e.gas.subst_with(&s)))
                .collect(),
        );
        gas_ends.insert(g, es);
        gas_pieces.insert(g, pp);
        let (es, pp) = prepare(
            p,
            &amort,
            p.ends
                .iter()
                .map(|e| (e.min_calls == 0, e.ncalls > 0, e.mem.subst_with(&s)))
                .collect(),
        );
        mem_ends.insert(g, es);
        mem_pieces.insert(g, pp);
        // Stack used above an activation's base, over its own parameters.
        let stacks = p
            .ends
            .iter()
            .map(|e| p.resolve(&e.stack.subst_with(&s)))
            .collect();
        stack_ends.insert(g, stacks);
    }
    // Every frame of the cycle on the stack at once is a distinct
    // activation, and its call made the measure drop: at most `depth`
    // frames, each at most `frame` slots, below the top activation's peak.
    let frame = funcs
        .iter()
        .filter_map(|&g| m.functions.get(g as usize))
        .map(super::pass::frame_slots)
        .max()
        .unwrap_or(0);
    let mut res = BTreeMap::new();
    for &f in funcs {
        let inv = invs.get(&f).cloned().unwrap_or_default();
        let mut top = Bound::zero();
        for (g, ends) in &stack_ends {
            let i = inv.get(g).cloned().unwrap_or_default();
            for b in ends {
                top = top.join(&b.subst(&i));
            }
        }
        res.insert(
            f,
            FnBounds {
                gas: total(&sh, f, &gas_ends, &gas_pieces, &inv),
                memory: total(&sh, f, &mem_ends, &mem_pieces, &inv),
                stack: sh.depth(f).scale(frame).add(&top),
                output: outs.get(&f).cloned().unwrap_or_else(Bound::top),
                exponential: sh.exp_base.is_some() || geometric,
            },
        );
    }
    Ok(res)
}
