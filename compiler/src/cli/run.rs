//! `tally run [FILE] --entry NAME --arg LITERAL...`: run one entry point in the VM.

use std::path::PathBuf;
use std::process::ExitCode;

use vm_core::{Trap, Value, internals::VerifiedModule};

use super::Format;
use super::input::{self, Request, report_plain};

/// The gas limit when `--gas-limit` is not given.
pub const DEFAULT_GAS_LIMIT: u64 = 1_000_000_000;

/// Arguments of `tally run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// A Tally source file or a bytecode module (from `tally build`); without it, a contract
    /// of the project found from the current directory (see `--contract`).
    file: Option<PathBuf>,
    /// Without FILE: the project's contract to run (needed when it has several).
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    contract: Option<String>,
    /// The entry point: a `pub fn` of the source file, or an export of the module.
    #[arg(long, value_name = "NAME")]
    entry: String,
    /// An argument as a Tally literal (`42`, `#"00ff"`, `[1, 2]`, `Some(3)`, `Point { x: 1, y: 2 }`);
    /// repeat once per parameter, in order.
    #[arg(long = "arg", value_name = "LITERAL", allow_hyphen_values = true)]
    args: Vec<String>,
    #[command(flatten)]
    more: super::args::ArgSources,
    /// Stop with "out of gas" once this much gas is used.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GAS_LIMIT)]
    gas_limit: u64,
    /// Do not run a call whose static gas bound (for these arguments) exceeds the gas limit or
    /// is saturated, or whose stack bound exceeds the call stack.
    #[arg(long)]
    require_bound: bool,
    /// Output format: `human` (the result on standard output, the gas on standard error) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs the entry point (unmetered when its static bound fits the limit);
/// exit code 1 if the program does not compile, traps or is refused,
/// 2 for a usage error (unknown entry, bad argument).
pub fn run(mut args: RunArgs, color: bool) -> ExitCode {
    let given = match args.more.read(&args.args) {
        Ok(given) => given,
        Err(message) => {
            report_plain(args.format, &message);
            return ExitCode::from(2);
        }
    };
    let request = Request {
        tests: false,
        call: match &given {
            super::args::Given::Literals(literals) => Some((args.entry.clone(), literals.clone())),
            super::args::Given::Encoded(_) => None,
        },
        warnings: false,
    };
    if let super::args::Given::Literals(literals) = &given {
        args.args = literals.clone();
    }
    let loaded = match &args.file {
        Some(file) => input::load(file, &request, args.format, color),
        None => match input::project_contracts(args.contract.as_deref(), args.format) {
            Ok((project, contracts)) => match contracts.as_slice() {
                [module] => input::load_module(&project, module, &request, args.format, color),
                _ => {
                    let names: Vec<&str> = contracts
                        .iter()
                        .map(|m| super::project::Project::contract_name(m))
                        .collect();
                    report_plain(
                        args.format,
                        &format!(
                            "project `{}` has several contracts ({}); choose one with --contract NAME",
                            project.name,
                            names.join(", ")
                        ),
                    );
                    Err(ExitCode::from(2))
                }
            },
            Err(code) => Err(code),
        },
    };
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let export = match &loaded.program {
        None => args.entry.clone(),
        Some(program) => match program.entries.iter().find(|e| e.name == args.entry) {
            Some(entry) => entry.export.clone(),
            None => {
                let known: Vec<&str> = program.entries.iter().map(|e| e.name.as_str()).collect();
                return unknown_entry(&args.entry, &known, args.format);
            }
        },
    };
    let module = &loaded.module;
    let Some(signature) = signature_of(module, &export) else {
        let known: Vec<&str> = module
            .module()
            .exports
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        return unknown_entry(&args.entry, &known, args.format);
    };
    let values = match given.values(module, &signature) {
        Ok(values) => values,
        Err(message) => {
            report_plain(args.format, &message);
            return ExitCode::from(2);
        }
    };
    // The node's path: the embedding API decides metering and refusal.
    let api = vm_core::Module::from_verified(module.clone());
    let mut limits = vm_core::CallLimits::gas(args.gas_limit);
    if args.require_bound {
        limits = limits.refusing_over_bound();
    }
    match api.call(&export, &values, &limits) {
        Ok(outcome) => report(
            module,
            &signature,
            outcome.result,
            (outcome.gas_used, outcome.bounds.gas),
            &args,
        ),
        Err(vm_core::CallError::OverBound { bounds, .. }) => {
            report_plain(args.format, &refusal(&bounds, args.gas_limit));
            ExitCode::from(1)
        }
        Err(e) => {
            report_plain(args.format, &e.to_string());
            ExitCode::from(2)
        }
    }
}

