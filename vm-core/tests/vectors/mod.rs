//! The official test vectors of the hash and signature intrinsics, shipped
//! in this folder (see README.md here for their sources and licences), as
//! plain data: shared by vm-core's `crypto_vectors` test and the compiler's
//! `crypto_vectors` test, which runs them as a `tally test` program.

#![allow(dead_code)]

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// A signature scheme of `std::crypto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `ed25519_verify`
    Ed25519,
    /// `schnorr_verify`
    Schnorr,
    /// `ecdsa_secp256k1_verify`
    Ecdsa,
}

impl Scheme {
    /// The `std::crypto` function.
    pub fn tally_name(self) -> &'static str {
        match self {
            Scheme::Ed25519 => "ed25519_verify",
            Scheme::Schnorr => "schnorr_verify",
            Scheme::Ecdsa => "ecdsa_secp256k1_verify",
        }
    }
}

/// One verification vector: the inputs as the intrinsic takes them and the
/// result it must give.
#[derive(Debug, Clone)]
pub struct SigVector {
    pub scheme: Scheme,
    /// Where it comes from, e.g. `wycheproof ed25519 tcId 80`.
    pub source: String,
    pub key: Vec<u8>,
    pub msg: Vec<u8>,
    pub sig: Vec<u8>,
    pub valid: bool,
}

/// One digest vector.
#[derive(Debug, Clone)]
pub struct DigestVector {
    /// The `std::crypto` function.
    pub hash: &'static str,
    pub input: Vec<u8>,
    pub digest: Vec<u8>,
}

/// Lower- or upper-case hex to bytes.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Bytes to lower-case hex.
pub fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The order n of secp256k1, big-endian.
const SECP256K1_N: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/// Whether the big-endian 32 bytes `s` exceed n / 2 (a "high S").
pub fn is_high_s(s: &[u8]) -> bool {
    let half: Vec<u8> = {
        // n is odd: n / 2 = (n - 1) / 2, a right shift of n by one bit.
        let n = hex(SECP256K1_N);
        let mut out = vec![0u8; 32];
        let mut carry = 0u8;
        for (i, b) in n.iter().enumerate() {
            out[i] = (b >> 1) | (carry << 7);
            carry = b & 1;
        }
        out
    };
    s > half.as_slice()
}

/// n - s for big-endian 32-byte `s < n`.
pub fn negate_s(s: &[u8]) -> Vec<u8> {
    let n = hex(SECP256K1_N);
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut v = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = 0;
        if v < 0 {
            v += 256;
            borrow = 1;
        }
        out[i] = v as u8;
    }
    out
}

/// The whole BIP-340 `test-vectors.csv` (every row, the failing ones too).
pub fn bip340() -> Vec<SigVector> {
    let csv = include_str!("bip340_test_vectors.csv");
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.splitn(8, ',').collect();
            SigVector {
                scheme: Scheme::Schnorr,
                source: format!("BIP-340 vector {}", f[0]),
                key: hex(f[2]),
                msg: hex(f[4]),
                sig: hex(f[5]),
                valid: f[6] == "TRUE",
            }
        })
        .collect()
}

/// A BIP-340 row with a secret key: (index, secret, aux_rand, message, signature).
pub type SigningRow = (String, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// The BIP-340 rows with a secret key.
pub fn bip340_signing() -> Vec<SigningRow> {
    let csv = include_str!("bip340_test_vectors.csv");
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.splitn(8, ',').collect();
            (!f[1].is_empty())
                .then(|| (f[0].to_string(), hex(f[1]), hex(f[3]), hex(f[4]), hex(f[5])))
        })
        .collect()
}

fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("vector JSON")
}

fn field<'a>(j: &'a Json, k: &str) -> &'a str {
    j[k].as_str().unwrap_or_else(|| panic!("no {k}"))
}

/// Every Wycheproof Ed25519 vector: valid iff Wycheproof says `valid`.
pub fn wycheproof_ed25519() -> Vec<SigVector> {
    let j = json(include_str!("wycheproof_ed25519_test.json"));
    let mut out = Vec::new();
    for g in j["testGroups"].as_array().expect("groups") {
        let key = hex(field(&g["publicKey"], "pk"));
        for t in g["tests"].as_array().expect("tests") {
            out.push(SigVector {
                scheme: Scheme::Ed25519,
                source: format!("Wycheproof ed25519 tcId {}", t["tcId"]),
                key: key.clone(),
                msg: hex(field(t, "msg")),
                sig: hex(field(t, "sig")),
                valid: field(t, "result") == "valid",
            });
        }
    }
    out
}

/// A big-endian unsigned integer in Wycheproof's hex (leading zero byte
/// for the sign, or leading zeros dropped) as exactly 32 bytes.
fn be32(h: &str) -> Vec<u8> {
    let b = hex(if h.len() % 2 == 1 { &h[1..] } else { h });
    let b: Vec<u8> = b.into_iter().skip_while(|&x| x == 0).collect();
    assert!(b.len() <= 32, "coordinate too long: {h}");
    let mut out = vec![0u8; 32 - b.len()];
    out.extend(b);
    out
}

