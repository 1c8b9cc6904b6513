//! Every peer computes the same results as the compiled Tally kernels on
//! small sizes (and so does the hand-assembled kernel of vm-core's tests).

use crate::compiled::{self, module};
use crate::sizes::{AMOUNT, FROM, TO};
use crate::{native, plutus, tally, wasm::Wasm};
use vm_core::{
    Value,
    internals::{evaluate, verify},
};

/// Runs the compiled kernel `bytes` and checks that the hand-assembled
/// module `hand` agrees with it.
fn vm(bytes: &[u8], hand: vm_core::format::Module, entry: &str, args: &[Value]) -> Value {
    let got = evaluate(&module(bytes), entry, args, u64::MAX)
        .0
        .expect("kernel runs");
    let hand = verify(hand).expect("kernel verifies");
    let want = evaluate(&hand, entry, args, u64::MAX).0;
    assert_eq!(want.as_ref(), Ok(&got), "hand-assembled `{entry}` agrees");
    got
}

#[test]
fn sum_agrees() {
    let n = 1000;
    let want = vm(
        compiled::SUM,
        tally::sum_module(),
        "sum",
        &[Value::int(n), Value::int(0)],
    );
    assert_eq!(want.as_int(), Some(500_500));
    for fuel in [true, false] {
        assert_eq!(
            Wasm::new(fuel).call::<(i64, i64), i64>("sum", (n as i64, 0)),
            500_500
        );
    }
    assert_eq!(
        plutus::as_int(&plutus::compile(&plutus::sum_src(n as i64)).run()),
        Some(500_500)
    );
    assert_eq!(native::sum(n, 0), 500_500);
}

#[test]
fn fib_agrees() {
    let want = vm(compiled::FIB, tally::fib_module(), "fib", &[Value::int(15)]).as_int();
    assert_eq!(want, Some(610));
    assert_eq!(Wasm::new(true).call::<i64, i64>("fib", 15), 610);
    assert_eq!(
        plutus::as_int(&plutus::compile(&plutus::fib_src(15)).run()),
        Some(610)
    );
    assert_eq!(native::fib(15), 610);
}

#[test]
fn fold_agrees() {
    let want = vm(
        compiled::FOLD,
        tally::list_module(),
        "range_sum",
        &[Value::int(300)],
    )
    .as_int();
    assert_eq!(want, Some(45_150));
    let mut w = Wasm::new(false);
    let hp = w.hp();
    assert_eq!(w.call::<i64, i64>("range_sum", 300), 45_150);
    w.reset(hp);
    assert_eq!(
        plutus::as_int(&plutus::compile(&plutus::fold_src(300)).run()),
        Some(45_150)
    );
    assert_eq!(native::range_sum(300), 45_150);
}

#[test]
fn sort_agrees() {
    let n = 40;
    let want = vm(
        compiled::SORT,
        tally::list_module(),
        "sort",
        &[tally::ints((1..=n).rev())],
    );
    assert_eq!(want, tally::ints(1..=n));
    let mut w = Wasm::new(true);
    let l = w.call::<i64, i32>("reverse_range", n as i64);
    let s = w.call::<i32, i32>("sort", l);
    assert_eq!(w.call::<i32, i64>("fold", s), (n * (n + 1) / 2) as i64);
    let sorted = plutus::as_ints(&plutus::compile(&plutus::sort_src(n as i64)).run());
    assert_eq!(sorted, Some((1..=n).collect()));
    assert_eq!(
        native::to_vec(&native::sort(&native::reverse_range(n))),
        (1..=n).collect::<Vec<_>>()
    );
}

fn key(i: u32) -> Vec<u8> {
    i.to_be_bytes().to_vec()
}

#[test]
fn transfer_agrees() {
    let n = 1000;
    let token = module(compiled::TOKEN);
    let args = [
        tally::ledger(n),
        Value::bytes(key(FROM)),
        Value::bytes(key(TO)),
        Value::int(AMOUNT.into()),
    ];
    let (r, _) = evaluate(&token, "transfer", &args, u64::MAX);
    let hand = verify(tally::token_module()).expect("token verifies");
    assert_eq!(evaluate(&hand, "transfer", &args, u64::MAX).0, r);
    let (tag, fields) = r.expect("transfer runs").as_cell().expect("a Result");
    assert_eq!(tag, 0, "Ok");
    let after = &fields[0];
    let bal = |who: u32| {
        let a = [after.clone(), Value::bytes(key(who))];
        evaluate(&token, "balance_of", &a, u64::MAX)
            .0
            .unwrap()
            .as_int()
    };
    assert_eq!((bal(FROM), bal(TO)), (Some(750), Some(1250)));

    let mut w = Wasm::new(true);
    let l = w.call::<i32, i32>("make_ledger", n as i32);
    let (f, t) = (
        w.call::<i32, i32>("key", FROM as i32),
        w.call::<i32, i32>("key", TO as i32),
    );
    let after = w.call::<(i32, i32, i32, i32, i32, i64), i32>("transfer", (l, f, 4, t, 4, AMOUNT));
    assert!(after > 0);
    assert_eq!(
        w.call::<(i32, i32, i32), i64>("balance_of", (after, f, 4)),
        750
    );
    assert_eq!(
        w.call::<(i32, i32, i32), i64>("balance_of", (after, t, 4)),
        1250
    );

    let p = plutus::compile(&plutus::transfer_src(&key(FROM), &key(TO), AMOUNT));
    let out = p.apply(&plutus::ledger(n)).run();
    assert!(matches!(out, uplc::ast::Term::Constr { tag: 0, .. }), "Ok");

    let l = native::ledger(n);
    let (f, t): (std::rc::Rc<[u8]>, std::rc::Rc<[u8]>) = (key(FROM).into(), key(TO).into());
    let after = match native::transfer(&l, &f, &t, AMOUNT.into()) {
        Ok(after) => after,
        Err(e) => panic!("transfer fails with error {e}"),
    };
    assert_eq!(
        (
            native::balance_of(&after, &f),
            native::balance_of(&after, &t)
        ),
        (750, 1250)
    );
}
