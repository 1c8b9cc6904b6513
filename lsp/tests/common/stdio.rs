//! The `tally-lsp` binary driven over its standard input and output, frame
//! by frame (so malformed frames can be sent as they are).

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tally_lsp::transport::{Frame, read_frame};

/// A running `tally-lsp` process.
pub struct Process {
    child: Child,
    input: Option<ChildStdin>,
    output: Receiver<Value>,
}

/// A frame around `body`.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

impl Process {
    /// Starts the binary.
    pub fn start() -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tally-lsp starts");
        let input = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (sender, output) = channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Frame::Body { bytes, .. } = read_frame(&mut stdout) {
                let value = serde_json::from_slice(&bytes).expect("the server writes JSON");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Process {
            child,
            input,
            output,
        }
    }

    /// Writes raw bytes to the server's input (ignoring a closed pipe: the
    /// test then fails on the missing answer or the exit status).
    pub fn write(&mut self, bytes: &[u8]) {
        if let Some(input) = &mut self.input {
            let _ = input.write_all(bytes).and_then(|()| input.flush());
        }
    }

    /// Sends a JSON message in a frame.
    pub fn send(&mut self, message: &Value) {
        self.write(&frame(message.to_string().as_bytes()));
    }

    /// Sends a request.
    pub fn request(&mut self, id: i64, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message the server writes, if one comes within 30 s.
    pub fn next(&self) -> Option<Value> {
        self.output.recv_timeout(Duration::from_secs(30)).ok()
    }

    /// The next response (skipping notifications), failing if none comes.
    pub fn response(&self) -> Value {
        loop {
            let message = self.next().expect("the server answers");
            if message.get("method").is_none() {
                return message;
            }
        }
    }

    /// The response with id `id` (skipping others), failing if none comes.
    pub fn response_to(&self, id: &Value) -> Value {
        loop {
            let message = self.response();
            if message["id"] == *id {
                return message;
            }
        }
    }

    /// Initializes the server.
    pub fn initialize(&mut self) {
        self.request(0, "initialize", json!({ "capabilities": {} }));
        assert!(self.response_to(&json!(0))["result"]["capabilities"].is_object());
        self.notify("initialized", json!({}));
    }

    /// Closes the input and waits (at most 30 s) for the process to end.
    pub fn finish(mut self) -> ExitStatus {
        self.input = None;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("tally-lsp did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown` then `exit`; the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        self.request(9_999, "shutdown", Value::Null);
        assert_eq!(self.response_to(&json!(9_999))["result"], Value::Null);
        self.notify("exit", Value::Null);
        self.finish().code()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
