//! The five benchmark kernels of issue 3 for each peer of the vm-core
//! evaluator: wasmi (`kernels.wat`, fuel metering on and off), the uplc CEK
//! machine ([`plutus`]) and native Rust ([`native`]). The Tally side is the
//! kernels of `kernels/*.tly` compiled by our compiler ([`compiled`]); the
//! value helpers of `vm-core/tests/common` are re-exported as [`tally`].
//! The tests check that every peer computes the same results.

#![warn(missing_docs)]

pub mod compiled;
pub mod native;
pub mod plutus;
pub mod wasm;

/// vm-core's test support (hand-assembled kernels, value helpers).
#[allow(missing_docs)]
#[path = "../../../tests/common/mod.rs"]
pub mod tally;

/// Problem sizes of the kernels (issue 3).
pub mod sizes {
    /// A: sum 1..N.
    pub const SUM: i64 = 10_000_000;
    /// B: fib(N).
    pub const FIB: i64 = 25;
    /// C: build and fold [1..N].
    pub const FOLD: i64 = 100_000;
    /// D: insertion sort of [N..1].
    pub const SORT: i64 = 2_000;
    /// E: ledger entries.
    pub const LEDGER: u32 = 1_000;
    /// E: the sender's and receiver's indices in the ledger.
    pub const FROM: u32 = 500;
    /// E: the receiver's index.
    pub const TO: u32 = 900;
    /// E: the amount moved.
    pub const AMOUNT: i64 = 250;
}

#[cfg(test)]
mod tests;
