//! The per-function forward pass of the bound analysis.
//!
//! Like the verifier's dataflow pass (`verify/flow.rs`), it visits the code
//! once in order (jumps go forward), merging states at jump targets. Per
//! register it tracks a size bound (a [`Bound`] over the parameter measures),
//! the parameter it descends from (origin, strictness, exact field path),
//! the variant known by a `switch`, the constant/comparison facts that give
//! Int lower bounds, and whether it depends on the result of a call inside
//! the function's own call-graph cycle ("taint"). Per path it accumulates the
//! gas and memory spent (max over merged paths) and the recursive call sites
//! passed. Variables `0..nparams` are the parameter measures; variable
//! `nparams + s` is the size of the result of recursive call site `s`.

use std::collections::BTreeSet;

use super::expr::Bound;
use super::{FnBounds, TypeInfo};
use crate::eval::GAS_EQ_NODE;
use crate::isa::{Instr, Opcode, Size};
use crate::module::{Const, Function, Module};
use crate::types::Ty;

const NONE: u32 = u32::MAX;
/// Bytes per 32-byte word: the measure of Bytes is its length in words.
pub const WORD: u128 = 32;
/// Bytes per heap slot (memory is counted in bytes).
pub const SLOT_BYTES: u128 = 16;
/// Sites remembered per path for the disjointness check.
const MAX_PRIOR: usize = 64;

use crate::verify::flow::{GE, GT, KONST, LE, LT, negated};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fact {
    pub(super) size: Bound,
    origin: u32,
    strict: bool,
    path: Option<Vec<u32>>,
    tag: u32,
    info: u8,
    val: i64,
    /// Instruction index of a recursive call whose result this depends on.
    pub(super) taint: Option<u32>,
    /// Identity of the value, given when a field is first read from it (the
    /// index of that `field` instruction; `NONE` if not given).
    def: u32,
    /// The cell this value was read from (by `field`), or stands in for.
    parent: Option<Box<Parent>>,
    /// Fields of one cell this value was built from ([`Share`]).
    pub(super) share: Option<Box<Share>>,
    /// An Int at most half its origin parameter (`x / k`, `k >= 2`, an Int
    /// descent): a chain of such calls is logarithmic.
    halving: bool,
}

/// A value built by `con`s from some of the fields of one cell (with
/// identity `cell`, of measure at most `size`), each at most once, plus
/// other material: it measures at most the fields in `used` (a bit set)
/// plus `extra`. Since the cell measures one plus all its fields, two such
/// values built from disjoint fields of the cell measure at most
/// `size - 1` plus their extras together: `([x, ..l], r)` made of the
/// halves `l`, `r` of a recursive result is linear in that result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Share {
    cell: u32,
    size: Bound,
    used: u64,
    pub(super) extra: Bound,
}

/// The [`Share`] of a value: its own, or the one field it was read as.
pub(super) fn share_of(x: &Fact) -> Option<Share> {
    if let Some(s) = &x.share {
        return Some((**s).clone());
    }
    let p = x.parent.as_deref()?;
    Some(Share {
        cell: p.cell,
        size: p.size.clone(),
        used: 1u64.checked_shl(p.index)?,
        extra: Bound::zero(),
    })
}

/// The [`Share`] of a call's result that is one of its arguments plus
/// more (`insert(m, k, v)`: at most `|m| + |k| + |v| + 1`): the argument's
/// share, with the more added to its extra. `None` if no argument is
/// passed through so, or it has no share.
fn passed_through_share(output: &Bound, args: &[Fact], sizes: &[Bound]) -> Option<Box<Share>> {
    args.iter().enumerate().find_map(|(j, arg)| {
        let rest = output.split_var(u16::try_from(j).ok()?)?;
        let mut share = share_of(arg)?;
        share.extra = share.extra.add(&rest.subst(sizes));
        Some(Box::new(share))
    })
}

/// For a `con` of fields `xs` that is not a full rebuild: the fields that
/// share one cell (disjointly), combined: the new value's share, and when
/// at least two fields share the cell, its size `size - 1 + extra` (with
/// one field the sum of the fields' sizes is no worse).
fn combine_shares(xs: &[(Ty, Fact)]) -> Option<(Share, Option<Bound>)> {
    let shares: Vec<Option<Share>> = xs
        .iter()
        .map(|(fty, x)| {
            matches!(fty, Ty::Adt(_) | Ty::Bytes)
                .then(|| share_of(x))
                .flatten()
        })
        .collect();
    let first = shares.iter().flatten().next()?.clone();
    let (mut used, mut count) = (0u64, 0usize);
    let mut rest = Bound::zero();
    for ((fty, x), share) in xs.iter().zip(&shares) {
        match share {
            Some(sh) if sh.cell == first.cell => {
                if sh.size != first.size || used & sh.used != 0 {
                    return None;
                }
                used |= sh.used;
                count += 1;
                rest = rest.add(&sh.extra);
            }
            _ => rest = rest.add(&field_size(*fty, &x.size)),
        }
    }
    let size = (count >= 2).then(|| first.size.add(&rest));
    let share = Share {
        cell: first.cell,
        size: first.size,
        used,
        extra: rest.add_const(1),
    };
    Some((share, size))
}

