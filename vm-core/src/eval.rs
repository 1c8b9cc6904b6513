//! The evaluator: runs a [`VerifiedModule`] with exact gas accounting.
//!
//! Registers of all frames live in one vector of 16-byte slots; frames are
//! windows into it and the call stack is an explicit vector, so no Rust
//! recursion depends on program data. Tail calls reuse the current window.
//! Constructor cells live in a bump-allocated heap of slots (`[tag, fields..]`)
//! and Bytes in a byte arena; both are freed at once when evaluation ends,
//! so nothing is ever dropped recursively.
//!
//! Slot representation (the verifier guarantees each register's type):
//! Int = the value; Bool = 0/1; unit = 0; Bytes = `offset << 64 | length`;
//! ADT = `tag << 1 | 1` for a nullary variant, `offset << 1` for a cell.

use sha2::{Digest, Sha256};

use crate::error::Trap;
use crate::isa::Opcode;
use crate::limits::{MAX_BYTES_ARENA, MAX_CALL_DEPTH, MAX_HEAP_SLOTS, MAX_STACK_SLOTS};
use crate::program::{Op, Program, bytes_parts, bytes_slot, nullary_slot};
use crate::types::{AdtDef, Ty};
use crate::value::{Node, Value};
use crate::verify::VerifiedModule;

/// Register slots kept spare above the top frame, so inline call operands
/// padded with register 0 never index past the register vector.
const SLACK: usize = 4;

/// Width of a frame window: every register index is below it, so indexing a
/// window needs no bounds check.
const WINDOW: usize = crate::limits::MAX_REGS as usize;
const _: () = assert!(WINDOW.is_power_of_two());

/// Gas for each node pair visited by structural equality.
pub const GAS_EQ_NODE: u64 = 1;
/// Gas per 32-byte word of Bytes compared, copied or concatenated.
pub const GAS_BYTES_WORD: u64 = 1;
/// Gas per field of an allocated cell.
pub const GAS_CON_FIELD: u64 = 1;
/// Gas per byte hashed by SHA-256.
pub const GAS_SHA256_BYTE: u64 = 2;

#[derive(Debug, Clone, Copy)]
struct Frame {
    ret_pc: u32,
    base: u32,
    nregs: u16,
    dest: u16,
}

/// Statistics of one evaluation (for tests and tooling).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Deepest call stack reached (frames, the entry frame included).
    pub max_frames: usize,
    /// Heap slots allocated (16 bytes each).
    pub heap_slots: usize,
}

/// Runs entry point `entry` on `args` within `gas_limit`; returns the result
/// (or trap) and the gas used. Never panics.
pub fn evaluate(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64) {
    let (r, g, _) = evaluate_with_stats(vm, entry, args, gas_limit);
    (r, g)
}

/// Like [`evaluate`], with arguments in the canonical encoding of [`crate::value::encode_args`].
pub fn evaluate_encoded(
    vm: &VerifiedModule,
    entry: &str,
    args: &[u8],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64) {
    match crate::value::decode_args(args) {
        Ok(a) => evaluate(vm, entry, &a, gas_limit),
        Err(e) => (Err(Trap::BadArguments(e.into())), 0),
    }
}

/// Like [`evaluate`], also returning [`Stats`].
pub fn evaluate_with_stats(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64, Stats) {
    let m = vm.module();
    let Ok(ei) = m.exports.binary_search_by(|e| e.name.as_str().cmp(entry)) else {
        return (
            Err(Trap::UnknownEntry(entry.to_string())),
            0,
            Stats::default(),
        );
    };
    let fi = m.exports[ei].func.0 as usize;
    let Some(f) = m.functions.get(fi) else {
        return (
            Err(Trap::Internal("export out of range")),
            0,
            Stats::default(),
        );
    };
    if args.len() != f.params.len() {
        let e = crate::error::ValueError::ArgumentCount {
            expected: f.params.len(),
            found: args.len(),
        };
        return (Err(Trap::BadArguments(e)), 0, Stats::default());
    }
    for (a, &t) in args.iter().zip(&f.params) {
        if let Err(e) = a.check(t, &m.adts) {
            return (Err(Trap::BadArguments(e)), 0, Stats::default());
        }
    }
    let mut mach = Machine::new(&vm.program, &m.adts, gas_limit);
    let mut slots = Vec::new();
    for a in args {
        match mach.load(a) {
            Ok(s) => slots.push(s),
            Err(t) => return (Err(t), 0, Stats::default()),
        }
    }
    let result = mach.run(fi, &slots).map(|s| mach.extract(s, f.result));
    let used = gas_limit - mach.gas;
    let stats = Stats {
        max_frames: mach.max_frames,
        heap_slots: mach.heap.len(),
    };
    (result, used, stats)
}

