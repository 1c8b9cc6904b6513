//! What the checker produces for one module, keyed by arena ids, with a
//! small API for later phases (code generation, the language server).

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::{ExprId, Item, Module, PatId};
use crate::types::builtin::Builtin;
use crate::types::signatures::Signatures;
use crate::types::ty::{ItemRef, Ty};

/// Index of a local variable in [`TypedModule::locals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// How a local variable was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    /// A parameter of the fn item at this item index (the `index`-th).
    Param {
        /// The function's item index.
        item: u32,
        /// The parameter's position.
        index: u32,
    },
    /// A binding in a pattern (`let`, `match` arm).
    Pattern(PatId),
    /// A lambda's parameter: the lambda expression and the position.
    LambdaParam {
        /// The lambda.
        lambda: ExprId,
        /// The parameter's position.
        index: u32,
    },
}

/// A local variable: name, where it is bound, and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalInfo {
    /// Its name.
    pub name: String,
    /// Where it is bound.
    pub span: Span,
    /// Where it is visible (the rest of the block for a `let`, the arm for a
    /// `match` pattern, the body for a parameter).
    pub scope: Span,
    /// How it is bound.
    pub kind: LocalKind,
    /// Its type.
    pub ty: Ty,
}

/// What a name in a body refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// A local variable of this module.
    Local(LocalId),
    /// A function item (possibly in another module).
    Fn(ItemRef),
    /// An enum constructor.
    Ctor {
        /// The enum.
        item: ItemRef,
        /// The variant's index in declaration order.
        variant: u32,
    },
    /// A struct (the name of a struct literal or struct pattern).
    Struct(ItemRef),
    /// An intrinsic of `std::builtin`.
    Builtin(Builtin),
    /// A `const` item (possibly in another module).
    Const(ItemRef),
}

/// Everything the checker learned about a module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypedModule {
    /// Name, type and exhaustiveness diagnostics (including those of the
    /// module's declarations, imports and signatures).
    pub diagnostics: Vec<Diagnostic>,
    /// The type of every expression, by `ExprId` (the error type for
    /// expressions that were never reached, e.g. inside a broken item).
    pub expr_types: Vec<Ty>,
    /// The type of every pattern, by `PatId`.
    pub pat_types: Vec<Ty>,
    /// What each path expression, struct literal and call's callee refers to.
    pub expr_resolutions: BTreeMap<ExprId, Resolution>,
    /// What each constructor and struct pattern refers to.
    pub pat_resolutions: BTreeMap<PatId, Resolution>,
    /// The local bound by each binding pattern.
    pub pat_locals: BTreeMap<PatId, LocalId>,
    /// The type arguments each use of a generic function or constructor was
    /// instantiated with (keyed by the path expression or pattern's
    /// expression; patterns are in `pat_instances`).
    pub instances: BTreeMap<ExprId, Vec<Ty>>,
    /// The type arguments of each constructor or struct pattern.
    pub pat_instances: BTreeMap<PatId, Vec<Ty>>,
    /// The field index each field access `e.f` selects.
    pub field_indices: BTreeMap<ExprId, u32>,
    /// All locals of the module.
    pub locals: Vec<LocalInfo>,
    /// The locals of each fn item's parameters, in order, by item index.
    pub params: BTreeMap<u32, Vec<LocalId>>,
    /// The module's scope and item signatures.
    pub signatures: Signatures,
    /// The generator of each property parameter written `x: T via f`, by
    /// (test item index, parameter index): the function and its parameter types.
    pub vias: BTreeMap<(u32, u32), (ItemRef, Vec<Ty>)>,
}

impl TypedModule {
    /// The type of an expression.
    pub fn expr_ty(&self, id: ExprId) -> &Ty {
        self.expr_types.get(id.index()).unwrap_or(&Ty::Error)
    }

    /// The type of a pattern.
    pub fn pat_ty(&self, id: PatId) -> &Ty {
        self.pat_types.get(id.index()).unwrap_or(&Ty::Error)
    }

