//! Canonical module and value encodings: round trips, rejections, mutations.

mod common;

use common::*;
use proptest::prelude::*;
use vm_core::format::leb::Reader;
use vm_core::format::*;
use vm_core::internals::*;

#[test]
fn kernels_round_trip() {
    for m in [sum_module(), fib_module(), list_module()] {
        let bytes = m.encode();
        let back = Module::decode(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.encode(), bytes);
    }
}

#[test]
fn header_layout() {
    let b = sum_module().encode();
    assert_eq!(&b[..4], b"\0TLY");
    assert_eq!(b[4], 1, "format version");
    assert_eq!(b[5] as usize, "tally-vm/1".len());
    assert_eq!(&b[6..16], b"tally-vm/1");
}

#[test]
fn rejects_overlong_leb128() {
    let mut b = sum_module().encode();
    // The version 1 written as 0x81 0x00.
    b.splice(4..5, [0x81, 0x00]);
    assert_eq!(Module::decode(&b), Err(DecodeError::Overlong { offset: 4 }));
}

#[test]
fn rejects_trailing_bytes() {
    let mut b = sum_module().encode();
    let n = b.len();
    b.push(0);
    assert_eq!(
        Module::decode(&b),
        Err(DecodeError::TrailingBytes {
            offset: n,
            count: 1
        })
    );
}

#[test]
fn rejects_bad_header() {
    let b = sum_module().encode();
    let mut m = b.clone();
    m[0] = 1;
    assert_eq!(Module::decode(&m), Err(DecodeError::BadMagic));
    let mut m = b.clone();
    m[4] = 2;
    assert_eq!(Module::decode(&m), Err(DecodeError::BadVersion(2)));
    let mut m = b.clone();
    m[15] = b'2';
    assert_eq!(
        Module::decode(&m),
        Err(DecodeError::BadVm("tally-vm/2".into()))
    );
    assert_eq!(Module::decode(&[]), Err(DecodeError::BadMagic));
}

#[test]
fn rejects_unsorted_and_duplicate_tables() {
    let mut m = sum_module();
    m.exports.push(Export {
        name: "a".into(),
        func: FuncId(0),
    });
    assert_eq!(
        Module::decode(&m.encode()),
        Err(DecodeError::Unsorted {
            what: "export",
            index: 1
        })
    );
    let mut m = sum_module();
    m.exports.push(m.exports[0].clone());
    assert_eq!(
        Module::decode(&m.encode()),
        Err(DecodeError::Unsorted {
            what: "export",
            index: 1
        })
    );
    let mut m = sum_module();
    m.consts = vec![Const::Bytes(vec![1]), Const::Int(5)];
    assert_eq!(
        Module::decode(&m.encode()),
        Err(DecodeError::Unsorted {
            what: "constant",
            index: 1
        })
    );
    let mut m = sum_module();
    m.consts = vec![Const::Int(5), Const::Int(5)];
    assert_eq!(
        Module::decode(&m.encode()),
        Err(DecodeError::Unsorted {
            what: "constant",
            index: 1
        })
    );
}

#[test]
fn rejects_out_of_range_indices() {
    let mut m = sum_module();
    m.exports[0].func = FuncId(3);
    let decoded = Module::decode(&m.encode()).unwrap();
    assert_eq!(
        verify(decoded).unwrap_err().kind,
        VerifyErrorKind::BadFunction(3)
    );
    let mut m = sum_module();
    m.functions[0].locals.push(Ty::Adt(0));
    let decoded = Module::decode(&m.encode()).unwrap();
    assert_eq!(
        verify(decoded).unwrap_err().kind,
        VerifyErrorKind::BadType(0)
    );
    let mut m = sum_module();
    m.functions[0].code.insert(
        0,
        Instr::Const {
            d: Reg(2),
            k: ConstId(0),
        },
    );
    assert_eq!(verify(m).unwrap_err().kind, VerifyErrorKind::BadConst(0));
}

#[test]
fn rejects_counts_over_limits_and_bad_tags() {
    let mut m = sum_module();
    m.functions[0].params = vec![Ty::Int; 300];
    assert!(matches!(
        Module::decode(&m.encode()),
        Err(DecodeError::LimitExceeded {
            what: "parameter count",
            ..
        })
    ));
    let mut m = sum_module();
    m.certificate = vec![1];
    assert_eq!(
        Module::decode(&m.encode()),
        Err(DecodeError::CertificateNotEmpty)
    );
    let mut m = sum_module();
    m.functions[0]
        .code
        .insert(0, Instr::Bool { d: Reg(2), v: true });
    let mut b = m.encode();
    let pos = b.windows(3).position(|w| w == [0x1b, 2, 1]).unwrap();
    b[pos + 2] = 2;
    assert!(matches!(
        Module::decode(&b),
        Err(DecodeError::BadTag {
            what: "boolean",
            ..
        })
    ));
}

