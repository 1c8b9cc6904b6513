//! How long checking a large program takes: a generated program of about
//! 10,000 lines, checked from scratch (parse, names, types, exhaustiveness,
//! termination), and re-checked after a one-line edit in a warm database.

use criterion::{Criterion, criterion_group, criterion_main};
use salsa::Setter;
use tally::db::{self, Database};

/// One block (24 lines): a struct, an enum, and four functions using them.
fn block(i: usize) -> String {
    format!(
        r#"pub struct Rec{i} {{ owner: Bytes, amount: Int }}

pub enum Shape{i} {{ Empty{i}, Node{i}(Int, List<Int>) }}

fn sum{i}(xs: List<Int>) -> Int {{
  match xs {{
    [] => 0,
    [x, ..rest] => x + sum{i}(rest),
  }}
}}

fn weigh{i}(s: Shape{i}, r: Rec{i}) -> Int {{
  match s {{
    Empty{i} => r.amount,
    Node{i}(k, xs) => if k > 0 {{ k * sum{i}(xs) + r.amount }} else {{ sum{i}([k, ..xs]) }},
  }}
}}

pub fn run{i}(n: Int, r: Rec{i}) -> Rec{i} {{
  let total = weigh{i}(Node{i}(n, [1, 2, 3]), r);
  let scaled = [n, total] |> map(|x| x * 2) |> fold(0, |acc, x| acc + x);
  Rec{i} {{ amount: scaled, ..r }}
}}

"#
    )
}

/// A program of `blocks` blocks plus its imports.
pub fn program(blocks: usize) -> String {
    let mut text = String::from("use std::list::{fold, map}\n\n");
    for i in 0..blocks {
        text.push_str(&block(i));
    }
    text
}

fn bench_check(c: &mut Criterion) {
    let per_block = block(0).lines().count();
    let text = program(10_000_usize.div_ceil(per_block));
    assert!(text.lines().count() >= 10_000);
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.bench_function("10k_lines_cold", |b| {
        b.iter(|| {
            let diagnostics = db::check_text("big.tly", &text);
            assert!(
                diagnostics.iter().all(|d| !d.is_error()),
                "the generated program is valid"
            );
        })
    });
    group.bench_function("10k_lines_after_edit", |b| {
        let mut database = Database::new();
        let file = database.add_file("big.tly", text.clone());
        db::check(&database, file);
        let mut toggle = false;
        b.iter(|| {
            toggle = !toggle;
            let edited = if toggle {
                text.replacen("[1, 2, 3]", "[1, 2, 4]", 1)
            } else {
                text.clone()
            };
            file.set_text(&mut database).to(edited);
            db::check(&database, file).len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
