//! The wording of type errors: what was expected, what was found, and why
//! that was expected.

use std::collections::BTreeMap;

use crate::db::Db;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::BinOp;
use crate::types::ty::{ItemRef, Ty};

/// Why a type was expected: decides the secondary label and the help line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// No particular reason worth telling.
    Plain,
    /// An operand of this operator.
    Operand(BinOp),
    /// The operand of unary `-` (true) or `!` (false).
    UnaryOperand(bool),
    /// The condition of an `if`.
    Condition,
    /// A function body; the span of the written result type.
    Return(Span),
    /// A test body.
    Test,
    /// The `else` branch; the span of the `then` branch.
    Branch(Span),
    /// A later `match` arm; the span of the first arm's value.
    Arm(Span),
    /// An argument for parameter `index` of a call.
    Arg,
    /// A struct field's value.
    Field,
    /// A list element.
    ListElem,
    /// The list after `..` in a list literal.
    ListTail,
    /// The right side of `==`/`!=`; the span of the left side.
    Compare(Span),
    /// A value with a written annotation at this span.
    Annotation(Span),
    /// The `..base` of a struct literal.
    Base,
    /// A pattern matched against a value of the expected type.
    Pattern,
    /// The body of a lambda passed to a parameter of function type.
    LambdaBody,
    /// The reason of a `fail`.
    FailReason,
}

/// E0301: `found` where `expected` was required.
pub fn mismatch(expected: &Ty, found: &Ty, span: Span, why: Why) -> Diagnostic {
    let d = Diagnostic::new(
        Code::TypeMismatch,
        format!("mismatched types: expected `{expected}`, found `{found}`"),
        span,
        format!("expected `{expected}`, found `{found}`"),
    );
    let list_help = match expected {
        Ty::Adt { name, args, .. } if name == "List" && args.first() == Some(found) => Some(
            "to put a value in front of a list write `[x, ..list]`; to make a one-element list write `[x]`",
        ),
        _ => None,
    };
    let d = match why {
        Why::Plain => d,
        Why::Operand(op) => {
            let operand = match op {
                BinOp::And | BinOp::Or => "`Bool`",
                _ => "`Int`",
            };
            if op == BinOp::Add && *found == Ty::Bytes {
                d.with_help("`+` takes `Int` operands; to join bytes use `std::bytes::concat(a, b)`")
            } else {
                d.with_help(format!("`{}` takes {operand} operands", op.text()))
            }
        }
        Why::UnaryOperand(neg) => d.with_help(if neg {
            "unary `-` takes an `Int`"
        } else {
            "`!` takes a `Bool`"
        }),
        Why::Condition => d.with_help(match found {
            Ty::Int => "a condition must be a `Bool`; compare the value, e.g. `x != 0`",
            _ => "a condition must be a `Bool`",
        }),
        Why::Return(ret) => d
            .with_label(ret, format!("the function returns `{expected}`"))
            .with_help("make the body's value match the written result type, or change the signature"),
        Why::Test => d.with_help(
            "a test's body must be a `Bool`: compare the result with the expected value, e.g. `f(1) == 2`",
        ),
        Why::Branch(then) => d
            .with_label(then, format!("this branch is `{expected}`"))
            .with_help("both branches of an `if` must have the same type"),
        Why::Arm(first) => d
            .with_label(first, format!("the first arm is `{expected}`"))
            .with_help("every arm of a `match` must have the same type"),
        Why::Arg => d,
        Why::Field => d,
        Why::ListElem => d.with_help("all elements of a list have the same type"),
        Why::ListTail => d.with_help("after `..` comes a list with the same element type"),
        Why::Compare(lhs) => d
            .with_label(lhs, format!("this is `{expected}`"))
            .with_help("`==` and `!=` compare two values of the same type"),
        Why::Annotation(ann) => d.with_label(ann, "expected because of this annotation"),
        Why::Base => d.with_help("the value after `..` must be of the struct's own type"),
        Why::LambdaBody => d.with_help(format!(
            "the function this lambda is passed to expects it to return `{expected}`"
        )),
        Why::FailReason => d.with_help(
            "the reason of `fail` is `Bytes`: write it as a string literal, e.g. `fail(\"insufficient funds\")`",
        ),
        Why::Pattern => d.with_help(format!(
            "this pattern must match a value of type `{expected}`"
        )),
    };
    match list_help {
        Some(help) if d.help.is_none() => d.with_help(help),
        _ => d,
    }
}

