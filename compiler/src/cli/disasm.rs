//! `tally disasm FILE`: print a module's types, constants, functions and code.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;
use super::input::{self, Request};

/// Arguments of `tally disasm`.
#[derive(clap::Args, Debug)]
pub struct DisasmArgs {
    /// A Tally source file (compiled first) or a bytecode module.
    file: PathBuf,
    /// Output format: `human` (the listing) or `json` (the module's facts, type table and
    /// exports, with the listing as text).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Prints the disassembly on standard output.
pub fn run(args: DisasmArgs, color: bool) -> ExitCode {
    match input::load(&args.file, &Request::default(), args.format, color) {
        Ok(loaded) => {
            let module = loaded.module.module();
            let listing = vm_core::format::disassemble(module);
            match args.format {
                Format::Human => print!("{listing}"),
                Format::Json => {
                    let doc = serde_json::json!({
                        "schema": "tally-disasm/1",
                        "file": args.file.display().to_string(),
                        "module": super::interface::module_facts(&module.encode()),
                        "types": super::interface::types(module),
                        "exports": module.exports.iter().map(|e| serde_json::json!({
                            "name": e.name,
                            "function": e.func.0,
                        })).collect::<Vec<_>>(),
                        "functions": module.functions.len(),
                        "listing": listing,
                    });
                    println!("{doc:#}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
