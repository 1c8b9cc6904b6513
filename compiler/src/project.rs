//! Projects: a folder with a `tally.toml` manifest and a `src/` tree of
//! modules, with path dependencies on other projects (README, "Projects").
//! The loader does no I/O itself: it asks a [`FileSystem`] (the `tally`
//! command's reads the disk; the language server's prefers the texts of open
//! documents), so the compiler core stays free of I/O.
//!
//! `src/ledger/math.tly` is module `ledger::math`; a dependency declared as
//! `util = { path = "../util" }` has its modules mounted under `util`
//! (`util::math`). The contracts (the modules built to bytecode) are the
//! modules under `src/contracts/`, or those the manifest lists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::{Database, ModuleEntry, SourceFile};

/// What the project loader needs from a file system. Errors are messages
/// (`No such file or directory (os error 2)`), which the loader prefixes
/// with the path.
pub trait FileSystem {
    /// The text of a file.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// The entries of a folder (full paths), in any order.
    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String>;
    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool;
    /// Whether `path` is a file.
    fn is_file(&self, path: &Path) -> bool;
    /// The absolute path without `.`, `..` or symbolic links.
    fn canonicalize(&self, path: &Path) -> Result<PathBuf, String>;
    /// `path` as shown in messages (e.g. relative to the current folder).
    fn show(&self, path: &Path) -> String {
        path.display().to_string()
    }
}

/// The manifest's file name.
pub const MANIFEST: &str = "tally.toml";

/// `tally.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    package: Package,
    #[serde(default)]
    dependencies: BTreeMap<String, Dependency>,
}

/// The `[package]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Package {
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    /// Source files (relative to the project folder) that are contracts;
    /// default: every file under `src/contracts/`.
    #[serde(default)]
    contracts: Option<Vec<PathBuf>>,
}

/// One `[dependencies]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dependency {
    path: PathBuf,
}

/// A source file of a project (or of one of its dependencies).
#[derive(Debug, Clone)]
pub struct ProjectFile {
    /// The module's full name (`ledger::math`, `util::math`).
    pub module: String,
    /// The file, as shown in messages (relative to the current directory when it can be).
    pub display: String,
    /// The file's path on disk.
    pub path: PathBuf,
    /// The package's mount point: `""` for the project, the dependency's name otherwise.
    pub package: String,
}

/// A loaded project: its manifest and every module file, its dependencies' included.
#[derive(Debug)]
pub struct Project {
    /// The folder holding `tally.toml`.
    pub root: PathBuf,
    /// `package.name`.
    pub name: String,
    /// `package.version`.
    pub version: String,
    /// Every module, the project's first, then each dependency's; sorted by name within each.
    pub files: Vec<ProjectFile>,
    /// The modules (full names) that are contracts, in order.
    pub contracts: Vec<String>,
}

impl Project {
    /// The project's own files (not its dependencies').
    pub fn own_files(&self) -> impl Iterator<Item = &ProjectFile> {
        self.files.iter().filter(|f| f.package.is_empty())
    }

    /// The file of module `module`.
    pub fn file(&self, module: &str) -> Option<&ProjectFile> {
        self.files.iter().find(|f| f.module == module)
    }

    /// A contract's short name: its module's last segment (`contracts::vault` → `vault`).
    pub fn contract_name(module: &str) -> &str {
        module.rsplit("::").next().unwrap_or(module)
    }

    /// A database holding every module of the project, with each file's handle.
    pub fn database(&self, fs: &dyn FileSystem) -> Result<(Database, Vec<SourceFile>), String> {
        let mut database = Database::new();
        let mut handles = Vec::new();
        let mut entries = Vec::new();
        for f in &self.files {
            let text = fs
                .read(&f.path)
                .map_err(|e| format!("cannot read {}: {e}", f.display))?;
            if text.len() >= u32::MAX as usize {
                return Err(format!("{}: file too large (at most 4 GiB)", f.display));
            }
            let file = database.add_file(f.display.clone(), text);
            handles.push(file);
            entries.push(ModuleEntry {
                name: f.module.clone(),
                file,
                package: f.package.clone(),
            });
        }
        database.set_modules(entries);
        Ok((database, handles))
    }

    /// The index in [`Project::files`] of the file at `path`, if it is one of them.
    pub fn find_file(&self, fs: &dyn FileSystem, path: &Path) -> Option<usize> {
        let wanted = fs.canonicalize(path).ok()?;
        self.files
            .iter()
            .position(|f| f.path == wanted || fs.canonicalize(&f.path).is_ok_and(|p| p == wanted))
    }

    /// The module entries of the project's files, for [`Database::set_modules`],
    /// given each file's handle (in [`Project::files`] order).
    pub fn entries(&self, handles: &[SourceFile]) -> Vec<ModuleEntry> {
        self.files
            .iter()
            .zip(handles)
            .map(|(f, &file)| ModuleEntry {
                name: f.module.clone(),
                file,
                package: f.package.clone(),
            })
            .collect()
    }
}

