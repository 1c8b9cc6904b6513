//! Static gas and memory bounds, derived from the bytecode alone.
//!
//! [`analyze`] computes, for every function of a module, closed-form bounds
//! ([`Bound`]) on the gas it uses, the memory it allocates and the size of
//! its result, as functions of its parameters' *measures*. Functions are
//! processed callee-first over the call graph's strongly connected
//! components: code without recursion by one forward pass ([`pass`]),
//! recursive cycles by choosing a decreasing measure and summing over the
//! activations it allows ([`recur`]). [`bound`] evaluates an entry point's
//! bounds on concrete arguments. The rules are specified in
//! `lang-spec/bounds.md`.
//!
//! Measures: for an ADT value, its constructor cells (every constructor,
//! nullary ones included, so `|[]| = 1` and `|[a]| = 2`) plus the 32-byte
//! words of the Bytes inside it; for Bytes, its length in 32-byte words
//! (rounded up); for an Int, `max(n, 0)`;
//! Bool and `()` measure 0. Memory is counted in bytes: 16 per heap slot a
//! `con` allocates (`1 + fields` slots for a variant with fields) plus the
//! Bytes arena bytes `bytes.concat` and `sha256` produce.

pub mod codec;
pub mod expr;
mod maps;
mod measure;
mod pass;
mod recur;

use std::collections::BTreeMap;

pub use expr::{Bound, Mono, Poly};
pub use measure::{Bounds, MAX_STACK_BYTES, bound, legend, measure, param_name};

use crate::error::ValueError;
use crate::isa::{Instr, Opcode, Size};
use crate::module::Module;
use crate::types::Ty;

/// The bounds of one function, over its parameters' measures (variable `i`
/// is parameter `i`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnBounds {
    /// Gas used by a call from the host, including the final `ret` and
    /// handing the result back (per node and Bytes word of its tree form).
    pub gas: Bound,
    /// Bytes allocated by a call from the host (heap slots × 16 plus Bytes
    /// arena bytes plus the result's tree form: 32 per node plus its
    /// Bytes' lengths).
    pub memory: Bound,
    /// Register-stack slots a call occupies at most: the slots below its
    /// deepest frame (each pushed frame counted as its caller's registers
    /// plus the link, at least 4) plus that frame's registers. Within
    /// `MAX_STACK_SLOTS` the call cannot overflow the stack.
    pub stack: Bound,
    /// Measure of the result (for an Int result: a bound on `max(result, 0)`).
    pub output: Bound,
    /// The bound is exponential (branching recursion on one measure).
    pub exponential: bool,
}

/// A function whose bound has no closed form, and the call that defeats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoBound {
    /// Index of the function containing the call.
    pub func: u32,
    /// Its name.
    pub name: String,
    /// Instruction index of the call.
    pub pc: u32,
    /// Name of the called function.
    pub callee: String,
    /// Why no bound exists.
    pub message: String,
    /// Instruction index (in the same function) of the recursive call whose
    /// result is fed back, when that is the reason.
    pub feeding: Option<u32>,
    /// Whether the argument that result feeds is one the recursion descends
    /// on elsewhere (a recursion measure, as in Ackermann's function), rather
    /// than one that merely grows (an accumulator).
    pub feeds_measure: bool,
}

impl std::fmt::Display for NoBound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "function f{} `{}` at instruction {}: no gas bound for the call to `{}`: {}",
            self.func, self.name, self.pc, self.callee, self.message
        )
    }
}

/// Why [`bound`] cannot give numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoundError {
    /// No exported entry point has this name.
    #[error("no exported entry point named {0:?}")]
    UnknownEntry(String),
    /// The arguments do not match the entry point's declared types.
    #[error("bad arguments: {0}")]
    BadArguments(#[from] ValueError),
    /// The function has no closed-form bound.
    #[error("{0}")]
    NoBound(NoBound),
}

/// Facts about the type table the gas of `eq` needs.
pub(crate) struct TypeInfo {
    /// `1 +` the most non-ADT fields of any variant: node pairs per cell.
    per_cell: u128,
    /// Some variant has a Bytes field.
    has_bytes: bool,
}

impl TypeInfo {
    fn new(m: &Module) -> TypeInfo {
        let mut f = 0usize;
        let mut has_bytes = false;
        for a in &m.adts {
            for v in &a.variants {
                f = f.max(
                    v.fields
                        .iter()
                        .filter(|x| !matches!(x.ty, Ty::Adt(_)))
                        .count(),
                );
                has_bytes |= v.fields.iter().any(|x| x.ty == Ty::Bytes);
            }
        }
        TypeInfo {
            per_cell: 1 + f as u128,
            has_bytes,
        }
    }

