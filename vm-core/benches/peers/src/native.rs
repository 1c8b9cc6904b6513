//! The kernels in plain Rust: the ceiling. Ints are checked i128 as in Tally.

use std::rc::Rc;

/// A: sum by tail-recursive Int descent (a loop).
pub fn sum(mut n: i128, mut acc: i128) -> i128 {
    while n > 0 {
        acc = acc.checked_add(n).expect("no overflow");
        n -= 1;
    }
    acc
}

/// B: naive fib.
pub fn fib(n: i128) -> i128 {
    if n <= 1 { n } else { fib(n - 1) + fib(n - 2) }
}

/// [1..n] built into a Vec-backed cons arena: cells as (head, tail
/// index), `usize::MAX` the empty list; and the index of the first cell.
fn cons_range(n: i128) -> (Vec<(i128, usize)>, usize) {
    let mut cells: Vec<(i128, usize)> = Vec::new();
    let (mut l, mut k) = (usize::MAX, n);
    while k > 0 {
        cells.push((k, l));
        l = cells.len() - 1;
        k -= 1;
    }
    (cells, l)
}

/// C: build [1..n] into a Vec-backed cons arena, then fold it.
pub fn range_sum(n: i128) -> i128 {
    let (cells, mut l) = cons_range(n);
    let mut acc = 0i128;
    while let Some(&(h, t)) = cells.get(l) {
        acc += h;
        l = t;
    }
    acc
}

/// An `Rc` cons list.
pub enum List {
    /// `[]`.
    Nil,
    /// `[h, ..t]`.
    Cons(i128, Rc<List>),
}

/// D: functional insertion sort on an `Rc` cons list (recursive, as in Tally).
pub fn insert(x: i128, xs: &Rc<List>) -> Rc<List> {
    match &**xs {
        List::Nil => Rc::new(List::Cons(x, xs.clone())),
        List::Cons(h, t) => {
            if x <= *h {
                Rc::new(List::Cons(x, xs.clone()))
            } else {
                Rc::new(List::Cons(*h, insert(x, t)))
            }
        }
    }
}

/// D: `sort(xs) = insert(h, sort(t))`.
pub fn sort(xs: &Rc<List>) -> Rc<List> {
    match &**xs {
        List::Nil => xs.clone(),
        List::Cons(h, t) => insert(*h, &sort(t)),
    }
}

/// `[n, n-1, .., 1]`.
pub fn reverse_range(n: i128) -> Rc<List> {
    let mut l = Rc::new(List::Nil);
    for i in 1..=n {
        l = Rc::new(List::Cons(i, l));
    }
    l
}

/// The elements of a list (iteratively).
pub fn to_vec(mut l: &Rc<List>) -> Vec<i128> {
    let mut out = Vec::new();
    while let List::Cons(h, t) = &**l {
        out.push(*h);
        l = t;
    }
    out
}

/// E: one ledger entry.
#[derive(Clone)]
pub struct Entry {
    /// The owner's key.
    pub owner: Rc<[u8]>,
    /// The balance.
    pub amount: i128,
}

/// An `Rc` cons list of entries.
pub enum Ledger {
    /// `[]`.
    Nil,
    /// `[e, ..rest]`.
    Cons(Rc<Entry>, Rc<Ledger>),
}

/// E: `balance_of`.
pub fn balance_of(mut l: &Rc<Ledger>, owner: &[u8]) -> i128 {
    while let Ledger::Cons(e, rest) = &**l {
        if *e.owner == *owner {
            return e.amount;
        }
        l = rest;
    }
    0
}

/// E: `credit` (recursive, copying the prefix).
pub fn credit(l: &Rc<Ledger>, owner: &Rc<[u8]>, amount: i128) -> Rc<Ledger> {
    match &**l {
        Ledger::Nil => Rc::new(Ledger::Cons(
            Rc::new(Entry {
                owner: owner.clone(),
                amount,
            }),
            l.clone(),
        )),
        Ledger::Cons(e, rest) => {
            if e.owner == *owner {
                let e2 = Entry {
                    amount: e.amount + amount,
                    ..Entry::clone(e)
                };
                Rc::new(Ledger::Cons(Rc::new(e2), rest.clone()))
            } else {
                Rc::new(Ledger::Cons(e.clone(), credit(rest, owner, amount)))
            }
        }
    }
}

