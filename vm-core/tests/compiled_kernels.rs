//! The benchmark kernels as our compiler emits them
//! (`benches/peers/kernels/*.tbc`, built by `tally build`): every metering
//! mode gives the same result, gas and statistics at every gas limit, so the
//! superinstructions their loops run as are exact.

mod common;

use common::{eval_all_modes, ints, ledger};
use vm_core::internals::*;

fn kernel(bytes: &[u8]) -> VerifiedModule {
    load(bytes).expect("a checked-in kernel loads")
}

#[test]
fn modes_agree_on_the_compiled_kernels_at_every_gas_limit() {
    let key = |i: u32| Value::bytes(i.to_be_bytes().to_vec());
    let cases: Vec<(&[u8], &str, Vec<Value>, Value)> = vec![
        (
            include_bytes!("../benches/peers/kernels/sum.tbc"),
            "sum",
            vec![Value::int(30), Value::int(0)],
            Value::int(465),
        ),
        (
            include_bytes!("../benches/peers/kernels/fib.tbc"),
            "fib",
            vec![Value::int(7)],
            Value::int(13),
        ),
        (
            include_bytes!("../benches/peers/kernels/fold.tbc"),
            "range_sum",
            vec![Value::int(20)],
            Value::int(210),
        ),
        (
            include_bytes!("../benches/peers/kernels/sort.tbc"),
            "sort",
            vec![ints((1..=8).rev())],
            ints(1..=8),
        ),
        (
            include_bytes!("../benches/peers/kernels/token.tbc"),
            "balance_of",
            vec![ledger(6), key(4)],
            Value::int(1000),
        ),
    ];
    for (bytes, entry, args, want) in cases {
        let vm = kernel(bytes);
        let (r, gas) = eval_all_modes(&vm, entry, &args, u64::MAX);
        assert_eq!(r, Ok(want), "{entry}");
        for limit in 0..gas {
            let (r, used) = eval_all_modes(&vm, entry, &args, limit);
            assert_eq!(r, Err(Trap::OutOfGas), "{entry} at {limit}");
            assert!(used <= limit);
        }
        assert_eq!(eval_all_modes(&vm, entry, &args, gas).1, gas);
    }
}

#[test]
fn an_overflow_inside_a_fused_loop_step_is_exact() {
    // sum(2, MAX - 1): the first `add` (the middle of add.i+add+tailcall)
    // overflows; the gas counts br.gt.i, add.i and add only.
    let vm = kernel(include_bytes!("../benches/peers/kernels/sum.tbc"));
    let args = [Value::int(2), Value::int(i128::MAX - 1)];
    let (r, gas) = eval_all_modes(&vm, "sum", &args, 100);
    assert_eq!((r, gas), (Err(Trap::Overflow), 3));
}
