//! Every op the evaluator runs, declared once.
//!
//! The [`for_each_op!`] table below lists the internal ops: the *base* ops
//! the verifier lowers instructions into (1:1, in [`Program::ops`]) and the
//! *fused* ops that [`fuse`](crate::fuse) forms from them in
//! [`Program::fast`]. The [`Op`] enum, its [`OpKind`] and everything the
//! evaluator and the fusion pass need to know about an op are generated
//! from it, not written per op:
//!
//! - a base op names the ISA instruction it lowers from (`from Add`, or an
//!   expression of its operands for one op standing for several
//!   instructions, `from (f.opcode())`), plus the size terms of that
//!   instruction it fixes statically (`+ Fields(n)`): its gas is the
//!   [`isa!`](crate::isa) table's base gas and those terms, nothing else;
//! - a base op's class says whether it ends a straight-line run: `step`
//!   (no), `flow` (it may transfer control or trap) or `data` (its cost
//!   depends on the data, so it charges that cost itself);
//! - a fused op is defined as the sequence of base ops it stands for
//!   (`= [AddI, TailCallS]`): the ops at its index and after it in
//!   [`Program::ops`]. Its gas is the gas of those parts
//!   ([`Program::fused_gas`]); it ends a run if its last part does; it
//!   may stand for its parts only if no part but the last ends a run (so
//!   charging by run covers it, checked by a test over [`OpKind::FUSED`]);
//!   and fusion keeps a fused op only where the code holds its parts
//!   ([`OpKind::parts`], checked in [`crate::fuse::fuse`]).
//!
//! The table is a macro that hands its rows to another macro (as wasmi's
//! `for_each_op`), so further views of the ops can be generated from the
//! same rows.
//!
//! [`Program::ops`]: crate::program::Program::ops
//! [`Program::fast`]: crate::program::Program::fast
//! [`Program::fused_gas`]: crate::program::Program::fused_gas

use crate::crypto::{HashFn, SigScheme};
use crate::isa::{Opcode, Size};
use crate::program::MapKind;
use crate::types::Ty;

