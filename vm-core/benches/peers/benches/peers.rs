//! The kernels side by side, in one run: vm-core on the compiled kernels of
//! `kernels/*.tly` (checked and unchecked metering), wasmi with and without
//! fuel, the uplc CEK machine (kernels A–E) and native Rust. `cargo bench --manifest-path vm-core/benches/peers/Cargo.toml`.
//!
//! Every benchmark is named `<kernel>/<peer>`; uplc runs at a smaller size
//! where it would take too long (named in its id), so compare it per
//! operation (the README divides by the operation count).

use std::hint::black_box;
use std::rc::Rc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use tally_vm_peers::compiled::{self, module};
use tally_vm_peers::sizes::*;
use tally_vm_peers::{inputs, native, plutus, tally, wasm::Wasm};
use vm_core::{
    Value,
    internals::{Options, VerifiedModule, evaluate_with},
};

/// uplc sizes: one iteration must stay within about a second (uplc is
/// super-linear on lists: see `examples/uplc_scaling.rs`).
const UPLC_SUM: i64 = 200_000;
const UPLC_FIB: i64 = 20;
const UPLC_FOLD: i64 = 1_000;
const UPLC_SORT: i64 = 100;
const UPLC_LEDGER: u32 = 500;

/// A benchmark group with the settings every kernel uses.
fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g
}

/// vm-core with checked and with unchecked metering.
fn vm_pair(g: &mut BenchmarkGroup<'_, WallTime>, vm: &VerifiedModule, entry: &str, args: &[Value]) {
    for (name, opts) in [
        ("tally", Options::checked(u64::MAX)),
        ("tally-unchecked", Options::unchecked(u64::MAX)),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let o = evaluate_with(vm, entry, black_box(args), opts);
                assert!(o.result.is_ok());
                o
            })
        });
    }
}

fn peers(c: &mut Criterion) {
    let (mut fuel, mut free) = (Wasm::new(true), Wasm::new(false));

    // A: sum 1..N by Int descent.
    let sum = module(compiled::SUM);
    let mut g = group(c, "A sum");
    vm_pair(
        &mut g,
        &sum,
        "sum",
        &[Value::int(SUM.into()), Value::int(0)],
    );
    for (name, w) in [("wasmi-fuel", &mut fuel), ("wasmi", &mut free)] {
        g.bench_function(name, |b| {
            b.iter(|| w.call::<(i64, i64), i64>("sum", (black_box(SUM), 0)))
        });
    }
    let p = plutus::compile(&plutus::sum_src(UPLC_SUM));
    g.bench_function(format!("uplc n={UPLC_SUM}"), |b| b.iter(|| p.run()));
    g.bench_function("native", |b| {
        b.iter(|| native::sum(black_box(SUM.into()), 0))
    });
    g.finish();

    // B: fib(25).
    let fib = module(compiled::FIB);
    let mut g = group(c, "B fib");
    vm_pair(&mut g, &fib, "fib", &[Value::int(FIB.into())]);
    for (name, w) in [("wasmi-fuel", &mut fuel), ("wasmi", &mut free)] {
        g.bench_function(name, |b| {
            b.iter(|| w.call::<i64, i64>("fib", black_box(FIB)))
        });
    }
    let p = plutus::compile(&plutus::fib_src(UPLC_FIB));
    g.bench_function(format!("uplc n={UPLC_FIB}"), |b| b.iter(|| p.run()));
    g.bench_function("native", |b| b.iter(|| native::fib(black_box(FIB.into()))));
    g.finish();

    // C: build [1..N] and fold it.
    let fold = module(compiled::FOLD);
    let mut g = group(c, "C fold");
    vm_pair(&mut g, &fold, "range_sum", &[Value::int(FOLD.into())]);
    for (name, w) in [("wasmi-fuel", &mut fuel), ("wasmi", &mut free)] {
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<i64, i64>("range_sum", black_box(FOLD))
            })
        });
    }
    let p = plutus::compile(&plutus::fold_src(UPLC_FOLD));
    g.bench_function(format!("uplc n={UPLC_FOLD}"), |b| b.iter(|| p.run()));
    g.bench_function("native", |b| {
        b.iter(|| native::range_sum(black_box(FOLD.into())))
    });
    g.finish();

    // D: insertion sort of [N..1].
    let sort = module(compiled::SORT);
    let rev = tally::ints((1..=i128::from(SORT)).rev());
    let mut g = group(c, "D sort");
    vm_pair(&mut g, &sort, "sort", std::slice::from_ref(&rev));
    for (name, w) in [("wasmi-fuel", &mut fuel), ("wasmi", &mut free)] {
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                let l = w.call::<i64, i32>("reverse_range", black_box(SORT));
                w.call::<i32, i32>("sort", l)
            })
        });
    }
    let p = plutus::compile(&plutus::sort_src(UPLC_SORT));
    g.bench_function(format!("uplc n={UPLC_SORT}"), |b| b.iter(|| p.run()));
    let input = native::reverse_range(SORT.into());
    g.bench_function("native", |b| b.iter(|| native::sort(black_box(&input))));
    g.finish();

    // E: token transfer over a 1,000-entry ledger.
    let key = |i: u32| i.to_be_bytes().to_vec();
    let token = module(compiled::TOKEN);
    let args = [
        tally::ledger(LEDGER),
        Value::bytes(key(FROM)),
        Value::bytes(key(TO)),
        Value::int(AMOUNT.into()),
    ];
    let mut g = group(c, "E transfer");
    vm_pair(&mut g, &token, "transfer", &args);
    for (name, w) in [("wasmi-fuel", &mut fuel), ("wasmi", &mut free)] {
        let l = w.call::<i32, i32>("make_ledger", LEDGER as i32);
        let (f, t) = (
            w.call::<i32, i32>("key", FROM as i32),
            w.call::<i32, i32>("key", TO as i32),
        );
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i32, i32, i32, i32, i32, i64), i32>(
                    "transfer",
                    (black_box(l), f, 4, t, 4, AMOUNT),
                )
            })
        });
    }
    let p = plutus::compile(&plutus::transfer_src(&key(FROM), &key(TO), AMOUNT))
        .apply(&plutus::ledger(UPLC_LEDGER));
    g.bench_function(format!("uplc n={UPLC_LEDGER}"), |b| b.iter(|| p.run()));
    let l = native::ledger(LEDGER);
    let (f, t): (Rc<[u8]>, Rc<[u8]>) = (key(FROM).into(), key(TO).into());
    g.bench_function("native", |b| {
        b.iter(|| native::transfer(black_box(&l), &f, &t, AMOUNT.into()).is_ok())
    });
    g.finish();

    list_kernels(c, &mut fuel, &mut free);
    more_kernels(c, &mut fuel, &mut free);
}

