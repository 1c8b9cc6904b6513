//! Size limits on every count in the format and on evaluation resources.

/// Largest accepted module encoding, in bytes.
pub const MAX_MODULE_BYTES: usize = 16 << 20;
/// Most ADTs in a type table.
pub const MAX_TYPES: u32 = 65_535;
/// Most variants of one ADT (and targets of one switch).
pub const MAX_VARIANTS: u32 = 256;
/// Most fields of one variant.
pub const MAX_FIELDS: u32 = 255;
/// Most entries in the constant pool.
pub const MAX_CONSTS: u32 = 65_535;
/// Longest Bytes constant.
pub const MAX_CONST_BYTES: u32 = 1 << 20;
/// Most functions.
pub const MAX_FUNCS: u32 = 65_535;
/// Most parameters of a function (and arguments of a call).
pub const MAX_PARAMS: u32 = 255;
/// Most registers in a frame (parameters included).
pub const MAX_REGS: u32 = 4_096;
/// Most instructions in one function.
pub const MAX_CODE: u32 = 1 << 20;
/// Most exports.
pub const MAX_EXPORTS: u32 = 65_535;
/// Longest name, in bytes.
pub const MAX_NAME: u32 = 255;
/// Deepest call stack during evaluation (frames).
pub const MAX_CALL_DEPTH: usize = 1 << 22;
/// Most register slots live at once during evaluation.
pub const MAX_STACK_SLOTS: usize = 1 << 24;
/// Most heap slots (16 bytes each) allocated during one evaluation.
pub const MAX_HEAP_SLOTS: usize = 1 << 26;
/// Most Bytes allocated during one evaluation.
pub const MAX_BYTES_ARENA: usize = 1 << 28;
/// Most size-change graphs built while checking one call-graph cycle.
pub const MAX_SCT_GRAPHS: usize = 200_000;
/// Most elementary steps (matrix cells combined) spent composing size-change
/// graphs of one call-graph cycle; bounds verification time.
pub const MAX_SCT_WORK: u64 = 50_000_000;
/// Most register-state steps (instructions and jump edges, each weighted by
/// the frame size) the dataflow pass may spend on one module.
pub const MAX_FLOW_WORK: u64 = 1 << 26;
