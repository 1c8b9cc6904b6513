//! Hover, go-to-definition and completion: answers about one position,
//! computed from the type checker's output.

use tally::db::{self, Database, SourceFile};
use tally::syntax::ast::{ExprKind, Item, PatKind};
use tally::types::output::{expr_at_offset, pat_at_offset};
use tally::types::signatures::item_sig;
use tally::types::{self, ItemRef, ItemSig, Resolution, Ty};

/// What the hover shows: a signature or type in Tally syntax, and a doc comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverText {
    /// Code, shown in a `tally` block.
    pub code: String,
    /// The function's gas and memory bounds (Markdown), if it has them.
    pub bound: Option<String>,
    /// The function shown, whose bounds the hover adds (see `crate::bounds`),
    /// and the type arguments of the use hovered, for a generic one.
    pub function: Option<(ItemRef, Option<Vec<Ty>>)>,
    /// The doc comment, if any.
    pub doc: Option<String>,
}

/// The hover for the name or expression at `offset`.
pub fn hover(db: &Database, file: SourceFile, offset: u32) -> Option<HoverText> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let here = |index: usize| ItemRef {
        file,
        index: index as u32,
    };

    // The name of an item, variant or field being defined.
    for (index, item) in module.items.iter().enumerate() {
        match item {
            Item::Fn(f) if f.name.span.contains(offset) => {
                return item_hover(db, here(index), None);
            }
            Item::Struct(s) if s.name.span.contains(offset) => {
                return item_hover(db, here(index), None);
            }
            Item::Struct(s) => {
                if let Some(field) = s.fields.iter().find(|f| f.name.span.contains(offset)) {
                    let ty = match item_sig(db, here(index)) {
                        Some(ItemSig::Struct(sig)) => sig
                            .fields
                            .iter()
                            .find(|(name, _)| *name == field.name.name)
                            .map(|(_, ty)| ty.to_string()),
                        _ => None,
                    };
                    return Some(HoverText {
                        code: format!(
                            "{}.{}: {}",
                            s.name.name,
                            field.name.name,
                            ty.unwrap_or_default()
                        ),
                        bound: None,
                        function: None,
                        doc: field.doc.clone(),
                    });
                }
            }
            Item::Enum(e) if e.name.span.contains(offset) => {
                return item_hover(db, here(index), None);
            }
            Item::Enum(e) => {
                if let Some(v) = e.variants.iter().position(|v| v.name.span.contains(offset)) {
                    return item_hover(db, here(index), Some(v as u32));
                }
            }
            _ => {}
        }
    }

    // A pattern: a binding shows its type, a constructor its definition.
    if let Some(pat) = pat_at_offset(module, offset) {
        match &module.pat(pat).kind {
            PatKind::Bind(name) => {
                return Some(HoverText {
                    code: format!("{}: {}", name.name, typed.pat_ty(pat)),
                    bound: None,
                    function: None,
                    doc: None,
                });
            }
            PatKind::Ctor { .. } | PatKind::Struct { .. } => {
                if let Some(res) = typed.pat_resolution(pat) {
                    return resolution_hover(db, typed, res);
                }
            }
            _ => {}
        }
    }

    // An expression: a name shows what it refers to, anything else its type.
    let expr = expr_at_offset(module, offset)?;
    if let Some(res) = typed.resolution(expr)
        && matches!(
            module.expr(expr).kind,
            ExprKind::Path(_) | ExprKind::StructLit { .. }
        )
    {
        if let Resolution::Local(local) = res {
            let info = typed.local(local)?;
            return Some(HoverText {
                code: format!("{}: {}", info.name, typed.expr_ty(expr)),
                bound: None,
                function: None,
                doc: None,
            });
        }
        let mut found = resolution_hover(db, typed, res)?;
        if let Some((_, instance)) = &mut found.function {
            *instance = typed.instances.get(&expr).cloned();
        }
        return Some(found);
    }
    let ty = typed.expr_ty(expr);
    (!matches!(ty, Ty::Error)).then(|| HoverText {
        code: ty.to_string(),
        bound: None,
        function: None,
        doc: None,
    })
}

