//! The activation count of a cycle: chain, disjoint tree walk, exponential,
//! ranked or lexicographic.

use std::collections::BTreeMap;

use super::choose::Chosen;
use super::{Cyc, Measure, disjoint, strict_at};
use crate::bound::expr::{Bound, Poly};
use crate::bound::pass::{Arg, Site};
use crate::types::Ty;

/// What the activation count of the cycle looks like.
pub(super) struct Shape {
    /// Sum of the measured parameters, per function, over its own variables.
    pub(super) mu: BTreeMap<u32, Bound>,
    pub(super) measure: Measure,
    /// Every measured parameter is an ADT (measures are then at least 1).
    pub(super) adt_only: bool,
    /// More than one recursive call per path.
    pub(super) branching: bool,
    /// Calls per path that may overlap: exponential.
    pub(super) exp_base: Option<u128>,
    /// Lexicographic: the inner measure, and (once invariants are known)
    /// the activation bound per entry.
    pub(super) inner: Option<Measure>,
    /// `Some(N)` when some calls only keep the measure (see [`Chosen`]).
    pub(super) ranked: Option<u128>,
    pub(super) lex_acts: BTreeMap<u32, Bound>,
    /// Least measure one step of a chain consumes (see `step.rs`), at least 1.
    pub(super) step: u128,
    /// Added to every Int measure: `m(n) = max(n + shift, 0)`.
    pub(super) shift: u128,
    /// Least number of recursive calls on any path that makes one, over
    /// the cycle's functions (at least 1).
    pub(super) fanout: u128,
    /// A halving chain: one function, one recursive call per path, measured
    /// by one `Int` parameter that every call passes halved (`x / k`,
    /// `k >= 2`, under `x >= 1`): at most `log2(n + 1) + 1` activations.
    pub(super) log: Option<u16>,
}

pub(super) fn shape(c: &Cyc<'_>, chosen: Chosen) -> Shape {
    let measure = chosen.outer;
    let mut min_lb: i128 = 1;
    let mut adt_only = true;
    let both: Vec<&Measure> = std::iter::once(&measure)
        .chain(chosen.inner.as_ref())
        .collect();
    for (_, site) in &c.sites {
        for &j in both
            .iter()
            .flat_map(|m| m.get(&site.callee).into_iter().flatten())
        {
            if let Some(a) = site.args.get(j)
                && a.ty == Ty::Int
            {
                adt_only = false;
                if strict_at(a) {
                    min_lb = min_lb.min(a.lb.unwrap_or(1));
                }
            }
        }
    }
    for (f, s) in &measure {
        if s.iter().any(|&j| c.param_ty(*f, j) == Ty::Int) {
            adt_only = false;
        }
    }
    // m(n) = max(n + shift, 0) with shift = max(0, 1 - min_lb).
    let shift = u128::try_from(1i128.saturating_sub(min_lb).max(0)).unwrap_or(u128::MAX);
    let mu = measure
        .iter()
        .map(|(f, s)| {
            let b = s.iter().fold(Bound::zero(), |acc, &j| {
                let v = Bound::var(j as u16);
                acc.add(&if c.param_ty(*f, j) == Ty::Int {
                    v.add_const(shift)
                } else {
                    v
                })
            });
            (*f, b)
        })
        .collect();
    let k = c
        .passes
        .values()
        .flat_map(|p| p.ends.iter().map(|e| e.ncalls))
        .max()
        .unwrap_or(0);
    let branching = k >= 2;
    let mut overlap = false;
    if branching {
        for (caller, site) in &c.sites {
            let Some(prior) = &site.prior else {
                overlap = true;
                break;
            };
            let Some(sites) = c.passes.get(caller).map(|p| &p.sites) else {
                continue;
            };
            let pieces = |s: &Site| -> Vec<Arg> {
                measure
                    .get(&s.callee)
                    .into_iter()
                    .flatten()
                    .filter_map(|&j| s.args.get(j).cloned())
                    .collect()
            };
            let mine = pieces(site);
            for &p in prior {
                if let Some(other) = sites.get(p as usize) {
                    let theirs = pieces(other);
                    if !mine.iter().all(|a| theirs.iter().all(|b| disjoint(a, b))) {
                        overlap = true;
                    }
                }
            }
        }
    }
    let exp_base = (branching && (overlap || !adt_only || chosen.ranked)).then_some(u128::from(k));
    let log = halving_chain(
        c,
        &measure,
        branching || chosen.ranked || chosen.inner.is_some(),
        shift,
    );
    Shape {
        mu,
        measure,
        adt_only,
        branching,
        exp_base,
        inner: chosen.inner,
        ranked: chosen.ranked.then_some(c.funcs.len() as u128),
        lex_acts: BTreeMap::new(),
        step: 1,
        shift,
        fanout: 1,
        log,
    }
}

