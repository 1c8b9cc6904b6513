//! `tally fmt FILE... [--check]`: rewrite files in the canonical layout.

use std::path::PathBuf;
use std::process::ExitCode;

use tally::format::format;
use tally::render;

/// Arguments of `tally fmt`.
#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// The Tally source files to format in place; `-` formats standard input to standard output;
    /// without any, every module of the project found from the current directory.
    files: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit with 1 if there are any.
    #[arg(long)]
    check: bool,
    /// Output format: `human` messages on standard error, or `json` (one document on standard
    /// output listing each file's state).
    #[arg(long, value_enum, default_value_t = super::Format::Human)]
    format: super::Format,
}

/// Formats the files; exit code 1 if a file has syntax errors (or, with
/// `--check`, is not formatted), 2 if one cannot be read or written.
pub fn run(args: FmtArgs, color: bool) -> ExitCode {
    if args.files.len() == 1 && args.files[0].as_os_str() == "-" {
        return stdin(args.check, color);
    }
    let files: Vec<(PathBuf, String)> = if args.files.is_empty() {
        match super::project::current() {
            Ok(project) => project
                .own_files()
                .map(|f| (f.path.clone(), f.display.clone()))
                .collect(),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    } else {
        args.files
            .iter()
            .map(|p| (p.clone(), p.display().to_string()))
            .collect()
    };
    let json = args.format == super::Format::Json;
    let mut failed = false;
    let mut report = Vec::new();
    for (path, name) in &files {
        let name = name.clone();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                super::input::report_plain(args.format, &format!("cannot read {name}: {error}"));
                return ExitCode::from(2);
            }
        };
        let state = match format(&text) {
            Err(errors) => {
                if !json {
                    for error in &errors {
                        eprint!("{}", render::human(error, &name, &text, color));
                    }
                    eprintln!("{name}: not formatted: it has syntax errors");
                }
                failed = true;
                serde_json::json!({
                    "file": name,
                    "state": "syntax_errors",
                    "diagnostics": errors.iter().map(|d| render::json(d, &name, &text)).collect::<Vec<_>>(),
                })
            }
            Ok(formatted) if formatted == text => {
                serde_json::json!({ "file": name, "state": "formatted" })
            }
            Ok(_) if args.check => {
                if !json {
                    eprintln!("{name}: not formatted");
                }
                failed = true;
                serde_json::json!({ "file": name, "state": "not_formatted" })
            }
            Ok(formatted) => {
                if let Err(error) = std::fs::write(path, formatted) {
                    super::input::report_plain(
                        args.format,
                        &format!("cannot write {name}: {error}"),
                    );
                    return ExitCode::from(2);
                }
                serde_json::json!({ "file": name, "state": "rewritten" })
            }
        };
        report.push(state);
    }
    if json {
        let doc = serde_json::json!({
            "schema": "tally-fmt/1",
            "check": args.check,
            "files": report,
            "ok": !failed,
        });
        println!("{doc:#}");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `tally fmt -`: formats standard input to standard output (with
/// `--check`, prints nothing and exits with 1 if it is not formatted).
fn stdin(check: bool, color: bool) -> ExitCode {
    use std::io::{Read, Write};
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read standard input: {error}");
        return ExitCode::from(2);
    }
    match format(&text) {
        Err(errors) => {
            for error in &errors {
                eprint!("{}", render::human(error, "<stdin>", &text, color));
            }
            eprintln!("<stdin>: not formatted: it has syntax errors");
            ExitCode::from(1)
        }
        Ok(formatted) if check => {
            if formatted == text {
                ExitCode::SUCCESS
            } else {
                eprintln!("<stdin>: not formatted");
                ExitCode::from(1)
            }
        }
        Ok(formatted) => match std::io::stdout().write_all(formatted.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot write standard output: {error}");
                ExitCode::from(2)
            }
        },
    }
}
