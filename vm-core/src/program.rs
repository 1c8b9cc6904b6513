//! The pre-decoded internal form the evaluator runs.
//!
//! The verifier lowers every instruction 1:1 into an [`Op`] with absolute
//! jump targets, 16-bit registers and side tables for variable-length
//! operands, so dispatch is a single `match` on a 16-byte value.

use crate::crypto::{HashFn, SigScheme};
use crate::eval::{GAS_CON_FIELD, GAS_EQ_NODE};
use crate::isa::Opcode;
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
    /// Arguments are `arg_regs[args .. args + arity(f)]`; `up` is the
    /// caller's frame size (the callee's registers start `up + 1` slots
    /// above the caller's, after the return link).
    Call {
        d: u16,
        up: u16,
        f: u32,
        args: u32,
    },
    TailCall {
        f: u32,
        args: u32,
    },
    /// Call of a function with at most 3 parameters: arguments inline
    /// (unused entries are register 0), callee entry resolved, `up` as in
    /// [`Op::Call`].
    CallS {
        d: u16,
        up: u16,
        entry: u32,
        a: [u16; 3],
        n: u8,
    },
    /// Tail call with at most 3 arguments, resolved like [`Op::CallS`].
    TailCallS {
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
    /// Trap with the Bytes constant `const_slots[k]` as the reason.
    Fail {
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
    /// Superinstruction: `add.i` then the [`Op::TailCallS`] that follows it.
    AddITail {
        d: u16,
        a: u16,
        k: i64,
    },
    /// Superinstruction: `add.i` then the [`Op::CallS`] that follows it.
    AddICall {
        d: u16,
        a: u16,
        k: i64,
    },
    /// [`Op::CallS`] of a function whose first op is an Int guard on a
    /// parameter, resolved at the call site in `call_guards[g]`: the call
    /// runs the guard too, and when the guard leads to a `ret` of a
    /// parameter (a base case), it returns that argument without a frame.
    CallG {
        d: u16,
        up: u16,
        g: u32,
        a: [u16; 3],
        n: u8,
    },
    /// Superinstruction: `add.i` then the [`Op::CallG`] that follows it.
    AddICallG {
        d: u16,
        a: u16,
        k: i64,
    },
    /// Superinstruction: `add` then the [`Op::TailCallS`] that follows it.
    AddTail {
        d: u16,
        a: u16,
        b: u16,
    },
    /// Superinstruction: `add` then the [`Op::Ret`] of its sum that
    /// follows it (the sum is returned, not written: the frame ends).
    AddRet {
        d: u16,
        a: u16,
        b: u16,
    },
    /// Superinstruction: [`Op::ConS`] then the [`Op::TailCallS`] that follows it.
    ConSTail {
        d: u16,
        tag: u16,
        a: [u16; 3],
        n: u8,
    },
    /// Superinstruction: `add.i`, then the `add` and the [`Op::TailCallS`]
    /// that follow it (the next op is their [`Op::AddTail`]): the loop step
    /// of an accumulator function (`f(n - 1, acc + n)`).
    AddIAddTail {
        d: u16,
        a: u16,
        k: i64,
    },
    /// Superinstruction: `add.i`, then the [`Op::ConS`] and the
    /// [`Op::TailCallS`] that follow it (the next op is their
    /// [`Op::ConSTail`]): the step of a list builder (`f(n - 1, [n, ..acc])`).
    AddIConTail {
        d: u16,
        a: u16,
        k: i64,
    },
    /// [`Op::AddIAddTail`] whose tail call passes exactly the two sums, in
    /// order: they are written to the parameters directly, not through the
    /// (dead after the call) register of the second sum.
    AddIAddTailDirect {
        d: u16,
        a: u16,
        k: i64,
    },
    /// [`Op::AddTail`] whose tail call passes two arguments, the second the
    /// sum and the first another register: the sum goes to the parameter
    /// directly.
    AddTailDirect {
        d: u16,
        a: u16,
        b: u16,
    },
    /// [`Op::AddIConTail`] whose tail call passes exactly the sum and the new
    /// cell, in order (see [`Op::AddIAddTailDirect`]).
    AddIConTailDirect {
        d: u16,
        a: u16,
        k: i64,
    },
    /// A loop: [`Op::AddIAddTailDirect`] whose tail call enters a function
    /// whose first op is a guard ([`Guard`](crate::fuse::Guard)) with this
    /// op as one successor. It runs the step, the guard and the step again
    /// without a dispatch for as long as the guard comes back to it.
    AddIAddLoop {
        d: u16,
        a: u16,
        k: i64,
    },
    /// A loop: [`Op::AddIConTailDirect`] whose tail call comes back to it
    /// through the callee's guard, as [`Op::AddIAddLoop`].
    AddIConLoop {
        d: u16,
        a: u16,
        k: i64,
    },
    /// A loop: [`Op::AddTailDirect`] right after an [`Op::Field2`] (at the
    /// two slots before it), whose tail call comes back to that `Field2`
    /// through the callee's guard: the step of a fold that sums
    /// (`f(rest, acc + x)` after `Cons(x, rest)` is taken apart).
    FieldsAddLoop {
        d: u16,
        a: u16,
        b: u16,
    },
    /// Superinstruction: [`Op::ConS`] then the [`Op::Ret`] that follows it.
    ConSRet {
        d: u16,
        tag: u16,
        a: [u16; 3],
        n: u8,
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
    /// A 32-byte digest of `a` (the hash instructions).
    Hash {
        d: u16,
        a: u16,
        f: HashFn,
    },
    /// A signature check: key `k`, message `m`, signature `s`.
    SigVerify {
        d: u16,
        k: u16,
        m: u16,
        s: u16,
        f: SigScheme,
    },
    /// A `map.*` instruction: `d = kind(a, b, c)`.
    Map {
        d: u16,
        kind: MapKind,
        a: u16,
        b: u16,
        c: u16,
        /// Keys are Bytes (else Int).
        key_bytes: bool,
    },
    /// Dead code (never reached, per the verifier).
    Unreachable,
}

/// Which `map.*` instruction an [`Op::Map`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MapKind {
    Empty,
    Get,
    Contains,
    Insert,
    Remove,
    Size,
    ToList,
    FromList,
}

impl MapKind {
    /// The instruction's opcode.
    pub(crate) fn opcode(self) -> Opcode {
        match self {
            MapKind::Empty => Opcode::MapEmpty,
            MapKind::Get => Opcode::MapGet,
            MapKind::Contains => Opcode::MapContains,
            MapKind::Insert => Opcode::MapInsert,
            MapKind::Remove => Opcode::MapRemove,
            MapKind::Size => Opcode::MapSize,
            MapKind::ToList => Opcode::MapToList,
            MapKind::FromList => Opcode::MapFromList,
        }
    }
}

/// One op of the fast code and the gas of the straight-line run starting at
/// it: the ops from it to the next op that ends a run ([`Op::ends_run`]),
/// inclusive. Charged on entering a run at this op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub op: Op,
    pub run: u64,
}

