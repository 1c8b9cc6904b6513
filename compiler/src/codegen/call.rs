//! Calls: constructors, intrinsics, function items (specialised per
//! function argument), and calls of function-typed parameters, which go
//! straight to whatever the unit binds them to.

use std::rc::Rc;

use vm_core::format::{FuncId, Instr, Jump, Reg};

use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::{Builtin, LocalKind, Resolution, Ty};

use super::diag::{self, CgError};
use super::func::FnCx;
use super::units::{Body, FnArg, UnitKey, mono};

/// How an inlined lambda body is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inline {
    /// For its value (or returned).
    Value(CallDest),
    /// As a condition: jump to `target` when it is `when`.
    Branch {
        /// The value that jumps.
        when: bool,
        /// Where to.
        target: vm_core::format::Label,
    },
}

/// Where a call's result goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallDest {
    /// Returned (a tail call where possible).
    Tail,
    /// A register (the hint, or a fresh one).
    Value(Option<Reg>),
}

impl FnCx<'_, '_> {
    /// The span new units are attributed to in diagnostics.
    fn request_origin(&self) -> crate::span::Span {
        if self.file == self.cg.root {
            self.span
        } else {
            self.origin
        }
    }

    /// Declares (or finds) the function of a unit.
    pub fn request(&mut self, key: UnitKey) -> Result<FuncId, CgError> {
        let origin = self.request_origin();
        self.cg.request(key, origin)
    }

    /// Compiles a call; returns its result register unless it was returned.
    pub fn call(
        &mut self,
        e: ExprId,
        callee: ExprId,
        args: &[ExprId],
        dest: CallDest,
    ) -> Result<Option<Reg>, CgError> {
        match self.typed.resolution(callee) {
            Some(Resolution::Ctor { variant, .. }) => {
                let mut regs = Vec::with_capacity(args.len());
                for a in args {
                    regs.push(self.value(*a)?);
                }
                let ty = self.expr_ty(e);
                let t = self.adt(&ty)?;
                let d = self.result_reg(e, dest)?;
                self.emit(Instr::Con {
                    d,
                    t,
                    v: variant,
                    fields: regs.clone(),
                });
                self.release_all(&regs);
                self.done(d, dest)
            }
            Some(Resolution::Builtin(b)) => {
                let mut regs = Vec::with_capacity(args.len());
                for a in args {
                    regs.push(self.value(*a)?);
                }
                let d = self.result_reg(e, dest)?;
                self.builtin(b, d, &regs, e)?;
                self.release_all(&regs);
                self.done(d, dest)
            }
            Some(Resolution::Fn(item)) => {
                let sigs = crate::types::signatures::signatures(self.db, item.file);
                let Some(sig) = sigs.func(item.index) else {
                    return Err(self.internal("a call of a function without a signature"));
                };
                let first_order = !sig.params.iter().any(|(_, t)| matches!(t, Ty::Fn { .. }));
                if first_order
                    && let Some((b, params)) = super::wrappers::wrapped_builtin(self.db, item)
                {
                    let mut regs = Vec::with_capacity(args.len());
                    for a in args {
                        regs.push(self.value(*a)?);
                    }
                    let Some(passed) = params
                        .iter()
                        .map(|&i| regs.get(i as usize).copied())
                        .collect::<Option<Vec<Reg>>>()
                    else {
                        return Err(self.internal("a wrapper passes a parameter it does not have"));
                    };
                    let d = self.result_reg(e, dest)?;
                    self.builtin(b, d, &passed, e)?;
                    self.release_all(&regs);
                    return self.done(d, dest);
                }
                let tys: Vec<Ty> = self
                    .typed
                    .instances
                    .get(&callee)
                    .map(|t| t.iter().map(|t| self.mono(t)).collect())
                    .unwrap_or_default();
                let mut regs = Vec::with_capacity(args.len());
                let mut fns = Vec::new();
                let mut caps = Vec::new();
                for (i, ((_, pty), a)) in sig.params.iter().zip(args).enumerate() {
                    if matches!(pty, Ty::Fn { .. }) {
                        let (arg, c) = self.fn_arg(*a)?;
                        fns.push((i as u32, arg));
                        caps.push(c);
                    } else {
                        regs.push(self.value(*a)?);
                    }
                }
                regs.extend(caps.into_iter().flatten());
                let key = UnitKey {
                    body: Body::Item(item),
                    tys,
                    fns,
                };
                let f = self.request(key)?;
                self.direct(e, f, regs, dest)
            }
            Some(Resolution::Local(id)) => {
                let index = match self.typed.local(id).map(|l| l.kind) {
                    Some(LocalKind::Param { index, .. }) => index,
                    _ => return Err(self.internal("a call of a local that is not a parameter")),
                };
                let Some(binding) = self.key.fn_arg(index).cloned() else {
                    return Err(self.internal("a call of an unbound function parameter"));
                };
                let mut regs = Vec::with_capacity(args.len());
                for a in args {
                    regs.push(self.value(*a)?);
                }
                match binding {
                    FnArg::Builtin(b) => {
                        let d = self.result_reg(e, dest)?;
                        self.builtin(b, d, &regs, e)?;
                        self.release_all(&regs);
                        self.done(d, dest)
                    }
                    FnArg::Item { item, tys } => {
                        let f = self.request(UnitKey {
                            body: Body::Item(item),
                            tys,
                            fns: vec![],
                        })?;
                        self.direct(e, f, regs, dest)
                    }
                    FnArg::Lambda(key) => {
                        self.inline_lambda(e, &key, index, regs, Inline::Value(dest))
                    }
                }
            }
            _ => Err(self.internal("a call of something that is not a function")),
        }
    }