/// E: `transfer`; `Err` carries the error's variant index.
pub fn transfer(
    l: &Rc<Ledger>,
    from: &Rc<[u8]>,
    to: &Rc<[u8]>,
    amount: i128,
) -> Result<Rc<Ledger>, u32> {
    if amount <= 0 {
        Err(1)
    } else if from == to {
        Err(2)
    } else if balance_of(l, from) < amount {
        Err(0)
    } else {
        Ok(credit(&credit(l, from, -amount), to, amount))
    }
}

/// The ledger of `n` entries, owner `i` as 4 big-endian bytes, amount 1000.
pub fn ledger(n: u32) -> Rc<Ledger> {
    let mut l = Rc::new(Ledger::Nil);
    for i in (0..n).rev() {
        let e = Entry {
            owner: Rc::from(&i.to_be_bytes()[..]),
            amount: 1000,
        };
        l = Rc::new(Ledger::Cons(Rc::new(e), l));
    }
    l
}

// ---- The contract-shaped kernels F–N (issue 18). Lists are Vecs: each
// stage of a pipeline materialises its output as Tally's does, but in a
// loop (Rust recursion 50,000 deep would overflow the stack).

/// F: an order.
#[derive(Clone, Copy)]
pub struct Order {
    /// Its id (unused by the kernel, as in Tally).
    pub id: i128,
    /// The price.
    pub price: i128,
    /// The quantity.
    pub qty: i128,
}

/// F: the orders of `(id, price, qty)`.
pub fn orders(os: &[(i64, i64, i64)]) -> Vec<Order> {
    os.iter()
        .map(|&(id, price, qty)| Order {
            id: id.into(),
            price: price.into(),
            qty: qty.into(),
        })
        .collect()
}

/// F: filter (a new list of the kept orders), map (a new list of values),
/// then sum.
pub fn filled_value(orders: &[Order], min_price: i128) -> i128 {
    let kept: Vec<&Order> = orders
        .iter()
        .filter(|o| o.qty > 0 && o.price >= min_price)
        .collect();
    let values: Vec<i128> = kept
        .iter()
        .map(|o| o.price.checked_mul(o.qty).expect("no overflow"))
        .collect();
    values
        .iter()
        .fold(0i128, |acc, v| acc.checked_add(*v).expect("no overflow"))
}

/// G: a persistent, unbalanced binary search tree.
pub enum Tree {
    /// The empty tree.
    Leaf,
    /// Left subtree, key, right subtree.
    Node(Rc<Tree>, i128, Rc<Tree>),
}

/// G: `t` with `k`, copying the path (recursive, as in Tally).
pub fn bst_insert(t: &Rc<Tree>, k: i128) -> Rc<Tree> {
    match &**t {
        Tree::Leaf => Rc::new(Tree::Node(t.clone(), k, t.clone())),
        Tree::Node(l, x, r) => {
            if k < *x {
                Rc::new(Tree::Node(bst_insert(l, k), *x, r.clone()))
            } else if k > *x {
                Rc::new(Tree::Node(l.clone(), *x, bst_insert(r, k)))
            } else {
                t.clone()
            }
        }
    }
}

/// G: whether `k` is in `t`.
pub fn bst_member(mut t: &Rc<Tree>, k: i128) -> bool {
    while let Tree::Node(l, x, r) = &**t {
        if k < *x {
            t = l;
        } else if k > *x {
            t = r;
        } else {
            return true;
        }
    }
    false
}

/// G: the tree of `keys` inserted in order (the input).
pub fn bst_build(keys: &[i64]) -> Rc<Tree> {
    let mut t = Rc::new(Tree::Leaf);
    for &k in keys {
        t = bst_insert(&t, k.into());
    }
    t
}

