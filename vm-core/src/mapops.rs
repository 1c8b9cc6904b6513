//! The native map: a persistent AVL tree of heap cells, built and read only
//! by the `map.*` instructions (`lang-spec/bytecode.md` §8, §9).
//!
//! A map slot is the nullary slot of tag 0 when empty, else a cell (tag 1)
//! of five heap slots `[key, value, left, right, meta]`, `meta = size << 8 |
//! height`. Updates copy the path from the root (O(log n) new nodes) and
//! never change an existing node, so every older map stays valid. All walks
//! are loops with explicit stacks; the tree's height is at most
//! `1.45·log2(n + 2)`, which the VM's own construction guarantees (no
//! program can build or take apart a map cell).
//!
//! Gas is a function of the map's size and the key's length only, not of the
//! tree's shape, so another implementation with another balanced structure
//! charges the same: `levels(n) = ⌈log2(n + 1)⌉` (the bit length of `n`).

use std::cmp::Ordering;
use std::ops::{Deref, DerefMut};

use crate::error::Trap;
use crate::isa::{Opcode, Size};
use crate::limits::MAX_HEAP_SLOTS;
use crate::program::{bytes_parts, cell_offset, cell_slot, nullary_slot};

/// Heap slots per tree node.
pub(crate) const NODE_SLOTS: usize = 5;
/// Gas per level for `map.get` and `map.contains` (from the `isa!` table).
pub const GAS_MAP_READ_LEVEL: u64 = Opcode::MapGet.cost(Size::Log2Elements, 1);
/// Gas per level for `map.insert` and `map.remove`.
pub const GAS_MAP_WRITE_LEVEL: u64 = Opcode::MapInsert.cost(Size::Log2Elements, 1);
/// Gas per 32-byte word of the key per level (every map instruction).
pub const GAS_MAP_KEY_WORD_LEVEL: u64 = Opcode::MapGet.cost(Size::KeyWordLevels, 1);
/// Gas per entry of `map.to_list` (two cells of two fields).
pub const GAS_MAP_ENTRY: u64 = Opcode::MapToList.cost(Size::Elements, 1);
/// Gas per element of the list `map.from_list` walks and sorts.
pub const GAS_MAP_BUILD_ELEMENT: u64 = Opcode::MapFromList.cost(Size::Elements, 1);
/// Gas per entry of the map `map.from_list` builds (per distinct key).
pub const GAS_MAP_BUILD_ENTRY: u64 = Opcode::MapFromList.cost(Size::Entries, 1);

// The per-instruction gas of `lang-spec/bytecode.md` §4 ("Maps") and the
// bounds of `bound/maps.rs` assume the same key-word cost everywhere.
const _: () = assert!(
    Opcode::MapInsert.cost(Size::KeyWordLevels, 1) == GAS_MAP_KEY_WORD_LEVEL
        && Opcode::MapRemove.cost(Size::Log2Elements, 1) == GAS_MAP_WRITE_LEVEL
        && Opcode::MapContains.cost(Size::Log2Elements, 1) == GAS_MAP_READ_LEVEL
        && Opcode::MapFromList.cost(Size::KeyWordLevels, 1) == GAS_MAP_KEY_WORD_LEVEL
);

/// The empty map: the nullary slot of tag 0 (`tag << 1 | 1`).
pub(crate) const EMPTY: i128 = 1;

/// `⌈log2(n + 1)⌉`: the number of bits of `n`.
pub fn levels(n: u64) -> u64 {
    u64::from(64 - n.leading_zeros())
}

/// A map's tree in the heap `H` (`&Vec` to read, `&mut Vec` to update),
/// with the Bytes arena for comparing keys.
pub(crate) struct Tree<'b, H> {
    pub heap: H,
    pub bytes: &'b [u8],
    /// Keys are Bytes (else Int).
    pub key_bytes: bool,
}

fn is_node(t: i128) -> bool {
    t & 1 == 0
}

