//! Projects on disk: the command line's side of [`tally::project`] (which
//! holds the manifest and module-tree rules): reading files, the current
//! directory, and paths as shown in messages.

use std::path::{Component, Path, PathBuf};

pub use tally::project::{MANIFEST, Project};

/// The real file system, paths shown relative to the current directory.
pub struct Disk;

impl tally::project::FileSystem for Disk {
    fn read(&self, path: &Path) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
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

    fn show(&self, path: &Path) -> String {
        shown(path)
    }
}

/// The folder of the project containing `start` (a file or folder): the
/// nearest folder at or above it with a `tally.toml`, as Cargo looks.
pub fn find(start: &Path) -> Option<PathBuf> {
    tally::project::find(&Disk, start)
}

/// Loads the project in folder `root` and its dependencies.
pub fn load(root: &Path) -> Result<Project, String> {
    tally::project::load(&Disk, root)
}

/// The project of the current directory (found upwards), or why there is none.
pub fn current() -> Result<Project, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let root = find(&cwd).ok_or_else(|| {
        format!(
            "no {MANIFEST} in {} or any folder above it; give a FILE, or create a project \
             with `tally new NAME`",
            cwd.display()
        )
    })?;
    load(&root)
}

/// `path` as shown in messages: relative to the current directory (with
/// `..` where needed), else as it is.
pub fn shown(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return path.display().to_string();
    };
    let Ok(path) = std::fs::canonicalize(path) else {
        return path.display().to_string();
    };
    let ours: Vec<Component> = cwd.components().collect();
    let theirs: Vec<Component> = path.components().collect();
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    if common < 2 {
        return path.display().to_string();
    }
    let mut relative = PathBuf::new();
    for _ in common..ours.len() {
        relative.push("..");
    }
    for c in &theirs[common..] {
        relative.push(c);
    }
    if relative.as_os_str().is_empty() {
        ".".to_string()
    } else {
        relative.display().to_string()
    }
}
