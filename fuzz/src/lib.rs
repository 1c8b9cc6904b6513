//! Helpers shared by the fuzz targets (`fuzz_targets/`): splitting an input
//! into a module and the entropy for its arguments, and building arguments
//! of a function's parameter types from that entropy.

use vm_core::format::{AdtDef, Module, Ty};
use vm_core::internals::{Value, VerifiedModule};

/// Bytes read one at a time, zeros once they run out.
pub struct Entropy<'a> {
    bytes: &'a [u8],
}

impl<'a> Entropy<'a> {
    /// Reads from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Entropy<'a> {
        Entropy { bytes }
    }

    /// The next byte (0 when none are left).
    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => 0,
        }
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n
    }

    /// A small Int most of the time, an extreme one sometimes.
    pub fn int(&mut self) -> i128 {
        match self.byte() % 8 {
            0 => i128::MAX,
            1 => i128::MIN,
            2 => -(i128::from(self.byte())),
            _ => i128::from(self.byte() % 24),
        }
    }
}

/// An input for the evaluator targets: a module (its length in the first
/// two bytes, little-endian) and the entropy after it.
pub fn split_module(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return (data, &[]);
    };
    let n = usize::from(u16::from_le_bytes(*head)).min(rest.len());
    rest.split_at(n)
}

/// The verified module of an input of [`split_module`]'s shape, a copy of
/// the module, and the entropy after it; `None` if the verifier refuses it.
pub fn verified_input(data: &[u8]) -> Option<(VerifiedModule, Module, Entropy<'_>)> {
    let (module, entropy) = split_module(data);
    let vm = vm_core::internals::load(module).ok()?;
    let module = vm.module().clone();
    Some((vm, module, Entropy::new(entropy)))
}

/// A value of type `ty` of at most about `budget` nodes, if one can be built
/// (a type whose every variant is recursive has no finite value).
pub fn value_of(
    ty: Ty,
    adts: &[AdtDef],
    entropy: &mut Entropy<'_>,
    budget: &mut u32,
) -> Option<Value> {
    *budget = budget.saturating_sub(1);
    Some(match ty {
        Ty::Unit => Value::unit(),
        Ty::Bool => Value::bool(entropy.byte() % 2 == 1),
        Ty::Int => Value::int(entropy.int()),
        Ty::Bytes => {
            let n = entropy.below(9);
            Value::bytes((0..n).map(|_| entropy.byte()).collect::<Vec<u8>>())
        }
        Ty::Adt(i) => {
            let adt = adts.get(i as usize)?;
            if adt.variants.is_empty() {
                return None;
            }
            let recursive = |v: &vm_core::format::VariantDef| {
                v.fields
                    .iter()
                    .filter(|f| matches!(f.ty, Ty::Adt(_)))
                    .count()
            };
            // Out of budget: the variant with the fewest ADT fields.
            let tag = if *budget == 0 {
                (0..adt.variants.len()).min_by_key(|&t| recursive(&adt.variants[t]))?
            } else {
                entropy.below(adt.variants.len())
            };
            let variant = &adt.variants[tag];
            if *budget == 0 && recursive(variant) > 0 {
                return None;
            }
            let fields = variant
                .fields
                .iter()
                .map(|f| value_of(f.ty, adts, entropy, budget))
                .collect::<Option<Vec<Value>>>()?;
            Value::cell(tag as u32, fields)
        }
    })
}

/// Arguments for the parameters of function `func` of `module`.
pub fn arguments(module: &Module, func: usize, entropy: &mut Entropy<'_>) -> Option<Vec<Value>> {
    let f = module.functions.get(func)?;
    let mut budget = 64;
    f.params
        .iter()
        .map(|&ty| value_of(ty, &module.adts, entropy, &mut budget))
        .collect()
}
