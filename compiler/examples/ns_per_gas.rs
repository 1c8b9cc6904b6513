//! Nanoseconds per gas unit: how well gas prices time. For every
//! instruction class, a loop whose body is that instruction repeated (the
//! loop's own branch and tail call included), and for every first-order
//! `pub fn` of the examples and the stdlib on random arguments big enough
//! to use at least 5,000 gas, the evaluation's CPU time (without loading
//! the arguments, which costs no gas) divided by the gas used (median of 3).
//!
//! `cargo run --release -p tally --example ns_per_gas [NAME]` (only the
//! workloads whose name contains `NAME`)

#[path = "../../vm-core/tests/common/mod.rs"]
mod common;
#[path = "../tests/support/entries.rs"]
mod entries;
#[path = "../tests/support/examples.rs"]
mod examples;
#[path = "../../vm-core/tests/vectors/mod.rs"]
mod vectors;

use std::time::Instant;

use entries::{Rng, arguments, subjects};
use vm_core::Value;
use vm_core::format::{
    AdtDef, AdtId, Const, Export, FuncId, Function, FunctionBuilder, Instr, ModuleBuilder, Reg, Ty,
};
use vm_core::internals::{VerifiedModule, evaluate, verify};

/// Copies of the measured instruction in one loop iteration.
const BODY: usize = 16;

/// Below this many ns per gas a call is charged for work it does not do.
const SKIPPED_WORK: f64 = 0.3;

fn main() {
    // An optional argument keeps only the workloads whose name contains it.
    let only = std::env::args().nth(1).unwrap_or_default();
    let mut rows: Vec<(String, f64)> = Vec::new();
    for (name, vm, args) in classes() {
        if !name.contains(&only) {
            continue;
        }
        if let Some(ns) = ns_per_gas(&vm, "f", &args) {
            rows.push((name, ns));
        }
    }
    let classes = rows.len();
    // Programs on arguments big enough for their gas to dominate the fixed
    // cost of a call (about 3 µs here: setting up the registers, building
    // the result), which no gas pays for: the first size with at least
    // 5,000 gas used.
    let mut rng = Rng::new(1);
    let mut skipped = Vec::new();
    for s in subjects() {
        for entry in &s.entries {
            let origin = s
                .origin
                .trim_start_matches("examples/")
                .trim_end_matches(".tly");
            if !format!("{origin}::{entry}").contains(&only) {
                continue;
            }
            let found = [1000u64, 4000, 16_000].iter().find_map(|&n| {
                let args = arguments(&s.module, entry, n, &mut rng);
                let (r, gas) = evaluate(&s.module, entry, &args, 2_000_000_000);
                (r.is_ok() && gas >= 5_000).then_some((n, args))
            });
            match found.and_then(|(n, args)| Some((n, ns_per_gas(&s.module, entry, &args)?))) {
                Some((n, ns)) => rows.push((format!("`{origin}::{entry}` (n = {n})"), ns)),
                None => skipped.push(format!("{origin}::{entry}")),
            }
        }
    }
    println!("| workload | ns per gas |");
    println!("|---|---|");
    for (name, ns) in &rows {
        println!("| {name} | {ns:.2} |");
    }
    // A call charged for work it skips (a signature check rejects random
    // bytes at once but is charged as a full check, whatever its outcome;
    // `map.from_list` of mostly equal keys) prices no unit of work: rows
    // under `SKIPPED_WORK` ns per gas are shown but not in the spread.
    let spread = |r: &[(String, f64)]| {
        let r = || r.iter().map(|x| x.1).filter(|&ns| ns >= SKIPPED_WORK);
        let lo = r().fold(f64::INFINITY, f64::min);
        let hi = r().fold(0.0, f64::max);
        (lo, hi, hi / lo)
    };
    let overcharged: Vec<&str> = rows
        .iter()
        .filter(|x| x.1 < SKIPPED_WORK)
        .map(|x| x.0.as_str())
        .collect();
    let (lo, hi, x) = spread(&rows[..classes]);
    println!("\ninstruction classes: {lo:.2} to {hi:.2} ns per gas ({x:.1}×)");
    let (lo, hi, x) = spread(&rows[classes..]);
    println!("programs: {lo:.2} to {hi:.2} ns per gas ({x:.1}×)");
    let (lo, hi, x) = spread(&rows);
    println!("all: {lo:.2} to {hi:.2} ns per gas ({x:.1}×)");
    println!(
        "charged for work they skip (under {SKIPPED_WORK} ns per gas, not in the spread): {}",
        overcharged.join(", ")
    );
    println!(
        "not timed (under 5,000 gas at every size tried): {}",
        skipped.join(", ")
    );
}

