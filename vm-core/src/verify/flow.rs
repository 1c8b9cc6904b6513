//! The per-function forward dataflow pass and lowering to [`Op`]s.
//!
//! Jumps only go forward, so one pass in code order visits every
//! instruction after all of its predecessors: the state at a jump target is
//! the merge of the states of the jumps to it (kept in a pending map) and of
//! the fall-through. The state tracks, per register: initialised or not, the
//! variant known by a `switch` (or `con`), and its *origin* — "no larger
//! than parameter p's entry value" or "strictly smaller" — and, per Int
//! parameter, a proven lower bound of its entry value. Calls inside a
//! call-graph cycle record a size-change edge from these facts.

use std::collections::BTreeMap;

use super::output::Output;
use super::size::{Sizes, UNKNOWN, measured};
use crate::crypto::{HashFn, SigScheme};
use crate::error::{Place, VerifyError, VerifyErrorKind};
use crate::isa::{Instr, Jump, Reg};
use crate::module::{Const, Function, Module};
use crate::program::{FuncInfo, Op, Program, nullary_slot};
use crate::types::{Ty, type_name};

const NONE: u32 = u32::MAX;

/// What is known about one register at one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fact {
    defined: bool,
    /// Parameter whose entry value bounds this value, or `NONE`.
    origin: u32,
    /// The bound is strict (for ADTs: a proper subterm; for Ints: less than).
    strict: bool,
    /// Known variant, or `NONE`.
    tag: u32,
    /// `KONST`: this Int register holds `val`. `GT`/`GE`/`LT`/`LE`: this Bool
    /// register holds `x REL val` for some `x` no larger than the entry value
    /// of parameter `origin`. `0`: nothing known.
    info: u8,
    val: i64,
}

/// Register facts shared with the bound analysis (`crate::bound::pass`):
/// an Int register holds a known constant, or a Bool register holds a
/// comparison of a measured Int with a constant.
pub(crate) const KONST: u8 = 1;
/// See [`KONST`]: `x > val`.
pub(crate) const GT: u8 = 2;
/// See [`KONST`]: `x >= val`.
pub(crate) const GE: u8 = 3;
/// See [`KONST`]: `x < val`.
pub(crate) const LT: u8 = 4;
/// See [`KONST`]: `x <= val`.
pub(crate) const LE: u8 = 5;

/// The comparison fact of `!c` for a Bool `c` with fact `info` (0 if none).
pub(crate) fn negated(info: u8) -> u8 {
    match info {
        GT => LE,
        GE => LT,
        LT => GE,
        LE => GT,
        _ => 0,
    }
}

const UNDEF: Fact = Fact {
    defined: false,
    origin: NONE,
    strict: false,
    tag: NONE,
    info: 0,
    val: 0,
};
pub(super) const PLAIN: Fact = Fact {
    defined: true,
    origin: NONE,
    strict: false,
    tag: NONE,
    info: 0,
    val: 0,
};

/// The lower bound (`>=`) on `x` when the condition `x REL val` has `truth`.
fn cond_lb(rel: u8, val: i64, truth: bool) -> Option<i128> {
    let v = i128::from(val);
    match (rel, truth) {
        (GT, true) | (LE, false) => Some(v + 1),
        (GE, true) | (LT, false) => Some(v),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct State {
    regs: Vec<Fact>,
    /// Per parameter: a proven lower bound (`>=`) of its entry value (Int parameters only).
    lb: Vec<Option<i128>>,
    /// Per register: its size form ([`super::size`]), or `UNKNOWN`; empty
    /// outside recursive functions (no call there needs one).
    forms: Vec<u32>,
    /// The variant known of each size atom (by a `switch`).
    tags: BTreeMap<u32, u32>,
}

impl State {
    fn merge(&mut self, o: &State) {
        for (a, b) in self.regs.iter_mut().zip(&o.regs) {
            a.defined &= b.defined;
            if a.origin != b.origin {
                a.origin = NONE;
                a.strict = false;
            } else {
                a.strict &= b.strict;
            }
            if a.tag != b.tag {
                a.tag = NONE;
            }
            if a.info != b.info || a.val != b.val || (a.info > KONST && a.origin == NONE) {
                a.info = 0;
            }
        }
        for (a, b) in self.lb.iter_mut().zip(&o.lb) {
            *a = match (*a, *b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                _ => None,
            };
        }
        for (a, b) in self.forms.iter_mut().zip(&o.forms) {
            if a != b {
                *a = UNKNOWN;
            }
        }
        self.tags.retain(|atom, tag| o.tags.get(atom) == Some(tag));
    }

    /// The size form of register `r`.
    fn form(&self, r: Reg) -> u32 {
        self.forms.get(r.0 as usize).copied().unwrap_or(UNKNOWN)
    }

    /// Sets the size form of register `r` (if forms are tracked).
    fn set_form(&mut self, r: Reg, form: u32) {
        if let Some(slot) = self.forms.get_mut(r.0 as usize) {
            *slot = form;
        }
    }
}

/// Relation of one argument of a call to one parameter of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arc {
    /// Caller parameter.
    pub src: u16,
    /// Callee parameter (argument position).
    pub dst: u16,
    /// Strictly smaller (else no larger).
    pub strict: bool,
}

/// A call between two functions of one call-graph cycle, with its size-change arcs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallEdge {
    pub from: u32,
    pub to: u32,
    pub pc: u32,
    pub arcs: Vec<Arc>,
}

