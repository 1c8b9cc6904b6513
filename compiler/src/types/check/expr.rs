//! Expressions: checking against an expected type (which pushes the
//! expectation into blocks, `if` and `match`, so errors land on the
//! offending sub-expression) and inferring a type bottom-up.

use crate::types::signatures::duplicate_field;
use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Arm, BinOp, ExprId, ExprKind, FieldInit, Ident, LetStmt, Path, UnOp};
use crate::types::check::{Checker, PatternSite, Why};
use crate::types::output::Resolution;
use crate::types::scope::{ValueDef, qualified_value};
use crate::types::suggest::closest;
use crate::types::ty::{ItemRef, Ty};

/// Where a value appears: somewhere a function value is misplaced (E0308),
/// or a place where data is required (E0305: stored, compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An ordinary value position.
    Value,
    /// A position that stores or compares the value.
    Data,
}

impl Checker<'_> {
    /// Checks `e` against `expected` in an ordinary value position.
    pub(crate) fn check(&mut self, e: ExprId, expected: &Ty, why: Why) -> bool {
        self.check_in(e, expected, why, Mode::Value)
    }

    /// Checks `e` against `expected`, reporting a mismatch on the innermost
    /// sub-expression that has the wrong type; false if there was one.
    pub(crate) fn check_in(&mut self, e: ExprId, expected: &Ty, why: Why, mode: Mode) -> bool {
        let Some(expr) = self.module.exprs.get(e.index()) else {
            return true;
        };
        let ok = match &expr.kind {
            ExprKind::Block { lets, tail } => {
                let mark = self.scope.len();
                self.lets(lets, expr.span.end);
                let ok = self.check_in(*tail, expected, why, mode);
                self.pop_scope(mark);
                ok
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.check(*cond, &Ty::Bool, Why::Condition);
                let then_ok = self.check_in(*then_branch, expected, why, mode);
                let else_ok = self.check_in(*else_branch, expected, why, mode);
                then_ok && else_ok
            }
            ExprKind::Match { scrutinee, arms } => {
                let scrutinee_ty = self.infer(*scrutinee);
                self.match_site(e, *scrutinee, arms);
                let mut ok = true;
                for arm in arms {
                    let mark = self.scope.len();
                    self.visible_in(arm.body);
                    self.bind_pattern(arm.pat, &scrutinee_ty);
                    ok &= self.check_in(arm.body, expected, why, mode);
                    self.pop_scope(mark);
                }
                ok
            }
            _ if matches!(self.head(expected), Ty::Error) => {
                // Whatever is expected here was already diagnosed (e.g. a
                // function type written as a result type): a function value
                // here is part of that mistake, not a second one.
                self.arg_loosely(e);
                return true;
            }
            _ => {
                let found = self.infer_in(e, mode);
                let span = expr.span;
                return self.unify_at(expected, &found, span, why);
            }
        };
        self.set_expr(e, expected);
        ok
    }

    /// Checks `e` against `expected` without reporting a mismatch (after a
    /// first operand already had the wrong type: one mistake, one error).
    fn check_quietly(&mut self, e: ExprId, expected: &Ty) {
        let found = self.infer(e);
        let _ = self.table.unify(expected, &found);
    }

    /// Checks both operands of an operator against `operand`; the result
    /// type if both fit, else the error type (so the mistake is reported once).
    fn operands(&mut self, op: BinOp, lhs: ExprId, rhs: ExprId, operand: Ty, result: Ty) -> Ty {
        if self.check(lhs, &operand, Why::Operand(op)) {
            if self.check(rhs, &operand, Why::Operand(op)) {
                return result;
            }
        } else {
            self.check_quietly(rhs, &operand);
        }
        Ty::Error
    }

    /// Infers the type of `e` in an ordinary value position.
    pub(crate) fn infer(&mut self, e: ExprId) -> Ty {
        self.infer_in(e, Mode::Value)
    }

    /// Infers the type of `e` and records it.
    pub(crate) fn infer_in(&mut self, e: ExprId, mode: Mode) -> Ty {
        let Some(expr) = self.module.exprs.get(e.index()) else {
            return Ty::Error;
        };
        let ty = match &expr.kind {
            ExprKind::Int(_) => Ty::Int,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Bytes(_) => Ty::Bytes,
            ExprKind::Unit => Ty::Unit,
            ExprKind::Error => Ty::Error,
            ExprKind::Path(path) => self.path_value(e, path, expr.span, mode),
            ExprKind::Tuple(items) => Ty::Tuple(
                items
                    .iter()
                    .map(|i| self.infer_in(*i, Mode::Data))
                    .collect(),
            ),
            ExprKind::List { items, tail } => {
                let elem = self.fresh();
                for item in items {
                    self.check_in(*item, &elem, Why::ListElem, Mode::Data);
                }
                let list = self.list_of(elem);
                if let Some(tail) = tail {
                    self.check_in(*tail, &list, Why::ListTail, Mode::Data);
                }
                list
            }
            ExprKind::Call {
                callee,
                args,
                piped,
            } => self.call(*callee, args, *piped, expr.span),
            ExprKind::Field { base, name } => self.field(e, *base, name),
            ExprKind::StructLit { name, fields, base } => self.struct_lit(e, name, fields, *base),
            ExprKind::Binary { op, lhs, rhs, .. } => self.binary(*op, *lhs, *rhs),
            ExprKind::Unary { op, operand } => match op {
                UnOp::Neg => match self.check(*operand, &Ty::Int, Why::UnaryOperand(true)) {
                    true => Ty::Int,
                    false => Ty::Error,
                },
                UnOp::Not => match self.check(*operand, &Ty::Bool, Why::UnaryOperand(false)) {
                    true => Ty::Bool,
                    false => Ty::Error,
                },
            },
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.check(*cond, &Ty::Bool, Why::Condition);
                let ty = self.infer_in(*then_branch, mode);
                let then_span = self.value_span(*then_branch);
                self.check_in(*else_branch, &ty, Why::Branch(then_span), mode);
                ty
            }
            ExprKind::Match { scrutinee, arms } => self.infer_match(e, *scrutinee, arms, mode),
            ExprKind::Block { lets, tail } => {
                let mark = self.scope.len();
                self.lets(lets, expr.span.end);
                let ty = self.infer_in(*tail, mode);
                self.pop_scope(mark);
                ty
            }
            ExprKind::Fail { reason } => self.fail_expr(*reason),
            ExprKind::Try { operand } => self.try_expr(*operand, expr.span),
            ExprKind::Lambda { params, body } => {
                self.misplaced_function(expr.span, "a lambda", mode);
                self.lambda_loosely(e, params, *body);
                Ty::Error
            }
        };
        self.set_expr(e, &ty);
        ty
    }

    /// The span of the expression that gives `e` its value (a block's tail).
    pub(crate) fn value_span(&self, mut e: ExprId) -> Span {
        loop {
            match self.module.exprs.get(e.index()) {
                Some(expr) => match &expr.kind {
                    ExprKind::Block { tail, .. } => e = *tail,
                    _ => return expr.span,
                },
                None => return Span::default(),
            }
        }
    }

    fn binary(&mut self, op: BinOp, lhs: ExprId, rhs: ExprId) -> Ty {
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                self.operands(op, lhs, rhs, Ty::Int, Ty::Int)
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.operands(op, lhs, rhs, Ty::Int, Ty::Bool)
            }
            BinOp::And | BinOp::Or => self.operands(op, lhs, rhs, Ty::Bool, Ty::Bool),
            BinOp::Eq | BinOp::Ne => {
                let before = self.diagnostics.len();
                let ty = self.infer_in(lhs, Mode::Data);
                let lhs_was_function = self
                    .diagnostics
                    .iter()
                    .skip(before)
                    .any(|d| d.code == Code::FunctionValueMisplaced);
                if lhs_was_function {
                    // Comparing two functions is one mistake, not two.
                    self.arg_loosely(rhs);
                } else {
                    let lhs_span = self.value_span(lhs);
                    self.check_in(rhs, &ty, Why::Compare(lhs_span), Mode::Data);
                }
                Ty::Bool
            }
        }
    }

    fn infer_match(&mut self, e: ExprId, scrutinee: ExprId, arms: &[Arm], mode: Mode) -> Ty {
        let scrutinee_ty = self.infer(scrutinee);
        self.match_site(e, scrutinee, arms);
        let mut result: Option<(Ty, Span)> = None;
        for arm in arms {
            let mark = self.scope.len();
            self.visible_in(arm.body);
            self.bind_pattern(arm.pat, &scrutinee_ty);
            match &result {
                None => {
                    let ty = self.infer_in(arm.body, mode);
                    result = Some((ty, self.value_span(arm.body)));
                }
                Some((ty, first)) => {
                    let (ty, first) = (ty.clone(), *first);
                    self.check_in(arm.body, &ty, Why::Arm(first), mode);
                }
            }
            self.pop_scope(mark);
        }
        match result {
            Some((ty, _)) => ty,
            // A match without arms has no value to give a type to.
            None => self.fresh(),
        }
    }

    /// Records a `match` for the exhaustiveness check.
    fn match_site(&mut self, e: ExprId, scrutinee: ExprId, arms: &[Arm]) {
        let start = self.module.exprs.get(e.index()).map(|x| x.span);
        let end = self.module.exprs.get(scrutinee.index()).map(|x| x.span);
        let span = match (start, end) {
            (Some(s), Some(t)) => Span {
                start: s.start,
                end: t.end.max(s.start),
            },
            (Some(s), None) => s,
            _ => Span::default(),
        };
        self.sites.push(PatternSite {
            expr: e,
            pats: arms.iter().map(|a| a.pat).collect(),
            is_let: false,
            span,
        });
    }

    /// Checks the `let`s of a block, bringing their bindings into scope.
    fn lets(&mut self, lets: &[LetStmt], block_end: u32) {
        for stmt in lets {
            let ty = match stmt.ty {
                Some(annotation) => {
                    let ty = self.resolve_annotation(annotation);
                    let span = self
                        .module
                        .types
                        .get(annotation.index())
                        .map(|t| t.span)
                        .unwrap_or_default();
                    self.check(stmt.value, &ty, Why::Annotation(span));
                    ty
                }
                None => self.infer(stmt.value),
            };
            if let Some(else_branch) = stmt.else_branch {
                // Checked before the pattern's bindings come into scope.
                self.let_else_branch(else_branch);
            }
            self.visible = Span {
                start: stmt.span.end,
                end: block_end.max(stmt.span.end),
            };
            self.bind_pattern(stmt.pat, &ty);
            let span = self
                .module
                .pats
                .get(stmt.pat.index())
                .map(|p| p.span)
                .unwrap_or(stmt.span);
            if stmt.else_branch.is_none() {
                self.sites.push(PatternSite {
                    expr: stmt.value,
                    pats: vec![stmt.pat],
                    is_let: true,
                    span,
                });
            }
        }
    }

    /// Resolves a path in an expression (a local, a function, a constructor,
    /// an intrinsic), reporting E0201/E0204/E0205 when it names nothing.
    pub(crate) fn resolve_value(&mut self, e: ExprId, path: &Path) -> Option<Resolution> {
        let res = if path.segments.len() == 1 {
            let name = path.last();
            if let Some(local) = self.lookup_local(&name.name) {
                Resolution::Local(local)
            } else if let Some(def) = self.sigs.scope.values.get(&name.name) {
                def_resolution(*def)
            } else {
                // Each unknown name is reported once per item: the other
                // uses are the same mistake.
                if self.unresolved.insert(name.name.clone()) {
                    let d = self.unresolved_value(name);
                    self.report(d);
                }
                return None;
            }
        } else {
            match qualified_value(self.db, &self.sigs.scope, path) {
                Ok(def) => def_resolution(def),
                Err(d) => {
                    self.report(*d);
                    return None;
                }
            }
        };
        self.resolve_expr(e, res);
        Some(res)
    }

    fn unresolved_value(&self, name: &Ident) -> Diagnostic {
        let is_upper = name.name.starts_with(|c: char| c.is_ascii_uppercase());
        if let Some(def) = self.sigs.scope.types.get(&name.name) {
            let help = if def.is_struct {
                format!(
                    "build a `{}` with a struct literal: `{} {{ field: value }}`",
                    name.name, name.name
                )
            } else {
                format!("use one of the constructors of `{}`", name.name)
            };
            return Diagnostic::new(
                Code::UnresolvedName,
                format!("`{}` is a type, not a value", name.name),
                name.span,
                "a type cannot be used as a value",
            )
            .with_help(help);
        }
        let what = if is_upper { "constructor" } else { "value" };
        let locals = self.local_names();
        let candidates = locals
            .iter()
            .map(|s| s.as_str())
            .chain(self.sigs.scope.values.keys().map(|k| k.as_str()));
        let d = Diagnostic::new(
            Code::UnresolvedName,
            format!("cannot find {what} `{}` in this scope", name.name),
            name.span,
            "not found in this scope",
        );
        let std_values = self.std_values();
        let homes: Vec<&str> = std_values
            .iter()
            .filter(|(n, _)| *n == name.name)
            .map(|(_, m)| *m)
            .collect();
        match closest(&name.name, candidates) {
            Some(similar) => d.with_help(format!("did you mean `{similar}`?")),
            None if !homes.is_empty() => {
                let listed: Vec<String> = homes.iter().map(|m| format!("`std::{m}`")).collect();
                d.with_help(format!(
                    "`{name}` is defined in {}: import it with `use std::{}::{{{name}}}`",
                    listed.join(" and "),
                    homes[0],
                    name = name.name
                ))
            }
            None if !is_upper
                && closest(&name.name, std_values.iter().map(|(n, _)| n.as_str())).is_some() =>
            {
                let similar = closest(&name.name, std_values.iter().map(|(n, _)| n.as_str()))
                    .unwrap_or_default();
                let module = std_values
                    .iter()
                    .find(|(n, _)| n == similar)
                    .map_or("list", |(_, m)| *m);
                d.with_help(format!(
                    "did you mean `{similar}`? it is defined in `std::{module}`: import it with `use std::{module}::{{{similar}}}`"
                ))
            }
            None if is_upper => {
                d.with_help("declare it as a variant of an `enum`, or import it with `use`")
            }
            None => d.with_help("declare it with `let`, as a parameter, or import it with `use`"),
        }
    }

    /// Every public value of the standard modules, with its module.
    fn std_values(&self) -> Vec<(String, &'static str)> {
        let mut all = Vec::new();
        for module in crate::stdlib::MODULES
            .iter()
            .map(|(m, _)| *m)
            .filter(|m| *m != "prelude")
        {
            if let Some(file) = self.db.std_module(module) {
                let decls = crate::types::decls::declarations(self.db, file);
                for (name, decl) in &decls.values {
                    if decl.is_pub {
                        all.push((name.clone(), module));
                    }
                }
            }
        }
        for builtin in crate::types::builtin::Builtin::ALL {
            all.push((builtin.name().to_string(), "builtin"));
        }
        all
    }

    /// The type of a path used as a value (not called).
    fn path_value(&mut self, e: ExprId, path: &Path, span: Span, mode: Mode) -> Ty {
        let Some(res) = self.resolve_value(e, path) else {
            return Ty::Error;
        };
        self.value_of(e, res, path, span, mode)
    }

    /// The type of a resolved path used as a value (not called).
    pub(crate) fn value_of(
        &mut self,
        e: ExprId,
        res: Resolution,
        path: &Path,
        span: Span,
        mode: Mode,
    ) -> Ty {
        let name = path.to_text();
        match res {
            Resolution::Local(id) => {
                let ty = self.local_ty(id);
                if matches!(self.head(&ty), Ty::Fn { .. }) {
                    self.misplaced_function(span, &format!("`{name}`"), mode);
                    return Ty::Error;
                }
                ty
            }
            Resolution::Ctor { item, variant } => {
                let Some(sig) = self.enum_sig(item) else {
                    return Ty::Error;
                };
                if let Some(count) = sig
                    .variants
                    .get(variant as usize)
                    .map(|v| v.fields.len())
                    .filter(|n| *n > 0)
                {
                    let plural = if count == 1 { "" } else { "s" };
                    let holes = vec!["_"; count].join(", ");
                    self.report(
                        Diagnostic::new(
                            Code::WrongArgCount,
                            format!("the constructor `{name}` takes {count} argument{plural} but is used without any"),
                            span,
                            format!("expected {count} argument{plural}"),
                        )
                        .with_help(format!(
                            "apply it, e.g. `{name}({holes})`; constructors are not function values: to pass one, write a lambda such as `|x| {name}(x)`"
                        )),
                    );
                    return Ty::Error;
                }
                let args = self.fresh_n(sig.generics.len());
                self.out.instances.insert(e, args.clone());
                Ty::Adt {
                    item,
                    name: sig.name.clone(),
                    args,
                }
            }
            Resolution::Fn(_) | Resolution::Builtin(_) => {
                self.misplaced_function(span, &format!("`{name}`"), mode);
                Ty::Error
            }
            Resolution::Const(item) => self.const_ty(item),
            Resolution::Struct(_) => Ty::Error,
        }
    }

    /// E0308 (or E0305 where data is required) for a function used as a value.
    pub(crate) fn misplaced_function(&mut self, span: Span, what: &str, mode: Mode) {
        let d = self.function_value_diagnostic(span, what, mode);
        self.report(d);
    }

    fn function_value_diagnostic(&self, span: Span, what: &str, mode: Mode) -> Diagnostic {
        match mode {
            Mode::Data => Diagnostic::new(
                Code::FunctionValueMisplaced,
                "function value outside a call argument",
                span,
                format!("{what} is a function; functions cannot be stored or compared"),
            )
            .with_help("functions are second-class in Tally: pass them only as arguments to parameters of function type"),
            Mode::Value => Diagnostic::new(
                Code::FunctionValueMisplaced,
                "function value outside a call argument",
                span,
                format!("{what} is a function, used here as a value"),
            )
            .with_help("functions can only be passed as arguments to parameters of function type; to use its result, call it"),
        }
    }

    fn field(&mut self, e: ExprId, base: ExprId, name: &Ident) -> Ty {
        let base_ty = self.infer(base);
        match self.head(&base_ty) {
            Ty::Error => Ty::Error,
            Ty::Var(_) => {
                let span = self
                    .module
                    .exprs
                    .get(base.index())
                    .map(|x| x.span)
                    .unwrap_or(name.span);
                self.report(
                    Diagnostic::new(
                        Code::CannotInfer,
                        "cannot infer the type of this value",
                        span,
                        format!("its type must be known here to access `.{}`", name.name),
                    )
                    .with_help(
                        "annotate its type, e.g. `let v: Account = ...` or `|v: Account| ...`",
                    ),
                );
                Ty::Error
            }
            Ty::Adt {
                item,
                name: type_name,
                args,
            } => match self.struct_sig(item) {
                Some(sig) => match sig
                    .fields
                    .iter()
                    .enumerate()
                    .find(|(_, (f, _))| *f == name.name)
                {
                    Some((index, (_, field_ty))) => {
                        self.out.field_indices.insert(e, index as u32);
                        field_ty.substitute(&args)
                    }
                    None => {
                        let names = sig.fields.iter().map(|(f, _)| f.as_str());
                        let d = unknown_field(&type_name, name, names);
                        self.report(d);
                        Ty::Error
                    }
                },
                None => {
                    let shown = self.show(&base_ty);
                    self.report(no_fields(&shown, name));
                    Ty::Error
                }
            },
            _ => {
                let shown = self.show(&base_ty);
                self.report(no_fields(&shown, name));
                Ty::Error
            }
        }
    }

    /// Resolves the name of a struct literal or struct pattern.
    pub(crate) fn resolve_struct(&mut self, path: &Path) -> Option<ItemRef> {
        let name = path.last();
        if path.segments.len() > 1 {
            self.report(
                Diagnostic::new(
                    Code::UnresolvedType,
                    format!("cannot find struct `{}`", path.to_text()),
                    path.span,
                    "struct names cannot be qualified",
                )
                .with_help(format!(
                    "import it with `use` and write just `{}`",
                    name.name
                )),
            );
            return None;
        }
        match self.sigs.scope.types.get(&name.name) {
            Some(def) if def.is_struct => Some(def.item),
            Some(_) => {
                self.report(
                    Diagnostic::new(
                        Code::UnresolvedType,
                        format!("`{}` is an enum, not a struct", name.name),
                        name.span,
                        "not a struct",
                    )
                    .with_help(format!(
                        "build a `{}` with one of its constructors",
                        name.name
                    )),
                );
                None
            }
            None => {
                let structs = self
                    .sigs
                    .scope
                    .types
                    .iter()
                    .filter(|(_, d)| d.is_struct)
                    .map(|(n, _)| n.as_str());
                let d = Diagnostic::new(
                    Code::UnresolvedType,
                    format!("cannot find struct `{}`", name.name),
                    name.span,
                    "not found in this scope",
                );
                let d = match closest(&name.name, structs) {
                    Some(similar) => d.with_help(format!("did you mean `{similar}`?")),
                    None => d.with_help("declare it with `struct`, or import it with `use`"),
                };
                self.report(d);
                None
            }
        }
    }

    fn struct_lit(
        &mut self,
        e: ExprId,
        path: &Path,
        fields: &[FieldInit],
        base: Option<ExprId>,
    ) -> Ty {
        let found = self
            .resolve_struct(path)
            .and_then(|item| Some((item, self.struct_sig(item)?)));
        let Some((item, sig)) = found else {
            for field in fields {
                self.infer_in(field.value, Mode::Data);
            }
            if let Some(base) = base {
                self.infer(base);
            }
            return Ty::Error;
        };
        self.resolve_expr(e, Resolution::Struct(item));
        let args = self.fresh_n(sig.generics.len());
        self.out.instances.insert(e, args.clone());
        let ty = Ty::Adt {
            item,
            name: sig.name.clone(),
            args: args.clone(),
        };
        let mut given: BTreeMap<&str, Span> = BTreeMap::new();
        for field in fields {
            match sig.fields.iter().find(|(f, _)| *f == field.name.name) {
                Some((_, field_ty)) => {
                    if let Some(first) = given.get(field.name.name.as_str()) {
                        self.report(duplicate_field(&field.name, *first, "given"));
                    }
                    given.insert(&field.name.name, field.name.span);
                    let expected = field_ty.substitute(&args);
                    self.check_in(field.value, &expected, Why::Field, Mode::Data);
                }
                None => {
                    let names = sig.fields.iter().map(|(f, _)| f.as_str());
                    let d = unknown_field(&sig.name, &field.name, names);
                    self.report(d);
                    self.infer_in(field.value, Mode::Data);
                }
            }
        }
        match base {
            Some(base) => {
                self.check(base, &ty, Why::Base);
            }
            None => {
                let missing: Vec<&str> = sig
                    .fields
                    .iter()
                    .map(|(f, _)| f.as_str())
                    .filter(|f| !given.contains_key(f))
                    .collect();
                if !missing.is_empty() {
                    let span = self
                        .module
                        .exprs
                        .get(e.index())
                        .map(|x| x.span)
                        .unwrap_or(path.span);
                    self.report(missing_fields(&sig.name, &missing, span, "struct literal"));
                }
            }
        }
        ty
    }
}

