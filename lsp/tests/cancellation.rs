//! Cancellation, documents closing under a request, and panicking jobs, driven in-process.
//!
//! A test hook ([`tally_lsp::Options::before_job`]) stands for a long
//! computation: the job it holds polls for cancellation (as every salsa query
//! does) until the test releases it. The order of events is fixed by the
//! protocol (the server reads messages in order, and an edit waits until the
//! work on older snapshots has let go of them), so each outcome is certain.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Client, position_of};
use lsp_server::{ErrorCode, Message};
use serde_json::{Value, json};
use tally_lsp::{DIAGNOSTICS_JOB, JobInfo};

const URI: &str = "file:///c.tly";
const TEXT: &str = "fn double(x: Int) -> Int { x * 2 }\n";
const BROKEN: &str = "fn double(x: Int) -> Int { x * true }\n";

/// Holds the jobs named `names` until released (or cancelled), and counts
/// how many such jobs started.
#[derive(Clone)]
struct Stall {
    names: Vec<&'static str>,
    released: Arc<AtomicBool>,
    started: Arc<AtomicUsize>,
}

impl Stall {
    fn new(names: &[&'static str]) -> Stall {
        Stall {
            names: names.to_vec(),
            released: Arc::new(AtomicBool::new(false)),
            started: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }

    fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// A server whose matching jobs wait here: at most 20 s, so a server that
    /// fails to cancel still answers and the test fails on the answer.
    fn client(&self) -> Client {
        let stall = self.clone();
        let hook = move |job: &JobInfo<'_>| {
            if !stall.names.contains(&job.name()) {
                return;
            }
            stall.started.fetch_add(1, Ordering::SeqCst);
            let deadline = Instant::now() + Duration::from_secs(20);
            while !stall.released.load(Ordering::SeqCst) && Instant::now() < deadline {
                job.unwind_if_cancelled();
                std::thread::sleep(Duration::from_millis(1));
            }
        };
        Client::start_with(tally_lsp::Options {
            workers: 2,
            before_job: Some(Arc::new(hook)),
        })
    }
}

fn hover_params() -> Value {
    json!({ "textDocument": { "uri": URI }, "position": position_of(TEXT, "x * 2", 0) })
}

fn change(client: &Client, version: i32, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "text": text }]
        }),
    );
}

#[test]
fn an_edit_cancels_a_request_in_flight_with_content_modified() {
    let stall = Stall::new(&["textDocument/hover"]);
    let mut client = stall.client();
    client.open(URI, TEXT);
    assert_eq!(client.diagnostics()["version"], 1);

    let hover = client.send_request("textDocument/hover", hover_params());
    change(&client, 2, BROKEN);
    let response = client.response(&hover);
    let error = response
        .response_result
        .expect_err("the stale hover is cancelled");
    assert_eq!(error.code, ErrorCode::ContentModified as i32, "{error:?}");
    assert_eq!(stall.started(), 1);

    // The new text's diagnostics follow, and the server answers again.
    let published = client.diagnostics();
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"][0]["code"], "E0301");
    stall.release();
    let again = client.request("textDocument/hover", hover_params());
    assert!(again.response_result.is_ok(), "{again:?}");
    client.shutdown();
}

#[test]
fn cancel_request_answers_request_cancelled() {
    let stall = Stall::new(&["textDocument/hover"]);
    let mut client = stall.client();
    client.open(URI, TEXT);
    client.diagnostics();

    let hover = client.send_request("textDocument/hover", hover_params());
    client.notify("$/cancelRequest", json!({ "id": hover }));
    let error = client
        .response(&hover)
        .response_result
        .expect_err("cancelled");
    assert_eq!(error.code, ErrorCode::RequestCanceled as i32, "{error:?}");

    // Cancelling a request that is already answered, or was never made, is harmless.
    client.notify("$/cancelRequest", json!({ "id": hover }));
    client.notify("$/cancelRequest", json!({ "id": "no-such-request" }));
    stall.release();
    let again = client.request("textDocument/hover", hover_params());
    assert!(again.response_result.is_ok(), "{again:?}");
    client.shutdown();
}

#[test]
fn diagnostics_are_published_for_the_newest_version_only() {
    let stall = Stall::new(&[DIAGNOSTICS_JOB]);
    let mut client = stall.client();
    client.open(URI, TEXT);
    change(&client, 2, BROKEN);
    change(&client, 3, "fn double(x: Int) -> Int { x + }\n");
    change(&client, 4, BROKEN);
    // Each edit cancelled the diagnostics of the text before it.
    let answered = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(answered.response_result.is_ok());
    stall.release();

    let published = client.diagnostics();
    assert_eq!(published["version"], 4, "{published}");
    assert_eq!(published["diagnostics"][0]["code"], "E0301");
    assert_eq!(stall.started(), 4, "one diagnostics job per text");
    // Nothing more is published: the three stale jobs were dropped.
    let sync = client.send_request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    loop {
        match client.receive() {
            Message::Response(response) if response.id == sync => break,
            Message::Notification(n) => panic!("unexpected {}: {}", n.method, n.params),
            _ => {}
        }
    }
    client.shutdown();
}

#[test]
fn a_file_closed_while_a_request_is_in_flight() {
    let stall = Stall::new(&["textDocument/hover", DIAGNOSTICS_JOB]);
    let mut client = stall.client();
    client.open(URI, BROKEN);
    let hover = client.send_request("textDocument/hover", hover_params());
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    // The close clears the file's diagnostics at once.
    let cleared = client.diagnostics();
    assert_eq!(cleared["uri"], URI);
    assert_eq!(cleared["diagnostics"], json!([]));

    // The request still gets an answer, computed on the text it was asked about.
    stall.release();
    let response = client.response(&hover);
    let contents = &response.response_result.expect("an answer")["contents"]["value"];
    assert_eq!(contents, "```tally\nx: Int\n```", "{contents}");

    // The closed file's diagnostics, computed meanwhile, are never published;
    // the server goes on serving.
    let unopened = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(unopened.response_result.expect("an answer"), Value::Null);
    client.open("file:///other.tly", TEXT);
    let next = client.diagnostics();
    assert_eq!(next["uri"], "file:///other.tly", "{next}");
    assert_eq!(next["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn a_panicking_job_answers_an_internal_error_and_the_server_goes_on() {
    let hook = |job: &JobInfo<'_>| {
        if job.name() == "textDocument/hover" {
            panic!("a bug in a request handler (on purpose, for this test)");
        }
    };
    let mut client = Client::start_with(tally_lsp::Options {
        workers: 1,
        before_job: Some(Arc::new(hook)),
    });
    client.open(URI, TEXT);
    client.diagnostics();
    let response = client.request("textDocument/hover", hover_params());
    let error = response.response_result.expect_err("an error");
    assert_eq!(error.code, ErrorCode::InternalError as i32, "{error:?}");
    // The one worker survived: it still answers and publishes.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(symbols.response_result.is_ok());
    change(&client, 2, BROKEN);
    assert_eq!(client.diagnostics()["version"], 2);
    client.shutdown();
}
