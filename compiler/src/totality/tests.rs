//! Tests of the termination checker, as data: programs it must accept,
//! programs it must reject (with a `//~ ERROR` marker on every line that
//! must carry the primary label of a diagnostic), and snapshots of the
//! rendered diagnostics.

use crate::diagnostic::{Code, Diagnostic};

use super::check_module;

/// Parses `src` (which must be free of syntax errors) and checks termination.
fn check(src: &str) -> Vec<Diagnostic> {
    let parse = crate::syntax::parse(src);
    assert!(
        parse.diagnostics.is_empty(),
        "fixture does not parse: {:?}\n{src}",
        parse.diagnostics
    );
    check_module(&parse.module, src)
}

/// 1-based line and column of a byte offset.
fn line_col(src: &str, offset: u32) -> (usize, usize) {
    let before = src.get(..offset as usize).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A compact text rendering: code, position, message, labels, notes, help.
fn render(src: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = line_col(src, d.primary.span.start);
        out.push_str(&format!(
            "error[{}] {line}:{col}: {}\n",
            d.code.as_str(),
            d.message
        ));
        let text = |span: crate::span::Span| src.get(span.range()).unwrap_or("").to_string();
        out.push_str(&format!(
            "  --> {line}:{col} `{}`: {}\n",
            text(d.primary.span),
            d.primary.message
        ));
        for label in &d.secondary {
            let (line, col) = line_col(src, label.span.start);
            out.push_str(&format!(
                "  - {line}:{col} `{}`: {}\n",
                text(label.span),
                label.message
            ));
        }
        for note in &d.notes {
            out.push_str(&format!(
                "  = note: {}\n",
                note.replace('\n', "\n          ")
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
    }
    out
}

/// The 1-based lines marked `//~ ERROR`.
fn marked_lines(src: &str) -> Vec<usize> {
    src.lines()
        .enumerate()
        .filter(|(_, line)| line.contains("//~ ERROR"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Programs whose recursion must be accepted.
const ACCEPT: &[(&str, &str)] = &[
    ("example_lists", include_str!("../../../examples/lists.tly")),
    (
        "example_recursion",
        include_str!("../../../examples/recursion.tly"),
    ),
    ("example_token", include_str!("../../../examples/token.tly")),
    (
        "example_assoc_token",
        include_str!("../../../examples/assoc_token.tly"),
    ),
    (
        "example_higher_order",
        include_str!("../../../examples/higher_order.tly"),
    ),
    // Terminates by lexicographic descent; the bound analysis (issue 4) rejects it.
    (
        "example_ackermann",
        include_str!("../../../examples/reject/ackermann.tly"),
    ),
    // Rejected by other phases; nothing recursive here.
    (
        "example_non_exhaustive",
        include_str!("../../../examples/reject/non_exhaustive.tly"),
    ),
    (
        "example_stored_function",
        include_str!("../../../examples/reject/stored_function.tly"),
    ),
    (
        "example_type_mismatch",
        include_str!("../../../examples/reject/type_mismatch.tly"),
    ),
];

/// Recursion shapes that must be accepted (shared with the codegen tests).
const SHAPES: &[(&str, &str)] = include!("../../tests/data/recursion_shapes.rs");

/// Programs the checker must reject, with a `//~ ERROR` marker on each line
/// that must carry the primary label of one E0501.
const REJECT: &[(&str, &str)] = &[
    (
        "no_descent",
        include_str!("../../../examples/reject/no_descent.tly"),
    ),
    (
        "growing_argument",
        include_str!("../../../examples/reject/growing_argument.tly"),
    ),
    (
        "int_eq_zero_guard",
        "fn f(n: Int) -> Int {
           if n == 0 { 0 } else { f(n - 1) } //~ ERROR
         }",
    ),
    (
        "int_guard_wrong_branch",
        "fn f(n: Int) -> Int {
           if n <= 0 { f(n - 1) } else { 0 } //~ ERROR
         }",
    ),
    (
        "int_ge_zero_else",
        "fn f(n: Int) -> Int {
           if n >= 0 { 0 } else { f(n - 1) } //~ ERROR
         }",
    ),
    (
        "int_unguarded",
        "fn f(n: Int) -> Int { f(n - 1) } //~ ERROR",
    ),
    (
        "int_or_in_then",
        "fn f(n: Int, b: Bool) -> Int {
           if n > 0 || b { f(n - 1, b) } else { 0 } //~ ERROR
         }",
    ),
    (
        "int_and_in_else",
        "fn f(n: Int, b: Bool) -> Int {
           if n <= 0 && b { 0 } else { f(n - 1, b) } //~ ERROR
         }",
    ),
    (
        "int_guard_on_other_variable",
        "fn f(n: Int, m: Int) -> Int {
           if m <= 0 { 0 } else { f(n - 1, m) } //~ ERROR
         }",
    ),
    // Counting up to a bound terminates, but only descent is recognised.
    (
        "int_counting_up",
        "fn f(n: Int) -> Int {
           if n < 100 { f(n + 1) } else { n } //~ ERROR
         }",
    ),
    (
        "int_guard_shadowed",
        "fn f(n: Int) -> Int {
           if n <= 0 { 0 } else { let n = 5 - n; f(n - 1) } //~ ERROR
         }",
    ),
    (
        "lambda_parameter",
        "use std::list::{map}
         fn f(xs: List<List<Int>>) -> List<Int> {
           map(xs, |ys| f(ys)) //~ ERROR
         }",
    ),
    (
        "lambda_parameter_shadows_pattern_variable",
        "fn apply(xs: List<Int>, g: fn(List<Int>) -> Int) -> Int { g(xs) }
         fn f(xs: List<Int>) -> Int {
           match xs { [] => 0, [_, ..rest] => apply(xs, |rest| f(rest)) } //~ ERROR
         }",
    ),
    (
        "let_shadows_pattern_variable",
        "fn f(xs: List<Int>) -> Int {
           match xs { [] => 0, [_, ..rest] => { let rest = xs; f(rest) } } //~ ERROR
         }",
    ),
    (
        "function_value_in_cycle",
        "use std::list::{fold}
         pub struct Rose { label: Int, kids: List<Rose> }
         fn total(ts: List<Rose>) -> Int {
           fold(ts, 0, step) //~ ERROR
         }
         fn step(acc: Int, t: Rose) -> Int { acc + t.label + total(t.kids) }",
    ),
    (
        "function_value_passing_itself",
        "use std::list::{map}
         fn f(x: Int) -> Int {
           sum(map([x], f)) //~ ERROR
         }
         fn sum(xs: List<Int>) -> Int { match xs { [] => 0, [x, ..rest] => x + sum(rest) } }",
    ),
    (
        "mutual_without_descent",
        "fn ping(n: Int) -> Int {
           pong(n) //~ ERROR
         }
         fn pong(n: Int) -> Int { ping(n) }",
    ),
    (
        "mutual_growing",
        "fn even(xs: List<Int>) -> Bool {
           match xs { [] => true, [x, ..rest] => odd([x, x, ..rest]) } //~ ERROR
         }
         fn odd(xs: List<Int>) -> Bool { match xs { [] => false, [_, ..rest] => even(rest) } }",
    ),
    (
        "swap_without_descent",
        "fn f(a: List<Int>, b: List<Int>) -> Int {
           f(b, a) //~ ERROR
         }",
    ),
    (
        "two_identical_bad_calls",
        "fn forever(n: Int) -> Int {
           forever(n) //~ ERROR
             + forever(n) //~ ERROR
         }",
    ),
    (
        "good_and_bad_call",
        "fn f(xs: List<Int>) -> Int {
           match xs { [] => 0, [_, ..rest] => f(rest) +
             f(xs) } //~ ERROR
         }",
    ),
    ("no_parameters", "fn spin() -> Int { spin() } //~ ERROR"),
    (
        "piped_without_descent",
        "fn f(xs: List<Int>) -> Int {
           xs |> f //~ ERROR
         }",
    ),
    (
        "cycle_with_one_bad_edge",
        "fn a(xs: List<Int>) -> Int {
           match xs { [] => 0, [_, ..r] => b(r) }
         }
         fn b(xs: List<Int>) -> Int {
           c([1, ..xs]) //~ ERROR
         }
         fn c(xs: List<Int>) -> Int { a([2, ..xs]) }",
    ),
    (
        "two_separate_loops",
        "fn f(n: Int) -> Int {
           f(n) //~ ERROR
         }
         fn g(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..rest] => g(rest) } }
         fn h(b: Bool) -> Bool {
           !h(b) //~ ERROR
         }",
    ),
    // Terminates (every loop passes the guard in `even`), but an unguarded
    // `n - 1` is `?` (lang-spec/totality.md), so v1 rejects it.
    (
        "int_mutual_descent_guarded_once",
        "fn even(n: Int) -> Bool { if n <= 0 { true } else { odd(n - 1) } }
         fn odd(n: Int) -> Bool {
           even(n - 1) //~ ERROR
         }",
    ),
    (
        "int_ne_zero_guard",
        "fn f(n: Int) -> Int {
           if n != 0 { f(n - 1) } else { 0 } //~ ERROR
         }",
    ),
    (
        "int_eq_guard_mirrored_under_not",
        "fn f(n: Int) -> Int {
           if !(1 == n) { f(n - 2) } else { 0 } //~ ERROR
         }",
    ),
    (
        "int_mutual_unguarded",
        "fn even(n: Int) -> Bool {
           if n == 0 { true } else { odd(n - 1) } //~ ERROR
         }
         fn odd(n: Int) -> Bool { if n == 0 { false } else { even(n - 1) } }",
    ),
    (
        "function_parameter_left_out_of_tables",
        "fn f(g: fn(Int) -> Int, n: Int) -> Int {
           f(g, g(n)) //~ ERROR
         }",
    ),
    // Each call alone decreases one argument, but each undoes the other's progress.
    (
        "two_calls_that_undo_each_other",
        "fn f(xs: List<Int>, ys: List<Int>) -> Int {
           match xs {
             [] => 0,
             [x, ..xr] => match ys {
               [] => 0,
               [y, ..yr] => f(xr, [y, ..ys]) //~ ERROR
                 + f([x, ..xs], yr),
             },
           }
         }",
    ),
    // Three functions that all call each other unchanged: each call is blamed once at most.
    (
        "clique_without_descent",
        "fn a(n: Int) -> Int {
           b(n) //~ ERROR
             + c(n) //~ ERROR
         }
         fn b(n: Int) -> Int { a(n) + c(n) }
         fn c(n: Int) -> Int { a(n) + b(n) }",
    ),
    (
        "field_of_unknown",
        "pub struct Box { inner: List<Int> }
         fn wrap(xs: List<Int>) -> Box { Box { inner: xs } }
         fn f(xs: List<Int>) -> Int {
           f(wrap(xs).inner) //~ ERROR
         }",
    ),
];

