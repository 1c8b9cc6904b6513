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
}

/// Prints the disassembly on standard output.
pub fn run(args: DisasmArgs, color: bool) -> ExitCode {
    match input::load(&args.file, &Request::default(), Format::Human, color) {
        Ok(loaded) => {
            print!("{}", vm_core::format::disassemble(loaded.module.module()));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
