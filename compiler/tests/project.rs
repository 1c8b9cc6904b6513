//! Projects as a user meets them: `tally new`, a second module, a path
//! dependency, then `check`, `build`, `test` and `gas` from the project's
//! folder (snapshots); the interface file validates against the shipped
//! JSON Schema, and an off-chain client in Python that reads only the
//! interface encodes arguments for `tally run --args-hex`, with the same
//! result as the literal form.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tally-project-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs `tally` in `dir`.
fn tally_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("tally runs")
}

/// Exit code, standard output and standard error, for a snapshot.
fn transcript(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, text).expect("written");
}

/// `tally new vault`, plus a module `stats` and a dependency `util` (its
/// own project, with a nested module `num::math` and a module `helpers`
/// that imports it by its in-package name).
fn vault_with_dependency(base: &Path) -> PathBuf {
    let created = tally_in(base, &["new", "vault"]);
    insta::assert_snapshot!("new", transcript(&created));
    let vault = base.join("vault");
    for file in [
        "tally.toml",
        "README.md",
        ".gitignore",
        "src/ledger.tly",
        "src/contracts/vault.tly",
    ] {
        assert!(vault.join(file).is_file(), "tally new writes {file}");
    }
    // Out of the box it checks, tests and builds.
    assert_eq!(tally_in(&vault, &["check"]).status.code(), Some(0));
    assert_eq!(tally_in(&vault, &["test"]).status.code(), Some(0));

    let util = base.join("util");
    write(
        &util.join("tally.toml"),
        "[package]\nname = \"util\"\nversion = \"0.2.0\"\n",
    );
    write(
        &util.join("src/num/math.tly"),
        "/// The larger of two numbers.\npub fn max(a: Int, b: Int) -> Int {\n  if a > b { a } else { b }\n}\n\nfn secret() -> Int {\n  42\n}\n",
    );
    write(
        &util.join("src/helpers.tly"),
        "use num::math::{max}\n\n/// `x`, or 0 if it is negative.\npub fn clamp(x: Int) -> Int {\n  max(x, 0)\n}\n\ntest clamp_negative() { clamp(-3) == 0 }\n",
    );
    let manifest = std::fs::read_to_string(vault.join("tally.toml")).expect("manifest");
    write(
        &vault.join("tally.toml"),
        &format!("{manifest}util = {{ path = \"../util\" }}\n"),
    );
    write(
        &vault.join("src/stats.tly"),
        "use util::num::math\nuse util::helpers::{clamp}\n\n/// The total of `xs`, each clamped at zero.\npub fn total(xs: List<Int>) -> Int {\n  match xs {\n    [] => 0,\n    [x, ..rest] => math::max(clamp(x), 0) + total(rest),\n  }\n}\n\ntest total_clamps() { total([1, -5, 3]) == 4 }\n",
    );
    let contract =
        std::fs::read_to_string(vault.join("src/contracts/vault.tly")).expect("contract");
    write(
        &vault.join("src/contracts/vault.tly"),
        &format!(
            "{contract}\n/// The sum of the positive amounts.\npub fn deposits(amounts: List<Int>) -> Int {{\n  stats::total(amounts)\n}}\n"
        ),
    );
    vault
}

