//! Expressions: values into registers, and control flow into a destination
//! (a register, or the function's result in tail position).

use vm_core::format::{AdtId, Instr, Reg};

use crate::syntax::ast::{BinOp, ExprId, ExprKind, UnOp};
use crate::types::{Resolution, Ty};

use super::call::CallDest;
use super::diag::{self, CgError};
use super::func::FnCx;

/// Where the value of a control-flow expression goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    /// Returned from the function (tail position).
    Tail,
    /// Written to this register.
    Reg(Reg),
}

/// The value of an integer literal, possibly negated.
pub fn literal(module: &crate::syntax::ast::Module, e: ExprId) -> Option<i128> {
    match &module.exprs.get(e.index())?.kind {
        ExprKind::Int(k) => Some(*k),
        ExprKind::Unary {
            op: UnOp::Neg,
            operand,
        } => literal(module, *operand)?.checked_neg(),
        ExprKind::Block { lets, tail } if lets.is_empty() => literal(module, *tail),
        _ => None,
    }
}

impl FnCx<'_, '_> {
    /// Compiles `e` in tail position: its value is returned.
    pub fn tail(&mut self, e: ExprId) -> Result<(), CgError> {
        self.compile(e, Dest::Tail)
    }

    /// Compiles `e` and returns the register holding its value.
    pub fn value(&mut self, e: ExprId) -> Result<Reg, CgError> {
        self.value_hint(e, None)
    }

    /// Writes `v` to the destination.
    pub fn finish(&mut self, dest: Dest, v: Reg) {
        match dest {
            Dest::Tail => self.emit(Instr::Ret { a: v }),
            Dest::Reg(d) if d != v => {
                self.emit(Instr::Mov { d, s: v });
                self.release(v);
            }
            Dest::Reg(_) => {}
        }
    }

    /// The ADT id of a (polymorphic) Tally type in this unit.
    pub fn adt(&mut self, ty: &Ty) -> Result<AdtId, CgError> {
        match self.vm_ty(ty)? {
            vm_core::Ty::Adt(i) => Ok(AdtId(i)),
            _ => Err(self.internal(format!("`{ty}` is not a data type"))),
        }
    }

    /// Compiles `e` into `dest`.
    pub fn compile(&mut self, e: ExprId, dest: Dest) -> Result<(), CgError> {
        let saved = self.span;
        self.span = self.span_of(e);
        let r = self.compile_inner(e, dest);
        self.span = saved;
        r
    }

