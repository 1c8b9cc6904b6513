//! Runs one kernel once (for `perf stat`/profiling): `cargo run --release --example kernel -- sum 10000000`.
//! The hand-assembled kernels of `tests/common` by default; the compiled
//! kernels of the peer benchmark (`benches/peers/kernels/*.tbc`, what the
//! benchmark runs) with a `.tbc` suffix: `-- fold.tbc 100000`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("sum");
    let n: i128 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let compiled = |name: &str| {
        let path = format!(
            "{}/benches/peers/kernels/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        verify(Module::decode(&std::fs::read(path).unwrap()).unwrap()).unwrap()
    };
    let (r, gas) = match which {
        "sum.tbc" => evaluate(
            &compiled(which),
            "sum",
            &[Value::int(n), Value::int(0)],
            u64::MAX,
        ),
        "fib.tbc" => evaluate(&compiled(which), "fib", &[Value::int(n)], u64::MAX),
        "fold.tbc" => evaluate(&compiled(which), "range_sum", &[Value::int(n)], u64::MAX),
        "sort.tbc" => evaluate(&compiled(which), "sort", &[ints((1..=n).rev())], u64::MAX),
        "fib" => evaluate(
            &verify(fib_module()).unwrap(),
            "fib",
            &[Value::int(n)],
            u64::MAX,
        ),
        "fold" => evaluate(
            &verify(list_module()).unwrap(),
            "range_sum",
            &[Value::int(n)],
            u64::MAX,
        ),
        "token" => {
            let from = Value::bytes(500u32.to_be_bytes().to_vec());
            let to = Value::bytes(900u32.to_be_bytes().to_vec());
            let vm = verify(token_module()).unwrap();
            evaluate(
                &vm,
                "transfer",
                &[ledger(n as u32), from, to, Value::int(250)],
                u64::MAX,
            )
        }
        "sort" => evaluate(
            &verify(list_module()).unwrap(),
            "sort",
            &[ints((1..=n).rev())],
            u64::MAX,
        ),
        _ => evaluate(
            &verify(sum_module()).unwrap(),
            "sum",
            &[Value::int(n), Value::int(0)],
            u64::MAX,
        ),
    };
    println!(
        "{:?} gas {gas}",
        r.map(|v| v.cells()).map_err(|e| e.to_string())
    );
}
