//! The evaluator's interface: runs a [`VerifiedModule`] with exact gas
//! accounting, in one of three [`Metering`] modes that always agree.
//!
//! Registers of all frames live in one vector of 16-byte slots; frames are
//! windows into it, each above a slot holding its return link, so the call
//! stack is that vector and no Rust recursion depends on program data. Tail calls reuse the current window.
//! Constructor cells live in a bump-allocated heap of slots (`[fields..]`)
//! and Bytes in a byte arena; both are freed at once when evaluation ends,
//! so nothing is ever dropped recursively.
//!
//! Slot representation (the verifier guarantees each register's type):
//! Int = the value; Bool = 0/1; unit = 0; Bytes = `offset << 64 | length`;
//! ADT = `tag << 1 | 1` for a nullary variant, `offset << 32 | tag << 1`
//! for a cell.

use crate::error::Trap;
use crate::exec::{self, Mode};
use crate::isa::{Opcode, Size};
use crate::machine::Machine;
use crate::types::Ty;
use crate::value::Value;
use crate::verify::VerifiedModule;

/// Gas for each node pair visited by structural equality (from the `isa!` table).
pub const GAS_EQ_NODE: u64 = Opcode::Eq.cost(Size::NodePairs, 1);
/// Gas per 32-byte word of Bytes compared or concatenated (from the `isa!` table).
pub const GAS_BYTES_WORD: u64 = Opcode::BConcat.cost(Size::OutputBytes, 32);
/// Gas per field of an allocated cell (from the `isa!` table).
pub const GAS_CON_FIELD: u64 = Opcode::Con.cost(Size::Fields, 1);

/// Statistics of one evaluation (for tests and tooling).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Deepest call stack reached (frames, the entry frame included).
    pub max_frames: usize,
    /// Heap slots in use at the end (16 bytes each): the cells of the
    /// arguments, copied in before the call, and those `con` allocated.
    pub heap_slots: usize,
    /// Memory the call itself allocated, in bytes, as the memory bound
    /// counts it (`lang-spec/bounds.md`): 16 per heap slot allocated by
    /// `con` plus the Bytes arena bytes produced by `bytes.concat` and
    /// `sha256`, plus the result handed back (32 bytes per node of its tree
    /// form plus its Bytes' lengths); the arguments copied in before the
    /// call are not counted. On a trap: what was allocated up to it.
    pub allocated_bytes: u64,
    /// Register stack below the deepest frame, in bytes: 16 per slot of
    /// the links and callers' registers under the highest frame base
    /// reached (0 when no frame was pushed). The stack bound covers it and
    /// that frame's registers.
    pub stack_bytes: u64,
}

/// How the evaluator enforces the gas limit. Every mode gives the same
/// result, gas used and [`Stats`] on every input (`lang-spec/bytecode.md` §7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Metering {
    /// Checks the limit once per straight-line run of instructions and, when
    /// a run does not fit, steps through it instruction by instruction, so
    /// `OutOfGas` happens exactly where the per-instruction rule puts it.
    #[default]
    Checked,
    /// Counts gas without comparing it to the limit: for a caller that knows
    /// the run fits (its static gas bound is within the limit). Resource
    /// limits (heap, stack) are still enforced. Should the gas used exceed
    /// the limit after all, the evaluation is repeated [`Metering::Checked`],
    /// so the outcome is still exactly the checked one.
    Unchecked,
    /// The reference: checks and charges before every instruction. Slowest;
    /// for tests that compare it with the other modes.
    PerInstruction,
}

/// Limits and mode of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The gas limit.
    pub gas_limit: u64,
    /// How the limit is enforced.
    pub metering: Metering,
}

impl Options {
    /// Checked metering with this gas limit.
    pub fn checked(gas_limit: u64) -> Options {
        Options {
            gas_limit,
            metering: Metering::Checked,
        }
    }

    /// Unchecked metering with this gas limit (see [`Metering::Unchecked`]).
    pub fn unchecked(gas_limit: u64) -> Options {
        Options {
            gas_limit,
            metering: Metering::Unchecked,
        }
    }
}

/// What an evaluation produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The result, or the trap that stopped the evaluation.
    pub result: Result<Value, Trap>,
    /// Gas used (on a trap: up to and including the trapping instruction,
    /// or excluding it for `OutOfGas`).
    pub gas_used: u64,
    /// Statistics.
    pub stats: Stats,
}

/// Runs entry point `entry` on `args` within `gas_limit`; returns the result
/// (or trap) and the gas used. Never panics.
pub fn evaluate(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64) {
    let o = evaluate_with(vm, entry, args, Options::checked(gas_limit));
    (o.result, o.gas_used)
}

/// Like [`evaluate`], with arguments in the canonical encoding of [`crate::value::encode_args`].
pub fn evaluate_encoded(
    vm: &VerifiedModule,
    entry: &str,
    args: &[u8],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64) {
    match crate::value::decode_args(args) {
        Ok(a) => evaluate(vm, entry, &a, gas_limit),
        Err(e) => (Err(Trap::BadArguments(e.into())), 0),
    }
}