struct Machine<'a> {
    p: &'a Program,
    adts: &'a [AdtDef],
    heap: Vec<i128>,
    bytes: Vec<u8>,
    gas: u64,
    max_frames: usize,
    eq_stack: Vec<(i128, i128, Ty)>,
}

macro_rules! trap {
    ($t:expr) => {
        return Err($t)
    };
}

impl<'a> Machine<'a> {
    fn new(p: &'a Program, adts: &'a [AdtDef], gas: u64) -> Self {
        Machine {
            p,
            adts,
            heap: Vec::new(),
            bytes: p.const_bytes.clone(),
            gas,
            max_frames: 0,
            eq_stack: Vec::new(),
        }
    }

    /// Copies a (type-checked) value into the heap; returns its slot.
    fn load(&mut self, v: &Value) -> Result<i128, Trap> {
        let mut stack: Vec<i128> = Vec::new();
        for n in v.nodes().iter().rev() {
            let s = match n {
                Node::Unit => 0,
                Node::Bool(b) => i128::from(*b),
                Node::Int(i) => *i,
                Node::Bytes(b) => {
                    let off = self.bytes.len();
                    if off + b.len() > MAX_BYTES_ARENA {
                        trap!(Trap::HeapExhausted);
                    }
                    self.bytes.extend_from_slice(b);
                    bytes_slot(off, b.len())
                }
                Node::Cell { tag, arity: 0 } => nullary_slot(*tag),
                Node::Cell { tag, arity } => {
                    let o = self.heap.len();
                    if o + 1 + *arity as usize > MAX_HEAP_SLOTS {
                        trap!(Trap::HeapExhausted);
                    }
                    self.heap.push(i128::from(*tag));
                    for _ in 0..*arity {
                        self.heap
                            .push(stack.pop().ok_or(Trap::Internal("malformed value"))?);
                    }
                    (o as i128) << 1
                }
            };
            stack.push(s);
        }
        match stack.as_slice() {
            [s] => Ok(*s),
            _ => Err(Trap::Internal("malformed value")),
        }
    }

    fn tag_of(&self, slot: i128) -> u32 {
        if slot & 1 == 1 {
            (slot >> 1) as u32
        } else {
            self.heap
                .get((slot >> 1) as usize)
                .map_or(u32::MAX, |&t| t as u32)
        }
    }

