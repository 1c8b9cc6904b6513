//! `Stats::allocated_bytes`: the memory a call allocates, as the memory
//! bound counts it (16 bytes per heap slot allocated by `con`, plus the
//! Bytes arena bytes `bytes.concat` and `sha256` produce, plus the result
//! handed back; not the arguments),
//! the same in every metering mode.

mod common;

use common::{ints, list_module, misc_module};
use vm_core::internals::*;

/// The outcome in every metering mode (asserted equal).
fn outcome(vm: &VerifiedModule, entry: &str, args: &[Value], gas_limit: u64) -> Outcome {
    let run = |metering| {
        evaluate_with(
            vm,
            entry,
            args,
            Options {
                gas_limit,
                metering,
            },
        )
    };
    let checked = run(Metering::Checked);
    assert_eq!(
        run(Metering::PerInstruction),
        checked,
        "{entry}: modes agree"
    );
    if checked.result != Err(Trap::OutOfGas) {
        assert_eq!(run(Metering::Unchecked), checked, "{entry}: modes agree");
    }
    checked
}

fn bytes(n: usize) -> Value {
    Value::bytes((0..n).map(|i| i as u8).collect::<Vec<_>>())
}

/// The memory of a result handed back: 32 bytes per node of its tree form
/// plus its Bytes' lengths.
fn handed(nodes: u64, bytes: u64) -> u64 {
    32 * nodes + bytes
}

#[test]
fn allocated_bytes_count_what_the_call_allocates() {
    let lists = verify(list_module()).unwrap();
    let misc = verify(misc_module()).unwrap();
    // (module, entry, arguments, heap slots at the end, allocated bytes)
    let cases: Vec<(&VerifiedModule, &str, Vec<Value>, usize, u64)> = vec![
        // [1..n]: n cells of 2 slots (the tag is in the pointer); Nil
        // allocates nothing.
        (&lists, "range", vec![Value::int(0)], 0, handed(1, 0)),
        (
            &lists,
            "range",
            vec![Value::int(5)],
            10,
            5 * 32 + handed(11, 0),
        ),
        // Folding an argument list allocates nothing; its cells are in the
        // heap all the same.
        (
            &lists,
            "sum_acc",
            vec![ints(1..=7), Value::int(0)],
            14,
            handed(1, 0),
        ),
        // Sorting [n..1]: inserting k walks to the end and rebuilds k cells.
        (
            &lists,
            "sort",
            vec![ints((1..=6).rev())],
            (6 + 21) * 2,
            21 * 32 + handed(13, 0),
        ),
        // sha256(#"tally:" ++ a ++ b): two concatenations and a digest.
        (
            &misc,
            "hash_concat",
            vec![bytes(3), bytes(40)],
            0,
            (6 + 3) + (6 + 3 + 40) + 32 + handed(1, 32),
        ),
        // Slicing, length and equality allocate nothing.
        (
            &misc,
            "slice",
            vec![bytes(10), Value::int(2), Value::int(5)],
            0,
            handed(1, 5),
        ),
        (&misc, "len", vec![bytes(10)], 0, handed(1, 0)),
        (
            &misc,
            "same",
            vec![ints(1..=4), ints(1..=4)],
            16,
            handed(1, 0),
        ),
    ];
    for (vm, entry, args, slots, allocated) in cases {
        let o = outcome(vm, entry, &args, u64::MAX);
        assert!(o.result.is_ok(), "{entry}({args:?}) runs");
        assert_eq!(o.stats.heap_slots, slots, "{entry}({args:?}) heap slots");
        assert_eq!(
            o.stats.allocated_bytes, allocated,
            "{entry}({args:?}) allocated bytes"
        );
    }
}

#[test]
fn a_trap_reports_what_was_allocated_before_it() {
    let lists = verify(list_module()).unwrap();
    let args = [Value::int(1000)];
    let full = outcome(&lists, "range", &args, u64::MAX);
    assert_eq!(full.stats.allocated_bytes, 1000 * 32 + handed(2001, 0));
    let mut previous = 0;
    for limit in [0, 10, 100, 1000, full.gas_used - 1] {
        let o = outcome(&lists, "range", &args, limit);
        assert_eq!(o.result, Err(Trap::OutOfGas));
        let a = o.stats.allocated_bytes;
        assert!(a.is_multiple_of(32) && a >= previous && a <= full.stats.allocated_bytes);
        previous = a;
    }
    assert!(
        previous > 0,
        "most cells were allocated just before the end"
    );
}

#[test]
fn allocated_bytes_stay_within_the_memory_bound() {
    let lists = verify(list_module()).unwrap();
    let misc = verify(misc_module()).unwrap();
    let cases: Vec<(&VerifiedModule, &str, Vec<Value>)> = vec![
        (&lists, "range", vec![Value::int(50)]),
        (&lists, "sort", vec![ints((1..=20).rev())]),
        (&lists, "sum_acc", vec![ints(1..=9), Value::int(0)]),
        (&misc, "hash_concat", vec![bytes(7), bytes(70)]),
    ];
    for (vm, entry, args) in cases {
        let Ok(b) = bound(vm, entry, &args) else {
            panic!("{entry} has a bound");
        };
        let o = outcome(vm, entry, &args, u64::MAX);
        assert!(
            o.stats.allocated_bytes <= b.memory,
            "{entry}: allocated {} > bound {}",
            o.stats.allocated_bytes,
            b.memory
        );
    }
}
