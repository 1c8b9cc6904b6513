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

/// C: build [1..n] into a Vec-backed cons arena, then fold it.
pub fn range_sum(n: i128) -> i128 {
    // Cells as (head, tail index); usize::MAX is the empty list.
    let mut cells: Vec<(i128, usize)> = Vec::new();
    let (mut l, mut k) = (usize::MAX, n);
    while k > 0 {
        cells.push((k, l));
        l = cells.len() - 1;
        k -= 1;
    }
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
