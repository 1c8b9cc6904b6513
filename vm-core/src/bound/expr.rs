//! The bound language: closed-form expressions over parameter measures.
//!
//! Normal form: a [`Bound`] is the `max` of at most [`MAX_POLYS`] polynomials
//! ([`Poly`]) with non-negative integer coefficients; a monomial ([`Mono`])
//! is a product of measure variables raised to positive powers, of
//! exponentials `b^x` with a constant base `b >= 2` and of logarithms
//! `log2(x + 1)` (the bit length of `x`, `⌈log2(x + 1)⌉`) raised to
//! positive powers. Every expression is
//! monotone in every variable, so substituting upper bounds for variables
//! gives an upper bound. Coefficients saturate at `u128::MAX`, which stands
//! for "too large to represent" (printed `∞`) and exceeds every limit.

use std::collections::BTreeMap;

/// At most this many polynomials under one `max`; more are merged into
/// their coefficient-wise maximum (a sound over-approximation).
pub const MAX_POLYS: usize = 6;

/// Saturation value: a coefficient this large means "unbounded in practice".
pub const SATURATED: u128 = u128::MAX;

/// A polynomial with more terms than this is replaced by `∞` (keeps the
/// analysis linear in the module size; sound, since `∞` bounds everything).
pub const MAX_TERMS: usize = 64;

thread_local! {
    /// Elementary steps left for bound arithmetic in the current analysis.
    static BUDGET: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
}

/// Sets the number of elementary steps (term products and comparisons)
/// bound arithmetic may take on this thread; once they are spent, every
/// further result is `∞`. The analysis sets it in proportion to the module
/// size, which keeps it linear-time on any input.
pub(crate) fn set_budget(steps: u64) {
    BUDGET.with(|b| b.set(steps));
}

/// Charges `n` steps; true if the budget is exhausted.
fn over_budget(n: u64) -> bool {
    BUDGET.with(|b| {
        let left = b.get();
        b.set(left.saturating_sub(n));
        left < n
    })
}

/// A monomial: `Π vars[i].0 ^ vars[i].1 · Π exps[i].1 ^ exps[i].0 ·
/// Π log2(logs[i].0 + 1) ^ logs[i].1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mono {
    /// `(variable, degree >= 1)`, strictly increasing by variable.
    pub vars: Vec<(u16, u32)>,
    /// `(variable, base >= 2)`, strictly increasing by variable: `base^variable`.
    pub exps: Vec<(u16, u128)>,
    /// `(variable, degree >= 1)`, strictly increasing by variable:
    /// `log2(variable + 1)^degree`, where `log2(x + 1)` is [`bit_length`]`(x)`.
    pub logs: Vec<(u16, u32)>,
}

/// `⌈log2(x + 1)⌉` for an integer `x >= 0`: the number of bits of `x`
/// (0 for 0, 1 for 1, 2 for 2 and 3, 3 for 4 to 7, ...).
pub fn bit_length(x: u128) -> u128 {
    u128::from(128 - x.leading_zeros())
}

impl Mono {
    /// The constant monomial `1`.
    pub fn one() -> Mono {
        Mono::default()
    }

    /// True for the constant monomial.
    pub fn is_const(&self) -> bool {
        self.vars.is_empty() && self.exps.is_empty() && self.logs.is_empty()
    }

    /// True if the monomial mentions variable `v`.
    pub fn mentions(&self, v: u16) -> bool {
        self.vars.iter().any(|x| x.0 == v)
            || self.exps.iter().any(|x| x.0 == v)
            || self.logs.iter().any(|x| x.0 == v)
    }

