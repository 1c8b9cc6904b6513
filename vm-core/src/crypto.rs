//! The hash and signature intrinsics (`lang-spec/bytecode.md` §4.1): what
//! each computes and what it costs. Pure functions of their inputs; a
//! malformed key or signature is a `false` result, never a trap.
//!
//! Implementations: `sha2` (SHA-256), `blake2` (BLAKE2b-256), `sha3`
//! (Keccak-256, SHA3-256), `ed25519-dalek` (Ed25519, `verify_strict`) and
//! `k256` (BIP-340 Schnorr and ECDSA over secp256k1). All are deterministic.

use blake2::Blake2b;
use blake2::digest::consts::U32;
use sha2::{Digest, Sha256};
use sha3::{Keccak256, Sha3_256};

use crate::isa::{Opcode, Size};

/// A 32-byte digest function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFn {
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// BLAKE2b with a 32-byte output, unkeyed (RFC 7693).
    Blake2b256,
    /// Keccak-256 with the original padding (as Ethereum uses it).
    Keccak256,
    /// SHA3-256 (FIPS 202).
    Sha3_256,
}

/// A signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigScheme {
    /// RFC 8032 Ed25519, strict (`verify_strict`).
    Ed25519,
    /// BIP-340 Schnorr over secp256k1, x-only keys.
    Schnorr,
    /// ECDSA over secp256k1 on a 32-byte hash, compact low-S signatures.
    EcdsaSecp256k1,
}

impl HashFn {
    /// The instruction computing it.
    pub fn opcode(self) -> Opcode {
        match self {
            HashFn::Sha256 => Opcode::Sha256,
            HashFn::Blake2b256 => Opcode::Blake2b256,
            HashFn::Keccak256 => Opcode::Keccak256,
            HashFn::Sha3_256 => Opcode::Sha3_256,
        }
    }

    /// The whole gas of hashing `len` bytes: base plus the per-byte term.
    pub fn gas(self, len: usize) -> u64 {
        let op = self.opcode();
        op.gas()
            .saturating_add(op.cost(Size::InputBytes, len as u64))
    }

    /// The 32-byte digest of `data`.
    pub fn digest(self, data: &[u8]) -> [u8; 32] {
        match self {
            HashFn::Sha256 => Sha256::digest(data).into(),
            HashFn::Blake2b256 => Blake2b::<U32>::digest(data).into(),
            HashFn::Keccak256 => Keccak256::digest(data).into(),
            HashFn::Sha3_256 => Sha3_256::digest(data).into(),
        }
    }
}

impl SigScheme {
    /// The instruction verifying it.
    pub fn opcode(self) -> Opcode {
        match self {
            SigScheme::Ed25519 => Opcode::Ed25519Verify,
            SigScheme::Schnorr => Opcode::SchnorrVerify,
            SigScheme::EcdsaSecp256k1 => Opcode::EcdsaVerify,
        }
    }

    /// The whole gas of verifying a signature over a `len`-byte message
    /// (charged whatever the key and signature are): base plus the
    /// per-message-byte term (none for ECDSA, whose message is a 32-byte
    /// hash, part of the base).
    pub fn gas(self, len: usize) -> u64 {
        let op = self.opcode();
        op.gas()
            .saturating_add(op.cost(Size::MessageBytes, len as u64))
    }

    /// Whether `sig` is a valid signature of `msg` under `key`.
    pub fn verify(self, key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
        match self {
            SigScheme::Ed25519 => ed25519(key, msg, sig),
            SigScheme::Schnorr => schnorr(key, msg, sig),
            SigScheme::EcdsaSecp256k1 => ecdsa(key, msg, sig),
        }
    }
}

