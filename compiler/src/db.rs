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

/// One module of a project: its full name (`ledger::math`, or
/// `util::math` for module `math` of the dependency `util`), its file, and
/// the package it belongs to (`""` for the project itself, `"util"` for a
/// dependency mounted under that name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModuleEntry {
    /// The module's full path, segments joined with `::`.
    pub name: String,
    /// Its source file.
    pub file: SourceFile,
    /// The package's mount point (`""` for the root package).
    pub package: String,
}

/// The modules of the project being checked (empty for a single file): an
/// input, so adding or removing a module re-checks what imports it.
#[salsa::input(debug)]
pub struct ModuleTree {
    /// Every module, sorted by name.
    #[returns(ref)]
    pub modules: Vec<ModuleEntry>,
}

/// What the phases need from a database besides salsa's storage.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The standard-library module `std::<name>` (e.g. `"list"`), if there is one.
    fn std_module(&self, name: &str) -> Option<SourceFile>;

    /// The project's modules (empty when a single file is checked).
    fn project_modules(&self) -> &[ModuleEntry] {
        &[]
    }
}

/// The project module that path `path` (`ledger::math`) names when written
/// in `from`: a module of `from`'s own package first (so a dependency's
/// files name their siblings as they do when the dependency is checked on
/// its own), then a module by its full name (the root package's modules and
/// the dependencies mounted under their names).
pub fn resolve_module(db: &dyn Db, from: SourceFile, path: &str) -> Option<SourceFile> {
    let modules = db.project_modules();
    let package = modules
        .iter()
        .find(|m| m.file == from)
        .map(|m| m.package.as_str())
        .unwrap_or("");
    let local = if package.is_empty() {
        None
    } else {
        let full = format!("{package}::{path}");
        modules.iter().find(|m| m.name == full)
    };
    local
        .or_else(|| modules.iter().find(|m| m.name == path))
        .map(|m| m.file)
}

/// The full module name of a project file, if it is one.
pub fn module_name(db: &dyn Db, file: SourceFile) -> Option<&str> {
    db.project_modules()
        .iter()
        .find(|m| m.file == file)
        .map(|m| m.name.as_str())
}

/// The database: salsa storage plus the standard library's files and the
/// project's module tree.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    std_modules: Arc<BTreeMap<String, SourceFile>>,
    tree: Option<ModuleTree>,
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
            tree: None,
        };
        let modules = crate::stdlib::MODULES
            .iter()
            .map(|(name, text)| {
                let file = SourceFile::new(&db, format!("std::{name}"), text.to_string());
                (name.to_string(), file)
            })
            .collect();
        db.std_modules = Arc::new(modules);
        db.tree = Some(ModuleTree::new(&db, Vec::new()));
        db
    }

    /// Sets the project's modules (their files added with [`Database::add_file`]).
    pub fn set_modules(&mut self, mut modules: Vec<ModuleEntry>) {
        use salsa::Setter;
        modules.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(tree) = self.tree {
            tree.set_modules(self).to(modules);
        }
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

    fn project_modules(&self) -> &[ModuleEntry] {
        match self.tree {
            Some(tree) => tree.modules(self),
            None => &[],
        }
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
    // The program is compiled only when the modules it imports are clean
    // too (their errors are reported in their own files).
    if !all.iter().any(Diagnostic::is_error) && imports_clean(db, file) {
        all.extend(crate::bounds::bounds(db, file).diagnostics.iter().cloned());
        all.sort_by_key(|d| (d.primary.span.start, d.primary.span.end, d.code));
    }
    crate::diagnostic::cap(all)
}

/// Whether every project module `file` imports (directly or not) passes the front end.
pub fn imports_clean(db: &dyn Db, file: SourceFile) -> bool {
    crate::types::scope::reachable_modules(db, file)
        .into_iter()
        .all(|m| !front_end(db, m).iter().any(Diagnostic::is_error))
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
