//! The three metering modes give identical results, gas and statistics on
//! every kernel, and unchecked metering falls back to the checked outcome
//! when the caller's promise that the run fits is wrong.

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

fn key(i: u32) -> Value {
    Value::bytes(i.to_be_bytes().to_vec())
}

/// Every exported kernel on a realistic input, with room to spare.
fn kernels() -> Vec<(Module, &'static str, Vec<Value>)> {
    let lists = list_module();
    let token = token_module();
    vec![
        (
            sum_module(),
            "sum",
            vec![Value::int(100_000), Value::int(0)],
        ),
        (fib_module(), "fib", vec![Value::int(15)]),
        (lists.clone(), "range_sum", vec![Value::int(1_000)]),
        (lists.clone(), "sum_list", vec![ints(1..=500)]),
        (lists.clone(), "sort", vec![ints((1..=100).rev())]),
        (lists.clone(), "interleave", vec![ints(0..50), ints(50..90)]),
        (lists.clone(), "odd", vec![ints(0..77)]),
        (lists, "reverse_range", vec![Value::int(300)]),
        (misc_module(), "same", vec![ints(0..40), ints(0..40)]),
        (
            misc_module(),
            "hash_concat",
            vec![Value::bytes(vec![3; 100]), Value::bytes(vec![4; 5])],
        ),
        (
            token.clone(),
            "transfer",
            vec![ledger(100), key(50), key(90), Value::int(250)],
        ),
        (
            token,
            "transfer",
            vec![ledger(100), key(50), key(90), Value::int(5_000)],
        ),
    ]
}

#[test]
fn modes_agree_on_every_kernel() {
    for (m, entry, args) in kernels() {
        let vm = verify(m).unwrap();
        let (r, gas) = eval_all_modes(&vm, entry, &args, u64::MAX);
        assert!(r.is_ok(), "{entry}: {r:?}");
        assert!(gas > 0);
        // Exactly enough gas, and one less.
        let (r, g) = eval_all_modes(&vm, entry, &args, gas);
        assert_eq!((r.is_ok(), g), (true, gas));
        let (r, g) = eval_all_modes(&vm, entry, &args, gas - 1);
        assert_eq!(r, Err(Trap::OutOfGas), "{entry}");
        assert!(g < gas);
    }
}

#[test]
fn unchecked_with_a_wrong_promise_gives_the_checked_outcome() {
    let vm = verify(sum_module()).unwrap();
    let args = [Value::int(1_000), Value::int(0)];
    for limit in [0, 1, 500, 7_999, 8_002] {
        let checked = evaluate_with(&vm, "sum", &args, Options::checked(limit));
        let unchecked = evaluate_with(&vm, "sum", &args, Options::unchecked(limit));
        assert_eq!(checked.result, Err(Trap::OutOfGas));
        assert_eq!(unchecked, checked, "limit {limit}");
    }
    let fits = evaluate_with(&vm, "sum", &args, Options::unchecked(8_003));
    assert_eq!(fits.result.unwrap().as_int(), Some(500_500));
    assert_eq!(fits.gas_used, 8_003);
}

#[test]
fn a_trap_inside_a_run_counts_the_ops_before_it_only() {
    // sum(3, MAX - 2): the first add overflows; gas = br.gt.i + add.i + add,
    // not the tail call after it in the same run.
    let vm = verify(sum_module()).unwrap();
    let args = [Value::int(3), Value::int(i128::MAX - 2)];
    for m in [
        Metering::Checked,
        Metering::Unchecked,
        Metering::PerInstruction,
    ] {
        let o = evaluate_with(
            &vm,
            "sum",
            &args,
            Options {
                gas_limit: 100,
                metering: m,
            },
        );
        assert_eq!((o.result, o.gas_used), (Err(Trap::Overflow), 3), "{m:?}");
    }
}
