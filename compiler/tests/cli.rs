//! The `tally` command as a user meets it: help texts, exit codes, output formats.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{stderr, stdout, tally};

#[test]
fn help_texts() {
    insta::assert_snapshot!("help", stdout(&tally(&["--help"])));
    insta::assert_snapshot!("check_help", stdout(&tally(&["check", "--help"])));
}

#[test]
fn clean_examples_exit_zero() {
    let output = tally(&["check", "examples/lists.tly", "examples/token.tly"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "checked 2 files: no problems\n");
}

#[test]
fn program_errors_exit_one() {
    let output = tally(&["check", "examples/reject/type_mismatch.tly"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("[E0301] Error"), "{text}");
    assert!(
        text.ends_with("checked 1 file: 1 error, 0 warnings\n"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when NO_COLOR is set or output is not a terminal"
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(tally(&["check"]).status.code(), Some(2));
    assert_eq!(tally(&["frobnicate"]).status.code(), Some(2));
    let missing = tally(&["check", "no/such/file.tly"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).starts_with("error: cannot read no/such/file.tly"));
}

#[test]
fn json_output_for_tools() {
    let output = tally(&[
        "check",
        "--format",
        "json",
        "examples/reject/non_exhaustive.tly",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(document["errors"], 1);
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0401");
    assert_eq!(diagnostic["kind"], "exhaustive");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["file"], "examples/reject/non_exhaustive.tly");
    assert_eq!(diagnostic["primary"]["start_pos"]["line"], 3);
}

#[test]
fn colour_only_when_asked() {
    let output = tally(&[
        "--color",
        "always",
        "check",
        "examples/reject/type_mismatch.tly",
    ]);
    assert!(stderr(&output).contains('\u{1b}'), "--color always colours");
}

#[test]
fn version_names_the_bytecode_format() {
    let output = tally(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!(
            "tally {} (bytecode format {}, vm {})\n",
            env!("CARGO_PKG_VERSION"),
            vm_core::format::FORMAT_VERSION,
            vm_core::format::VM_ID
        )
    );
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = tally(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains("tally"), "{shell}: {script}");
        assert!(script.contains("check"), "{shell} completes subcommands");
    }
    assert_eq!(tally(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn clap_messages_follow_the_colour_choice() {
    let never = tally(&["--color", "never", "chek"]);
    assert_eq!(never.status.code(), Some(2));
    assert!(!stderr(&never).contains('\u{1b}'), "{}", stderr(&never));
    let always = tally(&["--color=always", "chek"]);
    assert!(stderr(&always).contains('\u{1b}'), "{}", stderr(&always));
}

#[test]
fn fmt_reads_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tally runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write");
        drop(stdin);
        child.wait_with_output().expect("tally ends")
    };
    let messy = "fn   f()->Int{1}\n";
    let output = run(&["fmt", "-"], messy);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "fn f() -> Int {\n  1\n}\n");
    assert_eq!(run(&["fmt", "--check", "-"], messy).status.code(), Some(1));
    let clean = run(&["fmt", "--check", "-"], "fn f() -> Int {\n  1\n}\n");
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
    let broken = run(&["fmt", "-"], "fn (");
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("<stdin>: not formatted"));
}

#[test]
fn test_filter_by_substring() {
    let output = tally(&["test", "-m", "_of_", "examples/lists.tly"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("test sum_of_three"), "{text}");
    assert!(text.contains("test length_of_empty"), "{text}");
    assert!(!text.contains("reverse"), "{text}");
    assert!(
        text.starts_with("running 2 tests in examples/lists.tly"),
        "{text}"
    );
    let none = tally(&["test", "--match", "no-such-test", "examples/lists.tly"]);
    assert!(stdout(&none).contains("0 passed; 0 failed"));
}

/// Standard output parsed as one JSON document.
fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("one JSON document ({e}): {}", stdout(output)))
}

#[test]
fn json_everywhere_with_a_schema() {
    let dir = std::env::temp_dir().join(format!("tally-cli-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("lists.tbc");
    let out_text = out.display().to_string();
    let built = tally(&[
        "build",
        "examples/lists.tly",
        "-o",
        &out_text,
        "--format",
        "json",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let doc = json_of(&built);
    assert_eq!(doc["schema"], "tally-build/1");
    assert_eq!(doc["modules"][0]["output"], out_text.as_str());
    assert_eq!(doc["modules"][0]["module"]["vm"], vm_core::format::VM_ID);

    let disasm = json_of(&tally(&["disasm", &out_text, "--format", "json"]));
    assert_eq!(disasm["schema"], "tally-disasm/1");
    assert_eq!(
        disasm["module"]["sha256"],
        doc["modules"][0]["module"]["sha256"]
    );
    assert!(
        disasm["listing"]
            .as_str()
            .is_some_and(|l| l.contains("fn "))
    );

    let messy = dir.join("messy.tly");
    std::fs::write(&messy, "fn   f()->Int{1}\n").expect("written");
    let messy_text = messy.display().to_string();
    let fmt = tally(&[
        "fmt",
        "--check",
        "--format",
        "json",
        "examples/lists.tly",
        &messy_text,
    ]);
    assert_eq!(fmt.status.code(), Some(1));
    let fmt = json_of(&fmt);
    assert_eq!(fmt["schema"], "tally-fmt/1");
    assert_eq!(fmt["files"][0]["state"], "formatted");
    assert_eq!(fmt["files"][1]["state"], "not_formatted");

    for command in ["build", "run", "gas", "disasm"] {
        let mut args = vec![command, "no/such.tly", "--format", "json"];
        if command == "run" {
            args.extend(["--entry", "f"]);
        }
        let missing = tally(&args);
        assert_eq!(missing.status.code(), Some(2), "{command}");
        let error = json_of(&missing);
        assert!(
            error["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read no/such.tly")),
            "{command}: {error}"
        );
    }
    for (args, schema) in [
        (
            &["check", "--format", "json", "examples/lists.tly"][..],
            "tally-check/1",
        ),
        (
            &["test", "--format", "json", "examples/lists.tly"][..],
            "tally-test/1",
        ),
        (
            &["gas", "--format", "json", "examples/lists.tly"][..],
            "tally-gas/1",
        ),
        (
            &[
                "run",
                "--format",
                "json",
                "examples/lists.tly",
                "--entry",
                "sum",
                "--arg",
                "[1]",
            ][..],
            "tally-run/1",
        ),
    ] {
        assert_eq!(json_of(&tally(args))["schema"], schema, "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