pub(super) struct Ctx<'a> {
    pub(super) m: &'a Module,
    f: &'a Function,
    fi: u32,
    pc: u32,
}

impl Ctx<'_> {
    /// The ADT index of `ty` if it is an ADT that code may take apart (not a map).
    fn open_adt(&self, ty: Ty, _reg: u32) -> Option<u32> {
        match ty {
            Ty::Adt(i) if crate::types::map_types(ty, &self.m.adts).is_none() => Some(i),
            _ => None,
        }
    }

    pub(super) fn err(&self, kind: VerifyErrorKind) -> VerifyError {
        VerifyError {
            place: Place::Code {
                func: self.fi,
                name: self.f.name.clone(),
                pc: self.pc,
            },
            kind,
        }
    }

    pub(super) fn mismatch(&self, reg: u32, found: Ty, expected: Ty) -> VerifyError {
        self.err(VerifyErrorKind::TypeMismatch {
            reg,
            found: type_name(found, &self.m.adts),
            expected: type_name(expected, &self.m.adts),
        })
    }

    /// The declared type of a register (operands are range-checked already).
    fn ty(&self, r: Reg) -> Result<Ty, VerifyError> {
        self.f
            .reg_type(r.0)
            .ok_or_else(|| self.err(VerifyErrorKind::BadRegister(r.0)))
    }

    pub(super) fn read(&self, st: &State, r: Reg, want: Option<Ty>) -> Result<Ty, VerifyError> {
        let t = self.ty(r)?;
        if !st.regs.get(r.0 as usize).is_some_and(|f| f.defined) {
            return Err(self.err(VerifyErrorKind::Uninitialised(r.0)));
        }
        match want {
            Some(w) if w != t => Err(self.mismatch(r.0, t, w)),
            _ => Ok(t),
        }
    }

    pub(super) fn write(
        &self,
        st: &mut State,
        r: Reg,
        ty: Ty,
        fact: Fact,
    ) -> Result<u16, VerifyError> {
        let t = self.ty(r)?;
        if t != ty {
            return Err(self.mismatch(r.0, t, ty));
        }
        if let Some(slot) = st.regs.get_mut(r.0 as usize) {
            *slot = fact;
        }
        // A written register's size form is unknown unless the caller sets it.
        st.set_form(r, UNKNOWN);
        Ok(r.0 as u16)
    }

    fn target(&self, j: Jump) -> usize {
        (self.pc as i64 + 1 + i64::from(j.0)) as usize
    }
}

fn pend(pending: &mut BTreeMap<usize, State>, at: usize, st: State) {
    match pending.get_mut(&at) {
        Some(p) => p.merge(&st),
        None => {
            pending.insert(at, st);
        }
    }
}

/// The lower bound `a >= L` implied by a compare-with-immediate outcome.
fn implied_lb(op: &Instr, taken: bool) -> Option<i128> {
    let (k, kind) = match op {
        Instr::BrLtI { k, .. } => (*k, 0),
        Instr::BrLeI { k, .. } => (*k, 1),
        Instr::BrGtI { k, .. } => (*k, 2),
        Instr::BrGeI { k, .. } => (*k, 3),
        Instr::BrEqI { k, .. } => (*k, 4),
        Instr::BrNeI { k, .. } => (*k, 5),
        _ => return None,
    };
    let k = i128::from(k);
    match (kind, taken) {
        (0, false) | (3, true) | (4, true) | (5, false) => Some(k), // a >= k, a == k
        (1, false) | (2, true) => Some(k + 1),                      // a > k
        _ => None,
    }
}

/// Raises the lower bound of parameter `origin` to `l` (if both are known).
fn raise(lb: &mut [Option<i128>], origin: u32, l: Option<i128>) {
    if let (Some(l), Some(slot)) = (l, lb.get_mut(origin as usize)) {
        *slot = Some(slot.map_or(l, |o| o.max(l)));
    }
}

/// The lower bound known of an Int register exactly equal to a parameter's
/// entry value: its origin is not strict (the parameter, a `mov` or an
/// `add.i 0` of it).
fn exact_lb(lb: &[Option<i128>], x: Fact) -> Option<i128> {
    if x.origin == NONE || x.strict {
        return None;
    }
    lb.get(x.origin as usize).copied().flatten()
}

