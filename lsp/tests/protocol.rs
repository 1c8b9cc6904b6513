//! The server driven in-process through JSON-RPC messages, as an editor
//! would; responses are reviewed as snapshots.

mod common;

use common::{Client, example, position_of};
use serde_json::{Value, json};

const BROKEN: &str =
    "fn add(a: Int, b: Int) -> Int {\n  a + * b\n}\n\nstruct Point { x: Int, y: Int }\n";

#[test]
fn diagnostics_on_open_change_and_close() {
    let client = Client::start();
    client.open("file:///broken.tly", BROKEN);
    insta::assert_json_snapshot!("diagnostics_on_open", client.diagnostics());

    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "file:///broken.tly", "version": 2 },
            "contentChanges": [{ "text": "fn add(a: Int, b: Int) -> Int { a + b }\n" }]
        }),
    );
    let after_fix = client.diagnostics();
    assert_eq!(after_fix["version"], 2);
    assert_eq!(after_fix["diagnostics"], json!([]));

    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///broken.tly" } }),
    );
    let closed = client.diagnostics();
    assert_eq!(closed["diagnostics"], json!([]));

    // Opened again (the server reuses the file), it is checked afresh.
    client.open("file:///broken.tly", BROKEN);
    let reopened = client.diagnostics();
    assert_eq!(reopened["version"], 1);
    assert_eq!(reopened["diagnostics"][0]["code"], "E0103", "{reopened}");
    client.shutdown();
}

#[test]
fn positions_count_utf16_code_units() {
    let client = Client::start();
    // `é` is one UTF-16 unit but two bytes; `𝄞` is two units and four bytes (in a comment).
    client.open("file:///wide.tly", "// 𝄞é\nfn f() -> Int { 1 $ 2 }\n");
    let published = client.diagnostics();
    let range = &published["diagnostics"][0]["range"];
    assert_eq!(range["start"], json!({ "line": 1, "character": 18 }));
    client.shutdown();
}

#[test]
fn document_symbols() {
    let mut client = Client::start();
    client.open("file:///broken.tly", BROKEN);
    client.diagnostics();
    let response = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///broken.tly" } }),
    );
    insta::assert_json_snapshot!(
        "document_symbols",
        response.response_result.expect("symbols")
    );
    client.shutdown();
}

#[test]
fn semantic_tokens() {
    let mut client = Client::start();
    client.open("file:///t.tly", "fn one() -> Int { 1 }\n");
    client.diagnostics();
    let response = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": "file:///t.tly" } }),
    );
    insta::assert_json_snapshot!("semantic_tokens", response.response_result.expect("tokens"));
    client.shutdown();
}

