//! `tally build FILE [-o OUT]`: compile a source file to a bytecode module.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;
use super::input::{self, Request};

/// Arguments of `tally build`.
#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The Tally source file to compile.
    file: PathBuf,
    /// Where to write the module (default: the source path with the extension `.tbc`).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Compiles and writes the module; exit code 1 if the program has errors,
/// 2 if a file cannot be read or written.
pub fn run(args: BuildArgs, color: bool) -> ExitCode {
    let name = args.file.display().to_string();
    let text = match std::fs::read(&args.file) {
        Ok(bytes) if input::is_bytecode(&bytes) => {
            eprintln!("error: {name} is already a bytecode module");
            return ExitCode::from(2);
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                eprintln!("error: {name} is not UTF-8 text");
                return ExitCode::from(1);
            }
        },
        Err(error) => {
            eprintln!("error: cannot read {name}: {error}");
            return ExitCode::from(2);
        }
    };
    let request = Request {
        warnings: true,
        ..Request::default()
    };
    let program = match input::compile_source(&name, text, &request, Format::Human, color) {
        Ok((program, _)) => program,
        Err(code) => return code,
    };
    let module = match input::verify(program.module, &name) {
        Ok(verified) => verified.into_module(),
        Err(code) => return code,
    };
    let bytes = module.encode();
    let output = args
        .output
        .unwrap_or_else(|| args.file.with_extension("tbc"));
    if let Err(error) = std::fs::write(&output, &bytes) {
        eprintln!("error: cannot write {}: {error}", output.display());
        return ExitCode::from(2);
    }
    let entries: Vec<&str> = module.exports.iter().map(|e| e.name.as_str()).collect();
    eprintln!(
        "wrote {} ({} bytes, {}; entry points: {})",
        output.display(),
        bytes.len(),
        super::output::count(module.functions.len(), "function"),
        if entries.is_empty() {
            "none".to_string()
        } else {
            entries.join(", ")
        }
    );
    ExitCode::SUCCESS
}
