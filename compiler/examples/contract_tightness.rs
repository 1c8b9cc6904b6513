//! The tightness report for the contract-shaped programs of
//! `compiler/tests/data/contracts/`: for every entry point, its gas bound
//! formula, the growth of the bound next to the true growth of its cost,
//! and gas used / gas bound on its *costliest path* at n = 10, 100, 1000.
//! Each entry has its own argument generator that drives the worst case
//! (a transfer that succeeds to a new recipient, a vote by the last voter,
//! reversed input for a sort, ...), and the run is checked to take that
//! path (an `Option` result must be `Some`). Then the chained transfers:
//! gas used and bound of `chain_k` for k = 1..10 at n = 100. Ratios are
//! rounded down (0.50 means at least one half); "bound grows" is the
//! exponent read off the bounds at n = 100 and n = 1000.
//!
//! `cargo run -p tally --example contract_tightness [FILTER]` (gas is
//! deterministic: a debug build prints the same figures).

#[path = "../tests/support/entries.rs"]
mod entries;
#[path = "../tests/support/examples.rs"]
mod examples;

use vm_core::{Value, internals::VerifiedModule};

const SIZES: [u64; 3] = [10, 100, 1000];

/// One entry point of one program, with its worst-case arguments.
struct Case {
    /// File stem under `tests/data/contracts/`.
    program: &'static str,
    /// Export name.
    entry: &'static str,
    /// What `n` counts.
    n_is: &'static str,
    /// The growth of the true cost of the costliest path, in `n`.
    true_class: &'static str,
    /// Whether the result is an `Option` that must be `Some` on this path.
    some: bool,
    /// The arguments of the costliest path at size `n`.
    args: fn(i128) -> Vec<Value>,
}

fn int(v: i128) -> Value {
    Value::int(v)
}

fn ints(items: impl IntoIterator<Item = i128>) -> Value {
    Value::list(items.into_iter().map(int))
}

fn map(entries: impl IntoIterator<Item = (i128, i128)>) -> Value {
    Value::map(entries.into_iter().map(|(k, v)| (int(k), int(v)))).expect("Int keys")
}

/// A struct value (one variant, tag 0).
fn record(fields: Vec<Value>) -> Value {
    Value::cell(0, fields)
}

/// `token_state::State` with `n` balances of 1000 (owners 0..n) and `n`
/// allowances of 1000 (owner i to spender i + 1).
fn token_state(n: i128) -> Value {
    record(vec![
        map((0..n).map(|i| (i, 1000))),
        map((0..n).map(|i| (i * 4_294_967_296 + i + 1, 1000))),
    ])
}

/// An association-list ledger of `n` accounts (owners 0..n) of `10⁶` each.
fn ledger(n: i128) -> Value {
    Value::list((0..n).map(|i| record(vec![int(i), int(1_000_000)])))
}

/// A square matrix of side `s` (entries 1..).
fn matrix(s: i128) -> Value {
    Value::list((0..s).map(|i| ints((0..s).map(|j| i * s + j + 1))))
}

/// The side of a square holding about `n` cells.
fn side(n: i128) -> i128 {
    ((n as f64).sqrt().round() as i128).max(1)
}

/// A tree of `n` nodes that is a left spine (the costliest shape for
/// `subtrees`: every append copies the whole left part).
fn left_spine(n: i128) -> Value {
    let mut t = Value::cell(0, vec![]);
    for v in 0..n {
        t = Value::cell(1, vec![t, int(v), Value::cell(0, vec![])]);
    }
    t
}