#[test]
fn a_project_with_a_module_and_a_dependency() {
    let base = scratch("vault");
    let vault = vault_with_dependency(&base);

    insta::assert_snapshot!("check", transcript(&tally_in(&vault, &["check"])));
    insta::assert_snapshot!("test", transcript(&tally_in(&vault, &["test"])));
    insta::assert_snapshot!("build", transcript(&tally_in(&vault, &["build"])));
    insta::assert_snapshot!("gas", transcript(&tally_in(&vault, &["gas"])));
    // From a folder below the project, too (found upwards, as Cargo does).
    let below = tally_in(
        &vault.join("src/contracts"),
        &["run", "--entry", "deposits", "--arg", "[3, -1, 4]"],
    );
    assert_eq!(
        String::from_utf8_lossy(&below.stdout),
        "7\n",
        "{}",
        transcript(&below)
    );
    // A file of the project given on the command line is compiled with its project.
    let file = tally_in(&vault, &["check", "src/stats.tly"]);
    assert_eq!(file.status.code(), Some(0), "{}", transcript(&file));

    // Its disassembly names every function by its module path, the
    // dependency's under the dependency's name.
    let disasm = tally_in(&vault, &["disasm", "src/contracts/vault.tly"]);
    assert_eq!(disasm.status.code(), Some(0), "{}", transcript(&disasm));
    let functions: Vec<String> = String::from_utf8_lossy(&disasm.stdout)
        .lines()
        .filter(|l| l.starts_with("fn "))
        .map(|l| l.split('(').next().unwrap_or(l).to_string())
        .collect();
    assert_eq!(
        functions,
        [
            "fn f0 `contracts::vault::transfer`",
            "fn f1 `contracts::vault::deposits`",
            "fn f2 `ledger::balance_of`",
            "fn f3 `ledger::credit`",
            "fn f4 `stats::total`",
            "fn f5 `util::helpers::clamp`",
            "fn f6 `util::num::math::max`",
        ]
    );

    // The interface: SHA-256 of the module, and it validates.
    let tbc = std::fs::read(vault.join("target/vault.tbc")).expect("module built");
    let interface: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(vault.join("target/vault.interface.json")).expect("interface"),
    )
    .expect("interface is JSON");
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&tbc)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(interface["module"]["sha256"], digest.as_str());
    assert_eq!(interface["package"]["name"], "vault");
    validate(&interface);
    let transfer = interface["exports"]
        .as_array()
        .expect("exports")
        .iter()
        .find(|e| e["name"] == "transfer")
        .expect("transfer exported");
    assert_eq!(transfer["doc"], "Moves `amount` from `from` to `to`.");
    let names: Vec<&str> = transfer["params"]
        .as_array()
        .expect("params")
        .iter()
        .map(|p| p["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["accounts", "from", "to", "amount"]);
    let gas = tally_in(&vault, &["gas", "--entry", "transfer", "--format", "json"]);
    let gas: serde_json::Value = serde_json::from_slice(&gas.stdout).expect("gas JSON");
    assert_eq!(
        transfer["bounds"]["gas"]["formula"],
        gas["contracts"][0]["report"]["entries"][0]["gas"]
    );

    // A cycle between two modules is reported in both, naming the cycle.
    write(
        &vault.join("src/cycle.tly"),
        "use stats::{total}\n\npub fn f() -> Int {\n  total([])\n}\n",
    );
    let stats = std::fs::read_to_string(vault.join("src/stats.tly")).expect("stats");
    write(
        &vault.join("src/stats.tly"),
        &format!("use cycle::{{f}}\n{stats}"),
    );
    insta::assert_snapshot!("cycle", transcript(&tally_in(&vault, &["check"])));
    let _ = std::fs::remove_dir_all(&base);
}

/// Validates an interface against `compiler/schema/interface.schema.json`.
fn validate(interface: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/interface.schema.json"
        ))
        .expect("the schema"),
    )
    .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(interface)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "interface does not validate: {errors:#?}"
    );
}

