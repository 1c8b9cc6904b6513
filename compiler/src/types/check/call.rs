//! Calls, and the only place function values may appear: as arguments for
//! parameters of function type (lambdas take their parameter types from
//! that function type; function names are instantiated fresh).

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{ExprId, ExprKind, LambdaParam};
use crate::types::check::expr::Mode;
use crate::types::check::{Checker, Why};
use crate::types::output::{LocalKind, Resolution};
use crate::types::signatures::check_params;
use crate::types::ty::Ty;

/// What is being called: parameter types, result type, and how to name it.
struct Callee {
    params: Vec<Ty>,
    /// The parameters' names where known (fn items and intrinsics).
    param_names: Vec<String>,
    ret: Ty,
    name: String,
    /// The written signature, for the help of an arity error.
    signature: Option<String>,
}

impl Checker<'_> {
    /// Infers a call `callee(args)`.
    pub(crate) fn call(&mut self, callee: ExprId, args: &[ExprId], piped: bool, span: Span) -> Ty {
        let Some(callee) = self.callee(callee, piped) else {
            for arg in args {
                self.arg_loosely(*arg);
            }
            return Ty::Error;
        };
        if args.len() != callee.params.len() {
            self.report(arity(&callee, args.len(), span));
        }
        for (i, arg) in args.iter().enumerate() {
            match callee.params.get(i) {
                Some(param) => {
                    let before = self.diagnostics.len();
                    self.check_arg(*arg, param);
                    self.explain_argument(before, &callee, i);
                }
                None => self.arg_loosely(*arg),
            }
        }
        callee.ret
    }

    /// Resolves what a call calls; `None` if that is unknown (already reported).
    fn callee(&mut self, callee: ExprId, piped: bool) -> Option<Callee> {
        let expr = self.module.exprs.get(callee.index())?;
        let span = expr.span;
        let path = match &expr.kind {
            ExprKind::Path(path) => path,
            ExprKind::Error => return None,
            _ if piped => {
                // `x |> f(a) + 1` pipes into `f(a) + 1`: the missing
                // parentheses are the one mistake, so what is inside (such
                // as `f(a)` lacking an argument) is not reported on its own.
                let before = self.diagnostics.len();
                self.infer(callee);
                self.diagnostics.truncate(before);
                self.report(
                    Diagnostic::new(
                        Code::NotAFunction,
                        "a pipe into something that is not a call",
                        span,
                        "`|>` needs a function call on its right",
                    )
                    .with_help(
                        "`x |> f(a)` means `f(x, a)`; to use the result in a larger expression, parenthesise the pipe: `(x |> f(a)) + 1`",
                    ),
                );
                return None;
            }
            _ => {
                let ty = self.infer(callee);
                if !matches!(self.head(&ty), Ty::Error) {
                    let shown = self.show(&ty);
                    self.report(not_a_function("this expression", &shown, span));
                }
                return None;
            }
        };
        let name = path.to_text();
        let res = self.resolve_value(callee, path)?;
        let found = match res {
            Resolution::Local(id) => {
                let ty = self.local_ty(id);
                match self.head(&ty) {
                    Ty::Fn { params, ret } => Callee {
                        params,
                        param_names: Vec::new(),
                        ret: *ret,
                        name,
                        signature: None,
                    },
                    Ty::Error => return None,
                    _ => {
                        let shown = self.show(&ty);
                        self.set_expr(callee, &ty);
                        self.report(not_a_function(&format!("`{name}`"), &shown, span));
                        return None;
                    }
                }
            }
            Resolution::Fn(item) => {
                let sig = self.fn_sig(item)?;
                let args = self.fresh_n(sig.generics.len());
                self.out.instances.insert(callee, args.clone());
                Callee {
                    param_names: sig.params.iter().map(|(n, _)| n.clone()).collect(),
                    params: sig
                        .params
                        .iter()
                        .map(|(_, t)| t.substitute(&args))
                        .collect(),
                    ret: sig.ret.substitute(&args),
                    name,
                    signature: Some(sig.display()),
                }
            }
            Resolution::Const(item) => {
                let ty = self.const_ty(item);
                self.set_expr(callee, &ty);
                let shown = self.show(&ty);
                self.report(not_a_function(
                    &format!("the constant `{name}`"),
                    &shown,
                    span,
                ));
                return None;
            }
            Resolution::Ctor { item, variant } => {
                let sig = self.enum_sig(item)?;
                let fields = &sig.variants.get(variant as usize)?.fields;
                let args = self.fresh_n(sig.generics.len());
                self.out.instances.insert(callee, args.clone());
                if fields.is_empty() {
                    let ty = Ty::Adt {
                        item,
                        name: sig.name.clone(),
                        args,
                    };
                    self.set_expr(callee, &ty);
                    self.report(
                        Diagnostic::new(
                            Code::NotAFunction,
                            format!("`{name}` has no payload and cannot be called"),
                            span,
                            format!("`{name}` is a value, not a function"),
                        )
                        .with_help(format!("write just `{name}`")),
                    );
                    return None;
                }
                Callee {
                    param_names: Vec::new(),
                    params: fields.iter().map(|t| t.substitute(&args)).collect(),
                    ret: Ty::Adt {
                        item,
                        name: sig.name.clone(),
                        args,
                    },
                    name,
                    signature: None,
                }
            }
            Resolution::Builtin(builtin) => {
                let tys = crate::types::builtin::BuiltinTypes::of(self.db);
                let (params, ret) = builtin.signature(tys.as_ref());
                let args = self.fresh_n(builtin.generics().len());
                Callee {
                    param_names: params.iter().map(|(n, _)| n.to_string()).collect(),
                    params: params
                        .into_iter()
                        .map(|(_, t)| t.substitute(&args))
                        .collect(),
                    ret: ret.substitute(&args),
                    name,
                    signature: None,
                }
            }
            Resolution::Struct(_) => return None,
        };
        let fn_ty = Ty::Fn {
            params: found.params.clone(),
            ret: Box::new(found.ret.clone()),
        };
        self.set_expr(callee, &fn_ty);
        Some(found)
    }

    /// Adds to a type mismatch reported for argument `index` which
    /// parameter it was checked against.
    fn explain_argument(&mut self, before: usize, callee: &Callee, index: usize) {
        let (Some(name), Some(param)) = (callee.param_names.get(index), callee.params.get(index))
        else {
            return;
        };
        let shown = self.show(param);
        if let Some(d) = self
            .diagnostics
            .get_mut(before..)
            .and_then(|new| new.iter_mut().find(|d| d.code == Code::TypeMismatch))
            && d.help.is_none()
        {
            d.help = Some(format!(
                "the parameter `{name}` of `{}` has type `{shown}`",
                callee.name
            ));
        }
    }

    /// Checks one argument against its parameter type.
    fn check_arg(&mut self, arg: ExprId, param: &Ty) {
        let Some(expr) = self.module.exprs.get(arg.index()) else {
            return;
        };
        let span = expr.span;
        match &expr.kind {
            ExprKind::Lambda { params, body } => match self.head(param) {
                Ty::Fn {
                    params: param_tys,
                    ret,
                } => self.lambda_against(arg, params, *body, &param_tys, &ret, span),
                Ty::Error => self.lambda_loosely(arg, params, *body),
                head => {
                    self.misplaced_argument(span, "a lambda", &head);
                    self.lambda_loosely(arg, params, *body);
                }
            },
            ExprKind::Path(path) => {
                let Some(res) = self.resolve_value(arg, path) else {
                    self.set_expr(arg, &Ty::Error);
                    return;
                };
                match self.function_value(arg, res) {
                    Some(fn_ty) => {
                        self.set_expr(arg, &fn_ty);
                        if let Resolution::Fn(item) = res
                            && self.fn_sig(item).is_some_and(|sig| {
                                sig.params.iter().any(|(_, t)| matches!(t, Ty::Fn { .. }))
                            })
                        {
                            let name = path.to_text();
                            self.report(
                                Diagnostic::new(
                                    Code::FunctionAsData,
                                    "function where data is required",
                                    span,
                                    format!("`{name}` takes functions itself, so it cannot be passed as a value"),
                                )
                                .with_help(format!(
                                    "a function parameter's type cannot mention function types; pass a lambda that calls `{name}` instead"
                                )),
                            );
                            return;
                        }
                        match self.head(param) {
                            Ty::Fn { .. } => {
                                self.unify_at(param, &fn_ty, span, Why::Arg);
                            }
                            Ty::Error => {}
                            head => {
                                let what = format!("`{}`", path.to_text());
                                self.misplaced_argument(span, &what, &head);
                            }
                        }
                    }
                    None => {
                        let ty = self.value_of(arg, res, path, span, Mode::Value);
                        self.set_expr(arg, &ty);
                        self.unify_at(param, &ty, span, Why::Arg);
                    }
                }
            }
            _ => {
                self.check(arg, param, Why::Arg);
            }
        }
    }

    /// The function type of a resolved name that denotes a function (a fn
    /// item, an intrinsic, a constructor with a payload, a parameter of
    /// function type); `None` for data.
    fn function_value(&mut self, e: ExprId, res: Resolution) -> Option<Ty> {
        match res {
            Resolution::Local(id) => {
                let ty = self.local_ty(id);
                matches!(self.head(&ty), Ty::Fn { .. }).then_some(ty)
            }
            Resolution::Fn(item) => {
                let sig = self.fn_sig(item)?;
                let args = self.fresh_n(sig.generics.len());
                self.out.instances.insert(e, args.clone());
                Some(Ty::Fn {
                    params: sig
                        .params
                        .iter()
                        .map(|(_, t)| t.substitute(&args))
                        .collect(),
                    ret: Box::new(sig.ret.substitute(&args)),
                })
            }
            Resolution::Builtin(builtin) => {
                let tys = crate::types::builtin::BuiltinTypes::of(self.db);
                let (params, ret) = builtin.signature(tys.as_ref());
                let args = self.fresh_n(builtin.generics().len());
                Some(Ty::Fn {
                    params: params
                        .into_iter()
                        .map(|(_, t)| t.substitute(&args))
                        .collect(),
                    ret: Box::new(ret.substitute(&args)),
                })
            }
            // Constructors are not function values (write `|x| Some(x)`).
            Resolution::Ctor { .. } => None,
            Resolution::Struct(_) | Resolution::Const(_) => None,
        }
    }

    /// A function passed to a parameter whose type is not a function type
    /// (a type parameter, a constructor's payload, a data type): E0305.
    fn misplaced_argument(&mut self, span: Span, what: &str, expected: &Ty) {
        let label = match expected {
            Ty::Var(_) => {
                format!("{what} is a function, passed where a value of a generic type is expected")
            }
            other => {
                let shown = self.show(other);
                format!("{what} is a function, but a value of type `{shown}` is expected")
            }
        };
        self.report(
            Diagnostic::new(
                Code::FunctionAsData,
                "function where data is required",
                span,
                label,
            )
            .with_help(
                "functions are second-class in Tally: they can be passed only to parameters of function type",
            ),
        );
    }

    /// Checks a lambda against the function type of its parameter.
    fn lambda_against(
        &mut self,
        e: ExprId,
        params: &[LambdaParam],
        body: ExprId,
        param_tys: &[Ty],
        ret: &Ty,
        span: Span,
    ) {
        let fn_ty = Ty::Fn {
            params: param_tys.to_vec(),
            ret: Box::new(ret.clone()),
        };
        self.set_expr(e, &fn_ty);
        if params.len() != param_tys.len() {
            let shown = self.show(&fn_ty);
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let names: Vec<String> = (0..param_tys.len())
                .map(|i| format!("x{}", i + 1))
                .collect();
            self.report(
                Diagnostic::new(
                    Code::WrongArgCount,
                    format!(
                        "this lambda takes {} parameter{} but {} {} expected",
                        params.len(),
                        plural(params.len()),
                        param_tys.len(),
                        if param_tys.len() == 1 { "is" } else { "are" }
                    ),
                    span,
                    format!("expected a function of type `{shown}`"),
                )
                .with_help(format!("write the lambda as `|{}| ...`", names.join(", "))),
            );
            self.lambda_loosely(e, params, body);
            self.set_expr(e, &fn_ty);
            return;
        }
        let mut errors = Vec::new();
        check_params(params.iter().map(|p| &p.name), &mut errors);
        for d in errors {
            self.report(d);
        }
        let mark = self.scope.len();
        self.visible_in(body);
        for (i, (param, expected)) in params.iter().zip(param_tys).enumerate() {
            let ty = match param.ty {
                Some(annotation) => {
                    let written = self.resolve_annotation(annotation);
                    let at = self
                        .module
                        .types
                        .get(annotation.index())
                        .map(|t| t.span)
                        .unwrap_or(param.name.span);
                    self.unify_at(expected, &written, at, Why::Plain);
                    written
                }
                None => expected.clone(),
            };
            let kind = LocalKind::LambdaParam {
                lambda: e,
                index: i as u32,
            };
            self.bind_local(&param.name, ty, kind);
        }
        let outer = self.ret.take();
        self.check(body, ret, Why::LambdaBody);
        self.ret = outer;
        self.pop_scope(mark);
    }

    /// Walks a lambda whose type is unknown or wrong, so the names in its
    /// body are still resolved (its parameters have the error type).
    pub(crate) fn lambda_loosely(&mut self, e: ExprId, params: &[LambdaParam], body: ExprId) {
        let mark = self.scope.len();
        self.visible_in(body);
        for (i, param) in params.iter().enumerate() {
            let ty = match param.ty {
                Some(annotation) => self.resolve_annotation(annotation),
                None => Ty::Error,
            };
            let kind = LocalKind::LambdaParam {
                lambda: e,
                index: i as u32,
            };
            self.bind_local(&param.name, ty, kind);
        }
        let outer = self.ret.take();
        self.infer(body);
        self.ret = outer;
        self.pop_scope(mark);
        self.set_expr(e, &Ty::Error);
    }

    /// Walks an argument of a call whose callee is unknown (or another
    /// value whose role is unknown): names are resolved, but nothing is
    /// said about function values.
    pub(crate) fn arg_loosely(&mut self, arg: ExprId) {
        let Some(expr) = self.module.exprs.get(arg.index()) else {
            return;
        };
        match &expr.kind {
            ExprKind::Lambda { params, body } => self.lambda_loosely(arg, params, *body),
            ExprKind::Path(path) => {
                if let Some(res) = self.resolve_value(arg, path) {
                    let ty = match self.function_value(arg, res) {
                        Some(ty) => ty,
                        None => self.value_of(arg, res, path, expr.span, Mode::Value),
                    };
                    self.set_expr(arg, &ty);
                }
            }
            _ => {
                self.infer(arg);
            }
        }
    }
}

fn not_a_function(what: &str, ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NotAFunction,
        format!("{what} is not a function"),
        span,
        format!("this is a value of type `{ty}`, not a function"),
    )
    .with_help(
        "only functions, constructors with a payload and parameters of function type can be called",
    )
}

fn arity(callee: &Callee, given: usize, span: Span) -> Diagnostic {
    let expected = callee.params.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let d = Diagnostic::new(
        Code::WrongArgCount,
        format!(
            "`{}` takes {expected} argument{} but {given} {} given",
            callee.name,
            plural(expected),
            if given == 1 { "was" } else { "were" }
        ),
        span,
        format!("expected {expected} argument{}", plural(expected)),
    );
    match &callee.signature {
        Some(signature) => d.with_help(format!("its signature is `{signature}`")),
        None => d.with_help(format!(
            "pass exactly {expected} argument{}",
            plural(expected)
        )),
    }
}
