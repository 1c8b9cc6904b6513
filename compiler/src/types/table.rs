//! The unification table: inference variables and their bindings, with an
//! occurs check. Every walk over a type is bounded (depth and node budget),
//! because inferred types can be far larger than anything written in the
//! source; exceeding a bound is reported as "cannot infer" (E0310) rather
//! than overflowing the stack.

use crate::types::ty::Ty;

/// Types nested deeper than this are refused (written types are at most 256 deep).
pub const MAX_TYPE_DEPTH: usize = 300;
/// The most type nodes one walk may visit.
const NODE_BUDGET: usize = 100_000;
/// The most type nodes all final substitutions of one module may build.
const TOTAL_BUDGET: usize = 4_000_000;

/// Why two types could not be unified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnifyError {
    /// Different type constructors.
    Mismatch,
    /// A variable would have to contain itself.
    Infinite,
    /// The types are too large to compare.
    TooComplex,
}

/// Inference variables and what they are bound to.
#[derive(Debug, Default)]
pub struct Table {
    bindings: Vec<Option<Ty>>,
    /// Type nodes built by [`Table::finalize`] so far.
    finalized: usize,
}

impl Table {
    /// A fresh, unbound variable.
    pub fn fresh(&mut self) -> Ty {
        self.bindings.push(None);
        Ty::Var(self.bindings.len() as u32 - 1)
    }

    /// The variable at the end of `v`'s chain of variable-to-variable
    /// bindings, shortening the chain on the way.
    fn root(&mut self, v: u32) -> u32 {
        let mut root = v;
        let mut steps = 0;
        while let Some(Some(Ty::Var(next))) = self.bindings.get(root as usize) {
            root = *next;
            steps += 1;
            if steps > self.bindings.len() {
                break;
            }
        }
        let mut at = v;
        while at != root {
            let next = match self.bindings.get(at as usize) {
                Some(Some(Ty::Var(next))) => *next,
                _ => break,
            };
            if let Some(slot) = self.bindings.get_mut(at as usize) {
                *slot = Some(Ty::Var(root));
            }
            at = next;
        }
        root
    }

    /// `ty` with its outermost variables resolved (its head is not a bound variable).
    pub fn head(&mut self, ty: &Ty) -> Ty {
        match ty {
            Ty::Var(v) => {
                let root = self.root(*v);
                match self.bindings.get(root as usize) {
                    Some(Some(bound)) => bound.clone(),
                    _ => Ty::Var(root),
                }
            }
            other => other.clone(),
        }
    }

    /// Makes `a` and `b` equal, binding variables as needed.
    pub fn unify(&mut self, a: &Ty, b: &Ty) -> Result<(), UnifyError> {
        let mut budget = NODE_BUDGET;
        self.unify_at(a, b, 0, &mut budget)
    }

    fn unify_at(
        &mut self,
        a: &Ty,
        b: &Ty,
        depth: usize,
        budget: &mut usize,
    ) -> Result<(), UnifyError> {
        if depth > MAX_TYPE_DEPTH || *budget == 0 {
            return Err(UnifyError::TooComplex);
        }
        *budget -= 1;
        let a = self.head(a);
        let b = self.head(b);
        match (&a, &b) {
            (Ty::Error, _) | (_, Ty::Error) => Ok(()),
            (Ty::Var(x), Ty::Var(y)) if x == y => Ok(()),
            (Ty::Var(x), other) | (other, Ty::Var(x)) => self.bind(*x, other, budget),
            (Ty::Int, Ty::Int)
            | (Ty::Bool, Ty::Bool)
            | (Ty::Bytes, Ty::Bytes)
            | (Ty::Unit, Ty::Unit) => Ok(()),
            (Ty::Tuple(xs), Ty::Tuple(ys)) if xs.len() == ys.len() => {
                self.unify_all(xs, ys, depth, budget)
            }
            (
                Ty::Adt {
                    item: i, args: xs, ..
                },
                Ty::Adt {
                    item: j, args: ys, ..
                },
            ) if i == j && xs.len() == ys.len() => self.unify_all(xs, ys, depth, budget),
            (Ty::Param { index: i, .. }, Ty::Param { index: j, .. }) if i == j => Ok(()),
            (Ty::Fn { params: ps, ret: r }, Ty::Fn { params: qs, ret: s })
                if ps.len() == qs.len() =>
            {
                self.unify_all(ps, qs, depth, budget)?;
                self.unify_at(r, s, depth + 1, budget)
            }
            _ => Err(UnifyError::Mismatch),
        }
    }

    fn unify_all(
        &mut self,
        xs: &[Ty],
        ys: &[Ty],
        depth: usize,
        budget: &mut usize,
    ) -> Result<(), UnifyError> {
        // Unify every pair even after a failure, so the parts that do agree
        // still inform inference; report the first failure.
        let mut result = Ok(());
        for (x, y) in xs.iter().zip(ys) {
            let r = self.unify_at(x, y, depth + 1, budget);
            if result.is_ok() {
                result = r;
            }
        }
        result
    }

