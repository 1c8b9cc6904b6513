//! Summing per-activation amounts over the activations of a cycle.

use std::collections::{BTreeMap, BTreeSet};

use super::Cyc;
use super::prefix;
use super::shape::{Shape, minus, minus_one};
use super::step::ceil_div;
use crate::bound::expr::{Bound, Poly, SATURATED};
use crate::bound::pass::FnPass;

/// Per-end amounts of one function: `(reached without a recursive call,
/// reached after one, amount over own variables)`.
pub(super) type Ends = Vec<(bool, bool, Bound)>;

/// The total over all activations from entry `f`, given per-function ends
/// and invariants (per function, a bound on each parameter over `f`'s variables).
pub(super) fn total(
    sh: &Shape,
    f: u32,
    ends: &BTreeMap<u32, Ends>,
    pieces: &BTreeMap<u32, Pieces>,
    inv: &BTreeMap<u32, Vec<Bound>>,
) -> Bound {
    let mu = sh.mu.get(&f).cloned().unwrap_or_else(Bound::top);
    let lex = sh.inner.is_some() || sh.ranked.is_some();
    let acts = match sh.lex_acts.get(&f) {
        Some(a) => a.clone(),
        None if sh.inner.is_some() => Bound::top(),
        None => sh.activations(&mu),
    };
    let empty = Vec::new();
    let mut call = Bound::zero();
    let mut leaf_plain = Bound::zero();
    let mut leaves: Vec<(bool, Poly)> = Vec::new();
    for (g, es) in ends {
        let i = inv.get(g).unwrap_or(&empty);
        let measured = sh.measure.get(g).cloned().unwrap_or_default();
        for (is_leaf, is_call, b) in es {
            let at = b.subst(i);
            if *is_call {
                call = call.join(&at);
            }
            if !is_leaf {
                continue;
            }
            leaf_plain = leaf_plain.join(&at);
            for p in &b.polys {
                let mut rest = Poly::default();
                let mut amort = false;
                for (m, &c) in &p.terms {
                    let is_measure = !lex
                        && c == 1
                        && m.exps.is_empty()
                        && m.logs.is_empty()
                        && matches!(m.vars.as_slice(), [(v, 1)] if measured.contains(&(*v as usize)));
                    if is_measure {
                        amort = true;
                    } else {
                        rest.add_term(m.clone(), c);
                    }
                }
                let lp = Bound::from_polys(vec![rest]).subst(i);
                for q in lp
                    .polys
                    .iter()
                    .cloned()
                    .chain(lp.is_zero().then(Poly::default))
                {
                    leaves.push((amort, q));
                }
            }
        }
    }
    if sh.branching {
        if !lex && sh.exp_base.is_none() && sh.fanout >= 2 {
            // A disjoint walk (at most μ activations, each with its own
            // cell) whose calling activations make at least m >= 2 calls:
            // with C calling and L leaf activations, C + L <= μ and
            // L >= (m − 1)·C + 1, so C·c + L·l <= μ·max(l, (c + (m − 1)·l) / m).
            let m = sh.fanout;
            let per = ceil_div(&call.add(&leaf_plain.scale(m - 1)), m);
            return acts.mul(&leaf_plain.join(&per));
        }
        // Every activation is a leaf or makes calls.
        return acts.mul(&call.join(&leaf_plain));
    }
    // Disjoint pieces of the measure, summed along the chain (taken out of
    // the per-activation amounts by `prepare`, added back here).
    let pf = pieces.get(&f).cloned().unwrap_or_default();
    let fi = inv.get(&f).unwrap_or(&empty);
    let additive = pf.additive.subst(fi);
    if lex || leaves.is_empty() || sh.log_acts(&mu).is_some() {
        // A chain: every activation but the last makes a call.
        return acts.mul(&call).add(&leaf_plain).add(&additive);
    }
    // Shared budget: the only measured parameter is the pieces' parameter.
    let joint = pf.joint.filter(|(p, _)| {
        sh.measure
            .get(&f)
            .is_some_and(|s| s.len() == 1 && s.contains(&(*p as usize)))
    });
    let calls: Vec<Poly> = if call.is_zero() {
        vec![Poly::default()]
    } else {
        call.polys.to_vec()
    };
    let k = sh.step;
    let tri = triangular(sh, f, ends, inv);
    let mut out = Bound::zero();
    for (amort, rest) in &leaves {
        let rest = Bound::from_polys(vec![rest.clone()]);
        for d in &calls {
            let d = Bound::from_polys(vec![d.clone()]);
            let cand = if k >= 2 {
                // Each step consumes w >= k units, its pieces among them:
                // d + c·(w − 1) <= w·max(c, (d + c·(k − 1)) / k).
                let (c, add) = match joint {
                    Some((_, cmax)) => (cmax, Bound::zero()),
                    None => (0, additive.clone()),
                };
                let per = ceil_div(&d.add_const(c.saturating_mul(k - 1)), k);
                let mut per_unit = mu.mul(&per).join(&mu.scale(c));
                if *amort {
                    per_unit = per_unit.join(&mu);
                }
                per_unit.add(&rest).add(&add)
            } else {
                match joint {
                    // steps·d + Σ c·|piece| (+ the measure left at the leaf)
                    // with steps + Σ |piece| (+ leaf measure) <= μ.
                    Some((_, cmax)) => {
                        let mut per_unit = mu.mul(&d).join(&mu.scale(cmax));
                        if *amort {
                            per_unit = per_unit.join(&mu);
                        }
                        per_unit.add(&rest)
                    }
                    None if *amort => {
                        // The leaf's measure is what the steps left: μ − steps.
                        let d1 = Bound::from_polys(d.polys.iter().map(minus_one).collect());
                        chain_sum(&mu, &d1, tri).add(&mu).add(&rest).add(&additive)
                    }
                    None if sh.adt_only => {
                        // At most μ − 1 steps precede the leaf (over a
                        // triangular chain, the terms without `x` are
                        // counted μ times by `chain_sum`, so μ − 1 of them
                        // is `chain_sum` minus one).
                        let once = d.polys.first().map(|dp| match tri {
                            Some(x) => without(dp, x),
                            None => dp.clone(),
                        });
                        let lp = Bound::from_polys(
                            rest.polys
                                .iter()
                                .chain(rest.is_zero().then_some(&Poly::default()))
                                .map(|q| once.as_ref().map_or(q.clone(), |dp| minus(q, dp)))
                                .collect(),
                        );
                        chain_sum(&mu, &d, tri).add(&lp).add(&additive)
                    }
                    None => chain_sum(&mu, &d, tri).add(&rest).add(&additive),
                }
            };
            out = out.join(&cand);
        }
    }
    out
}

