//! End-to-end runs of hand-assembled kernels: results, gas and frames.

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

fn run(m: &Module, entry: &str, args: &[Value]) -> (Result<Value, Trap>, u64) {
    let vm = verify(m.clone()).expect("kernel verifies");
    evaluate(&vm, entry, args, u64::MAX)
}

#[test]
fn sum_by_int_descent() {
    let (r, gas) = run(&sum_module(), "sum", &[Value::int(10), Value::int(0)]);
    assert_eq!(r.unwrap().as_int(), Some(55));
    // 10 iterations of br.gt.i(1) + add(1) + add.i(1) + tailcall(4 + 1
    // per 2 arguments), then br.gt.i(1) + ret(2).
    assert_eq!(gas, 10 * 8 + 3);
}

#[test]
fn tail_recursion_runs_in_constant_frames() {
    let vm = verify(sum_module()).unwrap();
    let (r10, g10, s10) =
        evaluate_with_stats(&vm, "sum", &[Value::int(10), Value::int(0)], u64::MAX);
    let (r, g, s) = evaluate_with_stats(
        &vm,
        "sum",
        &[Value::int(10_000_000), Value::int(0)],
        u64::MAX,
    );
    assert_eq!(r10.unwrap().as_int(), Some(55));
    assert_eq!(r.unwrap().as_int(), Some(50_000_005_000_000));
    assert_eq!(s.max_frames, s10.max_frames);
    assert_eq!(s.max_frames, 1);
    assert_eq!(g, 10_000_000 * 8 + 3);
    assert_eq!(g10, 83);
}

#[test]
fn fib_20() {
    let (r, gas) = run(&fib_module(), "fib", &[Value::int(20)]);
    assert_eq!(r.unwrap().as_int(), Some(6765));
    assert!(gas > 0);
    let (r, _) = run(&fib_module(), "fib", &[Value::int(1)]);
    assert_eq!(r.unwrap().as_int(), Some(1));
}

#[test]
fn fib_gas_is_exact() {
    // fib(0|1): br(1) + ret(2) = 3; otherwise 1 + 1 + 7 + 1 + 7 + 1 + 2 = 20
    // plus the two calls (a call: 5, +1 argument, +1 per 8 of fib's 6 registers).
    fn gas(n: i128) -> u64 {
        if n <= 1 {
            3
        } else {
            20 + gas(n - 1) + gas(n - 2)
        }
    }
    for n in 0..12 {
        let (_, g) = run(&fib_module(), "fib", &[Value::int(n)]);
        assert_eq!(g, gas(n), "fib({n})");
    }
}

#[test]
fn list_build_and_fold() {
    let m = list_module();
    let (r, _) = run(&m, "range", &[Value::int(5)]);
    assert_eq!(r.unwrap(), ints(1..=5));
    let (r, _) = run(&m, "sum_list", &[ints(1..=100)]);
    assert_eq!(r.unwrap().as_int(), Some(5050));
    let (r, _) = run(&m, "sum_acc", &[ints(1..=100), Value::int(0)]);
    assert_eq!(r.unwrap().as_int(), Some(5050));
    let (r, _) = run(&m, "reverse_range", &[Value::int(4)]);
    assert_eq!(r.unwrap(), ints([4, 3, 2, 1]));
}

#[test]
fn insertion_sort() {
    let m = list_module();
    let (r, _) = run(&m, "sort", &[ints([5, 3, 9, 1, 3, -7])]);
    assert_eq!(r.unwrap(), ints([-7, 1, 3, 3, 5, 9]));
    let (r, _) = run(&m, "sort", &[ints((1..=200).rev())]);
    assert_eq!(r.unwrap(), ints(1..=200));
    let (r, _) = run(&m, "sort", &[ints([])]);
    assert_eq!(r.unwrap(), ints([]));
}

#[test]
fn even_odd_mutual_recursion() {
    let m = list_module();
    for n in 0..6 {
        let (e, _) = run(&m, "even", &[ints(0..n)]);
        let (o, _) = run(&m, "odd", &[ints(0..n)]);
        assert_eq!(e.unwrap().as_bool(), Some(n % 2 == 0));
        assert_eq!(o.unwrap().as_bool(), Some(n % 2 == 1));
    }
}

#[test]
fn interleave_permuted_arguments() {
    let m = list_module();
    let (r, _) = run(&m, "interleave", &[ints([1, 3, 5]), ints([2, 4])]);
    assert_eq!(r.unwrap(), ints([1, 2, 3, 4, 5]));
}

#[test]
fn million_element_list_built_folded_and_dropped() {
    let vm = verify(list_module()).unwrap();
    let n = 1_000_000i128;
    let (r, _) = evaluate(&vm, "range", &[Value::int(n)], u64::MAX);
    let list = r.unwrap();
    assert_eq!(list.cells(), 1_000_001);
    // Non-tail fold: one frame per element on the explicit stack.
    let (s, _, stats) = evaluate_with_stats(&vm, "sum_list", std::slice::from_ref(&list), u64::MAX);
    assert_eq!(s.unwrap().as_int(), Some(n * (n + 1) / 2));
    assert_eq!(stats.max_frames, 1_000_001);
    let text = print_literal(&list, Ty::Adt(0), &vm.module().adts).unwrap();
    assert!(text.starts_with("[1, 2, 3") && text.ends_with("999999, 1000000]"));
    let same = list.clone();
    assert_eq!(same, list);
    drop(list);
    drop(same);
}

