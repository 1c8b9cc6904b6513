//! The evaluation state outside registers: heap, Bytes arena, gas; moving
//! values in and out of it; structural equality; the rare instructions.

use crate::error::Trap;
use crate::isa::{Opcode, Size};
use crate::limits::{MAX_BYTES_ARENA, MAX_HEAP_SLOTS};
use crate::mapops::{self, Tree};
use crate::program::{
    MapKind, Op, Program, bytes_parts, bytes_slot, cell_offset, cell_slot, nullary_slot, slot_tag,
};
use crate::spare::{self, Slots};
use crate::types::{AdtDef, Ty};
use crate::value::{Node, Value};

macro_rules! trap {
    ($t:expr) => {
        return Err($t)
    };
}

/// Memory of one node of a result's tree form, as the memory bound counts
/// it (`lang-spec/bounds.md`); a Bytes node's bytes count on top.
pub const RESULT_NODE_BYTES: u64 = 32;

/// The state of one evaluation besides registers and frames: the heap of
/// cells, the Bytes arena and the remaining gas.
pub(crate) struct Machine<'a> {
    pub p: &'a Program,
    pub adts: &'a [AdtDef],
    pub heap: Vec<i128>,
    pub bytes: Vec<u8>,
    /// Gas remaining (in unchecked mode: `u64::MAX` minus the gas used).
    pub gas: u64,
    pub max_frames: usize,
    /// Most heap slots this evaluation may hold (arguments included).
    pub heap_cap: usize,
    /// Most Bytes arena bytes this evaluation may hold (constants and
    /// arguments included).
    pub arena_cap: usize,
    /// Highest register-stack slot a frame started at (see `Stats::stack_bytes`).
    pub max_base: usize,
    eq_stack: Vec<(i128, i128, Ty)>,
}

impl Drop for Machine<'_> {
    fn drop(&mut self) {
        spare::give_slots(Slots::Heap, std::mem::take(&mut self.heap));
        spare::give_bytes(std::mem::take(&mut self.bytes));
    }
}

impl<'a> Machine<'a> {
    pub(crate) fn new(p: &'a Program, adts: &'a [AdtDef], gas: u64) -> Self {
        let mut bytes = spare::take_bytes();
        bytes.extend_from_slice(&p.const_bytes);
        Machine {
            p,
            adts,
            heap: spare::take_slots(Slots::Heap),
            bytes,
            gas,
            max_frames: 0,
            heap_cap: MAX_HEAP_SLOTS,
            arena_cap: MAX_BYTES_ARENA,
            max_base: 0,
            eq_stack: Vec::new(),
        }
    }

    /// Copies a (type-checked) value into the heap; returns its slot.
    pub(crate) fn load(&mut self, v: &Value) -> Result<i128, Trap> {
        let mut stack: Vec<i128> = Vec::new();
        for n in v.nodes().iter().rev() {
            let s = match n {
                Node::Unit => 0,
                Node::Bool(b) => i128::from(*b),
                Node::Int(i) => *i,
                Node::Bytes(b) => {
                    let off = self.bytes.len();
                    if off + b.len() > self.arena_cap {
                        trap!(Trap::HeapExhausted);
                    }
                    self.bytes.extend_from_slice(b);
                    bytes_slot(off, b.len())
                }
                Node::Map { len } => {
                    let mut es = Vec::with_capacity(*len as usize);
                    for _ in 0..*len {
                        let k = stack.pop().ok_or(Trap::Internal("malformed value"))?;
                        let x = stack.pop().ok_or(Trap::Internal("malformed value"))?;
                        es.push((k, x));
                    }
                    Tree {
                        heap: &mut self.heap,
                        bytes: &self.bytes,
                        key_bytes: false,
                    }
                    .build(&es)?
                }
                Node::Cell { tag, arity: 0 } => nullary_slot(*tag),
                Node::Cell { tag, arity } => {
                    let o = self.heap.len();
                    if o + *arity as usize > self.heap_cap {
                        trap!(Trap::HeapExhausted);
                    }
                    for _ in 0..*arity {
                        self.heap
                            .push(stack.pop().ok_or(Trap::Internal("malformed value"))?);
                    }
                    cell_slot(o, *tag)
                }
            };
            stack.push(s);
        }
        match stack.as_slice() {
            [s] => Ok(*s),
            _ => Err(Trap::Internal("malformed value")),
        }
    }

