//! Turning a command-line FILE into runnable bytecode: a bytecode module
//! (recognised by its magic bytes) is decoded and verified; anything else is
//! read as Tally source, checked, compiled and verified.

use std::path::Path;
use std::process::ExitCode;

use tally::codegen::{self, Options, Program};
use tally::db::{self, Database, SourceFile};
use tally::render;
use tally::types::ItemSig;
use tally::types::signatures::signatures;
use vm_core::{format::Module, internals::VerifiedModule};

use super::Format;

/// A verified module, with what the compiler knows of it when it came from source.
pub struct Loaded {
    /// The module, ready to run.
    pub module: VerifiedModule,
    /// Entry points and tests with their source names; `None` for a bytecode file.
    pub program: Option<ProgramInfo>,
}

/// What the compiler knows of a module it built.
pub struct ProgramInfo {
    /// The entry points, in source order.
    pub entries: Vec<EntryInfo>,
    /// Source name → export name of each test block, in source order.
    pub tests: Vec<tally::codegen::TestEntry>,
}

/// An entry point of a module built from source.
pub struct EntryInfo {
    /// The `pub fn`'s name.
    pub name: String,
    /// Its export name in the module (`name`, or `name<T>` for an instance).
    pub export: String,
    /// Its parameters' names.
    pub params: Vec<String>,
    /// Its parameters' types as written in Tally (`List<Entry>`).
    pub param_types: Vec<String>,
    /// Its result type as written in Tally.
    pub result: String,
    /// Its signature as written, e.g. `fn sum(xs: List<Int>) -> Int`.
    pub signature: String,
    /// Its `///` doc comment.
    pub doc: Option<String>,
}

/// A source file opened for compiling: the database holding it (with the
/// rest of its project, if it is in one) and its handle.
pub struct Opened {
    /// The database.
    pub database: Database,
    /// The file.
    pub file: SourceFile,
}

/// Opens source `text` read from `path` (shown as `name`): when the file
/// belongs to a project (a `tally.toml` above it lists it under `src/`),
/// in a database holding the whole project, so its imports resolve;
/// otherwise on its own.
pub fn open_source(path: &Path, name: &str, text: String) -> Result<Opened, String> {
    if text.len() >= u32::MAX as usize {
        return Err(format!("{name}: file too large (at most 4 GiB)"));
    }
    if let Some(root) = super::project::find(path) {
        let project = super::project::load(&root)?;
        if let Some(index) = project.find_file(&super::project::Disk, path) {
            let (database, handles) = project.database(&super::project::Disk)?;
            return Ok(Opened {
                database,
                file: handles[index],
            });
        }
    }
    let database = Database::new();
    let file = database.add_file(name.to_string(), text);
    Ok(Opened { database, file })
}

/// Why a file could not be turned into a module: the exit code to use, after
/// everything has been reported.
pub type Failure = ExitCode;

/// Options that change what is compiled from source.
#[derive(Default)]
pub struct Request {
    /// Compile the `test` blocks too.
    pub tests: bool,
    /// An entry point about to be called with these literal arguments: if it
    /// is generic, it is instantiated at the types the arguments have.
    pub call: Option<(String, Vec<String>)>,
    /// Show the warnings of a program that has no errors.
    pub warnings: bool,
}

/// Whether `bytes` are a bytecode module (rather than source text).
pub fn is_bytecode(bytes: &[u8]) -> bool {
    bytes.starts_with(&vm_core::format::module::MAGIC)
}

