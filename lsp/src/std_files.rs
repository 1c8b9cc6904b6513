//! The standard library's sources as files an editor can open, so that
//! go-to-definition can land in them. They are written once per version
//! into the system's temporary directory (the server, unlike the compiler
//! core, may touch files). They are read-only, so editors open them so.

use lsp_types::Uri;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tally::db::Database;

/// Writes the standard library's files (if not there already) and returns
/// the URI of each module, by name (`"list"`). A module that cannot be
/// written is left out: go-to-definition into it then finds nothing.
pub fn materialise(db: &Database) -> BTreeMap<String, Uri> {
    let dir = std::env::temp_dir()
        .join("tally-lsp")
        .join(format!("std-{}", env!("CARGO_PKG_VERSION")));
    let mut uris = BTreeMap::new();
    if std::fs::create_dir_all(&dir).is_err() {
        return uris;
    }
    for (name, file) in db.std_files() {
        let path: PathBuf = dir.join(format!("{name}.tly"));
        let text = file.text(db);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(text.as_str()) && !write_atomically(&path, text) {
            continue;
        }
        read_only(&path);
        if let Some(uri) = crate::projects::file_uri(&path) {
            uris.insert(name.to_string(), uri);
        }
    }
    uris
}

/// Makes a file read-only, so an editor opening it (go-to-definition)
/// refuses edits: the standard library is the compiler's, not the user's.
fn read_only(path: &std::path::Path) {
    if let Ok(metadata) = std::fs::metadata(path) {
        let mut permissions = metadata.permissions();
        if !permissions.readonly() {
            permissions.set_readonly(true);
            let _ = std::fs::set_permissions(path, permissions);
        }
    }
}

/// Writes a file through a private temporary file and a rename, so a
/// concurrent server (or editor) never reads it half written.
fn write_atomically(path: &std::path::Path, text: &str) -> bool {
    let staging = path.with_extension(format!("tly.{}.tmp", std::process::id()));
    let written = std::fs::write(&staging, text).is_ok() && std::fs::rename(&staging, path).is_ok();
    if !written {
        let _ = std::fs::remove_file(&staging);
    }
    written
}