    /// Copies the entry point's result, a heap value of type `ty`, out as a
    /// [`Value`] (iteratively), charging the final `ret`'s growth term
    /// (`lang-spec/bytecode.md` §7): `5 · k · max(0, |result| − allowance)`,
    /// `allowance` the measures of the ADT and Bytes arguments and `k` the
    /// nodes per unit of measure of `ty`. The measure is summed as the nodes
    /// are copied; once the charge passes the remaining gas the copy stops
    /// and the call is out of gas, nothing charged. Also returns the
    /// result's memory: [`RESULT_NODE_BYTES`] per node plus its Bytes' lengths.
    pub(crate) fn extract(
        &mut self,
        slot: i128,
        ty: Ty,
        allowance: u128,
    ) -> Result<(Value, u64), Trap> {
        let k = crate::types::nodes_per_cell(ty, &self.p.nodes_per_cell);
        let per_unit = u128::from(Opcode::Ret.cost(Size::ResultGrowth, k));
        let mut measure: u128 = 0;
        let mut cost: u128 = 0;
        let mut bytes_len: u64 = 0;
        let mut nodes = Vec::new();
        let mut stack = vec![(slot, ty)];
        while let Some((s, t)) = stack.pop() {
            let node = match t {
                Ty::Unit => Node::Unit,
                Ty::Bool => Node::Bool(s != 0),
                Ty::Int => Node::Int(s),
                Ty::Bytes => {
                    let (o, l) = bytes_parts(s);
                    measure = measure.saturating_add((l as u128).div_ceil(32));
                    cost = per_unit.saturating_mul(measure.saturating_sub(allowance));
                    bytes_len = bytes_len.saturating_add(l as u64);
                    if cost > u128::from(self.gas) {
                        trap!(Trap::OutOfGas);
                    }
                    Node::Bytes(
                        self.bytes
                            .get(o..o.saturating_add(l))
                            .unwrap_or_default()
                            .to_vec(),
                    )
                }
                Ty::Adt(_) if crate::types::map_types(t, self.adts).is_some() => {
                    let (kt, vt) = crate::types::map_types(t, self.adts).unwrap_or((t, t));
                    let es = self.view(false).entries(s).unwrap_or_default();
                    measure = measure.saturating_add(1 + es.len() as u128);
                    for &(k, x) in es.iter().rev() {
                        stack.push((x, vt));
                        stack.push((k, kt));
                    }
                    Node::Map {
                        len: es.len() as u32,
                    }
                }
                Ty::Adt(i) => {
                    let tag = slot_tag(s);
                    let fields = self
                        .adts
                        .get(i as usize)
                        .and_then(|a| a.variants.get(tag as usize))
                        .map_or(&[][..], |v| v.fields.as_slice());
                    measure = measure.saturating_add(1);
                    if s & 1 == 0 {
                        let o = cell_offset(s);
                        for (k, fd) in fields.iter().enumerate().rev() {
                            let fs = self.heap.get(o + k).copied().unwrap_or(0);
                            stack.push((fs, fd.ty));
                        }
                    }
                    Node::Cell {
                        tag,
                        arity: fields.len() as u32,
                    }
                }
            };
            cost = per_unit.saturating_mul(measure.saturating_sub(allowance));
            if cost > u128::from(self.gas) {
                trap!(Trap::OutOfGas);
            }
            nodes.push(node);
        }
        // `cost <= self.gas` here.
        self.gas -= u64::try_from(cost).unwrap_or(u64::MAX);
        let memory = (nodes.len() as u64)
            .saturating_mul(RESULT_NODE_BYTES)
            .saturating_add(bytes_len);
        let value = Value::from_nodes(nodes).unwrap_or_else(|_| Value::unit());
        Ok((value, memory))
    }

