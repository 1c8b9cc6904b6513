//! Evaluation guided by the static bound: what a node calls.
//!
//! [`evaluate_bounded`] first evaluates the entry point's gas bound on the
//! arguments (linear in their size). If the bound fits the gas limit, the
//! call cannot run out of gas, so it runs with [`Metering::Unchecked`] (no
//! limit checks; the exact gas used is still reported). Otherwise it either
//! runs metered and stops cleanly at the limit, or, if the caller asks,
//! is rejected before it starts.

use crate::bound::{BoundError, Bounds, bound};
use crate::error::Trap;
use crate::eval::{Metering, Options, Outcome, evaluate_with};
use crate::value::Value;
use crate::verify::VerifiedModule;

/// What to do with a call whose gas bound exceeds the limit.
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
    /// The gas bound exceeds the limit and the caller asked not to run it.
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
                bounds: Bounds { gas: 0, memory: 0 },
                metering: Metering::Checked,
            };
        }
    };
    let metering = if bounds.gas <= gas_limit {
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
