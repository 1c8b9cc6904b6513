//! One soundness check shared by the fuzz-style tests: a run on concrete
//! arguments never uses more gas, nor allocates more heap, than the static
//! bound of its entry point evaluated on those arguments.
#![allow(dead_code)]

use vm_core::*;

/// Heap slots the evaluator spends loading the arguments before the call.
///
/// `Stats::heap_slots` counts them, and the memory bound does not (they are
/// known before the run), so the check subtracts them. The evaluator does
/// not count Bytes arena bytes yet: only the heap part of the memory bound
/// is checked until it has an exact allocation counter.
pub fn argument_slots(args: &[Value]) -> u64 {
    args.iter()
        .flat_map(|a| a.nodes())
        .map(|n| match n {
            Node::Cell { arity, .. } => u64::from(*arity),
            _ => 0,
        })
        .sum()
}

/// Runs `entry` on `args` with gas limit `limit` and checks the run against
/// `bound(vm, entry, args)`: gas used (also of a run that traps) and heap
/// allocated never exceed the bound, and a run whose bound fits the limit
/// never runs out of gas. Arguments the entry does not accept are skipped
/// (`Ok(false)`).
pub fn within_bound(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    limit: u64,
) -> Result<bool, String> {
    let Ok(b) = bound(vm, entry, args) else {
        return Ok(false);
    };
    let (r, used, stats) = evaluate_with_stats(vm, entry, args, limit);
    let what = || format!("{entry}({args:?}) limit {limit}");
    if used > b.gas {
        return Err(format!("{}: gas used {used} > bound {}", what(), b.gas));
    }
    if b.gas <= limit && matches!(r, Err(Trap::OutOfGas)) {
        return Err(format!("{}: out of gas within the bound {}", what(), b.gas));
    }
    let heap = 16 * (stats.heap_slots as u64).saturating_sub(argument_slots(args));
    if stats.stack_bytes > b.stack || heap + stats.stack_bytes > b.memory {
        return Err(format!(
            "{}: stack {} (heap {heap}) > stack bound {} (memory bound {})",
            what(),
            stats.stack_bytes,
            b.stack,
            b.memory
        ));
    }
    if heap > b.memory {
        return Err(format!(
            "{}: heap {heap} > memory bound {}",
            what(),
            b.memory
        ));
    }
    Ok(true)
}
