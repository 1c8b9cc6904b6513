//! The `tally-lsp` binary over standard input and output: it exits with
//! code 0 after `shutdown` and `exit`, and with 1 after `exit` alone, as the
//! protocol says.

mod common;

use common::stdio::{Process, frame};

/// Runs a session of `messages`; returns the exit code.
fn session(messages: &[&str]) -> Option<i32> {
    let mut server = Process::start();
    for m in messages {
        server.write(&frame(m.as_bytes()));
    }
    server.finish().code()
}

const INITIALIZE: &str =
    r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

#[test]
fn shutdown_then_exit_is_a_clean_exit() {
    assert_eq!(session(&[INITIALIZE, INITIALIZED, SHUTDOWN, EXIT]), Some(0));
}

#[test]
fn exit_without_shutdown_exits_with_one() {
    assert_eq!(session(&[INITIALIZE, INITIALIZED, EXIT]), Some(1));
}

#[test]
fn a_client_that_goes_away_ends_the_server() {
    assert_eq!(session(&[INITIALIZE, INITIALIZED]), Some(1));
}
