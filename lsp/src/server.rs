//! The server's state and message loop.

use std::collections::BTreeMap;
use std::error::Error;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, InlayHintRequest,
    References, Rename, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    DocumentChanges, DocumentFormattingParams, DocumentSymbolParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams, Location,
    MarkupContent, MarkupKind, OneOf, OptionalVersionedTextDocumentIdentifier,
    PublishDiagnosticsParams, ReferenceParams, RenameParams, SemanticTokensFullOptions,
    SemanticTokensOptions, SemanticTokensParams, SemanticTokensServerCapabilities,
    ServerCapabilities, TextDocumentEdit, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use salsa::Setter;
use tally::db::{Database, SourceFile};

use crate::convert::Lines;
use crate::handlers;
use crate::navigation::{self, CompletionKind};

/// A definition or a use: a file and the span of the name.
type Target = (SourceFile, tally::span::Span);

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

/// An open document: its database input and the editor's version.
struct Document {
    uri: Uri,
    file: SourceFile,
    version: i32,
}

/// Everything the server knows: the database and the open documents.
pub struct Server {
    db: Database,
    documents: BTreeMap<String, Document>,
    std_uris: BTreeMap<String, Uri>,
    outbox: Vec<Message>,
}

/// What the server announces in `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), ":".into()]),
            ..Default::default()
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: handlers::semantic_tokens_legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// Serves one client over `connection` until it asks to exit.
pub fn run(connection: &Connection) -> Result<(), Box<dyn Error + Send + Sync>> {
    let capabilities = serde_json::to_value(capabilities())?;
    let params = connection.initialize(capabilities)?;
    let _params: Option<InitializeParams> = serde_json::from_value(params).ok();
    let db = Database::new();
    let std_uris = crate::std_files::materialise(&db);
    let mut server = Server {
        db,
        documents: BTreeMap::new(),
        std_uris,
        outbox: Vec::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                server.on_request(request);
            }
            Message::Notification(notification) => server.on_notification(notification),
            Message::Response(_) => {}
        }
        for message in server.outbox.drain(..) {
            connection.sender.send(message)?;
        }
    }
    Ok(())
}

