//! `tally gas FILE [--entry NAME] [--arg LITERAL...]`: the gas and memory
//! bounds of entry points, as formulas with a legend, and as numbers for
//! given arguments.

use std::path::PathBuf;
use std::process::ExitCode;

use vm_core::internals::VerifiedModule;

use super::Format;
use super::args::Given;
use super::input::{self, Request, report_plain};
use super::run::{signature_of, unknown_entry};

/// Arguments of `tally gas`.
#[derive(clap::Args, Debug)]
pub struct GasArgs {
    /// A Tally source file or a bytecode module; without it, the contracts of the project
    /// found from the current directory.
    file: Option<PathBuf>,
    /// Without FILE: only this contract of the project.
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    contract: Option<String>,
    /// Only this entry point (required with `--arg`).
    #[arg(long, value_name = "NAME")]
    entry: Option<String>,
    /// An argument as a Tally literal, one per parameter: also print the bounds for these arguments.
    #[arg(
        long = "arg",
        value_name = "LITERAL",
        allow_hyphen_values = true,
        requires = "entry"
    )]
    args: Vec<String>,
    #[command(flatten)]
    more: super::args::ArgSources,
    /// Output format: `human` or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// One entry point to report.
struct Target {
    name: String,
    export: String,
    signature: String,
    params: Option<Vec<String>>,
}

