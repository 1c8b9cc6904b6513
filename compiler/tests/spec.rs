//! The language specification's examples are executable: every fenced block
//! in `lang-spec/*.md` whose info string starts with `tally` is checked.
//!
//! - ```` ```tally ```` must check with no error;
//! - ```` ```tally error=E0301 ```` must fail with exactly one error, of that code;
//! - ```` ```tally warning=W0402 ```` must check with no error and exactly that warning.

use std::path::{Path, PathBuf};

use tally::db::check_text;
use tally::render;

/// One runnable example: where it is, what it expects, its text.
struct Example {
    place: String,
    expect: Expect,
    text: String,
}

enum Expect {
    Clean,
    Error(String),
    Warning(String),
}

fn spec_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lang-spec");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("lang-spec exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn examples(path: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(path).expect("readable spec");
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut found = Vec::new();
    let mut current: Option<(usize, Expect, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        match current.take() {
            None => {
                if let Some(info) = fence.strip_prefix("```tally") {
                    let info = info.trim();
                    let expect = if let Some(code) = info.strip_prefix("error=") {
                        Expect::Error(code.trim().to_string())
                    } else if let Some(code) = info.strip_prefix("warning=") {
                        Expect::Warning(code.trim().to_string())
                    } else {
                        assert!(
                            info.is_empty(),
                            "{name}:{}: unknown info string `tally {info}`",
                            i + 1
                        );
                        Expect::Clean
                    };
                    current = Some((i + 1, expect, String::new()));
                }
            }
            Some((start, expect, body)) => {
                if fence.starts_with("```") {
                    found.push(Example {
                        place: format!("{name}:{start}"),
                        expect,
                        text: body,
                    });
                } else {
                    current = Some((start, expect, body + line + "\n"));
                }
            }
        }
    }
    assert!(current.is_none(), "{name}: unterminated code block");
    found
}

#[test]
fn spec_examples_behave_as_marked() {
    let mut count = 0;
    let mut failures = Vec::new();
    for path in spec_files() {
        for example in examples(&path) {
            count += 1;
            let diagnostics = check_text(&example.place, &example.text);
            let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
            let warnings: Vec<_> = diagnostics.iter().filter(|d| !d.is_error()).collect();
            let ok = match &example.expect {
                Expect::Clean => errors.is_empty(),
                Expect::Error(code) => errors.len() == 1 && errors[0].code.as_str() == code,
                Expect::Warning(code) => {
                    errors.is_empty() && warnings.len() == 1 && warnings[0].code.as_str() == code
                }
            };
            if !ok {
                let shown: Vec<String> = diagnostics
                    .iter()
                    .map(|d| render::plain(d, &example.place, &example.text))
                    .collect();
                failures.push(format!(
                    "{}:\n{}\n  got: {:?}",
                    example.place, example.text, shown
                ));
            }
        }
    }
    assert!(
        count > 0 || spec_files().is_empty(),
        "the spec has runnable examples"
    );
    assert!(
        failures.is_empty(),
        "{} spec examples misbehave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