    /// Every variable the monomial mentions (in its powers, exponentials and
    /// logarithms), possibly repeated.
    pub fn variables(&self) -> impl Iterator<Item = u16> + '_ {
        self.vars
            .iter()
            .map(|x| x.0)
            .chain(self.exps.iter().map(|x| x.0))
            .chain(self.logs.iter().map(|x| x.0))
    }

    /// The monomial `log2(x_v + 1)`.
    pub fn log(v: u16) -> Mono {
        Mono {
            logs: vec![(v, 1)],
            ..Mono::default()
        }
    }

    fn mul(&self, o: &Mono) -> Mono {
        let mut vars: BTreeMap<u16, u32> = self.vars.iter().copied().collect();
        for &(v, d) in &o.vars {
            let e = vars.entry(v).or_insert(0);
            *e = e.saturating_add(d);
        }
        let mut exps: BTreeMap<u16, u128> = self.exps.iter().copied().collect();
        for &(v, b) in &o.exps {
            let e = exps.entry(v).or_insert(1);
            *e = e.saturating_mul(b);
        }
        let mut logs: BTreeMap<u16, u32> = self.logs.iter().copied().collect();
        for &(v, d) in &o.logs {
            let e = logs.entry(v).or_insert(0);
            *e = e.saturating_add(d);
        }
        Mono {
            vars: vars.into_iter().collect(),
            exps: exps.into_iter().collect(),
            logs: logs.into_iter().collect(),
        }
    }

    /// Degree used for ordering terms when printing (exponentials first,
    /// then by polynomial degree, then by logarithmic degree).
    fn weight(&self) -> (usize, u32, u32) {
        (
            self.exps.len(),
            self.vars.iter().map(|v| v.1).sum(),
            self.logs.iter().map(|v| v.1).sum(),
        )
    }
}

/// A polynomial: monomial → coefficient (every coefficient `>= 1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Poly {
    /// The terms.
    pub terms: BTreeMap<Mono, u128>,
}

impl Poly {
    /// The constant polynomial `c`.
    pub fn constant(c: u128) -> Poly {
        let mut p = Poly::default();
        p.add_term(Mono::one(), c);
        p
    }

    /// The polynomial `x_v`.
    pub fn var(v: u16) -> Poly {
        let mut p = Poly::default();
        p.add_term(
            Mono {
                vars: vec![(v, 1)],
                ..Mono::default()
            },
            1,
        );
        p
    }

    /// Adds `c · m`.
    pub fn add_term(&mut self, m: Mono, c: u128) {
        if c == 0 {
            return;
        }
        let e = self.terms.entry(m).or_insert(0);
        *e = e.saturating_add(c);
    }

    /// The constant term.
    pub fn constant_term(&self) -> u128 {
        self.terms.get(&Mono::one()).copied().unwrap_or(0)
    }

    fn add(&self, o: &Poly) -> Poly {
        let mut p = self.clone();
        for (m, &c) in &o.terms {
            p.add_term(m.clone(), c);
        }
        p
    }

    fn mul(&self, o: &Poly) -> Poly {
        if over_budget((self.terms.len() * o.terms.len()) as u64) {
            return Poly::constant(SATURATED);
        }
        let mut p = Poly::default();
        for (m1, &c1) in &self.terms {
            for (m2, &c2) in &o.terms {
                p.add_term(m1.mul(m2), c1.saturating_mul(c2));
            }
        }
        p
    }

    /// True if `self <= o` coefficient-wise (hence pointwise).
    pub fn le(&self, o: &Poly) -> bool {
        self.terms
            .iter()
            .all(|(m, c)| o.terms.get(m).is_some_and(|d| d >= c))
    }

    fn cw_max(&self, o: &Poly) -> Poly {
        let mut p = self.clone();
        for (m, &c) in &o.terms {
            let e = p.terms.entry(m.clone()).or_insert(0);
            *e = (*e).max(c);
        }
        p
    }

    /// True if any term is saturated.
    pub fn is_saturated(&self) -> bool {
        self.terms.values().any(|&c| c == SATURATED)
    }

    /// Evaluates on concrete measures (saturating).
    pub fn eval(&self, x: &[u128]) -> u128 {
        let mut total: u128 = 0;
        for (m, &c) in &self.terms {
            let mut t = c;
            for &(v, d) in &m.vars {
                let xv = x.get(v as usize).copied().unwrap_or(SATURATED);
                t = t.saturating_mul(sat_pow(xv, u128::from(d)));
            }
            for &(v, b) in &m.exps {
                let xv = x.get(v as usize).copied().unwrap_or(SATURATED);
                t = t.saturating_mul(sat_pow(b, xv));
            }
            for &(v, d) in &m.logs {
                let xv = x.get(v as usize).copied().unwrap_or(SATURATED);
                let l = if xv == SATURATED {
                    SATURATED
                } else {
                    bit_length(xv)
                };
                t = t.saturating_mul(sat_pow(l, u128::from(d)));
            }
            total = total.saturating_add(t);
        }
        total
    }
}