/// Where a value comes from: field `index` of the cell with identity `cell`
/// (or a value measuring at most that field). A `con` that puts all the
/// ADT and Bytes fields (`need`, a bit set) of one cell back together, each
/// once, measures at most that cell (`size`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parent {
    cell: u32,
    index: u32,
    size: Bound,
    need: u64,
    /// The cell's own parent, if known (at most [`MAX_UP`] levels).
    up: Option<Box<Parent>>,
    depth: u32,
}

/// Levels of [`Parent::up`] kept.
const MAX_UP: u32 = 4;

pub(super) fn plain(size: Bound) -> Fact {
    Fact {
        size,
        origin: NONE,
        strict: false,
        path: None,
        tag: NONE,
        info: 0,
        val: 0,
        taint: None,
        def: NONE,
        parent: None,
        share: None,
        halving: false,
    }
}

#[derive(Debug, Clone)]
pub(super) struct State {
    regs: Vec<Fact>,
    lb: Vec<Option<i128>>,
    pub(super) gas: Bound,
    pub(super) mem: Bound,
    /// Register-stack slots used so far on the path, from this frame's
    /// base: its own registers, and the frames of calls outside the cycle.
    stack: Bound,
    ncalls: u32,
    min_calls: u32,
    prior: BTreeSet<u32>,
    prior_overflow: bool,
}

impl State {
    fn merge(&mut self, o: &State) {
        for (a, b) in self.regs.iter_mut().zip(&o.regs) {
            a.size = a.size.join(&b.size);
            if a.origin != b.origin {
                a.origin = NONE;
                a.strict = false;
                a.path = None;
            } else {
                a.strict &= b.strict;
                if a.path != b.path {
                    a.path = None;
                }
            }
            if a.tag != b.tag {
                a.tag = NONE;
            }
            if a.info != b.info || a.val != b.val || (a.info > KONST && a.origin == NONE) {
                a.info = 0;
            }
            a.taint = a.taint.or(b.taint);
            if a.def != b.def {
                a.def = NONE;
            }
            if a.share != b.share {
                a.share = None;
            }
            a.halving &= b.halving;
            a.parent = match (a.parent.take(), &b.parent) {
                (Some(x), Some(y))
                    if x.cell == y.cell && x.index == y.index && x.need == y.need =>
                {
                    let up = if x.up == y.up { x.up.clone() } else { None };
                    Some(Box::new(Parent {
                        size: x.size.join(&y.size),
                        up,
                        ..*x
                    }))
                }
                _ => None,
            };
        }
        for (a, b) in self.lb.iter_mut().zip(&o.lb) {
            *a = match (*a, *b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                _ => None,
            };
        }
        self.gas = self.gas.join(&o.gas);
        self.mem = self.mem.join(&o.mem);
        self.stack = self.stack.join(&o.stack);
        self.ncalls = self.ncalls.max(o.ncalls);
        self.min_calls = self.min_calls.min(o.min_calls);
        self.prior.extend(o.prior.iter().copied());
        self.prior_overflow |= o.prior_overflow || self.prior.len() > MAX_PRIOR;
    }

    /// The recursive call sites that may precede this point on a path
    /// (`None`: too many to track).
    fn sites_so_far(&self) -> Option<Vec<u32>> {
        (!self.prior_overflow).then(|| self.prior.iter().copied().collect())
    }

    fn add_gas(&mut self, c: u128) {
        self.gas.add_const_in_place(c);
    }
}

/// One argument of a recursive call site.
#[derive(Debug, Clone)]
pub(crate) struct Arg {
    pub size: Bound,
    pub ty: Ty,
    pub origin: u32,
    pub strict: bool,
    pub path: Option<Vec<u32>>,
    /// Proven lower bound of the origin parameter at the call (Int descent).
    pub lb: Option<i128>,
    /// Instruction index of the recursive call whose result this argument
    /// is computed from, if any.
    pub taint: Option<u32>,
    /// An Int at most half its origin (see `Fact::halving`).
    pub halving: bool,
}

/// A call to a function of the caller's own cycle.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub pc: u32,
    pub callee: u32,
    pub args: Vec<Arg>,
    /// Sites that may precede this one on a path (`None`: too many to track).
    pub prior: Option<Vec<u32>>,
}

/// A way out of the function (`ret` or a tail call), with what the path
/// up to it costs and returns.
#[derive(Debug, Clone)]
pub(crate) struct End {
    pub gas: Bound,
    pub mem: Bound,
    /// Register-stack slots used on the path, from the frame's base (calls
    /// inside the cycle excluded: the recursion analysis adds those).
    pub stack: Bound,
    pub out: Bound,
    pub ncalls: u32,
    /// Fewest recursive calls on a path to here (0: a path without calls reaches it).
    pub min_calls: u32,
    /// The recursive call sites that may precede this end on a path to it
    /// (`None`: too many to track).
    pub sites: Option<Vec<u32>>,
}

