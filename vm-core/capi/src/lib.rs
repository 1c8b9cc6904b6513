//! The C ABI of `vm-core`'s embedding API ([`vm_core::api`]).
//!
//! Conventions (see `include/tally.h`):
//!
//! - A module is an opaque [`TallyModule`] handle from [`tally_module_load`],
//!   freed by [`tally_module_free`]. It may be used from many threads at once.
//! - Arguments and results are byte buffers in the canonical value encoding
//!   (`lang-spec/bytecode.md` §8).
//! - Every fallible function returns a [`TallyStatus`]; on an error other
//!   than `TALLY_STATUS_OK` it stores, when `message` is not null, a
//!   NUL-terminated message to be freed by [`tally_string_free`].
//! - A result buffer in a [`TallyOutcome`] is freed by [`tally_outcome_free`].
//! - No panic crosses the boundary: each entry point catches it and returns
//!   `TALLY_STATUS_INTERNAL`. Null pointers give `TALLY_STATUS_NULL_POINTER`.

#![allow(clippy::missing_safety_doc)]

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use vm_core::api::{CallError, CallLimits, LoadLimits, Module, Trap};

/// What a function did: `TALLY_STATUS_OK`, or why it did nothing.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyStatus {
    /// Success.
    Ok = 0,
    /// A required pointer was null.
    NullPointer = 1,
    /// The module bytes are not a canonical module encoding (or too large).
    Decode = 2,
    /// The module does not pass verification.
    Verify = 3,
    /// No exported entry point has this name (or it is not UTF-8).
    UnknownEntry = 4,
    /// The arguments' encoding is malformed or does not match the types.
    BadArguments = 5,
    /// The call's bound exceeds its limits and `refuse_over_bound` was set.
    OverBound = 6,
    /// An internal error (a caught panic); never expected.
    Internal = 7,
    /// An index past the end (of the exports).
    OutOfRange = 8,
}

/// How a call that started ended.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyTrap {
    /// No trap: the call returned a result.
    None = 0,
    /// The gas limit was reached.
    OutOfGas = 1,
    /// Integer overflow.
    Overflow = 2,
    /// Division or remainder by zero.
    DivisionByZero = 3,
    /// A Bytes slice out of range.
    SliceOutOfRange = 4,
    /// The call stack exceeded its limit.
    StackOverflow = 5,
    /// The heap or the Bytes arena exceeded its limit.
    HeapExhausted = 6,
    /// Another trap (its name is in `TallyOutcome::trap_name`).
    Other = 7,
}

/// A loaded, verified module (opaque).
pub struct TallyModule {
    module: Module,
    /// Per export: name, signature, gas bound, memory bound.
    strings: Vec<[CString; 4]>,
}

/// Static bounds of a call.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct TallyBounds {
    /// Gas the call uses at most.
    pub gas: u64,
    /// Bytes the call allocates at most (the call stack included).
    pub memory: u64,
    /// Bytes of call stack (register slots) the call uses at most.
    pub stack: u64,
}

/// Limits of one call; start from `tally_call_limits(gas)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TallyCallLimits {
    /// The gas limit.
    pub gas: u64,
    /// Most heap bytes (the arguments' cells included).
    pub heap_bytes: u64,
    /// Most Bytes arena bytes (constants and arguments included).
    pub arena_bytes: u64,
    /// Non-zero: refuse (`TALLY_STATUS_OVER_BOUND`) a call whose bound
    /// exceeds the limits, without running it.
    pub refuse_over_bound: u8,
}

/// What a call that started produced. `result` (owned; free it with
/// `tally_outcome_free`) holds the result's canonical encoding when `trap`
/// is `TALLY_TRAP_NONE`, else it is null.
#[repr(C)]
#[derive(Debug)]
pub struct TallyOutcome {
    /// `TALLY_TRAP_NONE`, or the trap that stopped the call.
    pub trap: TallyTrap,
    /// The trap's stable name (`"out_of_gas"`, ...), or `"ok"`; static.
    pub trap_name: *const c_char,
    /// Gas used.
    pub gas_used: u64,
    /// Bytes allocated, as the memory bound counts them.
    pub memory_used: u64,
    /// The call's static bounds.
    pub bounds: TallyBounds,
    /// The encoded result (owned), or null.
    pub result: *mut u8,
    /// Its length in bytes.
    pub result_len: usize,
}

