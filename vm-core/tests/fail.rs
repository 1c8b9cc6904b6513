//! The `fail` instruction: a trap carrying a Bytes reason, its gas, its
//! bound (the path up to it) and the verifier's checks.

use vm_core::format::*;
use vm_core::internals::*;

/// `withdraw(balance, amount)`: fails with "insufficient funds" when
/// `amount > balance`, else returns `balance - amount`.
fn withdraw_module(reason: Const) -> Module {
    let mut mb = ModuleBuilder::new();
    let k = mb.constant(reason);
    let f = mb.declare("withdraw", &[Ty::Int, Ty::Int], Ty::Int);
    let mut b = FunctionBuilder::new(&[Ty::Int, Ty::Int]);
    let d = b.reg(Ty::Int);
    let ok = b.label();
    b.emit_to(
        Instr::BrLe {
            a: b.param(1),
            b: b.param(0),
            t: Jump(0),
        },
        &[ok],
    );
    b.emit(Instr::Fail { k });
    b.bind(ok);
    b.emit(Instr::Sub {
        d,
        a: b.param(0),
        b: b.param(1),
    });
    b.emit(Instr::Ret { a: d });
    mb.define(f, b).unwrap();
    mb.export("withdraw", f);
    mb.finish().unwrap()
}

#[test]
fn fail_traps_with_its_reason_and_gas_up_to_it() {
    let vm = verify(withdraw_module(Const::Bytes(
        b"insufficient funds".to_vec(),
    )))
    .unwrap();
    let (r, gas) = evaluate(&vm, "withdraw", &[Value::int(5), Value::int(7)], 1_000);
    assert_eq!(r, Err(Trap::Failed(b"insufficient funds".to_vec())));
    // br.le (1) + fail (1)
    assert_eq!(gas, 2);
    assert_eq!(
        Trap::Failed(b"insufficient funds".to_vec()).to_string(),
        "failed: \"insufficient funds\""
    );
    assert_eq!(Trap::Failed(vec![0xff]).to_string(), "failed: #\"ff\"");
    let (r, gas) = evaluate(&vm, "withdraw", &[Value::int(7), Value::int(5)], 1_000);
    assert_eq!(r.unwrap().as_int(), Some(2));
    assert_eq!(gas, 4);
}

#[test]
fn fail_runs_the_same_metered_and_unmetered() {
    let vm = verify(withdraw_module(Const::Bytes(b"no".to_vec()))).unwrap();
    for limit in [1, 2, 3, u64::MAX] {
        let (r, gas) = evaluate(&vm, "withdraw", &[Value::int(0), Value::int(1)], limit);
        if limit < 2 {
            assert_eq!(r, Err(Trap::OutOfGas));
        } else {
            assert_eq!(r, Err(Trap::Failed(b"no".to_vec())));
            assert_eq!(gas, 2);
        }
    }
}

#[test]
fn the_bound_covers_the_failing_path() {
    let vm = verify(withdraw_module(Const::Bytes(b"no".to_vec()))).unwrap();
    let b = bound(&vm, "withdraw", &[Value::int(0), Value::int(1)]).unwrap();
    // the longer path (the subtraction and ret) bounds both
    assert_eq!(b.gas, 4);
}

#[test]
fn fail_reason_must_be_bytes() {
    let err = verify(withdraw_module(Const::Int(3))).unwrap_err();
    assert_eq!(err.kind, VerifyErrorKind::FailReasonNotBytes(0));
}

#[test]
fn code_after_fail_is_unreachable_and_fail_ends_a_function() {
    let mut mb = ModuleBuilder::new();
    let k = mb.constant(Const::Bytes(b"always".to_vec()));
    let f = mb.declare("always", &[], Ty::Int);
    let mut b = FunctionBuilder::new(&[]);
    b.emit(Instr::Fail { k });
    mb.define(f, b).unwrap();
    mb.export("always", f);
    let vm = verify(mb.finish().unwrap()).unwrap();
    let (r, gas) = evaluate(&vm, "always", &[], 1_000);
    assert_eq!(r, Err(Trap::Failed(b"always".to_vec())));
    assert_eq!(gas, 1);
    assert_eq!(bound(&vm, "always", &[]).unwrap().gas, 1);
    let text = disassemble(vm.module());
    assert!(
        text.contains("0: fail         k0 (#\"616c77617973\")"),
        "{text}"
    );
}

#[test]
fn the_builder_renumbers_fail_reasons_with_the_sorted_constants() {
    let mut mb = ModuleBuilder::new();
    let z = mb.constant(Const::Bytes(b"zzz".to_vec()));
    let _a = mb.constant(Const::Bytes(b"aaa".to_vec()));
    let f = mb.declare("f", &[], Ty::Int);
    let mut b = FunctionBuilder::new(&[]);
    b.emit(Instr::Fail { k: z });
    mb.define(f, b).unwrap();
    mb.export("f", f);
    let vm = verify(mb.finish().unwrap()).unwrap();
    let (r, _) = evaluate(&vm, "f", &[], 1_000);
    assert_eq!(r, Err(Trap::Failed(b"zzz".to_vec())));
}
