//! The bound is a promise: one call checked against its static gas and
//! memory bounds. Shared by the soundness test and the totality corpus.

#![allow(dead_code)]

use vm_core::{Trap, Value, internals::VerifiedModule};

/// Runs longer than this (in gas) are skipped: they would only slow the
/// test down (exponential bounds such as `fib`'s at large `n`).
pub const RUN_CAP: u64 = 200_000_000;

/// Checks one call of `entry` on `args`: it must not use more gas than the
/// static bound evaluated on those arguments (run with exactly that limit,
/// so running out of gas is a broken promise too), nor use more stack than
/// the stack bound, nor allocate (with the stack) more than the memory bound. `Ok(false)` if it was skipped for its size; `what`
/// names the call in the error.
pub fn check_call(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    what: &str,
) -> Result<bool, String> {
    let bounds =
        vm_core::internals::bound(vm, entry, args).map_err(|e| format!("{what}: no bound: {e}"))?;
    if bounds.gas > RUN_CAP {
        return Ok(false);
    }
    let (result, used, stats) =
        vm_core::internals::evaluate_with_stats(vm, entry, args, bounds.gas);
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

/// Runs `f` on a thread with a 256 MiB stack (deep recursion in the
/// compiler's and the VM's tests).
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}
