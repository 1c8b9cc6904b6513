//! `tally check FILE...`: report every diagnostic of the given files.

use std::path::PathBuf;
use std::process::ExitCode;

use tally::db::{self, Database};
use tally::render;

use super::Format;
use super::output::count;

/// Arguments of `tally check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The Tally source files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format: `human` diagnostics on standard error, or `json` on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Checks the files; exit code 1 if any has an error, 2 if one cannot be read.
pub fn run(args: CheckArgs, color: bool) -> ExitCode {
    let database = Database::new();
    let mut sources = Vec::new();
    for path in &args.files {
        match std::fs::read_to_string(path) {
            Ok(text) if text.len() < u32::MAX as usize => {
                sources.push((path.display().to_string(), text))
            }
            Ok(_) => {
                eprintln!("error: {}: file too large (at most 4 GiB)", path.display());
                return ExitCode::from(2);
            }
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", path.display());
                return ExitCode::from(2);
            }
        }
    }

    let (mut errors, mut warnings) = (0, 0);
    let mut json = Vec::new();
    for (path, text) in sources {
        let file = database.add_file(path.clone(), text);
        let text = file.text(&database);
        let diagnostics = db::check(&database, file);
        let counted = tally::diagnostic::count(diagnostics);
        errors += counted.errors;
        warnings += counted.warnings;
        for diagnostic in diagnostics {
            match args.format {
                Format::Human => eprint!("{}", render::human(diagnostic, &path, text, color)),
                Format::Json => json.push(render::json(diagnostic, &path, text)),
            }
        }
    }

    match args.format {
        Format::Json => {
            let document =
                serde_json::json!({ "diagnostics": json, "errors": errors, "warnings": warnings });
            println!("{document:#}");
        }
        Format::Human => {
            let files = count(args.files.len(), "file");
            if errors + warnings == 0 {
                eprintln!("checked {files}: no problems");
            } else {
                eprintln!(
                    "checked {files}: {}, {}",
                    count(errors, "error"),
                    count(warnings, "warning")
                );
            }
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
