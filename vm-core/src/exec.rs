//! The interpreter loop, in three gas modes compiled from one body.
//!
//! - [`Mode::Each`] runs the 1:1 code ([`Program::ops`]) and charges every
//!   instruction before it runs: the rule of `lang-spec/bytecode.md` §4.
//! - [`Mode::Runs`] runs the fused code ([`Program::fast`]) and charges the
//!   whole straight-line run ([`Slot::run`](crate::program::Slot)) on entering it: at the
//!   entry, after every op that ends a run (a branch, call, return or an op
//!   whose cost depends on data), at its successor or target. A run that
//!   does not fit the remaining gas is handed to [`Mode::Each`] at its first
//!   op, which stops at exactly the instruction the per-instruction rule
//!   stops at (the run cannot complete). A trap inside a prepaid run refunds
//!   the ops after the trapping one. Data-dependent costs are charged by
//!   their op, against exact remaining gas, because such an op ends its run.
//! - [`Mode::Unchecked`] is [`Mode::Runs`] without comparisons: it only counts.
//!
//! So all three give the same result, gas used and statistics.

use crate::error::Trap;
use crate::limits::{MAX_CALL_DEPTH, MAX_STACK_SLOTS};
use crate::loops::{self, Looping, Stop};
use crate::machine::Machine;
use crate::program::{Code, Op, Program, cell_offset, push_cell, switch_target};
use crate::spare::{self, Slots};

/// Width of a frame window: every register index is below it, so indexing a
/// window needs no bounds check.
pub(crate) const WINDOW: usize = crate::limits::MAX_REGS as usize;
const _: () = assert!(WINDOW.is_power_of_two());

/// How gas is checked; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Per instruction, on the 1:1 code.
    Each,
    /// Per straight-line run, on the fused code.
    Runs,
    /// Counted per run, never compared.
    Unchecked,
}

/// [`Mode::Each`] as a const generic parameter.
const EACH: u8 = 0;
/// [`Mode::Runs`] as a const generic parameter.
pub(crate) const RUNS: u8 = 1;
/// [`Mode::Unchecked`] as a const generic parameter.
pub(crate) const UNCHECKED: u8 = 2;

/// A frame's return link, kept in the register slot just below the frame:
/// where the caller resumes, which of its registers receives the result
/// and how far below the caller's registers start.
fn link(ret_pc: usize, dest: u16, up: u16) -> i128 {
    (ret_pc as u64 | u64::from(dest) << 32 | u64::from(up) << 48).into()
}

/// The parts of a [`link`]: `(ret_pc, dest, up)`.
fn unlink(slot: i128) -> (usize, u16, u16) {
    let w = slot as u64;
    ((w as u32) as usize, (w >> 32) as u16, (w >> 48) as u16)
}

/// Registers, call depth and position: what a mode hands to another.
struct Regs {
    stack: Vec<i128>,
    /// Frames below the current one (0 in the entry frame).
    depth: usize,
    pc: usize,
    base: usize,
}

enum Exit {
    Done(Result<i128, Trap>),
    /// The run at `pc` does not fit: continue per instruction.
    Stepwise,
}

/// The register stack's length needed while the top frame starts at slot
/// `base`: its window, and the link and window of a frame it may call (the
/// stack grows when a frame is entered, so a call never has to grow it
/// between reading its arguments and writing them).
#[inline(always)]
fn room(base: usize) -> usize {
    base + 2 * WINDOW + 1
}

/// The register stack's new length when it is shorter than [`room`]
/// (`len`): doubled, but no longer than a frame at [`MAX_STACK_SLOTS`] needs.
#[cold]
fn grown(base: usize, len: usize) -> usize {
    room(base).max(len * 2).min(room(MAX_STACK_SLOTS))
}

