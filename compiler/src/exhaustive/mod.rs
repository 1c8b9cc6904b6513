//! Match exhaustiveness and arm reachability, by pattern usefulness.
//!
//! This module implements the algorithm of Luc Maranget, *Warnings for pattern
//! matching* (JFP 2007). It knows nothing about Tally's syntax tree or types:
//! the type checker lowers each pattern to a [`Pattern`] and describes its
//! types through the [`Cx`] trait. Lowering:
//!
//! * bindings and `_` become [`Pattern::Wild`];
//! * `[]` is `Nil` and `[p, ..q]` is `Cons(p, q)` ([`Pattern::list`] builds
//!   them; [`print_cons`] prints list witnesses back in list syntax);
//! * tuples, structs and `()` use [`Constructor::Single`], with one field per
//!   element or declared field, in declaration order (a struct pattern with
//!   `..` gets `Wild` for every field it does not name);
//! * `true`, `-5`, `#"00ff"` are [`Constructor::Bool`], [`Constructor::Int`],
//!   [`Constructor::Bytes`], without fields.
//!
//! # Usefulness
//!
//! A *pattern matrix* `P` has one row per arm and one column per value being
//! matched; a *pattern vector* `q` has one entry per column. `q` is **useful**
//! with respect to `P`, written `U(P, q)`, when some value matched by `q` is
//! matched by no row of `P`. Then:
//!
//! * arm `i` is unreachable iff `U(arms[0..i], arms[i])` is false, and
//! * the match is exhaustive iff `U(arms, _)` is false; when it is true, the
//!   values that make it true are the *witnesses* printed in the error.
//!
//! `U` is computed by recursion on the first column, whose type is `T`:
//!
//! * **No columns.** `U(P, ())` is true iff `P` has no rows.
//! * **`q` starts with a constructor `c`.** Compute `U(S(c, P), S(c, q))`.
//!   The *specialisation* `S(c, P)` keeps the rows whose head is `c(r1..rk)` as
//!   `r1..rk` followed by the rest of the row, keeps the rows whose head is `_`
//!   as `k` wildcards followed by the rest, and drops the rows headed by
//!   another constructor. (`k` is the arity of `c`.)
//! * **`q` starts with `_`.** Let `Σ` be the set of constructors heading rows
//!   of `P`.
//!   * If `Σ` is *complete* (it holds every constructor of `T`), `q` is useful
//!     iff `U(S(c, P), S(c, q))` holds for some `c` in `Σ`.
//!   * Otherwise compute `U(D(P), tail(q))`. The *default matrix* `D(P)` keeps
//!     only the rows headed by `_`, without their head: a value headed by a
//!     constructor missing from `Σ` is matched only by those rows.
//!
//! Int and Bytes literals never form a complete set ([`ConstructorSet::Infinite`]),
//! so matching on them needs a wildcard arm. A type with no constructors at
//! all (`Variants(0)`) is complete with the empty `Σ`: such a type has no
//! values, and a match on it with no arms is exhaustive.
//!
//! # Witnesses
//!
//! Each recursive call returns the witnesses of its own columns (vectors of
//! patterns); the caller rebuilds them on the way out:
//!
//! * after `S(c, ·)`, the first `k` patterns of each witness become the fields
//!   of `c`;
//! * after `D(·)`, a head is put in front: `_` when `Σ` is empty (no
//!   constructor is mentioned, so any value will do), `c(_, .., _)` for each
//!   constructor `c` missing from `Σ`, and `_` for literals (no single literal
//!   is interesting).
//!
//! So sub-positions where every constructor is missing print as `_`, and a
//! report says `Some(_)`, not `Some(Leaf)` and `Some(Node(..))` separately.
//!
//! `U(D(P), tail(q))` decides usefulness exactly, but its witnesses only
//! start with missing constructors. When more than one witness is wanted
//! (exhaustiveness collects up to [`MAX_WITNESSES`]) and the default matrix
//! found some, the constructors present in `Σ` are explored next, as in the
//! complete case. So `match (a, b) { (true, true) => .. }` reports
//! `(false, _)` and `(true, false)`. (If `D(P)` has no witness, no `S(c, P)`
//! has one: each holds the rows of `D(P)` behind wildcards.)
//!
//! The search stops as soon as it has enough witnesses. Their order is
//! deterministic: missing constructors before present ones, each in
//! declaration order (`false` before `true`).
//!
//! ## Worked example
//!
//! ```text
//! match o {          // o: Option<Int>, enum Option<T> { None, Some(T) }
//!   None => 0,
//! }
//! ```
//!
//! Exhaustiveness asks `U(P, q)` with `P = [[None]]` and `q = [_]`.
//! `q` starts with `_`; `Σ = {None}` is not complete (`Some` is missing), so
//! the algorithm computes `U(D(P), [])`. `D(P)` is empty (the only row is
//! headed by a constructor), and an empty matrix with no columns makes `U`
//! true with the single, empty witness `[]`. On the way out, `D` puts the
//! missing constructor in front, applied to wildcards: `[Some(_)]`. The report
//! is `missing: ["Some(_)"]`, and the type checker says "pattern `Some(_)` not
//! covered".
//!
//! Adding the arm `Some(n) => n` makes `Σ = {None, Some}` complete:
//! `S(None, P)` holds the empty row `[]` so `U(S(None, P), [])` is false, and
//! `S(Some, P) = [[_]]` (the binding `n` is a wildcard) against `[_]`: `Σ` is
//! empty, `D(S(Some, P))` holds one empty row, so that is false too. The match
//! is exhaustive.
//!
//! # Robustness
//!
//! The engine never panics and never recurses in Rust: it runs on an explicit
//! stack of frames (`engine.rs`), and witnesses are flat prefix-order node
//! lists printed with a stack (`witness.rs`), so a very long list pattern is
//! as safe as a short one. Malformed input is treated as a wildcard, documented on
//! [`Pattern`]. Each analysis of a `match` has a work budget
//! ([`DEFAULT_BUDGET`]); an adversarial match that exhausts it is answered
//! conservatively (see [`check_match`]).

