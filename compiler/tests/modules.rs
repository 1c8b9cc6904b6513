//! Modules across files on the database the command line and the language
//! server share: imports resolve through the project's module tree, each
//! diagnostic is reported in its own file, and an edit of one module
//! re-checks the modules that import it.

use salsa::Setter;
use tally::db::{self, Database, ModuleEntry, SourceFile};

fn project(files: &[(&str, &str)]) -> (Database, Vec<SourceFile>) {
    let mut database = Database::new();
    let handles: Vec<SourceFile> = files
        .iter()
        .map(|(module, text)| database.add_file(format!("src/{module}.tly"), *text))
        .collect();
    let entries = files
        .iter()
        .zip(&handles)
        .map(|((module, _), file)| ModuleEntry {
            name: module.replace('/', "::"),
            file: *file,
            package: String::new(),
        })
        .collect();
    database.set_modules(entries);
    (database, handles)
}

fn codes(database: &Database, file: SourceFile) -> Vec<&'static str> {
    db::check(database, file)
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn an_edit_rechecks_the_importers() {
    let (mut database, files) = project(&[
        (
            "main",
            "use ledger::math::{double}\n\npub fn f(x: Int) -> Int { double(x) }\n",
        ),
        ("ledger/math", "pub fn double(x: Int) -> Int { x * 2 }\n"),
    ]);
    let (main, math) = (files[0], files[1]);
    assert_eq!(codes(&database, main), Vec::<&str>::new());
    // Make `double` private: the importer now has E0205 at the `use` (and
    // E0201 where the name is used), reported in its own file.
    math.set_text(&mut database)
        .to("fn double(x: Int) -> Int { x * 2 }\n".to_string());
    assert_eq!(codes(&database, main), ["E0205", "E0201"]);
    assert_eq!(codes(&database, math), Vec::<&str>::new());
    // A type error inside the library stays in the library's diagnostics.
    math.set_text(&mut database)
        .to("pub fn double(x: Int) -> Int { true }\n".to_string());
    assert_eq!(codes(&database, main), Vec::<&str>::new());
    assert_eq!(codes(&database, math), ["E0301"]);
    // Removing the module from the tree makes the import unknown.
    database.set_modules(vec![ModuleEntry {
        name: "main".into(),
        file: main,
        package: String::new(),
    }]);
    assert_eq!(codes(&database, main), ["E0204", "E0201"]);
}

#[test]
fn dependency_files_resolve_their_own_package_first() {
    let mut database = Database::new();
    let helpers = database.add_file(
        "../util/src/helpers.tly",
        "use math::{max}\n\npub fn clamp(x: Int) -> Int { max(x, 0) }\n",
    );
    let math = database.add_file(
        "../util/src/math.tly",
        "pub fn max(a: Int, b: Int) -> Int { if a > b { a } else { b } }\n",
    );
    let main = database.add_file(
        "src/main.tly",
        "use util::helpers::{clamp}\n\npub fn f(x: Int) -> Int { clamp(x) }\n",
    );
    database.set_modules(vec![
        ModuleEntry {
            name: "main".into(),
            file: main,
            package: String::new(),
        },
        ModuleEntry {
            name: "util::helpers".into(),
            file: helpers,
            package: "util".into(),
        },
        ModuleEntry {
            name: "util::math".into(),
            file: math,
            package: "util".into(),
        },
    ]);
    for file in [main, helpers, math] {
        assert_eq!(
            codes(&database, file),
            Vec::<&str>::new(),
            "{}",
            file.path(&database)
        );
    }
    let program = tally::codegen::compile(&database, main, &Default::default()).expect("compiles");
    assert_eq!(program.entries.len(), 1);
}
