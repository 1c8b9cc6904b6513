//! Bounds on the parameters of every activation of a cycle.

use std::collections::{BTreeMap, BTreeSet};

use super::Cyc;
use super::shape::Shape;
use crate::bound::NoBound;
use crate::bound::expr::{Bound, Mono, Poly};
use crate::bound::pass::Site;
use crate::types::Ty;

pub(super) fn pure_copy(p: &Poly) -> Option<u16> {
    match p.terms.iter().collect::<Vec<_>>().as_slice() {
        [(m, 1)] if m.exps.is_empty() && m.logs.is_empty() => match m.vars.as_slice() {
            [(v, 1)] => Some(*v),
            _ => None,
        },
        _ => None,
    }
}

/// Bounds on every parameter of every activation reached from entry `f`.
pub(super) fn invariants(
    c: &Cyc<'_>,
    sh: &Shape,
    f: u32,
) -> Result<(BTreeMap<u32, Vec<Bound>>, bool), NoBound> {
    // Steps along a chain: the measure, or unknown for lexicographic descent
    // (then only non-growing arguments get finite invariants).
    let mu = match (&sh.inner, sh.ranked) {
        (Some(_), _) => Bound::top(),
        (None, Some(_)) => sh.activations(&sh.mu.get(&f).cloned().unwrap_or_else(Bound::top)),
        (None, None) => sh.mu.get(&f).cloned().unwrap_or_else(Bound::top),
    };
    let pos = |g: u32, j: usize| (g, j);
    let mut growing: BTreeSet<(u32, usize)> = BTreeSet::new();
    let mut forced_top: BTreeSet<(u32, usize)> = BTreeSet::new();
    // Argument bounds, with tainted scalars replaced by ∞.
    let mut sigma: Vec<(u32, &Site, Vec<Bound>)> = Vec::new();
    for (caller, site) in &c.sites {
        let mut v = Vec::new();
        for (j, a) in site.args.iter().enumerate() {
            if let Some(from) = a.taint {
                match a.ty {
                    Ty::Adt(_) | Ty::Bytes => {
                        let mut e = c.fail(
                            *caller,
                            site,
                            format!(
                                "argument {j} of this call to `{}` is built from the result of \
                                 the recursive call at instruction {from}, so its size can grow \
                                 with every round of the recursion and has no closed-form bound",
                                c.name(site.callee)
                            ),
                        );
                        e.feeding = Some(from);
                        return Err(e);
                    }
                    _ => {
                        forced_top.insert(pos(site.callee, j));
                        v.push(Bound::top());
                    }
                }
            } else {
                v.push(a.size.clone());
            }
        }
        sigma.push((*caller, site, v));
    }
    loop {
        let mut changed = false;
        for (caller, site, args) in &sigma {
            for (j, b) in args.iter().enumerate() {
                let target = pos(site.callee, j);
                if growing.contains(&target) {
                    continue;
                }
                let grows = b.polys.iter().any(|p| match pure_copy(p) {
                    Some(v) => growing.contains(&pos(*caller, v as usize)),
                    None => !p.terms.keys().all(Mono::is_const),
                });
                if grows {
                    growing.insert(target);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut base: BTreeMap<(u32, usize), Bound> = BTreeMap::new();
    for j in 0..c.np(f) {
        base.insert(pos(f, j), Bound::var(j as u16));
    }
    let mut delta = Bound::zero();
    // Largest sum of coefficients of growing arguments in one argument:
    // 1 for accumulators, 2 or more for geometric growth.
    let mut geo: u128 = 1;
    let positions: usize = c.funcs.iter().map(|&g| c.np(g)).sum();
    let mut converged = false;
    for _ in 0..(2 * positions + 8) {
        let mut changed = false;
        for (caller, site, args) in &sigma {
            let bc: Vec<Bound> = (0..c.np(*caller))
                .map(|i| base.get(&pos(*caller, i)).cloned().unwrap_or_default())
                .collect();
            for (j, b) in args.iter().enumerate() {
                let target = pos(site.callee, j);
                if forced_top.contains(&target) {
                    continue;
                }
                let mut add = Bound::zero();
                for p in &b.polys {
                    let grow_vars: Vec<u16> = p
                        .terms
                        .keys()
                        .flat_map(Mono::variables)
                        .filter(|&v| growing.contains(&pos(*caller, v as usize)))
                        .collect::<BTreeSet<u16>>()
                        .into_iter()
                        .collect();
                    if grow_vars.is_empty() {
                        add = add.join(&Bound::from_polys(vec![p.clone()]).subst(&bc));
                        continue;
                    }
                    // Growing variables must occur linearly: `Σ a_v·x_v + δ`.
                    let mut d = Poly::default();
                    let mut ratio: u128 = 0;
                    let mut linear = true;
                    for (mono, &cf) in &p.terms {
                        if !grow_vars.iter().any(|&v| mono.mentions(v)) {
                            d.add_term(mono.clone(), cf);
                        } else if let ([(v, 1)], [], []) = (
                            mono.vars.as_slice(),
                            mono.exps.as_slice(),
                            mono.logs.as_slice(),
                        ) {
                            ratio = ratio.saturating_add(cf);
                            add = add.join(bc.get(*v as usize).unwrap_or(&Bound::top()));
                        } else {
                            linear = false;
                        }
                    }
                    if !linear {
                        if matches!(c.param_ty(site.callee, j), Ty::Adt(_) | Ty::Bytes) {
                            return Err(c.fail(
                                *caller,
                                site,
                                format!(
                                    "argument {j} of this call to `{}` is a product of values \
                                     that grow with the recursion, so its size has no \
                                     closed-form bound",
                                    c.name(site.callee)
                                ),
                            ));
                        }
                        if forced_top.insert(target) {
                            changed = true;
                        }
                        continue;
                    }
                    let nd = delta.join(&Bound::from_polys(vec![d]).subst(&bc));
                    if nd != delta {
                        delta = nd;
                        changed = true;
                    }
                    if ratio > geo {
                        geo = ratio;
                        changed = true;
                    }
                }
                let old = base.get(&target).cloned();
                let new = old.clone().unwrap_or_default().join(&add);
                if old.as_ref() != Some(&new) {
                    base.insert(target, new);
                    changed = true;
                }
            }
        }
        if !changed {
            converged = true;
            break;
        }
    }
    // A halving chain takes only `log2(n + 1) + 1` steps, however large
    // its measure (`Shape::log_acts`): accumulators grow that many times.
    let steps = sh.log_acts(&mu).unwrap_or_else(|| mu.clone());
    let growth = steps.mul(&delta);
    let all_growing = growing
        .iter()
        .filter_map(|p| base.get(p))
        .fold(Bound::zero(), |a, b| a.join(b));
    let geometric = all_growing.add(&growth).mul(&mu.exp(geo));
    let mut inv = BTreeMap::new();
    for &g in c.funcs {
        let v: Vec<Bound> = (0..c.np(g))
            .map(|j| {
                let p = pos(g, j);
                if !converged || forced_top.contains(&p) {
                    return Bound::top();
                }
                let b = base.get(&p).cloned().unwrap_or_else(Bound::top);
                if growing.contains(&p) && geo >= 2 {
                    geometric.clone()
                } else if growing.contains(&p) {
                    b.add(&growth)
                } else {
                    b
                }
            })
            .collect();
        inv.insert(g, v);
    }
    Ok((inv, geo >= 2))
}