/// A value of type `ty` for smoke-running mutated modules (bounded depth).
fn sample(ty: Ty, adts: &[AdtDef], depth: u32) -> Option<Value> {
    Some(match ty {
        Ty::Unit => Value::unit(),
        Ty::Bool => Value::bool(true),
        Ty::Int => Value::int(3),
        Ty::Bytes => Value::bytes(vec![1, 2]),
        Ty::Adt(i) => {
            let adt = adts.get(i as usize)?;
            let pick = if depth == 0 {
                adt.variants.iter().position(|v| v.fields.is_empty())?
            } else {
                adt.variants.len() - 1
            };
            let fields = adt.variants[pick]
                .fields
                .iter()
                .map(|f| sample(f.ty, adts, depth.saturating_sub(1)))
                .collect::<Option<Vec<_>>>()?;
            Value::cell(pick as u32, fields)
        }
    })
}

fn run_all_exports(vm: &VerifiedModule) {
    let m = vm.module();
    for e in &m.exports {
        let Some(f) = m.functions.get(e.func.0 as usize) else {
            continue;
        };
        let args: Option<Vec<Value>> = f.params.iter().map(|&t| sample(t, &m.adts, 3)).collect();
        if let Some(args) = args {
            let (_, gas) = evaluate(vm, &e.name, &args, 5_000);
            assert!(gas <= 5_000);
        }
    }
}

#[test]
fn single_byte_mutations_and_truncations_never_panic() {
    for m in [sum_module(), fib_module(), list_module()] {
        let bytes = m.encode();
        for cut in 0..bytes.len() {
            assert!(
                Module::decode(&bytes[..cut]).is_err(),
                "prefix of length {cut} accepted"
            );
        }
        for i in 0..bytes.len() {
            let orig = bytes[i];
            let mut tried = [
                orig ^ 1,
                orig ^ 0x80,
                orig.wrapping_add(1),
                orig.wrapping_sub(1),
                0,
                0xff,
                0x7f,
                orig ^ 0x40,
            ];
            tried.sort_unstable();
            for v in tried {
                if v == orig {
                    continue;
                }
                let mut b = bytes.clone();
                b[i] = v;
                if let Ok(m2) = Module::decode(&b) {
                    assert_eq!(m2.encode(), b, "accepted a non-canonical encoding");
                    let _ = disassemble(&m2);
                    if let Ok(vm) = verify(m2) {
                        run_all_exports(&vm);
                    }
                }
            }
        }
    }
}

fn arb_instr() -> impl Strategy<Value = Instr> {
    prop::collection::vec(any::<u8>(), 1..12).prop_filter_map("not an instruction", |b| {
        Instr::decode(&mut Reader::new(&b)).ok()
    })
}

fn arb_ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::Unit),
        Just(Ty::Bool),
        Just(Ty::Int),
        Just(Ty::Bytes),
        (0u32..4).prop_map(Ty::Adt)
    ]
}

fn arb_name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_<>]{0,8}"
}

fn arb_adt() -> impl Strategy<Value = AdtDef> {
    let field = (arb_name(), arb_ty());
    let variant = (arb_name(), prop::collection::vec(field, 0..4));
    (arb_name(), 0u8..4, prop::collection::vec(variant, 0..4)).prop_map(|(name, k, vs)| {
        let kind = [
            AdtKind::Enum,
            AdtKind::Struct,
            AdtKind::Tuple,
            AdtKind::List,
        ][k as usize];
        let variants = vs
            .into_iter()
            .map(|(vn, fs)| VariantDef {
                name: vn,
                fields: fs
                    .into_iter()
                    .map(|(fname, ty)| FieldDef {
                        name: if kind == AdtKind::Struct {
                            fname
                        } else {
                            String::new()
                        },
                        ty,
                    })
                    .collect(),
            })
            .collect();
        AdtDef {
            name,
            kind,
            variants,
        }
    })
}

fn arb_const() -> impl Strategy<Value = Const> {
    prop_oneof![
        any::<i128>().prop_map(Const::Int),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(Const::Bytes)
    ]
}

fn arb_function() -> impl Strategy<Value = Function> {
    (
        arb_name(),
        prop::collection::vec(arb_ty(), 0..4),
        arb_ty(),
        prop::collection::vec(arb_ty(), 0..4),
        prop::collection::vec(arb_instr(), 0..12),
    )
        .prop_map(|(name, params, result, locals, code)| Function {
            name,
            params,
            result,
            locals,
            code,
        })
}

