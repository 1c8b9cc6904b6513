//! Editor latency, with the server driven in-process as an editor drives it
//! (JSON-RPC messages over an in-memory connection, the server on its own
//! threads): the time from a one-character edit of a 5,000-line file to its
//! published diagnostics and to its bounds, and the time to answer a hover;
//! the compiler alone for comparison.

use std::thread::JoinHandle;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// The allocator of the `tally-lsp` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const URI: &str = "file:///big.tly";

/// The CPU time the whole process (every thread) has used. The machine the
/// figures come from is shared, so wall-clock figures wander with its load;
/// the CPU time of the work stays put.
fn process_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Runs `f` `iterations` times and returns the CPU time it took.
fn cpu_time(iterations: u64, mut f: impl FnMut()) -> Duration {
    let start = process_cpu_time();
    for _ in 0..iterations {
        f();
    }
    process_cpu_time().saturating_sub(start)
}

/// One block (25 lines): a struct, an enum, and four functions using them.
fn block(i: usize) -> String {
    format!(
        r#"/// An account of kind {i}.
pub struct Account{i} {{ owner: Bytes, balance: Int }}

pub enum Move{i} {{ Pay{i}(Int), Fee{i}, Batch{i}(List<Int>) }}

fn total{i}(xs: List<Int>) -> Int {{
  match xs {{
    [] => 0,
    [x, ..rest] => x + total{i}(rest),
  }}
}}

fn apply{i}(m: Move{i}, a: Account{i}) -> Account{i} {{
  match m {{
    Pay{i}(n) => Account{i} {{ balance: a.balance + n, ..a }},
    Fee{i} => Account{i} {{ balance: a.balance - 1, ..a }},
    Batch{i}(ns) => Account{i} {{ balance: a.balance + total{i}(ns), ..a }},
  }}
}}

pub fn settle{i}(a: Account{i}, n: Int) -> Int {{
  let after = apply{i}(Batch{i}([n, 1, 2]), a);
  after.balance * 2
}}
"#
    )
}

/// A valid program of at least `lines` lines.
fn program(lines: usize) -> String {
    let per_block = block(0).lines().count();
    (0..lines.div_ceil(per_block)).map(block).collect()
}

/// A server on its own thread and the client's end of the connection.
struct Editor {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    version: i32,
}

impl Editor {
    fn start() -> Editor {
        let (server_side, connection) = Connection::memory();
        let server = std::thread::spawn(move || {
            tally_lsp::run(&server_side).expect("the server stops cleanly");
        });
        let mut editor = Editor {
            connection,
            server: Some(server),
            next_id: 0,
            version: 0,
        };
        editor.request("initialize", json!({ "capabilities": {} }));
        editor.notify("initialized", json!({}));
        editor
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers")
    }

    fn notify(&self, method: &str, params: Value) {
        let message = Message::Notification(Notification::new(method.into(), params));
        self.connection.sender.send(message).expect("send");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let message = Message::Request(Request::new(id.clone(), method.into(), params));
        self.connection.sender.send(message).expect("send");
        loop {
            if let Message::Response(response) = self.receive()
                && response.id == id
            {
                return response.response_result.expect("a result");
            }
        }
    }

    /// Sends the document's new text and waits for its diagnostics.
    fn edit(&mut self, text: &str) -> usize {
        self.version += 1;
        let method = if self.version == 1 {
            "textDocument/didOpen"
        } else {
            "textDocument/didChange"
        };
        let params = if self.version == 1 {
            json!({ "textDocument": { "uri": URI, "languageId": "tally", "version": 1, "text": text } })
        } else {
            json!({
                "textDocument": { "uri": URI, "version": self.version },
                "contentChanges": [{ "text": text }]
            })
        };
        self.notify(method, params);
        loop {
            if let Message::Notification(n) = self.receive()
                && n.method == "textDocument/publishDiagnostics"
                && n.params["version"] == self.version
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().expect("the server thread ends");
        }
    }
}

