//! One unit to one bytecode function: its signature (value parameters,
//! captured values, threaded captures), its frame and the emission helpers
//! every part of the expression compiler uses.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use vm_core::format::{FuncId, FunctionBuilder, Instr, Label, Reg};

use crate::db::{Db, SourceFile};
use crate::span::Span;
use crate::syntax::ast::{ExprId, Item, Module};
use crate::types::{LocalId, Ty, TypedModule};

use super::diag::{self, CgError};
use super::units::{self, Body, FnArg, UnitKey, mono};
use super::{Compiler, FunctionInfo};

/// A unit's bytecode signature.
#[derive(Debug, Clone)]
pub struct UnitSig {
    /// All parameters: the value parameters, then the values each function
    /// binding carries, in `fns` order.
    pub params: Vec<Ty>,
    /// The result type.
    pub result: Ty,
}

/// The monomorphic types of the values a function binding carries.
pub fn capture_types(db: &dyn Db, arg: &FnArg) -> Vec<Ty> {
    match arg {
        FnArg::Item { .. } | FnArg::Builtin(_) => Vec::new(),
        FnArg::Lambda(key) => {
            let mut out = Vec::new();
            if let Body::Lambda { file, expr } = &key.body {
                let typed = crate::types::infer(db, *file);
                for id in units::free_locals(db, *file, *expr) {
                    if let Some(l) = typed.local(id) {
                        out.push(mono(&l.ty, &key.tys));
                    }
                }
            }
            for (_, inner) in &key.fns {
                out.extend(capture_types(db, inner));
            }
            out
        }
    }
}

/// The signature of a unit.
pub fn unit_sig(db: &dyn Db, key: &UnitKey) -> Result<UnitSig, CgError> {
    let mut params = Vec::new();
    let result = match &key.body {
        Body::Test(item) => {
            let sigs = crate::types::signatures::signatures(db, item.file);
            let typed = crate::types::infer(db, item.file);
            for (i, (_, t)) in sigs.test_params(item.index).iter().enumerate() {
                // A parameter written `via f` takes `f`'s inputs instead.
                match typed.vias.get(&(item.index, i as u32)) {
                    Some((_, inputs)) => params.extend(inputs.iter().map(|t| mono(t, &key.tys))),
                    None => params.push(mono(t, &key.tys)),
                }
            }
            // A test that expects a failure may have a body of any type.
            let module = &crate::db::parse(db, item.file).module;
            match module.items.get(item.index as usize) {
                Some(Item::Test(t)) if t.fails.is_some() => {
                    let typed = crate::types::infer(db, item.file);
                    mono(typed.expr_ty(t.body), &key.tys)
                }
                _ => Ty::Bool,
            }
        }
        Body::Item(item) => {
            let sigs = crate::types::signatures::signatures(db, item.file);
            let Some(sig) = sigs.func(item.index) else {
                return Err(CgError::internal(
                    "a function without a signature",
                    Span::default(),
                ));
            };
            for (_, t) in &sig.params {
                if !matches!(t, Ty::Fn { .. }) {
                    params.push(mono(t, &key.tys));
                }
            }
            mono(&sig.ret, &key.tys)
        }
        // Lambdas are compiled in place at each call (`call::inline_lambda`).
        Body::Lambda { .. } => {
            return Err(CgError::internal(
                "a lambda is never a function of its own",
                Span::default(),
            ));
        }
    };
    for (_, arg) in &key.fns {
        params.extend(capture_types(db, arg));
    }
    Ok(UnitSig { params, result })
}

/// A readable name for a unit's function.
pub fn unit_name(db: &dyn Db, key: &UnitKey) -> String {
    let base = match &key.body {
        Body::Item(item) => units::item_name(db, *item, &key.tys),
        Body::Test(item) => format!("test:{}", units::item_name(db, *item, &[])),
        Body::Lambda { .. } => units::describe_fn_arg(db, &FnArg::Lambda(Rc::new(key.clone()))),
    };
    let fns: Vec<String> = key
        .fns
        .iter()
        .map(|(i, a)| format!("#{i}: {}", units::describe_fn_arg(db, a)))
        .collect();
    if fns.is_empty() || matches!(key.body, Body::Lambda { .. }) {
        base
    } else {
        format!("{base}{{{}}}", fns.join(", "))
    }
}

