//! The C test programs (`tests/c/*.c`), compiled by `cc` against
//! `include/tally.h` and the static library, run on the conformance
//! vectors and on bad input; under valgrind too when it is installed
//! (`TALLY_REQUIRE_VALGRIND=1`, set by `.ci/run`, makes it required).

use std::path::{Path, PathBuf};
use std::process::Command;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Where cargo put this test and, beside it, the library it was built
/// with (`target/debug/deps`).
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent().expect("target dir").to_path_buf()
}

/// Compiles `tests/c/NAME.c` into the target dir; returns the program.
fn compile(name: &str) -> PathBuf {
    let lib = lib_dir().join("libtally_capi.a");
    assert!(lib.exists(), "{} is built with the crate", lib.display());
    let out = lib_dir().join(format!("c-{name}"));
    let status = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-I"])
        .arg(format!("{DIR}/include"))
        .arg(format!("{DIR}/tests/c/{name}.c"))
        .arg(&lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&out)
        .status()
        .expect("cc runs");
    assert!(status.success(), "cc {name}.c failed");
    out
}

fn has_valgrind() -> bool {
    let found = Command::new("valgrind").arg("--version").output().is_ok();
    if !found && std::env::var_os("TALLY_REQUIRE_VALGRIND").is_some() {
        panic!("valgrind is required (TALLY_REQUIRE_VALGRIND) but not installed");
    }
    found
}

/// Runs `program args` from the repository root, then under valgrind
/// (no leaks, no invalid access); returns the standard output.
fn run(program: &Path, args: &[&str]) -> String {
    let root = format!("{DIR}/../..");
    let out = Command::new(program)
        .args(args)
        .current_dir(&root)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}: {stdout}{}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if has_valgrind() {
        let v = Command::new("valgrind")
            .args([
                "--quiet",
                "--leak-check=full",
                "--show-leak-kinds=definite,indirect,possible",
                "--errors-for-leak-kinds=definite,indirect,possible",
                "--error-exitcode=99",
            ])
            .arg(program)
            .args(args)
            .current_dir(&root)
            .output()
            .expect("valgrind runs");
        assert!(
            v.status.success(),
            "valgrind {}: {}",
            program.display(),
            String::from_utf8_lossy(&v.stderr)
        );
    }
    stdout
}

#[test]
fn c_runs_every_conformance_vector() {
    let program = compile("conformance");
    let out = run(&program, &["vm-core/conformance"]);
    assert!(out.contains(" vectors, 0 failures"), "{out}");
}

#[test]
fn c_bad_input_gives_error_values() {
    let program = compile("robustness");
    let out = run(&program, &["vm-core/conformance/modules/assoc_token.tbc"]);
    assert_eq!(out, "0 failures\n");
}

#[test]
fn readme_c_example_runs_and_is_in_the_readme() {
    let src = std::fs::read_to_string(format!("{DIR}/tests/c/readme_example.c")).unwrap();
    let readme = std::fs::read_to_string(format!("{DIR}/../../README.md")).unwrap();
    assert!(
        readme.contains(&src),
        "README.md shows tests/c/readme_example.c verbatim"
    );
    let program = compile("readme_example");
    let out = run(&program, &[]);
    // The same numbers as the conformance vector of this call.
    let vectors = std::fs::read_to_string(format!("{DIR}/../conformance/vectors.txt")).unwrap();
    let line = vectors
        .lines()
        .find(|l| {
            l.starts_with(
                "assoc_token.tbc transfer 040501020500020401aa030a0500000401aa0401bb0304 1000000 ",
            )
        })
        .expect("the vector of the README's call");
    let f: Vec<&str> = line.split(' ').collect();
    let want = format!(
        "ok: gas {} (bound {}), result {} bytes\n",
        f[7],
        f[4],
        f[9].len() / 2
    );
    assert_eq!(out, want);
}
