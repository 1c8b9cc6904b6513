//! A module's scope: the types and values its names may refer to — its own
//! items, its imports (`use std::list::{map}`), the virtual `std::builtin`
//! and the implicit prelude — with E0203, E0204 and E0205 for bad imports.

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{ExprKind, Item, Module, PatKind, Path, UseDecl};
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
    /// Modules imported whole (`use ledger::math` makes `math::add` a path), by alias.
    pub modules: BTreeMap<String, ModuleTarget>,
    /// The file this is the scope of (`None` only in a default scope).
    pub file: Option<SourceFile>,
}

/// The standard-library modules, for help texts.
pub const STD_MODULES: &str = "`std::list`, `std::option`, `std::result`, `std::int`, `std::bytes`, `std::crypto`, `std::map` and `std::builtin`";

/// The module a `use` path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModuleTarget {
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
    let mut scope = ModuleScope {
        file: Some(file),
        ..ModuleScope::default()
    };
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
            import(db, file, decl, own, &mut scope, &mut imported, diagnostics);
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
    if let Some(d) = import_cycle(db, file) {
        diagnostics.push(d);
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

/// The module `names` names from `from`, if there is one: a standard
/// module, `std::builtin`, or a module of the project.
fn find_module(db: &dyn Db, from: SourceFile, names: &[&str]) -> Option<ModuleTarget> {
    match names {
        ["std", "builtin"] => Some(ModuleTarget::Builtin),
        ["std", name] => db.std_module(name).map(ModuleTarget::File),
        [] | ["std", ..] => None,
        _ => crate::db::resolve_module(db, from, &names.join("::")).map(ModuleTarget::File),
    }
}

/// Resolves a module path such as `std::list` or `ledger::math` (a
/// project's module), or reports E0204 at it.
fn resolve_module(
    db: &dyn Db,
    from: SourceFile,
    path: &Path,
) -> Result<ModuleTarget, Box<Diagnostic>> {
    let names: Vec<&str> = path.segments.iter().map(|s| s.name.as_str()).collect();
    let found = find_module(db, from, &names);
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
            .with_help(unknown_module_help(db)),
        )
    })
}

/// The help of E0204 for an unknown module: the modules there are.
fn unknown_module_help(db: &dyn Db) -> String {
    let project: Vec<String> = db
        .project_modules()
        .iter()
        .map(|m| format!("`{}`", m.name))
        .collect();
    if project.is_empty() {
        format!("only standard-library modules can be imported: {STD_MODULES}")
    } else {
        format!(
            "the project's modules are {}; the standard library has {STD_MODULES}",
            project.join(", ")
        )
    }
}