    /// What a path expression (or struct literal, or callee) refers to.
    pub fn resolution(&self, id: ExprId) -> Option<Resolution> {
        self.expr_resolutions.get(&id).copied()
    }

    /// What a constructor or struct pattern refers to.
    pub fn pat_resolution(&self, id: PatId) -> Option<Resolution> {
        self.pat_resolutions.get(&id).copied()
    }

    /// A local variable.
    pub fn local(&self, id: LocalId) -> Option<&LocalInfo> {
        self.locals.get(id.0 as usize)
    }

    /// The locals visible at a byte offset (for completion), innermost
    /// last; a name hidden by a later binding appears once, as that binding.
    pub fn locals_at(&self, offset: u32) -> Vec<&LocalInfo> {
        let visible: Vec<&LocalInfo> = self
            .locals
            .iter()
            .filter(|l| l.name != "_" && l.scope.start <= offset && offset <= l.scope.end)
            .collect();
        visible
            .iter()
            .enumerate()
            .filter(|(i, l)| !visible.iter().skip(i + 1).any(|later| later.name == l.name))
            .map(|(_, l)| *l)
            .collect()
    }

    /// Where a resolved name is defined (for go-to-definition): the file
    /// and the span of the defining name. `file` is this module's file.
    pub fn definition(
        &self,
        db: &dyn Db,
        file: SourceFile,
        res: Resolution,
    ) -> Option<(SourceFile, Span)> {
        match res {
            Resolution::Local(id) => self.local(id).map(|l| (file, l.span)),
            Resolution::Fn(item) | Resolution::Struct(item) | Resolution::Const(item) => {
                item_name_span(db, item, None).map(|s| (item.file, s))
            }
            Resolution::Ctor { item, variant } => {
                item_name_span(db, item, Some(variant)).map(|s| (item.file, s))
            }
            Resolution::Builtin(_) => None,
        }
    }
}

/// The span of an item's name (or of one of its variants' names).
pub fn item_name_span(db: &dyn Db, item: ItemRef, variant: Option<u32>) -> Option<Span> {
    let module = &crate::db::parse(db, item.file).module;
    match (module.items.get(item.index as usize)?, variant) {
        (Item::Fn(f), None) => Some(f.name.span),
        (Item::Struct(s), None) => Some(s.name.span),
        (Item::Enum(e), None) => Some(e.name.span),
        (Item::TypeAlias(a), None) => Some(a.name.span),
        (Item::Const(c), None) => Some(c.name.span),
        (Item::Enum(e), Some(v)) => e.variants.get(v as usize).map(|v| v.name.span),
        _ => None,
    }
}

/// The span of a struct's field name (for go-to-definition on `e.f`, with
/// the struct taken from the type of `e` and the index from
/// [`TypedModule::field_indices`]).
pub fn field_name_span(db: &dyn Db, item: ItemRef, index: u32) -> Option<Span> {
    let module = &crate::db::parse(db, item.file).module;
    match module.items.get(item.index as usize)? {
        Item::Struct(s) => s.fields.get(index as usize).map(|f| f.name.span),
        _ => None,
    }
}

/// The innermost expression whose span contains `offset` (for hover).
pub fn expr_at_offset(module: &Module, offset: u32) -> Option<ExprId> {
    module
        .exprs
        .iter()
        .enumerate()
        .filter(|(_, e)| e.span.contains(offset))
        .min_by_key(|(i, e)| {
            (
                e.span.end.saturating_sub(e.span.start),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(i, _)| ExprId(i as u32))
}

/// The innermost pattern whose span contains `offset` (for hover).
pub fn pat_at_offset(module: &Module, offset: u32) -> Option<PatId> {
    module
        .pats
        .iter()
        .enumerate()
        .filter(|(_, p)| p.span.contains(offset))
        .min_by_key(|(i, p)| {
            (
                p.span.end.saturating_sub(p.span.start),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(i, _)| PatId(i as u32))
}
