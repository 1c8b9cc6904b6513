//! `include/tally.h` is what cbindgen makes of `src/lib.rs` today.
//! `UPDATE_HEADER=1 cargo test -p tally-capi --test header` rewrites it.

#[test]
fn header_is_current() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config =
        cbindgen::Config::from_file(format!("{dir}/cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen parses src/lib.rs")
        .write(&mut generated);
    let path = format!("{dir}/include/tally.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write the header");
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/tally.h is stale: run UPDATE_HEADER=1 cargo test -p tally-capi --test header"
    );
}
