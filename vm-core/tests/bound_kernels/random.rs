//! Random straight-line-and-branch programs over the kernels: a `main`
//! that builds lists and Bytes, compares them, and calls the recursive
//! kernels on what it built, so callee bounds are composed on grown
//! arguments. Deterministic from a seed.

use vm_core::format::*;

use super::{LIST, kernels_with};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Gen<'a> {
    rng: Rng,
    f: FunctionBuilder,
    ints: Vec<Reg>,
    lists: Vec<Reg>,
    bytes: Vec<Reg>,
    bools: Vec<Reg>,
    k: &'a dyn Fn(&str) -> FuncId,
}

impl Gen<'_> {
    fn pick(&mut self, which: u8) -> Reg {
        let v = match which {
            0 => &self.ints,
            1 => &self.lists,
            2 => &self.bytes,
            _ => &self.bools,
        };
        let i = (self.rng.next() % v.len() as u64) as usize;
        v[i]
    }

    fn step(&mut self, depth: u32) {
        let k = self.k;
        match self.rng.below(12) {
            0 => {
                let (h, t, d) = (self.pick(0), self.pick(1), self.f.reg(LIST));
                self.f.emit(Instr::Con {
                    d,
                    t: AdtId(0),
                    v: 1,
                    fields: vec![h, t],
                });
                self.lists.push(d);
            }
            1 | 2 => {
                let name =
                    ["append", "reverse_onto", "inc_all", "sort", "insert"][self.rng.below(5)];
                let args = match name {
                    "append" | "reverse_onto" => vec![self.pick(1), self.pick(1)],
                    "insert" => vec![self.pick(0), self.pick(1)],
                    _ => vec![self.pick(1)],
                };
                let d = self.f.reg(LIST);
                self.f.emit(Instr::Call {
                    d,
                    f: k(name),
                    args,
                });
                self.lists.push(d);
            }
            3 => {
                let name = ["length", "sum"][self.rng.below(2)];
                let (a, d) = (self.pick(1), self.f.reg(Ty::Int));
                self.f.emit(Instr::Call {
                    d,
                    f: k(name),
                    args: vec![a],
                });
                self.ints.push(d);
            }
            4 => {
                let (a, b, d) = (self.pick(2), self.pick(2), self.f.reg(Ty::Bytes));
                self.f.emit(Instr::BConcat { d, a, b });
                self.bytes.push(d);
            }
            5 => {
                // A hash, or (one time in five) a signature check.
                let a = self.pick(2);
                let which = self.rng.below(5);
                if which == 4 {
                    let (m, s, d) = (self.pick(2), self.pick(2), self.f.reg(Ty::Bool));
                    self.f.emit(match self.rng.below(3) {
                        0 => Instr::Ed25519Verify { d, k: a, m, s },
                        1 => Instr::SchnorrVerify { d, k: a, m, s },
                        _ => Instr::EcdsaVerify { d, k: a, m, s },
                    });
                    self.bools.push(d);
                } else {
                    let d = self.f.reg(Ty::Bytes);
                    self.f.emit(match which {
                        0 => Instr::Sha256 { d, a },
                        1 => Instr::Blake2b256 { d, a },
                        2 => Instr::Keccak256 { d, a },
                        _ => Instr::Sha3_256 { d, a },
                    });
                    self.bytes.push(d);
                }
            }
            6 => {
                let which = self.rng.below(3) as u8;
                let (a, b, d) = (self.pick(which), self.pick(which), self.f.reg(Ty::Bool));
                self.f.emit(Instr::Eq { d, a, b });
                self.bools.push(d);
            }
            7 => {
                let (a, d) = (self.pick(2), self.f.reg(Ty::Int));
                self.f.emit(Instr::BLen { d, a });
                self.ints.push(d);
            }
            8 => {
                let (a, b, d) = (self.pick(0), self.pick(0), self.f.reg(Ty::Int));
                self.f.emit(Instr::Add { d, a, b });
                self.ints.push(d);
            }
            9 if depth < 2 => {
                // if c { ...steps... }: values made inside are not used after.
                let c = self.pick(3);
                let skip = self.f.label();
                self.f.emit_to(Instr::BrIf { c, t: Jump(0) }, &[skip]);
                let saved = (
                    self.ints.len(),
                    self.lists.len(),
                    self.bytes.len(),
                    self.bools.len(),
                );
                for _ in 0..1 + self.rng.below(5) {
                    self.step(depth + 1);
                }
                self.ints.truncate(saved.0);
                self.lists.truncate(saved.1);
                self.bytes.truncate(saved.2);
                self.bools.truncate(saved.3);
                self.f.bind(skip);
            }
            10 => {
                // A small Int descent on the Int parameter (0..=40).
                let d = self.f.reg(Ty::Int);
                self.f.emit(Instr::Call {
                    d,
                    f: k("sum_to"),
                    args: vec![Reg(3)],
                });
                self.ints.push(d);
            }
            _ => {
                let (a, d) = (self.pick(1), self.f.reg(Ty::Int));
                let g = if self.rng.below(2) == 0 {
                    "length"
                } else {
                    "sum"
                };
                self.f.emit(Instr::Call {
                    d,
                    f: k(g),
                    args: vec![a],
                });
                self.ints.push(d);
            }
        }
    }
}

/// Parameters of `main`: `(xs: List<Int>, ys: List<Int>, b: Bytes, n: Int)`.
pub const MAIN_PARAMS: [Ty; 4] = [LIST, LIST, Ty::Bytes, Ty::Int];

/// The kernels plus an exported `main` generated from `seed`.
pub fn random_module(seed: u64) -> Module {
    with_mains(seed, 1)
}

/// The kernels plus `count` exported functions generated from `seed`
/// (`main`, `main1`, `main2`, …): a large module for the verifier
/// benchmarks.
pub fn with_mains(seed: u64, count: usize) -> Module {
    kernels_with(|mb, ids| {
        let ids: Vec<(String, FuncId)> = ids.iter().map(|(n, i)| (n.to_string(), *i)).collect();
        let k = |name: &str| {
            ids.iter()
                .find(|(n, _)| n == name)
                .map(|(_, i)| *i)
                .unwrap()
        };
        for i in 0..count {
            let name = if i == 0 {
                "main".to_string()
            } else {
                format!("main{i}")
            };
            let main = mb.declare(&name, &MAIN_PARAMS, Ty::Int);
            let mut g = Gen {
                rng: Rng(seed.wrapping_add(i as u64)),
                f: FunctionBuilder::new(&MAIN_PARAMS),
                ints: vec![Reg(3)],
                lists: vec![Reg(0), Reg(1)],
                bytes: vec![Reg(2)],
                bools: vec![],
                k: &k,
            };
            let t = g.f.reg(Ty::Bool);
            g.f.emit(Instr::Bool { d: t, v: true });
            g.bools.push(t);
            for _ in 0..1 + g.rng.below(25) {
                g.step(0);
            }
            let (a, d) = (g.pick(1), g.f.reg(Ty::Int));
            g.f.emit(Instr::Call {
                d,
                f: k("length"),
                args: vec![a],
            });
            g.f.emit(Instr::Ret { a: d });
            mb.define(main, g.f).unwrap();
            mb.export(&name, main);
        }
    })
}
