//! Sizes as linear forms: the *size order* on constructor terms
//! (`lang-spec/totality.md`, "The size order").
//!
//! The size of a value is its number of cells (constructor applications
//! with at least one field, list cells, tuples, structs). A value bound by a
//! pattern is an *atom*, an unknown size `≥ 0`; matching an atom against a
//! pattern *expands* it into the cells of the pattern plus the atoms of its
//! parts (`xs` matched by `[b, c, ..l]` is `2 + b + c + l`). An expression
//! built from constructors, literals and atoms has a form the same way
//! (`[c, ..l]` is `1 + c + l`; `[]`, `Leaf`, `0` are `0`). One form is no
//! larger than another when, once both are expanded, it has no more of each
//! atom and no more cells; strictly smaller when it also has fewer cells.

use std::collections::BTreeMap;

use super::matrix::Rel;

/// `cells + Σ coefficient · atom`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    /// The constant number of cells.
    pub cells: u64,
    /// The atoms and how often each occurs.
    pub atoms: BTreeMap<u32, u64>,
}

impl Form {
    /// A constant number of cells.
    pub fn cells(cells: u64) -> Form {
        Form {
            cells,
            atoms: BTreeMap::new(),
        }
    }

    /// One atom.
    pub fn atom(atom: u32) -> Form {
        Form {
            cells: 0,
            atoms: BTreeMap::from([(atom, 1)]),
        }
    }

    /// Adds `other` times `times` to `self`.
    fn add_times(&mut self, other: &Form, times: u64) {
        self.cells = self.cells.saturating_add(other.cells.saturating_mul(times));
        for (&atom, &k) in &other.atoms {
            let slot = self.atoms.entry(atom).or_insert(0);
            *slot = slot.saturating_add(k.saturating_mul(times));
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &Form) {
        self.add_times(other, 1);
    }

    /// The atom this form is, if it is exactly one atom.
    pub fn as_atom(&self) -> Option<u32> {
        match (self.cells, self.atoms.iter().next(), self.atoms.len()) {
            (0, Some((&atom, 1)), 1) => Some(atom),
            _ => None,
        }
    }
}

/// The atoms of one function body and the expansions in force.
#[derive(Debug, Default)]
pub struct Atoms {
    next: u32,
    /// Atom and the form it was matched into, innermost last.
    expansions: Vec<(u32, Form)>,
}

impl Atoms {
    /// Atoms `0..n` stand for the parameters.
    pub fn with_params(n: usize) -> Atoms {
        Atoms {
            next: n as u32,
            expansions: Vec::new(),
        }
    }

    /// A new atom.
    pub fn fresh(&mut self) -> Form {
        let atom = self.next;
        self.next = self.next.saturating_add(1);
        Form::atom(atom)
    }

    /// Whether `atom` is expanded here.
    pub fn is_expanded(&self, atom: u32) -> bool {
        self.expansions.iter().any(|(a, _)| *a == atom)
    }

    /// Records that `atom` is made of `parts` (until [`Atoms::truncate`]).
    pub fn expand_to(&mut self, atom: u32, parts: Form) {
        self.expansions.push((atom, parts));
    }

    /// How many expansions are in force (a mark for [`Atoms::truncate`]).
    pub fn mark(&self) -> usize {
        self.expansions.len()
    }

    /// Forgets the expansions recorded after `mark`.
    pub fn truncate(&mut self, mark: usize) {
        self.expansions.truncate(mark);
    }

    /// `form` with every expanded atom replaced by its parts, repeatedly.
    /// Expansions only introduce atoms newer than the one expanded, so
    /// this ends.
    pub fn expand(&self, form: &Form) -> Form {
        let mut out = form.clone();
        loop {
            let Some((atom, k, parts)) = out.atoms.iter().find_map(|(&atom, &k)| {
                self.expansions
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == atom)
                    .map(|(_, parts)| (atom, k, parts))
            }) else {
                return out;
            };
            out.atoms.remove(&atom);
            out.add_times(parts, k);
        }
    }

    /// How `arg` relates in size to `param`: `<`, `≤` or `?`.
    pub fn compare(&self, arg: &Form, param: &Form) -> Rel {
        let (a, p) = (self.expand(arg), self.expand(param));
        let covered = a
            .atoms
            .iter()
            .all(|(atom, &k)| p.atoms.get(atom).is_some_and(|&m| k <= m));
        if !covered || a.cells > p.cells {
            Rel::Unknown
        } else if a.cells < p.cells {
            Rel::Lt
        } else {
            Rel::Le
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuilt_tail_is_smaller_and_a_rebuilt_whole_is_not() {
        // xs = [b, c, ..l]
        let mut atoms = Atoms::with_params(1);
        let (b, c, l) = (atoms.fresh(), atoms.fresh(), atoms.fresh());
        let mut parts = Form::cells(2);
        for f in [&b, &c, &l] {
            parts.add(f);
        }
        atoms.expand_to(0, parts);
        let xs = Form::atom(0);
        let mut tail = Form::cells(1);
        tail.add(&c);
        tail.add(&l);
        assert_eq!(atoms.compare(&tail, &xs), Rel::Lt);
        let mut whole = Form::cells(2);
        for f in [&b, &c, &l] {
            whole.add(f);
        }
        assert_eq!(atoms.compare(&whole, &xs), Rel::Le);
        let mut doubled = whole.clone();
        doubled.add(&b);
        assert_eq!(atoms.compare(&doubled, &xs), Rel::Unknown);
        // `[]` is smaller than a list known to have cells, no larger than any list.
        assert_eq!(atoms.compare(&Form::cells(0), &xs), Rel::Lt);
        atoms.truncate(0);
        assert_eq!(atoms.compare(&tail, &xs), Rel::Unknown);
        assert_eq!(atoms.compare(&Form::cells(0), &xs), Rel::Le);
    }
}
