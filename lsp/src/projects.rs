//! Projects in the editor: a document under a folder with a `tally.toml` is
//! checked with every module of its project (and of its path dependencies)
//! in the database, loaded by the compiler's own loader
//! ([`tally::project`]); the server, unlike the compiler core, reads the
//! files. Modules open in the editor are checked with the editor's text,
//! the others with the text on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The disk, except that the texts of the documents open in the editor win.
pub struct EditorFs<'a> {
    /// The open documents' texts, by canonical path.
    pub open: &'a BTreeMap<PathBuf, String>,
}

impl tally::project::FileSystem for EditorFs<'_> {
    fn read(&self, path: &Path) -> Result<String, String> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => std::fs::read_to_string(path).map_err(|e| e.to_string()),
        }
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
            out.push(entry.map_err(|e| e.to_string())?.path());
        }
        Ok(out)
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn canonicalize(&self, path: &Path) -> Result<PathBuf, String> {
        std::fs::canonicalize(path).map_err(|e| e.to_string())
    }
}

/// The canonical path of a `file://` URI (percent-decoded), if it names an
/// existing file.
pub fn canonical_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` is not a local file; `file:///path` is.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            decoded.push(b);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let path = PathBuf::from(String::from_utf8(decoded).ok()?);
    std::fs::canonicalize(path).ok()
}

/// The `file://` URI of an absolute path (percent-encoding what needs it).
pub fn file_uri(path: &Path) -> Option<Uri> {
    let mut text = String::from("file://");
    for byte in path.to_str()?.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                text.push(byte as char)
            }
            other => text.push_str(&format!("%{other:02X}")),
        }
    }
    Uri::from_str(&text).ok()
}
