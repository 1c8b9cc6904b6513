//! Native maps at the vm-core level: the canonical encoding (sorted keys,
//! no duplicates, anything else rejected), literals, the verifier's opacity
//! rules, and the `map.*` instructions' results, gas and bounds on modules
//! built by hand.

mod common;

use common::eval_all_limits;
use vm_core::format::*;
use vm_core::internals::*;

fn int_map(entries: &[(i128, i128)]) -> Value {
    Value::map(entries.iter().map(|&(k, v)| (Value::int(k), Value::int(v)))).unwrap()
}

#[test]
fn encoding_is_canonical_and_rejects_unsorted_or_duplicate_keys() {
    let m = int_map(&[(3, 30), (1, 10), (2, 20), (1, 11)]);
    assert_eq!(
        m.as_map().unwrap(),
        vec![
            (Value::int(1), Value::int(11)),
            (Value::int(2), Value::int(20)),
            (Value::int(3), Value::int(30)),
        ]
    );
    let bytes = m.encode();
    assert_eq!(bytes[0], 6);
    assert_eq!(Value::decode(&bytes), Ok(m.clone()));
    // `06 02`, key 2, value 0, key 1, value 0: unsorted.
    let unsorted = [6, 2, 3, 2, 3, 0, 3, 1, 3, 0];
    assert!(Value::decode(&unsorted).is_err());
    let duplicate = [6, 2, 3, 1, 3, 0, 3, 1, 3, 0];
    assert!(Value::decode(&duplicate).is_err());
    // A key that is a cell, and keys of two kinds.
    assert!(Value::decode(&[6, 1, 5, 0, 0, 3, 0]).is_err());
    assert!(Value::decode(&[6, 2, 3, 1, 3, 0, 4, 0, 3, 0]).is_err());
    // A count larger than the bytes left.
    assert!(Value::decode(&[6, 0xff, 0xff, 0x03]).is_err());
    // Bytes keys: a prefix first.
    let b = Value::map([
        (Value::bytes(vec![1, 2]), Value::unit()),
        (Value::bytes(vec![1]), Value::unit()),
    ])
    .unwrap();
    assert_eq!(b.as_map().unwrap()[0].0, Value::bytes(vec![1]));
    assert_eq!(Value::decode(&b.encode()), Ok(b));
    // Nested maps decode in one pass.
    let nested = Value::map((0..200).map(|i| (Value::int(i), int_map(&[(i, i)])))).unwrap();
    assert_eq!(Value::decode(&nested.encode()), Ok(nested));
}

#[test]
fn literals_round_trip_in_ascending_order() {
    let adts = vec![AdtDef::map("Map<Bytes, Int>", Ty::Bytes, Ty::Int)];
    let t = Ty::Adt(0);
    let v = parse_literal("Map { #\"bb\": 7, #\"aa\": 5, }", t, &adts).unwrap();
    assert_eq!(
        print_literal(&v, t, &adts).unwrap(),
        "Map { #\"aa\": 5, #\"bb\": 7 }"
    );
    let e = parse_literal("Map {}", t, &adts).unwrap();
    assert_eq!(print_literal(&e, t, &adts).unwrap(), "Map {}");
    let dup = parse_literal("Map { #\"aa\": 1, #\"aa\": 2 }", t, &adts).unwrap_err();
    assert!(dup.message.contains("given twice"), "{dup:?}");
    assert!(parse_literal("[1]", t, &adts).is_err());
    assert!(parse_literal("Map { 1: 2 }", t, &adts).is_err());
    // A cell is not a map value.
    assert!(
        Value::cell(0, vec![Value::bytes(vec![]), Value::int(1)])
            .check(t, &adts)
            .is_err()
    );
}

/// `get(m, k)`, `put(m, k, v)`, `del(m, k)`, `entries(m)`, `build(l)` and
/// `same(a, b)` on `Map<Int, Int>`.
fn map_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let map = mb.add_adt(AdtDef::map("Map<Int, Int>", Ty::Int, Ty::Int));
    let opt = mb.add_adt(AdtDef::enumeration(
        "Option<Int>",
        &[("None", &[]), ("Some", &[Ty::Int])],
    ));
    let pair = mb.add_adt(AdtDef::tuple("(Int, Int)", &[Ty::Int, Ty::Int]));
    let list = mb.add_list("List<(Int, Int)>", Ty::Adt(pair.0));
    let (mt, ot, lt) = (Ty::Adt(map.0), Ty::Adt(opt.0), Ty::Adt(list.0));
    let mut unary = |name: &str, params: &[Ty], ret: Ty, ins: &dyn Fn(Reg, &[Reg]) -> Instr| {
        let f = mb.declare(name, params, ret);
        let mut b = FunctionBuilder::new(params);
        let d = b.reg(ret);
        let ps: Vec<Reg> = (0..params.len() as u32).map(|i| b.param(i)).collect();
        b.emit(ins(d, &ps));
        b.emit(Instr::Ret { a: d });
        mb.define(f, b).unwrap();
        mb.export(name, f);
    };
    unary("get", &[mt, Ty::Int], ot, &|d, p| Instr::MapGet {
        d,
        m: p[0],
        k: p[1],
        t: opt,
    });
    unary("put", &[mt, Ty::Int, Ty::Int], mt, &|d, p| {
        Instr::MapInsert {
            d,
            m: p[0],
            k: p[1],
            v: p[2],
        }
    });
    unary("del", &[mt, Ty::Int], mt, &|d, p| Instr::MapRemove {
        d,
        m: p[0],
        k: p[1],
    });
    unary("entries", &[mt], lt, &|d, p| Instr::MapToList {
        d,
        m: p[0],
        t: list,
    });
    unary("build", &[lt], mt, &|d, p| Instr::MapFromList {
        d,
        l: p[0],
        t: map,
    });
    unary("size", &[mt], Ty::Int, &|d, p| Instr::MapSize {
        d,
        m: p[0],
    });
    unary("same", &[mt, mt], Ty::Bool, &|d, p| Instr::Eq {
        d,
        a: p[0],
        b: p[1],
    });
    unary("empty", &[], mt, &|d, _| Instr::MapEmpty { d, t: map });
    mb.finish().unwrap()
}