/// Looks `name` up among the public items of a module by path, for
/// qualified paths such as `std::list::map` or `ledger::math::add` in
/// expressions, or `math::add` after `use ledger::math`.
pub fn qualified_value(
    db: &dyn Db,
    scope: &ModuleScope,
    path: &Path,
) -> Result<ValueDef, Box<Diagnostic>> {
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
    let alias = match module_segments {
        [only] => scope.modules.get(&only.name).copied(),
        _ => None,
    };
    let target = match (alias, scope.file) {
        (Some(target), _) => target,
        (None, Some(from)) => resolve_module(db, from, &module_path)?,
        (None, None) => {
            return Err(Box::new(Diagnostic::new(
                Code::UnknownImport,
                format!("unknown module `{}`", module_path.to_text()),
                module_path.span,
                "no module has this path",
            )));
        }
    };
    let module_text = module_path.to_text();
    match target {
        ModuleTarget::Builtin => Builtin::from_name(&last.name)
            .map(ValueDef::Builtin)
            .ok_or_else(|| {
                Box::new(missing_in(
                    Code::UnresolvedName,
                    &module_text,
                    last,
                    Builtin::ALL.iter().map(|b| b.name()),
                ))
            }),
        ModuleTarget::File(file) => {
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

/// `use a::b` where `a::b` is itself a module (and not an item `b` of a
/// module `a`): the module, imported whole under its last segment.
fn whole_module(db: &dyn Db, from: SourceFile, decl: &UseDecl) -> Option<ModuleTarget> {
    let [name] = decl.names.as_slice() else {
        return None;
    };
    let mut names: Vec<&str> = decl
        .module
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    names.push(name.name.as_str());
    let whole = find_module(db, from, &names)?;
    let item_there = match find_module(db, from, &names[..names.len() - 1]) {
        Some(ModuleTarget::File(file)) => {
            let decls = declarations(db, file);
            decls.values.contains_key(&name.name) || decls.types.contains_key(&name.name)
        }
        Some(ModuleTarget::Builtin) => Builtin::from_name(&name.name).is_some(),
        None => false,
    };
    (!item_there).then_some(whole)
}

fn import(
    db: &dyn Db,
    from: SourceFile,
    decl: &UseDecl,
    own: &Decls,
    scope: &mut ModuleScope,
    imported: &mut BTreeMap<String, Span>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(whole) = whole_module(db, from, decl) {
        let name = &decl.names[0];
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
            return;
        }
        imported.insert(name.name.clone(), name.span);
        scope.modules.insert(name.name.clone(), whole);
        return;
    }
    let target = match resolve_module(db, from, &decl.module) {
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
            ModuleTarget::Builtin => match Builtin::from_name(&name.name) {
                Some(b) => values.push(ValueDef::Builtin(b)),
                None => {
                    let names = Builtin::ALL.iter().map(|b| b.name());
                    diagnostics.push(missing_in(Code::UnknownImport, &module_text, name, names));
                    continue;
                }
            },
            ModuleTarget::File(file) => {
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

/// Every project module `file` imports, directly or through other modules
/// (not `file` itself), in the order they are first reached.
pub fn reachable_modules(db: &dyn Db, file: SourceFile) -> Vec<SourceFile> {
    let mut seen = vec![file];
    let mut next = 0;
    while next < seen.len() {
        for (target, _) in imported_modules(db, seen[next]) {
            if !seen.contains(&target) {
                seen.push(target);
            }
        }
        next += 1;
    }
    seen.remove(0);
    seen
}

/// The project modules `file` imports, each with the `use` that names it.
fn imported_modules(db: &dyn Db, file: SourceFile) -> Vec<(SourceFile, Span)> {
    let module = &crate::db::parse(db, file).module;
    let mut out = Vec::new();
    for item in &module.items {
        let Item::Use(decl) = item else { continue };
        let names: Vec<&str> = decl
            .module
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let target = whole_module(db, file, decl).or_else(|| find_module(db, file, &names));
        if let Some(ModuleTarget::File(target)) = target
            && crate::db::module_name(db, target).is_some()
        {
            out.push((target, decl.span));
        }
    }
    // Qualified paths (`ledger::math::double(2)`) import their module too.
    let paths = module
        .exprs
        .iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Path(path) | ExprKind::StructLit { name: path, .. } => Some(path),
            _ => None,
        })
        .chain(module.pats.iter().filter_map(|p| match &p.kind {
            PatKind::Ctor { path, .. } | PatKind::Struct { path, .. } => Some(path),
            _ => None,
        }));
    for path in paths {
        let Some((_, segments)) = path.segments.split_last() else {
            continue;
        };
        if segments.is_empty() {
            continue;
        }
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        if let Some(ModuleTarget::File(target)) = find_module(db, file, &names)
            && crate::db::module_name(db, target).is_some()
            && !out.iter().any(|(seen, _)| *seen == target)
        {
            out.push((target, path.span));
        }
    }
    out
}

/// E0208 at the first `use` of `file` through which the imports lead back
/// to `file`, naming the modules of the cycle in order.
fn import_cycle(db: &dyn Db, file: SourceFile) -> Option<Diagnostic> {
    let name = |f: SourceFile| crate::db::module_name(db, f).unwrap_or("?").to_string();
    crate::db::module_name(db, file)?;
    for (first, at) in imported_modules(db, file) {
        // Breadth-first from `first`, remembering how each module was reached.
        let mut parent: Vec<(SourceFile, Option<usize>)> = vec![(first, None)];
        let mut next = 0;
        let mut found = None;
        while next < parent.len() {
            let (current, _) = parent[next];
            if current == file {
                found = Some(next);
                break;
            }
            for (target, _) in imported_modules(db, current) {
                if !parent.iter().any(|(seen, _)| *seen == target) {
                    parent.push((target, Some(next)));
                }
            }
            next += 1;
        }
        let Some(mut at_index) = found else { continue };
        let mut chain = vec![name(file)];
        let mut back = Vec::new();
        loop {
            let (module, from) = parent[at_index];
            back.push(name(module));
            match from {
                Some(p) => at_index = p,
                None => break,
            }
        }
        back.reverse();
        chain.extend(back);
        let shown: Vec<String> = chain.iter().map(|m| format!("`{m}`")).collect();
        return Some(
            Diagnostic::new(
                Code::ImportCycle,
                format!("import cycle: {}", shown.join(" → ")),
                at,
                format!(
                    "`{}` imports `{}`, which leads back here",
                    chain[0], chain[1]
                ),
            )
            .with_help(
                "modules cannot import each other in a cycle; move what both need into a \
                 third module that imports neither",
            ),
        );
    }
    None
}
