//! The language server on a project: a document under a folder with a
//! `tally.toml` is checked with the project's other modules loaded from disk,
//! so diagnostics, go-to-definition and references work across files.

mod common;

use std::path::PathBuf;

use common::{Client, position_of};
use serde_json::{Value, json};

const MATH: &str = "/// Adds two amounts.\n\
pub fn add(a: Int, b: Int) -> Int { a + b }\n\
\n\
fn secret() -> Int { 7 }\n";

const VAULT: &str = "use ledger::math::{add, secret}\n\
\n\
pub fn deposit(balance: Int, amount: Int) -> Int { add(balance, amount) }\n\
\n\
pub fn twice(x: Int) -> Int { ledger::math::add(x, x) }\n";

/// A two-module project in a fresh temporary folder (removed on drop).
struct Project {
    root: PathBuf,
}

impl Project {
    fn new() -> Project {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("tally-lsp-project-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("src/ledger")).expect("src/ledger");
        std::fs::create_dir_all(root.join("src/contracts")).expect("src/contracts");
        std::fs::write(
            root.join("tally.toml"),
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        )
        .expect("manifest");
        std::fs::write(root.join("src/ledger/math.tly"), MATH).expect("math");
        std::fs::write(root.join("src/contracts/vault.tly"), VAULT).expect("vault");
        let root = std::fs::canonicalize(root).expect("canonical");
        Project { root }
    }

    fn uri(&self, relative: &str) -> String {
        format!("file://{}", self.root.join(relative).display())
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Diagnostics published for `uri`, skipping those of other documents.
fn diagnostics_for(client: &Client, uri: &str) -> Value {
    loop {
        let d = client.diagnostics();
        if d["uri"] == uri {
            return d;
        }
    }
}

fn result(client: &mut Client, method: &str, params: Value) -> Value {
    client
        .request(method, params)
        .response_result
        .expect("a result")
}

fn locations(found: &Value, project: &Project) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = found
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            let uri = l["uri"].as_str().expect("uri");
            let file = uri
                .strip_prefix(&format!("file://{}/", project.root.display()))
                .unwrap_or(uri)
                .to_string();
            (file, l["range"]["start"]["line"].as_u64().expect("line"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn diagnostics_definitions_and_references_cross_the_project_s_files() {
    let project = Project::new();
    let mut client = Client::start();
    let vault = project.uri("src/contracts/vault.tly");
    let math = project.uri("src/ledger/math.tly");

    // The importing file's diagnostic is about the other module's item: it
    // is found (no E0204) and private (E0205).
    client.open(&vault, VAULT);
    let published = diagnostics_for(&client, &vault);
    assert_eq!(codes(&published), vec!["E0205"], "{published:#}");
    let message = published["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("secret"), "{message}");

    // Fixed in the editor: no diagnostics.
    let fixed = VAULT.replace("{add, secret}", "{add}");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": vault, "version": 2 },
            "contentChanges": [{ "text": fixed }],
        }),
    );
    loop {
        let d = diagnostics_for(&client, &vault);
        if d["version"] == 2 && codes(&d).is_empty() {
            break;
        }
    }

    // Go to definition: from a use in the contract to `add` in ledger/math.tly
    // (not open in the editor).
    let at = position_of(&fixed, "add(balance", 0);
    let found = result(
        &mut client,
        "textDocument/definition",
        json!({ "textDocument": { "uri": vault }, "position": at }),
    );
    assert_eq!(found["uri"], math.as_str(), "{found:#}");
    assert_eq!(
        found["range"]["start"],
        json!({ "line": 1, "character": 7 })
    );

    // The qualified path `ledger::math::add` goes there too.
    let at = position_of(&fixed, "math::add(x", 6);
    let found = result(
        &mut client,
        "textDocument/definition",
        json!({ "textDocument": { "uri": vault }, "position": at }),
    );
    assert_eq!(found["uri"], math.as_str(), "{found:#}");

    // References from the contract: the definition in the library, the
    // import and both calls in the contract.
    let at = position_of(&fixed, "add(balance", 0);
    let found = result(
        &mut client,
        "textDocument/references",
        json!({
            "textDocument": { "uri": vault },
            "position": at,
            "context": { "includeDeclaration": true },
        }),
    );
    assert_eq!(
        locations(&found, &project),
        vec![
            ("src/contracts/vault.tly".to_string(), 0),
            ("src/contracts/vault.tly".to_string(), 2),
            ("src/contracts/vault.tly".to_string(), 4),
            ("src/ledger/math.tly".to_string(), 1),
        ],
        "{found:#}"
    );

    // From the library, once it is open: the same uses in the contract.
    client.open(&math, MATH);
    let published = diagnostics_for(&client, &math);
    assert_eq!(codes(&published), Vec::<String>::new(), "{published:#}");
    let at = position_of(MATH, "add(a", 0);
    let found = result(
        &mut client,
        "textDocument/references",
        json!({
            "textDocument": { "uri": math },
            "position": at,
            "context": { "includeDeclaration": false },
        }),
    );
    assert_eq!(
        locations(&found, &project),
        vec![
            ("src/contracts/vault.tly".to_string(), 0),
            ("src/contracts/vault.tly".to_string(), 2),
            ("src/contracts/vault.tly".to_string(), 4),
        ],
        "{found:#}"
    );

    // Rename across the two open files: the definition, the import and both calls.
    let edit = result(
        &mut client,
        "textDocument/rename",
        json!({
            "textDocument": { "uri": math },
            "position": position_of(MATH, "add(a", 0),
            "newName": "plus",
        }),
    );
    let mut renamed: Vec<(String, usize)> = edit["documentChanges"]
        .as_array()
        .expect("document changes")
        .iter()
        .map(|c| {
            let uri = c["textDocument"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let n = c["edits"].as_array().map_or(0, Vec::len);
            assert!(
                c["edits"]
                    .as_array()
                    .is_some_and(|e| e.iter().all(|e| e["newText"] == "plus"))
            );
            (uri, n)
        })
        .collect();
    renamed.sort();
    assert_eq!(
        renamed,
        vec![(vault.clone(), 3), (math.clone(), 1)],
        "{edit:#}"
    );

    // An edit of the library re-checks the contract: `add` made private.
    let private = MATH.replace("pub fn add", "fn add");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": math, "version": 2 },
            "contentChanges": [{ "text": private }],
        }),
    );
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": vault } }),
    );
    loop {
        let d = diagnostics_for(&client, &vault);
        if codes(&d).iter().any(|c| c == "E0205") {
            break;
        }
    }
    client.shutdown();
}

