//! Answers to requests, each computed on a worker from a [`Snapshot`].

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentHighlightRequest,
    DocumentSymbolRequest, FoldingRangeRequest, Formatting, GotoDefinition, HoverRequest,
    InlayHintRequest, References, Rename, Request as _, SemanticTokensFullRequest,
    SignatureHelpRequest, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionParams, CodeLensParams, CompletionItem, CompletionItemKind, CompletionParams,
    CompletionResponse, DocumentFormattingParams, DocumentHighlightParams, DocumentSymbolParams,
    FoldingRangeParams, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams, Location,
    MarkupContent, MarkupKind, ReferenceParams, RenameParams, SemanticTokensParams,
    SignatureHelpParams, TextEdit, WorkspaceSymbolParams,
};

use crate::completion::{self, CompletionKind};
use crate::convert::Lines;
use crate::handlers;
use crate::navigation;
use crate::snapshot::Snapshot;

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
    CodeLensRequest::METHOD,
    CodeActionRequest::METHOD,
    SignatureHelpRequest::METHOD,
    FoldingRangeRequest::METHOD,
    DocumentHighlightRequest::METHOD,
    WorkspaceSymbolRequest::METHOD,
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
            let bound = found
                .function
                .as_ref()
                .and_then(|(item, instance)| crate::lenses::hover_bound(s, file, *item, instance));
            if let Some(bound) = bound.or(found.bound) {
                value.push_str("\n\n");
                value.push_str(&bound);
            }
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
            let items = completion::completions(&s.db, file, offset)
                .into_iter()
                .map(|c| CompletionItem {
                    sort_text: Some(format!("{}{}", c.kind.rank(), c.label)),
                    label: c.label,
                    kind: Some(match c.kind {
                        CompletionKind::Local => CompletionItemKind::VARIABLE,
                        CompletionKind::Function => CompletionItemKind::FUNCTION,
                        CompletionKind::Constructor => CompletionItemKind::ENUM_MEMBER,
                        CompletionKind::Type => CompletionItemKind::STRUCT,
                        CompletionKind::Field => CompletionItemKind::FIELD,
                        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                        CompletionKind::Constant => CompletionItemKind::CONSTANT,
                        CompletionKind::Module => CompletionItemKind::MODULE,
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
            let hint = |offset, label, kind| InlayHint {
                position: lines.position(offset),
                label: InlayHintLabel::String(label),
                kind,
                text_edits: None,
                tooltip: None,
                padding_left: None,
                padding_right: None,
                data: None,
            };
            // Each function's gas bound before its body (from the bound
            // analysis), and the types of `let` bindings.
            let mut hints: Vec<InlayHint> = crate::bounds::hints(s, file)
                .into_iter()
                .map(|(offset, label)| hint(offset, format!("{label} "), None))
                .collect();
            hints.extend(
                navigation::let_type_hints(&s.db, file)
                    .into_iter()
                    .map(|(offset, label)| hint(offset, label, Some(InlayHintKind::TYPE))),
            );
            hints.sort_by_key(|h| (h.position.line, h.position.character));
            // Only those in the range asked for.
            let key = |p: lsp_types::Position| (p.line, p.character);
            hints.retain(|h| {
                key(p.range.start) <= key(h.position) && key(h.position) <= key(p.range.end)
            });
            Some(hints)
        }),
        SignatureHelpRequest::METHOD => answer(s, request, |s, p: SignatureHelpParams| {
            let (file, offset) = s.position(&p.text_document_position_params)?;
            crate::editing::signature_help(&s.db, file, offset)
        }),
        FoldingRangeRequest::METHOD => answer(s, request, |s, p: FoldingRangeParams| {
            let file = s.document(&p.text_document.uri)?;
            Some(crate::editing::folding_ranges(&s.db, file))
        }),
        DocumentHighlightRequest::METHOD => answer(s, request, |s, p: DocumentHighlightParams| {
            let (file, offset) = s.position(&p.text_document_position_params)?;
            crate::editing::highlights(s, file, offset)
        }),
        WorkspaceSymbolRequest::METHOD => answer(s, request, |s, p: WorkspaceSymbolParams| {
            Some(crate::editing::workspace_symbols(s, &p.query))
        }),
        CodeActionRequest::METHOD => answer(s, request, |s, p: CodeActionParams| {
            let file = s.document(&p.text_document.uri)?;
            let lines = Lines::new(file.text(&s.db));
            let range = tally::span::Span::new(
                lines.offset(p.range.start) as usize,
                lines.offset(p.range.end) as usize,
            );
            Some(crate::actions::code_actions(s, file, range))
        }),
        CodeLensRequest::METHOD => answer(s, request, |s, p: CodeLensParams| {
            let file = s.document(&p.text_document.uri)?;
            Some(crate::lenses::code_lenses(s, file))
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
        Rename::METHOD => match serde_json::from_value::<RenameParams>(request.params) {
            Ok(p) => match crate::rename::rename(s, &p) {
                Ok(Some(edit)) => Response::new_ok(id, edit),
                Ok(None) => Response::new_ok(id, serde_json::Value::Null),
                Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
            },
            Err(error) => malformed(id, &error),
        },
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
        Err(error) => malformed(request.id, &error),
    }
}

/// The `InvalidParams` error for parameters that do not decode.
fn malformed(id: lsp_server::RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("malformed parameters: {error}"),
    )
}
