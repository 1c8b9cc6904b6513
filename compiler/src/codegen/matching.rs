//! Pattern matching compiled to decision trees (Maranget's scheme, first
//! column of the first row): a `switch` on the tag of an enum or list, then
//! `field` loads of the variant's fields (only those some pattern looks
//! at); literals by compare-and-branch. The tree is built first, so each
//! arm knows how many leaves reach it: an arm reached once is compiled at
//! its leaf, with its variables bound to the registers the tree loaded; an
//! arm reached from several leaves is compiled once, after the tree, and
//! each leaf moves its bindings into the arm's registers and jumps there.

use std::collections::BTreeMap;

use vm_core::{Instr, Jump, Label, Reg};

use crate::syntax::ast::{Arm, ExprId, ExprKind, LetStmt, PatId, PatKind};
use crate::types::{LocalId, Resolution, Ty};

use super::diag::{self, CgError};
use super::expr::Dest;
use super::func::FnCx;

/// Most decision-tree nodes for one match.
const MAX_NODES: usize = 20_000;
/// Deepest decision tree (tests along one path).
const MAX_DEPTH: usize = 400;

/// A pattern in one cell of the matrix.
#[derive(Debug, Clone)]
enum P {
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
enum Lit {
    Int(i128),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Row {
    cols: Vec<P>,
    arm: usize,
    binds: Vec<(LocalId, usize)>,
}

#[derive(Debug)]
enum Tree {
    Leaf {
        arm: usize,
        binds: Vec<(LocalId, usize)>,
    },
    /// Loads fields into new occurrences (`(occ, parent, index, type)`), then goes on.
    Load {
        loads: Vec<(usize, usize, u32, Ty)>,
        next: Box<Tree>,
    },
    Switch {
        occ: usize,
        cases: Vec<Tree>,
    },
    IfTrue {
        occ: usize,
        then: Box<Tree>,
        other: Box<Tree>,
    },
    IfEq {
        occ: usize,
        lit: Lit,
        then: Box<Tree>,
        other: Box<Tree>,
    },
}

/// The tree builder's state: the occurrences (value, type) it names.
struct Builder<'a, 'c, 'db> {
    cx: &'a mut FnCx<'c, 'db>,
    occ_tys: Vec<Ty>,
    nodes: usize,
}

impl Builder<'_, '_, '_> {
    fn new_occ(&mut self, ty: Ty) -> usize {
        self.occ_tys.push(ty);
        self.occ_tys.len() - 1
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

    fn build(
        &mut self,
        mut rows: Vec<Row>,
        cols: Vec<usize>,
        depth: usize,
    ) -> Result<Tree, CgError> {
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
            return Ok(Tree::Leaf {
                arm: first.arm,
                binds: first.binds.clone(),
            });
        };
        let occ = cols[c];
        let ty = self.occ_tys.get(occ).cloned().unwrap_or(Ty::Unit);
        match &ty {
            Ty::Unit => {
                for row in &mut rows {
                    row.cols[c] = P::Wild;
                }
                self.build(rows, cols, depth + 1)
            }
            Ty::Bool => {
                let (yes, no) = self.split(&rows, c, |cx, p| match cx.pat_kind(p) {
                    Some(PatKind::Bool(b)) => Some(b),
                    _ => None,
                })?;
                let then = Box::new(self.build(yes, cols.clone(), depth + 1)?);
                let other = Box::new(self.build(no, cols, depth + 1)?);
                Ok(Tree::IfTrue { occ, then, other })
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
                let then = Box::new(self.build(yes, cols.clone(), depth + 1)?);
                let other = Box::new(self.build(no, cols, depth + 1)?);
                Ok(Tree::IfEq {
                    occ,
                    lit,
                    then,
                    other,
                })
            }
            Ty::Tuple(_) | Ty::Adt { .. } => self.adt(rows, cols, c, &ty, depth),
            _ => Err(self.cx.internal("a pattern on a value without patterns")),
        }
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
            // Load only the fields some row looks at (a binding counts).
            let mut loads = Vec::new();
            let mut new_cols = cols.clone();
            for (i, fty) in tys.iter().enumerate() {
                let used = sub_rows
                    .iter()
                    .any(|r| !self.is_wild(r.cols.get(cols.len() + i)));
                if used {
                    let f = self.new_occ(fty.clone());
                    loads.push((f, occ, i as u32, fty.clone()));
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
            let next = self.build(sub_rows, new_cols, depth + 1)?;
            cases.push(if loads.is_empty() {
                next
            } else {
                Tree::Load {
                    loads,
                    next: Box::new(next),
                }
            });
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
/// The occurrences a match starts from, and each arm's cells for them.
type Roots = (Vec<(Reg, Ty)>, Vec<Vec<P>>);

/// How a leaf continues.
enum Leaves<'a> {
    /// A `let`: bind and fall through.
    Bind,
    /// A `match`: run the arm.
    Arms {
        arms: &'a [Arm],
        dest: Dest,
        end: Label,
        counts: Vec<usize>,
        shared: BTreeMap<usize, (Label, Vec<(LocalId, Reg)>)>,
    },
}

impl FnCx<'_, '_> {
    /// The kind of a pattern (cloned).
    fn pat_kind(&self, p: PatId) -> Option<PatKind> {
        self.module.pats.get(p.index()).map(|x| x.kind.clone())
    }

    /// Field types (per variant) and struct field names of a data type.
    fn variant_fields(&mut self, ty: &Ty) -> Result<VariantFields, CgError> {
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

    /// The scrutinee's occurrences and each arm's first cells: the elements
    /// of a tuple literal matched by tuple patterns are matched in place
    /// (no tuple is built, and the verifier still sees each element's origin).
    fn roots(&mut self, scrutinee: ExprId, pats: &[PatId]) -> Result<Roots, CgError> {
        let module = self.module;
        if let Some(ExprKind::Tuple(items)) = module.exprs.get(scrutinee.index()).map(|e| &e.kind) {
            let fits = pats.iter().all(|p| match self.pat_kind(*p) {
                Some(PatKind::Tuple(ps)) => ps.len() == items.len(),
                Some(PatKind::Wildcard) => true,
                _ => false,
            });
            if fits {
                let mut roots = Vec::with_capacity(items.len());
                for item in items {
                    let r = self.value(*item)?;
                    // Patterns may bind it: it lives as long as a local.
                    self.keep(r);
                    roots.push((r, self.expr_ty(*item)));
                }
                let cells = pats
                    .iter()
                    .map(|p| match self.pat_kind(*p) {
                        Some(PatKind::Tuple(ps)) => ps.into_iter().map(P::Pat).collect(),
                        _ => vec![P::Wild; items.len()],
                    })
                    .collect();
                return Ok((roots, cells));
            }
        }
        let r = self.value(scrutinee)?;
        let ty = self.expr_ty(scrutinee);
        Ok((
            vec![(r, ty)],
            pats.iter().map(|p| vec![P::Pat(*p)]).collect(),
        ))
    }

    fn tree(
        &mut self,
        roots: &[(Reg, Ty)],
        cells: Vec<Vec<P>>,
    ) -> Result<(Tree, Vec<Option<Reg>>), CgError> {
        let mut b = Builder {
            cx: self,
            occ_tys: roots.iter().map(|(_, t)| t.clone()).collect(),
            nodes: 0,
        };
        let cols: Vec<usize> = (0..roots.len()).collect();
        let rows = cells
            .into_iter()
            .enumerate()
            .map(|(arm, cols)| Row {
                cols,
                arm,
                binds: vec![],
            })
            .collect();
        let tree = b.build(rows, cols, 0)?;
        let n = b.occ_tys.len();
        let mut regs: Vec<Option<Reg>> = roots.iter().map(|(r, _)| Some(*r)).collect();
        regs.resize(n, None);
        Ok((tree, regs))
    }

    /// `match scrutinee { arms }` into `dest`.
    pub fn compile_match(
        &mut self,
        scrutinee: ExprId,
        arms: &[Arm],
        dest: Dest,
    ) -> Result<(), CgError> {
        let pats: Vec<PatId> = arms.iter().map(|a| a.pat).collect();
        let (roots, cells) = self.roots(scrutinee, &pats)?;
        let (tree, mut regs) = self.tree(&roots, cells)?;
        let mut counts = vec![0usize; arms.len()];
        count_leaves(&tree, &mut counts);
        let end = self.label();
        let mut shared = BTreeMap::new();
        for (arm, &n) in counts.iter().enumerate() {
            if n > 1 {
                let label = self.label();
                let mut binds = Vec::new();
                if let Some(a) = arms.get(arm) {
                    for local in self.pattern_locals(a.pat) {
                        let ty = self
                            .typed
                            .local(local)
                            .map(|l| l.ty.clone())
                            .unwrap_or(Ty::Unit);
                        binds.push((local, self.reg(&ty)?));
                    }
                }
                shared.insert(arm, (label, binds));
            }
        }
        let mut leaves = Leaves::Arms {
            arms,
            dest,
            end,
            counts,
            shared,
        };
        self.emit_tree(&tree, &mut regs, &mut leaves)?;
        if let Leaves::Arms { shared, .. } = leaves {
            for (arm, (label, binds)) in shared {
                self.bind(label);
                for (local, r) in binds {
                    self.locals.insert(local, r);
                }
                if let Some(a) = arms.get(arm) {
                    self.compile(a.body, dest)?;
                    if dest != Dest::Tail {
                        self.jmp(end);
                    }
                }
            }
        }
        self.bind(end);
        Ok(())
    }

    /// `let pat = value;`: binds the pattern's variables.
    pub fn let_stmt(&mut self, stmt: &LetStmt) -> Result<(), CgError> {
        let saved = self.span;
        self.span = stmt.span;
        let r = self.let_inner(stmt);
        self.span = saved;
        r
    }

    fn let_inner(&mut self, stmt: &LetStmt) -> Result<(), CgError> {
        match self.pat_kind(stmt.pat) {
            Some(PatKind::Bind(_)) => {
                let r = self.value(stmt.value)?;
                self.keep(r);
                if let Some(local) = self.typed.pat_locals.get(&stmt.pat).copied() {
                    self.locals.insert(local, r);
                }
                Ok(())
            }
            _ => {
                let (roots, cells) = self.roots(stmt.value, &[stmt.pat])?;
                let (tree, mut regs) = self.tree(&roots, cells)?;
                self.emit_tree(&tree, &mut regs, &mut Leaves::Bind)
            }
        }
    }

    /// The variables a pattern binds, in `LocalId` order.
    fn pattern_locals(&self, pat: PatId) -> Vec<LocalId> {
        let mut out = Vec::new();
        let mut stack = vec![pat];
        while let Some(p) = stack.pop() {
            if let Some(local) = self.typed.pat_locals.get(&p) {
                out.push(*local);
            }
            if let Some(x) = self.module.pats.get(p.index()) {
                x.kind.for_each_child(|c| stack.push(c));
            }
        }
        out.sort();
        out
    }

    fn emit_tree(
        &mut self,
        tree: &Tree,
        regs: &mut Vec<Option<Reg>>,
        leaves: &mut Leaves<'_>,
    ) -> Result<(), CgError> {
        let occ_reg = |regs: &Vec<Option<Reg>>, o: usize, cx: &Self| {
            regs.get(o)
                .copied()
                .flatten()
                .ok_or_else(|| cx.internal("an occurrence without a register"))
        };
        match tree {
            Tree::Leaf { arm, binds } => match leaves {
                Leaves::Bind => {
                    for (local, o) in binds {
                        let r = occ_reg(regs, *o, self)?;
                        self.locals.insert(*local, r);
                    }
                    Ok(())
                }
                Leaves::Arms {
                    arms,
                    dest,
                    end,
                    counts,
                    shared,
                } => {
                    let (dest, end) = (*dest, *end);
                    if counts.get(*arm).copied().unwrap_or(0) > 1 {
                        let Some((label, targets)) = shared.get(arm).cloned() else {
                            return Err(self.internal("a shared arm without a label"));
                        };
                        for (local, o) in binds {
                            let s = occ_reg(regs, *o, self)?;
                            if let Some((_, d)) = targets.iter().find(|(l, _)| l == local) {
                                self.emit(Instr::Mov { d: *d, s });
                            }
                        }
                        self.jmp(label);
                        return Ok(());
                    }
                    for (local, o) in binds {
                        let r = occ_reg(regs, *o, self)?;
                        self.locals.insert(*local, r);
                    }
                    let Some(a) = arms.get(*arm) else {
                        return Err(self.internal("a leaf without an arm"));
                    };
                    let body = a.body;
                    self.compile(body, dest)?;
                    if dest != Dest::Tail {
                        self.jmp(end);
                    }
                    Ok(())
                }
            },
            Tree::Load { loads, next } => {
                for (f, parent, i, ty) in loads {
                    let (f, i) = (*f, *i);
                    let s = occ_reg(regs, *parent, self)?;
                    let d = self.reg(ty)?;
                    self.emit(Instr::Field { d, s, i });
                    if let Some(slot) = regs.get_mut(f) {
                        *slot = Some(d);
                    }
                }
                self.emit_tree(next, regs, leaves)
            }
            Tree::Switch { occ, cases } => {
                if matches!(leaves, Leaves::Bind) {
                    return Err(self.internal("a refutable `let`"));
                }
                let s = occ_reg(regs, *occ, self)?;
                let labels: Vec<Label> = cases.iter().map(|_| self.label()).collect();
                self.switch(s, &labels);
                for (case, label) in cases.iter().zip(labels) {
                    self.bind(label);
                    self.emit_tree(case, regs, leaves)?;
                }
                Ok(())
            }
            Tree::IfTrue { occ, then, other } => {
                let c = occ_reg(regs, *occ, self)?;
                let l = self.label();
                self.emit_to(Instr::BrIfNot { c, t: Jump(0) }, &[l]);
                self.emit_tree(then, regs, leaves)?;
                self.bind(l);
                self.emit_tree(other, regs, leaves)
            }
            Tree::IfEq {
                occ,
                lit,
                then,
                other,
            } => {
                let a = occ_reg(regs, *occ, self)?;
                let l = self.label();
                match lit {
                    Lit::Int(v) if i64::try_from(*v).is_ok() => {
                        let k = i64::try_from(*v).unwrap_or(0);
                        self.emit_to(Instr::BrNeI { a, k, t: Jump(0) }, &[l]);
                    }
                    _ => {
                        let (ty, konst) = match lit {
                            Lit::Int(v) => (vm_core::Ty::Int, vm_core::Const::Int(*v)),
                            Lit::Bytes(b) => (vm_core::Ty::Bytes, vm_core::Const::Bytes(b.clone())),
                        };
                        let k = self.cg.mb.constant(konst);
                        let b = self.reg_vm(ty)?;
                        self.emit(Instr::Const { d: b, k });
                        let c = self.reg_vm(vm_core::Ty::Bool)?;
                        self.emit(Instr::Eq { d: c, a, b });
                        self.emit_to(Instr::BrIfNot { c, t: Jump(0) }, &[l]);
                    }
                }
                self.emit_tree(then, regs, leaves)?;
                self.bind(l);
                self.emit_tree(other, regs, leaves)
            }
        }
    }
}

fn count_leaves(tree: &Tree, counts: &mut [usize]) {
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
