//! The loop ops ([`fuse`](crate::fuse)): a self tail call whose callee's
//! guard leads back to the fused step, run as a Rust loop until the guard
//! leads elsewhere, the gas runs short or an op traps.
//!
//! Each iteration charges exactly the runs the ops one by one would enter,
//! in the same order: the callee's entry (the guard's run) after the tail
//! call, then the run the guard leads to. When a run does not fit, the loop
//! stops at its first op, as the dispatch loop would. Each loop is its own
//! small function, monomorphised for the gas mode, the guard and the step,
//! so the registers it keeps do not compete with the dispatch loop's.

use crate::error::Trap;
use crate::exec::{RUNS, UNCHECKED, WINDOW};
use crate::fuse::Guard;
use crate::program::{Code, Op, cell_offset, push_cell, switch_target};

/// A frame's registers (indices are masked to the window).
pub(crate) type Window = [i128; WINDOW];

/// Why a loop stopped; `pc` in [`Looping`] says where.
pub(crate) enum Stop {
    /// Control is at `pc`, whose run is charged: dispatch it.
    Dispatch,
    /// The run at `pc` does not fit the gas: go on per instruction.
    Stepwise,
    /// The op at `pc - 1` trapped.
    Trap(Trap),
}

/// What a loop works on, and where it stopped.
pub(crate) struct Looping<'a> {
    pub win: &'a mut Window,
    pub heap: &'a mut Vec<i128>,
    /// Most heap slots the evaluation may hold.
    pub heap_cap: usize,
    pub switch_targets: &'a [u32],
    /// Gas remaining (in unchecked mode, counting down from `u64::MAX`).
    pub gas: u64,
    pub pc: usize,
}

/// `i` masked to the window, so indexing needs no bounds check.
#[inline(always)]
fn m(i: usize) -> usize {
    i & (WINDOW - 1)
}

/// Stops at `pc`, entering its run: to dispatch it, or, if the run does
/// not fit, to go on per instruction there.
fn stop_at<const M: u8, C: Code + ?Sized>(gas: &mut u64, code: &C, pc: usize) -> (usize, Stop) {
    if enter::<M>(gas, code.run_gas(pc)) {
        (pc, Stop::Dispatch)
    } else {
        (pc, Stop::Stepwise)
    }
}

/// Charges a run costing `c` in gas mode `M`; false if it does not fit.
#[inline(always)]
fn enter<const M: u8>(gas: &mut u64, c: u64) -> bool {
    if M == UNCHECKED {
        *gas = gas.wrapping_sub(c);
    } else if *gas < c {
        return false;
    } else {
        *gas -= c;
    }
    true
}

/// Where a guard goes.
trait Next {
    fn next(&self, win: &Window, switch_targets: &[u32]) -> Result<usize, Trap>;
}

/// [`Guard::Int`]: to `inside` if `lo <= r[a] <= hi`; a bound that is the
/// smallest or largest Int is not compared (`LO`, `HI` say which are).
struct IntGuard<const LO: bool, const HI: bool> {
    a: usize,
    lo: i128,
    hi: i128,
    inside: usize,
    outside: usize,
}

impl<const LO: bool, const HI: bool> Next for IntGuard<LO, HI> {
    #[inline(always)]
    fn next(&self, win: &Window, _: &[u32]) -> Result<usize, Trap> {
        let v = win[m(self.a)];
        Ok(if (!LO || self.lo <= v) && (!HI || v <= self.hi) {
            self.inside
        } else {
            self.outside
        })
    }
}

/// [`Guard::Switch`].
struct SwitchGuard {
    s: usize,
    table: usize,
}

impl Next for SwitchGuard {
    #[inline(always)]
    fn next(&self, win: &Window, switch_targets: &[u32]) -> Result<usize, Trap> {
        switch_target(switch_targets, self.table, win[m(self.s)]).ok_or(Trap::Internal("switch"))
    }
}

/// The ops of a loop: `step` from the loop op through its tail call's
/// parameter writes, `resume` from the op the guard leads back to up to
/// the loop op (none, or the fold's `Field2`). On a trap: the trap and
/// the index of the op that trapped.
trait Body {
    /// This body as a [`fold_sum`], if it is one under a `switch` on `s`.
    fn as_fold_sum(&self, _s: u16) -> Option<&FieldsAdd> {
        None
    }
    fn step(&self, w: &mut Window, heap: &mut Vec<i128>, cap: usize) -> Result<(), (Trap, usize)>;
    fn resume(&self, _: &mut Window, _: &[i128]) -> Result<(), (Trap, usize)> {
        Ok(())
    }
}