/// What one pass over a function found.
#[derive(Debug, Clone)]
pub(crate) struct FnPass {
    pub ends: Vec<End>,
    pub sites: Vec<Site>,
    /// Piece variables (in recursive functions only): variable
    /// `PIECE_TOP - k` is the size of the subterm of parameter `param` at
    /// field path `path`; `parent` bounds it (and resolves it away).
    pub pieces: Vec<Piece>,
}

/// A subterm of a parameter at an exact field path, given its own variable
/// so that the recursion analysis can sum disjoint pieces along a chain.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub param: u32,
    pub path: Vec<u32>,
    /// Bound on the piece in terms of parameters (pieces already resolved).
    pub resolved: Bound,
}

/// The highest variable index; piece `k` is variable `PIECE_TOP - k`.
pub(crate) const PIECE_TOP: u16 = u16::MAX;
/// At most this many piece variables per function.
const MAX_PIECES: usize = 512;

impl FnPass {
    /// Piece index of variable `v`, if it is a piece variable.
    pub fn piece_of(&self, v: u16) -> Option<usize> {
        let k = usize::from(PIECE_TOP - v);
        (k < self.pieces.len()).then_some(k)
    }

    /// Replaces piece variables by their bounds over parameters.
    pub fn resolve(&self, b: &Bound) -> Bound {
        if self.pieces.is_empty() {
            return b.clone();
        }
        b.subst_with(&|v| match self.piece_of(v) {
            Some(k) => self.pieces[k].resolved.clone(),
            None => Bound::var(v),
        })
    }
}

/// `lb` on `x` when `x REL val` has `truth`.
fn cond_lb(rel: u8, val: i64, truth: bool) -> Option<i128> {
    let v = i128::from(val);
    match (rel, truth) {
        (GT, true) | (LE, false) => Some(v + 1),
        (GE, true) | (LT, false) => Some(v),
        _ => None,
    }
}

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
        (0, false) | (3, true) | (4, true) | (5, false) => Some(k),
        (1, false) | (2, true) => Some(k + 1),
        _ => None,
    }
}

fn raise(lb: &mut [Option<i128>], origin: u32, l: Option<i128>) {
    if let (Some(l), Some(slot)) = (l, lb.get_mut(origin as usize)) {
        *slot = Some(slot.map_or(l, |o| o.max(l)));
    }
}

fn pend(pending: &mut std::collections::BTreeMap<usize, State>, at: usize, st: State) {
    match pending.get_mut(&at) {
        Some(p) => p.merge(&st),
        None => {
            pending.insert(at, st);
        }
    }
}

/// The measure contribution of a value of type `ty` with size bound `b`
/// when stored as a field: ADTs and Bytes count, scalars do not.
pub(super) fn field_size(ty: Ty, b: &Bound) -> Bound {
    match ty {
        Ty::Adt(_) | Ty::Bytes => b.clone(),
        _ => Bound::zero(),
    }
}

/// The lower bound known of an Int register exactly equal to a parameter's
/// entry value (an origin that is not strict: the parameter, or a copy).
fn exact_lb(lb: &[Option<i128>], x: &Fact) -> Option<i128> {
    (x.origin != NONE && !x.strict)
        .then(|| lb.get(x.origin as usize).copied().flatten())
        .flatten()
}

/// Non-constant Int descent (`lang-spec/totality.md`, "Int descent"): the
/// origin and size of `a - b` with `b` a parameter known `>= 1`, `a / k`
/// with `a`'s origin known `>= 1` and a constant `k >= 2`, `a % b` with `b`
/// a parameter known `>= 1` (then the origin is `b`'s). Each is strictly
/// smaller than the origin's entry value.
fn int_descent(ins: &Instr, lb: &[Option<i128>], fa: &Fact, fb: &Fact) -> Option<(u32, Bound)> {
    match ins {
        Instr::Sub { .. } if fa.origin != NONE && exact_lb(lb, fb)? >= 1 => {
            Some((fa.origin, fa.size.clone()))
        }
        Instr::Div { .. }
            if fa.origin != NONE
                && fb.info == KONST
                && fb.val >= 2
                && lb.get(fa.origin as usize).copied().flatten()? >= 1 =>
        {
            Some((fa.origin, fa.size.clone()))
        }
        Instr::Rem { .. } if exact_lb(lb, fb)? >= 1 => Some((fb.origin, fb.size.clone())),
        _ => None,
    }
}

/// The comparison fact of `a < b` (`lt`) or `a <= b` where one side is
/// exactly a parameter with a known lower bound `L` and the other has an
/// origin: recorded as a comparison of the other side with `L`, which gives
/// the same lower bounds (`!(a < b)` means `a >= b >= L`).
fn relational_cmp(lb: &[Option<i128>], fa: &Fact, fb: &Fact, lt: bool) -> Option<(u32, u8, i64)> {
    if fb.info == KONST || fa.info == KONST {
        return None;
    }
    if fa.origin != NONE
        && let Some(l) = exact_lb(lb, fb)
    {
        return Some((fa.origin, if lt { LT } else { LE }, i64::try_from(l).ok()?));
    }
    let l = exact_lb(lb, fa)?;
    (fb.origin != NONE).then_some((fb.origin, if lt { GT } else { GE }, i64::try_from(l).ok()?))
}

