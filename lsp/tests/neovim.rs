//! End to end with a real client: headless Neovim starts `tally-lsp` on the
//! examples (`lsp/tests/neovim/e2e.lua`), and this test asserts what the
//! editor observed: the diagnostics of a broken file, a hover, a jump into
//! the standard library, a completion list, and the diagnostics of a line
//! typed into a buffer.
//!
//! Neovim is installed by `.ci/run` (Debian's `neovim` package). Without it
//! this test fails and says so: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Longer than the script's own watchdog, so the script normally reports first.
const DEADLINE: Duration = Duration::from_secs(90);

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("lsp/ has a parent")
        .to_path_buf()
}

/// Starts Neovim on the script, or fails with the way to install it.
fn start_neovim(script: &Path, out: &Path) -> Child {
    let spawned = Command::new("nvim")
        .arg("--headless")
        .arg("--clean")
        .arg("-n")
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .env("TALLY_LSP", env!("CARGO_BIN_EXE_tally-lsp"))
        .env("TALLY_ROOT", repository_root())
        .env("TALLY_OUT", out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    match spawned {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "`nvim` is not installed, and this end-to-end test needs it. Install it with \
             the Neovim step of `.ci/run` (`apt-get install -y neovim` on Debian), or run \
             `bash .ci/run`."
        ),
        Err(error) => panic!("could not start `nvim`: {error}"),
    }
}

/// Waits for the child until the deadline; kills it and fails if it is late.
fn wait_or_kill(mut child: Child) -> (std::process::ExitStatus, String) {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let output = child.wait_with_output().expect("collect nvim's output");
                let text = format!(
                    "stdout:\n{}\nstderr:\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                return (status, text);
            }
            Ok(None) if started.elapsed() < DEADLINE => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Neovim did not finish within {DEADLINE:?}; it was killed");
            }
            Err(error) => {
                let _ = child.kill();
                panic!("could not wait for Neovim: {error}");
            }
        }
    }
}

#[test]
fn neovim_diagnostics_hover_definition_completion() {
    let dir = std::env::temp_dir().join(format!("tally-lsp-neovim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let out = dir.join("observed.json");
    let _ = std::fs::remove_file(&out);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neovim/e2e.lua");

    let (status, output) = wait_or_kill(start_neovim(&script, &out));
    let written = std::fs::read_to_string(&out);
    let _ = std::fs::remove_dir_all(&dir);
    let written = written.unwrap_or_else(|error| {
        panic!("the Neovim script wrote no observations ({error}); exit {status}\n{output}")
    });
    let observed: Value = serde_json::from_str(&written)
        .unwrap_or_else(|error| panic!("the observations are not JSON ({error}): {written}"));
    if let Some(error) = observed.get("error") {
        panic!("the Neovim script failed: {error}\nexit {status}\n{output}");
    }
    assert!(status.success(), "Neovim exited with {status}\n{output}");

    // The broken file's one error, as Neovim shows it.
    let diagnostics = observed["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "E0301");
    insta::assert_json_snapshot!("neovim_diagnostics", observed["diagnostics"]);

    // Hover on `filter`: its signature and doc comment from `std::list`.
    let hover = observed["hover"]["value"]
        .as_str()
        .expect("a markdown hover");
    assert!(hover.contains("fn filter<T>"), "{hover}");
    insta::assert_json_snapshot!("neovim_hover", observed["hover"]);

    // Go to definition of `map` lands on `pub fn map` in the stdlib's file.
    let definition = &observed["definition"];
    assert_eq!(definition["file"], "list.tly");
    assert_eq!(definition["on_disk"], true);
    let line = definition["line_text"].as_str().expect("the line");
    assert!(line.contains("pub fn map"), "{line}");
    insta::assert_json_snapshot!("neovim_definition", definition);

    // Completion after `std::list::` offers the list functions.
    let items = observed["completion"].as_array().expect("completions");
    let mut wanted: Vec<&Value> = items
        .iter()
        .filter(|item| {
            ["map", "filter", "fold", "length"].contains(&item["label"].as_str().unwrap_or(""))
        })
        .collect();
    wanted.sort_by_key(|item| item["label"].as_str().unwrap_or("").to_string());
    assert_eq!(wanted.len(), 4, "map, filter, fold, length in {items:?}");
    insta::assert_json_snapshot!("neovim_completion", wanted);

    // The typed line (a change Neovim sent) is checked: its error is on it.
    let after_edit = observed["after_edit"]
        .as_array()
        .expect("diagnostics after the edit");
    assert!(!after_edit.is_empty());
    for diagnostic in after_edit {
        assert_eq!(
            diagnostic["line"], diagnostic["last_line"],
            "{after_edit:?}"
        );
    }
    insta::assert_json_snapshot!("neovim_after_edit", after_edit);

    // Typing without the `}`: one E0108, and the fields after `e.`.
    assert_eq!(
        observed["typing"],
        json!({ "diagnostic": "E0108", "fields": ["amount", "owner"] })
    );
    // The clashing rename refused, with the clash named.
    insta::assert_json_snapshot!("neovim_rename_refusal", observed["rename_refusal"]);
    // Gas lenses, then the same marked stale across a syntax error.
    insta::assert_json_snapshot!("neovim_lenses", observed["lenses"]);
    let stale: Vec<String> = observed["lenses"]
        .as_array()
        .expect("lenses")
        .iter()
        .map(|t| format!("{} (stale)", t.as_str().unwrap_or("")))
        .collect();
    assert_eq!(observed["stale_lenses"], json!(stale));
    // The code action applied by Neovim leaves a match that checks.
    assert_eq!(observed["action"], "Add the missing match arm (Closed(_))");
    insta::assert_json_snapshot!("neovim_after_action", observed["after_action"]);
}