/// The file path and span of a unit's body.
pub fn unit_place(db: &dyn Db, key: &UnitKey) -> (String, Span) {
    let file = key.file();
    let module = &crate::db::parse(db, file).module;
    let span = match &key.body {
        Body::Item(item) | Body::Test(item) => module
            .items
            .get(item.index as usize)
            .map(|i| i.span())
            .unwrap_or_default(),
        Body::Lambda { expr, .. } => module
            .exprs
            .get(expr.index())
            .map(|e| e.span)
            .unwrap_or_default(),
    };
    (file.path(db).clone(), span)
}

/// The state of compiling one unit.
pub struct FnCx<'c, 'db> {
    /// The compilation.
    pub cg: &'c mut Compiler<'db>,
    /// The database.
    pub db: &'db dyn Db,
    /// The unit's file.
    pub file: SourceFile,
    /// Its syntax tree.
    pub module: &'db Module,
    /// Its types.
    pub typed: &'db TypedModule,
    /// The unit.
    pub key: Rc<UnitKey>,
    /// The function being built.
    pub fb: FunctionBuilder,
    /// One span per emitted instruction.
    pub spans: Vec<Span>,
    /// The span of the expression being compiled.
    pub span: Span,
    /// Registers of the locals in scope.
    pub locals: BTreeMap<LocalId, Reg>,
    /// Per function binding (by parameter index): its captured values' registers.
    pub captures: Vec<(u32, Vec<Reg>)>,
    /// The root-file span that needed this unit.
    pub origin: Span,
    nregs: usize,
    /// Registers holding intermediate values not yet consumed.
    temps: BTreeSet<Reg>,
    /// Registers free for reuse, by type.
    free: BTreeMap<vm_core::Ty, Vec<Reg>>,
    /// The type of every register allocated so far.
    reg_types: BTreeMap<Reg, vm_core::Ty>,
    /// A `jmp` not yet emitted (see [`FnCx::jmp`]).
    pending_jmp: Option<(Label, Span)>,
    /// The file of the unit's own body (`file` changes while a lambda from
    /// another file is inlined).
    pub home: SourceFile,
    /// While code from another file is inlined: the span (in `home`) every
    /// instruction is attributed to.
    pub pinned: Option<Span>,
}

