//! `tally build`, `run`, `test`, `disasm` and `gas` as a user meets them:
//! every example's tests pass in the VM, every `pub fn` of the examples runs
//! from the command line within its static bound, bytecode files run like
//! sources, errors exit non-zero.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{stderr, stdout, tally};

#[test]
fn help_texts() {
    for command in ["build", "run", "test", "disasm", "gas"] {
        insta::assert_snapshot!(
            format!("{command}_help"),
            stdout(&tally(&[command, "--help"]))
        );
    }
}

#[test]
fn every_example_test_passes() {
    let output = tally(&[
        "test",
        "examples/higher_order.tly",
        "examples/lists.tly",
        "examples/recursion.tly",
        "examples/token.tly",
        "examples/assoc_token.tly",
        "examples/htlc.tly",
        "examples/multisig.tly",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    insta::assert_snapshot!("test_examples", stdout(&output));
}

/// Every `pub fn` of the examples, with arguments and the expected result.
const CALLS: &[(&str, &str, &[&str], &str)] = &[
    ("higher_order", "total_above", &["[1, 5, 10]", "4"], "15"),
    ("higher_order", "doubled", &["[1, 2, 3]"], "[2, 4, 6]"),
    ("lists", "length", &["[7, 8, 9]"], "3"),
    ("lists", "length", &["[#\"00\", #\"01\"]"], "2"),
    ("lists", "sum", &["[1, 2, 3]"], "6"),
    ("lists", "reverse_onto", &["[1, 2]", "[9]"], "[2, 1, 9]"),
    ("lists", "insertion_sort", &["[3, -1, 2]"], "[-1, 2, 3]"),
    (
        "recursion",
        "tree_sum",
        &["Node(Node(Leaf, 1, Leaf), 2, Leaf)"],
        "3",
    ),
    ("recursion", "even_length", &["[1, 2]"], "true"),
    ("recursion", "odd_length", &["[true, false]"], "false"),
    ("recursion", "sum_to", &["100"], "5050"),
    ("recursion", "interleave", &["[1, 3]", "[2]"], "[1, 2, 3]"),
    ("recursion", "fib", &["20"], "6765"),
    (
        "token",
        "balance_of",
        &[
            "Map { #\"aa\": Account { balance: 5, nonce: 0 } }",
            "#\"aa\"",
        ],
        "5",
    ),
    (
        "token",
        "transfer_message",
        &["#\"aa\"", "#\"bb\"", "258", "1"],
        "#\"aabb00000000000001020000000000000001\"",
    ),
    (
        "token",
        "transfer",
        &[
            "Map { #\"beff6d90bb39de147aa6ffb4a6e5ca4bcfcf0ad33ae89b876a5a52594a1bc657\": Account { balance: 100, nonce: 0 } }",
            "#\"beff6d90bb39de147aa6ffb4a6e5ca4bcfcf0ad33ae89b876a5a52594a1bc657\"",
            "#\"da64e8397cd025381ec5d13e3394cda44a22d5a26d534ff6883639f177f3bc12\"",
            "30",
            "#\"76ccac5b904e5d745c9c93014061c3509f5c360ebc0fa370c2ddb913db4f9d061d235b4f81bd49d64e0844596092fec65f0eec9d63c0ae8cfe96c25d4a516903\"",
        ],
        "Ok(Map { #\"beff6d90bb39de147aa6ffb4a6e5ca4bcfcf0ad33ae89b876a5a52594a1bc657\": Account { balance: 70, nonce: 1 }, #\"da64e8397cd025381ec5d13e3394cda44a22d5a26d534ff6883639f177f3bc12\": Account { balance: 30, nonce: 0 } })",
    ),
    (
        "assoc_token",
        "balance_of",
        &["[Entry { owner: #\"aa\", amount: 5 }]", "#\"aa\""],
        "5",
    ),
    (
        "assoc_token",
        "transfer",
        &[
            "[Entry { owner: #\"aa\", amount: 10 }]",
            "#\"aa\"",
            "#\"bb\"",
            "4",
        ],
        "Ok([Entry { owner: #\"aa\", amount: 6 }, Entry { owner: #\"bb\", amount: 4 }])",
    ),
    (
        "htlc",
        "claim_message",
        &[
            "Htlc { sender: #\"5ddeb6a7f115d521388aaa8e5b047ac94e4b3617c4265bad9dfb4fcfdb92fd3f\", recipient: #\"e041f0bd32721df66ac128557361db0ec1ab3ffc684b46273bbbd6420c4a12aa\", hash_lock: #\"71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\", timeout: 1000, amount: 50 }",
        ],
        "#\"636c61696d3a71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\"",
    ),
    (
        "htlc",
        "refund_message",
        &[
            "Htlc { sender: #\"5ddeb6a7f115d521388aaa8e5b047ac94e4b3617c4265bad9dfb4fcfdb92fd3f\", recipient: #\"e041f0bd32721df66ac128557361db0ec1ab3ffc684b46273bbbd6420c4a12aa\", hash_lock: #\"71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\", timeout: 1000, amount: 50 }",
        ],
        "#\"726566756e643a71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\"",
    ),
    (
        "htlc",
        "claim",
        &[
            "Htlc { sender: #\"5ddeb6a7f115d521388aaa8e5b047ac94e4b3617c4265bad9dfb4fcfdb92fd3f\", recipient: #\"e041f0bd32721df66ac128557361db0ec1ab3ffc684b46273bbbd6420c4a12aa\", hash_lock: #\"71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\", timeout: 1000, amount: 50 }",
            "999",
            "#\"74616c6c792068746c6320707265696d616765\"",
            "#\"9634b4c7b4d0ae64eb0d06d87f013d235807a0f1319617469b2a51e560edb6850fc6004c40926003e7ede6ed3651d8e4ba19f229bba07c4fc31bac67e06698ae\"",
        ],
        "Ok(Payout { to: #\"e041f0bd32721df66ac128557361db0ec1ab3ffc684b46273bbbd6420c4a12aa\", amount: 50 })",
    ),
    (
        "htlc",
        "refund",
        &[
            "Htlc { sender: #\"5ddeb6a7f115d521388aaa8e5b047ac94e4b3617c4265bad9dfb4fcfdb92fd3f\", recipient: #\"e041f0bd32721df66ac128557361db0ec1ab3ffc684b46273bbbd6420c4a12aa\", hash_lock: #\"71235601eef2c8979aabf4936979cd0998626c086cd425b0ff0e22481058a78d\", timeout: 1000, amount: 50 }",
            "1000",
            "#\"b1208580b93faa55d897df7110aaa8875a617c7af2c9cde7aa674313ec5766f01b3c14495c1cdcf97a28c6485b4ed8855d5fa87f6f4b54136ade0b566e7fac1e\"",
        ],
        "Ok(Payout { to: #\"5ddeb6a7f115d521388aaa8e5b047ac94e4b3617c4265bad9dfb4fcfdb92fd3f\", amount: 50 })",
    ),
    (
        "multisig",
        "authorize",
        &[
            "Wallet { signers: [#\"767032bd7f44d2fe969e8ba5d2ffa465eb4049d85017442ecd738fab723c139a\", #\"948546913b8a6de56663cc194c6ca1b1e80922e648b26601c7258950c612b5da\"], threshold: 1 }",
            "#\"7061792031303020746f20626f622c206e6f6e63652037\"",
            "[Some(#\"f2c20b764e63b39aa5ac37c08f16a5fe5ceddf3c3c8e8f192942365bab2eccdb4900e04c411bcab01da8f2859c98baee30696d5c81e73735b7387ce839c1d308\"), None]",
        ],
        "Ok(1)",
    ),
];

#[test]
fn every_pub_fn_runs_from_the_command_line() {
    for (file, entry, args, expected) in CALLS {
        let path = format!("examples/{file}.tly");
        let mut command = vec!["run", path.as_str(), "--entry", entry];
        for a in *args {
            command.extend(["--arg", a]);
        }
        let output = tally(&command);
        assert_eq!(
            (output.status.code(), stdout(&output).trim_end()),
            (Some(0), *expected),
            "{command:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with("gas used: "),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn token_transfer_runs_and_reports_json() {
    let output = tally(&[
        "run",
        "examples/token.tly",
        "--entry",
        "transfer",
        "--arg",
        "Map { #\"beff6d90bb39de147aa6ffb4a6e5ca4bcfcf0ad33ae89b876a5a52594a1bc657\": Account { balance: 100, nonce: 0 } }",
        "--arg",
        "#\"beff6d90bb39de147aa6ffb4a6e5ca4bcfcf0ad33ae89b876a5a52594a1bc657\"",
        "--arg",
        "#\"da64e8397cd025381ec5d13e3394cda44a22d5a26d534ff6883639f177f3bc12\"",
        "--arg",
        "30",
        "--arg",
        "#\"76ccac5b904e5d745c9c93014061c3509f5c360ebc0fa370c2ddb913db4f9d061d235b4f81bd49d64e0844596092fec65f0eec9d63c0ae8cfe96c25d4a516903\"",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert!(
        doc["result"].as_str().is_some_and(|r| r.starts_with("Ok(")),
        "{doc}"
    );
    assert!(doc["gas_used"].as_u64().is_some_and(|g| g > 0), "{doc}");
}

#[test]
fn built_bytecode_runs_like_the_source() {
    let dir = std::env::temp_dir().join(format!("tally-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("recursion.tbc");
    let out_text = out.display().to_string();
    let build = tally(&["build", "examples/recursion.tly", "-o", &out_text]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    let report = stderr(&build);
    assert!(
        report.contains("[W0602] Warning"),
        "build shows warnings: {report}"
    );
    assert!(
        report.contains(&format!("\nwrote {out_text} (")),
        "{report}"
    );
    let bytes = std::fs::read(&out).expect("module written");
    assert!(bytes.starts_with(b"\0TLY"));

    let from_source = tally(&[
        "run",
        "examples/recursion.tly",
        "--entry",
        "fib",
        "--arg",
        "15",
    ]);
    let from_bytecode = tally(&["run", &out_text, "--entry", "fib", "--arg", "15"]);
    assert_eq!(
        stdout(&from_bytecode),
        "610\n",
        "{}",
        stderr(&from_bytecode)
    );
    assert_eq!(stdout(&from_source), stdout(&from_bytecode));
    assert_eq!(stderr(&from_source), stderr(&from_bytecode), "same gas");

    let disasm_source = tally(&["disasm", "examples/recursion.tly"]);
    let disasm_bytecode = tally(&["disasm", &out_text]);
    assert_eq!(disasm_source.status.code(), Some(0));
    assert_eq!(stdout(&disasm_source), stdout(&disasm_bytecode));

    let mut corrupt = bytes.clone();
    corrupt.truncate(bytes.len() / 2);
    std::fs::write(&out, corrupt).expect("write");
    let broken = tally(&["run", &out_text, "--entry", "fib", "--arg", "1"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("invalid bytecode"),
        "{}",
        stderr(&broken)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn traps_and_limits_exit_one() {
    let out_of_gas = tally(&[
        "run",
        "examples/recursion.tly",
        "--entry",
        "fib",
        "--arg",
        "20",
        "--gas-limit",
        "1000",
    ]);
    assert_eq!(out_of_gas.status.code(), Some(1));
    let text = stderr(&out_of_gas);
    let used: u64 = text
        .strip_prefix("error: the call trapped: out of gas (gas used: ")
        .and_then(|rest| rest.strip_suffix(")\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected report: {text}"));
    assert!(used <= 1000, "never more than the limit: {used}");
    let overflow = tally(&[
        "run",
        "examples/lists.tly",
        "--entry",
        "sum",
        "--arg",
        "[170141183460469231731687303715884105727, 1]",
    ]);
    assert_eq!(overflow.status.code(), Some(1));
    assert!(
        stderr(&overflow).contains("integer overflow"),
        "{}",
        stderr(&overflow)
    );
}

#[test]
fn usage_errors_exit_two() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "examples/lists.tly", "--entry", "nope"],
            "error: no entry point named `nope`; its entry points are: ",
        ),
        (
            &["run", "examples/lists.tly", "--entry", "sum"],
            "error: the entry point takes 1 argument but 0 given",
        ),
        (
            &[
                "run",
                "examples/lists.tly",
                "--entry",
                "sum",
                "--arg",
                "[true]",
            ],
            "error: argument 1 `[true]` is not a List<Int>",
        ),
        (
            &[
                "run",
                "examples/lists.tly",
                "--entry",
                "length",
                "--arg",
                "[1, true]",
            ],
            "error: the arguments do not fit `length`",
        ),
        (
            &["run", "no/such.tly", "--entry", "x"],
            "error: cannot read no/such.tly",
        ),
    ];
    for (args, expected) in cases {
        let output = tally(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn programs_with_errors_do_not_run() {
    let output = tally(&["run", "examples/reject/type_mismatch.tly", "--entry", "f"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("[E0301] Error"),
        "{}",
        stderr(&output)
    );
    let test = tally(&["test", "examples/reject/no_descent.tly"]);
    assert_eq!(test.status.code(), Some(1));
}

#[test]
fn failing_tests_exit_one() {
    let dir = std::env::temp_dir().join(format!("tally-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("failing.tly");
    std::fs::write(
        &file,
        "test passes() { 1 + 1 == 2 }\ntest fails() { 1 + 1 == 3 }\ntest traps() { 1 / 0 == 0 }\n",
    )
    .expect("write");
    let output = tally(&["test", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output).replace(&dir.display().to_string(), "DIR");
    insta::assert_snapshot!("test_failures", text);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gas_bounds_of_the_examples() {
    let mut out = String::new();
    for file in [
        "higher_order",
        "lists",
        "recursion",
        "token",
        "assoc_token",
        "htlc",
        "multisig",
    ] {
        let path = format!("examples/{file}.tly");
        let output = tally(&["gas", &path]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        out.push_str(&format!("== {path}\n{}\n", stdout(&output)));
    }
    insta::assert_snapshot!("gas_examples", out);
}

#[test]
fn every_example_call_stays_within_its_bound() {
    for (file, entry, args, _) in CALLS {
        let path = format!("examples/{file}.tly");
        let mut run = vec!["run", path.as_str(), "--entry", entry, "--format", "json"];
        let mut gas = vec!["gas", path.as_str(), "--entry", entry, "--format", "json"];
        for a in *args {
            run.extend(["--arg", a]);
            gas.extend(["--arg", a]);
        }
        let ran: serde_json::Value = serde_json::from_str(&stdout(&tally(&run))).expect("JSON");
        let bound: serde_json::Value = serde_json::from_str(&stdout(&tally(&gas))).expect("JSON");
        let used = ran["gas_used"].as_u64().expect("gas used");
        let limit = bound["entries"][0]["gas_bound"].as_u64().expect("a bound");
        assert!(
            used <= limit,
            "{file}::{entry}{args:?}: used {used} > bound {limit}"
        );
        assert!(bound["entries"][0]["gas"].as_str().is_some(), "{bound}");
    }
}

#[test]
fn a_program_without_a_bound_is_rejected_by_every_command() {
    for command in [
        vec!["check", "examples/reject/ackermann.tly"],
        vec!["gas", "examples/reject/ackermann.tly"],
        vec!["build", "examples/reject/ackermann.tly", "-o", "/dev/null"],
        vec![
            "run",
            "examples/reject/ackermann.tly",
            "--entry",
            "ack",
            "--arg",
            "1",
            "--arg",
            "1",
        ],
    ] {
        let output = tally(&command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert!(
            stderr(&output).contains("[E0601] Error"),
            "{command:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn require_bound_refuses_calls_whose_bound_exceeds_the_limit() {
    let base = [
        "run",
        "examples/recursion.tly",
        "--entry",
        "fib",
        "--arg",
        "20",
    ];
    let within = tally(&[&base[..], &["--gas-limit", "50000000", "--require-bound"]].concat());
    assert_eq!(within.status.code(), Some(0), "{}", stderr(&within));
    assert_eq!(stdout(&within), "6765\n");
    let refused = tally(&[&base[..], &["--gas-limit", "100000", "--require-bound"]].concat());
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused),
        "error: not run: the static gas bound for these arguments is 41943040, above the limit 100000\n"
    );
}

#[test]
fn require_bound_refuses_saturated_bounds_and_calls_that_could_overflow_the_stack() {
    // fib(1000): its gas bound saturates, so it fits not even the largest limit.
    let saturated = tally(&[
        "run",
        "examples/recursion.tly",
        "--entry",
        "fib",
        "--arg",
        "1000",
        "--gas-limit",
        "18446744073709551615",
        "--require-bound",
    ]);
    assert_eq!(saturated.status.code(), Some(1));
    assert!(
        stderr(&saturated).contains("too large to compute (saturated)"),
        "{}",
        stderr(&saturated)
    );
    // sum_to(5,000,000) recurses 5,000,000 frames deep: its gas fits the
    // default limit, its stack does not (run unrefused, it overflows).
    let deep = [
        "run",
        "examples/recursion.tly",
        "--entry",
        "sum_to",
        "--arg",
        "5000000",
    ];
    let overflow = tally(&deep);
    assert_eq!(overflow.status.code(), Some(1));
    assert!(
        stderr(&overflow).contains("call stack overflow"),
        "{}",
        stderr(&overflow)
    );
    let refused = tally(&[&deep[..], &["--require-bound"]].concat());
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("register stack bound for these arguments is"),
        "{}",
        stderr(&refused)
    );
    // A million frames fit, and run.
    let fits = tally(&[
        "run",
        "examples/recursion.tly",
        "--entry",
        "sum_to",
        "--arg",
        "1000000",
        "--require-bound",
    ]);
    assert_eq!(fits.status.code(), Some(0), "{}", stderr(&fits));
    assert_eq!(stdout(&fits), "500000500000\n");
}
