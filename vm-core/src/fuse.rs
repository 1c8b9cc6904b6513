//! Superinstructions: frequent op sequences run as one dispatch.
//!
//! The fused op replaces the first op of the sequence in
//! [`Program::fast`](crate::program::Program); the others stay in place, so
//! a jump into the middle of a sequence runs the remaining ops one by one.
//! A fused op has the effect of its parts in order, and its gas is charged
//! with the run it belongs to, so fusion changes neither results nor gas.
//!
//! Loops are the last step: a fused tail-call step whose callee starts with
//! a [`Guard`] that leads back to the step becomes a loop op, which runs
//! step, guard, step, .. without dispatching, charging each run as it
//! enters it, exactly as the ops one by one would.

use crate::program::{CallGuard, Op};

/// The first op of a loop's function, decoded once when a loop op starts:
/// where control goes next, given the registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// An Int comparison with a constant: to `inside` if
    /// `lo <= r[a] <= hi`, else to `outside`.
    Int {
        a: u16,
        lo: i128,
        hi: i128,
        inside: u32,
        outside: u32,
    },
    /// A `switch`: to `switch_targets[table + tag of r[s]]`.
    Switch { s: u16, table: u32 },
}

impl Guard {
    /// The guard that `op`, at index `at`, is; `None` for other ops.
    pub(crate) fn of(op: Op, at: u32) -> Option<Guard> {
        let next = at.checked_add(1)?;
        let int = |a, lo, hi, inside, outside| {
            Some(Guard::Int {
                a,
                lo,
                hi,
                inside,
                outside,
            })
        };
        let (min, max) = (i128::MIN, i128::MAX);
        match op {
            // Branch to `t` when the value is in the range, else fall through.
            Op::BrGtI { a, k, t } => int(a, i128::from(k) + 1, max, t, next),
            Op::BrGeI { a, k, t } => int(a, i128::from(k), max, t, next),
            Op::BrLtI { a, k, t } => int(a, min, i128::from(k) - 1, t, next),
            Op::BrLeI { a, k, t } => int(a, min, i128::from(k), t, next),
            Op::BrEqI { a, k, t } => int(a, i128::from(k), i128::from(k), t, next),
            Op::BrNeI { a, k, t } => int(a, i128::from(k), i128::from(k), next, t),
            Op::Switch { s, table } => Some(Guard::Switch { s, table }),
            _ => None,
        }
    }

    /// Whether `at` may follow this guard (for a `switch`, judged by its
    /// first two targets: a loop over a list).
    fn leads_to(self, at: usize, switch_targets: &[u32]) -> bool {
        let at = at as u32;
        match self {
            Guard::Int {
                inside, outside, ..
            } => inside == at || outside == at,
            Guard::Switch { table, .. } => {
                (0..2).any(|i| switch_targets.get(table as usize + i) == Some(&at))
            }
        }
    }
}

/// What a call with arguments `a` (`n` of them) into a function starting at
/// `entry` knows of its guard, if the first op is an Int guard on a
/// parameter; `run` is the gas of the run starting at each op.
fn call_guard(ops: &[Op], run: &[u64], entry: u32, a: [u16; 3], n: u8) -> Option<CallGuard> {
    let Some(Guard::Int {
        a: p,
        lo,
        hi,
        inside,
        outside,
    }) = Guard::of(*ops.get(entry as usize)?, entry)
    else {
        return None;
    };
    let param = |r: u16| (r < u16::from(n)).then(|| a[usize::from(r)]);
    let x = param(p)?;
    let gas = |t: u32| run.get(t as usize).copied().unwrap_or(0);
    // A side that is a `ret` of a parameter: a base case.
    let base_case = |t: u32| match ops.get(t as usize) {
        Some(&Op::Ret { a: q }) => param(q).map(|r| (r, gas(t))),
        _ => None,
    };
    let (leaf, ret, ret_gas) = match (base_case(inside), base_case(outside)) {
        (Some((r, g)), _) => (Some(true), r, g),
        (None, Some((r, g))) => (Some(false), r, g),
        (None, None) => (None, 0, 0),
    };
    Some(CallGuard {
        entry,
        x,
        lo,
        hi,
        inside,
        outside,
        leaf,
        ret,
        entry_gas: gas(entry),
        ret_gas,
    })
}

/// The parameter a tail call of two arguments `args` passes `d` as, if it
/// passes `d` once and another register as the other argument: the
/// parameter a fused op writes `d`'s value to directly (either position).
fn direct_at(args: [u16; 3], d: u16) -> Option<u8> {
    match args {
        [x, y, _] if y == d && x != d => Some(1),
        [x, y, _] if x == d && y != d => Some(0),
        _ => None,
    }
}