#[test]
fn accepted_programs_have_no_termination_errors() {
    for (name, src) in ACCEPT.iter().chain(SHAPES) {
        let found = check(src);
        assert!(
            found.is_empty(),
            "{name} should be accepted, got:\n{}",
            render(src, &found)
        );
    }
}

#[test]
fn rejected_programs_fail_on_the_marked_lines() {
    for (name, src) in REJECT {
        let found = check(src);
        let mut lines: Vec<usize> = found
            .iter()
            .map(|d| line_col(src, d.primary.span.start).0)
            .collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            marked_lines(src),
            "{name}: primary labels on the wrong lines:\n{}",
            render(src, &found)
        );
        for d in &found {
            assert_eq!(d.code, Code::NonTerminating, "{name}");
            assert!(d.help.is_some(), "{name}: no help line");
            assert!(!d.notes.is_empty(), "{name}: no relation table");
        }
    }
}

#[test]
fn rejected_programs_render_as_snapshotted() {
    for (name, src) in REJECT {
        let found = check(src);
        insta::assert_snapshot!(*name, render(src, &found));
    }
}

#[test]
fn diagnostics_are_deterministic() {
    for (_, src) in REJECT {
        assert_eq!(check(src), check(src));
    }
}

#[test]
fn the_standard_library_terminates() {
    for (name, src) in crate::stdlib::MODULES {
        let parse = crate::syntax::parse(src);
        let found = check_module(&parse.module, src);
        assert!(
            found.is_empty(),
            "std::{name} should be accepted, got:\n{}",
            render(src, &found)
        );
    }
}