/// `b^e`, saturating, in O(log e) steps.
pub fn sat_pow(mut b: u128, mut e: u128) -> u128 {
    let mut r: u128 = 1;
    while e > 0 {
        if b <= 1 {
            return if b == 0 { 0 } else { r };
        }
        if e & 1 == 1 {
            r = r.saturating_mul(b);
        }
        e >>= 1;
        if e > 0 {
            b = b.saturating_mul(b);
        }
        if r == SATURATED {
            return r;
        }
    }
    r
}

/// A bound: the maximum of its polynomials (`0` if there are none).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bound {
    /// The polynomials, in canonical order, none dominated by another.
    pub polys: Polys,
}

/// The polynomials of a [`Bound`], shared: the analysis copies the bounds
/// of every register at every branch, and a copy is a reference count.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Polys(std::sync::Arc<Vec<Poly>>);

impl std::ops::Deref for Polys {
    type Target = [Poly];
    fn deref(&self) -> &[Poly] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Polys {
    type Item = &'a Poly;
    type IntoIter = std::slice::Iter<'a, Poly>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<Poly>> for Polys {
    fn from(v: Vec<Poly>) -> Polys {
        Polys(std::sync::Arc::new(v))
    }
}

impl std::fmt::Debug for Polys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Bound {
    /// The bound `0`.
    pub fn zero() -> Bound {
        Bound::default()
    }

    /// The constant `c`.
    pub fn constant(c: u128) -> Bound {
        Bound::from_polys(vec![Poly::constant(c)])
    }

    /// The saturated bound `∞`. Built directly: [`Bound::from_polys`]
    /// returns it when the budget is spent, so building it through
    /// `from_polys` would recurse without end. It charges what building it
    /// through `from_polys` charges.
    pub fn top() -> Bound {
        over_budget(2);
        Bound::saturated()
    }

    /// `∞`, uncharged.
    fn saturated() -> Bound {
        Bound {
            polys: vec![Poly::constant(SATURATED)].into(),
        }
    }

    /// The measure of variable `v`.
    pub fn var(v: u16) -> Bound {
        Bound::from_polys(vec![Poly::var(v)])
    }

    /// `log2(x_v + 1)`, the bit length of variable `v`.
    pub fn log_var(v: u16) -> Bound {
        let mut p = Poly::default();
        p.add_term(Mono::log(v), 1);
        Bound::from_polys(vec![p])
    }

    /// An upper bound on `log2(self + 1)` (the bit length of any value the
    /// bound allows), by the rules of `lang-spec/bounds.md` §3: for each
    /// polynomial, the sum over its terms of: `bitlen(c)` for a constant
    /// `c`; for `c·Π x^d·Π b^y·Π log2(z + 1)^e`,
    /// `clog2(c) + Σ d·log2(x + 1) + Σ (clog2(b)·y + 1) + Σ e·log2(z + 1)`
    /// with `clog2(c) = ⌈log2 c⌉ = bitlen(c − 1)`; the `max` of these over
    /// the polynomials.
    pub fn log2(&self) -> Bound {
        if self.is_saturated() {
            return Bound::top();
        }
        let one = Mono::one();
        let mut out = Vec::new();
        for p in &self.polys {
            let mut q = Poly::default();
            for (m, &c) in &p.terms {
                if m.is_const() {
                    q.add_term(one.clone(), bit_length(c));
                    continue;
                }
                q.add_term(one.clone(), bit_length(c.saturating_sub(1)));
                for &(v, d) in m.vars.iter().chain(&m.logs) {
                    q.add_term(Mono::log(v), u128::from(d));
                }
                for &(v, b) in &m.exps {
                    q.add_term(
                        Mono {
                            vars: vec![(v, 1)],
                            ..Mono::default()
                        },
                        bit_length(b.saturating_sub(1)),
                    );
                    q.add_term(one.clone(), 1);
                }
            }
            out.push(q);
        }
        Bound::from_polys(out)
    }

