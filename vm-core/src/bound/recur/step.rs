//! How much measure one step of a recursion chain consumes at least.
//!
//! A chain that passes on the tail of a list of pairs consumes, per step,
//! the cons cell and the pair cell (at least 2 units of `|xs|`), so it has
//! at most `|xs| / 2` steps. Knowing this halves the bound of a ledger walk.

use super::Cyc;
use super::shape::Shape;
use crate::bound::expr::{Bound, Poly, SATURATED};
use crate::types::Ty;

/// Rounds of the least-fixpoint iteration for minimal measures (any round
/// gives lower bounds, which is all that is needed).
const ROUNDS: usize = 8;

/// A lower bound on the measure of every value of each ADT (`|[]| = 1`).
fn min_measures(c: &Cyc<'_>) -> Vec<u128> {
    let adts = &c.m.adts;
    let mut mm = vec![0u128; adts.len()];
    let of = |mm: &[u128], t: Ty| match t {
        Ty::Adt(i) => mm.get(i as usize).copied().unwrap_or(0),
        _ => 0,
    };
    for _ in 0..ROUNDS {
        let next: Vec<u128> = adts
            .iter()
            .map(|a| {
                a.variants
                    .iter()
                    .map(|v| {
                        v.fields
                            .iter()
                            .fold(1u128, |s, f| s.saturating_add(of(&mm, f.ty)))
                    })
                    .min()
                    .unwrap_or(1)
            })
            .collect();
        if next == mm {
            break;
        }
        mm = next;
    }
    mm
}

/// The least measure consumed by one step of a single-function chain that
/// descends on one ADT parameter (1 when unknown).
pub(super) fn consumption(c: &Cyc<'_>, sh: &Shape) -> u128 {
    let [f] = c.funcs else { return 1 };
    if sh.branching || sh.inner.is_some() || sh.ranked.is_some() || sh.exp_base.is_some() {
        return 1;
    }
    let Some(measured) = sh.measure.get(f) else {
        return 1;
    };
    let [p] = measured.iter().copied().collect::<Vec<_>>()[..] else {
        return 1;
    };
    let Ty::Adt(root) = c.param_ty(*f, p) else {
        return 1;
    };
    let mm = min_measures(c);
    let mut k = u128::MAX;
    for (_, site) in &c.sites {
        let Some(a) = site.args.get(p) else { return 1 };
        let Some(path) = a.path.as_ref().filter(|_| a.origin as usize == p) else {
            return 1;
        };
        if path.is_empty() {
            return 1;
        }
        // Walk the path: each level consumes its cell and the least
        // measure of the fields it does not descend into.
        let mut ty = Some(root);
        let mut used: u128 = 0;
        for &i in path {
            let Some(t) = ty else {
                used += 1;
                continue;
            };
            let variants: Vec<_> =
                c.m.adts
                    .get(t as usize)
                    .map(|a| {
                        a.variants
                            .iter()
                            .filter(|v| v.fields.len() > i as usize)
                            .collect()
                    })
                    .unwrap_or_default();
            let level = variants
                .iter()
                .map(|v| {
                    v.fields
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i as usize)
                        .fold(1u128, |s, (_, fd)| match fd.ty {
                            Ty::Adt(x) => {
                                s.saturating_add(mm.get(x as usize).copied().unwrap_or(0))
                            }
                            _ => s,
                        })
                })
                .min()
                .unwrap_or(1);
            used = used.saturating_add(level);
            let next: Vec<Ty> = variants.iter().map(|v| v.fields[i as usize].ty).collect();
            ty = match next.as_slice() {
                [Ty::Adt(x), rest @ ..] if rest.iter().all(|t| *t == Ty::Adt(*x)) => Some(*x),
                _ => None,
            };
        }
        k = k.min(used);
    }
    if k == u128::MAX { 1 } else { k.max(1) }
}

/// `ceil(p / k)` coefficient-wise (an upper bound on `p / k`).
pub(super) fn ceil_div(b: &Bound, k: u128) -> Bound {
    if k <= 1 {
        return b.clone();
    }
    Bound::from_polys(
        b.polys
            .iter()
            .map(|p| {
                let mut q = Poly::default();
                for (m, &c) in &p.terms {
                    // A saturated coefficient stands for ∞ and stays so.
                    let c = if c == SATURATED { c } else { c.div_ceil(k) };
                    q.add_term(m.clone(), c);
                }
                q
            })
            .collect(),
    )
}