/// Code the interpreter loop can run: instruction fetch by a `pc` that is
/// masked to the (power-of-two) length, so fetching needs no bounds check.
pub(crate) trait Code {
    /// The op at `pc` (masked).
    fn op(&self, pc: usize) -> &Op;
    /// The gas of the run starting at `pc` (masked); 0 if not recorded.
    fn run_gas(&self, pc: usize) -> u64;
}

impl Code for [Op] {
    #[inline(always)]
    fn op(&self, pc: usize) -> &Op {
        &self[pc & (self.len() - 1)]
    }
    #[inline(always)]
    fn run_gas(&self, _: usize) -> u64 {
        0
    }
}

impl Code for [Slot] {
    #[inline(always)]
    fn op(&self, pc: usize) -> &Op {
        &self[pc & (self.len() - 1)].op
    }
    #[inline(always)]
    fn run_gas(&self, pc: usize) -> u64 {
        self[pc & (self.len() - 1)].run
    }
}

/// A call whose callee starts with an Int guard on a parameter
/// ([`Op::CallG`]), seen from the call site: the guard on the caller's
/// registers, where it leads, and whether one side is a base case that
/// returns an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallGuard {
    /// The callee's first op (the guard).
    pub entry: u32,
    /// The caller's register holding the guarded argument.
    pub x: u16,
    /// The guard goes to `inside` if `lo <= x <= hi`, else to `outside`.
    pub lo: i128,
    pub hi: i128,
    pub inside: u32,
    pub outside: u32,
    /// The side of the guard (`Some(true)`: inside) that is a `ret` of a
    /// parameter, and the caller's register holding that argument.
    pub leaf: Option<bool>,
    pub ret: u16,
    /// The gas of the guard's run, and of the base case's `ret`.
    pub entry_gas: u64,
    pub ret_gas: u64,
}

/// Per-function data the evaluator needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FuncInfo {
    pub entry: u32,
    pub nparams: u16,
}

