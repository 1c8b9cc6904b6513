//! Conditions compiled to branches. A comparison of an `Int` with a literal
//! becomes one compare-with-immediate branch (`br.gt.i n, 0, L`), so the
//! verifier learns the lower bounds that guarded `Int` descent needs;
//! `&&`, `||` and `!` become control flow.

use vm_core::format::{Instr, Jump, Label};

use crate::syntax::ast::{BinOp, ExprId, ExprKind, UnOp};
use crate::types::Ty;

use super::diag::CgError;
use super::expr::literal;
use super::func::FnCx;

/// An `Int` comparison `x REL k` as a branch opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Rel {
    fn of(op: BinOp) -> Option<Rel> {
        Some(match op {
            BinOp::Lt => Rel::Lt,
            BinOp::Le => Rel::Le,
            BinOp::Gt => Rel::Gt,
            BinOp::Ge => Rel::Ge,
            BinOp::Eq => Rel::Eq,
            BinOp::Ne => Rel::Ne,
            _ => return None,
        })
    }

    /// The relation that holds when this one does not.
    fn negate(self) -> Rel {
        match self {
            Rel::Lt => Rel::Ge,
            Rel::Le => Rel::Gt,
            Rel::Gt => Rel::Le,
            Rel::Ge => Rel::Lt,
            Rel::Eq => Rel::Ne,
            Rel::Ne => Rel::Eq,
        }
    }

    /// `k REL x` written as `x REL' k`.
    fn mirror(self) -> Rel {
        match self {
            Rel::Lt => Rel::Gt,
            Rel::Le => Rel::Ge,
            Rel::Gt => Rel::Lt,
            Rel::Ge => Rel::Le,
            other => other,
        }
    }
}

impl FnCx<'_, '_> {
    /// Jumps to `target` when `cond` evaluates to `when`; falls through otherwise.
    pub fn branch(&mut self, cond: ExprId, when: bool, target: Label) -> Result<(), CgError> {
        let saved = self.span;
        self.span = self.span_of(cond);
        let r = self.branch_inner(cond, when, target);
        self.span = saved;
        r
    }

    fn branch_inner(&mut self, cond: ExprId, when: bool, target: Label) -> Result<(), CgError> {
        let module = self.module;
        let Some(expr) = module.exprs.get(cond.index()) else {
            return Err(self.internal("missing condition"));
        };
        match &expr.kind {
            ExprKind::Bool(v) => {
                if *v == when {
                    self.jmp(target);
                }
                Ok(())
            }
            ExprKind::Unary {
                op: UnOp::Not,
                operand,
            } => self.branch(*operand, !when, target),
            ExprKind::Block { lets, tail } if lets.is_empty() => self.branch(*tail, when, target),
            ExprKind::Binary { op, lhs, rhs, .. } => match op {
                BinOp::And | BinOp::Or => {
                    // `a && b` is true iff both are; `a || b` is false iff both are.
                    let both = (*op == BinOp::And) == when;
                    if both {
                        let skip = self.label();
                        self.branch(*lhs, !when, skip)?;
                        self.branch(*rhs, when, target)?;
                        self.bind(skip);
                    } else {
                        self.branch(*lhs, when, target)?;
                        self.branch(*rhs, when, target)?;
                    }
                    Ok(())
                }
                _ => match Rel::of(*op) {
                    Some(rel) if self.expr_ty(*lhs) == Ty::Int => {
                        self.compare(*lhs, rel, *rhs, when, target)
                    }
                    _ => self.test_value(cond, when, target),
                },
            },
            ExprKind::Call { .. } if self.branch_on_lambda(cond, when, target)? => Ok(()),
            _ => self.test_value(cond, when, target),
        }
    }

    /// Jumps on the Bool value of `cond`.
    fn test_value(&mut self, cond: ExprId, when: bool, target: Label) -> Result<(), CgError> {
        let c = self.value(cond)?;
        let ins = if when {
            Instr::BrIf { c, t: Jump(0) }
        } else {
            Instr::BrIfNot { c, t: Jump(0) }
        };
        self.emit_to(ins, &[target]);
        self.release(c);
        Ok(())
    }

