//! Typing of the ways out of a call: `fail(reason)` (any type, a constant
//! reason), `e?` (the payload of an `Ok`/`Some`, or an early return of the
//! `Err`/`None` from a function of the same kind) and the `else` block of a
//! `let ... else`, which must fail.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::check::{Checker, Why};
use crate::types::ty::Ty;

/// The two kinds of value `?` works on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TryKind {
    /// `Result<T, E>`, with its error type.
    Result(Ty),
    /// `Option<T>`.
    Option,
}

impl TryKind {
    /// The kind with its article: "a `Result`", "an `Option`".
    fn named(&self) -> &'static str {
        match self {
            TryKind::Result(_) => "a `Result`",
            TryKind::Option => "an `Option`",
        }
    }
}

impl Checker<'_> {
    /// `fail(reason)`: the reason must be a `Bytes` constant; the
    /// expression has whatever type its place needs (it never has a value).
    pub(crate) fn fail_expr(&mut self, reason: ExprId) -> Ty {
        if self.check(reason, &Ty::Bytes, Why::FailReason) && !self.is_constant_bytes(reason) {
            let span = self.span_of(reason);
            self.report(
                Diagnostic::new(
                    Code::FailReasonNotConstant,
                    "the reason of `fail` must be a constant",
                    span,
                    "this is computed when the program runs",
                )
                .with_help(
                    "write the reason as a string or bytes literal (or a `const`), e.g. `fail(\"insufficient funds\")`",
                ),
            );
        }
        self.fresh()
    }

    /// Whether `e` is a `Bytes` value known before the program runs.
    fn is_constant_bytes(&self, e: ExprId) -> bool {
        match self.module.exprs.get(e.index()).map(|x| &x.kind) {
            Some(ExprKind::Bytes(_) | ExprKind::Error) => true,
            Some(ExprKind::Path(_)) => matches!(
                self.out.expr_resolutions.get(&e),
                Some(crate::types::output::Resolution::Const(_))
            ),
            _ => false,
        }
    }

    /// `operand?` at `span`.
    pub(crate) fn try_expr(&mut self, operand: ExprId, span: Span) -> Ty {
        let Some((ret, ret_span)) = self.ret.clone() else {
            self.infer(operand);
            self.report(
                Diagnostic::new(
                    Code::TryMismatch,
                    "`?` outside a function body",
                    span,
                    "there is no function here for `?` to return from",
                )
                .with_help(
                    "`?` returns early from the enclosing function; in a test or a lambda, `match` on the value instead",
                ),
            );
            return Ty::Error;
        };
        let ret_kind = match self.try_kind(&ret) {
            Some(kind) => kind,
            None => {
                let found = self.infer(operand);
                let shown_ret = self.show(&ret);
                if shown_ret.is_error() || self.head(&found).is_error() {
                    return Ty::Error;
                }
                self.report(
                    Diagnostic::new(
                        Code::TryMismatch,
                        format!("`?` in a function that returns `{shown_ret}`"),
                        span,
                        "this `?` would return an `Err` or `None` early",
                    )
                    .with_label(ret_span, format!("the function returns `{shown_ret}`"))
                    .with_help(
                        "`?` works in functions that return a `Result` or an `Option`; here, `match` on the value instead",
                    ),
                );
                return Ty::Error;
            }
        };
        let found = self.infer(operand);
        let found = self.head(&found);
        if found.is_error() {
            return Ty::Error;
        }
        match self.try_parts(&found) {
            Some((kind, payload)) => {
                self.try_fits(&kind, &ret_kind, span, ret_span);
                payload
            }
            None if matches!(found, Ty::Var(_)) => {
                // Not known yet: it is of the function's kind.
                let payload = self.fresh();
                let wanted = self.kind_type(&ret_kind, payload.clone());
                let _ = self.table.unify(&wanted, &found);
                payload
            }
            None => {
                let shown = self.show(&found);
                self.report(
                    Diagnostic::new(
                        Code::TryMismatch,
                        format!("`?` needs a `Result` or an `Option`, found `{shown}`"),
                        span,
                        format!("this is `{shown}`"),
                    )
                    .with_help("remove the `?`: it only unwraps `Ok(x)` and `Some(x)`"),
                );
                Ty::Error
            }
        }
    }

    /// Reports a `?` of kind `kind` in a function of kind `ret_kind` that do not fit.
    fn try_fits(&mut self, kind: &TryKind, ret_kind: &TryKind, span: Span, ret_span: Span) {
        let message = match (kind, ret_kind) {
            (TryKind::Option, TryKind::Option) => return,
            (TryKind::Result(err), TryKind::Result(ret_err)) => {
                if self.table.unify(ret_err, err).is_ok() {
                    return;
                }
                let (err, ret_err) = (self.show(err), self.show(ret_err));
                let d = Diagnostic::new(
                    Code::TryMismatch,
                    format!("`?` on a `Result` with error type `{err}` in a function whose errors are `{ret_err}`"),
                    span,
                    format!("this `?` would return an `Err` of type `{err}`"),
                )
                .with_label(ret_span, format!("the function's errors are `{ret_err}`"))
                .with_help("convert the error first, e.g. with `std::result::map_err(r, |e| ...)?`");
                self.report(d);
                return;
            }
            (TryKind::Result(_), TryKind::Option) => (
                "`?` on a `Result` in a function that returns an `Option`",
                "turn it into an `Option` first: `std::result::ok(r)?`",
            ),
            (TryKind::Option, TryKind::Result(_)) => (
                "`?` on an `Option` in a function that returns a `Result`",
                "turn it into a `Result` first: `std::option::ok_or(o, error)?`",
            ),
        };
        let d = Diagnostic::new(
            Code::TryMismatch,
            message.0,
            span,
            format!("this is {}", kind.named()),
        )
        .with_label(
            ret_span,
            format!("the function returns {}", ret_kind.named()),
        )
        .with_help(message.1);
        self.report(d);
    }

    /// The kind of a `Result` or `Option` type, if `ty` is one.
    fn try_kind(&mut self, ty: &Ty) -> Option<TryKind> {
        let ty = self.head(ty);
        self.try_parts(&ty).map(|(kind, _)| kind)
    }

    /// The kind and payload type of a `Result` or `Option` type (head resolved).
    fn try_parts(&self, ty: &Ty) -> Option<(TryKind, Ty)> {
        let Ty::Adt { item, args, .. } = ty else {
            return None;
        };
        if Some(*item) == self.prelude_item("Result") && args.len() == 2 {
            return Some((TryKind::Result(args[1].clone()), args[0].clone()));
        }
        if Some(*item) == self.prelude_item("Option") && args.len() == 1 {
            return Some((TryKind::Option, args[0].clone()));
        }
        None
    }

    /// `Result<payload, E>` or `Option<payload>`.
    fn kind_type(&self, kind: &TryKind, payload: Ty) -> Ty {
        let (name, args) = match kind {
            TryKind::Result(err) => ("Result", vec![payload, err.clone()]),
            TryKind::Option => ("Option", vec![payload]),
        };
        match self.prelude_item(name) {
            Some(item) => Ty::Adt {
                item,
                name: name.into(),
                args,
            },
            None => Ty::Error,
        }
    }

    /// The `else` block of a `let ... else`: any type, and it must fail.
    pub(crate) fn let_else_branch(&mut self, e: ExprId) {
        let ty = self.fresh();
        self.check(e, &ty, Why::Plain);
        let value = self.value_expr(e);
        let fails = matches!(
            self.module.exprs.get(value.index()).map(|x| &x.kind),
            Some(ExprKind::Fail { .. } | ExprKind::Error)
        );
        if !fails {
            let span = self.span_of(value);
            self.report(
                Diagnostic::new(
                    Code::LetElseMustFail,
                    "the `else` block of a `let ... else` must fail",
                    span,
                    "this is the block's value, but the `else` block has no value to give",
                )
                .with_help(
                    "end the `else` block with `fail(\"reason\")`; to compute a value instead, use `match`",
                ),
            );
        }
    }

    /// The expression that gives `e` its value (a block's tail, repeatedly).
    fn value_expr(&self, mut e: ExprId) -> ExprId {
        while let Some(ExprKind::Block { tail, .. }) =
            self.module.exprs.get(e.index()).map(|x| &x.kind)
        {
            e = *tail;
        }
        e
    }

    /// The span of an expression.
    fn span_of(&self, e: ExprId) -> Span {
        self.module
            .exprs
            .get(e.index())
            .map(|x| x.span)
            .unwrap_or_default()
    }
}