/// The lower bounds given by `br.lt a, b` (`br.le` when `le`): on the taken
/// edge `b > a` (`b >= a`), on the fall-through `a >= b` (`a > b`), each
/// where the smaller side is exactly a parameter with a known bound. As
/// `(origin, bound)` pairs for [`raise`].
type Raise = (u32, Option<i128>);
fn relational_lbs(lb: &[Option<i128>], fa: &Fact, fb: &Fact, le: bool) -> (Raise, Raise) {
    let strictness = |strict: bool, l: i128| if strict { l.checked_add(1) } else { Some(l) };
    let taken = (fb.origin, exact_lb(lb, fa).and_then(|l| strictness(!le, l)));
    let fall = (fa.origin, exact_lb(lb, fb).and_then(|l| strictness(le, l)));
    (taken, fall)
}

/// The ADT and Bytes field indices (a bit set; `None` past 64 fields) of
/// variant `tag` of a cell of type `t` (the only variant if `tag` is unknown
/// and the type has one).
fn measured_fields(m: &Module, t: Ty, tag: u32) -> Option<u64> {
    let Ty::Adt(a) = t else { return None };
    let adt = m.adts.get(a as usize)?;
    let var = match (tag, adt.variants.len()) {
        (NONE, 1) => adt.variants.first()?,
        (NONE, _) => return None,
        (v, _) => adt.variants.get(v as usize)?,
    };
    if var.fields.len() > 64 {
        return None;
    }
    Some(
        var.fields
            .iter()
            .enumerate()
            .filter(|(_, fd)| matches!(fd.ty, Ty::Adt(_) | Ty::Bytes))
            .fold(0u64, |acc, (k, _)| acc | 1 << k),
    )
}

/// A cell that a `con` rebuilds from its own fields: the identity and size
/// of a cell all of whose ADT and Bytes fields (at least one), each once,
/// the `con` takes (the first such cell). The old cell measures one plus
/// the measures of all its fields, so the new cell's own cell plus those
/// fields measure at most the old cell.
fn rebuilt_cell(xs: &[(Ty, Fact)]) -> Option<&Parent> {
    xs.iter().find_map(|(fty, x)| {
        let p = x.parent.as_deref()?;
        if !matches!(fty, Ty::Adt(_) | Ty::Bytes) || p.need == 0 {
            return None;
        }
        let mut seen = 0u64;
        for (_, y) in xs {
            if let Some(q) = &y.parent
                && q.cell == p.cell
            {
                let bit = 1u64.checked_shl(q.index).unwrap_or(0);
                if bit == 0 || seen & bit != 0 || q.size != p.size {
                    return None;
                }
                seen |= bit;
            }
        }
        (seen & p.need == p.need).then_some(p)
    })
}

/// The size bound of a value of type `ty` read from inside a structure of size `b`.
fn inner_size(ty: Ty, b: &Bound) -> Bound {
    match ty {
        Ty::Adt(_) | Ty::Bytes => b.clone(),
        Ty::Int => Bound::top(),
        Ty::Bool | Ty::Unit => Bound::zero(),
    }
}

/// Runs the pass over function `fi`. `summaries[g]` holds the bounds of
/// every function outside `fi`'s cycle that it calls; `in_cycle(g)` says
/// whether `g` is in `fi`'s cycle.
pub(crate) fn run(
    m: &Module,
    fi: usize,
    summaries: &[Option<FnBounds>],
    in_cycle: &dyn Fn(u32) -> bool,
    types: &TypeInfo,
) -> FnPass {
    let Some(f) = m.functions.get(fi) else {
        return FnPass {
            ends: vec![],
            sites: vec![],
            pieces: vec![],
        };
    };
    let np = f.params.len();
    let mut regs = vec![plain(Bound::zero()); f.nregs()];
    for (p, slot) in regs.iter_mut().enumerate().take(np) {
        *slot = Fact {
            origin: p as u32,
            path: Some(vec![]),
            ..plain(match f.params[p] {
                Ty::Bool | Ty::Unit => Bound::zero(),
                _ => Bound::var(p as u16),
            })
        };
    }
    let mut cur = Some(State {
        regs,
        lb: vec![None; np],
        gas: Bound::zero(),
        mem: Bound::zero(),
        stack: Bound::constant(f.nregs() as u128),
        ncalls: 0,
        min_calls: 0,
        prior: BTreeSet::new(),
        prior_overflow: false,
    });
    let mut pending = std::collections::BTreeMap::new();
    let mut out = FnPass {
        ends: vec![],
        sites: vec![],
        pieces: vec![],
    };
    let pieces_on = in_cycle(fi as u32);
    for (pc, ins) in f.code.iter().enumerate() {
        if let Some(p) = pending.remove(&pc) {
            match cur.as_mut() {
                Some(c) => c.merge(&p),
                None => cur = Some(p),
            }
        }
        let Some(st) = cur.as_mut() else { continue };
        let target = |j: crate::isa::Jump| pc + 1 + j.0.max(0) as usize;
        st.add_gas(u128::from(ins.static_gas(m)));
        let mut falls = true;
        step(
            m,
            f,
            fi,
            pc,
            ins,
            st,
            &mut pending,
            &mut out,
            &mut falls,
            summaries,
            in_cycle,
            types,
            &target,
            pieces_on,
        );
        if !falls {
            cur = None;
        }
    }
    // Call arguments are used with parameter variables only.
    let resolved: Vec<Site> = out
        .sites
        .iter()
        .map(|s| {
            let mut s = s.clone();
            for a in &mut s.args {
                a.size = out.resolve(&a.size);
            }
            s
        })
        .collect();
    out.sites = resolved;
    out
}

