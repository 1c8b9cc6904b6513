//! Decision trees for pattern matching (Maranget's scheme, first column of
//! the first row), built before any code is emitted: a `switch` on the tag
//! of an enum or list, then `field` loads of the fields some pattern looks
//! at; literals by compare-and-branch. See `lang-spec/codegen.md` §5.

use std::collections::BTreeSet;

use crate::syntax::ast::{PatId, PatKind};
use crate::types::{LocalId, Resolution, Ty};

use super::diag::{self, CgError};
use super::func::FnCx;

/// Most decision-tree nodes for one match.
const MAX_NODES: usize = 20_000;
/// Deepest decision tree (tests along one path).
const MAX_DEPTH: usize = 400;

/// A pattern in one cell of the matrix.
#[derive(Debug, Clone)]
pub(super) enum P {
    Wild,
    Pat(PatId),
    /// The rest of a list pattern: `items[start..]` then `rest` (or `[]`).
    List {
        items: Vec<PatId>,
        start: usize,
        rest: Option<PatId>,
    },
}

/// A literal tested by compare-and-branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Lit {
    Int(i128),
    Bytes(Vec<u8>),
}

/// One row of the matrix: an arm's remaining cells (one per column) and the
/// variables bound so far (local, occurrence).
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) cols: Vec<P>,
    pub(super) arm: usize,
    pub(super) binds: Vec<(LocalId, usize)>,
}

/// A decision tree; occurrences are numbered (roots first).
#[derive(Debug)]
pub(super) enum Tree {
    /// Run arm `arm` with these variables bound to occurrences.
    Leaf {
        arm: usize,
        binds: Vec<(LocalId, usize)>,
    },
    /// Loads fields into new occurrences (`(occ, parent, index, type)`), then goes on.
    Load {
        loads: Vec<(usize, usize, u32, Ty)>,
        next: Box<Tree>,
    },
    /// `switch` on the tag of `occ`: one subtree per variant.
    Switch { occ: usize, cases: Vec<Tree> },
    /// `then` if the Bool `occ` is true, else `other`.
    IfTrue {
        occ: usize,
        then: Box<Tree>,
        other: Box<Tree>,
    },
    /// `then` if `occ` equals the literal, else `other`.
    IfEq {
        occ: usize,
        lit: Lit,
        then: Box<Tree>,
        other: Box<Tree>,
    },
}

/// The tree builder's state: the occurrences (value, type) it names.
pub(super) struct Builder<'a, 'c, 'db> {
    pub(super) cx: &'a mut FnCx<'c, 'db>,
    pub(super) occ_tys: Vec<Ty>,
    /// For each occurrence below the roots: its parent and field index.
    pub(super) occ_defs: Vec<Option<(usize, u32)>>,
    pub(super) nodes: usize,
}

