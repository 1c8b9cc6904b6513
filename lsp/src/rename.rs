//! Rename: the edits that rename a definition and every use of it in the
//! open documents, after checking that the new name is one.

use std::collections::BTreeMap;

use lsp_types::{
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, RenameParams,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use tally::db::{Database, SourceFile};
use tally::span::Span;
use tally::syntax::token::Token;

use crate::convert::Lines;
use crate::fields::{FieldUse, field_uses};
use crate::snapshot::{Snapshot, Target};

/// The edits for `params`: `Ok(None)` when nothing renameable is there (or
/// a use is in the read-only standard library), `Err` with a message for
/// the editor when the new name is not a name of the right kind.
pub fn rename(s: &Snapshot, params: &RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some((file, offset)) = s.position(&params.text_document_position) else {
        return Ok(None);
    };
    let Some((target, found)) = s.references(file, offset, true) else {
        return Ok(None);
    };
    let old = target
        .0
        .text(&s.db)
        .get(target.1.range())
        .unwrap_or_default();
    check_name(old, &params.new_name)?;
    // Only open documents are renamed; the standard library is read-only.
    let mut changes: BTreeMap<String, (Uri, i32, Vec<TextEdit>)> = BTreeMap::new();
    // The uses are sorted by file: each file's field uses are found once.
    let mut shorthands: Option<(SourceFile, Vec<FieldUse>)> = None;
    for (file, span) in found {
        let Some(document) = s.open_document(file) else {
            return Ok(None);
        };
        let range = Lines::new(file.text(&s.db)).range(span);
        if shorthands.as_ref().is_none_or(|(f, _)| *f != file) {
            let uses = field_uses(&s.db, file).into_iter().filter(|u| u.shorthand);
            shorthands = Some((file, uses.collect()));
        }
        let shorthand = shorthands
            .as_ref()
            .and_then(|(_, uses)| uses.iter().find(|u| u.span == span));
        let new_text = renamed(&s.db, target, file, span, shorthand, &params.new_name);
        changes
            .entry(document.uri.as_str().to_string())
            .or_insert_with(|| (document.uri.clone(), document.version, Vec::new()))
            .2
            .push(TextEdit::new(range, new_text));
    }
    let edits = changes
        .into_values()
        .map(|(uri, version, edits)| TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri,
                version: Some(version),
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
        .collect();
    Ok(Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(edits)),
        ..Default::default()
    }))
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

/// The text replacing the name at `span` when the definition at `target`
/// is renamed to `new_name`. A shorthand (`S { f }`) names both a field and
/// a local, so it is expanded to keep the other one: `new: f` when the field
/// is renamed, `f: new` when the local is. `shorthand` is the shorthand
/// written at `span`, if it is one.
fn renamed(
    db: &Database,
    target: Target,
    file: SourceFile,
    span: Span,
    shorthand: Option<&FieldUse>,
    new_name: &str,
) -> String {
    let Some(shorthand) = shorthand else {
        return new_name.to_string();
    };
    let old = file.text(db).get(span.range()).unwrap_or_default();
    if shorthand.decl == target {
        format!("{new_name}: {old}")
    } else {
        format!("{old}: {new_name}")
    }
}