/// CPU time this thread has run, in ns (`/proc/thread-self/schedstat`), so
/// that time spent waiting for a core on a loaded machine is not counted;
/// wall-clock time where that file is missing.
fn cpu_ns(start: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| start.elapsed().as_nanos())
}

/// CPU ns of one call of `entry` with gas limit `limit`: batches of
/// doubling size until one takes 20 ms, so reading the clock (a file read)
/// costs nothing per run.
fn time(vm: &VerifiedModule, entry: &str, args: &[Value], limit: u64) -> f64 {
    let t = Instant::now();
    let mut runs = 1u64;
    loop {
        let c = cpu_ns(t);
        for _ in 0..runs {
            let _ = std::hint::black_box(evaluate(vm, entry, args, limit));
        }
        let spent = cpu_ns(t) - c;
        if spent >= 20_000_000 {
            break spent as f64 / runs as f64;
        }
        runs *= 2;
    }
}

/// Median over 3 timed runs of CPU ns / gas; `None` if the call fails or
/// uses too little gas to time. Loading the arguments costs no gas: it is
/// timed with a limit of 0 (the call stops before its first instruction)
/// and taken off. So is the host's copy of the part of the result no larger
/// than the arguments, which costs no gas either (only what the result grew
/// by is charged, `lang-spec/bytecode.md` §7): the copy of the whole result
/// is timed on an entry point that returns its argument unchanged, and the
/// share of it within the arguments' nodes taken off.
fn ns_per_gas(vm: &VerifiedModule, entry: &str, args: &[Value]) -> Option<f64> {
    let (r, gas) = evaluate(vm, entry, args, 2_000_000_000);
    let result = r.ok()?;
    if gas < 50 {
        return None;
    }
    let nodes = |v: &Value| v.nodes().len() as f64;
    let result_nodes = nodes(&result);
    let free = result_nodes.min(args.iter().map(nodes).sum());
    let hand_back = if result_nodes > 1.0 && free > 0.0 {
        hand_back_ns(vm, entry, &result)? * free / result_nodes
    } else {
        0.0
    };
    let mut samples: Vec<f64> = (0..3)
        .map(|_| {
            let run = time(vm, entry, args, 2_000_000_000) - time(vm, entry, args, 0);
            (run - hand_back).max(0.0) / gas as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    Some(samples[1])
}

/// CPU ns of handing `result` (of `entry`'s result type) back to the host:
/// `__id(x) = x` added to `vm`'s module, timed on `result` less the time of
/// loading it (a limit of 0).
fn hand_back_ns(vm: &VerifiedModule, entry: &str, result: &Value) -> Option<f64> {
    let mut m = vm.module().clone();
    let export = m.exports.iter().find(|e| e.name == entry)?;
    let ty = m.functions.get(export.func.0 as usize)?.result;
    let id = FuncId(m.functions.len() as u32);
    m.functions.push(Function {
        name: "__id".into(),
        params: vec![ty],
        result: ty,
        locals: vec![],
        code: vec![Instr::Ret { a: Reg(0) }],
    });
    m.exports.push(Export {
        name: "__id".into(),
        func: id,
    });
    m.exports.sort_by(|a, b| a.name.cmp(&b.name));
    let vm = verify(m).ok()?;
    let args = [result.clone()];
    let mut samples: Vec<f64> = (0..3)
        .map(|_| (time(&vm, "__id", &args, 1_000) - time(&vm, "__id", &args, 0)).max(0.0))
        .collect();
    samples.sort_by(f64::total_cmp);
    Some(samples[1])
}

/// The registers a loop body works on: `k` Int registers `x` (the loop's
/// extra parameters), scratch registers of the body's choosing.
type Body = dyn Fn(&mut FunctionBuilder, &mut ModuleBuilder, &[Reg]);

/// `f(n, x1..xk)`: `BODY` copies of the body, then `f(n - 1, x1..xk)`.
fn looped(k: usize, iterations: i128, extra: &[Ty], body: &Body) -> (VerifiedModule, Vec<Value>) {
    let values: Vec<(Ty, Value)> = extra
        .iter()
        .map(|&t| match t {
            Ty::Bytes => (t, Value::bytes(vec![7; 1024])),
            _ => (t, Value::unit()),
        })
        .collect();
    looped_on(k, iterations, &[], &values, body)
}

/// `looped` with the module's ADTs `adts` declared first and extra
/// parameters of the given types and values.
fn looped_on(
    k: usize,
    iterations: i128,
    adts: &[AdtDef],
    extra: &[(Ty, Value)],
    body: &Body,
) -> (VerifiedModule, Vec<Value>) {
    let mut mb = ModuleBuilder::new();
    for adt in adts {
        mb.add_adt(adt.clone());
    }
    let mut params = vec![Ty::Int; k + 1];
    params.extend(extra.iter().map(|x| x.0));
    let f = mb.declare("f", &params, Ty::Int);
    let mut b = FunctionBuilder::new(&params);
    let n = b.param(0);
    let m = b.reg(Ty::Int);
    let done = b.label();
    common::br_imm(&mut b, common::Cmp::Le, n, 0, done);
    let regs: Vec<Reg> = (1..params.len() as u32).map(|i| b.param(i)).collect();
    for _ in 0..BODY {
        body(&mut b, &mut mb, &regs);
    }
    b.emit(Instr::AddI { d: m, a: n, k: -1 });
    let args = std::iter::once(m).chain(regs.iter().copied()).collect();
    b.emit(Instr::TailCall { f, args });
    b.bind(done);
    b.emit(Instr::Ret { a: n });
    mb.define(f, b).expect("define");
    mb.export("f", f);
    let vm = verify(mb.finish().expect("module")).expect("verifies");
    let mut values = vec![Value::int(iterations)];
    values.extend((0..k).map(|i| Value::int(i as i128 + 3)));
    values.extend(extra.iter().map(|x| x.1.clone()));
    (vm, values)
}

/// Builds a three-register instruction `d = a op b`.
type MakeOp = fn(Reg, Reg, Reg) -> Instr;

/// A three-operand Int instruction on the first two extra registers.
fn int_op(ty: Ty, make: MakeOp) -> Box<Body> {
    Box::new(move |b, _, x| {
        let d = b.reg(ty);
        b.emit(make(d, x[0], x[1]));
    })
}

/// One module per instruction class.
fn classes() -> Vec<(String, VerifiedModule, Vec<Value>)> {
    let mut out = Vec::new();
    let mut add = |name: &str, (vm, args): (VerifiedModule, Vec<Value>)| {
        out.push((name.to_string(), vm, args));
    };
    let int_ops: [(&str, Ty, MakeOp); 5] = [
        ("add", Ty::Int, |d, a, b| Instr::Add { d, a, b }),
        ("mul", Ty::Int, |d, a, b| Instr::Mul { d, a, b }),
        ("div", Ty::Int, |d, a, b| Instr::Div { d, a, b }),
        ("lt", Ty::Bool, |d, a, b| Instr::Lt { d, a, b }),
        ("eq` on Int", Ty::Bool, |d, a, b| Instr::Eq { d, a, b }),
    ];
    for (name, ty, make) in int_ops {
        let label = match name.strip_suffix("` on Int") {
            Some(op) => format!("`{op}` on Int ×16"),
            None => format!("`{name}` ×16"),
        };
        add(&label, looped(2, 20_000, &[], &int_op(ty, make)));
    }
    add(
        "`mov` ×16",
        looped(2, 20_000, &[], &|b, _, x| {
            let d = b.reg(Ty::Int);
            b.emit(Instr::Mov { d, s: x[0] });
        }),
    );
    add(
        "`const` ×16",
        looped(2, 20_000, &[], &|b, mb, _| {
            let k = mb.constant(Const::Int(1 << 70));
            let d = b.reg(Ty::Int);
            b.emit(Instr::Const { d, k });
        }),
    );
    add(
        "`con` of 2 fields ×16",
        looped(2, 20_000, &[], &|b, mb, x| {
            let t = mb.next_adt();
            let t = if t.0 == 0 {
                mb.add_list("List<Int>", Ty::Int)
            } else {
                AdtId(0)
            };
            let nil = b.reg(Ty::Adt(t.0));
            let d = b.reg(Ty::Adt(t.0));
            b.emit(Instr::Con {
                d: nil,
                t,
                v: 0,
                fields: vec![],
            });
            b.emit(Instr::Con {
                d,
                t,
                v: 1,
                fields: vec![x[0], nil],
            });
        }),
    );
    add(
        "`bytes.concat` of 1 KiB ×16",
        looped(0, 200, &[Ty::Bytes], &|b, _, x| {
            let d = b.reg(Ty::Bytes);
            b.emit(Instr::BConcat {
                d,
                a: x[0],
                b: x[0],
            });
        }),
    );
    add(
        "`eq` on 1 KiB Bytes ×16",
        looped(0, 20_000, &[Ty::Bytes], &|b, _, x| {
            let d = b.reg(Ty::Bool);
            b.emit(Instr::Eq {
                d,
                a: x[0],
                b: x[0],
            });
        }),
    );
    add(
        "`sha256` of 1 KiB ×16",
        looped(0, 200, &[Ty::Bytes], &|b, _, x| {
            let d = b.reg(Ty::Bytes);
            b.emit(Instr::Sha256 { d, a: x[0] });
        }),
    );
    type Hash = fn(Reg, Reg) -> Instr;
    let hashes: [(&str, Hash); 4] = [
        ("sha256", |d, a| Instr::Sha256 { d, a }),
        ("blake2b_256", |d, a| Instr::Blake2b256 { d, a }),
        ("keccak256", |d, a| Instr::Keccak256 { d, a }),
        ("sha3_256", |d, a| Instr::Sha3_256 { d, a }),
    ];
    for (name, make) in hashes {
        for len in [32usize, 1024] {
            if name == "sha256" && len == 1024 {
                continue; // measured above
            }
            add(
                &format!("`{name}` of {len} B ×16"),
                looped_on(
                    0,
                    200,
                    &[],
                    &[(Ty::Bytes, Value::bytes(vec![7; len]))],
                    &move |b, _, x| {
                        let d = b.reg(Ty::Bytes);
                        b.emit(make(d, x[0]));
                    },
                ),
            );
        }
    }
    type Verify = fn(Reg, Reg, Reg, Reg) -> Instr;
    let schemes: [(&str, vectors::Scheme, Verify); 3] = [
        ("ed25519.verify", vectors::Scheme::Ed25519, |d, k, m, s| {
            Instr::Ed25519Verify { d, k, m, s }
        }),
        ("schnorr.verify", vectors::Scheme::Schnorr, |d, k, m, s| {
            Instr::SchnorrVerify { d, k, m, s }
        }),
        ("ecdsa.verify", vectors::Scheme::Ecdsa, |d, k, m, s| {
            Instr::EcdsaVerify { d, k, m, s }
        }),
    ];
    let signatures = vectors::all_signatures();
    for (name, scheme, make) in schemes {
        // A valid signature of a short message: the slowest path.
        let Some(v) = signatures
            .iter()
            .find(|v| v.scheme == scheme && v.valid && v.msg.len() <= 32)
        else {
            continue;
        };
        let bytes = |b: &[u8]| (Ty::Bytes, Value::bytes(b.to_vec()));
        add(
            &format!("`{name}` of a {} B message ×16", v.msg.len()),
            looped_on(
                0,
                2,
                &[],
                &[bytes(&v.key), bytes(&v.msg), bytes(&v.sig)],
                &move |b, _, x| {
                    let d = b.reg(Ty::Bool);
                    b.emit(make(d, x[0], x[1], x[2]));
                },
            ),
        );
    }
    for (name, n, body) in map_classes() {
        let adts = map_adts();
        let map = Value::map((0..n).map(|i| (Value::int(2 * i), Value::int(i)))).expect("map");
        let list = Value::list((0..n).map(|i| Value::cell(0, vec![Value::int(i), Value::int(i)])));
        add(
            &format!("`{name}` (n = {n}) ×16"),
            looped_on(
                2,
                // Few enough iterations that the heap the loop allocates
                // stays within the buffers kept between evaluations
                // (vm-core's spare.rs, 32 MiB): faulting in fresh pages is
                // memory growth, priced by the memory bound, not by gas.
                if n > 100 { 20 } else { 1_000 },
                &adts,
                &[(Ty::Adt(0), map), (Ty::Adt(3), list)],
                &body,
            ),
        );
    }
    add(
        "`ret` of a 4,000-element list (building the host's result)",
        returned(
            AdtDef::list("List<Int>", Ty::Int, 0),
            Value::list((0..4000).map(Value::int)),
        ),
    );
    add(
        "`ret` of a 4,000-element list of 64-byte Bytes",
        returned(
            AdtDef::list("List<Bytes>", Ty::Bytes, 0),
            Value::list((0..4000).map(|i| Value::bytes(vec![i as u8; 64]))),
        ),
    );
    add(
        "`ret` of a tree of 2^17 nodes grown from 16 shared cells (the result's growth)",
        grown(16),
    );
    for k in [1usize, 16, 255] {
        add(
            &format!("`call` of {k} arguments (recursion 1,000 deep)"),
            calls(k),
        );
    }
    for k in [1usize, 2, 16, 254] {
        add(
            &format!("`tailcall` of {} arguments (loop only)", k + 1),
            looped(k, 20_000, &[], &|_, _, _| {}),
        );
    }
    out
}

/// The ADTs of the map classes: `Map<Int, Int>` (0), `Option<Int>` (1),
/// `(Int, Int)` (2) and `List<(Int, Int)>` (3).
fn map_adts() -> Vec<AdtDef> {
    vec![
        AdtDef::map("Map<Int, Int>", Ty::Int, Ty::Int),
        AdtDef::enumeration("Option<Int>", &[("None", &[]), ("Some", &[Ty::Int])]),
        AdtDef::tuple("(Int, Int)", &[Ty::Int, Ty::Int]),
        AdtDef::list("List<(Int, Int)>", Ty::Adt(2), 3),
    ]
}

/// The map instructions on a map `x[2]` of `n` entries (even keys), an Int
/// key `x[0]` (odd: absent) and a list `x[3]` of `n` pairs.
fn map_classes() -> Vec<(&'static str, i128, Box<Body>)> {
    let mut out: Vec<(&'static str, i128, Box<Body>)> = Vec::new();
    for n in [16i128, 1024] {
        out.push((
            "map.get",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Adt(1));
                b.emit(Instr::MapGet {
                    d,
                    m: x[2],
                    k: x[1],
                    t: AdtId(1),
                });
            }),
        ));
        out.push((
            "map.contains",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Bool);
                b.emit(Instr::MapContains {
                    d,
                    m: x[2],
                    k: x[0],
                });
            }),
        ));
        out.push((
            "map.insert",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Adt(0));
                b.emit(Instr::MapInsert {
                    d,
                    m: x[2],
                    k: x[0],
                    v: x[1],
                });
            }),
        ));
        out.push((
            "map.remove",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Adt(0));
                b.emit(Instr::MapRemove {
                    d,
                    m: x[2],
                    k: x[1],
                });
            }),
        ));
    }
    out.push((
        "map.size",
        16,
        Box::new(|b, _, x| {
            let d = b.reg(Ty::Int);
            b.emit(Instr::MapSize { d, m: x[2] });
        }),
    ));
    out.push((
        "map.empty",
        16,
        Box::new(|b, _, _| {
            let d = b.reg(Ty::Adt(0));
            b.emit(Instr::MapEmpty { d, t: AdtId(0) });
        }),
    ));
    for n in [16i128, 1024] {
        out.push((
            "map.to_list",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Adt(3));
                b.emit(Instr::MapToList {
                    d,
                    m: x[2],
                    t: AdtId(3),
                });
            }),
        ));
        out.push((
            "map.from_list",
            n,
            Box::new(|b, _, x| {
                let d = b.reg(Ty::Adt(0));
                b.emit(Instr::MapFromList {
                    d,
                    l: x[3],
                    t: AdtId(0),
                });
            }),
        ));
    }
    out
}