/// [`Op::AddIAddLoop`]: `t = a + k; u = a2 + b2; f(t, u)` (or `f(u, t)`:
/// `u` goes to parameter `to`, `t` to the other).
struct AddIAdd {
    at: usize,
    to: usize,
    d: usize,
    a: usize,
    k: i128,
    a2: usize,
    b2: usize,
    /// Whether the add reads `d` (else `d` is dead and not written).
    keep_d: bool,
}

impl Body for AddIAdd {
    #[inline(always)]
    fn step(&self, w: &mut Window, _: &mut Vec<i128>, _: usize) -> Result<(), (Trap, usize)> {
        let v0 = w[m(self.a)]
            .checked_add(self.k)
            .ok_or((Trap::Overflow, self.at))?;
        if self.keep_d {
            w[m(self.d)] = v0;
        }
        let v1 = w[m(self.a2)]
            .checked_add(w[m(self.b2)])
            .ok_or((Trap::Overflow, self.at + 1))?;
        w[m(self.to ^ 1)] = v0;
        w[m(self.to)] = v1;
        Ok(())
    }
}

/// [`Op::AddIConLoop`]: `t = a + k; c = tag(fields); f(t, c)` (or
/// `f(c, t)`: `c` goes to parameter `to`), for a cell of `N` fields.
struct AddICon<const N: usize> {
    at: usize,
    to: usize,
    d: usize,
    a: usize,
    k: i128,
    tag: u32,
    fields: [usize; N],
}

impl<const N: usize> Body for AddICon<N> {
    #[inline(always)]
    fn step(&self, w: &mut Window, heap: &mut Vec<i128>, cap: usize) -> Result<(), (Trap, usize)> {
        let v0 = w[m(self.a)]
            .checked_add(self.k)
            .ok_or((Trap::Overflow, self.at))?;
        // Written: the cell may hold it.
        w[m(self.d)] = v0;
        let cell = push_cell(heap, cap, self.tag, &self.fields.map(|f| w[m(f)]))
            .ok_or((Trap::HeapExhausted, self.at + 1))?;
        w[m(self.to ^ 1)] = v0;
        w[m(self.to)] = cell;
        Ok(())
    }
}

/// [`Op::FieldsAddLoop`]: `u = a + b; f(r[first], u)` (or `f(u, r[first])`:
/// `u` goes to parameter `to`), resumed by the `Field2` at `fields`.
struct FieldsAdd {
    at: usize,
    to: usize,
    a: usize,
    b: usize,
    first: usize,
    fields: usize,
    s: usize,
    i1: usize,
    d1: usize,
    i2: usize,
    d2: usize,
}

impl Body for FieldsAdd {
    fn as_fold_sum(&self, s: u16) -> Option<&FieldsAdd> {
        // The list is the other parameter than the sum's: the guard
        // switches on it, the `Field2` takes it apart, and the tail call
        // passes its rest back in it; the sum adds the element to the sum's
        // parameter; the fields' registers are not parameters.
        let (list, sum) = (self.to ^ 1, self.to);
        let usual = usize::from(s) == list
            && self.s == list
            && self.first == self.d2
            && self.d1 != self.d2
            && self.d1 > 1
            && self.d2 > 1
            && ((self.a == sum && self.b == self.d1) || (self.b == sum && self.a == self.d1));
        usual.then_some(self)
    }

    #[inline(always)]
    fn step(&self, w: &mut Window, _: &mut Vec<i128>, _: usize) -> Result<(), (Trap, usize)> {
        let v1 = w[m(self.a)]
            .checked_add(w[m(self.b)])
            .ok_or((Trap::Overflow, self.at))?;
        let other = w[m(self.first)];
        w[m(self.to ^ 1)] = other;
        w[m(self.to)] = v1;
        Ok(())
    }

    #[inline(always)]
    fn resume(&self, w: &mut Window, heap: &[i128]) -> Result<(), (Trap, usize)> {
        let o = cell_offset(w[m(self.s)]);
        let field = |i: usize| heap.get(o + i).copied();
        let (Some(x), Some(y)) = (field(self.i1), field(self.i2)) else {
            return Err((Trap::Internal("field"), self.fields));
        };
        w[m(self.d1)] = x;
        w[m(self.d2)] = y;
        Ok(())
    }
}

