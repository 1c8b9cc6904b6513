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
    /// The constant number of cells (negative only in upper bounds built
    /// by taking parts away, see [`Form::minus`]).
    pub cells: i64,
    /// The atoms and how often each occurs (negative likewise).
    pub atoms: BTreeMap<u32, i64>,
}

impl Form {
    /// A constant number of cells.
    pub fn cells(cells: u64) -> Form {
        Form {
            cells: i64::try_from(cells).unwrap_or(i64::MAX),
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
    fn add_times(&mut self, other: &Form, times: i64) {
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

    /// `self - other`: an upper bound on the rest of a value of size at
    /// most `self` once parts of size `other` are taken away.
    pub fn minus(&self, other: &Form) -> Form {
        let mut out = self.clone();
        out.add_times(other, -1);
        out
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
    /// Atoms whose sum is at most a form: the parts of a value bound only
    /// from above (a callee's result), innermost last.
    groups: Vec<(Vec<u32>, Form)>,
}

/// A point to return to with [`Atoms::truncate`].
#[derive(Debug, Clone, Copy)]
pub struct Mark(usize, usize);

/// Folds of groups per comparison, at most.
const MAX_FOLDS: usize = 8;

impl Atoms {
    /// Atoms `0..n` stand for the parameters.
    pub fn with_params(n: usize) -> Atoms {
        Atoms {
            next: n as u32,
            expansions: Vec::new(),
            groups: Vec::new(),
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

    /// Records that the atoms `parts` sum to at most `bound`.
    pub fn group(&mut self, parts: Vec<u32>, bound: Form) {
        self.groups.push((parts, bound));
    }

    /// The expansions and groups in force (a mark for [`Atoms::truncate`]).
    pub fn mark(&self) -> Mark {
        Mark(self.expansions.len(), self.groups.len())
    }

    /// Forgets the expansions and groups recorded after `mark`.
    pub fn truncate(&mut self, mark: Mark) {
        self.expansions.truncate(mark.0);
        self.groups.truncate(mark.1);
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

    /// How `arg` relates in size to `param`: `<`, `≤` or `?`. Besides the
    /// expansions, parts of a value bounded from above may be folded: an
    /// argument with `k` of some atoms of a group is at most the argument
    /// without them plus `k` times the group's bound.
    pub fn compare(&self, arg: &Form, param: &Form) -> Rel {
        let (mut a, p) = (self.expand(arg), self.expand(param));
        let mut best = Self::judge(&a, &p);
        for _ in 0..MAX_FOLDS {
            if best == Rel::Lt {
                break;
            }
            let Some((parts, bound)) =
                self.groups.iter().rev().find(|(parts, _)| {
                    parts.iter().any(|x| a.atoms.get(x).is_some_and(|&k| k > 0))
                })
            else {
                break;
            };
            let k = parts
                .iter()
                .filter_map(|x| a.atoms.get(x).copied())
                .max()
                .unwrap_or(0);
            for x in parts {
                a.atoms.remove(x);
            }
            a.add_times(bound, k);
            a = self.expand(&a);
            best = best.max(Self::judge(&a, &p));
        }
        best
    }

    /// How an expanded `a` relates to an expanded `p`.
    fn judge(a: &Form, p: &Form) -> Rel {
        // Every atom is `>= 0`: `p - a` is at least its constant when no
        // atom has a negative coefficient in it.
        let at = |f: &Form, atom: &u32| f.atoms.get(atom).copied().unwrap_or(0);
        let covered = a
            .atoms
            .keys()
            .chain(p.atoms.keys())
            .all(|v| at(a, v) <= at(p, v));
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
        atoms.truncate(Mark(0, 0));
        assert_eq!(atoms.compare(&tail, &xs), Rel::Unknown);
        assert_eq!(atoms.compare(&Form::cells(0), &xs), Rel::Le);
    }

    #[test]
    fn the_parts_of_a_bounded_value_fold_back_into_its_bound() {
        // xs = [x, ..rest]; r = f(rest) with |r| <= |rest|; r = [y, ..ys].
        let mut atoms = Atoms::with_params(1);
        let (x, rest) = (atoms.fresh(), atoms.fresh());
        let mut parts = Form::cells(1);
        parts.add(&x);
        parts.add(&rest);
        atoms.expand_to(0, parts);
        let (y, ys) = (atoms.fresh(), atoms.fresh());
        let ids = [&y, &ys].iter().filter_map(|f| f.as_atom()).collect();
        atoms.group(ids, rest.minus(&Form::cells(1)));
        let xs = Form::atom(0);
        // [x, y, ..ys] is at most [x, ..rest]: no larger than xs.
        let mut rebuilt = Form::cells(2);
        for f in [&x, &y, &ys] {
            rebuilt.add(f);
        }
        assert_eq!(atoms.compare(&rebuilt, &xs), Rel::Le);
        // ys alone is smaller; [y, y, ..ys] is not known to be no larger.
        assert_eq!(atoms.compare(&ys, &xs), Rel::Lt);
        let mut doubled = rebuilt.clone();
        doubled.add(&y);
        assert_eq!(atoms.compare(&doubled, &xs), Rel::Unknown);
    }
}
