//! Values as Tally literals: printing, parsing, and round trips.

mod common;

use common::*;
use proptest::prelude::*;
use vm_core::format::*;
use vm_core::internals::*;

/// Types of the token example: Entry, List<Entry>, Error, Result<List<Entry>, Error>,
/// plus (Int, Bool, Bytes, ()), Option<Int>.
fn token_types() -> Vec<AdtDef> {
    let entry = AdtDef::structure("Entry", &[("owner", Ty::Bytes), ("amount", Ty::Int)]);
    let list = AdtDef::list("List<Entry>", Ty::Adt(0), 1);
    let error = AdtDef::enumeration(
        "Error",
        &[
            ("InsufficientFunds", &[]),
            ("InvalidAmount", &[]),
            ("SameAccount", &[]),
        ],
    );
    let result = AdtDef::enumeration(
        "Result<List<Entry>, Error>",
        &[("Ok", &[Ty::Adt(1)]), ("Err", &[Ty::Adt(2)])],
    );
    let tuple = AdtDef::tuple(
        "(Int, Bool, Bytes, ())",
        &[Ty::Int, Ty::Bool, Ty::Bytes, Ty::Unit],
    );
    let option = AdtDef::enumeration("Option<Int>", &[("None", &[]), ("Some", &[Ty::Int])]);
    let outer = AdtDef::tuple(
        "(Result, (Int, Bool, Bytes, ()), Option<Int>)",
        &[Ty::Adt(3), Ty::Adt(4), Ty::Adt(5)],
    );
    vec![entry, list, error, result, tuple, option, outer]
}

fn entry(owner: &[u8], amount: i128) -> Value {
    Value::cell(0, vec![Value::bytes(owner.to_vec()), Value::int(amount)])
}

#[test]
fn prints_token_results() {
    let adts = token_types();
    let ok = Value::cell(
        0,
        vec![Value::list([
            entry(&[0xa1, 0x1c, 0xe0], 70),
            entry(&[0xb0, 0xb0], 30),
        ])],
    );
    assert_eq!(
        print_literal(&ok, Ty::Adt(3), &adts).unwrap(),
        r#"Ok([Entry { owner: #"a11ce0", amount: 70 }, Entry { owner: #"b0b0", amount: 30 }])"#
    );
    let err = Value::cell(1, vec![Value::cell(0, vec![])]);
    assert_eq!(
        print_literal(&err, Ty::Adt(3), &adts).unwrap(),
        "Err(InsufficientFunds)"
    );
    let t = Value::cell(
        0,
        vec![
            Value::int(-5),
            Value::bool(false),
            Value::bytes(vec![]),
            Value::unit(),
        ],
    );
    assert_eq!(
        print_literal(&t, Ty::Adt(4), &adts).unwrap(),
        r#"(-5, false, #"", ())"#
    );
    assert!(print_literal(&Value::int(1), Ty::Bool, &adts).is_err());
}

#[test]
fn parses_command_line_literals() {
    let adts = token_types();
    let v = parse_literal(
        r#" [Entry { owner: #"A11CE0", amount: 100 }, Entry{owner:#"01",amount:-1_000,},] "#,
        Ty::Adt(1),
        &adts,
    )
    .unwrap();
    assert_eq!(
        v,
        Value::list([entry(&[0xa1, 0x1c, 0xe0], 100), entry(&[1], -1000)])
    );
    assert_eq!(
        parse_literal("-170141183460469231731687303715884105728", Ty::Int, &adts).unwrap(),
        Value::int(i128::MIN)
    );
    assert_eq!(
        parse_literal("Some(7)", Ty::Adt(5), &adts).unwrap(),
        Value::cell(1, vec![Value::int(7)])
    );
    assert_eq!(
        parse_literal("None", Ty::Adt(5), &adts).unwrap(),
        Value::cell(0, vec![])
    );
    assert_eq!(parse_literal("()", Ty::Unit, &adts).unwrap(), Value::unit());
}

