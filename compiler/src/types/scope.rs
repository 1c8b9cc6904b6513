//! A module's scope: the types and values its names may refer to — its own
//! items, its imports (`use std::list::{map}`), the virtual `std::builtin`
//! and the implicit prelude — with E0203, E0204 and E0205 for bad imports.

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Item, Module, Path, UseDecl};
use crate::types::builtin::Builtin;
use crate::types::decls::{Decls, TypeDecl, ValueDecl, ValueKind, declarations};
use crate::types::suggest::closest;
use crate::types::ty::ItemRef;

/// What a value name refers to at module level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueDef {
    /// A function item.
    Fn(ItemRef),
    /// A constructor: the enum item and the variant's index.
    Ctor {
        /// The enum.
        item: ItemRef,
        /// The variant's index in declaration order.
        variant: u32,
    },
    /// An intrinsic of `std::builtin`.
    Builtin(Builtin),
    /// A `const` item.
    Const(ItemRef),
}

/// What a type name refers to at module level (a struct or an enum).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeDef {
    /// The defining item.
    pub item: ItemRef,
    /// The type's name.
    pub name: String,
    /// Whether it is a struct (else an enum or an alias).
    pub is_struct: bool,
    /// Whether it is a `type` alias (expanded where it is written).
    pub alias: bool,
    /// Its number of type parameters.
    pub arity: usize,
}

/// Every module-level name visible in one module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleScope {
    /// Functions, constructors and intrinsics by name.
    pub values: BTreeMap<String, ValueDef>,
    /// Structs and enums by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// The standard-library modules, for help texts.
pub const STD_MODULES: &str = "`std::list`, `std::option`, `std::result`, `std::int`, `std::bytes`, `std::map` and `std::builtin`";

/// The module a `use` path names.
enum Target {
    /// A real module with its declarations.
    File(SourceFile),
    /// `std::builtin`.
    Builtin,
}

fn value_def(file: SourceFile, decl: &ValueDecl) -> ValueDef {
    let item = ItemRef {
        file,
        index: decl.item,
    };
    match decl.kind {
        ValueKind::Fn => ValueDef::Fn(item),
        ValueKind::Ctor { variant } => ValueDef::Ctor { item, variant },
        ValueKind::Const => ValueDef::Const(item),
    }
}

fn type_def(file: SourceFile, name: &str, decl: &TypeDecl) -> TypeDef {
    TypeDef {
        item: ItemRef {
            file,
            index: decl.item,
        },
        name: name.to_string(),
        is_struct: decl.is_struct,
        alias: decl.alias,
        arity: decl.arity,
    }
}

/// Builds the scope of `file`, reporting bad imports into `diagnostics`.
pub fn build_scope(
    db: &dyn Db,
    file: SourceFile,
    module: &Module,
    diagnostics: &mut Vec<Diagnostic>,
) -> ModuleScope {
    let own = declarations(db, file);
    let mut scope = ModuleScope::default();
    for (name, decl) in &own.values {
        scope.values.insert(name.clone(), value_def(file, decl));
    }
    for (name, decl) in &own.types {
        scope.types.insert(name.clone(), type_def(file, name, decl));
    }
    // Where each explicitly imported name came in, to report clashes.
    let mut imported: BTreeMap<String, Span> = BTreeMap::new();
    for item in &module.items {
        if let Item::Use(decl) = item {
            import(db, decl, own, &mut scope, &mut imported, diagnostics);
        }
    }
    if let Some(prelude) = db.std_module("prelude")
        && prelude != file
    {
        let decls = declarations(db, prelude);
        for (name, decl) in &decls.values {
            if decl.is_pub {
                scope
                    .values
                    .entry(name.clone())
                    .or_insert_with(|| value_def(prelude, decl));
            }
        }
        for (name, decl) in &decls.types {
            if decl.is_pub {
                scope
                    .types
                    .entry(name.clone())
                    .or_insert_with(|| type_def(prelude, name, decl));
            }
        }
    }
    // The builtin `Map<K, V>`, unless the module names a type `Map` itself.
    if let Some(prelude) = db.std_module("prelude") {
        scope
            .types
            .entry("Map".to_string())
            .or_insert_with(|| TypeDef {
                item: crate::types::builtin::map_item(prelude),
                name: "Map".to_string(),
                is_struct: false,
                arity: 2,
                alias: false,
            });
    }
    scope
}

/// Resolves a module path such as `std::list`, or reports E0204 at it.
fn resolve_module(db: &dyn Db, path: &Path) -> Result<Target, Box<Diagnostic>> {
    let names: Vec<&str> = path.segments.iter().map(|s| s.name.as_str()).collect();
    let found = match names.as_slice() {
        ["std", "builtin"] => Some(Target::Builtin),
        ["std", name] => db.std_module(name).map(Target::File),
        _ => None,
    };
    if names.as_slice() == ["std"] {
        return Err(Box::new(
            Diagnostic::new(
                Code::UnknownImport,
                "a `use` must name items of a module",
                path.span,
                "this names a module, not its items",
            )
            .with_help("name the items to import, e.g. `use std::list::{map, fold}`"),
        ));
    }
    found.ok_or_else(|| {
        Box::new(
            Diagnostic::new(
                Code::UnknownImport,
                format!("unknown module `{}`", path.to_text()),
                path.span,
                "no module has this path",
            )
            .with_help(format!(
                "only standard-library modules can be imported: {STD_MODULES}"
            )),
        )
    })
}

