//! The verifier: the only way to obtain a [`VerifiedModule`].
//!
//! It checks the tables (types, constants, exports), every instruction's
//! operands, a forward dataflow pass per function (register initialisation,
//! types, known variants, termination facts), and the size-change
//! termination of every call-graph cycle. On success it lowers the code to
//! the evaluator's internal form.

pub(crate) mod flow;
mod maps;
mod output;
mod sct;
mod size;

use crate::error::{Place, VerifyError, VerifyErrorKind};
use crate::isa::{Instr, OperandCtx};
use crate::limits::{MAX_FLOW_WORK, MAX_REGS};
use crate::module::{Const, Module};
use crate::program::{Program, bytes_slot};
use crate::types::{AdtKind, Ty};

/// A module that passed verification, with its pre-decoded code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedModule {
    module: Module,
    pub(crate) program: Program,
    bounds: crate::bound::ModuleBounds,
}

impl VerifiedModule {
    /// The fused ops the evaluator's fast code holds, by name, in code
    /// order (for the tests of fusion; not a stable interface).
    #[doc(hidden)]
    pub fn fused_ops(&self) -> Vec<&'static str> {
        let fused = self.program.fast.iter().map(|s| s.op.kind());
        fused.filter(|k| k.is_fused()).map(|k| k.name()).collect()
    }

    /// The verified module.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// The gas, memory and output bounds of the function an export runs.
    pub fn bounds(&self, export: &str) -> Option<&crate::bound::FnBounds> {
        let e = self
            .module
            .exports
            .binary_search_by(|e| e.name.as_str().cmp(export))
            .ok()?;
        self.function_bounds(self.module.exports.get(e)?.func.0)
    }

    /// The bounds of function `func`.
    pub fn function_bounds(&self, func: u32) -> Option<&crate::bound::FnBounds> {
        self.bounds.functions.get(func as usize)
    }

    /// Gives the module back.
    pub fn into_module(self) -> Module {
        self.module
    }
}

fn err(place: Place, kind: VerifyErrorKind) -> VerifyError {
    VerifyError { place, kind }
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_ty(ty: Ty, m: &Module) -> Result<(), VerifyErrorKind> {
    match ty {
        Ty::Adt(i) if i as usize >= m.adts.len() => Err(VerifyErrorKind::BadType(i)),
        _ => Ok(()),
    }
}

/// Returns true if the sorted copy of `names` has a duplicate.
fn has_duplicate<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut v: Vec<&str> = names.collect();
    v.sort_unstable();
    v.windows(2)
        .find(|w| w[0] == w[1])
        .map(|w| w[0].to_string())
}

