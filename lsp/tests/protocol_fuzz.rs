//! A protocol fuzz test: random and malformed frames over the binary's
//! standard input, and random edit sequences with non-ASCII text in-process.
//! Whatever comes in, every request with an id gets an answer, no answer is
//! an internal error (a panic caught on a worker), and the server keeps
//! running until `shutdown` and `exit` (issue 11, item 5).
//!
//! Deterministic (a fixed seed); `TALLY_LSP_FUZZ_CASES` scales the number of
//! cases (the default keeps each test to a few seconds) and
//! `TALLY_LSP_FUZZ_SEED` picks another seed.

mod common;

use std::collections::BTreeSet;

use common::stdio::{Process, frame};
use common::{Client, example};
use lsp_server::ErrorCode;
use serde_json::{Value, json};

/// SplitMix64: small, deterministic, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("TALLY_LSP_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x7a11_7a11);
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn cases(default: usize) -> usize {
    std::env::var("TALLY_LSP_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Text snippets for edits: Tally fragments, non-ASCII letters of every
/// UTF-8 width, and line breaks.
const SNIPPETS: &[&str] = &[
    "é",
    "ü",
    "中",
    "𝄞",
    "🦀",
    "\u{200d}",
    "\u{feff}",
    "\r\n",
    "\n",
    "\t",
    " ",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ".",
    "::",
    ":",
    ";",
    ",",
    "=>",
    "->",
    "|",
    "..",
    "\"",
    "'",
    "//",
    "///",
    "/*",
    "fn ",
    "let ",
    "match ",
    "if ",
    "else ",
    "struct ",
    "enum ",
    "std::list::",
    "x.",
    "Point { x: 1 }",
    "é.",
    "中::",
    "0x",
    "99999999999999999999999999",
    "-",
    "é + 1",
    "fn é() -> Int { é }",
    "fn g(x: Int) -> Int { x }\n",
    "test \"t\" { 1 == 1 }\n",
];

const POSITION_METHODS: &[&str] = &[
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/rename",
    "textDocument/signatureHelp",
    "textDocument/documentHighlight",
    "textDocument/codeAction",
];

const DOCUMENT_METHODS: &[&str] = &[
    "textDocument/documentSymbol",
    "textDocument/semanticTokens/full",
    "textDocument/inlayHint",
    "textDocument/formatting",
    "textDocument/codeLens",
    "textDocument/foldingRange",
];

/// A position in `text` or near it: on a line or past its end, sometimes
/// inside a surrogate pair, sometimes on a line that does not exist.
fn position(rng: &mut Rng, text: &str) -> Value {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = rng.below(lines.len() + 2);
    let width: usize = lines
        .get(line)
        .map_or(0, |l| l.chars().map(char::len_utf16).sum());
    json!({ "line": line, "character": rng.below(width + 4) })
}

/// Random parameters for `method` on `uri`.
fn params(rng: &mut Rng, method: &str, uri: &str, text: &str) -> Value {
    let mut params = json!({
        "textDocument": { "uri": uri },
        "position": position(rng, text),
        "context": { "includeDeclaration": rng.below(2) == 0, "diagnostics": [] },
        "newName": *rng.pick(&["renamed", "Renamed", "é", "fn", "", "a b"]),
        "range": { "start": position(rng, text), "end": position(rng, text) },
        "options": { "tabSize": 2, "insertSpaces": true },
    });
    if rng.below(8) == 0 {
        params["textDocument"] = json!(rng.below(100));
    }
    if rng.below(8) == 0 {
        params = json!([1, "two", null]);
    }
    let _ = method;
    params
}

/// A random edit of `text`, at character boundaries.
fn edit(rng: &mut Rng, text: &str) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = *rng.pick(&boundaries);
    match rng.below(4) {
        0 | 1 => {
            let mut edited = text.to_string();
            let snippet = *rng.pick::<&str>(SNIPPETS);
            edited.insert_str(at, snippet);
            edited
        }
        2 => {
            let end = *rng.pick(&boundaries);
            let (start, end) = (at.min(end), at.max(end));
            // Mostly short cuts, so the text stays close to a program.
            let end = if end - start > 40 {
                boundaries
                    .iter()
                    .copied()
                    .find(|&b| b >= start + 8)
                    .unwrap_or(end)
            } else {
                end
            };
            format!("{}{}", &text[..start], &text[end..])
        }
        _ => {
            let end = boundaries
                .iter()
                .copied()
                .find(|&b| b >= at + rng.below(60))
                .unwrap_or(text.len());
            format!("{}{}{}", &text[..end], &text[at..end], &text[end..])
        }
    }
}

/// A random JSON value, a few levels deep.
fn json_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(*rng.pick(SNIPPETS)),
        4 => json!(1.5e300),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| json_value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "id",
                "method",
                "params",
                "jsonrpc",
                "result",
                "error",
                "textDocument",
            ];
            let mut object = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                object.insert((*rng.pick(&keys)).into(), json_value(rng, depth - 1));
            }
            Value::Object(object)
        }
    }
}