#[test]
fn bad_requests_get_errors_not_crashes() {
    let mut client = Client::start();
    let unknown = client.request("textDocument/frobnicate", json!({}));
    assert_eq!(
        unknown.response_result.expect_err("an error").code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    let malformed = client.request("textDocument/documentSymbol", json!({ "textDocument": 42 }));
    assert_eq!(
        malformed.response_result.expect_err("an error").code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    let unopened = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///never-opened.tly" } }),
    );
    assert_eq!(unopened.response_result.expect("a result"), Value::Null);
    client.notify("textDocument/didChange", json!({ "garbage": true }));
    client.notify("$/unknownNotification", json!(null));
    // The server is still alive and answers.
    client.open("file:///ok.tly", "fn one() -> Int { 1 }\n");
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn hover_shows_signatures_types_and_docs() {
    let mut client = Client::start();
    let text = example("assoc_token");
    client.open("file:///token.tly", &text);
    client.diagnostics();
    let mut hover = |needle: &str, shift: usize| {
        let response = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///token.tly" }, "position": position_of(&text, needle, shift) }),
        );
        response.response_result.expect("a hover")["contents"]["value"].clone()
    };
    // A call of a function of this module.
    insta::assert_json_snapshot!("hover_call", hover("balance_of(ledger, from)", 0));
    // A function's own name, with its doc comment.
    insta::assert_json_snapshot!("hover_definition", hover("fn transfer", 3));
    // A local bound by `let`.
    insta::assert_json_snapshot!("hover_local", hover("alice, bob", 0));
    // A constructor from the prelude.
    insta::assert_json_snapshot!("hover_prelude_ctor", hover("Ok(credit", 0));
    client.shutdown();
}

#[test]
fn definition_goes_into_the_stdlib() {
    let mut client = Client::start();
    let text = example("higher_order");
    client.open("file:///higher_order.tly", &text);
    client.diagnostics();
    let response = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///higher_order.tly" }, "position": position_of(&text, "map(xs", 0) }),
    );
    let location = response.response_result.expect("a location");
    let uri = location["uri"].as_str().expect("a uri").to_string();
    assert!(
        uri.starts_with("file://") && uri.ends_with("/list.tly"),
        "{uri}"
    );
    let path = uri.trim_start_matches("file://");
    let std_list = std::fs::read_to_string(path).expect("the stdlib file exists on disk");
    let line = location["range"]["start"]["line"].as_u64().expect("line") as usize;
    assert!(
        std_list
            .lines()
            .nth(line)
            .expect("line")
            .contains("pub fn map"),
        "lands on `pub fn map`"
    );

    // A local goes to its binding in the same file.
    let response = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///higher_order.tly" }, "position": position_of(&text, "x > limit", 4) }),
    );
    let location = response.response_result.expect("a location");
    assert_eq!(location["uri"], "file:///higher_order.tly");
    assert_eq!(
        location["range"]["start"],
        position_of(&text, "limit: Int", 0)
    );
    client.shutdown();
}

#[test]
fn completion_of_module_members_fields_and_locals() {
    let mut client = Client::start();
    let mut labels = |text: &str, at: Value| {
        client.open("file:///c.tly", text);
        client.diagnostics();
        let response = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": "file:///c.tly" }, "position": at }),
        );
        let items = response.response_result.expect("completions");
        let mut labels: Vec<String> = items
            .as_array()
            .expect("a list")
            .iter()
            .map(|i| i["label"].as_str().expect("label").to_string())
            .collect();
        labels.sort();
        labels
    };
    let members = labels(
        "fn f() -> Int { std::list:: }\n",
        json!({ "line": 0, "character": 27 }),
    );
    for name in ["map", "filter", "fold", "length"] {
        assert!(members.contains(&name.to_string()), "{members:?}");
    }
    let fields_text = "struct Entry { owner: Bytes, amount: Int }\nfn f(e: Entry) -> Int { e. }\n";
    let fields = labels(fields_text, json!({ "line": 1, "character": 26 }));
    assert_eq!(fields, vec!["amount", "owner"]);
    let scope = labels(
        "fn f(limit: Int) -> Int { let total = 1; li }\n",
        json!({ "line": 0, "character": 43 }),
    );
    for name in ["limit", "total", "f", "Some", "Option", "match"] {
        assert!(scope.contains(&name.to_string()), "{name} in {scope:?}");
    }
    client.shutdown();
}

