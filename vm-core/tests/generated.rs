//! Randomly generated well-typed programs: the verifier must accept them,
//! and the evaluator must agree with the reference interpreter on results,
//! traps and gas at random gas limits; no run exceeds the static gas and
//! memory bounds of its entry point.

mod common;
mod reference;
#[path = "bound_kernels/soundness.rs"]
mod soundness;

use common::{Cmp, br_imm, eval_all_modes};
use proptest::prelude::*;
use vm_core::format::*;
use vm_core::internals::*;

/// A small deterministic generator (splitmix64), seeded by proptest.
struct TestRng(u64);

impl TestRng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `r` (bias irrelevant for testing).
    fn random_range<T: FromU64>(&mut self, r: std::ops::Range<T>) -> T {
        let (lo, hi) = (r.start.to_u64(), r.end.to_u64());
        T::from_u64(lo + self.next() % (hi - lo).max(1))
    }

    fn random_inclusive(&mut self, hi: u64) -> u64 {
        if hi == u64::MAX {
            self.next()
        } else {
            self.next() % (hi + 1)
        }
    }

    fn random_bool(&mut self) -> bool {
        self.next() & 1 == 1
    }

    fn random_byte(&mut self) -> u8 {
        self.next() as u8
    }
}

trait FromU64: Copy {
    fn from_u64(v: u64) -> Self;
    fn to_u64(self) -> u64;
}

impl FromU64 for usize {
    fn from_u64(v: u64) -> Self {
        v as usize
    }
    fn to_u64(self) -> u64 {
        self as u64
    }
}

impl FromU64 for u32 {
    fn from_u64(v: u64) -> Self {
        v as u32
    }
    fn to_u64(self) -> u64 {
        u64::from(self)
    }
}

impl FromU64 for i32 {
    fn from_u64(v: u64) -> Self {
        v as i32
    }
    fn to_u64(self) -> u64 {
        self as u64
    }
}

impl FromU64 for i128 {
    fn from_u64(v: u64) -> Self {
        i128::from(v)
    }
    fn to_u64(self) -> u64 {
        self as u64
    }
}

const LIST: Ty = Ty::Adt(0);
const PAIR: Ty = Ty::Adt(1);
const TYPES: [Ty; 5] = [Ty::Int, Ty::Bool, Ty::Bytes, LIST, PAIR];

/// Generates one function body over registers whose types are tracked.
struct Gen<'a> {
    rng: &'a mut TestRng,
    f: FunctionBuilder,
    /// Registers initialised on every path to the current point, with their
    /// types and (for ADTs) the variant known at this point.
    avail: Vec<(Reg, Ty, Option<u32>)>,
}

