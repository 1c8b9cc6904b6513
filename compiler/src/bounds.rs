//! Gas and memory bounds of a file's functions, for people.
//!
//! There is one bound analysis, in `vm-core`: the verifier derives every
//! function's bounds from the bytecode, so a node trusts no compiler. The
//! compiler compiles the file (entry points and tests) and verifies the
//! result; this module turns what the verifier found back into source terms:
//! formulas with the parameters' names for `tally gas`, hover and inlay
//! hints, E0601 on the call that defeats the analysis (mapped through the
//! code generator's instruction spans) and W0602 on exponential bounds.

use std::collections::HashMap;

use crate::codegen::{self, Options, Program};
use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic, Kind};
use crate::span::Span;
use crate::syntax::ast::Item;
use vm_core::internals::{Place, VerifiedModule, VerifyErrorKind};

/// The bounds of one function of the file, printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionBound {
    /// The function's name.
    pub name: String,
    /// Its name's span in the file.
    pub name_span: Span,
    /// Whether it is an entry point (`pub`).
    pub is_pub: bool,
    /// `gas ≤` this, e.g. `7·|xs| + 4`.
    pub gas: String,
    /// `memory ≤` this many bytes.
    pub memory: String,
    /// One line per measure the formulas mention, e.g. `|xs| = constructor cells of xs ...`.
    pub legend: Vec<String>,
    /// The gas bound is exponential.
    pub exponential: bool,
}

/// What the bound analysis says about a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BoundReport {
    /// E0601 (no closed-form bound) and W0602 (exponential bound).
    pub diagnostics: Vec<Diagnostic>,
    /// Every non-generic function of the file the compiled program contains, in source order.
    pub functions: Vec<FunctionBound>,
    /// Every function the compiled program contains, of any file (the
    /// standard library's too), at each instance of a generic one: for
    /// hovers and code lenses on the functions a file calls.
    pub units: Vec<UnitBound>,
}

/// The bounds of one compiled function: a non-generic function, or one
/// instance of a generic one (`length<Int>`), from any file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBound {
    /// The path of the file defining the function (`std::list` for the
    /// standard library's).
    pub path: String,
    /// The function item's span in that file.
    pub item_span: Span,
    /// The instance's name, e.g. `std::list::map<Int, Int>{#1: lambda@3:9}`
    /// (with the functions passed to it, by parameter and place).
    pub name: String,
    /// `gas ≤` this.
    pub gas: String,
    /// `memory ≤` this many bytes.
    pub memory: String,
    /// One line per measure the formulas mention.
    pub legend: Vec<String>,
}