/// Non-constant Int descent: the parameter that `a - b` (`b` exactly a
/// parameter known `>= 1`), `a / k` (`a`'s origin known `>= 1`, a constant
/// `k >= 2`) or `a % b` (`b` exactly a parameter known `>= 1`: its own
/// origin) is strictly smaller than.
fn int_descent(ins: &Instr, lb: &[Option<i128>], fa: Fact, fb: Fact) -> Option<u32> {
    match ins {
        Instr::Sub { .. } if fa.origin != NONE && exact_lb(lb, fb)? >= 1 => Some(fa.origin),
        Instr::Div { .. }
            if fa.origin != NONE
                && fb.info == KONST
                && fb.val >= 2
                && lb.get(fa.origin as usize).copied().flatten()? >= 1 =>
        {
            Some(fa.origin)
        }
        Instr::Rem { .. } if exact_lb(lb, fb)? >= 1 => Some(fb.origin),
        _ => None,
    }
}

/// The type of field `index` of variant `tag` of the ADT `ty`.
fn field_ty(m: &Module, ty: Ty, tag: u32, index: u32) -> Option<Ty> {
    let Ty::Adt(ai) = ty else { return None };
    let v = m.adts.get(ai as usize)?.variants.get(tag as usize)?;
    Some(v.fields.get(index as usize)?.ty)
}

/// A test of one output bound: `keeps(sizes, tags, key, i)` says whether
/// the value returned (`key: None`) or its field `(variant, index, type)`
/// (`Some`) is no larger than parameter `i`.
type Keeps<'k> = dyn Fn(&mut Sizes, &BTreeMap<u32, u32>, Option<(u32, u32, Ty)>, u32) -> bool + 'k;

/// Removes from `c` the bounds a returned value does not keep.
fn refute(
    m: &Module,
    result: Ty,
    sizes: &mut Sizes,
    tags: &BTreeMap<u32, u32>,
    c: &mut Output,
    keeps: &Keeps<'_>,
) {
    c.whole.retain(|&i| keeps(sizes, tags, None, u32::from(i)));
    for (&(tag, index), ps) in c.fields.iter_mut() {
        let Some(ty) = field_ty(m, result, tag, index) else {
            ps.clear();
            continue;
        };
        ps.retain(|&i| keeps(sizes, tags, Some((tag, index, ty)), u32::from(i)));
    }
}