/// The measured parameter `x` of a chain over which per-activation amounts
/// shrink: one function, not branching, measured by one ADT parameter alone
/// (`μ = |x|`, so every call passes a proper subterm, at least one cell
/// smaller), whose invariant is `|x|` itself and which no other parameter's
/// invariant mentions. Then the `k`-th activation has `|x| − k` in place of
/// `x`, and only its own parameter brings `x` into its amounts.
fn triangular(
    sh: &Shape,
    f: u32,
    ends: &BTreeMap<u32, Ends>,
    inv: &BTreeMap<u32, Vec<Bound>>,
) -> Option<u16> {
    if sh.branching || sh.inner.is_some() || sh.ranked.is_some() || !sh.adt_only {
        return None;
    }
    if ends.len() != 1 || !ends.contains_key(&f) {
        return None;
    }
    let set = sh.measure.get(&f)?;
    let p = match set.iter().collect::<Vec<_>>().as_slice() {
        [p] => **p,
        _ => return None,
    };
    let x = u16::try_from(p).ok()?;
    let own = inv.get(&f)?;
    let xv = Bound::var(x);
    if sh.mu.get(&f) != Some(&xv) || own.get(p) != Some(&xv) {
        return None;
    }
    let others_free = own
        .iter()
        .enumerate()
        .all(|(q, b)| q == p || !b.mentions(x));
    others_free.then_some(x)
}

