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
    /// The gas limit of each test (of each case of a property).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GAS_LIMIT)]
    gas_limit: u64,
    /// The seed of the properties' generated arguments (a random one, printed, if not given).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// How many cases each property runs.
    #[arg(long, value_name = "N", default_value_t = 100)]
    cases: u32,
    /// The size of a property's largest arguments (list elements, tree
    /// cells, bytes; at most 10000); the cases grow from size 1 up to it.
    #[arg(long, value_name = "N", default_value_t = 32)]
    max_size: u64,
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
    /// For a property: what its cases found.
    property: Option<tally::property::Report>,
}

/// Runs the tests; exit code 1 if any fails or a file does not compile.
pub fn run(args: TestArgs, color: bool) -> ExitCode {
    let request = Request {
        tests: true,
        call: None,
        warnings: false,
    };
    let (mut passed, mut failed, mut broken) = (0, 0, false);
    let settings = tally::property::Settings {
        seed: args.seed.unwrap_or_else(random_seed),
        cases: args.cases,
        gas_limit: args.gas_limit,
        max_size: args.max_size,
    };
    let mut properties = false;
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
                if !test.groups.is_empty() {
                    return property(&loaded.module, test, &settings);
                }
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
                    property: None,
                }
            })
            .collect();
        for o in &outcomes {
            properties |= o.property.is_some();
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
                    "property": o.property.as_ref().map(property_json),
                })).collect::<Vec<_>>(),
            })),
        }
    }
    match args.format {
        Format::Human if properties => println!(
            "test result: {}. {passed} passed; {failed} failed (seed {}; rerun with --seed {})",
            if failed == 0 && !broken {
                "ok"
            } else {
                "FAILED"
            },
            settings.seed,
            settings.seed
        ),
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
                "seed": properties.then(|| super::interface::number(u128::from(settings.seed))),
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
        if let Some(p) = &o.property {
            print_property(&o.name, width, p, o.failure.as_deref());
            continue;
        }
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

/// A seed from the clock, for a run without `--seed`.
fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    (nanos ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_000
}

/// Runs a property and turns its report into an outcome.
fn property(
    module: &vm_core::internals::VerifiedModule,
    test: &tally::codegen::TestEntry,
    settings: &tally::property::Settings,
) -> Outcome {
    match tally::property::run(module, test, settings) {
        Ok(report) => Outcome {
            name: test.name.clone(),
            gas: report.worst_gas,
            bound: None,
            failure: report.failure.as_ref().map(|f| f.why.clone()),
            property: Some(report),
        },
        Err(why) => Outcome {
            name: test.name.clone(),
            gas: 0,
            bound: None,
            failure: Some(why),
            property: None,
        },
    }
}

/// `0.93 (120 of 129)`: the used/bound ratio, two decimals, and its figures.
fn ratio_text(r: &tally::property::Ratio) -> String {
    format!("{:.2} ({} of {})", r.value(), r.used, r.bound)
}

fn print_property(name: &str, width: usize, p: &tally::property::Report, why: Option<&str>) {
    let ratio = p
        .worst_ratio
        .as_ref()
        .map(|r| format!(", max used/bound {}", ratio_text(r)))
        .unwrap_or_default();
    let figures = format!(
        "{}, worst gas {}{ratio}",
        super::output::count(p.cases as usize, "case"),
        p.worst_gas
    );
    match (&p.failure, why) {
        (Some(f), Some(why)) => {
            println!("test {name:width$} ... FAILED  {figures}: {why}");
            let args: Vec<String> = f.args.iter().map(|(n, v)| format!("{n} = {v}")).collect();
            println!(
                "    minimal failing case (case {}, {}): {}",
                f.case,
                super::output::count(f.shrinks as usize, "shrink"),
                args.join(", ")
            );
        }
        _ => println!("test {name:width$} ... ok      {figures}"),
    }
}

fn property_json(p: &tally::property::Report) -> serde_json::Value {
    use super::interface::number;
    serde_json::json!({
        "cases": p.cases,
        "worst_gas_used": number(u128::from(p.worst_gas)),
        "max_ratio": p.worst_ratio.map(|r| serde_json::json!({
            "used": number(u128::from(r.used)),
            "bound": number(u128::from(r.bound)),
            "ratio": r.value(),
        })),
        "counterexample": p.failure.as_ref().map(|f| serde_json::json!({
            "case": f.case,
            "shrinks": f.shrinks,
            "arguments": f.args.iter().map(|(n, v)| serde_json::json!({"name": n, "value": v})).collect::<Vec<_>>(),
            "arguments_hex": hex(&vm_core::encode_args(&f.values)),
        })),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
