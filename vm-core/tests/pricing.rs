//! Gas prices the work: calls and tail calls pay per argument copied and
//! per register of the frame pushed, as the `isa!` table declares, in every
//! metering mode and in the static bound alike.

use vm_core::*;

/// `f(n, x1, ..., x{k-1})`: counts `n` down to 0 by tail calls (or by
/// calls, `tail = false`) passing all `k` arguments, and returns `n`.
fn countdown(k: u32, tail: bool) -> Module {
    let mut mb = ModuleBuilder::new();
    let params = vec![Ty::Int; k as usize];
    let f = mb.declare("f", &params, Ty::Int);
    let mut b = FunctionBuilder::new(&params);
    let n = b.param(0);
    let m = b.reg(Ty::Int);
    let r = b.reg(Ty::Int);
    let done = b.label();
    b.emit_to(
        Instr::BrLeI {
            a: n,
            k: 0,
            t: Jump(0),
        },
        &[done],
    );
    b.emit(Instr::AddI { d: m, a: n, k: -1 });
    let args: Vec<Reg> = std::iter::once(m)
        .chain((1..k).map(|i| b.param(i)))
        .collect();
    if tail {
        b.emit(Instr::TailCall { f, args });
    } else {
        b.emit(Instr::Call { d: r, f, args });
        b.emit(Instr::Ret { a: r });
    }
    b.bind(done);
    b.emit(Instr::Ret { a: n });
    mb.define(f, b).unwrap();
    mb.export("f", f);
    mb.finish().unwrap()
}

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
        253 * Opcode::TailCall.cost(Size::Args, 1),
        "{narrow} {wide}"
    );
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
    assert_eq!(per(3) - per(2), Opcode::TailCall.cost(Size::Args, 1));
    assert_eq!(per(4) - per(3), Opcode::TailCall.cost(Size::Args, 1));
    let per = |k: u32| gas(k, false, 100) - gas(k, false, 99);
    assert_eq!(per(4) - per(3), Opcode::Call.cost(Size::Args, 1));
}

#[test]
fn the_spec_table_words_each_term() {
    let table = vm_core::isa::spec_table();
    assert!(table.contains("+1 per argument, +1 per 8 registers of the callee's frame"));
    assert!(table.contains("+2 per input byte"));
}