/// Compiles one unit into the function `id` declared for it.
pub fn compile_unit(
    cg: &mut Compiler<'_>,
    id: FuncId,
    key: &Rc<UnitKey>,
    origin: Span,
) -> Result<(), CgError> {
    let db = cg.db;
    let file = key.file();
    let module = &crate::db::parse(db, file).module;
    let typed = crate::types::infer(db, file);
    let sig = unit_sig(db, key)?;
    let (_, place) = unit_place(db, key);
    let mut vm_params = Vec::with_capacity(sig.params.len());
    for p in &sig.params {
        vm_params.push(cg.vm_ty(p, place)?);
    }
    cg.vm_ty(&sig.result, place)?;
    let mut cx = FnCx {
        cg,
        db,
        file,
        module,
        typed,
        key: key.clone(),
        fb: FunctionBuilder::new(&vm_params),
        spans: Vec::new(),
        span: place,
        locals: BTreeMap::new(),
        captures: Vec::new(),
        origin,
        nregs: vm_params.len(),
        temps: BTreeSet::new(),
        free: BTreeMap::new(),
        reg_types: BTreeMap::new(),
        pending_jmp: None,
        home: file,
        pinned: None,
    };
    let mut next = 0u32;
    let mut take = |n: usize| -> Vec<Reg> {
        let regs = (0..n as u32).map(|i| Reg(next + i)).collect();
        next += n as u32;
        regs
    };
    let body = match &key.body {
        Body::Test(item) => match module.items.get(item.index as usize) {
            Some(Item::Test(t)) => {
                let mut generated = Vec::new();
                for (i, local) in units::item_params(typed, item.index)
                    .into_iter()
                    .enumerate()
                {
                    match typed.vias.get(&(item.index, i as u32)) {
                        Some((f, inputs)) => generated.push((local, *f, take(inputs.len()))),
                        None => {
                            if let Some(r) = take(1).first() {
                                cx.locals.insert(local, *r);
                            }
                        }
                    }
                }
                // `x: T via f`: `x` is `f` applied to its generated inputs.
                for (local, f, args) in generated {
                    let ty = typed
                        .local(local)
                        .map(|l| l.ty.clone())
                        .unwrap_or(Ty::Error);
                    let d = cx.reg(&ty)?;
                    let id = cx.request(UnitKey {
                        body: Body::Item(f),
                        tys: vec![],
                        fns: vec![],
                    })?;
                    cx.emit(Instr::Call { d, f: id, args });
                    cx.locals.insert(local, d);
                }
                t.body
            }
            _ => return Err(CgError::internal("a test unit that is not a test", place)),
        },
        Body::Item(item) => {
            let Some(Item::Fn(f)) = module.items.get(item.index as usize) else {
                return Err(CgError::internal(
                    "a function unit that is not a function",
                    place,
                ));
            };
            let sigs = crate::types::signatures::signatures(db, file);
            let fn_sig = sigs.func(item.index);
            let locals = units::item_params(typed, item.index);
            for (i, local) in locals.iter().enumerate() {
                let is_fn = fn_sig
                    .and_then(|s| s.params.get(i))
                    .is_some_and(|(_, t)| matches!(t, Ty::Fn { .. }));
                if !is_fn && let Some(r) = take(1).first() {
                    cx.locals.insert(*local, *r);
                }
            }
            f.body
        }
        Body::Lambda { .. } => {
            return Err(CgError::internal(
                "a lambda is never a function of its own",
                place,
            ));
        }
    };
    for (index, arg) in &key.fns {
        let n = capture_types(db, arg).len();
        cx.captures.push((*index, take(n)));
    }
    cx.tail(body)?;
    cx.flush_jmp();
    let FnCx { cg, fb, spans, .. } = cx;
    if fb.len() > vm_core::format::limits::MAX_CODE as usize {
        return Err(diag::limit(
            "a function has more instructions than allowed",
            place,
        ));
    }
    cg.mb
        .define(id, fb)
        .map_err(|e| CgError::internal(format!("{e}"), place))?;
    if let Some(info) = cg.infos.get_mut(id.0 as usize) {
        *info = FunctionInfo {
            instr_spans: spans,
            ..std::mem::take(info)
        };
    }
    Ok(())
}

impl FnCx<'_, '_> {
    /// Appends an instruction (recording the current span).
    pub fn emit(&mut self, i: Instr) {
        self.flush_jmp();
        self.spans.push(self.pinned.unwrap_or(self.span));
        self.fb.emit(i);
    }

    /// Appends an instruction whose jumps go to `targets`.
    pub fn emit_to(&mut self, i: Instr, targets: &[Label]) {
        self.flush_jmp();
        self.spans.push(self.pinned.unwrap_or(self.span));
        self.fb.emit_to(i, targets);
    }

    /// `jmp l`. The jump is held back until the next instruction: if `l` is
    /// bound right here, it is dropped (a jump to the next instruction).
    pub fn jmp(&mut self, l: Label) {
        self.flush_jmp();
        self.pending_jmp = Some((l, self.pinned.unwrap_or(self.span)));
    }

    /// Emits a held-back jump.
    pub fn flush_jmp(&mut self) {
        if let Some((l, span)) = self.pending_jmp.take() {
            self.spans.push(span);
            self.fb.jmp(l);
        }
    }

    /// `switch s` to one label per variant.
    pub fn switch(&mut self, s: Reg, targets: &[Label]) {
        self.flush_jmp();
        self.spans.push(self.pinned.unwrap_or(self.span));
        self.fb.switch(s, targets);
    }

    /// A fresh label.
    pub fn label(&mut self) -> Label {
        self.fb.label()
    }

    /// Binds a label to the next instruction.
    pub fn bind(&mut self, l: Label) {
        match self.pending_jmp {
            Some((p, _)) if p == l => self.pending_jmp = None,
            _ => self.flush_jmp(),
        }
        self.fb.bind(l);
    }