#[test]
fn deep_list_equality_is_iterative() {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    one_instr(&mut mb, "same", &[list, list], Ty::Bool, |d, p| Instr::Eq {
        d,
        a: p[0],
        b: p[1],
    });
    let vm = verify(mb.finish().unwrap()).unwrap();
    let big = ints(0..500_000);
    let (r, gas) = evaluate(&vm, "same", &[big.clone(), big.clone()], u64::MAX);
    assert_eq!(r.unwrap().as_bool(), Some(true));
    // eq(1) + one per node pair (500,000 cons cells, 500,000 heads, Nil) + ret(2).
    assert_eq!(gas, 1 + 1_000_001 + 2);
    let (r, _) = evaluate(&vm, "same", &[big, ints(0..3)], u64::MAX);
    assert_eq!(r.unwrap().as_bool(), Some(false));
}

#[test]
fn struct_fields_load_without_a_switch_and_struct_update() {
    // credit(e: Entry, n: Int) -> Entry = Entry { amount: e.amount + n, ..e }
    let mut mb = ModuleBuilder::new();
    let entry = mb.add_adt(AdtDef::structure(
        "Entry",
        &[("owner", Ty::Bytes), ("amount", Ty::Int)],
    ));
    let ety = Ty::Adt(entry.0);
    let id = mb.declare("credit", &[ety, Ty::Int], ety);
    let mut f = FunctionBuilder::new(&[ety, Ty::Int]);
    let (o, a, a2, out) = (f.reg(Ty::Bytes), f.reg(Ty::Int), f.reg(Ty::Int), f.reg(ety));
    f.emit(Instr::Field {
        d: o,
        s: f.param(0),
        i: 0,
    });
    f.emit(Instr::Field {
        d: a,
        s: f.param(0),
        i: 1,
    });
    f.emit(Instr::Add {
        d: a2,
        a,
        b: f.param(1),
    });
    f.emit(Instr::Con {
        d: out,
        t: entry,
        v: 0,
        fields: vec![o, a2],
    });
    f.emit(Instr::Ret { a: out });
    mb.define(id, f).unwrap();
    mb.export("credit", id);
    let vm = verify(mb.finish().unwrap()).unwrap();
    let adts = &vm.module().adts;
    let e = parse_literal(r#"Entry { owner: #"a11ce0", amount: 100 }"#, ety, adts).unwrap();
    let (r, gas) = evaluate(&vm, "credit", &[e, Value::int(-30)], 100);
    assert_eq!(
        print_literal(&r.unwrap(), ety, adts).unwrap(),
        r#"Entry { owner: #"a11ce0", amount: 70 }"#
    );
    // field(1) + field(1) + add(1) + con(2 + 2 fields) + ret(2)
    assert_eq!(gas, 9);
}

#[test]
fn token_transfer_example() {
    let vm = verify(token_module()).expect("token module verifies");
    let adts = &vm.module().adts;
    let parse = |s: &str, t: u32| parse_literal(s, Ty::Adt(t), adts).unwrap();
    let ledger0 = parse(r#"[Entry { owner: #"a11ce0", amount: 100 }]"#, 1);
    let (alice, bob) = (
        Value::bytes(vec![0xa1, 0x1c, 0xe0]),
        Value::bytes(vec![0xb0, 0xb0]),
    );
    let (r, _) = evaluate(
        &vm,
        "transfer",
        &[ledger0.clone(), alice.clone(), bob.clone(), Value::int(30)],
        10_000,
    );
    let after = r.unwrap();
    assert_eq!(
        print_literal(&after, Ty::Adt(3), adts).unwrap(),
        r#"Ok([Entry { owner: #"a11ce0", amount: 70 }, Entry { owner: #"b0b0", amount: 30 }])"#
    );
    let (_, fields) = after.as_cell().unwrap();
    let (b, _) = evaluate(&vm, "balance_of", &[fields[0].clone(), bob.clone()], 10_000);
    assert_eq!(b.unwrap().as_int(), Some(30));
    let over = parse(r#"[Entry { owner: #"01", amount: 5 }]"#, 1);
    let (r, _) = evaluate(
        &vm,
        "transfer",
        &[
            over,
            Value::bytes(vec![1]),
            Value::bytes(vec![2]),
            Value::int(6),
        ],
        10_000,
    );
    assert_eq!(
        print_literal(&r.unwrap(), Ty::Adt(3), adts).unwrap(),
        "Err(InsufficientFunds)"
    );
    let (r, _) = evaluate(
        &vm,
        "transfer",
        &[ledger0.clone(), alice.clone(), alice.clone(), Value::int(1)],
        10_000,
    );
    assert_eq!(
        print_literal(&r.unwrap(), Ty::Adt(3), adts).unwrap(),
        "Err(SameAccount)"
    );
    let (r, _) = evaluate(
        &vm,
        "transfer",
        &[ledger0, alice, bob, Value::int(0)],
        10_000,
    );
    assert_eq!(
        print_literal(&r.unwrap(), Ty::Adt(3), adts).unwrap(),
        "Err(InvalidAmount)"
    );
}

#[test]
fn token_transfer_on_a_thousand_entries() {
    let vm = verify(token_module()).unwrap();
    let l = ledger(1000);
    let from = Value::bytes(500u32.to_be_bytes().to_vec());
    let to = Value::bytes(900u32.to_be_bytes().to_vec());
    let (r, gas) = evaluate(
        &vm,
        "transfer",
        &[l, from.clone(), to.clone(), Value::int(250)],
        1_000_000,
    );
    let (tag, fields) = r.unwrap().as_cell().unwrap();
    assert_eq!(tag, 0);
    let (b, _) = evaluate(&vm, "balance_of", &[fields[0].clone(), from], 1_000_000);
    assert_eq!(b.unwrap().as_int(), Some(750));
    let (b, _) = evaluate(&vm, "balance_of", &[fields[0].clone(), to], 1_000_000);
    assert_eq!(b.unwrap().as_int(), Some(1250));
    assert!(gas > 10_000);
}
