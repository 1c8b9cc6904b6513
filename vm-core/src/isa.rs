//! The instruction set, declared once.
//!
//! The `isa!` table below is the single source of truth: the [`Opcode`]
//! enum, the [`Instr`] enum, the byte encoder and decoder, the
//! disassembler's operand printing, the verifier's operand range checks and
//! the base gas table are all generated from it.
//!
//! # Bit layout
//!
//! An instruction is one opcode byte followed by its operands in the order
//! listed, each in its own encoding (no padding, no alignment):
//!
//! ```text
//!   +--------+-----------+-----------+-----
//!   | opcode | operand 0 | operand 1 | ...
//!   +--------+-----------+-----------+-----
//!     1 byte   variable    variable
//! ```
//!
//! | operand kind | meaning                     | encoding                                   |
//! |--------------|-----------------------------|--------------------------------------------|
//! | `Reg`        | register of the frame        | ULEB128 u32, `< frame size`                |
//! | `i64`        | immediate integer            | SLEB128 i64                                |
//! | `Jump`       | forward jump                 | SLEB128 i32 `delta`; target = pc + 1 + delta, `delta >= 0` |
//! | `FuncId`     | function index               | ULEB128 u32                                |
//! | `AdtId`      | ADT index in the type table  | ULEB128 u32                                |
//! | `ConstId`    | constant pool index          | ULEB128 u32                                |
//! | `u32`        | variant or field index       | ULEB128 u32                                |
//! | `bool`       | boolean flag                 | one byte, 0 or 1                           |
//! | `Vec<Reg>`   | register list                | ULEB128 count (≤ 255), then each `Reg`     |
//! | `Vec<Jump>`  | jump table                   | ULEB128 count (≤ 256), then each `Jump`    |
//!
//! Jump deltas count *instructions*, not bytes, so an instruction's encoding
//! never depends on the sizes of the others.

use crate::error::{DecodeError, VerifyErrorKind};
use crate::leb::{Reader, write_sleb, write_uleb};
use crate::limits;
use crate::module::Module;

/// A register of the current frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reg(pub u32);

/// A forward jump: the target is `pc + 1 + delta` (in instructions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Jump(pub i32);

/// A function index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FuncId(pub u32);

/// An index into the module's ADT table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AdtId(pub u32);

/// An index into the module's constant pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConstId(pub u32);

/// Context for operand printing and range checks.
pub(crate) struct OperandCtx<'a> {
    pub module: &'a Module,
    pub nregs: u32,
    pub code_len: usize,
    pub pc: usize,
}

/// One operand kind: how it is encoded, decoded, printed and range-checked.
pub(crate) trait Operand: Sized {
    fn encode(&self, out: &mut Vec<u8>);
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String);
    fn check(&self, _ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        Ok(())
    }
    fn jumps_mut<'a>(&'a mut self, _out: &mut Vec<&'a mut Jump>) {}
}

impl Operand for Reg {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, u128::from(self.0));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(Reg)
    }
    fn fmt(&self, _: &OperandCtx<'_>, out: &mut String) {
        out.push_str(&format!("r{}", self.0));
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        if self.0 < ctx.nregs {
            Ok(())
        } else {
            Err(VerifyErrorKind::BadRegister(self.0))
        }
    }
}