    /// A read-only view of the map trees in the heap.
    fn view(&self, key_bytes: bool) -> Tree<'_, &Vec<i128>> {
        Tree {
            heap: &self.heap,
            bytes: &self.bytes,
            key_bytes,
        }
    }

    /// Structural equality; charges gas per node pair and per Bytes word.
    fn equal(
        &mut self,
        a: i128,
        b: i128,
        ty: Ty,
        stack: &mut Vec<(i128, i128, Ty)>,
    ) -> Result<bool, Trap> {
        stack.clear();
        stack.push((a, b, ty));
        while let Some((x, y, t)) = stack.pop() {
            self.charge(Opcode::Eq.cost(Size::NodePairs, 1))?;
            match t {
                Ty::Unit | Ty::Bool | Ty::Int => {
                    if x != y {
                        return Ok(false);
                    }
                }
                Ty::Bytes => {
                    let ((xo, xl), (yo, yl)) = (bytes_parts(x), bytes_parts(y));
                    if xl != yl {
                        return Ok(false);
                    }
                    self.charge(Opcode::Eq.cost(Size::ComparedBytes, xl as u64))?;
                    if self.bytes.get(xo..xo + xl) != self.bytes.get(yo..yo + yl) {
                        return Ok(false);
                    }
                }
                Ty::Adt(_) if crate::types::map_types(t, self.adts).is_some() => {
                    let (kt, vt) = crate::types::map_types(t, self.adts).unwrap_or((t, t));
                    let view = self.view(kt == Ty::Bytes);
                    if view.size(x)? != view.size(y)? {
                        return Ok(false);
                    }
                    let (ex, ey) = (view.entries(x)?, view.entries(y)?);
                    // One node pair per entry, then its key and value.
                    self.charge(Opcode::Eq.cost(Size::NodePairs, ex.len() as u64))?;
                    for (&(kx, vx), &(ky, vy)) in ex.iter().zip(&ey).rev() {
                        stack.push((vx, vy, vt));
                        stack.push((kx, ky, kt));
                    }
                }
                Ty::Adt(i) => {
                    let (tx, ty_) = (slot_tag(x), slot_tag(y));
                    if tx != ty_ {
                        return Ok(false);
                    }
                    if x & 1 == 0 {
                        let fields = self
                            .adts
                            .get(i as usize)
                            .and_then(|a| a.variants.get(tx as usize))
                            .ok_or(Trap::Internal("bad tag"))?;
                        let (xo, yo) = (cell_offset(x), cell_offset(y));
                        for (k, fd) in fields.fields.iter().enumerate().rev() {
                            let fx = *self.heap.get(xo + k).ok_or(Trap::Internal("heap"))?;
                            let fy = *self.heap.get(yo + k).ok_or(Trap::Internal("heap"))?;
                            stack.push((fx, fy, fd.ty));
                        }
                    }
                }
            }
        }
        Ok(true)
    }

    /// Runs one `map.*` instruction on its operand slots, charging all of
    /// its gas (lang-spec/bytecode.md §9).
    fn map_op(
        &mut self,
        kind: MapKind,
        key_bytes: bool,
        a: i128,
        b: i128,
        c: i128,
    ) -> Result<i128, Trap> {
        use mapops::{GAS_MAP_READ_LEVEL as READ, GAS_MAP_WRITE_LEVEL as WRITE};
        let base = kind.opcode().gas();
        let view = self.view(key_bytes);
        let n = match kind {
            MapKind::Empty | MapKind::FromList => 0,
            _ => view.size(a)?,
        };
        let lv = mapops::levels(n);
        let per_level = |w: u64| lv.saturating_mul(mapops::level_gas(w, key_bytes, b));
        match kind {
            MapKind::Empty => {
                self.charge(base)?;
                Ok(mapops::EMPTY)
            }
            MapKind::Size => {
                self.charge(base)?;
                Ok(i128::from(n))
            }
            MapKind::Get | MapKind::Contains => {
                self.charge(base.saturating_add(per_level(READ)))?;
                let v = self.view(key_bytes).get(a, b)?;
                if kind == MapKind::Contains {
                    return Ok(i128::from(v.is_some()));
                }
                mapops::option(&mut self.heap, v)
            }
            MapKind::Insert | MapKind::Remove => {
                self.charge(base.saturating_add(per_level(WRITE)))?;
                let mut t = Tree {
                    heap: &mut self.heap,
                    bytes: &self.bytes,
                    key_bytes,
                };
                if kind == MapKind::Insert {
                    t.insert(a, b, c)
                } else {
                    t.remove(a, b)
                }
            }
            MapKind::ToList => {
                self.charge(base.saturating_add(n.saturating_mul(mapops::GAS_MAP_ENTRY)))?;
                let es = self.view(key_bytes).entries(a)?;
                if self.heap.len() + 4 * es.len() > MAX_HEAP_SLOTS {
                    trap!(Trap::HeapExhausted);
                }
                let mut list = nullary_slot(0);
                for &(k, v) in es.iter().rev() {
                    let o = self.heap.len();
                    self.heap.extend_from_slice(&[k, v, cell_slot(o, 0), list]);
                    list = cell_slot(o + 2, 1);
                }
                Ok(list)
            }
            MapKind::FromList => {
                let mut es = Vec::new();
                let mut cur = a;
                while cur & 1 == 0 {
                    let o = cell_offset(cur);
                    let (h, t) = match self.heap.get(o..o + 2) {
                        Some(&[h, t]) => (h, t),
                        _ => trap!(Trap::Internal("map.from_list")),
                    };
                    let ho = cell_offset(h);
                    match self.heap.get(ho..ho + 2) {
                        Some(&[k, v]) => es.push((k, v)),
                        _ => trap!(Trap::Internal("map.from_list")),
                    }
                    cur = t;
                }
                // Two charges: walking and sorting the list (per element,
                // per element per level, per key word per level) before the
                // sort, and building the tree (per entry of the map, that
                // is per distinct key) before the build.
                let op = Opcode::MapFromList;
                let n = es.len() as u64;
                let lv = mapops::levels(n);
                let words = es.iter().fold(0u64, |acc, &(k, _)| {
                    acc.saturating_add(mapops::key_words(key_bytes, k))
                });
                self.charge(
                    base.saturating_add(op.cost(Size::Elements, n))
                        .saturating_add(op.cost(Size::ElementLevels, n.saturating_mul(lv)))
                        .saturating_add(op.cost(Size::KeyWordLevels, words.saturating_mul(lv))),
                )?;
                let sorted = self.view(key_bytes).sort_entries(es);
                self.charge(op.cost(Size::Entries, sorted.len() as u64))?;
                Tree {
                    heap: &mut self.heap,
                    bytes: &self.bytes,
                    key_bytes,
                }
                .build(&sorted)
            }
        }
    }

    pub(crate) fn charge(&mut self, c: u64) -> Result<(), Trap> {
        if self.gas < c {
            trap!(Trap::OutOfGas);
        }
        self.gas -= c;
        Ok(())
    }

    fn bytes_of(&self, slot: i128) -> Result<(usize, usize), Trap> {
        let (o, l) = bytes_parts(slot);
        if o.checked_add(l).is_none_or(|e| e > self.bytes.len()) {
            trap!(Trap::Internal("bytes"));
        }
        Ok((o, l))
    }

    /// Operations that are rare in loops, kept out of the main loop so they
    /// do not add register pressure to it. Instructions whose cost depends
    /// on the data always charge here; fixed-cost ones only if
    /// `charge_fixed` (in the per-instruction mode).
    #[cold]
    #[inline(never)]
    pub(crate) fn slow_op(
        &mut self,
        at: usize,
        rs: &mut [i128],
        gas: u64,
        charge_fixed: bool,
    ) -> (Result<(), Trap>, u64) {
        self.gas = gas;
        let res = match self.p.ops.get(at) {
            Some(&op) => self.slow_op_inner(op, rs, charge_fixed),
            None => Err(Trap::Internal("pc")),
        };
        (res, self.gas)
    }

    fn slow_op_inner(&mut self, op: Op, rs: &mut [i128], charge_fixed: bool) -> Result<(), Trap> {
        let p = self.p;
        let get = |rs: &[i128], x: u16| {
            rs.get(usize::from(x))
                .copied()
                .ok_or(Trap::Internal("register"))
        };
        if charge_fixed && !op.dynamic_gas() {
            self.charge(op.gas())?;
        }
        let (d, v) = match op {
            Op::Con { d, tag, n, fields } => {
                let o = self.heap.len();
                if o + usize::from(n) > self.heap_cap {
                    trap!(Trap::HeapExhausted);
                }
                let fr = p
                    .arg_regs
                    .get(fields as usize..fields as usize + usize::from(n))
                    .ok_or(Trap::Internal("con"))?;
                for &f in fr {
                    let v = get(rs, f)?;
                    self.heap.push(v);
                }
                (d, cell_slot(o, tag))
            }
            Op::EqDeep { d, a, b, ty, neg } => {
                self.charge(Opcode::Eq.gas())?;
                let mut stack = std::mem::take(&mut self.eq_stack);
                let eq = self.equal(get(rs, a)?, get(rs, b)?, ty, &mut stack);
                self.eq_stack = stack;
                (d, i128::from(eq? != neg))
            }
            Op::BConcat { d, a, b } => {
                let (ao, al) = self.bytes_of(get(rs, a)?)?;
                let (bo, bl) = self.bytes_of(get(rs, b)?)?;
                let len = al + bl;
                self.charge(
                    Opcode::BConcat.gas() + Opcode::BConcat.cost(Size::OutputBytes, len as u64),
                )?;
                let off = self.bytes.len();
                if off + len > self.arena_cap {
                    trap!(Trap::HeapExhausted);
                }
                self.bytes.extend_from_within(ao..ao + al);
                self.bytes.extend_from_within(bo..bo + bl);
                (d, bytes_slot(off, len))
            }
            Op::BSlice { d, a, start, len } => {
                let (ao, al) = bytes_parts(get(rs, a)?);
                let (s, l) = (get(rs, start)?, get(rs, len)?);
                let ok = s >= 0 && l >= 0 && s.checked_add(l).is_some_and(|e| e <= al as i128);
                if !ok {
                    trap!(Trap::SliceOutOfRange);
                }
                (d, bytes_slot(ao + s as usize, l as usize))
            }
            Op::Hash { d, a, f } => {
                let (ao, al) = self.bytes_of(get(rs, a)?)?;
                self.charge(f.gas(al))?;
                let off = self.bytes.len();
                if off + 32 > self.arena_cap {
                    trap!(Trap::HeapExhausted);
                }
                let digest = f.digest(&self.bytes[ao..ao + al]);
                self.bytes.extend_from_slice(&digest);
                (d, bytes_slot(off, 32))
            }
            Op::SigVerify { d, k, m, s, f } => {
                let (ko, kl) = self.bytes_of(get(rs, k)?)?;
                let (mo, ml) = self.bytes_of(get(rs, m)?)?;
                let (so, sl) = self.bytes_of(get(rs, s)?)?;
                self.charge(f.gas(ml))?;
                let b = &self.bytes;
                let ok = f.verify(&b[ko..ko + kl], &b[mo..mo + ml], &b[so..so + sl]);
                (d, i128::from(ok))
            }
            Op::Map {
                d,
                kind,
                a,
                b,
                c,
                key_bytes,
            } => {
                let (x, y, z) = (get(rs, a)?, get(rs, b)?, get(rs, c)?);
                (d, self.map_op(kind, key_bytes, x, y, z)?)
            }
            Op::BLen { d, a } => (d, bytes_parts(get(rs, a)?).1 as i128),
            Op::Const { d, k } => (
                d,
                *p.const_slots
                    .get(k as usize)
                    .ok_or(Trap::Internal("const"))?,
            ),
            Op::Fail { k } => {
                let slot = *p
                    .const_slots
                    .get(k as usize)
                    .ok_or(Trap::Internal("const"))?;
                let (o, l) = self.bytes_of(slot)?;
                trap!(Trap::Failed(self.bytes[o..o + l].to_vec()));
            }
            _ => trap!(Trap::Internal("not a slow op")),
        };
        *rs.get_mut(usize::from(d))
            .ok_or(Trap::Internal("register"))? = v;
        Ok(())
    }
}
