//! The kernels in textual Untyped Plutus Core (version 1.1.0: sums of
//! products for lists and records), run on the `uplc` crate's CEK machine.
//! Recursion passes the function to itself (`[s s ..]`), as Aiken emits it.
//! Ints are unbounded integers.

use std::rc::Rc;

use uplc::ast::{DeBruijn, Name, NamedDeBruijn, Program, Term};
use uplc::machine::cost_model::ExBudget;

/// `if c then a else b`, both branches delayed.
fn ite(c: &str, a: &str, b: &str) -> String {
    format!("(force [(force (builtin ifThenElse)) {c} (delay {a}) (delay {b})])")
}

/// A: `sum(n, acc)` by Int descent.
pub fn sum_src(n: i64) -> String {
    let body = ite(
        "[(builtin lessThanEqualsInteger) n (con integer 0)]",
        "acc",
        "[s s [(builtin subtractInteger) n (con integer 1)] [(builtin addInteger) acc n]]",
    );
    format!(
        "(program 1.1.0 [(lam s [s s (con integer {n}) (con integer 0)]) (lam s (lam n (lam acc {body})))])"
    )
}

/// B: naive `fib(n)`.
pub fn fib_src(n: i64) -> String {
    let body = ite(
        "[(builtin lessThanEqualsInteger) n (con integer 1)]",
        "n",
        "[(builtin addInteger) [s s [(builtin subtractInteger) n (con integer 1)]] \
         [s s [(builtin subtractInteger) n (con integer 2)]]]",
    );
    format!("(program 1.1.0 [(lam s [s s (con integer {n})]) (lam s (lam n {body}))])")
}

/// `build(n, acc)`: prepends n, n-1, .., 1 (so `build(n, [])` = [1..n]).
fn build_def() -> String {
    let body = ite(
        "[(builtin lessThanEqualsInteger) n (con integer 0)]",
        "acc",
        "[s s [(builtin subtractInteger) n (con integer 1)] (constr 1 n acc)]",
    );
    format!("(lam s (lam n (lam acc {body})))")
}

/// C: `sum_acc(build(n, []), 0)`.
pub fn fold_src(n: i64) -> String {
    let fold = "(lam s (lam xs (lam acc (case xs acc (lam h (lam t [s s t [(builtin addInteger) acc h]]))))))";
    format!(
        "(program 1.1.0 [(lam build (lam fold [fold fold [build build (con integer {n}) (constr 0)] (con integer 0)])) {} {fold}])",
        build_def()
    )
}

/// D: `sort(reverse_range(n))`; the input is built by a tail-recursive loop
/// (linear, small next to the quadratic sort).
pub fn sort_src(n: i64) -> String {
    let up = ite(
        &format!("[(builtin lessThanInteger) (con integer {n}) i]"),
        "acc",
        "[s s [(builtin addInteger) i (con integer 1)] (constr 1 i acc)]",
    );
    let ins = ite(
        "[(builtin lessThanEqualsInteger) x h]",
        "(constr 1 x xs)",
        "(constr 1 h [s s x t])",
    );
    let insert =
        format!("(lam s (lam x (lam xs (case xs (constr 1 x (constr 0)) (lam h (lam t {ins}))))))");
    let sort = "(lam s (lam xs (case xs (constr 0) (lam h (lam t [insert insert h [s s t]])))))";
    format!(
        "(program 1.1.0 [(lam up (lam insert [(lam sort [sort sort [up up (con integer 1) (constr 0)]]) {sort}])) (lam s (lam i (lam acc {up}))) {insert}])"
    )
}

