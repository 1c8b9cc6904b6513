//! The cost of the hash and signature intrinsics relative to `sha256` of the
//! same input, which is what their gas is set from (`lang-spec/bytecode.md`
//! §4.1 records the ratios): `cargo bench -p vm-core --bench crypto`.
//! Verifications run on valid signatures (the slowest path).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vm_core::internals::crypto::{HashFn, SigScheme};

/// A valid (key, message, signature) of each scheme over `msg`.
fn signed(scheme: SigScheme, msg: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let secret = [7u8; 32];
    match scheme {
        SigScheme::Ed25519 => {
            use ed25519_dalek::{Signer, SigningKey};
            let sk = SigningKey::from_bytes(&secret);
            (
                sk.verifying_key().to_bytes().to_vec(),
                sk.sign(msg).to_bytes().to_vec(),
            )
        }
        SigScheme::Schnorr => {
            let sk = k256::schnorr::SigningKey::from_bytes(&secret).unwrap();
            let sig = sk.sign_raw(msg, &[0u8; 32]).unwrap();
            (
                sk.verifying_key().to_bytes().to_vec(),
                sig.to_bytes().to_vec(),
            )
        }
        SigScheme::EcdsaSecp256k1 => {
            use k256::ecdsa::signature::hazmat::PrehashSigner;
            let sk = k256::ecdsa::SigningKey::from_bytes(&secret.into()).unwrap();
            let sig: k256::ecdsa::Signature = sk.sign_prehash(msg).unwrap();
            let key = sk
                .verifying_key()
                .to_encoded_point(true)
                .as_bytes()
                .to_vec();
            (key, sig.to_bytes().to_vec())
        }
    }
}

fn hashes(c: &mut Criterion) {
    let mut g = c.benchmark_group("hash");
    g.sample_size(20);
    for len in [32usize, 1024, 65536] {
        let data = vec![0xa5u8; len];
        for (name, f) in [
            ("sha256", HashFn::Sha256),
            ("blake2b_256", HashFn::Blake2b256),
            ("keccak256", HashFn::Keccak256),
            ("sha3_256", HashFn::Sha3_256),
        ] {
            g.bench_function(format!("{name} {len} B"), |b| {
                b.iter(|| f.digest(black_box(&data)))
            });
        }
    }
    g.finish();
}

fn signatures(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    g.sample_size(20);
    for len in [32usize, 1024, 65536] {
        let msg = vec![0x5au8; len];
        for (name, s) in [
            ("ed25519", SigScheme::Ed25519),
            ("schnorr", SigScheme::Schnorr),
            ("ecdsa", SigScheme::EcdsaSecp256k1),
        ] {
            if s == SigScheme::EcdsaSecp256k1 && len != 32 {
                continue; // ECDSA takes a 32-byte hash only
            }
            let (key, sig) = signed(s, &msg);
            assert!(s.verify(&key, &msg, &sig));
            g.bench_function(format!("{name} {len} B"), |b| {
                b.iter(|| s.verify(black_box(&key), black_box(&msg), black_box(&sig)))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, hashes, signatures);
criterion_main!(benches);