impl BoundReport {
    /// The bounds of function `name`, if it has them.
    pub fn function(&self, name: &str) -> Option<&FunctionBound> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// Compiles `file` with its tests and reports its functions' bounds. Empty
/// when the file has front-end errors (they are reported instead).
#[salsa::tracked(returns(ref))]
pub fn bounds(db: &dyn Db, file: SourceFile) -> BoundReport {
    let options = Options {
        tests: true,
        instances: Vec::new(),
    };
    let program = match codegen::compile(db, file, &options) {
        Ok(program) => program,
        // A program the front end accepts but the code generator cannot
        // compile (E0701, E0702) has no bounds: say why, so `tally check`
        // reports what `tally build` would. Front-end errors are reported
        // by the front end.
        Err(diagnostics) => {
            return BoundReport {
                diagnostics: diagnostics
                    .into_iter()
                    .filter(|d| d.code.kind() == Kind::Codegen)
                    .collect(),
                functions: Vec::new(),
                units: Vec::new(),
            };
        }
    };
    match vm_core::internals::verify(program.module.clone()) {
        Ok(vm) => report(db, file, &program, &vm),
        Err(error) => match (error.place, error.kind) {
            (
                Place::Code { func, pc, .. },
                VerifyErrorKind::NoBound {
                    callee,
                    detail,
                    feeding,
                    feeds_measure,
                    ..
                },
            ) => BoundReport {
                diagnostics: vec![no_bound(
                    db,
                    file,
                    &program,
                    func,
                    pc,
                    &callee,
                    &detail,
                    feeding.map(|f| (f, feeds_measure)),
                )],
                functions: Vec::new(),
                units: Vec::new(),
            },
            // The verifier re-derives termination from the bytecode; where
            // it cannot follow what the front end accepted, say so here
            // rather than fail later in `tally build`.
            (place, kind) => {
                let at = match place {
                    Place::Code { func, pc, .. } => instr_span(db, file, &program, func, pc)
                        .or_else(|| call_site(db, file, &program, func)),
                    Place::Function { func, .. } => call_site(db, file, &program, func),
                    _ => None,
                };
                BoundReport {
                    diagnostics: vec![not_verifiable(&program, at, &format!("{kind}"))],
                    functions: Vec::new(),
                    units: Vec::new(),
                }
            }
        },
    }
}

/// The span of instruction `pc` of bytecode function `func`, if it came from `file`.
fn instr_span(
    db: &dyn Db,
    file: SourceFile,
    program: &Program,
    func: u32,
    pc: u32,
) -> Option<Span> {
    let info = program.functions.get(func as usize)?;
    if info.path != *file.path(db) {
        return None;
    }
    info.instr_spans.get(pc as usize).copied()
}

/// The first call in `file`'s own code to bytecode function `func` (or
/// `func`'s own span if it comes from `file`).
fn call_site(db: &dyn Db, file: SourceFile, program: &Program, func: u32) -> Option<Span> {
    let path = file.path(db);
    if let Some(info) = program.functions.get(func as usize)
        && info.path == *path
    {
        return Some(info.span);
    }
    program
        .module
        .functions
        .iter()
        .enumerate()
        .filter(|(i, _)| program.functions.get(*i).is_some_and(|info| info.path == *path))
        .find_map(|(i, f)| {
            let pc = f.code.iter().position(|instr| {
                matches!(instr, vm_core::format::Instr::Call { f, .. } | vm_core::format::Instr::TailCall { f, .. } if f.0 == func)
            })?;
            instr_span(db, file, program, i as u32, pc as u32)
        })
}

#[allow(clippy::too_many_arguments)]
fn no_bound(
    db: &dyn Db,
    file: SourceFile,
    program: &Program,
    func: u32,
    pc: u32,
    callee: &str,
    detail: &str,
    feeding: Option<(u32, bool)>,
) -> Diagnostic {
    let callee = source_name(callee);
    let at = instr_span(db, file, program, func, pc)
        .or_else(|| program.entries.first().map(|e| e.span))
        .or_else(|| program.tests.first().map(|t| t.span))
        .unwrap_or_default();
    let d = Diagnostic::new(
        Code::NoClosedFormBound,
        format!("the cost of this call to `{callee}` has no closed-form bound"),
        at,
        "no formula over the arguments' sizes bounds the gas of this call",
    );
    let feed =
        feeding.and_then(|(f, measure)| Some((instr_span(db, file, program, func, f)?, measure)));
    match feed {
        Some((feed, false)) => d
            .with_label(
                feed,
                "the result of this recursive call is passed on in an argument that grows",
            )
            .with_note(
                "that argument is not a recursion measure, but it is built from a recursive \
                 call's result, so its size can grow with every round of the recursion and no \
                 formula of the inputs bounds it",
            )
            .with_help(
                "build the argument from the parameters and their parts, not from the result \
                 of another recursive call (combine the results after the calls instead)",
            ),
        Some((feed, true)) => d
            .with_label(
                feed,
                "the result of this recursive call is passed on as a recursion measure",
            )
            .with_note(
                "the number of calls then depends on values the recursion itself produces; \
                 that can grow faster than any formula of constants, +, ·, max and powers \
                 (Ackermann's function is the classic case)",
            )
            .with_help(
                "make the recursion descend on the inputs alone: do not pass a recursive \
                 call's result as the decreasing argument of another recursive call",
            ),
        None => d
            .with_note(format!(
                "the bound analysis says: {}",
                without_specialisations(detail)
            ))
            .with_help(
                "make one measure of the inputs decrease on every call of the cycle, with \
                 calls that share no work (for example, compute a recursive result once, \
                 outside a lambda, and pass it in)",
            ),
    }
}

/// Removes the code generator's specialisation suffixes (`{#1: lambda@2:95}`)
/// from function names in a message.
fn without_specialisations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if depth > 0 || chars.peek() == Some(&'#') => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn not_verifiable(program: &Program, at: Option<Span>, reason: &str) -> Diagnostic {
    let at = at
        .or_else(|| program.entries.first().map(|e| e.span))
        .or_else(|| program.tests.first().map(|t| t.span))
        .unwrap_or_default();
    Diagnostic::new(
        Code::NotVerifiable,
        "the bytecode compiled from this code is rejected by the verifier",
        at,
        "the verifier cannot re-derive why this terminates or what it costs",
    )
    .with_note(format!(
        "the verifier says: {}",
        without_specialisations(reason)
    ))
    .with_note(
        "a node checks every module itself, so a program must compile to bytecode whose \
         termination and bound the verifier can derive; a known case it cannot is Int \
         descent inside a lambda (`map(xs, |x| f(n - 1, x))`)",
    )
    .with_help("make the recursive call outside the lambda, or descend on a structure instead")
}

/// `std::list::map<Int, Int>{#1: lambda@2:95}` → `std::list::map`.
fn source_name(name: &str) -> &str {
    let end = name.find(['<', '{']).unwrap_or(name.len());
    &name[..end]
}

fn report(db: &dyn Db, file: SourceFile, program: &Program, vm: &VerifiedModule) -> BoundReport {
    let module = &crate::db::parse(db, file).module;
    let sigs = crate::types::signatures::signatures(db, file);
    let path = file.path(db);
    let mut out = BoundReport::default();
    // The bytecode function of each item of the file, found once (a search
    // per item made a file of n functions take n² steps).
    // A project module's functions are named with its module path
    // (`ledger::math::add`).
    let prefix = crate::db::module_name(db, file)
        .map(|m| format!("{m}::"))
        .unwrap_or_default();
    let compiled: HashMap<(&str, Span), usize> = program
        .functions
        .iter()
        .enumerate()
        .filter(|(_, info)| info.path == *path)
        .map(|(i, info)| {
            let name = info
                .name
                .strip_prefix(prefix.as_str())
                .unwrap_or(&info.name);
            ((name, info.span), i)
        })
        .rev()
        .collect();
    for (index, item) in module.items.iter().enumerate() {
        let Item::Fn(f) = item else { continue };
        if !f.generics.is_empty() {
            continue;
        }
        let Some(&func) = compiled.get(&(f.name.name.as_str(), f.span)) else {
            continue;
        };
        let func = func as u32;
        let Some(b) = vm.function_bounds(func) else {
            continue;
        };
        let names: Vec<&str> = sigs
            .func(index as u32)
            .map(|s| s.params.iter().map(|(n, _)| n.as_str()).collect())
            .unwrap_or_default();
        let names = (names.len() == f.params.len()).then_some(names.as_slice());
        let (gas, memory) = b.render(vm.module(), func, names);
        let legend = vm_core::internals::bound::legend(vm.module(), func, b, names);
        if b.exponential {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::ExponentialBound,
                    format!("the gas bound of `{}` is exponential", f.name.name),
                    f.name.span,
                    format!("gas ≤ {gas}"),
                )
                .with_note(
                    "more than one recursive call descends on the same measure, so the work \
                     can double with each step",
                )
                .with_help(
                    "if this is not intended, carry results in accumulator parameters so that \
                     each step makes one recursive call",
                ),
            );
        }
        out.functions.push(FunctionBound {
            name: f.name.name.clone(),
            name_span: f.name.span,
            is_pub: f.is_pub,
            gas,
            memory,
            legend,
            exponential: b.exponential,
        });
    }
    out.units = units(db, file, program, vm);
    out
}