/// Register-stack slots a call from `f` puts below its callee's frame: `f`'s
/// registers and the return link, counted as at least
/// [`MIN_FRAME_SLOTS`] so that a stack bound within
/// [`MAX_STACK_SLOTS`](crate::limits::MAX_STACK_SLOTS) also keeps the call
/// depth within [`MAX_CALL_DEPTH`](crate::limits::MAX_CALL_DEPTH).
pub(crate) fn frame_slots(f: &Function) -> u128 {
    (f.nregs() as u128 + 1).max(MIN_FRAME_SLOTS)
}

/// `MAX_STACK_SLOTS / MAX_CALL_DEPTH`: the slots each pushed frame counts for
/// at least in the stack bound.
pub(crate) const MIN_FRAME_SLOTS: u128 =
    (crate::limits::MAX_STACK_SLOTS / crate::limits::MAX_CALL_DEPTH) as u128;

pub(super) fn reg(st: &State, r: crate::isa::Reg) -> Fact {
    st.regs
        .get(r.0 as usize)
        .cloned()
        .unwrap_or_else(|| plain(Bound::top()))
}

fn set(st: &mut State, r: crate::isa::Reg, fact: Fact) {
    if let Some(slot) = st.regs.get_mut(r.0 as usize) {
        *slot = fact;
    }
}