fn resolution_hover(
    db: &Database,
    typed: &types::TypedModule,
    res: Resolution,
) -> Option<HoverText> {
    let _ = typed;
    match res {
        Resolution::Fn(item) | Resolution::Struct(item) | Resolution::Const(item) => {
            item_hover(db, item, None)
        }
        Resolution::Ctor { item, variant } => item_hover(db, item, Some(variant)),
        Resolution::Builtin(builtin) => {
            let tys = tally::types::builtin::BuiltinTypes::of(db);
            let (params, ret) = builtin.signature(tys.as_ref());
            let params: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            let generics = match builtin.generics() {
                [] => String::new(),
                g => format!("<{}>", g.join(", ")),
            };
            Some(HoverText {
                code: format!(
                    "fn {}{generics}({}) -> {}",
                    builtin.name(),
                    params.join(", "),
                    ret
                ),
                bound: None,
                function: None,
                doc: Some("An intrinsic of `std::builtin`.".into()),
            })
        }
        Resolution::Local(_) => None,
    }
}

/// A function's or type's signature (or one variant of an enum) and its doc comment.
pub(crate) fn item_hover(db: &Database, item: ItemRef, variant: Option<u32>) -> Option<HoverText> {
    let module = &db::parse(db, item.file).module;
    let ast = module.items.get(item.index as usize)?;
    let sig = item_sig(db, item)?;
    let location = item.file.path(db);
    let mut function = None;
    let (code, doc) = match (sig, variant, ast) {
        (ItemSig::Fn(f), None, Item::Fn(def)) => {
            function = Some((item, None));
            (f.display(), def.doc.clone())
        }
        (ItemSig::Struct(s), None, Item::Struct(def)) => (s.display(), def.doc.clone()),
        (ItemSig::Enum(e), None, Item::Enum(def)) => (e.display(), def.doc.clone()),
        (ItemSig::Alias(a), None, Item::TypeAlias(def)) => (a.display(), def.doc.clone()),
        (ItemSig::Const(c), None, Item::Const(def)) => {
            let value = match types::consts::const_value(db, item) {
                Some(types::consts::ConstValue::Int(v)) => format!(" = {v}"),
                Some(types::consts::ConstValue::Bool(v)) => format!(" = {v}"),
                Some(types::consts::ConstValue::Bytes(v)) => match std::str::from_utf8(v) {
                    Ok(text) => format!(" = {text:?}"),
                    Err(_) => format!(
                        " = #\"{}\"",
                        v.iter().map(|b| format!("{b:02x}")).collect::<String>()
                    ),
                },
                None => String::new(),
            };
            (format!("{}{value}", c.display()), def.doc.clone())
        }
        (ItemSig::Enum(e), Some(v), Item::Enum(def)) => {
            let variant = e.variants.get(v as usize)?;
            let fields: Vec<String> = variant.fields.iter().map(Ty::to_string).collect();
            let code = if fields.is_empty() {
                format!("{}::{}", e.name, variant.name)
            } else {
                format!("{}::{}({})", e.name, variant.name, fields.join(", "))
            };
            (
                code,
                def.variants.get(v as usize).and_then(|v| v.doc.clone()),
            )
        }
        _ => return None,
    };
    let doc = match (doc, location.starts_with("std::")) {
        (Some(doc), true) => Some(format!("{doc}\n\n*{location}*")),
        (None, true) => Some(format!("*{location}*")),
        (doc, false) => doc,
    };
    Some(HoverText {
        code,
        bound: None,
        function,
        doc,
    })
}

/// Where the name at `offset` is defined: a file and the span of the defining name.
pub fn definition(
    db: &Database,
    file: SourceFile,
    offset: u32,
) -> Option<(SourceFile, tally::span::Span)> {
    if let Some(field) = crate::fields::field_definition(db, file, offset) {
        return Some(field);
    }
    let module = &db::parse(db, file).module;
    for item in &module.items {
        if let Item::Use(u) = item
            && let Some(name) = u
                .names
                .iter()
                .find(|n| n.span.start <= offset && offset <= n.span.end)
        {
            return imported(db, file, u, &name.name);
        }
    }
    let typed = types::infer(db, file);
    for (generator, f) in generators(typed, module) {
        if generator.start <= offset && offset <= generator.end {
            return typed.definition(db, file, Resolution::Fn(f));
        }
    }
    if let Some(pat) = pat_at_offset(module, offset)
        && let Some(res) = typed.pat_resolution(pat)
    {
        return typed.definition(db, file, res);
    }
    let expr = expr_at_offset(module, offset)?;
    typed.definition(db, file, typed.resolution(expr)?)
}

/// Inlay hints for `let` bindings without a written type: the offset after
/// the bound name and `: Type`.
pub fn let_type_hints(db: &Database, file: SourceFile) -> Vec<(u32, String)> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let mut hints = Vec::new();
    for expr in &module.exprs {
        let ExprKind::Block { lets, .. } = &expr.kind else {
            continue;
        };
        for stmt in lets {
            let pat = module.pat(stmt.pat);
            if stmt.ty.is_none() && matches!(pat.kind, PatKind::Bind(_)) {
                let ty = typed.pat_ty(stmt.pat);
                if !matches!(ty, Ty::Error) {
                    hints.push((pat.span.end, format!(": {ty}")));
                }
            }
        }
    }
    hints.sort();
    hints
}