/// Calls `$m!` with the table of every internal op (see the module
/// documentation for the row syntax).
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            base {
                /// Return register `a`.
                Ret { a: u16 } from Ret flow;
                /// Jump to `t`.
                Jmp { t: u32 } from Jmp flow;
                /// Jump to `t` if the Bool `c` is true.
                BrIf { c: u16, t: u32 } from BrIf flow;
                /// Jump to `t` if the Bool `c` is false.
                BrIfNot { c: u16, t: u32 } from BrIfNot flow;
                /// Jump to `t` if `a < k`.
                BrLtI { a: u16, k: i64, t: u32 } from BrLtI flow;
                /// Jump to `t` if `a <= k`.
                BrLeI { a: u16, k: i64, t: u32 } from BrLeI flow;
                /// Jump to `t` if `a > k`.
                BrGtI { a: u16, k: i64, t: u32 } from BrGtI flow;
                /// Jump to `t` if `a >= k`.
                BrGeI { a: u16, k: i64, t: u32 } from BrGeI flow;
                /// Jump to `t` if `a == k`.
                BrEqI { a: u16, k: i64, t: u32 } from BrEqI flow;
                /// Jump to `t` if `a != k`.
                BrNeI { a: u16, k: i64, t: u32 } from BrNeI flow;
                /// Jump to `t` if `a < b`.
                BrLt { a: u16, b: u16, t: u32 } from BrLt flow;
                /// Jump to `t` if `a <= b`.
                BrLe { a: u16, b: u16, t: u32 } from BrLe flow;
                /// Targets are `switch_targets[table + tag]`.
                Switch { s: u16, table: u32 } from Switch flow;
                /// Arguments are `arg_regs[args .. args + arity(f)]`; `up` is the
                /// caller's frame size (the callee's registers start `up + 1` slots
                /// above the caller's, after the return link). Its gas here is the
                /// base: the rest depends on the callee ([`Program::op_gas`]).
                ///
                /// [`Program::op_gas`]: crate::program::Program::op_gas
                Call { d: u16, up: u16, f: u32, args: u32 } from Call flow;
                /// A tail call, arguments as in [`Op::Call`].
                TailCall { f: u32, args: u32 } from TailCall flow;
                /// Call of a function with at most 3 parameters: arguments inline
                /// (unused entries are register 0), callee entry resolved, `up` as in
                /// [`Op::Call`].
                CallS { d: u16, up: u16, entry: u32, a: [u16; 3], n: u8 } from Call flow;
                /// Tail call with at most 3 arguments, resolved like [`Op::CallS`].
                TailCallS { entry: u32, a: [u16; 3], n: u8 } from TailCall flow;
                /// Allocation of a cell with 1 to 3 fields given inline.
                ConS { d: u16, tag: u16, a: [u16; 3], n: u8 } from Con + Fields(n) step;
                /// Copy `s` to `d`.
                Mov { d: u16, s: u16 } from Mov step;
                /// Load a slot value that fits an `i64` (Int, Bool, unit: the
                /// `int`, `bool` and `unit` instructions, of equal gas).
                Imm { d: u16, k: i64 } from Int step;
                /// A nullary variant (no allocation; costs what `con` costs).
                Nullary { d: u16, k: i64 } from Con step;
                /// Load `const_slots[k]`.
                Const { d: u16, k: u32 } from Const step;
                /// Trap with the Bytes constant `const_slots[k]` as the reason.
                Fail { k: u32 } from Fail flow;
                /// Allocate a cell with `tag` and fields `arg_regs[fields .. fields + n]`.
                Con { d: u16, tag: u32, n: u16, fields: u32 } from Con + Fields(n) step;
                /// Load field `i` of the cell in `s` into `d`.
                Field { d: u16, s: u16, i: u16 } from Field step;
                /// Int `d = a + b`.
                Add { d: u16, a: u16, b: u16 } from Add step;
                /// Int `d = a - b`.
                Sub { d: u16, a: u16, b: u16 } from Sub step;
                /// Int `d = a * b`.
                Mul { d: u16, a: u16, b: u16 } from Mul step;
                /// Int `d = a / b`.
                Div { d: u16, a: u16, b: u16 } from Div step;
                /// Int `d = a % b`.
                Rem { d: u16, a: u16, b: u16 } from Rem step;
                /// Int `d = -a`.
                Neg { d: u16, a: u16 } from Neg step;
                /// Int `d = a + k`.
                AddI { d: u16, a: u16, k: i64 } from AddI step;
                /// Bool `d = a < b`.
                Lt { d: u16, a: u16, b: u16 } from Lt step;
                /// Bool `d = a <= b`.
                Le { d: u16, a: u16, b: u16 } from Le step;
                /// Equality of one-slot scalars (Int, Bool, unit); `neg` for `!=`:
                /// always one node pair, a fixed cost.
                EqScalar { d: u16, a: u16, b: u16, neg: bool } from Eq + NodePairs(1_u64) step;
                /// Structural equality of values of type `ty`; `neg` for `!=`.
                EqDeep { d: u16, a: u16, b: u16, ty: Ty, neg: bool } from Eq data;
                /// Bool `d = !a`.
                Not { d: u16, a: u16 } from Not step;
                /// Int `d` = length of Bytes `a`.
                BLen { d: u16, a: u16 } from BLen step;
                /// Bytes `d = a ++ b`.
                BConcat { d: u16, a: u16, b: u16 } from BConcat data;
                /// Bytes `d = a[start .. start + len]`.
                BSlice { d: u16, a: u16, start: u16, len: u16 } from BSlice step;
                /// A 32-byte digest of `a` (the hash instructions).
                Hash { d: u16, a: u16, f: HashFn } from (f.opcode()) data;
                /// A signature check: key `k`, message `m`, signature `s`.
                SigVerify { d: u16, k: u16, m: u16, s: u16, f: SigScheme } from (f.opcode()) data;
                /// A `map.*` instruction: `d = kind(a, b, c)`; `key_bytes`: keys
                /// are Bytes (else Int).
                Map { d: u16, kind: MapKind, a: u16, b: u16, c: u16, key_bytes: bool }
                    from (kind.opcode()) data;
                /// Dead code (never reached, per the verifier); no gas.
                Unreachable {} from - flow;
            }
            fused {
                /// `field d1, s, i1` then `field d2, s, i2` (the next op), with
                /// `d1 != s`.
                Field2 { d1: u16, i1: u16, d2: u16, i2: u16, s: u16 } = [Field, Field];
                /// `add.i` then the [`Op::TailCallS`] that follows it.
                AddITail { d: u16, a: u16, k: i64 } = [AddI, TailCallS];
                /// `add.i` then the [`Op::CallS`] that follows it.
                AddICall { d: u16, a: u16, k: i64 } = [AddI, CallS];
                /// [`Op::CallS`] of a function whose first op is an Int guard on a
                /// parameter, resolved at the call site in `call_guards[g]`: the call
                /// runs the guard too, and when the guard leads to a `ret` of a
                /// parameter (a base case), it returns that argument without a frame.
                CallG { d: u16, up: u16, g: u32, a: [u16; 3], n: u8 } = [CallS];
                /// `add.i` then the [`Op::CallG`] that follows it.
                AddICallG { d: u16, a: u16, k: i64 } = [AddI, CallS];
                /// `add` then the [`Op::TailCallS`] that follows it.
                AddTail { d: u16, a: u16, b: u16 } = [Add, TailCallS];
                /// `add` then the [`Op::Ret`] of its sum that follows it (the sum
                /// is returned, not written: the frame ends).
                AddRet { d: u16, a: u16, b: u16 } = [Add, Ret];
                /// [`Op::ConS`] then the [`Op::TailCallS`] that follows it.
                ConSTail { d: u16, tag: u16, a: [u16; 3], n: u8 } = [ConS, TailCallS];
                /// `add.i`, then the `add` and the [`Op::TailCallS`] that follow it
                /// (the next op is their [`Op::AddTail`]): an accumulator step
                /// (`f(n - 1, acc + n)`).
                AddIAddTail { d: u16, a: u16, k: i64 } = [AddI, Add, TailCallS];
                /// `add.i`, then the [`Op::ConS`] and the [`Op::TailCallS`] that
                /// follow it (the next op is their [`Op::ConSTail`]): a list
                /// builder's step (`f(n - 1, [n, ..acc])`).
                AddIConTail { d: u16, a: u16, k: i64 } = [AddI, ConS, TailCallS];
                /// [`Op::AddIAddTail`] whose tail call passes exactly the two sums
                /// (in either order: the next op, an [`Op::AddTailDirect`], says
                /// which parameter the second one goes to): they are written to
                /// the parameters directly, not through the (dead after the call)
                /// register of the second sum.
                AddIAddTailDirect { d: u16, a: u16, k: i64 } = [AddI, Add, TailCallS];
                /// [`Op::AddTail`] whose tail call passes two arguments, one the
                /// sum and the other another register: the sum goes to its
                /// parameter `at` (0 or 1) directly.
                AddTailDirect { d: u16, a: u16, b: u16, at: u8 } = [Add, TailCallS];
                /// [`Op::AddIConTail`] whose tail call passes exactly the sum and
                /// the new cell, the cell as parameter `at` (0 or 1) and the sum
                /// as the other (see [`Op::AddIAddTailDirect`]).
                AddIConTailDirect { d: u16, a: u16, k: i64, at: u8 } = [AddI, ConS, TailCallS];
                /// A loop: [`Op::AddIAddTailDirect`] whose tail call enters a
                /// function whose first op is a guard
                /// ([`Guard`](crate::fuse::Guard)) with this op as one successor.
                /// It runs the step, the guard and the step again without a
                /// dispatch for as long as the guard comes back to it.
                AddIAddLoop { d: u16, a: u16, k: i64 } = [AddI, Add, TailCallS];
                /// A loop: [`Op::AddIConTailDirect`] whose tail call comes back to
                /// it through the callee's guard, as [`Op::AddIAddLoop`].
                AddIConLoop { d: u16, a: u16, k: i64, at: u8 } = [AddI, ConS, TailCallS];
                /// A loop: [`Op::AddTailDirect`] right after an [`Op::Field2`] (at
                /// the two slots before it), whose tail call comes back to that
                /// `Field2` through the callee's guard: the step of a fold that
                /// sums (`f(rest, acc + x)` or `f(acc + x, rest)` after
                /// `Cons(x, rest)` is taken apart; the sum goes to parameter `at`).
                FieldsAddLoop { d: u16, a: u16, b: u16, at: u8 } = [Add, TailCallS];
                /// [`Op::ConS`] then the [`Op::Ret`] that follows it.
                ConSRet { d: u16, tag: u16, a: [u16; 3], n: u8 } = [ConS, Ret];
            }
        }
    };
}

