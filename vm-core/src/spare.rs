//! Buffers of finished evaluations, kept for the next evaluation on the
//! same thread: reusing their memory saves allocating and faulting in fresh
//! pages for every call (a 100,000-cell list is 4.8 MB of heap). Only the
//! capacity is reused; every buffer is handed out empty, and only buffers
//! up to a cap are kept, so an idle thread holds at most a few tens of MB.

use std::cell::Cell;

/// The largest buffer kept, in bytes.
const MAX_KEPT_BYTES: usize = 32 << 20;

#[derive(Default)]
struct Spare {
    heap: Vec<i128>,
    regs: Vec<i128>,
    bytes: Vec<u8>,
}

thread_local! {
    static SPARE: Cell<Spare> = Cell::default();
}

/// Runs `f` on this thread's spare buffers (on none, during thread exit).
fn with_spare<R>(f: impl FnOnce(&mut Spare) -> R) -> R {
    let mut spare = SPARE.try_with(Cell::take).unwrap_or_default();
    let r = f(&mut spare);
    let _ = SPARE.try_with(|c| c.set(spare));
    r
}

/// Which slot buffer.
#[derive(Clone, Copy)]
pub(crate) enum Slots {
    /// The heap of cells.
    Heap,
    /// The register stack.
    Regs,
}

fn slot_buffer(s: &mut Spare, which: Slots) -> &mut Vec<i128> {
    match which {
        Slots::Heap => &mut s.heap,
        Slots::Regs => &mut s.regs,
    }
}

/// Keeps `v`'s memory in `kept` if it is not too big and bigger than what
/// `kept` has.
fn keep<T>(kept: &mut Vec<T>, mut v: Vec<T>) {
    if v.capacity() * size_of::<T>() <= MAX_KEPT_BYTES && v.capacity() > kept.capacity() {
        v.clear();
        *kept = v;
    }
}

/// An empty slot buffer, with the capacity of a kept one if there is one.
pub(crate) fn take_slots(which: Slots) -> Vec<i128> {
    with_spare(|s| std::mem::take(slot_buffer(s, which)))
}

/// Keeps `v`'s memory for the next [`take_slots`].
pub(crate) fn give_slots(which: Slots, v: Vec<i128>) {
    with_spare(|s| keep(slot_buffer(s, which), v));
}

/// An empty byte buffer, with the capacity of a kept one if there is one.
pub(crate) fn take_bytes() -> Vec<u8> {
    with_spare(|s| std::mem::take(&mut s.bytes))
}

/// Keeps `v`'s memory for the next [`take_bytes`].
pub(crate) fn give_bytes(v: Vec<u8>) {
    with_spare(|s| keep(&mut s.bytes, v));
}