/// Prints the bounds; exit code 1 if the program does not compile, 2 for a usage error.
pub fn run(args: GasArgs, color: bool) -> ExitCode {
    if args.more.any() && args.entry.is_none() {
        report_plain(args.format, "--args-file and --args-hex need --entry");
        return ExitCode::from(2);
    }
    let given = match args.more.read(&args.args) {
        Ok(given) => given,
        Err(message) => {
            report_plain(args.format, &message);
            return ExitCode::from(2);
        }
    };
    let request = Request {
        call: match &given {
            Given::Literals(literals) => args
                .entry
                .clone()
                .filter(|_| !literals.is_empty())
                .map(|e| (e, literals.clone())),
            Given::Encoded(_) => None,
        },
        ..Request::default()
    };
    let given = match given {
        Given::Literals(literals) if literals.is_empty() => None,
        given => Some(given),
    };
    let Some(file) = args.file.clone() else {
        let (project, contracts) =
            match input::project_contracts(args.contract.as_deref(), args.format) {
                Ok(found) => found,
                Err(code) => return code,
            };
        let mut documents = Vec::new();
        for (i, module) in contracts.iter().enumerate() {
            let loaded = match input::load_module(&project, module, &request, args.format, color) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let name = super::project::Project::contract_name(module);
            if args.format == Format::Human {
                if i > 0 {
                    println!();
                }
                println!("== contract {name} ({module})");
            }
            let source = project
                .file(module)
                .map_or_else(String::new, |f| f.display.clone());
            match report_module(&loaded, &args, given.as_ref(), &source) {
                Ok(Some(doc)) => {
                    documents.push(serde_json::json!({ "contract": name, "report": doc }))
                }
                Ok(None) => {}
                Err(code) => return code,
            }
        }
        if args.format == Format::Json {
            println!(
                "{:#}",
                serde_json::json!({
                    "schema": "tally-gas-project/1",
                    "project": project.name,
                    "contracts": documents,
                })
            );
        }
        return ExitCode::SUCCESS;
    };
    let loaded = match input::load(&file, &request, args.format, color) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match report_module(&loaded, &args, given.as_ref(), &file.display().to_string()) {
        Ok(Some(doc)) => {
            println!("{doc:#}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Reports the bounds of one module's entry points: printed for people
/// (and `None`), or returned as a JSON document.
fn report_module(
    loaded: &input::Loaded,
    args: &GasArgs,
    given: Option<&Given>,
    file: &str,
) -> Result<Option<serde_json::Value>, ExitCode> {
    let module = &loaded.module;
    let mut targets: Vec<Target> = match &loaded.program {
        Some(program) => program
            .entries
            .iter()
            .map(|e| Target {
                name: e.name.clone(),
                export: e.export.clone(),
                signature: e.signature.clone(),
                params: Some(e.params.clone()),
            })
            .collect(),
        None => module
            .module()
            .exports
            .iter()
            .map(|e| Target {
                name: e.name.clone(),
                export: e.name.clone(),
                signature: e.name.clone(),
                params: None,
            })
            .collect(),
    };
    if let Some(entry) = &args.entry {
        let known: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
        targets.retain(|t| t.name == *entry);
        if targets.is_empty() {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(unknown_entry(entry, &known, args.format));
        }
    }
    let mut reports = Vec::new();
    for t in &targets {
        match describe(module, t, given) {
            Ok(report) => reports.push(report),
            Err(message) => {
                report_plain(args.format, &message);
                return Err(ExitCode::from(2));
            }
        }
    }
    match args.format {
        Format::Json => Ok(Some(serde_json::json!({
            "schema": "tally-gas/1",
            "file": file,
            "entries": reports.iter().map(Report::json).collect::<Vec<_>>(),
        }))),
        Format::Human => {
            if reports.is_empty() {
                println!("{file}: no entry points (`pub fn` without type parameters)");
            }
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                r.print();
            }
            Ok(None)
        }
    }
}

/// The bounds of one entry point, printed.
struct Report {
    name: String,
    signature: String,
    gas: String,
    memory: String,
    /// The register stack's part of the memory.
    stack: String,
    legend: Vec<String>,
    exponential: bool,
    /// For the given arguments: `(gas, memory, stack)`.
    numbers: Option<(u64, u64, u64)>,
}

fn describe(module: &VerifiedModule, t: &Target, given: Option<&Given>) -> Result<Report, String> {
    let m = module.module();
    let func = m
        .exports
        .iter()
        .find(|e| e.name == t.export)
        .map(|e| e.func.0)
        .ok_or_else(|| format!("no export `{}`", t.export))?;
    let b = module
        .function_bounds(func)
        .ok_or_else(|| format!("no bounds for `{}`", t.name))?;
    let names: Option<Vec<&str>> = t
        .params
        .as_ref()
        .map(|p| p.iter().map(String::as_str).collect());
    let names = names.as_deref();
    let (gas, memory) = b.render(m, func, names);
    let stack = b.render_stack(m, func, names);
    let legend = vm_core::internals::bound::legend(m, func, b, names);
    let numbers = if let Some(given) = given {
        let signature = signature_of(module, &t.export).ok_or("no signature")?;
        let values = given.values(module, &signature)?;
        let bounds =
            vm_core::internals::bound(module, &t.export, &values).map_err(|e| e.to_string())?;
        Some((bounds.gas, bounds.memory, bounds.stack))
    } else {
        None
    };
    Ok(Report {
        name: t.name.clone(),
        signature: t.signature.clone(),
        gas,
        memory,
        stack,
        legend,
        exponential: b.exponential,
        numbers,
    })
}

impl Report {
    fn print(&self) {
        println!("{}", self.signature);
        println!("  gas    ≤ {}", self.gas);
        println!("  memory ≤ {} bytes", self.memory);
        println!("  stack  ≤ {} bytes (part of the memory)", self.stack);
        for line in &self.legend {
            println!("  where {line}");
        }
        if self.exponential {
            println!("  (exponential: see warning W0602 of `tally check`)");
        }
        if let Some((gas, memory, stack)) = self.numbers {
            println!(
                "  for these arguments: gas ≤ {gas}, memory ≤ {memory} bytes (stack ≤ {stack})"
            );
        }
    }

    fn json(&self) -> serde_json::Value {
        let mut doc = serde_json::json!({
            "name": self.name,
            "signature": self.signature,
            "gas": self.gas,
            "memory": self.memory,
            "stack": self.stack,
            "legend": self.legend,
            "exponential": self.exponential,
        });
        if let Some((gas, memory, stack)) = self.numbers {
            let number = |n: u64| super::interface::number(u128::from(n));
            doc["gas_bound"] = number(gas);
            doc["memory_bound"] = number(memory);
            doc["stack_bound"] = number(stack);
        }
        doc
    }
}