    /// Builds the normal form of `max(polys)`.
    pub fn from_polys(polys: Vec<Poly>) -> Bound {
        let n: u64 = polys.iter().map(|p| p.terms.len() as u64 + 1).sum();
        if over_budget(n.saturating_mul(polys.len() as u64)) {
            return Bound::top();
        }
        let mut ps: Vec<Poly> = polys
            .into_iter()
            .filter(|p| !p.terms.is_empty())
            .map(|p| {
                if p.terms.len() > MAX_TERMS || p.is_saturated() {
                    Poly::constant(SATURATED)
                } else {
                    p
                }
            })
            .collect();
        if ps.iter().any(Poly::is_saturated) {
            return Bound::saturated();
        }
        ps.sort();
        ps.dedup();
        // Drop dominated polynomials.
        let dominated: Vec<bool> = ps
            .iter()
            .enumerate()
            .map(|(i, p)| {
                ps.iter()
                    .enumerate()
                    .any(|(j, q)| i != j && p.le(q) && (!q.le(p) || j < i))
            })
            .collect();
        let mut keep: Vec<Poly> = ps
            .into_iter()
            .zip(dominated)
            .filter_map(|(p, d)| (!d).then_some(p))
            .collect();
        if keep.len() > MAX_POLYS {
            let merged = keep
                .iter()
                .skip(1)
                .fold(keep[0].clone(), |acc, p| acc.cw_max(p));
            keep = vec![merged];
        }
        Bound { polys: keep.into() }
    }

    /// True for the bound `0`.
    pub fn is_zero(&self) -> bool {
        self.polys.is_empty()
    }

    /// True if some polynomial has a saturated coefficient.
    pub fn is_saturated(&self) -> bool {
        self.polys.iter().any(Poly::is_saturated)
    }

    /// `self + o`.
    pub fn add(&self, o: &Bound) -> Bound {
        if self.is_zero() {
            return o.clone();
        }
        if o.is_zero() {
            return self.clone();
        }
        let mut v = Vec::new();
        for p in &self.polys {
            for q in &o.polys {
                v.push(p.add(q));
            }
        }
        Bound::from_polys(v)
    }

    /// `self + c` (see [`Bound::add_const_in_place`]).
    pub fn add_const(&self, c: u128) -> Bound {
        let mut b = self.clone();
        b.add_const_in_place(c);
        b
    }

    /// `self + c`: [`Bound::add`] of a constant, without its general
    /// normalisation, in place (the analysis adds every instruction's gas
    /// this way), with the same result and the same budget charges. Adding
    /// `c` to every polynomial's constant term keeps which of them dominate
    /// which, so only the order and the limits need checking.
    pub fn add_const_in_place(&mut self, c: u128) {
        if c == SATURATED {
            *self = self.add(&Bound::constant(c));
            return;
        }
        // What `Bound::constant(c)` charges (once the budget is spent,
        // further charges change nothing).
        if over_budget(if c == 0 { 1 } else { 2 }) {
            *self = Bound::saturated();
            return;
        }
        if c == 0 {
            return;
        }
        if self.is_zero() {
            self.polys = vec![Poly::constant(c)].into();
            return;
        }
        // What `from_polys` charges for the sums.
        let one = Mono::one();
        let n: u64 = self
            .polys
            .iter()
            .map(|p| p.terms.len() as u64 + u64::from(!p.terms.contains_key(&one)) + 1)
            .sum();
        if over_budget(n.saturating_mul(self.polys.len() as u64)) {
            *self = Bound::saturated();
            return;
        }
        let ps = std::sync::Arc::make_mut(&mut self.polys.0);
        for p in ps.iter_mut() {
            p.add_term(Mono::one(), c);
        }
        if ps
            .iter()
            .any(|p| p.terms.len() > MAX_TERMS || p.is_saturated())
        {
            *self = Bound::saturated();
            return;
        }
        ps.sort();
    }

    /// `self · o`.
    pub fn mul(&self, o: &Bound) -> Bound {
        let mut v = Vec::new();
        for p in &self.polys {
            for q in &o.polys {
                v.push(p.mul(q));
            }
        }
        Bound::from_polys(v)
    }

    /// `c · self`.
    pub fn scale(&self, c: u128) -> Bound {
        self.mul(&Bound::constant(c))
    }