    /// A call of function parameter `index`, bound to a lambda: the lambda's
    /// body compiled in place, its parameters bound to the arguments, its
    /// captured values and its own bindings' values taken from the registers
    /// the parameter carries (so no call and no lifted function is needed).
    fn inline_lambda(
        &mut self,
        e: ExprId,
        key: &Rc<UnitKey>,
        index: u32,
        args: Vec<Reg>,
        mode: Inline,
    ) -> Result<Option<Reg>, CgError> {
        let Body::Lambda { file, expr } = &key.body else {
            return Err(self.internal("a lambda binding without a lambda"));
        };
        let (file, expr) = (*file, *expr);
        let db = self.db;
        let module = &crate::db::parse(db, file).module;
        let typed = crate::types::infer(db, file);
        let Some(ExprKind::Lambda { body, .. }) = module.exprs.get(expr.index()).map(|x| &x.kind)
        else {
            return Err(self.internal("a lambda binding without a lambda"));
        };
        let body = *body;
        // The result register is chosen in the caller's context.
        let result = match mode {
            Inline::Value(CallDest::Value(hint)) => {
                Some(self.result_reg(e, CallDest::Value(hint))?)
            }
            _ => None,
        };
        let carried = self.captures_of(index);
        let mut locals = std::collections::BTreeMap::new();
        for (local, r) in super::units::lambda_params(typed, expr)
            .into_iter()
            .zip(&args)
        {
            // A parameter may be used several times: its register lives on.
            self.keep(*r);
            locals.insert(local, *r);
        }
        let free = super::units::free_locals(db, file, expr);
        let mut rest = carried.get(free.len()..).unwrap_or(&[]).to_vec();
        for (local, r) in free.into_iter().zip(&carried) {
            locals.insert(local, *r);
        }
        let mut captures = Vec::with_capacity(key.fns.len());
        for (i, arg) in &key.fns {
            let n = super::func::capture_types(db, arg).len().min(rest.len());
            let tail = rest.split_off(n);
            captures.push((*i, std::mem::replace(&mut rest, tail)));
        }
        // Compile the body in the lambda's context, then restore the caller's.
        let pin = (file != self.home && self.pinned.is_none()).then_some(self.span);
        let saved = (
            self.file,
            self.module,
            self.typed,
            self.key.clone(),
            std::mem::replace(&mut self.locals, locals),
            std::mem::replace(&mut self.captures, captures),
            self.pinned,
        );
        self.file = file;
        self.module = module;
        self.typed = typed;
        self.key = key.clone();
        if pin.is_some() {
            self.pinned = pin;
        }
        let outcome = match (mode, result) {
            (Inline::Branch { when, target }, _) => self.branch(body, when, target),
            (_, None) => self.tail(body),
            (_, Some(d)) => self.compile(body, super::expr::Dest::Reg(d)),
        };
        self.file = saved.0;
        self.module = saved.1;
        self.typed = saved.2;
        self.key = saved.3;
        self.locals = saved.4;
        self.captures = saved.5;
        self.pinned = saved.6;
        outcome?;
        Ok(result)
    }

