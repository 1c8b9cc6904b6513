//! Command-line parsing and dispatch.
//!
//! Exit codes: 0 success, 1 the program has errors (or a test failed),
//! 2 usage or internal errors (bad arguments, unreadable files).

mod build;
mod check;
mod disasm;
mod fmt;
mod gas;
mod input;
mod instance;
mod output;
mod run;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Tally: a total functional language for contracts, with gas bounds known before a call runs.
#[derive(Parser, Debug)]
#[command(name = "tally", version)]
pub struct Cli {
    /// When to use colour: `auto` colours only on a terminal and respects `NO_COLOR`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless `NO_COLOR` is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// One JSON document on standard output, for tools.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check source files for errors: syntax, names, types, exhaustiveness, termination.
    Check(check::CheckArgs),
    /// Compile a source file to a bytecode module.
    Build(build::BuildArgs),
    /// Run an entry point of a source file or bytecode module and print the result and the gas used.
    Run(run::RunArgs),
    /// Run every `test` block of source files in the VM.
    Test(test::TestArgs),
    /// Print the gas and memory bounds of entry points: formulas, or numbers for given arguments.
    Gas(gas::GasArgs),
    /// Print a module's types, constants and code (a source file is compiled first).
    Disasm(disasm::DisasmArgs),
    /// Format source files in the canonical layout (comments are kept).
    Fmt(fmt::FmtArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let color = output::use_color(cli.color);
    match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Fmt(args) => fmt::run(args, color),
        Command::Build(args) => build::run(args, color),
        Command::Run(args) => run::run(args, color),
        Command::Test(args) => test::run(args, color),
        Command::Disasm(args) => disasm::run(args, color),
        Command::Gas(args) => gas::run(args, color),
    }
}