/// The folder of the project containing `start` (a file or folder): the
/// nearest folder at or above it with a `tally.toml`, as Cargo looks.
pub fn find(fs: &dyn FileSystem, start: &Path) -> Option<PathBuf> {
    let start = fs.canonicalize(start).ok()?;
    let mut dir = if fs.is_dir(&start) {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    loop {
        if fs.is_file(&dir.join(MANIFEST)) {
            return Some(dir);
        }
        dir = dir.parent()?.to_path_buf();
    }
}

/// Loads the project in folder `root` and its dependencies.
pub fn load(fs: &dyn FileSystem, root: &Path) -> Result<Project, String> {
    let root = fs
        .canonicalize(root)
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let shown = |p: &Path| fs.show(p);
    let manifest = read_manifest(fs, &root)?;
    let mut files = modules(fs, &root, "")?;
    let contracts = contracts(fs, &root, &manifest, &files)?;
    // Dependencies, transitively, each mounted under the name it is declared with.
    let mut mounted: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut pending: Vec<(String, PathBuf, PathBuf)> = manifest
        .dependencies
        .iter()
        .map(|(name, d)| (name.clone(), d.path.clone(), root.clone()))
        .collect();
    while let Some((name, written, declared_in)) = pending.pop() {
        let path = declared_in.join(&written);
        check_segment(&name).map_err(|why| {
            format!(
                "{}: dependency `{name}`: {why}",
                shown(&declared_in.join(MANIFEST))
            )
        })?;
        let dir = fs.canonicalize(&path).map_err(|e| {
            format!(
                "{}: dependency `{name}` at {}: {e}",
                shown(&declared_in.join(MANIFEST)),
                written.display()
            )
        })?;
        if dir == root {
            return Err(format!("dependency `{name}` is the project itself"));
        }
        if let Some(existing) = mounted.get(&name) {
            if *existing == dir {
                continue;
            }
            return Err(format!(
                "two different dependencies are named `{name}`: {} and {}",
                shown(existing),
                shown(&dir)
            ));
        }
        if files
            .iter()
            .any(|f| f.package.is_empty() && first_segment(&f.module) == name)
        {
            return Err(format!(
                "dependency `{name}` has the name of a module of the project (`src/{name}`); \
                 rename one of them"
            ));
        }
        let dep = read_manifest(fs, &dir)?;
        for (inner, d) in &dep.dependencies {
            pending.push((inner.clone(), d.path.clone(), dir.clone()));
        }
        files.extend(modules(fs, &dir, &name)?);
        mounted.insert(name, dir);
    }
    Ok(Project {
        root,
        name: manifest.package.name,
        version: manifest.package.version,
        files,
        contracts,
    })
}

fn first_segment(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

fn read_manifest(fs: &dyn FileSystem, dir: &Path) -> Result<Manifest, String> {
    let shown = |p: &Path| fs.show(p);
    let path = dir.join(MANIFEST);
    let text = fs
        .read(&path)
        .map_err(|e| format!("cannot read {}: {e}", shown(&path)))?;
    let manifest: Manifest =
        toml::from_str(&text).map_err(|e| format!("{}: {}", shown(&path), e.message()))?;
    let _ = &manifest.package.description;
    if manifest.package.name.is_empty() {
        return Err(format!("{}: `package.name` is empty", shown(&path)));
    }
    if manifest.package.version.is_empty() {
        return Err(format!("{}: `package.version` is empty", shown(&path)));
    }
    Ok(manifest)
}

/// Every `.tly` file under `dir/src`, as modules mounted under `package`.
fn modules(fs: &dyn FileSystem, dir: &Path, package: &str) -> Result<Vec<ProjectFile>, String> {
    let shown = |p: &Path| fs.show(p);
    let src = dir.join("src");
    if !fs.is_dir(&src) {
        return Err(format!("{}: no src/ folder", shown(dir)));
    }
    let mut found = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(folder) = stack.pop() {
        let entries = fs
            .list(&folder)
            .map_err(|e| format!("cannot read {}: {e}", shown(&folder)))?;
        for path in entries {
            if fs.is_dir(&path) {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tly") {
                found.push(path);
            }
        }
    }
    found.sort();
    let mut files = Vec::new();
    for path in found {
        let relative = path.strip_prefix(&src).unwrap_or(&path).with_extension("");
        let mut segments: Vec<String> = Vec::new();
        if !package.is_empty() {
            segments.push(package.to_string());
        }
        for component in relative.components() {
            let segment = component.as_os_str().to_string_lossy().into_owned();
            check_segment(&segment)
                .map_err(|why| format!("{}: not a module path: `{segment}` {why}", shown(&path)))?;
            segments.push(segment);
        }
        files.push(ProjectFile {
            module: segments.join("::"),
            display: shown(&path),
            path,
            package: package.to_string(),
        });
    }
    Ok(files)
}

/// Whether `name` can be a module path segment: a lowercase Tally name.
fn check_segment(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    let starts = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if starts && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(())
    } else {
        Err("must be a lowercase name (letters a-z, digits, `_`; not starting with a digit)")
    }
}

/// The contract modules: the manifest's list, or every module under `src/contracts/`.
fn contracts(
    fs: &dyn FileSystem,
    root: &Path,
    manifest: &Manifest,
    files: &[ProjectFile],
) -> Result<Vec<String>, String> {
    match &manifest.package.contracts {
        Some(listed) => listed
            .iter()
            .map(|path| {
                let wanted = fs.canonicalize(&root.join(path)).ok();
                files
                    .iter()
                    .find(|f| wanted.is_some() && fs.canonicalize(&f.path).ok() == wanted)
                    .map(|f| f.module.clone())
                    .ok_or_else(|| {
                        format!(
                            "{}: contract {} is not a source file under src/",
                            fs.show(&root.join(MANIFEST)),
                            path.display()
                        )
                    })
            })
            .collect(),
        None => Ok(files
            .iter()
            .filter(|f| f.module.starts_with("contracts::"))
            .map(|f| f.module.clone())
            .collect()),
    }
}