impl Gen<'_> {
    fn pick(&mut self, ty: Ty) -> Option<Reg> {
        let c: Vec<Reg> = self
            .avail
            .iter()
            .filter(|(_, t, _)| *t == ty)
            .map(|(r, _, _)| *r)
            .collect();
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.random_range(0..c.len())])
        }
    }

    fn def(&mut self, ty: Ty, tag: Option<u32>) -> Reg {
        let r = self.f.reg(ty);
        self.avail.push((r, ty, tag));
        r
    }

    fn small(&mut self) -> i64 {
        *[-2i64, -1, 0, 1, 2, 3, 7, 100, i64::MAX, i64::MIN]
            .get(self.rng.random_range(0..10))
            .unwrap()
    }

    /// Emits one random instruction (or a forward branch over a block).
    fn step(&mut self, sigs: &[(FuncId, Vec<Ty>, Ty)], depth: u32) {
        let int = self.pick(Ty::Int).unwrap();
        let int2 = self.pick(Ty::Int).unwrap();
        match self.rng.random_range(0..20) {
            0 => {
                let k = self.small();
                let d = self.def(Ty::Int, None);
                self.f.emit(Instr::Int { d, k });
            }
            1..=3 => {
                let d = self.def(Ty::Int, None);
                let ins = match self.rng.random_range(0..5) {
                    0 => Instr::Add { d, a: int, b: int2 },
                    1 => Instr::Sub { d, a: int, b: int2 },
                    2 => Instr::Mul { d, a: int, b: int2 },
                    3 => Instr::Div { d, a: int, b: int2 },
                    _ => Instr::Rem { d, a: int, b: int2 },
                };
                self.f.emit(ins);
            }
            4 => {
                let k = self.small();
                let d = self.def(Ty::Int, None);
                self.f.emit(Instr::AddI { d, a: int, k });
            }
            5 => {
                let d = self.def(Ty::Bool, None);
                let ins = if self.rng.random_bool() {
                    Instr::Lt { d, a: int, b: int2 }
                } else {
                    Instr::Le { d, a: int, b: int2 }
                };
                self.f.emit(ins);
            }
            6 => {
                let ty = TYPES[self.rng.random_range(0..TYPES.len())];
                if let (Some(a), Some(b)) = (self.pick(ty), self.pick(ty)) {
                    let d = self.def(Ty::Bool, None);
                    let ins = if self.rng.random_bool() {
                        Instr::Eq { d, a, b }
                    } else {
                        Instr::Ne { d, a, b }
                    };
                    self.f.emit(ins);
                }
            }
            7 => {
                if let (Some(a), Some(b)) = (self.pick(Ty::Bytes), self.pick(Ty::Bytes)) {
                    let d = self.def(Ty::Bytes, None);
                    self.f.emit(Instr::BConcat { d, a, b });
                }
            }
            8 => {
                if let Some(a) = self.pick(Ty::Bytes) {
                    let d = self.def(Ty::Int, None);
                    self.f.emit(Instr::BLen { d, a });
                    let d = self.def(Ty::Bytes, None);
                    self.f.emit(Instr::BSlice {
                        d,
                        a,
                        start: int,
                        len: int2,
                    });
                }
            }
            9 => {
                if let Some(a) = self.pick(Ty::Bytes) {
                    match self.rng.random_range(0..6) {
                        0..4 => {
                            let d = self.def(Ty::Bytes, None);
                            self.f.emit(match self.rng.random_range(0..4) {
                                0 => Instr::Sha256 { d, a },
                                1 => Instr::Blake2b256 { d, a },
                                2 => Instr::Keccak256 { d, a },
                                _ => Instr::Sha3_256 { d, a },
                            });
                        }
                        _ => {
                            // A signature check on whatever Bytes are at hand.
                            let (m, s) = (self.pick(Ty::Bytes), self.pick(Ty::Bytes));
                            let (m, s) = (m.unwrap_or(a), s.unwrap_or(a));
                            let d = self.def(Ty::Bool, None);
                            self.f.emit(match self.rng.random_range(0..3) {
                                0 => Instr::Ed25519Verify { d, k: a, m, s },
                                1 => Instr::SchnorrVerify { d, k: a, m, s },
                                _ => Instr::EcdsaVerify { d, k: a, m, s },
                            });
                        }
                    }
                }
            }
            10 => {
                if let Some(tail) = self.pick(LIST) {
                    let d = self.def(LIST, Some(1));
                    self.f.emit(Instr::Con {
                        d,
                        t: AdtId(0),
                        v: 1,
                        fields: vec![int, tail],
                    });
                } else {
                    let d = self.def(LIST, Some(0));
                    self.f.emit(Instr::Con {
                        d,
                        t: AdtId(0),
                        v: 0,
                        fields: vec![],
                    });
                }
            }
            11 => {
                if let Some(b) = self.pick(Ty::Bytes) {
                    let d = self.def(PAIR, Some(0));
                    self.f.emit(Instr::Con {
                        d,
                        t: AdtId(1),
                        v: 0,
                        fields: vec![int, b],
                    });
                }
            }
            12 => {
                // Field loads: from a pair (single variant), or a list cons known by con.
                let known: Vec<(Reg, Ty, Option<u32>)> = self
                    .avail
                    .iter()
                    .copied()
                    .filter(|(_, t, tag)| *t == PAIR || (*t == LIST && *tag == Some(1)))
                    .collect();
                if !known.is_empty() {
                    let (s, t, _) = known[self.rng.random_range(0..known.len())];
                    let i = self.rng.random_range(0..2u32);
                    let fty = match (t, i) {
                        (_, 0) => Ty::Int,
                        (PAIR, _) => Ty::Bytes,
                        _ => LIST,
                    };
                    let d = self.def(fty, None);
                    self.f.emit(Instr::Field { d, s, i });
                }
            }
            13 => {
                let b = self.rng.random_bool();
                let d = self.def(Ty::Bool, None);
                self.f.emit(Instr::Bool { d, v: b });
            }
            14 | 15 => {
                if !sigs.is_empty() {
                    let (g, params, result) = sigs[self.rng.random_range(0..sigs.len())].clone();
                    let args: Option<Vec<Reg>> = params.iter().map(|&t| self.pick(t)).collect();
                    if let Some(args) = args {
                        let d = self.def(result, None);
                        self.f.emit(Instr::Call { d, f: g, args });
                    }
                }
            }
            16 if depth < 3 => {
                // if (cond) { block }: registers defined in the block are not available after.
                let skip = self.f.label();
                let k = self.small();
                let ins = match self.rng.random_range(0..4) {
                    0 => Instr::BrLeI {
                        a: int,
                        k,
                        t: Jump(0),
                    },
                    1 => Instr::BrGtI {
                        a: int,
                        k,
                        t: Jump(0),
                    },
                    2 => Instr::BrEqI {
                        a: int,
                        k,
                        t: Jump(0),
                    },
                    _ => Instr::BrLt {
                        a: int,
                        b: int2,
                        t: Jump(0),
                    },
                };
                self.f.emit_to(ins, &[skip]);
                let saved = self.avail.len();
                for _ in 0..self.rng.random_range(1..5) {
                    self.step(sigs, depth + 1);
                }
                if self.rng.random_range(0..3) == 0 {
                    let r = self.pick(Ty::Int).unwrap();
                    self.f.emit(Instr::Ret { a: r });
                }
                self.avail.truncate(saved);
                self.f.bind(skip);
            }
            17 => {
                if let Some(c) = self.pick(Ty::Bool) {
                    let d = self.def(Ty::Bool, None);
                    self.f.emit(Instr::Not { d, a: c });
                }
            }
            18 => {
                let d = self.def(Ty::Int, None);
                self.f.emit(Instr::Neg { d, a: int });
            }
            _ => {
                let d = self.def(Ty::Int, None);
                self.f.emit(Instr::Mov { d, s: int });
            }
        }
    }
}

