//! The README's Rust embedding example (`examples/embed.rs`) is shown there
//! verbatim and gives the numbers of its conformance vector.

#[path = "../examples/embed.rs"]
mod embed;

#[test]
fn readme_rust_example_is_in_the_readme_and_runs() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let src = std::fs::read_to_string(format!("{dir}/examples/embed.rs")).unwrap();
    let readme = std::fs::read_to_string(format!("{dir}/../README.md")).unwrap();
    assert!(
        readme.contains(&src),
        "README.md shows examples/embed.rs verbatim"
    );
    // The example reads its module relative to the repository root.
    std::env::set_current_dir(format!("{dir}/..")).unwrap();
    embed::main();
}
