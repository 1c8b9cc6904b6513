//! Property tests (`test name(x: Int, ..) { .. }`) as `tally test` runs
//! them: generated arguments from a seed, the same report for the same seed,
//! a failing property shrunk to a small case, and per property the cases
//! run, the worst gas used and the largest used/bound ratio seen.

#[path = "support/cli.rs"]
mod cli_support;

use cli_support::{stdout, tally};

const HOLDS: &str = "compiler/tests/properties/holds.tly";
const FAILS: &str = "compiler/tests/properties/fails.tly";

#[test]
fn properties_that_hold_report_cases_gas_and_ratio() {
    let output = tally(&["test", HOLDS, "--seed", "42", "--cases", "50"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    insta::assert_snapshot!("properties_hold", text);
    // Gas used never exceeds the static bound: every ratio is at most 1.
    let json = tally(&[
        "test", HOLDS, "--seed", "42", "--cases", "50", "--format", "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(doc["seed"], 42);
    let tests = doc["files"][0]["tests"].as_array().expect("tests");
    let mut properties = 0;
    for t in tests {
        let Some(p) = t["property"].as_object() else {
            continue;
        };
        properties += 1;
        assert_eq!(p["cases"], 50, "{t}");
        let used = p["max_ratio"]["used"].as_u64().expect("used");
        let bound = p["max_ratio"]["bound"].as_u64().expect("bound");
        assert!(used <= bound, "{t}");
        assert!(p["worst_gas_used"].as_u64().expect("worst") >= used, "{t}");
    }
    assert_eq!(properties, 6);
}

#[test]
fn a_failing_property_shrinks_to_a_minimal_case() {
    let output = tally(&["test", FAILS, "--seed", "42", "--cases", "50"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    insta::assert_snapshot!("properties_fail", text);
    for minimal in ["x = 100", "xs = [0, 0, 0], flag = false", "x = 0, y = 0"] {
        assert!(text.contains(minimal), "{minimal} in {text}");
    }
    // The counterexample comes with its canonical encoding, which runs.
    let json = tally(&[
        "test", FAILS, "--seed", "42", "-m", "below", "--format", "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    let ce = &doc["files"][0]["tests"][0]["property"]["counterexample"];
    assert_eq!(ce["arguments"][0]["value"], "100");
    assert_eq!(ce["arguments_hex"], "0103e400");
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let a = tally(&["test", FAILS, "--seed", "7"]);
    let b = tally(&["test", FAILS, "--seed", "7"]);
    assert_eq!(stdout(&a), stdout(&b));
    let other = tally(&["test", HOLDS, "--seed", "8", "-m", "reverse"]);
    let again = tally(&["test", HOLDS, "--seed", "8", "-m", "reverse"]);
    assert_eq!(stdout(&other), stdout(&again));
    // Without --seed a seed is chosen and printed; passing it back repeats the run.
    let first = tally(&["test", FAILS]);
    let text = stdout(&first);
    let seed = text
        .rsplit("rerun with --seed ")
        .next()
        .and_then(|s| s.trim().trim_end_matches(')').parse::<u64>().ok())
        .expect("the seed is printed");
    let replay = tally(&["test", FAILS, "--seed", &seed.to_string()]);
    assert_eq!(stdout(&replay), text);
}

#[test]
fn properties_are_checked_like_functions() {
    let dir = std::env::temp_dir().join(format!("tally-props-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bad.tly");
    std::fs::write(
        &file,
        "enum Never { More(Never) }\n\
         test takes_fn(f: fn(Int) -> Int) { true }\n\
         test wrong_body(x: Int) { x + 1 }\n",
    )
    .expect("write");
    let output = tally(&["check", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let err = cli_support::stderr(&output);
    assert!(
        err.contains("[E0305]") && err.contains("a property's values are generated"),
        "{err}"
    );
    assert!(
        err.contains("expected `Bool`") || err.contains("Bool"),
        "{err}"
    );
    // A generator must be a function in scope returning the parameter's type.
    std::fs::write(
        &file,
        "fn digit(n: Int) -> Int { n % 10 }\n\
         test wrong(b: Bool via digit) { b }\n\
         test missing(k: Int via nothing) { k == k }\n",
    )
    .expect("write");
    let output = tally(&["check", &file.display().to_string()]);
    let err = cli_support::stderr(&output);
    assert!(
        err.contains("[E0301] Error: `digit` cannot generate `b`")
            && err
                .contains("expected a function returning `Bool`, found `fn digit(n: Int) -> Int`"),
        "{err}"
    );
    assert!(
        err.contains("[E0201] Error: cannot find function `nothing`"),
        "{err}"
    );
    std::fs::write(
        &file,
        "enum Never { More(Never) }\ntest g(n: Never) { true }\n",
    )
    .expect("write");
    let output = tally(&["test", &file.display().to_string(), "--seed", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output)
            .contains("parameter `n` has type `Never`, which has no finite value to generate"),
        "{}",
        stdout(&output)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
