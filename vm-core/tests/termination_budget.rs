//! The termination analysis accepts large valid call-graph cycles (rings of
//! thousands of mutually recursive functions) within its work budget, and
//! still refuses, with `TerminationTooComplex`, shapes past the budget.

mod common;

use common::*;
use vm_core::*;

#[test]
fn rings_of_hundreds_and_thousands_of_functions_verify() {
    // Before the head reduction a ring of more than ~141 functions had n²
    // size-change graphs and was refused as too large.
    for n in [2, 142, 500, 3_000] {
        let vm = verify(ring_module(n)).unwrap_or_else(|e| panic!("ring of {n}: {e}"));
        let (r, _) = evaluate(&vm, "f0", &[Value::int(7)], u64::MAX);
        assert_eq!(r.unwrap().as_int(), Some(0), "ring of {n}");
    }
}

#[test]
fn a_non_terminating_ring_is_still_refused() {
    // A ring of 300 that passes its parameter on unchanged: the head
    // reduction still finds the loop with no descent.
    let mut mb = ModuleBuilder::new();
    let n = 300;
    let ids: Vec<FuncId> = (0..n)
        .map(|i| mb.declare(&format!("g{i}"), &[Ty::Int], Ty::Int))
        .collect();
    for i in 0..n {
        let mut f = FunctionBuilder::new(&[Ty::Int]);
        let x = f.param(0);
        let r = f.reg(Ty::Int);
        let stop = f.label();
        br_imm(&mut f, Cmp::Le, x, 0, stop);
        f.emit(Instr::Call {
            d: r,
            f: ids[(i + 1) % n],
            args: vec![x],
        });
        f.emit(Instr::Ret { a: r });
        f.bind(stop);
        f.emit(Instr::Ret { a: x });
        mb.define(ids[i], f).unwrap();
    }
    mb.export("g0", ids[0]);
    let err = verify(mb.finish().unwrap()).unwrap_err();
    assert!(
        matches!(err.kind, VerifyErrorKind::NonTerminating { .. }),
        "{err}"
    );
}

#[test]
fn dense_call_graphs_past_the_budget_are_refused_as_too_complex() {
    // 200 functions of 6 parameters, each calling all others with rotated
    // arguments: many distinct graphs per head.
    let m = call_shape_module(200, 6, &|_| (1..200).collect());
    match verify(m) {
        Ok(_) => {}
        Err(e) => assert!(
            matches!(e.kind, VerifyErrorKind::TerminationTooComplex(_)),
            "{e}"
        ),
    }
}
