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
    /// Per atom read as a field: its parent atom, variant and field index.
    parent: BTreeMap<u32, (u32, u32, u32)>,
    /// Atoms known to be no larger than a form (results of calls whose
    /// output is bounded, [`super::output`]).
    bounds: BTreeMap<u32, u32>,
    /// Forms built by `con`: the variant and each field's form, by index.
    cons: BTreeMap<u32, (u32, Vec<(u32, u32)>)>,
}

/// Rewriting steps of one comparison through bounded atoms, at most.
const MAX_RELAX: usize = 16;

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
        self.parent.insert(a, (parent, tag, index));
        a
    }

    /// A new atom of type `ty`, no larger than `bound` (a form) when that
    /// is known; its form.
    pub(crate) fn bounded(&mut self, ty: Ty, bound: u32) -> u32 {
        let a = self.new_atom(ty);
        if bound != UNKNOWN {
            self.bounds.insert(a, bound);
        }
        self.atom_form[a as usize]
    }

    /// Where two paths meet with forms `a` and `b` for one register (of
    /// type `ty`): a new atom no larger than the larger of the two once
    /// their bounded atoms are replaced by their bounds, when one of them
    /// is at least the other; else `UNKNOWN`. (The atom is new: a bound is
    /// not the value, so its fields are not the bound's.)
    pub(crate) fn join(&mut self, a: u32, b: u32, ty: Ty) -> u32 {
        if a == b || a == UNKNOWN || b == UNKNOWN || self.work > MAX_WORK {
            return if a == b { a } else { UNKNOWN };
        }
        let (Some(fa), Some(fb)) = (self.resolve(a), self.resolve(b)) else {
            return UNKNOWN;
        };
        let dominates = |x: &Form, y: &Form| {
            y.cells <= x.cells
                && y.atoms.iter().all(|&(v, k)| {
                    x.atoms
                        .binary_search_by_key(&v, |&(w, _)| w)
                        .is_ok_and(|i| k <= x.atoms[i].1)
                })
        };
        let bound = if dominates(&fa, &fb) {
            fa
        } else if dominates(&fb, &fa) {
            fb
        } else {
            return UNKNOWN;
        };
        let bound = self.push(bound);
        self.bounded(ty, bound)
    }

    /// Form `form` with bounded atoms replaced by their bounds, repeatedly.
    fn resolve(&mut self, form: u32) -> Option<Form> {
        let mut out = self.forms.get(form as usize)?.clone();
        for _ in 0..MAX_RELAX {
            self.work = self.work.saturating_add(out.atoms.len() as u64 + 1);
            let Some((x, k, b)) = out
                .atoms
                .iter()
                .find_map(|&(x, k)| self.bounds.get(&x).map(|&b| (x, k, b)))
            else {
                return Some(out);
            };
            let bound = self.forms.get(b as usize)?.clone();
            out.atoms.retain(|&(y, _)| y != x);
            out.add(&bound, k);
        }
        None
    }

    /// Records that field `index` (of type `ty`) of variant `tag` of the
    /// atom `form` is no larger than `bound`.
    pub(crate) fn bound_field(&mut self, form: u32, tag: u32, index: u32, ty: Ty, bound: u32) {
        if let Some(parent) = self.as_atom(form)
            && bound != UNKNOWN
        {
            let a = self.field_atom(parent, tag, index, ty);
            self.bounds.insert(a, bound);
        }
    }

    /// The form of field `index` of a value of form `form` known to be of
    /// variant `tag`: the field's form if `form` was built by `con` (`None`
    /// if it was built with another variant), the field atom if `form` is an
    /// atom, else `UNKNOWN`.
    pub(crate) fn part(&mut self, form: u32, tag: u32, index: u32, ty: Ty) -> Option<u32> {
        if let Some((t, fields)) = self.cons.get(&form) {
            if *t != tag {
                return None;
            }
            return Some(
                fields
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map_or(UNKNOWN, |(_, f)| *f),
            );
        }
        match self.as_atom(form) {
            Some(parent) => {
                let a = self.field_atom(parent, tag, index, ty);
                Some(self.atom_form[a as usize])
            }
            None => Some(UNKNOWN),
        }
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

    /// The form of a construction of variant `tag` whose measured (ADT and
    /// Bytes) fields have forms `fields` (index, form); `UNKNOWN` if any of
    /// them is. Remembered for [`Sizes::part`].
    pub(crate) fn con_fields(&mut self, tag: u32, fields: &[(u32, u32)]) -> u32 {
        let parts: Vec<u32> = fields.iter().map(|&(_, f)| f).collect();
        self.con_of(tag, fields, &parts)
    }

    fn con_of(&mut self, tag: u32, fields: &[(u32, u32)], parts: &[u32]) -> u32 {
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
        let form = self.push(out);
        self.cons.insert(form, (tag, fields.to_vec()));
        form
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
        let best = self.judge(&a, &p, 0);
        if best == Some(true) || self.bounds.is_empty() {
            return best;
        }
        let folded = self.relax(m, tags, a.clone(), &p, true);
        if folded == Some(true) {
            return folded;
        }
        [best, folded, self.relax(m, tags, a, &p, false)]
            .into_iter()
            .max_by_key(|x| match x {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            })
            .flatten()
    }

    /// [`Sizes::compare`] through bounded atoms: replace one by its bound,
    /// or fold the fields of a bounded atom of known variant back into it
    /// (their sum is the atom minus its cell) and replace it; folding first
    /// when `fold_first`.
    fn relax(
        &mut self,
        m: &Module,
        tags: &BTreeMap<u32, u32>,
        mut a: Form,
        p: &Form,
        fold_first: bool,
    ) -> Option<bool> {
        let mut best = None;
        let mut credit = 0u64;
        for _ in 0..MAX_RELAX {
            if self.work > MAX_WORK {
                break;
            }
            let bounded = a
                .atoms
                .iter()
                .find(|(x, _)| self.bounds.contains_key(x))
                .copied();
            let foldable = a.atoms.iter().any(|(x, _)| {
                self.parent
                    .get(x)
                    .is_some_and(|(r, t, _)| tags.get(r) == Some(t) && self.bounds.contains_key(r))
            });
            let (atom, k) = match bounded.filter(|_| !(fold_first && foldable)) {
                Some((x, k)) => {
                    a.atoms.retain(|&(y, _)| y != x);
                    (x, k)
                }
                None => {
                    let Some((r, t)) = a.atoms.iter().find_map(|(x, _)| {
                        let &(r, t, _) = self.parent.get(x)?;
                        (tags.get(&r) == Some(&t) && self.bounds.contains_key(&r)).then_some((r, t))
                    }) else {
                        break;
                    };
                    let siblings: Vec<u32> = a
                        .atoms
                        .iter()
                        .filter(|(x, _)| {
                            self.parent
                                .get(x)
                                .is_some_and(|&(q, u, _)| q == r && u == t)
                        })
                        .map(|&(x, _)| x)
                        .collect();
                    let c = a
                        .atoms
                        .iter()
                        .filter(|(x, _)| siblings.contains(x))
                        .map(|&(_, k)| k)
                        .max()
                        .unwrap_or(0);
                    // Adding the fields `a` lacks keeps it an upper bound.
                    a.atoms.retain(|(x, _)| !siblings.contains(x));
                    credit = credit.saturating_add(c);
                    (r, c)
                }
            };
            let Some(bound) = self
                .bounds
                .get(&atom)
                .and_then(|&b| self.forms.get(b as usize))
                .cloned()
            else {
                break;
            };
            a.add(&bound, k);
            a = self.expand(m, tags, &a);
            let now = self.judge(&a, p, credit);
            if now.is_some() && (best.is_none() || now == Some(true)) {
                best = now;
            }
            if best == Some(true) {
                break;
            }
        }
        best
    }

    /// Whether an expanded `a` is strictly smaller (`Some(true)`) or no
    /// larger (`Some(false)`) than an expanded `p`, when `a` is an upper
    /// bound that exceeds the value by at least `credit` cells.
    fn judge(&self, a: &Form, p: &Form, credit: u64) -> Option<bool> {
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
        let room = p.cells.saturating_add(slack).saturating_add(credit);
        (a.cells <= room).then_some(a.cells < room)
    }
}

/// Whether values of type `ty` have a size: ADTs and Bytes.
pub(crate) fn measured(ty: Ty) -> bool {
    matches!(ty, Ty::Adt(_) | Ty::Bytes)
}