mod engine;
mod list;
mod witness;

#[cfg(test)]
mod tests;

use engine::{Engine, OutOfBudget, WILD};
pub use list::{CONS, NIL, print_cons};

/// How many missing witnesses a [`MatchReport`] lists at most.
pub const MAX_WITNESSES: usize = 3;

/// The work budget of one [`check_match`] or [`is_irrefutable`] call, counted
/// in matrix rows visited. Ordinary matches use a few hundred at most.
pub const DEFAULT_BUDGET: u64 = 1_000_000;

/// A constructor of a type, as the exhaustiveness checker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constructor {
    /// An enum variant, by its index in declaration order.
    Variant(u32),
    /// A Bool literal.
    Bool(bool),
    /// An Int literal.
    Int(i128),
    /// A Bytes literal.
    Bytes(Vec<u8>),
    /// The one constructor of tuples, structs and unit.
    Single,
}

/// All constructors of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConstructorSet {
    /// An enum with this many variants (`Variant(0)` .. `Variant(n - 1)`).
    Variants(u32),
    /// `Bool(false)` and `Bool(true)`.
    Bool,
    /// Tuples, structs and unit: one constructor, [`Constructor::Single`].
    Single,
    /// Int and Bytes: literals never cover the type. Also the right answer
    /// for types no constructor pattern can match, so that only a wildcard
    /// covers them: type parameters, function types, and types that failed to
    /// check.
    Infinite,
}

/// A pattern, lowered by the caller from the syntax tree (bindings and `_` are
/// [`Pattern::Wild`]).
///
/// **Malformed patterns are wildcards.** A `Ctor` whose constructor does not
/// belong to the type at its position (a kind that does not match
/// [`Cx::constructors`], or a `Variant` index out of range) or whose number of
/// fields differs from [`Cx::field_types`] is treated exactly like `Wild`,
/// fields and all. The type checker has reported the error already; reading
/// the pattern as `_` adds no spurious "non-exhaustive" error, at worst a
/// spurious "unreachable arm" warning after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Matches every value: `_` and bindings.
    Wild,
    /// A constructor applied to one sub-pattern per field.
    Ctor {
        /// The constructor.
        ctor: Constructor,
        /// One pattern per field of `ctor`, in declaration order.
        fields: Vec<Pattern>,
    },
}

impl Pattern {
    /// A constructor pattern without fields (`None`, `true`, `5`, `()`).
    pub fn leaf(ctor: Constructor) -> Pattern {
        Pattern::Ctor {
            ctor,
            fields: Vec::new(),
        }
    }
}

