//! Output bounds (`lang-spec/totality.md`, "Sizes of results"): for each
//! function, the parameters its result is never larger than, and for a
//! result that is a tuple or a constructor application, the parameters
//! each of its parts is never larger than. `filter(xs, p)` is `≤ xs`;
//! each half of `partition(p, xs)` is `≤ xs`; the payload of `Left(n)`
//! returned by `diff(n, m)` is `≤ n`.
//!
//! The bounds are the greatest fixpoint of a check: every function starts
//! with every candidate (every parameter measured by size, for the whole
//! result and each part its results are built with), each of its results
//! (the leaves of its body's `if`s, `match`es and blocks) refutes the
//! candidates it does not keep, assuming the current bounds of the calls
//! it makes, and the check repeats until nothing changes. A bound that
//! survives holds by induction on the depth of calls (every function
//! terminates, or the module is rejected anyway). The standard library's
//! bounds are computed once, the same way, and a `use std::m::{f}` brings
//! `f`'s bounds into the module.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::syntax::ast::{FnDef, Item, Module};

/// A part of a result: the constructor's name (`""` for a tuple) and the
/// field's position.
pub type Key = (String, usize);

/// The output bounds of one function, by parameter index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The parameters the whole result is `≤`.
    pub whole: BTreeSet<usize>,
    /// For each part, the parameters it is `≤` (absent: none).
    pub parts: BTreeMap<Key, BTreeSet<usize>>,
    /// The parts that never have a cell (an `Int`, a `Bool`, a unit
    /// constructor): `≤` every parameter, and no size inside a structure.
    pub zero: BTreeSet<Key>,
}

impl Summary {
    /// Whether it says nothing.
    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.parts.values().all(BTreeSet::is_empty) && self.zero.is_empty()
    }
}

/// The output bounds a module's bodies may use.
#[derive(Debug, Clone, Default)]
pub struct Summaries {
    /// The module's functions', by index.
    pub by_fn: Vec<Summary>,
    /// Imported functions', by the name they are called by.
    pub imported: BTreeMap<String, Summary>,
}

/// Rounds of the fixpoint, at most; a module that has not settled by
/// then gets no output bounds (fewer proofs, still sound).
const MAX_ROUNDS: usize = 8;

/// The greatest fixpoint, from the candidates `initial`: `walk(current, f,
/// assumed)` returns the part of `assumed` that `f`'s results keep.
pub fn fixpoint(
    initial: Vec<Summary>,
    imported: BTreeMap<String, Summary>,
    walk: &dyn Fn(&Summaries, usize, Summary) -> Option<Summary>,
) -> Summaries {
    let mut current = Summaries {
        by_fn: initial,
        imported,
    };
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for f in 0..current.by_fn.len() {
            let Some(assumed) = current.by_fn.get(f).filter(|s| !s.is_empty()).cloned() else {
                continue;
            };
            let kept = walk(&current, f, assumed.clone()).unwrap_or_default();
            if kept != assumed
                && let Some(slot) = current.by_fn.get_mut(f)
            {
                *slot = kept;
                changed = true;
            }
        }
        if !changed {
            return current;
        }
    }
    let n = current.by_fn.len();
    current.by_fn = vec![Summary::default(); n];
    current
}

/// The standard library's output bounds, by module and function name.
fn std_summaries() -> &'static BTreeMap<(String, String), Summary> {
    static CELL: OnceLock<BTreeMap<(String, String), Summary>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut out = BTreeMap::new();
        for (name, text) in crate::stdlib::MODULES {
            let parse = crate::syntax::parse::parse(text);
            let defs: Vec<&FnDef> = parse.module.fns().collect();
            let summaries = super::extract::summaries(&parse.module, text, BTreeMap::new());
            for (def, summary) in defs.iter().zip(summaries.by_fn) {
                if !summary.is_empty() {
                    out.insert((name.to_string(), def.name.name.clone()), summary);
                }
            }
        }
        out
    })
}

/// The output bounds of the standard-library functions `module` imports
/// by `use std::m::{f, ..}`, by name.
pub fn imported(module: &Module) -> BTreeMap<String, Summary> {
    let std = std_summaries();
    let mut out = BTreeMap::new();
    for item in &module.items {
        let Item::Use(u) = item else { continue };
        let segments: Vec<&str> = u.module.segments.iter().map(|s| s.name.as_str()).collect();
        let [root, name] = segments.as_slice() else {
            continue;
        };
        if *root != "std" {
            continue;
        }
        for f in &u.names {
            if let Some(summary) = std.get(&(name.to_string(), f.name.clone())) {
                out.insert(f.name.clone(), summary.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn the_standard_library_has_the_output_bounds_the_spec_names() {
        let std = super::std_summaries();
        let get = |f: &str| std.get(&("list".to_string(), f.to_string())).cloned();
        let whole = |f: &str| get(f).map(|s| s.whole).unwrap_or_default();
        assert_eq!(whole("filter"), BTreeSet::from([0]));
        assert_eq!(whole("take"), BTreeSet::from([0]));
        assert_eq!(whole("drop"), BTreeSet::from([0]));
        // An accumulator grows; a concatenation is larger than either side.
        assert_eq!(whole("reverse"), BTreeSet::new());
        assert_eq!(whole("append"), BTreeSet::new());
        // `tail(xs)` is `Some(rest)`: its payload is no larger than `xs`.
        let tail = get("tail").map(|s| s.parts).unwrap_or_default();
        assert_eq!(
            tail.get(&("Some".to_string(), 0)),
            Some(&BTreeSet::from([0]))
        );
    }
}
