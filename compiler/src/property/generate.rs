//! Random values of a bytecode type, derived from the module's type table:
//! the generators behind property tests (`lang-spec/modules.md`, "Property tests").

use vm_core::format::Module;
use vm_core::{AdtKind, Ty, Value};

/// A small deterministic random source (xorshift64*): the same seed gives
/// the same values on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        r.bits();
        r
    }

    /// 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..=n`.
    pub fn upto(&mut self, n: u64) -> u64 {
        if n == u64::MAX {
            self.bits()
        } else {
            self.bits() % (n + 1)
        }
    }
}

/// The smallest value of every type of a module's table, found once.
pub struct Minimal {
    /// Per ADT: the variant of its smallest values, `None` if it has no
    /// finite value.
    variant: Vec<Option<usize>>,
}

impl Minimal {
    /// Finds, per ADT, a variant whose fields all have finite values, the
    /// one with the fewest cells (a fixpoint over the table, no recursion).
    pub fn new(m: &Module) -> Minimal {
        let n = m.adts.len();
        let mut size: Vec<Option<u64>> = vec![None; n];
        let mut variant = vec![None; n];
        loop {
            let mut changed = false;
            for (i, adt) in m.adts.iter().enumerate() {
                if adt.kind == AdtKind::Map || adt.kind == AdtKind::List {
                    // An empty map or list is one node.
                    if size[i].is_none() {
                        size[i] = Some(1);
                        variant[i] = Some(0);
                        changed = true;
                    }
                    continue;
                }
                for (k, v) in adt.variants.iter().enumerate() {
                    let mut total = Some(1u64);
                    for f in &v.fields {
                        let s = match f.ty {
                            Ty::Adt(j) => size.get(j as usize).copied().flatten(),
                            _ => Some(1),
                        };
                        total = match (total, s) {
                            (Some(a), Some(b)) => Some(a.saturating_add(b)),
                            _ => None,
                        };
                    }
                    if let Some(t) = total
                        && size[i].is_none_or(|old| t < old)
                    {
                        size[i] = Some(t);
                        variant[i] = Some(k);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        Minimal { variant }
    }

    /// Whether `ty` has a finite value.
    pub fn inhabited(&self, ty: Ty) -> bool {
        match ty {
            Ty::Adt(i) => self.variant.get(i as usize).copied().flatten().is_some(),
            _ => true,
        }
    }

    /// The smallest value of `ty` (`0`, `false`, `#""`, `[]`, the smallest
    /// constructor). `None` if the type has no finite value. Its depth is at
    /// most the number of types in the table.
    pub fn value(&self, ty: Ty, m: &Module) -> Option<Value> {
        Some(match ty {
            Ty::Unit => Value::unit(),
            Ty::Bool => Value::bool(false),
            Ty::Int => Value::int(0),
            Ty::Bytes => Value::bytes(Vec::new()),
            Ty::Adt(i) => {
                let adt = m.adts.get(i as usize)?;
                match adt.kind {
                    AdtKind::List => Value::list([]),
                    AdtKind::Map => Value::map([]).ok()?,
                    _ => {
                        let k = self.variant.get(i as usize).copied().flatten()?;
                        let fields = adt.variants.get(k)?.fields.iter();
                        let fields: Option<Vec<Value>> =
                            fields.map(|f| self.value(f.ty, m)).collect();
                        Value::cell(k as u32, fields?)
                    }
                }
            }
        })
    }
}

/// Generates values of about a given size.
pub struct Generator<'a> {
    /// The module whose types are generated.
    pub module: &'a Module,
    /// Its smallest values.
    pub minimal: &'a Minimal,
    /// The random source.
    pub rng: Rng,
}

impl Generator<'_> {
    /// A random value of `ty` with at most about `size` constructors, list
    /// elements or Bytes; `None` if the type has no finite value.
    pub fn value(&mut self, ty: Ty, size: u64) -> Option<Value> {
        let mut budget = size;
        self.sized(ty, size, &mut budget)
    }

    fn int(&mut self, size: u64) -> i128 {
        let size = size.max(1);
        match self.rng.upto(19) {
            // Now and then a large value (64-bit edges: their sums and
            // products still fit an Int).
            0 => [i128::from(i64::MAX), i128::from(i64::MIN), -1, 1][self.rng.upto(3) as usize],
            1..=3 => self.rng.upto(2) as i128,
            4..=7 => -(self.rng.upto(size.saturating_mul(size)) as i128),
            _ => self.rng.upto(size.saturating_mul(size)) as i128,
        }
    }

    fn bytes(&mut self, size: u64) -> Vec<u8> {
        let n = self.rng.upto(size.min(4096));
        // Mostly a small alphabet, so equal and ordered Bytes show up.
        let wide = self.rng.upto(1) == 0;
        (0..n)
            .map(|_| {
                if wide {
                    self.rng.bits() as u8
                } else {
                    b'a' + self.rng.upto(3) as u8
                }
            })
            .collect()
    }

    /// `budget` is what is left for the whole value being built; a value is
    /// the smallest of its type once it runs out, so the depth of the Rust
    /// recursion is at most `size` plus the number of types.
    fn sized(&mut self, ty: Ty, size: u64, budget: &mut u64) -> Option<Value> {
        if *budget == 0 {
            return self.minimal.value(ty, self.module);
        }
        Some(match ty {
            Ty::Unit => Value::unit(),
            Ty::Bool => Value::bool(self.rng.bits() & 1 == 1),
            Ty::Int => Value::int(self.int(size)),
            Ty::Bytes => {
                let b = self.bytes(size);
                *budget = budget.saturating_sub(b.len() as u64 / 8);
                Value::bytes(b)
            }
            Ty::Adt(i) => {
                let adt = self.module.adts.get(i as usize)?;
                if let Some((kt, vt)) = adt.map_types() {
                    let n = self.rng.upto((*budget).min(size));
                    let mut entries = Vec::new();
                    for _ in 0..n {
                        *budget = budget.saturating_sub(1);
                        let k = match kt {
                            Ty::Bytes => Value::bytes(self.bytes(size.min(8))),
                            _ => Value::int(
                                self.rng.upto(n.saturating_mul(4).saturating_add(4)) as i128
                                    - n as i128,
                            ),
                        };
                        entries.push((k, self.sized(vt, size, budget)?));
                    }
                    return Value::map(entries).ok();
                }
                if adt.kind == AdtKind::List {
                    let elem = adt.variants.get(1)?.fields.first()?.ty;
                    let n = self.rng.upto((*budget).min(size));
                    let mut items = Vec::new();
                    for _ in 0..n {
                        *budget = budget.saturating_sub(1);
                        items.push(self.sized(elem, size, budget)?);
                    }
                    return Some(Value::list(items));
                }
                let inhabited: Vec<usize> = (0..adt.variants.len())
                    .filter(|&k| {
                        adt.variants[k]
                            .fields
                            .iter()
                            .all(|f| self.minimal.inhabited(f.ty))
                    })
                    .collect();
                if inhabited.is_empty() {
                    return None;
                }
                let k = inhabited[self.rng.upto(inhabited.len() as u64 - 1) as usize];
                *budget = budget.saturating_sub(1);
                let mut fields = Vec::new();
                for f in &adt.variants[k].fields {
                    fields.push(self.sized(f.ty, size, budget)?);
                }
                Value::cell(k as u32, fields)
            }
        })
    }
}