/// G: for each key of `ops`, insert it into `t` and look up its successor
/// in the new tree; the number found.
pub fn successors(t: &Rc<Tree>, ops: &[i64]) -> i128 {
    let mut hits = 0;
    for &k in ops {
        if bst_member(&bst_insert(t, k.into()), i128::from(k) + 1) {
            hits += 1;
        }
    }
    hits
}

/// H: merge the sorted `xs` and `ys` into a new list, then sum it.
pub fn merge_sum(xs: &[i128], ys: &[i128]) -> i128 {
    let mut merged = Vec::with_capacity(xs.len() + ys.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (xs.get(i), ys.get(j)) {
        if x <= y {
            merged.push(*x);
            i += 1;
        } else {
            merged.push(*y);
            j += 1;
        }
    }
    merged.extend_from_slice(&xs[i..]);
    merged.extend_from_slice(&ys[j..]);
    merged
        .iter()
        .fold(0i128, |acc, v| acc.checked_add(*v).expect("no overflow"))
}

/// I: the accumulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Elements seen.
    pub count: i128,
    /// Their sum.
    pub total: i128,
    /// Their maximum (0 for none).
    pub max: i128,
}

/// I: one fold with the struct accumulator.
pub fn stats(xs: &[i128]) -> Stats {
    let start = Stats {
        count: 0,
        total: 0,
        max: 0,
    };
    xs.iter().fold(start, |s, &x| Stats {
        count: s.count.checked_add(1).expect("no overflow"),
        total: s.total.checked_add(x).expect("no overflow"),
        max: if x > s.max { x } else { s.max },
    })
}

/// J: a Bytes value as the VM holds it: a view of a shared buffer.
#[derive(Clone)]
pub struct Bytes {
    buf: Rc<[u8]>,
    start: usize,
    len: usize,
}

impl Bytes {
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }

    /// A new buffer with `self`'s bytes and then `other`'s.
    pub fn concat(&self, other: &Bytes) -> Bytes {
        let mut v = Vec::with_capacity(self.len + other.len);
        v.extend_from_slice(self.as_slice());
        v.extend_from_slice(other.as_slice());
        Bytes::from(v)
    }

    /// `len` bytes from `start`, clamped to `self` (a view, no copy).
    pub fn slice(&self, start: usize, len: usize) -> Bytes {
        let start = start.min(self.len);
        Bytes {
            buf: self.buf.clone(),
            start: self.start + start,
            len: len.min(self.len - start),
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        let len = v.len();
        Bytes {
            buf: v.into(),
            start: 0,
            len,
        }
    }
}

/// J: `n` times, append `byte(n)` (a view of a 256-byte table) and keep
/// the last `width` bytes.
pub fn window(mut n: i128, seed: &Bytes, width: usize) -> Bytes {
    let table = Bytes::from((0..=255u8).collect::<Vec<u8>>());
    let mut w = seed.clone();
    while n > 0 {
        let b = table.slice((n % 256) as usize, 1);
        w = w.concat(&b).slice(1, width);
        n -= 1;
    }
    w
}

/// K: kernel A with `acc + 2 * n`.
pub fn sum_double(mut n: i128, mut acc: i128) -> i128 {
    while n > 0 {
        let d = n.checked_mul(2).expect("no overflow");
        acc = acc.checked_add(d).expect("no overflow");
        n -= 1;
    }
    acc
}

/// L: kernel C with `acc + x * x`.
pub fn range_squares(n: i128) -> i128 {
    let (cells, mut l) = cons_range(n);
    let mut acc = 0i128;
    while let Some(&(h, t)) = cells.get(l) {
        let sq = h.checked_mul(h).expect("no overflow");
        acc = acc.checked_add(sq).expect("no overflow");
        l = t;
    }
    acc
}

/// M: a persistent AVL map from Bytes to Int, the tree of vm-core's
/// `std::map` (path copying, the same rotations).
pub enum Map {
    /// The empty map.
    Empty,
    /// Key, value, left, right, height.
    Node(Rc<[u8]>, i128, Rc<Map>, Rc<Map>, u32),
}

/// M: the tree's height (0 for the empty map).
pub fn height(m: &Map) -> u32 {
    match m {
        Map::Empty => 0,
        Map::Node(.., h) => *h,
    }
}