fn check_types(m: &Module) -> Result<(), VerifyError> {
    for (i, adt) in m.adts.iter().enumerate() {
        let place = || Place::Type(i as u32);
        let bad = |s: String| err(place(), VerifyErrorKind::BadTypeDef(s));
        if adt.name.is_empty() {
            return Err(err(
                place(),
                VerifyErrorKind::BadName("empty type name".into()),
            ));
        }
        if adt.variants.is_empty() {
            return Err(bad("a type needs at least one variant".into()));
        }
        for v in &adt.variants {
            for f in &v.fields {
                check_ty(f.ty, m).map_err(|k| err(place(), k))?;
            }
        }
        match adt.kind {
            AdtKind::Enum => {
                for v in &adt.variants {
                    if !is_ident(&v.name) {
                        return Err(err(
                            place(),
                            VerifyErrorKind::BadName(format!("variant name {:?}", v.name)),
                        ));
                    }
                    if v.fields.iter().any(|f| !f.name.is_empty()) {
                        return Err(bad("enum fields have no names".into()));
                    }
                }
                if let Some(d) = has_duplicate(adt.variants.iter().map(|v| v.name.as_str())) {
                    return Err(err(
                        place(),
                        VerifyErrorKind::BadName(format!("duplicate variant {d}")),
                    ));
                }
            }
            AdtKind::Struct => {
                let [v] = adt.variants.as_slice() else {
                    return Err(bad("a struct has exactly one variant".into()));
                };
                if !is_ident(&v.name) {
                    return Err(err(
                        place(),
                        VerifyErrorKind::BadName(format!("struct name {:?}", v.name)),
                    ));
                }
                if let Some(f) = v.fields.iter().find(|f| !is_ident(&f.name)) {
                    return Err(err(
                        place(),
                        VerifyErrorKind::BadName(format!("field name {:?}", f.name)),
                    ));
                }
                if let Some(d) = has_duplicate(v.fields.iter().map(|f| f.name.as_str())) {
                    return Err(err(
                        place(),
                        VerifyErrorKind::BadName(format!("duplicate field {d}")),
                    ));
                }
            }
            AdtKind::Tuple => {
                let [v] = adt.variants.as_slice() else {
                    return Err(bad("a tuple has exactly one variant".into()));
                };
                if !v.name.is_empty() || v.fields.iter().any(|f| !f.name.is_empty()) {
                    return Err(bad("tuple variants and fields have no names".into()));
                }
            }
            AdtKind::List => {
                let ok = match adt.variants.as_slice() {
                    [nil, cons] => {
                        nil.name == "Nil"
                            && nil.fields.is_empty()
                            && cons.name == "Cons"
                            && cons.fields.len() == 2
                            && cons.fields.iter().all(|f| f.name.is_empty())
                            && cons.fields[1].ty == Ty::Adt(i as u32)
                    }
                    _ => false,
                };
                if !ok {
                    return Err(bad("a list is `Nil | Cons(elem, self)`".into()));
                }
            }
            AdtKind::Map => {
                let ok = matches!(adt.variants.as_slice(), [v] if v.name.is_empty()
                    && v.fields.len() == 2
                    && v.fields.iter().all(|f| f.name.is_empty()));
                if !ok {
                    return Err(bad("a map is one nameless variant (key, value)".into()));
                }
                if !matches!(adt.variants[0].fields[0].ty, Ty::Int | Ty::Bytes) {
                    return Err(bad("a map's keys are Int or Bytes".into()));
                }
            }
        }
    }
    if let Some(d) = has_duplicate(m.adts.iter().map(|a| a.name.as_str())) {
        return Err(err(
            Place::Module,
            VerifyErrorKind::BadName(format!("duplicate type name {d}")),
        ));
    }
    Ok(())
}

fn check_tables(m: &Module) -> Result<(), VerifyError> {
    if m.consts.windows(2).any(|w| w[0] >= w[1]) {
        return Err(err(
            Place::Module,
            VerifyErrorKind::BadName("constant pool not strictly sorted".into()),
        ));
    }
    if !m.certificate.is_empty() {
        return Err(err(
            Place::Module,
            VerifyErrorKind::BadName("bound certificate must be empty".into()),
        ));
    }
    for (i, e) in m.exports.iter().enumerate() {
        let place = Place::Export(i as u32);
        if e.name.is_empty() {
            return Err(err(
                place,
                VerifyErrorKind::BadName("empty export name".into()),
            ));
        }
        if i > 0 && m.exports[i - 1].name >= e.name {
            return Err(err(
                place,
                VerifyErrorKind::BadName("exports not strictly sorted by name".into()),
            ));
        }
        if e.func.0 as usize >= m.functions.len() {
            return Err(err(place, VerifyErrorKind::BadFunction(e.func.0)));
        }
    }
    Ok(())
}

/// Number of jump edges an instruction adds to the dataflow pass.
fn jump_edges(ins: &Instr) -> u64 {
    match ins {
        Instr::Switch { t, .. } => t.len() as u64,
        Instr::Jmp { .. }
        | Instr::BrIf { .. }
        | Instr::BrIfNot { .. }
        | Instr::BrLtI { .. }
        | Instr::BrLeI { .. }
        | Instr::BrGtI { .. }
        | Instr::BrGeI { .. }
        | Instr::BrEqI { .. }
        | Instr::BrNeI { .. }
        | Instr::BrLt { .. }
        | Instr::BrLe { .. } => 1,
        _ => 0,
    }
}

