//! The pre-decoded internal form the evaluator runs.
//!
//! The verifier lowers every instruction 1:1 into an [`Op`] with absolute
//! jump targets, 16-bit registers and side tables for variable-length
//! operands, so dispatch is a single `match` on a 16-byte value.

use crate::types::Ty;

/// One internal operation. Registers are frame-relative `u16`s; jump
/// targets are absolute indices into [`Program::ops`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Ret {
        a: u16,
    },
    Jmp {
        t: u32,
    },
    BrIf {
        c: u16,
        t: u32,
    },
    BrIfNot {
        c: u16,
        t: u32,
    },
    BrLtI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrLeI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrGtI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrGeI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrEqI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrNeI {
        a: u16,
        k: i64,
        t: u32,
    },
    BrLt {
        a: u16,
        b: u16,
        t: u32,
    },
    BrLe {
        a: u16,
        b: u16,
        t: u32,
    },
    /// Targets are `switch_targets[table + tag]`.
    Switch {
        s: u16,
        table: u32,
    },
    /// Arguments are `arg_regs[args .. args + arity(f)]`.
    Call {
        d: u16,
        f: u32,
        args: u32,
    },
    TailCall {
        f: u32,
        args: u32,
    },
    /// Call of a function with at most 3 parameters: arguments inline
    /// (unused entries are register 0), callee entry and frame size resolved.
    CallS {
        d: u16,
        nregs: u16,
        entry: u32,
        a: [u16; 3],
        n: u8,
    },
    /// Tail call with at most 3 arguments, resolved like [`Op::CallS`].
    TailCallS {
        nregs: u16,
        entry: u32,
        a: [u16; 3],
        n: u8,
    },
    /// Allocation of a cell with 1 to 3 fields given inline.
    ConS {
        d: u16,
        tag: u16,
        a: [u16; 3],
        n: u8,
    },
    Mov {
        d: u16,
        s: u16,
    },
    /// Load a slot value that fits an `i64` (Int, Bool, unit, nullary variant).
    Imm {
        d: u16,
        k: i64,
    },
    /// A nullary variant (no allocation; costs what `con` costs).
    Nullary {
        d: u16,
        k: i64,
    },
    /// Load `const_slots[k]`.
    Const {
        d: u16,
        k: u32,
    },
    /// Allocate a cell with `tag` and fields `arg_regs[fields .. fields + n]`.
    Con {
        d: u16,
        tag: u32,
        n: u16,
        fields: u32,
    },
    /// Superinstruction: `field d1, s, i1` then `field d2, s, i2` (the next
    /// op, which stays in place for jumps to it), with `d1 != s`.
    Field2 {
        d1: u16,
        i1: u16,
        d2: u16,
        i2: u16,
        s: u16,
    },
    Field {
        d: u16,
        s: u16,
        i: u16,
    },
    Add {
        d: u16,
        a: u16,
        b: u16,
    },
    Sub {
        d: u16,
        a: u16,
        b: u16,
    },
    Mul {
        d: u16,
        a: u16,
        b: u16,
    },
    Div {
        d: u16,
        a: u16,
        b: u16,
    },
    Rem {
        d: u16,
        a: u16,
        b: u16,
    },
    Neg {
        d: u16,
        a: u16,
    },
    AddI {
        d: u16,
        a: u16,
        k: i64,
    },
    Lt {
        d: u16,
        a: u16,
        b: u16,
    },
    Le {
        d: u16,
        a: u16,
        b: u16,
    },
    /// Equality of one-slot scalars (Int, Bool, unit); `neg` for `!=`.
    EqScalar {
        d: u16,
        a: u16,
        b: u16,
        neg: bool,
    },
    /// Structural equality of values of type `ty`; `neg` for `!=`.
    EqDeep {
        d: u16,
        a: u16,
        b: u16,
        ty: Ty,
        neg: bool,
    },
    Not {
        d: u16,
        a: u16,
    },
    BLen {
        d: u16,
        a: u16,
    },
    BConcat {
        d: u16,
        a: u16,
        b: u16,
    },
    BSlice {
        d: u16,
        a: u16,
        start: u16,
        len: u16,
    },
    Sha256 {
        d: u16,
        a: u16,
    },
    /// Dead code (never reached, per the verifier).
    Unreachable,
}

/// Per-function data the evaluator needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FuncInfo {
    pub entry: u32,
    pub nparams: u16,
    pub nregs: u16,
}

/// A whole verified module in internal form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Program {
    pub ops: Vec<Op>,
    pub funcs: Vec<FuncInfo>,
    pub arg_regs: Vec<u16>,
    pub switch_targets: Vec<u32>,
    pub const_slots: Vec<i128>,
    /// Initial Bytes arena: the Bytes constants, back to back.
    pub const_bytes: Vec<u8>,
}

/// Packs a Bytes value (offset and length in the arena) into a slot.
pub(crate) fn bytes_slot(off: usize, len: usize) -> i128 {
    ((off as u128) << 64 | len as u128) as i128
}

/// Unpacks a Bytes slot into (offset, length).
pub(crate) fn bytes_parts(slot: i128) -> (usize, usize) {
    let u = slot as u128;
    ((u >> 64) as usize, (u & 0xffff_ffff_ffff_ffff) as usize)
}

/// The slot of a nullary variant with this tag (no allocation).
pub(crate) fn nullary_slot(tag: u32) -> i128 {
    (i128::from(tag) << 1) | 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn op_is_compact() {
        assert!(std::mem::size_of::<super::Op>() <= 16);
    }
}