fn def_resolution(def: ValueDef) -> Resolution {
    match def {
        ValueDef::Fn(item) => Resolution::Fn(item),
        ValueDef::Ctor { item, variant } => Resolution::Ctor { item, variant },
        ValueDef::Builtin(b) => Resolution::Builtin(b),
        ValueDef::Const(item) => Resolution::Const(item),
    }
}

/// E0303: `name` is not a field of the struct `type_name`.
pub(crate) fn unknown_field<'a>(
    type_name: &str,
    name: &Ident,
    fields: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownField,
        format!("the struct `{type_name}` has no field `{}`", name.name),
        name.span,
        "unknown field",
    );
    match closest(&name.name, fields.clone()) {
        Some(similar) => d.with_help(format!("did you mean `{similar}`?")),
        None => {
            let all: Vec<String> = fields.map(|f| format!("`{f}`")).collect();
            if all.is_empty() {
                d.with_help(format!("`{type_name}` has no fields"))
            } else {
                d.with_help(format!(
                    "the fields of `{type_name}` are {}",
                    all.join(", ")
                ))
            }
        }
    }
}

fn no_fields(ty: &Ty, name: &Ident) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownField,
        format!("the type `{ty}` has no field `{}`", name.name),
        name.span,
        format!("`{ty}` is not a struct"),
    )
    .with_help("only struct values have fields")
}

/// E0304: fields of `type_name` a literal or pattern does not mention.
pub(crate) fn missing_fields(
    type_name: &str,
    missing: &[&str],
    span: Span,
    what: &str,
) -> Diagnostic {
    let listed: Vec<String> = missing.iter().map(|f| format!("`{f}`")).collect();
    let plural = if missing.len() == 1 { "" } else { "s" };
    let d = Diagnostic::new(
        Code::MissingFields,
        format!(
            "missing field{plural} {} in this {what} of `{type_name}`",
            listed.join(", ")
        ),
        span,
        format!("missing {}", listed.join(", ")),
    );
    if what == "pattern" {
        d.with_help("list the missing fields, or write `..` to ignore them")
    } else {
        d.with_help(
            "give every field a value, or take the others from an existing value with `..base`",
        )
    }
}
