//! Every peer computes the same results as the compiled Tally kernels on
//! small sizes (and so does the hand-assembled kernel of vm-core's tests,
//! for A–E).

use crate::compiled::{self, module};
use crate::sizes::{AMOUNT, FROM, MAP_LEDGER, MIN_PRICE, TO, WIDTH};
use crate::{inputs, native, plutus, tally, wasm::Wasm};
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

// ---- The contract-shaped kernels F–N: Tally (every metering mode), wasmi
// with and without fuel, and native agree on a small size.

/// Runs a compiled kernel in every metering mode (they must agree).
fn tally_run(bytes: &[u8], entry: &str, args: &[Value]) -> Value {
    tally::eval_all_modes(&module(bytes), entry, args, u64::MAX)
        .0
        .unwrap_or_else(|t| panic!("`{entry}` traps: {t:?}"))
}

use inputs::int_values as int_list;

fn wide(xs: &[i64]) -> Vec<i128> {
    xs.iter().map(|&x| x.into()).collect()
}

#[test]
fn orders_agree() {
    let os = inputs::orders(200);
    let want: i64 = os
        .iter()
        .filter(|o| o.2 > 0 && o.1 >= MIN_PRICE)
        .map(|o| o.1 * o.2)
        .sum();
    assert!(want > 0);
    let args = [inputs::order_values(&os), Value::int(MIN_PRICE.into())];
    assert_eq!(
        tally_run(compiled::ORDERS, "filled_value", &args).as_int(),
        Some(want.into())
    );
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let l = w.orders(&os);
        assert_eq!(
            w.call::<(i32, i64), i64>("filled_value", (l, MIN_PRICE)),
            want
        );
    }
    assert_eq!(
        native::filled_value(&native::orders(&os), MIN_PRICE.into()),
        want.into()
    );
}

#[test]
fn bst_agrees() {
    let (keys, ops) = (inputs::bst_keys(300), inputs::bst_ops(400));
    // The reference: sets.
    let set: std::collections::BTreeSet<i64> = keys.iter().copied().collect();
    let want = ops.iter().filter(|&&k| set.contains(&(k + 1))).count() as i64;
    assert!(want > 0 && want < 400, "hits and misses: {want}");
    let tree = native::bst_build(&keys);
    let args = [inputs::tree_value(&tree), int_list(&ops)];
    assert_eq!(
        tally_run(compiled::BST, "successors", &args).as_int(),
        Some(want.into())
    );
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let k = w.ints(&keys);
        let t = w.call::<i32, i32>("bst_build", k);
        let o = w.ints(&ops);
        assert_eq!(w.call::<(i32, i32), i64>("successors", (t, o)), want);
    }
    assert_eq!(native::successors(&tree, &ops), want.into());
    // An insert keeps the old tree and adds the key to the new one.
    let grown = native::bst_insert(&tree, 1);
    assert!(native::bst_member(&grown, 1) && !native::bst_member(&tree, 1));
}

#[test]
fn merge_agrees() {
    let (xs, ys) = inputs::merge_lists(100);
    let want: i64 = xs.iter().chain(&ys).sum();
    let args = [int_list(&xs), int_list(&ys)];
    assert_eq!(
        tally_run(compiled::MERGE, "merge_sum", &args).as_int(),
        Some(want.into())
    );
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let (x, y) = (w.ints(&xs), w.ints(&ys));
        assert_eq!(w.call::<(i32, i32), i64>("merge_sum", (x, y)), want);
        // The merged list itself is sorted (the sum alone would not say).
        let mut m = w.call::<(i32, i32), i32>("merge_list", (x, y));
        let mut merged = Vec::new();
        while m != 0 {
            let cell = w.read(m, 12);
            merged.push(i64::from_le_bytes(cell[..8].try_into().expect("8 bytes")));
            m = i32::from_le_bytes(cell[8..].try_into().expect("4 bytes"));
        }
        let mut sorted: Vec<i64> = xs.iter().chain(&ys).copied().collect();
        sorted.sort();
        assert_eq!(merged, sorted);
    }
    assert_eq!(native::merge_sum(&wide(&xs), &wide(&ys)), want.into());
}

#[test]
fn stats_agree() {
    let xs = inputs::stats_list(500);
    let want = (
        500i64,
        xs.iter().sum::<i64>(),
        *xs.iter().max().expect("not empty"),
    );
    let got = tally_run(compiled::STATS, "stats", &[int_list(&xs)]);
    let (tag, fields) = got.as_cell().expect("a Stats");
    assert_eq!(tag, 0);
    let fields: Vec<_> = fields.iter().map(Value::as_int).collect();
    assert_eq!(
        fields,
        [want.0, want.1, want.2].map(|x| Some(i128::from(x)))
    );
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let l = w.ints(&xs);
        assert_eq!(w.call::<i32, (i64, i64, i64)>("stats", l), want);
    }
    let s = native::stats(&wide(&xs));
    assert_eq!(
        (s.count, s.total, s.max),
        (want.0.into(), want.1.into(), want.2.into())
    );
}

