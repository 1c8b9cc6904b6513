//! Criterion benchmarks of the issue-3 kernels on vm-core alone
//! (sum by Int descent, naive fib, list build + fold, insertion sort).
//! The side-by-side comparison with wasmi, uplc and native Rust is the
//! separate crate in `vm-core/benches/peers` (see the README).

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vm_core::internals::*;

fn kernels(c: &mut Criterion) {
    let sum = verify(sum_module()).unwrap();
    let fib = verify(fib_module()).unwrap();
    let lists = verify(list_module()).unwrap();
    let mut g = c.benchmark_group("vm-core");
    g.sample_size(10);
    g.bench_function("A sum 1..10_000_000 (tail-recursive Int descent)", |b| {
        b.iter(|| {
            evaluate(
                &sum,
                "sum",
                &[Value::int(black_box(10_000_000)), Value::int(0)],
                u64::MAX,
            )
        })
    });
    g.bench_function("B fib(25)", |b| {
        b.iter(|| evaluate(&fib, "fib", &[Value::int(black_box(25))], u64::MAX))
    });
    g.bench_function("C build [1..100_000] and fold", |b| {
        b.iter(|| {
            evaluate(
                &lists,
                "range_sum",
                &[Value::int(black_box(100_000))],
                u64::MAX,
            )
        })
    });
    let rev = ints((1..=2000).rev());
    g.bench_function("D insertion sort of reversed 2,000", |b| {
        b.iter(|| {
            evaluate(
                &lists,
                "sort",
                std::slice::from_ref(black_box(&rev)),
                u64::MAX,
            )
        })
    });
    let token = verify(token_module()).unwrap();
    let book = ledger(1000);
    let (from, to) = (
        Value::bytes(500u32.to_be_bytes().to_vec()),
        Value::bytes(900u32.to_be_bytes().to_vec()),
    );
    let args = [book, from, to, Value::int(250)];
    g.bench_function("E token transfer over 1,000 entries", |b| {
        b.iter(|| evaluate(&token, "transfer", black_box(&args), u64::MAX))
    });
    g.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