/// Like [`evaluate`], also returning [`Stats`].
pub fn evaluate_with_stats(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64, Stats) {
    let o = evaluate_with(vm, entry, args, Options::checked(gas_limit));
    (o.result, o.gas_used, o.stats)
}

/// Runs entry point `entry` on `args` with explicit [`Options`]. Never panics.
pub fn evaluate_with(vm: &VerifiedModule, entry: &str, args: &[Value], opts: Options) -> Outcome {
    evaluate_capped(vm, entry, args, opts, Caps::MAX)
}

/// How much heap and Bytes arena one evaluation may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Caps {
    /// Heap slots (16 bytes each), the arguments' cells included.
    pub heap_slots: usize,
    /// Bytes arena bytes, the constants and the arguments' Bytes included.
    pub arena_bytes: usize,
}

impl Caps {
    /// The built-in limits.
    pub(crate) const MAX: Caps = Caps {
        heap_slots: crate::limits::MAX_HEAP_SLOTS,
        arena_bytes: crate::limits::MAX_BYTES_ARENA,
    };
}

/// [`evaluate_with`] within `caps` (each clamped to the built-in limit);
/// exceeding one traps with `HeapExhausted`.
pub(crate) fn evaluate_capped(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    opts: Options,
    caps: Caps,
) -> Outcome {
    let o = run(vm, entry, args, opts.gas_limit, opts.metering, caps);
    if opts.metering == Metering::Unchecked && o.gas_used > opts.gas_limit {
        // The caller's promise did not hold: give the checked outcome.
        return run(vm, entry, args, opts.gas_limit, Metering::Checked, caps);
    }
    o
}

fn failed(t: Trap) -> Outcome {
    Outcome {
        result: Err(t),
        gas_used: 0,
        stats: Stats::default(),
    }
}

fn run(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    limit: u64,
    m: Metering,
    caps: Caps,
) -> Outcome {
    let module = vm.module();
    let Ok(ei) = module
        .exports
        .binary_search_by(|e| e.name.as_str().cmp(entry))
    else {
        return failed(Trap::UnknownEntry(entry.to_string()));
    };
    let fi = module.exports[ei].func.0 as usize;
    let Some(f) = module.functions.get(fi) else {
        return failed(Trap::Internal("export out of range"));
    };
    if args.len() != f.params.len() {
        let e = crate::error::ValueError::ArgumentCount {
            expected: f.params.len(),
            found: args.len(),
        };
        return failed(Trap::BadArguments(e));
    }
    for (a, &t) in args.iter().zip(&f.params) {
        if let Err(e) = a.check(t, &module.adts) {
            return failed(Trap::BadArguments(e));
        }
    }
    // Unchecked mode counts down from the largest budget and never compares.
    let start = if m == Metering::Unchecked {
        u64::MAX
    } else {
        limit
    };
    let mut mach = Machine::new(&vm.program, &module.adts, start);
    mach.heap_cap = caps.heap_slots.min(Caps::MAX.heap_slots);
    mach.arena_cap = caps.arena_bytes.min(Caps::MAX.arena_bytes);
    let mut slots = Vec::new();
    for a in args {
        match mach.load(a) {
            Ok(s) => slots.push(s),
            Err(t) => return failed(t),
        }
    }
    // Only `con`, `bytes.concat` and `sha256` grow the heap and the arena
    // from here on, so the growth is what the call allocated.
    let (heap0, arena0) = (mach.heap.len(), mach.bytes.len());
    let mode = match m {
        Metering::Checked => Mode::Runs,
        Metering::Unchecked => Mode::Unchecked,
        Metering::PerInstruction => Mode::Each,
    };
    // What the result may grow by before its growth is charged: the
    // measures of the ADT and Bytes arguments (an Int's is its value).
    let allowance = args
        .iter()
        .zip(&f.params)
        .filter(|(_, t)| matches!(t, Ty::Adt(_) | Ty::Bytes))
        .map(|(a, &t)| crate::bound::measure(a, t))
        .fold(0u128, u128::saturating_add);
    let mut result_bytes = 0;
    let result = exec::run(&mut mach, fi, &slots, mode).and_then(|s| {
        let (value, memory) = mach.extract(s, f.result, allowance)?;
        result_bytes = memory;
        Ok(value)
    });
    Outcome {
        result,
        gas_used: start.wrapping_sub(mach.gas),
        stats: Stats {
            max_frames: mach.max_frames,
            stack_bytes: 16 * mach.max_base as u64,
            heap_slots: mach.heap.len(),
            allocated_bytes: (16 * mach.heap.len().saturating_sub(heap0) as u64)
                .saturating_add(mach.bytes.len().saturating_sub(arena0) as u64)
                .saturating_add(result_bytes),
        },
    }
}
