//! A deliberately naive reference interpreter over decoded `Instr`s, written
//! from the spec (lang-spec/bytecode.md §4, §7): values as trees, registers as
//! `Option`s, gas per instruction from the opcode table. The optimised
//! evaluator must agree with it on results, traps and gas.
#![allow(dead_code)]

use std::rc::Rc;

use sha2::{Digest, Sha256};
use vm_core::format::*;
use vm_core::internals::crypto::{HashFn, SigScheme};
use vm_core::internals::*;

#[derive(Debug, Clone, PartialEq)]
enum RV {
    Unit,
    Bool(bool),
    Int(i128),
    Bytes(Rc<Vec<u8>>),
    Cell(u32, Rc<Vec<RV>>),
    /// A map as its entries in ascending key order.
    Map(Rc<Vec<(RV, RV)>>),
}

/// The key order: Ints by value, Bytes lexicographically.
fn key_cmp(a: &RV, b: &RV) -> std::cmp::Ordering {
    match (a, b) {
        (RV::Int(x), RV::Int(y)) => x.cmp(y),
        (RV::Bytes(x), RV::Bytes(y)) => x.cmp(y),
        _ => panic!("not keys: {a:?} {b:?}"),
    }
}

/// Bit length of `n`: the levels a map operation is charged for.
fn levels(n: usize) -> u64 {
    u64::from(usize::BITS - n.leading_zeros())
}

fn key_words(k: &RV) -> u64 {
    match k {
        RV::Bytes(b) => (b.len() as u64).div_ceil(32),
        _ => 0,
    }
}

fn to_rv(v: &Value) -> RV {
    fn go(nodes: &[Node], i: &mut usize) -> RV {
        let n = nodes[*i].clone();
        *i += 1;
        match n {
            Node::Unit => RV::Unit,
            Node::Bool(b) => RV::Bool(b),
            Node::Int(x) => RV::Int(x),
            Node::Bytes(b) => RV::Bytes(Rc::new(b)),
            Node::Cell { tag, arity } => {
                RV::Cell(tag, Rc::new((0..arity).map(|_| go(nodes, i)).collect()))
            }
            Node::Map { len } => RV::Map(Rc::new(
                (0..len).map(|_| (go(nodes, i), go(nodes, i))).collect(),
            )),
        }
    }
    go(v.nodes(), &mut 0)
}

fn from_rv(v: &RV) -> Value {
    match v {
        RV::Unit => Value::unit(),
        RV::Bool(b) => Value::bool(*b),
        RV::Int(x) => Value::int(*x),
        RV::Bytes(b) => Value::bytes(b.to_vec()),
        RV::Cell(t, fs) => Value::cell(*t, fs.iter().map(from_rv).collect()),
        RV::Map(es) => Value::map(es.iter().map(|(k, v)| (from_rv(k), from_rv(v)))).unwrap(),
    }
}

/// The measure of `lang-spec/bounds.md`: cells, maps (1 + entries) and
/// 32-byte words of Bytes, summed over the tree; 0 for scalars.
fn rv_measure(v: &RV) -> u64 {
    let mut total = 0;
    let mut todo = vec![v];
    while let Some(x) = todo.pop() {
        match x {
            RV::Bytes(b) => total += (b.len() as u64).div_ceil(32),
            RV::Cell(_, fs) => {
                total += 1;
                todo.extend(fs.iter());
            }
            RV::Map(es) => {
                total += 1 + es.len() as u64;
                todo.extend(es.iter().flat_map(|(k, v)| [k, v]));
            }
            _ => {}
        }
    }
    total
}

/// Nodes per unit of measure of `ty` (§7): the most `1 + non-ADT fields`
/// of any variant reachable from it, and 2 for a reachable map.
fn per_unit(m: &Module, ty: Ty) -> u64 {
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec![ty];
    let mut k = 1;
    while let Some(Ty::Adt(i)) = todo.pop() {
        if !seen.insert(i) {
            continue;
        }
        let a = &m.adts[i as usize];
        if a.kind == AdtKind::Map {
            k = k.max(2);
            todo.extend(
                a.variants[0]
                    .fields
                    .iter()
                    .map(|f| f.ty)
                    .filter(|t| matches!(t, Ty::Adt(_))),
            );
            continue;
        }
        for v in &a.variants {
            k = k.max(
                1 + v
                    .fields
                    .iter()
                    .filter(|f| !matches!(f.ty, Ty::Adt(_)))
                    .count() as u64,
            );
            todo.extend(
                v.fields
                    .iter()
                    .map(|f| f.ty)
                    .filter(|t| matches!(t, Ty::Adt(_))),
            );
        }
    }
    k
}