#[test]
fn formatting_inlay_hints_references_and_rename() {
    let mut client = Client::start();
    let text = "fn double(x: Int) -> Int {\n  let twice = x   *  2;\n  twice\n}\nfn quad(y: Int) -> Int { double(double(y)) }\n";
    client.open("file:///f.tly", text);
    client.diagnostics();
    let doc = json!({ "uri": "file:///f.tly" });

    let edits = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .response_result
        .expect("edits");
    insta::assert_snapshot!("formatted", edits[0]["newText"].as_str().expect("text"));

    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": doc, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 5, "character": 0 } } }),
        )
        .response_result
        .expect("hints");
    assert_eq!(hints[0]["label"], ": Int");
    assert_eq!(hints[0]["position"], json!({ "line": 1, "character": 11 }));

    let references = client
        .request(
            "textDocument/references",
            json!({ "textDocument": doc, "position": position_of(text, "double(y)", 0), "context": { "includeDeclaration": true } }),
        )
        .response_result
        .expect("references");
    let lines: Vec<u64> = references
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, vec![0, 4, 4], "the definition and the two calls");

    let rename = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": doc, "position": position_of(text, "twice\n}", 0), "newName": "doubled" }),
        )
        .response_result
        .expect("an edit");
    let change = &rename["documentChanges"][0];
    assert_eq!(change["textDocument"]["uri"], "file:///f.tly");
    let edits = change["edits"].as_array().expect("edits").clone();
    assert_eq!(edits.len(), 2, "the binding and its use: {edits:?}");
    assert!(edits.iter().all(|e| e["newText"] == "doubled"));
    client.shutdown();
}

/// A program naming the fields of `Account` in every way there is.
const FIELDS: &str = "\
struct Account { owner: Bytes, balance: Int }

fn balance(a: Account) -> Int { a.balance }

fn open(owner: Bytes) -> Account { Account { owner, balance: 0 } }

fn deposit(a: Account, n: Int) -> Account { Account { balance: a.balance + n, ..a } }

fn is_empty(a: Account) -> Bool {
  match a {
    Account { balance: 0, .. } => true,
    Account { owner, balance } => balance == 0 && owner == #\"\",
  }
}
";

/// The references at `needle` in [`FIELDS`], each shown as its line with the
/// referenced text in brackets.
fn field_references(client: &mut Client, needle: &str, shift: usize) -> Vec<String> {
    let response = client.request(
        "textDocument/references",
        json!({
            "textDocument": { "uri": "file:///fields.tly" },
            "position": position_of(FIELDS, needle, shift),
            "context": { "includeDeclaration": true }
        }),
    );
    let locations = response.response_result.expect("references");
    let lines: Vec<&str> = FIELDS.lines().collect();
    locations
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            let start = &l["range"]["start"];
            let end = &l["range"]["end"];
            let line = lines[start["line"].as_u64().expect("line") as usize];
            let (from, to) = (
                start["character"].as_u64().expect("column") as usize,
                end["character"].as_u64().expect("column") as usize,
            );
            format!("{}[{}]{}", &line[..from], &line[from..to], &line[to..])
        })
        .collect()
}

#[test]
fn references_to_struct_fields() {
    let mut client = Client::start();
    client.open("file:///fields.tly", FIELDS);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    // From the declaration, an access, a literal and a pattern: the same list.
    let from_declaration = field_references(&mut client, "balance: Int", 0);
    insta::assert_snapshot!("field_references", from_declaration.join("\n"));
    for (needle, shift) in [
        ("a.balance }", 2),
        ("balance: 0 }", 0),
        ("balance: a.balance", 0),
        ("balance: 0, ..", 0),
    ] {
        assert_eq!(
            field_references(&mut client, needle, shift),
            from_declaration,
            "references from `{needle}`"
        );
    }
    // The shorthand pattern `Account { owner, balance }` binds locals: there a
    // reference means the local, from its binding to its use.
    let local = field_references(&mut client, "owner, balance }", 0);
    assert_eq!(local.len(), 2, "{local:?}");

    // Go-to-definition from a literal's field lands on the declaration.
    let response = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///fields.tly" }, "position": position_of(FIELDS, "balance: 0 }", 0) }),
    );
    let location = response.response_result.expect("a location");
    assert_eq!(
        location["range"]["start"],
        position_of(FIELDS, "balance: Int", 0)
    );
    client.shutdown();
}

