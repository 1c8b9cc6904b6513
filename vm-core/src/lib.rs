//! vm-core: the Tally bytecode format, verifier and evaluator.
//!
//! A node's path: [`Module::decode`] untrusted bytes, [`verify()`] them into a
//! [`VerifiedModule`], then [`evaluate`] an exported entry point on
//! arguments (as [`Value`]s, their canonical encoding, or Tally literals via
//! [`parse_literal`]). A compiler's path: build a [`Module`] with
//! [`ModuleBuilder`] and [`FunctionBuilder`], then [`Module::encode`].
//! The format is specified in `lang-spec/bytecode.md`.

#![warn(missing_docs)]

pub mod bound;
pub mod bounded;
pub mod builder;
pub mod disasm;
pub mod error;
pub mod eval;
mod exec;
mod fuse;
pub mod isa;
pub mod leb;
pub mod limits;
pub mod literal;
mod loops;
mod machine;
pub(crate) mod mapops;
pub mod module;
mod program;
mod spare;
pub mod types;
pub mod value;
pub mod verify;

pub use bound::{BoundError, Bounds, FnBounds, MAX_STACK_BYTES, bound};
pub use bounded::{Bounded, OverLimit, evaluate_bounded};
pub use builder::{FunctionBuilder, Label, ModuleBuilder};
pub use disasm::disassemble;
pub use error::{
    DecodeError, LiteralError, LoadError, Place, Trap, ValueError, VerifyError, VerifyErrorKind,
};
pub use eval::{
    Metering, Options, Outcome, Stats, evaluate, evaluate_encoded, evaluate_with,
    evaluate_with_stats,
};
pub use isa::{AdtId, ConstId, FuncId, Instr, Jump, Opcode, Reg, Size, Term};
pub use literal::{parse_literal, print_literal};
pub use module::{Const, Export, Function, Module};
pub use types::{AdtDef, AdtKind, FieldDef, Ty, VariantDef};
pub use value::{Node, Value};
pub use verify::{VerifiedModule, load, verify};
