//! Code generation: a checked Tally program (the root file and the std
//! modules it uses) to a `vm_core::format::Module`.
//!
//! The scheme (specified in `lang-spec/codegen.md`): every function body is
//! compiled once per *unit* (`units::UnitKey`): per instance of its type
//! parameters and per binding of its function-typed parameters, found by a
//! worklist from the entry points. A lambda's captured values become extra
//! parameters threaded through the specialised callee, and its body is
//! compiled in place where the callee calls it. Matches compile to decision
//! trees (`matching`, `tree`), conditions to branches (`cond`), calls in
//! tail position to `tailcall`.

mod abort;
mod call;
mod cond;
mod diag;
mod expr;
mod func;
mod matching;
mod tree;
mod types;
mod units;
mod wrappers;

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use vm_core::format::{FuncId, ModuleBuilder};

use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::ast::Item;
use crate::types::{ItemRef, Ty};

pub use diag::CgError;
use types::TypeTable;
use units::{Body, UnitKey};

/// What to compile besides the root file's monomorphic `pub fn`s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Compile every `test` block of the root file (exported as `test:NAME`).
    pub tests: bool,
    /// Generic functions of the root file to export at these type
    /// arguments, e.g. `("length", [Int])`, exported as `length<Int>`.
    pub instances: Vec<(String, Vec<Ty>)>,
}

/// A compiled program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The bytecode module (not yet verified; the caller verifies).
    pub module: vm_core::format::Module,
    /// Exported `pub fn`s of the root file (and requested instances).
    pub entries: Vec<Entry>,
    /// With `Options::tests`: every `test` block of the root file.
    pub tests: Vec<TestEntry>,
    /// Indexed by `FuncId`: where each bytecode function came from.
    pub functions: Vec<FunctionInfo>,
    /// The front end's warnings for the root file (they do not stop
    /// compilation; the bound analysis' W0602 comes from `check`).
    pub warnings: Vec<Diagnostic>,
}

impl TestEntry {
    /// Why the test did not pass, given what its body did; `None` if it
    /// passed. A plain test passes when it returns `true`; one written
    /// `fails` when it ends in `fail` (with the written reason, if any).
    pub fn failure(&self, result: &Result<vm_core::Value, vm_core::Trap>) -> Option<String> {
        use vm_core::Trap::Failed;
        use vm_core::internals::error::show_reason;
        let Some(expected) = &self.fails else {
            return match result {
                Ok(v) if v.as_bool() == Some(true) => None,
                Ok(_) => Some("it returned false".to_string()),
                Err(trap) => Some(format!("it trapped: {trap}")),
            };
        };
        match (result, expected) {
            (Err(Failed(_)), None) => None,
            (Err(Failed(reason)), Some(want)) if reason == want => None,
            (Err(Failed(reason)), Some(want)) => Some(format!(
                "it failed with {} instead of {}",
                show_reason(reason),
                show_reason(want)
            )),
            (Err(trap), _) => Some(format!("it trapped ({trap}) instead of failing")),
            (Ok(_), _) => Some("it returned instead of failing".to_string()),
        }
    }
}

/// An exported function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source name.
    pub name: String,
    /// The export name in the module (`name`, or `name<Int>` for an instance).
    pub export: String,
    /// The function item.
    pub span: Span,
}

/// An exported test block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestEntry {
    /// The test's name.
    pub name: String,
    /// Its export name, `test:NAME` (cannot collide with a function's name).
    pub export: String,
    /// The test item.
    pub span: Span,
    /// `Some` for a test written `fails`: it passes only if it fails, with
    /// this reason if one is given.
    pub fails: Option<Option<Vec<u8>>>,
    /// A property's parameter name for each of its export's parameters
    /// (empty for a plain test): a parameter written `x: T via f` takes
    /// `f`'s inputs, each named `x`.
    pub params: Vec<String>,
    /// The property's parameters as written: its name, its generator's
    /// name if it has one, and how many export parameters it takes.
    pub groups: Vec<(String, Option<String>, usize)>,
}

/// Where a bytecode function came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionInfo {
    /// e.g. `sum`, `std::list::map<Int, Int>{f: lambda@3}`.
    pub name: String,
    /// The path of the file the body is in.
    pub path: String,
    /// The item (or lambda) the body comes from.
    pub span: Span,
    /// One per instruction: the source expression it was compiled from.
    pub instr_spans: Vec<Span>,
}

/// The export name of a test block.
pub fn test_export(name: &str) -> String {
    format!("test:{name}")
}

