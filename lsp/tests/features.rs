//! Signature help, folding ranges, document highlights, workspace symbols,
//! semantic tokens and the read-only standard-library files, driven
//! in-process through JSON-RPC as an editor does.

mod common;

use common::{Client, example, position_of};
use serde_json::{Value, json};

const URI: &str = "file:///features.tly";

const TEXT: &str = "\
use std::list::{map, filter}

/// An account.
struct Account { owner: Bytes, balance: Int }

enum Kind { Small, Large(Int) }

// Classify by balance.
fn kind(a: Account, limit: Int) -> Kind {
  let b = a.balance;
  if b < limit { Small } else { Large(b) }
}

fn bump(xs: List<Int>, by: Int) -> List<Int> {
  map(filter(xs, |x| x > 0), |x| x + by)
}
";

fn result(client: &mut Client, method: &str, params: Value) -> Value {
    client
        .request(method, params)
        .response_result
        .expect("a result")
}

#[test]
fn signature_help_folding_highlights_and_symbols() {
    let mut client = Client::start();
    client.open(URI, TEXT);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    let doc = json!({ "uri": URI });

    // In the second argument of `filter(`: its signature, parameter 1 active.
    let help = result(
        &mut client,
        "textDocument/signatureHelp",
        json!({ "textDocument": doc, "position": position_of(TEXT, "|x| x > 0", 0) }),
    );
    let signature = &help["signatures"][0];
    assert_eq!(
        signature["label"],
        "fn filter<T>(xs: List<T>, keep: fn(T) -> Bool) -> List<T>"
    );
    assert_eq!(help["activeParameter"], 1);
    assert_eq!(signature["parameters"][1]["label"], json!([26, 45]));

    // Folding: the items over several lines and their bodies.
    let folds = result(
        &mut client,
        "textDocument/foldingRange",
        json!({ "textDocument": doc }),
    );
    let spans: Vec<String> = folds
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| format!("{}-{}", f["startLine"], f["endLine"]))
        .collect();
    assert_eq!(spans, ["8-11", "13-15"]);

    // Highlights of a parameter: its declaration (write) and uses (read).
    let highlights = result(
        &mut client,
        "textDocument/documentHighlight",
        json!({ "textDocument": doc, "position": position_of(TEXT, "limit {", 0) }),
    );
    let kinds: Vec<String> = highlights
        .as_array()
        .expect("a list")
        .iter()
        .map(|h| {
            format!(
                "{}:{} {}",
                h["range"]["start"]["line"], h["range"]["start"]["character"], h["kind"]
            )
        })
        .collect();
    assert_eq!(kinds, ["8:20 3", "10:9 2"]);

    // Workspace symbols: this file's and the standard library's.
    let symbols = result(&mut client, "workspace/symbol", json!({ "query": "filt" }));
    let names: Vec<String> = symbols
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["name"].as_str().unwrap_or(""),
                s["containerName"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(names.contains(&"filter std::list".to_string()), "{names:?}");
    assert!(names.contains(&"filter std::map".to_string()), "{names:?}");
    let mine = result(&mut client, "workspace/symbol", json!({ "query": "KIND" }));
    assert_eq!(mine[0]["name"], "Kind");
    assert_eq!(mine[0]["location"]["uri"], URI);
    client.shutdown();
}

/// The semantic tokens of `text`, each as `text:type`.
fn tokens(client: &mut Client, text: &str) -> Vec<String> {
    client.open(URI, text);
    client.diagnostics();
    let legend: Vec<String> = tally_lsp_legend();
    let response = result(
        client,
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    let data: Vec<u64> = response["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|v| v.as_u64().expect("a number"))
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut column) = (0usize, 0usize);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0] as usize;
                column = t[1] as usize;
            } else {
                column += t[1] as usize;
            }
            let written = &lines[line][column..column + t[2] as usize];
            format!("{written}:{}", legend[t[3] as usize])
        })
        .collect()
}

/// The token types of the legend the server announces.
fn tally_lsp_legend() -> Vec<String> {
    let mut client = Client::connect();
    let init = client.request("initialize", json!({ "capabilities": {} }));
    let caps = init.response_result.expect("initialize");
    let legend = caps["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t.as_str().unwrap_or("").to_string())
        .collect();
    client.notify("initialized", json!({}));
    client.shutdown();
    legend
}

#[test]
fn semantic_tokens_classify_names_and_comments() {
    let mut client = Client::start();
    let shown = tokens(&mut client, TEXT);
    // Only the names and comments (keywords and punctuation are as before).
    let names: Vec<&String> = shown
        .iter()
        .filter(|t| {
            !t.ends_with(":keyword") && !t.ends_with(":operator") && !t.ends_with(":number")
        })
        .collect();
    insta::assert_snapshot!(
        "semantic_token_names",
        names
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    client.shutdown();
}

#[test]
fn standard_library_files_are_read_only() {
    let mut client = Client::start();
    let text = example("higher_order");
    client.open("file:///higher_order.tly", &text);
    client.diagnostics();
    let location = result(
        &mut client,
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///higher_order.tly" }, "position": position_of(&text, "map(xs", 0) }),
    );
    let path = location["uri"]
        .as_str()
        .expect("a uri")
        .trim_start_matches("file://")
        .to_string();
    let permissions = std::fs::metadata(&path).expect("the file").permissions();
    assert!(permissions.readonly(), "{path} is read-only");
    client.shutdown();
}
