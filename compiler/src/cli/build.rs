//! `tally build [FILE] [-o OUT]`: compile a source file (or every contract
//! of the project) to a bytecode module, with its interface file beside it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Format;
use super::input::{self, Opened, Request, report_plain};
use super::project::{self, Project};

/// Arguments of `tally build`.
#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The Tally source file to compile; without it, every contract of the project
    /// (found from the current directory) is built into `target/`.
    file: Option<PathBuf>,
    /// Where to write the module (default: the source path with the extension `.tbc`).
    #[arg(short, long, value_name = "OUT", requires = "file")]
    output: Option<PathBuf>,
    /// Output format: `human` messages on standard error, or `json` (one document on standard
    /// output: the modules written, or the diagnostics).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Compiles and writes the module(s); exit code 1 if the program has errors,
/// 2 if a file cannot be read or written.
pub fn run(args: BuildArgs, color: bool) -> ExitCode {
    let format = args.format;
    let Some(file) = &args.file else {
        return build_project(format, color);
    };
    let name = file.display().to_string();
    let text = match std::fs::read(file) {
        Ok(bytes) if input::is_bytecode(&bytes) => {
            report_plain(format, &format!("{name} is already a bytecode module"));
            return ExitCode::from(2);
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                report_plain(format, &format!("{name} is not UTF-8 text"));
                return ExitCode::from(1);
            }
        },
        Err(error) => {
            report_plain(format, &format!("cannot read {name}: {error}"));
            return ExitCode::from(2);
        }
    };
    let mut opened = match input::open_source(file, &name, text) {
        Ok(opened) => opened,
        Err(message) => {
            report_plain(format, &message);
            return ExitCode::from(2);
        }
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| file.with_extension("tbc"));
    let contract = file
        .file_stem()
        .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
    match build_one(
        &mut opened,
        (&contract, None),
        &output,
        false,
        format,
        color,
    ) {
        Ok(record) => {
            finish(format, vec![record]);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// Prints the JSON document of the modules written (nothing for people:
/// each was reported as it was written).
fn finish(format: Format, records: Vec<serde_json::Value>) {
    if format == Format::Json {
        let doc = serde_json::json!({ "schema": "tally-build/1", "modules": records });
        println!("{doc:#}");
    }
}

/// Builds every contract of the project of the current directory into `target/`.
fn build_project(format: Format, color: bool) -> ExitCode {
    let project = match project::current() {
        Ok(project) => project,
        Err(message) => {
            report_plain(format, &message);
            return ExitCode::from(2);
        }
    };
    if project.contracts.is_empty() {
        report_plain(
            format,
            &format!(
                "project `{}` has no contracts: put them under src/contracts/ or list them \
                 as `contracts = [..]` in {}",
                project.name,
                project::MANIFEST
            ),
        );
        return ExitCode::from(2);
    }
    let target = project.root.join("target");
    if let Err(error) = std::fs::create_dir_all(&target) {
        report_plain(
            format,
            &format!("cannot create {}: {error}", target.display()),
        );
        return ExitCode::from(2);
    }
    let mut code = ExitCode::SUCCESS;
    let mut records = Vec::new();
    for module in &project.contracts {
        let Some(mut opened) = open_module(&project, module) else {
            return ExitCode::from(2);
        };
        let name = Project::contract_name(module);
        let output = target.join(format!("{name}.tbc"));
        let package = Some((project.name.as_str(), project.version.as_str()));
        match build_one(&mut opened, (name, package), &output, true, format, color) {
            Ok(record) => records.push(record),
            // One JSON document: the diagnostics of the first contract that fails.
            Err(failed) if format == Format::Json => return failed,
            Err(failed) => code = failed,
        }
    }
    finish(format, records);
    code
}

/// Opens module `module` of `project` in a database of the whole project.
pub fn open_module(project: &Project, module: &str) -> Option<Opened> {
    let index = project.files.iter().position(|f| f.module == module)?;
    match project.database(&project::Disk) {
        Ok((database, handles)) => Some(Opened {
            database,
            file: handles[index],
        }),
        Err(message) => {
            eprintln!("error: {message}");
            None
        }
    }
}

/// Compiles one opened file and writes its module to `output` and its
/// interface beside it (`NAME.interface.json`).
fn build_one(
    opened: &mut Opened,
    (contract, package): (&str, Option<(&str, &str)>),
    output: &Path,
    relative: bool,
    format: Format,
    color: bool,
) -> Result<serde_json::Value, ExitCode> {
    let request = Request {
        warnings: true,
        ..Request::default()
    };
    let source = opened.file.path(&opened.database).clone();
    let (program, entries) =
        input::compile_in(&mut opened.database, opened.file, &request, format, color)?;
    let verified = input::verify(program.module, &source)?;
    let bytes = verified.module().encode();
    if let Err(error) = std::fs::write(output, &bytes) {
        report_plain(
            format,
            &format!("cannot write {}: {error}", output.display()),
        );
        return Err(ExitCode::from(2));
    }
    let document =
        super::interface::interface(contract, package, &source, &verified, &bytes, &entries);
    let interface_path = output.with_extension("interface.json");
    if let Err(error) = std::fs::write(&interface_path, format!("{document:#}\n")) {
        report_plain(
            format,
            &format!("cannot write {}: {error}", interface_path.display()),
        );
        return Err(ExitCode::from(2));
    }
    let shown = if relative {
        project::shown(output)
    } else {
        output.display().to_string()
    };
    let module = verified.module();
    let exports: Vec<&str> = module.exports.iter().map(|e| e.name.as_str()).collect();
    let record = serde_json::json!({
        "contract": contract,
        "source": source,
        "output": shown,
        "interface": project::shown(&interface_path),
        "module": super::interface::module_facts(&bytes),
        "functions": module.functions.len(),
        "exports": exports,
    });
    if format == Format::Json {
        return Ok(record);
    }
    eprintln!(
        "wrote {shown} ({} bytes, {}; entry points: {}) and {}",
        bytes.len(),
        super::output::count(module.functions.len(), "function"),
        if exports.is_empty() {
            "none".to_string()
        } else {
            exports.join(", ")
        },
        interface_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    Ok(record)
}