impl Server {
    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            DocumentSymbolRequest::METHOD => self.answer(request, |s, p: DocumentSymbolParams| {
                let (file, _) = s.document(&p.text_document.uri)?;
                Some(handlers::document_symbols(&s.db, file))
            }),
            SemanticTokensFullRequest::METHOD => {
                self.answer(request, |s, p: SemanticTokensParams| {
                    let (file, _) = s.document(&p.text_document.uri)?;
                    Some(handlers::semantic_tokens(&s.db, file))
                })
            }
            HoverRequest::METHOD => self.answer(request, |s, p: HoverParams| {
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
            GotoDefinition::METHOD => self.answer(request, |s, p: GotoDefinitionParams| {
                let (file, offset) = s.position(&p.text_document_position_params)?;
                let (target, span) = navigation::definition(&s.db, file, offset)?;
                let uri = s.uri_of(target)?;
                let range = Lines::new(target.text(&s.db)).range(span);
                Some(GotoDefinitionResponse::Scalar(Location::new(uri, range)))
            }),
            Completion::METHOD => self.answer(request, |s, p: CompletionParams| {
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
            Formatting::METHOD => self.answer(request, |s, p: DocumentFormattingParams| {
                let (file, _) = s.document(&p.text_document.uri)?;
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
            InlayHintRequest::METHOD => self.answer(request, |s, p: InlayHintParams| {
                let (file, _) = s.document(&p.text_document.uri)?;
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
            References::METHOD => self.answer(request, |s, p: ReferenceParams| {
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
            Rename::METHOD => self.answer(request, |s, p: RenameParams| {
                let (file, offset) = s.position(&p.text_document_position)?;
                let (target, found) = s.references(file, offset, true)?;
                // Only open documents are renamed; the standard library is read-only.
                let mut changes: BTreeMap<String, (Uri, i32, Vec<TextEdit>)> = BTreeMap::new();
                for (file, span) in found {
                    let document = s.documents.values().find(|d| d.file == file)?;
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
        };
        self.outbox.push(Message::Response(response));
    }

    /// Decodes the parameters and answers; malformed parameters get an
    /// `InvalidParams` error, an unknown document a `null` result.
    fn answer<P, R>(&mut self, request: Request, f: impl FnOnce(&Self, P) -> Option<R>) -> Response
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        match serde_json::from_value::<P>(request.params) {
            Ok(params) => match f(self, params) {
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

    fn on_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let doc = p.text_document;
                    self.open(doc.uri, doc.text, doc.version);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    // Full synchronisation: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        let uri = p.text_document.uri;
                        self.open(uri, change.text, p.text_document.version);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                {
                    self.publish(p.text_document.uri.as_str());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    if self.documents.remove(uri.as_str()).is_some() {
                        self.send_diagnostics(uri, Vec::new(), None);
                    }
                }
            }
            _ => {}
        }
    }

    /// Sets (or replaces) a document's text and publishes its diagnostics.
    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let key = uri.as_str().to_string();
        match self.documents.get_mut(&key) {
            Some(document) => {
                document.version = version;
                let file = document.file;
                file.set_text(&mut self.db).to(text);
            }
            None => {
                let file = self.db.add_file(uri.as_str(), text);
                self.documents
                    .insert(key.clone(), Document { uri, file, version });
            }
        }
        self.publish(&key);
    }

    fn publish(&mut self, key: &str) {
        let Some(document) = self.documents.get(key) else {
            return;
        };
        let diagnostics = handlers::diagnostics(&self.db, document.file, &document.uri);
        let (uri, version) = (document.uri.clone(), document.version);
        self.send_diagnostics(uri, diagnostics, Some(version));
    }

    fn send_diagnostics(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outbox.push(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }

    /// The file and byte offset of a position in an open document or a
    /// standard-library file.
    fn position(&self, at: &TextDocumentPositionParams) -> Option<(SourceFile, u32)> {
        let key = at.text_document.uri.as_str();
        let file = match self.documents.get(key) {
            Some(document) => document.file,
            None => {
                let (name, _) = self.std_uris.iter().find(|(_, uri)| uri.as_str() == key)?;
                tally::db::Db::std_module(&self.db, name)?
            }
        };
        let offset = Lines::new(file.text(&self.db)).offset(at.position);
        Some((file, offset))
    }

    /// Every place the name at `offset` refers to the same definition, in the
    /// open documents (and the definition itself if asked for).
    fn references(
        &self,
        file: SourceFile,
        offset: u32,
        include_declaration: bool,
    ) -> Option<(Target, Vec<Target>)> {
        let target = navigation::definition(&self.db, file, offset)
            .or_else(|| navigation::declaration_at(&self.db, file, offset))?;
        let mut found = Vec::new();
        if include_declaration {
            found.push(target);
        }
        for document in self.documents.values() {
            for span in navigation::uses_of(&self.db, document.file, target) {
                found.push((document.file, span));
            }
        }
        found.sort_by_key(|(f, s)| (f.path(&self.db).clone(), *s));
        found.dedup();
        Some((target, found))
    }

    /// The URI of an open document or a standard-library file.
    fn uri_of(&self, file: SourceFile) -> Option<Uri> {
        if let Some(document) = self.documents.values().find(|d| d.file == file) {
            return Some(document.uri.clone());
        }
        let path = file.path(&self.db);
        self.std_uris.get(path.strip_prefix("std::")?).cloned()
    }

    fn document(&self, uri: &Uri) -> Option<(SourceFile, i32)> {
        self.documents
            .get(uri.as_str())
            .map(|d| (d.file, d.version))
    }
}