/// Reads `path` and loads it as a verified module, reporting problems on
/// standard error (or as JSON on standard output).
pub fn load(
    path: &Path,
    request: &Request,
    format: Format,
    color: bool,
) -> Result<Loaded, Failure> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| {
        report_plain(format, &format!("cannot read {name}: {error}"));
        ExitCode::from(2)
    })?;
    if is_bytecode(&bytes) {
        let module = vm_core::internals::load(&bytes).map_err(|error| {
            report_plain(format, &format!("{name}: invalid bytecode: {error}"));
            ExitCode::from(1)
        })?;
        return Ok(Loaded {
            module,
            program: None,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        report_plain(
            format,
            &format!("{name}: neither Tally source (not UTF-8) nor a bytecode module (no magic)"),
        );
        ExitCode::from(1)
    })?;
    let mut opened = open_source(path, &name, text).map_err(|message| {
        report_plain(format, &message);
        ExitCode::from(2)
    })?;
    load_opened(&mut opened, request, format, color)
}

/// Compiles and verifies an opened source file.
pub fn load_opened(
    opened: &mut Opened,
    request: &Request,
    format: Format,
    color: bool,
) -> Result<Loaded, Failure> {
    let name = opened.file.path(&opened.database).clone();
    let (program, entries) = compile_in(&mut opened.database, opened.file, request, format, color)?;
    let module = verify(program.module.clone(), &name)?;
    Ok(Loaded {
        module,
        program: Some(ProgramInfo {
            entries,
            tests: program.tests.clone(),
        }),
    })
}

/// Checks and compiles source text. If it has errors, reports every
/// diagnostic (as `tally check` does) and fails with exit code 1. Warnings
/// of a program without errors go to standard error when `request.warnings`
/// is set (`tally build` shows them; `run`, `test` and `disasm` do not).
pub fn compile_in(
    database: &mut Database,
    file: SourceFile,
    request: &Request,
    format: Format,
    color: bool,
) -> Result<(Program, Vec<EntryInfo>), Failure> {
    let mut options = Options {
        tests: request.tests,
        instances: Vec::new(),
    };
    if let Some((entry, args)) = &request.call {
        match super::instance::infer(database, file, entry, args) {
            Ok(Some(types)) => options.instances.push((entry.clone(), types)),
            Ok(None) => {}
            Err(message) => {
                report_plain(format, &message);
                return Err(ExitCode::from(2));
            }
        }
    }
    let database: &Database = database;
    let name = file.path(database).as_str();
    let text = file.text(database).as_str();
    imports_compile(database, file, format, color)?;
    let checked = db::check(database, file);
    let outcome = if checked.iter().any(|d| d.is_error()) {
        Err(checked.clone())
    } else {
        if request.warnings {
            for d in checked {
                eprint!("{}", render::human(d, name, text, color));
            }
        }
        codegen::compile(database, file, &options).map_err(tally::diagnostic::cap)
    };
    match outcome {
        Ok(program) => {
            let entries = entry_infos(database, file, &program);
            Ok((program, entries))
        }
        Err(diagnostics) => {
            match format {
                Format::Human => {
                    for d in &diagnostics {
                        eprint!("{}", render::human(d, name, text, color));
                    }
                    let errors = tally::diagnostic::count(&diagnostics).errors;
                    eprintln!(
                        "{name}: not compiled: {}",
                        super::output::count(errors, "error")
                    );
                }
                Format::Json => {
                    let json: Vec<_> = diagnostics
                        .iter()
                        .map(|d| render::json(d, name, text))
                        .collect();
                    println!("{:#}", serde_json::json!({ "diagnostics": json }));
                }
            }
            Err(ExitCode::from(1))
        }
    }
}

/// Fails (exit code 1) after reporting their errors, each in its own file,
/// if a project module that `file` imports has front-end errors.
fn imports_compile(
    database: &Database,
    file: SourceFile,
    format: Format,
    color: bool,
) -> Result<(), Failure> {
    let broken: Vec<SourceFile> = tally::types::scope::reachable_modules(database, file)
        .into_iter()
        .filter(|m| db::front_end(database, *m).iter().any(|d| d.is_error()))
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    let mut json = Vec::new();
    let mut errors = 0;
    for module in &broken {
        let (path, text) = (module.path(database), module.text(database));
        for d in db::front_end(database, *module) {
            errors += usize::from(d.is_error());
            match format {
                Format::Human => eprint!("{}", render::human(d, path, text, color)),
                Format::Json => json.push(render::json(d, path, text)),
            }
        }
    }
    let name = file.path(database);
    match format {
        Format::Human => eprintln!(
            "{name}: not compiled: the modules it imports have {}",
            super::output::count(errors, "error")
        ),
        Format::Json => println!("{:#}", serde_json::json!({ "diagnostics": json })),
    }
    Err(ExitCode::from(1))
}

