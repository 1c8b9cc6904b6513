//! Rendered diagnostics, reviewed as snapshots: every file in
//! `tests/diagnostics/` is checked and its diagnostics rendered exactly as
//! `tally check` prints them (without colour). Each file is named after the
//! code it demonstrates, and every code of the catalogue has at least one.
//! A file that checks clean is compiled to bytecode (with its tests), so
//! code generation errors (E07xx) have fixtures too; a first line
//! `// export: NAME` asks for `NAME` as an extra entry point. A fixture may
//! hold a project: the text up to the first line `//- module NAME` is the
//! module `main`, and each such line starts another module of the project
//! (diagnostics of `main` are shown).

use std::path::Path;

use tally::codegen::{self, Options};
use tally::db::{Database, ModuleEntry, check_text};
use tally::diagnostic::{Code, Diagnostic};
use tally::render;

/// The diagnostics of a source text: those of `tally check`, and when there
/// are no errors, those of code generation.
fn diagnostics_of(name: &str, text: &str) -> Vec<Diagnostic> {
    let mut sections = text.split("//- module ");
    let root = sections.next().unwrap_or_default();
    let mut database = Database::new();
    let file = database.add_file(name, root);
    let mut modules = vec![ModuleEntry {
        name: "main".to_string(),
        file,
        package: String::new(),
    }];
    for section in sections {
        let (module, body) = section.split_once('\n').unwrap_or((section, ""));
        let module = module.trim().to_string();
        let other = database.add_file(format!("{}.tly", module.replace("::", "/")), body);
        modules.push(ModuleEntry {
            name: module,
            file: other,
            package: String::new(),
        });
    }
    if modules.len() > 1 {
        database.set_modules(modules);
    }
    let checked = tally::db::check(&database, file).clone();
    if checked.iter().any(|d| d.is_error()) {
        return checked;
    }
    let instances = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// export: "))
        .map(|n| vec![(n.trim().to_string(), vec![])])
        .unwrap_or_default();
    let options = Options {
        tests: true,
        instances,
    };
    match codegen::compile(&database, file, &options) {
        Ok(_) => checked,
        Err(errors) => checked.into_iter().chain(errors).collect(),
    }
}

/// What `tally check` (then `tally build`) prints for a source text, without colour.
fn rendered(name: &str, text: &str) -> String {
    let diagnostics = diagnostics_of(name, text);
    let text = text.split("//- module ").next().unwrap_or_default();
    if diagnostics.is_empty() {
        return "no diagnostics\n".into();
    }
    diagnostics
        .iter()
        .map(|d| render::human(d, name, text, false))
        .collect()
}

#[test]
fn rendered_diagnostics() {
    insta::glob!("diagnostics/*.tly", |path| {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let name = path.file_name().expect("a file name").to_string_lossy();
        let code = name.split('_').next().expect("a code prefix");
        let diagnostics = diagnostics_of(&name, &text);
        assert!(
            diagnostics.iter().any(|d| d.code.as_str() == code),
            "{name} must produce a {code} diagnostic, got:\n{}",
            rendered(&name, &text)
        );
        insta::assert_snapshot!(rendered(&name, &text));
    });
}

#[test]
fn every_code_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for code in Code::ALL {
        let covered = names.iter().any(|n| n.starts_with(code.as_str()));
        assert!(
            covered,
            "no fixture in tests/diagnostics/ for {}",
            code.as_str()
        );
    }
}

#[test]
fn types_with_the_same_name_are_told_apart() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics/E0301_same_name_types.tly"),
    )
    .expect("fixture");
    let found = check_text("input.tly", &text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "mismatched types: expected `List<Int>`, found `std::prelude::List<Int>`"
    );
    assert!(
        found[0].notes[0].contains("input.tly:1:1"),
        "{:?}",
        found[0].notes
    );
}