#[test]
fn too_many_graphs_give_up_with_a_diagnostic() {
    // Swapping and rotating eight parameters generates all 40,320 permutations;
    // the ninth parameter decreases on every call, so each graph is fine alone.
    let src = "fn f(a: Int, b: Int, c: Int, d: Int, e: Int, g: Int, h: Int, i: Int, xs: List<Int>) -> Int {
      match xs {
        [] => 0,
        [_, ..r] => f(b, a, c, d, e, g, h, i, r) + f(b, c, d, e, g, h, i, a, r),
      }
    }";
    let found = check(src);
    assert_eq!(found.len(), 1, "{}", render(src, &found));
    assert!(found.iter().all(|d| d.message.contains("too complex")));
    insta::assert_snapshot!("too_complex", render(src, &found));
}

#[test]
fn long_rings_and_long_chains_pass() {
    let n = 3_000;
    let mut src = String::new();
    for i in 0..n {
        let next = (i + 1) % n;
        src.push_str(&format!(
            "fn f{i}(xs: List<Int>) -> Int {{ match xs {{ [] => 0, [_, ..rest] => f{next}(rest) }} }}\n"
        ));
    }
    // A ring of 3,000 functions has 9,000,000 graphs in the full closure,
    // but one head-to-head segment: accepted, as the verifier accepts it.
    let ring = check(&src);
    assert!(ring.is_empty(), "{}", render(&src, &ring));
    // The same ring with no link that descends is reported.
    let stuck = src.replace("(rest) }", "(xs) }");
    let found = check(&stuck);
    assert_eq!(found.len(), 1, "{}", render(&stuck, &found));
    assert!(
        !found[0].message.contains("too complex"),
        "{}",
        found[0].message
    );
    // A chain without a cycle is no recursion at all.
    let chain = src.replace("f0(rest)", "0");
    assert!(check(&chain).is_empty());
}

