//! The protocol's lifecycle and bad input, in-process and over the
//! binary's standard input and output: every request gets an answer, and
//! the server keeps running until `exit` (issue 11, item 5).

mod common;

use common::Client;
use common::stdio::{Process, frame};
use lsp_server::ErrorCode;
use serde_json::{Value, json};

fn error_code(response: lsp_server::Response) -> i32 {
    response.response_result.expect_err("an error").code
}

const SYMBOLS: &str = "textDocument/documentSymbol";

fn symbols_params(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

#[test]
fn requests_before_initialize_are_refused_and_notifications_dropped() {
    let mut client = Client::connect();
    let early = client.request(SYMBOLS, symbols_params("file:///a.tly"));
    assert_eq!(error_code(early), ErrorCode::ServerNotInitialized as i32);
    // Dropped: the document is not open once the server is initialized.
    client.open("file:///a.tly", "fn one() -> Int { 1 }\n");
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(error_code(shutdown), ErrorCode::ServerNotInitialized as i32);

    let init = client.request("initialize", json!({ "capabilities": {} }));
    let result = init.response_result.expect("initialized");
    assert_eq!(result["serverInfo"]["name"], "tally-lsp");
    assert!(result["capabilities"]["completionProvider"].is_object());
    let unopened = client.request(SYMBOLS, symbols_params("file:///a.tly"));
    assert_eq!(unopened.response_result.expect("a result"), Value::Null);
    client.shutdown();
}

#[test]
fn a_request_before_initialized_is_answered() {
    let mut client = Client::connect();
    let init = client.request("initialize", json!({ "capabilities": {} }));
    assert!(init.response_result.is_ok());
    // No `initialized` yet: the server has answered `initialize`, so it serves.
    client.open("file:///a.tly", "fn one() -> Int { 1 }\n");
    client.diagnostics();
    let symbols = client.request(SYMBOLS, symbols_params("file:///a.tly"));
    assert_eq!(symbols.response_result.expect("symbols")[0]["name"], "one");
    client.notify("initialized", json!({}));
    client.shutdown();
}

#[test]
fn a_second_initialize_is_an_invalid_request() {
    let mut client = Client::start();
    let again = client.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(error_code(again), ErrorCode::InvalidRequest as i32);
    client.shutdown();
}

#[test]
fn requests_after_shutdown_are_invalid_until_exit() {
    let mut client = Client::start();
    client.open("file:///a.tly", "fn one() -> Int { 1 }\n");
    client.diagnostics();
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown.response_result.expect("shut down"), Value::Null);
    let late = client.request(SYMBOLS, symbols_params("file:///a.tly"));
    assert_eq!(error_code(late), ErrorCode::InvalidRequest as i32);
    let twice = client.request("shutdown", Value::Null);
    assert_eq!(error_code(twice), ErrorCode::InvalidRequest as i32);
    client.notify("textDocument/didClose", symbols_params("file:///a.tly"));
    client.notify("exit", Value::Null);
    client.join();
}

/// Every UTF-16 position of `text` (and a few past its lines' ends).
fn positions(text: &str) -> Vec<Value> {
    let mut found = Vec::new();
    for (line, content) in text.split('\n').enumerate() {
        let width: usize = content.chars().map(char::len_utf16).sum();
        for character in 0..=width + 2 {
            found.push(json!({ "line": line, "character": character }));
        }
    }
    found.push(json!({ "line": 999, "character": 0 }));
    found
}

/// Asks every position-taking request at every position of `text`; each
/// must be answered with a result, not an error.
fn every_position_answers(text: &str) {
    let mut client = Client::start();
    let uri = "file:///wide.tly";
    client.open(uri, text);
    client.diagnostics();
    for position in positions(text) {
        let at = json!({ "textDocument": { "uri": uri }, "position": position });
        for method in [
            "textDocument/completion",
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/signatureHelp",
            "textDocument/documentHighlight",
        ] {
            let response = client.request(method, at.clone());
            assert!(
                response.response_result.is_ok(),
                "{method} at {position}: {response:?}"
            );
        }
        let mut action = at.clone();
        action["range"] = json!({ "start": position, "end": position });
        action["context"] = json!({ "diagnostics": [] });
        let response = client.request("textDocument/codeAction", action);
        assert!(response.response_result.is_ok(), "codeAction at {position}");
        let mut references = at.clone();
        references["context"] = json!({ "includeDeclaration": true });
        let response = client.request("textDocument/references", references);
        assert!(response.response_result.is_ok(), "references at {position}");
        let mut rename = at;
        rename["newName"] = json!("renamed");
        let response = client.request("textDocument/rename", rename);
        // A refusal (the name's kind) is an `InvalidParams` answer, not a failure.
        if let Err(error) = &response.response_result {
            assert_eq!(
                error.code,
                ErrorCode::InvalidParams as i32,
                "rename at {position}"
            );
        }
    }
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/inlayHint",
        "textDocument/formatting",
        "textDocument/codeLens",
        "textDocument/foldingRange",
        SYMBOLS,
    ] {
        let mut params = symbols_params(uri);
        params["range"] = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
        params["options"] = json!({ "tabSize": 2, "insertSpaces": true });
        let response = client.request(method, params);
        assert!(response.response_result.is_ok(), "{method}: {response:?}");
    }
    client.shutdown();
}

