//! Types as the checker sees them, and their printing in Tally syntax.

use std::fmt;

use crate::db::SourceFile;

/// A top-level item of some module: the file and the item's index in
/// `Module::items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemRef {
    /// The module that defines it.
    pub file: SourceFile,
    /// Its index in the module's item list.
    pub index: u32,
}

/// A type. Inside a body, `Var`s are inference variables; in the checker's
/// output they are substituted away, and a `Var` that remains was never
/// constrained (e.g. the element type of `[]` in `length([])`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `Int`
    Int,
    /// `Bool`
    Bool,
    /// `Bytes`
    Bytes,
    /// `()`
    Unit,
    /// `(A, B, ...)`
    Tuple(Vec<Ty>),
    /// A struct or enum applied to its type arguments.
    Adt {
        /// The defining item.
        item: ItemRef,
        /// Its name (for printing).
        name: String,
        /// The type arguments.
        args: Vec<Ty>,
    },
    /// A type parameter of the item being checked (or of a signature).
    Param {
        /// Its position in the item's generics.
        index: u32,
        /// Its name.
        name: String,
    },
    /// `fn(A, B) -> C` (parameter types of fn items only).
    Fn {
        /// Parameter types.
        params: Vec<Ty>,
        /// Result type.
        ret: Box<Ty>,
    },
    /// An inference variable.
    Var(u32),
    /// The type of something erroneous: it agrees with every type, so one
    /// mistake is reported once.
    Error,
}

impl Ty {
    /// Whether this is the error type.
    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    /// Calls `f` on every direct component type.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Ty)) {
        match self {
            Ty::Tuple(items) => items.iter().for_each(f),
            Ty::Adt { args, .. } => args.iter().for_each(f),
            Ty::Fn { params, ret } => {
                params.iter().for_each(&mut f);
                f(ret);
            }
            _ => {}
        }
    }

    /// Replaces every `Param { index }` by `args[index]` (a missing argument
    /// becomes the error type). Recursion is bounded by the depth of
    /// signature types, which come from (depth-capped) source.
    pub fn substitute(&self, args: &[Ty]) -> Ty {
        match self {
            Ty::Param { index, .. } => args.get(*index as usize).cloned().unwrap_or(Ty::Error),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| t.substitute(args)).collect()),
            Ty::Adt {
                item,
                name,
                args: inner,
            } => Ty::Adt {
                item: *item,
                name: name.clone(),
                args: inner.iter().map(|t| t.substitute(args)).collect(),
            },
            Ty::Fn { params, ret } => Ty::Fn {
                params: params.iter().map(|t| t.substitute(args)).collect(),
                ret: Box::new(ret.substitute(args)),
            },
            other => other.clone(),
        }
    }

    /// Whether a function type occurs anywhere in this type.
    pub fn contains_fn(&self) -> bool {
        let mut stack = vec![self];
        while let Some(ty) = stack.pop() {
            if matches!(ty, Ty::Fn { .. }) {
                return true;
            }
            ty.for_each_child(|c| stack.push(c));
        }
        false
    }
}

/// Printing deeper than this elides the rest as `…`.
const PRINT_DEPTH: usize = 48;

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ty(f, self, 0)
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Ty], depth: usize) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_ty(f, item, depth + 1)?;
    }
    Ok(())
}

fn write_ty(f: &mut fmt::Formatter<'_>, ty: &Ty, depth: usize) -> fmt::Result {
    if depth > PRINT_DEPTH {
        return f.write_str("…");
    }
    match ty {
        Ty::Int => f.write_str("Int"),
        Ty::Bool => f.write_str("Bool"),
        Ty::Bytes => f.write_str("Bytes"),
        Ty::Unit => f.write_str("()"),
        Ty::Tuple(items) => {
            f.write_str("(")?;
            write_list(f, items, depth)?;
            f.write_str(")")
        }
        Ty::Adt { name, args, .. } => {
            f.write_str(name)?;
            if !args.is_empty() {
                f.write_str("<")?;
                write_list(f, args, depth)?;
                f.write_str(">")?;
            }
            Ok(())
        }
        Ty::Param { name, .. } => f.write_str(name),
        Ty::Fn { params, ret } => {
            f.write_str("fn(")?;
            write_list(f, params, depth)?;
            f.write_str(") -> ")?;
            write_ty(f, ret, depth + 1)
        }
        Ty::Var(_) => f.write_str("_"),
        Ty::Error => f.write_str("{unknown}"),
    }
}