#[test]
fn imported_and_qualified_calls_are_not_edges() {
    let src = "use std::list::{length}
      fn length2(xs: List<Int>) -> Int { std::list::length(xs) + length(xs) }";
    assert!(check(src).is_empty());
}

#[test]
fn the_database_runs_the_check() {
    let db = crate::db::Database::new();
    let src = include_str!("../../../examples/reject/no_descent.tly");
    let file = db.add_file("no_descent.tly", src);
    let found = crate::db::front_end(&db, file);
    let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0501"]);
    let clean = db.add_file("lists.tly", include_str!("../../../examples/lists.tly"));
    assert!(crate::db::front_end(&db, clean).is_empty());
}

#[test]
fn very_many_parameters_give_up_in_bounded_time() {
    let n = 60;
    let params: Vec<String> = (0..n).map(|i| format!("p{i}: Int")).collect();
    let names: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let mut rotated = names.clone();
    rotated.rotate_left(1);
    let mut swapped = names.clone();
    swapped.swap(0, 1);
    let src = format!(
        "fn f({}, xs: List<Int>) -> Int {{ match xs {{ [] => 0, [_, ..r] => f({}, r) + f({}, r) }} }}",
        params.join(", "),
        rotated.join(", "),
        swapped.join(", ")
    );
    let found = check(&src);
    assert_eq!(found.len(), 1);
    assert!(found.iter().all(|d| d.message.contains("too complex")));
}

/// Pieces of syntax the robustness test splices into programs.
const PIECES: &[&str] = &[
    "(", ")", "{", "}", "[", "]", ",", "..", "-", "1", "f(", "|x|", "match", "if", "let", "=>",
    "rest", "xs", "n - 1", "sum(", "<=", "&&", "!", "_", "\n",
];

