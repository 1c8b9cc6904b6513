//! The embedding API: what a node links against.
//!
//! Four steps, each one call:
//!
//! 1. [`Module::load`] decodes and verifies untrusted bytes once, within
//!    [`LoadLimits`], and gives a cheap-to-clone, `Send + Sync` handle
//!    (an [`Arc`] inside) that any number of threads may call at once.
//! 2. [`Module::exports`] lists the entry points with their parameter and
//!    result types and their gas and memory bound formulas ([`Export`]).
//! 3. [`Module::bound`] evaluates an entry point's static bounds on
//!    concrete arguments, without running it ([`Bounds`]): the gas the call
//!    can use at most and the bytes it can allocate at most.
//! 4. [`Module::call`] runs it within per-call [`CallLimits`] (gas, heap
//!    bytes, arena bytes, and whether to refuse a call whose bound exceeds
//!    the gas limit) and gives an [`Outcome`]: the result or the trap, the
//!    gas used and the memory used.
//!
//! Arguments and results are [`Value`]s, or their canonical encoding
//! (`lang-spec/bytecode.md` §8) with [`Module::bound_encoded`],
//! [`Module::call_encoded`] and [`Value::encode`]. A call that cannot start
//! (unknown entry, ill-typed arguments, refused over its bound) is a
//! [`CallError`], with no gas used; a call that starts and stops early
//! (out of gas, overflow, heap exhausted, ...) is an [`Outcome`] whose
//! `result` is a [`Trap`], with the gas used up to the trap.
//!
//! The Anoma shape `evaluate(f, args, limit) -> (Maybe result, gas used)`
//! is one line on top of [`Module::call`]:
//!
//! ```
//! # use vm_core::api::{CallLimits, Module, Value};
//! fn evaluate(m: &Module, f: &str, args: &[Value], limit: u64) -> (Option<Value>, u64) {
//!     match m.call(f, args, &CallLimits::gas(limit)) {
//!         Ok(o) => (o.result.ok(), o.gas_used),
//!         Err(_) => (None, 0), // could not start: no gas used
//!     }
//! }
//! ```
//!
//! A whole node, from bytes to a result (the module here is built in
//! place; a node gets its bytes from the chain):
//!
//! ```
//! use vm_core::api::{CallLimits, LoadLimits, Module, Value};
//! # let bytes = vm_core::api::doc_example_module();
//! let module = Module::load(&bytes, &LoadLimits::default()).expect("a valid module");
//! let export = module.export("add").expect("exported");
//! assert_eq!(export.param_types, ["Int", "Int"]);
//! let args = [Value::int(2), Value::int(40)];
//! let bounds = module.bound("add", &args).expect("well-typed arguments");
//! let outcome = module.call("add", &args, &CallLimits::gas(1_000)).expect("it starts");
//! assert_eq!(outcome.result, Ok(Value::int(42)));
//! assert!(outcome.gas_used <= bounds.gas); // the bound is a promise
//! // The same call with its arguments in the canonical encoding:
//! let encoded = vm_core::api::encode_args(&args);
//! let again = module.call_encoded("add", &encoded, &CallLimits::gas(1_000)).unwrap();
//! assert_eq!(again.gas_used, outcome.gas_used);
//! ```

use std::sync::Arc;

use crate::bound::BoundError;
use crate::eval::{Caps, Metering, Options, evaluate_capped};
use crate::limits::{MAX_BYTES_ARENA, MAX_HEAP_SLOTS, MAX_MODULE_BYTES};
use crate::verify::{VerifiedModule, verify_within};

pub use crate::bound::Bounds;
pub use crate::error::{DecodeError, LoadError, Trap, ValueError, VerifyError};
pub use crate::types::{AdtDef, AdtKind, FieldDef, Ty, VariantDef, type_name};
pub use crate::value::{Node, Value, decode_args, encode_args};

/// Limits on loading one module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadLimits {
    /// Largest accepted encoding, in bytes (at most the format's 16 MiB).
    pub max_module_bytes: usize,
    /// Most verification work: the steps of the dataflow pass (register
    /// states copied) and, separately, of the termination check (matrix
    /// cells combined per call-graph cycle). The built-in budgets cap it.
    pub verify_work: u64,
}

impl Default for LoadLimits {
    /// The format's limits: 16 MiB and the built-in verification budgets.
    fn default() -> Self {
        LoadLimits {
            max_module_bytes: MAX_MODULE_BYTES,
            verify_work: u64::MAX,
        }
    }
}

impl LoadLimits {
    /// These limits with a smaller module size limit.
    pub fn with_max_module_bytes(self, max_module_bytes: usize) -> Self {
        LoadLimits {
            max_module_bytes,
            ..self
        }
    }

    /// These limits with a smaller verification budget.
    pub fn with_verify_work(self, verify_work: u64) -> Self {
        LoadLimits {
            verify_work,
            ..self
        }
    }
}