/// The terms of `p` that do not mention variable `x`.
fn without(p: &Poly, x: u16) -> Poly {
    let mut q = Poly::default();
    for (m, &c) in &p.terms {
        if !m.mentions(x) {
            q.add_term(m.clone(), c);
        }
    }
    q
}

/// `Σ` over the calling activations of a chain of the per-activation amount
/// `d` (invariants substituted): `μ·d`, or, over a [`triangular`] chain of
/// measured parameter `x`, `μ·d'` for the terms of `d` not linear in `x` and
/// `⌈a/2⌉·(x² + x)·r` for each term `a·x·r` (the activations see `x`,
/// `x − 1`, …, `1` at most: `a·r·x·(x + 1)/2` in all).
fn chain_sum(mu: &Bound, d: &Bound, tri: Option<u16>) -> Bound {
    let Some(x) = tri else {
        return mu.mul(d);
    };
    let polys: Vec<Poly> = if d.is_zero() {
        vec![Poly::default()]
    } else {
        d.polys.to_vec()
    };
    let xv = Bound::var(x);
    let tri_x = xv.mul(&xv).add(&xv);
    let mut out: Option<Bound> = None;
    for p in polys {
        let (mut lin, mut rest) = (Poly::default(), Poly::default());
        for (m, &c) in &p.terms {
            let linear = m.vars.iter().any(|&(v, e)| v == x && e == 1)
                && !m.exps.iter().any(|&(v, _)| v == x);
            if linear && c != SATURATED {
                let mut r = m.clone();
                r.vars.retain(|&(v, _)| v != x);
                lin.add_term(r, c.div_ceil(2));
            } else {
                rest.add_term(m.clone(), c);
            }
        }
        let b = mu
            .mul(&Bound::from_polys(vec![rest]))
            .add(&tri_x.mul(&Bound::from_polys(vec![lin])));
        out = Some(match out {
            Some(a) => a.join(&b),
            None => b,
        });
    }
    out.unwrap_or_else(Bound::zero)
}

/// Per end of function `g` (in the order of its pass's ends), the pieces
/// whose sizes sum to at most the measure along a chain: subterms of a
/// measured parameter `p` at a path unrelated to (neither a prefix nor an
/// extension of) the piece that every recursive call which may precede
/// that end passes on in position `p` (a single-function, linear cycle
/// only).
///
/// Soundness: a linear chain makes one recursive call per activation, so
/// activation `i`, ending at `e_i`, passes on `x_{i+1}`, the subterm of its
/// `x_i` at the path of one of the sites that may precede `e_i`. Each piece
/// it pays for is a subterm of `x_i` at a path unrelated to that one, so it
/// is disjoint from `x_{i+1}`, which holds every later activation's pieces:
/// pieces of distinct activations are disjoint subterms of the entry's
/// parameter, and their total measure is at most its measure. Asking this
/// per end rather than of every site lets the two branches of a tree
/// insert (`Node(insert(l), x, r)`, `Node(l, x, insert(r))`) each pay for
/// the sibling they keep.
pub(super) fn amortizable(c: &Cyc<'_>, sh: &Shape, g: u32) -> Vec<BTreeSet<usize>> {
    let Some(p) = c.passes.get(&g) else {
        return Vec::new();
    };
    if c.funcs.len() != 1
        || sh.branching
        || sh.inner.is_some()
        || sh.ranked.is_some()
        || sh.exp_base.is_some()
    {
        return vec![BTreeSet::new(); p.ends.len()];
    }
    let measured = sh.measure.get(&g).cloned().unwrap_or_default();
    let all: Vec<u32> = (0..p.sites.len() as u32).collect();
    p.ends
        .iter()
        .map(|e| {
            let before = e.sites.as_deref().unwrap_or(&all);
            (0..p.pieces.len())
                .filter(|&k| {
                    let piece = &p.pieces[k];
                    measured.contains(&(piece.param as usize))
                        && before.iter().all(|&s| {
                            p.sites.get(s as usize).is_some_and(|s| {
                                s.callee == g
                                    && s.args.get(piece.param as usize).is_some_and(|a| {
                                        a.origin == piece.param
                                            && a.path.as_ref().is_some_and(|q| {
                                                !prefix(q, &piece.path) && !prefix(&piece.path, q)
                                            })
                                    })
                            })
                        })
                })
                .collect()
        })
        .collect()
}