    /// `Some(R)` if `self = x_v + R` with `R` not mentioning `x_v`: every
    /// polynomial has the term `1·x_v` and no other term mentions `v`, and
    /// `R` is the `max` of the rests.
    pub fn split_var(&self, v: u16) -> Option<Bound> {
        let term = Mono {
            vars: vec![(v, 1)],
            ..Mono::default()
        };
        if self.is_saturated() || self.polys.is_empty() {
            return None;
        }
        let mut rests = Vec::new();
        for p in self.polys.iter() {
            if p.terms.get(&term) != Some(&1) {
                return None;
            }
            let mut rest = p.clone();
            rest.terms.remove(&term);
            if rest.terms.keys().any(|m| m.mentions(v)) {
                return None;
            }
            rests.push(rest);
        }
        Some(Bound::from_polys(rests))
    }

    /// An upper bound on `max(0, self − Σ x_v)` over `vars`, each
    /// `(v, least)` with `x_v ≥ least`: in each polynomial, the coefficient
    /// of `x_v` lowered by one if it has one, else the constant term lowered
    /// by `least` (both down to zero). A saturated bound stays saturated.
    pub fn minus_vars(&self, vars: &[(u16, u128)]) -> Bound {
        if self.is_saturated() {
            return self.clone();
        }
        let polys = self
            .polys
            .iter()
            .map(|p| {
                let mut p = p.clone();
                for &(v, least) in vars {
                    let m = Mono {
                        vars: vec![(v, 1)],
                        ..Mono::default()
                    };
                    let (m, by) = if p.terms.contains_key(&m) {
                        (m, 1)
                    } else {
                        (Mono::one(), least)
                    };
                    if let Some(c) = p.terms.get_mut(&m) {
                        *c = c.saturating_sub(by);
                        if *c == 0 {
                            p.terms.remove(&m);
                        }
                    }
                }
                p
            })
            .collect();
        Bound::from_polys(polys)
    }

    /// `max(self, o)`.
    pub fn join(&self, o: &Bound) -> Bound {
        if self == o {
            // What `from_polys` charges for both lists, then its result.
            let n: u64 = 2 * self
                .polys
                .iter()
                .map(|p| p.terms.len() as u64 + 1)
                .sum::<u64>();
            if over_budget(n.saturating_mul(2 * self.polys.len() as u64)) {
                return Bound::saturated();
            }
            return self.clone();
        }
        let mut v = self.polys.to_vec();
        v.extend(o.polys.iter().cloned());
        Bound::from_polys(v)
    }

    /// True if some monomial mentions variable `v`.
    pub fn mentions(&self, v: u16) -> bool {
        self.polys
            .iter()
            .any(|p| p.terms.keys().any(|m| m.mentions(v)))
    }

    /// True if some monomial has an exponential factor.
    pub fn has_exp(&self) -> bool {
        self.polys
            .iter()
            .any(|p| p.terms.keys().any(|m| !m.exps.is_empty()))
    }