impl Operand for i64 {
    fn encode(&self, out: &mut Vec<u8>) {
        write_sleb(out, i128::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos();
        i64::try_from(r.sleb(64)?).map_err(|_| DecodeError::IntegerTooLarge { offset: at })
    }
    fn fmt(&self, _: &OperandCtx<'_>, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Operand for Jump {
    fn encode(&self, out: &mut Vec<u8>) {
        write_sleb(out, i128::from(self.0));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos();
        i32::try_from(r.sleb(32)?)
            .map(Jump)
            .map_err(|_| DecodeError::IntegerTooLarge { offset: at })
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        out.push_str(&format!("@{}", ctx.pc as i64 + 1 + i64::from(self.0)));
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        if self.0 < 0 {
            return Err(VerifyErrorKind::BackwardJump(self.0));
        }
        let target = ctx.pc as i64 + 1 + i64::from(self.0);
        if target >= ctx.code_len as i64 {
            return Err(VerifyErrorKind::JumpOutOfRange(target));
        }
        Ok(())
    }
    fn jumps_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Jump>) {
        out.push(self);
    }
}

impl Operand for FuncId {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, u128::from(self.0));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(FuncId)
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        match ctx.module.functions.get(self.0 as usize) {
            Some(f) => out.push_str(&format!("f{} `{}`", self.0, f.name)),
            None => out.push_str(&format!("f{}", self.0)),
        }
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        if (self.0 as usize) < ctx.module.functions.len() {
            Ok(())
        } else {
            Err(VerifyErrorKind::BadFunction(self.0))
        }
    }
}

impl Operand for AdtId {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, u128::from(self.0));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(AdtId)
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        match ctx.module.adts.get(self.0 as usize) {
            Some(a) => out.push_str(&format!("t{} `{}`", self.0, a.name)),
            None => out.push_str(&format!("t{}", self.0)),
        }
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        if (self.0 as usize) < ctx.module.adts.len() {
            Ok(())
        } else {
            Err(VerifyErrorKind::BadType(self.0))
        }
    }
}

impl Operand for ConstId {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, u128::from(self.0));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32().map(ConstId)
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        out.push_str(&format!("k{}", self.0));
        if let Some(c) = ctx.module.consts.get(self.0 as usize) {
            out.push_str(&format!(" ({c})"));
        }
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        if (self.0 as usize) < ctx.module.consts.len() {
            Ok(())
        } else {
            Err(VerifyErrorKind::BadConst(self.0))
        }
    }
}

impl Operand for u32 {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, u128::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32()
    }
    fn fmt(&self, _: &OperandCtx<'_>, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Operand for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos();
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(DecodeError::BadTag {
                what: "boolean",
                value: u64::from(v),
                offset: at,
            }),
        }
    }
    fn fmt(&self, _: &OperandCtx<'_>, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Operand for Vec<Reg> {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, self.len() as u128);
        for r in self {
            r.encode(out);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count(limits::MAX_PARAMS, "register list length")?;
        (0..n).map(|_| Reg::decode(r)).collect()
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        out.push('(');
        for (i, r) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            r.fmt(ctx, out);
        }
        out.push(')');
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        self.iter().try_for_each(|r| r.check(ctx))
    }
}

impl Operand for Vec<Jump> {
    fn encode(&self, out: &mut Vec<u8>) {
        write_uleb(out, self.len() as u128);
        for j in self {
            j.encode(out);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count(limits::MAX_VARIANTS, "jump table length")?;
        (0..n).map(|_| Jump::decode(r)).collect()
    }
    fn fmt(&self, ctx: &OperandCtx<'_>, out: &mut String) {
        out.push('[');
        for (i, j) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            j.fmt(ctx, out);
        }
        out.push(']');
    }
    fn check(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
        self.iter().try_for_each(|j| j.check(ctx))
    }
    fn jumps_mut<'a>(&'a mut self, out: &mut Vec<&'a mut Jump>) {
        out.extend(self.iter_mut());
    }
}