/// Takes the amortisable piece terms out of the ends reached only after a
/// recursive call (their sum along the chain is at most the measured
/// parameter, counted once per path with the largest coefficient) and
/// resolves every other piece to its bound over parameters.
pub(super) fn prepare(p: &FnPass, amort: &[BTreeSet<usize>], ends: Ends) -> (Ends, Pieces) {
    let mut coef: BTreeMap<(u32, Vec<u32>), u128> = BTreeMap::new();
    let mut out = Vec::new();
    let none = BTreeSet::new();
    for (i, (leaf, call, b)) in ends.into_iter().enumerate() {
        let amort = amort.get(i).unwrap_or(&none);
        if leaf || !call || amort.is_empty() {
            out.push((leaf, call, p.resolve(&b)));
            continue;
        }
        let mut polys = Vec::new();
        for poly in &b.polys {
            let mut q = Poly::default();
            for (m, &cf) in &poly.terms {
                let k = match (m.vars.as_slice(), m.exps.as_slice(), m.logs.as_slice()) {
                    ([(v, 1)], [], []) => p.piece_of(*v).filter(|k| amort.contains(k)),
                    _ => None,
                };
                match k.and_then(|k| p.pieces.get(k)) {
                    Some(piece) => {
                        let e = coef.entry((piece.param, piece.path.clone())).or_insert(0);
                        *e = (*e).max(cf);
                    }
                    None => q.add_term(m.clone(), cf),
                }
            }
            polys.push(q);
        }
        out.push((leaf, call, p.resolve(&Bound::from_polys(polys))));
    }
    let additive = coef.iter().fold(Bound::zero(), |acc, ((param, _), &cf)| {
        acc.add(&Bound::var(*param as u16).scale(cf))
    });
    // Pieces of one parameter at pairwise unrelated paths: each step
    // consumes its root cell plus its pieces, so they share one budget.
    let keys: Vec<&(u32, Vec<u32>)> = coef.keys().collect();
    let one_param = keys.windows(2).all(|w| w[0].0 == w[1].0);
    let unrelated = keys.iter().enumerate().all(|(i, a)| {
        keys.iter()
            .skip(i + 1)
            .all(|b| !prefix(&a.1, &b.1) && !prefix(&b.1, &a.1))
    });
    let joint = match keys.first() {
        Some((param, _)) if one_param && unrelated => {
            Some((*param, coef.values().copied().max().unwrap_or(0)))
        }
        _ => None,
    };
    (out, Pieces { additive, joint })
}

/// The amortised pieces of one function's ends (see [`prepare`]).
#[derive(Debug, Clone, Default)]
pub(super) struct Pieces {
    /// `Σ c·|p|` over piece paths: always sound.
    pub(super) additive: Bound,
    /// `(p, c)`: all pieces are unrelated subterms of `p`, the largest
    /// coefficient being `c`; with `p` the only measured parameter, steps
    /// and pieces share the budget `|p|`.
    pub(super) joint: Option<(u32, u128)>,
}

/// Splits an end's output into its part without recursive results; `None`
/// if a recursive result occurs other than once, linearly.
pub(super) fn strip_results(b: &Bound, np: usize, nsites: usize) -> Option<Bound> {
    let is_r = |v: u16| (np..np + nsites).contains(&(v as usize));
    let mut out = Vec::new();
    for p in &b.polys {
        let mut q = Poly::default();
        for (m, &c) in &p.terms {
            let rec = m.vars.iter().any(|x| is_r(x.0))
                || m.exps.iter().any(|x| is_r(x.0))
                || m.logs.iter().any(|x| is_r(x.0));
            if !rec {
                q.add_term(m.clone(), c);
            } else if !(c == 1
                && m.exps.is_empty()
                && m.logs.is_empty()
                && m.vars.len() == 1
                && m.vars[0].1 == 1)
            {
                return None;
            }
        }
        out.push(q);
    }
    Some(Bound::from_polys(out))
}
