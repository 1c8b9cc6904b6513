//! Typed errors for decoding, verification, evaluation and values.

use thiserror::Error;

/// Why a byte string is not a canonical module (or value) encoding.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended in the middle of an item.
    #[error("unexpected end of input at byte {offset}")]
    UnexpectedEnd {
        /// Byte offset where more input was needed.
        offset: usize,
    },
    /// An integer was encoded with redundant LEB128 groups.
    #[error("overlong integer encoding at byte {offset}")]
    Overlong {
        /// Byte offset of the integer.
        offset: usize,
    },
    /// An integer does not fit its field.
    #[error("integer too large at byte {offset}")]
    IntegerTooLarge {
        /// Byte offset of the integer.
        offset: usize,
    },
    /// A count or length exceeds the format's limit.
    #[error("{what} {value} exceeds the limit {limit} at byte {offset}")]
    LimitExceeded {
        /// What was counted.
        what: &'static str,
        /// The value found.
        value: u64,
        /// The limit.
        limit: u64,
        /// Byte offset of the count.
        offset: usize,
    },
    /// The magic bytes are wrong.
    #[error("not a Tally module (bad magic)")]
    BadMagic,
    /// The format version is not supported.
    #[error("unsupported format version {0}")]
    BadVersion(u32),
    /// The VM identifier is not the one this crate implements.
    #[error("unsupported VM identifier {0:?}")]
    BadVm(String),
    /// A string is not valid UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    BadUtf8 {
        /// Byte offset of the string.
        offset: usize,
    },
    /// An enumeration byte (opcode, kind, flag) has no meaning.
    #[error("invalid {what} {value} at byte {offset}")]
    BadTag {
        /// Which enumeration.
        what: &'static str,
        /// The value found.
        value: u64,
        /// Byte offset.
        offset: usize,
    },
    /// A table that must be strictly sorted is not (unsorted or duplicate).
    #[error("{what} table is not strictly sorted at entry {index}")]
    Unsorted {
        /// Which table.
        what: &'static str,
        /// Index of the first offending entry.
        index: usize,
    },
    /// Bytes remain after the last item.
    #[error("{count} trailing bytes at byte {offset}")]
    TrailingBytes {
        /// Offset of the first trailing byte.
        offset: usize,
        /// How many bytes remain.
        count: usize,
    },
    /// The bound certificate section is reserved and must be empty in this version.
    #[error("bound certificate section must be empty in format version 1")]
    CertificateNotEmpty,
}

/// Why a decoded module is rejected by the verifier. Always names the place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{place}: {kind}")]
pub struct VerifyError {
    /// Where the problem is.
    pub place: Place,
    /// What the problem is.
    pub kind: VerifyErrorKind,
}

/// A location in a module, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The type table entry with this index.
    Type(u32),
    /// The export table entry with this index.
    Export(u32),
    /// A function's signature.
    Function {
        /// Function index.
        func: u32,
        /// Function name.
        name: String,
    },
    /// An instruction of a function.
    Code {
        /// Function index.
        func: u32,
        /// Function name.
        name: String,
        /// Instruction index within the function's code.
        pc: u32,
    },
    /// The module as a whole.
    Module,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Type(i) => write!(f, "type t{i}"),
            Place::Export(i) => write!(f, "export {i}"),
            Place::Function { func, name } => write!(f, "function f{func} `{name}`"),
            Place::Code { func, name, pc } => {
                write!(f, "function f{func} `{name}` at instruction {pc}")
            }
            Place::Module => write!(f, "module"),
        }
    }
}