/// The parameter a tail call of two arguments `args` passes `d2` as, if
/// it passes exactly `d` and `d2` (distinct), in either order.
fn both_at(args: [u16; 3], d: u16, d2: u16) -> Option<u8> {
    (d != d2 && (args[..2] == [d, d2] || args[..2] == [d2, d])).then_some(u8::from(args[1] == d2))
}

/// The fast code for `ops` (same length and indices), and the guards of
/// its [`Op::CallG`] calls; `run` is the gas of the run starting at each op.
pub(crate) fn fuse(ops: &[Op], switch_targets: &[u32], run: &[u64]) -> (Vec<Op>, Vec<CallGuard>) {
    let mut fast = ops.to_vec();
    for (i, w) in ops.windows(2).enumerate() {
        let fused = match *w {
            [
                Op::Field { d: d1, s, i: i1 },
                Op::Field {
                    d: d2,
                    s: s2,
                    i: i2,
                },
            ] if s == s2 && d1 != s => Op::Field2 { d1, i1, d2, i2, s },
            [Op::AddI { d, a, k }, Op::TailCallS { .. }] => Op::AddITail { d, a, k },
            [Op::AddI { d, a, k }, Op::CallS { .. }] => Op::AddICall { d, a, k },
            [Op::Add { d, a, b }, Op::TailCallS { a: args, n: 2, .. }]
                if direct_at(args, d).is_some() =>
            {
                let at = direct_at(args, d).unwrap_or(1);
                Op::AddTailDirect { d, a, b, at }
            }
            [Op::Add { d, a, b }, Op::TailCallS { .. }] => Op::AddTail { d, a, b },
            [Op::Add { d, a, b }, Op::Ret { a: r }] if r == d => Op::AddRet { d, a, b },
            [Op::ConS { d, tag, a, n }, Op::Ret { .. }] => Op::ConSRet { d, tag, a, n },
            [Op::ConS { d, tag, a, n }, Op::TailCallS { .. }] => Op::ConSTail { d, tag, a, n },
            _ => continue,
        };
        fast[i] = fused;
    }
    // Three-op sequences whose last two are fused above: the first op
    // continues into the fused second one without a dispatch.
    for (i, w) in ops.windows(3).enumerate() {
        let fused = match *w {
            [
                Op::AddI { d, a, k },
                Op::Add { d: d2, .. },
                Op::TailCallS { a: args, n: 2, .. },
            ] if both_at(args, d, d2).is_some() => Op::AddIAddTailDirect { d, a, k },
            [
                Op::AddI { d, a, k },
                Op::ConS { d: d2, .. },
                Op::TailCallS { a: args, n: 2, .. },
            ] if both_at(args, d, d2).is_some() => {
                let at = both_at(args, d, d2).unwrap_or(1);
                Op::AddIConTailDirect { d, a, k, at }
            }
            [Op::AddI { d, a, k }, Op::Add { .. }, Op::TailCallS { .. }] => {
                Op::AddIAddTail { d, a, k }
            }
            [Op::AddI { d, a, k }, Op::ConS { .. }, Op::TailCallS { .. }] => {
                Op::AddIConTail { d, a, k }
            }
            _ => continue,
        };
        fast[i] = fused;
    }
    // Calls into an Int guard on a parameter, with their `add.i`.
    let mut call_guards = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let Op::CallS { d, up, entry, a, n } = *op else {
            continue;
        };
        let Some(cg) = call_guard(ops, run, entry, a, n) else {
            continue;
        };
        let Ok(g) = u32::try_from(call_guards.len()) else {
            break;
        };
        call_guards.push(cg);
        fast[i] = Op::CallG { d, up, g, a, n };
        if let Some(Op::AddICall { d, a, k }) = i.checked_sub(1).map(|j| fast[j]) {
            fast[i - 1] = Op::AddICallG { d, a, k };
        }
    }
    // Loops: the tail call's callee starts with a guard leading back here
    // (for the fold step, to the `Field2` just before it).
    let back = |i: usize, call: usize| match ops.get(call) {
        Some(&Op::TailCallS { entry, .. }) => ops
            .get(entry as usize)
            .and_then(|&op| Guard::of(op, entry))
            .is_some_and(|g| g.leads_to(i, switch_targets)),
        _ => false,
    };
    for i in 0..fast.len() {
        fast[i] = match fast[i] {
            Op::AddIAddTailDirect { d, a, k } if back(i, i + 2) => Op::AddIAddLoop { d, a, k },
            Op::AddIConTailDirect { d, a, k, at } if back(i, i + 2) => {
                Op::AddIConLoop { d, a, k, at }
            }
            Op::AddTailDirect { d, a, b, at }
                if i >= 2 && matches!(fast[i - 2], Op::Field2 { .. }) && back(i - 2, i + 1) =>
            {
                Op::FieldsAddLoop { d, a, b, at }
            }
            op => op,
        };
    }
    keep_what_the_code_holds(ops, &mut fast);
    (fast, call_guards)
}

