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

use std::collections::{BTreeMap, BTreeSet};

use super::expr::{Bound, Mono, Poly};
use super::pass::{Arg, FnPass, Site};
use super::{FnBounds, NoBound};
use crate::module::Module;
use crate::types::Ty;

const NONE: u32 = u32::MAX;
/// Parameters plus recursive call sites of one function, at most.
const MAX_RESULT_VARS: usize = 60_000;
/// Argument visits of the invariant fixpoint (arguments × rounds), at most.
const MAX_CYCLE_WORK: u64 = 20_000_000;

struct Cyc<'a> {
    m: &'a Module,
    funcs: &'a [u32],
    passes: &'a BTreeMap<u32, FnPass>,
    /// `(caller, site)`.
    sites: Vec<(u32, &'a Site)>,
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
        }
    }
}

fn strict_at(a: &Arg) -> bool {
    a.strict && (a.ty != Ty::Int || a.lb.is_some())
}

fn prefix(a: &[u32], b: &[u32]) -> bool {
    a.len() <= b.len() && b[..a.len()] == *a
}

/// Two pieces of the same parameter are disjoint iff both are ADT subterms
/// at exact field paths neither of which extends the other.
fn disjoint(a: &Arg, b: &Arg) -> bool {
    if a.origin != b.origin {
        return true;
    }
    match (&a.path, &b.path, a.ty, b.ty) {
        (Some(p), Some(q), Ty::Adt(_), Ty::Adt(_)) => !prefix(p, q) && !prefix(q, p),
        _ => false,
    }
}

type Measure = BTreeMap<u32, BTreeSet<usize>>;

