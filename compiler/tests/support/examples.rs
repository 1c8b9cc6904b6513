//! The acceptance programs in `examples/`.

#![allow(dead_code)]

use std::path::PathBuf;

/// `examples/*.tly` (not the reject programs), sorted, with their texts.
pub fn examples() -> Vec<(PathBuf, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the examples directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tly"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "the examples are present");
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable example");
            (p, text)
        })
        .collect()
}

/// Every `.tly` file in these directories (relative to the repository's
/// root), sorted, with their texts.
pub fn sources_in(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(root.join(dir)).expect("directory") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "tly") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable source");
            (p, text)
        })
        .collect()
}
