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

/// Register slots kept spare above the top frame, so inline call operands
/// padded with register 0 never index past the register vector.
const SLACK: usize = 4;

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

#[derive(Debug, Clone, Copy)]
struct Frame {
    ret_pc: u32,
    base: u32,
    nregs: u16,
    dest: u16,
}

/// Registers, frames and position: what a mode hands to another.
struct Regs {
    stack: Vec<i128>,
    frames: Vec<Frame>,
    pc: usize,
    base: usize,
    nregs: u16,
}

enum Exit {
    Done(Result<i128, Trap>),
    /// The run at `pc` does not fit: continue per instruction.
    Stepwise,
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
    stack.resize(WINDOW + SLACK, 0);
    stack
        .get_mut(..args.len())
        .ok_or(Trap::Internal("arguments"))?
        .copy_from_slice(args);
    let mut regs = Regs {
        stack,
        frames: Vec::new(),
        pc: info.entry as usize,
        base: 0,
        nregs: info.nregs,
    };
    mach.max_frames = 1;
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
    let mut frames = std::mem::take(&mut regs.frames);
    let mut tmp: Vec<i128> = Vec::new();
    let (mut pc, mut base, mut nregs) = (regs.pc, regs.base, regs.nregs);
    let mut gas = mach.gas;
    let mut max_frames = mach.max_frames;

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
            // Moves the window to `$b`, growing the register stack so that a
            // whole window fits above it.
            macro_rules! window {
                ($b:expr) => {{
                    let b: usize = $b;
                    if b + WINDOW > stack.len() {
                        if b > MAX_STACK_SLOTS {
                            fail!(Trap::StackOverflow);
                        }
                        let len = (b + WINDOW + SLACK).max(stack.len() * 2);
                        stack.resize(len, 0);
                    }
                    match stack
                        .get_mut(b..b + WINDOW)
                        .map(<&mut [i128; WINDOW]>::try_from)
                    {
                        Some(Ok(w)) => w,
                        _ => fail!(Trap::Internal("window")),
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
            // Pushes a frame returning to `pc` into `$d`, moves the window
            // above the current frame and copies the arguments `$args` into it.
            macro_rules! push_frame {
                ($d:expr, $args:expr) => {{
                    if frames.len() + 1 >= MAX_CALL_DEPTH {
                        fail!(Trap::StackOverflow);
                    }
                    frames.push(Frame {
                        ret_pc: pc as u32,
                        base: base as u32,
                        nregs,
                        dest: $d,
                    });
                    if frames.len() >= max_frames {
                        max_frames = frames.len() + 1;
                    }
                    base += usize::from(nregs);
                    win = window!(base);
                    for (slot, &x) in win.iter_mut().zip($args) {
                        *slot = x;
                    }
                }};
            }
            macro_rules! add_i {
                ($d:expr, $a:expr, $k:expr) => {{
                    charge!(crate::isa::Opcode::AddI.gas());
                    match r!($a).checked_add(i128::from($k)) {
                        Some(v) => r!($d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }};
            }
            macro_rules! con_s {
                ($d:expr, $tag:expr, $a:expr, $n:expr) => {{
                    let (heap, tag, a) = (&mut mach.heap, u32::from($tag), $a);
                    let cell = match $n {
                        1 => push_cell(heap, tag, &[r!(a[0])]),
                        2 => push_cell(heap, tag, &[r!(a[0]), r!(a[1])]),
                        _ => push_cell(heap, tag, &[r!(a[0]), r!(a[1]), r!(a[2])]),
                    };
                    match cell {
                        Some(c) => r!($d) = c,
                        None => fail!(Trap::HeapExhausted),
                    }
                }};
            }
            macro_rules! call_s {
                ($d:expr, $cn:expr, $entry:expr, $a:expr) => {{
                    charge!(crate::isa::Opcode::Call.gas());
                    // Unused argument slots copy register 0 into callee
                    // registers that are not yet initialised: harmless.
                    let a = $a;
                    let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                    push_frame!($d, &v);
                    nregs = $cn;
                    pc = $entry as usize;
                    enter!();
                }};
            }
            // A tail call whose two arguments are already computed values
            // (the direct forms of the fused ops): write the parameters.
            macro_rules! tail_two {
                ($cn:expr, $entry:expr, $v0:expr, $v1:expr) => {{
                    charge!(crate::isa::Opcode::TailCall.gas());
                    win[0] = $v0;
                    win[1] = $v1;
                    nregs = $cn;
                    pc = $entry as usize;
                    enter!();
                }};
            }
            macro_rules! tail_s {
                ($cn:expr, $entry:expr, $a:expr, $n:expr) => {{
                    charge!(crate::isa::Opcode::TailCall.gas());
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
                    nregs = $cn;
                    pc = $entry as usize;
                    enter!();
                }};
            }
            macro_rules! ret {
                ($a:expr) => {{
                    charge!(crate::isa::Opcode::Ret.gas());
                    let v = r!($a);
                    match frames.pop() {
                        None => break 'run Exit::Done(Ok(v)),
                        Some(fr) => {
                            base = fr.base as usize;
                            // A caller's window: the stack grew past it.
                            win = match stack
                                .get_mut(base..base + WINDOW)
                                .map(<&mut [i128; WINDOW]>::try_from)
                            {
                                Some(Ok(w)) => w,
                                _ => fail!(Trap::Internal("window")),
                            };
                            nregs = fr.nregs;
                            pc = fr.ret_pc as usize;
                            r!(fr.dest) = v;
                        }
                    }
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
                Op::AddI { d, a, k } => add_i!(d, a, k),
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
                    then!(Op::TailCallS { nregs: cn, entry, a, n } => tail_s!(cn, entry, a, n))
                }
                Op::AddITail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::TailCallS { nregs: cn, entry, a, n } => tail_s!(cn, entry, a, n))
                }
                Op::AddIAddTail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::AddTail { d, a, b } | Op::AddTailDirect { d, a, b } => {
                        int_op!(Op::Add { d, a, b }, d, a, b, checked_add);
                        then!(Op::TailCallS { nregs: cn, entry, a, n } => tail_s!(cn, entry, a, n))
                    })
                }
                Op::AddIConTail { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::ConSTail { d, tag, a, n } => {
                        con_s!(d, tag, a, n);
                        then!(Op::TailCallS { nregs: cn, entry, a, n } => tail_s!(cn, entry, a, n))
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
                    // call's second argument is its sum, the first is not).
                    let Op::AddTailDirect { a: a2, b: b2, .. } = *code.op(pc - 1) else {
                        fail!(Trap::Internal("superinstruction"))
                    };
                    charge!(crate::isa::Opcode::Add.gas());
                    let Some(v1) = r!(a2).checked_add(r!(b2)) else {
                        fail!(Trap::Overflow)
                    };
                    then!(Op::TailCallS { nregs: cn, entry, .. } => tail_two!(cn, entry, v0, v1))
                }
                Op::AddIConTailDirect { d, a, k } => {
                    // As `AddIAddTailDirect`, with the new cell second.
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
                    then!(Op::TailCallS { nregs: cn, entry, .. } => tail_two!(cn, entry, v0, v1))
                }
                Op::AddIAddLoop { .. } | Op::AddIConLoop { .. } | Op::FieldsAddLoop { .. } => {
                    let mut l = Looping {
                        win: &mut *win,
                        heap: &mut mach.heap,
                        switch_targets: &p.switch_targets,
                        gas,
                        pc,
                    };
                    let stop = loops::run_loop::<M, C>(&mut l, code, pc - 1, &mut nregs);
                    (gas, pc) = (l.gas, l.pc);
                    match stop {
                        Stop::Dispatch => {}
                        Stop::Stepwise => break 'run Exit::Stepwise,
                        Stop::Trap(t) => fail!(t),
                    }
                }
                Op::AddICall { d, a, k } => {
                    add_i!(d, a, k);
                    then!(Op::CallS { d, nregs: cn, entry, a, .. } => call_s!(d, cn, entry, a))
                }
                Op::AddTail { d, a, b } => {
                    int_op!(op, d, a, b, checked_add);
                    then!(Op::TailCallS { nregs: cn, entry, a, n } => tail_s!(cn, entry, a, n))
                }
                Op::AddTailDirect { a, b, .. } => {
                    // The sum goes straight to the second parameter, the
                    // first argument is read before either is written.
                    charge!(op.gas());
                    let Some(v1) = r!(a).checked_add(r!(b)) else {
                        fail!(Trap::Overflow)
                    };
                    then!(Op::TailCallS { nregs: cn, entry, a: args, .. } => {
                        let v0 = r!(args[0]);
                        tail_two!(cn, entry, v0, v1)
                    })
                }
                Op::AddRet { d, a, b } => {
                    int_op!(op, d, a, b, checked_add);
                    then!(Op::Ret { a } => ret!(a))
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
                    d,
                    nregs: cn,
                    entry,
                    a,
                    n: _,
                } => call_s!(d, cn, entry, a),
                Op::TailCallS {
                    nregs: cn,
                    entry,
                    a,
                    n,
                } => tail_s!(cn, entry, a, n),
                Op::Ret { a } => ret!(a),
                Op::Call { f, args, .. } | Op::TailCall { f, args } => {
                    charge!(op.gas());
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
                    if let Op::Call { d, .. } = *op {
                        push_frame!(d, &tmp);
                    } else {
                        for (slot, &x) in win.iter_mut().zip(&tmp) {
                            *slot = x;
                        }
                    }
                    nregs = callee.nregs;
                    pc = callee.entry as usize;
                    enter!();
                }
                Op::Unreachable => fail!(Trap::Internal("unreachable")),
                Op::EqDeep { .. } | Op::BConcat { .. } | Op::Sha256 { .. } => {
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
                Op::Con { .. } | Op::BSlice { .. } | Op::BLen { .. } | Op::Const { .. } => {
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
    regs.frames = frames;
    regs.pc = pc;
    regs.base = base;
    regs.nregs = nregs;
    mach.gas = gas;
    mach.max_frames = max_frames;
    exit
}