/// Every Wycheproof ECDSA secp256k1 SHA-256 P1363 vector, adapted to the
/// intrinsic: the key compressed (33 bytes), the message replaced by its
/// SHA-256 (the intrinsic takes the hash), and the expected result `valid`
/// only if Wycheproof says valid *and* S is low. A valid high-S vector
/// yields two: itself (false) and its low-S twin `(r, n - s)` (true).
pub fn wycheproof_ecdsa() -> Vec<SigVector> {
    let j = json(include_str!(
        "wycheproof_ecdsa_secp256k1_sha256_p1363_test.json"
    ));
    let mut out = Vec::new();
    for g in j["testGroups"].as_array().expect("groups") {
        let pk = &g["publicKey"];
        let (x, y) = (be32(field(pk, "wx")), be32(field(pk, "wy")));
        let mut key = vec![if y[31] & 1 == 1 { 3 } else { 2 }];
        key.extend(x);
        for t in g["tests"].as_array().expect("tests") {
            let sig = hex(field(t, "sig"));
            let hash = Sha256::digest(hex(field(t, "msg"))).to_vec();
            let valid = field(t, "result") == "valid";
            let source = format!("Wycheproof ecdsa secp256k1 p1363 tcId {}", t["tcId"]);
            let high = sig.len() == 64 && is_high_s(&sig[32..]);
            out.push(SigVector {
                scheme: Scheme::Ecdsa,
                source: source.clone(),
                key: key.clone(),
                msg: hash.clone(),
                sig: sig.clone(),
                valid: valid && sig.len() == 64 && !high,
            });
            if valid && high {
                let mut low = sig[..32].to_vec();
                low.extend(negate_s(&sig[32..]));
                out.push(SigVector {
                    scheme: Scheme::Ecdsa,
                    source: format!("{source} with S negated to low S"),
                    key: key.clone(),
                    msg: hash,
                    sig: low,
                    valid: true,
                });
            }
        }
    }
    out
}

/// An RFC 8032 test: (name, secret key, public key, message, signature).
pub type Rfc8032Vector = (&'static str, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// RFC 8032 §7.1 (Ed25519): TEST 1, 2, 3, 1024 and SHA(abc), as
/// (name, secret key, public key, message, signature). The message of
/// TEST 1024 is the 1023 bytes Wycheproof ships as tcId 83 (the same vector).
pub fn rfc8032() -> Vec<Rfc8032Vector> {
    let wp = wycheproof_ed25519();
    let tc = |id: u32| {
        wp.iter()
            .find(|v| v.source == format!("Wycheproof ed25519 tcId {id}"))
            .expect("tcId")
            .clone()
    };
    let t1024 = tc(83);
    vec![
        (
            "TEST 1",
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            vec![],
            hex(concat!(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155",
                "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )),
        ),
        (
            "TEST 2",
            hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"),
            hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
            hex("72"),
            hex(concat!(
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da",
                "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            )),
        ),
        (
            "TEST 3",
            hex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"),
            hex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"),
            hex("af82"),
            hex(concat!(
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac",
                "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
            )),
        ),
        (
            "TEST 1024",
            hex("f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5"),
            t1024.key,
            t1024.msg,
            t1024.sig,
        ),
        (
            "TEST SHA(abc)",
            hex("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"),
            hex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"),
            hex(concat!(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a",
                "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            )),
            hex(concat!(
                "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589",
                "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
            )),
        ),
    ]
}

/// The RFC 8032 vectors as verification vectors (all valid).
pub fn rfc8032_verify() -> Vec<SigVector> {
    rfc8032()
        .into_iter()
        .map(|(name, _, key, msg, sig)| SigVector {
            scheme: Scheme::Ed25519,
            source: format!("RFC 8032 §7.1 {name}"),
            key,
            msg,
            sig,
            valid: true,
        })
        .collect()
}

/// Every signature vector: RFC 8032, BIP-340, Wycheproof Ed25519 and ECDSA.
pub fn all_signatures() -> Vec<SigVector> {
    let mut v = rfc8032_verify();
    v.extend(bip340());
    v.extend(wycheproof_ed25519());
    v.extend(wycheproof_ecdsa());
    v
}

/// Standard digest vectors: FIPS 180-4 / NIST CSRC examples for SHA-256
/// ("", "abc", the 448-bit message), FIPS 202 examples for SHA3-256 (the
/// same three), the Keccak team's Keccak-256 of "" and "abc" (Ethereum's
/// `keccak256`), and RFC 7693's BLAKE2b ("abc", at 32-byte output, with "").
/// `long` adds the one-million-`a` vectors.
pub fn digests(long: bool) -> Vec<DigestVector> {
    let m448 = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".to_vec();
    let mut v = vec![
        (
            "sha256",
            vec![],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "sha256",
            b"abc".to_vec(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            "sha256",
            m448.clone(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            "sha3_256",
            vec![],
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
        ),
        (
            "sha3_256",
            b"abc".to_vec(),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
        ),
        (
            "sha3_256",
            m448.clone(),
            "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376",
        ),
        (
            "keccak256",
            vec![],
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        ),
        (
            "keccak256",
            b"abc".to_vec(),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
        ),
        (
            "blake2b_256",
            vec![],
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
        ),
        (
            "blake2b_256",
            b"abc".to_vec(),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
        ),
        (
            "blake2b_256",
            m448,
            "5f7a93da9c5621583f22e49e8e91a40cbba37536622235a380f434b9f68e49c4",
        ),
    ];
    if long {
        let a = vec![b'a'; 1_000_000];
        v.push((
            "sha256",
            a.clone(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        ));
        v.push((
            "sha3_256",
            a.clone(),
            "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1",
        ));
        v.push((
            "blake2b_256",
            a,
            "0741850f36cba4259628355d1073e24ddb9ca0e1bfac36fd39ae5dc2101e23a4",
        ));
    }
    v.into_iter()
        .map(|(hash, input, d)| DigestVector {
            hash,
            input,
            digest: hex(d),
        })
        .collect()
}