/// The document after applying a rename's edits (all on one line each).
fn apply_rename(text: &str, rename: &Value) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut edits: Vec<&Value> = rename["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .collect();
    // Apply from the end so earlier columns stay valid.
    edits.sort_by_key(|e| {
        let start = &e["range"]["start"];
        std::cmp::Reverse((start["line"].as_u64(), start["character"].as_u64()))
    });
    for edit in edits {
        let (start, end) = (&edit["range"]["start"], &edit["range"]["end"]);
        assert_eq!(start["line"], end["line"], "one-line edits");
        let line = &mut lines[start["line"].as_u64().expect("line") as usize];
        let from = start["character"].as_u64().expect("column") as usize;
        let to = end["character"].as_u64().expect("column") as usize;
        line.replace_range(from..to, edit["newText"].as_str().expect("text"));
    }
    lines.join("\n") + "\n"
}

#[test]
fn rename_fields_and_shorthands() {
    let mut client = Client::start();
    client.open("file:///fields.tly", FIELDS);
    client.diagnostics();
    let mut rename = |needle: &str, shift: usize, new_name: &str| {
        let response = client.request(
            "textDocument/rename",
            json!({
                "textDocument": { "uri": "file:///fields.tly" },
                "position": position_of(FIELDS, needle, shift),
                "newName": new_name
            }),
        );
        apply_rename(FIELDS, &response.response_result.expect("an edit"))
    };
    // The field: shorthands keep their local (`funds: balance`).
    let fields = rename("a.balance }", 2, "funds");
    insta::assert_snapshot!("rename_field", fields);
    let owner = rename("owner: Bytes", 0, "holder");
    insta::assert_snapshot!("rename_field_with_shorthand_literal", owner);
    // A parameter used in a shorthand literal keeps the field (`owner: key`).
    let local = rename("fn open(owner", 8, "key");
    insta::assert_snapshot!("rename_local_in_shorthand", local);
    client.shutdown();

    // Every rename still checks clean, so nothing was renamed wrongly.
    for renamed in [fields, owner, local] {
        let client = Client::start();
        client.open("file:///renamed.tly", &renamed);
        assert_eq!(
            client.diagnostics()["diagnostics"],
            json!([]),
            "after rename:\n{renamed}"
        );
        client.shutdown();
    }
}

#[test]
fn rename_refuses_what_is_not_a_name_of_the_right_kind() {
    let mut client = Client::start();
    client.open("file:///fields.tly", FIELDS);
    client.diagnostics();
    let mut refusals = Vec::new();
    for (needle, new_name) in [
        ("balance: Int", "two words"),
        ("balance: Int", "9lives"),
        ("balance: Int", "match"),
        ("balance: Int", "Funds"),
        ("Account { owner: Bytes", "account"),
    ] {
        let response = client.request(
            "textDocument/rename",
            json!({
                "textDocument": { "uri": "file:///fields.tly" },
                "position": position_of(FIELDS, needle, 0),
                "newName": new_name
            }),
        );
        let error = response.response_result.expect_err("a refusal");
        assert_eq!(error.code, lsp_server::ErrorCode::InvalidParams as i32);
        refusals.push(error.message);
    }
    insta::assert_snapshot!("rename_refusals", refusals.join("\n"));
    client.shutdown();
}

#[test]
fn exit_without_shutdown_stops_the_server() {
    let client = Client::start();
    client.open("file:///ok.tly", "fn one() -> Int { 1 }\n");
    client.diagnostics();
    client.notify("exit", Value::Null);
    client.join();
}

#[test]
fn bounds_in_hovers_and_inlay_hints() {
    let mut client = Client::start();
    let text = example("lists");
    client.open("file:///lists.tly", &text);
    client.diagnostics();
    // Each function with a bound gets a hint before its body; generic ones
    // (`length`) have none. Shown as `line: label`.
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": "file:///lists.tly" }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1000, "character": 0 } } }),
        )
        .response_result
        .expect("hints");
    let lines: Vec<&str> = text.lines().collect();
    let shown: Vec<String> = hints
        .as_array()
        .expect("a list")
        .iter()
        .filter(|h| h["kind"].is_null())
        .map(|h| {
            let line = h["position"]["line"].as_u64().expect("line") as usize;
            format!(
                "{} ⟨{}⟩",
                lines[line].trim(),
                h["label"].as_str().expect("label")
            )
        })
        .collect();
    insta::assert_snapshot!("bound_hints", shown.join("\n"));
    let response = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///lists.tly" }, "position": position_of(&text, "fn sum", 3) }),
    );
    let hover = response.response_result.expect("a hover")["contents"]["value"].clone();
    insta::assert_json_snapshot!("hover_bound", hover);
    client.shutdown();
}

