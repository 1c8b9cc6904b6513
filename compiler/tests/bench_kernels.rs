//! The peer benchmark (`vm-core/benches/peers`, outside the workspace) runs
//! checked-in modules `kernels/K.tbc` built by `tally build` from
//! `kernels/K.tly`. This test fails when one of them is stale: it compiles
//! each source as `tally build` does and compares the bytes.
//! To refresh: `tally build vm-core/benches/peers/kernels/K.tly`.

use std::path::PathBuf;

use tally::codegen::{Options, compile};
use tally::db::Database;

const KERNELS: &[&str] = &[
    "sum",
    "fib",
    "fold",
    "sort",
    "token",
    "orders",
    "bst",
    "merge",
    "stats",
    "window",
    "sum_double",
    "squares",
    "map_token",
    "sig",
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vm-core/benches/peers/kernels")
}

/// What `tally build` writes for `src`.
fn build(name: &str, src: String) -> Vec<u8> {
    let db = Database::new();
    let file = db.add_file(name, src);
    let program = compile(&db, file, &Options::default()).unwrap_or_else(|d| {
        panic!(
            "{name}: {:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    let verified = vm_core::internals::verify(program.module).expect("verifies");
    verified.into_module().encode()
}

#[test]
fn checked_in_kernel_modules_are_fresh() {
    let mut stale = Vec::new();
    for k in KERNELS {
        let src = std::fs::read_to_string(dir().join(format!("{k}.tly"))).expect("source");
        let tbc = std::fs::read(dir().join(format!("{k}.tbc"))).expect("module");
        if build(&format!("{k}.tly"), src) != tbc {
            stale.push(*k);
        }
    }
    assert!(
        stale.is_empty(),
        "stale modules in vm-core/benches/peers/kernels: {stale:?}; rebuild with \
         `tally build vm-core/benches/peers/kernels/K.tly`"
    );
}

#[test]
fn the_token_kernel_is_the_association_list_token_example() {
    // Kernel E is examples/assoc_token.tly's code, without its tests.
    let kernel = std::fs::read_to_string(dir().join("token.tly")).expect("kernel");
    let example = std::fs::read_to_string(dir().join("../../../../examples/assoc_token.tly"))
        .expect("example");
    let code = |s: &str| -> Vec<String> {
        s.lines()
            .take_while(|l| !l.starts_with("test "))
            .filter(|l| !l.starts_with("//"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(code(&kernel), code(&example));
}

#[test]
fn the_map_token_kernel_is_the_map_ledger_example_transfer() {
    // Kernel M is `transfer` and `transfer_balance` of examples/map_ledger.tly.
    let kernel = std::fs::read_to_string(dir().join("map_token.tly")).expect("kernel");
    let example = std::fs::read_to_string(dir().join("../../../../examples/map_ledger.tly"))
        .expect("example");
    // The text of `pub fn NAME(` up to its closing brace at the line start.
    let item = |s: &str, name: &str| -> String {
        let start = s
            .find(&format!("pub fn {name}("))
            .unwrap_or_else(|| panic!("`{name}` is there"));
        let len = s[start..].find("\n}\n").expect("the function ends") + 3;
        s[start..start + len].to_string()
    };
    for name in ["transfer", "transfer_balance"] {
        assert_eq!(item(&kernel, name), item(&example, name), "`{name}`");
    }
}