/// Looks `name` up among the public items of a module by path, for
/// qualified paths such as `std::list::map` in expressions.
pub fn qualified_value(db: &dyn Db, path: &Path) -> Result<ValueDef, Box<Diagnostic>> {
    let (last, module_segments) = match path.segments.split_last() {
        Some(split) => split,
        None => {
            return Err(Box::new(Diagnostic::new(
                Code::UnresolvedName,
                "empty path",
                path.span,
                "expected a name",
            )));
        }
    };
    let module_path = Path {
        segments: module_segments.to_vec(),
        span: module_segments
            .iter()
            .map(|s| s.span)
            .reduce(Span::to)
            .unwrap_or(path.span),
    };
    let target = resolve_module(db, &module_path)?;
    let module_text = module_path.to_text();
    match target {
        Target::Builtin => Builtin::from_name(&last.name)
            .map(ValueDef::Builtin)
            .ok_or_else(|| {
                Box::new(missing_in(
                    Code::UnresolvedName,
                    &module_text,
                    last,
                    Builtin::ALL.iter().map(|b| b.name()),
                ))
            }),
        Target::File(file) => {
            let decls = declarations(db, file);
            match decls.values.get(&last.name) {
                Some(decl) if decl.is_pub => Ok(value_def(file, decl)),
                Some(decl) => Err(Box::new(private(
                    &module_text,
                    last.name.as_str(),
                    last.span,
                    decl.span,
                ))),
                None => Err(Box::new(missing_in(
                    Code::UnresolvedName,
                    &module_text,
                    last,
                    decls
                        .values
                        .iter()
                        .filter(|(_, d)| d.is_pub)
                        .map(|(n, _)| n.as_str()),
                ))),
            }
        }
    }
}

fn missing_in<'a>(
    code: Code,
    module: &str,
    name: &crate::syntax::ast::Ident,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        code,
        format!("`{module}` has no item `{}`", name.name),
        name.span,
        format!("not found in `{module}`"),
    );
    match closest(&name.name, candidates) {
        Some(similar) => diagnostic.with_help(format!("did you mean `{similar}`?")),
        None => diagnostic.with_help(format!("check the public items of `{module}`")),
    }
}

fn private(module: &str, name: &str, at: Span, _defined: Span) -> Diagnostic {
    Diagnostic::new(
        Code::PrivateItem,
        format!("`{name}` is private to `{module}`"),
        at,
        "this item is not `pub`",
    )
    .with_help(format!(
        "only `pub` items can be used from another module; `{name}` is internal to `{module}`"
    ))
}

fn import(
    db: &dyn Db,
    decl: &UseDecl,
    own: &Decls,
    scope: &mut ModuleScope,
    imported: &mut BTreeMap<String, Span>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let target = match resolve_module(db, &decl.module) {
        Ok(target) => target,
        Err(d) => {
            diagnostics.push(*d);
            return;
        }
    };
    let module_text = decl.module.to_text();
    for name in &decl.names {
        let mut values = Vec::new();
        let mut types = Vec::new();
        match &target {
            Target::Builtin => match Builtin::from_name(&name.name) {
                Some(b) => values.push(ValueDef::Builtin(b)),
                None => {
                    let names = Builtin::ALL.iter().map(|b| b.name());
                    diagnostics.push(missing_in(Code::UnknownImport, &module_text, name, names));
                    continue;
                }
            },
            Target::File(file) => {
                let decls = declarations(db, *file);
                let value = decls.values.get(&name.name);
                let ty = decls.types.get(&name.name);
                if value.is_none() && ty.is_none() {
                    let names = decls
                        .values
                        .iter()
                        .filter(|(_, d)| d.is_pub)
                        .map(|(n, _)| n.as_str())
                        .chain(
                            decls
                                .types
                                .iter()
                                .filter(|(_, d)| d.is_pub)
                                .map(|(n, _)| n.as_str()),
                        );
                    diagnostics.push(missing_in(Code::UnknownImport, &module_text, name, names));
                    continue;
                }
                let private_at = value
                    .filter(|v| !v.is_pub)
                    .map(|v| v.span)
                    .or(ty.filter(|t| !t.is_pub).map(|t| t.span));
                if let Some(defined) = private_at
                    && !value.is_some_and(|v| v.is_pub)
                    && !ty.is_some_and(|t| t.is_pub)
                {
                    diagnostics.push(private(&module_text, &name.name, name.span, defined));
                    continue;
                }
                if let Some(v) = value.filter(|v| v.is_pub) {
                    values.push(value_def(*file, v));
                }
                if let Some(t) = ty.filter(|t| t.is_pub) {
                    types.push(type_def(*file, &name.name, t));
                }
            }
        }
        if let Some(local) = own
            .values
            .get(&name.name)
            .map(|v| v.span)
            .or(own.types.get(&name.name).map(|t| t.span))
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateDefinition,
                    format!(
                        "`{}` is both imported and defined in this module",
                        name.name
                    ),
                    name.span,
                    "imported here",
                )
                .with_label(local, "and defined here")
                .with_help(format!(
                    "rename the definition, or remove `{}` from the `use`",
                    name.name
                )),
            );
            continue;
        }
        if let Some(first) = imported.get(&name.name) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateDefinition,
                    format!("`{}` is imported twice", name.name),
                    name.span,
                    "imported again here",
                )
                .with_label(*first, "first imported here")
                .with_help("remove one of the imports"),
            );
            continue;
        }
        imported.insert(name.name.clone(), name.span);
        for v in values {
            scope.values.insert(name.name.clone(), v);
        }
        for t in types {
            scope.types.insert(name.name.clone(), t);
        }
    }
}
