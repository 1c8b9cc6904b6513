//! Name resolution and type inference.
//!
//! Three tracked queries per module, each depending only on the ones
//! before it, so modules may import each other without cycles:
//! [`decls::declarations`] (the names an item list declares, read off the
//! syntax tree), [`signatures::signatures`] (the module's scope with its
//! imports, and every item's signature with written types resolved), and
//! [`infer`] (Hindley–Milner inference over the bodies, against the
//! signatures; the result is a [`TypedModule`]). Exhaustiveness runs last,
//! in `exhaust`, on the inferred types.
//!
//! For later phases (code generation, the language server):
//! - [`TypedModule::expr_ty`] / [`TypedModule::pat_ty`]: the type of every
//!   expression and pattern, fully substituted (unsolved variables are `()`),
//!   printable in Tally syntax with `Display`;
//! - [`TypedModule::resolution`] / [`TypedModule::pat_resolution`]: what each
//!   path, callee, struct literal and constructor/struct pattern refers to, and
//!   [`TypedModule::definition`] for where (file and span); locals are in
//!   [`TypedModule::locals`] (with their types and the span they are visible
//!   in, see [`TypedModule::locals_at`]);
//! - `instances`: the type arguments of each use of a generic function or
//!   constructor; `field_indices`: the field each `e.f` selects;
//! - [`signatures::signatures`]: a module's scope and its items' signatures
//!   (also copied into [`TypedModule::signatures`]); other modules' public
//!   items via [`Signatures::public_fns`] and [`decls::declarations`].

pub mod alias;
pub mod builtin;
mod check;
pub mod consts;
pub mod decls;
mod exhaust;
pub mod output;
pub mod scope;
pub mod signatures;
mod suggest;
pub mod table;
pub mod ty;

#[cfg(test)]
mod tests;

use crate::db::{Db, SourceFile};

pub use builtin::Builtin;
pub use output::{LocalId, LocalInfo, LocalKind, Resolution, TypedModule};
pub use signatures::{EnumSig, FnSig, ItemSig, Signatures, StructSig, VariantSig};
pub use ty::{ItemRef, Ty};

/// Resolves names and infers the types of one module; its diagnostics
/// include those of the module's declarations, imports and signatures.
#[salsa::tracked(returns(ref))]
pub fn infer(db: &dyn Db, file: SourceFile) -> TypedModule {
    let (mut typed, sites) = check::check_module(db, file);
    let module = &crate::db::parse(db, file).module;
    // Exhaustiveness (E0401, W0402, E0403), by `crate::exhaustive`.
    let found = exhaust::check(db, module, &typed, &sites);
    typed.diagnostics.extend(found);
    typed
        .diagnostics
        .sort_by_key(|d| (d.primary.span.start, d.primary.span.end, d.code));
    typed
}
