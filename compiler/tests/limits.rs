//! Limits of the code generator are diagnosed by `tally check` exactly as
//! `tally build` meets them, and each message names the limit it hit.

use tally::codegen::{self, Options};
use tally::db::{Database, check_text};
use tally::diagnostic::Code;

fn codes(text: &str) -> Vec<Code> {
    check_text("input.tly", text)
        .iter()
        .map(|d| d.code)
        .collect()
}

/// `n` non-generic entry points.
fn functions(n: usize) -> String {
    (0..n)
        .map(|i| format!("pub fn f{i}(x: Int) -> Int {{ x + {i} }}\n"))
        .collect()
}

#[test]
fn twenty_one_thousand_functions_compile_and_keep_their_bound_analysis() {
    let text = functions(21_000);
    let database = Database::new();
    let file = database.add_file("input.tly", text.clone());
    let built = codegen::compile(&database, file, &Options::default());
    assert!(
        built.is_ok(),
        "21,000 functions are within the format's 65,535: {:?}",
        built.err().map(|d| d.first().map(|d| d.message.clone()))
    );
    let with_ack = format!(
        "{text}pub fn ack(m: Int, n: Int) -> Int {{\n  if m <= 0 {{ n + 1 }}\n  else if n <= 0 {{ ack(m - 1, 1) }}\n  else {{ ack(m - 1, ack(m, n - 1)) }}\n}}\n"
    );
    assert_eq!(codes(&with_ack), vec![Code::NoClosedFormBound]);
}

#[test]
fn a_type_too_large_to_instantiate_is_reported_by_check_and_names_the_limit() {
    let text = format!(
        "fn pair<T>(x: T) -> (T, T) {{ (x, x) }}\npub fn main() -> Int {{\n  let p = {}1{};\n  0\n}}\n",
        "pair(".repeat(16),
        ")".repeat(16)
    );
    let checked = check_text("input.tly", &text);
    assert_eq!(
        checked.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec![Code::InstantiationLimit]
    );
    assert!(
        checked[0].message.contains("more than 4096 nodes"),
        "{}",
        checked[0].message
    );
    assert!(!checked[0].message.contains("does not end"));
}

#[test]
fn check_reports_what_build_reports() {
    let grow = "pub fn main() -> Int { grow(3, 1) }\n\nfn grow<T>(n: Int, x: T) -> Int { if n <= 0 { 0 } else { grow(n - 1, (x, x)) } }\n";
    let database = Database::new();
    let file = database.add_file("input.tly", grow);
    let built = codegen::compile(&database, file, &Options::default()).expect_err("E0701");
    let checked = check_text("input.tly", grow);
    assert_eq!(checked, built);
    assert!(checked[0].message.contains("does not end"));
}
