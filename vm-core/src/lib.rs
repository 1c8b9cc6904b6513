//! vm-core: the Tally bytecode format, verifier and evaluator.
//!
//! **Embedding it in a node: the crate root is the embedding API**
//! ([`api`], re-exported here): [`Module::load`] once, then
//! [`Module::exports`], [`Module::bound`] and [`Module::call`] with per-call
//! [`CallLimits`]; the [`api`] docs have a runnable example and say how
//! Anoma's `evaluate(f, args, limit)` falls out. That surface is the stable
//! one.
//!
//! Two further modules serve the toolchain: [`format`], the bytecode format
//! for compilers and tools (building modules, instructions, encoding,
//! literals, disassembly, size limits), and [`internals`], the verifier,
//! evaluator and bound analysis underneath the API (for the compiler, the
//! language server and tests; not a stable interface). The format is
//! specified in `lang-spec/bytecode.md`.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
mod bound;
mod bounded;
mod builder;
mod crypto;
mod disasm;
mod error;
mod eval;
mod exec;
mod fuse;
mod isa;
mod leb;
mod limits;
mod literal;
mod loops;
mod machine;
mod mapops;
mod module;
mod ops;
mod program;
mod spare;
mod types;
mod value;
mod verify;

pub use api::{
    AdtDef, AdtKind, Bounds, CallError, CallLimits, DecodeError, Export, FieldDef, LoadError,
    LoadLimits, Module, Node, Outcome, Trap, Ty, Value, ValueError, VariantDef, VerifyError,
    decode_args, encode_args, type_name,
};

/// The bytecode format, for compilers and tools: building modules,
/// instructions, the module encoding, literals, disassembly, size limits.
pub mod format {
    pub use crate::builder::{BuildError, FunctionBuilder, Label, ModuleBuilder};
    pub use crate::disasm::disassemble;
    pub use crate::error::{DecodeError, LiteralError};
    pub use crate::isa::{
        AdtId, ConstId, FuncId, Instr, Jump, Opcode, Reg, Size, Term, spec_table,
    };
    pub use crate::literal::{parse_literal, print_literal};
    pub use crate::module::{Const, Export, FORMAT_VERSION, Function, MAGIC, Module, VM_ID};
    pub use crate::types::{AdtDef, AdtKind, FieldDef, Ty, VariantDef, type_name};

    /// Module building.
    pub mod builder {
        pub use crate::builder::*;
    }
    /// Disassembly.
    pub mod disasm {
        pub use crate::disasm::*;
    }
    /// The instruction set and its gas table.
    pub mod isa {
        pub use crate::isa::*;
    }
    /// LEB128 readers and writers of the encoding.
    pub mod leb {
        pub use crate::leb::*;
    }
    /// Size limits of the format and of evaluation.
    pub mod limits {
        pub use crate::limits::*;
    }
    /// Tally literals as values.
    pub mod literal {
        pub use crate::literal::*;
    }
    /// The module structure and its encoding.
    pub mod module {
        pub use crate::module::*;
    }
    /// Types of the type table.
    pub mod types {
        pub use crate::types::*;
    }
}

/// The verifier, evaluator and bound analysis underneath [`crate::api`],
/// for the compiler, the language server and tests. Not a stable interface.
pub mod internals {
    pub use crate::bound::{BoundError, Bounds, FnBounds, MAX_STACK_BYTES, bound};
    pub use crate::bounded::{Bounded, OverLimit, evaluate_bounded};
    pub use crate::error::{
        DecodeError, LiteralError, LoadError, Place, Trap, ValueError, VerifyError, VerifyErrorKind,
    };
    pub use crate::eval::{
        Metering, Options, Outcome, Stats, evaluate, evaluate_encoded, evaluate_with,
        evaluate_with_stats,
    };
    #[doc(hidden)]
    pub use crate::ops::fused_op_names;
    pub use crate::value::{Node, Value};
    pub use crate::verify::{VerifiedModule, load, verify};

    /// Static bounds: analysis, formulas, evaluation on arguments.
    pub mod bound {
        pub use crate::bound::*;
    }
    /// Bound-guided evaluation.
    pub mod bounded {
        pub use crate::bounded::*;
    }
    /// Error types.
    pub mod error {
        pub use crate::error::*;
    }
    /// The evaluator.
    pub mod eval {
        pub use crate::eval::*;
    }
    /// Values and their canonical encoding.
    pub mod value {
        pub use crate::value::*;
    }
    /// Signature verification and hashing behind the crypto intrinsics.
    pub mod crypto {
        pub use crate::crypto::*;
    }
    /// The verifier.
    pub mod verify {
        pub use crate::verify::*;
    }
}
