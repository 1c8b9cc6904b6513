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
/// Kernel F: `filled_value(orders, min_price)`.
pub const ORDERS: &[u8] = include_bytes!("../kernels/orders.tbc");
/// Kernel G: `successors(tree, ops)`.
pub const BST: &[u8] = include_bytes!("../kernels/bst.tbc");
/// Kernel H: `merge_sum(xs, ys)`.
pub const MERGE: &[u8] = include_bytes!("../kernels/merge.tbc");
/// Kernel I: `stats(xs)`.
pub const STATS: &[u8] = include_bytes!("../kernels/stats.tbc");
/// Kernel J: `window(n, seed)`.
pub const WINDOW: &[u8] = include_bytes!("../kernels/window.tbc");
/// Kernel K: `sum_double(n, acc)`.
pub const SUM_DOUBLE: &[u8] = include_bytes!("../kernels/sum_double.tbc");
/// Kernel L: `range_squares(n)`.
pub const SQUARES: &[u8] = include_bytes!("../kernels/squares.tbc");
/// Kernel M: `transfer_balance(ledger, from, to, amount)`.
pub const MAP_TOKEN: &[u8] = include_bytes!("../kernels/map_token.tbc");
/// Kernel N: `authorised(owner, payload, signature)`.
pub const SIG: &[u8] = include_bytes!("../kernels/sig.tbc");

/// Decodes and verifies a checked-in module.
pub fn module(bytes: &[u8]) -> VerifiedModule {
    match load(bytes) {
        Ok(vm) => vm,
        Err(e) => panic!("a checked-in kernel does not load: {e}"),
    }
}
