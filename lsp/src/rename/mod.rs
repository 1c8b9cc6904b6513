//! Rename: the edits that rename a definition and every use of it in the
//! open documents, after checking that the new name is one and that the
//! renamed text means what the old one did ([`verify`]).

mod verify;

use std::collections::HashMap;

use lsp_types::{
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, RenameParams,
    TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use tally::db::{Database, SourceFile};
use tally::span::Span;
use tally::syntax::token::Token;

use crate::convert::Lines;
use crate::fields::{FieldUse, field_uses};
use crate::snapshot::{Snapshot, Target};
use verify::Edit;

/// The edits for `params`: `Ok(None)` when nothing renameable is there,
/// `Err` with a message for the editor when the new name is not a name of
/// the right kind, when the definition is in the read-only standard library
/// or used in a file that is not open, or when the rename would change what
/// some name refers to (checked by re-resolving the renamed text).
pub fn rename(s: &Snapshot, params: &RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some((file, offset)) = s.position(&params.text_document_position) else {
        return Ok(None);
    };
    if let Some(builtin) = builtin_at(&s.db, file, offset) {
        return Err(format!(
            "`{builtin}` is an intrinsic of `std::builtin`: the standard library cannot be renamed"
        ));
    }
    let Some((target, found)) = s.references(file, offset, true) else {
        return Ok(None);
    };
    let old = target
        .0
        .text(&s.db)
        .get(target.1.range())
        .unwrap_or_default()
        .to_string();
    if let Some(module) = target.0.path(&s.db).strip_prefix("std::") {
        return Err(format!(
            "`{old}` is defined in the standard library (`std::{module}`), which cannot be renamed"
        ));
    }
    check_name(&old, &params.new_name)?;
    // Only open documents are renamed.
    let mut planned: HashMap<SourceFile, Vec<Edit>> = HashMap::new();
    // The uses are sorted by file: each file's field uses are found once.
    let mut shorthands: Option<(SourceFile, Vec<FieldUse>)> = None;
    for (file, span) in found {
        if s.open_document(file).is_none() {
            return Err(format!(
                "`{old}` is used in `{}`, which is not open",
                file.path(&s.db)
            ));
        }
        if shorthands.as_ref().is_none_or(|(f, _)| *f != file) {
            let uses = field_uses(&s.db, file).into_iter().filter(|u| u.shorthand);
            shorthands = Some((file, uses.collect()));
        }
        let shorthand = shorthands
            .as_ref()
            .and_then(|(_, uses)| uses.iter().find(|u| u.span == span));
        let written = file.text(&s.db).get(span.range()).unwrap_or_default();
        planned.entry(file).or_default().push(renamed(
            target,
            span,
            written,
            shorthand,
            &params.new_name,
        ));
    }
    let open: Vec<SourceFile> = s.documents.values().map(|d| d.file).collect();
    verify::verify(&s.db, &open, &planned, &old, &params.new_name)?;
    let mut planned: Vec<(SourceFile, Vec<Edit>)> = planned.into_iter().collect();
    planned.sort_by_key(|(file, _)| file.path(&s.db).clone());
    let edits = planned
        .into_iter()
        .filter_map(|(file, edits)| {
            let document = s.open_document(file)?;
            let lines = Lines::new(file.text(&s.db));
            Some(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: document.uri.clone(),
                    version: Some(document.version),
                },
                edits: edits
                    .into_iter()
                    .map(|e| OneOf::Left(TextEdit::new(lines.range(e.span), e.text)))
                    .collect(),
            })
        })
        .collect();
    Ok(Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(edits)),
        ..Default::default()
    }))
}

/// The intrinsic named at `offset`, if a name there resolves to one.
fn builtin_at(db: &Database, file: SourceFile, offset: u32) -> Option<&'static str> {
    let module = &tally::db::parse(db, file).module;
    let typed = tally::types::infer(db, file);
    let expr = tally::types::output::expr_at_offset(module, offset)?;
    match typed.resolution(expr)? {
        tally::types::Resolution::Builtin(builtin) => Some(builtin.name()),
        _ => None,
    }
}

/// Accepts `new` in place of `old` if it is one identifier that starts with
/// a capital letter exactly when `old` does (types and constructors do;
/// functions, fields and locals do not).
fn check_name(old: &str, new: &str) -> Result<(), String> {
    let capital = |name: &str| name.starts_with(|c: char| c.is_ascii_uppercase());
    let whole = |span: Span| span.start == 0 && span.end as usize == new.len();
    match tally::syntax::lex_spans(new).as_slice() {
        [(Token::LowerIdent(_) | Token::UpperIdent(_), span)] if whole(*span) => {
            match (capital(old), capital(new)) {
                (true, false) => Err(format!(
                    "`{new}` cannot rename `{old}`: type and constructor names start with a capital letter"
                )),
                (false, true) => Err(format!(
                    "`{new}` cannot rename `{old}`: names of functions, fields and variables start with a lowercase letter or `_`"
                )),
                _ => Ok(()),
            }
        }
        _ => Err(format!(
            "`{new}` is not a name: use letters, digits and `_`, not starting with a digit, and not a keyword"
        )),
    }
}

/// The edit of the name `written` at `span` when the definition at
/// `target` is renamed to `new_name`. A shorthand (`S { f }`) names both a
/// field and a local, so it is expanded to keep the other one: `new: f` when
/// the field is renamed, `f: new` when the local is. `shorthand` is the
/// shorthand written at `span`, if it is one.
fn renamed(
    target: Target,
    span: Span,
    written: &str,
    shorthand: Option<&FieldUse>,
    new_name: &str,
) -> Edit {
    let Some(shorthand) = shorthand else {
        return Edit {
            span,
            text: new_name.to_string(),
            parts: None,
        };
    };
    let (field, value) = if shorthand.decl == target {
        (new_name, written)
    } else {
        (written, new_name)
    };
    let part = |from: usize, name: &str| Span::new(from, from + name.len());
    Edit {
        span,
        text: format!("{field}: {value}"),
        parts: Some((part(0, field), part(field.len() + 2, value))),
    }
}
