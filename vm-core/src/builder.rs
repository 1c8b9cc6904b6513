//! A small assembler for building modules: for tests and for the compiler's
//! code generator.
//!
//! ```
//! use vm_core::format::*;
//! use vm_core::internals::*;
//! let mut mb = ModuleBuilder::new();
//! let double = mb.declare("double", &[Ty::Int], Ty::Int);
//! let mut f = FunctionBuilder::new(&[Ty::Int]);
//! let x = f.param(0);
//! let y = f.reg(Ty::Int);
//! f.emit(Instr::Add { d: y, a: x, b: x });
//! f.emit(Instr::Ret { a: y });
//! mb.define(double, f).unwrap();
//! mb.export("double", double);
//! let vm = verify(mb.finish().unwrap()).unwrap();
//! let (r, gas) = evaluate(&vm, "double", &[Value::int(21)], 100);
//! assert_eq!(r.unwrap().as_int(), Some(42));
//! assert_eq!(gas, 3);
//! ```

use std::collections::BTreeMap;

use thiserror::Error;

use crate::isa::{AdtId, ConstId, FuncId, Instr, Jump, Reg};
use crate::module::{Const, Export, Function, Module};
use crate::types::{AdtDef, Ty};

/// A mistake in the use of the builder.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    /// A label was used but never bound.
    #[error("label {0} used but never bound")]
    UnboundLabel(u32),
    /// A function was declared but never defined.
    #[error("function `{0}` declared but never defined")]
    Undefined(String),
    /// A function index was not declared by this builder.
    #[error("function f{0} was not declared")]
    Undeclared(u32),
    /// An instruction was given the wrong number of labels.
    #[error("instruction has {found} jump operands, {given} labels given")]
    LabelCount {
        /// Jump operands of the instruction.
        found: usize,
        /// Labels given.
        given: usize,
    },
}

/// A jump target inside a [`FunctionBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label(u32);

/// Builds one function's frame and code.
#[derive(Debug, Clone)]
pub struct FunctionBuilder {
    params: Vec<Ty>,
    locals: Vec<Ty>,
    code: Vec<Instr>,
    labels: Vec<Option<u32>>,
    fixups: Vec<(usize, Vec<Label>)>,
}

impl FunctionBuilder {
    /// A function with these parameter types (in registers `0..n`).
    pub fn new(params: &[Ty]) -> Self {
        FunctionBuilder {
            params: params.to_vec(),
            locals: vec![],
            code: vec![],
            labels: vec![],
            fixups: vec![],
        }
    }

    /// The register holding parameter `i`.
    pub fn param(&self, i: u32) -> Reg {
        Reg(i)
    }

    /// A fresh register of type `ty`.
    pub fn reg(&mut self, ty: Ty) -> Reg {
        self.locals.push(ty);
        Reg((self.params.len() + self.locals.len() - 1) as u32)
    }

    /// A fresh, unbound label.
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `l` to the next instruction.
    pub fn bind(&mut self, l: Label) {
        if let Some(slot) = self.labels.get_mut(l.0 as usize) {
            *slot = Some(self.code.len() as u32);
        }
    }

    /// Appends an instruction (its jump operands, if any, are taken as written).
    pub fn emit(&mut self, i: Instr) {
        self.code.push(i);
    }

    /// Appends an instruction whose jump operands (in order) go to `targets`.
    pub fn emit_to(&mut self, i: Instr, targets: &[Label]) {
        self.fixups.push((self.code.len(), targets.to_vec()));
        self.code.push(i);
    }

    /// `jmp l`.
    pub fn jmp(&mut self, l: Label) {
        self.emit_to(Instr::Jmp { t: Jump(0) }, &[l]);
    }

    /// `switch s` with one label per variant.
    pub fn switch(&mut self, s: Reg, targets: &[Label]) {
        self.emit_to(
            Instr::Switch {
                s,
                t: vec![Jump(0); targets.len()],
            },
            targets,
        );
    }

