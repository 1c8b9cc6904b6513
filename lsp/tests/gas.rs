//! Gas everywhere: bounds on hover and as code lenses for every function,
//! the standard library's and generic ones included; the last known bounds
//! kept (marked stale) while the file has a syntax error; inlay hints in the
//! range asked for. Driven in-process through JSON-RPC, as an editor does.

mod common;

use common::{Client, position_of};
use serde_json::{Value, json};

const URI: &str = "file:///gas.tly";

const GAS: &str = "\
fn count<T>(xs: List<T>) -> Int {
  match xs {
    [] => 0,
    [_, ..rest] => 1 + count(rest),
  }
}

pub fn sizes(xs: List<Int>, keys: List<Bytes>) -> Int {
  count(xs) + count(keys) + std::list::length(xs)
}

pub fn doubled(xs: List<Int>) -> List<Int> {
  std::list::map(xs, |x| x * 2)
}

fn unused<T>(x: T) -> T { x }
";

/// The code lenses of [`URI`], each as `line: title`.
fn lenses(client: &mut Client) -> Vec<String> {
    let response = client.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": URI } }),
    );
    response
        .response_result
        .expect("lenses")
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            let title = l["command"]["title"].as_str().expect("a title");
            format!("{}: {title}", l["range"]["start"]["line"])
        })
        .collect()
}

fn hover(client: &mut Client, text: &str, needle: &str, shift: usize) -> String {
    let response = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": position_of(text, needle, shift) }),
    );
    response.response_result.expect("a hover")["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn change(client: &Client, version: i32, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] }),
    );
    client.diagnostics();
}

#[test]
fn lenses_and_hovers_for_every_function() {
    let mut client = Client::start();
    client.open(URI, GAS);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    // A generic function at each instance used; the standard library's
    // functions on their calls.
    insta::assert_snapshot!("gas_lenses", lenses(&mut client).join("\n"));
    // Hover on a standard-library call: the bound of the instance called.
    let map = hover(&mut client, GAS, "map(xs", 0);
    assert!(map.contains("gas ≤ `"), "{map}");
    let length = hover(&mut client, GAS, "length(xs)", 0);
    assert!(length.contains("at `length<Int>`: gas ≤ `"), "{length}");
    // Hover on a generic function's call: the instance at that call.
    let count = hover(&mut client, GAS, "count(keys)", 0);
    assert!(count.contains("at `count<Bytes>`"), "{count}");
    assert!(!count.contains("count<Int>"), "{count}");
    // A generic function no entry point or test uses: why it has no bound.
    let unused = hover(&mut client, GAS, "fn unused", 3);
    assert!(
        unused.contains("no instance of this generic function"),
        "{unused}"
    );

    // Clicking a lens shows its legend.
    let response = client.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": URI } }),
    );
    let lens = response.response_result.expect("lenses")[0].clone();
    let id = client.send_request(
        "workspace/executeCommand",
        json!({ "command": lens["command"]["command"], "arguments": lens["command"]["arguments"] }),
    );
    let shown = match client.first(
        |m| matches!(m, lsp_server::Message::Notification(n) if n.method == "window/showMessage"),
    ) {
        lsp_server::Message::Notification(n) => {
            n.params["message"].as_str().unwrap_or_default().to_string()
        }
        other => panic!("not a notification: {other:?}"),
    };
    assert!(shown.contains("|xs| = constructor cells of xs"), "{shown}");
    assert!(client.response(&id).response_result.is_ok());
    client.shutdown();
}

#[test]
fn bounds_stay_while_the_file_has_a_syntax_error() {
    // One worker: the diagnostics job (which records the bounds for the
    // document) ends before the lens request is answered.
    let mut client = Client::start_with(tally_lsp::Options {
        workers: 1,
        ..Default::default()
    });
    client.open(URI, GAS);
    client.diagnostics();
    let before = lenses(&mut client);
    // A syntax error in `doubled`: every bound is still shown, marked stale.
    let broken = GAS.replace("|x| x * 2", "|x| x * ");
    change(&client, 2, &broken);
    let stale = lenses(&mut client);
    assert_eq!(stale.len(), before.len(), "{stale:?}");
    for (old, now) in before.iter().zip(&stale) {
        if old.contains("gas ≤") {
            assert_eq!(*now, format!("{old} (stale)"));
        }
    }
    let sizes = hover(&mut client, &broken, "fn sizes", 3);
    assert!(
        sizes.contains("gas ≤ `") && sizes.contains("stale"),
        "{sizes}"
    );
    // Inlay hints too, and only in the range asked for.
    let response = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": URI }, "range": { "start": { "line": 7, "character": 0 }, "end": { "line": 9, "character": 0 } } }),
    );
    let hints: Vec<Value> = response
        .response_result
        .expect("hints")
        .as_array()
        .expect("a list")
        .clone();
    let labels: Vec<&str> = hints
        .iter()
        .map(|h| h["label"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(hints.len(), 1, "{labels:?}");
    assert!(
        labels[0].starts_with("gas ≤ ") && labels[0].ends_with("(stale) "),
        "{labels:?}"
    );
    assert_eq!(hints[0]["position"]["line"], 7);
    // Fixed again: fresh bounds, no longer stale.
    change(&client, 3, GAS);
    assert_eq!(lenses(&mut client), before);
    client.shutdown();
}
