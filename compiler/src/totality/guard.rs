//! Which `Int` parameters a condition bounds from below.
//!
//! `n - 1` is smaller than `n` in a well-founded sense only where `n` is
//! bounded from below: below the bound, `n - 1` could go on forever. A
//! condition bounds a parameter when it compares an `Int` value `n + c` (`c`
//! a constant offset, see [`IntValue`]) with an integer literal, in the
//! direction that holds where the code runs: `n > k` and `n >= k` where the
//! condition is true, `n <= k` and `n < k` where it is false (either way
//! round: `k < n` is `n > k`). `&&`, `||` and `!` combine facts where that is
//! sound. `n == k` and `n != k` are not bounds (`lang-spec/totality.md`), but
//! [`equality_test`] recognises them to explain why a descent is rejected.

use std::collections::BTreeMap;

use crate::syntax::ast::{BinOp, ExprId, ExprKind, Module, UnOp};

/// An `Int` value known to equal parameter `param` plus `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntValue {
    /// The index of the `Int` parameter.
    pub param: usize,
    /// The constant added to it.
    pub offset: i128,
}

/// The value of an integer literal, possibly negated (`-1`).
pub fn literal(module: &Module, expr: ExprId) -> Option<i128> {
    match &module.exprs.get(expr.index())?.kind {
        ExprKind::Int(k) => Some(*k),
        ExprKind::Unary {
            op: UnOp::Neg,
            operand,
        } => literal(module, *operand)?.checked_neg(),
        _ => None,
    }
}

/// The parameters bounded from below wherever `cond` evaluates to `truth`,
/// each with its lower bound (`p >= k`). `int_value` says which expressions
/// are `Int` parameters plus a constant.
pub fn lower_bounds(
    module: &Module,
    cond: ExprId,
    truth: bool,
    int_value: &dyn Fn(ExprId) -> Option<IntValue>,
    lower: &dyn Fn(ExprId) -> Option<i128>,
) -> BTreeMap<usize, i128> {
    let Some(expr) = module.exprs.get(cond.index()) else {
        return BTreeMap::new();
    };
    match &expr.kind {
        ExprKind::Unary {
            op: UnOp::Not,
            operand,
        } => lower_bounds(module, *operand, !truth, int_value, lower),
        ExprKind::Binary { op, lhs, rhs, .. } => match op {
            // Both sides hold: every fact of either side holds.
            BinOp::And if truth => union(module, *lhs, *rhs, truth, int_value, lower),
            BinOp::Or if !truth => union(module, *lhs, *rhs, truth, int_value, lower),
            // One side holds, but which one is unknown: only shared facts
            // hold, with the weaker bound.
            BinOp::And | BinOp::Or => {
                let left = lower_bounds(module, *lhs, truth, int_value, lower);
                let right = lower_bounds(module, *rhs, truth, int_value, lower);
                left.into_iter()
                    .filter_map(|(p, k)| Some((p, k.min(*right.get(&p)?))))
                    .collect()
            }
            _ => comparison(module, *op, *lhs, *rhs, truth, int_value, lower)
                .into_iter()
                .collect(),
        },
        ExprKind::Block { lets, tail } if lets.is_empty() => {
            lower_bounds(module, *tail, truth, int_value, lower)
        }
        _ => BTreeMap::new(),
    }
}

/// The facts of both operands (the stronger bound where both bound a parameter).
fn union(
    module: &Module,
    lhs: ExprId,
    rhs: ExprId,
    truth: bool,
    int_value: &dyn Fn(ExprId) -> Option<IntValue>,
    lower: &dyn Fn(ExprId) -> Option<i128>,
) -> BTreeMap<usize, i128> {
    let mut facts = lower_bounds(module, lhs, truth, int_value, lower);
    for (p, k) in lower_bounds(module, rhs, truth, int_value, lower) {
        let slot = facts.entry(p).or_insert(k);
        *slot = (*slot).max(k);
    }
    facts
}

/// The parameter bounded by `lhs op rhs` evaluating to `truth`, and its
/// lower bound, if any. The other side is an integer literal, or (where the
/// parameter's side is the larger) any value with a known lower bound
/// (`lower`): `!(n < m)` with `m >= 1` gives `n >= 1`.
fn comparison(
    module: &Module,
    op: BinOp,
    lhs: ExprId,
    rhs: ExprId,
    truth: bool,
    int_value: &dyn Fn(ExprId) -> Option<IntValue>,
    lower: &dyn Fn(ExprId) -> Option<i128>,
) -> Option<(usize, i128)> {
    // Put the value on the left: `k < n` is `n > k`.
    let mirrored = match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    };
    let sides = [(lhs, rhs, op), (rhs, lhs, mirrored)];
    // The bound `value >= k` (or `value > k`) holds where the comparison has `truth`.
    let at_least = |op: BinOp| match (op, truth) {
        (BinOp::Gt, true) | (BinOp::Le, false) => Some(1),
        (BinOp::Ge, true) | (BinOp::Lt, false) => Some(0),
        _ => None,
    };
    sides.iter().find_map(|&(side, other, op)| {
        let value = int_value(side)?;
        let extra = at_least(op)?;
        let k = literal(module, other).or_else(|| lower(other))?;
        // `p + offset >= k + extra` is `p >= k + extra - offset`.
        Some((
            value.param,
            k.checked_add(extra)?.checked_sub(value.offset)?,
        ))
    })
}

/// A test `n == k` (where it is false) or `n != k` (where it is true): it
/// looks like the end of a count-down, but bounds nothing from below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EqualityTest {
    /// The `Int` parameter tested.
    pub param: usize,
    /// The comparison expression.
    pub test: ExprId,
    /// The operator that would make it a bound in the same branch.
    pub instead: BinOp,
}

/// The equality test that `cond` evaluating to `truth` amounts to, if any.
pub fn equality_test(
    module: &Module,
    cond: ExprId,
    truth: bool,
    int_value: &dyn Fn(ExprId) -> Option<IntValue>,
) -> Option<EqualityTest> {
    match &module.exprs.get(cond.index())?.kind {
        ExprKind::Unary {
            op: UnOp::Not,
            operand,
        } => equality_test(module, *operand, !truth, int_value),
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let (value, on_left) = match (int_value(*lhs), literal(module, *rhs)) {
                (Some(value), Some(_)) => (value, true),
                _ => {
                    literal(module, *lhs)?;
                    (int_value(*rhs)?, false)
                }
            };
            let instead = match (op, truth, on_left) {
                (BinOp::Eq, false, true) => BinOp::Le,
                (BinOp::Eq, false, false) => BinOp::Ge,
                (BinOp::Ne, true, true) => BinOp::Gt,
                (BinOp::Ne, true, false) => BinOp::Lt,
                _ => return None,
            };
            Some(EqualityTest {
                param: value.param,
                test: cond,
                instead,
            })
        }
        _ => None,
    }
}
