//! Verify time of adversarial call-graph shapes for the termination
//! analysis: `cargo run --release -p vm-core --example sct_shapes -- ring 10000`
//! (shapes: `ring N`, `dense K P`: K functions of P parameters, each calling all others).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: usize| a.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let m = match a.first().map(String::as_str) {
        Some("dense") => {
            let k = num(1, 200);
            common::call_shape_module(k, num(2, 6), &|_| (1..k).collect())
        }
        _ => common::ring_module(num(1, 1_000)),
    };
    let t = Instant::now();
    let r = vm_core::verify(m);
    let s = t.elapsed().as_secs_f64();
    match r {
        Ok(_) => println!("{a:?}: verified in {s:.3} s"),
        Err(e) => println!("{a:?}: refused in {s:.3} s: {e}"),
    }
}
