//! Structured fuzzing: kernels with instructions replaced, inserted or
//! removed at random. Whatever the verifier accepts must run without
//! panicking, within the gas limit and within its static bounds.

mod common;
#[path = "bound_kernels/soundness.rs"]
mod soundness;

use common::*;
use proptest::prelude::*;
use vm_core::format::leb::Reader;
use vm_core::format::*;
use vm_core::internals::*;

fn arb_instr() -> impl Strategy<Value = Instr> {
    // An opcode, then small operand bytes (registers, indices and deltas in range more often).
    (
        prop::sample::select(Opcode::ALL),
        prop::collection::vec(0u8..7, 0..9),
    )
        .prop_filter_map("not an instruction", |(op, rest)| {
            let mut b = vec![op as u8];
            b.extend(rest);
            let ins = Instr::decode(&mut Reader::new(&b)).ok()?;
            // Keep operands small so that they are often in range.
            let mut out = Vec::new();
            ins.encode(&mut out);
            (out.len() <= 8).then_some(ins)
        })
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(prop::sample::Index, prop::sample::Index, Instr),
    Insert(prop::sample::Index, prop::sample::Index, Instr),
    Remove(prop::sample::Index, prop::sample::Index),
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            arb_instr()
        )
            .prop_map(|(f, i, x)| Edit::Replace(f, i, x)),
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            arb_instr()
        )
            .prop_map(|(f, i, x)| Edit::Insert(f, i, x)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(f, i)| Edit::Remove(f, i)),
    ]
}

fn apply(m: &mut Module, e: &Edit) {
    let (f, i) = match e {
        Edit::Replace(f, i, _) | Edit::Insert(f, i, _) | Edit::Remove(f, i) => (f, i),
    };
    let n = m.functions.len();
    let func = &mut m.functions[f.index(n)];
    if func.code.is_empty() {
        return;
    }
    let at = i.index(func.code.len());
    match e {
        Edit::Replace(_, _, x) => func.code[at] = x.clone(),
        Edit::Insert(_, _, x) => func.code.insert(i.index(func.code.len() + 1), x.clone()),
        Edit::Remove(..) => {
            func.code.remove(at);
        }
    }
}

fn args_for(m: &Module, f: &Function) -> Vec<Value> {
    f.params
        .iter()
        .map(|t| match t {
            Ty::Int => Value::int(4),
            Ty::Bool => Value::bool(false),
            Ty::Unit => Value::unit(),
            Ty::Bytes => Value::bytes(vec![7; 3]),
            Ty::Adt(_) => ints([3, 1, 2]),
        })
        .filter(|_| !m.adts.is_empty() || f.params.iter().all(|t| !matches!(t, Ty::Adt(_))))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn edited_kernels_verify_or_are_rejected_and_never_panic(k in 0usize..3, edits in prop::collection::vec(arb_edit(), 1..4)) {
        let mut m = [sum_module(), fib_module(), list_module()][k].clone();
        for e in &edits {
            apply(&mut m, e);
        }
        let bytes = m.encode();
        let decoded = Module::decode(&bytes);
        prop_assert_eq!(decoded.as_ref(), Ok(&m));
        if let Ok(vm) = verify(m) {
            let module = vm.module().clone();
            for e in &module.exports {
                let f = &module.functions[e.func.0 as usize];
                let args = args_for(&module, f);
                let (_, gas) = evaluate(&vm, &e.name, &args, 20_000);
                prop_assert!(gas <= 20_000);
                soundness::within_bound(&vm, &e.name, &args, 20_000)
                    .map_err(|why| TestCaseError::fail(format!("{why}\n{}", disassemble(&module))))?;
            }
        }
    }
}
