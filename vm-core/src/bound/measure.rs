//! Measures of concrete values and evaluation of an entry point's bounds.

use super::pass::SLOT_BYTES;
use super::{BoundError, FnBounds};
use crate::error::ValueError;
use crate::module::Module;
use crate::types::Ty;
use crate::value::{Node, Value};
use crate::verify::VerifiedModule;

/// The bounds of one call, on concrete arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Gas the call uses at most (saturated at `u64::MAX`).
    pub gas: u64,
    /// Bytes the call uses at most: 16 per heap slot built by `con`, plus
    /// Bytes arena bytes produced by `bytes.concat` and `sha256`, plus the
    /// register stack ([`Bounds::stack`]) (saturated at `u64::MAX`).
    pub memory: u64,
    /// Bytes of register stack the call's frames use at most: 16 per slot
    /// of [`FnBounds::stack`] (saturated at `u64::MAX`). Within
    /// [`MAX_STACK_BYTES`] the call cannot overflow the call stack.
    pub stack: u64,
}

/// The register stack's size limit in bytes: 16 per slot of
/// [`MAX_STACK_SLOTS`](crate::limits::MAX_STACK_SLOTS).
pub const MAX_STACK_BYTES: u64 = 16 * crate::limits::MAX_STACK_SLOTS as u64;

impl Bounds {
    /// Whether a call with these bounds is sure to finish within `gas_limit`
    /// without overflowing the call stack. A saturated bound (`u64::MAX`:
    /// too large to represent, or unknown) never fits, whatever the limit.
    pub fn fits(&self, gas_limit: u64) -> bool {
        self.gas != u64::MAX && self.gas <= gas_limit && self.stack_fits()
    }

    /// Whether the call cannot overflow the call stack (frames or slots).
    pub fn stack_fits(&self) -> bool {
        self.stack <= MAX_STACK_BYTES
    }
}

/// The measure of a value of type `ty`: constructor cells (nullary ones
/// included; a map counts 1 plus 1 per entry) plus the 32-byte words of every Bytes inside, for ADTs; the
/// length in 32-byte words (rounded up) for Bytes; `max(n, 0)` for an Int;
/// 0 for Bool and `()`. One pass over the
/// value's nodes, no recursion.
pub fn measure(v: &Value, ty: Ty) -> u128 {
    match ty {
        Ty::Int => v.as_int().map_or(0, |n| n.max(0) as u128),
        Ty::Bool | Ty::Unit => 0,
        Ty::Bytes | Ty::Adt(_) => v
            .nodes()
            .iter()
            .map(|n| match n {
                Node::Cell { .. } => 1u128,
                // The map itself and one per entry (plus what its keys and
                // values contain).
                Node::Map { len } => 1 + u128::from(*len),
                Node::Bytes(b) => (b.len() as u128).div_ceil(32),
                _ => 0,
            })
            .fold(0u128, u128::saturating_add),
    }
}

/// Evaluates the gas and memory bounds of entry point `entry` on `args`, in
/// time linear in the arguments' size. Arithmetic saturates: a bound too
/// large for a `u64` is `u64::MAX`, which exceeds every limit.
pub fn bound(vm: &VerifiedModule, entry: &str, args: &[Value]) -> Result<Bounds, BoundError> {
    let m = vm.module();
    let Ok(ei) = m.exports.binary_search_by(|e| e.name.as_str().cmp(entry)) else {
        return Err(BoundError::UnknownEntry(entry.to_string()));
    };
    let fi = m.exports[ei].func.0;
    let f = m
        .functions
        .get(fi as usize)
        .ok_or_else(|| BoundError::UnknownEntry(entry.to_string()))?;
    if args.len() != f.params.len() {
        return Err(BoundError::BadArguments(ValueError::ArgumentCount {
            expected: f.params.len(),
            found: args.len(),
        }));
    }
    for (a, &t) in args.iter().zip(&f.params) {
        a.check(t, &m.adts)?;
    }
    let x: Vec<u128> = args
        .iter()
        .zip(&f.params)
        .map(|(a, &t)| measure(a, t))
        .collect();
    let b = vm
        .function_bounds(fi)
        .ok_or_else(|| BoundError::UnknownEntry(entry.to_string()))?;
    let clamp = |v: u128| u64::try_from(v).unwrap_or(u64::MAX);
    let stack = b.stack.eval(&x).saturating_mul(SLOT_BYTES);
    Ok(Bounds {
        gas: clamp(b.gas.eval(&x)),
        memory: clamp(b.memory.eval(&x).saturating_add(stack)),
        stack: clamp(stack),
    })
}