    /// `n + c` or `c + n` or `n - (-c)` for a local `n` and a literal `c > 0`:
    /// the register of `n` and `c`.
    fn local_plus(&self, x: ExprId) -> Option<(vm_core::format::Reg, i64)> {
        let module = self.module;
        let ExprKind::Binary { op, lhs, rhs, .. } = &module.exprs.get(x.index())?.kind else {
            return None;
        };
        let local = |e: ExprId| match self.typed.resolution(e) {
            Some(crate::types::Resolution::Local(id))
                if matches!(
                    module.exprs.get(e.index()).map(|x| &x.kind),
                    Some(ExprKind::Path(_))
                ) =>
            {
                self.locals.get(&id).copied()
            }
            _ => None,
        };
        let lit = |e: ExprId| literal(module, e).and_then(|v| i64::try_from(v).ok());
        let (n, c) = match op {
            BinOp::Add => match (local(*lhs), lit(*rhs)) {
                (Some(n), Some(c)) => (n, c),
                _ => (local(*rhs)?, lit(*lhs)?),
            },
            BinOp::Sub => (local(*lhs)?, lit(*rhs)?.checked_neg()?),
            _ => return None,
        };
        (c > 0).then_some((n, c))
    }

    /// Jumps when the Int comparison `lhs REL rhs` is `when`.
    fn compare(
        &mut self,
        lhs: ExprId,
        rel: Rel,
        rhs: ExprId,
        when: bool,
        target: Label,
    ) -> Result<(), CgError> {
        let module = self.module;
        let imm = |x: ExprId| literal(module, x).and_then(|v| i64::try_from(v).ok());
        let rel = if when { rel } else { rel.negate() };
        let (x, rel, k) = match (imm(lhs), imm(rhs)) {
            (_, Some(k)) => (lhs, rel, Some(k)),
            (Some(k), None) => (rhs, rel.mirror(), Some(k)),
            (None, None) => (lhs, rel, None),
        };
        let t = Jump(0);
        match k {
            Some(k) => {
                let mut a = self.value(x)?;
                let mut k = k;
                // `n + c REL k` (c > 0) is tested as `n REL k - c` so that the
                // verifier sees the bound on `n`; `n + c` is still computed,
                // for its overflow trap.
                if let Some((n, c)) = self.local_plus(x)
                    && let Some(k2) = k.checked_sub(c)
                {
                    self.release(a);
                    a = n;
                    k = k2;
                }
                let ins = match rel {
                    Rel::Lt => Instr::BrLtI { a, k, t },
                    Rel::Le => Instr::BrLeI { a, k, t },
                    Rel::Gt => Instr::BrGtI { a, k, t },
                    Rel::Ge => Instr::BrGeI { a, k, t },
                    Rel::Eq => Instr::BrEqI { a, k, t },
                    Rel::Ne => Instr::BrNeI { a, k, t },
                };
                self.emit_to(ins, &[target]);
                self.release(a);
            }
            None => {
                let a = self.value(lhs)?;
                let b = self.value(rhs)?;
                let ins = match rel {
                    Rel::Lt => Instr::BrLt { a, b, t },
                    Rel::Le => Instr::BrLe { a, b, t },
                    Rel::Gt => Instr::BrLt { a: b, b: a, t },
                    Rel::Ge => Instr::BrLe { a: b, b: a, t },
                    Rel::Eq | Rel::Ne => {
                        let d = self.temp_vm(vm_core::Ty::Bool)?;
                        self.emit(Instr::Eq { d, a, b });
                        self.release(d);
                        if rel == Rel::Eq {
                            Instr::BrIf { c: d, t }
                        } else {
                            Instr::BrIfNot { c: d, t }
                        }
                    }
                };
                self.emit_to(ins, &[target]);
                self.release(a);
                self.release(b);
            }
        }
        Ok(())
    }
}
