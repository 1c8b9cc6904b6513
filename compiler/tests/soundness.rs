//! The bound is a promise: for every first-order `pub fn` of the stdlib and
//! the examples (generic ones at `Int`), on random arguments of sizes
//! 0..1000, a run never uses more gas than the static bound evaluated on
//! those arguments, and never allocates more heap than the memory bound.
//! Each run gets exactly its bound as the gas limit, so running out of gas
//! would be a broken promise too.

#[path = "support/entries.rs"]
mod entries;
#[path = "support/examples.rs"]
mod examples;

use proptest::prelude::*;
use vm_core::{Trap, Value, VerifiedModule};

use entries::{Rng, Subject, arguments, subjects};

/// Runs longer than this (in gas) are skipped: they would only slow the
/// test down (exponential bounds such as `fib`'s at large `n`).
const RUN_CAP: u64 = 200_000_000;

/// Checks one call; `Ok(false)` if it was skipped for its size.
fn check_call(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    what: &str,
) -> Result<bool, String> {
    let bounds = vm_core::bound(vm, entry, args).map_err(|e| format!("{what}: no bound: {e}"))?;
    if bounds.gas > RUN_CAP {
        return Ok(false);
    }
    let (result, used, stats) = vm_core::evaluate_with_stats(vm, entry, args, bounds.gas);
    if matches!(result, Err(Trap::OutOfGas)) || used > bounds.gas {
        return Err(format!("{what}: used {used} gas, bound {}", bounds.gas));
    }
    // What the call allocated (heap cells of `con`, Bytes of `bytes.concat`
    // and `sha256`), not the arguments copied in before it: what the memory
    // bound counts.
    // The register stack is inside the memory bound, and under the stack bound.
    if stats.stack_bytes > bounds.stack || stats.allocated_bytes + stats.stack_bytes > bounds.memory
    {
        return Err(format!(
            "{what}: stack {} bytes (allocated {}), stack bound {}, memory bound {}",
            stats.stack_bytes, stats.allocated_bytes, bounds.stack, bounds.memory
        ));
    }
    if stats.allocated_bytes > bounds.memory {
        return Err(format!(
            "{what}: allocated {} bytes, bound {}",
            stats.allocated_bytes, bounds.memory
        ));
    }
    Ok(true)
}

fn check_all(subjects: &[Subject], seed: u64, size: u64) -> Result<(), String> {
    let mut rng = Rng::new(seed);
    for s in subjects {
        for entry in &s.entries {
            let args = arguments(&s.module, entry, size, &mut rng);
            let shown: Vec<String> = args
                .iter()
                .map(|a| format!("{:?}", a.nodes().len()))
                .collect();
            let what = format!(
                "{}::{entry} (argument nodes {})",
                s.origin,
                shown.join(", ")
            );
            check_call(&s.module, entry, &args, &what)?;
        }
    }
    Ok(())
}

fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn every_entry_point_is_covered() {
    let found = with_big_stack(|| {
        subjects()
            .iter()
            .flat_map(|s| {
                s.entries
                    .iter()
                    .map(|e| format!("{}::{e}", s.origin))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    });
    for expected in [
        "examples/lists.tly::insertion_sort",
        "examples/recursion.tly::tree_sum",
        "examples/recursion.tly::fib",
        "examples/token.tly::transfer",
        "std::list::reverse<Int>",
        "std::list::range",
        "std::bytes::slice",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} missing from {found:?}"
        );
    }
}

#[test]
fn bounds_hold_at_every_size_up_to_1000() {
    with_big_stack(|| {
        let subjects = subjects();
        for size in [0, 1, 2, 3, 5, 10, 30, 100, 300, 1000] {
            for seed in 0..3 {
                check_all(&subjects, seed * 1000 + size, size).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn bounds_hold_on_random_arguments(seed in any::<u64>(), size in 0u64..=1000) {
        let outcome = with_big_stack(move || check_all(&subjects(), seed, size));
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