/// Whether a frame can be pushed on `depth` frames below the current one,
/// starting `up + 1` slots above the current frame's `base`; if not, the
/// call traps with `StackOverflow`.
#[inline(always)]
fn frame_fits(depth: usize, base: usize, up: u16) -> bool {
    depth + 1 < MAX_CALL_DEPTH && base + usize::from(up) < MAX_STACK_SLOTS
}

/// Runs function `entry` on argument slots; returns its result slot.
pub(crate) fn run(
    mach: &mut Machine<'_>,
    entry: usize,
    args: &[i128],
    mode: Mode,
) -> Result<i128, Trap> {
    let p = mach.p;
    let n = p.ops.len();
    if !n.is_power_of_two() || p.fast.len() != n {
        return Err(Trap::Internal("program not finished"));
    }
    let info = *p.funcs.get(entry).ok_or(Trap::Internal("entry"))?;
    let mut stack = spare::take_slots(Slots::Regs);
    stack.resize(room(0), 0);
    stack
        .get_mut(..args.len())
        .ok_or(Trap::Internal("arguments"))?
        .copy_from_slice(args);
    let mut regs = Regs {
        stack,
        depth: 0,
        pc: info.entry as usize,
        base: 0,
    };
    mach.max_frames = 1;
    mach.max_base = 0;
    let first = p.run_gas(regs.pc);
    let exit = match mode {
        Mode::Each => exec::<EACH, _>(mach, p.ops.as_slice(), &mut regs),
        Mode::Unchecked => {
            mach.gas = mach.gas.wrapping_sub(first);
            exec::<UNCHECKED, _>(mach, p.fast.as_slice(), &mut regs)
        }
        Mode::Runs if mach.gas < first => exec::<EACH, _>(mach, p.ops.as_slice(), &mut regs),
        Mode::Runs => {
            mach.gas -= first;
            exec::<RUNS, _>(mach, p.fast.as_slice(), &mut regs)
        }
    };
    let result = match exit {
        Exit::Done(r) => r,
        Exit::Stepwise => match exec::<EACH, _>(mach, p.ops.as_slice(), &mut regs) {
            Exit::Done(r) => r,
            Exit::Stepwise => Err(Trap::Internal("stepwise")),
        },
    };
    spare::give_slots(Slots::Regs, regs.stack);
    result
}

/// Gas to give back when the op at `at` traps inside a prepaid run: the
/// cost of the ops after it in its run.
#[cold]
#[inline(never)]
fn refund(p: &Program, at: usize) -> u64 {
    match p.ops.get(at) {
        Some(op) if !op.ends_run() => p.run_gas(at + 1),
        _ => 0,
    }
}

/// Marks trap paths as unlikely for the optimiser.
#[cold]
#[inline(never)]
fn cold(t: Trap) -> Trap {
    t
}

