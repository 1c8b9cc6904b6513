//! Gas prices the work: calls and tail calls pay per argument copied and
//! per register of the frame pushed, as the `isa!` table declares, in every
//! metering mode and in the static bound alike.

mod common;
mod reference;

use common::{countdown, grow_module};
use vm_core::format::*;
use vm_core::internals::*;

/// Gas used by `f(iterations, 0, ...)`, checked against the other metering
/// modes, the exact limit and the static bound.
fn gas(k: u32, tail: bool, iterations: i64) -> u64 {
    let vm = verify(countdown(k, tail)).unwrap();
    let args: Vec<Value> = std::iter::once(Value::int(iterations.into()))
        .chain((1..k).map(|_| Value::int(0)))
        .collect();
    let o = evaluate_with(&vm, "f", &args, Options::checked(u64::MAX));
    assert_eq!(o.result.unwrap().as_int(), Some(0));
    let u = evaluate_with(&vm, "f", &args, Options::unchecked(u64::MAX));
    assert_eq!(u.gas_used, o.gas_used, "unchecked metering");
    let (r, used) = evaluate(&vm, "f", &args, o.gas_used);
    assert!(r.is_ok() && used == o.gas_used, "exact limit");
    let (r, _) = evaluate(&vm, "f", &args, o.gas_used - 1);
    assert_eq!(r.unwrap_err(), Trap::OutOfGas, "one gas short");
    let b = bound(&vm, "f", &args).unwrap();
    assert!(o.gas_used <= b.gas, "gas {} > bound {}", o.gas_used, b.gas);
    o.gas_used
}

#[test]
fn a_tail_call_pays_per_argument() {
    let iterations = 1_000;
    let (narrow, wide) = (gas(2, true, iterations), gas(255, true, iterations));
    // 253 more arguments copied per iteration.
    let per_iteration = (wide - narrow) / iterations as u64;
    assert_eq!(
        per_iteration,
        Opcode::TailCall.cost(Size::Args, 255) - Opcode::TailCall.cost(Size::Args, 2),
        "{narrow} {wide}"
    );
    assert!(per_iteration >= 253 / 2, "at least 1 gas per 2 arguments");
}

#[test]
fn a_call_pays_per_argument_and_per_frame_register() {
    let iterations = 500;
    let (narrow, wide) = (gas(2, false, iterations), gas(255, false, iterations));
    // 253 more arguments and registers: the frame has k + 2 registers.
    let per_call = Opcode::Call.cost(Size::Args, 255) - Opcode::Call.cost(Size::Args, 2)
        + Opcode::Call.cost(Size::FrameRegs, 257)
        - Opcode::Call.cost(Size::FrameRegs, 4);
    assert_eq!(
        (wide - narrow) / iterations as u64,
        per_call,
        "{narrow} {wide}"
    );
}

#[test]
fn small_and_general_calls_cost_what_their_instruction_costs() {
    // Calls with at most 3 arguments run as inline (fused) ops: the same gas
    // per argument as the general form.
    let per = |k: u32| gas(k, true, 100) - gas(k, true, 99);
    let args = |k: u64| Opcode::TailCall.cost(Size::Args, k);
    assert_eq!(per(3) - per(2), args(3) - args(2));
    assert_eq!(per(4) - per(3), args(4) - args(3));
    assert_eq!(per(5) - per(3), args(5) - args(3));
    let per = |k: u32| gas(k, false, 100) - gas(k, false, 99);
    assert_eq!(per(4) - per(3), Opcode::Call.cost(Size::Args, 1));
}

#[test]
fn the_spec_table_words_each_term() {
    let table = vm_core::format::isa::spec_table();
    assert!(table.contains("+1 per argument, +1 per 8 registers of the callee's frame"));
    assert!(table.contains("+1 per 2 input bytes"));
}

/// The result handed to the host is paid for by the tree it is, not by the
/// cells behind it: a result of 2^23 − 1 nodes built from 22 shared cells
/// used to cost 267 gas and take seconds and hundreds of MB to hand back.
#[test]
fn a_shared_result_pays_for_its_tree_form() {
    let vm = verify(grow_module("grow")).unwrap();
    let leaf = Value::cell(0, vec![]);
    let small = [Value::int(3), leaf.clone()];
    let o = evaluate_with(&vm, "grow", &small, Options::checked(u64::MAX));
    let nodes = o.result.as_ref().unwrap().nodes().len() as u64;
    assert_eq!(nodes, 15);
    let (r, used) = reference::run(vm.module(), "grow", &small, u64::MAX);
    assert_eq!(
        (r, used),
        (o.result.clone(), o.gas_used),
        "the reference agrees"
    );
    // All or nothing: one gas short of the result's price is out of gas.
    let (r, _) = evaluate(&vm, "grow", &small, o.gas_used - 1);
    assert_eq!(r.unwrap_err(), Trap::OutOfGas);
    // The result grew from the one leaf passed in to 15 cells.
    assert!(o.gas_used >= (nodes - 1) * Opcode::Ret.cost(Size::ResultGrowth, 1));
    // 32 bytes per node handed back count in the memory the call used.
    assert!(o.stats.allocated_bytes >= 32 * nodes);
    let b = bound(&vm, "grow", &small).unwrap();
    assert!(o.gas_used <= b.gas && o.stats.allocated_bytes <= b.memory);

    // 22 doublings: the bound prices 2^23 − 1 nodes, and a run at the old
    // price stops out of gas at once without building the tree.
    let big = [Value::int(22), leaf];
    let b = bound(&vm, "grow", &big).unwrap();
    assert!(b.gas >= 5 * ((1 << 23) - 2), "{b:?}");
    assert!(b.memory >= 32 * ((1 << 23) - 1), "{b:?}");
    let o = evaluate_with(&vm, "grow", &big, Options::checked(10_000));
    assert_eq!(o.result, Err(Trap::OutOfGas));
    assert!(o.stats.allocated_bytes < 10_000, "{:?}", o.stats);
}

/// A result no larger than the arguments costs nothing more to hand back:
/// state passed through and updated is not charged for its size.
#[test]
fn a_result_within_its_arguments_is_not_charged() {
    let vm = verify(grow_module("grow")).unwrap();
    let tree = |depth: u32| {
        let mut t = Value::cell(0, vec![]);
        for _ in 0..depth {
            t = Value::cell(1, vec![t.clone(), t]);
        }
        t
    };
    // grow(0, t) hands t back as it came.
    let big = tree(12);
    let (r, used) = evaluate(&vm, "grow", &[Value::int(0), big.clone()], u64::MAX);
    assert_eq!(r.unwrap(), big);
    let (_, small) = evaluate(&vm, "grow", &[Value::int(0), tree(0)], u64::MAX);
    assert_eq!(used, small);
    assert!(
        vm_core::format::isa::spec_table().contains("+5 per node the entry point's result grew by")
    );
}
