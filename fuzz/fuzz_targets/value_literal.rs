//! The value codec and the literal parser. The first byte picks a type of
//! a fixed table (scalars, a list, a recursive enum, a struct, a tuple); the
//! rest is decoded as a value and, as UTF-8, parsed as a literal of that
//! type. Whatever is accepted round-trips: `decode(encode(v)) == v`, and a
//! value of the type prints as a literal that parses back to it (and
//! prints the same again).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vm_core::format::{AdtDef, AdtKind, FieldDef, Ty, VariantDef, parse_literal, print_literal};
use vm_core::internals::Value;
use vm_core::internals::value::decode_args;

fn field(name: &str, ty: Ty) -> FieldDef {
    FieldDef {
        name: name.into(),
        ty,
    }
}

fn variant(name: &str, fields: Vec<FieldDef>) -> VariantDef {
    VariantDef {
        name: name.into(),
        fields,
    }
}

/// `List<Int>`, `enum Shape { Empty, Dot(Int), Pair(Shape, Shape), Tagged(Bytes, List<Int>) }`,
/// `struct Account { owner: Bytes, balance: Int, ok: Bool }`, `(Int, Shape)`.
fn adts() -> Vec<AdtDef> {
    let list = Ty::Adt(0);
    let shape = Ty::Adt(1);
    vec![
        AdtDef {
            name: "List<Int>".into(),
            kind: AdtKind::List,
            variants: vec![
                variant("Nil", vec![]),
                variant("Cons", vec![field("", Ty::Int), field("", list)]),
            ],
        },
        AdtDef {
            name: "Shape".into(),
            kind: AdtKind::Enum,
            variants: vec![
                variant("Empty", vec![]),
                variant("Dot", vec![field("", Ty::Int)]),
                variant("Pair", vec![field("", shape), field("", shape)]),
                variant("Tagged", vec![field("", Ty::Bytes), field("", list)]),
            ],
        },
        AdtDef {
            name: "Account".into(),
            kind: AdtKind::Struct,
            variants: vec![variant(
                "Account",
                vec![
                    field("owner", Ty::Bytes),
                    field("balance", Ty::Int),
                    field("ok", Ty::Bool),
                ],
            )],
        },
        AdtDef {
            name: "(Int, Shape)".into(),
            kind: AdtKind::Tuple,
            variants: vec![variant("", vec![field("", Ty::Int), field("", shape)])],
        },
    ]
}

const TYPES: [Ty; 8] = [
    Ty::Unit,
    Ty::Bool,
    Ty::Int,
    Ty::Bytes,
    Ty::Adt(0),
    Ty::Adt(1),
    Ty::Adt(2),
    Ty::Adt(3),
];

/// A value of `ty` prints, parses back to itself, and prints the same.
fn literal_round_trip(v: &Value, ty: Ty, adts: &[AdtDef]) {
    let printed = print_literal(v, ty, adts).expect("a value of the type prints");
    let parsed = parse_literal(&printed, ty, adts)
        .unwrap_or_else(|e| panic!("the printed literal {printed:?} does not parse: {e:?}"));
    assert_eq!(&parsed, v, "literal round trip of {printed:?}");
    assert_eq!(
        print_literal(&parsed, ty, adts).as_deref(),
        Ok(printed.as_str())
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let ty = TYPES[usize::from(selector) % TYPES.len()];
    let adts = adts();
    if let Ok(v) = Value::decode(rest) {
        let encoded = v.encode();
        assert_eq!(Value::decode(&encoded).as_ref(), Ok(&v), "codec round trip");
        if v.check(ty, &adts).is_ok() {
            literal_round_trip(&v, ty, &adts);
        }
    }
    if let Ok(args) = decode_args(rest) {
        assert_eq!(
            decode_args(&vm_core::internals::value::encode_args(&args)),
            Ok(args)
        );
    }
    if let Ok(text) = std::str::from_utf8(rest)
        && let Ok(v) = parse_literal(text, ty, &adts)
    {
        v.check(ty, &adts).expect("a parsed literal has its type");
        assert_eq!(Value::decode(&v.encode()).as_ref(), Ok(&v));
        literal_round_trip(&v, ty, &adts);
    }
});