fn check_signatures(m: &Module, flow_budget: u64) -> Result<(), VerifyError> {
    let mut flow_work: u64 = 0;
    for (i, f) in m.functions.iter().enumerate() {
        let place = || Place::Function {
            func: i as u32,
            name: f.name.clone(),
        };
        for &t in f
            .params
            .iter()
            .chain(&f.locals)
            .chain(std::iter::once(&f.result))
        {
            check_ty(t, m).map_err(|k| err(place(), k))?;
        }
        if f.nregs() > MAX_REGS as usize {
            return Err(err(
                place(),
                VerifyErrorKind::BadFrame(format!("{} registers exceed {MAX_REGS}", f.nregs())),
            ));
        }
        if f.code.is_empty() {
            return Err(err(place(), VerifyErrorKind::EmptyCode));
        }
        // The dataflow pass copies one register state per jump edge.
        let edges: u64 = f.code.iter().map(jump_edges).sum();
        flow_work += (edges + f.code.len() as u64) * (f.nregs() as u64 + 1);
        if flow_work > flow_budget {
            return Err(err(
                place(),
                VerifyErrorKind::BadFrame(format!(
                    "module exceeds the verification budget ({flow_budget} register-state steps)"
                )),
            ));
        }
        for (pc, ins) in f.code.iter().enumerate() {
            let ctx = OperandCtx {
                module: m,
                nregs: f.nregs() as u32,
                code_len: f.code.len(),
                pc,
            };
            ins.check_operands(&ctx).map_err(|k| {
                err(
                    Place::Code {
                        func: i as u32,
                        name: f.name.clone(),
                        pc: pc as u32,
                    },
                    k,
                )
            })?;
        }
    }
    Ok(())
}

/// Strongly connected components of the call graph (iterative Tarjan).
/// Returns each function's component number.
fn components(m: &Module) -> Vec<u32> {
    let n = m.functions.len();
    let succ: Vec<Vec<usize>> = m
        .functions
        .iter()
        .map(|f| {
            let mut s: Vec<usize> = f
                .code
                .iter()
                .filter_map(|i| match i {
                    Instr::Call { f, .. } | Instr::TailCall { f, .. } => Some(f.0 as usize),
                    _ => None,
                })
                .collect();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![u32::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0u32;
    let mut work: Vec<(usize, usize)> = Vec::new();
    macro_rules! enter {
        ($v:expr) => {{
            let v = $v;
            index[v] = next_index;
            low[v] = next_index;
            next_index += 1;
            stack.push(v);
            on_stack[v] = true;
            work.push((v, 0usize));
        }};
    }
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        enter!(root);
        while let Some(&(v, k)) = work.last() {
            if let Some(&w) = succ[v].get(k) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == NONE {
                    enter!(w);
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Decodes and verifies untrusted bytes in one step (what a node does).
pub fn load(bytes: &[u8]) -> Result<VerifiedModule, crate::error::LoadError> {
    Ok(verify(Module::decode(bytes)?)?)
}

/// Verifies a module. Only a [`VerifiedModule`] can be evaluated.
pub fn verify(module: Module) -> Result<VerifiedModule, VerifyError> {
    verify_within(module, u64::MAX)
}

/// Verifies a module spending at most `work` steps in each of the dataflow
/// pass (register-state steps) and the size-change termination check
/// (matrix cells combined per call-graph cycle); the built-in budgets
/// ([`MAX_FLOW_WORK`], [`crate::limits::MAX_SCT_WORK`]) cap it.
pub(crate) fn verify_within(module: Module, work: u64) -> Result<VerifiedModule, VerifyError> {
    check_types(&module)?;
    check_tables(&module)?;
    check_signatures(&module, work.min(MAX_FLOW_WORK))?;
    let comp = components(&module);
    let mut program = Program {
        nodes_per_cell: crate::types::nodes_per_cell_table(&module.adts),
        ..Program::default()
    };
    for c in &module.consts {
        match c {
            Const::Int(v) => program.const_slots.push(*v),
            Const::Bytes(b) => {
                program
                    .const_slots
                    .push(bytes_slot(program.const_bytes.len(), b.len()));
                program.const_bytes.extend_from_slice(b);
            }
        }
    }
    let outputs = output::outputs(&module, &comp);
    let mut edges = Vec::new();
    for fi in 0..module.functions.len() {
        flow::check_function(&module, fi, &comp, &outputs, None, &mut program, &mut edges)?;
    }
    flow::resolve_calls(&mut program);
    program.finish();
    sct::check_termination(&module, &comp, &edges, work)?;
    let mut size_arcs = crate::bound::SizeArcs::new();
    for e in edges {
        size_arcs.insert((e.from, e.pc), e.arcs);
    }
    let bounds = crate::bound::analyze(&module, &comp, &size_arcs).map_err(|b| VerifyError {
        place: Place::Code {
            func: b.func,
            name: b.name,
            pc: b.pc,
        },
        kind: VerifyErrorKind::NoBound {
            callee: b.callee,
            detail: b.message,
            feeding: b.feeding,
            feeds_measure: b.feeds_measure,
        },
    })?;
    Ok(VerifiedModule {
        module,
        program,
        bounds,
    })
}