#[test]
fn completion_right_after_a_non_ascii_character() {
    // Found by the robustness review: a byte index inside `é` panicked.
    let mut client = Client::start();
    let text = "fn f(x: Int) -> Int { é }\n";
    client.open("file:///e.tly", text);
    client.diagnostics();
    let response = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": "file:///e.tly" }, "position": { "line": 0, "character": 23 } }),
    );
    let items = response.response_result.expect("completions");
    assert!(
        items
            .as_array()
            .expect("a list")
            .iter()
            .any(|i| i["label"] == "x")
    );
    let dot = "struct P { x: Int }\nfn f(é: P) -> Int { é. }\n";
    client.open("file:///dot.tly", dot);
    client.diagnostics();
    let response = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": "file:///dot.tly" }, "position": { "line": 1, "character": 22 } }),
    );
    assert!(response.response_result.is_ok(), "{response:?}");
    client.shutdown();
}

#[test]
fn every_request_at_every_position_of_unicode_text() {
    every_position_answers(
        "/// Ünïcödé 𝄞 doc\nfn fé(x: Int) -> Int {\n  let 中 = x; // 𝄞é\n  x.é + 中\n}\nstruct Pé { a: Int }\nfn g(p: Pé) -> Int { p.a + é:: }\n",
    );
}

const INITIALIZE: &str =
    r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#;

#[test]
fn malformed_frames_are_answered_and_the_server_goes_on() {
    let mut server = Process::start();
    server.initialize();
    // Found by the robustness review: each of these made the server exit with code 2.
    server.write(&frame(b"{bad}"));
    let parse = server.response();
    assert_eq!(
        (parse["id"].clone(), parse["error"]["code"].clone()),
        (Value::Null, json!(-32700))
    );
    server.write(&frame(b"[]"));
    let batch = server.response();
    assert_eq!(
        (batch["id"].clone(), batch["error"]["code"].clone()),
        (Value::Null, json!(-32600))
    );
    server.write(&frame(br#"{"jsonrpc":"2.0","id":7}"#));
    assert_eq!(server.response_to(&json!(7))["error"]["code"], -32600);
    server.write(b"garbage with no header\r\n\r\n");
    assert_eq!(server.response()["error"]["code"], -32700);
    server.write(&frame(b"\xff\xfe"));
    assert_eq!(server.response()["error"]["code"], -32700);
    // Still serving.
    server.request(8, SYMBOLS, symbols_params("file:///none.tly"));
    assert_eq!(server.response_to(&json!(8))["result"], Value::Null);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn a_request_after_shutdown_is_answered_over_stdio() {
    let mut server = Process::start();
    server.initialize();
    server.request(1, "shutdown", Value::Null);
    assert_eq!(server.response_to(&json!(1))["result"], Value::Null);
    server.request(2, SYMBOLS, symbols_params("file:///none.tly"));
    assert_eq!(server.response_to(&json!(2))["error"]["code"], -32600);
    server.notify("exit", Value::Null);
    assert_eq!(server.finish().code(), Some(0));
}

#[test]
fn a_request_before_initialize_or_initialized_is_answered_over_stdio() {
    let mut server = Process::start();
    server.request(1, SYMBOLS, symbols_params("file:///none.tly"));
    assert_eq!(server.response_to(&json!(1))["error"]["code"], -32002);
    server.write(&frame(INITIALIZE.as_bytes()));
    assert!(server.response_to(&json!(0))["result"].is_object());
    server.request(2, SYMBOLS, symbols_params("file:///none.tly"));
    assert_eq!(server.response_to(&json!(2))["result"], Value::Null);
    assert_eq!(server.shutdown(), Some(0));
}