    fn compile_inner(&mut self, e: ExprId, dest: Dest) -> Result<(), CgError> {
        let module = self.module;
        let Some(expr) = module.exprs.get(e.index()) else {
            return Err(self.internal("missing expression"));
        };
        match &expr.kind {
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let else_l = self.label();
                self.branch(*cond, false, else_l)?;
                self.compile(*then_branch, dest)?;
                let end = self.label();
                if dest != Dest::Tail {
                    self.jmp(end);
                }
                self.bind(else_l);
                self.compile(*else_branch, dest)?;
                self.bind(end);
                Ok(())
            }
            ExprKind::Match { scrutinee, arms } => self.compile_match(*scrutinee, arms, dest),
            ExprKind::Block { lets, tail } => {
                for stmt in lets {
                    self.let_stmt(stmt)?;
                }
                self.compile(*tail, dest)
            }
            ExprKind::Binary {
                op: op @ (BinOp::And | BinOp::Or),
                lhs,
                rhs,
                ..
            } => {
                // `a && b`: false unless `a`, then `b`; `a || b`: true if `a`, else `b`.
                let short = self.label();
                let is_and = *op == BinOp::And;
                self.branch(*lhs, !is_and, short)?;
                self.compile(*rhs, dest)?;
                let end = self.label();
                if dest != Dest::Tail {
                    self.jmp(end);
                }
                self.bind(short);
                let v = self.bool(!is_and)?;
                self.finish(dest, v);
                self.bind(end);
                Ok(())
            }
            ExprKind::Call { callee, args, .. } if dest == Dest::Tail => {
                self.call(e, *callee, args, CallDest::Tail).map(|_| ())
            }
            _ => {
                let hint = match dest {
                    Dest::Reg(r) => Some(r),
                    Dest::Tail => None,
                };
                let v = self.value_hint(e, hint)?;
                self.finish(dest, v);
                Ok(())
            }
        }
    }

    /// A register for the value of `e`: `hint` if given, else a fresh one.
    fn dest_reg(&mut self, e: ExprId, hint: Option<Reg>) -> Result<Reg, CgError> {
        match hint {
            Some(r) => Ok(r),
            None => {
                let ty = self.expr_ty(e);
                self.temp(&ty)
            }
        }
    }

    /// Compiles `e`; the value ends up in `hint` when that is convenient.
    pub fn value_hint(&mut self, e: ExprId, hint: Option<Reg>) -> Result<Reg, CgError> {
        let saved = self.span;
        self.span = self.span_of(e);
        let r = self.value_inner(e, hint);
        self.span = saved;
        r
    }

    fn value_inner(&mut self, e: ExprId, hint: Option<Reg>) -> Result<Reg, CgError> {
        let module = self.module;
        let Some(expr) = module.exprs.get(e.index()) else {
            return Err(self.internal("missing expression"));
        };
        match &expr.kind {
            ExprKind::Int(v) => {
                let d = self.dest_reg(e, hint)?;
                self.int_to(d, *v);
                Ok(d)
            }
            ExprKind::Bool(v) => {
                let d = self.dest_reg(e, hint)?;
                self.emit(Instr::Bool { d, v: *v });
                Ok(d)
            }
            ExprKind::Unit => {
                let d = self.dest_reg(e, hint)?;
                self.emit(Instr::Unit { d });
                Ok(d)
            }
            ExprKind::Bytes(b) => {
                if b.len() > vm_core::format::limits::MAX_CONST_BYTES as usize {
                    return Err(diag::limit(
                        "a Bytes literal is longer than 1 MiB",
                        self.span,
                    ));
                }
                let d = self.dest_reg(e, hint)?;
                let k = self
                    .cg
                    .mb
                    .constant(vm_core::format::Const::Bytes(b.clone()));
                self.emit(Instr::Const { d, k });
                Ok(d)
            }
            ExprKind::Path(_) => match self.typed.resolution(e) {
                Some(Resolution::Local(id)) => self
                    .locals
                    .get(&id)
                    .copied()
                    .ok_or_else(|| self.internal("a local without a register")),
                Some(Resolution::Const(item)) => {
                    let Some(value) = crate::types::consts::const_value(self.db, item).cloned()
                    else {
                        return Err(self.internal("a constant without a value"));
                    };
                    let d = self.dest_reg(e, hint)?;
                    match value {
                        crate::types::consts::ConstValue::Int(v) => self.int_to(d, v),
                        crate::types::consts::ConstValue::Bool(v) => {
                            self.emit(Instr::Bool { d, v })
                        }
                        crate::types::consts::ConstValue::Bytes(b) => {
                            let k = self.cg.mb.constant(vm_core::format::Const::Bytes(b));
                            self.emit(Instr::Const { d, k });
                        }
                    }
                    Ok(d)
                }
                Some(Resolution::Ctor { variant, .. }) => {
                    let ty = self.expr_ty(e);
                    let t = self.adt(&ty)?;
                    let d = self.dest_reg(e, hint)?;
                    self.emit(Instr::Con {
                        d,
                        t,
                        v: variant,
                        fields: vec![],
                    });
                    Ok(d)
                }
                _ => Err(self.internal("a function used as a value")),
            },
            ExprKind::Tuple(items) => {
                let mut regs = Vec::with_capacity(items.len());
                for item in items {
                    regs.push(self.value(*item)?);
                }
                let ty = self.expr_ty(e);
                let t = self.adt(&ty)?;
                let d = self.dest_reg(e, hint)?;
                self.emit(Instr::Con {
                    d,
                    t,
                    v: 0,
                    fields: regs.clone(),
                });
                self.release_all(&regs);
                Ok(d)
            }
            ExprKind::List { items, tail } => self.list(e, items, *tail, hint),
            ExprKind::Call { callee, args, .. } => self
                .call(e, *callee, args, CallDest::Value(hint))?
                .ok_or_else(|| self.internal("a call without a value")),
            ExprKind::Field { base, .. } => {
                let b = self.value(*base)?;
                let Some(&i) = self.typed.field_indices.get(&e) else {
                    return Err(self.internal("a field access without a field"));
                };
                let d = self.dest_reg(e, hint)?;
                self.emit(Instr::Field { d, s: b, i });
                self.release(b);
                Ok(d)
            }
            ExprKind::StructLit { fields, base, .. } => self.struct_lit(e, fields, *base, hint),
            ExprKind::Binary { op, lhs, rhs, .. } => match op {
                BinOp::And | BinOp::Or => {
                    let d = self.dest_reg(e, hint)?;
                    self.compile_inner(e, super::expr::Dest::Reg(d))?;
                    Ok(d)
                }
                _ => self.binary(e, *op, *lhs, *rhs, hint),
            },
            ExprKind::Unary { op, operand } => {
                if *op == UnOp::Neg
                    && let Some(v) = literal(module, e)
                {
                    let d = self.dest_reg(e, hint)?;
                    self.int_to(d, v);
                    return Ok(d);
                }
                let a = self.value(*operand)?;
                let d = self.dest_reg(e, hint)?;
                match op {
                    UnOp::Neg => self.emit(Instr::Neg { d, a }),
                    UnOp::Not => self.emit(Instr::Not { d, a }),
                }
                self.release(a);
                Ok(d)
            }
            ExprKind::If { .. } | ExprKind::Match { .. } | ExprKind::Block { .. } => {
                let d = self.dest_reg(e, hint)?;
                self.compile_inner(e, Dest::Reg(d))?;
                Ok(d)
            }
            ExprKind::Fail { reason } => self.fail(e, *reason, hint),
            ExprKind::Try { operand } => self.try_value(e, *operand, hint),
            ExprKind::Lambda { .. } => Err(self.internal("a lambda outside a call argument")),
            ExprKind::Error => Err(self.internal("an erroneous expression")),
        }
    }

    fn list(
        &mut self,
        e: ExprId,
        items: &[ExprId],
        tail: Option<ExprId>,
        hint: Option<Reg>,
    ) -> Result<Reg, CgError> {
        let mut regs = Vec::with_capacity(items.len());
        for item in items {
            regs.push(self.value(*item)?);
        }
        let ty = self.expr_ty(e);
        let t = self.adt(&ty)?;
        let mut acc = match tail {
            Some(tail) => self.value(tail)?,
            None => {
                let d = if items.is_empty() {
                    self.dest_reg(e, hint)?
                } else {
                    self.temp(&ty)?
                };
                self.emit(Instr::Con {
                    d,
                    t,
                    v: 0,
                    fields: vec![],
                });
                d
            }
        };
        for (i, item) in regs.iter().enumerate().rev() {
            let d = if i == 0 {
                self.dest_reg(e, hint)?
            } else {
                self.temp(&ty)?
            };
            self.emit(Instr::Con {
                d,
                t,
                v: 1,
                fields: vec![*item, acc],
            });
            self.release(*item);
            self.release(acc);
            acc = d;
        }
        Ok(acc)
    }

    fn struct_lit(
        &mut self,
        e: ExprId,
        fields: &[crate::syntax::ast::FieldInit],
        base: Option<ExprId>,
        hint: Option<Reg>,
    ) -> Result<Reg, CgError> {
        let ty = self.expr_ty(e);
        let Ty::Adt { item, .. } = &ty else {
            return Err(self.internal("a struct literal of a non-struct type"));
        };
        let sigs = crate::types::signatures::signatures(self.db, item.file);
        let Some(sig) = sigs.strukt(item.index) else {
            return Err(self.internal("a struct literal without a struct"));
        };
        let names: Vec<String> = sig.fields.iter().map(|(n, _)| n.clone()).collect();
        let mut regs: Vec<Option<Reg>> = vec![None; names.len()];
        let mut base_reg = None;
        for init in fields {
            let r = self.value(init.value)?;
            if let Some(i) = names.iter().position(|n| *n == init.name.name)
                && let Some(slot) = regs.get_mut(i)
            {
                *slot = Some(r);
            }
        }
        if let Some(base) = base {
            let b = self.value(base)?;
            base_reg = Some(b);
            let field_tys: Vec<Ty> = sig.fields.iter().map(|(_, t)| t.clone()).collect();
            let args = match &ty {
                Ty::Adt { args, .. } => args.clone(),
                _ => vec![],
            };
            for (i, slot) in regs.iter_mut().enumerate() {
                if slot.is_none() {
                    let fty = field_tys
                        .get(i)
                        .map(|t| t.substitute(&args))
                        .unwrap_or(Ty::Unit);
                    let d = self.reg(&fty)?;
                    self.emit(Instr::Field {
                        d,
                        s: b,
                        i: i as u32,
                    });
                    *slot = Some(d);
                }
            }
        }
        let mut all = Vec::with_capacity(regs.len());
        for r in regs {
            all.push(r.ok_or_else(|| self.internal("a struct literal without a field"))?);
        }
        let t = self.adt(&ty)?;
        let d = self.dest_reg(e, hint)?;
        self.emit(Instr::Con {
            d,
            t,
            v: 0,
            fields: all.clone(),
        });
        self.release_all(&all);
        if let Some(b) = base_reg {
            self.release(b);
        }
        Ok(d)
    }

    fn binary(
        &mut self,
        e: ExprId,
        op: BinOp,
        lhs: ExprId,
        rhs: ExprId,
        hint: Option<Reg>,
    ) -> Result<Reg, CgError> {
        let module = self.module;
        let imm = |x: ExprId| literal(module, x).and_then(|v| i64::try_from(v).ok());
        // `a + k`, `k + a`, `a - k`: one `add.i` (the shape the verifier's descent check knows).
        match op {
            BinOp::Add | BinOp::Sub => {
                let k = match op {
                    BinOp::Add => imm(rhs),
                    _ => imm(rhs).and_then(i64::checked_neg),
                };
                if let Some(k) = k {
                    let a = self.value(lhs)?;
                    let d = self.dest_reg(e, hint)?;
                    self.emit(Instr::AddI { d, a, k });
                    self.release(a);
                    return Ok(d);
                }
                if op == BinOp::Add
                    && let Some(k) = imm(lhs)
                {
                    let a = self.value(rhs)?;
                    let d = self.dest_reg(e, hint)?;
                    self.emit(Instr::AddI { d, a, k });
                    self.release(a);
                    return Ok(d);
                }
            }
            _ => {}
        }
        let a = self.value(lhs)?;
        let b = self.value(rhs)?;
        let d = self.dest_reg(e, hint)?;
        let ins = match op {
            BinOp::Add => Instr::Add { d, a, b },
            BinOp::Sub => Instr::Sub { d, a, b },
            BinOp::Mul => Instr::Mul { d, a, b },
            BinOp::Div => Instr::Div { d, a, b },
            BinOp::Rem => Instr::Rem { d, a, b },
            BinOp::Eq => Instr::Eq { d, a, b },
            BinOp::Ne => Instr::Ne { d, a, b },
            BinOp::Lt => Instr::Lt { d, a, b },
            BinOp::Le => Instr::Le { d, a, b },
            BinOp::Gt => Instr::Lt { d, a: b, b: a },
            BinOp::Ge => Instr::Le { d, a: b, b: a },
            BinOp::And | BinOp::Or => return Err(self.internal("short-circuit operator")),
        };
        self.emit(ins);
        self.release(a);
        self.release(b);
        Ok(d)
    }
}
