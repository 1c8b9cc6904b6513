//! `tally check [FILE...]`: report every diagnostic of the given files, or
//! of every module of the project of the current directory.

use std::path::PathBuf;
use std::process::ExitCode;

use tally::db::{self, Database, SourceFile};
use tally::render;

use super::Format;
use super::output::count;

/// Arguments of `tally check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The Tally source files to check; without any, every module of the project
    /// (found from the current directory) and of its dependencies.
    files: Vec<PathBuf>,
    /// Output format: `human` diagnostics on standard error, or `json` on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Checks the files; exit code 1 if any has an error, 2 if one cannot be read.
pub fn run(args: CheckArgs, color: bool) -> ExitCode {
    let mut opened: Vec<(Database, SourceFile)> = Vec::new();
    if args.files.is_empty() {
        let project = match super::project::current() {
            Ok(project) => project,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        };
        match project.database(&super::project::Disk) {
            Ok((database, handles)) => {
                opened.extend(handles.into_iter().map(|file| (database.clone(), file)));
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    }
    for path in &args.files {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: cannot read {name}: {error}");
                return ExitCode::from(2);
            }
        };
        match super::input::open_source(path, &name, text) {
            Ok(o) => opened.push((o.database, o.file)),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    }

    let (mut errors, mut warnings) = (0, 0);
    let mut json = Vec::new();
    let checked = opened.len();
    for (database, file) in &opened {
        let (database, file) = (database, *file);
        let path = file.path(database).clone();
        let text = file.text(database);
        let diagnostics = db::check(database, file);
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
            let document = serde_json::json!({
                "schema": "tally-check/1",
                "diagnostics": json,
                "errors": errors,
                "warnings": warnings,
            });
            println!("{document:#}");
        }
        Format::Human => {
            let files = count(checked, "file");
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
