//! The framing of standard input and output, owned by the server rather
//! than `lsp-server`'s, whose reader thread stops at the first malformed
//! frame (and the server with it). Here every frame is read and classified:
//! well-formed messages go to the main loop, the rest are answered at once
//! as JSON-RPC says (`-32700` for what does not parse, `-32600` for what is
//! not a request), and reading goes on. Garbage between frames is skipped
//! up to the next `Content-Length` header.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

/// The largest body read (a bigger frame is skipped and answered with a
/// parse error): far above any source file, far below the memory a
/// `Content-Length` could otherwise make the server allocate.
pub const MAX_BODY: usize = 64 << 20;

/// The longest header line kept in memory; the rest of a longer line is
/// scanned for a `Content-Length` header and otherwise dropped.
const MAX_LINE: usize = 8 << 10;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// One frame of the input.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A frame's body; `garbage_before` when bytes that are no header came
    /// before its `Content-Length`.
    Body {
        /// The body's bytes.
        bytes: Vec<u8>,
        /// Whether garbage was skipped to find the frame.
        garbage_before: bool,
    },
    /// A header block that is no frame (why, for the parse error).
    Malformed(String),
    /// The input ended.
    End,
}

/// Reads the next frame from `input`.
pub fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut bad_length: Option<String> = None;
    let mut garbage = false;
    let mut headers = false;
    loop {
        let Some((line, cut)) = read_line(input) else {
            return Frame::End;
        };
        garbage |= cut;
        let mut line = line.as_slice();
        if line.is_empty() {
            if let Some(reason) = bad_length {
                return Frame::Malformed(reason);
            }
            match length {
                Some(n) if n > MAX_BODY => {
                    // Skipped, so the next frame is read from its start.
                    let skipped = io::copy(&mut input.by_ref().take(n as u64), &mut io::sink());
                    if skipped.map_or(true, |s| s < n as u64) {
                        return Frame::End;
                    }
                    return Frame::Malformed(format!(
                        "a body of {n} bytes is more than the {MAX_BODY} accepted"
                    ));
                }
                Some(n) => {
                    let mut bytes = vec![0; n];
                    if input.read_exact(&mut bytes).is_err() {
                        return Frame::End;
                    }
                    return Frame::Body {
                        bytes,
                        garbage_before: garbage,
                    };
                }
                // Blank lines between frames are tolerated.
                None if !headers && !garbage => continue,
                None => return Frame::Malformed("a header block without Content-Length".into()),
            }
        }
        if let Some(at) = find_content_length(line) {
            garbage |= at > 0;
            line = &line[at..];
        }
        match split_header(line) {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                headers = true;
                match value.parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_length = Some(format!("Content-Length `{value}` is no length")),
                }
            }
            Some(_) => headers = true,
            None => garbage = true,
        }
    }
}