/// [`FieldsAdd`] in its usual shape, `f(rest, acc + x)` or `f(acc + x, rest)`
/// (the list and the sum in the two parameters, either way round), under
/// a `switch` on the list:
/// the list and the sum stay in machine registers between iterations
/// instead of going through the frame (the registers are written back
/// whenever the loop stops, as the ops one by one would leave them).
#[inline(never)]
fn fold_sum<const M: u8, C: Code + ?Sized>(
    l: &mut Looping<'_>,
    code: &C,
    g: &SwitchGuard,
    body: &FieldsAdd,
    entry: usize,
) -> Stop {
    let cont = body.fields;
    let (entry_run, cont_run) = (code.run_gas(entry), code.run_gas(cont));
    let (win, heap, switch_targets) = (&mut *l.win, &*l.heap, l.switch_targets);
    let mut gas = l.gas;
    // The frame as the ops leave it: x in d1, rest in d2 (= the list).
    let (list, sum) = (m(body.to ^ 1), m(body.to));
    let (mut x, mut rest, mut acc) = (win[m(body.d1)], win[m(body.d2)], win[sum]);
    let (pc, stop) = loop {
        // The add and the tail call.
        let Some(sum) = acc.checked_add(x) else {
            break (body.at + 1, Stop::Trap(Trap::Overflow));
        };
        acc = sum;
        if !enter::<M>(&mut gas, entry_run) {
            break (entry, Stop::Stepwise);
        }
        // The guard, then the fields.
        let Some(next) = switch_target(switch_targets, g.table, rest) else {
            break (entry + 1, Stop::Trap(Trap::Internal("switch")));
        };
        if next != cont {
            break stop_at::<M, C>(&mut gas, code, next);
        }
        if !enter::<M>(&mut gas, cont_run) {
            break (cont, Stop::Stepwise);
        }
        let o = cell_offset(rest);
        let (Some(&hx), Some(&hr)) = (heap.get(o + body.i1), heap.get(o + body.i2)) else {
            break (cont + 1, Stop::Trap(Trap::Internal("field")));
        };
        (x, rest) = (hx, hr);
    };
    // Parameters as the tail call wrote them; the fields' registers as the
    // last `Field2` wrote them (the loop stops after a whole step or
    // before the first add of one, where they are still current).
    win[list] = rest;
    win[sum] = acc;
    win[m(body.d1)] = x;
    win[m(body.d2)] = rest;
    l.gas = gas;
    l.pc = pc;
    stop
}

/// Runs `body` and the guard `g` at `entry` in turn while `g` leads to
/// `cont`. Gas and position stay in locals until the loop stops.
#[inline(never)]
fn run<const M: u8, C: Code + ?Sized>(
    l: &mut Looping<'_>,
    code: &C,
    g: &impl Next,
    body: &impl Body,
    entry: usize,
    cont: usize,
) -> Stop {
    let (entry_run, cont_run) = (code.run_gas(entry), code.run_gas(cont));
    let (win, heap, switch_targets) = (&mut *l.win, &mut *l.heap, l.switch_targets);
    let (mut gas, cap) = (l.gas, l.heap_cap);
    let (pc, stop) = loop {
        if let Err((t, at)) = body.step(win, heap, cap) {
            break (at + 1, Stop::Trap(t));
        }
        if !enter::<M>(&mut gas, entry_run) {
            break (entry, Stop::Stepwise);
        }
        let next = match g.next(win, switch_targets) {
            Ok(n) => n,
            Err(t) => break (entry + 1, Stop::Trap(t)),
        };
        if next != cont {
            break stop_at::<M, C>(&mut gas, code, next);
        }
        if !enter::<M>(&mut gas, cont_run) {
            break (cont, Stop::Stepwise);
        }
        if let Err((t, at)) = body.resume(win, heap) {
            break (at + 1, Stop::Trap(t));
        }
    };
    l.gas = gas;
    l.pc = pc;
    stop
}

