//! Overhead of the embedding API and of the C ABI: `bound` of a token
//! transfer on a one-entry ledger, and a transfer on a 1,000-entry ledger.
//! Prints the median of five batches per figure (README, "Embedding Tally
//! in a node").

use std::hint::black_box;
use std::time::Instant;

use tally_capi::*;
use vm_core::api::{CallLimits, LoadLimits, Module, Value, encode_args};

/// Median time per iteration of `f`, in nanoseconds, over five batches.
fn time(iters: u32, mut f: impl FnMut()) -> f64 {
    let mut batches: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_nanos() as f64 / f64::from(iters)
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    batches[2]
}

/// `transfer` arguments: a ledger of `n` entries (owners `[i / 256, i % 256]`,
/// amount 10) moving 4 from the last owner to a new one.
pub fn transfer_args(n: u32) -> Vec<Value> {
    let key = |i: u32| Value::bytes(vec![(i / 256) as u8, (i % 256) as u8]);
    let ledger = Value::list((0..n).map(|i| Value::cell(0, vec![key(i), Value::int(10)])));
    vec![
        ledger,
        key(n.max(1) - 1),
        Value::bytes(*b"new"),
        Value::int(4),
    ]
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../conformance/modules/assoc_token.tbc"
    );
    let bytes = std::fs::read(path).expect("assoc_token.tbc");
    let module = Module::load(&bytes, &LoadLimits::default()).expect("loads");
    let small = transfer_args(1);
    let small_enc = encode_args(&small);
    let big = transfer_args(1000);
    let big_enc = encode_args(&big);
    let limits = CallLimits::gas(u64::MAX);

    let rust_bound = time(200_000, || {
        black_box(module.bound("transfer", black_box(&small)).unwrap());
    });
    let rust_bound_enc = time(200_000, || {
        black_box(
            module
                .bound_encoded("transfer", black_box(&small_enc))
                .unwrap(),
        );
    });
    let rust_transfer = time(2_000, || {
        black_box(module.call("transfer", black_box(&big), &limits).unwrap());
    });
    let rust_transfer_enc = time(2_000, || {
        black_box(
            module
                .call_encoded("transfer", black_box(&big_enc), &limits)
                .unwrap(),
        );
    });

    let mut handle: *mut TallyModule = std::ptr::null_mut();
    // SAFETY: valid buffers and out pointers.
    let s = unsafe {
        tally_module_load(
            bytes.as_ptr(),
            bytes.len(),
            0,
            &mut handle,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(s, TallyStatus::Ok);
    let entry = c"transfer";
    let c_bound = time(200_000, || {
        let mut b = TallyBounds::default();
        // SAFETY: as above.
        let s = unsafe {
            tally_bound(
                handle,
                entry.as_ptr(),
                small_enc.as_ptr(),
                small_enc.len(),
                &mut b,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, TallyStatus::Ok);
        black_box(b);
    });
    let c_limits = tally_call_limits(u64::MAX);
    let c_transfer = time(2_000, || {
        let mut o = std::mem::MaybeUninit::<TallyOutcome>::uninit();
        // SAFETY: as above; the outcome is freed.
        unsafe {
            let s = tally_call(
                handle,
                entry.as_ptr(),
                big_enc.as_ptr(),
                big_enc.len(),
                &c_limits,
                o.as_mut_ptr(),
                std::ptr::null_mut(),
            );
            assert_eq!(s, TallyStatus::Ok);
            tally_outcome_free(o.as_mut_ptr());
        }
    });
    // SAFETY: the handle from above, freed once.
    unsafe { tally_module_free(handle) };

    println!("bound (1-entry ledger), Rust API, Values:   {rust_bound:>9.0} ns");
    println!("bound (1-entry ledger), Rust API, encoded:  {rust_bound_enc:>9.0} ns");
    println!("bound (1-entry ledger), C ABI, encoded:     {c_bound:>9.0} ns");
    println!("transfer (1,000 entries), Rust API, Values: {rust_transfer:>9.0} ns");
    println!("transfer (1,000 entries), Rust, encoded:    {rust_transfer_enc:>9.0} ns");
    println!("transfer (1,000 entries), C ABI, encoded:   {c_transfer:>9.0} ns");
}
