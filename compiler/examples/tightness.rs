//! The tightness report: for every first-order `pub fn` of the examples and
//! the stdlib, the largest observed ratio of gas used to the static gas
//! bound at argument sizes 10, 100 and 1000 (1.0 = the bound is exactly the
//! worst case seen). Inputs: random arguments of that size, plus, for
//! `List<Int>` parameters, lists in descending and ascending order (the
//! worst and best cases of the sorting and searching shapes).
//!
//! `cargo run --release -p tally --example tightness`

#[path = "../tests/support/entries.rs"]
mod entries;
#[path = "../tests/support/examples.rs"]
mod examples;

use entries::{Rng, arguments, subjects};
use vm_core::{AdtKind, Ty, Value, internals::VerifiedModule};

const SIZES: [u64; 3] = [10, 100, 1000];
const SAMPLES: u64 = 30;
/// Bounds above this are not run (exponential shapes at large sizes).
const RUN_CAP: u64 = 500_000_000;

fn main() {
    let subjects = subjects();
    println!("| function | bound | n = 10 | n = 100 | n = 1000 |");
    println!("|---|---|---|---|---|");
    for s in &subjects {
        for entry in &s.entries {
            let cells: Vec<String> = SIZES
                .iter()
                .map(|&n| match worst_ratio(&s.module, entry, n) {
                    Some(r) => format!("{r:.2}"),
                    None => "—".to_string(),
                })
                .collect();
            println!(
                "| `{}::{entry}` | `{}` | {} |",
                s.origin
                    .trim_start_matches("examples/")
                    .trim_end_matches(".tly"),
                formula(&s.module, entry),
                cells.join(" | ")
            );
        }
    }
}

fn formula(vm: &VerifiedModule, entry: &str) -> String {
    let m = vm.module();
    let func = m
        .exports
        .iter()
        .find(|e| e.name == entry)
        .map(|e| e.func.0)
        .unwrap_or(0);
    vm.function_bounds(func)
        .map(|b| b.render(m, func, None).0)
        .unwrap_or_default()
        .replace('|', "\\|")
}

/// The largest used/bound ratio over the inputs of size `n`; `None` if no
/// input of that size was run (its bound is beyond [`RUN_CAP`]).
fn worst_ratio(vm: &VerifiedModule, entry: &str, n: u64) -> Option<f64> {
    let mut rng = Rng::new(n * 7919 + entry.len() as u64);
    let mut inputs: Vec<Vec<Value>> = (0..SAMPLES)
        .map(|_| arguments(vm, entry, n, &mut rng))
        .collect();
    inputs.extend(ordered_lists(vm, entry, n));
    inputs.extend(int_corners(vm, entry, n, &mut rng));
    let mut worst: Option<f64> = None;
    for args in inputs {
        let Ok(bound) = vm_core::internals::bound(vm, entry, &args) else {
            continue;
        };
        if bound.gas > RUN_CAP || bound.gas == 0 {
            continue;
        }
        let (_, used) = vm_core::internals::evaluate(vm, entry, &args, bound.gas);
        let ratio = used as f64 / bound.gas as f64;
        worst = Some(worst.map_or(ratio, |w: f64| w.max(ratio)));
    }
    worst
}

/// For entries with Int parameters: every combination of the corner values
/// `-n, -1, 0, 1, n/2, n, 2n` for up to three of them (other parameters
/// random), so that the costliest path of code without recursion is taken.
fn int_corners(vm: &VerifiedModule, entry: &str, n: u64, rng: &mut Rng) -> Vec<Vec<Value>> {
    let m = vm.module();
    let Some(export) = m.exports.iter().find(|e| e.name == entry) else {
        return vec![];
    };
    let params = &m.functions[export.func.0 as usize].params;
    let ints: Vec<usize> = (0..params.len())
        .filter(|&i| params[i] == Ty::Int)
        .take(3)
        .collect();
    if ints.is_empty() {
        return vec![];
    }
    let n = n as i128;
    let corners = [-n, -1, 0, 1, n / 2, n, 2 * n];
    let mut out = Vec::new();
    for k in 0..corners.len().pow(ints.len() as u32) {
        let mut args = arguments(vm, entry, n as u64, rng);
        let mut code = k;
        for &i in &ints {
            args[i] = Value::int(corners[code % corners.len()]);
            code /= corners.len();
        }
        out.push(args);
    }
    out
}

/// Arguments where every `List<Int>` is `[n, n-1, ..., 1]` (resp. ascending)
/// and every Int is `n`; `None` if the entry has no `List<Int>` parameter.
fn ordered_lists(vm: &VerifiedModule, entry: &str, n: u64) -> Vec<Vec<Value>> {
    let m = vm.module();
    let Some(export) = m.exports.iter().find(|e| e.name == entry) else {
        return vec![];
    };
    let params = &m.functions[export.func.0 as usize].params;
    let is_int_list = |t: &Ty| match t {
        Ty::Adt(i) => m
            .adts
            .get(*i as usize)
            .is_some_and(|a| a.kind == AdtKind::List && a.variants[1].fields[0].ty == Ty::Int),
        _ => false,
    };
    if !params.iter().any(is_int_list) {
        return vec![];
    }
    [true, false]
        .into_iter()
        .map(|descending| {
            params
                .iter()
                .map(|t| {
                    if is_int_list(t) {
                        let items =
                            (1..=n as i128).map(|k| if descending { n as i128 + 1 - k } else { k });
                        Value::list(items.map(Value::int))
                    } else if *t == Ty::Int {
                        Value::int(n as i128)
                    } else {
                        entries::value(*t, m, n, &mut Rng::new(n), 0)
                    }
                })
                .collect()
        })
        .collect()
}
