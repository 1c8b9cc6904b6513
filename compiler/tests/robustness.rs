//! The checker never panics and never overflows the stack, whatever the text:
//! random text, random token soup, mutated examples, and pathological nesting
//! all give diagnostics, not crashes.

use proptest::prelude::*;
use tally::db::check_text;
use tally::diagnostic::Code;

fn codes(text: &str) -> Vec<&'static str> {
    check_text("input.tly", text)
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

/// Runs `f` on a thread with a small stack (512 KiB), as a node or an
/// editor's worker thread might have, to catch deep recursion.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic, no stack overflow")
}

#[test]
fn hundred_thousand_nested_parentheses() {
    let text = format!(
        "fn f() -> Int {{ {}1{} }}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert_eq!(on_small_stack(move || codes(&text)), Vec::<&str>::new());
}

#[test]
fn hundred_thousand_nested_lists_are_cut_off() {
    let text = format!(
        "fn f() -> Int {{ {}{} }}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        on_small_stack(move || codes(&text)),
        vec![Code::NestingTooDeep.as_str()]
    );
}

#[test]
fn hundred_thousand_unclosed_parentheses() {
    let text = format!("fn f() -> Int {{ {}", "(".repeat(100_000));
    let found = on_small_stack(move || codes(&text));
    assert_eq!(found, vec![Code::UnexpectedEof.as_str()]);
}

#[test]
fn long_operator_chain_is_cut_off() {
    let text = format!("fn f() -> Int {{ 1{} }}", " + 1".repeat(100_000));
    assert_eq!(
        on_small_stack(move || codes(&text)),
        vec![Code::NestingTooDeep.as_str()]
    );
}

#[test]
fn two_to_the_127_is_a_clean_error() {
    let text = "fn f() -> Int { 170141183460469231731687303715884105728 }";
    assert_eq!(codes(text), vec![Code::MalformedLiteral.as_str()]);
    let max = "fn f() -> Int { 170141183460469231731687303715884105727 }";
    assert_eq!(codes(max), Vec::<&str>::new());
}

const TOKENS: &[&str] = &[
    "fn", "pub", "struct", "enum", "use", "test", "let", "if", "else", "match", "true", "false",
    "_", "x", "xs", "rest", "Some", "None", "List", "Int", "0", "1", "#\"00\"", "(", ")", "{", "}",
    "[", "]", "<", ">", "<=", "==", "=", ",", ";", ":", "::", ".", "..", "->", "=>", "|>", "|",
    "||", "&&", "!", "+", "-", "*", "/", "%", "\n", "std", "\u{e9}", "@",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..200).prop_map(|t| t.join(" "))
}

fn mutated_example() -> impl Strategy<Value = String> {
    let examples: Vec<String> = ["lists", "token", "recursion", "higher_order"]
        .iter()
        .map(|name| {
            let path = format!("{}/../examples/{name}.tly", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(path).expect("example")
        })
        .collect();
    (
        prop::sample::select(examples),
        prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(TOKENS)),
            1..8,
        ),
    )
        .prop_map(|(text, edits)| {
            let mut text = text;
            for (at, token) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, token);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        let _ = check_text("input.tly", &text);
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        let _ = check_text("input.tly", &text);
    }

    #[test]
    fn mutated_examples_never_panic(text in mutated_example()) {
        let _ = check_text("input.tly", &text);
    }

    #[test]
    fn truncated_examples_never_panic(cut in any::<prop::sample::Index>(), name in prop::sample::select(vec!["lists", "token", "recursion", "higher_order"])) {
        let path = format!("{}/../examples/{name}.tly", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("example");
        let mut end = cut.index(text.len() + 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let _ = check_text("input.tly", &text[..end]);
    }
}
