//! Where struct fields are named: in field accesses `e.f`, struct literals
//! (and updates `S { f: v, ..base }`) and struct patterns, each tied to the
//! field's declaration, for go-to-definition, references and rename.

use tally::db::{self, Database, SourceFile};
use tally::span::Span;
use tally::syntax::ast::{ExprKind, Item, PatKind};
use tally::types::{self, ItemRef, Resolution, Ty};

/// One place a field's name is written outside its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldUse {
    /// The written name.
    pub span: Span,
    /// The declaration's file and the span of the declared name.
    pub decl: (SourceFile, Span),
    /// Whether the name also stands for a local, as in the shorthands
    /// `S { f }` (a literal taking local `f`) and `S { f }` (a pattern binding `f`).
    pub shorthand: bool,
}

/// Every field use in `file`, in source order.
pub fn field_uses(db: &Database, file: SourceFile) -> Vec<FieldUse> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let mut found = Vec::new();
    for (index, expr) in module.exprs.iter().enumerate() {
        let id = tally::syntax::ast::ExprId(index as u32);
        match &expr.kind {
            ExprKind::Field { base, name } => {
                let Some(&field) = typed.field_indices.get(&id) else {
                    continue;
                };
                let Ty::Adt { item, .. } = typed.expr_ty(*base) else {
                    continue;
                };
                if let Some(span) = types::output::field_name_span(db, *item, field) {
                    found.push(FieldUse {
                        span: name.span,
                        decl: (item.file, span),
                        shorthand: false,
                    });
                }
            }
            ExprKind::StructLit { fields, .. } => {
                let Some(Resolution::Struct(item)) = typed.resolution(id) else {
                    continue;
                };
                for init in fields {
                    if let Some(decl) = field_decl(db, item, &init.name.name) {
                        found.push(FieldUse {
                            span: init.name.span,
                            decl,
                            shorthand: init.shorthand,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for (index, pat) in module.pats.iter().enumerate() {
        let PatKind::Struct { fields, .. } = &pat.kind else {
            continue;
        };
        let id = tally::syntax::ast::PatId(index as u32);
        let Some(Resolution::Struct(item)) = typed.pat_resolution(id) else {
            continue;
        };
        for field in fields {
            let inner = module.pat(field.pat);
            let shorthand = inner.span == field.name.span && matches!(inner.kind, PatKind::Bind(_));
            if let Some(decl) = field_decl(db, item, &field.name.name) {
                found.push(FieldUse {
                    span: field.name.span,
                    decl,
                    shorthand,
                });
            }
        }
    }
    found.sort_by_key(|u| (u.span, u.decl.1));
    found
}

/// The declaration of the field `name` of the struct `item`.
fn field_decl(db: &Database, item: ItemRef, name: &str) -> Option<(SourceFile, Span)> {
    let module = &db::parse(db, item.file).module;
    match module.items.get(item.index as usize)? {
        Item::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.name.name == name)
            .map(|f| (item.file, f.name.span)),
        _ => None,
    }
}

/// The field declaration named at `offset` by a use that is not a
/// shorthand (a shorthand's name is first the local's).
pub fn field_definition(
    db: &Database,
    file: SourceFile,
    offset: u32,
) -> Option<(SourceFile, Span)> {
    field_uses(db, file)
        .into_iter()
        .find(|u| !u.shorthand && u.span.contains(offset))
        .map(|u| u.decl)
}

/// The spans in `file` that name the field declared at `target`.
pub fn uses_of_field(db: &Database, file: SourceFile, target: (SourceFile, Span)) -> Vec<Span> {
    field_uses(db, file)
        .into_iter()
        .filter(|u| u.decl == target)
        .map(|u| u.span)
        .collect()
}