fn generate(rng: &mut TestRng) -> Module {
    let mut mb = ModuleBuilder::new();
    mb.add_list("List<Int>", Ty::Int);
    mb.add_adt(AdtDef::tuple("(Int, Bytes)", &[Ty::Int, Ty::Bytes]));
    let mut sigs: Vec<(FuncId, Vec<Ty>, Ty)> = Vec::new();
    let nf = rng.random_range(1..4);
    for fi in 0..nf {
        let np = rng.random_range(1..4);
        let mut params = vec![Ty::Int];
        for _ in 1..np {
            params.push(TYPES[rng.random_range(0..TYPES.len())]);
        }
        let id = mb.declare(&format!("f{fi}"), &params, Ty::Int);
        let mut g = Gen {
            rng,
            f: FunctionBuilder::new(&params),
            avail: vec![],
        };
        for (k, &t) in params.iter().enumerate() {
            let r = g.f.param(k as u32);
            g.avail.push((r, t, None));
        }
        for _ in 0..g.rng.random_range(1..25) {
            g.step(&sigs, 0);
        }
        // End with `ret`, or with a match on a list that may recurse
        // structurally on a list parameter.
        let list_params: Vec<u32> = (0..params.len() as u32)
            .filter(|&k| params[k as usize] == LIST)
            .collect();
        if !list_params.is_empty() && g.rng.random_bool() {
            let p = list_params[g.rng.random_range(0..list_params.len())];
            let s = g.f.param(p);
            let (nil, cons) = (g.f.label(), g.f.label());
            g.f.switch(s, &[nil, cons]);
            let saved = g.avail.len();
            g.f.bind(cons);
            let h = g.def(Ty::Int, None);
            let t = g.def(LIST, None);
            g.f.emit(Instr::Field { d: h, s, i: 0 });
            g.f.emit(Instr::Field { d: t, s, i: 1 });
            for _ in 0..g.rng.random_range(0..6) {
                g.step(&sigs, 1);
            }
            // Recursive call: the tail in the same position, anything elsewhere.
            let args: Vec<Reg> = params
                .iter()
                .enumerate()
                .map(|(k, &ty)| {
                    if k as u32 == p {
                        t
                    } else {
                        g.pick(ty).unwrap_or(g.f.param(k as u32))
                    }
                })
                .collect();
            let d = g.def(Ty::Int, None);
            g.f.emit(Instr::Call { d, f: id, args });
            let other = g.pick(Ty::Int).unwrap();
            let sum = g.def(Ty::Int, None);
            g.f.emit(Instr::Add {
                d: sum,
                a: d,
                b: other,
            });
            g.f.emit(Instr::Ret { a: sum });
            g.avail.truncate(saved);
            g.f.bind(nil);
            for _ in 0..g.rng.random_range(0..4) {
                g.step(&sigs, 1);
            }
            let r = g.pick(Ty::Int).unwrap();
            g.f.emit(Instr::Ret { a: r });
        } else if g.rng.random_bool() {
            // Int descent on parameter 0 under a guard, written either as a
            // compare-immediate branch or as a Bool comparison with a constant.
            let n = g.f.param(0);
            let base = g.f.label();
            let bound = g.rng.random_range(0i32..6) as i64 - 3;
            if g.rng.random_bool() {
                br_imm(&mut g.f, Cmp::Le, n, bound, base);
            } else {
                let k = g.def(Ty::Int, None);
                let c = g.def(Ty::Bool, None);
                g.f.emit(Instr::Int { d: k, k: bound });
                g.f.emit(Instr::Lt { d: c, a: k, b: n });
                g.f.emit_to(Instr::BrIfNot { c, t: Jump(0) }, &[base]);
            }
            let saved = g.avail.len();
            for _ in 0..g.rng.random_range(0..5) {
                g.step(&sigs, 1);
            }
            let m = g.def(Ty::Int, None);
            let step = -(g.rng.random_range(1i32..3) as i64);
            g.f.emit(Instr::AddI {
                d: m,
                a: n,
                k: step,
            });
            let args: Vec<Reg> = params
                .iter()
                .enumerate()
                .map(|(k, &ty)| {
                    if k == 0 {
                        m
                    } else {
                        g.pick(ty).unwrap_or(g.f.param(k as u32))
                    }
                })
                .collect();
            if g.rng.random_bool() {
                g.f.emit(Instr::TailCall { f: id, args });
            } else {
                let d = g.def(Ty::Int, None);
                g.f.emit(Instr::Call { d, f: id, args });
                let other = g.pick(Ty::Int).unwrap();
                let sum = g.def(Ty::Int, None);
                g.f.emit(Instr::Add {
                    d: sum,
                    a: d,
                    b: other,
                });
                g.f.emit(Instr::Ret { a: sum });
            }
            g.avail.truncate(saved);
            g.f.bind(base);
            let r = g.pick(Ty::Int).unwrap();
            g.f.emit(Instr::Ret { a: r });
        } else {
            let r = g.pick(Ty::Int).unwrap();
            g.f.emit(Instr::Ret { a: r });
        }
        let body = g.f;
        mb.define(id, body).unwrap();
        mb.export(&format!("f{fi}"), id);
        sigs.push((id, params, Ty::Int));
    }
    mb.finish().unwrap()
}