fn node(k: Rc<[u8]>, v: i128, l: Rc<Map>, r: Rc<Map>) -> Rc<Map> {
    let h = height(&l).max(height(&r)) + 1;
    Rc::new(Map::Node(k, v, l, r, h))
}

fn balance(k: Rc<[u8]>, v: i128, l: Rc<Map>, r: Rc<Map>) -> Rc<Map> {
    let (hl, hr) = (height(&l), height(&r));
    // A subtree two taller than its sibling is a node, and so is the taller
    // child of it that a double rotation lifts.
    if hl > hr + 1
        && let Map::Node(lk, lv, ll, lr, _) = &*l
    {
        if height(ll) >= height(lr) {
            return node(lk.clone(), *lv, ll.clone(), node(k, v, lr.clone(), r));
        }
        if let Map::Node(lrk, lrv, lrl, lrr, _) = &**lr {
            let a = node(lk.clone(), *lv, ll.clone(), lrl.clone());
            let b = node(k, v, lrr.clone(), r);
            return node(lrk.clone(), *lrv, a, b);
        }
    } else if hr > hl + 1
        && let Map::Node(rk, rv, rl, rr, _) = &*r
    {
        if height(rr) >= height(rl) {
            return node(rk.clone(), *rv, node(k, v, l, rl.clone()), rr.clone());
        }
        if let Map::Node(rlk, rlv, rll, rlr, _) = &**rl {
            let a = node(k, v, l, rll.clone());
            let b = node(rk.clone(), *rv, rlr.clone(), rr.clone());
            return node(rlk.clone(), *rlv, a, b);
        }
    }
    node(k, v, l, r)
}

/// M: `m` with `k` mapped to `v` (recursive: the tree is shallow).
pub fn map_insert(m: &Rc<Map>, k: &Rc<[u8]>, v: i128) -> Rc<Map> {
    match &**m {
        Map::Empty => node(k.clone(), v, m.clone(), m.clone()),
        Map::Node(x, xv, l, r, _) => match k[..].cmp(&x[..]) {
            std::cmp::Ordering::Less => balance(x.clone(), *xv, map_insert(l, k, v), r.clone()),
            std::cmp::Ordering::Greater => balance(x.clone(), *xv, l.clone(), map_insert(r, k, v)),
            std::cmp::Ordering::Equal => node(k.clone(), v, l.clone(), r.clone()),
        },
    }
}

/// M: the value at `k`.
pub fn map_get(mut m: &Rc<Map>, k: &[u8]) -> Option<i128> {
    while let Map::Node(x, v, l, r, _) = &**m {
        match k.cmp(&x[..]) {
            std::cmp::Ordering::Less => m = l,
            std::cmp::Ordering::Greater => m = r,
            std::cmp::Ordering::Equal => return Some(*v),
        }
    }
    None
}

/// M: accounts `i` as 4 big-endian bytes for `i` in `0..n`, 1000 each.
pub fn map_ledger(n: u32) -> Rc<Map> {
    let mut m = Rc::new(Map::Empty);
    for i in 0..n {
        m = map_insert(&m, &Rc::from(&i.to_be_bytes()[..]), 1000);
    }
    m
}

/// M: kernels/map_token.tly's `transfer_balance`.
pub fn map_transfer_balance(
    m: &Rc<Map>,
    from: &Rc<[u8]>,
    to: &Rc<[u8]>,
    amount: i128,
) -> Option<i128> {
    let have = map_get(m, from)?;
    if have < amount || amount < 0 {
        return None;
    }
    let debited = map_insert(m, from, have - amount);
    let new = match map_get(&debited, to) {
        None => amount,
        Some(old) => old.checked_add(amount).expect("no overflow"),
    };
    map_get(&map_insert(&debited, to, new), to)
}

/// N: vm-core's own Ed25519 check (RFC 8032, strict: ed25519-dalek's
/// `verify_strict` plus the canonical-encoding checks), called directly.
pub fn ed25519_verify(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    vm_core::internals::crypto::SigScheme::Ed25519.verify(key, msg, sig)
}