    /// `(node pairs per cell, whether Bytes words are compared too)` for `eq` on ADT `t`.
    pub(crate) fn eq_factor(&self, _t: u32) -> (u128, bool) {
        (self.per_cell, self.has_bytes)
    }
}

/// The bounds of every function of a verified module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ModuleBounds {
    /// Indexed by function.
    pub functions: Vec<FnBounds>,
}

/// Analyses every function. `comp[f]` is `f`'s strongly connected component
/// in the call graph, numbered so that callees come first (Tarjan's order).
/// Cost: one forward pass per function (like the verifier's dataflow pass,
/// with bounded-size expressions per register), plus per recursive cycle a
/// fixpoint over its call sites whose rounds are bounded by the number of
/// parameters in the cycle.
pub(crate) fn analyze(
    m: &Module,
    comp: &[u32],
    size_arcs: &SizeArcs,
) -> Result<ModuleBounds, NoBound> {
    let code: u64 = m.functions.iter().map(|f| f.code.len() as u64).sum();
    expr::set_budget(WORK_BASE + WORK_PER_INSTRUCTION * code);
    let r = analyze_inner(m, comp, size_arcs);
    expr::set_budget(u64::MAX);
    r
}

/// Bound arithmetic steps allowed per module, plus per instruction (beyond
/// that, bounds become `∞`: sound, and it keeps the analysis linear).
pub const WORK_BASE: u64 = 10_000_000;
/// See [`WORK_BASE`].
pub const WORK_PER_INSTRUCTION: u64 = 20_000;

/// The verifier's size-change arcs of each call inside a cycle, by
/// (function, instruction index): they include the size order on rebuilt
/// values and constants (`crate::verify` `size`), which the bound pass
/// does not derive itself.
pub(crate) type SizeArcs = BTreeMap<(u32, u32), Vec<crate::verify::flow::Arc>>;

/// Gives each recursive call site's ADT and Bytes arguments that the pass
/// found no origin for the best origin the verifier's arcs prove: one no
/// other argument descends from, strictly smaller if possible; their size
/// is then at most that parameter's measure.
fn adopt_size_arcs(pass: &mut pass::FnPass, f: u32, size_arcs: &SizeArcs) {
    for site in &mut pass.sites {
        let Some(arcs) = size_arcs.get(&(f, site.pc)) else {
            continue;
        };
        // Parameters already standing behind an argument: a measure sums
        // distinct ones, so another argument (a constant, say) is better
        // given one not yet used, even if only as `≤`.
        let mut used: Vec<u32> = site.args.iter().map(|a| a.origin).collect();
        for (j, arg) in site.args.iter_mut().enumerate() {
            if arg.origin != u32::MAX || !matches!(arg.ty, Ty::Adt(_) | Ty::Bytes) {
                continue;
            }
            let best = arcs
                .iter()
                .filter(|a| usize::from(a.dst) == j)
                .max_by_key(|a| {
                    (
                        !used.contains(&u32::from(a.src)),
                        a.strict,
                        usize::from(a.src) == j,
                        std::cmp::Reverse(a.src),
                    )
                });
            if let Some(a) = best {
                used.push(u32::from(a.src));
                arg.origin = u32::from(a.src);
                arg.strict = a.strict;
                arg.path = None;
                if !arg.size.vars().is_empty() || arg.size.is_saturated() {
                    arg.size = Bound::var(a.src);
                }
            }
        }
    }
}