impl Op {
    /// The gas the per-instruction rule charges before this op runs: the
    /// whole cost of fixed-cost instructions, the base of the others. For
    /// calls (whose cost depends on the callee) only the base: the program's
    /// [`Program::op_gas`] has their whole static cost.
    pub fn gas(self) -> u64 {
        let fixed = |o: Opcode| o.gas();
        match self {
            Op::Ret { .. } => fixed(Opcode::Ret),
            Op::Jmp { .. } => fixed(Opcode::Jmp),
            Op::BrIf { .. } => fixed(Opcode::BrIf),
            Op::BrIfNot { .. } => fixed(Opcode::BrIfNot),
            Op::BrLtI { .. } => fixed(Opcode::BrLtI),
            Op::BrLeI { .. } => fixed(Opcode::BrLeI),
            Op::BrGtI { .. } => fixed(Opcode::BrGtI),
            Op::BrGeI { .. } => fixed(Opcode::BrGeI),
            Op::BrEqI { .. } => fixed(Opcode::BrEqI),
            Op::BrNeI { .. } => fixed(Opcode::BrNeI),
            Op::BrLt { .. } => fixed(Opcode::BrLt),
            Op::BrLe { .. } => fixed(Opcode::BrLe),
            Op::Switch { .. } => fixed(Opcode::Switch),
            Op::Call { .. } | Op::CallS { .. } | Op::CallG { .. } => fixed(Opcode::Call),
            Op::TailCall { .. } | Op::TailCallS { .. } => fixed(Opcode::TailCall),
            Op::ConS { n, .. } => fixed(Opcode::Con) + u64::from(n) * GAS_CON_FIELD,
            Op::Con { n, .. } => fixed(Opcode::Con) + u64::from(n) * GAS_CON_FIELD,
            Op::Nullary { .. } => fixed(Opcode::Con),
            Op::Mov { .. } => fixed(Opcode::Mov),
            Op::Imm { .. } => fixed(Opcode::Int),
            Op::Const { .. } => fixed(Opcode::Const),
            Op::Fail { .. } => fixed(Opcode::Fail),
            Op::Field2 { .. } | Op::Field { .. } => fixed(Opcode::Field),
            // Superinstructions occur only in the fast code, charged by run;
            // this is the gas of their first part.
            Op::AddITail { .. }
            | Op::AddICall { .. }
            | Op::AddICallG { .. }
            | Op::AddIAddTail { .. }
            | Op::AddIConTail { .. }
            | Op::AddIAddTailDirect { .. }
            | Op::AddIConTailDirect { .. }
            | Op::AddIAddLoop { .. }
            | Op::AddIConLoop { .. } => fixed(Opcode::AddI),
            Op::AddTail { .. }
            | Op::AddTailDirect { .. }
            | Op::FieldsAddLoop { .. }
            | Op::AddRet { .. } => fixed(Opcode::Add),
            Op::ConSRet { n, .. } | Op::ConSTail { n, .. } => {
                fixed(Opcode::Con) + u64::from(n) * GAS_CON_FIELD
            }
            Op::Add { .. } => fixed(Opcode::Add),
            Op::Sub { .. } => fixed(Opcode::Sub),
            Op::Mul { .. } => fixed(Opcode::Mul),
            Op::Div { .. } => fixed(Opcode::Div),
            Op::Rem { .. } => fixed(Opcode::Rem),
            Op::Neg { .. } => fixed(Opcode::Neg),
            Op::AddI { .. } => fixed(Opcode::AddI),
            Op::Lt { .. } => fixed(Opcode::Lt),
            Op::Le { .. } => fixed(Opcode::Le),
            // One node pair, always: a fixed cost.
            Op::EqScalar { .. } => fixed(Opcode::Eq) + GAS_EQ_NODE,
            Op::EqDeep { .. } => fixed(Opcode::Eq),
            Op::Not { .. } => fixed(Opcode::Not),
            Op::BLen { .. } => fixed(Opcode::BLen),
            Op::BConcat { .. } => fixed(Opcode::BConcat),
            Op::BSlice { .. } => fixed(Opcode::BSlice),
            Op::Hash { f, .. } => fixed(f.opcode()),
            Op::SigVerify { f, .. } => fixed(f.opcode()),
            Op::Map { kind, .. } => fixed(kind.opcode()),
            Op::Unreachable => 0,
        }
    }

    /// Whether the op's cost depends on the data (it charges the rest itself).
    pub fn dynamic_gas(self) -> bool {
        matches!(
            self,
            Op::EqDeep { .. }
                | Op::BConcat { .. }
                | Op::Hash { .. }
                | Op::SigVerify { .. }
                | Op::Map { .. }
        )
    }

