//! The hash and signature instructions on the official vectors, run
//! through the VM (a verified module with one export per instruction):
//! RFC 8032 §7.1, the whole BIP-340 `test-vectors.csv`, Wycheproof's Ed25519
//! and ECDSA secp256k1 files, NIST/Keccak/RFC 7693 digests. Every valid
//! vector with one bit flipped anywhere in its key, signature or (up to its
//! first 64 bytes and its last) message verifies `false`. Gas is exactly the
//! table's, never above the static bound.

#[path = "vectors/mod.rs"]
mod vectors;

use vectors::{Scheme, SigVector};
use vm_core::format::*;
use vm_core::internals::*;

/// One export per instruction: `ed25519`, `schnorr`, `ecdsa`
/// (Bytes, Bytes, Bytes) -> Bool and the four hashes Bytes -> Bytes.
fn module() -> VerifiedModule {
    let mut mb = ModuleBuilder::new();
    let b = Ty::Bytes;
    type Mk = fn(Reg, Reg, Reg, Reg) -> Instr;
    let sigs: [(&str, Mk); 3] = [
        ("ed25519", |d, k, m, s| Instr::Ed25519Verify { d, k, m, s }),
        ("schnorr", |d, k, m, s| Instr::SchnorrVerify { d, k, m, s }),
        ("ecdsa", |d, k, m, s| Instr::EcdsaVerify { d, k, m, s }),
    ];
    for (name, mk) in sigs {
        let id = mb.declare(name, &[b, b, b], Ty::Bool);
        let mut f = FunctionBuilder::new(&[b, b, b]);
        let d = f.reg(Ty::Bool);
        f.emit(mk(d, f.param(0), f.param(1), f.param(2)));
        f.emit(Instr::Ret { a: d });
        mb.define(id, f).unwrap();
        mb.export(name, id);
    }
    type MkH = fn(Reg, Reg) -> Instr;
    let hashes: [(&str, MkH); 4] = [
        ("sha256", |d, a| Instr::Sha256 { d, a }),
        ("blake2b_256", |d, a| Instr::Blake2b256 { d, a }),
        ("keccak256", |d, a| Instr::Keccak256 { d, a }),
        ("sha3_256", |d, a| Instr::Sha3_256 { d, a }),
    ];
    for (name, mk) in hashes {
        let id = mb.declare(name, &[b], b);
        let mut f = FunctionBuilder::new(&[b]);
        let d = f.reg(b);
        f.emit(mk(d, f.param(0)));
        f.emit(Instr::Ret { a: d });
        mb.define(id, f).unwrap();
        mb.export(name, id);
    }
    verify(mb.finish().unwrap()).unwrap()
}

fn export(s: Scheme) -> &'static str {
    match s {
        Scheme::Ed25519 => "ed25519",
        Scheme::Schnorr => "schnorr",
        Scheme::Ecdsa => "ecdsa",
    }
}

/// The table's gas for a signature check over `msg_len` bytes, plus `ret`.
fn sig_gas(s: Scheme, msg_len: usize) -> u64 {
    let op = match s {
        Scheme::Ed25519 => Opcode::Ed25519Verify,
        Scheme::Schnorr => Opcode::SchnorrVerify,
        Scheme::Ecdsa => Opcode::EcdsaVerify,
    };
    op.gas() + op.cost(Size::MessageBytes, msg_len as u64) + Opcode::Ret.gas()
}

/// The final `ret`'s charge for a 32-byte digest of `input_len` bytes: its
/// one word is charged only when the input had none (`lang-spec/bytecode.md` §7).
fn growth(input_len: usize) -> u64 {
    let words = input_len.div_ceil(32) as u64;
    Opcode::Ret.cost(Size::ResultGrowth, 1) * 1u64.saturating_sub(words)
}

/// Runs a check in the VM; asserts its gas against the table and the bound.
fn run(vm: &VerifiedModule, s: Scheme, key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let args = [Value::bytes(key), Value::bytes(msg), Value::bytes(sig)];
    let (r, used) = evaluate(vm, export(s), &args, u64::MAX);
    assert_eq!(used, sig_gas(s, msg.len()));
    let b = bound(vm, export(s), &args).unwrap();
    assert!(used <= b.gas, "gas {used} > bound {}", b.gas);
    r.unwrap().as_bool().unwrap()
}

