//! Resource oracles for the front end: the work of `check` and the size of
//! what it reports grow linearly with the input.
//!
//! Times are never compared with a fixed number of seconds. Each test checks
//! a program at size `n` and at `4n` and compares the CPU time this thread
//! spent (`/proc/thread-self/schedstat`, so other processes and the other
//! test threads on a loaded machine do not count), minus the time of the
//! smallest program, taking the median of three runs. Linear work grows 4×;
//! quadratic work 16×; the tests fail above 9×.

use std::time::Instant;

use tally::db::check_text;

/// Nanoseconds of CPU time this thread has used (wall-clock time where the
/// kernel does not say).
fn cpu_ns() -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed().as_nanos()
        })
}

/// The median CPU time of checking `text`, over three runs.
fn check_time(text: &str) -> u128 {
    let mut times: Vec<u128> = (0..3)
        .map(|_| {
            let start = cpu_ns();
            std::hint::black_box(check_text("input.tly", text));
            cpu_ns() - start
        })
        .collect();
    times.sort_unstable();
    times[1]
}

/// How much more work checking `make(4 * n)` takes than `make(n)`, the fixed
/// cost (the standard library, a fresh database) taken off both.
fn growth(make: impl Fn(usize) -> String, n: usize) -> f64 {
    let base = check_time(&make(1));
    let small = check_time(&make(n)).saturating_sub(base).max(1);
    let large = check_time(&make(4 * n)).saturating_sub(base).max(1);
    large as f64 / small as f64
}

fn assert_linear(what: &str, make: impl Fn(usize) -> String, n: usize) {
    let ratio = growth(make, n);
    assert!(
        ratio < 9.0,
        "{what}: 4× the input took {ratio:.1}× the work (linear: about 4×)"
    );
}

/// One block of `n` `let`s, each reading the parameter (found under all the
/// `let`s) and the tail reading the first one.
fn lets(n: usize) -> String {
    let mut text = String::from("pub fn f(x: Int) -> Int {\n");
    for i in 0..n {
        text.push_str(&format!("  let a{i} = x + {i};\n"));
    }
    text.push_str("  a0\n}\n");
    text
}

#[test]
fn let_chains_are_linear() {
    assert_linear("a block of lets", lets, 3_000);
}

/// `n` entry points, each calling the one before it.
fn functions(n: usize) -> String {
    let mut text = String::from("pub fn f0(x: Int) -> Int { x }\n");
    for i in 1..n {
        text.push_str(&format!(
            "pub fn f{i}(x: Int) -> Int {{ f{}(x) + 1 }}\n",
            i - 1
        ));
    }
    text
}

#[test]
fn many_functions_are_linear() {
    assert_linear("a file of functions", functions, 1_500);
}

/// `n` parenthesised matches on one line, each followed by a stray token:
/// one syntax error each.
fn stray_tokens(n: usize) -> String {
    format!(
        "fn f(x: Int) -> Int {{\n  {}\n}}\n",
        "(match x { _ => 1 } 1)".repeat(n)
    )
}

/// `n` parentheses around a match, on one line.
fn parenthesised_match(n: usize) -> String {
    format!(
        "fn f(x: Int) -> Int {{\n  {}match x {{ _ => 1 }}{}\n}}\n",
        "(".repeat(n),
        ")".repeat(n)
    )
}

/// `n` matches nested in one another's arms, on one line (too deep past 256).
fn nested_matches(n: usize) -> String {
    format!(
        "fn f(x: Int) -> Int {{\n  {}1{}\n}}\n",
        "(match x { _ => ".repeat(n),
        "})".repeat(n)
    )
}

/// What `tally check` prints for `text`, without colour.
fn rendered(text: &str) -> String {
    check_text("input.tly", text)
        .iter()
        .map(|d| tally::render::human(d, "input.tly", text, false))
        .collect()
}

#[test]
fn syntax_errors_and_nesting_are_linear() {
    assert_linear("one syntax error per match", stray_tokens, 500);
    assert_linear("parentheses around a match", parenthesised_match, 2_000);
    assert_linear("nested matches", nested_matches, 500);
}

#[test]
fn the_report_of_a_file_has_a_bounded_size() {
    // 4,000 errors on one 88 KB line: 100 shown, each with an excerpt cut to
    // windows, and a summary of the rest.
    let text = stray_tokens(4_000);
    let diagnostics = check_text("input.tly", &text);
    assert_eq!(diagnostics.len(), tally::diagnostic::MAX_DIAGNOSTICS + 1);
    let last = diagnostics.last().expect("a summary");
    assert_eq!(last.code.as_str(), "E0106");
    assert_eq!(last.message, "3901 more errors not shown");
    assert_eq!(tally::diagnostic::count(&diagnostics).errors, 4_001);
    let small = rendered(&stray_tokens(1_000)).len();
    let large = rendered(&text).len();
    assert!(
        large < small + small / 10,
        "4× the errors printed {large} bytes against {small}"
    );
    assert!(large < 64 * 1024, "{large} bytes for 101 diagnostics");
    // One error on a line of 20,000 nested matches: its excerpt is a window.
    let one = rendered(&nested_matches(20_000));
    assert!(one.len() < 2_000, "{} bytes for one diagnostic", one.len());
    assert!(one.contains("input.tly:2:"), "{one}");
}