/// E: `transfer(ledger, from, to, amount)` of examples/assoc_token.tly, as a
/// function of the ledger (applied to an already-built ledger value).
/// Entry = `constr 0 owner amount`; list = `constr 0` / `constr 1 h t`;
/// Result: Ok = tag 0, Err = tag 1; Error: InsufficientFunds 0,
/// InvalidAmount 1, SameAccount 2.
pub fn transfer_src(from: &[u8], to: &[u8], amount: i64) -> String {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let bal = ite(
        "[(builtin equalsByteString) owner o]",
        "amt",
        "[s s rest o]",
    );
    let balance_of = format!(
        "(lam s (lam l (lam o (case l (con integer 0) (lam e (lam rest (case e (lam owner (lam amt {bal})))))))))"
    );
    let cr = ite(
        "[(builtin equalsByteString) owner o]",
        "(constr 1 (constr 0 owner [(builtin addInteger) amt a]) rest)",
        "(constr 1 e [s s rest o a])",
    );
    let credit = format!(
        "(lam s (lam l (lam o (lam a (case l (constr 1 (constr 0 o a) (constr 0)) (lam e (lam rest (case e (lam owner (lam amt {cr}))))))))))"
    );
    let funded = ite(
        "[(builtin lessThanInteger) [balance_of balance_of l f] a]",
        "(constr 1 (constr 0))",
        "(constr 0 [credit credit [credit credit l f [(builtin subtractInteger) (con integer 0) a]] t a])",
    );
    let distinct = ite(
        "[(builtin equalsByteString) f t]",
        "(constr 1 (constr 2))",
        &funded,
    );
    let body = ite(
        "[(builtin lessThanEqualsInteger) a (con integer 0)]",
        "(constr 1 (constr 1))",
        &distinct,
    );
    format!(
        "(program 1.1.0 (lam l [(lam balance_of (lam credit [(lam f (lam t (lam a {body}))) \
         (con bytestring #{}) (con bytestring #{}) (con integer {amount})])) {balance_of} {credit}]))",
        hex(from),
        hex(to)
    )
}

/// A parsed program, ready to evaluate (evaluation consumes a clone).
#[derive(Clone)]
pub struct Compiled(Program<NamedDeBruijn>);

/// Parses a textual program. Panics on a syntax error (benchmark set-up).
pub fn compile(src: &str) -> Compiled {
    let p: Program<Name> = uplc::parser::program(src).expect("UPLC parses");
    let p: Program<DeBruijn> = p.try_into().expect("closed UPLC program");
    Compiled(p.into())
}

impl Compiled {
    /// Applies this program (a function) to an argument term.
    pub fn apply(&self, arg: &Term<NamedDeBruijn>) -> Compiled {
        Compiled(Program {
            version: self.0.version,
            term: Term::Apply {
                function: Rc::new(self.0.term.clone()),
                argument: Rc::new(arg.clone()),
            },
        })
    }

    /// Runs on the CEK machine with an unlimited budget; the result term.
    pub fn run(&self) -> Term<NamedDeBruijn> {
        let r = self.0.clone().eval(ExBudget::max());
        match r.result() {
            Ok(t) => t,
            Err(e) => {
                let msg = format!("{e:?}");
                panic!("UPLC evaluation fails: {}", &msg[..msg.len().min(300)])
            }
        }
    }
}

/// The ledger of `n` entries (owner = `i` as 4 big-endian bytes, amount
/// 1000) as an SOP value term.
pub fn ledger(n: u32) -> Term<NamedDeBruijn> {
    use uplc::ast::Constant;
    let mut l = Term::Constr {
        tag: 0,
        fields: vec![],
    };
    for i in (0..n).rev() {
        let e = Term::Constr {
            tag: 0,
            fields: vec![
                Term::Constant(Rc::new(Constant::ByteString(i.to_be_bytes().to_vec()))),
                Term::Constant(Rc::new(Constant::Integer(1000.into()))),
            ],
        };
        l = Term::Constr {
            tag: 1,
            fields: vec![e, l],
        };
    }
    l
}

/// The integer of a result term, if it is one.
pub fn as_int(t: &Term<NamedDeBruijn>) -> Option<i128> {
    match t {
        Term::Constant(c) => match c.as_ref() {
            uplc::ast::Constant::Integer(i) => i128::try_from(i).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The Ints of an SOP list term (iteratively).
pub fn as_ints(t: &Term<NamedDeBruijn>) -> Option<Vec<i128>> {
    let mut out = Vec::new();
    let mut t = t;
    loop {
        match t {
            Term::Constr { tag: 0, fields } if fields.is_empty() => return Some(out),
            Term::Constr { tag: 1, fields } if fields.len() == 2 => {
                out.push(as_int(&fields[0])?);
                t = &fields[1];
            }
            _ => return None,
        }
    }
}
