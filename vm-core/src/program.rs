//! The pre-decoded internal form the evaluator runs.
//!
//! The verifier lowers every instruction 1:1 into an [`Op`] with absolute
//! jump targets, 16-bit registers and side tables for variable-length
//! operands, so dispatch is a single `match` on a 16-byte value.

use crate::isa::Opcode;
pub(crate) use crate::ops::Op;

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
        self.ops.resize(padded, Op::Unreachable {});
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

    /// The gas of the fused op at `at` of the fast code: the per-instruction
    /// gas of the base ops it stands for ([`OpKind::parts`]), which sit at
    /// `at` and after it in [`Program::ops`]; for a base op, its own.
    ///
    /// [`OpKind::parts`]: crate::ops::OpKind::parts
    #[cfg(test)]
    pub fn fused_gas(&self, at: usize) -> u64 {
        let n = self
            .fast
            .get(at)
            .map_or(0, |s| s.op.kind().parts().len().max(1));
        self.op_gas.iter().skip(at).take(n).sum()
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
