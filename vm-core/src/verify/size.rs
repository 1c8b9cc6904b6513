//! Size forms for the termination check: the size order on constructor
//! terms, re-derived from the bytecode.
//!
//! The measure is the bound analysis's (`crate::bound::measure`): an ADT
//! value counts its constructor cells, unit constructors included, plus the
//! 32-byte words of the Bytes inside; Ints, Bools and unit count 0. A
//! parameter is an *atom*; a `field` (of ADT or Bytes type) read from an
//! atom whose variant is known (by a `switch`, or because its type has one
//! variant) is the atom of that field. A `con` has the form
//! `1 + Σ forms of its ADT and Bytes fields`. At a call, an argument's form
//! is compared with each parameter's: both are *expanded* (an atom whose
//! variant is known is its cell plus its fields' atoms); the argument is no
//! larger when it has no more of each atom and no more cells than the
//! parameter has cells plus its extra ADT atoms (each measures at least 1),
//! strictly smaller when it has fewer. So `[c, ..l]` built after matching
//! `[b, c, ..l]` is smaller than the list, `S(k)` after `S(S(k))` smaller
//! than the number, and a unit constructor no larger than any ADT value.

use std::collections::BTreeMap;

use crate::module::{Function, Module};
use crate::types::Ty;

/// No form known.
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// Atom expansions per comparison, at most (beyond, atoms stay unexpanded:
/// less precise, still sound).
const MAX_EXPANSIONS: usize = 256;

/// Elementary steps (atoms visited) of all comparisons in one function, at
/// most: past it, comparisons give nothing (fewer arcs, still sound), so
/// the size order costs at most linear time per function.
const MAX_WORK: u64 = 4_000_000;

/// `cells + Σ k·atom`, atoms sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Form {
    cells: u64,
    atoms: Vec<(u32, u64)>,
}

impl Form {
    fn add(&mut self, other: &Form, times: u64) {
        self.cells = self.cells.saturating_add(other.cells.saturating_mul(times));
        for &(a, k) in &other.atoms {
            let k = k.saturating_mul(times);
            match self.atoms.binary_search_by_key(&a, |&(x, _)| x) {
                Ok(i) => self.atoms[i].1 = self.atoms[i].1.saturating_add(k),
                Err(i) => self.atoms.insert(i, (a, k)),
            }
        }
    }
}

/// The atoms and forms of one function.
#[derive(Debug, Default)]
pub(crate) struct Sizes {
    /// Per atom: its type.
    atom_ty: Vec<Ty>,
    /// Field atoms by (parent atom, variant, field index).
    fields: BTreeMap<(u32, u32, u32), u32>,
    /// Per atom: the form that is just that atom.
    atom_form: Vec<u32>,
    forms: Vec<Form>,
    /// Steps spent by comparisons.
    work: u64,
}

impl Sizes {
    /// Atoms `0..n` for the parameters (forms `0..n` are those atoms).
    pub(crate) fn new(f: &Function) -> Sizes {
        let mut s = Sizes::default();
        for &ty in &f.params {
            s.new_atom(ty);
        }
        s
    }

    fn new_atom(&mut self, ty: Ty) -> u32 {
        let a = self.atom_ty.len() as u32;
        self.atom_ty.push(ty);
        let form = self.push(Form {
            cells: 0,
            atoms: vec![(a, 1)],
        });
        self.atom_form.push(form);
        a
    }

    fn push(&mut self, form: Form) -> u32 {
        self.forms.push(form);
        (self.forms.len() - 1) as u32
    }

    /// The atom form `form` is, if it is exactly one atom.
    pub(crate) fn as_atom(&self, form: u32) -> Option<u32> {
        match self.forms.get(form as usize)? {
            Form { cells: 0, atoms } if atoms.len() == 1 && atoms[0].1 == 1 => Some(atoms[0].0),
            _ => None,
        }
    }

    /// The atom of field `index` of variant `tag` of `parent`, of type `ty`.
    fn field_atom(&mut self, parent: u32, tag: u32, index: u32, ty: Ty) -> u32 {
        if let Some(&a) = self.fields.get(&(parent, tag, index)) {
            return a;
        }
        let a = self.new_atom(ty);
        self.fields.insert((parent, tag, index), a);
        a
    }