impl<H: Deref<Target = Vec<i128>>> Tree<'_, H> {
    fn at(&self, t: i128, k: usize) -> Result<i128, Trap> {
        self.heap
            .get(cell_offset(t) + k)
            .copied()
            .ok_or(Trap::Internal("map node"))
    }

    fn key(&self, t: i128) -> Result<i128, Trap> {
        self.at(t, 0)
    }
    fn left(&self, t: i128) -> Result<i128, Trap> {
        self.at(t, 2)
    }
    fn right(&self, t: i128) -> Result<i128, Trap> {
        self.at(t, 3)
    }

    /// The number of entries.
    pub fn size(&self, t: i128) -> Result<u64, Trap> {
        if !is_node(t) {
            return Ok(0);
        }
        Ok((self.at(t, 4)? >> 8) as u64)
    }

    fn height(&self, t: i128) -> Result<i128, Trap> {
        if !is_node(t) {
            return Ok(0);
        }
        Ok(self.at(t, 4)? & 0xff)
    }

    /// Compares two keys.
    pub fn cmp(&self, a: i128, b: i128) -> Ordering {
        if !self.key_bytes {
            return a.cmp(&b);
        }
        let get = |s: i128| {
            let (o, l) = bytes_parts(s);
            self.bytes.get(o..o.saturating_add(l)).unwrap_or_default()
        };
        get(a).cmp(get(b))
    }

    /// The node holding `k`, and the path to it (`(node, went left)`).
    fn find(&self, t: i128, k: i128) -> Result<(i128, Vec<(i128, bool)>), Trap> {
        let mut path = Vec::new();
        let mut cur = t;
        while is_node(cur) {
            match self.cmp(k, self.key(cur)?) {
                Ordering::Equal => break,
                Ordering::Less => {
                    path.push((cur, true));
                    cur = self.left(cur)?;
                }
                Ordering::Greater => {
                    path.push((cur, false));
                    cur = self.right(cur)?;
                }
            }
        }
        Ok((cur, path))
    }

    /// The value at `k`, if any.
    pub fn get(&self, t: i128, k: i128) -> Result<Option<i128>, Trap> {
        let (n, _) = self.find(t, k)?;
        Ok(if is_node(n) {
            Some(self.at(n, 1)?)
        } else {
            None
        })
    }

    /// The entries in ascending key order.
    pub fn entries(&self, t: i128) -> Result<Vec<(i128, i128)>, Trap> {
        let mut out = Vec::with_capacity(self.size(t)?.min(1 << 20) as usize);
        let mut stack = Vec::new();
        let mut cur = t;
        loop {
            while is_node(cur) {
                stack.push(cur);
                cur = self.left(cur)?;
            }
            let Some(n) = stack.pop() else { break };
            out.push((self.key(n)?, self.at(n, 1)?));
            cur = self.right(n)?;
        }
        Ok(out)
    }

    /// Sorts `(key, value)` entries by key, keeping the last of equal keys.
    pub fn sort_entries(&self, mut es: Vec<(i128, i128)>) -> Vec<(i128, i128)> {
        es.reverse();
        es.sort_by(|a, b| self.cmp(a.0, b.0));
        es.dedup_by(|b, a| self.cmp(a.0, b.0) == Ordering::Equal);
        es
    }
}

