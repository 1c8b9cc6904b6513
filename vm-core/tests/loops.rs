//! Loop ops (`fuse` module): a self tail call whose callee's guard leads
//! back to the fused step runs without dispatch. Every guard form that can
//! head such a loop, on either side of its branch, each loop step, traps in
//! the middle and every gas limit, in every metering mode (the
//! per-instruction mode runs the code without loops, so agreement is the
//! check).

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

/// The guard at the entry of `g(n, acc)`: the comparison, its constant,
/// whether the loop body is the branch target (else the fall-through), and
/// the first `n` for which the loop stops.
#[derive(Clone, Copy, Debug)]
struct Guard {
    op: fn(Reg, i64, Jump) -> Instr,
    k: i64,
    body_on_branch: bool,
    last: i128,
}

/// Guards under which `n - 1` descends (so the verifier accepts the loop):
/// the loop runs while `n > 2`, `n >= -3`, or, falling through a branch to
/// the exit, while not `n <= 0` / not `n < 5`.
fn guards() -> Vec<Guard> {
    let g = |op, k, body_on_branch, last| Guard {
        op,
        k,
        body_on_branch,
        last,
    };
    vec![
        g(|a, k, t| Instr::BrGtI { a, k, t }, 2, true, 2),
        g(|a, k, t| Instr::BrGeI { a, k, t }, -3, true, -4),
        g(|a, k, t| Instr::BrLeI { a, k, t }, 0, false, 0),
        g(|a, k, t| Instr::BrLtI { a, k, t }, 5, false, 4),
    ]
}

/// The loop step of `g`.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// `g(n - 1, acc + n)`
    Sum,
    /// `g(n - 1, [n, ..acc])`
    Cons,
}

/// `g(n, acc)`: while the guard holds, `step`; then `acc`.
fn int_loop(guard: Guard, step: Step) -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let acc_ty = match step {
        Step::Sum => Ty::Int,
        Step::Cons => Ty::Adt(lt.0),
    };
    let g = mb.declare("g", &[Ty::Int, acc_ty], acc_ty);
    let mut f = FunctionBuilder::new(&[Ty::Int, acc_ty]);
    let (n, acc) = (f.param(0), f.param(1));
    let (t, u) = (f.reg(Ty::Int), f.reg(acc_ty));
    let (body, exit) = (f.label(), f.label());
    let to = if guard.body_on_branch { body } else { exit };
    f.emit_to((guard.op)(n, guard.k, Jump(0)), &[to]);
    // The fall-through side.
    if guard.body_on_branch {
        f.bind(exit);
        f.emit(Instr::Ret { a: acc });
        f.bind(body);
    }
    f.emit(Instr::AddI { d: t, a: n, k: -1 });
    match step {
        Step::Sum => f.emit(Instr::Add { d: u, a: acc, b: n }),
        Step::Cons => emit_cons(&mut f, lt, u, n, acc),
    }
    f.emit(Instr::TailCall {
        f: g,
        args: vec![t, u],
    });
    if !guard.body_on_branch {
        f.bind(exit);
        f.emit(Instr::Ret { a: acc });
    }
    mb.define(g, f).unwrap();
    mb.export("g", g);
    mb.finish().unwrap()
}

/// `fold(xs, acc)`: `acc` plus the elements of `xs`, by a tail-recursive
/// match on the list (the step `fold(rest, acc + x)`).
fn fold_loop() -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let fold = mb.declare("fold", &[list, Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[list, Ty::Int]);
    let (xs, acc) = (f.param(0), f.param(1));
    let (nil, x, rest) = match_list(&mut f, xs, Ty::Int, list);
    let s = f.reg(Ty::Int);
    f.emit(Instr::Add { d: s, a: acc, b: x });
    f.emit(Instr::TailCall {
        f: fold,
        args: vec![rest, s],
    });
    f.bind(nil);
    f.emit(Instr::Ret { a: acc });
    mb.define(fold, f).unwrap();
    mb.export("fold", fold);
    mb.finish().unwrap()
}

/// Runs `entry(args)` in every mode at every gas limit up to the one it
/// needs (all modes must agree, and stop out of gas below it), and returns
/// the outcome with unlimited gas.
fn run_all_limits(m: Module, entry: &str, args: &[Value]) -> Result<Value, Trap> {
    eval_all_limits(&verify(m).unwrap(), entry, args)
}

#[test]
fn summing_loops_run_while_their_guard_holds() {
    for guard in guards() {
        let last = guard.last;
        for n in [last - 1, last, last + 1, last + 7] {
            let r = run_all_limits(
                int_loop(guard, Step::Sum),
                "g",
                &[Value::int(n), Value::int(1000)],
            );
            let want = 1000 + (last + 1..=n).sum::<i128>();
            assert_eq!(r, Ok(Value::int(want)), "{guard:?} n = {n}");
        }
    }
}

#[test]
fn building_loops_cons_every_step() {
    for guard in guards() {
        let last = guard.last;
        for n in [last, last + 1, last + 6] {
            let r = run_all_limits(
                int_loop(guard, Step::Cons),
                "g",
                &[Value::int(n), ints([42])],
            );
            let want = ints((last + 1..=n).chain([42]));
            assert_eq!(r, Ok(want), "{guard:?} n = {n}");
        }
    }
}

#[test]
fn overflow_in_a_loop_traps_at_that_step() {
    for guard in guards() {
        let start = Value::int(i128::MAX - 5);
        let r = run_all_limits(
            int_loop(guard, Step::Sum),
            "g",
            &[Value::int(guard.last + 9), start],
        );
        assert_eq!(r, Err(Trap::Overflow), "{guard:?}");
    }
}

#[test]
fn folding_loops_sum_every_element() {
    for len in [0, 1, 2, 9] {
        let xs = ints((1..=len).map(|x| x * 3));
        let r = run_all_limits(fold_loop(), "fold", &[xs, Value::int(-5)]);
        assert_eq!(r, Ok(Value::int(-5 + 3 * len * (len + 1) / 2)), "len {len}");
    }
}

#[test]
fn overflow_in_a_folding_loop_traps() {
    let xs = ints([1, 2, i128::MAX - 4, 7]);
    let r = run_all_limits(fold_loop(), "fold", &[xs, Value::int(1)]);
    assert_eq!(r, Err(Trap::Overflow));
}

#[test]
fn long_loops_agree_with_the_per_instruction_mode() {
    let guard = guards()[0];
    for (m, entry, args, want) in [
        (
            int_loop(guard, Step::Sum),
            "g",
            vec![Value::int(100_000), Value::int(0)],
            Value::int((3..=100_000).sum::<i128>()),
        ),
        (
            fold_loop(),
            "fold",
            vec![ints(1..=50_000), Value::int(0)],
            Value::int((1..=50_000).sum::<i128>()),
        ),
    ] {
        let vm = verify(m).unwrap();
        let (r, gas) = eval_all_modes(&vm, entry, &args, u64::MAX);
        assert_eq!(r, Ok(want));
        // Out of gas half-way, in every mode alike.
        let (r, used) = eval_all_modes(&vm, entry, &args, gas / 2);
        assert_eq!(r, Err(Trap::OutOfGas));
        assert!(used <= gas / 2);
    }
}
