//! Tests of name resolution and inference: a `check(src)` helper renders
//! the diagnostics of an inline module compactly, against a small standard
//! library of the tests' own (so these tests do not depend on `stdlib/`).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::db::{Db, SourceFile};
use crate::span::Span;

mod fixtures;
mod output;

/// A database with the tests' own standard library.
#[salsa::db]
#[derive(Clone)]
pub struct TestDb {
    storage: salsa::Storage<Self>,
    std: BTreeMap<String, SourceFile>,
}

#[salsa::db]
impl salsa::Database for TestDb {}

#[salsa::db]
impl Db for TestDb {
    fn std_module(&self, name: &str) -> Option<SourceFile> {
        self.std.get(name).copied()
    }
}

const PRELUDE: &str = "
pub enum List<T> { Nil, Cons(T, List<T>) }
pub enum Option<T> { None, Some(T) }
pub enum Result<T, E> { Ok(T), Err(E) }
";

const LIST: &str = "
pub fn map<T, U>(xs: List<T>, f: fn(T) -> U) -> List<U> {
  match xs { [] => [], [x, ..rest] => [f(x), ..map(rest, f)] }
}
pub fn filter<T>(xs: List<T>, keep: fn(T) -> Bool) -> List<T> {
  match xs {
    [] => [],
    [x, ..rest] => if keep(x) { [x, ..filter(rest, keep)] } else { filter(rest, keep) },
  }
}
pub fn fold<T, A>(xs: List<T>, init: A, f: fn(A, T) -> A) -> A {
  match xs { [] => init, [x, ..rest] => fold(rest, f(init, x), f) }
}
pub fn length<T>(xs: List<T>) -> Int {
  match xs { [] => 0, [_, ..rest] => 1 + length(rest) }
}
fn secret() -> Int { 1 }
";

const BYTES: &str = "
use std::builtin::{bytes_length, bytes_concat}
pub fn length(b: Bytes) -> Int { bytes_length(b) }
pub fn concat(a: Bytes, b: Bytes) -> Bytes { bytes_concat(a, b) }
";

const INT: &str = "
pub fn max(a: Int, b: Int) -> Int { if a < b { b } else { a } }
pub fn min(a: Int, b: Int) -> Int { if a < b { a } else { b } }
";

impl TestDb {
    /// A database with the test standard library.
    pub fn new() -> TestDb {
        let mut db = TestDb {
            storage: salsa::Storage::default(),
            std: BTreeMap::new(),
        };
        let mut std = BTreeMap::new();
        for (name, text) in [
            ("prelude", PRELUDE),
            ("list", LIST),
            ("bytes", BYTES),
            ("int", INT),
        ] {
            std.insert(
                name.to_string(),
                SourceFile::new(&db, format!("std::{name}"), text.to_string()),
            );
        }
        db.std = std;
        db
    }

    /// Adds a user file.
    pub fn file(&self, text: &str) -> SourceFile {
        SourceFile::new(self, "test.tly".to_string(), text.to_string())
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let offset = (offset as usize).min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn at(text: &str, span: Span) -> String {
    let (line, col) = line_col(text, span.start);
    format!("{line}:{col}")
}

/// The diagnostics of `src` (parse, names, types), one block per diagnostic.
pub fn check(src: &str) -> String {
    let db = TestDb::new();
    let file = db.file(src);
    render(src, crate::db::front_end(&db, file))
}

fn render(src: &str, diagnostics: &[crate::diagnostic::Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{} {} {} [{}]",
            d.code.as_str(),
            at(src, d.primary.span),
            d.message,
            d.primary.message
        );
        for label in &d.secondary {
            let _ = writeln!(out, "  {} {}", at(src, label.span), label.message);
        }
        for note in &d.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  help: {help}");
        }
    }
    out
}

#[test]
fn the_test_stdlib_checks_clean() {
    let db = TestDb::new();
    for (name, file) in db.std.clone() {
        let diagnostics = crate::db::front_end(&db, file);
        assert_eq!(render(file.text(&db), diagnostics), "", "std::{name}");
    }
}

const EXAMPLES: &[(&str, &str)] = &[
    (
        "higher_order",
        include_str!("../../../examples/higher_order.tly"),
    ),
    ("lists", include_str!("../../../examples/lists.tly")),
    ("recursion", include_str!("../../../examples/recursion.tly")),
    // examples/token.tly uses std::map and std::crypto, which this
    // stdlib-free checker does not have; the acceptance test checks it.
    (
        "assoc_token",
        include_str!("../../../examples/assoc_token.tly"),
    ),
];

#[test]
fn the_acceptance_examples_check_clean() {
    for (name, src) in EXAMPLES {
        assert_eq!(check(src), "", "examples/{name}.tly");
    }
}

/// The line a `//~ ERROR` marker is on, 1-based.
fn marked_line(src: &str) -> usize {
    src.lines()
        .position(|l| l.contains("//~ ERROR"))
        .map_or(0, |i| i + 1)
}

#[test]
fn reject_type_mismatch_gives_one_error_on_the_marked_line() {
    let src = include_str!("../../../examples/reject/type_mismatch.tly");
    let out = check(src);
    assert_eq!(
        out.lines().filter(|l| !l.starts_with(' ')).count(),
        1,
        "{out}"
    );
    let line = marked_line(src);
    assert!(out.starts_with(&format!("E0301 {line}:")), "{out}");
}

#[test]
fn reject_stored_function_gives_one_error_on_the_marked_line() {
    let src = include_str!("../../../examples/reject/stored_function.tly");
    let out = check(src);
    assert_eq!(
        out.lines().filter(|l| !l.starts_with(' ')).count(),
        1,
        "{out}"
    );
    let line = marked_line(src);
    assert!(out.starts_with(&format!("E0305 {line}:")), "{out}");
}

#[test]
fn reject_programs_for_later_phases_pass_the_type_checker() {
    for src in [
        include_str!("../../../examples/reject/ackermann.tly"),
        include_str!("../../../examples/reject/growing_argument.tly"),
        include_str!("../../../examples/reject/no_descent.tly"),
    ] {
        let db = TestDb::new();
        let file = db.file(src);
        assert_eq!(render(src, &crate::types::infer(&db, file).diagnostics), "");
    }
}

#[test]
fn reject_non_exhaustive_gives_one_error_on_the_marked_line() {
    let src = include_str!("../../../examples/reject/non_exhaustive.tly");
    let out = check(src);
    assert_eq!(
        out.lines().filter(|l| !l.starts_with(' ')).count(),
        1,
        "{out}"
    );
    let line = marked_line(src);
    assert!(out.starts_with(&format!("E0401 {line}:")), "{out}");
}

#[test]
fn the_list_of_standard_modules_names_every_one() {
    for (name, _) in crate::stdlib::MODULES {
        if *name != "prelude" {
            let shown = format!("`std::{name}`");
            assert!(
                crate::types::scope::STD_MODULES.contains(&shown),
                "{shown} is missing from STD_MODULES"
            );
        }
    }
}