/// RFC 8032 Ed25519 with `verify_strict`: rejects `S >= L`, non-canonical
/// encodings of `A` and `R`, and keys or `R` of small order.
fn ed25519(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use ed25519_dalek::{Signature, VerifyingKey};
    let (Ok(key), Ok(sig)) = (<[u8; 32]>::try_from(key), <[u8; 64]>::try_from(sig)) else {
        return false;
    };
    // `from_bytes` rejects an `A` that does not decompress; `verify_strict`
    // the rest (S >= L is rejected by the signature check itself).
    let Ok(vk) = VerifyingKey::from_bytes(&key) else {
        return false;
    };
    if !canonical_point(&key) || !canonical_point(&sig[..32]) {
        return false;
    }
    vk.verify_strict(msg, &Signature::from_bytes(&sig)).is_ok()
}

/// Whether a 32-byte Edwards point encoding has its y coordinate below
/// p = 2^255 - 19 (RFC 8032 §5.1.3 step 1). `curve25519-dalek` decodes
/// y >= p by reducing it; the RFC rejects it.
fn canonical_point(enc: &[u8]) -> bool {
    // y is the low 255 bits, little-endian; y >= p only if y is in
    // [2^255 - 19, 2^255 - 1]: bytes 1..31 all 0xff (bit 255 masked) and
    // byte 0 >= 0xed.
    let Some((&first, rest)) = enc.split_first() else {
        return false;
    };
    let Some((&last, middle)) = rest.split_last() else {
        return false;
    };
    let high = last & 0x7f == 0x7f && middle.iter().all(|&b| b == 0xff);
    !(high && first >= 0xed)
}

/// BIP-340 verification: 32-byte x-only key, 64-byte `r ‖ s`, any message.
fn schnorr(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use k256::schnorr::{Signature, VerifyingKey};
    if key.len() != 32 || sig.len() != 64 {
        return false;
    }
    let (Ok(vk), Ok(sig)) = (VerifyingKey::from_bytes(key), Signature::try_from(sig)) else {
        return false;
    };
    vk.verify_raw(msg, &sig).is_ok()
}

/// ECDSA over secp256k1: 33-byte compressed SEC1 key, 32-byte message
/// hash, 64-byte `r ‖ s` with `s <= n/2` (low S).
fn ecdsa(key: &[u8], hash: &[u8], sig: &[u8]) -> bool {
    use k256::ecdsa::signature::hazmat::PrehashVerifier;
    use k256::ecdsa::{Signature, VerifyingKey};
    let compressed = key.len() == 33 && matches!(key.first(), Some(2 | 3));
    if !compressed || hash.len() != 32 || sig.len() != 64 {
        return false;
    }
    let (Ok(vk), Ok(sig)) = (
        VerifyingKey::from_sec1_bytes(key),
        Signature::from_slice(sig),
    ) else {
        return false;
    };
    // k256 rejects a high S in verification (`VerifyPrimitive`).
    vk.verify_prehash(hash, &sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_points() {
        let mut p = [0xffu8; 32];
        p[31] = 0x7f;
        p[0] = 0xec; // p - 1
        assert!(canonical_point(&p));
        p[0] = 0xed; // p
        assert!(!canonical_point(&p));
        p[31] = 0xff; // p with the sign bit
        assert!(!canonical_point(&p));
        assert!(canonical_point(&[0u8; 32]));
    }

    #[test]
    fn gas_is_the_tables() {
        assert_eq!(HashFn::Sha256.gas(10), 40 + 10 / 2);
        assert_eq!(HashFn::Keccak256.gas(8), 300 + 2 * 8);
        assert_eq!(SigScheme::Ed25519.gas(100), 30_000 + 2 * 100);
        assert_eq!(SigScheme::EcdsaSecp256k1.gas(100), 50_000);
    }

    #[test]
    fn wrong_lengths_are_false() {
        for s in [
            SigScheme::Ed25519,
            SigScheme::Schnorr,
            SigScheme::EcdsaSecp256k1,
        ] {
            assert!(!s.verify(&[], &[], &[]));
            assert!(!s.verify(&[2; 33], &[0; 32], &[1; 63]));
            assert!(!s.verify(&[2; 65], &[0; 32], &[1; 64]));
        }
    }
}
