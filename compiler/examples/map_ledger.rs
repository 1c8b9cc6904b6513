//! The ledger benchmark of the README ("Maps"): `examples/map_ledger.tly`'s
//! `transfer` (two lookups, two inserts) on maps of 10, 1,000 and
//! 1,000,000 accounts with 20-byte addresses: gas used, static bound, and
//! the wall-clock time of one call (median of 5) of `transfer_balance`
//! (the transfer, then a lookup: no map copied out of the VM as a result),
//! next to the time of `count` (loading the ledger argument, then `size`).
//!
//! `cargo run --release -p tally --example map_ledger`

use std::time::Instant;

use tally::db::Database;
use vm_core::{Value, internals::evaluate_with_stats};

fn address(i: u64) -> Vec<u8> {
    let mut a = vec![0xab; 12];
    a.extend_from_slice(&i.to_be_bytes());
    a
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/map_ledger.tly");
    let text = std::fs::read_to_string(path).expect("the example");
    let db = Database::new();
    let file = db.add_file("map_ledger.tly".to_string(), text);
    let options = tally::codegen::Options {
        tests: false,
        instances: vec![],
    };
    let program = tally::codegen::compile(&db, file, &options).expect("compiles");
    let vm = vm_core::internals::verify(program.module).expect("verifies");
    println!(
        "| accounts | gas used | gas bound | used/bound | `transfer_balance` (median of 5) | `count` (loading the ledger) |"
    );
    println!("|---|---|---|---|---|---|");
    for n in [10u64, 1_000, 1_000_000] {
        let ledger =
            Value::map((0..n).map(|i| (Value::bytes(address(i)), Value::int(100)))).expect("a map");
        let args = [
            ledger,
            Value::bytes(address(n / 2)),
            Value::bytes(address(n + 7)),
            Value::int(40),
        ];
        let bound = vm_core::internals::bound(&vm, "transfer", &args).expect("a bound");
        let mut times = Vec::new();
        let mut loads = Vec::new();
        let mut used = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let (r, _, _) = evaluate_with_stats(&vm, "transfer_balance", &args, u64::MAX);
            times.push(t.elapsed());
            assert_eq!(r, Ok(Value::cell(1, vec![Value::int(40)])));
            let (r, g, _) = evaluate_with_stats(&vm, "transfer", &args, bound.gas);
            assert!(r.is_ok());
            used = g;
            let t = Instant::now();
            let _ = evaluate_with_stats(&vm, "count", &args[..1], u64::MAX);
            loads.push(t.elapsed());
        }
        times.sort();
        loads.sort();
        println!(
            "| {n} | {used} | {} | {:.2} | {:?} | {:?} |",
            bound.gas,
            used as f64 / bound.gas as f64,
            times[2],
            loads[2]
        );
    }
}