fn arg(rng: &mut TestRng, t: Ty) -> Value {
    match t {
        Ty::Int => Value::int([-3, 0, 1, 5, i128::MAX, i128::MIN][rng.random_range(0..6)]),
        Ty::Bool => Value::bool(rng.random_bool()),
        Ty::Bytes => Value::bytes(vec![rng.random_byte(); rng.random_range(0..40)]),
        Ty::Adt(0) => common::ints(0..rng.random_range(0..4)),
        _ => Value::cell(0, vec![Value::int(2), Value::bytes(vec![9; 3])]),
    }
}

/// Like [`arg`], with lists of up to 300 elements and Bytes of up to 300 bytes.
fn long_arg(rng: &mut TestRng, t: Ty) -> Value {
    match t {
        Ty::Bytes => Value::bytes(vec![rng.random_byte(); rng.random_range(0..300)]),
        Ty::Adt(0) => common::ints(0..rng.random_range(0..300)),
        _ => arg(rng, t),
    }
}

/// Runs the property on a thread with a large stack: the reference
/// interpreter is deliberately naive and recursive over values (vm-core
/// itself never recurses on data).
#[test]
fn generated_programs_verify_and_agree() {
    let child = std::thread::Builder::new()
        .stack_size(1 << 29)
        .spawn(|| {
            let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
                cases: 1000,
                ..ProptestConfig::default()
            });
            let result = runner.run(&any::<u64>(), |seed| {
                let mut rng = TestRng(seed);
                let m = generate(&mut rng);
                let vm = match verify(m.clone()) {
                    Ok(vm) => vm,
                    Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", disassemble(&m)))),
                };
                for e in &m.exports {
                    let f = &m.functions[e.func.0 as usize];
                    let args: Vec<Value> = f.params.iter().map(|&t| arg(&mut rng, t)).collect();
                    // Int descent from a huge argument terminates, but not soon: cap the run.
                    let (_, full) = evaluate(&vm, &e.name, &args, 100_000);
                    // The bound holds on these arguments and on longer lists.
                    let long: Vec<Value> =
                        f.params.iter().map(|&t| long_arg(&mut rng, t)).collect();
                    for args in [&args, &long] {
                        let checked = soundness::within_bound(&vm, &e.name, args, 1_000_000)
                            .map_err(|why| {
                                TestCaseError::fail(format!("{why}\n{}", disassemble(&m)))
                            })?;
                        prop_assert!(checked, "{} rejected {:?}", e.name, args);
                    }
                    for limit in [
                        100_000,
                        full,
                        full.saturating_sub(1),
                        rng.random_inclusive(full),
                    ] {
                        let fast = eval_all_modes(&vm, &e.name, &args, limit);
                        let slow = reference::run(&m, &e.name, &args, limit);
                        prop_assert_eq!(
                            fast,
                            slow,
                            "{}({:?}) limit {}\n{}",
                            e.name,
                            args,
                            limit,
                            disassemble(&m)
                        );
                    }
                }
                Ok(())
            });
            if let Err(e) = result {
                panic!("{e}");
            }
        })
        .unwrap();
    child.join().unwrap();
}
