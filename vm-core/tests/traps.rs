//! Runtime traps: checked arithmetic, gas exhaustion, Bytes and arguments.

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

fn binop(op: fn(Reg, Reg, Reg) -> Instr, a: i128, b: i128) -> (Result<Value, Trap>, u64) {
    let vm = verify(binop_module(op)).unwrap();
    evaluate(&vm, "f", &[Value::int(a), Value::int(b)], 1_000)
}

#[test]
fn add_overflow_traps() {
    let (r, gas) = binop(|d, a, b| Instr::Add { d, a, b }, i128::MAX, 1);
    assert_eq!(r, Err(Trap::Overflow));
    assert_eq!(gas, 1);
    let (r, _) = binop(|d, a, b| Instr::Sub { d, a, b }, i128::MIN, 1);
    assert_eq!(r, Err(Trap::Overflow));
    let (r, _) = binop(|d, a, b| Instr::Mul { d, a, b }, i128::MAX / 2 + 1, 2);
    assert_eq!(r, Err(Trap::Overflow));
    let (r, _) = binop(|d, a, b| Instr::Add { d, a, b }, i128::MAX - 1, 1);
    assert_eq!(r.unwrap().as_int(), Some(i128::MAX));
}

#[test]
fn division_by_zero_traps() {
    let (r, gas) = binop(|d, a, b| Instr::Div { d, a, b }, 7, 0);
    assert_eq!(r, Err(Trap::DivisionByZero));
    assert_eq!(gas, 3);
    let (r, _) = binop(|d, a, b| Instr::Rem { d, a, b }, 7, 0);
    assert_eq!(r, Err(Trap::DivisionByZero));
}

#[test]
fn min_div_minus_one_traps() {
    let (r, _) = binop(|d, a, b| Instr::Div { d, a, b }, i128::MIN, -1);
    assert_eq!(r, Err(Trap::Overflow));
    let (r, _) = binop(|d, a, b| Instr::Rem { d, a, b }, i128::MIN, -1);
    assert_eq!(r, Err(Trap::Overflow));
}

#[test]
fn division_truncates_and_remainder_follows_dividend() {
    let (r, _) = binop(|d, a, b| Instr::Div { d, a, b }, -7, 2);
    assert_eq!(r.unwrap().as_int(), Some(-3));
    let (r, _) = binop(|d, a, b| Instr::Rem { d, a, b }, -7, 2);
    assert_eq!(r.unwrap().as_int(), Some(-1));
}

#[test]
fn exhausted_gas_stops_cleanly() {
    let vm = verify(sum_module()).unwrap();
    let (r, gas) = evaluate(&vm, "sum", &[Value::int(1_000_000), Value::int(0)], 1_000);
    assert_eq!(r, Err(Trap::OutOfGas));
    assert!(gas <= 1_000);
    // 125 whole iterations (1000 gas: br(1) add(1) add.i(1) tailcall(4 + 1
    // per 2 arguments)); the next br (1) does not fit.
    assert_eq!(gas, 1000);
    // With exactly enough gas the run succeeds and uses all of it.
    let (r, gas) = evaluate(&vm, "sum", &[Value::int(10), Value::int(0)], 83);
    assert_eq!(r.unwrap().as_int(), Some(55));
    assert_eq!(gas, 83);
    let (r, gas) = evaluate(&vm, "sum", &[Value::int(10), Value::int(0)], 82);
    assert_eq!(r, Err(Trap::OutOfGas));
    assert_eq!(gas, 81);
}

#[test]
fn zero_gas_runs_nothing() {
    let vm = verify(fib_module()).unwrap();
    assert_eq!(
        evaluate(&vm, "fib", &[Value::int(3)], 0),
        (Err(Trap::OutOfGas), 0)
    );
}

#[test]
fn bad_entry_and_arguments_are_errors() {
    let vm = verify(sum_module()).unwrap();
    let (r, g) = evaluate(&vm, "nope", &[], 100);
    assert_eq!(r, Err(Trap::UnknownEntry("nope".into())));
    assert_eq!(g, 0);
    let (r, _) = evaluate(&vm, "sum", &[Value::int(1)], 100);
    assert!(matches!(
        r,
        Err(Trap::BadArguments(ValueError::ArgumentCount {
            expected: 2,
            found: 1
        }))
    ));
    let (r, _) = evaluate(&vm, "sum", &[Value::int(1), Value::bool(true)], 100);
    assert!(matches!(
        r,
        Err(Trap::BadArguments(ValueError::TypeMismatch { .. }))
    ));
}

