//! The front end's limits reach the editor as `tally check` reports them:
//! the same codes and messages, in the same order, each naming the limit.

mod common;

use common::Client;
use serde_json::Value;

/// `(code, message)` of every diagnostic the server publishes once it has
/// checked everything (the message followed by the label, notes and help,
/// one a line). A file without front-end errors is published early, then
/// again with what the later phases (bounds, code generation) found.
fn published(text: &str) -> Vec<(String, String)> {
    let client = Client::start();
    client.open("file:///limits.tly", text);
    let mut params = client.diagnostics();
    if params["diagnostics"] == serde_json::json!([]) {
        params = client.diagnostics();
    }
    client.shutdown();
    params["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d: &Value| {
            (
                d["code"].as_str().expect("a code").to_string(),
                d["message"].as_str().expect("a message").to_string(),
            )
        })
        .collect()
}

/// What `tally check` reports for `text`, in the same form.
fn checked(text: &str) -> Vec<(String, String)> {
    tally::db::check_text("limits.tly", text)
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

/// Asserts the server publishes what `check` reports, and that the report
/// has `code` with a message or label containing `names`.
fn same_as_check(text: &str, code: &str, names: &str) {
    let server = published(text);
    let first_lines: Vec<(String, String)> = server
        .iter()
        .map(|(c, m)| (c.clone(), m.lines().next().unwrap_or("").to_string()))
        .collect();
    assert_eq!(first_lines, checked(text));
    assert!(
        server.iter().any(|(c, m)| c == code && m.contains(names)),
        "{code} naming {names:?} in {server:?}"
    );
}

#[test]
fn a_type_too_large_to_instantiate() {
    let text = format!(
        "fn pair<T>(x: T) -> (T, T) {{ (x, x) }}\npub fn main() -> Int {{\n  let p = {}1{};\n  0\n}}\n",
        "pair(".repeat(16),
        ")".repeat(16)
    );
    same_as_check(&text, "E0701", "more than 4096 nodes");
}

#[test]
fn an_instantiation_that_does_not_end() {
    let text = "pub fn main() -> Int { grow(3, 1) }\n\nfn grow<T>(n: Int, x: T) -> Int { if n <= 0 { 0 } else { grow(n - 1, (x, x)) } }\n";
    same_as_check(text, "E0701", "does not end");
}

#[test]
fn nesting_past_the_depth_limit() {
    let text = format!(
        "fn f(x: Int) -> Int {{\n  {}1{}\n}}\n",
        "(match x { _ => ".repeat(300),
        "})".repeat(300)
    );
    same_as_check(&text, "E0105", "more than 256 levels deep");
}

#[test]
fn too_many_errors_end_with_a_count_of_the_rest() {
    let text = format!(
        "fn f(x: Int) -> Int {{\n  {}\n}}\n",
        "(match x { _ => 1 } 1)".repeat(150)
    );
    same_as_check(&text, "E0106", "more errors not shown");
    assert_eq!(published(&text).len(), 101);
}
