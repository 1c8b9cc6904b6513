//! The bound is a promise for maps too: every map operation of
//! `examples/map_ledger.tly` (empty, singleton, get, insert, remove,
//! contains, size, from_list, to_list, keys, values, fold, map_values,
//! filter, union_with, equality; Int and Bytes keys), on random maps of
//! 0..10,000 entries, in every metering mode, uses at most its static gas
//! bound and allocates at most its memory bound; so does the signed
//! transfer of `examples/token.tly` (Ed25519 check, `?`, checked u64
//! arithmetic) on ledgers of 0..10,000 accounts, on its success path and
//! its failures; and a ledger transfer's gas grows logarithmically.

#[path = "support/entries.rs"]
mod entries;
#[path = "support/examples.rs"]
mod examples;

use entries::{Rng, value};
use tally::db::Database;
use vm_core::internals::{Metering, Options, VerifiedModule, evaluate_with};
use vm_core::{Trap, Value};

fn ledger() -> VerifiedModule {
    example("map_ledger")
}

/// `examples/NAME.tly`, compiled (without its tests) and verified.
fn example(name: &str) -> VerifiedModule {
    let path = format!("{}/../examples/{name}.tly", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("the example");
    let db = Database::new();
    let file = db.add_file(format!("{name}.tly"), text);
    let options = tally::codegen::Options {
        tests: false,
        instances: vec![],
    };
    let program = tally::codegen::compile(&db, file, &options).expect("compiles");
    vm_core::internals::verify(program.module).expect("verifies")
}

/// Runs `entry` on `args` in every metering mode with its bound as the
/// limit; returns the gas used.
fn check(vm: &VerifiedModule, entry: &str, args: &[Value]) -> u64 {
    let b = vm_core::internals::bound(vm, entry, args).expect("a bound");
    let mut used = None;
    for metering in [
        Metering::Checked,
        Metering::Unchecked,
        Metering::PerInstruction,
    ] {
        let o = evaluate_with(
            vm,
            entry,
            args,
            Options {
                gas_limit: b.gas,
                metering,
            },
        );
        assert!(
            !matches!(o.result, Err(Trap::OutOfGas)) && o.gas_used <= b.gas,
            "{entry}: used {} gas, bound {} ({metering:?})",
            o.gas_used,
            b.gas
        );
        assert!(
            o.stats.allocated_bytes <= b.memory,
            "{entry}: allocated {} bytes, bound {}",
            o.stats.allocated_bytes,
            b.memory
        );
        assert!(used.is_none_or(|u| u == o.gas_used), "modes agree");
        used = Some(o.gas_used);
    }
    used.unwrap_or(0)
}

#[test]
fn map_operations_stay_within_their_bounds() {
    let vm = ledger();
    let m = vm.module();
    let mut rng = Rng::new(12);
    let (mut largest, mut most_gas) = (0, 0);
    for size in [0u64, 1, 2, 3, 7, 64, 500, 2000, 10_000] {
        for _ in 0..3 {
            for export in &m.exports {
                let f = &m.functions[export.func.0 as usize];
                let args: Vec<Value> = f
                    .params
                    .iter()
                    .map(|&t| value(t, m, size, &mut rng, 0))
                    .collect();
                most_gas = most_gas.max(check(&vm, &export.name, &args));
                for a in &args {
                    largest = largest.max(a.as_map().map_or(0, |es| es.len()));
                }
                // A key that is in the map, for get, remove and transfer.
                let key_ty = f
                    .params
                    .first()
                    .and_then(|&t| vm_core::format::types::map_types(t, &m.adts));
                let present = args
                    .first()
                    .and_then(Value::as_map)
                    .and_then(|es| es.get(es.len() / 2).cloned());
                if let (Some((kt, _)), Some((k, _))) = (key_ty, present)
                    && f.params.get(1) == Some(&kt)
                {
                    let mut hit = args.clone();
                    hit[1] = k;
                    check(&vm, &export.name, &hit);
                }
            }
        }
    }
    // The sizes reached what the test promises.
    assert!(largest >= 5_000, "largest map {largest}");
    assert!(most_gas >= 100_000, "most gas {most_gas}");
}

/// A ledger of `n` accounts with 20-byte addresses, 100 each.
pub fn accounts(n: u64) -> Value {
    Value::map((0..n).map(|i| (Value::bytes(address(i)), Value::int(100)))).expect("a map")
}

/// The 20-byte address of account `i`.
pub fn address(i: u64) -> Vec<u8> {
    let mut a = vec![0xab; 12];
    a.extend_from_slice(&i.to_be_bytes());
    a
}

/// `transfer` from an existing account to a new one (the costliest path:
/// two lookups and two inserts, one of a new key): `(gas used, bound)`.
pub fn transfer_gas(vm: &VerifiedModule, n: u64) -> (u64, u64) {
    let args = [
        accounts(n),
        Value::bytes(address(n / 2)),
        Value::bytes(address(n + 7)),
        Value::int(40),
    ];
    let used = check(vm, "transfer", &args);
    (
        used,
        vm_core::internals::bound(vm, "transfer", &args)
            .expect("bound")
            .gas,
    )
}

#[test]
fn a_transfer_costs_gas_logarithmic_in_the_accounts() {
    let vm = ledger();
    let (g10, b10) = transfer_gas(&vm, 10);
    let (g3, b3) = transfer_gas(&vm, 1_000);
    let (g6, b6) = transfer_gas(&vm, 1_000_000);
    eprintln!("transfer: n=10 {g10}/{b10}, n=10^3 {g3}/{b3}, n=10^6 {g6}/{b6}");
    assert!(g10 < g3 && g3 < g6);
    assert!(
        g6 <= 4 * g3,
        "log growth: {g6} at 10^6 against {g3} at 10^3"
    );
    assert!(b6 <= 2 * g6, "bound {b6} within 2x of {g6}");
    assert!(b3 <= 2 * g3, "bound {b3} within 2x of {g3}");
}

/// The `const NAME: Bytes = #"HEX";` of `examples/token.tly`.
fn token_const(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/token.tly");
    let text = std::fs::read_to_string(path).expect("the example");
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("const {name}: Bytes = #\"")))
        .unwrap_or_else(|| panic!("no const {name}"));
    let hex = line.split('"').nth(1).expect("a bytes literal");
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn the_signed_token_transfer_stays_within_its_bound() {
    let vm = example("token");
    let (alice, bob) = (token_const("ALICE"), token_const("BOB"));
    let signature = token_const("ALICE_PAYS_BOB_30");
    let account =
        |balance: i128, nonce: i128| Value::cell(0, vec![Value::int(balance), Value::int(nonce)]);
    let mut gas = Vec::new();
    for n in [0u64, 1, 10, 100, 1_000, 10_000] {
        // n other accounts, then Alice (and Bob when n is odd).
        let mut entries: Vec<(Value, Value)> = (0..n)
            .map(|i| (Value::bytes(address(i)), account(100, 3)))
            .collect();
        entries.push((Value::bytes(alice.clone()), account(100, 0)));
        if n % 2 == 1 {
            entries.push((Value::bytes(bob.clone()), account(5, 9)));
        }
        let ledger = Value::map(entries).expect("a map");
        let call = |amount: i128, sig: &[u8]| {
            [
                ledger.clone(),
                Value::bytes(alice.clone()),
                Value::bytes(bob.clone()),
                Value::int(amount),
                Value::bytes(sig.to_vec()),
            ]
        };
        // Signed: it goes through, the costliest path.
        let args = call(30, &signature);
        let (result, _) = vm_core::internals::evaluate(&vm, "transfer", &args, 10_000_000);
        let result = result.expect("no trap");
        assert_eq!(
            result.as_cell().map(|(tag, _)| tag),
            Some(0),
            "Ok at n = {n}"
        );
        gas.push(check(&vm, "transfer", &args));
        // Another amount than signed, an overdraft, a truncated signature.
        check(&vm, "transfer", &call(31, &signature));
        check(&vm, "transfer", &call(101, &signature));
        check(&vm, "transfer", &call(30, &signature[..63]));
        // An unknown sender.
        let mut unknown = call(30, &signature);
        unknown[1] = Value::bytes(address(n + 1));
        check(&vm, "transfer", &unknown);
    }
    // The signature check dominates; the ledger adds a logarithmic part.
    assert!(gas.windows(2).all(|w| w[0] <= w[1] + 200), "{gas:?}");
    assert!(gas[5] - gas[1] < 1_000, "{gas:?}");
}