// Kernels F–N (issue 18): contract-shaped code, no uplc peer. Inputs are
// built outside the timed runs; runs that allocate on wasmi first reset the
// bump pointer to just after their inputs.

/// Kernels F–I: lists of structs, trees, merges, a struct accumulator.
fn list_kernels(c: &mut Criterion, fuel: &mut Wasm, free: &mut Wasm) {
    // F: filter + map over orders, then sum.
    let os = inputs::orders(ORDERS);
    let m = module(compiled::ORDERS);
    let mut g = group(c, "F orders");
    let args = [inputs::order_values(&os), Value::int(MIN_PRICE.into())];
    vm_pair(&mut g, &m, "filled_value", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let l = w.orders(&os);
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i32, i64), i64>("filled_value", (black_box(l), MIN_PRICE))
            })
        });
    }
    let nat = native::orders(&os);
    g.bench_function("native", |b| {
        b.iter(|| native::filled_value(black_box(&nat), MIN_PRICE.into()))
    });
    g.finish();

    // G: insert + look up on a BST of 16,000 keys.
    let (keys, ops) = (inputs::bst_keys(BST_KEYS), inputs::bst_ops(BST_OPS));
    let tree = native::bst_build(&keys);
    let m = module(compiled::BST);
    let mut g = group(c, "G bst");
    let args = [inputs::tree_value(&tree), inputs::int_values(&ops)];
    vm_pair(&mut g, &m, "successors", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let k = w.ints(&keys);
        let t = w.call::<i32, i32>("bst_build", k);
        let o = w.ints(&ops);
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i32, i32), i64>("successors", (black_box(t), o))
            })
        });
    }
    g.bench_function("native", |b| {
        b.iter(|| native::successors(black_box(&tree), &ops))
    });
    g.finish();

    // H: merge two sorted lists, then sum.
    let (xs, ys) = inputs::merge_lists(MERGE);
    let m = module(compiled::MERGE);
    let mut g = group(c, "H merge");
    let args = [inputs::int_values(&xs), inputs::int_values(&ys)];
    vm_pair(&mut g, &m, "merge_sum", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let (x, y) = (w.ints(&xs), w.ints(&ys));
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i32, i32), i64>("merge_sum", (black_box(x), y))
            })
        });
    }
    let wide = |v: &[i64]| v.iter().map(|&x| i128::from(x)).collect::<Vec<_>>();
    let (nx, ny) = (wide(&xs), wide(&ys));
    g.bench_function("native", |b| {
        b.iter(|| native::merge_sum(black_box(&nx), &ny))
    });
    g.finish();

    // I: a fold with a three-field struct accumulator.
    let xs = inputs::stats_list(STATS);
    let m = module(compiled::STATS);
    let mut g = group(c, "I stats");
    vm_pair(&mut g, &m, "stats", &[inputs::int_values(&xs)]);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let l = w.ints(&xs);
        g.bench_function(name, |b| {
            b.iter(|| w.call::<i32, (i64, i64, i64)>("stats", black_box(l)))
        });
    }
    let nx = wide(&xs);
    g.bench_function("native", |b| b.iter(|| native::stats(black_box(&nx))));
    g.finish();
}