/// The next line without its line ending, and whether some of it was cut
/// (only the part from its last `Content-Length` on is kept of a long
/// line); `None` at the end of the input.
fn read_line(input: &mut impl BufRead) -> Option<(Vec<u8>, bool)> {
    let mut line = Vec::new();
    let mut cut = false;
    loop {
        let read = input
            .by_ref()
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .ok()?;
        if read == 0 && line.is_empty() {
            return None;
        }
        if read == 0 || line.ends_with(b"\n") {
            break;
        }
        if line.len() >= MAX_LINE {
            // Keep what could be the start of a header split across the cut.
            let keep = match find_content_length(&line) {
                Some(at) if at > 0 => at,
                _ => line.len().saturating_sub(CONTENT_LENGTH.len()),
            };
            cut |= keep > 0;
            line.drain(..keep);
        }
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Some((line, cut))
}

/// Where the last `Content-Length:` (in any case) starts in `line`.
fn find_content_length(line: &[u8]) -> Option<usize> {
    line.windows(CONTENT_LENGTH.len())
        .rposition(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// A `Name: value` header line, trimmed.
fn split_header(line: &[u8]) -> Option<(&str, &str)> {
    let line = std::str::from_utf8(line).ok()?;
    let (name, value) = line.split_once(':')?;
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    token.then(|| (name, value.trim()))
}

/// What a frame's body is.
#[derive(Debug)]
pub enum Incoming {
    /// A message for the main loop.
    Message(Message),
    /// An error response to send back at once (the body was no request).
    Reply(Value),
    /// Nothing to do (a response to a request the server never sent, or
    /// a notification it cannot read: notifications get no answer).
    Ignore,
}

/// Classifies a frame's body as JSON-RPC 2.0 does.
pub fn classify(bytes: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => {
            let message = format!("the message is not JSON: {error}");
            return Incoming::Reply(error_reply(Value::Null, ErrorCode::ParseError, &message));
        }
    };
    let invalid = |id: Value, message: &str| {
        Incoming::Reply(error_reply(id, ErrorCode::InvalidRequest, message))
    };
    let Value::Object(object) = value else {
        let message = match value {
            Value::Array(_) => "batches are not part of LSP: send one message per frame",
            _ => "a message is a JSON object",
        };
        return invalid(Value::Null, message);
    };
    // The id to answer with, if there is one usable.
    let raw_id = object.get("id").cloned();
    let id = match &raw_id {
        None => None,
        Some(Value::String(s)) => Some(RequestId::from(s.clone())),
        Some(Value::Number(n)) => match n.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Some(RequestId::from(n)),
            None => {
                let message = "request ids are strings or 32-bit integers";
                return invalid(raw_id.unwrap_or_default(), message);
            }
        },
        Some(_) => return invalid(Value::Null, "an id is a string or an integer"),
    };
    let echo = raw_id.unwrap_or_default();
    if object.get("jsonrpc").is_some_and(|v| v != "2.0") {
        return invalid(echo, "`jsonrpc` must be \"2.0\"");
    }
    let params = object.get("params").cloned().unwrap_or_default();
    match (object.get("method"), id) {
        (Some(Value::String(method)), Some(id)) => Incoming::Message(Message::Request(Request {
            id,
            method: method.clone(),
            params,
        })),
        (Some(Value::String(method)), None) => {
            Incoming::Message(Message::Notification(Notification {
                method: method.clone(),
                params,
            }))
        }
        (Some(_), _) => invalid(echo, "`method` must be a string"),
        (None, Some(_)) if object.contains_key("result") || object.contains_key("error") => {
            match serde_json::from_value::<Response>(Value::Object(object)) {
                Ok(response) => Incoming::Message(Message::Response(response)),
                Err(_) => Incoming::Ignore,
            }
        }
        (None, _) => invalid(echo, "a request needs a `method`"),
    }
}

/// A JSON-RPC error response.
pub fn error_reply(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } })
}

/// The threads behind [`stdio`].
pub struct Stdio {
    writer: JoinHandle<io::Result<()>>,
}

impl Stdio {
    /// Waits until everything sent has been written. (The reader thread is
    /// not waited for: it may be blocked on input no one will send.)
    pub fn join(self) -> io::Result<()> {
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over standard input and output with the framing above.
pub fn stdio() -> (Connection, Stdio) {
    let (to_loop, from_input) = crossbeam_channel::unbounded::<Message>();
    let (to_output, from_loop) = crossbeam_channel::unbounded::<Message>();
    let (replies, from_reader) = crossbeam_channel::unbounded::<Value>();
    std::thread::Builder::new()
        .name("tally-lsp-reader".into())
        .spawn(move || read_input(&mut io::stdin().lock(), &to_loop, &replies))
        .expect("the reader thread starts");
    let writer = std::thread::Builder::new()
        .name("tally-lsp-writer".into())
        .spawn(move || write_output(&mut io::stdout().lock(), &from_loop, &from_reader))
        .expect("the writer thread starts");
    let connection = Connection {
        sender: to_output,
        receiver: from_input,
    };
    (connection, Stdio { writer })
}

/// Reads frames until the input ends, `exit` arrives or no one listens.
pub fn read_input(input: &mut impl BufRead, messages: &Sender<Message>, replies: &Sender<Value>) {
    let parse_error = |reason: &str| error_reply(Value::Null, ErrorCode::ParseError, reason);
    loop {
        let sent = match read_frame(input) {
            Frame::End => return,
            Frame::Malformed(reason) => replies.send(parse_error(&reason)).is_ok(),
            Frame::Body {
                bytes,
                garbage_before,
            } => {
                if garbage_before {
                    let _ = replies.send(parse_error("bytes that are no frame were skipped"));
                }
                match classify(&bytes) {
                    Incoming::Message(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if messages.send(message).is_err() || exit {
                            return;
                        }
                        true
                    }
                    Incoming::Reply(reply) => replies.send(reply).is_ok(),
                    Incoming::Ignore => true,
                }
            }
        };
        if !sent {
            return;
        }
    }
}

/// Writes the main loop's messages and the reader's replies as frames
/// until the main loop lets go of its sender.
pub fn write_output(
    output: &mut impl Write,
    messages: &Receiver<Message>,
    replies: &Receiver<Value>,
) -> io::Result<()> {
    let write_reply = |output: &mut dyn Write, reply: &Value| -> io::Result<()> {
        let text = reply.to_string();
        write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        output.flush()
    };
    loop {
        select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(output)?,
                Err(_) => break,
            },
            recv(replies) -> reply => match reply {
                Ok(reply) => write_reply(output, &reply)?,
                // The reader is done; the main loop's messages remain.
                Err(_) => {
                    for message in messages {
                        message.write(output)?;
                    }
                    return Ok(());
                }
            },
        }
    }
    for reply in replies.try_iter() {
        write_reply(output, &reply)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut input = input;
        let mut found = Vec::new();
        loop {
            match read_frame(&mut input) {
                Frame::End => return found,
                frame => found.push(frame),
            }
        }
    }

