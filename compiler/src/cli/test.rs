//! `tally test [FILE...]`: run every `test` block in the VM.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;
use super::input::{self, Request};
use super::run::DEFAULT_GAS_LIMIT;

/// Arguments of `tally test`.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// The Tally source files whose tests to run; without any, every module of the project
    /// found from the current directory.
    files: Vec<PathBuf>,
    /// Run only the tests whose name contains this text.
    #[arg(short = 'm', long = "match", value_name = "SUBSTRING")]
    filter: Option<String>,
    /// The gas limit of each test.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GAS_LIMIT)]
    gas_limit: u64,
    /// Output format: `human` or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// The outcome of one test.
struct Outcome {
    name: String,
    gas: u64,
    /// The static gas bound of the test's body (a test has no parameters, so it is a number).
    bound: Option<u64>,
    /// `None` if it passed; else why not.
    failure: Option<String>,
}

/// Runs the tests; exit code 1 if any fails or a file does not compile.
pub fn run(args: TestArgs, color: bool) -> ExitCode {
    let request = Request {
        tests: true,
        call: None,
        warnings: false,
    };
    let (mut passed, mut failed, mut broken) = (0, 0, false);
    let mut json = Vec::new();
    let project = if args.files.is_empty() {
        match super::project::current() {
            Ok(project) => Some(project),
            Err(message) => {
                input::report_plain(args.format, &message);
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let targets: Vec<(String, Option<String>)> = match &project {
        Some(project) => project
            .own_files()
            .map(|f| (f.display.clone(), Some(f.module.clone())))
            .collect(),
        None => args
            .files
            .iter()
            .map(|p| (p.display().to_string(), None))
            .collect(),
    };
    for (name, module) in &targets {
        let name = name.clone();
        let loaded = match (&project, module) {
            (Some(project), Some(module)) => {
                input::load_module(project, module, &request, args.format, color)
            }
            _ => input::load(std::path::Path::new(&name), &request, args.format, color),
        };
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(code) if code == ExitCode::from(2) => return code,
            Err(_) => {
                broken = true;
                continue;
            }
        };
        let Some(program) = &loaded.program else {
            eprintln!("error: {name} is a bytecode module; `tally test` needs the source");
            return ExitCode::from(2);
        };
        let outcomes: Vec<Outcome> = program
            .tests
            .iter()
            .filter(|test| {
                args.filter
                    .as_ref()
                    .is_none_or(|f| test.name.contains(f.as_str()))
            })
            .map(|test| {
                let export = &test.export;
                let (result, gas) =
                    vm_core::internals::evaluate(&loaded.module, export, &[], args.gas_limit);
                let failure = test.failure(&result);
                Outcome {
                    name: test.name.clone(),
                    gas,
                    bound: vm_core::internals::bound(&loaded.module, export, &[])
                        .ok()
                        .map(|b| b.gas),
                    failure,
                }
            })
            .collect();
        for o in &outcomes {
            if o.failure.is_none() {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        match args.format {
            Format::Human => print_file(&name, &outcomes),
            Format::Json => json.push(serde_json::json!({
                "file": name,
                "tests": outcomes.iter().map(|o| serde_json::json!({
                    "name": o.name,
                    "passed": o.failure.is_none(),
                    "gas_used": super::interface::number(u128::from(o.gas)),
                    "gas_bound": o.bound.map(|b| super::interface::number(u128::from(b))),
                    "failure": o.failure,
                })).collect::<Vec<_>>(),
            })),
        }
    }
    match args.format {
        Format::Human => println!(
            "test result: {}. {passed} passed; {failed} failed",
            if failed == 0 && !broken {
                "ok"
            } else {
                "FAILED"
            }
        ),
        Format::Json => println!(
            "{:#}",
            serde_json::json!({
                "schema": "tally-test/1",
                "files": json,
                "passed": passed,
                "failed": failed,
            })
        ),
    }
    if failed > 0 || broken {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_file(name: &str, outcomes: &[Outcome]) {
    println!(
        "running {} in {name}",
        super::output::count(outcomes.len(), "test")
    );
    let width = outcomes.iter().map(|o| o.name.len()).max().unwrap_or(0);
    for o in outcomes {
        let gas = match o.bound {
            Some(bound) => format!("gas {} (bound {bound})", o.gas),
            None => format!("gas {}", o.gas),
        };
        match &o.failure {
            None => println!("test {:width$} ... ok      {gas}", o.name),
            Some(why) => println!("test {:width$} ... FAILED  {gas}: {why}", o.name),
        }
    }
}
