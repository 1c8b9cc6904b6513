//! Shared by the soundness test and the tightness report: every first-order
//! `pub fn` of the examples and the stdlib as a runnable entry point
//! (generic ones instantiated at `Int`), and random arguments of a given
//! size for any VM type.

#![allow(dead_code)]

use tally::codegen::{Options, compile};
use tally::db::{Database, SourceFile};
use tally::types::signatures::signatures;
use tally::types::{ItemSig, Ty as SrcTy};
use vm_core::{AdtKind, Ty, Value, internals::VerifiedModule};

/// One compiled module and the entry points to exercise in it.
pub struct Subject {
    /// Where it comes from (`examples/lists.tly`, `std::list`).
    pub origin: String,
    /// The verified module.
    pub module: VerifiedModule,
    /// Export names of its entry points.
    pub entries: Vec<String>,
}

/// The examples and the stdlib modules, compiled with every first-order
/// `pub fn` exported.
pub fn subjects() -> Vec<Subject> {
    let db = Database::new();
    let mut files: Vec<(String, SourceFile)> = Vec::new();
    for (p, text) in super::examples::examples() {
        let name = format!(
            "examples/{}",
            p.file_name().unwrap_or_default().to_string_lossy()
        );
        files.push((name.clone(), db.add_file(name, text)));
    }
    // Test programs for constructs the examples do not use (yet):
    // tests/data/*.tly, and the contract-shaped programs of the tightness
    // report, tests/data/contracts/*.tly.
    for folder in ["tests/data", "tests/data/contracts"] {
        let dir = format!("{}/{folder}", env!("CARGO_MANIFEST_DIR"));
        let mut programs: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
            .expect("the test data directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tly"))
            .collect();
        programs.sort();
        for path in programs {
            let text = std::fs::read_to_string(&path).expect("readable test program");
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let origin = format!("{folder}/{name}");
            files.push((origin.clone(), db.add_file(origin, text)));
        }
    }
    for (name, file) in db.std_files() {
        files.push((format!("std::{name}"), file));
    }
    files
        .into_iter()
        .filter_map(|(origin, file)| subject(&db, origin, file))
        .collect()
}

fn subject(db: &Database, origin: String, file: SourceFile) -> Option<Subject> {
    let sigs = signatures(db, file);
    let instances: Vec<(String, Vec<SrcTy>)> = sigs
        .items
        .iter()
        .filter_map(|item| match item {
            ItemSig::Fn(f)
                if f.is_pub
                    && !f.generics.is_empty()
                    && !f.params.iter().any(|(_, t)| matches!(t, SrcTy::Fn { .. })) =>
            {
                Some((f.name.clone(), vec![SrcTy::Int; f.generics.len()]))
            }
            _ => None,
        })
        .collect();
    let options = Options {
        tests: false,
        instances,
    };
    let program = compile(db, file, &options).unwrap_or_else(|d| {
        panic!(
            "{origin}: {:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    if program.entries.is_empty() {
        return None;
    }
    let module =
        vm_core::internals::verify(program.module).unwrap_or_else(|e| panic!("{origin}: {e}"));
    Some(Subject {
        origin,
        entries: program.entries.iter().map(|e| e.export.clone()).collect(),
        module,
    })
}

/// A small deterministic random source (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    /// 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..=n`.
    pub fn upto(&mut self, n: u64) -> u64 {
        self.next() % (n + 1)
    }
}

/// Random arguments for export `entry`, each of size about `size`: lists of
/// up to `size` elements, Bytes of up to `size` bytes, Ints up to `size`
/// (sometimes negative), trees of up to `size` constructors.
pub fn arguments(vm: &VerifiedModule, entry: &str, size: u64, rng: &mut Rng) -> Vec<Value> {
    let m = vm.module();
    let export = m.exports.iter().find(|e| e.name == entry).expect("export");
    let f = &m.functions[export.func.0 as usize];
    f.params
        .iter()
        .map(|&t| value(t, m, size, rng, 0))
        .collect()
}

/// A random value of type `ty` with about `budget` constructors.
pub fn value(ty: Ty, m: &vm_core::format::Module, budget: u64, rng: &mut Rng, depth: u32) -> Value {
    match ty {
        Ty::Unit => Value::unit(),
        Ty::Bool => Value::bool(rng.next().is_multiple_of(2)),
        Ty::Int => match rng.upto(9) {
            0 => Value::int(-(rng.upto(budget) as i128)),
            1 => Value::int(rng.upto(3) as i128),
            _ => Value::int(rng.upto(budget) as i128),
        },
        Ty::Bytes => {
            let n = rng.upto(budget.min(4096));
            Value::bytes((0..n).map(|_| (rng.upto(3)) as u8).collect::<Vec<u8>>())
        }
        Ty::Adt(i) => {
            let adt = &m.adts[i as usize];
            if let Some((kt, vt)) = adt.map_types() {
                let n = rng.upto(budget);
                let inner = if depth > 2 {
                    1
                } else {
                    (budget / (n + 1)).clamp(1, 8)
                };
                let spread = 4 * n + 4;
                let entries: Vec<(Value, Value)> = (0..n)
                    .map(|_| {
                        let k = match kt {
                            Ty::Bytes => {
                                let len = rng.upto(40);
                                Value::bytes(
                                    (0..len).map(|_| rng.upto(3) as u8).collect::<Vec<u8>>(),
                                )
                            }
                            _ => Value::int(rng.upto(spread) as i128 - (spread / 4) as i128),
                        };
                        (k, value(vt, m, inner, rng, depth + 1))
                    })
                    .collect();
                return Value::map(entries).expect("Int or Bytes keys");
            }
            if adt.kind == AdtKind::List {
                let elem = adt.variants[1].fields[0].ty;
                let n = rng.upto(budget);
                let inner = if depth > 2 {
                    1
                } else {
                    (budget / (n + 1)).clamp(1, 8)
                };
                return Value::list((0..n).map(|_| value(elem, m, inner, rng, depth + 1)));
            }
            let recursive = |v: &vm_core::VariantDef| v.fields.iter().any(|f| f.ty == ty);
            let candidates: Vec<usize> = (0..adt.variants.len())
                .filter(|&k| {
                    budget > 1 || !recursive(&adt.variants[k]) || adt.variants.iter().all(recursive)
                })
                .collect();
            let k = candidates[(rng.next() % candidates.len() as u64) as usize];
            let fields = &adt.variants[k].fields;
            let share = (budget.saturating_sub(1)) / (fields.len() as u64).max(1);
            Value::cell(
                k as u32,
                fields
                    .iter()
                    .map(|f| {
                        let b = if f.ty == ty {
                            rng.upto(share.max(1))
                        } else {
                            share.min(8)
                        };
                        value(f.ty, m, b, rng, depth + 1)
                    })
                    .collect(),
            )
        }
    }
}
