//! `tally build [FILE] [-o OUT]`: compile a source file (or every contract
//! of the project) to a bytecode module, with its interface file beside it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Format;
use super::input::{self, Opened, Request};
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
}

/// Compiles and writes the module(s); exit code 1 if the program has errors,
/// 2 if a file cannot be read or written.
pub fn run(args: BuildArgs, color: bool) -> ExitCode {
    let Some(file) = &args.file else {
        return build_project(color);
    };
    let name = file.display().to_string();
    let text = match std::fs::read(file) {
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
    let mut opened = match input::open_source(file, &name, text) {
        Ok(opened) => opened,
        Err(message) => {
            eprintln!("error: {message}");
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
    build_one(&mut opened, (&contract, None), &output, false, color)
}

/// Builds every contract of the project of the current directory into `target/`.
fn build_project(color: bool) -> ExitCode {
    let project = match project::current() {
        Ok(project) => project,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if project.contracts.is_empty() {
        eprintln!(
            "error: project `{}` has no contracts: put them under src/contracts/ or list them \
             as `contracts = [..]` in {}",
            project.name,
            project::MANIFEST
        );
        return ExitCode::from(2);
    }
    let target = project.root.join("target");
    if let Err(error) = std::fs::create_dir_all(&target) {
        eprintln!("error: cannot create {}: {error}", target.display());
        return ExitCode::from(2);
    }
    let mut code = ExitCode::SUCCESS;
    for module in &project.contracts {
        let Some(mut opened) = open_module(&project, module) else {
            return ExitCode::from(2);
        };
        let name = Project::contract_name(module);
        let output = target.join(format!("{name}.tbc"));
        let package = Some((project.name.as_str(), project.version.as_str()));
        let result = build_one(&mut opened, (name, package), &output, true, color);
        if result != ExitCode::SUCCESS {
            code = result;
        }
    }
    code
}

/// Opens module `module` of `project` in a database of the whole project.
pub fn open_module(project: &Project, module: &str) -> Option<Opened> {
    let index = project.files.iter().position(|f| f.module == module)?;
    match project.database() {
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
    color: bool,
) -> ExitCode {
    let request = Request {
        warnings: true,
        ..Request::default()
    };
    let source = opened.file.path(&opened.database).clone();
    let (program, entries) = match input::compile_in(
        &mut opened.database,
        opened.file,
        &request,
        Format::Human,
        color,
    ) {
        Ok(compiled) => compiled,
        Err(code) => return code,
    };
    let verified = match input::verify(program.module, &source) {
        Ok(verified) => verified,
        Err(code) => return code,
    };
    let bytes = verified.module().encode();
    if let Err(error) = std::fs::write(output, &bytes) {
        eprintln!("error: cannot write {}: {error}", output.display());
        return ExitCode::from(2);
    }
    let document =
        super::interface::interface(contract, package, &source, &verified, &bytes, &entries);
    let interface_path = output.with_extension("interface.json");
    if let Err(error) = std::fs::write(&interface_path, format!("{document:#}\n")) {
        eprintln!("error: cannot write {}: {error}", interface_path.display());
        return ExitCode::from(2);
    }
    let shown = if relative {
        project::shown(output)
    } else {
        output.display().to_string()
    };
    let module = verified.module();
    let exports: Vec<&str> = module.exports.iter().map(|e| e.name.as_str()).collect();
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
    ExitCode::SUCCESS
}