/// The definition whose name is at `offset` (an item, variant or field
/// name, a parameter or a binding), for references asked on a declaration.
pub fn declaration_at(
    db: &Database,
    file: SourceFile,
    offset: u32,
) -> Option<(SourceFile, tally::span::Span)> {
    let module = &db::parse(db, file).module;
    for item in &module.items {
        let names: Vec<&tally::syntax::ast::Ident> = match item {
            Item::Fn(f) => vec![&f.name],
            Item::Struct(s) => std::iter::once(&s.name)
                .chain(s.fields.iter().map(|f| &f.name))
                .collect(),
            Item::Enum(e) => std::iter::once(&e.name)
                .chain(e.variants.iter().map(|v| &v.name))
                .collect(),
            _ => Vec::new(),
        };
        if let Some(name) = names.into_iter().find(|n| n.span.contains(offset)) {
            return Some((file, name.span));
        }
    }
    // A local's binding: a parameter, a lambda's parameter or a pattern's name.
    let typed = types::infer(db, file);
    if let Some(local) = typed.locals.iter().find(|l| l.span.contains(offset)) {
        return Some((file, local.span));
    }
    let pat = pat_at_offset(module, offset)?;
    match &module.pat(pat).kind {
        PatKind::Bind(name) => Some((file, name.span)),
        _ => None,
    }
}

/// The spans in `file` of names that resolve to `target` (including
/// the uses of a field, when `target` declares one).
pub fn uses_of(
    db: &Database,
    file: SourceFile,
    target: (SourceFile, tally::span::Span),
) -> Vec<tally::span::Span> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let mut spans = Vec::new();
    for (&expr, &res) in &typed.expr_resolutions {
        if typed.definition(db, file, res) == Some(target) {
            let span = match &module.expr(expr).kind {
                ExprKind::Path(path) => path.last().span,
                ExprKind::StructLit { name, .. } => name.last().span,
                _ => continue,
            };
            spans.push(span);
        }
    }
    for (&pat, &res) in &typed.pat_resolutions {
        if typed.definition(db, file, res) == Some(target) {
            let span = match &module.pat(pat).kind {
                PatKind::Ctor { path, .. } | PatKind::Struct { path, .. } => path.last().span,
                _ => continue,
            };
            spans.push(span);
        }
    }
    for (generator, f) in generators(typed, module) {
        if typed.definition(db, file, Resolution::Fn(f)) == Some(target) {
            spans.push(generator);
        }
    }
    for item in &module.items {
        if let Item::Use(u) = item {
            for name in &u.names {
                if imported(db, file, u, &name.name) == Some(target) {
                    spans.push(name.span);
                }
            }
        }
    }
    spans.extend(crate::fields::uses_of_field(db, file, target));
    spans.sort();
    spans.dedup();
    spans
}

/// The item that name `name` of `use` declaration `u` (in `file`) imports:
/// the file of the module it names (a standard or a project module) and the
/// span of the item's name there.
pub fn imported(
    db: &Database,
    file: SourceFile,
    u: &tally::syntax::ast::UseDecl,
    name: &str,
) -> Option<(SourceFile, tally::span::Span)> {
    let path = u.module.to_text();
    let target = match path.strip_prefix("std::") {
        Some(std) => db::Db::std_module(db, std)?,
        None => db::resolve_module(db, file, &path)?,
    };
    let module = &db::parse(db, target).module;
    module.items.iter().find_map(|item| {
        let ident = match item {
            Item::Fn(f) => &f.name,
            Item::Struct(s) => &s.name,
            Item::Enum(e) => &e.name,
            Item::Const(c) => &c.name,
            Item::TypeAlias(a) => &a.name,
            _ => return None,
        };
        (ident.name == name).then_some((target, ident.span))
    })
}

/// The generators named by `via` in the module's properties: the span of
/// each generator's name, and the function.
fn generators(
    typed: &types::TypedModule,
    module: &tally::syntax::ast::Module,
) -> Vec<(tally::span::Span, ItemRef)> {
    let mut out = Vec::new();
    for (index, item) in module.items.iter().enumerate() {
        let Item::Test(t) = item else { continue };
        for (i, via) in t.via.iter().enumerate() {
            if let Some(name) = via
                && let Some((f, _)) = typed.vias.get(&(index as u32, i as u32))
            {
                out.push((name.span, *f));
            }
        }
    }
    out
}
