//! The main thread: the message loop, the open documents and the database
//! that edits are written to. Requests and diagnostics run on workers
//! ([`crate::workers`]) against snapshots; an edit cancels the stale ones.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::select;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{ExecuteCommand, Initialize, Request as _, Shutdown};
use lsp_types::{
    CodeActionProviderCapability, CodeLensOptions, CompletionOptions, ExecuteCommandOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeResult, NumberOrString,
    OneOf, PublishDiagnosticsParams, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo, SignatureHelpOptions,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use salsa::{CancellationToken, Setter};
use tally::db::{Database, SourceFile};

mod watch;

use crate::handlers;
use crate::snapshot::{Document, Snapshot};
use crate::workers::{Computed, Hook, Job, Outcome, Pool, Work};

/// How the server runs; the defaults are what `tally-lsp` uses.
#[derive(Clone, Default)]
pub struct Options {
    /// The number of worker threads (0: from the machine, between 2 and 4).
    pub workers: usize,
    /// Run on the worker before every job, inside its cancellation scope.
    /// For tests, which use it to stand for a long computation.
    pub before_job: Option<Hook>,
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
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            ..Default::default()
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![crate::lenses::SHOW_BOUND.into()],
            ..Default::default()
        }),
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

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown` then `exit`, as the protocol asks.
    Shutdown,
    /// `exit` without `shutdown` first (the process should exit with code 1),
    /// or the client went away.
    Abrupt,
}

/// Serves one client over `connection` until it asks to exit.
pub fn run(connection: &Connection) -> Result<Ending, Box<dyn Error + Send + Sync>> {
    run_with(connection, Options::default())
}

/// [`run`], with options.
///
/// The lifecycle is the protocol's: before `initialize`, requests are
/// answered `ServerNotInitialized` and notifications dropped (except
/// `exit`); a second `initialize` is an `InvalidRequest`; after `shutdown`
/// every request is an `InvalidRequest` until `exit`. Requests that come
/// between the answer to `initialize` and the `initialized` notification
/// are answered as usual (the server is ready once it has answered).
pub fn run_with(
    connection: &Connection,
    options: Options,
) -> Result<Ending, Box<dyn Error + Send + Sync>> {
    let db = Database::new();
    let std_uris = Arc::new(crate::std_files::materialise(&db));
    let workers = match options.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4)),
        n => n,
    };
    let (outcomes, finished) = crossbeam_channel::unbounded();
    let mut server = Server {
        db,
        documents: Arc::new(BTreeMap::new()),
        std_uris,
        project_files: Arc::new(BTreeMap::new()),
        project_root: None,
        closed: BTreeMap::new(),
        in_flight: BTreeMap::new(),
        generations: 0,
        pool: Pool::new(workers, &outcomes, options.before_job),
        outbox: Vec::new(),
        phase: Phase::Uninitialized,
        watch_files: false,
    };
    // `outcomes` stays alive here, so `finished` only ends with this function.
    let served = server.serve(connection, &finished);
    server.stop();
    drop(outcomes);
    served
}

/// Where the server is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for `initialize`.
    Uninitialized,
    /// Answering requests.
    Running,
    /// `shutdown` answered: waiting for `exit`.
    ShutDown,
}

/// Everything the main thread knows.
struct Server {
    db: Database,
    documents: Arc<BTreeMap<String, Document>>,
    std_uris: Arc<BTreeMap<String, Uri>>,
    /// The module files of the loaded project, by canonical path.
    project_files: Arc<BTreeMap<PathBuf, (Uri, SourceFile)>>,
    /// The folder of the loaded project (its `tally.toml`'s).
    project_root: Option<PathBuf>,
    /// The files of closed documents, reused if they are opened again (so
    /// opening and closing a file does not add inputs without end).
    closed: BTreeMap<String, tally::db::SourceFile>,
    /// The requests being answered, with the token that cancels each.
    in_flight: BTreeMap<RequestId, CancellationToken>,
    /// The last generation given to a document's text.
    generations: u64,
    pool: Pool,
    outbox: Vec<Message>,
    phase: Phase,
    /// The client can watch files for the server (dynamic registration of
    /// `workspace/didChangeWatchedFiles`, [`watch`]).
    watch_files: bool,
}

impl Server {
    fn serve(
        &mut self,
        connection: &Connection,
        finished: &crossbeam_channel::Receiver<Outcome>,
    ) -> Result<Ending, Box<dyn Error + Send + Sync>> {
        loop {
            select! {
                recv(connection.receiver) -> message => match message {
                    Ok(Message::Request(request)) => self.on_lifecycle_request(request),
                    // `exit` without `shutdown` first: stop all the same.
                    Ok(Message::Notification(notification)) if notification.method == "exit" => {
                        return Ok(match self.phase {
                            Phase::ShutDown => Ending::Shutdown,
                            _ => Ending::Abrupt,
                        });
                    }
                    Ok(Message::Notification(notification)) => {
                        if self.phase == Phase::Running {
                            self.on_notification(notification);
                        }
                    }
                    Ok(Message::Response(_)) => {}
                    Err(_) => return Ok(Ending::Abrupt),
                },
                recv(finished) -> outcome => {
                    if let Ok(outcome) = outcome {
                        self.on_outcome(outcome);
                    }
                }
            }
            for message in self.outbox.drain(..) {
                connection.sender.send(message)?;
            }
        }
    }

    /// Cancels what is still running and waits for the workers.
    fn stop(self) {
        let Server { mut db, pool, .. } = self;
        // Blocks until every snapshot is dropped: running jobs unwind at
        // their next query, queued ones at their first.
        salsa::Database::trigger_cancellation(&mut db);
        pool.join();
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            db: self.db.clone(),
            documents: Arc::clone(&self.documents),
            std_uris: Arc::clone(&self.std_uris),
            project_files: Arc::clone(&self.project_files),
        }
    }

    /// Answers `initialize` and `shutdown`, refuses what the phase does
    /// not allow, and passes the rest on.
    fn on_lifecycle_request(&mut self, request: Request) {
        let refuse = |code: ErrorCode, message: &str| {
            Message::Response(Response::new_err(
                request.id.clone(),
                code as i32,
                message.to_string(),
            ))
        };
        let method = request.method.as_str();
        let answer = match (self.phase, method) {
            (Phase::Uninitialized, Initialize::METHOD) => {
                self.phase = Phase::Running;
                self.watch_files =
                    serde_json::from_value::<lsp_types::InitializeParams>(request.params.clone())
                        .ok()
                        .and_then(|p| p.capabilities.workspace?.did_change_watched_files)
                        .and_then(|w| w.dynamic_registration)
                        .unwrap_or(false);
                let result = InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(ServerInfo {
                        name: "tally-lsp".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                    }),
                };
                Message::Response(Response::new_ok(request.id, result))
            }
            (Phase::Uninitialized, _) => refuse(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            ),
            (Phase::Running, Initialize::METHOD) => refuse(
                ErrorCode::InvalidRequest,
                "the server is already initialized",
            ),
            (Phase::Running, Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                for token in self.in_flight.values() {
                    token.cancel();
                }
                Message::Response(Response::new_ok(request.id, serde_json::Value::Null))
            }
            (Phase::Running, _) => return self.on_request(request),
            (Phase::ShutDown, _) => refuse(
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` is accepted",
            ),
        };
        self.outbox.push(answer);
    }

    fn on_request(&mut self, request: Request) {
        if request.method == ExecuteCommand::METHOD {
            return self.execute_command(request);
        }
        if !crate::requests::METHODS.contains(&request.method.as_str()) {
            let message = format!("tally-lsp does not handle `{}`", request.method);
            self.outbox.push(Message::Response(Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                message,
            )));
            return;
        }
        let snapshot = self.snapshot();
        let token = salsa::Database::cancellation_token(&snapshot.db);
        let id = request.id.clone();
        let job = Job {
            snapshot,
            work: Work::Request(request),
        };
        if self.pool.submit(job) {
            self.in_flight.insert(id, token);
        } else {
            self.outbox.push(Message::Response(Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "tally-lsp has no worker thread to answer".into(),
            )));
        }
    }

    /// Runs a command of a code lens: `tally.showBound` shows its argument
    /// (a bound and its legend) as a message. Needs no database, so it is
    /// answered here.
    fn execute_command(&mut self, request: Request) {
        let id = request.id.clone();
        let params = serde_json::from_value::<lsp_types::ExecuteCommandParams>(request.params);
        let text = match &params {
            Ok(p) if p.command == crate::lenses::SHOW_BOUND => p
                .arguments
                .first()
                .and_then(|a| a.as_str())
                .map(str::to_string),
            _ => None,
        };
        let Some(text) = text else {
            self.outbox.push(Message::Response(Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!(
                    "tally-lsp runs only `{}` with one text argument",
                    crate::lenses::SHOW_BOUND
                ),
            )));
            return;
        };
        self.outbox.push(Message::Notification(Notification::new(
            ShowMessage::METHOD.to_string(),
            lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::INFO,
                message: text,
            },
        )));
        self.outbox.push(Message::Response(Response::new_ok(
            id,
            serde_json::Value::Null,
        )));
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Response(response) => {
                self.in_flight.remove(&response.id);
                self.outbox.push(Message::Response(response));
            }
            Outcome::Diagnostics {
                key,
                generation,
                computed,
            } => {
                // Only the newest text of a document still open is published.
                let Some(document) = self.documents.get(&key) else {
                    return;
                };
                if document.generation != generation {
                    return;
                }
                let (uri, version, shown) = (
                    document.uri.clone(),
                    document.version,
                    document.bounds_shown,
                );
                match computed {
                    Computed::Early(diagnostics) => {
                        self.send_diagnostics(uri, diagnostics, Some(version));
                    }
                    Computed::Done {
                        diagnostics,
                        publish,
                        with_bounds,
                        bounds,
                    } => {
                        if (shown != with_bounds || bounds.is_some())
                            && let Some(document) = Arc::make_mut(&mut self.documents).get_mut(&key)
                        {
                            document.bounds_shown = with_bounds;
                            if bounds.is_some() {
                                document.known_bounds = bounds;
                            }
                        }
                        if publish {
                            self.send_diagnostics(uri, diagnostics, Some(version));
                        }
                    }
                    // Cancelled by an edit of another document: this one is
                    // unchanged, so compute it again on a fresh snapshot.
                    Computed::Cancelled => self.schedule_diagnostics(&key),
                    Computed::Failed => {}
                }
            }
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
                    self.schedule_diagnostics(p.text_document.uri.as_str());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    if let Some(document) = Arc::make_mut(&mut self.documents).remove(uri.as_str())
                    {
                        self.closed.insert(uri.as_str().to_string(), document.file);
                        self.send_diagnostics(uri.clone(), Vec::new(), None);
                        self.revert_to_disk(&uri, document.file);
                    }
                }
            }
            "initialized" if self.watch_files => self.register_watchers(),
            lsp_types::notification::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = notification.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    lsp_types::notification::DidChangeWatchedFiles::METHOD,
                ) {
                    self.on_watched_files(p);
                }
            }
            Cancel::METHOD => {
                if let Ok(p) = notification.extract::<lsp_types::CancelParams>(Cancel::METHOD) {
                    let id = match p.id {
                        NumberOrString::Number(n) => RequestId::from(n),
                        NumberOrString::String(s) => RequestId::from(s),
                    };
                    if let Some(token) = self.in_flight.get(&id) {
                        token.cancel();
                    }
                }
            }
            _ => {}
        }
    }

    /// Sets (or replaces) a document's text and schedules its diagnostics.
    /// Setting an input cancels the work running on older snapshots (and
    /// waits until they have let go of them).
    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let key = uri.as_str().to_string();
        self.generations += 1;
        let generation = self.generations;
        if !self.documents.contains_key(&key) {
            self.load_project(&uri, &text);
        }
        let (existing, bounds_shown, known_bounds) = match self.documents.get(&key) {
            Some(document) => (
                Some(document.file),
                document.bounds_shown,
                document.known_bounds.clone(),
            ),
            None => (
                self.project_file(&uri).or_else(|| self.closed.remove(&key)),
                false,
                None,
            ),
        };
        let file = match existing {
            Some(file) => {
                file.set_text(&mut self.db).to(text);
                file
            }
            None => self.db.add_file(uri.as_str(), text),
        };
        Arc::make_mut(&mut self.documents).insert(
            key.clone(),
            Document {
                uri,
                file,
                version,
                generation,
                bounds_shown,
                known_bounds,
            },
        );
        self.schedule_diagnostics(&key);
    }

    /// The project module file at `uri`, if it is one.
    fn project_file(&self, uri: &Uri) -> Option<SourceFile> {
        let path = crate::projects::canonical_path(uri)?;
        self.project_files.get(&path).map(|(_, file)| file).copied()
    }

    /// A closed project module is checked with its text on disk again.
    fn revert_to_disk(&mut self, uri: &Uri, file: SourceFile) {
        let Some(path) = crate::projects::canonical_path(uri) else {
            return;
        };
        if !self.project_files.contains_key(&path) {
            return;
        }
        if let Ok(text) = std::fs::read_to_string(&path)
            && *file.text(&self.db) != text
        {
            file.set_text(&mut self.db).to(text);
        }
    }

    /// When `uri` (being opened with `text`) is in a project other than the
    /// loaded one, loads that project: every module's file into the
    /// database (the open documents' texts, the others' from disk) and the
    /// module tree. A project that does not load is reported as a message,
    /// and the document is checked on its own.
    fn load_project(&mut self, uri: &Uri, text: &str) {
        let Some(path) = crate::projects::canonical_path(uri) else {
            return;
        };
        let mut open: BTreeMap<PathBuf, String> = BTreeMap::new();
        for document in self.documents.values() {
            if let Some(p) = crate::projects::canonical_path(&document.uri) {
                open.insert(p, document.file.text(&self.db).clone());
            }
        }
        open.insert(path.clone(), text.to_string());
        let fs = crate::projects::EditorFs { open: &open };
        let Some(root) = tally::project::find(&fs, &path) else {
            return;
        };
        if self.project_root.as_deref() == Some(root.as_path()) {
            return;
        }
        let project = match tally::project::load(&fs, &root) {
            Ok(project) => project,
            Err(message) => return self.show_warning(format!("tally-lsp: {message}")),
        };
        let mut files = BTreeMap::new();
        let mut handles = Vec::new();
        for f in &project.files {
            let Some(file_uri) = crate::projects::file_uri(&f.path) else {
                return self
                    .show_warning(format!("tally-lsp: {} has no file URI", f.path.display()));
            };
            let Ok(text) = tally::project::FileSystem::read(&fs, &f.path) else {
                return self.show_warning(format!("tally-lsp: cannot read {}", f.display));
            };
            let file = self.file_for(&f.path, &file_uri, text);
            handles.push(file);
            files.insert(f.path.clone(), (file_uri, file));
        }
        self.db.set_modules(project.entries(&handles));
        self.project_files = Arc::new(files);
        self.project_root = Some(root);
        // The open documents' diagnostics may change with the module tree.
        self.recheck_open_documents();
    }

    /// Schedules the diagnostics of every open document.
    fn recheck_open_documents(&mut self) {
        let keys: Vec<String> = self.documents.keys().cloned().collect();
        for key in keys {
            self.schedule_diagnostics(&key);
        }
    }

    /// The database file of a project module: the open document's, the
    /// one of a project loaded before, or a new one.
    fn file_for(&mut self, path: &Path, uri: &Uri, text: String) -> SourceFile {
        let open = self
            .documents
            .values()
            .find(|d| crate::projects::canonical_path(&d.uri).as_deref() == Some(path))
            .map(|d| d.file);
        if let Some(file) = open {
            return file;
        }
        let known = self
            .project_files
            .get(path)
            .map(|(_, f)| *f)
            .or_else(|| self.closed.remove(uri.as_str()));
        match known {
            Some(file) => {
                if *file.text(&self.db) != text {
                    file.set_text(&mut self.db).to(text);
                }
                file
            }
            None => self.db.add_file(uri.as_str(), text),
        }
    }

    fn show_warning(&mut self, message: String) {
        self.outbox.push(Message::Notification(Notification::new(
            ShowMessage::METHOD.to_string(),
            lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::WARNING,
                message,
            },
        )));
    }

    fn schedule_diagnostics(&mut self, key: &str) {
        let Some(document) = self.documents.get(key) else {
            return;
        };
        let work = Work::Diagnostics {
            key: key.to_string(),
            generation: document.generation,
            early: !document.bounds_shown,
        };
        let job = Job {
            snapshot: self.snapshot(),
            work,
        };
        // Without workers there is nothing to publish with; requests say so.
        self.pool.submit(job);
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
}
