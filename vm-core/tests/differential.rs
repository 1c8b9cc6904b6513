//! The optimised evaluator agrees with the naive reference interpreter on
//! results, traps and gas, at every gas limit and on fuzzed programs, in
//! every metering mode.

mod common;
mod reference;

use common::*;
use proptest::prelude::*;
use vm_core::format::*;
use vm_core::internals::*;

fn agree(m: &Module, entry: &str, args: &[Value], limit: u64) {
    let vm = verify(m.clone()).expect("verifies");
    let fast = eval_all_modes(&vm, entry, args, limit);
    let slow = reference::run(m, entry, args, limit);
    assert_eq!(fast, slow, "{entry}({args:?}) with gas limit {limit}");
}

#[test]
fn kernels_agree_at_every_gas_limit() {
    let lists = list_module();
    let misc = misc_module();
    let pair = |b: &[u8], xs: &[i128]| {
        Value::cell(0, vec![Value::bytes(b.to_vec()), ints(xs.iter().copied())])
    };
    let cases: Vec<(Module, &str, Vec<Value>)> = vec![
        (
            misc.clone(),
            "hash_concat",
            vec![Value::bytes(vec![1; 40]), Value::bytes(vec![2; 70])],
        ),
        (
            misc.clone(),
            "slice",
            vec![Value::bytes(vec![1, 2, 3, 4]), Value::int(1), Value::int(2)],
        ),
        (
            misc.clone(),
            "slice",
            vec![Value::bytes(vec![1, 2, 3, 4]), Value::int(3), Value::int(2)],
        ),
        (misc.clone(), "same", vec![ints(0..20), ints(0..20)]),
        (
            misc.clone(),
            "same",
            vec![
                ints(0..20),
                ints((0..20).map(|x| if x == 15 { 0 } else { x })),
            ],
        ),
        (
            misc.clone(),
            "differ",
            vec![pair(&[7; 64], &[1, 2]), pair(&[7; 64], &[1, 2])],
        ),
        (
            misc.clone(),
            "differ",
            vec![pair(&[7; 64], &[1, 2]), pair(&[7; 63], &[1, 2])],
        ),
        (
            misc.clone(),
            "differ",
            vec![pair(&[7; 5], &[1, 2]), pair(&[7; 5], &[1, 3])],
        ),
        (misc, "len", vec![Value::bytes(vec![0; 9])]),
        (
            token_module(),
            "transfer",
            vec![
                ledger(4),
                Value::bytes(1u32.to_be_bytes().to_vec()),
                Value::bytes(3u32.to_be_bytes().to_vec()),
                Value::int(10),
            ],
        ),
        (
            token_module(),
            "transfer",
            vec![
                ledger(3),
                Value::bytes(1u32.to_be_bytes().to_vec()),
                Value::bytes(7u32.to_be_bytes().to_vec()),
                Value::int(5000),
            ],
        ),
        (sum_module(), "sum", vec![Value::int(5), Value::int(0)]),
        (fib_module(), "fib", vec![Value::int(6)]),
        (lists.clone(), "sort", vec![ints([3, 1, 2, 5, 4])]),
        (
            lists.clone(),
            "interleave",
            vec![ints([1, 3]), ints([2, 4, 6])],
        ),
        (lists.clone(), "even", vec![ints([1, 2, 3])]),
        (lists.clone(), "range_sum", vec![Value::int(6)]),
        (lists.clone(), "sum_list", vec![ints([1, 2, 3])]),
        (lists, "reverse_range", vec![Value::int(4)]),
    ];
    for (m, entry, args) in cases {
        let vm = verify(m.clone()).unwrap();
        let (_, full) = evaluate(&vm, entry, &args, u64::MAX);
        for limit in 0..=full + 1 {
            agree(&m, entry, &args, limit);
        }
    }
}

#[test]
fn traps_agree() {
    agree(
        &sum_module(),
        "sum",
        &[Value::int(3), Value::int(i128::MAX - 2)],
        1_000,
    );
    agree(&fib_module(), "fib", &[Value::int(90)], 100_000);
}

fn arb_instr() -> impl Strategy<Value = Instr> {
    (
        prop::sample::select(Opcode::ALL),
        prop::collection::vec(0u8..7, 0..9),
    )
        .prop_filter_map("not an instruction", |(op, rest)| {
            let mut b = vec![op as u8];
            b.extend(rest);
            Instr::decode(&mut vm_core::format::leb::Reader::new(&b)).ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn fuzzed_programs_agree(k in 0usize..3, f in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), x in arb_instr(), replace in any::<bool>(), n in -3i128..6) {
        let mut m = [sum_module(), fib_module(), list_module()][k].clone();
        let nf = m.functions.len();
        let func = &mut m.functions[f.index(nf)];
        let i = at.index(func.code.len());
        if replace { func.code[i] = x; } else { func.code.insert(i, x); }
        if let Ok(vm) = verify(m.clone()) {
            for e in &m.exports {
                let func = &m.functions[e.func.0 as usize];
                let args: Vec<Value> = func.params.iter().map(|t| match t {
                    Ty::Int => Value::int(n),
                    Ty::Bool => Value::bool(n > 0),
                    Ty::Unit => Value::unit(),
                    Ty::Bytes => Value::bytes(vec![n as u8; 3]),
                    Ty::Adt(_) => ints(0..n.max(0)),
                }).collect();
                let fast = eval_all_modes(&vm, &e.name, &args, 3_000);
                let slow = reference::run(&m, &e.name, &args, 3_000);
                prop_assert_eq!(fast, slow, "{}\n{}", e.name, disassemble(&m));
            }
        }
    }
}