    /// The form of field `index` (of ADT or Bytes type `ty`) of variant `tag` read
    /// from a value of form `form`, if that form is an atom.
    pub(crate) fn field(&mut self, form: u32, tag: u32, index: u32, ty: Ty) -> u32 {
        match self.as_atom(form) {
            Some(parent) => {
                let a = self.field_atom(parent, tag, index, ty);
                self.atom_form[a as usize]
            }
            None => UNKNOWN,
        }
    }

    /// The form of a construction whose ADT and Bytes fields have forms
    /// `parts` (`UNKNOWN` if any of them is).
    pub(crate) fn con(&mut self, parts: &[u32]) -> u32 {
        let mut out = Form {
            cells: 1,
            atoms: Vec::new(),
        };
        for &p in parts {
            match self.forms.get(p as usize) {
                Some(f) if self.work <= MAX_WORK => {
                    let f = f.clone();
                    self.work = self.work.saturating_add(f.atoms.len() as u64 + 1);
                    out.add(&f, 1);
                }
                _ => return UNKNOWN,
            }
        }
        self.push(out)
    }

    /// `form` with atoms of known variant replaced by their cell and fields.
    fn expand(&mut self, m: &Module, tags: &BTreeMap<u32, u32>, form: &Form) -> Form {
        let mut out = form.clone();
        let mut stuck: Vec<u32> = Vec::new();
        for _ in 0..MAX_EXPANSIONS {
            self.work = self
                .work
                .saturating_add(out.atoms.len() as u64 + stuck.len() as u64 + 1);
            let Some(&(a, k)) = out.atoms.iter().find(|(a, _)| !stuck.contains(a)) else {
                break;
            };
            let variant = match self.atom_ty.get(a as usize) {
                Some(&Ty::Adt(ai)) => m.adts.get(ai as usize).and_then(|adt| {
                    let tag = if adt.variants.len() == 1 {
                        Some(0)
                    } else {
                        tags.get(&a).copied()
                    }?;
                    Some((tag, adt.variants.get(tag as usize)?))
                }),
                _ => None,
            };
            let Some((tag, variant)) = variant else {
                stuck.push(a);
                continue;
            };
            let fields: Vec<(u32, Ty)> = variant
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (i as u32, f.ty))
                .collect();
            let mut parts = Form {
                cells: 1,
                atoms: Vec::new(),
            };
            for (i, ty) in fields {
                if measured(ty) {
                    let fa = self.field_atom(a, tag, i, ty);
                    parts.add(
                        &Form {
                            cells: 0,
                            atoms: vec![(fa, 1)],
                        },
                        1,
                    );
                }
            }
            out.atoms.retain(|&(x, _)| x != a);
            out.add(&parts, k);
        }
        out
    }

    /// How a value of form `arg` relates to parameter `param`'s entry
    /// value, given the variants known of atoms (`tags`): `Some(true)`
    /// strictly smaller, `Some(false)` no larger, `None` unknown.
    pub(crate) fn compare(
        &mut self,
        m: &Module,
        tags: &BTreeMap<u32, u32>,
        arg: u32,
        param: u32,
    ) -> Option<bool> {
        if self.work > MAX_WORK {
            return None;
        }
        let a = self.forms.get(arg as usize)?.clone();
        let p = self
            .forms
            .get(*self.atom_form.get(param as usize)? as usize)?
            .clone();
        let (a, p) = (self.expand(m, tags, &a), self.expand(m, tags, &p));
        let covered = a.atoms.iter().all(|&(x, k)| {
            p.atoms
                .binary_search_by_key(&x, |&(y, _)| y)
                .is_ok_and(|i| k <= p.atoms[i].1)
        });
        if !covered {
            return None;
        }
        // Each ADT atom the parameter has more of measures at least 1.
        let slack = p.atoms.iter().fold(0u64, |acc, &(x, k)| {
            let extra = match a.atoms.binary_search_by_key(&x, |&(y, _)| y) {
                Ok(i) => k.saturating_sub(a.atoms[i].1),
                Err(_) => k,
            };
            match self.atom_ty.get(x as usize) {
                Some(Ty::Adt(_)) => acc.saturating_add(extra),
                _ => acc,
            }
        });
        let room = p.cells.saturating_add(slack);
        (a.cells <= room).then_some(a.cells < room)
    }
}

/// Whether values of type `ty` have a size: ADTs and Bytes.
pub(crate) fn measured(ty: Ty) -> bool {
    matches!(ty, Ty::Adt(_) | Ty::Bytes)
}
