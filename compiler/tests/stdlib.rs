//! The standard library passes the checker like any user program, and its
//! modules import each other without cycles (so no recursion can cross them).

use tally::db::{self, Database};
use tally::render;

#[test]
fn every_stdlib_module_checks_clean() {
    let database = Database::new();
    let mut modules = 0;
    for (name, file) in database.std_files() {
        modules += 1;
        let text = file.text(&database);
        let errors: Vec<String> = db::check(&database, file)
            .iter()
            .filter(|d| d.is_error())
            .map(|d| render::plain(d, &format!("std::{name}"), text))
            .collect();
        assert!(
            errors.is_empty(),
            "std::{name} has errors:\n{}",
            errors.join("\n")
        );
    }
    assert_eq!(
        modules, 8,
        "prelude, list, option, result, int, bytes, crypto, map"
    );
}

#[test]
fn stdlib_imports_are_acyclic() {
    let database = Database::new();
    // Edges module -> imported std module, from the parsed `use` items.
    let mut edges: Vec<(String, String)> = Vec::new();
    for (name, file) in database.std_files() {
        for item in &db::parse(&database, file).module.items {
            if let tally::syntax::ast::Item::Use(u) = item {
                let segments: Vec<&str> =
                    u.module.segments.iter().map(|s| s.name.as_str()).collect();
                if let ["std", target] = segments.as_slice() {
                    edges.push((name.to_string(), target.to_string()));
                }
            }
        }
    }
    // Repeatedly remove modules that import nothing still present.
    let mut remaining: Vec<String> = database.std_files().map(|(n, _)| n.to_string()).collect();
    loop {
        let before = remaining.len();
        let snapshot = remaining.clone();
        remaining.retain(|m| {
            edges
                .iter()
                .any(|(from, to)| from == m && to != m && snapshot.contains(to))
        });
        if remaining.len() == before {
            break;
        }
    }
    assert!(remaining.is_empty(), "import cycle among {remaining:?}");
}
