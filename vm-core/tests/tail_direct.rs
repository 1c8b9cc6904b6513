//! Tail calls whose arguments are the results of the ops just before them
//! (fused to write the parameters directly): the shapes where a later op
//! reads an earlier result, where the first argument is not fused, and
//! traps in the middle, in every metering mode at every gas limit.

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

/// Which loop step a test module runs (all with `n <= 0` returning `acc`).
#[derive(Clone, Copy)]
enum Step {
    /// `t = n - 1; u = acc + t; f(t, u)`: the add reads the add.i's result.
    AddReadsFirst,
    /// `t = n - 1; u = acc + n; w = u + t; f(t, w)`: only the last add is
    /// fused with the tail call, whose first argument is another register.
    AddAfterOthers,
    /// `t = n - 1; c = [t, ..acc]; f(t, c)`: a list builder whose cell
    /// reads the add.i's result.
    ConsReadsFirst,
}

fn module(step: Step) -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let acc_ty = match step {
        Step::ConsReadsFirst => Ty::Adt(lt.0),
        _ => Ty::Int,
    };
    let g = mb.declare("g", &[Ty::Int, acc_ty], acc_ty);
    let mut f = FunctionBuilder::new(&[Ty::Int, acc_ty]);
    let (n, acc) = (f.param(0), f.param(1));
    let t = f.reg(Ty::Int);
    let u = f.reg(acc_ty);
    let w = f.reg(Ty::Int);
    let body = f.label();
    br_imm(&mut f, Cmp::Gt, n, 0, body);
    f.emit(Instr::Ret { a: acc });
    f.bind(body);
    f.emit(Instr::AddI { d: t, a: n, k: -1 });
    let last = match step {
        Step::AddReadsFirst => {
            f.emit(Instr::Add { d: u, a: acc, b: t });
            u
        }
        Step::AddAfterOthers => {
            f.emit(Instr::Add { d: u, a: acc, b: n });
            f.emit(Instr::Add { d: w, a: u, b: t });
            w
        }
        Step::ConsReadsFirst => {
            emit_cons(&mut f, lt, u, t, acc);
            u
        }
    };
    f.emit(Instr::TailCall {
        f: g,
        args: vec![t, last],
    });
    mb.define(g, f).unwrap();
    mb.export("g", g);
    mb.finish().unwrap()
}

/// Runs `g(n, acc)` in every mode at every gas limit up to the one it needs
/// and returns the outcome with unlimited gas.
fn run_all_limits(step: Step, n: i128, acc: Value) -> Result<Value, Trap> {
    let vm = verify(module(step)).unwrap();
    eval_all_limits(&vm, "g", &[Value::int(n), acc])
}

#[test]
fn add_reading_the_first_result_sums_below_n() {
    // acc + (n-1) + (n-2) + .. + 0
    let r = run_all_limits(Step::AddReadsFirst, 6, Value::int(100));
    assert_eq!(r.unwrap().as_int(), Some(100 + 15));
}

#[test]
fn add_after_others_sums_both() {
    // acc + sum over k = n..1 of (k + k - 1)
    let r = run_all_limits(Step::AddAfterOthers, 5, Value::int(7));
    assert_eq!(r.unwrap().as_int(), Some(7 + 25));
}

#[test]
fn cons_reading_the_first_result_builds_the_list() {
    let r = run_all_limits(Step::ConsReadsFirst, 5, ints([]));
    assert_eq!(r.unwrap(), ints(0..5));
}

#[test]
fn overflow_in_the_fused_add_traps_in_every_mode() {
    let near = Value::int(i128::MAX - 6);
    assert_eq!(
        run_all_limits(Step::AddReadsFirst, 6, near.clone()),
        Err(Trap::Overflow)
    );
    assert_eq!(
        run_all_limits(Step::AddAfterOthers, 6, near),
        Err(Trap::Overflow)
    );
}