    /// Whether this op ends a straight-line run: it may transfer control
    /// (branches, calls, returns), or its cost depends on the data.
    pub fn ends_run(self) -> bool {
        self.dynamic_gas()
            || matches!(
                self,
                Op::Ret { .. }
                    | Op::Jmp { .. }
                    | Op::BrIf { .. }
                    | Op::BrIfNot { .. }
                    | Op::BrLtI { .. }
                    | Op::BrLeI { .. }
                    | Op::BrGtI { .. }
                    | Op::BrGeI { .. }
                    | Op::BrEqI { .. }
                    | Op::BrNeI { .. }
                    | Op::BrLt { .. }
                    | Op::BrLe { .. }
                    | Op::Switch { .. }
                    | Op::Call { .. }
                    | Op::CallS { .. }
                    | Op::CallG { .. }
                    | Op::TailCall { .. }
                    | Op::TailCallS { .. }
                    | Op::Fail { .. }
                    | Op::Unreachable
            )
    }
}

/// A whole verified module in internal form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Program {
    /// The code lowered 1:1 (what the per-instruction mode runs).
    pub ops: Vec<Op>,
    /// The gas the per-instruction rule charges before each op of `ops`
    /// runs ([`crate::isa::Instr::static_gas`] of its instruction; for a
    /// call it depends on the callee, which the op does not hold). Same
    /// indices as `ops`.
    pub op_gas: Vec<u64>,
    /// The same code with superinstructions, for the run-charging modes:
    /// an op that fuses op `i` with its successors sits at `i`, and the
    /// successors stay in place (for jumps to them). Same indices as `ops`.
    pub fast: Vec<Slot>,
    pub funcs: Vec<FuncInfo>,
    /// What the [`Op::CallG`] calls know of their callee's guard.
    pub call_guards: Vec<CallGuard>,
    pub arg_regs: Vec<u16>,
    pub switch_targets: Vec<u32>,
    pub const_slots: Vec<i128>,
    /// Initial Bytes arena: the Bytes constants, back to back.
    pub const_bytes: Vec<u8>,
    /// Per ADT, nodes per unit of measure ([`crate::types::nodes_per_cell_table`]):
    /// what the final `ret` charges per unit a result grew by.
    pub nodes_per_cell: Vec<u64>,
}

impl Program {
    /// Completes lowering: pads the code to a power of two (the evaluator
    /// fetches with a mask instead of a bounds check), forms the
    /// superinstructions and computes the run costs.
    pub fn finish(&mut self) {
        let padded = self.ops.len().max(1).next_power_of_two();
        self.ops.resize(padded, Op::Unreachable);
        self.op_gas.resize(padded, 0);
        let mut run = vec![0u64; padded];
        let mut acc = 0u64;
        for (i, op) in self.ops.iter().enumerate().rev() {
            let g = self.op_gas.get(i).copied().unwrap_or(0);
            acc = if op.ends_run() { g } else { acc + g };
            run[i] = acc;
        }
        let (fused, call_guards) = crate::fuse::fuse(&self.ops, &self.switch_targets, &run);
        self.call_guards = call_guards;
        self.fast = fused
            .into_iter()
            .zip(run)
            .map(|(op, run)| Slot { op, run })
            .collect();
    }

    /// The gas of the run starting at op `at` (0 outside the code).
    pub fn run_gas(&self, at: usize) -> u64 {
        self.fast.get(at).map_or(0, |s| s.run)
    }
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

/// The slot of a cell whose fields start at heap offset `o`, of variant
/// `tag`: the tag travels in the slot, so reading it needs no heap access
/// and a cell is just its fields.
pub(crate) fn cell_slot(o: usize, tag: u32) -> i128 {
    ((o as i128) << 32) | (i128::from(tag) << 1)
}

/// The heap offset of the first field of the cell in `slot`.
pub(crate) fn cell_offset(slot: i128) -> usize {
    (slot >> 32) as usize
}

/// The variant tag of an ADT slot, a cell or a nullary variant.
pub(crate) fn slot_tag(slot: i128) -> u32 {
    (slot >> 1) as u32 & 0x7fff_ffff
}

/// Where a `switch` on `slot` with targets at `table` goes (`None` for a
/// tag past the table, which verified code never has).
#[inline(always)]
pub(crate) fn switch_target(switch_targets: &[u32], table: usize, slot: i128) -> Option<usize> {
    let tag = slot_tag(slot) as usize;
    switch_targets.get(table + tag).map(|&t| t as usize)
}

/// Allocates a cell of variant `tag` holding `fields`; returns its slot, or
/// `None` when the heap would exceed `cap` slots.
#[inline(always)]
pub(crate) fn push_cell(
    heap: &mut Vec<i128>,
    cap: usize,
    tag: u32,
    fields: &[i128],
) -> Option<i128> {
    let o = heap.len();
    if o + fields.len() > cap {
        return None;
    }
    heap.extend_from_slice(fields);
    Some(cell_slot(o, tag))
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