type Failure = (TallyStatus, String);

/// Runs `f`, turning a panic into `TALLY_STATUS_INTERNAL` and an error into
/// its status, with the message stored in `message` when it is not null.
fn guard(message: *mut *mut c_char, f: impl FnOnce() -> Result<(), Failure>) -> TallyStatus {
    if !message.is_null() {
        // SAFETY: the caller passes a writable pointer or null.
        unsafe { *message = ptr::null_mut() };
    }
    let (status, text) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return TallyStatus::Ok,
        Ok(Err(e)) => e,
        Err(_) => (
            TallyStatus::Internal,
            "internal error (panic caught)".into(),
        ),
    };
    if !message.is_null() {
        let c = CString::new(text.replace('\0', " ")).unwrap_or_default();
        // SAFETY: as above.
        unsafe { *message = c.into_raw() };
    }
    status
}

fn null(what: &str) -> Failure {
    (TallyStatus::NullPointer, format!("{what} is null"))
}

/// The bytes at `p..p+len`; null is allowed when `len` is 0.
unsafe fn slice<'a>(p: *const u8, len: usize, what: &str) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(null(what));
    }
    // SAFETY: the caller promises `len` readable bytes at `p`.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

unsafe fn entry_name<'a>(p: *const c_char) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(null("entry"));
    }
    // SAFETY: the caller promises a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| (TallyStatus::UnknownEntry, "entry name is not UTF-8".into()))
}

unsafe fn module_ref<'a>(m: *const TallyModule) -> Result<&'a TallyModule, Failure> {
    // SAFETY: the caller passes a handle from `tally_module_load` or null.
    unsafe { m.as_ref() }.ok_or_else(|| null("module"))
}

fn call_failure(e: CallError) -> Failure {
    let status = match e {
        CallError::UnknownEntry(_) => TallyStatus::UnknownEntry,
        CallError::BadArguments(_) => TallyStatus::BadArguments,
        CallError::OverBound { .. } => TallyStatus::OverBound,
        _ => TallyStatus::Internal,
    };
    (status, e.to_string())
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// Decodes and verifies `len` bytes at `bytes` into a module handle stored
/// in `*out` (free it with `tally_module_free`). `max_verify_work` caps the
/// verification work (0: the built-in budget).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_module_load(
    bytes: *const u8,
    len: usize,
    max_verify_work: u64,
    out: *mut *mut TallyModule,
    message: *mut *mut c_char,
) -> TallyStatus {
    guard(message, || {
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: checked non-null; the caller passes a writable pointer.
        unsafe { *out = ptr::null_mut() };
        // SAFETY: the caller's buffer.
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        let mut limits = LoadLimits::default();
        if max_verify_work != 0 {
            limits = limits.with_verify_work(max_verify_work);
        }
        let module = Module::load(bytes, &limits).map_err(|e| match e {
            vm_core::api::LoadError::Verify(_) => (TallyStatus::Verify, e.to_string()),
            _ => (TallyStatus::Decode, e.to_string()),
        })?;
        let strings = module
            .exports()
            .iter()
            .map(|e| {
                let sig = format!("({}) -> {}", e.param_types.join(", "), e.result_type);
                [
                    cstring(&e.name),
                    cstring(&sig),
                    cstring(&e.gas_bound),
                    cstring(&e.memory_bound),
                ]
            })
            .collect();
        let handle = Box::new(TallyModule { module, strings });
        // SAFETY: as above.
        unsafe { *out = Box::into_raw(handle) };
        Ok(())
    })
}