/// Whether a base op ends a straight-line run, from its class in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Straight-line: control goes on to the next op, at a fixed cost.
    Step,
    /// It may transfer control (branch, call, return) or trap.
    Flow,
    /// Its cost depends on the data: it charges that itself.
    Data,
}

/// The ISA opcode a base op lowers from, as a table row writes it.
macro_rules! op_source {
    (-) => {
        None
    };
    (($e:expr)) => {
        Some($e)
    };
    ($op:ident) => {
        Some(Opcode::$op)
    };
}

/// A base op's class, as a table row writes it.
macro_rules! op_class {
    (step) => {
        Class::Step
    };
    (flow) => {
        Class::Flow
    };
    (data) => {
        Class::Data
    };
}

/// Generates [`Op`], [`OpKind`] and their derived facts from the table.
macro_rules! define_ops {
    (
        base { $(
            $(#[doc = $bdoc:literal])*
            $base:ident { $($bf:ident : $bt:ty),* }
                from $src:tt $(+ $size:ident ($n:expr))* $class:ident;
        )* }
        fused { $(
            $(#[doc = $fdoc:literal])*
            $fused:ident { $($ff:ident : $ft:ty),* } = [ $($part:ident),+ ];
        )* }
    ) => {
        /// One internal operation (see [the table](self)). Registers are
        /// frame-relative `u16`s; jump targets are absolute indices into
        /// [`Program::ops`](crate::program::Program::ops).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Op {
            $( $(#[doc = $bdoc])* $base { $(#[allow(missing_docs)] $bf: $bt),* }, )*
            $( $(#[doc = $fdoc])* #[doc = ""] #[doc = concat!("Stands for `", $(stringify!($part), " "),+, "`.")]
               $fused { $(#[allow(missing_docs)] $ff: $ft),* }, )*
        }

        /// The name of an [`Op`], without its operands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum OpKind {
            $( #[doc = concat!("[`Op::", stringify!($base), "`].")] $base, )*
            $( #[doc = concat!("[`Op::", stringify!($fused), "`].")] $fused, )*
        }

        impl OpKind {
            /// Every fused op, in table order.
            pub(crate) const FUSED: &'static [OpKind] = &[$(OpKind::$fused),*];

            /// Every op, base ops first, in table order.
            #[cfg(test)]
            pub(crate) const ALL: &'static [OpKind] =
                &[$(OpKind::$base,)* $(OpKind::$fused,)*];

            /// The op's name, as the table writes it.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(OpKind::$base => stringify!($base),)*
                    $(OpKind::$fused => stringify!($fused),)*
                }
            }

            /// The base ops a fused op stands for, in order (empty for a base op).
            pub(crate) fn parts(self) -> &'static [OpKind] {
                match self {
                    $(OpKind::$base => &[],)*
                    $(OpKind::$fused => &[$(OpKind::$part),+],)*
                }
            }

            /// The class of a base op (a fused op has none of its own).
            pub(crate) fn class(self) -> Option<Class> {
                match self {
                    $(OpKind::$base => Some(op_class!($class)),)*
                    $(OpKind::$fused => None,)*
                }
            }
        }

        impl Op {
            /// This op's name.
            pub(crate) fn kind(self) -> OpKind {
                match self {
                    $(Op::$base { .. } => OpKind::$base,)*
                    $(Op::$fused { .. } => OpKind::$fused,)*
                }
            }

            /// The ISA instruction a base op lowers from (`None` for
            /// [`Op::Unreachable`] and for fused ops).
            #[allow(unused_variables)]
            pub(crate) fn opcode(self) -> Option<Opcode> {
                match self {
                    $(Op::$base { $($bf),* } => op_source!($src),)*
                    $(Op::$fused { .. } => None,)*
                }
            }

            /// The gas the per-instruction rule charges before a base op
            /// runs: its instruction's base gas plus the size terms the op
            /// fixes (the whole cost of fixed-cost instructions). For calls
            /// only the base: [`Program::op_gas`] has their whole static
            /// cost. A fused op has no gas of its own (0): it costs what its
            /// parts do ([`Program::fused_gas`]).
            ///
            /// [`Program::op_gas`]: crate::program::Program::op_gas
            /// [`Program::fused_gas`]: crate::program::Program::fused_gas
            #[allow(unused_variables)]
            pub(crate) fn gas(self) -> u64 {
                match self {
                    $(Op::$base { $($bf),* } => {
                        match self.opcode() {
                            Some(o) => o.gas() $( + o.cost(Size::$size, u64::from($n)) )*,
                            None => 0,
                        }
                    })*
                    $(Op::$fused { .. } => 0,)*
                }
            }
        }
    };
}

for_each_op!(define_ops);

impl Op {
    /// Whether the op's cost depends on the data (it charges the rest itself).
    pub(crate) fn dynamic_gas(self) -> bool {
        self.kind().dynamic_gas()
    }

    /// Whether this op ends a straight-line run: it may transfer control
    /// (branches, calls, returns, traps), or its cost depends on the data.
    pub(crate) fn ends_run(self) -> bool {
        self.kind().ends_run()
    }
}

/// The name of every fused op of the table (for the tests of fusion: each
/// must have one; not a stable interface).
#[doc(hidden)]
pub fn fused_op_names() -> Vec<&'static str> {
    OpKind::FUSED.iter().map(|k| k.name()).collect()
}

impl OpKind {
    /// Whether the cost depends on the data: a `data` base op, or a fused
    /// op with such a part.
    pub(crate) fn dynamic_gas(self) -> bool {
        match self.class() {
            Some(c) => c == Class::Data,
            None => self.parts().iter().any(|p| p.dynamic_gas()),
        }
    }

    /// Whether it ends a run: a `flow` or `data` base op, or a fused op
    /// whose last part does.
    pub(crate) fn ends_run(self) -> bool {
        match self.class() {
            Some(c) => c != Class::Step,
            None => self.parts().last().is_some_and(|p| p.ends_run()),
        }
    }

    /// Whether this is a fused op.
    pub(crate) fn is_fused(self) -> bool {
        !self.parts().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fused_op_lies_within_one_run() {
        // Charging by run covers a fused op only if no part but the last
        // can end the run (the parts after it would be charged with
        // another run, or not at all).
        for &k in OpKind::FUSED {
            let parts = k.parts();
            assert!(!parts.is_empty(), "{k:?}");
            for p in &parts[..parts.len() - 1] {
                assert!(
                    !p.ends_run(),
                    "{k:?}: {p:?} ends a run before the last part"
                );
            }
            for p in parts {
                assert!(!p.is_fused(), "{k:?}: part {p:?} is fused");
            }
        }
    }

    #[test]
    fn ops_lowered_from_several_instructions_cost_what_each_does() {
        // `int`, `bool` and `unit` all lower to `Imm`, priced as `int`.
        for o in [Opcode::Bool, Opcode::Unit] {
            assert_eq!(o.gas(), Opcode::Int.gas(), "{o:?}");
            assert!(o.terms().is_empty());
        }
    }

    #[test]
    fn the_table_names_every_op_once() {
        let mut names: Vec<_> = OpKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OpKind::ALL.len());
    }

    #[test]
    fn base_gas_comes_from_the_isa_table() {
        let con = Op::ConS {
            d: 0,
            tag: 1,
            a: [0; 3],
            n: 2,
        };
        assert_eq!(
            con.gas(),
            Opcode::Con.gas() + Opcode::Con.cost(Size::Fields, 2)
        );
        let eq = Op::EqScalar {
            d: 0,
            a: 0,
            b: 0,
            neg: false,
        };
        assert_eq!(
            eq.gas(),
            Opcode::Eq.gas() + Opcode::Eq.cost(Size::NodePairs, 1)
        );
        assert_eq!(Op::Unreachable {}.gas(), 0);
        let h = Op::Hash {
            d: 0,
            a: 0,
            f: HashFn::Keccak256,
        };
        assert_eq!(h.gas(), Opcode::Keccak256.gas());
        assert!(h.dynamic_gas() && h.ends_run());
        assert!(!Op::Add { d: 0, a: 0, b: 0 }.ends_run());
    }
}