    /// Number of instructions so far.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    /// True if no instruction was emitted yet.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    fn finish(mut self, name: &str, result: Ty) -> Result<Function, BuildError> {
        for (at, labels) in std::mem::take(&mut self.fixups) {
            let mut positions = Vec::new();
            for l in &labels {
                let pos = self
                    .labels
                    .get(l.0 as usize)
                    .copied()
                    .flatten()
                    .ok_or(BuildError::UnboundLabel(l.0))?;
                positions.push(i64::from(pos) - (at as i64 + 1));
            }
            let Some(ins) = self.code.get_mut(at) else {
                continue;
            };
            let jumps = ins.jumps_mut();
            if jumps.len() != positions.len() {
                return Err(BuildError::LabelCount {
                    found: jumps.len(),
                    given: positions.len(),
                });
            }
            for (j, d) in jumps.into_iter().zip(positions) {
                j.0 = d as i32;
            }
        }
        Ok(Function {
            name: name.to_string(),
            params: self.params,
            result,
            locals: self.locals,
            code: self.code,
        })
    }
}

/// Builds a module: types, constants, functions and exports.
#[derive(Debug, Clone, Default)]
pub struct ModuleBuilder {
    adts: Vec<AdtDef>,
    consts: BTreeMap<Const, u32>,
    sigs: Vec<(String, Vec<Ty>, Ty)>,
    bodies: Vec<Option<Function>>,
    exports: Vec<Export>,
}

impl ModuleBuilder {
    /// An empty module.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an ADT; returns its index.
    pub fn add_adt(&mut self, def: AdtDef) -> AdtId {
        self.adts.push(def);
        AdtId(self.adts.len() as u32 - 1)
    }

    /// The index the next [`add_adt`](Self::add_adt) will return (for recursive types).
    pub fn next_adt(&self) -> AdtId {
        AdtId(self.adts.len() as u32)
    }

    /// Adds `List<elem>` named `name`.
    pub fn add_list(&mut self, name: &str, elem: Ty) -> AdtId {
        let id = self.next_adt();
        self.add_adt(AdtDef::list(name, elem, id.0))
    }

    /// A constant (deduplicated; the pool is sorted by [`finish`](Self::finish)).
    pub fn constant(&mut self, c: Const) -> ConstId {
        let n = self.consts.len() as u32;
        ConstId(*self.consts.entry(c).or_insert(n))
    }

    /// Declares a function (so calls can refer to it before it is defined).
    pub fn declare(&mut self, name: &str, params: &[Ty], result: Ty) -> FuncId {
        self.sigs.push((name.to_string(), params.to_vec(), result));
        self.bodies.push(None);
        FuncId(self.sigs.len() as u32 - 1)
    }

    /// Supplies the body of a declared function.
    pub fn define(&mut self, f: FuncId, body: FunctionBuilder) -> Result<(), BuildError> {
        let (name, _, result) = self
            .sigs
            .get(f.0 as usize)
            .ok_or(BuildError::Undeclared(f.0))?;
        let func = body.finish(name, *result)?;
        self.bodies[f.0 as usize] = Some(func);
        Ok(())
    }

    /// Exports `f` under `name`.
    pub fn export(&mut self, name: &str, f: FuncId) {
        self.exports.push(Export {
            name: name.to_string(),
            func: f,
        });
    }

    /// The module: constants sorted (and `const` operands renumbered), exports sorted.
    pub fn finish(self) -> Result<Module, BuildError> {
        // Provisional constant ids are insertion order; final ids are sorted order.
        let mut remap = vec![0u32; self.consts.len()];
        for (final_id, (_, &prov)) in self.consts.iter().enumerate() {
            remap[prov as usize] = final_id as u32;
        }
        let mut functions = Vec::new();
        for (i, b) in self.bodies.into_iter().enumerate() {
            let mut f = b.ok_or_else(|| BuildError::Undefined(self.sigs[i].0.clone()))?;
            for ins in &mut f.code {
                if let Instr::Const { k, .. } | Instr::Fail { k } = ins
                    && let Some(&n) = remap.get(k.0 as usize)
                {
                    k.0 = n;
                }
            }
            functions.push(f);
        }
        let mut exports = self.exports;
        exports.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Module {
            adts: self.adts,
            consts: self.consts.into_keys().collect(),
            functions,
            exports,
            certificate: vec![],
        })
    }
}
