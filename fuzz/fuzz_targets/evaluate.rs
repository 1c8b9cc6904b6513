//! The evaluator on verified modules. The input is a module (mutated from
//! the compiled examples) and entropy for the arguments and the gas limit.
//! For every export it checks the promises of the bound:
//!
//! - gas used ≤ the static gas bound, and no `OutOfGas` when the bound fits
//!   the limit;
//! - memory allocated plus register stack (`Stats::allocated_bytes`,
//!   `stack_bytes`) ≤ the static memory bound, and the stack ≤ the stack bound;
//! - every metering mode gives the same outcome (result, gas used and
//!   statistics): `Checked`, `PerInstruction`, and, when the bound fits the
//!   limit, `Unchecked` and `evaluate_bounded` (which then runs unchecked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_fuzz::{arguments, verified_input};
use vm_core::internals::{
    Bounded, Metering, Options, OverLimit, Trap, bound, evaluate_bounded, evaluate_with,
};

/// The largest gas limit tried: keeps one input to milliseconds.
const MAX_LIMIT: u64 = 200_000;

fuzz_target!(|data: &[u8]| {
    let Some((vm, module, mut entropy)) = verified_input(data) else {
        return;
    };
    for export in &module.exports {
        let Some(args) = arguments(&module, export.func.0 as usize, &mut entropy) else {
            continue;
        };
        let limit = match entropy.byte() % 4 {
            0 => u64::from(entropy.byte()),
            1 => u64::from(entropy.byte()) * 64,
            _ => MAX_LIMIT,
        };
        let entry = &export.name;
        let b = bound(&vm, entry, &args).expect("arguments of the right types");
        let run = |metering| {
            evaluate_with(
                &vm,
                entry,
                &args,
                Options {
                    gas_limit: limit,
                    metering,
                },
            )
        };
        let checked = run(Metering::Checked);
        let what = || format!("{entry}({args:?}) limit {limit} bounds {b:?}: {checked:?}");
        assert!(checked.gas_used <= limit, "gas over the limit: {}", what());
        assert!(checked.gas_used <= b.gas, "gas over the bound: {}", what());
        // The memory bound covers the allocations and the register stack.
        let stats = checked.stats;
        assert!(
            stats.stack_bytes <= b.stack,
            "stack over the bound: {}",
            what()
        );
        assert!(
            stats.allocated_bytes.saturating_add(stats.stack_bytes) <= b.memory,
            "memory over the bound: {}",
            what()
        );
        let fits = b.fits(limit);
        if fits {
            assert!(
                !matches!(checked.result, Err(Trap::OutOfGas)),
                "out of gas within the bound: {}",
                what()
            );
        }
        assert_eq!(
            run(Metering::PerInstruction),
            checked,
            "per-instruction: {}",
            what()
        );
        // Unchecked metering is only promised to agree on runs whose bound
        // fits the limit (on others it could run as long as the program).
        if fits {
            assert_eq!(run(Metering::Unchecked), checked, "unchecked: {}", what());
        }
        match evaluate_bounded(&vm, entry, &args, limit, OverLimit::Reject) {
            Bounded::Ran {
                outcome, bounds, ..
            } => {
                assert_eq!(outcome, checked, "bounded: {}", what());
                assert_eq!(bounds, b, "bounded's bounds: {}", what());
                assert!(fits, "ran though the bounds do not fit: {}", what());
            }
            Bounded::Rejected { bounds } => {
                assert_eq!(bounds, b);
                assert!(!fits, "rejected though the bounds fit: {}", what());
            }
        }
    }
});