/// The final `ret`'s charge for result `v` of an entry point of result type
/// `ty` called on `args`: 5 per node it grew by, `k · (|v| − Σ |ADT or
/// Bytes argument|)` (none if it did not grow; none for a scalar).
fn result_gas(m: &Module, ty: Ty, params: &[Ty], args: &[RV], v: &RV) -> u64 {
    let allowance: u64 = args
        .iter()
        .zip(params)
        .filter(|(_, t)| matches!(t, Ty::Adt(_) | Ty::Bytes))
        .map(|(a, _)| rv_measure(a))
        .sum();
    5 * per_unit(m, ty) * rv_measure(v).saturating_sub(allowance)
}

struct Frame {
    func: usize,
    pc: usize,
    regs: Vec<Option<RV>>,
    dest: u32,
}

/// Runs like `vm_core::internals::evaluate` (the module must be verified).
pub fn run(m: &Module, entry: &str, args: &[Value], limit: u64) -> (Result<Value, Trap>, u64) {
    let Some(e) = m.exports.iter().find(|e| e.name == entry) else {
        return (Err(Trap::UnknownEntry(entry.into())), 0);
    };
    let fi = e.func.0 as usize;
    let f = &m.functions[fi];
    let mut regs = vec![None; f.nregs()];
    for (k, a) in args.iter().enumerate() {
        regs[k] = Some(to_rv(a));
    }
    let inputs: Vec<RV> = args.iter().map(to_rv).collect();
    let mut stack = vec![Frame {
        func: fi,
        pc: 0,
        regs,
        dest: 0,
    }];
    let mut gas = limit;
    macro_rules! charge {
        ($c:expr) => {{
            let c: u64 = $c;
            if gas < c {
                return (Err(Trap::OutOfGas), limit - gas);
            }
            gas -= c;
        }};
    }
    macro_rules! trap {
        ($t:expr) => {
            return (Err($t), limit - gas)
        };
    }
    loop {
        let fr = stack.last_mut().unwrap();
        let func = &m.functions[fr.func];
        let pc = fr.pc;
        let ins = func.code[pc].clone();
        fr.pc += 1;
        // Size-dependent instructions charge base + extra at once, below.
        // Calls: 5 + 1 per argument + 1 per 8 registers of the callee's
        // frame; tail calls: 4 + 1 per argument (written out here, not
        // taken from the `isa!` table, so the table is checked).
        match &ins {
            Instr::Con { .. }
            | Instr::BConcat { .. }
            | Instr::Sha256 { .. }
            | Instr::Blake2b256 { .. }
            | Instr::Keccak256 { .. }
            | Instr::Sha3_256 { .. }
            | Instr::Ed25519Verify { .. }
            | Instr::SchnorrVerify { .. }
            | Instr::EcdsaVerify { .. } => {}
            // Map instructions charge their base with their levels, below.
            ins if ins.is_map() => {}
            Instr::Call { f, args, .. } => {
                let regs = m.functions[f.0 as usize].nregs() as u64;
                charge!(5 + args.len() as u64 + regs.div_ceil(8));
            }
            Instr::TailCall { args, .. } => charge!(4 + (args.len() as u64).div_ceil(2)),
            _ => charge!(ins.opcode().gas()),
        }
        let get = |fr: &Frame, r: Reg| fr.regs[r.0 as usize].clone().unwrap();
        let int = |fr: &Frame, r: Reg| match get(fr, r) {
            RV::Int(x) => x,
            v => panic!("not an Int: {v:?}"),
        };
        let bytes = |fr: &Frame, r: Reg| match get(fr, r) {
            RV::Bytes(b) => b.to_vec(),
            v => panic!("not Bytes: {v:?}"),
        };
        let target = |j: Jump| (pc as i64 + 1 + i64::from(j.0)) as usize;
        let mut set: Option<(Reg, RV)> = None;
        match ins {
            Instr::Ret { a } => {
                let v = get(fr, a);
                let done = stack.pop().unwrap();
                match stack.last_mut() {
                    // The entry point's result: what it grew by over the
                    // arguments, all or nothing (written out, not taken
                    // from the table).
                    None => {
                        charge!(result_gas(m, f.result, &f.params, &inputs, &v));
                        return (Ok(from_rv(&v)), limit - gas);
                    }
                    Some(caller) => caller.regs[done.dest as usize] = Some(v),
                }
            }
            Instr::Jmp { t } => fr.pc = target(t),
            Instr::BrIf { c, t } | Instr::BrIfNot { c, t } => {
                let b = get(fr, c) == RV::Bool(true);
                if b == matches!(ins, Instr::BrIf { .. }) {
                    fr.pc = target(t);
                }
            }
            Instr::BrLtI { a, k, t } if int(fr, a) < i128::from(k) => fr.pc = target(t),
            Instr::BrLeI { a, k, t } if int(fr, a) <= i128::from(k) => fr.pc = target(t),
            Instr::BrGtI { a, k, t } if int(fr, a) > i128::from(k) => fr.pc = target(t),
            Instr::BrGeI { a, k, t } if int(fr, a) >= i128::from(k) => fr.pc = target(t),
            Instr::BrEqI { a, k, t } if int(fr, a) == i128::from(k) => fr.pc = target(t),
            Instr::BrNeI { a, k, t } if int(fr, a) != i128::from(k) => fr.pc = target(t),
            Instr::BrLt { a, b, t } if int(fr, a) < int(fr, b) => fr.pc = target(t),
            Instr::BrLe { a, b, t } if int(fr, a) <= int(fr, b) => fr.pc = target(t),
            Instr::BrLtI { .. }
            | Instr::BrLeI { .. }
            | Instr::BrGtI { .. }
            | Instr::BrGeI { .. }
            | Instr::BrEqI { .. }
            | Instr::BrNeI { .. }
            | Instr::BrLt { .. }
            | Instr::BrLe { .. } => {}
            Instr::Switch { s, t } => {
                let RV::Cell(tag, _) = get(fr, s) else {
                    panic!("switch on non-cell")
                };
                fr.pc = target(t[tag as usize]);
            }
            Instr::Call {
                ref f, ref args, ..
            }
            | Instr::TailCall { ref f, ref args } => {
                let f = *f;
                let callee = &m.functions[f.0 as usize];
                let mut regs = vec![None; callee.nregs()];
                for (k, a) in args.iter().enumerate() {
                    regs[k] = Some(get(fr, *a));
                }
                if let Instr::Call { d, .. } = ins {
                    if stack.len() >= vm_core::format::limits::MAX_CALL_DEPTH {
                        trap!(Trap::StackOverflow);
                    }
                    stack.push(Frame {
                        func: f.0 as usize,
                        pc: 0,
                        regs,
                        dest: d.0,
                    });
                } else {
                    fr.func = f.0 as usize;
                    fr.pc = 0;
                    fr.regs = regs;
                }
            }
            Instr::Mov { d, s } => set = Some((d, get(fr, s))),
            Instr::Int { d, k } => set = Some((d, RV::Int(i128::from(k)))),
            Instr::Const { d, k } => {
                let v = match &m.consts[k.0 as usize] {
                    Const::Int(x) => RV::Int(*x),
                    Const::Bytes(b) => RV::Bytes(Rc::new(b.clone())),
                };
                set = Some((d, v));
            }
            Instr::Fail { k } => match &m.consts[k.0 as usize] {
                Const::Bytes(b) => trap!(Trap::Failed(b.clone())),
                Const::Int(_) => panic!("fail reason is not Bytes"),
            },
            Instr::Bool { d, v } => set = Some((d, RV::Bool(v))),
            Instr::Unit { d } => set = Some((d, RV::Unit)),
            Instr::Con { d, v, fields, .. } => {
                charge!(2 + fields.len() as u64);
                let fs = fields.iter().map(|r| get(fr, *r)).collect();
                set = Some((d, RV::Cell(v, Rc::new(fs))));
            }
            Instr::Field { d, s, i } => {
                let RV::Cell(_, fs) = get(fr, s) else {
                    panic!("field of non-cell")
                };
                set = Some((d, fs[i as usize].clone()));
            }
            Instr::Add { d, a, b } | Instr::Sub { d, a, b } | Instr::Mul { d, a, b } => {
                let (x, y) = (int(fr, a), int(fr, b));
                let r = match ins {
                    Instr::Add { .. } => x.checked_add(y),
                    Instr::Sub { .. } => x.checked_sub(y),
                    _ => x.checked_mul(y),
                };
                match r {
                    Some(v) => set = Some((d, RV::Int(v))),
                    None => trap!(Trap::Overflow),
                }
            }
            Instr::Div { d, a, b } | Instr::Rem { d, a, b } => {
                let (x, y) = (int(fr, a), int(fr, b));
                if y == 0 {
                    trap!(Trap::DivisionByZero);
                }
                let r = if matches!(ins, Instr::Div { .. }) {
                    x.checked_div(y)
                } else {
                    x.checked_rem(y)
                };
                match r {
                    Some(v) => set = Some((d, RV::Int(v))),
                    None => trap!(Trap::Overflow),
                }
            }
            Instr::Neg { d, a } => match int(fr, a).checked_neg() {
                Some(v) => set = Some((d, RV::Int(v))),
                None => trap!(Trap::Overflow),
            },
            Instr::AddI { d, a, k } => match int(fr, a).checked_add(i128::from(k)) {
                Some(v) => set = Some((d, RV::Int(v))),
                None => trap!(Trap::Overflow),
            },
            Instr::Lt { d, a, b } => set = Some((d, RV::Bool(int(fr, a) < int(fr, b)))),
            Instr::Le { d, a, b } => set = Some((d, RV::Bool(int(fr, a) <= int(fr, b)))),
            Instr::Eq { d, a, b } | Instr::Ne { d, a, b } => {
                // Pre-order, left to right, stop at the first difference.
                let mut work = vec![(get(fr, a), get(fr, b))];
                let mut equal = true;
                while let Some((x, y)) = work.pop() {
                    charge!(1);
                    match (x, y) {
                        (RV::Bytes(p), RV::Bytes(q)) => {
                            if p.len() != q.len() {
                                equal = false;
                                break;
                            }
                            charge!((p.len() as u64).div_ceil(48));
                            if p != q {
                                equal = false;
                                break;
                            }
                        }
                        (RV::Map(p), RV::Map(q)) => {
                            if p.len() != q.len() {
                                equal = false;
                                break;
                            }
                            charge!(p.len() as u64);
                            for ((k1, v1), (k2, v2)) in
                                p.iter().cloned().zip(q.iter().cloned()).rev()
                            {
                                work.push((v1, v2));
                                work.push((k1, k2));
                            }
                        }
                        (RV::Cell(s, fs), RV::Cell(t, gs)) => {
                            if s != t {
                                equal = false;
                                break;
                            }
                            for pair in fs.iter().cloned().zip(gs.iter().cloned()).rev() {
                                work.push(pair);
                            }
                        }
                        (x, y) => {
                            if x != y {
                                equal = false;
                                break;
                            }
                        }
                    }
                }
                set = Some((d, RV::Bool(equal == matches!(ins, Instr::Eq { .. }))));
            }
            Instr::Not { d, a } => set = Some((d, RV::Bool(get(fr, a) != RV::Bool(true)))),
            Instr::BLen { d, a } => set = Some((d, RV::Int(bytes(fr, a).len() as i128))),
            Instr::BConcat { d, a, b } => {
                let mut x = bytes(fr, a);
                x.extend(bytes(fr, b));
                charge!(2 + (x.len() as u64).div_ceil(32));
                set = Some((d, RV::Bytes(Rc::new(x))));
            }
            Instr::BSlice { d, a, start, len } => {
                let (x, s, l) = (bytes(fr, a), int(fr, start), int(fr, len));
                if s < 0 || l < 0 || s.checked_add(l).is_none_or(|e| e > x.len() as i128) {
                    trap!(Trap::SliceOutOfRange);
                }
                set = Some((
                    d,
                    RV::Bytes(Rc::new(x[s as usize..(s + l) as usize].to_vec())),
                ));
            }
            Instr::MapEmpty { d, .. } => {
                charge!(10);
                set = Some((d, RV::Map(Rc::new(vec![]))));
            }
            Instr::MapSize { d, m } => {
                charge!(10);
                let RV::Map(es) = get(fr, m) else { panic!() };
                set = Some((d, RV::Int(es.len() as i128)));
            }
            Instr::MapGet { d, m, k, .. } | Instr::MapContains { d, m, k } => {
                let RV::Map(es) = get(fr, m) else { panic!() };
                let key = get(fr, k);
                charge!(10 + levels(es.len()) * (4 + key_words(&key)));
                let found = es.iter().find(|(x, _)| key_cmp(x, &key).is_eq());
                let v = match (&ins, found) {
                    (Instr::MapContains { .. }, f) => RV::Bool(f.is_some()),
                    (_, Some((_, v))) => RV::Cell(1, Rc::new(vec![v.clone()])),
                    (_, None) => RV::Cell(0, Rc::new(vec![])),
                };
                set = Some((d, v));
            }
            Instr::MapInsert { d, m, k, .. } | Instr::MapRemove { d, m, k } => {
                let RV::Map(es) = get(fr, m) else { panic!() };
                let key = get(fr, k);
                charge!(40 + levels(es.len()) * (8 + key_words(&key)));
                let mut es: Vec<(RV, RV)> = es
                    .iter()
                    .filter(|(x, _)| !key_cmp(x, &key).is_eq())
                    .cloned()
                    .collect();
                if let Instr::MapInsert { v, .. } = ins {
                    es.push((key, get(fr, v)));
                    es.sort_by(|a, b| key_cmp(&a.0, &b.0));
                }
                set = Some((d, RV::Map(Rc::new(es))));
            }
            Instr::MapToList { d, m, .. } => {
                let RV::Map(es) = get(fr, m) else { panic!() };
                charge!(2 + 16 * es.len() as u64);
                let mut list = RV::Cell(0, Rc::new(vec![]));
                for (k, v) in es.iter().rev() {
                    let pair = RV::Cell(0, Rc::new(vec![k.clone(), v.clone()]));
                    list = RV::Cell(1, Rc::new(vec![pair, list]));
                }
                set = Some((d, list));
            }
            Instr::MapFromList { d, l, .. } => {
                let mut es: Vec<(RV, RV)> = Vec::new();
                let mut cur = get(fr, l);
                while let RV::Cell(1, fs) = cur {
                    let RV::Cell(_, kv) = &fs[0] else { panic!() };
                    es.push((kv[0].clone(), kv[1].clone()));
                    cur = fs[1].clone();
                }
                // Walking and sorting the list, then building the map of
                // its distinct keys: two charges.
                let (n, lv) = (es.len() as u64, levels(es.len()));
                let words: u64 = es.iter().map(|(k, _)| key_words(k)).sum();
                charge!(10 + 2 * n + (n * lv).div_ceil(2) + words * lv);
                // The last of equal keys wins.
                let mut out: Vec<(RV, RV)> = Vec::new();
                for (k, v) in es {
                    out.retain(|(x, _)| !key_cmp(x, &k).is_eq());
                    out.push((k, v));
                }
                out.sort_by(|a, b| key_cmp(&a.0, &b.0));
                charge!(40 * out.len() as u64);
                set = Some((d, RV::Map(Rc::new(out))));
            }
            Instr::Sha256 { d, a } => {
                let x = bytes(fr, a);
                charge!(40 + (x.len() as u64).div_ceil(2));
                set = Some((d, RV::Bytes(Rc::new(Sha256::digest(&x).to_vec()))));
            }
            // The digests and checks themselves are the crates' (tested on
            // the official vectors in tests/crypto_vectors.rs); the gas is
            // restated here from the table.
            Instr::Blake2b256 { d, a } | Instr::Keccak256 { d, a } | Instr::Sha3_256 { d, a } => {
                let x = bytes(fr, a);
                // base + coef per `per` input bytes (begun).
                let (f, base, coef, per) = match ins {
                    Instr::Blake2b256 { .. } => (HashFn::Blake2b256, 140, 1, 1),
                    Instr::Keccak256 { .. } => (HashFn::Keccak256, 300, 2, 1),
                    _ => (HashFn::Sha3_256, 300, 2, 1),
                };
                charge!(base + coef * (x.len() as u64).div_ceil(per));
                set = Some((d, RV::Bytes(Rc::new(f.digest(&x).to_vec()))));
            }
            Instr::Ed25519Verify { d, k, m, s }
            | Instr::SchnorrVerify { d, k, m, s }
            | Instr::EcdsaVerify { d, k, m, s } => {
                let (k, m, s) = (bytes(fr, k), bytes(fr, m), bytes(fr, s));
                // base + coef per `per` message bytes (begun).
                let (f, base, coef, per) = match ins {
                    Instr::Ed25519Verify { .. } => (SigScheme::Ed25519, 30_000, 2, 1),
                    Instr::SchnorrVerify { .. } => (SigScheme::Schnorr, 54_000, 3, 4),
                    _ => (SigScheme::EcdsaSecp256k1, 50_000, 0, 1),
                };
                charge!(base + coef * (m.len() as u64).div_ceil(per));
                set = Some((d, RV::Bool(f.verify(&k, &m, &s))));
            }
        }
        if let Some((r, v)) = set {
            stack.last_mut().unwrap().regs[r.0 as usize] = Some(v);
        }
    }
}