/// The next published diagnostics of `uri`, as its version and codes.
fn next_codes(client: &Client) -> (Value, Vec<String>) {
    let published = client.diagnostics();
    let codes = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect();
    (published["version"].clone(), codes)
}

#[test]
fn front_end_diagnostics_come_first_and_bound_ones_do_not_flicker() {
    let client = Client::start();
    let uri = "file:///fib.tly";
    let fib =
        "pub fn fib(n: Int) -> Int {\n  if n <= 1 { n } else { fib(n - 1) + fib(n - 2) }\n}\n";
    let linear = "pub fn down(n: Int) -> Int {\n  if n <= 0 { 0 } else { down(n - 1) }\n}\n";
    let broken = "pub fn down(n: Int) -> Int { true }\n";
    let change = |version: i32, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    };
    let none: Vec<String> = Vec::new();
    let w0602 = vec!["W0602".to_string()];
    // The front end finds nothing; then the bound analysis adds its warning.
    client.open(uri, fib);
    assert_eq!(next_codes(&client), (json!(1), none.clone()));
    assert_eq!(next_codes(&client), (json!(1), w0602.clone()));
    // While the warning is shown, edits publish once, with it: no flicker.
    change(2, &format!("{fib}\n"));
    assert_eq!(next_codes(&client), (json!(2), w0602.clone()));
    change(3, linear);
    assert_eq!(next_codes(&client), (json!(3), none.clone()));
    // Front-end errors are final at once (the bound analysis does not run),
    // and a clean text is published once, before its bounds are known.
    change(4, broken);
    assert_eq!(next_codes(&client), (json!(4), vec!["E0301".to_string()]));
    change(5, linear);
    assert_eq!(next_codes(&client), (json!(5), none.clone()));
    change(6, broken);
    assert_eq!(next_codes(&client), (json!(6), vec!["E0301".to_string()]));
    client.shutdown();
}

#[test]
fn aliases_and_constants_in_hover_and_symbols() {
    let mut client = Client::start();
    let text = "/// An account's address.\ntype Address = Bytes;\ntype Ledger<V> = List<(Address, V)>;\n/// Smallest unit.\nconst UNIT: Int = 1_000 * 1_000;\nconst OWNER: Address = \"alice\";\n\nfn total(l: Ledger<Int>) -> Int { match l { [] => UNIT, [(_, v), ..rest] => v + total(rest) } }\nfn owner() -> Address { OWNER }\n";
    client.open("file:///aliases.tly", text);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    let mut hover = |needle: &str, shift: usize| {
        let response = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///aliases.tly" }, "position": position_of(text, needle, shift) }),
        );
        response.response_result.expect("a hover")["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let unit = hover("UNIT, [", 0);
    assert!(unit.contains("const UNIT: Int = 1000000"), "{unit}");
    assert!(unit.contains("Smallest unit."), "{unit}");
    let owner = hover("OWNER }", 0);
    assert!(owner.contains("const OWNER: Bytes = \"alice\""), "{owner}");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///aliases.tly" } }),
    );
    let names: Vec<String> = symbols
        .response_result
        .expect("symbols")
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| format!("{} {}", s["name"].as_str().unwrap_or(""), s["kind"]))
        .collect();
    assert_eq!(
        names,
        [
            "Address 26",
            "Ledger 26",
            "UNIT 14",
            "OWNER 14",
            "total 12",
            "owner 12"
        ]
    );
    client.shutdown();
}