/// The entry points of `program` with their signatures.
fn entry_infos(database: &Database, file: SourceFile, program: &Program) -> Vec<EntryInfo> {
    let sigs = signatures(database, file);
    let module = &db::parse(database, file).module;
    let doc_of = |name: &str| {
        module.items.iter().find_map(|item| match item {
            tally::syntax::ast::Item::Fn(f) if f.name.name == name => f.doc.clone(),
            _ => None,
        })
    };
    program
        .entries
        .iter()
        .map(|e| {
            let sig = sigs.items.iter().find_map(|item| match item {
                ItemSig::Fn(f) if f.name == e.name => Some(f),
                _ => None,
            });
            EntryInfo {
                name: e.name.clone(),
                export: e.export.clone(),
                params: sig.map_or_else(Vec::new, |f| {
                    f.params.iter().map(|(n, _)| n.clone()).collect()
                }),
                param_types: sig.map_or_else(Vec::new, |f| {
                    f.params.iter().map(|(_, t)| t.to_string()).collect()
                }),
                result: sig.map_or_else(String::new, |f| f.ret.to_string()),
                signature: sig.map_or_else(|| e.name.clone(), |f| f.display()),
                doc: doc_of(&e.name),
            }
        })
        .collect()
}

/// Verifies a module the compiler produced; a failure is a compiler bug.
pub fn verify(module: Module, name: &str) -> Result<VerifiedModule, Failure> {
    vm_core::internals::verify(module).map_err(|error| {
        eprintln!(
            "internal error: the bytecode compiled from {name} fails verification: {error}\n\
             This is a bug in the Tally compiler; please report it with the source file."
        );
        ExitCode::from(2)
    })
}

/// Reports a one-line problem for people or tools.
pub fn report_plain(format: Format, message: &str) {
    match format {
        Format::Human => eprintln!("error: {message}"),
        Format::Json => println!("{:#}", serde_json::json!({ "error": message })),
    }
}

/// The contracts of the project of the current directory that a command
/// without FILE works on: the one named by `--contract`, or every one.
pub fn project_contracts(
    contract: Option<&str>,
    format: Format,
) -> Result<(super::project::Project, Vec<String>), Failure> {
    let project = super::project::current().map_err(|message| {
        report_plain(format, &message);
        ExitCode::from(2)
    })?;
    let all = project.contracts.clone();
    let chosen: Vec<String> = match contract {
        Some(name) => all
            .iter()
            .filter(|m| super::project::Project::contract_name(m) == name || *m == name)
            .cloned()
            .collect(),
        None => all.clone(),
    };
    if chosen.is_empty() {
        let names: Vec<&str> = all
            .iter()
            .map(|m| super::project::Project::contract_name(m))
            .collect();
        let message = match contract {
            Some(name) => format!(
                "project `{}` has no contract `{name}`; its contracts are: {}",
                project.name,
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
            None => format!(
                "project `{}` has no contracts: put them under src/contracts/ or list them as \
                 `contracts = [..]` in tally.toml",
                project.name
            ),
        };
        report_plain(format, &message);
        return Err(ExitCode::from(2));
    }
    Ok((project, chosen))
}

/// Loads contract `module` of `project`.
pub fn load_module(
    project: &super::project::Project,
    module: &str,
    request: &Request,
    format: Format,
    color: bool,
) -> Result<Loaded, Failure> {
    let mut opened = super::build::open_module(project, module).ok_or(ExitCode::from(2))?;
    load_opened(&mut opened, request, format, color)
}
