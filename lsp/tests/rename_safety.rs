//! Rename refuses what would change the program's meaning: the server
//! re-resolves the renamed text, and a rename that makes any name refer to
//! something else (or adds an error) is refused with a message naming the
//! clash. Driven in-process through JSON-RPC, as an editor does.

mod common;

use common::{Client, example, position_of};
use serde_json::{Value, json};

const PAY: &str = "\
fn fee(bob: Int) -> Int {
  let alice = 1;
  alice + bob
}

fn pay(amount: Int, tip: Int) -> Int { fee(amount) + tip }

fn double(x: Int) -> Int { x * 2 }

test pays() { pay(1, 2) == 4 }
";

/// Asks to rename what is at `needle` (plus `shift`) in `text` to `new_name`.
fn rename(
    client: &mut Client,
    uri: &str,
    text: &str,
    needle: &str,
    shift: usize,
    new_name: &str,
) -> Result<Value, String> {
    let response = client.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": uri },
            "position": position_of(text, needle, shift),
            "newName": new_name
        }),
    );
    match response.response_result {
        Ok(edit) => Ok(edit),
        Err(error) => {
            assert_eq!(error.code, lsp_server::ErrorCode::InvalidParams as i32);
            Err(error.message)
        }
    }
}

#[test]
fn renames_that_change_a_resolution_are_refused() {
    let mut client = Client::start();
    let uri = "file:///pay.tly";
    client.open(uri, PAY);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    let mut refusals = Vec::new();
    for (needle, shift, new_name) in [
        // A local renamed to the parameter it would hide: `alice + bob`
        // would become `bob + bob`, which checks but means something else.
        ("alice = 1", 0, "bob"),
        // A function renamed to an existing function's name.
        ("fn double", 3, "pay"),
        // A parameter renamed to another parameter's name.
        ("tip: Int", 0, "amount"),
        // A parameter renamed to the name of the function its body calls.
        ("tip: Int", 0, "fee"),
    ] {
        let refused = rename(&mut client, uri, PAY, needle, shift, new_name)
            .expect_err(&format!("renaming `{needle}` to `{new_name}` is refused"));
        refusals.push(refused);
    }
    insta::assert_snapshot!("rename_clashes", refusals.join("\n"));

    // A rename that clashes with nothing is still made, and means the same.
    let edit = rename(&mut client, uri, PAY, "alice = 1", 0, "carol").expect("an edit");
    let edits = edit["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits");
    assert_eq!(edits.len(), 2, "{edits:?}");
    client.shutdown();
}

#[test]
fn the_standard_library_is_not_renamed() {
    let mut client = Client::start();
    let uri = "file:///higher_order.tly";
    let text = example("higher_order");
    client.open(uri, &text);
    client.diagnostics();
    let stdlib = rename(&mut client, uri, &text, "map(xs", 0, "transform").expect_err("refused");
    let builtin_uri = "file:///hash.tly";
    let hash = "use std::builtin::sha256;\nfn h(b: Bytes) -> Bytes { sha256(b) }\n";
    client.open(builtin_uri, hash);
    client.diagnostics();
    let builtin =
        rename(&mut client, builtin_uri, hash, "sha256(b)", 0, "digest").expect_err("refused");
    insta::assert_snapshot!("rename_stdlib", format!("{stdlib}\n{builtin}"));
    client.shutdown();
}
