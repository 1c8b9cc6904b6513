//! Evaluation guided by the static bound: what a node calls.
//!
//! [`evaluate_bounded`] first evaluates the entry point's bounds on the
//! arguments (linear in their size). If they fit ([`Bounds::fits`]: the gas
//! bound is within the limit and not saturated, the stack bound within the
//! call stack), the call cannot run out of gas nor overflow the stack, so
//! it runs with [`Metering::Unchecked`] (no limit checks; the exact gas
//! used is still reported). Otherwise it either runs metered and stops
//! cleanly at the limit, or, if the caller asks, is rejected before it
//! starts.

use crate::bound::{BoundError, Bounds, bound};
use crate::error::Trap;
use crate::eval::{Metering, Options, Outcome, evaluate_with};
use crate::value::Value;
use crate::verify::VerifiedModule;

/// What to do with a call whose bounds do not fit ([`Bounds::fits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// Run it metered; it may stop with `OutOfGas`.
    RunMetered,
    /// Do not run it: report [`Bounded::Rejected`] without using gas.
    Reject,
}

/// The outcome of [`evaluate_bounded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bounded {
    /// The call ran.
    Ran {
        /// Its result, gas used and statistics.
        outcome: Outcome,
        /// Its static bounds on these arguments.
        bounds: Bounds,
        /// How the limit was enforced: `Unchecked` when the bound fit.
        metering: Metering,
    },
    /// The gas bound exceeds the limit (or is saturated), or the stack bound
    /// exceeds [`MAX_STACK_BYTES`](crate::bound::MAX_STACK_BYTES), and the
    /// caller asked not to run it.
    Rejected {
        /// The static bounds on these arguments.
        bounds: Bounds,
    },
}

/// Runs `entry` on `args` within `gas_limit`, unmetered when its static
/// bound fits the limit. Bad entry names and ill-typed arguments give the
/// same traps as [`crate::evaluate`] (with 0 gas used).
pub fn evaluate_bounded(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
    over_limit: OverLimit,
) -> Bounded {
    let bounds = match bound(vm, entry, args) {
        Ok(b) => b,
        Err(error) => {
            let trap = match error {
                BoundError::UnknownEntry(name) => Trap::UnknownEntry(name),
                BoundError::BadArguments(e) => Trap::BadArguments(e),
                // A verified module has a bound for every function.
                BoundError::NoBound(_) => Trap::Internal("entry point without a bound"),
            };
            return Bounded::Ran {
                outcome: Outcome {
                    result: Err(trap),
                    gas_used: 0,
                    stats: Default::default(),
                },
                bounds: Bounds {
                    gas: 0,
                    memory: 0,
                    stack: 0,
                },
                metering: Metering::Checked,
            };
        }
    };
    // A saturated gas bound never fits; a stack bound past the limit may
    // overflow the call stack, so such a call is refused too.
    let metering = if bounds.fits(gas_limit) {
        Metering::Unchecked
    } else if over_limit == OverLimit::Reject {
        return Bounded::Rejected { bounds };
    } else {
        Metering::Checked
    };
    let outcome = evaluate_with(
        vm,
        entry,
        args,
        Options {
            gas_limit,
            metering,
        },
    );
    Bounded::Ran {
        outcome,
        bounds,
        metering,
    }
}
