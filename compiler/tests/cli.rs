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
