//! Code actions, requested and applied as an editor does; each result must
//! check clean (or at least fix what it was offered for).

mod common;

use common::{Client, position_of};
use serde_json::{Value, json};

const URI: &str = "file:///actions.tly";

/// The code actions at `needle` in `text` (opened first), by title.
fn actions(client: &mut Client, text: &str, needle: &str) -> Vec<Value> {
    client.open(URI, text);
    client.diagnostics();
    let at = position_of(text, needle, 0);
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": { "start": at, "end": at },
            "context": { "diagnostics": [] }
        }),
    );
    response
        .response_result
        .expect("actions")
        .as_array()
        .expect("a list")
        .clone()
}

/// `text` after the edits of `action`.
fn apply(text: &str, action: &Value) -> String {
    let edits = action["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits");
    let offset = |p: &Value| {
        let line = p["line"].as_u64().expect("line") as usize;
        let column = p["character"].as_u64().expect("column") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + column
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("text"),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (from, to, new) in spans {
        out.replace_range(from..to, new);
    }
    out
}

/// The titles of `actions`.
fn titles(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The diagnostics `tally check` gives `text`, as codes.
fn codes(text: &str) -> Vec<String> {
    tally::db::check_text("t.tly", text)
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}

#[test]
fn quick_fixes_applied_check_clean() {
    let mut client = Client::start();
    let mut results = Vec::new();

    // An unknown name, imported from the module that defines it.
    let unknown = "fn positive(xs: List<Int>) -> List<Int> { filter(xs, |x| x > 0) }\n";
    let found = actions(&mut client, unknown, "filter(");
    let import = found
        .iter()
        .find(|a| a["title"] == "Import `filter` from `std::list`")
        .unwrap_or_else(|| panic!("{:?}", titles(&found)));
    assert_eq!(import["diagnostics"][0]["code"], "E0201");
    let imported = apply(unknown, import);
    assert_eq!(codes(&imported), Vec::<String>::new(), "{imported}");
    results.push(imported);

    // The missing arms of a match, from the exhaustiveness witnesses.
    let partial = "enum Status { Open, Closed(Int), Frozen }\n\nfn code(s: Status) -> Int {\n  match s {\n    Open => 0,\n  }\n}\n";
    let found = actions(&mut client, partial, "match s");
    assert_eq!(
        titles(&found),
        ["Add the missing match arms (Closed(_), Frozen)"]
    );
    let completed = apply(partial, &found[0]);
    assert_eq!(codes(&completed), Vec::<String>::new(), "{completed}");
    results.push(completed);

    // An unused import removed, the used one kept.
    let unused = "use std::list::{filter, map}\n\nfn inc(xs: List<Int>) -> List<Int> { map(xs, |x| x + 1) }\n";
    let found = actions(&mut client, unused, "filter");
    assert_eq!(titles(&found), ["Remove the unused import `filter`"]);
    let removed = apply(unused, &found[0]);
    assert_eq!(codes(&removed), Vec::<String>::new(), "{removed}");
    results.push(removed);

    // E0501 on a rebuilt pattern: pass the matched variable.
    let rebuilt = "fn walk(xs: List<Int>, fuel: Int) -> Int {\n  match xs {\n    [] => 0,\n    [_, ..] => match xs {\n      [] => 0,\n      [x, ..rest] => if fuel > 0 { walk([x, ..rest], fuel - 1) } else { walk(rest, 10) },\n    },\n  }\n}\n";
    assert_eq!(codes(rebuilt), ["E0501"]);
    let found = actions(&mut client, rebuilt, "walk([x");
    assert_eq!(
        titles(&found),
        ["Pass `xs` instead of rebuilding `[x, ..rest]`"]
    );
    let passed = apply(rebuilt, &found[0]);
    assert_eq!(codes(&passed), Vec::<String>::new(), "{passed}");
    results.push(passed);

    insta::assert_snapshot!("applied_actions", results.join("\n---\n"));
    client.shutdown();
}