/// A quantity an instruction's gas grows with: what a [`Term`] counts.
///
/// The vocabulary is shared by every instruction; each size is known to
/// the evaluator when the instruction runs, and is static or bounded by a
/// measure for the bound analysis (`lang-spec/bytecode.md` §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// Arguments a call or tail call copies (static: the register list).
    Args,
    /// Registers of the frame a call pushes (static: the callee's frame size).
    FrameRegs,
    /// Fields of the cell a `con` allocates (static).
    Fields,
    /// Node pairs a structural comparison visits.
    NodePairs,
    /// Bytes compared by a structural comparison (of equal-length Bytes).
    ComparedBytes,
    /// Bytes of the instruction's input.
    InputBytes,
    /// Bytes of the message a signature check hashes.
    MessageBytes,
    /// Bytes of the instruction's result.
    OutputBytes,
    /// Elements (nodes, entries) of a collection the instruction walks.
    Elements,
    /// `⌈log2(n + 1)⌉` for a collection of `n` elements (a tree descent).
    Log2Elements,
    /// Growth of the value an entry point hands back to the host over its
    /// arguments: `k · max(0, |result| − Σ |argument|)`, measures as in
    /// `lang-spec/bounds.md` (ADT and Bytes arguments only) and `k` the
    /// nodes per unit of measure of the result's type.
    ResultGrowth,
    /// Levels of a map descent times the 32-byte words of the key compared
    /// at each (summed over the keys for `map.from_list`).
    KeyWordLevels,
    /// Elements times the levels `⌈log2(n + 1)⌉` of their collection.
    ElementLevels,
    /// Entries of the map an instruction builds (distinct keys).
    Entries,
}

impl Size {
    /// [`Size::noun`] for several units (`per 8 registers of ...`).
    pub const fn plural(self) -> &'static str {
        match self {
            Size::Args => "arguments",
            Size::FrameRegs => "registers of the callee's frame",
            Size::Fields => "fields",
            Size::NodePairs => "node pairs visited",
            Size::ComparedBytes => "bytes of equal-length Bytes compared",
            Size::InputBytes => "input bytes",
            Size::MessageBytes => "message bytes",
            Size::OutputBytes => "bytes of the result",
            Size::Elements => "elements",
            Size::Log2Elements => "levels of log2(elements + 1)",
            Size::KeyWordLevels => "32-byte words of the key per level",
            Size::ElementLevels => "elements per level",
            Size::Entries => "entries of the map built",
            Size::ResultGrowth => "nodes the entry point's result grew by",
        }
    }

    /// What the size counts, as the spec's gas table words it (singular).
    pub const fn noun(self) -> &'static str {
        match self {
            Size::Args => "argument",
            Size::FrameRegs => "register of the callee's frame",
            Size::Fields => "field",
            Size::NodePairs => "node pair visited",
            Size::ComparedBytes => "bytes of equal-length Bytes compared",
            Size::InputBytes => "input byte",
            Size::MessageBytes => "message byte",
            Size::OutputBytes => "bytes of the result",
            Size::Elements => "element",
            Size::Log2Elements => "level of log2(elements + 1)",
            Size::KeyWordLevels => "32-byte word of the key per level",
            Size::ElementLevels => "element per level",
            Size::Entries => "entry of the map built",
            Size::ResultGrowth => "node the entry point's result grew by",
        }
    }
}

/// One size-dependent part of an instruction's gas: `coef · ⌈n / per⌉`
/// for `n` of the [`Size`] (with `per = 32`: per 32-byte word begun).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    /// What is counted.
    pub size: Size,
    /// Gas per unit.
    pub coef: u64,
    /// Units of the size per gas unit charged (at least 1).
    pub per: u64,
}

impl Term {
    /// The gas of this term for `n` of its size (saturating).
    pub const fn charge(self, n: u64) -> u64 {
        self.coef.saturating_mul(n.div_ceil(self.per))
    }

    /// The term in words: `+1 per argument`, `+1 per 32 bytes of the result`.
    pub fn describe(self) -> String {
        match self.per {
            1 => format!("+{} per {}", self.coef, self.size.noun()),
            per => format!("+{} per {per} {}", self.coef, self.size.plural()),
        }
    }
}

