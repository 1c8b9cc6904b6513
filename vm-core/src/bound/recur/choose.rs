//! Choosing the measure that decreases on every call of a cycle.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cyc, Measure, NONE, disjoint, strict_at};
use crate::bound::NoBound;
use crate::bound::pass::{Arg, Site};
use crate::types::Ty;

pub(super) fn fixpoint(c: &Cyc<'_>, mut p: Measure) -> Measure {
    loop {
        let mut changed = false;
        for (caller, site) in &c.sites {
            let mut keep: Vec<usize> = p.get(&site.callee).into_iter().flatten().copied().collect();
            // On a conflict keep the argument that stays in its own position
            // (`f(.., xs', ..)` for parameter `xs`) first.
            keep.sort_by_key(|&j| {
                let own = site.callee == *caller
                    && site.args.get(j).is_some_and(|a| a.origin as usize == j);
                (!own, j)
            });
            let mut used: Vec<&Arg> = Vec::new();
            for j in keep {
                let ok = site.args.get(j).is_some_and(|a| {
                    a.taint.is_none()
                        && a.origin != NONE
                        && p.get(caller)
                            .is_some_and(|s| s.contains(&(a.origin as usize)))
                        && used.iter().all(|u| disjoint(u, a))
                });
                if ok {
                    if let Some(a) = site.args.get(j) {
                        used.push(a);
                    }
                } else if let Some(s) = p.get_mut(&site.callee) {
                    s.remove(&j);
                    changed = true;
                }
            }
        }
        if !changed {
            return p;
        }
    }
}

pub(super) fn valid(c: &Cyc<'_>, p: &Measure) -> Option<usize> {
    c.sites.iter().position(|(_, site)| {
        !p.get(&site.callee)
            .into_iter()
            .flatten()
            .any(|&j| site.args.get(j).is_some_and(strict_at))
    })
}

/// The measure: a sum of parameters, or a lexicographic pair (calls that do
/// not descend on the outer sum descend on the inner one).
pub(super) struct Chosen {
    pub(super) outer: Measure,
    pub(super) inner: Option<Measure>,
    /// Some calls only do not increase the measure (`f(xs)` calling
    /// `g(xs)`); they form no cycle, so a chain has at most `N` of them
    /// per unit of measure, `N` = functions in the cycle.
    pub(super) ranked: bool,
}

/// True if the calls of `c` that do not descend on `p` form no cycle.
pub(super) fn non_strict_acyclic(c: &Cyc<'_>, p: &Measure) -> bool {
    let mut succ: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (caller, site) in &c.sites {
        let strict = p
            .get(&site.callee)
            .into_iter()
            .flatten()
            .any(|&j| site.args.get(j).is_some_and(strict_at));
        if !strict {
            succ.entry(*caller).or_default().insert(site.callee);
        }
    }
    // Kahn: repeatedly remove functions with no remaining non-strict callee.
    let mut left: BTreeSet<u32> = c.funcs.iter().copied().collect();
    loop {
        let sinks: Vec<u32> = left
            .iter()
            .copied()
            .filter(|f| {
                succ.get(f)
                    .is_none_or(|s| s.iter().all(|g| !left.contains(g)))
            })
            .collect();
        if sinks.is_empty() {
            return left.is_empty();
        }
        for f in sinks {
            left.remove(&f);
        }
    }
}

pub(super) fn choose_measure(c: &Cyc<'_>) -> Result<Chosen, NoBound> {
    match try_sum(c) {
        Ok(p) => Ok(Chosen {
            outer: p,
            inner: None,
            ranked: false,
        }),
        Err((p0, p1, bad)) => {
            for p in [&p0, &p1] {
                if p.values().any(|s| !s.is_empty()) && non_strict_acyclic(c, p) {
                    return Ok(Chosen {
                        outer: p.clone(),
                        inner: None,
                        ranked: true,
                    });
                }
            }
            // Lexicographic: the calls that do not descend on `p0` (but do not
            // grow it) must descend on a measure of their own.
            let linear = c
                .passes
                .values()
                .flat_map(|p| &p.ends)
                .all(|e| e.ncalls <= 1);
            if linear && p0.values().any(|s| !s.is_empty()) {
                let rest: Vec<(u32, &Site)> = c
                    .sites
                    .iter()
                    .filter(|(_, site)| {
                        valid(
                            &Cyc {
                                sites: vec![(0, site)],
                                ..*c
                            },
                            &p0,
                        )
                        .is_some()
                    })
                    .copied()
                    .collect();
                let sub = Cyc { sites: rest, ..*c };
                if let Ok(inner) = try_sum(&sub) {
                    return Ok(Chosen {
                        outer: p0,
                        inner: Some(inner),
                        ranked: false,
                    });
                }
            }
            Err(explain(c, bad))
        }
    }
}