/// Frees a module handle (null is ignored).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_module_free(module: *mut TallyModule) {
    let _ = catch_unwind(|| {
        if !module.is_null() {
            // SAFETY: a handle from `tally_module_load`, freed once.
            drop(unsafe { Box::from_raw(module) });
        }
    });
}

/// Number of exported entry points (0 for a null handle).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_module_export_count(module: *const TallyModule) -> usize {
    // SAFETY: a handle or null.
    unsafe { module.as_ref() }.map_or(0, |m| m.strings.len())
}

/// Export `index`'s name, signature (`(List<Entry>, Bytes) -> Int`), gas
/// bound formula and memory bound formula (parameters `#0`, `#1`, ...).
/// The strings belong to the module and live as long as it; any out
/// pointer may be null.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_module_export(
    module: *const TallyModule,
    index: usize,
    name: *mut *const c_char,
    signature: *mut *const c_char,
    gas_bound: *mut *const c_char,
    memory_bound: *mut *const c_char,
) -> TallyStatus {
    guard(ptr::null_mut(), || {
        // SAFETY: a handle or null.
        let m = unsafe { module_ref(module) }?;
        let s = m
            .strings
            .get(index)
            .ok_or((TallyStatus::OutOfRange, String::new()))?;
        for (out, v) in [name, signature, gas_bound, memory_bound]
            .into_iter()
            .zip(s)
        {
            if !out.is_null() {
                // SAFETY: a writable pointer from the caller.
                unsafe { *out = v.as_ptr() };
            }
        }
        Ok(())
    })
}

/// The static gas and memory bounds of `entry` on the encoded arguments
/// `args[0..args_len]`, without running it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_bound(
    module: *const TallyModule,
    entry: *const c_char,
    args: *const u8,
    args_len: usize,
    out: *mut TallyBounds,
    message: *mut *mut c_char,
) -> TallyStatus {
    guard(message, || {
        // SAFETY: the caller's pointers, each checked for null.
        let (m, entry, args) = unsafe {
            (
                module_ref(module)?,
                entry_name(entry)?,
                slice(args, args_len, "args")?,
            )
        };
        if out.is_null() {
            return Err(null("out"));
        }
        let b = m.module.bound_encoded(entry, args).map_err(call_failure)?;
        // SAFETY: checked non-null.
        unsafe {
            *out = TallyBounds {
                gas: b.gas,
                memory: b.memory,
                stack: b.stack,
            }
        };
        Ok(())
    })
}

/// The default limits with this gas limit: the largest heap (1 GiB) and
/// arena (256 MiB), no refusal.
#[unsafe(no_mangle)]
pub extern "C" fn tally_call_limits(gas: u64) -> TallyCallLimits {
    let l = CallLimits::gas(gas);
    TallyCallLimits {
        gas: l.gas,
        heap_bytes: l.heap_bytes,
        arena_bytes: l.arena_bytes,
        refuse_over_bound: 0,
    }
}

fn trap_of(t: &Trap) -> TallyTrap {
    match t {
        Trap::OutOfGas => TallyTrap::OutOfGas,
        Trap::Overflow => TallyTrap::Overflow,
        Trap::DivisionByZero => TallyTrap::DivisionByZero,
        Trap::SliceOutOfRange => TallyTrap::SliceOutOfRange,
        Trap::StackOverflow => TallyTrap::StackOverflow,
        Trap::HeapExhausted => TallyTrap::HeapExhausted,
        _ => TallyTrap::Other,
    }
}

/// A static NUL-terminated copy of a trap code.
fn static_name(code: &str) -> *const c_char {
    const NAMES: [&CStr; 11] = [
        c"ok",
        c"out_of_gas",
        c"overflow",
        c"division_by_zero",
        c"slice_out_of_range",
        c"stack_overflow",
        c"heap_exhausted",
        c"unknown_entry",
        c"bad_arguments",
        c"failed",
        c"internal",
    ];
    NAMES
        .iter()
        .find(|n| n.to_bytes() == code.as_bytes())
        .map_or(c"other".as_ptr(), |n| n.as_ptr())
}

