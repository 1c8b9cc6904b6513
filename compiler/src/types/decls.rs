//! The names a module declares, read straight off its syntax tree: types
//! (structs and enums), values (functions and constructors) and tests, with
//! duplicates reported (E0203). Other modules' imports depend only on this,
//! so modules may import from each other without cycles.

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Ident, Item};

/// A declared struct or enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDecl {
    /// Index of the item in the module.
    pub item: u32,
    /// Whether it is a struct (else an enum or an alias).
    pub is_struct: bool,
    /// Whether it is a `type` alias.
    pub alias: bool,
    /// Its number of type parameters.
    pub arity: usize,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Where its name is written.
    pub span: Span,
}

/// What a declared value name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A function item.
    Fn,
    /// The `variant`-th constructor of an enum item.
    Ctor {
        /// The constructor's index in declaration order.
        variant: u32,
    },
    /// A `const` item.
    Const,
}

/// A declared function or constructor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueDecl {
    /// Index of the defining item (the enum, for a constructor).
    pub item: u32,
    /// Function or constructor.
    pub kind: ValueKind,
    /// Whether it is `pub` (a constructor is as public as its enum).
    pub is_pub: bool,
    /// Where its name is written.
    pub span: Span,
}

/// The names declared by one module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decls {
    /// Structs and enums by name.
    pub types: BTreeMap<String, TypeDecl>,
    /// Functions and constructors by name.
    pub values: BTreeMap<String, ValueDecl>,
    /// Tests by name.
    pub tests: BTreeMap<String, Span>,
    /// Duplicate definitions.
    pub diagnostics: Vec<Diagnostic>,
}

/// The declarations of a module.
#[salsa::tracked(returns(ref))]
pub fn declarations(db: &dyn Db, file: SourceFile) -> Decls {
    let module = &crate::db::parse(db, file).module;
    let mut decls = Decls::default();
    for (index, item) in module.items.iter().enumerate() {
        let item_index = index as u32;
        match item {
            Item::Fn(f) => {
                let decl = ValueDecl {
                    item: item_index,
                    kind: ValueKind::Fn,
                    is_pub: f.is_pub,
                    span: f.name.span,
                };
                insert_value(&mut decls, &f.name, decl);
            }
            Item::Struct(s) => {
                let decl = TypeDecl {
                    item: item_index,
                    is_struct: true,
                    alias: false,
                    arity: s.generics.len(),
                    is_pub: s.is_pub,
                    span: s.name.span,
                };
                insert_type(&mut decls, &s.name, decl);
            }
            Item::Enum(e) => {
                let decl = TypeDecl {
                    item: item_index,
                    is_struct: false,
                    alias: false,
                    arity: e.generics.len(),
                    is_pub: e.is_pub,
                    span: e.name.span,
                };
                insert_type(&mut decls, &e.name, decl);
                for (variant, v) in e.variants.iter().enumerate() {
                    let decl = ValueDecl {
                        item: item_index,
                        kind: ValueKind::Ctor {
                            variant: variant as u32,
                        },
                        is_pub: e.is_pub,
                        span: v.name.span,
                    };
                    insert_value(&mut decls, &v.name, decl);
                }
            }
            Item::TypeAlias(a) => {
                let decl = TypeDecl {
                    item: item_index,
                    is_struct: false,
                    alias: true,
                    arity: a.generics.len(),
                    is_pub: a.is_pub,
                    span: a.name.span,
                };
                insert_type(&mut decls, &a.name, decl);
            }
            Item::Const(c) => {
                let decl = ValueDecl {
                    item: item_index,
                    kind: ValueKind::Const,
                    is_pub: c.is_pub,
                    span: c.name.span,
                };
                insert_value(&mut decls, &c.name, decl);
            }
            Item::Test(t) => {
                if let Some(first) = decls.tests.get(&t.name.name) {
                    let d = duplicate("test", &t.name, *first);
                    decls.diagnostics.push(d);
                } else {
                    decls.tests.insert(t.name.name.clone(), t.name.span);
                }
            }
            Item::Use(_) | Item::Error(_) => {}
        }
    }
    decls
}

fn insert_type(decls: &mut Decls, name: &Ident, decl: TypeDecl) {
    if let Some(d) = reserved(name) {
        decls.diagnostics.push(d);
    } else if let Some(first) = decls.types.get(&name.name) {
        let d = duplicate("type", name, first.span);
        decls.diagnostics.push(d);
    } else {
        decls.types.insert(name.name.clone(), decl);
    }
}

fn insert_value(decls: &mut Decls, name: &Ident, decl: ValueDecl) {
    if let Some(first) = decls.values.get(&name.name) {
        let what = match first.kind {
            ValueKind::Fn => "function",
            ValueKind::Ctor { .. } => "constructor",
            ValueKind::Const => "constant",
        };
        let d = duplicate(what, name, first.span);
        decls.diagnostics.push(d);
    } else {
        decls.values.insert(name.name.clone(), decl);
    }
}

/// E0203 for a second definition of `name`.
pub fn duplicate(what: &str, name: &Ident, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        format!("the name `{}` is defined more than once", name.name),
        name.span,
        format!("`{}` redefined here", name.name),
    )
    .with_label(
        first,
        format!("the {what} `{}` is first defined here", name.name),
    )
    .with_help(format!(
        "rename one of the two definitions of `{}`",
        name.name
    ))
}

/// E0203 for a type or type parameter named like a built-in type.
pub fn reserved(name: &Ident) -> Option<Diagnostic> {
    matches!(name.name.as_str(), "Int" | "Bool" | "Bytes").then(|| {
        Diagnostic::new(
            Code::DuplicateDefinition,
            format!("`{}` is the name of a built-in type", name.name),
            name.span,
            "this name is reserved",
        )
        .with_help("choose another name; `Int`, `Bool` and `Bytes` always mean the built-in types")
    })
}
