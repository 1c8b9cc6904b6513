//! Command-line parsing and dispatch.
//!
//! Exit codes: 0 success, 1 the program has errors (or a test failed),
//! 2 usage or internal errors (bad arguments, unreadable files).

mod args;
mod build;
mod check;
mod disasm;
mod doc;
mod fmt;
mod gas;
mod input;
mod instance;
mod interface;
mod new;
mod output;
mod project;
mod run;
mod test;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// The `--version` text: the compiler's version, then the bytecode format
/// version and the VM identifier its modules are built for.
/// (`concat!` needs literals; a unit test below checks them against
/// `vm_core::format::{FORMAT_VERSION, VM_ID}`.)
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (bytecode format 1, vm tally-vm/1)"
);

/// Tally: a total functional language for contracts, with gas bounds known before a call runs.
#[derive(Parser, Debug)]
#[command(name = "tally", version = VERSION)]
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
    /// Create a project: tally.toml, a contract, a library module, tests, a README.
    New(new::NewArgs),
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
    /// Write HTML documentation of a project (or a file): modules, types, functions, bounds.
    Doc(doc::DocArgs),
    /// Print a shell completion script (e.g. `tally completions bash > ~/.local/share/bash-completion/completions/tally`).
    Completions(CompletionsArgs),
}

/// Arguments of `tally completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

/// The `--color` choice written on the command line, read before clap parses
/// it so that clap's own messages (usage errors, help) follow it too.
fn color_from_args() -> clap::ColorChoice {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut choice = None;
    for (i, arg) in args.iter().enumerate() {
        let text = arg.to_string_lossy();
        if let Some(value) = text.strip_prefix("--color=") {
            choice = Some(value.to_string());
        } else if text == "--color" {
            choice = args.get(i + 1).map(|v| v.to_string_lossy().into_owned());
        } else if text == "--" {
            break;
        }
    }
    match choice.as_deref() {
        Some("never") => clap::ColorChoice::Never,
        Some("always") => clap::ColorChoice::Always,
        _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
            clap::ColorChoice::Never
        }
        _ => clap::ColorChoice::Auto,
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let command = Cli::command().color(color_from_args());
    let parsed = command
        .try_get_matches()
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    let cli = match parsed {
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
        Command::New(args) => new::run(args),
        Command::Check(args) => check::run(args, color),
        Command::Fmt(args) => fmt::run(args, color),
        Command::Build(args) => build::run(args, color),
        Command::Run(args) => run::run(args, color),
        Command::Test(args) => test::run(args, color),
        Command::Disasm(args) => disasm::run(args, color),
        Command::Gas(args) => gas::run(args, color),
        Command::Doc(args) => doc::run(args),
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "tally",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_names_the_bytecode_format_and_vm() {
        let expected = format!(
            "{} (bytecode format {}, vm {})",
            env!("CARGO_PKG_VERSION"),
            vm_core::format::FORMAT_VERSION,
            vm_core::format::VM_ID
        );
        assert_eq!(super::VERSION, expected);
    }
}