impl<H: DerefMut<Target = Vec<i128>>> Tree<'_, H> {
    /// A new node.
    fn node(&mut self, k: i128, v: i128, l: i128, r: i128) -> Result<i128, Trap> {
        let size = self.size(l)? + self.size(r)? + 1;
        let h = self.height(l)?.max(self.height(r)?) + 1;
        let o = self.heap.len();
        if o + NODE_SLOTS > MAX_HEAP_SLOTS {
            return Err(Trap::HeapExhausted);
        }
        self.heap
            .extend_from_slice(&[k, v, l, r, (i128::from(size) << 8) | h]);
        Ok(cell_slot(o, 1))
    }

    /// A node for `k, v` over subtrees whose heights differ by at most 2,
    /// rotated so that they differ by at most 1 (AVL).
    fn balance(&mut self, k: i128, v: i128, l: i128, r: i128) -> Result<i128, Trap> {
        let (hl, hr) = (self.height(l)?, self.height(r)?);
        if hl > hr + 1 {
            let (ll, lr) = (self.left(l)?, self.right(l)?);
            let (lk, lv) = (self.key(l)?, self.at(l, 1)?);
            if self.height(ll)? >= self.height(lr)? {
                let nr = self.node(k, v, lr, r)?;
                return self.node(lk, lv, ll, nr);
            }
            let (lrl, lrr) = (self.left(lr)?, self.right(lr)?);
            let (lrk, lrv) = (self.key(lr)?, self.at(lr, 1)?);
            let a = self.node(lk, lv, ll, lrl)?;
            let b = self.node(k, v, lrr, r)?;
            return self.node(lrk, lrv, a, b);
        }
        if hr > hl + 1 {
            let (rl, rr) = (self.left(r)?, self.right(r)?);
            let (rk, rv) = (self.key(r)?, self.at(r, 1)?);
            if self.height(rr)? >= self.height(rl)? {
                let nl = self.node(k, v, l, rl)?;
                return self.node(rk, rv, nl, rr);
            }
            let (rll, rlr) = (self.left(rl)?, self.right(rl)?);
            let (rlk, rlv) = (self.key(rl)?, self.at(rl, 1)?);
            let a = self.node(k, v, l, rll)?;
            let b = self.node(rk, rv, rlr, rr)?;
            return self.node(rlk, rlv, a, b);
        }
        self.node(k, v, l, r)
    }

    /// Rebuilds the path `path` (innermost last) above the new subtree `sub`.
    fn rebuild(&mut self, path: &[(i128, bool)], mut sub: i128) -> Result<i128, Trap> {
        for &(p, went_left) in path.iter().rev() {
            let (k, v) = (self.key(p)?, self.at(p, 1)?);
            sub = if went_left {
                let r = self.right(p)?;
                self.balance(k, v, sub, r)?
            } else {
                let l = self.left(p)?;
                self.balance(k, v, l, sub)?
            };
        }
        Ok(sub)
    }

    /// `t` with `k` mapped to `v`.
    pub fn insert(&mut self, t: i128, k: i128, v: i128) -> Result<i128, Trap> {
        let (n, path) = self.find(t, k)?;
        let sub = if is_node(n) {
            let (l, r) = (self.left(n)?, self.right(n)?);
            self.node(k, v, l, r)?
        } else {
            self.node(k, v, EMPTY, EMPTY)?
        };
        self.rebuild(&path, sub)
    }

    /// `t` without `k` (`t` itself, unchanged, if `k` is absent).
    pub fn remove(&mut self, t: i128, k: i128) -> Result<i128, Trap> {
        let (n, path) = self.find(t, k)?;
        if !is_node(n) {
            return Ok(t);
        }
        let (l, r) = (self.left(n)?, self.right(n)?);
        let sub = if !is_node(l) {
            r
        } else if !is_node(r) {
            l
        } else {
            // Take the least entry of the right subtree up into n's place.
            let mut spine = Vec::new();
            let mut m = r;
            while is_node(self.left(m)?) {
                spine.push((m, true));
                m = self.left(m)?;
            }
            let rest = self.right(m)?;
            let nr = self.rebuild(&spine, rest)?;
            let (mk, mv) = (self.key(m)?, self.at(m, 1)?);
            self.balance(mk, mv, l, nr)?
        };
        self.rebuild(&path, sub)
    }

    /// A perfectly balanced tree of entries sorted by strictly ascending key.
    pub fn build(&mut self, es: &[(i128, i128)]) -> Result<i128, Trap> {
        enum Task {
            Build(usize, usize),
            Make(usize),
        }
        let mut tasks = vec![Task::Build(0, es.len())];
        let mut done: Vec<i128> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Build(lo, hi) if lo >= hi => done.push(EMPTY),
                Task::Build(lo, hi) => {
                    let mid = lo + (hi - lo) / 2;
                    tasks.push(Task::Make(mid));
                    tasks.push(Task::Build(mid + 1, hi));
                    tasks.push(Task::Build(lo, mid));
                }
                Task::Make(mid) => {
                    let r = done.pop().ok_or(Trap::Internal("map build"))?;
                    let l = done.pop().ok_or(Trap::Internal("map build"))?;
                    let &(k, v) = es.get(mid).ok_or(Trap::Internal("map build"))?;
                    done.push(self.node(k, v, l, r)?);
                }
            }
        }
        done.pop().ok_or(Trap::Internal("map build"))
    }
}