fn analyze_inner(m: &Module, comp: &[u32], size_arcs: &SizeArcs) -> Result<ModuleBounds, NoBound> {
    let types = TypeInfo::new(m);
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (f, &c) in comp.iter().enumerate() {
        groups.entry(c).or_default().push(f as u32);
    }
    let mut summaries: Vec<Option<FnBounds>> = vec![None; m.functions.len()];
    for (c, funcs) in &groups {
        let cyclic = funcs.len() > 1
            || funcs.iter().any(|&f| {
                m.functions.get(f as usize).is_some_and(|fd| {
                    fd.code.iter().any(|i| {
                        matches!(i, Instr::Call { f: g, .. } | Instr::TailCall { f: g, .. } if g.0 == f)
                    })
                })
            });
        let in_cycle = |g: u32| cyclic && comp.get(g as usize) == Some(c);
        let mut passes = BTreeMap::new();
        for &f in funcs {
            let mut p = pass::run(m, f as usize, &summaries, &in_cycle, &types);
            adopt_size_arcs(&mut p, f, size_arcs);
            passes.insert(f, p);
        }
        if cyclic {
            for (f, b) in recur::analyze(m, funcs, &passes)? {
                if let Some(slot) = summaries.get_mut(f as usize) {
                    *slot = Some(b);
                }
            }
        } else {
            for (f, p) in passes {
                let mut b = FnBounds {
                    gas: Bound::zero(),
                    memory: Bound::zero(),
                    stack: Bound::zero(),
                    output: Bound::zero(),
                    exponential: false,
                };
                for e in &p.ends {
                    b.gas = b.gas.join(&e.gas);
                    b.memory = b.memory.join(&e.mem);
                    b.stack = b.stack.join(&e.stack);
                    b.output = b.output.join(&e.out);
                }
                if let Some(slot) = summaries.get_mut(f as usize) {
                    *slot = Some(b);
                }
            }
        }
    }
    let per_cell = crate::types::nodes_per_cell_table(&m.adts);
    Ok(ModuleBounds {
        functions: summaries
            .into_iter()
            .enumerate()
            .map(|(f, s)| {
                let mut s = s.unwrap_or(FnBounds {
                    gas: Bound::top(),
                    memory: Bound::top(),
                    stack: Bound::top(),
                    output: Bound::top(),
                    exponential: false,
                });
                // A function that only fails (no `ret`, no tail call) never
                // hands a result back.
                if let Some(fd) = m.functions.get(f)
                    && fd
                        .code
                        .iter()
                        .any(|i| matches!(i, Instr::Ret { .. } | Instr::TailCall { .. }))
                {
                    let (gas, memory) = result_costs(fd, &s.output, &per_cell);
                    s.gas = s.gas.add(&gas);
                    s.memory = s.memory.add(&memory);
                }
                s.exponential |= s.gas.has_exp() || s.memory.has_exp() || s.stack.has_exp();
                s
            })
            .collect(),
    })
}

/// Gas and memory of handing the result of function `fd`, of measure at
/// most `output`, back to the host (`lang-spec/bounds.md`). Gas: the final
/// `ret`'s growth term, `5 · k · max(0, |result| − Σ |argument|)` over
/// the ADT and Bytes parameters, `k` the nodes per unit of measure of the
/// result's type (bounded by lowering each such parameter's coefficient in
/// `output` by one). Memory: 32 bytes per node of the tree form plus its
/// Bytes' bytes, at most `32·k` per unit.
fn result_costs(fd: &crate::module::Function, output: &Bound, per_cell: &[u64]) -> (Bound, Bound) {
    let node_bytes = u128::from(crate::machine::RESULT_NODE_BYTES);
    match fd.result {
        Ty::Unit | Ty::Bool | Ty::Int => (Bound::zero(), Bound::constant(node_bytes)),
        ty => {
            let k = crate::types::nodes_per_cell(ty, per_cell);
            let per_unit = u128::from(Opcode::Ret.cost(Size::ResultGrowth, k));
            // An ADT argument measures at least 1 (its outer cell or map).
            let measured: Vec<(u16, u128)> = fd
                .params
                .iter()
                .enumerate()
                .filter_map(|(i, t)| match t {
                    Ty::Adt(_) => Some((i as u16, 1)),
                    Ty::Bytes => Some((i as u16, 0)),
                    _ => None,
                })
                .collect();
            let gas = output.minus_vars(&measured).scale(per_unit);
            // A unit of measure is a cell (at most `k` nodes) or a word of
            // Bytes (at most 32 bytes): `32·k` bytes either way.
            let memory = output.scale(u128::from(k) * node_bytes);
            // A Bytes result is one node whatever its length.
            let memory = if ty == Ty::Bytes {
                output.scale(32).add_const(node_bytes)
            } else {
                memory
            };
            (gas, memory)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled fib kernel of the peer benchmark: one function, its own
    /// call-graph cycle, with an exponential bound.
    fn fib() -> Module {
        Module::decode(include_bytes!("../../benches/peers/kernels/fib.tbc")).unwrap()
    }

    #[test]
    fn a_spent_arithmetic_budget_gives_infinite_bounds() {
        let m = fib();
        expr::set_budget(u64::MAX);
        let full = analyze_inner(&m, &[0], &SizeArcs::new()).unwrap();
        assert!(!full.functions[0].gas.is_saturated());
        // Every budget from none to nearly enough: an answer, never a crash
        // (a spent budget used to make `Bound::top` recurse without end).
        for budget in [0, 1, 2, 5, 20, 100, 1_000, 10_000] {
            expr::set_budget(budget);
            let spent = analyze_inner(&m, &[0], &SizeArcs::new());
            expr::set_budget(u64::MAX);
            if let Ok(b) = spent {
                let g = &b.functions[0].gas;
                assert!(
                    g.is_saturated() || *g == full.functions[0].gas,
                    "budget {budget}: {g:?}"
                );
            }
        }
    }
}
