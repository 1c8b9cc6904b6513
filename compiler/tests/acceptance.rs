//! The acceptance programs of `examples/` (copied from the product's shared
//! examples): good programs check clean; each program in `examples/reject/`
//! fails with exactly one error, on the line marked `//~ ERROR <kind>`, whose
//! code belongs to that kind.

use std::path::{Path, PathBuf};

use tally::db::check_text;
use tally::line_index::LineIndex;
use tally::render;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn tly_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples directory exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "tly"))
        .collect();
    files.sort();
    files
}

#[test]
fn good_examples_check_clean() {
    let files = tly_files(&examples_dir());
    assert!(files.len() >= 4, "the four acceptance programs are there");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let name = path.display().to_string();
        let errors: Vec<String> = check_text(&name, &text)
            .iter()
            .filter(|d| d.is_error())
            .map(|d| render::plain(d, &name, &text))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} has errors:\n{}",
            errors.join("\n")
        );
    }
}

/// The `//~ ERROR kind` marker of a reject program: 1-based line and kind.
fn expected_error(text: &str) -> Option<(usize, String)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let (_, kind) = line.split_once("//~ ERROR ")?;
        Some((i + 1, kind.trim().to_string()))
    })
}

#[test]
fn reject_examples_fail_with_one_error_of_the_marked_kind() {
    let files = tly_files(&examples_dir().join("reject"));
    assert_eq!(files.len(), 6, "the six reject programs are there");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let name = path.display().to_string();
        let (line, kind) = expected_error(&text).expect("a //~ ERROR marker");
        let errors: Vec<_> = check_text(&name, &text)
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        let shown: Vec<String> = errors
            .iter()
            .map(|d| render::plain(d, &name, &text))
            .collect();

        assert_eq!(
            errors.len(),
            1,
            "{name}: expected exactly one error, got:\n{}",
            shown.join("\n")
        );
        let error = &errors[0];
        let at = LineIndex::new(&text).line_of(error.primary.span.start) + 1;
        assert_eq!(
            at, line,
            "{name}: error on line {at}, expected line {line}:\n{}",
            shown[0]
        );
        assert_eq!(
            error.code.kind().name(),
            kind,
            "{name}: wrong kind:\n{}",
            shown[0]
        );
    }
}
