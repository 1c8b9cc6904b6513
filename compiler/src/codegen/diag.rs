//! Code generation errors and their diagnostics (codes E07xx).

use crate::db::Db;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

use super::types::{MAX_TYPE_SIZE, TypeError, TypeLimit};
use super::units::{UnitKey, item_name};

/// A code generation error, on a span of the file being compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgError(Box<Diagnostic>);

impl CgError {
    /// An error with a code, message, span, label and help line.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> CgError {
        CgError(Box::new(
            Diagnostic::new(code, message, span, label).with_help(help),
        ))
    }

    /// A situation the front end should have excluded (a compiler bug).
    pub fn internal(message: impl Into<String>, span: Span) -> CgError {
        let message = message.into();
        CgError::new(
            Code::CodegenLimit,
            format!("internal code generation error: {message}"),
            span,
            "while compiling this",
            "this is a bug in the Tally compiler; please report it with this program",
        )
    }

    /// The same error reported at a span of the root file, for an error met
    /// in another file (a std module).
    pub fn at_root(self, origin: Span) -> CgError {
        let mut d = *self.0;
        d.notes.push(format!(
            "while compiling code used here: {}",
            d.primary.message
        ));
        d.primary.span = origin;
        d.primary.message = "needed by this".into();
        CgError(Box::new(d))
    }

    /// The diagnostic.
    pub fn into_diagnostic(self) -> Diagnostic {
        *self.0
    }
}

/// E0701: instantiation that does not end.
pub fn instantiation_limit(db: &dyn Db, key: &UnitKey, origin: Span) -> CgError {
    let what = match &key.body {
        super::units::Body::Item(item) => format!("`{}`", item_name(db, *item, &key.tys)),
        _ => "a lambda".into(),
    };
    CgError::new(
        Code::InstantiationLimit,
        format!("instantiating {what} does not end"),
        origin,
        "this needs ever more instances",
        "a generic function that calls itself at a larger type (polymorphic recursion), or passes itself a new lambda that wraps its function argument, cannot be compiled; call it at one type, and pass function arguments on unchanged",
    )
}

/// E0702: a bytecode limit is exceeded.
pub fn limit(what: impl Into<String>, span: Span) -> CgError {
    let what = what.into();
    CgError::new(
        Code::CodegenLimit,
        format!("too large for bytecode: {what}"),
        span,
        "too large to compile",
        "split the function or the data type into smaller ones",
    )
}

/// E0703: a requested export cannot be made.
pub fn bad_instance(
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
    help: impl Into<String>,
) -> CgError {
    CgError::new(Code::BadEntryPoint, message, span, label, help)
}

/// The error for a type without a bytecode representation.
pub fn type_error(e: TypeError, span: Span) -> CgError {
    match e {
        TypeError::TooDeep(ty, TypeLimit::Depth) => CgError::new(
            Code::InstantiationLimit,
            "instantiating this type does not end",
            span,
            if ty.is_empty() {
                "needs ever larger types".to_string()
            } else {
                format!("needs `{ty}`, and ever larger types")
            },
            "a generic type or function used at ever larger types (polymorphic recursion, or a type that contains itself at a larger type) cannot be compiled; use it at one type",
        ),
        TypeError::TooDeep(ty, TypeLimit::Size) => CgError::new(
            Code::InstantiationLimit,
            format!(
                "this needs a type of more than {MAX_TYPE_SIZE} nodes, the largest the compiler instantiates"
            ),
            span,
            if ty.is_empty() {
                format!("the type of this has more than {MAX_TYPE_SIZE} nodes")
            } else {
                format!("needs `{ty}`, which has more than {MAX_TYPE_SIZE} nodes")
            },
            "nested generic calls multiply the size of their types (each `pair(x)` doubles it), and a generic function calling itself at a larger type (polymorphic recursion) never stops growing them; build such values with a recursive data type such as a `List` instead",
        ),
        TypeError::Limit(what) => limit(what, span),
        TypeError::MapKey(ty) => CgError::new(
            Code::MapKeyInstance,
            format!("this instantiates the map type `{ty}`, whose keys are not `Int` or `Bytes`"),
            span,
            format!("needs `{ty}`"),
            "a generic function or type that builds a `Map<K, V>` can only be used with `Int` or `Bytes` for `K`; key the map by an `Int` or by `Bytes` (e.g. an encoding of the compound key)",
        ),
        TypeError::Internal(what) => CgError::internal(what, span),
    }
}
