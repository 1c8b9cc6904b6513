//! Modules built from Tally source, at the scale and under the abuse a node
//! must survive: constant-stack tail loops of 10,000,000 iterations, lists
//! of 1,000,000 elements built, folded and dropped, deep ADT values, and
//! every single-byte mutation or truncation of the examples' modules.

#[path = "support/examples.rs"]
mod examples;

use tally::codegen::{Options, compile};
use tally::db::Database;
use vm_core::{Value, internals::VerifiedModule};

fn build(src: &str) -> VerifiedModule {
    let db = Database::new();
    let file = db.add_file("scale.tly", src);
    let program = compile(&db, file, &Options::default())
        .unwrap_or_else(|d| panic!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()));
    vm_core::internals::verify(program.module).expect("verifies")
}

/// Runs `entry` on one Int; returns the result and the deepest call stack.
fn run(vm: &VerifiedModule, entry: &str, n: i128) -> (Value, usize) {
    let (result, _, stats) =
        vm_core::internals::evaluate_with_stats(vm, entry, &[Value::int(n)], u64::MAX);
    (result.expect("no trap"), stats.max_frames)
}

const LOOPS: &str = "
pub fn count(n: Int) -> Int { loop(n, 0) }
fn loop(n: Int, acc: Int) -> Int { if n <= 0 { acc } else { loop(n - 1, acc + n) } }

pub fn ping(n: Int) -> Bool { if n <= 0 { true } else { pong(n - 1) } }
fn pong(n: Int) -> Bool { if n <= 0 { false } else { ping(n - 1) } }
";

#[test]
fn tail_calls_run_in_constant_stack() {
    let vm = build(LOOPS);
    let (small, frames_small) = run(&vm, "count", 10);
    let (big, frames_big) = run(&vm, "count", 10_000_000);
    assert_eq!(small, Value::int(55));
    assert_eq!(big, Value::int(50_000_005_000_000));
    assert_eq!(frames_small, frames_big, "self tail calls reuse the frame");

    let (even, frames_mutual) = run(&vm, "ping", 10_000_000);
    assert_eq!(even, Value::bool(true));
    assert_eq!(
        frames_mutual,
        run(&vm, "ping", 10).1,
        "mutual tail calls too"
    );
}

const LISTS: &str = "
use std::list::{fold, range}

pub fn build_and_sum(n: Int) -> Int { range(n) |> fold(0, |acc, x| acc + x) }

pub enum Tree { Leaf, Node(Tree, Int, Tree) }

fn spine(n: Int, acc: Tree) -> Tree { if n <= 0 { acc } else { spine(n - 1, Node(acc, n, Leaf)) } }

fn leftmost(t: Tree) -> Int {
  match t { Leaf => 0, Node(Leaf, v, _) => v, Node(l, _, _) => leftmost(l) }
}

pub fn deep_tree(n: Int) -> Int { leftmost(spine(n, Leaf)) }
";

#[test]
fn a_million_element_list_is_built_folded_and_dropped() {
    let vm = build(LISTS);
    let (sum, _) = run(&vm, "build_and_sum", 1_000_000);
    assert_eq!(sum, Value::int(499_999_500_000));
}

#[test]
fn deep_adt_values_are_built_and_walked() {
    let vm = build(LISTS);
    let (v, _) = run(&vm, "deep_tree", 1_000_000);
    assert_eq!(v, Value::int(1_000_000), "the innermost node holds n");
}

#[test]
fn a_deep_result_value_crosses_the_boundary() {
    let vm = build("use std::list::range\npub fn upto(n: Int) -> List<Int> { range(n) }\n");
    let (result, _) = vm_core::internals::evaluate(&vm, "upto", &[Value::int(1_000_000)], u64::MAX);
    let list = result.expect("no trap").as_list().expect("a list");
    assert_eq!(list.len(), 1_000_000);
    assert_eq!(list.last(), Some(&Value::int(999_999)));
}

fn example_modules() -> Vec<(String, Vec<u8>)> {
    examples::examples()
        .into_iter()
        .map(|(p, text)| {
            let db = Database::new();
            let file = db.add_file(p.display().to_string(), text);
            let options = Options {
                tests: true,
                instances: Vec::new(),
            };
            let program = compile(&db, file, &options).expect("compiles");
            (p.display().to_string(), program.module.encode())
        })
        .collect()
}

/// Decodes, verifies and (if accepted) runs every export on no arguments and
/// on a few sample Ints; must not panic.
fn exercise(bytes: &[u8]) {
    let Ok(vm) = vm_core::internals::load(bytes) else {
        return;
    };
    for export in &vm.module().exports {
        for args in [
            vec![],
            vec![Value::int(3)],
            vec![Value::list([Value::int(1)])],
        ] {
            let _ = vm_core::internals::evaluate(&vm, &export.name, &args, 20_000);
        }
    }
}

#[test]
fn every_single_byte_mutation_and_truncation_is_rejected_or_runs() {
    for (name, bytes) in example_modules() {
        vm_core::internals::load(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for i in 0..bytes.len() {
            exercise(&bytes[..i]);
            for delta in [1u8, 0x80, 0xff] {
                let mut mutated = bytes.clone();
                mutated[i] = mutated[i].wrapping_add(delta);
                exercise(&mutated);
            }
        }
    }
}
