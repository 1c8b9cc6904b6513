//! Verifies one large generated module (for profiling `verify`, the bound
//! analysis included): `cargo run --release --example verify_large -- 5000`
//! (the number of generated functions; 5,000 is about 100k instructions).

#[path = "../tests/bound_kernels/mod.rs"]
mod bound_kernels;
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;
use vm_core::internals::*;

fn main() {
    let functions: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let m = bound_kernels::random::with_mains(11, functions);
    let instrs: usize = m.functions.iter().map(|f| f.code.len()).sum();
    let t = Instant::now();
    let ok = verify(m).is_ok();
    let s = t.elapsed().as_secs_f64();
    println!(
        "{functions} functions, {instrs} instructions: verified {ok} in {s:.3} s ({:.0} instructions/s)",
        instrs as f64 / s
    );
}