/// E0309: unifying would make a type contain itself.
pub fn infinite(found: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InfiniteType,
        "infinite type",
        span,
        format!("this value's type would have to contain itself (it is `{found}` inside)"),
    )
    .with_help("a value cannot be an element of itself; check which list or value is meant here")
}

/// When `expected` and `found` read the same but are different types (a
/// user's `enum List<T>` and the prelude's), rewrites the mismatch with
/// each such name qualified by its module (`std::prelude::List<Int>`) and a
/// note saying where each is defined.
pub fn distinguish(db: &dyn Db, d: Diagnostic, expected: &Ty, found: &Ty) -> Diagnostic {
    if expected.to_string() != found.to_string() {
        return d;
    }
    let mut items: BTreeMap<String, Vec<ItemRef>> = BTreeMap::new();
    let mut stack = vec![expected, found];
    while let Some(ty) = stack.pop() {
        if let Ty::Adt { item, name, .. } = ty {
            let seen = items.entry(name.clone()).or_default();
            if !seen.contains(item) {
                seen.push(*item);
            }
        }
        ty.for_each_child(|c| stack.push(c));
    }
    items.retain(|_, refs| refs.len() > 1);
    if items.is_empty() {
        return d;
    }
    let (expected, found) = (
        qualified(db, expected, &items),
        qualified(db, found, &items),
    );
    let mut d = Diagnostic {
        message: format!("mismatched types: expected `{expected}`, found `{found}`"),
        ..d
    };
    d.primary.message = format!("expected `{expected}`, found `{found}`");
    for (name, refs) in &items {
        let places: Vec<String> = refs.iter().map(|r| definition_site(db, *r, name)).collect();
        d = d.with_note(format!(
            "two different types are named `{name}`: {}",
            places.join(", and ")
        ));
    }
    d
}

/// `ty` written with the names in `ambiguous` qualified by their module.
fn qualified(db: &dyn Db, ty: &Ty, ambiguous: &BTreeMap<String, Vec<ItemRef>>) -> String {
    match ty {
        Ty::Adt { item, name, args } => {
            let name = if ambiguous.contains_key(name) {
                module_name(db, *item, name)
            } else {
                name.clone()
            };
            if args.is_empty() {
                return name;
            }
            let args: Vec<String> = args.iter().map(|a| qualified(db, a, ambiguous)).collect();
            format!("{name}<{}>", args.join(", "))
        }
        Ty::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|a| qualified(db, a, ambiguous)).collect();
            format!("({})", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// `std::prelude::List` for a standard module's type; `List` for a type of
/// the file being checked.
fn module_name(db: &dyn Db, item: ItemRef, name: &str) -> String {
    let path = item.file.path(db);
    if path.starts_with("std::") {
        format!("{path}::{name}")
    } else {
        name.to_string()
    }
}

/// "`std::prelude::List` is defined in the prelude", "`List` is defined at t.tly:1:1".
fn definition_site(db: &dyn Db, item: ItemRef, name: &str) -> String {
    let path = item.file.path(db);
    let qualified = module_name(db, item, name);
    let start = crate::db::parse(db, item.file)
        .module
        .items
        .get(item.index as usize)
        .map_or(0, |i| i.span().start);
    let at = crate::db::line_index(db, item.file).line_col(item.file.text(db), start);
    format!(
        "`{qualified}` is defined at {path}:{}:{}",
        at.line, at.column
    )
}