/// Limits of one call, set by the embedder per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallLimits {
    /// The gas limit.
    pub gas: u64,
    /// Most heap bytes the call may hold (16 per constructor slot, the
    /// arguments' cells included); at most 1 GiB.
    pub heap_bytes: u64,
    /// Most Bytes arena bytes the call may hold (the module's constants and
    /// the arguments' Bytes included); at most 256 MiB.
    pub arena_bytes: u64,
    /// Refuse ([`CallError::OverBound`]), without running, a call whose
    /// bounds do not fit ([`Bounds::fits`]: gas bound within `gas`, call
    /// stack within its limit) or whose memory bound exceeds
    /// `heap_bytes + arena_bytes`. Otherwise such a call runs metered and
    /// may trap with `OutOfGas` or `HeapExhausted`.
    pub refuse_over_bound: bool,
}

impl CallLimits {
    /// A gas limit, the largest heap and arena, and no refusal.
    pub fn gas(gas: u64) -> Self {
        CallLimits {
            gas,
            heap_bytes: 16 * MAX_HEAP_SLOTS as u64,
            arena_bytes: MAX_BYTES_ARENA as u64,
            refuse_over_bound: false,
        }
    }

    /// These limits with a heap limit in bytes.
    pub fn with_heap_bytes(self, heap_bytes: u64) -> Self {
        CallLimits { heap_bytes, ..self }
    }

    /// These limits with an arena limit in bytes.
    pub fn with_arena_bytes(self, arena_bytes: u64) -> Self {
        CallLimits {
            arena_bytes,
            ..self
        }
    }

    /// These limits, refusing a call whose bound exceeds them.
    pub fn refusing_over_bound(self) -> Self {
        CallLimits {
            refuse_over_bound: true,
            ..self
        }
    }
}

/// Why a call could not start. No gas is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// No exported entry point has this name.
    #[error("no exported entry point named {0:?}")]
    UnknownEntry(String),
    /// The arguments (or their encoding) do not match the entry point's
    /// parameter types.
    #[error("bad arguments: {0}")]
    BadArguments(#[from] ValueError),
    /// The call's bound exceeds its limits and the caller asked to refuse it.
    #[error(
        "refused: the bounds (gas {}, memory {} bytes) exceed the limits (gas {gas_limit}, memory {memory_limit} bytes)",
        bounds.gas, bounds.memory
    )]
    OverBound {
        /// The call's static bounds.
        bounds: Bounds,
        /// The gas limit.
        gas_limit: u64,
        /// The memory limit (`heap_bytes + arena_bytes`).
        memory_limit: u64,
    },
    /// An internal invariant failed (a verifier bug; never expected).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<BoundError> for CallError {
    fn from(e: BoundError) -> Self {
        match e {
            BoundError::UnknownEntry(n) => CallError::UnknownEntry(n),
            BoundError::BadArguments(v) => CallError::BadArguments(v),
            // A verified module has a bound for every function.
            BoundError::NoBound(b) => CallError::Internal(b.to_string()),
        }
    }
}

/// What a call that started produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The result, or the trap that stopped the call.
    pub result: Result<Value, Trap>,
    /// Gas used (on a trap: up to and including the trapping instruction,
    /// or excluding it for `OutOfGas`). Never more than `bounds.gas`.
    pub gas_used: u64,
    /// Bytes the call allocated, as the memory bound counts them (16 per
    /// constructor slot built, plus the Bytes produced); the arguments are
    /// not counted. Never more than `bounds.memory`.
    pub memory_used: u64,
    /// The call's static bounds on its arguments.
    pub bounds: Bounds,
}

/// One entry point: its name, types and bound formulas.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Export {
    /// The entry point's name.
    pub name: String,
    /// Parameter types (indices into [`Module::types`] for ADTs).
    pub params: Vec<Ty>,
    /// Result type.
    pub result: Ty,
    /// Parameter types as Tally writes them (`List<Entry>`, `Bytes`).
    pub param_types: Vec<String>,
    /// Result type as Tally writes it.
    pub result_type: String,
    /// The gas bound formula over the parameters' measures, parameters
    /// named `#0`, `#1`, ... (`|#0|` for the measure of an ADT or Bytes).
    pub gas_bound: String,
    /// The memory bound formula, in bytes, written the same way.
    pub memory_bound: String,
    /// The gas bound is exponential in some parameter.
    pub exponential: bool,
}

struct Inner {
    vm: VerifiedModule,
    exports: Vec<Export>,
}

/// A loaded (decoded and verified) module: clone it freely (an [`Arc`]
/// inside) and call it from any thread.
#[derive(Clone)]
pub struct Module {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("exports", &self.inner.exports)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// Decodes and verifies untrusted bytes within `limits`.
    pub fn load(bytes: &[u8], limits: &LoadLimits) -> Result<Module, LoadError> {
        let max = limits.max_module_bytes.min(MAX_MODULE_BYTES);
        if bytes.len() > max {
            return Err(LoadError::Decode(DecodeError::LimitExceeded {
                what: "module size",
                value: bytes.len() as u64,
                limit: max as u64,
                offset: 0,
            }));
        }
        let module = crate::module::Module::decode(bytes)?;
        Ok(Module::from_verified(verify_within(
            module,
            limits.verify_work,
        )?))
    }