fn check_vectors(vm: &VerifiedModule, vs: &[SigVector]) {
    let mut wrong = Vec::new();
    for v in vs {
        if run(vm, v.scheme, &v.key, &v.msg, &v.sig) != v.valid {
            wrong.push(format!("{} (expected {})", v.source, v.valid));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn rfc8032_section_7_1() {
    let vs = vectors::rfc8032_verify();
    assert_eq!(vs.len(), 5);
    check_vectors(&module(), &vs);
}

#[test]
fn rfc8032_vectors_are_transcribed_right() {
    use ed25519_dalek::{Signer, SigningKey};
    for (name, secret, key, msg, sig) in vectors::rfc8032() {
        let sk = SigningKey::from_bytes(&secret.try_into().unwrap());
        assert_eq!(sk.verifying_key().to_bytes().to_vec(), key, "{name}");
        assert_eq!(sk.sign(&msg).to_bytes().to_vec(), sig, "{name}");
    }
}

#[test]
fn bip340_whole_csv() {
    let vs = vectors::bip340();
    assert_eq!(vs.len(), 19, "every row of test-vectors.csv");
    assert!(vs.iter().filter(|v| !v.valid).count() >= 10);
    assert!(vs.iter().any(|v| v.msg.len() != 32), "non-32-byte messages");
    check_vectors(&module(), &vs);
}

#[test]
fn bip340_signing_rows_reproduce() {
    for (i, secret, aux, msg, sig) in vectors::bip340_signing() {
        let sk = k256::schnorr::SigningKey::from_bytes(&secret).unwrap();
        let got = sk.sign_raw(&msg, &aux.try_into().unwrap()).unwrap();
        assert_eq!(got.to_bytes().to_vec(), sig, "BIP-340 vector {i}");
    }
}

#[test]
fn wycheproof_ed25519() {
    let vs = vectors::wycheproof_ed25519();
    assert_eq!(vs.len(), 151);
    check_vectors(&module(), &vs);
}

#[test]
fn wycheproof_ecdsa_secp256k1() {
    let vs = vectors::wycheproof_ecdsa();
    assert!(vs.len() > 252);
    check_vectors(&module(), &vs);
}

/// Flips bits of the key, signature and message (its first 64 bytes and its
/// last byte) of every valid vector: every bit of the RFC 8032 and BIP-340
/// vectors, one bit per byte (bit `byte % 8`) of the Wycheproof ones (all
/// bits of those take minutes). Each flip verifies `false`.
#[test]
fn one_flipped_bit_fails() {
    let vm = module();
    let mut flips = 0;
    for v in vectors::all_signatures().iter().filter(|v| v.valid) {
        let every_bit = !v.source.starts_with("Wycheproof");
        let picked = |bit: usize| every_bit || bit % 8 == (bit / 8) % 8;
        let mut msg_bytes: Vec<usize> = (0..v.msg.len().min(64)).collect();
        if v.msg.len() > 64 {
            msg_bytes.push(v.msg.len() - 1);
        }
        let mut fail = |key: &[u8], msg: &[u8], sig: &[u8], what: String| {
            flips += 1;
            let args = [Value::bytes(key), Value::bytes(msg), Value::bytes(sig)];
            let (r, _) = evaluate(&vm, export(v.scheme), &args, u64::MAX);
            assert_eq!(r, Ok(Value::bool(false)), "{}: {what}", v.source);
        };
        for bit in (0..v.key.len() * 8).filter(|&b| picked(b)) {
            let mut k = v.key.clone();
            k[bit / 8] ^= 1 << (bit % 8);
            fail(&k, &v.msg, &v.sig, format!("key bit {bit}"));
        }
        for bit in (0..v.sig.len() * 8).filter(|&b| picked(b)) {
            let mut s = v.sig.clone();
            s[bit / 8] ^= 1 << (bit % 8);
            fail(&v.key, &v.msg, &s, format!("signature bit {bit}"));
        }
        for &byte in &msg_bytes {
            for bit in (0..8).filter(|&b| picked(byte * 8 + b)) {
                let mut m = v.msg.clone();
                m[byte] ^= 1 << bit;
                fail(&v.key, &m, &v.sig, format!("message byte {byte} bit {bit}"));
            }
        }
    }
    assert!(flips > 30_000, "{flips} flips");
}

#[test]
fn digests() {
    let vm = module();
    for d in vectors::digests(true) {
        let args = [Value::bytes(d.input.clone())];
        let (r, used) = evaluate(&vm, d.hash, &args, u64::MAX);
        let got = r.unwrap();
        assert_eq!(
            vectors::to_hex(got.as_bytes().unwrap()),
            vectors::to_hex(&d.digest),
            "{} of {} bytes",
            d.hash,
            d.input.len()
        );
        let op = Opcode::ALL.iter().find(|o| o.mnemonic() == d.hash).unwrap();
        assert_eq!(
            used,
            op.gas()
                + op.cost(Size::InputBytes, d.input.len() as u64)
                + Opcode::Ret.gas()
                + growth(d.input.len())
        );
        // The bound charges whole 32-byte words: at most one word's worth
        // more, and the digest's word as growth (it does not know the input
        // has one).
        let b = bound(&vm, d.hash, &args).unwrap();
        assert!(used <= b.gas && b.gas <= used + op.cost(Size::InputBytes, 32) + growth(0));
    }
}

/// Out of gas inside a signature check: the check charges its whole cost
/// first, so a limit one short of it traps and a limit equal to it passes.
#[test]
fn verification_charges_before_it_runs() {
    let vm = module();
    let v = &vectors::rfc8032_verify()[1];
    let args = [
        Value::bytes(v.key.clone()),
        Value::bytes(v.msg.clone()),
        Value::bytes(v.sig.clone()),
    ];
    let need = sig_gas(Scheme::Ed25519, v.msg.len());
    let (r, _) = evaluate(&vm, "ed25519", &args, need - 1);
    assert_eq!(r, Err(Trap::OutOfGas));
    let (r, used) = evaluate(&vm, "ed25519", &args, need);
    assert_eq!((r.unwrap().as_bool(), used), (Some(true), need));
}
