//! Snapshots of the disassembler output.

mod common;

use common::*;
use vm_core::format::*;

#[test]
fn disassemble_sum() {
    insta::assert_snapshot!(disassemble(&sum_module()));
}

#[test]
fn disassemble_lists() {
    insta::assert_snapshot!(disassemble(&list_module()));
}

#[test]
fn disassemble_constants_and_bytes() {
    let mut mb = ModuleBuilder::new();
    let id = mb.declare("tag", &[Ty::Bytes], Ty::Bytes);
    let k = mb.constant(Const::Bytes(b"tally".to_vec()));
    let _ = mb.constant(Const::Int(-3));
    let mut f = FunctionBuilder::new(&[Ty::Bytes]);
    let (p, c, h) = (f.reg(Ty::Bytes), f.reg(Ty::Bytes), f.reg(Ty::Bytes));
    f.emit(Instr::Const { d: p, k });
    f.emit(Instr::BConcat {
        d: c,
        a: p,
        b: f.param(0),
    });
    f.emit(Instr::Sha256 { d: h, a: c });
    f.emit(Instr::Ret { a: h });
    mb.define(id, f).unwrap();
    mb.export("tag", id);
    insta::assert_snapshot!(disassemble(&mb.finish().unwrap()));
}
