//! Differential property test of expression code generation: random `Int`
//! and `Bool` expressions (arithmetic that may overflow or divide by zero,
//! comparisons, short-circuit operators, `if`, `let`, a helper function with
//! guarded descent) are rendered as Tally, compiled, verified and run in the
//! VM, and compared with a direct evaluation in Rust with the language's
//! semantics (checked `i128`, truncating division, left-to-right evaluation).

use proptest::prelude::*;
use tally::codegen::{self, Options};
use tally::db::Database;
use vm_core::{Trap, Value};

/// An `Int` expression over the parameters `a` and `b`.
#[derive(Debug, Clone)]
enum I {
    Lit(i128),
    A,
    B,
    Bin(&'static str, Box<I>, Box<I>),
    Neg(Box<I>),
    If(Box<C>, Box<I>, Box<I>),
    /// `{ let v = e; body }` where `body` may use `v` as `A` (shadowing `a`).
    Let(Box<I>, Box<I>),
    /// `down(e, acc)`: `if n <= 0 { acc } else { down(n - 1, acc + 1) }`, on a small `e`.
    Down(Box<I>),
}

/// A `Bool` expression.
#[derive(Debug, Clone)]
enum C {
    Lit(bool),
    Cmp(&'static str, Box<I>, Box<I>),
    And(Box<C>, Box<C>),
    Or(Box<C>, Box<C>),
    Not(Box<C>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Out {
    Int(i128),
    Trap(&'static str),
}

fn lit() -> impl Strategy<Value = i128> {
    prop_oneof![
        -5i128..6,
        Just(i128::MAX),
        Just(i128::MIN + 1),
        Just(1i128 << 64),
        any::<i64>().prop_map(i128::from),
    ]
}

fn int_expr() -> impl Strategy<Value = I> {
    let leaf = prop_oneof![lit().prop_map(I::Lit), Just(I::A), Just(I::B)];
    leaf.prop_recursive(5, 40, 3, |inner| {
        let cond = cond_expr(inner.clone());
        prop_oneof![
            (
                prop::sample::select(vec!["+", "-", "*", "/", "%"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, l, r)| I::Bin(op, Box::new(l), Box::new(r))),
            inner.clone().prop_map(|e| I::Neg(Box::new(e))),
            (cond, inner.clone(), inner.clone()).prop_map(|(c, t, e)| I::If(
                Box::new(c),
                Box::new(t),
                Box::new(e)
            )),
            (inner.clone(), inner.clone()).prop_map(|(v, b)| I::Let(Box::new(v), Box::new(b))),
            inner.prop_map(|e| I::Down(Box::new(e))),
        ]
    })
}

fn cond_expr(int: impl Strategy<Value = I> + Clone + 'static) -> impl Strategy<Value = C> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(C::Lit),
        (
            prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]),
            int.clone(),
            int
        )
            .prop_map(|(op, l, r)| C::Cmp(op, Box::new(l), Box::new(r))),
    ];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| C::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| C::Or(Box::new(l), Box::new(r))),
            inner.prop_map(|c| C::Not(Box::new(c))),
        ]
    })
}

fn show(e: &I) -> String {
    match e {
        I::Lit(v) if *v < 0 => format!("(-{})", v.unsigned_abs()),
        I::Lit(v) => v.to_string(),
        I::A => "a".into(),
        I::B => "b".into(),
        I::Bin(op, l, r) => format!("({} {op} {})", show(l), show(r)),
        I::Neg(e) => format!("(-{})", show(e)),
        I::If(c, t, e) => format!(
            "(if {} {{ {} }} else {{ {} }})",
            show_c(c),
            show(t),
            show(e)
        ),
        I::Let(v, b) => format!("{{ let a = {}; {} }}", show(v), show(b)),
        I::Down(e) => format!("down({} % 50, 0)", show(e)),
    }
}

fn show_c(c: &C) -> String {
    match c {
        C::Lit(b) => b.to_string(),
        C::Cmp(op, l, r) => format!("({} {op} {})", show(l), show(r)),
        C::And(l, r) => format!("({} && {})", show_c(l), show_c(r)),
        C::Or(l, r) => format!("({} || {})", show_c(l), show_c(r)),
        C::Not(c) => format!("!{}", show_c(c)),
    }
}

type R<T> = Result<T, &'static str>;

fn eval(e: &I, a: i128, b: i128) -> R<i128> {
    let over = "Overflow";
    Ok(match e {
        I::Lit(v) => *v,
        I::A => a,
        I::B => b,
        I::Bin(op, l, r) => {
            let (x, y) = (eval(l, a, b)?, eval(r, a, b)?);
            match *op {
                "+" => x.checked_add(y).ok_or(over)?,
                "-" => x.checked_sub(y).ok_or(over)?,
                "*" => x.checked_mul(y).ok_or(over)?,
                "/" if y == 0 => return Err("DivisionByZero"),
                "/" => x.checked_div(y).ok_or(over)?,
                _ if y == 0 => return Err("DivisionByZero"),
                _ => x.checked_rem(y).ok_or(over)?,
            }
        }
        I::Neg(e) => eval(e, a, b)?.checked_neg().ok_or(over)?,
        I::If(c, t, f) => {
            if eval_c(c, a, b)? {
                eval(t, a, b)?
            } else {
                eval(f, a, b)?
            }
        }
        I::Let(v, body) => eval(body, eval(v, a, b)?, b)?,
        I::Down(e) => {
            let n = eval(e, a, b)? % 50;
            n.max(0)
        }
    })
}

fn eval_c(c: &C, a: i128, b: i128) -> R<bool> {
    Ok(match c {
        C::Lit(v) => *v,
        C::Cmp(op, l, r) => {
            let (x, y) = (eval(l, a, b)?, eval(r, a, b)?);
            match *op {
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                ">=" => x >= y,
                "==" => x == y,
                _ => x != y,
            }
        }
        C::And(l, r) => eval_c(l, a, b)? && eval_c(r, a, b)?,
        C::Or(l, r) => eval_c(l, a, b)? || eval_c(r, a, b)?,
        C::Not(c) => !eval_c(c, a, b)?,
    })
}

fn trap_name(t: &Trap) -> &'static str {
    match t {
        Trap::Overflow => "Overflow",
        Trap::DivisionByZero => "DivisionByZero",
        _ => "Other",
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn vm_agrees_with_direct_evaluation(e in int_expr(), a in lit(), b in lit()) {
        let src = format!(
            "fn down(n: Int, acc: Int) -> Int {{ if n <= 0 {{ acc }} else {{ down(n - 1, acc + 1) }} }}\n\
             pub fn main(a: Int, b: Int) -> Int {{ {} }}\n",
            show(&e)
        );
        let db = Database::new();
        let file = db.add_file("prop.tly", src.clone());
        let program = codegen::compile(&db, file, &Options::default())
            .unwrap_or_else(|ds| panic!("{src}\n{ds:?}"));
        let vm = vm_core::internals::verify(program.module.clone()).unwrap_or_else(|err| panic!("{src}\n{err}"));
        let (result, _) = vm_core::internals::evaluate(&vm, "main", &[Value::int(a), Value::int(b)], 1 << 40);
        let got = match result {
            Ok(v) => Out::Int(v.as_int().expect("an Int")),
            Err(t) => Out::Trap(trap_name(&t)),
        };
        let expected = match eval(&e, a, b) {
            Ok(v) => Out::Int(v),
            Err(t) => Out::Trap(t),
        };
        prop_assert_eq!(got, expected, "{}", src);
    }
}