/// The export name of an instance of a generic function: `name<T, U>`.
pub fn instance_export(name: &str, tys: &[Ty]) -> String {
    if tys.is_empty() {
        return name.to_string();
    }
    let args: Vec<String> = tys.iter().map(|t| t.to_string()).collect();
    format!("{name}<{}>", args.join(", "))
}

/// Most units (bytecode functions) one program may instantiate: the
/// module format's limit on functions.
pub const MAX_UNITS: usize = vm_core::format::limits::MAX_FUNCS as usize;
/// Deepest nesting of lambdas passed through specialised functions.
pub const MAX_LAMBDA_NESTING: usize = 16;

/// Compiles `file` (after [`crate::db::front_end`]; its errors are returned
/// unchanged if there are any).
pub fn compile(
    db: &dyn Db,
    file: SourceFile,
    options: &Options,
) -> Result<Program, Vec<Diagnostic>> {
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = crate::db::front_end(db, file)
        .iter()
        .cloned()
        .partition(|d| d.is_error());
    if !errors.is_empty() {
        return Err(errors);
    }
    let list_item = db.std_module("prelude").and_then(|prelude| {
        crate::types::decls::declarations(db, prelude)
            .types
            .get("List")
            .map(|decl| ItemRef {
                file: prelude,
                index: decl.item,
            })
    });
    let mut cg = Compiler {
        db,
        root: file,
        mb: ModuleBuilder::new(),
        types: TypeTable::new(list_item),
        units: HashMap::new(),
        queue: VecDeque::new(),
        infos: Vec::new(),
        diagnostics: Vec::new(),
        current: None,
        self_instantiating: HashSet::new(),
    };
    let (entries, tests) = cg.roots(options);
    while let Some((id, key, origin)) = cg.queue.pop_front() {
        cg.current = Some(key.body.clone());
        if let Err(e) = func::compile_unit(&mut cg, id, &key, origin) {
            cg.report(e, &key, origin);
            break;
        }
    }
    if let Err(e) = cg.types.flush(db) {
        cg.diagnostics
            .push(diag::type_error(e, Span::default()).into_diagnostic());
    }
    if !cg.diagnostics.is_empty() {
        return Err(cg.diagnostics);
    }
    let Compiler {
        mut mb,
        types,
        infos,
        ..
    } = cg;
    let defs = types.into_defs();
    for def in defs {
        mb.add_adt(def);
    }
    let module = mb.finish().map_err(|e| {
        vec![
            CgError::internal(
                format!("assembling the module failed: {e}"),
                Span::default(),
            )
            .into_diagnostic(),
        ]
    })?;
    let counts = [
        (
            module.consts.len(),
            vm_core::format::limits::MAX_CONSTS,
            "constants",
        ),
        (
            module.exports.len(),
            vm_core::format::limits::MAX_EXPORTS,
            "exports",
        ),
    ];
    if let Some((n, max, what)) = counts.iter().find(|(n, max, _)| *n > *max as usize) {
        let e = diag::limit(
            format!("the module has {n} {what} (at most {max})"),
            Span::default(),
        );
        return Err(vec![e.into_diagnostic()]);
    }
    Ok(Program {
        module,
        entries,
        tests,
        functions: infos,
        warnings,
    })
}

/// The state of one compilation.
pub struct Compiler<'db> {
    db: &'db dyn Db,
    root: SourceFile,
    mb: ModuleBuilder,
    types: TypeTable,
    units: HashMap<Rc<UnitKey>, FuncId>,
    /// Units declared but not compiled yet, with the root-file span that needed them.
    queue: VecDeque<(FuncId, Rc<UnitKey>, Span)>,
    infos: Vec<FunctionInfo>,
    diagnostics: Vec<Diagnostic>,
    /// The body of the unit being compiled.
    current: Option<Body>,
    /// Bodies whose units asked for an instance of the same body at other types.
    self_instantiating: HashSet<Body>,
}

