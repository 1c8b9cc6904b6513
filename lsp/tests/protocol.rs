//! The server driven in-process through JSON-RPC messages, as an editor
//! would; responses are reviewed as snapshots.

use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

/// A client talking to a server running on another thread.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || {
            tally_lsp::run(&server_side).expect("the server stops cleanly");
        });
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
        };
        let init = client.request("initialize", json!({ "capabilities": {} }));
        assert!(init.response_result.is_ok(), "initialize succeeds");
        client.notify("initialized", json!({}));
        client
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection
            .sender
            .send(Message::Request(request))
            .expect("send");
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => return response,
                _ => continue,
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))
            .expect("send");
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers")
    }

    /// The next `publishDiagnostics` notification's parameters.
    fn diagnostics(&self) -> Value {
        loop {
            if let Message::Notification(n) = self.receive()
                && n.method == "textDocument/publishDiagnostics"
            {
                return n.params;
            }
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "tally", "version": 1, "text": text } }),
        );
    }

    fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.response_result.is_ok());
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().expect("server thread ends");
        }
    }
}

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