/// A state struct of two maps, one updated and the struct handed back: the
/// result measures at most the old state plus the new entry (the updated map
/// stands for the field it was read from), so the bound stays logarithmic
/// with the result's growth priced, and holds on every run.
#[test]
fn a_state_struct_with_one_map_updated_keeps_a_logarithmic_bound() {
    let text = "use std::map::{insert, remove}\n\
                struct State { balances: Map<Int, Int>, allowances: Map<Int, Int> }\n\
                pub fn credit(s: State, k: Int, v: Int) -> State {\n  \
                State { balances: insert(s.balances, k, v), ..s }\n}\n\
                pub fn forget(s: State, k: Int) -> State {\n  \
                match s { State { balances, allowances } => State { balances: balances, allowances: remove(allowances, k) } }\n}\n";
    let db = Database::new();
    let file = db.add_file("state.tly", text.to_string());
    let options = tally::codegen::Options {
        tests: false,
        instances: vec![],
    };
    let program = tally::codegen::compile(&db, file, &options).expect("compiles");
    let vm = vm_core::internals::verify(program.module).expect("verifies");
    let map = |n: i128| Value::map((0..n).map(|i| (Value::int(i), Value::int(i)))).expect("a map");
    let state = |n: i128| Value::cell(0, vec![map(n), map(n)]);
    let gas = |entry: &str, n: i128| {
        let args = match entry {
            "credit" => vec![state(n), Value::int(n + 1), Value::int(5)],
            _ => vec![state(n), Value::int(n / 2)],
        };
        check(&vm, entry, &args);
        vm_core::internals::bound(&vm, entry, &args)
            .expect("a bound")
            .gas
    };
    for entry in ["credit", "forget"] {
        let (small, large) = (gas(entry, 1_000), gas(entry, 1_000_000));
        assert!(
            large < small + 200,
            "{entry}: bound {small} at 10^3, {large} at 10^6"
        );
    }
}
