//! How one uplc run scales with the size of the data (it is super-linear on
//! lists), to choose the sizes of the uplc benchmarks:
//! `cargo run --release --manifest-path vm-core/benches/peers/Cargo.toml --example uplc_scaling`.

use std::time::Instant;
use tally_vm_peers::plutus;
fn main() {
    for n in [1000, 2000, 4000] {
        let p = plutus::compile(&plutus::fold_src(n));
        let t = Instant::now();
        p.run();
        println!("fold {n}: {:?}", t.elapsed());
    }
    for n in [100, 200, 400] {
        let p = plutus::compile(&plutus::sort_src(n));
        let t = Instant::now();
        p.run();
        println!("sort {n}: {:?}", t.elapsed());
    }
    for n in [250, 500, 1000] {
        let p = plutus::compile(&plutus::transfer_src(
            &500u32.to_be_bytes(),
            &900u32.to_be_bytes(),
            250,
        ))
        .apply(&plutus::ledger(n));
        let t = Instant::now();
        p.run();
        println!("transfer {n}: {:?}", t.elapsed());
    }
    for n in [100_000, 200_000] {
        let p = plutus::compile(&plutus::sum_src(n));
        let t = Instant::now();
        p.run();
        println!("sum {n}: {:?}", t.elapsed());
    }
}
