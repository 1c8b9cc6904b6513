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
    /// Its signature as written, e.g. `fn sum(xs: List<Int>) -> Int`.
    pub signature: String,
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
        eprintln!("error: cannot read {name}: {error}");
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
    let (program, entries) = compile_source(&name, text, request, format, color)?;
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
pub fn compile_source(
    name: &str,
    text: String,
    request: &Request,
    format: Format,
    color: bool,
) -> Result<(Program, Vec<EntryInfo>), Failure> {
    if text.len() >= u32::MAX as usize {
        eprintln!("error: {name}: file too large (at most 4 GiB)");
        return Err(ExitCode::from(2));
    }
    let mut database = Database::new();
    let file = database.add_file(name.to_string(), text.clone());
    let mut options = Options {
        tests: request.tests,
        instances: Vec::new(),
    };
    if let Some((entry, args)) = &request.call {
        match super::instance::infer(&mut database, file, entry, args) {
            Ok(Some(types)) => options.instances.push((entry.clone(), types)),
            Ok(None) => {}
            Err(message) => {
                report_plain(format, &message);
                return Err(ExitCode::from(2));
            }
        }
    }
    let checked = db::check(&database, file);
    let outcome = if checked.iter().any(|d| d.is_error()) {
        Err(checked.clone())
    } else {
        if request.warnings {
            for d in checked {
                eprint!("{}", render::human(d, name, &text, color));
            }
        }
        codegen::compile(&database, file, &options).map_err(tally::diagnostic::cap)
    };
    match outcome {
        Ok(program) => {
            let entries = entry_infos(&database, file, &program);
            Ok((program, entries))
        }
        Err(diagnostics) => {
            match format {
                Format::Human => {
                    for d in &diagnostics {
                        eprint!("{}", render::human(d, name, &text, color));
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
                        .map(|d| render::json(d, name, &text))
                        .collect();
                    println!("{:#}", serde_json::json!({ "diagnostics": json }));
                }
            }
            Err(ExitCode::from(1))
        }
    }
}

/// The entry points of `program` with their signatures.
fn entry_infos(database: &Database, file: SourceFile, program: &Program) -> Vec<EntryInfo> {
    let sigs = signatures(database, file);
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
                signature: sig.map_or_else(|| e.name.clone(), |f| f.display()),
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