/// `f(x) = x` on `x` of the one ADT `adt`: the cost of building the host's
/// result.
fn returned(adt: AdtDef, x: Value) -> (VerifiedModule, Vec<Value>) {
    let mut mb = ModuleBuilder::new();
    let t = Ty::Adt(mb.add_adt(adt).0);
    let f = mb.declare("f", &[t], t);
    let mut b = FunctionBuilder::new(&[t]);
    let p = b.param(0);
    b.emit(Instr::Ret { a: p });
    mb.define(f, b).expect("define");
    mb.export("f", f);
    (
        verify(mb.finish().expect("module")).expect("verifies"),
        vec![x],
    )
}

/// `common::grow_module` on `(n, Leaf)`: `n` cells behind a result of
/// `2^(n+1) − 1` nodes, nearly all of its gas the final `ret`'s charge for
/// the result's growth.
fn grown(n: i128) -> (VerifiedModule, Vec<Value>) {
    (
        verify(common::grow_module("f")).expect("verifies"),
        vec![Value::int(n), Value::cell(0, vec![])],
    )
}

/// A non-tail `call` of `k` arguments per level (a frame each), 1,000 deep.
fn calls(k: usize) -> (VerifiedModule, Vec<Value>) {
    let vm = verify(common::countdown(k as u32, false)).expect("verifies");
    let args = std::iter::once(Value::int(1_000))
        .chain((1..k).map(|_| Value::int(0)))
        .collect();
    (vm, args)
}