    /// A condition that calls a function parameter bound to a lambda
    /// (`if keep(x)`): the lambda's body compiled as the branch itself.
    /// Returns `false` (emitting nothing) for any other condition.
    pub fn branch_on_lambda(
        &mut self,
        cond: ExprId,
        when: bool,
        target: vm_core::format::Label,
    ) -> Result<bool, CgError> {
        let Some(ExprKind::Call { callee, args, .. }) =
            self.module.exprs.get(cond.index()).map(|x| &x.kind)
        else {
            return Ok(false);
        };
        let Some(Resolution::Local(id)) = self.typed.resolution(*callee) else {
            return Ok(false);
        };
        let Some(LocalKind::Param { index, .. }) = self.typed.local(id).map(|l| l.kind) else {
            return Ok(false);
        };
        let Some(FnArg::Lambda(key)) = self.key.fn_arg(index).cloned() else {
            return Ok(false);
        };
        let mut regs = Vec::with_capacity(args.len());
        for a in args.clone() {
            regs.push(self.value(a)?);
        }
        self.inline_lambda(cond, &key, index, regs, Inline::Branch { when, target })?;
        Ok(true)
    }

    /// What a function argument binds its parameter to, and the registers
    /// of the values it carries.
    fn fn_arg(&mut self, a: ExprId) -> Result<(FnArg, Vec<Reg>), CgError> {
        let module = self.module;
        match module.exprs.get(a.index()).map(|x| &x.kind) {
            Some(ExprKind::Lambda { .. }) => {
                let key = UnitKey {
                    body: Body::Lambda {
                        file: self.file,
                        expr: a,
                    },
                    tys: self.key.tys.clone(),
                    fns: self.key.fns.clone(),
                };
                let mut regs = Vec::new();
                for local in super::units::free_locals(self.db, self.file, a) {
                    let r = self
                        .locals
                        .get(&local)
                        .copied()
                        .ok_or_else(|| self.internal("a captured local without a register"))?;
                    regs.push(r);
                }
                regs.extend(self.all_captures());
                Ok((FnArg::Lambda(Rc::new(key)), regs))
            }
            Some(ExprKind::Path(_)) => match self.typed.resolution(a) {
                Some(Resolution::Fn(item)) => {
                    let tys = self
                        .typed
                        .instances
                        .get(&a)
                        .map(|t| t.iter().map(|t| mono(t, &self.key.tys)).collect())
                        .unwrap_or_default();
                    Ok((FnArg::Item { item, tys }, vec![]))
                }
                Some(Resolution::Builtin(b)) => Ok((FnArg::Builtin(b), vec![])),
                Some(Resolution::Local(id)) => {
                    let index = match self.typed.local(id).map(|l| l.kind) {
                        Some(LocalKind::Param { index, .. }) => index,
                        _ => {
                            return Err(
                                self.internal("a function argument that is not a parameter")
                            );
                        }
                    };
                    let arg = self
                        .key
                        .fn_arg(index)
                        .cloned()
                        .ok_or_else(|| self.internal("an unbound function parameter"))?;
                    Ok((arg, self.captures_of(index)))
                }
                _ => Err(self.internal("a function argument that is not a function")),
            },
            _ => Err(self.internal("a function argument that is not a name or lambda")),
        }
    }

    fn result_reg(&mut self, e: ExprId, dest: CallDest) -> Result<Reg, CgError> {
        match dest {
            CallDest::Value(Some(r)) => Ok(r),
            _ => {
                let ty = self.expr_ty(e);
                self.temp(&ty)
            }
        }
    }

    fn done(&mut self, d: Reg, dest: CallDest) -> Result<Option<Reg>, CgError> {
        if dest == CallDest::Tail {
            self.emit(Instr::Ret { a: d });
            Ok(None)
        } else {
            Ok(Some(d))
        }
    }

    /// `call` (or `tailcall` in tail position).
    fn direct(
        &mut self,
        e: ExprId,
        f: FuncId,
        args: Vec<Reg>,
        dest: CallDest,
    ) -> Result<Option<Reg>, CgError> {
        if args.len() > vm_core::format::limits::MAX_PARAMS as usize {
            return Err(diag::limit(
                format!(
                    "a call has {} arguments, counting captured values (at most 255)",
                    args.len()
                ),
                self.span,
            ));
        }
        if dest == CallDest::Tail {
            self.emit(Instr::TailCall { f, args });
            return Ok(None);
        }
        let d = self.result_reg(e, dest)?;
        self.emit(Instr::Call {
            d,
            f,
            args: args.clone(),
        });
        self.release_all(&args);
        Ok(Some(d))
    }