/// How parameter `i` of function `func` is written in a printed bound:
/// `|name|` for ADT and Bytes parameters, `name` for Ints. Without names,
/// `#i`.
pub fn param_name(m: &Module, func: u32, i: u16, names: Option<&[&str]>) -> String {
    let base = names
        .and_then(|n| n.get(i as usize))
        .map_or_else(|| format!("#{i}"), |s| s.to_string());
    let ty = m
        .functions
        .get(func as usize)
        .and_then(|f| f.params.get(i as usize).copied());
    match ty {
        Some(Ty::Adt(_) | Ty::Bytes) => format!("|{base}|"),
        _ => base,
    }
}

/// One legend line per parameter mentioned in `bounds` (gas, memory or
/// result), explaining its measure.
pub fn legend(m: &Module, func: u32, bounds: &FnBounds, names: Option<&[&str]>) -> Vec<String> {
    let mut vars = bounds.gas.vars();
    vars.extend(bounds.memory.vars());
    vars.extend(bounds.stack.vars());
    vars.extend(bounds.output.vars());
    vars.sort_unstable();
    vars.dedup();
    let f = m.functions.get(func as usize);
    vars.into_iter()
        .filter_map(|v| {
            let name = param_name(m, func, v, names);
            let raw = names
                .and_then(|n| n.get(v as usize))
                .map_or_else(|| format!("#{v}"), |s| s.to_string());
            Some(match f?.params.get(v as usize)? {
                t @ Ty::Adt(_) if crate::types::map_types(*t, &m.adts).is_some() => format!(
                    "{name} = 1 + the entries of map {raw}, plus the constructor cells and \
                     32-byte words of its keys and values"
                ),
                Ty::Adt(_) => format!(
                    "{name} = constructor cells of {raw} (every constructor, `[]` included) plus \
                     the 32-byte words of the Bytes inside it"
                ),
                Ty::Bytes => format!("{name} = length of {raw} in 32-byte words, rounded up"),
                Ty::Int => format!("{name} = max({raw}, 0)"),
                _ => return None,
            })
        })
        .collect()
}

impl FnBounds {
    /// The gas and memory formulas printed for people, parameters named by
    /// `names` (or `#0`, `#1`, ... without names). Memory includes the
    /// register stack, as [`Bounds::memory`] does.
    pub fn render(&self, m: &Module, func: u32, names: Option<&[&str]>) -> (String, String) {
        let name = |v: u16| param_name(m, func, v, names);
        (self.gas.render(&name), self.total_memory().render(&name))
    }

    /// Bytes of memory: allocations plus 16 per register-stack slot.
    pub fn total_memory(&self) -> crate::bound::Bound {
        self.memory.add(&self.stack.scale(SLOT_BYTES))
    }

    /// The register-stack formula in bytes, printed for people.
    pub fn render_stack(&self, m: &Module, func: u32, names: Option<&[&str]>) -> String {
        let name = |v: u16| param_name(m, func, v, names);
        self.stack_bytes().render(&name)
    }

    /// Bytes of register stack (16 per slot): the stack's part of [`Self::total_memory`].
    pub fn stack_bytes(&self) -> crate::bound::Bound {
        self.stack.scale(SLOT_BYTES)
    }
}