/// Puts the base op back wherever a fused op does not stand on its parts:
/// the ops from its index on in `ops` must be the ones the table defines it
/// as ([`OpKind::parts`](crate::ops::OpKind::parts)). The patterns above
/// only form fused ops on their parts; this makes the table, not them, the
/// word on what a fused op stands for.
fn keep_what_the_code_holds(ops: &[Op], fast: &mut [Op]) {
    for (i, slot) in fast.iter_mut().enumerate() {
        let parts = slot.kind().parts();
        let held = ops.get(i..).unwrap_or(&[]);
        let stands =
            parts.len() <= held.len() && parts.iter().zip(held).all(|(&p, op)| op.kind() == p);
        if !parts.is_empty()
            && !stands
            && let Some(&op) = ops.get(i)
        {
            *slot = op;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::module::Module;
    use crate::program::Op;
    use crate::verify::verify;

    /// The loop ops of the fast code of a compiled kernel, by name.
    fn loops(tbc: &[u8]) -> Vec<&'static str> {
        let vm = verify(Module::decode(tbc).unwrap()).unwrap();
        vm.program
            .fast
            .iter()
            .filter_map(|s| match s.op {
                Op::AddIAddLoop { .. } => Some("AddIAddLoop"),
                Op::AddIConLoop { .. } => Some("AddIConLoop"),
                Op::FieldsAddLoop { .. } => Some("FieldsAddLoop"),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_compiled_kernels_loops_run_as_loop_ops() {
        let sum = include_bytes!("../benches/peers/kernels/sum.tbc");
        let fold = include_bytes!("../benches/peers/kernels/fold.tbc");
        let fib = include_bytes!("../benches/peers/kernels/fib.tbc");
        assert_eq!(loops(sum), ["AddIAddLoop"]);
        // `build`, then `std::list::fold` with `|acc, x| acc + x`.
        assert_eq!(loops(fold), ["AddIConLoop", "FieldsAddLoop"]);
        assert_eq!(loops(fib), [""; 0]);
    }

    #[test]
    fn a_fused_op_costs_what_its_parts_do_within_its_run() {
        for tbc in [
            &include_bytes!("../benches/peers/kernels/sum.tbc")[..],
            include_bytes!("../benches/peers/kernels/fold.tbc"),
            include_bytes!("../benches/peers/kernels/fib.tbc"),
        ] {
            let p = verify(Module::decode(tbc).unwrap()).unwrap().program;
            for (i, slot) in p.fast.iter().enumerate() {
                let parts = slot.op.kind().parts();
                if parts.is_empty() {
                    continue;
                }
                let held: Vec<_> = p.ops[i..i + parts.len()].iter().map(|o| o.kind()).collect();
                assert_eq!(held, parts, "{:?} at {i}", slot.op);
                let parts_gas: u64 = p.op_gas[i..i + parts.len()].iter().sum();
                assert_eq!(p.fused_gas(i), parts_gas);
                assert!(p.fused_gas(i) <= slot.run, "{:?} at {i}", slot.op);
            }
        }
    }

    #[test]
    fn fibs_recursive_calls_run_its_guard_at_the_call_site() {
        let fib = include_bytes!("../benches/peers/kernels/fib.tbc");
        let vm = verify(Module::decode(fib).unwrap()).unwrap();
        let calls: Vec<_> = vm
            .program
            .fast
            .iter()
            .filter(|s| matches!(s.op, Op::AddICallG { .. } | Op::CallG { .. }))
            .collect();
        // `fib(n - 1)` and `fib(n - 2)`: each an `add.i` fused with its call.
        assert_eq!(calls.len(), 4);
        let [g0, g1] = vm.program.call_guards[..] else {
            panic!("{:?}", vm.program.call_guards)
        };
        // `n <= 1` returns `n`: the fall-through of `br.gt.i n, 1`.
        assert_eq!((g0.lo, g0.hi, g0.leaf), (2, i128::MAX, Some(false)));
        assert_eq!(g0, g1);
    }
}
