//! List patterns, encoded as the prelude enum `List<T> { Nil, Cons(T, List<T>) }`.
//!
//! Helpers so that every caller lowers `[p, q, ..rest]` and prints list
//! witnesses the same way.

use super::{Constructor, Pattern};

/// The constructor of `[]`: `Nil`, variant 0 of the prelude `List`.
pub const NIL: Constructor = Constructor::Variant(0);

/// The constructor of `[head, ..tail]`: `Cons`, variant 1 of the prelude `List`.
pub const CONS: Constructor = Constructor::Variant(1);

impl Pattern {
    /// Lowers a list pattern: `[p1, .., pn]` when `rest` is `None`, and
    /// `[p1, .., pn, ..rest]` otherwise (`[p, ..]` has a `Wild` rest). Builds
    /// the `Cons` chain without recursion.
    pub fn list(items: Vec<Pattern>, rest: Option<Pattern>) -> Pattern {
        let mut out = rest.unwrap_or(Pattern::leaf(NIL));
        for item in items.into_iter().rev() {
            out = Pattern::Ctor {
                ctor: CONS,
                fields: vec![item, out],
            };
        }
        out
    }
}

/// Prints the witness `Cons(head, tail)` in list syntax, given its printed
/// fields, for [`Cx::print_ctor`](super::Cx::print_ctor): `[h, ..]` for a
/// wildcard tail, `[h]` for `[]`, `[h, t1, ..]` or `[h, t1]` when the tail is
/// itself printed as a list, `[h, ..t]` otherwise. (`Nil` prints as `[]`.)
pub fn print_cons(head: &str, tail: &str) -> String {
    if tail == "_" {
        format!("[{head}, ..]")
    } else if tail == "[]" {
        format!("[{head}]")
    } else if let Some(rest) = tail.strip_prefix('[') {
        format!("[{head}, {rest}")
    } else {
        format!("[{head}, ..{tail}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_patterns_lower_to_cons_chains() {
        let cons = |h, t| Pattern::Ctor {
            ctor: CONS,
            fields: vec![h, t],
        };
        let t = || Pattern::leaf(Constructor::Bool(true));
        assert_eq!(Pattern::list(vec![], None), Pattern::leaf(NIL));
        assert_eq!(
            Pattern::list(vec![t()], Some(Pattern::Wild)),
            cons(t(), Pattern::Wild)
        );
        assert_eq!(
            Pattern::list(vec![t(), Pattern::Wild], None),
            cons(t(), cons(Pattern::Wild, Pattern::leaf(NIL)))
        );
    }

    #[test]
    fn cons_prints_in_list_syntax() {
        let cases = [
            ("_", "_", "[_, ..]"),
            ("true", "[]", "[true]"),
            ("_", "[_, ..]", "[_, _, ..]"),
            ("1", "[2]", "[1, 2]"),
            ("x", "xs", "[x, ..xs]"),
        ];
        for (head, tail, expected) in cases {
            assert_eq!(print_cons(head, tail), expected, "{head} :: {tail}");
        }
    }
}
