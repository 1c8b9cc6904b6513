//! Superinstructions: frequent op sequences run as one dispatch.
//!
//! The fused op replaces the first op of the sequence in
//! [`Program::fast`](crate::program::Program); the others stay in place, so
//! a jump into the middle of a sequence runs the remaining ops one by one.
//! A fused op has the effect of its parts in order, and its gas is charged
//! with the run it belongs to, so fusion changes neither results nor gas.

use crate::program::Op;

/// The fast code for `ops` (same length and indices).
pub(crate) fn fuse(ops: &[Op]) -> Vec<Op> {
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
                if args[1] == d && args[0] != d =>
            {
                Op::AddTailDirect { d, a, b }
            }
            [Op::Add { d, a, b }, Op::TailCallS { .. }] => Op::AddTail { d, a, b },
            [Op::Add { d, a, b }, Op::Ret { .. }] => Op::AddRet { d, a, b },
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
            ] if args[..2] == [d, d2] && d != d2 => Op::AddIAddTailDirect { d, a, k },
            [
                Op::AddI { d, a, k },
                Op::ConS { d: d2, .. },
                Op::TailCallS { a: args, n: 2, .. },
            ] if args[..2] == [d, d2] && d != d2 => Op::AddIConTailDirect { d, a, k },
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
    fast
}