/// Kernels J–N: Bytes, arithmetic loops, a map ledger, a signature check.
fn more_kernels(c: &mut Criterion, fuel: &mut Wasm, free: &mut Wasm) {
    // J: a rolling Bytes window.
    let seed = vec![0; WIDTH];
    let m = module(compiled::WINDOW);
    let mut g = group(c, "J window");
    let args = [Value::int(WINDOW.into()), Value::bytes(seed.clone())];
    vm_pair(&mut g, &m, "window", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let s = w.bytes(&seed);
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i64, i32, i32), (i32, i32)>(
                    "window",
                    (black_box(WINDOW), s, WIDTH as i32),
                )
            })
        });
    }
    let nseed = native::Bytes::from(seed);
    g.bench_function("native", |b| {
        b.iter(|| native::window(black_box(WINDOW.into()), &nseed, WIDTH))
    });
    g.finish();

    // K: sum 2·n over 1..N.
    let m = module(compiled::SUM_DOUBLE);
    let mut g = group(c, "K sum double");
    let args = [Value::int(SUM_DOUBLE.into()), Value::int(0)];
    vm_pair(&mut g, &m, "sum_double", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        g.bench_function(name, |b| {
            b.iter(|| w.call::<(i64, i64), i64>("sum_double", (black_box(SUM_DOUBLE), 0)))
        });
    }
    g.bench_function("native", |b| {
        b.iter(|| native::sum_double(black_box(SUM_DOUBLE.into()), 0))
    });
    g.finish();

    // L: build [1..N], fold to the sum of squares.
    let m = module(compiled::SQUARES);
    let mut g = group(c, "L squares");
    vm_pair(&mut g, &m, "range_squares", &[Value::int(SQUARES.into())]);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<i64, i64>("range_squares", black_box(SQUARES))
            })
        });
    }
    g.bench_function("native", |b| {
        b.iter(|| native::range_squares(black_box(SQUARES.into())))
    });
    g.finish();

    // M: a token transfer on std::map (1,000 accounts).
    let key = |i: u32| i.to_be_bytes().to_vec();
    let m = module(compiled::MAP_TOKEN);
    let mut g = group(c, "M map transfer");
    let args = [
        inputs::map_ledger_value(MAP_LEDGER),
        Value::bytes(key(FROM)),
        Value::bytes(key(TO)),
        Value::int(AMOUNT.into()),
    ];
    vm_pair(&mut g, &m, "transfer_balance", &args);
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let l = w.call::<i32, i32>("make_map_ledger", MAP_LEDGER as i32);
        let (f, t) = (
            w.call::<i32, i32>("key", FROM as i32),
            w.call::<i32, i32>("key", TO as i32),
        );
        let hp = w.hp();
        g.bench_function(name, |b| {
            b.iter(|| {
                w.reset(hp);
                w.call::<(i32, i32, i32, i32, i32, i64), i64>(
                    "map_transfer_balance",
                    (black_box(l), f, 4, t, 4, AMOUNT),
                )
            })
        });
    }
    let l = native::map_ledger(MAP_LEDGER);
    let (f, t): (Rc<[u8]>, Rc<[u8]>) = (key(FROM).into(), key(TO).into());
    g.bench_function("native", |b| {
        b.iter(|| native::map_transfer_balance(black_box(&l), &f, &t, AMOUNT.into()))
    });
    g.finish();

    // N: an Ed25519 signature check.
    let (pk, msg, sig) = inputs::signed();
    let m = module(compiled::SIG);
    let mut g = group(c, "N signature");
    let args = [
        Value::bytes(pk.clone()),
        Value::bytes(msg.clone()),
        Value::bytes(sig.clone()),
    ];
    vm_pair(&mut g, &m, "authorised", &args);
    let len = |b: &[u8]| b.len() as i32;
    for (name, w) in [("wasmi-fuel", &mut *fuel), ("wasmi", &mut *free)] {
        let (k, mm, s) = (w.bytes(&pk), w.bytes(&msg), w.bytes(&sig));
        let a = (k, len(&pk), mm, len(&msg), s, len(&sig));
        g.bench_function(name, |b| {
            b.iter(|| {
                let ok = w.call::<(i32, i32, i32, i32, i32, i32), i32>("authorised", black_box(a));
                assert_eq!(ok, 1);
            })
        });
    }
    g.bench_function("native", |b| {
        b.iter(|| assert!(native::ed25519_verify(black_box(&pk), &msg, &sig)))
    });
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