    /// Wraps a module verified by [`crate::verify()`] (what the
    /// compiler does with the module it just built).
    pub fn from_verified(vm: VerifiedModule) -> Module {
        let exports = vm
            .module()
            .exports
            .iter()
            .filter_map(|e| describe(&vm, &e.name, e.func.0))
            .collect();
        Module {
            inner: Arc::new(Inner { vm, exports }),
        }
    }

    /// The entry points, sorted by name.
    pub fn exports(&self) -> &[Export] {
        &self.inner.exports
    }

    /// The entry point named `name`.
    pub fn export(&self, name: &str) -> Option<&Export> {
        let e = &self.inner.exports;
        e.binary_search_by(|x| x.name.as_str().cmp(name))
            .ok()
            .and_then(|i| e.get(i))
    }

    /// The module's type table: what `Ty::Adt(i)` in an export's types
    /// refers to (names, variants and field names, for building values).
    pub fn types(&self) -> &[AdtDef] {
        &self.inner.vm.module().adts
    }

    /// The verified module underneath, for tools (disassembly, the bound
    /// formulas with names).
    pub fn verified(&self) -> &VerifiedModule {
        &self.inner.vm
    }

    /// The static gas and memory bounds of `entry` on `args`, without
    /// running it; linear in the arguments' size.
    pub fn bound(&self, entry: &str, args: &[Value]) -> Result<Bounds, CallError> {
        Ok(crate::bound::bound(&self.inner.vm, entry, args)?)
    }

    /// [`Module::bound`] with the arguments in the canonical encoding.
    pub fn bound_encoded(&self, entry: &str, args: &[u8]) -> Result<Bounds, CallError> {
        self.bound(entry, &decode(args)?)
    }

    /// Runs `entry` on `args` within `limits`. When the gas bound fits the
    /// gas limit the call runs without limit checks (it cannot run out of
    /// gas); otherwise it runs metered, or is refused if the limits say so.
    pub fn call(
        &self,
        entry: &str,
        args: &[Value],
        limits: &CallLimits,
    ) -> Result<Outcome, CallError> {
        let bounds = self.bound(entry, args)?;
        let memory_limit = limits.heap_bytes.saturating_add(limits.arena_bytes);
        let fits = bounds.fits(limits.gas);
        if limits.refuse_over_bound && (!fits || bounds.memory > memory_limit) {
            return Err(CallError::OverBound {
                bounds,
                gas_limit: limits.gas,
                memory_limit,
            });
        }
        let metering = if fits {
            Metering::Unchecked
        } else {
            Metering::Checked
        };
        let caps = Caps {
            heap_slots: usize::try_from(limits.heap_bytes / 16).unwrap_or(usize::MAX),
            arena_bytes: usize::try_from(limits.arena_bytes).unwrap_or(usize::MAX),
        };
        let opts = Options {
            gas_limit: limits.gas,
            metering,
        };
        let o = evaluate_capped(&self.inner.vm, entry, args, opts, caps);
        Ok(Outcome {
            result: o.result,
            gas_used: o.gas_used,
            memory_used: o.stats.allocated_bytes,
            bounds,
        })
    }

    /// [`Module::call`] with the arguments in the canonical encoding; the
    /// result is a [`Value`] (encode it with [`Value::encode`]).
    pub fn call_encoded(
        &self,
        entry: &str,
        args: &[u8],
        limits: &CallLimits,
    ) -> Result<Outcome, CallError> {
        self.call(entry, &decode(args)?, limits)
    }
}

fn decode(args: &[u8]) -> Result<Vec<Value>, CallError> {
    decode_args(args).map_err(|e| CallError::BadArguments(ValueError::Decode(e)))
}

/// The [`Export`] of `name`, which runs function `func`.
fn describe(vm: &VerifiedModule, name: &str, func: u32) -> Option<Export> {
    let m = vm.module();
    let f = m.functions.get(func as usize)?;
    let b = vm.function_bounds(func)?;
    let (gas_bound, memory_bound) = b.render(m, func, None);
    let tname = |t: Ty| crate::types::type_name(t, &m.adts);
    Some(Export {
        name: name.to_string(),
        params: f.params.clone(),
        result: f.result,
        param_types: f.params.iter().map(|&t| tname(t)).collect(),
        result_type: tname(f.result),
        gas_bound,
        memory_bound,
        exponential: b.exponential,
    })
}

/// The module of the crate-level examples: `add(a: Int, b: Int) -> Int`.
#[doc(hidden)]
pub fn doc_example_module() -> Vec<u8> {
    use crate::builder::{FunctionBuilder, ModuleBuilder};
    use crate::isa::Instr;
    let mut mb = ModuleBuilder::new();
    let id = mb.declare("add", &[Ty::Int, Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int, Ty::Int]);
    let (a, b) = (f.param(0), f.param(1));
    f.emit(Instr::Add { d: a, a, b });
    f.emit(Instr::Ret { a });
    mb.define(id, f).map(|()| mb.export("add", id)).ok();
    mb.finish().map(|m| m.encode()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_is_send_and_sync() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Module>();
    }
}