    fn bind(&mut self, v: u32, ty: &Ty, budget: &mut usize) -> Result<(), UnifyError> {
        self.occurs(v, ty, budget)?;
        if let Some(slot) = self.bindings.get_mut(v as usize) {
            *slot = Some(ty.clone());
        }
        Ok(())
    }

    /// Fails if `v` occurs in `ty` (or if `ty` is too large to tell). Each
    /// bound variable is visited once, so shared structure costs nothing.
    fn occurs(&mut self, v: u32, ty: &Ty, budget: &mut usize) -> Result<(), UnifyError> {
        let mut visited = std::collections::HashSet::new();
        let mut stack = vec![ty.clone()];
        while let Some(ty) = stack.pop() {
            if *budget == 0 {
                return Err(UnifyError::TooComplex);
            }
            *budget -= 1;
            let ty = match ty {
                Ty::Var(w) => {
                    let root = self.root(w);
                    if root == v {
                        return Err(UnifyError::Infinite);
                    }
                    if !visited.insert(root) {
                        continue;
                    }
                    self.head(&Ty::Var(root))
                }
                other => other,
            };
            ty.for_each_child(|c| stack.push(c.clone()));
        }
        Ok(())
    }

    /// `ty` with every bound variable replaced by its binding, or `None`
    /// if the result would be too large.
    pub fn zonk(&mut self, ty: &Ty) -> Option<Ty> {
        let mut budget = NODE_BUDGET;
        self.zonk_at(ty, 0, &mut budget, false)
    }

    /// Like [`Table::zonk`], for the end of a body: variables that are
    /// still unsolved become `()` (nothing ever inspects such a value).
    /// Gives up (with `None`) once all finalized types together grow too
    /// large, so memory stays bounded whatever the program.
    pub fn finalize(&mut self, ty: &Ty) -> Option<Ty> {
        if self.finalized > TOTAL_BUDGET {
            return None;
        }
        let mut budget = NODE_BUDGET;
        let result = self.zonk_at(ty, 0, &mut budget, true);
        self.finalized += NODE_BUDGET - budget;
        result
    }

    fn zonk_at(&mut self, ty: &Ty, depth: usize, budget: &mut usize, unit: bool) -> Option<Ty> {
        if depth > MAX_TYPE_DEPTH || *budget == 0 {
            return None;
        }
        *budget -= 1;
        let ty = self.head(ty);
        Some(match ty {
            Ty::Tuple(items) => Ty::Tuple(self.zonk_all(&items, depth, budget, unit)?),
            Ty::Adt { item, name, args } => Ty::Adt {
                item,
                name,
                args: self.zonk_all(&args, depth, budget, unit)?,
            },
            Ty::Fn { params, ret } => Ty::Fn {
                params: self.zonk_all(&params, depth, budget, unit)?,
                ret: Box::new(self.zonk_at(&ret, depth + 1, budget, unit)?),
            },
            Ty::Var(_) if unit => Ty::Unit,
            other => other,
        })
    }

    fn zonk_all(
        &mut self,
        items: &[Ty],
        depth: usize,
        budget: &mut usize,
        unit: bool,
    ) -> Option<Vec<Ty>> {
        items
            .iter()
            .map(|t| self.zonk_at(t, depth + 1, budget, unit))
            .collect()
    }

    /// `ty` resolved for an error message (the error type where it is too large).
    pub fn show(&mut self, ty: &Ty) -> Ty {
        self.zonk(ty).unwrap_or(Ty::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_and_resolves() {
        let mut t = Table::default();
        let a = t.fresh();
        let b = t.fresh();
        assert_eq!(t.unify(&a, &b), Ok(()));
        assert_eq!(t.unify(&b, &Ty::Tuple(vec![Ty::Int, Ty::Bool])), Ok(()));
        assert_eq!(t.zonk(&a), Some(Ty::Tuple(vec![Ty::Int, Ty::Bool])));
        assert_eq!(t.unify(&a, &Ty::Int), Err(UnifyError::Mismatch));
    }

    #[test]
    fn occurs_check_refuses_infinite_types() {
        let mut t = Table::default();
        let a = t.fresh();
        assert_eq!(
            t.unify(&a, &Ty::Tuple(vec![a.clone(), Ty::Int])),
            Err(UnifyError::Infinite)
        );
    }

    #[test]
    fn exponential_types_are_refused_not_expanded() {
        let mut t = Table::default();
        let mut v = t.fresh();
        t.unify(&v, &Ty::Int).unwrap();
        for _ in 0..64 {
            let w = t.fresh();
            t.unify(&w, &Ty::Tuple(vec![v.clone(), v.clone()])).unwrap();
            v = w;
        }
        assert_eq!(t.zonk(&v), None);
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn finalizing_stops_when_the_module_total_is_exhausted() {
        let mut t = Table::default();
        let mut v = t.fresh();
        t.unify(&v, &Ty::Int).unwrap();
        for _ in 0..14 {
            let w = t.fresh();
            t.unify(&w, &Ty::Tuple(vec![v.clone(), v.clone()])).unwrap();
            v = w;
        }
        // Each copy is 2^15 - 1 nodes: the module budget allows about 120.
        let finished = (0..1000).take_while(|_| t.finalize(&v).is_some()).count();
        assert!((100..200).contains(&finished), "{finished}");
    }
}
