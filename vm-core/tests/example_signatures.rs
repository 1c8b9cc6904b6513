//! How the keys and signatures in `examples/htlc.tly`,
//! `examples/multisig.tly` and `examples/token.tly` were made, and a check
//! that they still are what those files hold: every test key's secret is the SHA-256 of a fixed
//! phrase, BIP-340 signatures use an all-zero `aux_rand`, Ed25519 is
//! deterministic. `cargo test -p vm-core --test example_signatures --
//! --nocapture` prints them.

use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn secret(phrase: &str) -> [u8; 32] {
    Sha256::digest(phrase.as_bytes()).into()
}

/// (name, hex value) of every constant of `examples/htlc.tly`.
fn htlc() -> Vec<(&'static str, String)> {
    let schnorr = |phrase: &str| k256::schnorr::SigningKey::from_bytes(&secret(phrase)).unwrap();
    let sender = schnorr("tally example htlc sender");
    let recipient = schnorr("tally example htlc recipient");
    let preimage = b"tally htlc preimage".to_vec();
    let lock = Sha256::digest(&preimage).to_vec();
    let msg = |tag: &[u8]| [tag, lock.as_slice()].concat();
    let (claim, refund) = (msg(b"claim:"), msg(b"refund:"));
    let sign = |k: &k256::schnorr::SigningKey, m: &[u8]| {
        hex(&k.sign_raw(m, &[0u8; 32]).unwrap().to_bytes())
    };
    vec![
        ("SENDER_KEY", hex(&sender.verifying_key().to_bytes())),
        ("RECIPIENT_KEY", hex(&recipient.verifying_key().to_bytes())),
        ("PREIMAGE", hex(&preimage)),
        ("HASH_LOCK", hex(&lock)),
        ("CLAIM_SIGNATURE", sign(&recipient, &claim)),
        ("REFUND_SIGNATURE", sign(&sender, &refund)),
        ("RECIPIENT_REFUND_SIGNATURE", sign(&recipient, &refund)),
    ]
}

/// (name, hex value) of every constant of `examples/multisig.tly`.
fn multisig() -> Vec<(&'static str, String)> {
    let key =
        |i: u32| SigningKey::from_bytes(&secret(&format!("tally example multisig signer {i}")));
    let proposal = b"pay 100 to bob, nonce 7".to_vec();
    let other = b"pay 999 to eve, nonce 7".to_vec();
    let mut out = vec![
        ("PROPOSAL", hex(&proposal)),
        ("OTHER_PROPOSAL", hex(&other)),
    ];
    let names = [
        ("KEY_1", "SIGNATURE_1"),
        ("KEY_2", "SIGNATURE_2"),
        ("KEY_3", "SIGNATURE_3"),
    ];
    for (i, (k, s)) in (1..=3).zip(names) {
        let sk = key(i);
        out.push((k, hex(&sk.verifying_key().to_bytes())));
        out.push((s, hex(&sk.sign(&proposal).to_bytes())));
    }
    out.push(("SIGNATURE_1_OTHER", hex(&key(1).sign(&other).to_bytes())));
    out
}

/// The message `examples/token.tly` has the sender sign for a transfer:
/// `from ++ to ++ amount ++ nonce`, the two numbers as 8-byte big-endian u64.
fn token_message(from: &[u8], to: &[u8], amount: u64, nonce: u64) -> Vec<u8> {
    [from, to, &amount.to_be_bytes(), &nonce.to_be_bytes()].concat()
}

/// (name, hex value) of every constant of `examples/token.tly`.
fn token() -> Vec<(&'static str, String)> {
    let key = |who: &str| SigningKey::from_bytes(&secret(&format!("tally example token {who}")));
    let (alice, bob, carol) = (key("alice"), key("bob"), key("carol"));
    let pk = |k: &SigningKey| k.verifying_key().to_bytes();
    let (a, b, c) = (pk(&alice), pk(&bob), pk(&carol));
    let sign = |k: &SigningKey, from: &[u8], to: &[u8], amount: u64, nonce: u64| {
        hex(&k.sign(&token_message(from, to, amount, nonce)).to_bytes())
    };
    vec![
        ("ALICE", hex(&a)),
        ("BOB", hex(&b)),
        ("CAROL", hex(&c)),
        ("ALICE_PAYS_BOB_30", sign(&alice, &a, &b, 30, 0)),
        ("ALICE_PAYS_BOB_20_NEXT", sign(&alice, &a, &b, 20, 1)),
        ("ALICE_PAYS_BOB_101", sign(&alice, &a, &b, 101, 0)),
        ("BOB_SIGNS_ALICE_PAYS_BOB_30", sign(&bob, &a, &b, 30, 0)),
        ("CAROL_PAYS_BOB_5", sign(&carol, &c, &b, 5, 0)),
    ]
}

/// Each constant is defined in the example as `const NAME: Bytes = #"HEX";`.
fn check(file: &str, constants: &[(&str, String)]) {
    let defs: Vec<String> = constants
        .iter()
        .map(|(name, value)| format!("const {name}: Bytes = #\"{value}\";"))
        .collect();
    println!("{}", defs.join("\n"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/").to_string() + file;
    let text = std::fs::read_to_string(&path).expect("the example");
    for def in defs {
        assert!(text.contains(&def), "{file} lacks `{def}`");
    }
}

#[test]
fn htlc_constants() {
    check("htlc.tly", &htlc());
}

#[test]
fn multisig_constants() {
    check("multisig.tly", &multisig());
}

#[test]
fn token_constants() {
    check("token.tly", &token());
}