/// What the checker needs to know about types; implemented by the type checker.
pub trait Cx {
    /// A type, as the type checker represents it (fully resolved).
    type Ty: Clone;
    /// All constructors of `ty`.
    fn constructors(&self, ty: &Self::Ty) -> ConstructorSet;
    /// The field types of `ctor` at type `ty` (type arguments substituted),
    /// in declaration order. Only called with a constructor that belongs to
    /// `constructors(ty)`; empty for literals.
    fn field_types(&self, ty: &Self::Ty, ctor: &Constructor) -> Vec<Self::Ty>;
    /// Prints a witness pattern `ctor(fields..)` of type `ty`, whose fields are
    /// already printed (`_` for wildcards). Lets the caller show `[]`,
    /// `[_, ..]`, `(a, b)` and `Point { x: _, y: _ }` in source syntax.
    /// Called with constructors of every kind, literals included (`(0, false)`
    /// is a witness of `match p { (0, true) => .., (1, _) => .. }`).
    fn print_ctor(&self, ty: &Self::Ty, ctor: &Constructor, fields: &[String]) -> String;
}

/// The verdict on one `match`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MatchReport {
    /// Indices of arms that match nothing new (ascending).
    pub unreachable_arms: Vec<usize>,
    /// Printed witnesses of unmatched values, at most [`MAX_WITNESSES`], in a
    /// deterministic order; empty iff the match is exhaustive.
    pub missing: Vec<String>,
}

/// The analysis ran out of its work budget (see [`analyse_match`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TooComplex;

/// Checks one `match` on a value of type `scrutinee_ty` with these arms.
///
/// If exhaustiveness cannot be decided within [`DEFAULT_BUDGET`] (which takes
/// deliberately adversarial patterns), the answer is conservative: `missing`
/// is `["_"]`, so the program is rejected rather than accepted unchecked. Use
/// [`analyse_match`] to tell that case apart and say so in the diagnostic.
pub fn check_match<C: Cx>(cx: &C, scrutinee_ty: &C::Ty, arms: &[Pattern]) -> MatchReport {
    analyse_match(cx, scrutinee_ty, arms, DEFAULT_BUDGET).unwrap_or_else(|TooComplex| MatchReport {
        unreachable_arms: Vec::new(),
        missing: vec!["_".to_string()],
    })
}

/// Like [`check_match`] with an explicit work budget (matrix rows visited),
/// reporting [`TooComplex`] when exhaustiveness cannot be decided within it.
///
/// Exhaustiveness (the error) and reachability (the warnings) get `budget`
/// each; if collecting [`MAX_WITNESSES`] witnesses runs out, a search for one
/// gets `budget` again. If reachability runs out, the arms decided so far are
/// reported and the rest are presumed reachable: a missing warning is
/// harmless, a wrong one is not.
pub fn analyse_match<C: Cx>(
    cx: &C,
    scrutinee_ty: &C::Ty,
    arms: &[Pattern],
    budget: u64,
) -> Result<MatchReport, TooComplex> {
    let all: Vec<&Pattern> = arms.iter().collect();
    // Looking for several witnesses explores more than deciding; if that runs
    // out of budget, one witness (or none) still decides the match.
    let missing = Engine::new(cx, budget)
        .witnesses(&all, &WILD, scrutinee_ty, MAX_WITNESSES)
        .or_else(|OutOfBudget| Engine::new(cx, budget).witnesses(&all, &WILD, scrutinee_ty, 1))
        .map_err(|OutOfBudget| TooComplex)?;
    let mut printed: Vec<String> = Vec::new();
    for w in &missing {
        let s = witness::print(cx, w);
        if !printed.contains(&s) {
            printed.push(s);
        }
    }
    let mut engine = Engine::new(cx, budget);
    let mut unreachable_arms = Vec::new();
    for (i, arm) in arms.iter().enumerate() {
        let earlier = all.get(..i).unwrap_or_default();
        match engine.witnesses(earlier, arm, scrutinee_ty, 1) {
            Ok(useful) if useful.is_empty() => unreachable_arms.push(i),
            Ok(_) => {}
            Err(OutOfBudget) => break,
        }
    }
    Ok(MatchReport {
        unreachable_arms,
        missing: printed,
    })
}

/// Whether a single pattern matches every value of the type (for `let`
/// patterns). A pattern too complex to analyse counts as refutable.
pub fn is_irrefutable<C: Cx>(cx: &C, ty: &C::Ty, pattern: &Pattern) -> bool {
    let mut engine = Engine::new(cx, DEFAULT_BUDGET);
    matches!(engine.witnesses(&[pattern], &WILD, ty, 1), Ok(w) if w.is_empty())
}

/// Printed witnesses of the values of `ty` that `pattern` does not match (at
/// most [`MAX_WITNESSES`]); empty iff the pattern is irrefutable. For the
/// "refutable pattern in `let`" diagnostic (E0403).
pub fn refuting_witnesses<C: Cx>(cx: &C, ty: &C::Ty, pattern: &Pattern) -> Vec<String> {
    check_match(cx, ty, std::slice::from_ref(pattern)).missing
}