#[allow(clippy::too_many_arguments)]
fn step(
    m: &Module,
    f: &Function,
    fi: usize,
    pc: usize,
    ins: &Instr,
    st: &mut State,
    pending: &mut std::collections::BTreeMap<usize, State>,
    out: &mut FnPass,
    falls: &mut bool,
    summaries: &[Option<FnBounds>],
    in_cycle: &dyn Fn(u32) -> bool,
    types: &TypeInfo,
    target: &dyn Fn(crate::isa::Jump) -> usize,
    pieces_on: bool,
) {
    let np = f.params.len();
    let ty = |r: crate::isa::Reg| f.reg_type(r.0).unwrap_or(Ty::Unit);
    match ins {
        Instr::Ret { a } => {
            out.ends.push(End {
                gas: st.gas.clone(),
                mem: st.mem.clone(),
                stack: st.stack.clone(),
                out: reg(st, *a).size,
                ncalls: st.ncalls,
                min_calls: st.min_calls,
                sites: st.sites_so_far(),
            });
            *falls = false;
        }
        Instr::Fail { .. } => {
            // A trap ends the whole run: its gas and memory are the path up
            // to it, and no caller continues with a result.
            out.ends.push(End {
                gas: st.gas.clone(),
                mem: st.mem.clone(),
                stack: st.stack.clone(),
                out: Bound::zero(),
                ncalls: st.ncalls,
                min_calls: st.min_calls,
                sites: st.sites_so_far(),
            });
            *falls = false;
        }
        Instr::Jmp { t } => {
            pend(pending, target(*t), st.clone());
            *falls = false;
        }
        Instr::BrIf { c, t } | Instr::BrIfNot { c, t } => {
            let cf = reg(st, *c);
            let taken_truth = matches!(ins, Instr::BrIf { .. });
            let mut taken = st.clone();
            if cf.info > KONST {
                raise(
                    &mut taken.lb,
                    cf.origin,
                    cond_lb(cf.info, cf.val, taken_truth),
                );
                raise(
                    &mut st.lb,
                    cf.origin,
                    cond_lb(cf.info, cf.val, !taken_truth),
                );
            }
            pend(pending, target(*t), taken);
        }
        Instr::BrLtI { a, t, .. }
        | Instr::BrLeI { a, t, .. }
        | Instr::BrGtI { a, t, .. }
        | Instr::BrGeI { a, t, .. }
        | Instr::BrEqI { a, t, .. }
        | Instr::BrNeI { a, t, .. } => {
            let origin = reg(st, *a).origin;
            let mut taken = st.clone();
            raise(&mut taken.lb, origin, implied_lb(ins, true));
            raise(&mut st.lb, origin, implied_lb(ins, false));
            pend(pending, target(*t), taken);
        }
        Instr::BrLt { a, b, t } | Instr::BrLe { a, b, t } => {
            // `a < b` (`a <= b`) with one side exactly a bounded parameter
            // bounds the other side's origin on one edge.
            let (fa, fb) = (reg(st, *a), reg(st, *b));
            let le = matches!(ins, Instr::BrLe { .. });
            let mut taken = st.clone();
            let (on_taken, on_fall) = relational_lbs(&st.lb, &fa, &fb, le);
            raise(&mut taken.lb, on_taken.0, on_taken.1);
            raise(&mut st.lb, on_fall.0, on_fall.1);
            pend(pending, target(*t), taken);
        }
        Instr::Switch { s, t } => {
            for (v, j) in t.iter().enumerate() {
                let mut s2 = st.clone();
                if let Some(slot) = s2.regs.get_mut(s.0 as usize) {
                    slot.tag = v as u32;
                }
                pend(pending, target(*j), s2);
            }
            *falls = false;
        }
        Instr::Call {
            f: callee, args, ..
        }
        | Instr::TailCall { f: callee, args } => {
            let g = callee.0;
            let facts: Vec<Fact> = args.iter().map(|r| reg(st, *r)).collect();
            let taint = facts.iter().find_map(|x| x.taint);
            let result = if in_cycle(g) {
                let site = out.sites.len() as u32;
                let gf = m.functions.get(g as usize);
                out.sites.push(Site {
                    pc: pc as u32,
                    callee: g,
                    args: facts
                        .iter()
                        .enumerate()
                        .map(|(j, x)| Arg {
                            size: x.size.clone(),
                            ty: gf
                                .and_then(|gf| gf.params.get(j).copied())
                                .unwrap_or(Ty::Unit),
                            origin: x.origin,
                            strict: x.strict,
                            path: x.path.clone(),
                            lb: st.lb.get(x.origin as usize).copied().flatten(),
                            taint: x.taint,
                            halving: x.halving,
                        })
                        .collect(),
                    prior: (!st.prior_overflow).then(|| st.prior.iter().copied().collect()),
                });
                st.ncalls = st.ncalls.saturating_add(1);
                st.min_calls = st.min_calls.saturating_add(1);
                st.prior.insert(site);
                if st.prior.len() > MAX_PRIOR {
                    st.prior_overflow = true;
                }
                Fact {
                    taint: Some(pc as u32),
                    ..plain(Bound::var(
                        (np as u32 + site).min(u32::from(u16::MAX)) as u16
                    ))
                }
            } else {
                let sizes: Vec<Bound> = facts.iter().map(|x| x.size.clone()).collect();
                match summaries.get(g as usize).and_then(|s| s.as_ref()) {
                    Some(sum) => {
                        st.gas = st.gas.add(&sum.gas.subst(&sizes));
                        st.mem = st.mem.add(&sum.memory.subst(&sizes));
                        // A call's frame starts above this one's registers
                        // and link; a tail call's at this frame's base.
                        let callee = sum.stack.subst(&sizes);
                        let peak = match ins {
                            Instr::Call { .. } => callee.add_const(frame_slots(f)),
                            _ => callee,
                        };
                        st.stack = st.stack.join(&peak);
                        Fact {
                            taint,
                            share: passed_through_share(&sum.output, &facts, &sizes),
                            ..plain(sum.output.subst(&sizes))
                        }
                    }
                    None => {
                        st.gas = Bound::top();
                        st.stack = Bound::top();
                        plain(Bound::top())
                    }
                }
            };
            match ins {
                Instr::Call { d, .. } => set(st, *d, result),
                _ => {
                    out.ends.push(End {
                        gas: st.gas.clone(),
                        mem: st.mem.clone(),
                        stack: st.stack.clone(),
                        out: result.size,
                        ncalls: st.ncalls,
                        min_calls: st.min_calls,
                        sites: st.sites_so_far(),
                    });
                    *falls = false;
                }
            }
        }
        Instr::Mov { d, s } => {
            let x = reg(st, *s);
            set(st, *d, x);
        }
        Instr::Int { d, k } => set(
            st,
            *d,
            Fact {
                info: KONST,
                val: *k,
                ..plain(Bound::constant((*k).max(0) as u128))
            },
        ),
        Instr::Const { d, k } => {
            let size = match m.consts.get(k.0 as usize) {
                Some(Const::Int(v)) => Bound::constant((*v).max(0) as u128),
                Some(Const::Bytes(b)) => Bound::constant((b.len() as u128).div_ceil(WORD)),
                None => Bound::top(),
            };
            set(st, *d, plain(size));
        }
        Instr::Bool { d, .. } | Instr::Unit { d } => set(st, *d, plain(Bound::zero())),
        Instr::Con { d, t, v, fields } => {
            let n = fields.len() as u128;
            let mut taint = None;
            let var = m
                .adts
                .get(t.0 as usize)
                .and_then(|a| a.variants.get(*v as usize));
            let xs: Vec<(Ty, Fact)> = fields
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let fty = var
                        .and_then(|vd| vd.fields.get(k))
                        .map_or(Ty::Unit, |fd| fd.ty);
                    (fty, reg(st, *r))
                })
                .collect();
            let cell = rebuilt_cell(&xs);
            let mut size = match cell {
                Some(p) => p.size.clone(),
                None => Bound::constant(1),
            };
            // A cell rebuilt from nothing but its own fields measures at most
            // the old one, so it stands in for it in the old one's parent.
            let mut alone = cell.is_some();
            for (fty, x) in &xs {
                taint = taint.or(x.taint);
                let from_cell = matches!((cell, &x.parent), (Some(c), Some(p)) if p.cell == c.cell);
                if !from_cell {
                    let fs = field_size(*fty, &x.size);
                    alone &= fs.is_zero();
                    size = size.add(&fs);
                }
            }
            let parent = cell.filter(|_| alone).and_then(|c| c.up.clone());
            let mut share = None;
            if cell.is_none()
                && let Some((sh, shared_size)) = combine_shares(&xs)
            {
                if let Some(b) = shared_size {
                    size = b;
                }
                share = Some(Box::new(sh));
            }
            st.mem.add_const_in_place(SLOT_BYTES * n);
            set(
                st,
                *d,
                Fact {
                    tag: *v,
                    taint,
                    parent,
                    share,
                    ..plain(size)
                },
            );
        }
        Instr::Field { d, s, i } => {
            let sf = reg(st, *s);
            let fty = ty(*d);
            let mut fact = plain(inner_size(fty, &sf.size));
            let id = if sf.def != NONE {
                sf.def
            } else {
                let id = pc as u32;
                if let Some(slot) = st.regs.get_mut(s.0 as usize) {
                    slot.def = id;
                }
                id
            };
            if let Some(need) = measured_fields(m, ty(*s), sf.tag) {
                let up = sf.parent.clone().filter(|p| p.depth < MAX_UP);
                fact.parent = Some(Box::new(Parent {
                    cell: id,
                    index: *i,
                    size: sf.size.clone(),
                    need,
                    depth: up.as_ref().map_or(0, |p| p.depth + 1),
                    up,
                }));
            }
            if pieces_on
                && matches!(fty, Ty::Adt(_) | Ty::Bytes)
                && sf.origin != NONE
                && out.pieces.len() < MAX_PIECES
                && let Some(path) = &sf.path
            {
                let mut path = path.clone();
                path.push(*i);
                let resolved = out.resolve(&sf.size);
                let k = out.pieces.len();
                out.pieces.push(Piece {
                    param: sf.origin,
                    path,
                    resolved,
                });
                fact.size = Bound::var(PIECE_TOP - k as u16);
            }
            fact.taint = sf.taint;
            if matches!(fty, Ty::Adt(_)) && sf.origin != NONE {
                fact.origin = sf.origin;
                fact.strict = true;
                fact.path = sf.path.as_ref().map(|p| {
                    let mut p = p.clone();
                    p.push(*i);
                    p
                });
            }
            set(st, *d, fact);
        }
        Instr::Add { d, a, b }
        | Instr::Sub { d, a, b }
        | Instr::Mul { d, a, b }
        | Instr::Div { d, a, b }
        | Instr::Rem { d, a, b }
        | Instr::Lt { d, a, b }
        | Instr::Le { d, a, b } => {
            let (fa, fb) = (reg(st, *a), reg(st, *b));
            let taint = fa.taint.or(fb.taint);
            let lt = matches!(ins, Instr::Lt { .. });
            let fact = match ins {
                Instr::Add { .. } => plain(fa.size.add(&fb.size)),
                Instr::Sub { .. } | Instr::Div { .. } | Instr::Rem { .. }
                    if let Some((origin, size)) = int_descent(ins, &st.lb, &fa, &fb) =>
                {
                    Fact {
                        origin,
                        strict: true,
                        halving: matches!(ins, Instr::Div { .. }),
                        ..plain(size)
                    }
                }
                Instr::Sub { .. } if fb.info == KONST && fb.val >= 0 => plain(fa.size.clone()),
                Instr::Lt { .. } | Instr::Le { .. }
                    if let Some((origin, info, val)) = relational_cmp(&st.lb, &fa, &fb, lt) =>
                {
                    Fact {
                        origin,
                        info,
                        val,
                        ..plain(Bound::zero())
                    }
                }
                Instr::Lt { .. } | Instr::Le { .. } => {
                    if fa.origin != NONE && fb.info == KONST {
                        Fact {
                            origin: fa.origin,
                            info: if lt { LT } else { LE },
                            val: fb.val,
                            ..plain(Bound::zero())
                        }
                    } else if fa.info == KONST && fb.origin != NONE {
                        Fact {
                            origin: fb.origin,
                            info: if lt { GT } else { GE },
                            val: fa.val,
                            ..plain(Bound::zero())
                        }
                    } else {
                        plain(Bound::zero())
                    }
                }
                _ => plain(Bound::top()),
            };
            set(st, *d, Fact { taint, ..fact });
        }
        Instr::Neg { d, a } => {
            let taint = reg(st, *a).taint;
            set(
                st,
                *d,
                Fact {
                    taint,
                    ..plain(Bound::top())
                },
            );
        }
        Instr::AddI { d, a, k } => {
            let af = reg(st, *a);
            let fact = match k.signum() {
                0 => af,
                -1 => Fact {
                    origin: af.origin,
                    strict: af.origin != NONE,
                    taint: af.taint,
                    ..plain(af.size.clone())
                },
                _ => Fact {
                    taint: af.taint,
                    ..plain(af.size.add_const(*k as u128))
                },
            };
            set(st, *d, fact);
        }
        Instr::Eq { d, a, b } | Instr::Ne { d, a, b } => {
            let (fa, fb) = (reg(st, *a), reg(st, *b));
            let taint = fa.taint.or(fb.taint);
            // The walk visits at most the nodes of either operand: prefer a
            // constant size, then a piece of a parameter (pieces are summed
            // along a recursion), else the first operand.
            let is_const = |b: &Bound| b.vars().is_empty();
            let is_piece = |b: &Bound| b.vars().iter().any(|&v| out.piece_of(v).is_some());
            let smaller_const = is_const(&fb.size)
                && (!is_const(&fa.size) || fb.size.eval(&[]) < fa.size.eval(&[]));
            let piece = !is_const(&fa.size) && !is_piece(&fa.size) && is_piece(&fb.size);
            let size = if smaller_const || piece {
                &fb.size
            } else {
                &fa.size
            };
            // Node pairs and 32-byte words compared, at the `isa!` table's rates.
            let node = u128::from(GAS_EQ_NODE);
            let word = u128::from(Opcode::Eq.cost(Size::ComparedBytes, WORD as u64));
            let cost = match ty(*a) {
                Ty::Int | Ty::Bool | Ty::Unit => Bound::constant(node),
                Ty::Bytes => size.scale(word).add_const(node),
                Ty::Adt(t) => {
                    let (per_cell, has_bytes) = types.eq_factor(t);
                    let mut c = size.scale(per_cell * node);
                    if has_bytes {
                        c = c.add(&size.scale(word));
                    }
                    c
                }
            };
            st.gas = st.gas.add(&cost);
            set(
                st,
                *d,
                Fact {
                    taint,
                    ..plain(Bound::zero())
                },
            );
        }
        Instr::Not { d, a } => {
            let af = reg(st, *a);
            let flipped = negated(af.info);
            let fact = if flipped != 0 {
                Fact {
                    info: flipped,
                    ..af
                }
            } else {
                Fact {
                    taint: af.taint,
                    ..plain(Bound::zero())
                }
            };
            set(st, *d, fact);
        }
        Instr::BLen { d, a } => {
            let af = reg(st, *a);
            set(
                st,
                *d,
                Fact {
                    taint: af.taint,
                    ..plain(af.size.scale(WORD))
                },
            );
        }
        Instr::BConcat { d, a, b } => {
            let (fa, fb) = (reg(st, *a), reg(st, *b));
            // In words: words(a ++ b) <= words(a) + words(b).
            let len = fa.size.add(&fb.size);
            let per_word = Opcode::BConcat.cost(Size::OutputBytes, WORD as u64);
            st.gas = st.gas.add(&len.scale(u128::from(per_word)));
            st.mem = st.mem.add(&len.scale(WORD));
            set(
                st,
                *d,
                Fact {
                    taint: fa.taint.or(fb.taint),
                    ..plain(len)
                },
            );
        }
        Instr::BSlice { d, a, .. } => {
            let af = reg(st, *a);
            set(
                st,
                *d,
                Fact {
                    taint: af.taint,
                    ..plain(af.size)
                },
            );
        }
        Instr::MapEmpty { .. }
        | Instr::MapGet { .. }
        | Instr::MapContains { .. }
        | Instr::MapInsert { .. }
        | Instr::MapRemove { .. }
        | Instr::MapSize { .. }
        | Instr::MapToList { .. }
        | Instr::MapFromList { .. } => {
            let (d, fact) = super::maps::step(m, ins, st, &ty);
            set(st, d, fact);
        }
        Instr::Sha256 { d, a }
        | Instr::Blake2b256 { d, a }
        | Instr::Keccak256 { d, a }
        | Instr::Sha3_256 { d, a } => {
            let af = reg(st, *a);
            // Sizes are in words of at most 32 bytes; the table's term for
            // 32 bytes bounds it per word (a charge rounds up per total).
            let per_word = ins.opcode().cost(Size::InputBytes, WORD as u64);
            st.gas = st.gas.add(&af.size.scale(u128::from(per_word)));
            st.mem.add_const_in_place(32);
            set(
                st,
                *d,
                Fact {
                    taint: af.taint,
                    ..plain(Bound::constant(1))
                },
            );
        }
        Instr::Ed25519Verify { d, k, m, s }
        | Instr::SchnorrVerify { d, k, m, s }
        | Instr::EcdsaVerify { d, k, m, s } => {
            let per_word = ins.opcode().cost(Size::MessageBytes, WORD as u64);
            let (kf, mf, sf) = (reg(st, *k), reg(st, *m), reg(st, *s));
            if per_word > 0 {
                st.gas = st.gas.add(&mf.size.scale(u128::from(per_word)));
            }
            set(
                st,
                *d,
                Fact {
                    taint: kf.taint.or(mf.taint).or(sf.taint),
                    ..plain(Bound::zero())
                },
            );
        }
    }
    let _ = (fi, Opcode::Ret);
}
