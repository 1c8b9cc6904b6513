//! `tally::project` loads a project through a `FileSystem` it is given (the
//! core does no I/O): here an in-memory one, with a path dependency, the
//! module names derived from the paths, and the module tree checked in the
//! shared database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tally::project::{FileSystem, load};

/// Files by absolute path; folders are the prefixes of the paths.
struct Memory(BTreeMap<PathBuf, String>);

impl FileSystem for Memory {
    fn read(&self, path: &Path) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut out: Vec<PathBuf> = Vec::new();
        for path in self.0.keys() {
            if let Ok(rest) = path.strip_prefix(dir)
                && let Some(first) = rest.components().next()
            {
                let child = dir.join(first);
                if !out.contains(&child) {
                    out.push(child);
                }
            }
        }
        Ok(out)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.0.keys().any(|p| p != path && p.starts_with(path))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }

    fn canonicalize(&self, path: &Path) -> Result<PathBuf, String> {
        let mut out = PathBuf::new();
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        if self.is_file(&out) || self.is_dir(&out) {
            Ok(out)
        } else {
            Err("no such file or folder".into())
        }
    }
}

fn memory(files: &[(&str, &str)]) -> Memory {
    Memory(
        files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect(),
    )
}

#[test]
fn a_project_loads_from_any_file_system() {
    let fs = memory(&[
        (
            "/w/app/tally.toml",
            "[package]\nname = \"app\"\nversion = \"1.0.0\"\n\n[dependencies]\nutil = { path = \"../util\" }\n",
        ),
        (
            "/w/app/src/contracts/vault.tly",
            "use ledger::math::{add}\nuse util::num::{double}\n\npub fn f(x: Int) -> Int { add(double(x), 1) }\n",
        ),
        (
            "/w/app/src/ledger/math.tly",
            "pub fn add(a: Int, b: Int) -> Int { a + b }\n",
        ),
        (
            "/w/util/tally.toml",
            "[package]\nname = \"util\"\nversion = \"0.1.0\"\n",
        ),
        (
            "/w/util/src/num.tly",
            "pub fn double(x: Int) -> Int { x * 2 }\n",
        ),
    ]);
    let root = tally::project::find(&fs, Path::new("/w/app/src/ledger/math.tly"));
    assert_eq!(root.as_deref(), Some(Path::new("/w/app")));
    let project = load(&fs, Path::new("/w/app")).expect("loads");
    let modules: Vec<(&str, &str)> = project
        .files
        .iter()
        .map(|f| (f.module.as_str(), f.package.as_str()))
        .collect();
    assert_eq!(
        modules,
        [
            ("contracts::vault", ""),
            ("ledger::math", ""),
            ("util::num", "util"),
        ]
    );
    assert_eq!(project.contracts, ["contracts::vault"]);
    let (database, handles) = project.database(&fs).expect("database");
    for file in handles {
        let diagnostics = tally::db::check(&database, file);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}

#[test]
fn manifest_problems_are_messages() {
    let fs = memory(&[
        ("/w/app/tally.toml", "[package]\nname = \"app\"\n"),
        ("/w/app/src/a.tly", ""),
    ]);
    let err = load(&fs, Path::new("/w/app")).expect_err("no version");
    assert!(
        err.contains("/w/app/tally.toml") && err.contains("version"),
        "{err}"
    );
    let fs = memory(&[
        (
            "/w/app/tally.toml",
            "[package]\nname = \"app\"\nversion = \"1.0.0\"\n\n[dependencies]\nutil = { path = \"../util\" }\n",
        ),
        ("/w/app/src/a.tly", ""),
    ]);
    let err = load(&fs, Path::new("/w/app")).expect_err("missing dependency");
    assert!(err.contains("dependency `util`"), "{err}");
}