/// The bounds of every compiled function that comes from a `fn` item (not
/// lambdas or tests), at each instance and each specialisation for the
/// functions passed to it.
fn units(db: &dyn Db, root: SourceFile, program: &Program, vm: &VerifiedModule) -> Vec<UnitBound> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (func, info) in program.functions.iter().enumerate() {
        if info.name.starts_with("test:") {
            continue;
        }
        let Some(file) = file_of(db, root, &info.path) else {
            continue;
        };
        let module = &crate::db::parse(db, file).module;
        let Some((index, f)) = module
            .items
            .iter()
            .enumerate()
            .find_map(|(i, item)| match item {
                Item::Fn(f) if f.span == info.span => Some((i, f)),
                _ => None,
            })
        else {
            continue;
        };
        let func = func as u32;
        let Some(b) = vm.function_bounds(func) else {
            continue;
        };
        if !seen.insert(info.name.clone()) {
            continue;
        }
        let sigs = crate::types::signatures::signatures(db, file);
        let names: Vec<&str> = sigs
            .func(index as u32)
            .map(|s| s.params.iter().map(|(n, _)| n.as_str()).collect())
            .unwrap_or_default();
        let names = (names.len() == f.params.len()).then_some(names.as_slice());
        let (gas, memory) = b.render(vm.module(), func, names);
        found.push(UnitBound {
            path: info.path.clone(),
            item_span: info.span,
            name: info.name.clone(),
            gas,
            memory,
            legend: vm_core::internals::bound::legend(vm.module(), func, b, names),
        });
    }
    found
}

/// The file with this display path: the root file or a standard-library module.
fn file_of(db: &dyn Db, root: SourceFile, path: &str) -> Option<SourceFile> {
    if root.path(db) == path {
        return Some(root);
    }
    db.std_module(path.strip_prefix("std::")?)
}