/// Checks one function and appends its lowered code to `program`. Calls
/// of functions with `outputs` get results of bounded size; with `collect`
/// (the bounds assumed of this function), removes those a `ret` or a tail
/// call does not keep ([`super::output`]).
pub(crate) fn check_function(
    m: &Module,
    fi: usize,
    comp: &[u32],
    outputs: &[Output],
    mut collect: Option<&mut Output>,
    program: &mut Program,
    edges: &mut Vec<CallEdge>,
) -> Result<(), VerifyError> {
    let f = &m.functions[fi];
    let base = program.ops.len() as u32;
    program.funcs.push(FuncInfo {
        entry: base,
        nparams: f.params.len() as u16,
    });
    let mut regs = vec![UNDEF; f.nregs()];
    for (p, slot) in regs.iter_mut().enumerate().take(f.params.len()) {
        *slot = Fact {
            origin: p as u32,
            ..PLAIN
        };
    }
    // Size forms only matter for calls inside a call-graph cycle.
    let recursive = comp.iter().filter(|&&c| comp.get(fi) == Some(&c)).count() > 1
        || f.code.iter().any(|i| {
            matches!(i, Instr::Call { f: g, .. } | Instr::TailCall { f: g, .. } if g.0 as usize == fi)
        });
    let mut sizes = Sizes::new(f);
    let forms = if recursive || collect.is_some() {
        (0..f.nregs())
            .map(|r| match f.params.get(r) {
                Some(&ty) if measured(ty) => r as u32,
                _ => UNKNOWN,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut cur = Some(State {
        regs,
        lb: vec![None; f.params.len()],
        forms,
        tags: BTreeMap::new(),
    });
    let mut pending: BTreeMap<usize, State> = BTreeMap::new();
    let mut ctx = Ctx {
        m,
        f,
        fi: fi as u32,
        pc: 0,
    };
    for (pc, ins) in f.code.iter().enumerate() {
        ctx.pc = pc as u32;
        if let Some(p) = pending.remove(&pc) {
            match cur.as_mut() {
                Some(c) => {
                    // Two forms meet: a value no larger than both (see `Sizes::join`).
                    let joined: Vec<u32> = c
                        .forms
                        .iter()
                        .zip(&p.forms)
                        .enumerate()
                        .map(|(r, (&a, &b))| match f.reg_type(r as u32) {
                            Some(ty) if a != b => sizes.join(a, b, ty),
                            _ => a,
                        })
                        .collect();
                    c.merge(&p);
                    c.forms = joined;
                }
                None => cur = Some(p),
            }
        }
        let Some(st) = cur.as_mut() else {
            program.ops.push(Op::Unreachable {});
            program.op_gas.push(0);
            continue;
        };
        let abs = |j: Jump| base + ctx.target(j) as u32;
        let r16 = |r: Reg| r.0 as u16;
        let mut falls = true;
        let op = match ins {
            Instr::Ret { a } => {
                ctx.read(st, *a, Some(f.result))?;
                if let Some(c) = collect.as_deref_mut() {
                    let form = st.form(*a);
                    refute(
                        m,
                        f.result,
                        &mut sizes,
                        &st.tags,
                        c,
                        &|sizes, tags, key, i| {
                            let part = match key {
                                None => form,
                                Some((tag, index, ty)) => match sizes.part(form, tag, index, ty) {
                                    None => return true,
                                    Some(p) => p,
                                },
                            };
                            if part == UNKNOWN {
                                return false;
                            }
                            let mut tags = tags.clone();
                            if let (Some((tag, ..)), Some(atom)) = (key, sizes.as_atom(form)) {
                                tags.insert(atom, tag);
                            }
                            sizes.compare(m, &tags, part, i).is_some()
                        },
                    );
                }
                falls = false;
                Op::Ret { a: r16(*a) }
            }
            Instr::Jmp { t } => {
                pend(&mut pending, ctx.target(*t), st.clone());
                falls = false;
                Op::Jmp { t: abs(*t) }
            }
            Instr::BrIf { c, t } | Instr::BrIfNot { c, t } => {
                ctx.read(st, *c, Some(Ty::Bool))?;
                // A comparison against a constant gives a lower bound on one edge.
                let cf = st.regs[c.0 as usize];
                let taken_truth = matches!(ins, Instr::BrIf { .. });
                let mut taken = st.clone();
                if cf.info > KONST {
                    for (s, truth) in [(&mut taken, taken_truth), (&mut *st, !taken_truth)] {
                        if let (Some(l), Some(slot)) = (
                            cond_lb(cf.info, cf.val, truth),
                            s.lb.get_mut(cf.origin as usize),
                        ) {
                            *slot = Some(slot.map_or(l, |o| o.max(l)));
                        }
                    }
                }
                pend(&mut pending, ctx.target(*t), taken);
                if matches!(ins, Instr::BrIf { .. }) {
                    Op::BrIf {
                        c: r16(*c),
                        t: abs(*t),
                    }
                } else {
                    Op::BrIfNot {
                        c: r16(*c),
                        t: abs(*t),
                    }
                }
            }
            Instr::BrLtI { a, k, t }
            | Instr::BrLeI { a, k, t }
            | Instr::BrGtI { a, k, t }
            | Instr::BrGeI { a, k, t }
            | Instr::BrEqI { a, k, t }
            | Instr::BrNeI { a, k, t } => {
                ctx.read(st, *a, Some(Ty::Int))?;
                let origin = st.regs[a.0 as usize].origin;
                let mut taken = st.clone();
                for (s, is_taken) in [(&mut taken, true), (&mut *st, false)] {
                    if let (Some(l), Some(slot)) =
                        (implied_lb(ins, is_taken), s.lb.get_mut(origin as usize))
                    {
                        *slot = Some(slot.map_or(l, |o| o.max(l)));
                    }
                }
                pend(&mut pending, ctx.target(*t), taken);
                let (a, k, t) = (r16(*a), *k, abs(*t));
                match ins {
                    Instr::BrLtI { .. } => Op::BrLtI { a, k, t },
                    Instr::BrLeI { .. } => Op::BrLeI { a, k, t },
                    Instr::BrGtI { .. } => Op::BrGtI { a, k, t },
                    Instr::BrGeI { .. } => Op::BrGeI { a, k, t },
                    Instr::BrEqI { .. } => Op::BrEqI { a, k, t },
                    _ => Op::BrNeI { a, k, t },
                }
            }
            Instr::BrLt { a, b, t } | Instr::BrLe { a, b, t } => {
                ctx.read(st, *a, Some(Ty::Int))?;
                ctx.read(st, *b, Some(Ty::Int))?;
                // `a < b` with `a` exactly a parameter known `>= L`: `b > L`
                // on the taken edge; `a >= b` with `b` such: `a >= L` on the
                // fall-through (`<=`: the other way round).
                let (fa, fb) = (st.regs[a.0 as usize], st.regs[b.0 as usize]);
                let le = matches!(ins, Instr::BrLe { .. });
                let step = |strict: bool, l: i128| if strict { l.checked_add(1) } else { Some(l) };
                let on_taken = exact_lb(&st.lb, fa).and_then(|l| step(!le, l));
                let on_fall = exact_lb(&st.lb, fb).and_then(|l| step(le, l));
                let mut taken = st.clone();
                raise(&mut taken.lb, fb.origin, on_taken);
                raise(&mut st.lb, fa.origin, on_fall);
                pend(&mut pending, ctx.target(*t), taken);
                let (a, b, t) = (r16(*a), r16(*b), abs(*t));
                if matches!(ins, Instr::BrLt { .. }) {
                    Op::BrLt { a, b, t }
                } else {
                    Op::BrLe { a, b, t }
                }
            }
            Instr::Switch { s, t } => {
                let ty = ctx.read(st, *s, None)?;
                let Some(ai) = ctx.open_adt(ty, s.0) else {
                    return Err(ctx.err(VerifyErrorKind::TypeMismatch {
                        reg: s.0,
                        found: type_name(ty, &m.adts),
                        expected: "an ADT that is not a map".into(),
                    }));
                };
                let nv = m.adts[ai as usize].variants.len();
                if t.len() != nv {
                    return Err(ctx.err(VerifyErrorKind::SwitchArity {
                        found: t.len() as u32,
                        expected: nv as u32,
                    }));
                }
                let table = program.switch_targets.len() as u32;
                let atom = sizes.as_atom(st.form(*s));
                for (v, j) in t.iter().enumerate() {
                    let mut s2 = st.clone();
                    s2.regs[s.0 as usize].tag = v as u32;
                    if let Some(a) = atom {
                        s2.tags.insert(a, v as u32);
                    }
                    pend(&mut pending, ctx.target(*j), s2);
                    program.switch_targets.push(abs(*j));
                }
                falls = false;
                Op::Switch { s: r16(*s), table }
            }
            Instr::Call {
                f: callee, args, ..
            }
            | Instr::TailCall { f: callee, args } => {
                let g = &m.functions[callee.0 as usize];
                if args.len() != g.params.len() {
                    return Err(ctx.err(VerifyErrorKind::ArityMismatch {
                        func: callee.0,
                        found: args.len() as u32,
                        expected: g.params.len() as u32,
                    }));
                }
                let mut arcs = Vec::new();
                for (j, (&a, &pt)) in args.iter().zip(&g.params).enumerate() {
                    ctx.read(st, a, Some(pt))?;
                    let fact = st.regs[a.0 as usize];
                    if fact.origin != NONE && matches!(pt, Ty::Int | Ty::Adt(_)) {
                        let strict = match pt {
                            Ty::Int => {
                                fact.strict
                                    && st.lb.get(fact.origin as usize).is_some_and(|l| l.is_some())
                            }
                            _ => fact.strict,
                        };
                        arcs.push(Arc {
                            src: fact.origin as u16,
                            dst: j as u16,
                            strict,
                        });
                    }
                    // The size order: a value rebuilt from parts, or a constant.
                    let form = st.form(a);
                    if form != UNKNOWN && measured(pt) && comp[fi] == comp[callee.0 as usize] {
                        for (i, &qt) in f.params.iter().enumerate() {
                            if !measured(qt) {
                                continue;
                            }
                            if let Some(strict) = sizes.compare(m, &st.tags, form, i as u32) {
                                arcs.push(Arc {
                                    src: i as u16,
                                    dst: j as u16,
                                    strict,
                                });
                            }
                        }
                    }
                }
                let out = outputs.get(callee.0 as usize);
                let arg_form =
                    |st: &State, j: u16| args.get(j as usize).map_or(UNKNOWN, |r| st.form(*r));
                if let (Instr::TailCall { .. }, Some(c), Some(out)) =
                    (ins, collect.as_deref_mut(), out)
                {
                    refute(
                        m,
                        f.result,
                        &mut sizes,
                        &st.tags,
                        c,
                        &|sizes, tags, key, i| {
                            let params = match key {
                                None => &out.whole,
                                Some((tag, index, _)) => match out.fields.get(&(tag, index)) {
                                    Some(ps) => ps,
                                    None => return false,
                                },
                            };
                            params.iter().any(|&j| {
                                let form = arg_form(st, j);
                                form != UNKNOWN && sizes.compare(m, tags, form, i).is_some()
                            })
                        },
                    );
                }
                if comp[fi] == comp[callee.0 as usize] {
                    edges.push(CallEdge {
                        from: fi as u32,
                        to: callee.0,
                        pc: pc as u32,
                        arcs,
                    });
                }
                let start = program.arg_regs.len() as u32;
                program.arg_regs.extend(args.iter().map(|r| r16(*r)));
                // Small calls carry their arguments inline; `entry` holds the
                // callee's index until `resolve_calls` patches it.
                let small = (args.len() <= 3).then(|| {
                    let mut a = [0u16; 3];
                    for (slot, r) in a.iter_mut().zip(args) {
                        *slot = r16(*r);
                    }
                    (a, args.len() as u8)
                });
                // The caller's frame size: how far up the callee's window starts.
                let up = f.nregs() as u16;
                match ins {
                    Instr::Call { d, .. } => {
                        ctx.write(st, *d, g.result, PLAIN)?;
                        if !st.forms.is_empty()
                            && measured(g.result)
                            && let Some(out) = out
                        {
                            let first = |ps: &std::collections::BTreeSet<u16>| {
                                ps.iter()
                                    .map(|&j| arg_form(st, j))
                                    .find(|&x| x != UNKNOWN)
                                    .unwrap_or(UNKNOWN)
                            };
                            let form = sizes.bounded(g.result, first(&out.whole));
                            for (&(tag, index), ps) in &out.fields {
                                if let Some(ty) = field_ty(m, g.result, tag, index) {
                                    sizes.bound_field(form, tag, index, ty, first(ps));
                                }
                            }
                            st.set_form(*d, form);
                        }
                        match small {
                            Some((a, n)) => Op::CallS {
                                d: r16(*d),
                                up,
                                entry: callee.0,
                                a,
                                n,
                            },
                            None => Op::Call {
                                d: r16(*d),
                                up,
                                f: callee.0,
                                args: start,
                            },
                        }
                    }
                    _ => {
                        if g.result != f.result {
                            return Err(ctx.err(VerifyErrorKind::TailCallType {
                                found: type_name(g.result, &m.adts),
                                expected: type_name(f.result, &m.adts),
                            }));
                        }
                        falls = false;
                        match small {
                            Some((a, n)) => Op::TailCallS {
                                entry: callee.0,
                                a,
                                n,
                            },
                            None => Op::TailCall {
                                f: callee.0,
                                args: start,
                            },
                        }
                    }
                }
            }
            Instr::Mov { d, s } => {
                let t = ctx.read(st, *s, None)?;
                let fact = st.regs[s.0 as usize];
                let form = st.form(*s);
                let d = ctx.write(st, *d, t, fact)?;
                st.set_form(Reg(u32::from(d)), form);
                Op::Mov { d, s: r16(*s) }
            }
            Instr::Int { d, k } => Op::Imm {
                d: ctx.write(
                    st,
                    *d,
                    Ty::Int,
                    Fact {
                        info: KONST,
                        val: *k,
                        ..PLAIN
                    },
                )?,
                k: *k,
            },
            Instr::Const { d, k } => {
                let t = match &m.consts[k.0 as usize] {
                    Const::Int(_) => Ty::Int,
                    Const::Bytes(_) => Ty::Bytes,
                };
                Op::Const {
                    d: ctx.write(st, *d, t, PLAIN)?,
                    k: k.0,
                }
            }
            Instr::Fail { k } => {
                if !matches!(m.consts[k.0 as usize], Const::Bytes(_)) {
                    return Err(ctx.err(VerifyErrorKind::FailReasonNotBytes(k.0)));
                }
                falls = false;
                Op::Fail { k: k.0 }
            }
            Instr::Bool { d, v } => Op::Imm {
                d: ctx.write(st, *d, Ty::Bool, PLAIN)?,
                k: i64::from(*v),
            },
            Instr::Unit { d } => Op::Imm {
                d: ctx.write(st, *d, Ty::Unit, PLAIN)?,
                k: 0,
            },
            Instr::Con { d, t, v, fields } => {
                let adt = &m.adts[t.0 as usize];
                if adt.kind == crate::types::AdtKind::Map {
                    return Err(ctx.err(VerifyErrorKind::BadConstructor(format!(
                        "`{}` is a map, built only by `map.*` instructions",
                        adt.name
                    ))));
                }
                let Some(var) = adt.variants.get(*v as usize) else {
                    return Err(ctx.err(VerifyErrorKind::BadConstructor(format!(
                        "variant {v} of `{}` which has {}",
                        adt.name,
                        adt.variants.len()
                    ))));
                };
                if var.fields.len() != fields.len() {
                    return Err(ctx.err(VerifyErrorKind::BadConstructor(format!(
                        "`{}` takes {} fields, given {}",
                        var.name,
                        var.fields.len(),
                        fields.len()
                    ))));
                }
                for (r, fd) in fields.iter().zip(&var.fields) {
                    ctx.read(st, *r, Some(fd.ty))?;
                }
                let fact = Fact { tag: *v, ..PLAIN };
                let form = if st.forms.is_empty() {
                    UNKNOWN
                } else {
                    let parts: Vec<(u32, u32)> = fields
                        .iter()
                        .zip(&var.fields)
                        .enumerate()
                        .filter(|(_, (_, fd))| measured(fd.ty))
                        .map(|(i, (r, _))| (i as u32, st.form(*r)))
                        .collect();
                    sizes.con_fields(*v, &parts)
                };
                let dr = ctx.write(st, *d, Ty::Adt(t.0), fact)?;
                st.set_form(Reg(u32::from(dr)), form);
                if fields.is_empty() {
                    Op::Nullary {
                        d: dr,
                        k: nullary_slot(*v) as i64,
                    }
                } else if fields.len() <= 3 {
                    let mut a = [0u16; 3];
                    for (slot, r) in a.iter_mut().zip(fields) {
                        *slot = r16(*r);
                    }
                    Op::ConS {
                        d: dr,
                        tag: *v as u16,
                        a,
                        n: fields.len() as u8,
                    }
                } else {
                    let start = program.arg_regs.len() as u32;
                    program.arg_regs.extend(fields.iter().map(|r| r16(*r)));
                    Op::Con {
                        d: dr,
                        tag: *v,
                        n: fields.len() as u16,
                        fields: start,
                    }
                }
            }
            Instr::Field { d, s, i } => {
                let ty = ctx.read(st, *s, None)?;
                let Some(ai) = ctx.open_adt(ty, s.0) else {
                    return Err(ctx.err(VerifyErrorKind::TypeMismatch {
                        reg: s.0,
                        found: type_name(ty, &m.adts),
                        expected: "an ADT that is not a map".into(),
                    }));
                };
                let sf = st.regs[s.0 as usize];
                // A single-variant type (struct, tuple) always has tag 0.
                let variants = &m.adts[ai as usize].variants;
                let tag = if variants.len() == 1 { 0 } else { sf.tag };
                let var = variants
                    .get(tag as usize)
                    .ok_or_else(|| ctx.err(VerifyErrorKind::UnknownVariant(s.0)))?;
                let fd = var.fields.get(*i as usize).ok_or_else(|| {
                    ctx.err(VerifyErrorKind::BadField {
                        field: *i,
                        arity: var.fields.len() as u32,
                    })
                })?;
                let fact = match fd.ty {
                    Ty::Adt(_) if sf.origin != NONE => Fact {
                        origin: sf.origin,
                        strict: true,
                        ..PLAIN
                    },
                    _ => PLAIN,
                };
                let (field_ty, parent) = (fd.ty, st.form(*s));
                let form = if measured(field_ty) && parent != UNKNOWN {
                    // The variant is known: the register's own, or a single one.
                    if let Some(a) = sizes.as_atom(parent) {
                        st.tags.insert(a, tag);
                    }
                    sizes.field(parent, tag, *i, field_ty)
                } else {
                    UNKNOWN
                };
                let dr = ctx.write(st, *d, field_ty, fact)?;
                st.set_form(Reg(u32::from(dr)), form);
                Op::Field {
                    d: dr,
                    s: r16(*s),
                    i: *i as u16,
                }
            }
            Instr::Add { d, a, b }
            | Instr::Sub { d, a, b }
            | Instr::Mul { d, a, b }
            | Instr::Div { d, a, b }
            | Instr::Rem { d, a, b }
            | Instr::Lt { d, a, b }
            | Instr::Le { d, a, b } => {
                ctx.read(st, *a, Some(Ty::Int))?;
                ctx.read(st, *b, Some(Ty::Int))?;
                let is_cmp = matches!(ins, Instr::Lt { .. } | Instr::Le { .. });
                let rt = if is_cmp { Ty::Bool } else { Ty::Int };
                // `x < k`, `x <= k`, `k < x`, `k <= x` with `x` bounded by a parameter.
                let (fa, fb) = (st.regs[a.0 as usize], st.regs[b.0 as usize]);
                let lt = matches!(ins, Instr::Lt { .. });
                let exact = |x: Fact| exact_lb(&st.lb, x).and_then(|l| i64::try_from(l).ok());
                let fact = if let Some(origin) = int_descent(ins, &st.lb, fa, fb) {
                    Fact {
                        origin,
                        strict: true,
                        ..PLAIN
                    }
                } else if !is_cmp {
                    PLAIN
                } else if fa.info != KONST
                    && fb.info != KONST
                    && fa.origin != NONE
                    && let Some(l) = exact(fb)
                {
                    // `a < b` with `b` exactly a parameter known `>= l`: where
                    // it is false, `a >= l`, as for `a < l`.
                    Fact {
                        origin: fa.origin,
                        info: if lt { LT } else { LE },
                        val: l,
                        ..PLAIN
                    }
                } else if fa.info != KONST
                    && fb.info != KONST
                    && fb.origin != NONE
                    && let Some(l) = exact(fa)
                {
                    Fact {
                        origin: fb.origin,
                        info: if lt { GT } else { GE },
                        val: l,
                        ..PLAIN
                    }
                } else if fa.origin != NONE && fb.info == KONST {
                    Fact {
                        origin: fa.origin,
                        info: if lt { LT } else { LE },
                        val: fb.val,
                        ..PLAIN
                    }
                } else if fa.info == KONST && fb.origin != NONE {
                    Fact {
                        origin: fb.origin,
                        info: if lt { GT } else { GE },
                        val: fa.val,
                        ..PLAIN
                    }
                } else {
                    PLAIN
                };
                let (d, a, b) = (ctx.write(st, *d, rt, fact)?, r16(*a), r16(*b));
                match ins {
                    Instr::Add { .. } => Op::Add { d, a, b },
                    Instr::Sub { .. } => Op::Sub { d, a, b },
                    Instr::Mul { .. } => Op::Mul { d, a, b },
                    Instr::Div { .. } => Op::Div { d, a, b },
                    Instr::Rem { .. } => Op::Rem { d, a, b },
                    Instr::Lt { .. } => Op::Lt { d, a, b },
                    _ => Op::Le { d, a, b },
                }
            }
            Instr::Neg { d, a } => {
                ctx.read(st, *a, Some(Ty::Int))?;
                Op::Neg {
                    d: ctx.write(st, *d, Ty::Int, PLAIN)?,
                    a: r16(*a),
                }
            }
            Instr::AddI { d, a, k } => {
                ctx.read(st, *a, Some(Ty::Int))?;
                let af = st.regs[a.0 as usize];
                let fact = match k.signum() {
                    0 => af,
                    -1 if af.origin != NONE => Fact {
                        origin: af.origin,
                        strict: true,
                        ..PLAIN
                    },
                    _ => PLAIN,
                };
                Op::AddI {
                    d: ctx.write(st, *d, Ty::Int, fact)?,
                    a: r16(*a),
                    k: *k,
                }
            }
            Instr::Eq { d, a, b } | Instr::Ne { d, a, b } => {
                let t = ctx.read(st, *a, None)?;
                ctx.read(st, *b, Some(t))?;
                let neg = matches!(ins, Instr::Ne { .. });
                let (d, a, b) = (ctx.write(st, *d, Ty::Bool, PLAIN)?, r16(*a), r16(*b));
                match t {
                    Ty::Int | Ty::Bool | Ty::Unit => Op::EqScalar { d, a, b, neg },
                    ty => Op::EqDeep { d, a, b, ty, neg },
                }
            }
            Instr::Not { d, a } => {
                ctx.read(st, *a, Some(Ty::Bool))?;
                let af = st.regs[a.0 as usize];
                let flipped = negated(af.info);
                let fact = if flipped != 0 {
                    Fact {
                        info: flipped,
                        ..af
                    }
                } else {
                    PLAIN
                };
                Op::Not {
                    d: ctx.write(st, *d, Ty::Bool, fact)?,
                    a: r16(*a),
                }
            }
            Instr::BLen { d, a } => {
                ctx.read(st, *a, Some(Ty::Bytes))?;
                Op::BLen {
                    d: ctx.write(st, *d, Ty::Int, PLAIN)?,
                    a: r16(*a),
                }
            }
            Instr::Sha256 { d, a }
            | Instr::Blake2b256 { d, a }
            | Instr::Keccak256 { d, a }
            | Instr::Sha3_256 { d, a } => {
                ctx.read(st, *a, Some(Ty::Bytes))?;
                let f = match ins {
                    Instr::Sha256 { .. } => HashFn::Sha256,
                    Instr::Blake2b256 { .. } => HashFn::Blake2b256,
                    Instr::Keccak256 { .. } => HashFn::Keccak256,
                    _ => HashFn::Sha3_256,
                };
                Op::Hash {
                    d: ctx.write(st, *d, Ty::Bytes, PLAIN)?,
                    a: r16(*a),
                    f,
                }
            }
            Instr::Ed25519Verify { d, k, m, s }
            | Instr::SchnorrVerify { d, k, m, s }
            | Instr::EcdsaVerify { d, k, m, s } => {
                for r in [k, m, s] {
                    ctx.read(st, *r, Some(Ty::Bytes))?;
                }
                let f = match ins {
                    Instr::Ed25519Verify { .. } => SigScheme::Ed25519,
                    Instr::SchnorrVerify { .. } => SigScheme::Schnorr,
                    _ => SigScheme::EcdsaSecp256k1,
                };
                Op::SigVerify {
                    d: ctx.write(st, *d, Ty::Bool, PLAIN)?,
                    k: r16(*k),
                    m: r16(*m),
                    s: r16(*s),
                    f,
                }
            }
            Instr::BConcat { d, a, b } => {
                ctx.read(st, *a, Some(Ty::Bytes))?;
                ctx.read(st, *b, Some(Ty::Bytes))?;
                Op::BConcat {
                    d: ctx.write(st, *d, Ty::Bytes, PLAIN)?,
                    a: r16(*a),
                    b: r16(*b),
                }
            }
            Instr::MapEmpty { .. }
            | Instr::MapGet { .. }
            | Instr::MapContains { .. }
            | Instr::MapInsert { .. }
            | Instr::MapRemove { .. }
            | Instr::MapSize { .. }
            | Instr::MapToList { .. }
            | Instr::MapFromList { .. } => ctx.map_instr(st, ins)?,
            Instr::BSlice { d, a, start, len } => {
                ctx.read(st, *a, Some(Ty::Bytes))?;
                ctx.read(st, *start, Some(Ty::Int))?;
                ctx.read(st, *len, Some(Ty::Int))?;
                Op::BSlice {
                    d: ctx.write(st, *d, Ty::Bytes, PLAIN)?,
                    a: r16(*a),
                    start: r16(*start),
                    len: r16(*len),
                }
            }
        };
        // A call's cost depends on its callee, which the op does not hold.
        program.op_gas.push(match ins {
            Instr::Call { .. } | Instr::TailCall { .. } => ins.static_gas(m),
            _ => op.gas(),
        });
        program.ops.push(op);
        if !falls {
            cur = None;
        }
    }
    if cur.is_some() {
        ctx.pc = f.code.len() as u32;
        return Err(ctx.err(VerifyErrorKind::FallsOffEnd));
    }
    Ok(())
}

/// Replaces the callee index held in `entry` of small calls by the callee's entry op.
pub(crate) fn resolve_calls(program: &mut Program) {
    let funcs = program.funcs.clone();
    for op in &mut program.ops {
        if let Op::CallS { entry, .. } | Op::TailCallS { entry, .. } = op {
            *entry = funcs.get(*entry as usize).map_or(u32::MAX, |f| f.entry);
        }
    }
}
