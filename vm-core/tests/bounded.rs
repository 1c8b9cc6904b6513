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

/// `down(n) = if n <= 0 { 0 } else { down(n - 1) + 1 }`: a frame per level.
fn down_module() -> vm_core::Module {
    use vm_core::{FunctionBuilder, Instr, Jump, ModuleBuilder, Ty};
    let mut mb = ModuleBuilder::new();
    let down = mb.declare("down", &[Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let (m, r, s) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    let rec = f.label();
    let n = f.param(0);
    f.emit_to(
        Instr::BrGtI {
            a: n,
            k: 0,
            t: Jump(0),
        },
        &[rec],
    );
    f.emit(Instr::Int { d: s, k: 0 });
    f.emit(Instr::Ret { a: s });
    f.bind(rec);
    f.emit(Instr::AddI { d: m, a: n, k: -1 });
    f.emit(Instr::Call {
        d: r,
        f: down,
        args: vec![m],
    });
    f.emit(Instr::AddI { d: s, a: r, k: 1 });
    f.emit(Instr::Ret { a: s });
    mb.define(down, f).unwrap();
    mb.export("down", down);
    mb.finish().unwrap()
}

#[test]
fn the_memory_bound_covers_the_register_stack_of_deep_recursion() {
    let vm = verify(down_module()).expect("verifies");
    for n in [0, 1, 10, 1_000, 100_000] {
        let args = [Value::int(n)];
        let b = vm_core::bound(&vm, "down", &args).unwrap();
        let (r, _, stats) = vm_core::evaluate_with_stats(&vm, "down", &args, u64::MAX);
        assert_eq!(r.unwrap().as_int(), Some(n));
        assert!(stats.stack_bytes > 0 || n == 0);
        assert!(
            stats.stack_bytes <= b.stack && stats.stack_bytes <= b.memory,
            "down({n}): stack {} bytes, stack bound {}, memory bound {}",
            stats.stack_bytes,
            b.stack,
            b.memory
        );
    }
}

#[test]
fn a_call_that_could_overflow_the_stack_is_refused_in_advance() {
    let vm = verify(down_module()).expect("verifies");
    // 5,000,000 levels: the gas bound fits the limit, the stack does not.
    let args = [Value::int(5_000_000)];
    let (r, _) = evaluate(&vm, "down", &args, u64::MAX);
    assert_eq!(r, Err(Trap::StackOverflow));
    match evaluate_bounded(&vm, "down", &args, 1 << 40, OverLimit::Reject) {
        Bounded::Rejected { bounds } => {
            assert!(bounds.gas <= 1 << 40 && !bounds.stack_fits(), "{bounds:?}");
        }
        other => panic!("ran: {other:?}"),
    }
    // Metered, it runs and traps cleanly.
    let (result, ..) = ran(evaluate_bounded(
        &vm,
        "down",
        &args,
        1 << 40,
        OverLimit::RunMetered,
    ));
    assert_eq!(result, Err(Trap::StackOverflow));
    // Every call the stack bound lets through runs to the end.
    let args = [Value::int(1_000_000)];
    let (result, ..) = ran(evaluate_bounded(
        &vm,
        "down",
        &args,
        1 << 40,
        OverLimit::Reject,
    ));
    assert_eq!(result.unwrap().as_int(), Some(1_000_000));
}

#[test]
fn a_saturated_bound_fits_no_limit() {
    let vm = verify(common::fib_module()).expect("verifies");
    let args = [Value::int(1000)];
    match evaluate_bounded(&vm, "fib", &args, u64::MAX, OverLimit::Reject) {
        Bounded::Rejected { bounds } => assert_eq!(bounds.gas, u64::MAX),
        other => panic!("ran: {other:?}"),
    }
}