/// The words (32 bytes, rounded up) of a Bytes key slot; 0 for an Int key.
pub(crate) fn key_words(key_bytes: bool, k: i128) -> u64 {
    if key_bytes {
        (bytes_parts(k).1 as u64).div_ceil(32)
    } else {
        0
    }
}

/// The gas per level of a lookup or update with key `k`: `per_level` plus
/// the key's words.
pub(crate) fn level_gas(per_level: u64, key_bytes: bool, k: i128) -> u64 {
    per_level.saturating_add(GAS_MAP_KEY_WORD_LEVEL.saturating_mul(key_words(key_bytes, k)))
}

/// The `Some(v)` / `None` slot of an `Option` (None = tag 0, Some = tag 1).
pub(crate) fn option(heap: &mut Vec<i128>, v: Option<i128>) -> Result<i128, Trap> {
    match v {
        None => Ok(nullary_slot(0)),
        Some(x) => {
            let o = heap.len();
            if o + 1 > MAX_HEAP_SLOTS {
                return Err(Trap::HeapExhausted);
            }
            heap.push(x);
            Ok(cell_slot(o, 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_avl(t: &Tree<'_, &mut Vec<i128>>, root: i128) -> u64 {
        // Iterative: every node's height is 1 + max of its children's, and
        // they differ by at most 1.
        let mut stack = vec![root];
        let mut n = 0;
        while let Some(x) = stack.pop() {
            if !is_node(x) {
                continue;
            }
            n += 1;
            let (l, r) = (t.left(x).unwrap(), t.right(x).unwrap());
            let (hl, hr) = (t.height(l).unwrap(), t.height(r).unwrap());
            assert!((hl - hr).abs() <= 1);
            assert_eq!(t.height(x).unwrap(), hl.max(hr) + 1);
            assert_eq!(
                t.size(x).unwrap(),
                t.size(l).unwrap() + t.size(r).unwrap() + 1
            );
            stack.push(l);
            stack.push(r);
        }
        n
    }

    #[test]
    fn inserts_and_removes_keep_the_tree_balanced_and_sorted() {
        let mut heap = Vec::new();
        let mut t = Tree {
            heap: &mut heap,
            bytes: &[],
            key_bytes: false,
        };
        let mut m = EMPTY;
        let mut model = std::collections::BTreeMap::new();
        let mut x: i128 = 7;
        for i in 0..3000 {
            x = (x * 1103515245 + 12345) % 2147483648;
            let k = x % 500;
            if i % 3 == 2 {
                m = t.remove(m, k).unwrap();
                model.remove(&k);
            } else {
                m = t.insert(m, k, i).unwrap();
                model.insert(k, i);
            }
            assert_eq!(check_avl(&t, m), model.len() as u64);
        }
        let es = t.entries(m).unwrap();
        let want: Vec<(i128, i128)> = model.into_iter().collect();
        assert_eq!(es, want);
        let b = t.build(&es).unwrap();
        assert_eq!(t.entries(b).unwrap(), es);
        assert_eq!(check_avl(&t, b), es.len() as u64);
        assert_eq!(levels(0), 0);
        assert_eq!(levels(1), 1);
        assert_eq!(levels(3), 2);
        assert_eq!(levels(4), 3);
    }
}
