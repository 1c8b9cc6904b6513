//! Files changed on disk outside the editor: the server asks the client to
//! watch the project's sources and manifests (when the client can register
//! watchers), and `workspace/didChangeWatchedFiles` brings the news. A
//! changed module that is not open is checked with its new text; a module
//! created or deleted, or a changed `tally.toml`, reloads the project.

use lsp_server::{Message, Request, RequestId};
use lsp_types::notification::{DidChangeWatchedFiles, Notification as _};
use lsp_types::request::{RegisterCapability, Request as _};
use lsp_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, FileChangeType,
    FileSystemWatcher, GlobPattern, Registration, RegistrationParams,
};
use salsa::Setter;

use super::Server;

/// The id of the server's one `client/registerCapability` request.
pub const WATCH_REGISTRATION: &str = "tally-watch-files";

impl Server {
    /// Asks the client to report changes of `*.tly` files and manifests.
    pub(super) fn register_watchers(&mut self) {
        let watcher = |glob: &str| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_string()),
            kind: None,
        };
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher("**/*.tly"), watcher("**/tally.toml")],
        };
        let registration = Registration {
            id: WATCH_REGISTRATION.to_string(),
            method: DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.outbox.push(Message::Request(Request::new(
            RequestId::from(WATCH_REGISTRATION.to_string()),
            RegisterCapability::METHOD.to_string(),
            RegistrationParams {
                registrations: vec![registration],
            },
        )));
    }

    /// Applies files changed on disk to the loaded project: new texts of
    /// modules that are not open, and a reload when the module tree may
    /// have changed. Open documents keep the editor's text.
    pub(super) fn on_watched_files(&mut self, params: DidChangeWatchedFilesParams) {
        if self.project_root.is_none() {
            return;
        }
        let mut reload = false;
        let mut changed = false;
        for event in params.changes {
            let manifest = event.uri.as_str().ends_with("/tally.toml");
            if manifest || event.typ != FileChangeType::CHANGED {
                reload = true;
                continue;
            }
            let Some(path) = crate::projects::canonical_path(&event.uri) else {
                continue;
            };
            let open = self
                .documents
                .values()
                .any(|d| crate::projects::canonical_path(&d.uri).as_deref() == Some(&path));
            let Some((_, file)) = self.project_files.get(&path).cloned() else {
                continue;
            };
            if open {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&path)
                && *file.text(&self.db) != text
            {
                file.set_text(&mut self.db).to(text);
                changed = true;
            }
        }
        if reload {
            self.reload_project();
        } else if changed {
            self.recheck_open_documents();
        }
    }

    /// Loads the project again from disk, through an open document of it.
    fn reload_project(&mut self) {
        let in_project = self.documents.values().find_map(|d| {
            let path = crate::projects::canonical_path(&d.uri)?;
            let root = self.project_root.as_deref()?;
            path.starts_with(root)
                .then(|| (d.uri.clone(), d.file.text(&self.db).clone()))
        });
        self.project_root = None;
        if let Some((uri, text)) = in_project {
            self.load_project(&uri, &text);
        }
        self.recheck_open_documents();
    }
}
