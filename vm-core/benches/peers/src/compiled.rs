//! The Tally kernels compiled by our compiler: `kernels/*.tly`, built with
//! `tally build kernels/K.tly -o kernels/K.tbc` and checked in (the test
//! `compiler/tests/bench_kernels.rs` fails when a `.tbc` is stale).

use vm_core::internals::{VerifiedModule, load};

/// Kernel A: `sum(n, acc)`.
pub const SUM: &[u8] = include_bytes!("../kernels/sum.tbc");
/// Kernel B: `fib(n)`.
pub const FIB: &[u8] = include_bytes!("../kernels/fib.tbc");
/// Kernel C: `range_sum(n)`.
pub const FOLD: &[u8] = include_bytes!("../kernels/fold.tbc");
/// Kernel D: `sort(xs)`.
pub const SORT: &[u8] = include_bytes!("../kernels/sort.tbc");
/// Kernel E: `transfer(ledger, from, to, amount)`, `balance_of(ledger, owner)`.
pub const TOKEN: &[u8] = include_bytes!("../kernels/token.tbc");

/// Decodes and verifies a checked-in module.
pub fn module(bytes: &[u8]) -> VerifiedModule {
    match load(bytes) {
        Ok(vm) => vm,
        Err(e) => panic!("a checked-in kernel does not load: {e}"),
    }
}