macro_rules! isa {
    ($( #[doc = $doc:literal] $code:literal $name:ident $mn:literal gas $gas:literal
        [ $( $size:ident $coef:literal / $per:literal ),* ]
        { $($field:ident : $fty:ty),* } )*) => {
        /// The opcode byte of each instruction.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Opcode { $( #[doc = $doc] $name = $code, )* }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The opcode with this byte, if any.
            pub fn from_byte(b: u8) -> Option<Opcode> {
                match b { $($code => Some(Opcode::$name),)* _ => None }
            }

            /// The assembly mnemonic.
            pub fn mnemonic(self) -> &'static str {
                match self { $(Opcode::$name => $mn,)* }
            }

            /// The base gas cost, charged before the instruction executes.
            pub const fn gas(self) -> u64 {
                match self { $(Opcode::$name => $gas,)* }
            }

            /// The size-dependent parts of the gas cost (empty if none).
            pub const fn terms(self) -> &'static [Term] {
                match self { $(Opcode::$name => &[$(Term { size: Size::$size, coef: $coef, per: $per }),*],)* }
            }

            /// The gas of `n` units of `size` for this instruction: its term
            /// of that size charged on `n`, 0 if it has none.
            pub const fn cost(self, size: Size, n: u64) -> u64 {
                let terms = self.terms();
                let mut i = 0;
                while i < terms.len() {
                    if terms[i].size as u8 == size as u8 {
                        return terms[i].charge(n);
                    }
                    i += 1;
                }
                0
            }

            /// A one-line meaning.
            pub fn meaning(self) -> &'static str {
                match self { $(Opcode::$name => $doc.trim_ascii(),)* }
            }

            /// The operand list as written in the table.
            pub fn operands(self) -> &'static str {
                match self { $(Opcode::$name => stringify!($($field: $fty),*),)* }
            }
        }

        /// A decoded instruction (operands exactly as encoded).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Instr { $( #[doc = $doc] $name { $( #[allow(missing_docs)] $field: $fty ),* }, )* }

        impl Instr {
            /// This instruction's opcode.
            pub fn opcode(&self) -> Opcode {
                match self { $(Instr::$name { .. } => Opcode::$name,)* }
            }

            /// Appends the canonical encoding.
            pub fn encode(&self, out: &mut Vec<u8>) {
                match self {
                    $(Instr::$name { $($field),* } => {
                        out.push($code);
                        $( Operand::encode($field, out); )*
                    })*
                }
            }

            /// Decodes one instruction.
            pub fn decode(r: &mut Reader<'_>) -> Result<Instr, DecodeError> {
                let at = r.pos();
                let b = r.byte()?;
                match b {
                    $($code => Ok(Instr::$name { $( $field: <$fty as Operand>::decode(r)? ),* }),)*
                    _ => Err(DecodeError::BadTag { what: "opcode", value: u64::from(b), offset: at }),
                }
            }

            /// Prints the operands, comma-separated.
            #[allow(unused_assignments, unused_mut, unused_variables)]
            pub(crate) fn fmt_operands(&self, ctx: &OperandCtx<'_>, out: &mut String) {
                match self {
                    $(Instr::$name { $($field),* } => {
                        let mut sep = "";
                        $( out.push_str(sep); sep = ", "; Operand::fmt($field, ctx, out); )*
                    })*
                }
            }

            /// Range-checks every operand (registers, indices, jump targets).
            #[allow(unused_variables)]
            pub(crate) fn check_operands(&self, ctx: &OperandCtx<'_>) -> Result<(), VerifyErrorKind> {
                match self {
                    $(Instr::$name { $($field),* } => {
                        $( Operand::check($field, ctx)?; )*
                        Ok(())
                    })*
                }
            }

            /// Mutable references to every jump operand (for label resolution).
            #[allow(unused_variables, unused_mut)]
            pub fn jumps_mut(&mut self) -> Vec<&mut Jump> {
                let mut out = Vec::new();
                match self {
                    $(Instr::$name { $($field),* } => { $( Operand::jumps_mut($field, &mut out); )* })*
                }
                out
            }
        }
    };
}