impl Builder<'_, '_, '_> {
    fn new_occ(&mut self, ty: Ty, parent: usize, index: u32) -> usize {
        self.occ_tys.push(ty);
        self.occ_defs.push(Some((parent, index)));
        self.occ_tys.len() - 1
    }

    /// The `field` loads that make `occ` available on this path (its
    /// unloaded ancestors first); marks them loaded. Fields are loaded as
    /// late as possible: right before the first test or binding that needs
    /// them, so paths that never look at a field do not pay for it.
    fn ensure(&self, occ: usize, loaded: &mut BTreeSet<usize>) -> Vec<(usize, usize, u32, Ty)> {
        let mut chain = Vec::new();
        let mut o = occ;
        while !loaded.contains(&o) {
            match self.occ_defs.get(o).copied().flatten() {
                Some((parent, index)) => {
                    chain.push((o, parent, index));
                    o = parent;
                }
                None => break,
            }
        }
        chain
            .into_iter()
            .rev()
            .map(|(o, parent, index)| {
                loaded.insert(o);
                let ty = self.occ_tys.get(o).cloned().unwrap_or(Ty::Unit);
                (o, parent, index, ty)
            })
            .collect()
    }

    /// Moves bindings and irrelevant list tails out of the way: a cell that
    /// matches anything becomes `Wild` (recording its variable).
    fn normalize(&self, row: &mut Row, cols: &[usize]) {
        for (i, cell) in row.cols.iter_mut().enumerate() {
            loop {
                match cell {
                    P::List {
                        items,
                        start,
                        rest: Some(r),
                    } if *start >= items.len() => *cell = P::Pat(*r),
                    P::Pat(p) => {
                        let kind = self.cx.module.pats.get(p.index()).map(|x| &x.kind);
                        match kind {
                            Some(PatKind::Wildcard) | None | Some(PatKind::Error) => {
                                *cell = P::Wild
                            }
                            Some(PatKind::Bind(_)) => {
                                if let (Some(local), Some(occ)) =
                                    (self.cx.typed.pat_locals.get(p).copied(), cols.get(i))
                                {
                                    row.binds.push((local, *occ));
                                }
                                *cell = P::Wild;
                            }
                            Some(PatKind::List { items, rest }) => {
                                *cell = P::List {
                                    items: items.clone(),
                                    start: 0,
                                    rest: *rest,
                                }
                            }
                            _ => break,
                        }
                    }
                    _ => break,
                }
            }
        }
    }

    pub(super) fn build(
        &mut self,
        rows: Vec<Row>,
        cols: Vec<usize>,
        depth: usize,
        mut loaded: BTreeSet<usize>,
    ) -> Result<Tree, CgError> {
        let (tree, loads) = self.build_node(rows, cols, depth, &mut loaded)?;
        Ok(if loads.is_empty() {
            tree
        } else {
            Tree::Load {
                loads,
                next: Box::new(tree),
            }
        })
    }

    /// One node, and the loads it needs first.
    #[allow(clippy::type_complexity)]
    fn build_node(
        &mut self,
        mut rows: Vec<Row>,
        cols: Vec<usize>,
        depth: usize,
        loaded: &mut BTreeSet<usize>,
    ) -> Result<(Tree, Vec<(usize, usize, u32, Ty)>), CgError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(diag::limit(
                "the decision tree of this match is too large",
                self.cx.span,
            ));
        }
        if rows.iter().any(|r| r.cols.len() != cols.len()) {
            return Err(self.cx.internal("a pattern matrix with ragged rows"));
        }
        for row in &mut rows {
            self.normalize(row, &cols);
        }
        let Some(first) = rows.first() else {
            return Err(self.cx.internal("a match that is not exhaustive"));
        };
        let Some(c) = first.cols.iter().position(|p| !matches!(p, P::Wild)) else {
            let mut loads = Vec::new();
            for (_, occ) in &first.binds {
                loads.extend(self.ensure(*occ, loaded));
            }
            let leaf = Tree::Leaf {
                arm: first.arm,
                binds: first.binds.clone(),
            };
            return Ok((leaf, loads));
        };
        let occ = cols[c];
        let ty = self.occ_tys.get(occ).cloned().unwrap_or(Ty::Unit);
        let single = match &ty {
            Ty::Tuple(_) => true,
            Ty::Adt { .. } => self.cx.variant_fields(&ty)?.0.len() == 1,
            _ => false,
        };
        if matches!(ty, Ty::Unit) {
            for row in &mut rows {
                row.cols[c] = P::Wild;
            }
            return self.build_node(rows, cols, depth + 1, loaded);
        }
        // A test reads the occurrence (a single-variant type needs no test).
        let loads = if single {
            Vec::new()
        } else {
            self.ensure(occ, loaded)
        };
        let here = loaded.clone();
        let tree = match &ty {
            Ty::Bool => {
                let (yes, no) = self.split(&rows, c, |cx, p| match cx.pat_kind(p) {
                    Some(PatKind::Bool(b)) => Some(b),
                    _ => None,
                })?;
                let then = Box::new(self.build(yes, cols.clone(), depth + 1, here.clone())?);
                let other = Box::new(self.build(no, cols, depth + 1, here)?);
                Tree::IfTrue { occ, then, other }
            }
            Ty::Int | Ty::Bytes => {
                let Some(lit) = self.literal(&first.cols[c]) else {
                    return Err(self.cx.internal("a literal pattern of an unexpected kind"));
                };
                let mut yes = Vec::new();
                let mut no = Vec::new();
                for row in &rows {
                    match &row.cols[c] {
                        P::Wild => {
                            yes.push(row.clone());
                            no.push(row.clone());
                        }
                        cell => {
                            if self.literal(cell).as_ref() == Some(&lit) {
                                let mut r = row.clone();
                                r.cols[c] = P::Wild;
                                yes.push(r);
                            } else {
                                no.push(row.clone());
                            }
                        }
                    }
                }
                let then = Box::new(self.build(yes, cols.clone(), depth + 1, here.clone())?);
                let other = Box::new(self.build(no, cols, depth + 1, here)?);
                Tree::IfEq {
                    occ,
                    lit,
                    then,
                    other,
                }
            }
            Ty::Tuple(_) | Ty::Adt { .. } => self.adt(rows, cols, c, &ty, depth, here)?,
            _ => return Err(self.cx.internal("a pattern on a value without patterns")),
        };
        Ok((tree, loads))
    }

    /// Rows for `true` and for `false` of a Bool column.
    #[allow(clippy::type_complexity)]
    fn split(
        &self,
        rows: &[Row],
        c: usize,
        value: impl Fn(&FnCx<'_, '_>, PatId) -> Option<bool>,
    ) -> Result<(Vec<Row>, Vec<Row>), CgError> {
        let mut yes = Vec::new();
        let mut no = Vec::new();
        for row in rows {
            let v = match &row.cols[c] {
                P::Wild => None,
                P::Pat(p) => Some(
                    value(self.cx, *p)
                        .ok_or_else(|| self.cx.internal("a non-Bool pattern on a Bool"))?,
                ),
                P::List { .. } => return Err(self.cx.internal("a list pattern on a Bool")),
            };
            let mut r = row.clone();
            r.cols[c] = P::Wild;
            if v != Some(false) {
                yes.push(r.clone());
            }
            if v != Some(true) {
                no.push(r);
            }
        }
        Ok((yes, no))
    }

    fn literal(&self, cell: &P) -> Option<Lit> {
        match cell {
            P::Pat(p) => match self.cx.pat_kind(*p)? {
                PatKind::Int(v) => Some(Lit::Int(v)),
                PatKind::Bytes(b) => Some(Lit::Bytes(b)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The variant a cell requires and its sub-patterns, or `None` for a wildcard.
    fn head(
        &self,
        cell: &P,
        field_names: &[Vec<String>],
    ) -> Result<Option<(u32, Vec<P>)>, CgError> {
        let cx = &*self.cx;
        match cell {
            P::Wild => Ok(None),
            P::List { items, start, rest } => match items.get(*start) {
                None => Ok(Some((0, vec![]))),
                Some(p) => Ok(Some((
                    1,
                    vec![
                        P::Pat(*p),
                        P::List {
                            items: items.clone(),
                            start: start + 1,
                            rest: *rest,
                        },
                    ],
                ))),
            },
            P::Pat(p) => {
                let kind = cx.module.pats.get(p.index()).map(|x| &x.kind);
                match kind {
                    Some(PatKind::Tuple(items)) => {
                        Ok(Some((0, items.iter().map(|i| P::Pat(*i)).collect())))
                    }
                    Some(PatKind::Ctor { args, .. }) => {
                        let Some(Resolution::Ctor { variant, .. }) = cx.typed.pat_resolution(*p)
                        else {
                            return Err(cx.internal("a constructor pattern without a constructor"));
                        };
                        Ok(Some((variant, args.iter().map(|a| P::Pat(*a)).collect())))
                    }
                    Some(PatKind::Struct { fields, .. }) => {
                        let names = field_names.first().cloned().unwrap_or_default();
                        let subs = names
                            .iter()
                            .map(|n| {
                                fields
                                    .iter()
                                    .find(|f| f.name.name == *n)
                                    .map_or(P::Wild, |f| P::Pat(f.pat))
                            })
                            .collect();
                        Ok(Some((0, subs)))
                    }
                    Some(PatKind::Unit) => Ok(None),
                    _ => Err(cx.internal("a pattern that does not fit its type")),
                }
            }
        }
    }

    /// A column of a data type: a switch on the tag (unless there is one
    /// variant), then the fields the patterns look at.
    fn adt(
        &mut self,
        rows: Vec<Row>,
        cols: Vec<usize>,
        c: usize,
        ty: &Ty,
        depth: usize,
        loaded: BTreeSet<usize>,
    ) -> Result<Tree, CgError> {
        let occ = cols[c];
        let (field_tys, field_names) = self.cx.variant_fields(ty)?;
        let nvariants = field_tys.len();
        let mut cases = Vec::with_capacity(nvariants);
        for (v, tys) in field_tys.iter().enumerate() {
            let arity = tys.len();
            let mut sub_rows = Vec::new();
            for row in &rows {
                let subs = match self.head(&row.cols[c], &field_names)? {
                    None => vec![P::Wild; arity],
                    Some((variant, subs)) if variant as usize == v => subs,
                    Some(_) => continue,
                };
                let mut r = row.clone();
                r.cols[c] = P::Wild;
                r.cols.extend(
                    subs.into_iter()
                        .chain(std::iter::repeat(P::Wild))
                        .take(arity),
                );
                sub_rows.push(r);
            }
            // Columns only for the fields some row looks at (a binding counts).
            let mut new_cols = cols.clone();
            for (i, fty) in tys.iter().enumerate() {
                let used = sub_rows
                    .iter()
                    .any(|r| !self.is_wild(r.cols.get(cols.len() + i)));
                if used {
                    let f = self.new_occ(fty.clone(), occ, i as u32);
                    new_cols.push(f);
                } else {
                    new_cols.push(usize::MAX);
                }
            }
            // Drop unused columns.
            let keep: Vec<bool> = new_cols.iter().map(|&o| o != usize::MAX).collect();
            let new_cols: Vec<usize> = new_cols.into_iter().filter(|&o| o != usize::MAX).collect();
            for r in &mut sub_rows {
                let cells = std::mem::take(&mut r.cols);
                r.cols = cells
                    .into_iter()
                    .zip(keep.iter().chain(std::iter::repeat(&true)))
                    .filter(|(_, k)| **k)
                    .map(|(p, _)| p)
                    .collect();
            }
            if sub_rows.is_empty() && nvariants > 1 {
                // Unreachable variant (its case is never taken by well-typed
                // exhaustive code); build a tree only if some row could reach it.
                return Err(self.cx.internal("a match that is not exhaustive"));
            }
            cases.push(self.build(sub_rows, new_cols, depth + 1, loaded.clone())?);
        }
        if nvariants == 1 {
            return cases
                .pop()
                .ok_or_else(|| self.cx.internal("a type without variants"));
        }
        Ok(Tree::Switch { occ, cases })
    }

    /// Whether a cell matches anything without binding (a `_`).
    fn is_wild(&self, cell: Option<&P>) -> bool {
        match cell {
            None | Some(P::Wild) => true,
            Some(P::Pat(p)) => matches!(
                self.cx.pat_kind(*p),
                Some(PatKind::Wildcard) | Some(PatKind::Error)
            ),
            Some(P::List { .. }) => false,
        }
    }
}

/// Per variant, its field types; for a struct, its field names.
type VariantFields = (Vec<Vec<Ty>>, Vec<Vec<String>>);

impl FnCx<'_, '_> {
    /// The kind of a pattern (cloned); a constant's name is the literal
    /// pattern of its value.
    pub(super) fn pat_kind(&self, p: PatId) -> Option<PatKind> {
        let kind = self.module.pats.get(p.index()).map(|x| x.kind.clone())?;
        if let PatKind::Ctor { .. } = kind
            && let Some(Resolution::Const(item)) = self.typed.pat_resolution(p)
        {
            return crate::types::consts::const_value(self.db, item).map(|v| v.as_pattern());
        }
        Some(kind)
    }

    /// Field types (per variant) and struct field names of a data type.
    pub(super) fn variant_fields(&mut self, ty: &Ty) -> Result<VariantFields, CgError> {
        match ty {
            Ty::Tuple(items) => Ok((vec![items.clone()], vec![])),
            Ty::Adt { item, args, .. } => {
                match crate::types::signatures::item_sig(self.db, *item) {
                    Some(crate::types::ItemSig::Struct(s)) => Ok((
                        vec![
                            s.fields
                                .iter()
                                .map(|(_, t)| super::units::mono(t, args))
                                .collect(),
                        ],
                        vec![s.fields.iter().map(|(n, _)| n.clone()).collect()],
                    )),
                    Some(crate::types::ItemSig::Enum(e)) => Ok((
                        e.variants
                            .iter()
                            .map(|v| {
                                v.fields
                                    .iter()
                                    .map(|t| super::units::mono(t, args))
                                    .collect()
                            })
                            .collect(),
                        vec![],
                    )),
                    _ => Err(self.internal("a pattern on an unknown type")),
                }
            }
            _ => Err(self.internal("a constructor pattern on a non-data type")),
        }
    }
}

/// Counts, per arm, the leaves of `tree` that reach it.
pub(super) fn count_leaves(tree: &Tree, counts: &mut [usize]) {
    let mut stack = vec![tree];
    while let Some(t) = stack.pop() {
        match t {
            Tree::Leaf { arm, .. } => {
                if let Some(c) = counts.get_mut(*arm) {
                    *c += 1;
                }
            }
            Tree::Load { next, .. } => stack.push(next),
            Tree::Switch { cases, .. } => stack.extend(cases.iter()),
            Tree::IfTrue { then, other, .. } | Tree::IfEq { then, other, .. } => {
                stack.push(then);
                stack.push(other);
            }
        }
    }
}
