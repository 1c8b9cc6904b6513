//! Output bounds, re-derived from the bytecode: for each function, the
//! parameters its result is never larger than (in the measure of
//! [`super::size`]), and for each variant and field of its result type, the
//! parameters that field of a result is never larger than. A call of such a
//! function gives a result no larger than the argument, which lets the
//! size order see that `quicksort(filter(rest, ..))` descends
//! (`lang-spec/totality.md`, "Sizes of results").
//!
//! The bounds are the greatest fixpoint of the dataflow pass run in a
//! collecting mode: every function starts with every candidate, each `ret`
//! (and each tail call) removes those its value is not shown to keep,
//! assuming the current bounds at every call, and the rounds repeat until
//! nothing changes (by induction on the depth of calls, the survivors hold
//! for every run that returns; the termination check covers the rest).

use std::collections::{BTreeMap, BTreeSet};

use super::flow;
use super::size::measured;
use crate::isa::Instr;
use crate::module::Module;
use crate::program::Program;
use crate::types::Ty;

/// The output bounds of one function, by parameter index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Output {
    /// The parameters the whole result is no larger than.
    pub(crate) whole: BTreeSet<u16>,
    /// By (variant, field) of the result type: the parameters that field
    /// of a result of that variant is no larger than.
    pub(crate) fields: BTreeMap<(u32, u32), BTreeSet<u16>>,
}

impl Output {
    fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.fields.values().all(BTreeSet::is_empty)
    }
}

/// Rounds of the fixpoint, at most; past them no function has bounds.
const MAX_ROUNDS: usize = 8;

/// Every bound function `fi` might have.
fn candidates(m: &Module, fi: usize) -> Output {
    let Some(f) = m.functions.get(fi) else {
        return Output::default();
    };
    let Ty::Adt(ai) = f.result else {
        return Output::default();
    };
    if crate::types::map_types(f.result, &m.adts).is_some() {
        return Output::default();
    }
    let params: BTreeSet<u16> = f
        .params
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Ty::Adt(_)))
        .map(|(i, _)| i as u16)
        .collect();
    if params.is_empty() {
        return Output::default();
    }
    let mut fields = BTreeMap::new();
    if let Some(adt) = m.adts.get(ai as usize) {
        for (tag, v) in adt.variants.iter().enumerate() {
            for (i, fd) in v.fields.iter().enumerate() {
                if measured(fd.ty) {
                    fields.insert((tag as u32, i as u32), params.clone());
                }
            }
        }
    }
    Output {
        whole: params,
        fields,
    }
}

/// The output bounds of every function of `m` (`comp`: the call graph's
/// components); none at all when no function is recursive.
pub(crate) fn outputs(m: &Module, comp: &[u32]) -> Vec<Output> {
    let n = m.functions.len();
    let none = || vec![Output::default(); n];
    let mut seen = BTreeSet::new();
    let recursive = comp.iter().any(|c| !seen.insert(*c))
        || m.functions.iter().enumerate().any(|(fi, f)| {
            f.code.iter().any(|i| {
                matches!(i, Instr::Call { f: g, .. } | Instr::TailCall { f: g, .. } if g.0 as usize == fi)
            })
        });
    if !recursive {
        return none();
    }
    let mut current: Vec<Output> = (0..n).map(|fi| candidates(m, fi)).collect();
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for fi in 0..n {
            let Some(assumed) = current.get(fi).filter(|o| !o.is_empty()).cloned() else {
                continue;
            };
            let mut kept = assumed.clone();
            let (mut program, mut edges) = (Program::default(), Vec::new());
            let run = flow::check_function(
                m,
                fi,
                comp,
                &current,
                Some(&mut kept),
                &mut program,
                &mut edges,
            );
            if run.is_err() {
                // The main pass reports the error.
                return none();
            }
            if kept != assumed {
                current[fi] = kept;
                changed = true;
            }
        }
        if !changed {
            return current;
        }
    }
    none()
}
