//! The server while an author types: inside a function whose closing `}` is
//! not written yet, completion, hover and the outline still work, and the
//! missing brace is one diagnostic; completion follows the context.

mod common;

use common::{Client, position_of};
use serde_json::{Value, json};

/// A new function being typed between two finished ones: no `}` yet.
const TYPING: &str = "\
struct Entry { owner: Bytes, amount: Int }

fn fee(e: Entry) -> Int { e.amount / 100 }

fn net(e: Entry) -> Int {
  let cost = fee(e);
  e.

fn double(x: Int) -> Int { x * 2 }

test doubles() { double(2) == 4 }
";

/// The labels of the completions at `at` in `uri`, in the editor's order
/// (by `sortText`).
fn labels(client: &mut Client, uri: &str, at: Value) -> Vec<String> {
    let response = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": at }),
    );
    let items = response.response_result.expect("completions");
    let mut items: Vec<(String, String)> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            let label = i["label"].as_str().expect("label").to_string();
            let sort = i["sortText"].as_str().unwrap_or(&label).to_string();
            (sort, label)
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, label)| label).collect()
}

#[test]
fn an_unclosed_body_keeps_its_tree() {
    let mut client = Client::start();
    let uri = "file:///typing.tly";
    client.open(uri, TYPING);
    // One diagnostic, where the `}` is missing; none at the later items.
    let published = client.diagnostics();
    let diagnostics = published["diagnostics"].as_array().expect("a list");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "E0108");
    let dot_end = position_of(TYPING, "e.\n", 2);
    assert_eq!(diagnostics[0]["range"]["start"], dot_end);

    // The fields after `e.`, with the body unclosed.
    assert_eq!(
        labels(&mut client, uri, dot_end.clone()),
        ["amount", "owner"]
    );

    // The locals, first, where a new line of the body is typed.
    let mut typed_more = TYPING.replace("  e.\n", "  co\n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": typed_more }] }),
    );
    client.diagnostics();
    let scope = labels(&mut client, uri, position_of(&typed_more, "co\n", 2));
    assert_eq!(scope[..2], ["cost", "e"], "{scope:?}");
    assert!(scope.contains(&"fee".to_string()), "{scope:?}");
    assert!(!scope.contains(&"struct".to_string()), "{scope:?}");

    // Hover on a local of the unclosed body.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(&typed_more, "cost = ", 0) }),
    );
    let shown = hover.response_result.expect("a hover")["contents"]["value"].clone();
    assert_eq!(shown, "```tally\ncost: Int\n```");

    // The outline keeps the unclosed function, and the items after it.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<String> = symbols
        .response_result
        .expect("symbols")
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(names, ["Entry", "fee", "net", "double", "doubles"]);

    // Closing the body leaves no diagnostic.
    typed_more = typed_more.replace("  co\n", "  cost\n}\n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": typed_more }] }),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn completion_by_context() {
    let mut client = Client::start();
    let uri = "file:///c.tly";
    let mut at = |text: &str, needle: &str, shift: usize| {
        client.open(uri, text);
        client.diagnostics();
        labels(&mut client, uri, position_of(text, needle, shift))
    };
    // Module names after `std::`.
    let modules = at("fn f() -> Int { std:: }\n", "std::", 5);
    for name in ["list", "bytes", "map", "option"] {
        assert!(modules.contains(&name.to_string()), "{name} in {modules:?}");
    }
    assert!(!modules.contains(&"fn".to_string()), "{modules:?}");
    // Constructors of the scrutinee's type in a pattern, and no item keyword.
    let status =
        "enum Status { Open, Closed(Int) }\nfn f(s: Status) -> Int {\n  match s {\n    \n  }\n}\n";
    let ctors = at(status, "    \n", 4);
    assert_eq!(ctors, ["Closed", "Open", "_"]);
    let after_arm = status.replace("    \n", "    Open => 0,\n    C\n");
    let ctors = at(&after_arm, "    C\n", 5);
    assert_eq!(ctors, ["Closed", "Open", "_"]);
    let list = "fn f(xs: List<Int>) -> Int { match xs { } }\n";
    assert_eq!(at(list, "{ } }", 2), ["[]", "[x, ..rest]", "_"]);
    // Between items, only what starts an item.
    let items = at("fn f() -> Int { 1 }\n\n", "\n\n", 2);
    assert_eq!(
        items,
        [
            "const", "enum", "fn", "pub", "struct", "test", "type", "use"
        ]
    );
    client.shutdown();
}