/// One malformed or odd frame (never one that claims more bytes than it
/// has, which would rightly swallow the next frame).
fn odd_frame(rng: &mut Rng) -> Vec<u8> {
    let body: Vec<u8> = match rng.below(6) {
        0 => (0..rng.below(40)).map(|_| rng.next() as u8).collect(),
        1 => {
            let text = json!({ "jsonrpc": "2.0", "id": 1, "method": "x" }).to_string();
            text.as_bytes()[..rng.below(text.len())].to_vec()
        }
        2 => b"{bad}".to_vec(),
        3 => b"[]".to_vec(),
        _ => json_value(rng, 3).to_string().into_bytes(),
    };
    match rng.below(6) {
        // A frame that says it is shorter than it is: the rest is garbage.
        0 if !body.is_empty() => {
            let mut framed =
                format!("Content-Length: {}\r\n\r\n", rng.below(body.len())).into_bytes();
            framed.extend(&body);
            framed
        }
        // Garbage with no header at all.
        1 => body,
        // Other headers, lowercase names, bare line feeds.
        2 => {
            let mut framed = format!(
                "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n",
                body.len()
            )
            .into_bytes();
            framed.extend(&body);
            framed
        }
        3 => b"Content-Length: many\r\n\r\n".to_vec(),
        _ => frame(&body),
    }
}

#[test]
fn random_and_malformed_frames_never_stop_the_server() {
    let mut rng = Rng::from_env();
    let mut server = Process::start();
    server.initialize();
    let uri = "file:///fuzz.tly";
    let mut text = example("token");
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "tally", "version": 1, "text": text } }),
    );
    let mut expected = BTreeSet::new();
    let mut version = 1;
    for case in 0..cases(400) {
        let id = 1_000 + case as i64;
        match rng.below(4) {
            0 => server.write(&odd_frame(&mut rng)),
            1 => {
                version += 1;
                text = edit(&mut rng, &text);
                server.notify(
                    "textDocument/didChange",
                    json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
                );
            }
            2 => {
                let methods = [
                    POSITION_METHODS,
                    DOCUMENT_METHODS,
                    &["tally/unknown", "$/x"],
                ]
                .concat();
                let method = *rng.pick(&methods);
                let params = params(&mut rng, method, uri, &text);
                server.request(id, method, params);
                expected.insert(id);
            }
            _ => {
                // A notification with odd parameters.
                let method = *rng.pick(&[
                    "textDocument/didOpen",
                    "textDocument/didChange",
                    "textDocument/didClose",
                    "$/cancelRequest",
                    "initialized",
                    "$/setTrace",
                ]);
                server.notify(method, json_value(&mut rng, 3));
            }
        }
        // The server is still there after each frame.
        if case % 25 == 24 {
            let probe = -id;
            server.request(
                probe,
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            );
            expected.insert(probe);
        }
    }
    while !expected.is_empty() {
        let Some(message) = server.next() else {
            panic!("no answer to the requests {expected:?}");
        };
        if let Some(id) = message["id"].as_i64() {
            expected.remove(&id);
        }
        assert_ne!(
            message["error"]["code"],
            json!(-32603),
            "an internal error: {message}"
        );
    }
    assert_eq!(server.shutdown(), Some(0), "a clean exit after the fuzzing");
}

#[test]
fn random_edit_sequences_with_non_ascii_text() {
    let mut rng = Rng::from_env();
    let mut client = Client::start();
    let names = ["token", "lists", "recursion", "higher_order"];
    for (n, name) in names.iter().enumerate() {
        let uri = format!("file:///{name}.tly");
        let mut text = example(name);
        client.open(&uri, &text);
        for version in 2..cases(60) as i32 {
            text = edit(&mut rng, &text);
            client.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
            );
            for _ in 0..2 {
                let methods = [POSITION_METHODS, DOCUMENT_METHODS].concat();
                let method = *rng.pick(&methods);
                let params = params(&mut rng, method, &uri, &text);
                let response = client.request(method, params);
                if let Err(error) = &response.response_result {
                    // Malformed parameters and refused renames are answers;
                    // an internal error is a panic on a worker.
                    assert!(
                        [
                            ErrorCode::InvalidParams as i32,
                            ErrorCode::ContentModified as i32
                        ]
                        .contains(&error.code),
                        "{method} after edit {version} of {name} (document {n}): {error:?}\n{text}"
                    );
                }
            }
        }
        // The newest version's diagnostics arrive (requests skip the
        // earlier ones, so this waits for one more version).
        let last = cases(60) as i32;
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": last }, "contentChanges": [{ "text": text }] }),
        );
        loop {
            let published = client.diagnostics();
            if published["uri"] == uri.as_str() && published["version"] == last {
                break;
            }
        }
    }
    client.shutdown();
}
