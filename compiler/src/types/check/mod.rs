//! Hindley–Milner inference over the bodies of one module, against the
//! written signatures: expressions ([`expr`]), calls and function values
//! ([`call`]), patterns ([`pat`]), and the wording of type errors
//! ([`report`]). Recursion follows the syntax tree, whose depth the parser caps.

mod abort;
mod call;
mod expr;
mod pat;
mod report;

use std::collections::{BTreeSet, HashMap};

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{ExprId, Ident, Item, Module, PatId, TypeId};
use crate::types::output::{LocalId, LocalInfo, LocalKind, Resolution, TypedModule};
use crate::types::signatures::{
    EnumSig, FnSig, Signatures, StructSig, TypeCx, TypePos, signatures,
};
use crate::types::table::{Table, UnifyError};
use crate::types::ty::{ItemRef, Ty};

pub use report::Why;

/// A `match` (or `let`) whose patterns the exhaustiveness check looks at.
#[derive(Debug, Clone)]
pub struct PatternSite {
    /// The `match` expression, or the `let`'s value.
    pub expr: ExprId,
    /// The patterns in order (one for a `let`).
    pub pats: Vec<PatId>,
    /// Whether it is a `let` (else a `match`).
    pub is_let: bool,
    /// Where to report a non-exhaustive match or refutable `let`.
    pub span: Span,
}

/// The state of checking one module.
pub struct Checker<'a> {
    pub(crate) db: &'a dyn Db,
    pub(crate) module: &'a Module,
    pub(crate) sigs: &'a Signatures,
    /// The type parameters of the item being checked.
    generics: &'a [Ident],
    table: Table,
    pub(crate) diagnostics: Vec<Diagnostic>,
    expr_types: Vec<Option<Ty>>,
    pat_types: Vec<Option<Ty>>,
    out: TypedModule,
    /// Locals in scope, innermost last.
    scope: Vec<(String, LocalId)>,
    /// For each name, the locals in scope with that name, innermost last.
    by_name: HashMap<String, Vec<LocalId>>,
    /// Matches and lets for the exhaustiveness check.
    pub(crate) sites: Vec<PatternSite>,
    /// Whether a too-large type was already reported in the current item.
    too_complex_reported: bool,
    /// Patterns in which an error was reported (wildcards for exhaustiveness).
    failed_pats: BTreeSet<PatId>,
    /// Where the locals bound now are visible.
    visible: Span,
    /// Unknown names already reported in the current item.
    unresolved: BTreeSet<String>,
    /// The result type of the function whose body is being checked, and
    /// where it is written: what `?` returns to. `None` in a test or a
    /// lambda, where `?` is not allowed.
    ret: Option<(Ty, Span)>,
}

/// What the exhaustiveness check needs besides the typed module.
#[derive(Debug, Clone, Default)]
pub struct PatternSites {
    /// Every `match` and `let`, in source order.
    pub sites: Vec<PatternSite>,
    /// Patterns in which an error was reported.
    pub failed: BTreeSet<PatId>,
}