    /// An intrinsic into `d`; `e` is the call (its type is the result's).
    fn builtin(&mut self, b: Builtin, d: Reg, args: &[Reg], e: ExprId) -> Result<(), CgError> {
        let arg = |i: usize| args.get(i).copied();
        if b == Builtin::MapEmpty {
            let t = self.adt(&self.expr_ty(e))?;
            self.emit(Instr::MapEmpty { d, t });
            return Ok(());
        }
        let (Some(a), b_arg) = (arg(0), arg(1)) else {
            return Err(self.internal("an intrinsic without arguments"));
        };
        let second = |what: &str| b_arg.ok_or_else(|| self.internal(what));
        match b {
            Builtin::MapEmpty => {}
            Builtin::MapGet => {
                let k = second("map_get needs two arguments")?;
                let t = self.adt(&self.expr_ty(e))?;
                self.emit(Instr::MapGet { d, m: a, k, t });
            }
            Builtin::MapContains => {
                let k = second("map_contains needs two arguments")?;
                self.emit(Instr::MapContains { d, m: a, k });
            }
            Builtin::MapInsert => {
                let (Some(k), Some(v)) = (arg(1), arg(2)) else {
                    return Err(self.internal("map_insert needs three arguments"));
                };
                self.emit(Instr::MapInsert { d, m: a, k, v });
            }
            Builtin::MapRemove => {
                let k = second("map_remove needs two arguments")?;
                self.emit(Instr::MapRemove { d, m: a, k });
            }
            Builtin::MapSize => self.emit(Instr::MapSize { d, m: a }),
            Builtin::MapToList => {
                let t = self.adt(&self.expr_ty(e))?;
                self.emit(Instr::MapToList { d, m: a, t });
            }
            Builtin::MapFromList => {
                let t = self.adt(&self.expr_ty(e))?;
                self.emit(Instr::MapFromList { d, l: a, t });
            }
            Builtin::BytesLength => self.emit(Instr::BLen { d, a }),
            Builtin::Sha256 => self.emit(Instr::Sha256 { d, a }),
            Builtin::Blake2b256 => self.emit(Instr::Blake2b256 { d, a }),
            Builtin::Keccak256 => self.emit(Instr::Keccak256 { d, a }),
            Builtin::Sha3_256 => self.emit(Instr::Sha3_256 { d, a }),
            Builtin::Ed25519Verify | Builtin::SchnorrVerify | Builtin::EcdsaSecp256k1Verify => {
                let (Some(m), Some(s)) = (arg(1), arg(2)) else {
                    return Err(self.internal("a signature check needs three arguments"));
                };
                let k = a;
                self.emit(match b {
                    Builtin::Ed25519Verify => Instr::Ed25519Verify { d, k, m, s },
                    Builtin::SchnorrVerify => Instr::SchnorrVerify { d, k, m, s },
                    _ => Instr::EcdsaVerify { d, k, m, s },
                });
            }
            Builtin::BytesConcat => {
                let b = b_arg.ok_or_else(|| self.internal("bytes_concat needs two arguments"))?;
                self.emit(Instr::BConcat { d, a, b });
            }
            Builtin::BytesSlice => {
                let (Some(start), Some(len)) = (arg(1), arg(2)) else {
                    return Err(self.internal("bytes_slice needs three arguments"));
                };
                self.slice(d, a, start, len)?;
            }
        }
        Ok(())
    }

    /// `bytes_slice` clamps its range to the bytes (it never traps):
    /// `s = min(max(start, 0), n)`, `l = min(max(len, 0), n - s)`.
    fn slice(&mut self, d: Reg, b: Reg, start: Reg, len: Reg) -> Result<(), CgError> {
        let int = vm_core::Ty::Int;
        let n = self.temp_vm(int)?;
        self.emit(Instr::BLen { d: n, a: b });
        let s = self.temp_vm(int)?;
        let l = self.temp_vm(int)?;
        let room = self.temp_vm(int)?;
        let t = Jump(0);
        // s = clamp(start, 0, n)
        self.emit(Instr::Mov { d: s, s: start });
        let l1 = self.label();
        self.emit_to(Instr::BrGeI { a: s, k: 0, t }, &[l1]);
        self.emit(Instr::Int { d: s, k: 0 });
        self.bind(l1);
        let l2 = self.label();
        self.emit_to(Instr::BrLe { a: s, b: n, t }, &[l2]);
        self.emit(Instr::Mov { d: s, s: n });
        self.bind(l2);
        // l = clamp(len, 0, n - s)
        self.emit(Instr::Mov { d: l, s: len });
        let l3 = self.label();
        self.emit_to(Instr::BrGeI { a: l, k: 0, t }, &[l3]);
        self.emit(Instr::Int { d: l, k: 0 });
        self.bind(l3);
        self.emit(Instr::Sub {
            d: room,
            a: n,
            b: s,
        });
        let l4 = self.label();
        self.emit_to(Instr::BrLe { a: l, b: room, t }, &[l4]);
        self.emit(Instr::Mov { d: l, s: room });
        self.bind(l4);
        self.emit(Instr::BSlice {
            d,
            a: b,
            start: s,
            len: l,
        });
        self.release_all(&[n, s, l, room]);
        Ok(())
    }
}
