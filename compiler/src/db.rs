//! The salsa database shared by the `tally` command and the language server.
//!
//! Source texts are inputs ([`SourceFile`]); every phase is a tracked
//! function of them, so after an edit only what depends on the edit is
//! recomputed. The standard library is part of every database, as inputs
//! made from the sources embedded in the compiler.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Kind};
use crate::syntax::{self, Parse};

/// One source file: its display path (or `std::name` for the standard
/// library) and its text.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The path shown in diagnostics.
    #[returns(ref)]
    pub path: String,
    /// The full text.
    #[returns(ref)]
    pub text: String,
}

/// What the phases need from a database besides salsa's storage.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The standard-library module `std::<name>` (e.g. `"list"`), if there is one.
    fn std_module(&self, name: &str) -> Option<SourceFile>;
}

/// The database: salsa storage plus the standard library's files.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    std_modules: Arc<BTreeMap<String, SourceFile>>,
}

impl Default for Database {
    fn default() -> Self {
        Self::new()
    }
}

impl Database {
    /// A database holding the standard library and no user files.
    pub fn new() -> Database {
        let mut db = Database {
            storage: salsa::Storage::default(),
            std_modules: Arc::default(),
        };
        let modules = crate::stdlib::MODULES
            .iter()
            .map(|(name, text)| {
                let file = SourceFile::new(&db, format!("std::{name}"), text.to_string());
                (name.to_string(), file)
            })
            .collect();
        db.std_modules = Arc::new(modules);
        db
    }

    /// Adds a user source file.
    pub fn add_file(&self, path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile::new(self, path.into(), text.into())
    }

    /// The standard library's files, by module name.
    pub fn std_files(&self) -> impl Iterator<Item = (&str, SourceFile)> {
        self.std_modules
            .iter()
            .map(|(name, file)| (name.as_str(), *file))
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn std_module(&self, name: &str) -> Option<SourceFile> {
        self.std_modules.get(name).copied()
    }
}

/// The line index of a file (for turning offsets into lines and columns).
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn Db, file: SourceFile) -> crate::line_index::LineIndex {
    crate::line_index::LineIndex::new(file.text(db))
}

/// Parses a file (tree plus lexical and syntax errors).
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parse {
    syntax::parse(file.text(db))
}

/// Every diagnostic of a file, in source order: those of [`front_end`],
/// then, when it found no error, those of the bound analysis
/// ([`crate::bounds::bounds`]: E0601, W0602, and the code generator's
/// limits E0701, E0702), capped by [`crate::diagnostic::cap`]. This is what
/// `tally check`, `tally build` and the language server report.
#[salsa::tracked(returns(ref))]
pub fn check(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut all = front_end_all(db, file).clone();
    if !all.iter().any(Diagnostic::is_error) {
        all.extend(crate::bounds::bounds(db, file).diagnostics.iter().cloned());
        all.sort_by_key(|d| (d.primary.span.start, d.primary.span.end, d.code));
    }
    crate::diagnostic::cap(all)
}

/// The diagnostics of the front end, in source order: syntax, names and
/// types, exhaustiveness, then termination, capped by
/// [`crate::diagnostic::cap`]. Termination is checked only when the earlier
/// phases found no error, so a broken program gets the errors that explain
/// it rather than their consequences. A program without front-end errors
/// can be compiled.
#[salsa::tracked(returns(ref))]
pub fn front_end(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    crate::diagnostic::cap(front_end_all(db, file).clone())
}

/// Every diagnostic of the front end, not capped.
#[salsa::tracked(returns(ref))]
fn front_end_all(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut all = parse(db, file).diagnostics.clone();
    all.extend(crate::types::infer(db, file).diagnostics.iter().cloned());
    let front_end_clean = !all
        .iter()
        .any(|d| d.is_error() && matches!(d.code.kind(), Kind::Parse | Kind::Name | Kind::Type));
    if front_end_clean {
        all.extend(crate::totality::check_termination(db, file).iter().cloned());
    }
    all.sort_by_key(|d| (d.primary.span.start, d.primary.span.end, d.code));
    all
}

/// Checks one text in a fresh database: the diagnostics `tally check` would
/// print for it. For tests and one-off tools; editors keep a database.
pub fn check_text(path: &str, text: &str) -> Vec<Diagnostic> {
    let database = Database::new();
    let file = database.add_file(path, text);
    check(&database, file).clone()
}