/// Checks every body of `file`.
pub fn check_module(db: &dyn Db, file: SourceFile) -> (TypedModule, PatternSites) {
    let module = &crate::db::parse(db, file).module;
    let sigs = signatures(db, file);
    let mut checker = Checker {
        db,
        module,
        sigs,
        generics: &[],
        table: Table::default(),
        diagnostics: sigs.diagnostics.clone(),
        expr_types: vec![None; module.exprs.len()],
        pat_types: vec![None; module.pats.len()],
        out: TypedModule::default(),
        scope: Vec::new(),
        by_name: HashMap::new(),
        sites: Vec::new(),
        too_complex_reported: false,
        failed_pats: BTreeSet::new(),
        visible: Span::default(),
        unresolved: BTreeSet::new(),
        ret: None,
    };
    for (index, item) in module.items.iter().enumerate() {
        checker.too_complex_reported = false;
        checker.unresolved.clear();
        match item {
            Item::Fn(f) => {
                checker.generics = &f.generics;
                let Some(sig) = sigs.func(index as u32) else {
                    continue;
                };
                let mark = checker.scope.len();
                checker.visible = module
                    .exprs
                    .get(f.body.index())
                    .map(|e| e.span)
                    .unwrap_or_default();
                let mut params = Vec::with_capacity(f.params.len());
                for (i, (param, (_, ty))) in f.params.iter().zip(&sig.params).enumerate() {
                    let kind = LocalKind::Param {
                        item: index as u32,
                        index: i as u32,
                    };
                    params.push(checker.bind_local(&param.name, ty.clone(), kind));
                }
                checker.out.params.insert(index as u32, params);
                let ret_span = f
                    .ret
                    .and_then(|t| module.types.get(t.index()))
                    .map(|t| t.span);
                let why = match ret_span {
                    Some(span) => Why::Return(span),
                    None => Why::Plain,
                };
                checker.ret = Some((sig.ret.clone(), ret_span.unwrap_or(f.name.span)));
                checker.check(f.body, &sig.ret, why);
                checker.ret = None;
                checker.pop_scope(mark);
            }
            Item::Const(c) => {
                checker.generics = &[];
                checker.ret = None;
                let ty = checker.const_ty(ItemRef {
                    file,
                    index: index as u32,
                });
                let span = module
                    .types
                    .get(c.ty.index())
                    .map(|t| t.span)
                    .unwrap_or(c.name.span);
                if !matches!(ty, Ty::Int | Ty::Bool | Ty::Bytes | Ty::Error) {
                    let shown = checker.show(&ty);
                    checker.report(
                        Diagnostic::new(
                            Code::ConstEval,
                            format!("a constant of type `{shown}`"),
                            span,
                            "a constant is an `Int`, a `Bool` or `Bytes`",
                        )
                        .with_help(
                            "compute values of other types in a function without parameters",
                        ),
                    );
                } else {
                    checker.check(c.value, &ty, Why::Annotation(span));
                }
            }
            Item::Test(t) => {
                checker.generics = &[];
                checker.ret = None;
                let mark = checker.scope.len();
                checker.visible = module
                    .exprs
                    .get(t.body.index())
                    .map(|e| e.span)
                    .unwrap_or_default();
                let mut params = Vec::with_capacity(t.params.len());
                for (i, (param, (_, ty))) in t
                    .params
                    .iter()
                    .zip(sigs.test_params(index as u32))
                    .enumerate()
                {
                    let kind = LocalKind::Param {
                        item: index as u32,
                        index: i as u32,
                    };
                    params.push(checker.bind_local(&param.name, ty.clone(), kind));
                }
                if !params.is_empty() {
                    checker.out.params.insert(index as u32, params);
                }
                checker.generators(db, sigs, index as u32, t);
                if t.fails.is_some() {
                    // A test that expects a failure may have a body of any type.
                    checker.infer_in(t.body, expr::Mode::Data);
                } else {
                    checker.check(t.body, &Ty::Bool, Why::Test);
                }
                checker.pop_scope(mark);
            }
            _ => {}
        }
    }
    let evaluated = crate::types::consts::consts(db, file);
    checker
        .diagnostics
        .extend(evaluated.diagnostics.iter().cloned());
    let sites = PatternSites {
        sites: std::mem::take(&mut checker.sites),
        failed: std::mem::take(&mut checker.failed_pats),
    };
    (checker.finish(), sites)
}

