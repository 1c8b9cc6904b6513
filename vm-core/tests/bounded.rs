//! `evaluate_bounded`: a call whose static bound fits the limit runs
//! unchecked and reports the same result and gas as a checked run; one that
//! does not fit runs metered (and stops at the limit) or is rejected up
//! front, as the caller asks.

mod common;

use vm_core::{Bounded, Metering, OverLimit, Trap, Value, evaluate, evaluate_bounded, verify};

fn ran(b: Bounded) -> (Result<Value, Trap>, u64, u64, Metering) {
    match b {
        Bounded::Ran {
            outcome,
            bounds,
            metering,
        } => (outcome.result, outcome.gas_used, bounds.gas, metering),
        Bounded::Rejected { bounds } => panic!("rejected with bound {bounds:?}"),
    }
}

#[test]
fn a_call_within_its_bound_runs_unchecked_with_exact_gas() {
    let vm = verify(common::sum_module()).expect("verifies");
    let args = [Value::int(1000), Value::int(0)];
    let (checked, checked_gas) = evaluate(&vm, "sum", &args, u64::MAX);
    let (result, gas, bound, metering) = ran(evaluate_bounded(
        &vm,
        "sum",
        &args,
        1_000_000,
        OverLimit::Reject,
    ));
    assert_eq!(metering, Metering::Unchecked);
    assert_eq!((result, gas), (checked, checked_gas));
    assert!(gas <= bound && bound <= 1_000_000);
}

#[test]
fn a_call_over_the_limit_is_metered_or_rejected() {
    let vm = verify(common::fib_module()).expect("verifies");
    let args = [Value::int(25)];
    let (result, gas, bound, metering) = ran(evaluate_bounded(
        &vm,
        "fib",
        &args,
        10_000,
        OverLimit::RunMetered,
    ));
    assert_eq!(metering, Metering::Checked);
    assert_eq!(result, Err(Trap::OutOfGas));
    assert!(gas <= 10_000 && bound > 10_000);

    match evaluate_bounded(&vm, "fib", &args, 10_000, OverLimit::Reject) {
        Bounded::Rejected { bounds } => assert_eq!(bounds.gas, bound),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn bad_calls_trap_without_gas() {
    let vm = verify(common::sum_module()).expect("verifies");
    let (result, gas, _, _) = ran(evaluate_bounded(&vm, "nope", &[], 100, OverLimit::Reject));
    assert_eq!((result, gas), (Err(Trap::UnknownEntry("nope".into())), 0));
    let (result, gas, _, _) = ran(evaluate_bounded(
        &vm,
        "sum",
        &[Value::bool(true)],
        100,
        OverLimit::Reject,
    ));
    assert!(matches!(result, Err(Trap::BadArguments(_))) && gas == 0);
}
