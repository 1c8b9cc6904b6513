//! The benchmark kernels for each peer of the vm-core evaluator: the five
//! of issue 3 (A–E) and the contract-shaped ones of issue 18 (F–N). Peers:
//! wasmi (`kernels.wat`, fuel metering on and off), the uplc CEK machine
//! ([`plutus`], A–E only) and native Rust ([`native`]). The Tally side is the
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
    /// F: orders filtered, valued and summed.
    pub const ORDERS: i64 = 50_000;
    /// F: the least price of an order that counts.
    pub const MIN_PRICE: i64 = 20;
    /// G: keys of the input tree.
    pub const BST_KEYS: i64 = 16_000;
    /// G: insert-then-look-up steps on the input tree.
    pub const BST_OPS: i64 = 20_000;
    /// H: the length of each of the two lists merged.
    pub const MERGE: i64 = 20_000;
    /// I: elements folded with the (count, total, max) accumulator.
    pub const STATS: i64 = 100_000;
    /// J: steps of the rolling window.
    pub const WINDOW: i64 = 100_000;
    /// J: the window's width in bytes.
    pub const WIDTH: usize = 32;
    /// K: sum 2·n over 1..N.
    pub const SUM_DOUBLE: i64 = 10_000_000;
    /// L: build and fold [1..N] to its sum of squares.
    pub const SQUARES: i64 = 100_000;
    /// M: accounts of the map ledger (`FROM`, `TO` and `AMOUNT` as in E).
    pub const MAP_LEDGER: u32 = 1_000;
    /// N: the length of the signed message.
    pub const SIG_MESSAGE: usize = 72;
}

/// The inputs of the kernels that take data, the same for every peer.
pub mod inputs {
    use vm_core::Value;

    /// An Int list as a Tally value.
    pub fn int_values(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|&x| Value::int(x.into())))
    }

    /// F's orders as a Tally `List<Order>`.
    pub fn order_values(orders: &[(i64, i64, i64)]) -> Value {
        Value::list(orders.iter().map(|&(id, price, qty)| {
            let field = |x: i64| Value::int(x.into());
            Value::cell(0, vec![field(id), field(price), field(qty)])
        }))
    }

    /// G's input tree as a Tally `Tree` (`Leaf` is variant 0, `Node(l, k,
    /// r)` variant 1). Recursive, on a tree a few dozen levels deep.
    pub fn tree_value(t: &crate::native::Tree) -> Value {
        match t {
            crate::native::Tree::Leaf => Value::cell(0, vec![]),
            crate::native::Tree::Node(l, k, r) => {
                Value::cell(1, vec![tree_value(l), Value::int(*k), tree_value(r)])
            }
        }
    }

    /// M's ledger as a Tally `Map<Bytes, Int>`: accounts `i` as 4
    /// big-endian bytes for `i` in `0..n`, 1000 each.
    pub fn map_ledger_value(n: u32) -> Value {
        let entries = (0..n).map(|i| (Value::bytes(i.to_be_bytes().to_vec()), Value::int(1000)));
        match Value::map(entries) {
            Ok(m) => m,
            Err(e) => panic!("Bytes keys make a map: {e}"),
        }
    }

    /// F: order `i` is `(id, price, qty) = (i, 1 + 37·i mod 100, i mod 5)`,
    /// so a fifth have no quantity and a fifth a price below 20.
    pub fn orders(n: i64) -> Vec<(i64, i64, i64)> {
        (0..n).map(|i| (i, 1 + (i * 37) % 100, i % 5)).collect()
    }

    /// G: `n` distinct even keys in a scattered order (`2·(40503·i mod
    /// 2^16)`), inserted in this order into the input tree, so the
    /// unbalanced tree stays shallow.
    pub fn bst_keys(n: i64) -> Vec<i64> {
        (0..n).map(|i| 2 * ((i * 40_503) % 65_536)).collect()
    }

    /// G: `m` keys to insert, even and odd (`9973·i + 7 mod 2^17`).
    pub fn bst_ops(m: i64) -> Vec<i64> {
        (0..m).map(|i| (i * 9_973 + 7) % 131_072).collect()
    }

    /// H: the two sorted lists `[0, 2, 4, ..]` and `[0, 3, 6, ..]` of `n` each.
    pub fn merge_lists(n: i64) -> (Vec<i64>, Vec<i64>) {
        (
            (0..n).map(|i| 2 * i).collect(),
            (0..n).map(|i| 3 * i).collect(),
        )
    }

    /// I: `7919·i mod 100003` for `i` in `0..n`.
    pub fn stats_list(n: i64) -> Vec<i64> {
        (0..n).map(|i| (i * 7_919) % 100_003).collect()
    }

    /// N: a public key, a message of `SIG_MESSAGE` bytes and its valid
    /// signature, from a fixed secret key.
    pub fn signed() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        use ed25519_dalek::{Signer, SigningKey};
        let sk = SigningKey::from_bytes(&[7; 32]);
        let msg: Vec<u8> = (0..super::sizes::SIG_MESSAGE as u8).collect();
        let sig = sk.sign(&msg);
        (
            sk.verifying_key().to_bytes().to_vec(),
            msg,
            sig.to_bytes().to_vec(),
        )
    }
}

#[cfg(test)]
mod tests;