    fn body(text: &str, garbage_before: bool) -> Frame {
        Frame::Body {
            bytes: text.as_bytes().to_vec(),
            garbage_before,
        }
    }

    #[test]
    fn frames_with_and_without_other_headers() {
        let input = b"Content-Length: 2\r\n\r\n{}content-length:3\r\nContent-Type: x\r\n\r\n[1]";
        assert_eq!(frames(input), vec![body("{}", false), body("[1]", false)]);
    }

    #[test]
    fn garbage_is_skipped_up_to_the_next_header() {
        let input = b"{bad}Content-Length: 2\r\n\r\n{}\r\nnonsense\r\n\r\nContent-Length: 1\n\n1";
        assert_eq!(
            frames(input),
            vec![
                body("{}", true),
                Frame::Malformed("a header block without Content-Length".into()),
                body("1", false),
            ]
        );
    }

    #[test]
    fn bad_and_huge_lengths_are_parse_errors() {
        let input = format!(
            "Content-Length: -1\r\n\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        let mut input = input.into_bytes();
        input.extend(std::iter::repeat_n(b' ', MAX_BODY + 1));
        input.extend(b"Content-Length: 1\r\n\r\n7");
        let found = frames(&input);
        assert!(matches!(&found[0], Frame::Malformed(m) if m.contains("-1")));
        assert!(matches!(&found[1], Frame::Malformed(m) if m.contains("more than")));
        assert_eq!(found[2..], [body("7", false)]);
    }

    #[test]
    fn a_long_line_keeps_its_last_header() {
        let mut input = vec![b'x'; 3 * MAX_LINE + 5];
        input.extend(b"Content-Length: 1\r\n\r\n7");
        assert_eq!(frames(&input), vec![body("7", true)]);
    }

    #[test]
    fn a_cut_frame_is_the_end() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}"), vec![]);
    }

    fn code(incoming: Incoming) -> (Value, i64) {
        match incoming {
            Incoming::Reply(reply) => (
                reply["id"].clone(),
                reply["error"]["code"].as_i64().unwrap(),
            ),
            other => panic!("not a reply: {other:?}"),
        }
    }

    #[test]
    fn bodies_that_are_no_requests_are_answered() {
        assert_eq!(code(classify(b"{bad}")), (Value::Null, -32700));
        assert_eq!(code(classify(b"\xff")), (Value::Null, -32700));
        assert_eq!(code(classify(b"[]")), (Value::Null, -32600));
        assert_eq!(code(classify(b"7")), (Value::Null, -32600));
        assert_eq!(code(classify(br#"{"id":3}"#)), (json!(3), -32600));
        assert_eq!(
            code(classify(br#"{"id":"a","method":4}"#)),
            (json!("a"), -32600)
        );
        assert_eq!(
            code(classify(br#"{"id":[],"method":"x"}"#)),
            (Value::Null, -32600)
        );
        assert_eq!(
            code(classify(br#"{"id":1e20,"method":"x"}"#)),
            (json!(1e20), -32600)
        );
        let old = br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#;
        assert_eq!(code(classify(old)), (json!(1), -32600));
    }

    #[test]
    fn requests_notifications_and_responses_are_messages() {
        let request = classify(br#"{"jsonrpc":"2.0","id":1,"method":"m"}"#);
        assert!(matches!(request, Incoming::Message(Message::Request(r)) if r.method == "m"));
        let note = classify(br#"{"jsonrpc":"2.0","method":"n","params":[1]}"#);
        assert!(
            matches!(note, Incoming::Message(Message::Notification(n)) if n.params == json!([1]))
        );
        let response = classify(br#"{"jsonrpc":"2.0","id":1,"result":null}"#);
        assert!(matches!(response, Incoming::Message(Message::Response(_))));
        assert!(matches!(
            classify(br#"{"id":1,"error":5}"#),
            Incoming::Ignore
        ));
    }
}