#[test]
fn window_agrees() {
    let n = 300;
    // The last 32 bytes appended: byte(32), .., byte(1), oldest first.
    let want: Vec<u8> = (1..=WIDTH as u8).rev().collect();
    let seed = vec![0xaa; WIDTH];
    let args = [Value::int(n.into()), Value::bytes(seed.clone())];
    let got = tally_run(compiled::WINDOW, "window", &args);
    assert_eq!(got.as_bytes(), Some(&want[..]));
    // Fewer steps than the width keep part of the seed.
    let short = [Value::int(3), Value::bytes(seed.clone())];
    let mut want_short = vec![0xaa; WIDTH - 3];
    want_short.extend([3, 2, 1]);
    let got = tally_run(compiled::WINDOW, "window", &short);
    assert_eq!(got.as_bytes(), Some(&want_short[..]));
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let s = w.bytes(&seed);
        for (steps, want) in [(n, &want), (3, &want_short)] {
            let (at, len) =
                w.call::<(i64, i32, i32), (i32, i32)>("window", (steps, s, WIDTH as i32));
            assert_eq!(&w.read(at, len), want);
        }
    }
    let seed = native::Bytes::from(seed);
    assert_eq!(native::window(n.into(), &seed, WIDTH).as_slice(), &want[..]);
    assert_eq!(native::window(3, &seed, WIDTH).as_slice(), &want_short[..]);
}

#[test]
fn sum_double_agrees() {
    let n = 1000;
    let want = n * (n + 1);
    let args = [Value::int(n.into()), Value::int(0)];
    assert_eq!(
        tally_run(compiled::SUM_DOUBLE, "sum_double", &args).as_int(),
        Some(want.into())
    );
    for fuel in [true, false] {
        let got = Wasm::new(fuel).call::<(i64, i64), i64>("sum_double", (n, 0));
        assert_eq!(got, want);
    }
    assert_eq!(native::sum_double(n.into(), 0), want.into());
}

#[test]
fn squares_agree() {
    let n: i64 = 300;
    let want = n * (n + 1) * (2 * n + 1) / 6;
    let args = [Value::int(n.into())];
    assert_eq!(
        tally_run(compiled::SQUARES, "range_squares", &args).as_int(),
        Some(want.into())
    );
    for fuel in [true, false] {
        let mut w = Wasm::new(fuel);
        let hp = w.hp();
        assert_eq!(w.call::<i64, i64>("range_squares", n), want);
        w.reset(hp);
    }
    assert_eq!(native::range_squares(n.into()), want.into());
}

#[test]
fn map_transfer_agrees() {
    let n = MAP_LEDGER;
    let ledger = inputs::map_ledger_value(n);
    let run = |from: u32, to: u32, amount: i64| {
        let args = [
            ledger.clone(),
            Value::bytes(key(from)),
            Value::bytes(key(to)),
            Value::int(amount.into()),
        ];
        let got = tally_run(compiled::MAP_TOKEN, "transfer_balance", &args);
        let (tag, fields) = got.as_cell().expect("an Option");
        // None is variant 0, Some variant 1.
        (tag == 1).then(|| fields[0].as_int().expect("an Int"))
    };
    // A transfer, one to a new account, and one the sender cannot afford.
    let cases = [
        (FROM, TO, AMOUNT, Some(1250)),
        (FROM, n + 5, AMOUNT, Some(250)),
        (FROM, TO, 5000, None),
    ];
    for (from, to, amount, want) in cases {
        assert_eq!(
            run(from, to, amount),
            want.map(i128::from),
            "Tally {from} -> {to}"
        );
        for fuel in [true, false] {
            let mut w = Wasm::new(fuel);
            let m = w.call::<i32, i32>("make_map_ledger", n as i32);
            let (f, t) = (
                w.call::<i32, i32>("key", from as i32),
                w.call::<i32, i32>("key", to as i32),
            );
            let got = w.call::<(i32, i32, i32, i32, i32, i64), i64>(
                "map_transfer_balance",
                (m, f, 4, t, 4, amount),
            );
            assert_eq!(got, want.unwrap_or(-1), "wasmi {from} -> {to}");
        }
        let m = native::map_ledger(n);
        let (f, t): (std::rc::Rc<[u8]>, std::rc::Rc<[u8]>) = (key(from).into(), key(to).into());
        assert_eq!(
            native::map_transfer_balance(&m, &f, &t, amount.into()),
            want.map(i128::from),
            "native {from} -> {to}"
        );
    }
    // The trees hold every account and are balanced (AVL: height at most
    // 1.44·log2(n + 2), 14 for 1,000 accounts; a list would be 1,000 high).
    let m = native::map_ledger(n);
    assert!((0..n).all(|i| native::map_get(&m, &key(i)) == Some(1000)));
    assert!(
        (10..=14).contains(&native::height(&m)),
        "{}",
        native::height(&m)
    );
    let mut w = Wasm::new(false);
    let root = w.call::<i32, i32>("make_map_ledger", n as i32);
    let h = i32::from_le_bytes(w.read(root + 24, 4).try_into().expect("4 bytes"));
    assert_eq!(h as u32, native::height(&m), "the same tree on wasmi");
}

#[test]
fn signature_check_agrees() {
    let (pk, msg, sig) = inputs::signed();
    let mut bad = msg.clone();
    bad[0] ^= 1;
    for (m, want) in [(&msg, true), (&bad, false)] {
        let args = [
            Value::bytes(pk.clone()),
            Value::bytes(m.clone()),
            Value::bytes(sig.clone()),
        ];
        assert_eq!(
            tally_run(compiled::SIG, "authorised", &args).as_bool(),
            Some(want)
        );
        for fuel in [true, false] {
            let mut w = Wasm::new(fuel);
            let (k, mm, s) = (w.bytes(&pk), w.bytes(m), w.bytes(&sig));
            let len = |b: &[u8]| b.len() as i32;
            let got = w.call::<(i32, i32, i32, i32, i32, i32), i32>(
                "authorised",
                (k, len(&pk), mm, len(m), s, len(&sig)),
            );
            assert_eq!(got, i32::from(want));
        }
        assert_eq!(native::ed25519_verify(&pk, m, &sig), want);
    }
}
