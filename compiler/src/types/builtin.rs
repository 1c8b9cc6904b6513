//! The intrinsics of the virtual module `std::builtin`, with the signatures
//! fixed by the compiler, and the builtin type `Map<K, V>`.

use crate::db::{Db, SourceFile};
use crate::types::ty::{ItemRef, Ty};

/// The item index standing for the builtin type `Map<K, V>` (in the
/// prelude's file; no item has it). A map is opaque: no pattern, field or
/// constructor takes it apart, only the `map_*` intrinsics.
pub const MAP_ITEM_INDEX: u32 = u32::MAX;

/// The item of the builtin `Map` type, given the prelude's file.
pub fn map_item(prelude: SourceFile) -> ItemRef {
    ItemRef {
        file: prelude,
        index: MAP_ITEM_INDEX,
    }
}

/// Whether `item` is the builtin `Map` type.
pub fn is_map_item(item: ItemRef) -> bool {
    item.index == MAP_ITEM_INDEX
}

/// The prelude types the intrinsics' signatures mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinTypes {
    /// `List<T>`.
    pub list: ItemRef,
    /// `Option<T>`.
    pub option: ItemRef,
    /// The builtin `Map<K, V>`.
    pub map: ItemRef,
}

impl BuiltinTypes {
    /// The prelude's types, if the prelude is there.
    pub fn of(db: &dyn Db) -> Option<BuiltinTypes> {
        let prelude = db.std_module("prelude")?;
        let decls = crate::types::decls::declarations(db, prelude);
        let item = |name: &str| {
            decls.types.get(name).map(|d| ItemRef {
                file: prelude,
                index: d.item,
            })
        };
        Some(BuiltinTypes {
            list: item("List")?,
            option: item("Option")?,
            map: map_item(prelude),
        })
    }

    fn adt(item: ItemRef, name: &str, args: Vec<Ty>) -> Ty {
        Ty::Adt {
            item,
            name: name.to_string(),
            args,
        }
    }

    /// `Map<k, v>`.
    pub fn map_of(&self, k: Ty, v: Ty) -> Ty {
        BuiltinTypes::adt(self.map, "Map", vec![k, v])
    }
}

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
    /// `map_empty<K, V>() -> Map<K, V>`
    MapEmpty,
    /// `map_get<K, V>(m: Map<K, V>, key: K) -> Option<V>`
    MapGet,
    /// `map_contains<K, V>(m: Map<K, V>, key: K) -> Bool`
    MapContains,
    /// `map_insert<K, V>(m: Map<K, V>, key: K, value: V) -> Map<K, V>`
    MapInsert,
    /// `map_remove<K, V>(m: Map<K, V>, key: K) -> Map<K, V>`
    MapRemove,
    /// `map_size<K, V>(m: Map<K, V>) -> Int`
    MapSize,
    /// `map_to_list<K, V>(m: Map<K, V>) -> List<(K, V)>` (ascending keys)
    MapToList,
    /// `map_from_list<K, V>(entries: List<(K, V)>) -> Map<K, V>` (the last of equal keys wins)
    MapFromList,
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
        Builtin::MapEmpty,
        Builtin::MapGet,
        Builtin::MapContains,
        Builtin::MapInsert,
        Builtin::MapRemove,
        Builtin::MapSize,
        Builtin::MapToList,
        Builtin::MapFromList,
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
            Builtin::MapEmpty => "map_empty",
            Builtin::MapGet => "map_get",
            Builtin::MapContains => "map_contains",
            Builtin::MapInsert => "map_insert",
            Builtin::MapRemove => "map_remove",
            Builtin::MapSize => "map_size",
            Builtin::MapToList => "map_to_list",
            Builtin::MapFromList => "map_from_list",
        }
    }

    /// The intrinsic called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.iter().copied().find(|b| b.name() == name)
    }

    /// Its type parameters (`K`, `V` for the map intrinsics).
    pub fn generics(self) -> &'static [&'static str] {
        match self {
            Builtin::BytesLength | Builtin::BytesConcat | Builtin::BytesSlice | Builtin::Sha256 => {
                &[]
            }
            _ => &["K", "V"],
        }
    }

    /// Parameter names and types, and the result type; type parameters
    /// are `Ty::Param` of [`Builtin::generics`]. Without the prelude's
    /// types (`tys`), the map intrinsics' types are the error type.
    pub fn signature(self, tys: Option<&BuiltinTypes>) -> (Vec<(&'static str, Ty)>, Ty) {
        let param = |index: u32, name: &str| Ty::Param {
            index,
            name: name.to_string(),
        };
        let (k, v) = (param(0, "K"), param(1, "V"));
        let map = || tys.map_or(Ty::Error, |t| t.map_of(k.clone(), v.clone()));
        let option = || {
            tys.map_or(Ty::Error, |t| {
                BuiltinTypes::adt(t.option, "Option", vec![v.clone()])
            })
        };
        let pairs = || {
            tys.map_or(Ty::Error, |t| {
                BuiltinTypes::adt(t.list, "List", vec![Ty::Tuple(vec![k.clone(), v.clone()])])
            })
        };
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
            Builtin::MapEmpty => (vec![], map()),
            Builtin::MapGet => (vec![("m", map()), ("key", k.clone())], option()),
            Builtin::MapContains => (vec![("m", map()), ("key", k.clone())], Ty::Bool),
            Builtin::MapInsert => (
                vec![("m", map()), ("key", k.clone()), ("value", v.clone())],
                map(),
            ),
            Builtin::MapRemove => (vec![("m", map()), ("key", k.clone())], map()),
            Builtin::MapSize => (vec![("m", map())], Ty::Int),
            Builtin::MapToList => (vec![("m", map())], pairs()),
            Builtin::MapFromList => (vec![("entries", pairs())], map()),
        }
    }
}