fn chain_args(n: i128) -> Vec<Value> {
    // From the last account (every credit scans the ledger) to a new one.
    vec![ledger(n), int(n - 1), int(n + 7), int(1)]
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case {
            program: "token_state",
            entry: "transfer",
            n_is: "accounts",
            true_class: "log n",
            some: true,
            args: |n| vec![token_state(n), int(n / 2), int(n + 7), int(1000)],
        },
        Case {
            program: "token_state",
            entry: "approve",
            n_is: "accounts",
            true_class: "log n",
            some: false,
            args: |n| vec![token_state(n), int(n / 2), int(n + 7), int(500)],
        },
        Case {
            program: "token_state",
            entry: "transfer_from",
            n_is: "accounts",
            true_class: "log n",
            some: true,
            // Spender n/2 + 1 holds an allowance of 1000 from n/2, who has
            // 1000; the recipient is new.
            args: |n| {
                vec![
                    token_state(n),
                    int(n / 2 + 1),
                    int(n / 2),
                    int(n + 7),
                    int(1000),
                ]
            },
        },
        Case {
            program: "ballot",
            entry: "vote",
            n_is: "voters = proposals",
            true_class: "n",
            some: true,
            // The last voter votes for the last proposal.
            args: |n| {
                let voters = Value::list((0..n).map(|i| record(vec![int(i), Value::bool(false)])));
                let tallies = ints((0..n).map(|_| 0));
                vec![record(vec![voters, tallies]), int(n - 1), int(n - 1)]
            },
        },
        Case {
            program: "ballot",
            entry: "tally",
            n_is: "proposals",
            true_class: "n",
            some: false,
            // Ascending tallies: the best changes at every step.
            args: |n| vec![record(vec![Value::list([]), ints(1..=n)])],
        },
        Case {
            program: "vault",
            entry: "vote",
            n_is: "members",
            true_class: "n",
            some: true,
            // The last member votes; every other member has voted.
            args: |n| {
                vec![
                    record(vec![ints(0..n), ints(0..n - 1), int(1), int(100)]),
                    int(n - 1),
                ]
            },
        },
        Case {
            program: "vault",
            entry: "withdraw",
            n_is: "members = votes",
            true_class: "n²",
            some: true,
            // No vote is a member's, so every membership check scans all
            // members; threshold 0 so the withdrawal still goes through.
            args: |n| {
                vec![
                    record(vec![ints(0..n), ints(n..2 * n), int(0), int(100)]),
                    int(100),
                ]
            },
        },
        Case {
            program: "auction",
            entry: "bid",
            n_is: "bids",
            true_class: "n",
            some: true,
            args: |n| {
                let bids = Value::list((0..n).map(|i| record(vec![int(i), int(i + 1)])));
                vec![record(vec![bids, Value::bool(true)]), int(n), int(n + 1)]
            },
        },
        Case {
            program: "auction",
            entry: "close",
            n_is: "bids",
            true_class: "n",
            some: false,
            // Ascending bids: the winner changes at every step.
            args: |n| {
                let bids = Value::list((0..n).map(|i| record(vec![int(i), int(i + 1)])));
                vec![record(vec![bids, Value::bool(true)])]
            },
        },
        Case {
            program: "crowdfund",
            entry: "pledge",
            n_is: "backers",
            true_class: "n",
            some: true,
            // A new backer: the credit scans every pledge and appends.
            args: |n| vec![campaign(n, 1_000_000_000, false), int(n), int(5), int(10)],
        },
        Case {
            program: "crowdfund",
            entry: "refund",
            n_is: "backers",
            true_class: "n",
            some: true,
            // A failed campaign; the last backer asks.
            args: |n| vec![campaign(n, 1_000_000_000, false), int(n - 1), int(200)],
        },
        Case {
            program: "crowdfund",
            entry: "claim",
            n_is: "backers",
            true_class: "n",
            some: true,
            args: |n| vec![campaign(n, 1, false), int(200)],
        },
        Case {
            program: "chain",
            entry: "transfer",
            n_is: "accounts",
            true_class: "n",
            some: false,
            args: chain_args,
        },
        Case {
            program: "chain",
            entry: "apply_all",
            n_is: "accounts = transfers",
            true_class: "n²",
            some: false,
            // n transfers, each from the last original account to a new one.
            args: |n| {
                let ts =
                    Value::list((0..n).map(|i| record(vec![int(n - 1), int(n + 1 + i), int(1)])));
                vec![ledger(n), ts]
            },
        },
    ];
    for k in 1..=10 {
        cases.push(Case {
            program: "chain",
            entry: CHAINS[k - 1],
            n_is: "accounts",
            true_class: "k·n",
            some: false,
            args: chain_args,
        });
    }
    cases.extend([
        Case {
            program: "matrix",
            entry: "mat_mul",
            n_is: "cells (side √n)",
            true_class: "n^1.5 (side³)",
            some: false,
            args: |n| vec![matrix(side(n)), matrix(side(n))],
        },
        Case {
            program: "sort_lists",
            entry: "sort_lists",
            n_is: "cells (√n lists of √n)",
            true_class: "n^1.5 (lists²·len)",
            some: false,
            // Descending, and the lists differ only in their last element,
            // so every comparison walks a whole list.
            args: |n| {
                let s = side(n);
                let lists =
                    (0..s).map(|i| ints((0..s).map(|j| if j == s - 1 { s - i } else { 0 })));
                vec![Value::list(lists)]
            },
        },
        Case {
            program: "subtrees",
            entry: "subtrees",
            n_is: "nodes",
            true_class: "n²",
            some: false,
            args: |n| vec![left_spine(n)],
        },
    ]);
    cases
}