/// The kinds of verification failure.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VerifyErrorKind {
    /// A type reference names no type.
    #[error("type index {0} out of range")]
    BadType(u32),
    /// A register index is not below the frame size.
    #[error("register r{0} out of range")]
    BadRegister(u32),
    /// A function index is out of range.
    #[error("function index {0} out of range")]
    BadFunction(u32),
    /// A constant index is out of range.
    #[error("constant index {0} out of range")]
    BadConst(u32),
    /// The reason of a `fail` is not a Bytes constant.
    #[error("fail reason k{0} is not a Bytes constant")]
    FailReasonNotBytes(u32),
    /// A jump goes backward (or to itself).
    #[error("backward jump (delta {0}); jumps must go forward")]
    BackwardJump(i32),
    /// A jump target is past the end of the code.
    #[error("jump target {0} past the end of the code")]
    JumpOutOfRange(i64),
    /// Control can run past the last instruction.
    #[error("control falls off the end of the code")]
    FallsOffEnd,
    /// The code is empty.
    #[error("function has no code")]
    EmptyCode,
    /// A register is read before it is written on some path.
    #[error("register r{0} may be read before it is written")]
    Uninitialised(u32),
    /// An operand has the wrong type.
    #[error("register r{reg} has type {found}, expected {expected}")]
    TypeMismatch {
        /// The register.
        reg: u32,
        /// Its declared type.
        found: String,
        /// The type the instruction needs.
        expected: String,
    },
    /// A call passes the wrong number of arguments.
    #[error("call to f{func} passes {found} arguments, expected {expected}")]
    ArityMismatch {
        /// Callee.
        func: u32,
        /// Arguments passed.
        found: u32,
        /// Parameters declared.
        expected: u32,
    },
    /// A constructor is given the wrong number of fields, or a bad variant.
    #[error("bad constructor: {0}")]
    BadConstructor(String),
    /// A field is loaded from a register whose variant is not known at this point.
    #[error("field load from r{0} whose variant is not established by a switch")]
    UnknownVariant(u32),
    /// A field index is out of range for the known variant.
    #[error("field {field} out of range for variant with {arity} fields")]
    BadField {
        /// Field index.
        field: u32,
        /// Fields in the variant.
        arity: u32,
    },
    /// A switch does not have one target per variant.
    #[error("switch has {found} targets, type has {expected} variants")]
    SwitchArity {
        /// Targets given.
        found: u32,
        /// Variants of the type.
        expected: u32,
    },
    /// A tail call's callee returns a different type.
    #[error("tail call result type {found} differs from the function's result type {expected}")]
    TailCallType {
        /// Callee result type.
        found: String,
        /// Caller result type.
        expected: String,
    },
    /// A type definition is malformed.
    #[error("malformed type definition: {0}")]
    BadTypeDef(String),
    /// The register count is below the parameter count or above the limit.
    #[error("bad frame: {0}")]
    BadFrame(String),
    /// A name is duplicated or malformed.
    #[error("bad name: {0}")]
    BadName(String),
    /// A recursive call cannot be shown to terminate.
    #[error("recursion through `{callee}` is not shown to terminate: {detail}")]
    NonTerminating {
        /// A function on the offending cycle.
        callee: String,
        /// Explanation.
        detail: String,
    },
    /// A call defeats the static gas bound: no closed form exists.
    #[error("no gas bound for the call to `{callee}`: {detail}")]
    NoBound {
        /// The called function.
        callee: String,
        /// Why (for example, a recursive result fed back into a recursion measure).
        detail: String,
        /// Instruction index of the recursive call whose result is fed back, if that is why.
        feeding: Option<u32>,
        /// Whether it is fed into a recursion measure (else into an argument
        /// that grows, such as an accumulator).
        feeds_measure: bool,
    },
    /// The termination analysis exceeded its size limit.
    #[error("termination analysis too large ({0} size-change graphs)")]
    TerminationTooComplex(usize),
}

/// A runtime trap: evaluation stopped without a result.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Trap {
    /// Integer overflow (including `i128::MIN / -1` and `i128::MIN % -1`).
    #[error("integer overflow")]
    Overflow,
    /// Division or remainder by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// The gas limit was reached.
    #[error("out of gas")]
    OutOfGas,
    /// A `Bytes` slice was out of range.
    #[error("bytes slice out of range")]
    SliceOutOfRange,
    /// The call stack exceeded its limit.
    #[error("call stack overflow")]
    StackOverflow,
    /// The heap exceeded its limit.
    #[error("heap exhausted")]
    HeapExhausted,
    /// No exported entry point has this name.
    #[error("no exported entry point named {0:?}")]
    UnknownEntry(String),
    /// The arguments do not match the entry point's declared types.
    #[error("bad arguments: {0}")]
    BadArguments(#[from] ValueError),
    /// The program called `fail` (instruction `fail`) with this reason.
    #[error("failed: {}", show_reason(.0))]
    Failed(Vec<u8>),
    /// An internal invariant failed; indicates a verifier bug, never expected.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

/// A `fail` reason as text: quoted UTF-8 if it is valid UTF-8, else hex (`#"00ff"`).
pub fn show_reason(reason: &[u8]) -> String {
    match std::str::from_utf8(reason) {
        Ok(text) => format!("{text:?}"),
        Err(_) => {
            let hex: String = reason.iter().map(|b| format!("{b:02x}")).collect();
            format!("#\"{hex}\"")
        }
    }
}

impl Trap {
    /// A short stable name for the trap (`out_of_gas`, `overflow`, ...), as
    /// the conformance vectors and the C, Go and Python bindings write it.
    pub fn code(&self) -> &'static str {
        match self {
            Trap::Overflow => "overflow",
            Trap::DivisionByZero => "division_by_zero",
            Trap::OutOfGas => "out_of_gas",
            Trap::SliceOutOfRange => "slice_out_of_range",
            Trap::StackOverflow => "stack_overflow",
            Trap::HeapExhausted => "heap_exhausted",
            Trap::UnknownEntry(_) => "unknown_entry",
            Trap::BadArguments(_) => "bad_arguments",
            Trap::Failed(_) => "failed",
            Trap::Internal(_) => "internal",
        }
    }
}

/// Why a value (or its encoding) is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value encoding is malformed.
    #[error("malformed value encoding: {0}")]
    Decode(#[from] DecodeError),
    /// A value does not have the expected type.
    #[error("type mismatch: expected {expected}")]
    TypeMismatch {
        /// The expected type, printed.
        expected: String,
    },
    /// Wrong number of arguments for an entry point.
    #[error("expected {expected} arguments, found {found}")]
    ArgumentCount {
        /// Declared parameters.
        expected: usize,
        /// Arguments given.
        found: usize,
    },
    /// The value is not a single well-formed tree.
    #[error("malformed value: {0}")]
    Malformed(&'static str),
}

/// Why a Tally literal cannot be parsed as a value of the expected type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("at column {column}: {message}")]
pub struct LiteralError {
    /// 1-based character column.
    pub column: usize,
    /// What went wrong.
    pub message: String,
}

/// Why untrusted module bytes cannot be run: not canonical, or not verified.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The bytes are not a canonical module encoding.
    #[error("decode: {0}")]
    Decode(#[from] DecodeError),
    /// The module does not pass verification.
    #[error("verify: {0}")]
    Verify(#[from] VerifyError),
}
