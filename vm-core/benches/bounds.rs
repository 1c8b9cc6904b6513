//! Criterion benchmarks of the static bounds (`lang-spec/bounds.md`
//! "Performance"): `vm_core::internals::bound` for a concrete call at growing argument
//! sizes (a fixed cost plus a slope per argument node), and the throughput
//! of `verify` (which includes the bound analysis) on large generated
//! modules.

#[path = "../tests/bound_kernels/mod.rs"]
mod bound_kernels;
#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use vm_core::internals::*;

/// Argument sizes (list elements) of the `bound()` benchmarks.
const SIZES: [usize; 5] = [0, 10, 100, 1000, 10_000];

/// `bound()` on insertion sort, a ledger transfer and a tree sum.
fn bound_for_a_call(c: &mut Criterion) {
    let kernels = verify(bound_kernels::kernels()).unwrap();
    let token = verify(common::token_module()).unwrap();
    let mut g = c.benchmark_group("bound");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let xs = [bound_kernels::int_list(n, 7)];
        let nodes: usize = xs.iter().map(|a| a.nodes().len()).sum();
        g.throughput(Throughput::Elements(nodes as u64));
        g.bench_with_input(BenchmarkId::new("insertion_sort", n), &xs, |b, a| {
            b.iter(|| bound(&kernels, "sort", black_box(a)))
        });
        let args = [
            common::ledger(n as u32),
            Value::bytes(1u32.to_be_bytes().to_vec()),
            Value::bytes(2u32.to_be_bytes().to_vec()),
            Value::int(5),
        ];
        let nodes: usize = args.iter().map(|a| a.nodes().len()).sum();
        g.throughput(Throughput::Elements(nodes as u64));
        g.bench_with_input(BenchmarkId::new("transfer", n), &args, |b, a| {
            b.iter(|| bound(&token, "transfer", black_box(a)))
        });
    }
    g.finish();
}

/// `verify` (decoding excluded; the bound analysis included) on modules of
/// about 10k, 100k and 1M instructions: the issue-4 kernels plus many
/// generated functions that build lists and Bytes and call the kernels.
fn verify_large_modules(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    for functions in [500usize, 5_000, 50_000] {
        let m = bound_kernels::random::with_mains(11, functions);
        let instrs: usize = m.functions.iter().map(|f| f.code.len()).sum();
        let bytes = m.encode().len();
        eprintln!("verify: {functions} functions, {instrs} instructions, {bytes} bytes encoded");
        g.throughput(Throughput::Elements(instrs as u64));
        g.bench_with_input(BenchmarkId::new("instructions", instrs), &m, |b, m| {
            b.iter_batched(
                || m.clone(),
                |m| verify(m).map(|_| ()),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bound_for_a_call, verify_large_modules);
criterion_main!(benches);