/// Why `--require-bound` refuses a call with these bounds.
fn refusal(bounds: &vm_core::Bounds, gas_limit: u64) -> String {
    if bounds.gas == u64::MAX {
        format!(
            "not run: the static gas bound for these arguments is too large to compute \
             (saturated), so it fits no limit (limit {gas_limit})"
        )
    } else if bounds.gas > gas_limit {
        format!(
            "not run: the static gas bound for these arguments is {}, above the limit {gas_limit}",
            bounds.gas
        )
    } else {
        format!(
            "not run: the register stack bound for these arguments is {} bytes, above the \
             call stack's {} bytes (the call could overflow the stack)",
            bounds.stack,
            vm_core::internals::MAX_STACK_BYTES
        )
    }
}

/// An entry point's parameter and result types.
pub struct Signature {
    /// Parameter types, in order.
    pub params: Vec<vm_core::Ty>,
    /// Result type.
    pub result: vm_core::Ty,
}

/// The signature of export `name`, if the module has it.
pub fn signature_of(module: &VerifiedModule, name: &str) -> Option<Signature> {
    let m = module.module();
    let export = m.exports.iter().find(|e| e.name == name)?;
    let f = m.functions.get(export.func.0 as usize)?;
    Some(Signature {
        params: f.params.clone(),
        result: f.result,
    })
}

/// The entry point's parameter types, as the messages list them (`Int, Bytes`).
pub fn param_types(module: &VerifiedModule, signature: &Signature) -> String {
    let adts = &module.module().adts;
    signature
        .params
        .iter()
        .map(|&t| type_name(t, adts))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses the literal arguments against the parameter types.
pub fn parse_args(
    module: &VerifiedModule,
    signature: &Signature,
    literals: &[String],
) -> Result<Vec<Value>, String> {
    let adts = &module.module().adts;
    if literals.len() != signature.params.len() {
        return Err(format!(
            "the entry point takes {} but {} given (one `--arg` per parameter: {})",
            super::output::count(signature.params.len(), "argument"),
            literals.len(),
            param_types(module, signature)
        ));
    }
    literals
        .iter()
        .zip(&signature.params)
        .enumerate()
        .map(|(i, (text, &ty))| {
            vm_core::format::parse_literal(text, ty, adts).map_err(|error| {
                format!(
                    "argument {} `{text}` is not a {}: {error}",
                    i + 1,
                    type_name(ty, adts)
                )
            })
        })
        .collect()
}

/// A VM type as Tally writes it.
pub fn type_name(ty: vm_core::Ty, adts: &[vm_core::AdtDef]) -> String {
    match ty {
        vm_core::Ty::Unit => "()".into(),
        vm_core::Ty::Bool => "Bool".into(),
        vm_core::Ty::Int => "Int".into(),
        vm_core::Ty::Bytes => "Bytes".into(),
        vm_core::Ty::Adt(i) => adts
            .get(i as usize)
            .map_or_else(|| format!("type #{i}"), |a| a.name.clone()),
    }
}

pub fn unknown_entry(entry: &str, known: &[&str], format: Format) -> ExitCode {
    let list = if known.is_empty() {
        "it has no entry points (`pub fn`)".to_string()
    } else {
        format!("its entry points are: {}", known.join(", "))
    };
    report_plain(format, &format!("no entry point named `{entry}`; {list}"));
    ExitCode::from(2)
}

fn report(
    module: &VerifiedModule,
    signature: &Signature,
    result: Result<Value, Trap>,
    (gas, bound): (u64, u64),
    args: &RunArgs,
) -> ExitCode {
    let adts = &module.module().adts;
    let printed = result
        .as_ref()
        .map(|v| vm_core::format::print_literal(v, signature.result, adts));
    match args.format {
        Format::Json => {
            let number = |n: u64| super::interface::number(u128::from(n));
            let mut doc = serde_json::json!({
                "schema": "tally-run/1",
                "entry": args.entry,
                "gas_used": number(gas),
                "gas_bound": number(bound),
                "gas_limit": number(args.gas_limit),
            });
            match &printed {
                Ok(Ok(text)) => {
                    doc["result"] = text.clone().into();
                    if let Ok(value) = &result {
                        doc["result_hex"] = super::interface::hex(&value.encode()).into();
                    }
                }
                Ok(Err(error)) => doc["error"] = error.to_string().into(),
                Err(trap) => {
                    doc["trap"] = trap.to_string().into();
                    if let Trap::Failed(reason) = trap {
                        doc["fail_reason"] = String::from_utf8_lossy(reason).into_owned().into();
                    }
                }
            }
            println!("{doc:#}");
        }
        Format::Human => match &printed {
            Ok(Ok(text)) => {
                println!("{text}");
                eprintln!("gas used: {gas} (static bound for these arguments: {bound})");
            }
            Ok(Err(error)) => eprintln!("internal error: cannot print the result: {error}"),
            Err(trap) => eprintln!("error: the call trapped: {trap} (gas used: {gas})"),
        },
    }
    match printed {
        Ok(Ok(_)) => ExitCode::SUCCESS,
        Ok(Err(_)) => ExitCode::from(2),
        Err(_) => ExitCode::from(1),
    }
}