isa! {
    /// Return register `a` to the caller, or as the result of the entry point: the entry point's final `ret` also pays for what its result grew by over the arguments (§7).
    0x00 Ret "ret" gas 2 [ResultGrowth 5 / 1] { a: Reg }
    /// Jump forward to `t`.
    0x01 Jmp "jmp" gas 1 [] { t: Jump }
    /// Jump to `t` if the Bool `c` is true.
    0x02 BrIf "br.if" gas 1 [] { c: Reg, t: Jump }
    /// Jump to `t` if the Bool `c` is false.
    0x03 BrIfNot "br.ifnot" gas 1 [] { c: Reg, t: Jump }
    /// Jump to `t` if Int `a < k`.
    0x04 BrLtI "br.lt.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a <= k`.
    0x05 BrLeI "br.le.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a > k`.
    0x06 BrGtI "br.gt.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a >= k`.
    0x07 BrGeI "br.ge.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a == k`.
    0x08 BrEqI "br.eq.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a != k`.
    0x09 BrNeI "br.ne.i" gas 1 [] { a: Reg, k: i64, t: Jump }
    /// Jump to `t` if Int `a < b`.
    0x0a BrLt "br.lt" gas 1 [] { a: Reg, b: Reg, t: Jump }
    /// Jump to `t` if Int `a <= b`.
    0x0b BrLe "br.le" gas 1 [] { a: Reg, b: Reg, t: Jump }
    /// Jump to the target of the variant (tag) of ADT `s`; one target per variant.
    0x0e Switch "switch" gas 2 [] { s: Reg, t: Vec<Jump> }
    /// Call `f` with `args`; its result goes to `d`.
    0x10 Call "call" gas 5 [Args 1 / 1, FrameRegs 1 / 8] { d: Reg, f: FuncId, args: Vec<Reg> }
    /// Tail call: replace the current frame by a call of `f` with `args`.
    0x11 TailCall "tailcall" gas 4 [Args 1 / 2] { f: FuncId, args: Vec<Reg> }
    /// Copy register `s` to `d`.
    0x18 Mov "mov" gas 1 [] { d: Reg, s: Reg }
    /// Load the Int immediate `k` into `d`.
    0x19 Int "int" gas 1 [] { d: Reg, k: i64 }
    /// Load constant `k` (Int or Bytes) into `d`.
    0x1a Const "const" gas 5 [] { d: Reg, k: ConstId }
    /// Load the Bool `v` into `d`.
    0x1b Bool "bool" gas 1 [] { d: Reg, v: bool }
    /// Load `()` into `d`.
    0x1c Unit "unit" gas 1 [] { d: Reg }
    /// Trap with the reason held in Bytes constant `k`: the whole call ends without a result.
    0x1d Fail "fail" gas 1 [] { k: ConstId }
    /// Build variant `v` of ADT `t` from `fields` into `d` (allocates one cell if it has fields).
    0x20 Con "con" gas 2 [Fields 1 / 1] { d: Reg, t: AdtId, v: u32, fields: Vec<Reg> }
    /// Load field `i` of `s` (whose variant a switch established) into `d`.
    0x21 Field "field" gas 1 [] { d: Reg, s: Reg, i: u32 }
    /// Int `d = a + b` (traps on overflow).
    0x28 Add "add" gas 1 [] { d: Reg, a: Reg, b: Reg }
    /// Int `d = a - b` (traps on overflow).
    0x29 Sub "sub" gas 1 [] { d: Reg, a: Reg, b: Reg }
    /// Int `d = a * b` (traps on overflow).
    0x2a Mul "mul" gas 2 [] { d: Reg, a: Reg, b: Reg }
    /// Int `d = a / b`, truncating (traps on zero divisor and MIN / -1).
    0x2b Div "div" gas 3 [] { d: Reg, a: Reg, b: Reg }
    /// Int `d = a % b`, sign of `a` (traps on zero divisor and MIN % -1).
    0x2c Rem "rem" gas 3 [] { d: Reg, a: Reg, b: Reg }
    /// Int `d = -a` (traps on overflow).
    0x2d Neg "neg" gas 1 [] { d: Reg, a: Reg }
    /// Int `d = a + k` for an immediate `k` (traps on overflow).
    0x2e AddI "add.i" gas 1 [] { d: Reg, a: Reg, k: i64 }
    /// Bool `d = a < b` on Int.
    0x30 Lt "lt" gas 1 [] { d: Reg, a: Reg, b: Reg }
    /// Bool `d = a <= b` on Int.
    0x31 Le "le" gas 1 [] { d: Reg, a: Reg, b: Reg }
    /// Bool `d = a == b`, structural equality on values of one type.
    0x32 Eq "eq" gas 1 [NodePairs 1 / 1, ComparedBytes 1 / 48] { d: Reg, a: Reg, b: Reg }
    /// Bool `d = a != b`, structural.
    0x33 Ne "ne" gas 1 [NodePairs 1 / 1, ComparedBytes 1 / 48] { d: Reg, a: Reg, b: Reg }
    /// Bool `d = !a`.
    0x34 Not "not" gas 1 [] { d: Reg, a: Reg }
    /// Int `d = length of Bytes a`.
    0x38 BLen "bytes.len" gas 1 [] { d: Reg, a: Reg }
    /// Bytes `d = a ++ b`.
    0x39 BConcat "bytes.concat" gas 2 [OutputBytes 1 / 32] { d: Reg, a: Reg, b: Reg }
    /// Bytes `d = a[start .. start + len]` (traps if out of range).
    0x3a BSlice "bytes.slice" gas 2 [] { d: Reg, a: Reg, start: Reg, len: Reg }
    /// Bytes `d = SHA-256(a)` (32 bytes).
    0x3b Sha256 "sha256" gas 40 [InputBytes 1 / 2] { d: Reg, a: Reg }
    /// Bytes `d = BLAKE2b-256(a)` (32 bytes, unkeyed, RFC 7693). Measured 2.6× `sha256` at 32 bytes, 2.3× at 64 KiB (§4.1).
    0x3c Blake2b256 "blake2b_256" gas 140 [InputBytes 1 / 1] { d: Reg, a: Reg }
    /// Bytes `d = Keccak-256(a)` (32 bytes, the original Keccak padding, as Ethereum). Measured 6.2× `sha256` at 32 bytes, 4.9× at 64 KiB.
    0x3d Keccak256 "keccak256" gas 300 [InputBytes 2 / 1] { d: Reg, a: Reg }
    /// Bytes `d = SHA3-256(a)` (32 bytes, FIPS 202). Measured 6.7× `sha256` at 32 bytes, 4.9× at 64 KiB.
    0x3e Sha3_256 "sha3_256" gas 300 [InputBytes 2 / 1] { d: Reg, a: Reg }
    /// Bool `d`: `s` is a strict RFC 8032 Ed25519 signature of message `m` under the 32-byte key `k` (false for malformed keys or signatures). Measured 680× `sha256` of a 32-byte message, 5.3× at 64 KiB.
    0x3f Ed25519Verify "ed25519.verify" gas 30000 [MessageBytes 2 / 1] { d: Reg, k: Reg, m: Reg, s: Reg }
    /// Bool `d`: `s` is a BIP-340 Schnorr signature of message `m` under the 32-byte x-only secp256k1 key `k` (false for malformed keys or signatures). Measured 1,920× `sha256` of a 32-byte message, 4.7× at 64 KiB.
    0x40 SchnorrVerify "schnorr.verify" gas 54000 [MessageBytes 3 / 4] { d: Reg, k: Reg, m: Reg, s: Reg }
    /// Bool `d`: `s` is a 64-byte low-S ECDSA secp256k1 signature of the 32-byte hash `m` under the 33-byte compressed key `k` (false for malformed inputs). Measured 1,950× `sha256` of the 32-byte hash.
    0x41 EcdsaVerify "ecdsa.verify" gas 50000 [] { d: Reg, k: Reg, m: Reg, s: Reg }
    /// The empty map of map type `t` into `d`.
    0x48 MapEmpty "map.empty" gas 10 [] { d: Reg, t: AdtId }
    /// `d` = `Some(value at key k)` or `None` (of Option type `t`) in map `m`; levels = ⌈log2(size(m) + 1)⌉.
    0x49 MapGet "map.get" gas 10 [Log2Elements 4 / 1, KeyWordLevels 1 / 1] { d: Reg, m: Reg, k: Reg, t: AdtId }
    /// Bool `d` = map `m` has key `k`.
    0x4a MapContains "map.contains" gas 10 [Log2Elements 4 / 1, KeyWordLevels 1 / 1] { d: Reg, m: Reg, k: Reg }
    /// `d` = map `m` with key `k` mapped to `v` (a new map; `m` is unchanged).
    0x4b MapInsert "map.insert" gas 40 [Log2Elements 8 / 1, KeyWordLevels 1 / 1] { d: Reg, m: Reg, k: Reg, v: Reg }
    /// `d` = map `m` without key `k` (a new map; `m` is unchanged).
    0x4c MapRemove "map.remove" gas 40 [Log2Elements 8 / 1, KeyWordLevels 1 / 1] { d: Reg, m: Reg, k: Reg }
    /// Int `d` = number of entries of map `m`.
    0x4d MapSize "map.size" gas 10 [] { d: Reg, m: Reg }
    /// `d` = the entries of map `m` as a list `t` of (key, value) tuples, ascending keys.
    0x4e MapToList "map.to_list" gas 2 [Elements 16 / 1] { d: Reg, m: Reg, t: AdtId }
    /// `d` = the map of type `t` of the (key, value) list `l` of n entries (the last of equal keys wins); levels = ⌈log2(n + 1)⌉.
    0x4f MapFromList "map.from_list" gas 10 [Elements 2 / 1, ElementLevels 1 / 2, KeyWordLevels 1 / 1, Entries 40 / 1] { d: Reg, l: Reg, t: AdtId }
}