    /// Copies a heap value of type `ty` out as a [`Value`] (iteratively).
    fn extract(&self, slot: i128, ty: Ty) -> Value {
        let mut nodes = Vec::new();
        let mut stack = vec![(slot, ty)];
        while let Some((s, t)) = stack.pop() {
            nodes.push(match t {
                Ty::Unit => Node::Unit,
                Ty::Bool => Node::Bool(s != 0),
                Ty::Int => Node::Int(s),
                Ty::Bytes => {
                    let (o, l) = bytes_parts(s);
                    Node::Bytes(
                        self.bytes
                            .get(o..o.saturating_add(l))
                            .unwrap_or_default()
                            .to_vec(),
                    )
                }
                Ty::Adt(i) => {
                    let tag = self.tag_of(s);
                    let fields = self
                        .adts
                        .get(i as usize)
                        .and_then(|a| a.variants.get(tag as usize))
                        .map_or(&[][..], |v| v.fields.as_slice());
                    if s & 1 == 0 {
                        let o = (s >> 1) as usize;
                        for (k, fd) in fields.iter().enumerate().rev() {
                            let fs = self.heap.get(o + 1 + k).copied().unwrap_or(0);
                            stack.push((fs, fd.ty));
                        }
                    }
                    Node::Cell {
                        tag,
                        arity: fields.len() as u32,
                    }
                }
            });
        }
        Value::from_nodes(nodes).unwrap_or_else(|_| Value::unit())
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
            self.charge(GAS_EQ_NODE)?;
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
                    self.charge(words(xl) * GAS_BYTES_WORD)?;
                    if self.bytes.get(xo..xo + xl) != self.bytes.get(yo..yo + yl) {
                        return Ok(false);
                    }
                }
                Ty::Adt(i) => {
                    let (tx, ty_) = (self.tag_of(x), self.tag_of(y));
                    if tx != ty_ {
                        return Ok(false);
                    }
                    if x & 1 == 0 {
                        let fields = self
                            .adts
                            .get(i as usize)
                            .and_then(|a| a.variants.get(tx as usize))
                            .ok_or(Trap::Internal("bad tag"))?;
                        let (xo, yo) = ((x >> 1) as usize, (y >> 1) as usize);
                        for (k, fd) in fields.fields.iter().enumerate().rev() {
                            let fx = *self.heap.get(xo + 1 + k).ok_or(Trap::Internal("heap"))?;
                            let fy = *self.heap.get(yo + 1 + k).ok_or(Trap::Internal("heap"))?;
                            stack.push((fx, fy, fd.ty));
                        }
                    }
                }
            }
        }
        Ok(true)
    }

    fn charge(&mut self, c: u64) -> Result<(), Trap> {
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
    /// do not add register pressure to it. Gas is charged here.
    #[cold]
    #[inline(never)]
    fn slow_op(&mut self, at: usize, rs: &mut [i128], gas: u64) -> (Result<(), Trap>, u64) {
        self.gas = gas;
        let res = match self.p.ops.get(at) {
            Some(&op) => self.slow_op_inner(op, rs, usize::from),
            None => Err(Trap::Internal("pc")),
        };
        (res, self.gas)
    }

    fn slow_op_inner(
        &mut self,
        op: Op,
        rs: &mut [i128],
        r: impl Fn(u16) -> usize,
    ) -> Result<(), Trap> {
        let p = self.p;
        let get = |rs: &[i128], x: u16| rs.get(r(x)).copied().ok_or(Trap::Internal("register"));
        let (d, v) = match op {
            Op::Con { d, tag, n, fields } => {
                self.charge(Opcode::Con.gas() + u64::from(n) * GAS_CON_FIELD)?;
                let o = self.heap.len();
                if o + 1 + usize::from(n) > MAX_HEAP_SLOTS {
                    trap!(Trap::HeapExhausted);
                }
                let fr = p
                    .arg_regs
                    .get(fields as usize..fields as usize + usize::from(n))
                    .ok_or(Trap::Internal("con"))?;
                self.heap.push(i128::from(tag));
                for &f in fr {
                    let v = get(rs, f)?;
                    self.heap.push(v);
                }
                (d, (o as i128) << 1)
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
                self.charge(Opcode::BConcat.gas() + words(len) * GAS_BYTES_WORD)?;
                let off = self.bytes.len();
                if off + len > MAX_BYTES_ARENA {
                    trap!(Trap::HeapExhausted);
                }
                self.bytes.extend_from_within(ao..ao + al);
                self.bytes.extend_from_within(bo..bo + bl);
                (d, bytes_slot(off, len))
            }
            Op::BSlice { d, a, start, len } => {
                self.charge(Opcode::BSlice.gas())?;
                let (ao, al) = bytes_parts(get(rs, a)?);
                let (s, l) = (get(rs, start)?, get(rs, len)?);
                let ok = s >= 0 && l >= 0 && s.checked_add(l).is_some_and(|e| e <= al as i128);
                if !ok {
                    trap!(Trap::SliceOutOfRange);
                }
                (d, bytes_slot(ao + s as usize, l as usize))
            }
            Op::Sha256 { d, a } => {
                let (ao, al) = self.bytes_of(get(rs, a)?)?;
                self.charge(Opcode::Sha256.gas() + (al as u64).saturating_mul(GAS_SHA256_BYTE))?;
                let off = self.bytes.len();
                if off + 32 > MAX_BYTES_ARENA {
                    trap!(Trap::HeapExhausted);
                }
                let digest = Sha256::digest(&self.bytes[ao..ao + al]);
                self.bytes.extend_from_slice(&digest);
                (d, bytes_slot(off, 32))
            }
            Op::BLen { d, a } => {
                self.charge(Opcode::BLen.gas())?;
                (d, bytes_parts(get(rs, a)?).1 as i128)
            }
            Op::Const { d, k } => {
                self.charge(Opcode::Const.gas())?;
                (
                    d,
                    *p.const_slots
                        .get(k as usize)
                        .ok_or(Trap::Internal("const"))?,
                )
            }
            _ => trap!(Trap::Internal("not a slow op")),
        };
        *rs.get_mut(r(d)).ok_or(Trap::Internal("register"))? = v;
        Ok(())
    }

    /// The interpreter loop. Returns the result slot of the entry function.
    fn run(&mut self, entry: usize, args: &[i128]) -> Result<i128, Trap> {
        let p = self.p;
        let ops = p.ops.as_slice();
        // The verifier pads the code to a power of two: `pc & mask` is `pc`
        // for every pc it allows, and needs no bounds check.
        if !ops.len().is_power_of_two() {
            return Err(Trap::Internal("code not padded"));
        }
        let mask = ops.len() - 1;
        let info = *p.funcs.get(entry).ok_or(Trap::Internal("entry"))?;
        let mut stack: Vec<i128> = vec![0; WINDOW + SLACK];
        stack[..args.len()].copy_from_slice(args);
        let mut win: &mut [i128; WINDOW] =
            match stack.get_mut(..WINDOW).map(<&mut [i128; WINDOW]>::try_from) {
                Some(Ok(w)) => w,
                _ => return Err(Trap::Internal("window")),
            };
        let mut frames: Vec<Frame> = Vec::new();
        let mut tmp: Vec<i128> = Vec::new();
        let mut pc = info.entry as usize;
        let mut base = 0usize;
        let mut nregs = info.nregs;
        let mut gas = self.gas;
        self.max_frames = 1;

        let result = 'run: loop {
            macro_rules! fail {
                ($t:expr) => {
                    break 'run Err(cold($t))
                };
            }
            macro_rules! charge {
                ($c:expr) => {{
                    let c: u64 = $c;
                    if gas < c {
                        fail!(Trap::OutOfGas);
                    }
                    gas -= c;
                }};
            }
            macro_rules! r {
                ($x:expr) => {
                    win[usize::from($x) & (WINDOW - 1)]
                };
            }
            // Moves the window to `$b`, growing the register stack so that a
            // whole window fits above it.
            macro_rules! window {
                ($b:expr) => {{
                    let b: usize = $b;
                    if b + WINDOW > stack.len() {
                        if b > MAX_STACK_SLOTS {
                            fail!(Trap::StackOverflow);
                        }
                        let len = (b + WINDOW + SLACK).max(stack.len() * 2);
                        stack.resize(len, 0);
                    }
                    match stack
                        .get_mut(b..b + WINDOW)
                        .map(<&mut [i128; WINDOW]>::try_from)
                    {
                        Some(Ok(w)) => w,
                        _ => fail!(Trap::Internal("window")),
                    }
                }};
            }
            macro_rules! int_op {
                ($d:expr, $a:expr, $b:expr, $opc:expr, $f:ident) => {{
                    charge!($opc.gas());
                    match r!($a).$f(r!($b)) {
                        Some(v) => r!($d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }};
            }
            macro_rules! br_imm {
                ($opc:expr, $a:expr, $k:expr, $t:expr, $cmp:tt) => {{
                    charge!($opc.gas());
                    if r!($a) $cmp i128::from($k) {
                        pc = $t as usize;
                    }
                }};
            }
            let op = &ops[pc & mask];
            pc += 1;
            match *op {
                Op::AddI { d, a, k } => {
                    charge!(Opcode::AddI.gas());
                    match r!(a).checked_add(i128::from(k)) {
                        Some(v) => r!(d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }
                Op::Add { d, a, b } => int_op!(d, a, b, Opcode::Add, checked_add),
                Op::Sub { d, a, b } => int_op!(d, a, b, Opcode::Sub, checked_sub),
                Op::Mul { d, a, b } => int_op!(d, a, b, Opcode::Mul, checked_mul),
                Op::Div { d, a, b } | Op::Rem { d, a, b } => {
                    let rem = matches!(*op, Op::Rem { .. });
                    charge!(if rem {
                        Opcode::Rem.gas()
                    } else {
                        Opcode::Div.gas()
                    });
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        fail!(Trap::DivisionByZero);
                    }
                    match if rem {
                        x.checked_rem(y)
                    } else {
                        x.checked_div(y)
                    } {
                        Some(v) => r!(d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }
                Op::Neg { d, a } => {
                    charge!(Opcode::Neg.gas());
                    match r!(a).checked_neg() {
                        Some(v) => r!(d) = v,
                        None => fail!(Trap::Overflow),
                    }
                }
                Op::Lt { d, a, b } => {
                    charge!(Opcode::Lt.gas());
                    r!(d) = i128::from(r!(a) < r!(b));
                }
                Op::Le { d, a, b } => {
                    charge!(Opcode::Le.gas());
                    r!(d) = i128::from(r!(a) <= r!(b));
                }
                Op::Not { d, a } => {
                    charge!(Opcode::Not.gas());
                    r!(d) = i128::from(r!(a) == 0);
                }
                Op::Mov { d, s } => {
                    charge!(Opcode::Mov.gas());
                    r!(d) = r!(s);
                }
                Op::Imm { d, k } => {
                    charge!(Opcode::Int.gas());
                    r!(d) = i128::from(k);
                }
                Op::Nullary { d, k } => {
                    charge!(Opcode::Con.gas());
                    r!(d) = i128::from(k);
                }
                Op::Jmp { t } => {
                    charge!(Opcode::Jmp.gas());
                    pc = t as usize;
                }
                Op::BrIf { c, t } => {
                    charge!(Opcode::BrIf.gas());
                    if r!(c) != 0 {
                        pc = t as usize;
                    }
                }
                Op::BrIfNot { c, t } => {
                    charge!(Opcode::BrIfNot.gas());
                    if r!(c) == 0 {
                        pc = t as usize;
                    }
                }
                Op::BrLtI { a, k, t } => br_imm!(Opcode::BrLtI, a, k, t, <),
                Op::BrLeI { a, k, t } => br_imm!(Opcode::BrLeI, a, k, t, <=),
                Op::BrGtI { a, k, t } => br_imm!(Opcode::BrGtI, a, k, t, >),
                Op::BrGeI { a, k, t } => br_imm!(Opcode::BrGeI, a, k, t, >=),
                Op::BrEqI { a, k, t } => br_imm!(Opcode::BrEqI, a, k, t, ==),
                Op::BrNeI { a, k, t } => br_imm!(Opcode::BrNeI, a, k, t, !=),
                Op::BrLt { a, b, t } => {
                    charge!(Opcode::BrLt.gas());
                    if r!(a) < r!(b) {
                        pc = t as usize;
                    }
                }
                Op::BrLe { a, b, t } => {
                    charge!(Opcode::BrLe.gas());
                    if r!(a) <= r!(b) {
                        pc = t as usize;
                    }
                }
                Op::Switch { s, table } => {
                    charge!(Opcode::Switch.gas());
                    let v = r!(s);
                    let tag = if v & 1 == 1 {
                        (v >> 1) as usize
                    } else {
                        match self.heap.get((v >> 1) as usize) {
                            Some(&t) => t as usize,
                            None => fail!(Trap::Internal("switch")),
                        }
                    };
                    match p.switch_targets.get(table as usize + tag) {
                        Some(&t) => pc = t as usize,
                        None => fail!(Trap::Internal("switch")),
                    }
                }
                Op::ConS { d, tag, a, n } => {
                    charge!(Opcode::Con.gas() + u64::from(n) * GAS_CON_FIELD);
                    let o = self.heap.len();
                    if o + 4 > MAX_HEAP_SLOTS {
                        fail!(Trap::HeapExhausted);
                    }
                    let t = i128::from(tag);
                    match n {
                        1 => self.heap.extend_from_slice(&[t, r!(a[0])]),
                        2 => self.heap.extend_from_slice(&[t, r!(a[0]), r!(a[1])]),
                        _ => self
                            .heap
                            .extend_from_slice(&[t, r!(a[0]), r!(a[1]), r!(a[2])]),
                    }
                    r!(d) = (o as i128) << 1;
                }
                Op::Field2 { d1, i1, d2, i2, s } => {
                    charge!(Opcode::Field.gas());
                    let o = (r!(s) >> 1) as usize;
                    match self.heap.get(o + 1 + usize::from(i1)) {
                        Some(&v) => r!(d1) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                    charge!(Opcode::Field.gas());
                    match self.heap.get(o + 1 + usize::from(i2)) {
                        Some(&v) => r!(d2) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                    pc += 1;
                }
                Op::Field { d, s, i } => {
                    charge!(Opcode::Field.gas());
                    let o = (r!(s) >> 1) as usize;
                    match self.heap.get(o + 1 + usize::from(i)) {
                        Some(&v) => r!(d) = v,
                        None => fail!(Trap::Internal("field")),
                    }
                }
                Op::EqScalar { d, a, b, neg } => {
                    // Base, then the one node pair (charged separately, as deep equality does).
                    charge!(Opcode::Eq.gas());
                    charge!(GAS_EQ_NODE);
                    r!(d) = i128::from((r!(a) == r!(b)) != neg);
                }
                Op::CallS {
                    d,
                    nregs: cn,
                    entry,
                    a,
                    n: _,
                } => {
                    charge!(Opcode::Call.gas());
                    if frames.len() + 1 >= MAX_CALL_DEPTH {
                        fail!(Trap::StackOverflow);
                    }
                    // Unused argument slots copy register 0 into callee
                    // registers that are not yet initialised: harmless.
                    let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                    frames.push(Frame {
                        ret_pc: pc as u32,
                        base: base as u32,
                        nregs,
                        dest: d,
                    });
                    base += usize::from(nregs);
                    win = window!(base);
                    win[0] = v[0];
                    win[1] = v[1];
                    win[2] = v[2];
                    nregs = cn;
                    pc = entry as usize;
                }
                Op::TailCallS {
                    nregs: cn,
                    entry,
                    a,
                    n,
                } => {
                    charge!(Opcode::TailCall.gas());
                    // Parallel move: read every argument before writing any.
                    if n <= 2 {
                        let v = [r!(a[0]), r!(a[1])];
                        win[0] = v[0];
                        win[1] = v[1];
                    } else {
                        let v = [r!(a[0]), r!(a[1]), r!(a[2])];
                        win[0] = v[0];
                        win[1] = v[1];
                        win[2] = v[2];
                    }
                    nregs = cn;
                    pc = entry as usize;
                }
                Op::Ret { a } => {
                    charge!(Opcode::Ret.gas());
                    let v = r!(a);
                    if frames.len() >= self.max_frames {
                        self.max_frames = frames.len() + 1;
                    }
                    match frames.pop() {
                        None => break 'run Ok(v),
                        Some(fr) => {
                            base = fr.base as usize;
                            win = window!(base);
                            nregs = fr.nregs;
                            pc = fr.ret_pc as usize;
                            r!(fr.dest) = v;
                        }
                    }
                }
                Op::Call { d, f, args } => {
                    charge!(Opcode::Call.gas());
                    let Some(&callee) = p.funcs.get(f as usize) else {
                        fail!(Trap::Internal("call"))
                    };
                    if frames.len() + 1 >= MAX_CALL_DEPTH {
                        fail!(Trap::StackOverflow);
                    }
                    let Some(ar) = p
                        .arg_regs
                        .get(args as usize..args as usize + usize::from(callee.nparams))
                    else {
                        fail!(Trap::Internal("args"))
                    };
                    tmp.clear();
                    tmp.extend(ar.iter().map(|&x| r!(x)));
                    frames.push(Frame {
                        ret_pc: pc as u32,
                        base: base as u32,
                        nregs,
                        dest: d,
                    });
                    base += usize::from(nregs);
                    win = window!(base);
                    for (slot, &x) in win.iter_mut().zip(&tmp) {
                        *slot = x;
                    }
                    nregs = callee.nregs;
                    pc = callee.entry as usize;
                }
                Op::TailCall { f, args } => {
                    charge!(Opcode::TailCall.gas());
                    let Some(&callee) = p.funcs.get(f as usize) else {
                        fail!(Trap::Internal("call"))
                    };
                    let Some(ar) = p
                        .arg_regs
                        .get(args as usize..args as usize + usize::from(callee.nparams))
                    else {
                        fail!(Trap::Internal("args"))
                    };
                    tmp.clear();
                    tmp.extend(ar.iter().map(|&x| r!(x)));
                    for (slot, &x) in win.iter_mut().zip(&tmp) {
                        *slot = x;
                    }
                    nregs = callee.nregs;
                    pc = callee.entry as usize;
                }
                Op::Unreachable => fail!(Trap::Internal("unreachable")),
                Op::Con { .. }
                | Op::EqDeep { .. }
                | Op::BConcat { .. }
                | Op::BSlice { .. }
                | Op::Sha256 { .. }
                | Op::BLen { .. }
                | Op::Const { .. } => {
                    let (res, g) = self.slow_op(pc - 1, &mut win[..], gas);
                    gas = g;
                    if let Err(t) = res {
                        fail!(t);
                    }
                }
            }
        };
        self.gas = gas;
        result
    }
}

/// Marks trap paths as unlikely for the optimiser.
#[cold]
#[inline(never)]
fn cold(t: Trap) -> Trap {
    t
}

/// 32-byte words covering `len` bytes.
fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}
