//! Answers to requests, each computed on a worker from a [`Snapshot`].

use std::collections::BTreeMap;

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, InlayHintRequest,
    References, Rename, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, DocumentChanges,
    DocumentFormattingParams, DocumentSymbolParams, GotoDefinitionParams, GotoDefinitionResponse,
    Hover, HoverContents, HoverParams, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams,
    Location, MarkupContent, MarkupKind, OneOf, OptionalVersionedTextDocumentIdentifier,
    ReferenceParams, RenameParams, SemanticTokensParams, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};
use tally::db::{Database, SourceFile};

use crate::convert::Lines;
use crate::handlers;
use crate::navigation::{self, CompletionKind};
use crate::snapshot::{Snapshot, Target};

/// The methods [`handle`] answers.
pub const METHODS: &[&str] = &[
    DocumentSymbolRequest::METHOD,
    SemanticTokensFullRequest::METHOD,
    HoverRequest::METHOD,
    GotoDefinition::METHOD,
    Completion::METHOD,
    Formatting::METHOD,
    InlayHintRequest::METHOD,
    References::METHOD,
    Rename::METHOD,
];

/// Answers one request (an unknown method gets `MethodNotFound`).
pub fn handle(s: &Snapshot, request: Request) -> Response {
    let id = request.id.clone();
    match request.method.as_str() {
        DocumentSymbolRequest::METHOD => answer(s, request, |s, p: DocumentSymbolParams| {
            let file = s.document(&p.text_document.uri)?;
            Some(handlers::document_symbols(&s.db, file))
        }),
        SemanticTokensFullRequest::METHOD => answer(s, request, |s, p: SemanticTokensParams| {
            let file = s.document(&p.text_document.uri)?;
            Some(handlers::semantic_tokens(&s.db, file))
        }),
        HoverRequest::METHOD => answer(s, request, |s, p: HoverParams| {
            let (file, offset) = s.position(&p.text_document_position_params)?;
            let found = navigation::hover(&s.db, file, offset)?;
            let mut value = format!("```tally\n{}\n```", found.code);
            if let Some(doc) = found.doc {
                value.push_str("\n\n");
                value.push_str(&doc);
            }
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }),
                range: None,
            })
        }),
        GotoDefinition::METHOD => answer(s, request, |s, p: GotoDefinitionParams| {
            let (file, offset) = s.position(&p.text_document_position_params)?;
            let (target, span) = navigation::definition(&s.db, file, offset)?;
            let uri = s.uri_of(target)?;
            let range = Lines::new(target.text(&s.db)).range(span);
            Some(GotoDefinitionResponse::Scalar(Location::new(uri, range)))
        }),
        Completion::METHOD => answer(s, request, |s, p: CompletionParams| {
            let (file, offset) = s.position(&p.text_document_position)?;
            let items = navigation::completions(&s.db, file, offset)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label,
                    kind: Some(match c.kind {
                        CompletionKind::Local => CompletionItemKind::VARIABLE,
                        CompletionKind::Function => CompletionItemKind::FUNCTION,
                        CompletionKind::Constructor => CompletionItemKind::ENUM_MEMBER,
                        CompletionKind::Type => CompletionItemKind::STRUCT,
                        CompletionKind::Field => CompletionItemKind::FIELD,
                        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    }),
                    detail: Some(c.detail),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        }),
        Formatting::METHOD => answer(s, request, |s, p: DocumentFormattingParams| {
            let file = s.document(&p.text_document.uri)?;
            let text = file.text(&s.db);
            // A file with syntax errors is left alone (no edits).
            let formatted = tally::format::format(text).ok()?;
            let edits = if formatted == *text {
                Vec::new()
            } else {
                vec![TextEdit::new(Lines::new(text).whole(), formatted)]
            };
            Some(edits)
        }),
        InlayHintRequest::METHOD => answer(s, request, |s, p: InlayHintParams| {
            let file = s.document(&p.text_document.uri)?;
            let lines = Lines::new(file.text(&s.db));
            let hints: Vec<InlayHint> = navigation::let_type_hints(&s.db, file)
                .into_iter()
                .map(|(offset, label)| InlayHint {
                    position: lines.position(offset),
                    label: InlayHintLabel::String(label),
                    kind: Some(InlayHintKind::TYPE),
                    text_edits: None,
                    tooltip: None,
                    padding_left: None,
                    padding_right: None,
                    data: None,
                })
                .collect();
            Some(hints)
        }),
        References::METHOD => answer(s, request, |s, p: ReferenceParams| {
            let (file, offset) = s.position(&p.text_document_position)?;
            let (_, found) = s.references(file, offset, p.context.include_declaration)?;
            let locations: Vec<Location> = found
                .into_iter()
                .filter_map(|(file, span)| {
                    let uri = s.uri_of(file)?;
                    Some(Location::new(uri, Lines::new(file.text(&s.db)).range(span)))
                })
                .collect();
            Some(locations)
        }),
        Rename::METHOD => answer(s, request, |s, p: RenameParams| {
            let (file, offset) = s.position(&p.text_document_position)?;
            let (target, found) = s.references(file, offset, true)?;
            // Only open documents are renamed; the standard library is read-only.
            let mut changes: BTreeMap<String, (Uri, i32, Vec<TextEdit>)> = BTreeMap::new();
            for (file, span) in found {
                let document = s.open_document(file)?;
                let text = file.text(&s.db);
                let range = Lines::new(text).range(span);
                let new_text = renamed(&s.db, target, file, span, &p.new_name);
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
            Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(edits)),
                ..Default::default()
            })
        }),
        method => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            format!("tally-lsp does not handle `{method}`"),
        ),
    }
}

/// Decodes the parameters and answers; malformed parameters get an
/// `InvalidParams` error, an unknown document a `null` result.
fn answer<P, R>(
    s: &Snapshot,
    request: Request,
    f: impl FnOnce(&Snapshot, P) -> Option<R>,
) -> Response
where
    P: serde::de::DeserializeOwned,
    R: serde::Serialize,
{
    match serde_json::from_value::<P>(request.params) {
        Ok(params) => match f(s, params) {
            Some(result) => Response::new_ok(request.id, result),
            None => Response::new_ok(request.id, serde_json::Value::Null),
        },
        Err(error) => Response::new_err(
            request.id,
            ErrorCode::InvalidParams as i32,
            format!("malformed parameters: {error}"),
        ),
    }
}

/// The text replacing the name at `span` when the definition at `target`
/// is renamed to `new_name`. A shorthand (`S { f }`) names both a field and
/// a local, so it is expanded to keep the other one: `new: f` when the field
/// is renamed, `f: new` when the local is.
fn renamed(
    db: &Database,
    target: Target,
    file: SourceFile,
    span: tally::span::Span,
    new_name: &str,
) -> String {
    let Some(shorthand) = crate::fields::shorthand_at(db, file, span) else {
        return new_name.to_string();
    };
    let old = file.text(db).get(span.range()).unwrap_or_default();
    if shorthand.decl == target {
        format!("{new_name}: {old}")
    } else {
        format!("{old}: {new_name}")
    }
}