impl Instr {
    /// Whether this is one of the `map.*` instructions (`0x48`–`0x4f`).
    pub fn is_map(&self) -> bool {
        (0x48..=0x4f).contains(&(self.opcode() as u8))
    }

    /// The gas known before the instruction runs: its base plus its terms
    /// whose sizes the instruction fixes (arguments copied, the callee's
    /// frame, the fields of a cell). Terms of data sizes (bytes, node pairs)
    /// are charged when the instruction runs. Both the evaluator and the
    /// bound analysis use this.
    pub fn static_gas(&self, m: &Module) -> u64 {
        let op = self.opcode();
        let frame = |f: &FuncId| {
            m.functions
                .get(f.0 as usize)
                .map_or(0, |g| g.nregs() as u64)
        };
        let more = match self {
            Instr::Call { f, args, .. } => {
                op.cost(Size::Args, args.len() as u64) + op.cost(Size::FrameRegs, frame(f))
            }
            Instr::TailCall { f, args } => {
                op.cost(Size::Args, args.len() as u64) + op.cost(Size::FrameRegs, frame(f))
            }
            Instr::Con { fields, .. } => op.cost(Size::Fields, fields.len() as u64),
            _ => 0,
        };
        op.gas() + more
    }
}

/// The instruction table of `lang-spec/bytecode.md`, generated from the ISA
/// declaration (a test keeps the spec in sync with it).
pub fn spec_table() -> String {
    let mut out =
        String::from("| opcode | mnemonic | operands | gas | meaning |\n|---|---|---|---|---|\n");
    for op in Opcode::ALL {
        let gas = match op.terms() {
            [] => op.gas().to_string(),
            terms => {
                let parts: Vec<String> = terms.iter().map(|t| t.describe()).collect();
                format!("{} ({})", op.gas(), parts.join(", "))
            }
        };
        out.push_str(&format!(
            "| `0x{:02x}` | `{}` | `{}` | {} | {} |\n",
            *op as u8,
            op.mnemonic(),
            op.operands().replace(" : ", ": "),
            gas,
            op.meaning()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_lists_every_instruction_exactly() {
        let spec = include_str!("../../lang-spec/bytecode.md");
        let table = spec_table();
        assert!(
            spec.contains(&table),
            "lang-spec/bytecode.md is out of date; paste this table:\n{table}"
        );
    }

    #[test]
    fn opcode_bytes_round_trip() {
        for &op in Opcode::ALL {
            assert_eq!(Opcode::from_byte(op as u8), Some(op));
        }
    }
}