/// A sum measure decreasing on every call, or the best candidate and the
/// index of a call it fails on.
pub(super) fn try_sum(c: &Cyc<'_>) -> Result<Measure, (Measure, Measure, usize)> {
    let mut all: Measure = BTreeMap::new();
    let mut useful: Measure = BTreeMap::new();
    for &f in c.funcs {
        let s: BTreeSet<usize> = (0..c.np(f))
            .filter(|&j| matches!(c.param_ty(f, j), Ty::Adt(_) | Ty::Int))
            .collect();
        all.insert(f, s);
        useful.insert(f, BTreeSet::new());
    }
    for (_, site) in &c.sites {
        for (j, a) in site.args.iter().enumerate() {
            if strict_at(a) && a.taint.is_none() {
                useful.entry(site.callee).or_default().insert(j);
            }
        }
    }
    let small: Measure = all
        .iter()
        .map(|(f, s)| {
            let u = useful.get(f).cloned().unwrap_or_default();
            (*f, s.intersection(&u).copied().collect())
        })
        .collect();
    // One parameter, for a single function: a data structure first (its
    // size is usually the smaller bound: `nth(xs, n)` costs at most `|xs|`).
    if let [f] = c.funcs {
        let mut singles: Vec<usize> = all.get(f).into_iter().flatten().copied().collect();
        singles.sort_by_key(|&j| (c.param_ty(*f, j) == Ty::Int, j));
        for j in singles {
            let one: Measure = [(*f, [j].into_iter().collect())].into_iter().collect();
            let p = fixpoint(c, one);
            if valid(c, &p).is_none() {
                return Ok(p);
            }
        }
    }
    let p0 = fixpoint(c, small);
    if valid(c, &p0).is_none() {
        return Ok(p0);
    }
    let p1 = fixpoint(c, all);
    let Some(bad) = valid(c, &p1) else {
        return Ok(p1);
    };
    Err((p0, p1, bad))
}

pub(super) fn explain(c: &Cyc<'_>, bad: usize) -> NoBound {
    let mut useful: Measure = BTreeMap::new();
    for (_, site) in &c.sites {
        for (j, a) in site.args.iter().enumerate() {
            if strict_at(a) && a.taint.is_none() {
                useful.entry(site.callee).or_default().insert(j);
            }
        }
    }
    // Explain: a recursive result fed into a position that descends elsewhere.
    for (caller, site) in &c.sites {
        for (j, a) in site.args.iter().enumerate() {
            if let Some(from) = a.taint
                && useful.get(&site.callee).is_some_and(|u| u.contains(&j))
            {
                let mut e = c.fail(
                    *caller,
                    site,
                    format!(
                        "argument {j} of this call to `{}` is computed from the result of the \
                         recursive call at instruction {from}, and the recursion descends on \
                         that argument elsewhere: the number of calls then depends on values \
                         the recursion itself produces (as in Ackermann's function), so no \
                         closed-form bound exists",
                        c.name(site.callee)
                    ),
                );
                e.feeding = Some(from);
                e.feeds_measure = true;
                return e;
            }
        }
    }
    let Some((caller, site)) = c.sites.get(bad).copied() else {
        return NoBound {
            func: c.funcs.first().copied().unwrap_or(0),
            name: String::new(),
            pc: 0,
            callee: String::new(),
            message: "no decreasing measure".into(),
            feeding: None,
            feeds_measure: false,
        };
    };
    c.fail(
        caller,
        site,
        format!(
            "no sum of parameter measures decreases on every call of the cycle through `{}`: \
             this call does not pass a strictly smaller piece of a parameter that every other \
             call also descends on (lexicographic descent has no bound in this version)",
            c.name(site.callee)
        ),
    )
}
