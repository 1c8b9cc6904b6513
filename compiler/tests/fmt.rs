//! `tally fmt`: idempotent, keeps every comment and every token (but commas
//! and parentheses, which it normalises), and refuses files with syntax errors.

use std::path::{Path, PathBuf};

use tally::format::format;
use tally::syntax::lex_spans;
use tally::syntax::token::Token;

#[path = "support/examples.rs"]
mod examples;

fn sources() -> Vec<(PathBuf, String)> {
    examples::sources_in(&["examples", "examples/reject", "stdlib"])
}

/// The tokens that carry meaning: everything but commas and parentheses.
fn meaningful_tokens(text: &str) -> Vec<Token> {
    lex_spans(text)
        .into_iter()
        .map(|(token, _)| token)
        .filter(|t| {
            !matches!(
                t,
                Token::Comma | Token::LParen | Token::RParen | Token::DocComment(_)
            )
        })
        .collect()
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.find("//").map(|at| line[at..].trim_end().to_string()))
        .collect()
}

#[test]
fn formatting_is_idempotent_and_keeps_tokens_and_comments() {
    for (path, text) in sources() {
        let name = path.display();
        let once = format(&text).unwrap_or_else(|_| panic!("{name} parses"));
        let twice = format(&once).unwrap_or_else(|_| panic!("formatted {name} parses"));
        assert_eq!(once, twice, "{name}: formatting twice changes the text");
        assert_eq!(
            meaningful_tokens(&text),
            meaningful_tokens(&once),
            "{name}: tokens changed"
        );
        assert_eq!(comments(&text), comments(&once), "{name}: comments changed");
    }
}

#[test]
fn formatted_examples() {
    for name in [
        "lists",
        "token",
        "assoc_token",
        "recursion",
        "higher_order",
        "htlc",
        "multisig",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.tly"));
        let text = std::fs::read_to_string(path).expect("readable");
        insta::assert_snapshot!(name, format(&text).expect("formats"));
    }
}

#[test]
fn comments_stay_where_they_were() {
    let text = "// header\n\nfn f(x: Int) -> Int { // after the brace\n  // before the let\n  let y = x + 1; // after the let\n\n  // before the tail\n  y * 2 // after the tail\n  // before the brace\n}\n// at the end\n";
    insta::assert_snapshot!(format(text).expect("formats"));
}

#[test]
fn long_lines_break() {
    let text = "fn f(xs: List<Int>) -> Int { xs |> filter(|x| x > 100000000000) |> map(|x| x * 20000000000000) |> fold(0, |acc, x| acc + x) }\nfn g() -> List<Int> { [100000000000000, 200000000000000, 300000000000000, 400000000000000, 500000000000000] }\n";
    let once = format(text).expect("formats");
    assert!(once.lines().all(|l| l.len() <= 100), "{once}");
    insta::assert_snapshot!(once);
}

#[test]
fn precedence_is_kept_with_parentheses() {
    let text = "fn f(a: Int, b: Int) -> Bool { (a + b) * 2 == a - (b - 1) && !(a < b) }\n";
    assert_eq!(
        format(text).expect("formats"),
        "fn f(a: Int, b: Int) -> Bool {\n  (a + b) * 2 == a - (b - 1) && !(a < b)\n}\n"
    );
}

#[test]
fn syntax_errors_are_not_formatted() {
    let errors = format("fn f( -> Int { 1 }").expect_err("refused");
    assert_eq!(errors[0].code.as_str(), "E0103");
}

#[test]
fn errors_and_strings_are_formatted() {
    let text = "fn f(a: Option<Int>, xs: List<Int>) -> Option<Int> {\n  let [x, ..]   =   xs else   { fail( \"empty\\n\" ) } ;\n  Some(x + (a |> std::option::or(None))? + -a?)\n}\ntest   t()   fails   \"empty\\n\"   { f(None, []) }\n";
    let once = format(text).expect("formats");
    assert_eq!(
        once,
        "fn f(a: Option<Int>, xs: List<Int>) -> Option<Int> {\n  let [x, ..] = xs else { fail(\"empty\\n\") };\n  Some(x + (a |> std::option::or(None))? + -a?)\n}\n\ntest t() fails \"empty\\n\" { f(None, []) }\n"
    );
    assert_eq!(format(&once).expect("formats"), once);
}

#[test]
fn aliases_and_constants_are_formatted() {
    let text = "pub   type Ledger< V > =List<(Bytes,V)>;\ntype Address = Bytes;\n\n\npub const  MAX :Int= 10*  1_000 ;\nconst TAG: Bytes = \"mint\";\n";
    let once = format(text).expect("formats");
    assert_eq!(
        once,
        "pub type Ledger<V> = List<(Bytes, V)>;\ntype Address = Bytes;\n\npub const MAX: Int = 10 * 1_000;\nconst TAG: Bytes = \"mint\";\n"
    );
    assert_eq!(format(&once).expect("formats"), once);
}

#[test]
fn comments_inside_an_element_then_blank_lines_are_stable() {
    // Found by mutating layouts (issue 11): a comment between a field's name
    // and its type, then a blank line before `}`; a comment inside a unit
    // value, a lambda's bars, a pattern and before an operator.
    for text in [
        "pub struct Handler {\n  run: // why\n\n  Int,\n\n}\n",
        "pub enum R<E> {\n  Err( // c0\n\nE),\n}\n",
        "fn f() -> Option<()> { Some(( // inside\n)) }\n",
        "fn f(xs: List<Int>, k: Int) -> List<Int> { xs |> std::list::filter(| // c\nx| x > k) }\n",
        "fn f(b: Bool) -> Int {\n  match b {\n    _\n// c0\n\n// c1\n => 0,\n    true => 1,\n  }\n}\n",
        "fn f(n: Int) -> Int { n\n// c1\n -\n\n 1 }\n",
        "pub struct S {\n  a: Int, // c0\n\n// c1\n}\n",
        "test signs() { 1 == - // c0\n1 && true }\n",
    ] {
        let once = format(text).expect("formats");
        let twice = format(&once).expect("formatted text parses");
        assert_eq!(once, twice, "not idempotent on {text:?}");
        assert_eq!(comments(text), comments(&once), "comments of {text:?}");
    }
}

#[test]
fn fail_without_parentheses_is_written_with_them() {
    let once = format("fn f() -> Int { fail \"x\" }\n").expect("formats");
    assert_eq!(once, "fn f() -> Int {\n  fail(\"x\")\n}\n");
}

#[test]
fn expect_keeps_its_spelling() {
    let text =
        "fn f(xs: List<Int>) -> Int {\n  expect  [x, ..] = xs  else  fail( \"empty\" ) ;\n  x\n}\n";
    let once = format(text).expect("formats");
    assert_eq!(
        once,
        "fn f(xs: List<Int>) -> Int {\n  expect [x, ..] = xs else fail(\"empty\");\n  x\n}\n"
    );
    assert_eq!(format(&once).expect("formats"), once);
}

#[test]
fn a_use_of_one_segment_stays_one_segment() {
    // Found by the `format` fuzz target: `use s` came out as `use ::s`,
    // which does not parse.
    for (text, want) in [
        ("use s// c\n", "use s // c\n"),
        ("use std::list::map\n", "use std::list::map\n"),
    ] {
        let once = format(text).expect("formats");
        assert_eq!(once, want);
        assert_eq!(format(&once).expect("still parses"), once);
    }
}
