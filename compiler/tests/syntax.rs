//! Syntax the lexer alone cannot read: `>=` right after a list of type
//! arguments is `>` then `=`, wherever the parser wants a `>` there.

use tally::db::check_text;

fn codes(text: &str) -> Vec<&'static str> {
    check_text("input.tly", text)
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn ge_after_type_arguments_is_a_close_and_an_equals() {
    let text = "type Pair<V>= (V, V);\n\
                pub fn first(p: Pair<Int>) -> Int { match p { (a, _) => a } }\n\
                pub fn f(x: Option<List<Int>>) -> Bool {\n  \
                let y: Option<List<Int>>= x;\n  \
                let n: Int= 3;\n  \
                match y { Some(_) => n >= 2, None => false }\n}\n";
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn ge_as_a_comparison_is_unchanged() {
    assert_eq!(
        codes("pub fn f(a: Int, b: Int) -> Bool { a >= b }\n"),
        Vec::<&str>::new()
    );
    // Where neither `>` nor `>=` can stand, it stays an error.
    assert!(codes("pub fn f(a: Int) -> Int { >= a }\n").contains(&"E0103"));
}