    /// Every variable mentioned, increasing.
    pub fn vars(&self) -> Vec<u16> {
        let mut out: Vec<u16> = self
            .polys
            .iter()
            .flat_map(|p| p.terms.keys())
            .flat_map(Mono::variables)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// `b^self` for a constant base `b >= 2`. Exponents that are not sums of
    /// constants and `c·x` give `∞`.
    pub fn exp(&self, base: u128) -> Bound {
        let mut out = Vec::new();
        for p in &self.polys {
            let mut acc = Poly::constant(1);
            for (m, &c) in &p.terms {
                let factor = if m.is_const() {
                    Poly::constant(sat_pow(base, c))
                } else if let ([(v, 1)], [], []) =
                    (m.vars.as_slice(), m.exps.as_slice(), m.logs.as_slice())
                {
                    let mut q = Poly::default();
                    q.add_term(
                        Mono {
                            exps: vec![(*v, sat_pow(base, c))],
                            ..Mono::default()
                        },
                        1,
                    );
                    q
                } else {
                    Poly::constant(SATURATED)
                };
                acc = acc.mul(&factor);
            }
            out.push(acc);
        }
        if out.is_empty() {
            out.push(Poly::constant(1));
        }
        Bound::from_polys(out)
    }

    /// Replaces variable `v` by `args[v]` (variables past `args` by `∞`).
    pub fn subst(&self, args: &[Bound]) -> Bound {
        self.subst_with(&|v| args.get(v as usize).cloned().unwrap_or_else(Bound::top))
    }

    /// Replaces every variable `v` by `f(v)`.
    pub fn subst_with(&self, f: &dyn Fn(u16) -> Bound) -> Bound {
        let mut out = Bound::zero();
        for p in &self.polys {
            let mut sum = Bound::zero();
            for (m, &c) in &p.terms {
                let mut t = Bound::constant(c);
                for &(v, d) in &m.vars {
                    let a = f(v);
                    if d > 64 {
                        t = Bound::top();
                    } else {
                        for _ in 0..d {
                            t = t.mul(&a);
                        }
                    }
                }
                for &(v, b) in &m.exps {
                    t = t.mul(&f(v).exp(b));
                }
                for &(v, d) in &m.logs {
                    let l = f(v).log2();
                    if d > 64 {
                        t = Bound::top();
                    } else {
                        for _ in 0..d {
                            t = t.mul(&l);
                        }
                    }
                }
                sum = sum.add(&t);
            }
            out = out.join(&sum);
        }
        out
    }

    /// Evaluates on concrete measures (saturating).
    pub fn eval(&self, x: &[u128]) -> u128 {
        self.polys.iter().map(|p| p.eval(x)).max().unwrap_or(0)
    }

    /// Prints the bound for people, naming variable `v` by `name(v)`.
    pub fn render(&self, name: &dyn Fn(u16) -> String) -> String {
        let parts: Vec<String> = self.polys.iter().map(|p| render_poly(p, name)).collect();
        match parts.len() {
            0 => "0".into(),
            1 => parts[0].clone(),
            _ => format!("max({})", parts.join(", ")),
        }
    }
}

fn superscript(d: u32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    d.to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

fn render_poly(p: &Poly, name: &dyn Fn(u16) -> String) -> String {
    if p.is_saturated() {
        return "∞".into();
    }
    let mut terms: Vec<(&Mono, u128)> = p.terms.iter().map(|(m, &c)| (m, c)).collect();
    terms.sort_by(|a, b| b.0.weight().cmp(&a.0.weight()).then(a.0.cmp(b.0)));
    let mut out = Vec::new();
    for (m, c) in terms {
        let mut factors: Vec<String> = Vec::new();
        for &(v, b) in &m.exps {
            factors.push(format!("{b}^{}", name(v)));
        }
        for &(v, d) in &m.vars {
            factors.push(if d == 1 {
                name(v)
            } else {
                format!("{}{}", name(v), superscript(d))
            });
        }
        for &(v, d) in &m.logs {
            let l = format!("log2({} + 1)", name(v));
            factors.push(if d == 1 {
                l
            } else {
                format!("{l}{}", superscript(d))
            });
        }
        out.push(match (c, factors.is_empty()) {
            (_, true) => c.to_string(),
            (1, false) => factors.join("·"),
            _ => format!("{c}·{}", factors.join("·")),
        });
    }
    if out.is_empty() {
        "0".into()
    } else {
        out.join(" + ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(b: &Bound) -> String {
        b.render(&|v| format!("x{v}"))
    }

    #[test]
    fn arithmetic_normalises() {
        let x = Bound::var(0);
        let b = x.scale(7).add_const(4);
        assert_eq!(show(&b), "7·x0 + 4");
        let sq = x.mul(&x).scale(6).add(&x.scale(11)).add_const(3);
        assert_eq!(show(&sq), "6·x0² + 11·x0 + 3");
        assert_eq!(show(&x.join(&x.add_const(1))), "x0 + 1");
        assert_eq!(show(&x.join(&Bound::constant(5))), "max(5, x0)");
        assert_eq!(show(&x.exp(2).scale(3).add_const(1)), "3·2^x0 + 1");
        assert_eq!(show(&Bound::top()), "∞");
        assert_eq!(show(&Bound::zero()), "0");
    }

    #[test]
    fn substitution_and_eval() {
        let x = Bound::var(0);
        let y = Bound::var(1);
        let b = x.mul(&y).add(&x.exp(2));
        let s = b.subst(&[y.add_const(1), Bound::constant(3)]);
        assert_eq!(show(&s), "2·2^x1 + 3·x1 + 3");
        assert_eq!(s.eval(&[0, 4]), 2 * 16 + 12 + 3);
        assert_eq!(Bound::top().eval(&[]), SATURATED);
        assert_eq!(x.exp(2).eval(&[200]), SATURATED);
    }

    #[test]
    fn logarithms_print_evaluate_and_substitute() {
        let (x, y) = (Bound::var(0), Bound::var(1));
        let b = Bound::log_var(0).mul(&y.add_const(2)).add_const(3);
        assert_eq!(show(&b), "x1·log2(x0 + 1) + 2·log2(x0 + 1) + 3");
        // x0 = 5: bit length 3.
        assert_eq!(b.eval(&[5, 4]), 3 * 6 + 3);
        assert_eq!(Bound::log_var(0).eval(&[0]), 0);
        assert_eq!(Bound::log_var(0).eval(&[u128::MAX - 1]), 128);
        assert_eq!(Bound::log_var(0).eval(&[]), SATURATED);
        // log2((x0 + x1 + 3) + 1) <= log2(x0 + 1) + log2(x1 + 1) + bitlen(3).
        let s = Bound::log_var(0).subst(&[x.add(&y).add_const(3)]);
        assert_eq!(show(&s), "log2(x0 + 1) + log2(x1 + 1) + 2");
        // log2(6·x0²·2^x1 + 1) <= 3 + 2·log2(x0 + 1) + x1 + 1.
        let big = x.mul(&x).mul(&y.exp(2)).scale(6);
        assert_eq!(show(&big.log2()), "x1 + 2·log2(x0 + 1) + 4");
        assert_eq!(show(&Bound::zero().log2()), "0");
        assert!(Bound::top().log2().is_saturated());
        // Soundness of the rules on a grid.
        for a in 0..40u128 {
            for c in 0..40u128 {
                let v = 6 * a * a * (1u128 << c.min(60));
                assert!(bit_length(v) <= big.log2().eval(&[a, c.min(60)]));
                let w = a + c + 3;
                assert!(bit_length(w) <= s.eval(&[a, c]));
            }
        }
    }

    #[test]
    fn an_exhausted_budget_gives_infinity() {
        set_budget(3);
        let x = Bound::var(0);
        assert!(!x.is_saturated());
        assert!(x.add_const(5).is_saturated());
        assert!(Bound::constant(1).is_saturated());
        assert!(Bound::top().is_saturated());
        set_budget(u64::MAX);
    }

    /// The budget left on this thread.
    fn left() -> u64 {
        BUDGET.with(|b| b.get())
    }

    /// Bounds of several shapes: zero, constants, variables, sums,
    /// products, exponentials, maxima, a polynomial at the term limit
    /// without a constant term, and infinity.
    fn shapes() -> Vec<Bound> {
        let (x, y) = (Bound::var(0), Bound::var(1));
        let wide = Bound::from_polys(vec![Poly {
            terms: (0..MAX_TERMS as u32)
                .map(|d| {
                    let m = Mono {
                        vars: vec![(0, d + 1)],
                        ..Mono::default()
                    };
                    (m, 1)
                })
                .collect(),
        }]);
        vec![
            Bound::zero(),
            Bound::constant(7),
            x.clone(),
            x.mul(&x).scale(3).add(&y),
            x.exp(2).add_const(4),
            x.join(&y.scale(2)).join(&Bound::constant(9)),
            wide,
            Bound::constant(SATURATED - 3),
            Bound::top(),
        ]
    }

    #[test]
    fn fast_paths_match_the_general_arithmetic_and_its_charges() {
        for b in shapes() {
            for c in [0, 1, 5, SATURATED] {
                for budget in [u64::MAX, 0, 1, 2, 3, 10, 200] {
                    set_budget(budget);
                    let general = b.add(&Bound::constant(c));
                    let charged = left();
                    set_budget(budget);
                    let fast = b.add_const(c);
                    assert_eq!((fast, left()), (general, charged), "{b:?} + {c}, {budget}");
                }
            }
            for budget in [u64::MAX, 0, 1, 5, 100] {
                set_budget(budget);
                let mut v = b.polys.to_vec();
                v.extend(b.polys.iter().cloned());
                let general = Bound::from_polys(v);
                let charged = left();
                set_budget(budget);
                let fast = b.join(&b);
                assert_eq!((fast, left()), (general, charged), "{b:?} joined, {budget}");
            }
        }
        set_budget(u64::MAX);
    }
}