/// Runs `entry` on the encoded arguments within `limits` (from
/// `tally_call_limits`) and fills `*out`. A trap is a successful call with `out->trap` set; free the
/// outcome with `tally_outcome_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_call(
    module: *const TallyModule,
    entry: *const c_char,
    args: *const u8,
    args_len: usize,
    limits: *const TallyCallLimits,
    out: *mut TallyOutcome,
    message: *mut *mut c_char,
) -> TallyStatus {
    guard(message, || {
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: checked non-null; written before anything can fail.
        unsafe {
            *out = TallyOutcome {
                trap: TallyTrap::Other,
                trap_name: c"other".as_ptr(),
                gas_used: 0,
                memory_used: 0,
                bounds: TallyBounds::default(),
                result: ptr::null_mut(),
                result_len: 0,
            }
        };
        // SAFETY: the caller's pointers, each checked for null.
        let (m, entry, args) = unsafe {
            (
                module_ref(module)?,
                entry_name(entry)?,
                slice(args, args_len, "args")?,
            )
        };
        // SAFETY: null or the caller's limits.
        let l = unsafe { limits.as_ref() }
            .copied()
            .ok_or_else(|| null("limits"))?;
        let mut cl = CallLimits::gas(l.gas)
            .with_heap_bytes(l.heap_bytes)
            .with_arena_bytes(l.arena_bytes);
        if l.refuse_over_bound != 0 {
            cl = cl.refusing_over_bound();
        }
        let o = m
            .module
            .call_encoded(entry, args, &cl)
            .map_err(call_failure)?;
        let (trap, name, result) = match &o.result {
            Ok(v) => (TallyTrap::None, c"ok".as_ptr(), v.encode()),
            Err(t) => (trap_of(t), static_name(t.code()), Vec::new()),
        };
        let (result, result_len) = if trap == TallyTrap::None {
            let len = result.len();
            (Box::into_raw(result.into_boxed_slice()) as *mut u8, len)
        } else {
            (ptr::null_mut(), 0)
        };
        // SAFETY: checked non-null.
        unsafe {
            *out = TallyOutcome {
                trap,
                trap_name: name,
                gas_used: o.gas_used,
                memory_used: o.memory_used,
                bounds: TallyBounds {
                    gas: o.bounds.gas,
                    memory: o.bounds.memory,
                    stack: o.bounds.stack,
                },
                result,
                result_len,
            }
        };
        Ok(())
    })
}

/// Frees the result buffer of an outcome and clears it (null is ignored;
/// freeing twice is harmless).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_outcome_free(outcome: *mut TallyOutcome) {
    let _ = catch_unwind(|| {
        // SAFETY: an outcome filled by `tally_call`, or null.
        if let Some(o) = unsafe { outcome.as_mut() }
            && !o.result.is_null()
        {
            let raw = ptr::slice_from_raw_parts_mut(o.result, o.result_len);
            // SAFETY: allocated by `tally_call` as a boxed slice of this length.
            drop(unsafe { Box::from_raw(raw) });
            o.result = ptr::null_mut();
            o.result_len = 0;
        }
    });
}

/// Frees a message stored by a failing function (null is ignored).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tally_string_free(s: *mut c_char) {
    let _ = catch_unwind(|| {
        if !s.is_null() {
            // SAFETY: a message from this library, freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    });
}

/// A static description of a `TallyStatus` value (`"ok"`, `"null
/// pointer"`, ...; `"unknown status"` for any other number).
#[unsafe(no_mangle)]
pub extern "C" fn tally_status_name(status: i32) -> *const c_char {
    const NAMES: [&CStr; 9] = [
        c"ok",
        c"null pointer",
        c"decode error",
        c"verification error",
        c"unknown entry",
        c"bad arguments",
        c"refused over bound",
        c"internal error",
        c"index out of range",
    ];
    usize::try_from(status)
        .ok()
        .and_then(|i| NAMES.get(i))
        .map_or(c"unknown status".as_ptr(), |n| n.as_ptr())
}
