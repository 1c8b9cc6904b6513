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
#[path = "support/promise.rs"]
mod promise;

use proptest::prelude::*;
use vm_core::Value;

use entries::{Rng, Subject, arguments, subjects};
use promise::{check_call, with_big_stack};

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
        "examples/assoc_token.tly::transfer",
        "std::list::reverse<Int>",
        "std::list::range",
        "std::bytes::slice",
        "tests/data/errors.tly::sum_all",
        "tests/data/errors.tly::pay",
        "tests/data/contracts/token_state.tly::transfer_from",
        "tests/data/contracts/ballot.tly::vote",
        "tests/data/contracts/vault.tly::withdraw",
        "tests/data/contracts/auction.tly::bid",
        "tests/data/contracts/crowdfund.tly::refund",
        "tests/data/contracts/chain.tly::chain_10",
        "tests/data/contracts/matrix.tly::mat_mul",
        "tests/data/contracts/sort_lists.tly::sort_lists",
        "tests/data/contracts/subtrees.tly::subtrees",
        "std::int::add_u64_or_fail",
        "std::int::checked_mul_u128",
        "std::crypto::ed25519_verify",
        "std::crypto::schnorr_verify",
        "std::crypto::ecdsa_secp256k1_verify",
        "std::crypto::blake2b_256",
        "std::crypto::keccak256",
        "std::crypto::sha3_256",
        "std::map::insert<Int, Int>",
        "std::map::get<Int, Int>",
        "std::map::remove<Int, Int>",
        "std::map::from_list<Int, Int>",
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

/// `std::crypto`'s hashes and signature checks on Bytes of random lengths
/// up to 10,000 (keys and signatures at their right length half the time):
/// gas used never exceeds the bound, memory neither.
fn check_crypto(seed: u64) -> Result<(), String> {
    let subjects = subjects();
    let crypto = subjects
        .iter()
        .find(|s| s.origin == "std::crypto")
        .ok_or("std::crypto is not a subject")?;
    let mut rng = Rng::new(seed);
    let bytes = |max: u64, right: usize, rng: &mut Rng| {
        let len = if rng.upto(1) == 0 {
            right
        } else {
            rng.upto(max) as usize
        };
        Value::bytes((0..len).map(|_| rng.upto(255) as u8).collect::<Vec<u8>>())
    };
    for entry in &crypto.entries {
        let args: Vec<Value> = match entry.as_str() {
            "ed25519_verify" | "schnorr_verify" => vec![
                bytes(40, 32, &mut rng),
                bytes(10_000, 32, &mut rng),
                bytes(80, 64, &mut rng),
            ],
            "ecdsa_secp256k1_verify" => vec![
                bytes(40, 33, &mut rng),
                bytes(10_000, 32, &mut rng),
                bytes(80, 64, &mut rng),
            ],
            _ => vec![bytes(10_000, 0, &mut rng)],
        };
        check_call(
            &crypto.module,
            entry,
            &args,
            &format!("std::crypto::{entry}"),
        )?;
    }
    if crypto.entries.len() < 7 {
        return Err(format!("std::crypto entries: {:?}", crypto.entries));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn crypto_bounds_hold_on_random_lengths_up_to_10000(seed in any::<u64>()) {
        let outcome = with_big_stack(move || check_crypto(seed));
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