#[test]
fn literal_errors_say_where_and_what() {
    let adts = token_types();
    let e = parse_literal("170141183460469231731687303715884105728", Ty::Int, &adts).unwrap_err();
    assert_eq!(e.message, "integer literal out of range");
    let e = parse_literal("Maybe(1)", Ty::Adt(5), &adts).unwrap_err();
    assert_eq!(e.column, 1);
    assert!(e.message.contains("None, Some"), "{}", e.message);
    let e = parse_literal(r#"Entry { amount: 1, owner: #"" }"#, Ty::Adt(0), &adts).unwrap_err();
    assert_eq!(e.column, 9);
    assert!(e.message.contains("expected field `owner`"));
    let e = parse_literal("1 2", Ty::Int, &adts).unwrap_err();
    assert_eq!(e.column, 3);
    assert!(parse_literal(r#"#"abc""#, Ty::Bytes, &adts).is_err());
    assert!(parse_literal("[1, 2", Ty::Adt(1), &adts).is_err());
}

#[test]
fn deep_values_print_and_parse_iteratively() {
    let adts = token_types();
    let depth = 200_000;
    let nat = vec![AdtDef::enumeration(
        "Nat",
        &[("Z", &[]), ("S", &[Ty::Adt(0)])],
    )];
    let text = format!(
        "{}Z{}",
        "S(".repeat(depth as usize),
        ")".repeat(depth as usize)
    );
    let v = parse_literal(&text, Ty::Adt(0), &nat).unwrap();
    assert_eq!(v.cells(), depth as usize + 1);
    assert_eq!(print_literal(&v, Ty::Adt(0), &nat).unwrap(), text);
    let big = Value::list((0..depth).map(|i| entry(&[i as u8], i)));
    let printed = print_literal(&big, Ty::Adt(1), &adts).unwrap();
    assert_eq!(parse_literal(&printed, Ty::Adt(1), &adts).unwrap(), big);
}

fn arb_entry() -> impl Strategy<Value = Value> {
    (prop::collection::vec(any::<u8>(), 0..4), any::<i128>()).prop_map(|(o, a)| entry(&o, a))
}

fn arb_outer() -> impl Strategy<Value = Value> {
    let result = prop_oneof![
        prop::collection::vec(arb_entry(), 0..4)
            .prop_map(|es| Value::cell(0, vec![Value::list(es)])),
        (0u32..3).prop_map(|t| Value::cell(1, vec![Value::cell(t, vec![])])),
    ];
    let tuple = (
        any::<i128>(),
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..6),
    )
        .prop_map(|(i, b, bs)| {
            Value::cell(
                0,
                vec![
                    Value::int(i),
                    Value::bool(b),
                    Value::bytes(bs),
                    Value::unit(),
                ],
            )
        });
    let option = prop_oneof![
        Just(Value::cell(0, vec![])),
        any::<i128>().prop_map(|i| Value::cell(1, vec![Value::int(i)]))
    ];
    (result, tuple, option).prop_map(|(r, t, o)| Value::cell(0, vec![r, t, o]))
}

proptest! {
    #[test]
    fn literal_print_parse_round_trips(v in arb_outer()) {
        let adts = token_types();
        let text = print_literal(&v, Ty::Adt(6), &adts).unwrap();
        prop_assert_eq!(parse_literal(&text, Ty::Adt(6), &adts), Ok(v));
    }

    #[test]
    fn literal_parser_never_panics(s in "[\\[\\](){},:#\"a-fA-Z0-9 _-]{0,40}") {
        let adts = token_types();
        for t in 0..7 {
            let _ = parse_literal(&s, Ty::Adt(t), &adts);
        }
    }
}

#[test]
fn results_of_kernels_print_as_literals() {
    let vm = verify(list_module()).unwrap();
    let (r, _) = evaluate(
        &vm,
        "sort",
        &[parse_literal("[3, 1, 2]", Ty::Adt(0), &vm.module().adts).unwrap()],
        10_000,
    );
    assert_eq!(
        print_literal(&r.unwrap(), Ty::Adt(0), &vm.module().adts).unwrap(),
        "[1, 2, 3]"
    );
}

#[test]
fn malformed_type_tables_do_not_panic() {
    let adts = vec![
        AdtDef {
            name: "T".into(),
            kind: AdtKind::Tuple,
            variants: vec![],
        },
        AdtDef {
            name: "L".into(),
            kind: AdtKind::List,
            variants: vec![],
        },
        AdtDef {
            name: "M".into(),
            kind: AdtKind::List,
            variants: vec![
                VariantDef {
                    name: "Nil".into(),
                    fields: vec![],
                },
                VariantDef {
                    name: "Cons".into(),
                    fields: vec![],
                },
            ],
        },
    ];
    for t in 0..4 {
        for text in ["()", "[]", "[1]", "[1, 2]", "(1)", "Cons", "x"] {
            let _ = parse_literal(text, Ty::Adt(t), &adts);
        }
    }
    let odd = Value::cell(1, vec![]);
    let _ = print_literal(&odd, Ty::Adt(2), &adts);
    let _ = print_literal(&Value::cell(0, vec![]), Ty::Adt(0), &adts);
}

#[test]
fn string_literals_are_utf8_bytes() {
    let parse = |s: &str| parse_literal(s, Ty::Bytes, &[]);
    assert_eq!(parse("\"alice\"").unwrap(), Value::bytes(b"alice".to_vec()));
    assert_eq!(
        parse(r#""é\n\t\"\\\0\u{1F600}""#).unwrap(),
        Value::bytes("é\n\t\"\\\0\u{1F600}".as_bytes().to_vec())
    );
    assert_eq!(parse("\"\"").unwrap(), Value::bytes(Vec::new()));
    assert!(parse(r#""\q""#).is_err());
    assert!(parse(r#""\u{d800}""#).is_err());
    assert!(parse("\"open").is_err());
    let entry_types = token_types();
    let v = parse_literal(
        "Entry { owner: \"aa\", amount: 5 }",
        Ty::Adt(0),
        &entry_types,
    )
    .unwrap();
    assert_eq!(v, entry(b"aa", 5));
}