#[test]
fn a_generator_named_by_via_is_a_use_of_its_function() {
    let mut client = Client::start();
    let uri = "file:///via.tly";
    let text =
        "fn digit(n: Int) -> Int { n % 10 }\n\ntest small(d: Int via digit) { digit(d) < 10 }\n";
    client.open(uri, text);
    let published = diagnostics_for(&client, uri);
    assert_eq!(codes(&published), Vec::<String>::new(), "{published:#}");
    let found = result(
        &mut client,
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": position_of(text, "via digit", 4) }),
    );
    assert_eq!(
        found["range"]["start"],
        json!({ "line": 0, "character": 3 })
    );
    let found = result(
        &mut client,
        "textDocument/references",
        json!({
            "textDocument": { "uri": uri },
            "position": position_of(text, "digit(n", 0),
            "context": { "includeDeclaration": false },
        }),
    );
    let starts: Vec<Value> = found
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["range"]["start"].clone())
        .collect();
    assert_eq!(
        starts,
        [
            json!({ "line": 2, "character": 22 }),
            json!({ "line": 2, "character": 31 }),
        ]
    );
    client.shutdown();
}

/// A client that can watch files: the server registers watchers for the
/// sources and manifests, and files changed, created or deleted on disk
/// while not open are checked again.
#[test]
fn files_changed_on_disk_are_checked_again() {
    let project = Project::new();
    let mut client = Client::connect();
    let capabilities =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let init = client.request("initialize", json!({ "capabilities": capabilities }));
    assert!(init.response_result.is_ok());
    client.notify("initialized", json!({}));
    let registration = match client.first(
        |m| matches!(m, lsp_server::Message::Request(r) if r.method == "client/registerCapability"),
    ) {
        lsp_server::Message::Request(r) => r.params,
        other => panic!("not a request: {other:?}"),
    };
    let watchers = &registration["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(
        registration["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    assert_eq!(watchers[0]["globPattern"], "**/*.tly");
    assert_eq!(watchers[1]["globPattern"], "**/tally.toml");

    let vault = project.uri("src/contracts/vault.tly");
    let math = project.uri("src/ledger/math.tly");
    let fixed = VAULT.replace("{add, secret}", "{add}");
    client.open(&vault, &fixed);
    assert_eq!(
        codes(&diagnostics_for(&client, &vault)),
        Vec::<String>::new()
    );

    // `add` made private on disk (math.tly is not open): E0205 in the vault.
    std::fs::write(
        project.root.join("src/ledger/math.tly"),
        MATH.replace("pub fn add", "fn add"),
    )
    .expect("write");
    let changed = |uri: &str, kind: u8| json!({ "changes": [{ "uri": uri, "type": kind }] });
    client.notify("workspace/didChangeWatchedFiles", changed(&math, 2));
    loop {
        let d = diagnostics_for(&client, &vault);
        if codes(&d).contains(&"E0205".to_string()) {
            break;
        }
    }

    // A module created on disk joins the project's module tree.
    std::fs::write(project.root.join("src/ledger/math.tly"), MATH).expect("write");
    std::fs::write(
        project.root.join("src/ledger/fees.tly"),
        "pub fn fee(x: Int) -> Int { x / 100 }\n",
    )
    .expect("write");
    let with_fee = format!("{fixed}\npub fn charged(x: Int) -> Int {{ ledger::fees::fee(x) }}\n");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": vault, "version": 2 },
            "contentChanges": [{ "text": with_fee }],
        }),
    );
    loop {
        let d = diagnostics_for(&client, &vault);
        if d["version"] == 2 && !codes(&d).is_empty() {
            break;
        }
    }
    let fees = project.uri("src/ledger/fees.tly");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": math, "type": 2 }, { "uri": fees, "type": 1 }] }),
    );
    loop {
        let d = diagnostics_for(&client, &vault);
        if codes(&d).is_empty() {
            break;
        }
    }
    client.shutdown();
}