impl<'a> Checker<'a> {
    /// Resolves the generators of a property's `x: T via f` parameters: `f`
    /// must be a function in scope, not generic, taking data and returning `T`.
    fn generators(
        &mut self,
        db: &dyn Db,
        sigs: &Signatures,
        index: u32,
        t: &crate::syntax::ast::TestDef,
    ) {
        let declared = sigs.test_params(index);
        for (i, via) in t.via.iter().enumerate() {
            let (Some(f), Some((param, ty))) = (via, declared.get(i)) else {
                continue;
            };
            let item = match sigs.scope.values.get(&f.name) {
                Some(crate::types::scope::ValueDef::Fn(item)) => *item,
                _ => {
                    self.report(
                        Diagnostic::new(
                            Code::UnresolvedName,
                            format!("cannot find function `{}`", f.name),
                            f.span,
                            "not a function in this scope",
                        )
                        .with_help(
                            "a generator is a function of the module, or one imported with `use`",
                        ),
                    );
                    continue;
                }
            };
            let callee = signatures(db, item.file);
            let Some(fs) = callee.func(item.index) else {
                continue;
            };
            let inputs: Vec<Ty> = fs.params.iter().map(|(_, t)| t.clone()).collect();
            let fits = fs.generics.is_empty()
                && !inputs.iter().any(|t| matches!(t, Ty::Fn { .. }))
                && (fs.ret == *ty || matches!(ty, Ty::Error));
            if !fits {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("`{}` cannot generate `{param}`", f.name),
                        f.span,
                        format!(
                            "expected a function returning `{ty}`, found `{}`",
                            fs.display()
                        ),
                    )
                    .with_help(
                        "a generator takes data (generated from its parameter types) and returns \
                         the parameter's type; it has no type parameters",
                    ),
                );
                continue;
            }
            self.out.vias.insert((index, i as u32), (item, inputs));
        }
    }

    /// Reports a diagnostic.
    pub(crate) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records the type of an expression.
    fn set_expr(&mut self, id: ExprId, ty: &Ty) {
        if let Some(slot) = self.expr_types.get_mut(id.index()) {
            *slot = Some(ty.clone());
        }
    }

    /// Records the type of a pattern.
    fn set_pat(&mut self, id: PatId, ty: &Ty) {
        if let Some(slot) = self.pat_types.get_mut(id.index()) {
            *slot = Some(ty.clone());
        }
    }

    /// Records what an expression refers to.
    fn resolve_expr(&mut self, id: ExprId, res: Resolution) {
        self.out.expr_resolutions.insert(id, res);
    }

    /// A fresh inference variable.
    fn fresh(&mut self) -> Ty {
        self.table.fresh()
    }

    /// `n` fresh variables.
    fn fresh_n(&mut self, n: usize) -> Vec<Ty> {
        (0..n).map(|_| self.fresh()).collect()
    }

    /// The type with its outer variables resolved.
    fn head(&mut self, ty: &Ty) -> Ty {
        self.table.head(ty)
    }

    /// A type resolved as far as known, for messages.
    fn show(&mut self, ty: &Ty) -> Ty {
        self.table.show(ty)
    }

    /// Unifies `found` with `expected`; on failure reports at `span` and returns false.
    fn unify_at(&mut self, expected: &Ty, found: &Ty, span: Span, why: Why) -> bool {
        match self.table.unify(expected, found) {
            Ok(()) => true,
            Err(error) => {
                self.unify_failed(error, expected, found, span, why);
                false
            }
        }
    }

    fn unify_failed(&mut self, error: UnifyError, expected: &Ty, found: &Ty, span: Span, why: Why) {
        match error {
            UnifyError::Mismatch => {
                let expected = self.show(expected);
                let found = self.show(found);
                let d = report::mismatch(&expected, &found, span, why);
                let d = report::distinguish(self.db, d, &expected, &found);
                self.report(d);
            }
            UnifyError::Infinite => {
                let found = self.show(found);
                self.report(report::infinite(&found, span));
            }
            UnifyError::TooComplex => self.too_complex(span),
        }
    }

    /// E0310 for a type too large to handle (once per item).
    fn too_complex(&mut self, span: Span) {
        if !self.too_complex_reported {
            self.too_complex_reported = true;
            self.report(
                Diagnostic::new(
                    Code::CannotInfer,
                    "cannot infer a type: it grows too large",
                    span,
                    "the type of this expression is too large to infer",
                )
                .with_help("add type annotations, or split the expression with `let` bindings"),
            );
        }
    }

    /// Brings a local into scope.
    fn bind_local(&mut self, name: &Ident, ty: Ty, kind: LocalKind) -> LocalId {
        let id = LocalId(self.out.locals.len() as u32);
        self.out.locals.push(LocalInfo {
            name: name.name.clone(),
            span: name.span,
            scope: self.visible,
            kind,
            ty,
        });
        if name.name != "_" {
            self.scope.push((name.name.clone(), id));
            self.by_name.entry(name.name.clone()).or_default().push(id);
        }
        id
    }

    /// Sets where the locals bound next are visible: the span of `e`.
    fn visible_in(&mut self, e: ExprId) {
        self.visible = self
            .module
            .exprs
            .get(e.index())
            .map(|x| x.span)
            .unwrap_or_default();
    }

    /// Drops the locals bound since `mark`.
    fn pop_scope(&mut self, mark: usize) {
        while self.scope.len() > mark {
            if let Some((name, _)) = self.scope.pop()
                && let Some(stack) = self.by_name.get_mut(&name)
            {
                stack.pop();
            }
        }
    }

    /// The innermost local named `name`.
    fn lookup_local(&self, name: &str) -> Option<LocalId> {
        self.by_name.get(name).and_then(|s| s.last().copied())
    }

    /// The names of the locals in scope (for suggestions), in binding order.
    fn local_names(&self) -> Vec<String> {
        self.scope.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The type of a local.
    fn local_ty(&self, id: LocalId) -> Ty {
        self.out
            .locals
            .get(id.0 as usize)
            .map(|l| l.ty.clone())
            .unwrap_or(Ty::Error)
    }

    /// Resolves a written type inside a body (`let` or lambda annotation).
    fn resolve_annotation(&mut self, id: TypeId) -> Ty {
        let mut cx = TypeCx {
            module: self.module,
            scope: &self.sigs.scope,
            generics: self.generics,
            diagnostics: &mut self.diagnostics,
            aliases: &self.sigs.aliases,
        };
        cx.resolve(id, TypePos::Annotation)
    }

    /// The written type of a `const` item anywhere.
    pub(crate) fn const_ty(&self, item: ItemRef) -> Ty {
        match signatures(self.db, item.file)
            .items
            .get(item.index as usize)
        {
            Some(crate::types::signatures::ItemSig::Const(c)) => c.ty.clone(),
            _ => Ty::Error,
        }
    }

    /// The signature of a function item anywhere.
    fn fn_sig(&self, item: ItemRef) -> Option<&'a FnSig> {
        signatures(self.db, item.file).func(item.index)
    }

    /// The signature of a struct anywhere.
    fn struct_sig(&self, item: ItemRef) -> Option<&'a StructSig> {
        signatures(self.db, item.file).strukt(item.index)
    }

    /// The signature of an enum anywhere.
    fn enum_sig(&self, item: ItemRef) -> Option<&'a EnumSig> {
        signatures(self.db, item.file).enumeration(item.index)
    }

    /// The prelude's `List` enum, if there is a prelude.
    fn list_item(&self) -> Option<ItemRef> {
        self.prelude_item("List")
    }

    /// The prelude's type `name` (`List`, `Option`, `Result`).
    fn prelude_item(&self, name: &str) -> Option<ItemRef> {
        let prelude = self.db.std_module("prelude")?;
        let decl = crate::types::decls::declarations(self.db, prelude)
            .types
            .get(name)?;
        Some(ItemRef {
            file: prelude,
            index: decl.item,
        })
    }

    /// `List<elem>` (the error type if there is no prelude).
    fn list_of(&self, elem: Ty) -> Ty {
        match self.list_item() {
            Some(item) => Ty::Adt {
                item,
                name: "List".into(),
                args: vec![elem],
            },
            None => Ty::Error,
        }
    }

    /// Substitutes every type and assembles the output. A type too large
    /// to write out (it can grow exponentially through `let`s) becomes the
    /// error type, reported once at the first expression that has it.
    fn finish(mut self) -> TypedModule {
        let mut out = std::mem::take(&mut self.out);
        let mut first_too_large: Option<Span> = None;
        let mut expr_types = Vec::with_capacity(self.expr_types.len());
        for (index, ty) in self.expr_types.iter().enumerate() {
            let ty = match ty {
                None => Ty::Error,
                Some(ty) => self.table.finalize(ty).unwrap_or_else(|| {
                    if first_too_large.is_none() {
                        first_too_large = self.module.exprs.get(index).map(|e| e.span);
                    }
                    Ty::Error
                }),
            };
            expr_types.push(ty);
        }
        out.expr_types = expr_types;
        let table = &mut self.table;
        let mut zonk = |ty: &Ty| table.finalize(ty).unwrap_or(Ty::Error);
        out.pat_types = self
            .pat_types
            .iter()
            .map(|t| t.as_ref().map_or(Ty::Error, &mut zonk))
            .collect();
        for local in &mut out.locals {
            local.ty = zonk(&local.ty);
        }
        for args in out
            .instances
            .values_mut()
            .chain(out.pat_instances.values_mut())
        {
            for ty in args.iter_mut() {
                *ty = zonk(ty);
            }
        }
        if let Some(span) = first_too_large
            && !self.diagnostics.iter().any(|d| d.code == Code::CannotInfer)
        {
            self.too_complex_reported = false;
            self.too_complex(span);
        }
        out.diagnostics = self.diagnostics;
        out.signatures = self.sigs.clone();
        out
    }
}
