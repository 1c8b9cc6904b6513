//! Pattern matching: `match` and destructuring `let` compiled through a
//! decision tree ([`super::tree`]). The tree is built first, so each arm
//! knows how many leaves reach it: an arm reached once is compiled at
//! its leaf, with its variables bound to the registers the tree loaded; an
//! arm reached from several leaves is compiled once, after the tree, and
//! each leaf moves its bindings into the arm's registers and jumps there.

use std::collections::BTreeMap;

use vm_core::format::{Instr, Jump, Label, Reg};

use crate::syntax::ast::{Arm, ExprId, ExprKind, LetStmt, PatId, PatKind};
use crate::types::{LocalId, Ty};

use super::diag::CgError;
use super::expr::Dest;
use super::func::FnCx;

use super::tree::{Builder, Lit, P, Row, Tree, count_leaves};

/// The occurrences a match starts from, and each arm's cells for them.
type Roots = (Vec<(Reg, Ty)>, Vec<Vec<P>>);

/// How a leaf continues.
enum Leaves<'a> {
    /// A `let`: bind and fall through.
    Bind,
    /// A `let ... else` (arm 0: the pattern, arm 1: anything else): the
    /// pattern's leaves move their bindings into `binds` and jump to `cont`;
    /// the others run the `else` block, which fails.
    LetElse {
        else_branch: ExprId,
        cont: Label,
        binds: Vec<(LocalId, Reg)>,
    },
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
            occ_defs: vec![None; roots.len()],
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
        let tree = b.build(rows, cols, 0, (0..roots.len()).collect())?;
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
                let binds = match arms.get(arm) {
                    Some(a) => self.binding_registers(a.pat)?,
                    None => Vec::new(),
                };
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
        if let Some(else_branch) = stmt.else_branch {
            return self.let_else(stmt, else_branch);
        }
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

    /// `let PAT = value else { fail(..) };`: a match of the pattern and a
    /// wildcard; after it, the pattern's locals are in fresh registers.
    fn let_else(&mut self, stmt: &LetStmt, else_branch: ExprId) -> Result<(), CgError> {
        let (roots, mut cells) = self.roots(stmt.value, &[stmt.pat])?;
        let width = cells.first().map_or(1, Vec::len);
        cells.push(vec![P::Wild; width]);
        let (tree, mut regs) = self.tree(&roots, cells)?;
        let binds = self.binding_registers(stmt.pat)?;
        let cont = self.label();
        let mut leaves = Leaves::LetElse {
            else_branch,
            cont,
            binds: binds.clone(),
        };
        self.emit_tree(&tree, &mut regs, &mut leaves)?;
        self.bind(cont);
        for (local, r) in binds {
            self.locals.insert(local, r);
        }
        Ok(())
    }

    /// A fresh register for each variable `pat` binds (for code reached
    /// from several leaves, which move their bindings there).
    fn binding_registers(&mut self, pat: PatId) -> Result<Vec<(LocalId, Reg)>, CgError> {
        let mut binds = Vec::new();
        for local in self.pattern_locals(pat) {
            let ty = self
                .typed
                .local(local)
                .map(|l| l.ty.clone())
                .unwrap_or(Ty::Unit);
            binds.push((local, self.reg(&ty)?));
        }
        Ok(binds)
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
                Leaves::LetElse {
                    else_branch,
                    cont,
                    binds: targets,
                } => {
                    if *arm == 0 {
                        for (local, o) in binds {
                            let s = occ_reg(regs, *o, self)?;
                            if let Some((_, d)) = targets.iter().find(|(l, _)| l == local) {
                                self.emit(Instr::Mov { d: *d, s });
                            }
                        }
                        self.jmp(*cont);
                    } else {
                        // It fails: nothing after it runs.
                        let r = self.value(*else_branch)?;
                        self.release(r);
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
                            Lit::Int(v) => (vm_core::Ty::Int, vm_core::format::Const::Int(*v)),
                            Lit::Bytes(b) => {
                                (vm_core::Ty::Bytes, vm_core::format::Const::Bytes(b.clone()))
                            }
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