#[test]
fn map_instructions_compute_and_charge_by_size() {
    let vm = verify(map_module()).unwrap();
    let m = int_map(&[(1, 10), (5, 50), (9, 90)]);
    let run = |e: &str, args: &[Value]| eval_all_limits(&vm, e, args).unwrap();
    assert_eq!(
        run("get", &[m.clone(), Value::int(5)]),
        Value::cell(1, vec![Value::int(50)])
    );
    assert_eq!(
        run("get", &[m.clone(), Value::int(4)]),
        Value::cell(0, vec![])
    );
    assert_eq!(
        run("put", &[m.clone(), Value::int(4), Value::int(40)]),
        int_map(&[(1, 10), (4, 40), (5, 50), (9, 90)])
    );
    assert_eq!(
        run("del", &[m.clone(), Value::int(5)]),
        int_map(&[(1, 10), (9, 90)])
    );
    assert_eq!(run("del", &[m.clone(), Value::int(6)]), m);
    assert_eq!(run("size", std::slice::from_ref(&m)), Value::int(3));
    assert_eq!(run("empty", &[]), int_map(&[]));
    let l = run("entries", std::slice::from_ref(&m));
    assert_eq!(run("build", &[l]), m);
    assert_eq!(
        run("same", &[m.clone(), int_map(&[(9, 90), (5, 50), (1, 10)])]),
        Value::bool(true)
    );
    assert_eq!(
        run("same", &[m.clone(), int_map(&[(1, 10), (5, 51), (9, 90)])]),
        Value::bool(false)
    );
    // Gas: get on 3 entries is 10 + levels(3)·4 = 18, plus ret 2.
    let (_, gas) = evaluate(&vm, "get", &[m.clone(), Value::int(5)], 1000);
    assert_eq!(gas, 10 + 2 * 4 + 2);
    // On 1,000,000 entries: levels 20.
    let big = Value::map((0..1_000_000).map(|i| (Value::int(i), Value::int(i)))).unwrap();
    let (r, gas) = evaluate(&vm, "get", &[big.clone(), Value::int(777_777)], 1000);
    assert_eq!(r, Ok(Value::cell(1, vec![Value::int(777_777)])));
    assert_eq!(gas, 10 + 20 * 4 + 2);
    let b = bound(&vm, "get", &[big, Value::int(1)]).unwrap();
    // |m| = 1 + 10^6: log2 bound 20.
    assert_eq!(b.gas, 4 * 20 + 10 + 2);
    let fb = vm.bounds("get").unwrap();
    assert_eq!(
        fb.render(vm.module(), 0, Some(&["m", "k"])).0,
        "4·log2(|m| + 1) + 12"
    );
}

#[test]
fn maps_are_opaque_to_con_switch_and_field() {
    let mut mb = ModuleBuilder::new();
    let map = mb.add_adt(AdtDef::map("Map<Int, Int>", Ty::Int, Ty::Int));
    let mt = Ty::Adt(map.0);
    let f = mb.declare("forge", &[Ty::Int], mt);
    let mut b = FunctionBuilder::new(&[Ty::Int]);
    let d = b.reg(mt);
    let k = b.param(0);
    b.emit(Instr::Con {
        d,
        t: map,
        v: 0,
        fields: vec![k, k],
    });
    b.emit(Instr::Ret { a: d });
    mb.define(f, b).unwrap();
    mb.export("forge", f);
    let e = verify(mb.finish().unwrap()).unwrap_err();
    assert!(e.to_string().contains("map"), "{e}");

    let mut mb = ModuleBuilder::new();
    let map = mb.add_adt(AdtDef::map("Map<Int, Int>", Ty::Int, Ty::Int));
    let mt = Ty::Adt(map.0);
    let f = mb.declare("peek", &[mt], Ty::Int);
    let mut b = FunctionBuilder::new(&[mt]);
    let d = b.reg(Ty::Int);
    b.emit(Instr::Field {
        d,
        s: b.param(0),
        i: 0,
    });
    b.emit(Instr::Ret { a: d });
    mb.define(f, b).unwrap();
    mb.export("peek", f);
    assert!(verify(mb.finish().unwrap()).is_err());

    // Keys must be Int or Bytes.
    let mut mb = ModuleBuilder::new();
    mb.add_adt(AdtDef::map("Map<Bool, Int>", Ty::Bool, Ty::Int));
    assert!(verify(mb.finish().unwrap()).is_err());
}