/// `src` with each edit applied: (where, what) inserts a piece, or deletes
/// a few characters when `what` is past the pieces.
fn mutate(src: &str, edits: &[(usize, usize)]) -> String {
    let mut text: Vec<char> = src.chars().collect();
    for &(at, what) in edits {
        let at = at % (text.len() + 1);
        match PIECES.get(what) {
            Some(piece) => {
                let tail = text.split_off(at);
                text.extend(piece.chars());
                text.extend(tail);
            }
            None => {
                let end = (at + what % 7).min(text.len());
                text.drain(at..end);
            }
        }
    }
    text.into_iter().collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Broken and odd programs never make the checker panic or hang, and its
    /// answer does not depend on anything but the input.
    #[test]
    fn mutated_programs_never_panic(
        which in 0..ACCEPT.len() + SHAPES.len() + REJECT.len(),
        edits in proptest::collection::vec((0usize..10_000, 0usize..40), 0..6),
    ) {
        let src = ACCEPT
            .iter()
            .chain(SHAPES)
            .chain(REJECT)
            .nth(which)
            .map_or("", |(_, src)| src);
        let text = mutate(src, &edits);
        let parse = crate::syntax::parse(&text);
        let first = check_module(&parse.module, &text);
        let second = check_module(&parse.module, &text);
        proptest::prop_assert_eq!(first, second);
    }
}

/// Every call of `src` with its matrix, one row per caller parameter:
/// `caller→callee: row / row`.
fn matrices(src: &str) -> Vec<String> {
    let parse = crate::syntax::parse(src);
    let graph = super::extract::extract(&parse.module, src);
    graph
        .calls
        .iter()
        .map(|call| {
            let name = |f: usize| graph.fns.get(f).map_or("?", |f| f.name.as_str());
            let rows = graph.fns.get(call.caller).map_or(0, |f| f.params.len());
            let cols = graph.fns.get(call.callee).map_or(0, |f| f.params.len());
            let rows: Vec<String> = (0..rows)
                .map(|i| {
                    let cells: Vec<&str> =
                        (0..cols).map(|j| call.matrix.get(i, j).symbol()).collect();
                    cells.join(" ")
                })
                .collect();
            format!(
                "{}→{}: {}",
                name(call.caller),
                name(call.callee),
                rows.join(" / ")
            )
        })
        .collect()
}

#[test]
fn call_matrices_record_what_is_known() {
    let cases: &[(&str, &[&str])] = &[
        (
            // An `Int` inside a list says nothing about an `Int` parameter.
            "fn f(xs: List<Int>) -> Int { match xs { [n, ..rest] => g(n, rest), [] => 0 } }
             fn g(n: Int, ys: List<Int>) -> Int { 0 }",
            &["f→g: ? <"],
        ),
        (
            "pub struct Box { inner: List<Int> }
             fn f(b: Box) -> Int { g(b.inner) }
             fn g(xs: List<Int>) -> Int { 0 }",
            &["f→g: <"],
        ),
        (
            "fn f(xs: List<Int>, ys: List<Int>) -> Int {
               match (ys, xs) { ([_, ..a], b) => f(b, a), _ => 0 }
             }",
            &["f→f: ≤ ? / ? <"],
        ),
        (
            "fn f(n: Int, m: Int) -> Int { let k = n; if m > 0 { f(k, m - 1) } else { f(k - 1, m) } }",
            &["f→f: ≤ ? / ? <", "f→f: ? ? / ? ≤"],
        ),
        (
            "fn f(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..rest] => apply(|y| f(rest) + f(y)) } }
             fn apply(g: fn(List<Int>) -> Int) -> Int { 0 }",
            &["f→apply: ?", "f→f: <", "f→f: ?"],
        ),
        (
            "fn f(xs: List<Int>) -> Int { g(xs, f) }
             fn g(xs: List<Int>, h: fn(List<Int>) -> Int) -> Int { 0 }",
            &["f→g: ≤ ?", "f→f: ?"],
        ),
    ];
    for (src, expected) in cases {
        assert_eq!(matrices(src), *expected, "{src}");
    }
}