const CHAINS: [&str; 10] = [
    "chain_1", "chain_2", "chain_3", "chain_4", "chain_5", "chain_6", "chain_7", "chain_8",
    "chain_9", "chain_10",
];

/// `crowdfund::Campaign` with `n` backers of 1 each, deadline 100.
fn campaign(n: i128, goal: i128, claimed: bool) -> Value {
    let pledges = Value::list((0..n).map(|i| record(vec![int(i), int(1)])));
    record(vec![pledges, int(goal), int(100), Value::bool(claimed)])
}

/// Gas used and bound of one run, or why it did not give a figure.
fn run(vm: &VerifiedModule, case: &Case, n: i128) -> Result<(u64, u64), String> {
    let args = (case.args)(n);
    let bound = vm_core::internals::bound(vm, case.entry, &args)
        .map_err(|e| format!("bound: {e:?}"))?
        .gas;
    let (result, used) = vm_core::internals::evaluate(vm, case.entry, &args, bound);
    let value = result.map_err(|t| format!("trap {t:?}"))?;
    if case.some && value.as_cell().map(|(tag, _)| tag) != Some(1) {
        return Err("not the costliest path: the result is None".into());
    }
    if used > bound {
        return Err(format!("UNSOUND: used {used} > bound {bound}"));
    }
    Ok((used, bound))
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

/// `used / bound` rounded down to two decimals, so that a printed 0.50
/// means at least one half (the target of the bounds issue).
fn truncated(used: u64, bound: u64) -> f64 {
    (used as f64 * 100.0 / bound as f64).floor() / 100.0
}

/// The growth exponent of the bound between n = 100 and n = 1000, as read
/// off the two figures (`n^1.0` for a linear bound, `n^0.1` for about log).
fn growth(low: u64, high: u64, n_low: f64, n_high: f64) -> String {
    let e = (high as f64 / low as f64).ln() / (n_high / n_low).ln();
    format!("n^{e:.1}")
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let subjects = entries::subjects();
    let module = |program: &str| {
        let origin = format!("tests/data/contracts/{program}.tly");
        subjects
            .iter()
            .find(|s| s.origin == origin)
            .map(|s| &s.module)
            .unwrap_or_else(|| panic!("{origin} is not compiled"))
    };
    println!(
        "| entry point | n counts | bound | bound grows | true cost | n = 10 | n = 100 | n = 1000 |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for case in cases() {
        let name = format!("{}::{}", case.program, case.entry);
        if !name.contains(&filter) {
            continue;
        }
        let vm = module(case.program);
        let runs: Vec<Result<(u64, u64), String>> =
            SIZES.iter().map(|&n| run(vm, &case, n as i128)).collect();
        let cells: Vec<String> = runs
            .iter()
            .map(|r| match r {
                Ok((used, bound)) => format!("{:.2}", truncated(*used, *bound)),
                Err(e) => e.clone(),
            })
            .collect();
        let grows = match (&runs[1], &runs[2]) {
            (Ok((_, b1)), Ok((_, b2))) => growth(*b1, *b2, 100.0, 1000.0),
            _ => "—".into(),
        };
        println!(
            "| `{name}` | {} | `{}` | {grows} | {} | {} |",
            case.n_is,
            formula(vm, case.entry),
            case.true_class,
            cells.join(" | ")
        );
    }
    if !"chain::chain_".contains(&filter) && !filter.is_empty() {
        return;
    }
    println!();
    println!("| k | used (n = 100) | bound (n = 100) | used/bound |");
    println!("|---|---|---|---|");
    let vm = module("chain");
    for (k, entry) in CHAINS.iter().enumerate() {
        let case = Case {
            program: "chain",
            entry,
            n_is: "",
            true_class: "",
            some: false,
            args: chain_args,
        };
        match run(vm, &case, 100) {
            Ok((used, bound)) => println!(
                "| {} | {used} | {bound} | {:.2} |",
                k + 1,
                truncated(used, bound)
            ),
            Err(e) => println!("| {} | {e} | | |", k + 1),
        }
    }
}
