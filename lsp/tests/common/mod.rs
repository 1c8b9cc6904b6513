//! A client that drives the server in-process through JSON-RPC messages,
//! as an editor would (shared by the test files; each uses some of it).
#![allow(dead_code)]

pub mod stdio;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

/// A client talking to a server running on another thread.
pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Messages received while waiting for another one, in arrival order:
    /// the server may answer a request and publish diagnostics in either
    /// order, so waiting for one never loses the other.
    pending: RefCell<VecDeque<Message>>,
}

impl Client {
    /// Starts a server with the default options and initializes it.
    pub fn start() -> Client {
        Client::start_with(tally_lsp::Options::default())
    }

    /// Starts a server with the default options, not initialized.
    pub fn connect() -> Client {
        Client::connect_with(tally_lsp::Options::default())
    }

    /// Starts a server with `options`, not initialized.
    pub fn connect_with(options: tally_lsp::Options) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || {
            tally_lsp::run_with(&server_side, options).expect("the server stops cleanly");
        });
        Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            pending: RefCell::new(VecDeque::new()),
        }
    }

    /// Starts a server with `options` and initializes it.
    pub fn start_with(options: tally_lsp::Options) -> Client {
        let mut client = Client::connect_with(options);
        let init = client.request("initialize", json!({ "capabilities": {} }));
        assert!(init.response_result.is_ok(), "initialize succeeds");
        client.notify("initialized", json!({}));
        client
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection
            .sender
            .send(Message::Request(request))
            .expect("send");
        id
    }

    /// Sends a request and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    /// Waits for the response to `id`; other messages stay queued.
    pub fn response(&self, id: &RequestId) -> Response {
        let message = self.first(|m| matches!(m, Message::Response(r) if r.id == *id));
        match message {
            Message::Response(response) => response,
            other => panic!("not a response: {other:?}"),
        }
    }

    /// The first message, queued or new, that `wanted` accepts; the others
    /// stay queued in order.
    pub fn first(&self, wanted: impl Fn(&Message) -> bool) -> Message {
        let queued = self.pending.borrow().iter().position(&wanted);
        if let Some(index) = queued
            && let Some(message) = self.pending.borrow_mut().remove(index)
        {
            return message;
        }
        loop {
            let message = self.receive_new();
            if wanted(&message) {
                return message;
            }
            self.pending.borrow_mut().push_back(message);
        }
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))
            .expect("send");
    }

    /// The next message from the server, queued ones first (failing after
    /// 30 s of silence).
    pub fn receive(&self) -> Message {
        let queued = self.pending.borrow_mut().pop_front();
        queued.unwrap_or_else(|| self.receive_new())
    }

    /// The next message not yet received (failing after 30 s of silence).
    fn receive_new(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers")
    }

    /// The next `publishDiagnostics` notification's parameters; other
    /// messages stay queued.
    pub fn diagnostics(&self) -> Value {
        let message = self.first(|m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics")
        });
        match message {
            Message::Notification(n) => n.params,
            other => panic!("not a notification: {other:?}"),
        }
    }

    /// Opens a document at version 1.
    pub fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "tally", "version": 1, "text": text } }),
        );
    }

    /// Waits for the server's thread to end (after `exit`), failing after 30 s.
    pub fn join(mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !server.is_finished() {
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not stop"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        server.join().expect("server thread ends");
    }

    /// Shuts the server down and waits for its thread.
    pub fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.response_result.is_ok());
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().expect("server thread ends");
        }
    }
}

/// The line and UTF-16 column of the first occurrence of `needle` in `text`
/// (plus `shift` characters), as an LSP position.
pub fn position_of(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).expect("needle in text") + shift;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": column })
}

/// The text of `examples/<name>.tly`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../examples/{name}.tly",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("example")
}