    /// A fresh register of a bytecode type (never reused).
    pub fn reg_vm(&mut self, ty: vm_core::Ty) -> Result<Reg, CgError> {
        if self.nregs >= vm_core::format::limits::MAX_REGS as usize {
            return Err(diag::limit(
                format!(
                    "a function needs more than {} registers",
                    vm_core::format::limits::MAX_REGS
                ),
                self.span,
            ));
        }
        self.nregs += 1;
        let r = self.fb.reg(ty);
        self.reg_types.insert(r, ty);
        Ok(r)
    }

    /// A register for an intermediate value, reusing a released one of the
    /// same type; [`release`](Self::release) it once the value is consumed.
    pub fn temp_vm(&mut self, ty: vm_core::Ty) -> Result<Reg, CgError> {
        let r = match self.free.get_mut(&ty).and_then(|regs| regs.pop()) {
            Some(r) => r,
            None => self.reg_vm(ty)?,
        };
        self.temps.insert(r);
        Ok(r)
    }

    /// A temporary register for a value of Tally type `ty` in this unit.
    pub fn temp(&mut self, ty: &Ty) -> Result<Reg, CgError> {
        let t = self.vm_ty(ty)?;
        self.temp_vm(t)
    }

    /// The value in `r` has been consumed: a temporary becomes free again
    /// (registers of locals and parameters are not affected).
    pub fn release(&mut self, r: Reg) {
        if self.temps.remove(&r)
            && let Some(ty) = self.reg_types.get(&r).copied()
        {
            self.free.entry(ty).or_default().push(r);
        }
    }

    /// Releases every register of `regs`.
    pub fn release_all(&mut self, regs: &[Reg]) {
        for r in regs {
            self.release(*r);
        }
    }

    /// The value in `r` now belongs to a local: it is never released.
    pub fn keep(&mut self, r: Reg) {
        self.temps.remove(&r);
    }

    /// A fresh register for a value of (polymorphic) Tally type `ty` in this unit.
    pub fn reg(&mut self, ty: &Ty) -> Result<Reg, CgError> {
        let t = self.vm_ty(ty)?;
        self.reg_vm(t)
    }

    /// The monomorphic type of `ty` in this unit.
    pub fn mono(&self, ty: &Ty) -> Ty {
        mono(ty, &self.key.tys)
    }

    /// The bytecode type of `ty` in this unit.
    pub fn vm_ty(&mut self, ty: &Ty) -> Result<vm_core::Ty, CgError> {
        let m = self.mono(ty);
        let span = self.span;
        self.cg.vm_ty(&m, span)
    }

    /// The (monomorphic) type of an expression.
    pub fn expr_ty(&self, e: ExprId) -> Ty {
        self.mono(self.typed.expr_ty(e))
    }

    /// The registers holding the captures of function binding `index`.
    pub fn captures_of(&self, index: u32) -> Vec<Reg> {
        self.captures
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    }

    /// Every capture register of this unit's function bindings, in order.
    pub fn all_captures(&self) -> Vec<Reg> {
        self.captures
            .iter()
            .flat_map(|(_, r)| r.iter().copied())
            .collect()
    }

    /// The span of an expression.
    pub fn span_of(&self, e: ExprId) -> Span {
        self.module
            .exprs
            .get(e.index())
            .map(|x| x.span)
            .unwrap_or(self.span)
    }

    /// A new error at the current span, for a case the front end excludes.
    pub fn internal(&self, what: impl Into<String>) -> CgError {
        CgError::internal(what, self.span)
    }

    /// Loads an Int into `d` (an immediate, or the constant pool beyond i64).
    pub fn int_to(&mut self, d: Reg, v: i128) {
        match i64::try_from(v) {
            Ok(k) => self.emit(Instr::Int { d, k }),
            Err(_) => {
                let k = self.cg.mb.constant(vm_core::format::Const::Int(v));
                self.emit(Instr::Const { d, k });
            }
        }
    }

    /// Loads a Bool into a fresh register.
    pub fn bool(&mut self, v: bool) -> Result<Reg, CgError> {
        let d = self.reg_vm(vm_core::Ty::Bool)?;
        self.emit(Instr::Bool { d, v });
        Ok(d)
    }
}