fn latency(c: &mut Criterion) {
    let text = program(5_000);
    assert!(text.lines().count() >= 5_000);
    // The one-character edit, in the middle of the file.
    let middle = text.len() / 2;
    let at = middle + text[middle..].find("[n, 1, 2]").expect("a list literal") + 4;
    let mut edited = text.clone();
    edited.replace_range(at..at + 1, "7");
    // A hover on a call of a function in the middle of the file: it shows the
    // function's bounds, so it is answered once the bound analysis is done.
    let call = middle + text[middle..].find("= apply").expect("a call") + 2;
    let line = text[..call].matches('\n').count();
    let column = call - text[..call].rfind('\n').map_or(0, |i| i + 1);
    let hover = json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": column } });

    let mut editor = Editor::start();
    assert_eq!(editor.edit(&text), 0, "the generated program is valid");
    let shown = editor.request("textDocument/hover", hover.clone());
    let shown = shown["contents"]["value"].as_str().unwrap_or("");
    assert!(
        shown.contains("fn apply") && shown.contains("gas ≤"),
        "{shown}"
    );

    let mut group = c.benchmark_group("lsp");
    group.sample_size(20);
    let mut toggle = false;
    let mut next = move || {
        toggle = !toggle;
        if toggle { edited.clone() } else { text.clone() }
    };
    // The edit until its diagnostics are published. The front end's come
    // first, while the bound analysis goes on; each timed edit starts after
    // the previous one's analysis is over (the untimed hover waits for it).
    group.bench_function("edit_to_diagnostics_5k_lines", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                editor.request("textDocument/hover", hover.clone());
                let text = next();
                let start = std::time::Instant::now();
                editor.edit(&text);
                total += start.elapsed();
            }
            total
        })
    });
    // The edit until its bounds are known too (a hover that shows them).
    group.bench_function("edit_to_bounds_5k_lines", |b| {
        b.iter(|| {
            editor.edit(&next());
            editor.request("textDocument/hover", hover.clone())
        })
    });
    // All the work of an edit (front end, bounds), in CPU time.
    group.bench_function("edit_all_work_5k_lines_cpu", |b| {
        b.iter_custom(|iterations| {
            cpu_time(iterations, || {
                editor.edit(&next());
                editor.request("textDocument/hover", hover.clone());
            })
        })
    });
    group.bench_function("hover_5k_lines", |b| {
        b.iter(|| editor.request("textDocument/hover", hover.clone()))
    });
    group.bench_function("hover_5k_lines_cpu", |b| {
        b.iter_custom(|iterations| {
            cpu_time(iterations, || {
                editor.request("textDocument/hover", hover.clone());
            })
        })
    });
    group.finish();
    editor.stop();
}

/// For comparison: the compiler alone re-checking the same edit (what the
/// server adds is the difference).
fn compiler_alone(c: &mut Criterion) {
    use salsa::Setter;
    let text = program(5_000);
    let middle = text.len() / 2;
    let at = middle + text[middle..].find("[n, 1, 2]").expect("a list literal") + 4;
    let mut edited = text.clone();
    edited.replace_range(at..at + 1, "7");
    let mut db = tally::db::Database::new();
    let file = db.add_file("big.tly", text.clone());
    tally::db::check(&db, file);
    let mut group = c.benchmark_group("compiler");
    group.sample_size(20);
    let mut toggle = false;
    let mut edit = |front_end_only: bool| {
        toggle = !toggle;
        let next = if toggle { &edited } else { &text };
        file.set_text(&mut db).to(next.clone());
        if front_end_only {
            tally::db::front_end(&db, file).len()
        } else {
            tally::db::check(&db, file).len()
        }
    };
    group.bench_function("check_after_edit_5k_lines", |b| b.iter(|| edit(false)));
    group.bench_function("check_after_edit_5k_lines_cpu", |b| {
        b.iter_custom(|iterations| {
            cpu_time(iterations, || {
                edit(false);
            })
        })
    });
    group.bench_function("front_end_after_edit_5k_lines_cpu", |b| {
        b.iter_custom(|iterations| {
            cpu_time(iterations, || {
                edit(true);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, latency, compiler_alone);
criterion_main!(benches);