/// The parameter of a halving chain (see [`Shape::log`]), if the cycle is one.
fn halving_chain(c: &Cyc<'_>, measure: &Measure, complex: bool, shift: u128) -> Option<u16> {
    let [f] = c.funcs else { return None };
    if complex || shift != 0 || c.sites.is_empty() {
        return None;
    }
    let set = measure.get(f)?;
    let [j] = set.iter().copied().collect::<Vec<_>>()[..] else {
        return None;
    };
    if c.param_ty(*f, j) != Ty::Int {
        return None;
    }
    let halves = c.sites.iter().all(|(_, site)| {
        site.callee == *f
            && site
                .args
                .get(j)
                .is_some_and(|a| a.halving && a.origin as usize == j && strict_at(a))
    });
    halves.then(|| u16::try_from(j).ok()).flatten()
}

/// `p ⊖ q`: `p - q` if `q <= p` coefficient-wise, else `p`.
pub(super) fn minus(p: &Poly, q: &Poly) -> Poly {
    if !q.le(p) {
        return p.clone();
    }
    let mut r = p.clone();
    for (m, &c) in &q.terms {
        if let Some(x) = r.terms.get_mut(m) {
            *x -= c;
            if *x == 0 {
                r.terms.remove(m);
            }
        }
    }
    r
}

pub(super) fn minus_one(p: &Poly) -> Poly {
    minus(p, &Poly::constant(1))
}

impl Shape {
    /// `log2(n + 1) + 1` activations of a halving chain whose measure `mu`
    /// is its parameter `n` itself: the calls happen at values `x_0 >= 1`,
    /// `x_1 <= x_0 / 2`, ..., all `>= 1`, so there are at most
    /// `⌊log2 x_0⌋ + 1 <= ⌈log2(x_0 + 1)⌉` of them.
    pub(super) fn log_acts(&self, mu: &Bound) -> Option<Bound> {
        let v = self.log?;
        if *mu != Bound::var(v) {
            return None;
        }
        let mut p = Poly::constant(1);
        p.add_term(crate::bound::expr::Mono::log(v), 1);
        Some(Bound::from_polys(vec![p]))
    }

    /// Activations of the cycle on the call stack at once from entry `f`:
    /// each call makes the measure drop, so a chain is as long as the
    /// activations of a single path, whatever the branching.
    pub(super) fn depth(&self, f: u32) -> Bound {
        let mu = self.mu.get(&f).cloned().unwrap_or_else(Bound::top);
        if let Some(log) = self.log_acts(&mu) {
            return log;
        }
        if self.inner.is_some() {
            return self.lex_acts.get(&f).cloned().unwrap_or_else(Bound::top);
        }
        match self.ranked {
            Some(n) => mu.add_const(1).scale(n),
            None if self.adt_only => mu,
            None => mu.add_const(1),
        }
    }

    /// Activations from an entry with measure `mu`.
    pub(super) fn activations(&self, mu: &Bound) -> Bound {
        if let Some(log) = self.log_acts(mu) {
            return log;
        }
        if let Some(n) = self.ranked {
            // Measure N·μ + rank < N·(μ + 1).
            return match self.exp_base {
                Some(k) => {
                    let kn = crate::bound::expr::sat_pow(k, n);
                    mu.exp(kn).scale(kn)
                }
                None => mu.add_const(1).scale(n),
            };
        }
        match self.exp_base {
            Some(k) => mu.exp(k).scale(k),
            None if self.adt_only => mu.clone(),
            None => mu.add_const(1),
        }
    }
}