/// The interpreter loop for gas mode `M` on `code` (of power-of-two length).
fn exec<const M: u8, C: Code + ?Sized>(mach: &mut Machine<'_>, code: &C, regs: &mut Regs) -> Exit {
    let p = mach.p;
    let mut stack = std::mem::take(&mut regs.stack);
    let mut tmp: Vec<i128> = Vec::new();
    let (mut pc, mut base, mut depth) = (regs.pc, regs.base, regs.depth);
    let mut gas = mach.gas;
    let mut max_frames = mach.max_frames;
    let mut max_base = mach.max_base;

    let exit = 'run: {
        let mut win: &mut [i128; WINDOW] = match stack
            .get_mut(base..base + WINDOW)
            .map(<&mut [i128; WINDOW]>::try_from)
        {
            Some(Ok(w)) => w,
            _ => break 'run Exit::Done(Err(Trap::Internal("window"))),
        };
        loop {
            macro_rules! fail {
                ($t:expr) => {{
                    let t = $t;
                    if M != EACH {
                        gas = gas.wrapping_add(refund(p, pc - 1));
                    }
                    break 'run Exit::Done(Err(cold(t)));
                }};
            }
            // Charges one instruction (per-instruction mode only).
            macro_rules! charge {
                ($c:expr) => {{
                    if M == EACH {
                        let c: u64 = $c;
                        if gas < c {
                            fail!(Trap::OutOfGas);
                        }
                        gas -= c;
                    }
                }};
            }
            // Enters the run starting at `pc` (run modes only).
            macro_rules! enter {
                () => {{
                    if M != EACH {
                        let c = code.run_gas(pc);
                        if M == UNCHECKED {
                            gas = gas.wrapping_sub(c);
                        } else if gas < c {
                            break 'run Exit::Stepwise;
                        } else {
                            gas -= c;
                        }
                    }
                }};
            }
            macro_rules! r {
                ($x:expr) => {
                    win[usize::from($x) & (WINDOW - 1)]
                };
            }
            // The window of registers starting at slot `$b`.
            macro_rules! window {
                ($b:expr) => {{
                    let b: usize = $b;
                    match stack
                        .get_mut(b..)
                        .and_then(|s| s.first_chunk_mut::<WINDOW>())
                    {
                        Some(w) => w,
                        None => fail!(Trap::Internal("window")),
                    }
                }};
            }
            macro_rules! int_op {
                ($op:expr, $d:expr, $a:expr, $b:expr, $f:ident) => {{
                    charge!($op.gas());
                    match r!($a).$f(r!($b)) {
                        Some(v) => r!($d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }};
            }
            macro_rules! branch {
                ($op:expr, $cond:expr, $t:expr) => {{
                    charge!($op.gas());
                    if $cond {
                        pc = $t as usize;
                    }
                    enter!();
                }};
            }
            // Pushes a frame returning to `pc` into `$d`: writes its link
            // above the caller's `$up` registers, moves the window above the
            // link and copies the arguments `$args` into it.
            macro_rules! push_frame {
                ($d:expr, $up:expr, $args:expr) => {{
                    let up: u16 = $up;
                    if !frame_fits(depth, base, up) {
                        fail!(Trap::StackOverflow);
                    }
                    depth += 1;
                    max_frames = max_frames.max(depth + 1);
                    let b = base + usize::from(up) + 1;
                    max_base = max_base.max(b);
                    // The stack has room for this frame (see `room`).
                    match stack.get_mut(b - 1) {
                        Some(s) => *s = link(pc, $d, up),
                        None => fail!(Trap::Internal("link")),
                    }
                    base = b;
                    let len = stack.len();
                    win = window!(base);
                    for (slot, &x) in win.iter_mut().zip($args) {
                        *slot = x;
                    }
                    if room(base) > len {
                        stack.resize(grown(base, stack.len()), 0);
                        win = window!(base);
                    }
                }};
            }
            macro_rules! add_i {
                ($d:expr, $a:expr, $k:expr) => {{
                    charge!(crate::isa::Opcode::AddI.gas());
                    match r!($a).checked_add(i128::from($k)) {
                        Some(v) => {
                            r!($d) = v;
                            v
                        }
                        None => fail!(Trap::Overflow),
                    }
                }};
            }
            macro_rules! con_s {
                ($d:expr, $tag:expr, $a:expr, $n:expr) => {{
                    let (heap, cap, tag, a) = (&mut mach.heap, mach.heap_cap, u32::from($tag), $a);
                    let cell = match $n {
                        1 => push_cell(heap, cap, tag, &[r!(a[0])]),
                        2 => push_cell(heap, cap, tag, &[r!(a[0]), r!(a[1])]),
                        _ => push_cell(heap, cap, tag, &[r!(a[0]), r!(a[1]), r!(a[2])]),
                    };
                    match cell {
                        Some(c) => r!($d) = c,
                        None => fail!(Trap::HeapExhausted),
                    }
                }};
            }
            // A call whose callee starts with an Int guard on a parameter
            // (`Op::CallG`): the guard runs here; a base case that returns
            // a parameter returns its argument without a frame, charging
            // the runs the ops would (the callee's entry, its `ret`, and
            // the caller's run after the call) and recording the frame's
            // depth, if those fit and the frame would not overflow.
            // `$known`: a register and the value just written to it, so the
            // guard need not read it back.
            macro_rules! call_g {
                ($d:expr, $up:expr, $g:expr, $a:expr, $known:expr) => {{
                    let Some(cg) = p.call_guards.get($g as usize) else {
                        fail!(Trap::Internal("guard"))
                    };
                    let x = match $known {
                        Some((r, v)) if r == cg.x => v,
                        _ => r!(cg.x),
                    };
                    let inside = cg.lo <= x && x <= cg.hi;
                    let up: u16 = $up;
                    let mut done = false;
                    if cg.leaf == Some(inside) && frame_fits(depth, base, up) {
                        let c = cg.entry_gas + cg.ret_gas + code.run_gas(pc);
                        if M == UNCHECKED || gas >= c {
                            gas = gas.wrapping_sub(c);
                            max_frames = max_frames.max(depth + 2);
                            max_base = max_base.max(base + usize::from(up) + 1);
                            r!($d) = if cg.ret == cg.x { x } else { r!(cg.ret) };
                            done = true;
                        }
                    }
                    if !done {
                        let next = if inside { cg.inside } else { cg.outside };
                        let a = $a;
                        let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                        push_frame!($d, up, &v);
                        // The guard's run and the one it leads to, in one
                        // go if both fit, else one by one.
                        let c = cg.entry_gas + code.run_gas(next as usize);
                        if M == UNCHECKED || (M == RUNS && gas >= c) {
                            gas = gas.wrapping_sub(c);
                            pc = next as usize;
                        } else {
                            pc = cg.entry as usize;
                            enter!();
                            pc = next as usize;
                            enter!();
                        }
                    }
                }};
            }
            // The whole static gas of the call or tail call at `pc - 1`
            // (its base, arguments and callee frame; per instruction only).
            macro_rules! call_gas {
                () => {
                    p.op_gas.get(pc - 1).copied().unwrap_or(u64::MAX)
                };
            }
            macro_rules! call_s {
                ($d:expr, $up:expr, $entry:expr, $a:expr) => {{
                    charge!(call_gas!());
                    // Unused argument slots copy register 0 into callee
                    // registers that are not yet initialised: harmless.
                    let a = $a;
                    let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                    push_frame!($d, $up, &v);
                    pc = $entry as usize;
                    enter!();
                }};
            }
            // A tail call whose two arguments are already computed values
            // (the direct forms of the fused ops): write `$v` to parameter
            // `$at` (0 or 1) and `$other` to the other one.
            macro_rules! tail_two {
                ($entry:expr, $at:expr, $v:expr, $other:expr) => {{
                    charge!(call_gas!());
                    let (v, other) = ($v, $other);
                    if $at == 0 {
                        win[0] = v;
                        win[1] = other;
                    } else {
                        win[0] = other;
                        win[1] = v;
                    }
                    pc = $entry as usize;
                    enter!();
                }};
            }
            macro_rules! tail_s {
                ($entry:expr, $a:expr, $n:expr) => {{
                    charge!(call_gas!());
                    // Parallel move: read every argument before writing any.
                    let a = $a;
                    if $n <= 2 {
                        let v = [r!(a[0]), r!(a[1])];
                        win[0] = v[0];
                        win[1] = v[1];
                    } else {
                        let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                        win[0] = v[0];
                        win[1] = v[1];
                        win[2] = v[2];
                    }
                    pc = $entry as usize;
                    enter!();
                }};
            }
            macro_rules! ret {
                ($a:expr) => {{
                    charge!(crate::isa::Opcode::Ret.gas());
                    ret_value!(r!($a))
                }};
            }
            // Returns `$v` to the caller (or as the result of the entry frame).
            macro_rules! ret_value {
                ($v:expr) => {{
                    let v: i128 = $v;
                    if depth == 0 {
                        break 'run Exit::Done(Ok(v));
                    }
                    depth -= 1;
                    let Some(&l) = stack.get(base.wrapping_sub(1)) else {
                        fail!(Trap::Internal("link"))
                    };
                    let (ret_pc, dest, up) = unlink(l);
                    base = base.wrapping_sub(usize::from(up) + 1);
                    win = window!(base);
                    pc = ret_pc;
                    r!(dest) = v;
                    enter!();
                }};
            }
            // The second part of a superinstruction: the op after it.
            macro_rules! then {
                ($p:pat => $e:expr) => {{
                    pc += 1;
                    match *code.op(pc - 1) {
                        $p => $e,
                        _ => fail!(Trap::Internal("superinstruction")),
                    }
                }};
            }
            let op = code.op(pc);
            pc += 1;
            match *op {
                Op::AddI { d, a, k } => {
                    add_i!(d, a, k);
                }
                Op::Add { d, a, b } => int_op!(op, d, a, b, checked_add),
                Op::Sub { d, a, b } => int_op!(op, d, a, b, checked_sub),
                Op::Mul { d, a, b } => int_op!(op, d, a, b, checked_mul),
                Op::Div { d, a, b } | Op::Rem { d, a, b } => {
                    charge!(op.gas());
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        fail!(Trap::DivisionByZero);
                    }
                    let v = if matches!(*op, Op::Rem { .. }) {
                        x.checked_rem(y)
                    } else {
                        x.checked_div(y)
                    };
                    match v {
                        Some(v) => r!(d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }
                Op::Neg { d, a } => {
                    charge!(op.gas());
                    match r!(a).checked_neg() {
                        Some(v) => r!(d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }
                Op::Lt { d, a, b } => {
                    charge!(op.gas());
                    r!(d) = i128::from(r!(a) < r!(b));
                }
                Op::Le { d, a, b } => {
                    charge!(op.gas());
                    r!(d) = i128::from(r!(a) <= r!(b));
                }
                Op::Not { d, a } => {
                    charge!(op.gas());
                    r!(d) = i128::from(r!(a) == 0);
                }
                Op::Mov { d, s } => {
                    charge!(op.gas());
                    r!(d) = r!(s);
                }
                Op::Imm { d, k } | Op::Nullary { d, k } => {
                    charge!(op.gas());
                    r!(d) = i128::from(k);
                }
                Op::Jmp { t } => branch!(op, true, t),
                Op::BrIf { c, t } => branch!(op, r!(c) != 0, t),
                Op::BrIfNot { c, t } => branch!(op, r!(c) == 0, t),
                Op::BrLtI { a, k, t } => branch!(op, r!(a) < i128::from(k), t),
                Op::BrLeI { a, k, t } => branch!(op, r!(a) <= i128::from(k), t),
                Op::BrGtI { a, k, t } => branch!(op, r!(a) > i128::from(k), t),
                Op::BrGeI { a, k, t } => branch!(op, r!(a) >= i128::from(k), t),
                Op::BrEqI { a, k, t } => branch!(op, r!(a) == i128::from(k), t),
                Op::BrNeI { a, k, t } => branch!(op, r!(a) != i128::from(k), t),
                Op::BrLt { a, b, t } => branch!(op, r!(a) < r!(b), t),
                Op::BrLe { a, b, t } => branch!(op, r!(a) <= r!(b), t),
                Op::Switch { s, table } => {
                    charge!(op.gas());
                    match switch_target(&p.switch_targets, table as usize, r!(s)) {
                        Some(t) => pc = t,
                        None => fail!(Trap::Internal("switch")),
                    }
                    enter!();
                }
                Op::ConS { d, tag, a, n } => {
                    charge!(op.gas());
                    con_s!(d, tag, a, n);
                }
                Op::ConSRet { d, tag, a, n } => {
                    con_s!(d, tag, a, n);
                    then!(Op::Ret { a } => ret!(a))
                }
                Op::ConSTail { d, tag, a, n } => {
                    con_s!(d, tag, a, n);
                    then!(Op::TailCallS { entry, a, n, .. } => tail_s!(entry, a, n))
                }
                Op::AddITail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::TailCallS { entry, a, n, .. } => tail_s!(entry, a, n))
                }
                Op::AddIAddTail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::AddTail { d, a, b } | Op::AddTailDirect { d, a, b, .. } => {
                        int_op!(Op::Add { d, a, b }, d, a, b, checked_add);
                        then!(Op::TailCallS { entry, a, n, .. } => tail_s!(entry, a, n))
                    })
                }
                Op::AddIConTail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::ConSTail { d, tag, a, n } => {
                        con_s!(d, tag, a, n);
                        then!(Op::TailCallS { entry, a, n, .. } => tail_s!(entry, a, n))
                    })
                }
                Op::AddIAddTailDirect { d, a, k } => {
                    // The sums go straight to the parameters (read both
                    // before writing either); `d` is still written, as the
                    // add may read it, the second sum's register is dead.
                    add_i!(d, a, k);
                    let v0 = r!(d);
                    pc += 1;
                    // Fusion made the next op `AddTailDirect` (its tail
                    // call passes its sum as parameter `at`, the first sum
                    // as the other).
                    let Op::AddTailDirect {
                        a: a2, b: b2, at, ..
                    } = *code.op(pc - 1)
                    else {
                        fail!(Trap::Internal("superinstruction"))
                    };
                    charge!(Op::Add { d, a: a2, b: b2 }.gas());
                    let Some(v1) = r!(a2).checked_add(r!(b2)) else {
                        fail!(Trap::Overflow)
                    };
                    then!(Op::TailCallS { entry, .. } => tail_two!(entry, at, v1, v0))
                }
                Op::AddIConTailDirect { d, a, k, at } => {
                    // As `AddIAddTailDirect`, the new cell as parameter `at`.
                    add_i!(d, a, k);
                    let v0 = r!(d);
                    pc += 1;
                    let Op::ConSTail {
                        d: d2,
                        tag,
                        a: fa,
                        n: fn_,
                    } = *code.op(pc - 1)
                    else {
                        fail!(Trap::Internal("superinstruction"))
                    };
                    con_s!(d2, tag, fa, fn_);
                    let v1 = r!(d2);
                    then!(Op::TailCallS { entry, .. } => tail_two!(entry, at, v1, v0))
                }
                Op::AddIAddLoop { .. } | Op::AddIConLoop { .. } | Op::FieldsAddLoop { .. } => {
                    let mut l = Looping {
                        win: &mut *win,
                        heap: &mut mach.heap,
                        heap_cap: mach.heap_cap,
                        switch_targets: &p.switch_targets,
                        gas,
                        pc,
                    };
                    let stop = loops::run_loop::<M, C>(&mut l, code, pc - 1);
                    (gas, pc) = (l.gas, l.pc);
                    match stop {
                        Stop::Dispatch => {}
                        Stop::Stepwise => break 'run Exit::Stepwise,
                        Stop::Trap(t) => fail!(t),
                    }
                }
                Op::AddICallG { d, a, k } => {
                    let known = Some((d, add_i!(d, a, k)));
                    then!(Op::CallG { d, up, g, a, .. } => call_g!(d, up, g, a, known))
                }
                Op::CallG { d, up, g, a, .. } => call_g!(d, up, g, a, None::<(u16, i128)>),
                Op::AddICall { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::CallS { d, up, entry, a, .. } => call_s!(d, up, entry, a))
                }
                Op::AddTail { d, a, b } => {
                    int_op!(Op::Add { d, a, b }, d, a, b, checked_add);
                    then!(Op::TailCallS { entry, a, n, .. } => tail_s!(entry, a, n))
                }
                Op::AddTailDirect { d, a, b, at } => {
                    // The sum goes straight to parameter `at`, the other
                    // argument is read before either is written.
                    charge!(Op::Add { d, a, b }.gas());
                    let Some(v1) = r!(a).checked_add(r!(b)) else {
                        fail!(Trap::Overflow)
                    };
                    then!(Op::TailCallS { entry, a: args, .. } => {
                        let other = r!(args[usize::from(at == 0)]);
                        tail_two!(entry, at, v1, other)
                    })
                }
                Op::AddRet { a, b, .. } => {
                    let Some(v) = r!(a).checked_add(r!(b)) else {
                        fail!(Trap::Overflow)
                    };
                    ret_value!(v)
                }
                Op::Field2 { d1, i1, d2, i2, s } => {
                    charge!(Op::Field { d: d1, s, i: i1 }.gas());
                    let o = cell_offset(r!(s));
                    match mach.heap.get(o + usize::from(i1)) {
                        Some(&v) => r!(d1) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                    pc += 1;
                    charge!(Op::Field { d: d2, s, i: i2 }.gas());
                    match mach.heap.get(o + usize::from(i2)) {
                        Some(&v) => r!(d2) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                }
                Op::Field { d, s, i } => {
                    charge!(op.gas());
                    let o = cell_offset(r!(s));
                    match mach.heap.get(o + usize::from(i)) {
                        Some(&v) => r!(d) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                }
                Op::EqScalar { d, a, b, neg } => {
                    // Base, then the one node pair (charged separately, as
                    // deep equality does, so it can run out in between).
                    charge!(crate::isa::Opcode::Eq.gas());
                    charge!(crate::eval::GAS_EQ_NODE);
                    r!(d) = i128::from((r!(a) == r!(b)) != neg);
                }
                Op::CallS {
                    d, up, entry, a, ..
                } => call_s!(d, up, entry, a),
                Op::TailCallS { entry, a, n } => tail_s!(entry, a, n),
                Op::Ret { a } => ret!(a),
                Op::Call { f, args, .. } | Op::TailCall { f, args } => {
                    charge!(call_gas!());
                    let Some(&callee) = p.funcs.get(f as usize) else {
                        fail!(Trap::Internal("call"))
                    };
                    let Some(ar) = p
                        .arg_regs
                        .get(args as usize..args as usize + usize::from(callee.nparams))
                    else {
                        fail!(Trap::Internal("args"))
                    };
                    tmp.clear();
                    tmp.extend(ar.iter().map(|&x| r!(x)));
                    if let Op::Call { d, up, .. } = *op {
                        push_frame!(d, up, &tmp);
                    } else {
                        for (slot, &x) in win.iter_mut().zip(&tmp) {
                            *slot = x;
                        }
                    }
                    pc = callee.entry as usize;
                    enter!();
                }
                Op::Unreachable {} => fail!(Trap::Internal("unreachable")),
                Op::EqDeep { .. }
                | Op::BConcat { .. }
                | Op::Hash { .. }
                | Op::SigVerify { .. }
                | Op::Map { .. } => {
                    // Its base was charged with the run; the op charges its
                    // whole cost itself, against the exact remaining gas.
                    if M != EACH {
                        gas = gas.wrapping_add(op.gas());
                    }
                    let (res, g) = mach.slow_op(pc - 1, &mut win[..], gas, false);
                    gas = g;
                    if let Err(t) = res {
                        fail!(t);
                    }
                    enter!();
                }
                Op::Con { .. }
                | Op::BSlice { .. }
                | Op::BLen { .. }
                | Op::Const { .. }
                | Op::Fail { .. } => {
                    let (res, g) = mach.slow_op(pc - 1, &mut win[..], gas, M == EACH);
                    gas = g;
                    if let Err(t) = res {
                        fail!(t);
                    }
                }
            }
        }
    };
    regs.stack = stack;
    regs.depth = depth;
    regs.pc = pc;
    regs.base = base;
    mach.gas = gas;
    mach.max_frames = max_frames;
    mach.max_base = max_base;
    exit
}