fn arb_module() -> impl Strategy<Value = Module> {
    (
        prop::collection::vec(arb_adt(), 0..3),
        prop::collection::btree_set(arb_const(), 0..5),
        prop::collection::vec(arb_function(), 0..4),
        prop::collection::btree_map(arb_name(), 0u32..5, 0..4),
    )
        .prop_map(|(adts, consts, functions, exports)| Module {
            adts,
            consts: consts.into_iter().collect(),
            functions,
            exports: exports
                .into_iter()
                .map(|(name, f)| Export {
                    name,
                    func: FuncId(f),
                })
                .collect(),
            certificate: vec![],
        })
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::unit()),
        any::<bool>().prop_map(Value::bool),
        any::<i128>().prop_map(Value::int),
        prop::collection::vec(any::<u8>(), 0..10).prop_map(Value::bytes),
        (0u32..300).prop_map(|t| Value::cell(t, vec![])),
    ];
    leaf.prop_recursive(5, 64, 4, |inner| {
        (0u32..300, prop::collection::vec(inner, 0..4)).prop_map(|(t, fs)| Value::cell(t, fs))
    })
}

proptest! {
    #[test]
    fn module_encoding_round_trips(m in arb_module()) {
        let bytes = m.encode();
        let back = Module::decode(&bytes);
        prop_assert_eq!(back.as_ref(), Ok(&m));
    }

    #[test]
    fn accepted_module_bytes_re_encode_identically(m in arb_module(), pos in any::<prop::sample::Index>(), v in any::<u8>()) {
        let mut bytes = m.encode();
        let i = pos.index(bytes.len());
        bytes[i] = v;
        if let Ok(m2) = Module::decode(&bytes) {
            prop_assert_eq!(m2.encode(), bytes);
            let _ = verify(m2);
        }
    }

    #[test]
    fn instruction_bytes_round_trip(b in prop::collection::vec(any::<u8>(), 1..16)) {
        let mut r = Reader::new(&b);
        if let Ok(i) = Instr::decode(&mut r) {
            let mut out = Vec::new();
            i.encode(&mut out);
            prop_assert_eq!(&out[..], &b[..r.pos()]);
        }
    }

    #[test]
    fn value_encoding_round_trips(v in arb_value()) {
        let bytes = v.encode();
        prop_assert_eq!(Value::decode(&bytes), Ok(v.clone()));
        let args = value::encode_args(&[v.clone(), Value::int(1)]);
        prop_assert_eq!(value::decode_args(&args), Ok(vec![v, Value::int(1)]));
    }

    #[test]
    fn accepted_value_bytes_re_encode_identically(b in prop::collection::vec(any::<u8>(), 0..24)) {
        if let Ok(v) = Value::decode(&b) {
            prop_assert_eq!(v.encode(), b);
        }
    }
}

#[test]
fn value_decoding_rejects_non_canonical() {
    // Int 1 with an overlong SLEB128.
    assert!(matches!(
        Value::decode(&[3, 0x81, 0x00]),
        Err(DecodeError::Overlong { .. })
    ));
    assert!(matches!(
        Value::decode(&[0, 0]),
        Err(DecodeError::TrailingBytes { .. })
    ));
    assert!(matches!(
        Value::decode(&[5, 1, 2, 0]),
        Err(DecodeError::UnexpectedEnd { .. })
    ));
    assert!(matches!(
        Value::decode(&[9]),
        Err(DecodeError::BadTag { .. })
    ));
}

#[test]
fn evaluate_encoded_checks_types() {
    let vm = verify(list_module()).unwrap();
    let args = value::encode_args(&[ints([3, 1, 2])]);
    let (r, _) = evaluate_encoded(&vm, "sort", &args, 10_000);
    assert_eq!(r.unwrap(), ints([1, 2, 3]));
    let (r, _) = evaluate_encoded(&vm, "sort", &value::encode_args(&[Value::int(1)]), 10_000);
    assert!(matches!(r, Err(Trap::BadArguments(_))));
    let (r, _) = evaluate_encoded(&vm, "sort", &[1, 7], 10_000);
    assert!(matches!(r, Err(Trap::BadArguments(_))));
}

#[test]
fn load_decodes_and_verifies() {
    let vm = load(&list_module().encode()).unwrap();
    assert_eq!(vm.module(), &list_module());
    assert!(matches!(
        load(&[0, 1, 2]),
        Err(LoadError::Decode(DecodeError::BadMagic))
    ));
    let mut m = sum_module();
    m.functions[0].code.clear();
    assert!(matches!(load(&m.encode()), Err(LoadError::Verify(_))));
}
