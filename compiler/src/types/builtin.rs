//! The intrinsics of the virtual module `std::builtin`, with the signatures
//! fixed by the compiler.

use crate::types::ty::Ty;

/// One intrinsic function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    /// `bytes_length(b: Bytes) -> Int`
    BytesLength,
    /// `bytes_concat(a: Bytes, b: Bytes) -> Bytes`
    BytesConcat,
    /// `bytes_slice(b: Bytes, start: Int, len: Int) -> Bytes` (clamped, never traps)
    BytesSlice,
    /// `sha256(b: Bytes) -> Bytes`
    Sha256,
    /// `blake2b_256(b: Bytes) -> Bytes`
    Blake2b256,
    /// `keccak256(b: Bytes) -> Bytes`
    Keccak256,
    /// `sha3_256(b: Bytes) -> Bytes`
    Sha3_256,
    /// `ed25519_verify(public_key: Bytes, message: Bytes, signature: Bytes) -> Bool`
    Ed25519Verify,
    /// `schnorr_verify(public_key: Bytes, message: Bytes, signature: Bytes) -> Bool`
    SchnorrVerify,
    /// `ecdsa_secp256k1_verify(public_key: Bytes, message_hash: Bytes, signature: Bytes) -> Bool`
    EcdsaSecp256k1Verify,
}

impl Builtin {
    /// Every intrinsic.
    pub const ALL: &'static [Builtin] = &[
        Builtin::BytesLength,
        Builtin::BytesConcat,
        Builtin::BytesSlice,
        Builtin::Sha256,
        Builtin::Blake2b256,
        Builtin::Keccak256,
        Builtin::Sha3_256,
        Builtin::Ed25519Verify,
        Builtin::SchnorrVerify,
        Builtin::EcdsaSecp256k1Verify,
    ];

    /// Its name in `std::builtin`.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::BytesLength => "bytes_length",
            Builtin::BytesConcat => "bytes_concat",
            Builtin::BytesSlice => "bytes_slice",
            Builtin::Sha256 => "sha256",
            Builtin::Blake2b256 => "blake2b_256",
            Builtin::Keccak256 => "keccak256",
            Builtin::Sha3_256 => "sha3_256",
            Builtin::Ed25519Verify => "ed25519_verify",
            Builtin::SchnorrVerify => "schnorr_verify",
            Builtin::EcdsaSecp256k1Verify => "ecdsa_secp256k1_verify",
        }
    }

    /// The intrinsic called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.iter().copied().find(|b| b.name() == name)
    }

    /// Parameter names and types, and the result type.
    pub fn signature(self) -> (Vec<(&'static str, Ty)>, Ty) {
        match self {
            Builtin::BytesLength => (vec![("b", Ty::Bytes)], Ty::Int),
            Builtin::BytesConcat => (vec![("a", Ty::Bytes), ("b", Ty::Bytes)], Ty::Bytes),
            Builtin::BytesSlice => (
                vec![("b", Ty::Bytes), ("start", Ty::Int), ("len", Ty::Int)],
                Ty::Bytes,
            ),
            Builtin::Sha256 | Builtin::Blake2b256 | Builtin::Keccak256 | Builtin::Sha3_256 => {
                (vec![("b", Ty::Bytes)], Ty::Bytes)
            }
            Builtin::Ed25519Verify | Builtin::SchnorrVerify => (
                vec![
                    ("public_key", Ty::Bytes),
                    ("message", Ty::Bytes),
                    ("signature", Ty::Bytes),
                ],
                Ty::Bool,
            ),
            Builtin::EcdsaSecp256k1Verify => (
                vec![
                    ("public_key", Ty::Bytes),
                    ("message_hash", Ty::Bytes),
                    ("signature", Ty::Bytes),
                ],
                Ty::Bool,
            ),
        }
    }
}
