//! `type` aliases: each alias of a module is resolved once, in dependency
//! order (an alias may use the aliases it does not depend on through a
//! cycle), to a type over its own parameters; a use `Name<A, B>` is that
//! type with the arguments substituted. Aliases that form a cycle are
//! E0207 and stand for the error type.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Item, Module, TypeAliasDef, TypeExprKind, TypeId};
use crate::types::scope::ModuleScope;
use crate::types::signatures::{ItemSig, TypeCx, TypePos};
use crate::types::ty::Ty;

/// The expansion of every alias visible in a module, by the name it has
/// there: a type whose `Param { index }` is the alias's `index`-th parameter.
pub type Aliases = BTreeMap<String, Ty>;

/// Resolves the aliases of `file` (its own and the imported ones).
pub fn resolve_aliases(
    db: &dyn Db,
    file: SourceFile,
    module: &Module,
    scope: &ModuleScope,
    diagnostics: &mut Vec<Diagnostic>,
) -> Aliases {
    let mut out = Aliases::new();
    // Imported aliases were resolved with their own module's signatures.
    for (name, def) in &scope.types {
        if def.alias && def.item.file != file {
            let ty = match crate::types::signatures::signatures(db, def.item.file)
                .items
                .get(def.item.index as usize)
            {
                Some(ItemSig::Alias(a)) => a.ty.clone(),
                _ => Ty::Error,
            };
            out.insert(name.clone(), ty);
        }
    }
    // The module's own aliases (a duplicate name keeps the first definition).
    let own: BTreeMap<&str, &TypeAliasDef> = module
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match item {
            Item::TypeAlias(a) => Some((index as u32, a)),
            _ => None,
        })
        .filter(|(index, a)| {
            scope
                .types
                .get(&a.name.name)
                .is_some_and(|d| d.alias && d.item.file == file && d.item.index == *index)
        })
        .map(|(_, a)| (a.name.name.as_str(), a))
        .collect();
    // The own aliases each alias mentions.
    let deps: BTreeMap<&str, BTreeSet<&str>> = own
        .iter()
        .map(|(name, a)| (*name, mentioned(module, a.ty, &own)))
        .collect();
    // Kahn's algorithm: an alias is resolved once all it mentions are.
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut progress = true;
    while progress {
        progress = false;
        for (name, a) in &own {
            if done.contains(name) || !deps[name].iter().all(|d| done.contains(d)) {
                continue;
            }
            let mut cx = TypeCx {
                module,
                scope,
                generics: &a.generics,
                diagnostics,
                aliases: &out,
            };
            let ty = cx.resolve(a.ty, TypePos::Alias);
            out.insert((*name).to_string(), ty);
            done.insert(name);
            progress = true;
        }
    }
    for (name, a) in &own {
        if !done.contains(name) {
            diagnostics.push(cycle(a));
            out.insert((*name).to_string(), Ty::Error);
        }
    }
    out
}

/// The names of `own` aliases written anywhere in the type `root`.
fn mentioned<'m>(
    module: &Module,
    root: TypeId,
    own: &BTreeMap<&'m str, &TypeAliasDef>,
) -> BTreeSet<&'m str> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(t) = stack.pop() {
        let Some(texpr) = module.types.get(t.index()) else {
            continue;
        };
        if let TypeExprKind::Named { name, .. } = &texpr.kind
            && let Some((key, _)) = own.get_key_value(name.name.as_str())
        {
            out.insert(*key);
        }
        texpr.kind.for_each_child(|c| stack.push(c));
    }
    out
}

/// E0207: the alias is defined through itself.
fn cycle(a: &TypeAliasDef) -> Diagnostic {
    Diagnostic::new(
        Code::AliasCycle,
        format!("the type alias `{}` is defined through itself", a.name.name),
        a.name.span,
        "this alias refers to itself, directly or through other aliases",
    )
    .with_help(
        "an alias is only another name: to define a recursive type, write an `enum` (e.g. `enum Tree { Leaf, Node(Tree, Int, Tree) }`)",
    )
}