impl Compiler<'_> {
    /// Declares the entry points; returns the export lists.
    fn roots(&mut self, options: &Options) -> (Vec<Entry>, Vec<TestEntry>) {
        let db = self.db;
        let file = self.root;
        let module = &crate::db::parse(db, file).module;
        let sigs = crate::types::signatures::signatures(db, file);
        let mut entries = Vec::new();
        let mut tests = Vec::new();
        for (index, item) in module.items.iter().enumerate() {
            let item_ref = ItemRef {
                file,
                index: index as u32,
            };
            match item {
                Item::Fn(f) if f.is_pub && f.generics.is_empty() => {
                    let Some(sig) = sigs.func(index as u32) else {
                        continue;
                    };
                    if sig.params.iter().any(|(_, t)| matches!(t, Ty::Fn { .. })) {
                        continue;
                    }
                    if f.name.name.len() > types::MAX_NAME {
                        self.diagnostics
                            .push(long_name(f.name.span).into_diagnostic());
                        continue;
                    }
                    let key = UnitKey {
                        body: Body::Item(item_ref),
                        tys: vec![],
                        fns: vec![],
                    };
                    match self.request(key, f.span) {
                        Ok(id) => {
                            self.mb.export(&f.name.name, id);
                            entries.push(Entry {
                                name: f.name.name.clone(),
                                export: f.name.name.clone(),
                                span: f.span,
                            });
                        }
                        Err(e) => self.diagnostics.push(e.into_diagnostic()),
                    }
                }
                Item::Test(t) if options.tests => {
                    if test_export(&t.name.name).len() > types::MAX_NAME {
                        self.diagnostics
                            .push(long_name(t.name.span).into_diagnostic());
                        continue;
                    }
                    let key = UnitKey {
                        body: Body::Test(item_ref),
                        tys: vec![],
                        fns: vec![],
                    };
                    match self.request(key, t.span) {
                        Ok(id) => {
                            let typed = crate::types::infer(db, file);
                            let groups = t
                                .params
                                .iter()
                                .zip(&t.via)
                                .enumerate()
                                .map(|(i, (p, via))| {
                                    let inputs = typed
                                        .vias
                                        .get(&(index as u32, i as u32))
                                        .map_or(1, |(_, inputs)| inputs.len());
                                    (
                                        p.name.name.clone(),
                                        via.as_ref().map(|f| f.name.clone()),
                                        inputs,
                                    )
                                })
                                .collect::<Vec<_>>();
                            let export = test_export(&t.name.name);
                            self.mb.export(&export, id);
                            tests.push(TestEntry {
                                name: t.name.name.clone(),
                                export,
                                span: t.span,
                                fails: t
                                    .fails
                                    .as_ref()
                                    .map(|f| f.reason.as_ref().map(|(r, _)| r.clone())),
                                params: groups
                                    .iter()
                                    .flat_map(|(n, _, k)| std::iter::repeat_n(n.clone(), *k))
                                    .collect(),
                                groups,
                            });
                        }
                        Err(e) => self.diagnostics.push(e.into_diagnostic()),
                    }
                }
                _ => {}
            }
        }
        for (name, tys) in &options.instances {
            match self.instance(name, tys) {
                Ok((id, span)) => {
                    let export = instance_export(name, tys);
                    if entries.iter().any(|e| e.export == export) {
                        continue;
                    }
                    self.mb.export(&types::clip_name(&export), id);
                    entries.push(Entry {
                        name: name.clone(),
                        export: types::clip_name(&export),
                        span,
                    });
                }
                Err(e) => self.diagnostics.push(e.into_diagnostic()),
            }
        }
        (entries, tests)
    }

    /// Declares a requested instance of a root-file function.
    fn instance(&mut self, name: &str, tys: &[Ty]) -> Result<(FuncId, Span), CgError> {
        let db = self.db;
        let file = self.root;
        let module = &crate::db::parse(db, file).module;
        let sigs = crate::types::signatures::signatures(db, file);
        let found = module
            .items
            .iter()
            .enumerate()
            .find_map(|(i, item)| match item {
                Item::Fn(f) if f.name.name == name => Some((i, f)),
                _ => None,
            });
        let Some((index, f)) = found else {
            return Err(diag::bad_instance(
                format!("there is no function `{name}` to export"),
                Span::default(),
                "no such function in this file",
                "check the name; only functions of the file being built can be exported",
            ));
        };
        let Some(sig) = sigs.func(index as u32) else {
            return Err(CgError::internal("no signature", f.span));
        };
        if sig.generics.len() != tys.len() {
            return Err(diag::bad_instance(
                format!(
                    "`{name}` takes {} type arguments but {} were given",
                    sig.generics.len(),
                    tys.len()
                ),
                f.name.span,
                "the function exported",
                format!("give one type for each of <{}>", sig.generics.join(", ")),
            ));
        }
        if sig.params.iter().any(|(_, t)| matches!(t, Ty::Fn { .. })) {
            return Err(diag::bad_instance(
                format!("`{name}` takes a function, so it cannot be an entry point"),
                f.name.span,
                "has a parameter of function type",
                "export a function that calls it with a concrete function instead",
            ));
        }
        if tys.iter().any(|t| t.contains_fn() || has_param(t)) {
            return Err(diag::bad_instance(
                format!("the type arguments of `{name}` must be data types"),
                f.name.span,
                "the function exported",
                "use types such as `Int` or `List<Bytes>`",
            ));
        }
        let key = UnitKey {
            body: Body::Item(ItemRef {
                file,
                index: index as u32,
            }),
            tys: tys.iter().map(|t| units::mono(t, &[])).collect(),
            fns: vec![],
        };
        Ok((self.request(key, f.span)?, f.span))
    }

    /// The function of a unit, declared (and queued) on first request.
    /// `origin` is the root-file span that needs it (for diagnostics).
    fn request(&mut self, key: UnitKey, origin: Span) -> Result<FuncId, CgError> {
        if let Some(&id) = self.units.get(&key) {
            return Ok(id);
        }
        if let Some((ty, limit)) = key
            .tys
            .iter()
            .find_map(|t| Some((t, types::type_limit(t)?)))
        {
            let error = types::TypeError::TooDeep(types::short(ty), limit);
            return Err(self.type_error(error, origin));
        }
        if key.nesting() > MAX_LAMBDA_NESTING {
            return Err(diag::instantiation_limit(self.db, &key, origin));
        }
        if self.units.len() >= MAX_UNITS {
            return Err(diag::limit(
                format!(
                    "the program needs more than {MAX_UNITS} functions (each instance of a generic function, and each specialisation for a function argument, is one)"
                ),
                origin,
            ));
        }
        if let Some(current) = &self.current
            && *current == key.body
        {
            self.self_instantiating.insert(key.body.clone());
        }
        let sig = func::unit_sig(self.db, &key).map_err(|e| e.at_root(origin))?;
        let mut params = Vec::with_capacity(sig.params.len());
        for p in &sig.params {
            params.push(self.vm_ty(p, origin)?);
        }
        let result = self.vm_ty(&sig.result, origin)?;
        if params.len() > vm_core::format::limits::MAX_PARAMS as usize {
            return Err(diag::limit(
                format!(
                    "a function has {} parameters, counting captured values (at most {})",
                    params.len(),
                    vm_core::format::limits::MAX_PARAMS
                ),
                origin,
            ));
        }
        let name = types::clip_name(&func::unit_name(self.db, &key));
        let id = self.mb.declare(&name, &params, result);
        let (path, span) = func::unit_place(self.db, &key);
        self.infos.push(FunctionInfo {
            name,
            path,
            span,
            instr_spans: Vec::new(),
        });
        let key = Rc::new(key);
        self.units.insert(key.clone(), id);
        self.queue.push_back((id, key, origin));
        Ok(id)
    }

    /// The bytecode type of a monomorphic type.
    fn vm_ty(&mut self, ty: &Ty, at: Span) -> Result<vm_core::Ty, CgError> {
        let t = self.types.vm_ty(ty).map_err(|e| self.type_error(e, at))?;
        if let Err(e) = self.types.flush(self.db) {
            return Err(self.type_error(e, at));
        }
        Ok(t)
    }

    /// The error for a type without a bytecode representation. A type too
    /// large met while compiling a function that instantiates itself at
    /// other types is polymorphic recursion: it would never end.
    fn type_error(&self, e: types::TypeError, at: Span) -> CgError {
        let e = match e {
            types::TypeError::TooDeep(ty, _)
                if self
                    .current
                    .as_ref()
                    .is_some_and(|b| self.self_instantiating.contains(b)) =>
            {
                types::TypeError::TooDeep(ty, types::TypeLimit::Depth)
            }
            e => e,
        };
        diag::type_error(e, at)
    }

    /// Records a unit's failure as a diagnostic on the root file.
    fn report(&mut self, e: CgError, key: &UnitKey, origin: Span) {
        let e = if key.file() == self.root {
            e
        } else {
            e.at_root(origin)
        };
        self.diagnostics.push(e.into_diagnostic());
    }
}

/// E0702 for an entry point whose export name would exceed the format's limit.
fn long_name(span: Span) -> CgError {
    diag::limit(
        format!("an exported name is longer than {} bytes", types::MAX_NAME),
        span,
    )
}

fn has_param(ty: &Ty) -> bool {
    let mut stack = vec![ty];
    while let Some(t) = stack.pop() {
        if matches!(t, Ty::Param { .. } | Ty::Error) {
            return true;
        }
        t.for_each_child(|c| stack.push(c));
    }
    false
}