/// Runs the guard at `entry` with `body`, specialised for the guard.
fn with_guard<const M: u8, C: Code + ?Sized>(
    l: &mut Looping<'_>,
    code: &C,
    body: &impl Body,
    entry: usize,
    cont: usize,
) -> Stop {
    match Guard::of(*code.op(entry), entry as u32) {
        Some(Guard::Int {
            a,
            lo,
            hi,
            inside,
            outside,
        }) => {
            macro_rules! int_guard {
                ($lo:literal, $hi:literal) => {{
                    let g = IntGuard::<$lo, $hi> {
                        a: usize::from(a),
                        lo,
                        hi,
                        inside: inside as usize,
                        outside: outside as usize,
                    };
                    run::<M, C>(l, code, &g, body, entry, cont)
                }};
            }
            match (lo == i128::MIN, hi == i128::MAX) {
                (false, true) => int_guard!(true, false),
                (true, false) => int_guard!(false, true),
                _ => int_guard!(true, true),
            }
        }
        Some(Guard::Switch { s, table }) => {
            let g = SwitchGuard {
                s: usize::from(s),
                table: table as usize,
            };
            if let Some(fold) = body.as_fold_sum(s) {
                return fold_sum::<M, C>(l, code, &g, fold, entry);
            }
            run::<M, C>(l, code, &g, body, entry, cont)
        }
        // Not a loop after all: the step is a plain tail call.
        None => match body.step(l.win, l.heap, l.heap_cap) {
            Err((t, at)) => {
                l.pc = at + 1;
                Stop::Trap(t)
            }
            Ok(()) => {
                let stop;
                (l.pc, stop) = stop_at::<M, C>(&mut l.gas, code, entry);
                stop
            }
        },
    }
}

/// Runs the loop op at `at` (one of the `*Loop` ops) in gas mode `M`
/// (one of the run modes: the per-instruction code has no loop ops).
pub(crate) fn run_loop<const M: u8, C: Code + ?Sized>(
    l: &mut Looping<'_>,
    code: &C,
    at: usize,
) -> Stop {
    let internal = |l: &mut Looping<'_>| {
        l.pc = at + 1;
        Stop::Trap(Trap::Internal("loop"))
    };
    if M != RUNS && M != UNCHECKED {
        return internal(l);
    }
    let call = |i: usize| match *code.op(i) {
        Op::TailCallS { entry, a, .. } => Some((entry as usize, a)),
        _ => None,
    };
    match (*code.op(at), *code.op(at + 1)) {
        (
            Op::AddIAddLoop { d, a, k },
            Op::AddTailDirect {
                a: a2,
                b: b2,
                at: to,
                ..
            },
        ) => {
            let Some((entry, _)) = call(at + 2) else {
                return internal(l);
            };
            let body = AddIAdd {
                at,
                to: usize::from(to & 1),
                d: usize::from(d),
                a: usize::from(a),
                k: i128::from(k),
                a2: usize::from(a2),
                b2: usize::from(b2),
                keep_d: a2 == d || b2 == d,
            };
            with_guard::<M, C>(l, code, &body, entry, at)
        }
        (
            Op::AddIConLoop { d, a, k, at: to },
            Op::ConSTail {
                tag, a: fields, n, ..
            },
        ) => {
            let Some((entry, _)) = call(at + 2) else {
                return internal(l);
            };
            let [f0, f1, f2] = fields.map(usize::from);
            macro_rules! con_loop {
                ($fields:expr) => {{
                    let body = AddICon {
                        at,
                        to: usize::from(to & 1),
                        d: usize::from(d),
                        a: usize::from(a),
                        k: i128::from(k),
                        tag: u32::from(tag),
                        fields: $fields,
                    };
                    with_guard::<M, C>(l, code, &body, entry, at)
                }};
            }
            match n {
                1 => con_loop!([f0]),
                2 => con_loop!([f0, f1]),
                _ => con_loop!([f0, f1, f2]),
            }
        }
        (Op::FieldsAddLoop { a, b, at: to, .. }, _) => {
            let (Some((entry, args)), Some(fields)) = (call(at + 1), at.checked_sub(2)) else {
                return internal(l);
            };
            let Op::Field2 { d1, i1, d2, i2, s } = *code.op(fields) else {
                return internal(l);
            };
            let to = usize::from(to & 1);
            let body = FieldsAdd {
                at,
                to,
                a: usize::from(a),
                b: usize::from(b),
                first: usize::from(args[to ^ 1]),
                fields,
                s: usize::from(s),
                i1: usize::from(i1),
                d1: usize::from(d1),
                i2: usize::from(i2),
                d2: usize::from(d2),
            };
            with_guard::<M, C>(l, code, &body, entry, fields)
        }
        _ => internal(l),
    }
}