#[test]
fn bytes_slice_in_and_out_of_range() {
    let vm = verify(misc_module()).unwrap();
    let b = Value::bytes(vec![1, 2, 3, 4, 5]);
    let (r, _) = evaluate(
        &vm,
        "slice",
        &[b.clone(), Value::int(1), Value::int(3)],
        100,
    );
    assert_eq!(r.unwrap(), Value::bytes(vec![2, 3, 4]));
    for (s, l) in [(-1, 1), (0, 6), (5, 1), (2, -1), (i128::MAX, 1)] {
        let (r, _) = evaluate(
            &vm,
            "slice",
            &[b.clone(), Value::int(s), Value::int(l)],
            100,
        );
        assert_eq!(r, Err(Trap::SliceOutOfRange), "slice({s}, {l})");
    }
    let (r, _) = evaluate(&vm, "slice", &[b, Value::int(5), Value::int(0)], 100);
    assert_eq!(r.unwrap(), Value::bytes(vec![]));
}

#[test]
fn sha256_of_concatenation_with_per_byte_gas() {
    use sha2::{Digest, Sha256};
    let vm = verify(misc_module()).unwrap();
    let (r, gas) = evaluate(
        &vm,
        "hash_concat",
        &[Value::bytes(b"ab".to_vec()), Value::bytes(vec![0xff; 40])],
        10_000,
    );
    let expected = Sha256::digest([b"tally:".as_slice(), b"ab", &[0xff; 40]].concat());
    assert_eq!(r.unwrap(), Value::bytes(expected.to_vec()));
    // const(5) + concat(2 + 1 word) + concat(2 + 2 words: 48 bytes) + sha256(40 + 48 / 2) + ret(2)
    assert_eq!(gas, 5 + 3 + 4 + (40 + 24) + 2);
    let (r, _) = evaluate(&vm, "len", &[Value::bytes(vec![9; 7])], 100);
    assert_eq!(r.unwrap().as_int(), Some(7));
}

#[test]
fn deep_non_tail_recursion_overflows_the_stack_cleanly() {
    // down(n) = if n <= 0 { 0 } else { down(n - 1) + 1 }
    let mut mb = ModuleBuilder::new();
    let down = mb.declare("down", &[Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let (m, r, s) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    let rec = f.label();
    br_imm(&mut f, Cmp::Gt, Reg(0), 0, rec);
    f.emit(Instr::Int { d: s, k: 0 });
    f.emit(Instr::Ret { a: s });
    f.bind(rec);
    f.emit(Instr::AddI {
        d: m,
        a: f.param(0),
        k: -1,
    });
    f.emit(Instr::Call {
        d: r,
        f: down,
        args: vec![m],
    });
    f.emit(Instr::AddI { d: s, a: r, k: 1 });
    f.emit(Instr::Ret { a: s });
    mb.define(down, f).unwrap();
    mb.export("down", down);
    let vm = verify(mb.finish().unwrap()).unwrap();
    let (r, _) = evaluate(&vm, "down", &[Value::int(100_000)], u64::MAX);
    assert_eq!(r.unwrap().as_int(), Some(100_000));
    let (r, gas) = evaluate(&vm, "down", &[Value::int(5_000_000)], u64::MAX);
    assert_eq!(r, Err(Trap::StackOverflow));
    // Every call before the limit was paid for: br(1) + add.i(1) + call(5,
    // +1 argument, +1 per 8 of the 4 registers) per level.
    assert_eq!(gas % 9, 0);
}

#[test]
fn fused_field_loads_keep_per_instruction_gas() {
    // head_or_zero(xs) = match xs { [] => 0, [h, .._] => h }, two field loads in a row.
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("head", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let (nil, cons) = (f.label(), f.label());
    let (h, t, z) = (f.reg(Ty::Int), f.reg(list), f.reg(Ty::Int));
    f.switch(f.param(0), &[nil, cons]);
    f.bind(cons);
    f.emit(Instr::Field {
        d: h,
        s: f.param(0),
        i: 0,
    });
    f.emit(Instr::Field {
        d: t,
        s: f.param(0),
        i: 1,
    });
    f.emit(Instr::Ret { a: h });
    f.bind(nil);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(id, f).unwrap();
    mb.export("head", id);
    let vm = verify(mb.finish().unwrap()).unwrap();
    let xs = ints([7, 8]);
    assert_eq!(
        evaluate(&vm, "head", std::slice::from_ref(&xs), 100),
        (Ok(Value::int(7)), 6)
    );
    // switch(2) + field(1) fit; the second field does not.
    assert_eq!(
        evaluate(&vm, "head", std::slice::from_ref(&xs), 3),
        (Err(Trap::OutOfGas), 3)
    );
    assert_eq!(
        evaluate(&vm, "head", std::slice::from_ref(&xs), 4),
        (Err(Trap::OutOfGas), 4)
    );
    assert_eq!(
        evaluate(&vm, "head", &[ints([])], 100),
        (Ok(Value::int(0)), 5)
    );
}
