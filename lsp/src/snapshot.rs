//! A read-only view of the server's state for one job on a worker thread:
//! a clone of the salsa database (a snapshot: a newer edit on the main
//! database cancels the queries running on it) and the open documents.

use std::collections::BTreeMap;
use std::sync::Arc;

use lsp_types::{TextDocumentPositionParams, Uri};
use tally::db::{Database, SourceFile};
use tally::span::Span;

use crate::convert::Lines;
use crate::navigation;

/// A definition or a use: a file and the span of the name.
pub type Target = (SourceFile, Span);

/// An open document: its database input, the editor's version, and the
/// server's own count of its edits (which, unlike the editor's version,
/// always grows).
#[derive(Debug, Clone)]
pub struct Document {
    /// The editor's name for it.
    pub uri: Uri,
    /// Its text in the database.
    pub file: SourceFile,
    /// The editor's version of the text.
    pub version: i32,
    /// How many times the server has set its text.
    pub generation: u64,
    /// Whether its last published diagnostics had some from the bound
    /// analysis (then the front end's alone are not published first, which
    /// would make those flicker).
    pub bounds_shown: bool,
    /// The bound analysis' report of the last text without front-end
    /// errors, shown (marked stale) while the text has errors.
    pub known_bounds: Option<Arc<tally::bounds::BoundReport>>,
}

/// What a job sees: the database as of when the job was made.
pub struct Snapshot {
    /// A clone of the server's database.
    pub db: Database,
    /// The open documents, by URI.
    pub documents: Arc<BTreeMap<String, Document>>,
    /// The standard library's files on disk, by module name.
    pub std_uris: Arc<BTreeMap<String, Uri>>,
    /// Every module file of the project of the last opened document (open
    /// or not), by canonical path, with its URI.
    pub project_files: Arc<BTreeMap<std::path::PathBuf, (Uri, SourceFile)>>,
}

impl Snapshot {
    /// The file and byte offset of a position in an open document or a
    /// standard-library file.
    pub fn position(&self, at: &TextDocumentPositionParams) -> Option<(SourceFile, u32)> {
        let key = at.text_document.uri.as_str();
        let file = match self.documents.get(key) {
            Some(document) => document.file,
            None => match self.std_uris.iter().find(|(_, uri)| uri.as_str() == key) {
                Some((name, _)) => tally::db::Db::std_module(&self.db, name)?,
                None => self
                    .project_files
                    .values()
                    .find(|(uri, _)| uri.as_str() == key)
                    .map(|(_, file)| *file)?,
            },
        };
        let offset = Lines::new(file.text(&self.db)).offset(at.position);
        Some((file, offset))
    }

    /// The definition named at `offset`, and every place that names it in
    /// the open documents and the project's modules (and the definition
    /// itself if asked for), sorted.
    pub fn references(
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
        for file in self.searched_files() {
            for span in navigation::uses_of(&self.db, file, target) {
                found.push((file, span));
            }
        }
        found.sort_by_key(|(f, s)| (f.path(&self.db).clone(), *s));
        found.dedup();
        Some((target, found))
    }

    /// The files a search for uses looks in: the open documents, then the
    /// project's modules that are not open, each once.
    pub fn searched_files(&self) -> Vec<SourceFile> {
        let mut files: Vec<SourceFile> = self.documents.values().map(|d| d.file).collect();
        for (_, file) in self.project_files.values() {
            if !files.contains(file) {
                files.push(*file);
            }
        }
        files
    }

    /// The URI of an open document, a project module or a standard-library file.
    pub fn uri_of(&self, file: SourceFile) -> Option<Uri> {
        if let Some(document) = self.open_document(file) {
            return Some(document.uri.clone());
        }
        if let Some((uri, _)) = self.project_files.values().find(|(_, f)| *f == file) {
            return Some(uri.clone());
        }
        let path = file.path(&self.db);
        self.std_uris.get(path.strip_prefix("std::")?).cloned()
    }

    /// The open document holding `file`.
    pub fn open_document(&self, file: SourceFile) -> Option<&Document> {
        self.documents.values().find(|d| d.file == file)
    }

    /// The file of an open document.
    pub fn document(&self, uri: &Uri) -> Option<SourceFile> {
        self.documents.get(uri.as_str()).map(|d| d.file)
    }
}