fn fixpoint(c: &Cyc<'_>, mut p: Measure) -> Measure {
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
                    !a.taint
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

fn valid(c: &Cyc<'_>, p: &Measure) -> Option<usize> {
    c.sites.iter().position(|(_, site)| {
        !p.get(&site.callee)
            .into_iter()
            .flatten()
            .any(|&j| site.args.get(j).is_some_and(strict_at))
    })
}

/// The measure: a sum of parameters, or a lexicographic pair (calls that do
/// not descend on the outer sum descend on the inner one).
struct Chosen {
    outer: Measure,
    inner: Option<Measure>,
    /// Some calls only do not increase the measure (`f(xs)` calling
    /// `g(xs)`); they form no cycle, so a chain has at most `N` of them
    /// per unit of measure, `N` = functions in the cycle.
    ranked: bool,
}

/// True if the calls of `c` that do not descend on `p` form no cycle.
fn non_strict_acyclic(c: &Cyc<'_>, p: &Measure) -> bool {
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

fn choose_measure(c: &Cyc<'_>) -> Result<Chosen, NoBound> {
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
fn try_sum(c: &Cyc<'_>) -> Result<Measure, (Measure, Measure, usize)> {
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
            if strict_at(a) && !a.taint {
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

fn explain(c: &Cyc<'_>, bad: usize) -> NoBound {
    let mut useful: Measure = BTreeMap::new();
    for (_, site) in &c.sites {
        for (j, a) in site.args.iter().enumerate() {
            if strict_at(a) && !a.taint {
                useful.entry(site.callee).or_default().insert(j);
            }
        }
    }
    // Explain: a recursive result fed into a position that descends elsewhere.
    for (caller, site) in &c.sites {
        for (j, a) in site.args.iter().enumerate() {
            if a.taint && useful.get(&site.callee).is_some_and(|u| u.contains(&j)) {
                return c.fail(
                    *caller,
                    site,
                    format!(
                        "argument {j} of this call to `{}` is computed from the result of a \
                         recursive call of the same cycle, and the recursion descends on that \
                         argument elsewhere: the number of calls then depends on values the \
                         recursion itself produces (as in Ackermann's function), so no \
                         closed-form bound exists",
                        c.name(site.callee)
                    ),
                );
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

/// What the activation count of the cycle looks like.
struct Shape {
    /// Sum of the measured parameters, per function, over its own variables.
    mu: BTreeMap<u32, Bound>,
    measure: Measure,
    /// Every measured parameter is an ADT (measures are then at least 1).
    adt_only: bool,
    /// More than one recursive call per path.
    branching: bool,
    /// Calls per path that may overlap: exponential.
    exp_base: Option<u128>,
    /// Lexicographic: the inner measure, and (once invariants are known)
    /// the activation bound per entry.
    inner: Option<Measure>,
    /// `Some(N)` when some calls only keep the measure (see [`Chosen`]).
    ranked: Option<u128>,
    lex_acts: BTreeMap<u32, Bound>,
    /// Added to every Int measure: `m(n) = max(n + shift, 0)`.
    shift: u128,
}

fn shape(c: &Cyc<'_>, chosen: Chosen) -> Shape {
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
    Shape {
        mu,
        measure,
        adt_only,
        branching,
        exp_base,
        inner: chosen.inner,
        ranked: chosen.ranked.then_some(c.funcs.len() as u128),
        lex_acts: BTreeMap::new(),
        shift,
    }
}

/// `p ⊖ q`: `p - q` if `q <= p` coefficient-wise, else `p`.
fn minus(p: &Poly, q: &Poly) -> Poly {
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

fn minus_one(p: &Poly) -> Poly {
    minus(p, &Poly::constant(1))
}

impl Shape {
    /// Activations from an entry with measure `mu`.
    fn activations(&self, mu: &Bound) -> Bound {
        if let Some(n) = self.ranked {
            // Measure N·μ + rank < N·(μ + 1).
            return match self.exp_base {
                Some(k) => {
                    let kn = super::expr::sat_pow(k, n);
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

/// Per-end amounts of one function: `(reached without a recursive call,
/// reached after one, amount over own variables)`.
type Ends = Vec<(bool, bool, Bound)>;

/// The total over all activations from entry `f`, given per-function ends
/// and invariants (per function, a bound on each parameter over `f`'s variables).
fn total(
    sh: &Shape,
    f: u32,
    ends: &BTreeMap<u32, Ends>,
    pieces: &BTreeMap<u32, Bound>,
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
                        && matches!(m.vars.as_slice(), [(v, 1)] if measured.contains(&(*v as usize)));
                    if is_measure {
                        amort = true;
                    } else {
                        rest.add_term(m.clone(), c);
                    }
                }
                let mut lp = Bound::from_polys(vec![rest]).subst(i);
                if amort {
                    lp = lp.add(&mu);
                }
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
        // Every activation is a leaf or makes calls.
        return acts.mul(&call.join(&leaf_plain));
    }
    if lex || leaves.is_empty() {
        // A chain: every activation but the last makes a call.
        return acts.mul(&call).add(&leaf_plain);
    }
    // Disjoint pieces of the measure, summed along the chain.
    let mut out = pieces
        .get(&f)
        .map(|p| p.subst(inv.get(&f).unwrap_or(&empty)))
        .unwrap_or_default();
    let calls: Vec<Poly> = if call.is_zero() {
        vec![Poly::default()]
    } else {
        call.polys.clone()
    };
    for (amort, lp) in &leaves {
        for d in &calls {
            let cand = if *amort {
                mu.mul(&Bound::from_polys(vec![minus_one(d)]))
                    .add(&Bound::from_polys(vec![lp.clone()]))
            } else if sh.adt_only {
                mu.mul(&Bound::from_polys(vec![d.clone()]))
                    .add(&Bound::from_polys(vec![minus(lp, d)]))
            } else {
                mu.mul(&Bound::from_polys(vec![d.clone()]))
                    .add(&Bound::from_polys(vec![lp.clone()]))
            };
            out = out.join(&cand);
        }
    }
    out
}

fn pure_copy(p: &Poly) -> Option<u16> {
    match p.terms.iter().collect::<Vec<_>>().as_slice() {
        [(m, 1)] if m.exps.is_empty() => match m.vars.as_slice() {
            [(v, 1)] => Some(*v),
            _ => None,
        },
        _ => None,
    }
}

/// Bounds on every parameter of every activation reached from entry `f`.
fn invariants(
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
            if a.taint {
                match a.ty {
                    Ty::Adt(_) | Ty::Bytes => {
                        return Err(c.fail(
                            *caller,
                            site,
                            format!(
                                "argument {j} of this call to `{}` is built from the result of a \
                                 recursive call of the same cycle, so its size can grow with \
                                 every round of the recursion and has no closed-form bound",
                                c.name(site.callee)
                            ),
                        ));
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
                        .flat_map(|m| m.vars.iter().map(|x| x.0).chain(m.exps.iter().map(|x| x.0)))
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
                        } else if let ([(v, 1)], []) = (mono.vars.as_slice(), mono.exps.as_slice())
                        {
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
    let growth = mu.mul(&delta);
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

/// Pieces of function `g` whose sizes sum to at most the measure along a
/// chain: subterms of a measured parameter `p` at a path disjoint from the
/// piece every recursive call passes on in position `p` (a single-function,
/// linear cycle only).
fn amortizable(c: &Cyc<'_>, sh: &Shape, g: u32) -> BTreeSet<usize> {
    let Some(p) = c.passes.get(&g) else {
        return BTreeSet::new();
    };
    if c.funcs.len() != 1
        || sh.branching
        || sh.inner.is_some()
        || sh.ranked.is_some()
        || sh.exp_base.is_some()
    {
        return BTreeSet::new();
    }
    let measured = sh.measure.get(&g).cloned().unwrap_or_default();
    (0..p.pieces.len())
        .filter(|&k| {
            let piece = &p.pieces[k];
            measured.contains(&(piece.param as usize))
                && p.sites.iter().all(|s| {
                    s.callee == g
                        && s.args.get(piece.param as usize).is_some_and(|a| {
                            a.origin == piece.param
                                && a.path.as_ref().is_some_and(|q| {
                                    !prefix(q, &piece.path) && !prefix(&piece.path, q)
                                })
                        })
                })
        })
        .collect()
}

/// Takes the amortisable piece terms out of the ends reached only after a
/// recursive call (their sum along the chain is at most the measured
/// parameter, counted once per path with the largest coefficient) and
/// resolves every other piece to its bound over parameters.
fn prepare(p: &FnPass, amort: &BTreeSet<usize>, ends: Ends) -> (Ends, Bound) {
    let mut coef: BTreeMap<(u32, Vec<u32>), u128> = BTreeMap::new();
    let mut out = Vec::new();
    for (leaf, call, b) in ends {
        if leaf || !call || amort.is_empty() {
            out.push((leaf, call, p.resolve(&b)));
            continue;
        }
        let mut polys = Vec::new();
        for poly in &b.polys {
            let mut q = Poly::default();
            for (m, &cf) in &poly.terms {
                let k = match (m.vars.as_slice(), m.exps.as_slice()) {
                    ([(v, 1)], []) => p.piece_of(*v).filter(|k| amort.contains(k)),
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
    let pieces = coef.iter().fold(Bound::zero(), |acc, ((param, _), &cf)| {
        acc.add(&Bound::var(*param as u16).scale(cf))
    });
    (out, pieces)
}

/// Splits an end's output into its part without recursive results; `None`
/// if a recursive result occurs other than once, linearly.
fn strip_results(b: &Bound, np: usize, nsites: usize) -> Option<Bound> {
    let is_r = |v: u16| (np..np + nsites).contains(&(v as usize));
    let mut out = Vec::new();
    for p in &b.polys {
        let mut q = Poly::default();
        for (m, &c) in &p.terms {
            let rec = m.vars.iter().any(|x| is_r(x.0)) || m.exps.iter().any(|x| is_r(x.0));
            if !rec {
                q.add_term(m.clone(), c);
            } else if !(c == 1 && m.exps.is_empty() && m.vars.len() == 1 && m.vars[0].1 == 1) {
                return None;
            }
        }
        out.push(q);
    }
    Some(Bound::from_polys(out))
}

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
    let too_big = passes
        .iter()
        .any(|(f, p)| c.np(*f) + p.sites.len() > MAX_RESULT_VARS)
        || (args as u64).saturating_mul(2 * positions as u64 + 8) > MAX_CYCLE_WORK;
    if too_big {
        let top = FnBounds {
            gas: Bound::top(),
            memory: Bound::top(),
            output: Bound::top(),
            exponential: false,
        };
        return Ok(funcs.iter().map(|&f| (f, top.clone())).collect());
    }
    let mut sh = shape(&c, chosen);
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
    let mut out_pieces: BTreeMap<u32, Bound> = BTreeMap::new();
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
                    });
                }
            };
            es.push((e.min_calls == 0, e.ncalls > 0, b));
        }
        let (es, pp) = prepare(p, &amortizable(&c, &sh, g), es);
        out_ends.insert(g, es);
        out_pieces.insert(g, pp);
    }
    let mut outs: BTreeMap<u32, Bound> = BTreeMap::new();
    for &f in funcs {
        let inv = invs.get(&f).cloned().unwrap_or_default();
        outs.insert(f, total(&sh, f, &out_ends, &out_pieces, &inv));
    }
    // Gas and memory, with each recursive result bounded by the callee's output.
    let mut gas_ends: BTreeMap<u32, Ends> = BTreeMap::new();
    let mut mem_ends: BTreeMap<u32, Ends> = BTreeMap::new();
    let mut gas_pieces: BTreeMap<u32, Bound> = BTreeMap::new();
    let mut mem_pieces: BTreeMap<u32, Bound> = BTreeMap::new();
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
    }
    let mut res = BTreeMap::new();
    for &f in funcs {
        let inv = invs.get(&f).cloned().unwrap_or_default();
        res.insert(
            f,
            FnBounds {
                gas: total(&sh, f, &gas_ends, &gas_pieces, &inv),
                memory: total(&sh, f, &mem_ends, &mem_pieces, &inv),
                output: outs.get(&f).cloned().unwrap_or_else(Bound::top),
                exponential: sh.exp_base.is_some() || geometric,
            },
        );
    }
    Ok(res)
}