#[test]
fn single_file_interfaces_validate() {
    let base = scratch("examples");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    for name in ["token", "lists", "map_ledger", "htlc", "recursion"] {
        let out = base.join(format!("{name}.tbc"));
        let built = tally_in(
            Path::new(examples),
            &[
                "build",
                &format!("{name}.tly"),
                "-o",
                out.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(built.status.code(), Some(0), "{}", transcript(&built));
        let interface: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(base.join(format!("{name}.interface.json"))).expect("written"),
        )
        .expect("JSON");
        assert_eq!(interface["schema"], "tally-interface/1");
        assert_eq!(interface["package"], serde_json::Value::Null);
        validate(&interface);
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Runs the Python client on the interface: the hex of the arguments.
fn encode_in_python(interface: &Path, export: &str, args: &str) -> String {
    let output = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/interface_client.py"
        ))
        .arg(interface)
        .arg(export)
        .arg(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn run_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = tally_in(dir, args);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    serde_json::from_slice(&output.stdout).expect("run prints JSON")
}

#[test]
fn python_encodes_arguments_from_the_interface_alone() {
    let base = scratch("python");
    let vault = vault_with_dependency(&base);
    assert_eq!(tally_in(&vault, &["build"]).status.code(), Some(0));
    let interface = vault.join("target/vault.interface.json");
    let literal = [
        "run",
        "--entry",
        "transfer",
        "--format",
        "json",
        "--arg",
        "[Account { owner: #\"aa\", balance: 10 }, Account { owner: #\"cc\", balance: 1 }]",
        "--arg",
        "#\"aa\"",
        "--arg",
        "#\"bb\"",
        "--arg",
        "4",
    ];
    let expected = run_json(&vault, &literal);
    let hex = encode_in_python(
        &interface,
        "transfer",
        r#"[[{"owner": "aa", "balance": 10}, {"owner": "cc", "balance": 1}], "aa", "bb", 4]"#,
    );
    // From the source, and from the built module: the same result and gas.
    for file in [None, Some("target/vault.tbc")] {
        let mut args = vec![
            "run",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-hex",
            &hex,
        ];
        args.extend(file);
        let encoded = run_json(&vault, &args);
        assert_eq!(encoded["result"], expected["result"]);
        assert_eq!(encoded["result_hex"], expected["result_hex"]);
        assert_eq!(encoded["gas_used"], expected["gas_used"]);
    }
    // An error result, an enum without fields: Err(InvalidAmount).
    let refused = run_json(
        &vault,
        &[
            "run",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-hex",
            &encode_in_python(&interface, "transfer", r#"[[], "aa", "bb", -1]"#),
        ],
    );
    assert_eq!(refused["result"], "Err(InvalidAmount)");

    // The same arguments from a file: one literal per line, or a JSON array.
    let lines = base.join("args.txt");
    std::fs::write(
        &lines,
        format!(
            "{}\n\n// from\n{}\n{}\n{}\n",
            literal[6], literal[8], literal[10], literal[12]
        ),
    )
    .expect("args file");
    let from_lines = run_json(
        &vault,
        &[
            "run",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-file",
            lines.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(from_lines["result"], expected["result"]);
    let array = base.join("args.json");
    std::fs::write(
        &array,
        serde_json::json!([literal[6], literal[8], literal[10], 4]).to_string(),
    )
    .expect("args file");
    let from_json = run_json(
        &vault,
        &[
            "run",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-file",
            array.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(from_json["result"], expected["result"]);
    // The hex from a file, and `tally gas` with it.
    let hex_file = base.join("args.hex");
    std::fs::write(&hex_file, &hex).expect("hex file");
    let at = format!("@{}", hex_file.display());
    let from_hex_file = run_json(
        &vault,
        &[
            "run",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-hex",
            &at,
        ],
    );
    assert_eq!(from_hex_file["result"], expected["result"]);
    let gas = run_json(
        &vault,
        &[
            "gas",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-hex",
            &at,
        ],
    );
    assert_eq!(
        gas["contracts"][0]["report"]["entries"][0]["gas_bound"],
        expected["gas_bound"]
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn doc_pages_with_bounds_and_a_search_box() {
    let base = scratch("doc");
    let vault = vault_with_dependency(&base);
    let doc = tally_in(&vault, &["doc"]);
    insta::assert_snapshot!("doc", transcript(&doc));
    let folder = vault.join("target/doc");
    let stats = std::fs::read_to_string(folder.join("stats.html")).expect("a page per module");
    assert!(
        stats.contains("fn total(xs: List&lt;Int&gt;) -&gt; Int"),
        "{stats}"
    );
    assert!(
        stats.contains("<p>The total of <code>xs</code>, each clamped at zero.</p>"),
        "doc comments are Markdown: {stats}"
    );
    assert!(stats.contains("gas ≤ <code>"), "{stats}");
    assert!(
        stats.contains("where |xs| = constructor cells of xs"),
        "{stats}"
    );
    let ledger = std::fs::read_to_string(folder.join("ledger.html")).expect("ledger page");
    assert!(
        ledger.contains("pub struct Account {\n  owner: Bytes,\n  balance: Int,\n}"),
        "{ledger}"
    );
    let contract =
        std::fs::read_to_string(folder.join("contracts.vault.html")).expect("contract page");
    assert!(
        contract.contains("pub enum Error {\n  InvalidAmount,\n  InsufficientFunds,\n}"),
        "{contract}"
    );
    let index = std::fs::read_to_string(folder.join("index.html")).expect("index");
    assert!(index.contains("<input id=\"search\""), "{index}");
    assert!(index.contains("\"href\":\"stats.html#total\""), "{index}");

    // In a real browser: the search box finds items as it is typed in.
    match chromium() {
        Some(browser) => {
            let url = format!("file://{}?q=tota", folder.join("index.html").display());
            let dom = headless_dom(&browser, &url);
            assert!(
                dom.contains(">fn stats::total</a>"),
                "search results: {dom}"
            );
            assert!(!dom.contains(">fn contracts::vault::transfer</a>"), "{dom}");
            let page = headless_dom(
                &browser,
                &format!("file://{}", folder.join("stats.html").display()),
            );
            assert!(page.contains("each clamped at zero"), "{page}");
        }
        None if std::env::var_os("TALLY_REQUIRE_CHROMIUM").is_some() => {
            panic!("TALLY_REQUIRE_CHROMIUM is set but chromium is not installed")
        }
        None => eprintln!("skipped the browser check: chromium is not installed"),
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// The headless browser, if there is one.
fn chromium() -> Option<String> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|_| name.to_string())
        })
}

/// The page's DOM after its scripts ran, as Chromium prints it.
fn headless_dom(browser: &str, url: &str) -> String {
    let profile = std::env::temp_dir().join(format!("tally-chromium-{}", std::process::id()));
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_ledger_of_100_000_entries_from_a_file_and_standard_input() {
    // Far past what one command-line argument can hold (about 500 entries).
    let base = scratch("large");
    let entries: Vec<String> = (0..100_000)
        .map(|i| format!("Entry {{ owner: #\"{i:08x}\", amount: 10 }}"))
        .collect();
    let args = base.join("args.txt");
    std::fs::write(
        &args,
        format!(
            "[{}]\n#\"00000001\"\n#\"00000002\"\n4\n",
            entries.join(", ")
        ),
    )
    .expect("args file");
    let examples = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let ran = run_json(
        examples,
        &[
            "run",
            "examples/assoc_token.tly",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-file",
            args.to_str().expect("utf-8"),
        ],
    );
    let result = ran["result"].as_str().expect("a result");
    assert!(
        result.starts_with(
            "Ok([Entry { owner: #\"00000000\", amount: 10 }, Entry { owner: #\"00000001\", amount: 6 }, Entry { owner: #\"00000002\", amount: 14 },"
        ),
        "{}",
        &result[..200]
    );
    assert_eq!(result.matches("Entry {").count(), 100_000);
    // The canonical encoding of the same arguments (bytecode.md §8), from
    // standard input: a count, then the list as Cons cells (tag 1) of Entry
    // cells (tag 0: owner Bytes, amount Int) ending in Nil (tag 0), two
    // Bytes and an Int.
    let mut hex = String::from("04");
    for i in 0..100_000u32 {
        hex.push_str("050102050002" /* Cons, Entry */);
        hex.push_str(&format!("0404{i:08x}030a"));
    }
    hex.push_str("050000");
    hex.push_str("040400000001040400000002" /* from, to */);
    hex.push_str("0304" /* amount 4 */);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args([
            "run",
            "examples/assoc_token.tly",
            "--entry",
            "transfer",
            "--format",
            "json",
            "--args-hex",
            "-",
        ])
        .current_dir(examples)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tally runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(hex.as_bytes()).expect("written");
    }
    let output = child.wait_with_output().expect("tally ends");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let from_hex: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(from_hex["result_hex"], ran["result_hex"]);
    assert_eq!(from_hex["gas_used"], ran["gas_used"]);
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn manifest_problems_are_usage_errors() {
    let base = scratch("manifest");
    let project = base.join("p");
    write(&project.join("src/a.tly"), "pub fn f() -> Int {\n  1\n}\n");
    let cases = [
        ("[package]\nname = \"p\"\n", "missing field `version`"),
        (
            "[package]\nname = \"p\"\nversion = \"1\"\nlicence = \"MIT\"\n",
            "unknown field `licence`",
        ),
        (
            "[package]\nname = \"p\"\nversion = \"1\"\n[dependencies]\nutil = { path = \"../nowhere\" }\n",
            "dependency `util` at ../nowhere",
        ),
        (
            "[package]\nname = \"p\"\nversion = \"1\"\n[dependencies]\na = { path = \"../q\" }\n",
            "dependency `a` has the name of a module of the project",
        ),
    ];
    write(
        &base.join("q/tally.toml"),
        "[package]\nname = \"q\"\nversion = \"1\"\n",
    );
    write(&base.join("q/src/x.tly"), "pub fn g() -> Int {\n  2\n}\n");
    for (manifest, expected) in cases {
        write(&project.join("tally.toml"), manifest);
        let output = tally_in(&project, &["check"]);
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        let text = String::from_utf8_lossy(&output.stderr);
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // Outside any project, a command without FILE says how to make one.
    let outside = tally_in(&base, &["build"]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&outside.stderr).contains("tally new NAME"));
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn errors_in_an_imported_module_stop_the_build_in_their_own_file() {
    let base = scratch("broken");
    let vault = vault_with_dependency(&base);
    write(
        &vault.join("src/stats.tly"),
        "pub fn total(xs: List<Int>) -> Int {\n  true\n}\n",
    );
    let built = tally_in(&vault, &["build"]);
    assert_eq!(built.status.code(), Some(1), "{}", transcript(&built));
    let text = String::from_utf8_lossy(&built.stderr);
    assert!(text.contains("[E0301] Error"), "{text}");
    assert!(
        text.contains("src/stats.tly:2:3"),
        "the span is in the module's file: {text}"
    );
    assert!(!text.contains("E0704"), "{text}");
    let checked = tally_in(&vault, &["check"]);
    let text = String::from_utf8_lossy(&checked.stderr);
    assert!(
        text.ends_with("checked 5 files: 1 error, 0 warnings\n"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&base);
}
