//! Hand-assembled kernels for the bound tests: one module exporting the
//! usual recursive shapes, plus an Ackermann module the analysis rejects.
#![allow(dead_code)]

use vm_core::format::*;
use vm_core::internals::*;

pub mod random;

/// `(export, parameter names)` of every kernel, in export order.
pub const KERNELS: &[(&str, &[&str])] = &[
    ("append", &["xs", "ys"]),
    ("classify", &["x", "xs"]),
    ("fib", &["n"]),
    ("inc_all", &["xs"]),
    ("insert", &["x", "ys"]),
    ("length", &["xs"]),
    ("product", &["xs", "ys"]),
    ("reverse_onto", &["xs", "acc"]),
    ("sort", &["xs"]),
    ("sum", &["xs"]),
    ("sum_to", &["n"]),
    ("tree_sum", &["t"]),
];

/// Type indices in [`kernels`].
pub const LIST: Ty = Ty::Adt(0);
/// `(Int, Int)`.
pub const PAIR: Ty = Ty::Adt(1);
/// `List<(Int, Int)>`.
pub const PLIST: Ty = Ty::Adt(2);
/// `enum Tree { Leaf, Node(Tree, Int, Tree) }`.
pub const TREE: Ty = Ty::Adt(3);

use crate::common::{Cmp, br_imm, emit_cons, emit_nil, match_list as split};

fn adt(list: Ty) -> AdtId {
    let Ty::Adt(t) = list else {
        unreachable!("a list type")
    };
    AdtId(t)
}

/// A new register holding `[]`.
fn nil(f: &mut FunctionBuilder, list: Ty) -> Reg {
    let r = f.reg(list);
    emit_nil(f, adt(list), r);
    r
}

/// A new register holding `[h, ..t]`.
fn cons(f: &mut FunctionBuilder, list: Ty, h: Reg, t: Reg) -> Reg {
    let r = f.reg(list);
    emit_cons(f, adt(list), r, h, t);
    r
}

/// The kernels module.
pub fn kernels() -> Module {
    kernels_with(|_, _| {})
}

/// The kernels module, with `hook` adding functions before it is finished;
/// the hook gets the kernels' `(export name, id)`.
pub fn kernels_with(hook: impl FnOnce(&mut ModuleBuilder, &[(&str, FuncId)])) -> Module {
    let mut mb = ModuleBuilder::new();
    mb.add_list("List<Int>", Ty::Int);
    mb.add_adt(AdtDef::tuple("(Int, Int)", &[Ty::Int, Ty::Int]));
    mb.add_list("List<(Int, Int)>", PAIR);
    let tree = mb.next_adt();
    mb.add_adt(AdtDef::enumeration(
        "Tree",
        &[
            ("Leaf", &[]),
            ("Node", &[Ty::Adt(tree.0), Ty::Int, Ty::Adt(tree.0)]),
        ],
    ));
    let l = LIST;
    let length = mb.declare("length", &[l], Ty::Int);
    let sum = mb.declare("sum", &[l], Ty::Int);
    let inc_all = mb.declare("inc_all", &[l], l);
    let reverse_onto = mb.declare("reverse_onto", &[l, l], l);
    let append = mb.declare("append", &[l, l], l);
    let insert = mb.declare("insert", &[Ty::Int, l], l);
    let sort = mb.declare("sort", &[l], l);
    let tree_sum = mb.declare("tree_sum", &[TREE], Ty::Int);
    let sum_to = mb.declare("sum_to", &[Ty::Int], Ty::Int);
    let fib = mb.declare("fib", &[Ty::Int], Ty::Int);
    let classify = mb.declare("classify", &[Ty::Int, l], l);
    let pairs = mb.declare("pairs", &[Ty::Int, l], PLIST);
    let append_p = mb.declare("append_p", &[PLIST, PLIST], PLIST);
    let product = mb.declare("product", &[l, l], PLIST);

    // length(xs) = match xs { [] => 0, [_, ..t] => length(t) + 1 }
    let mut f = FunctionBuilder::new(&[l]);
    let (base, _, t) = split(&mut f, Reg(0), Ty::Int, l);
    let (n, n1, z) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    f.emit(Instr::Call {
        d: n,
        f: length,
        args: vec![t],
    });
    f.emit(Instr::AddI { d: n1, a: n, k: 1 });
    f.emit(Instr::Ret { a: n1 });
    f.bind(base);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(length, f).unwrap();

    // sum(xs) = match xs { [] => 0, [h, ..t] => h + sum(t) }
    let mut f = FunctionBuilder::new(&[l]);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let (s, r, z) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    f.emit(Instr::Call {
        d: s,
        f: sum,
        args: vec![t],
    });
    f.emit(Instr::Add { d: r, a: h, b: s });
    f.emit(Instr::Ret { a: r });
    f.bind(base);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(sum, f).unwrap();

    // inc_all(xs) = match xs { [] => [], [h, ..t] => [h + 1, ..inc_all(t)] }
    let mut f = FunctionBuilder::new(&[l]);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let (h1, r) = (f.reg(Ty::Int), f.reg(l));
    f.emit(Instr::AddI { d: h1, a: h, k: 1 });
    f.emit(Instr::Call {
        d: r,
        f: inc_all,
        args: vec![t],
    });
    let c = cons(&mut f, l, h1, r);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    let e = nil(&mut f, l);
    f.emit(Instr::Ret { a: e });
    mb.define(inc_all, f).unwrap();

    // reverse_onto(xs, acc) = match xs { [] => acc, [h, ..t] => reverse_onto(t, [h, ..acc]) }
    let mut f = FunctionBuilder::new(&[l, l]);
    let acc = f.param(1);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let a2 = cons(&mut f, l, h, acc);
    f.emit(Instr::TailCall {
        f: reverse_onto,
        args: vec![t, a2],
    });
    f.bind(base);
    f.emit(Instr::Ret { a: acc });
    mb.define(reverse_onto, f).unwrap();

    // append(xs, ys) = match xs { [] => ys, [h, ..t] => [h, ..append(t, ys)] }
    let mut f = FunctionBuilder::new(&[l, l]);
    let ys = f.param(1);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let r = f.reg(l);
    f.emit(Instr::Call {
        d: r,
        f: append,
        args: vec![t, ys],
    });
    let c = cons(&mut f, l, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    f.emit(Instr::Ret { a: ys });
    mb.define(append, f).unwrap();

    // insert(x, ys) = match ys { [] => [x], [h, ..t] => if x <= h { [x, ..ys] } else { [h, ..insert(x, t)] } }
    let mut f = FunctionBuilder::new(&[Ty::Int, l]);
    let (x, ys) = (f.param(0), f.param(1));
    let (base, h, t) = split(&mut f, ys, Ty::Int, l);
    let here = f.label();
    f.emit_to(
        Instr::BrLe {
            a: x,
            b: h,
            t: Jump(0),
        },
        &[here],
    );
    let r = f.reg(l);
    f.emit(Instr::Call {
        d: r,
        f: insert,
        args: vec![x, t],
    });
    let c = cons(&mut f, l, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(here);
    let c = cons(&mut f, l, x, ys);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    let e = nil(&mut f, l);
    let c = cons(&mut f, l, x, e);
    f.emit(Instr::Ret { a: c });
    mb.define(insert, f).unwrap();

    // sort(xs) = match xs { [] => [], [h, ..t] => insert(h, sort(t)) }
    let mut f = FunctionBuilder::new(&[l]);
    let xs = f.param(0);
    let (base, h, t) = split(&mut f, xs, Ty::Int, l);
    let s = f.reg(l);
    f.emit(Instr::Call {
        d: s,
        f: sort,
        args: vec![t],
    });
    f.emit(Instr::TailCall {
        f: insert,
        args: vec![h, s],
    });
    f.bind(base);
    f.emit(Instr::Ret { a: xs });
    mb.define(sort, f).unwrap();

    // tree_sum(t) = match t { Leaf => 0, Node(a, v, b) => tree_sum(a) + v + tree_sum(b) }
    let mut f = FunctionBuilder::new(&[TREE]);
    let tr = f.param(0);
    let (leaf, node) = (f.label(), f.label());
    f.switch(tr, &[leaf, node]);
    f.bind(node);
    let (a, v, b) = (f.reg(TREE), f.reg(Ty::Int), f.reg(TREE));
    let (sa, sb, s1, s2, z) = (
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
    );
    f.emit(Instr::Field { d: a, s: tr, i: 0 });
    f.emit(Instr::Field { d: v, s: tr, i: 1 });
    f.emit(Instr::Field { d: b, s: tr, i: 2 });
    f.emit(Instr::Call {
        d: sa,
        f: tree_sum,
        args: vec![a],
    });
    f.emit(Instr::Call {
        d: sb,
        f: tree_sum,
        args: vec![b],
    });
    f.emit(Instr::Add { d: s1, a: sa, b: v });
    f.emit(Instr::Add {
        d: s2,
        a: s1,
        b: sb,
    });
    f.emit(Instr::Ret { a: s2 });
    f.bind(leaf);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(tree_sum, f).unwrap();

    // sum_to(n) = if n <= 0 { 0 } else { sum_to(n - 1) + n }
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let n = f.param(0);
    let base = f.label();
    let (m, s, r, z) = (
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
    );
    br_imm(&mut f, Cmp::Le, n, 0, base);
    f.emit(Instr::AddI { d: m, a: n, k: -1 });
    f.emit(Instr::Call {
        d: s,
        f: sum_to,
        args: vec![m],
    });
    f.emit(Instr::Add { d: r, a: s, b: n });
    f.emit(Instr::Ret { a: r });
    f.bind(base);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(sum_to, f).unwrap();

    // fib(n) = if n > 1 { fib(n - 1) + fib(n - 2) } else { n }
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let n = f.param(0);
    let [a, fa, b, fb, s] = [0; 5].map(|_| f.reg(Ty::Int));
    let rec = f.label();
    br_imm(&mut f, Cmp::Gt, n, 1, rec);
    f.emit(Instr::Ret { a: n });
    f.bind(rec);
    f.emit(Instr::AddI { d: a, a: n, k: -1 });
    f.emit(Instr::Call {
        d: fa,
        f: fib,
        args: vec![a],
    });
    f.emit(Instr::AddI { d: b, a: n, k: -2 });
    f.emit(Instr::Call {
        d: fb,
        f: fib,
        args: vec![b],
    });
    f.emit(Instr::Add { d: s, a: fa, b: fb });
    f.emit(Instr::Ret { a: s });
    mb.define(fib, f).unwrap();

    // classify(x, xs) = if x < 0 { xs } else if x == 0 { [x, ..xs] } else { [x, x, ..xs] }
    let mut f = FunctionBuilder::new(&[Ty::Int, l]);
    let (x, xs) = (f.param(0), f.param(1));
    let (neg, zero) = (f.label(), f.label());
    f.emit_to(
        Instr::BrLtI {
            a: x,
            k: 0,
            t: Jump(0),
        },
        &[neg],
    );
    f.emit_to(
        Instr::BrEqI {
            a: x,
            k: 0,
            t: Jump(0),
        },
        &[zero],
    );
    let c1 = cons(&mut f, l, x, xs);
    let c2 = cons(&mut f, l, x, c1);
    f.emit(Instr::Ret { a: c2 });
    f.bind(zero);
    let c = cons(&mut f, l, x, xs);
    f.emit(Instr::Ret { a: c });
    f.bind(neg);
    f.emit(Instr::Ret { a: xs });
    mb.define(classify, f).unwrap();

    // pairs(x, ys) = match ys { [] => [], [h, ..t] => [(x, h), ..pairs(x, t)] }
    let mut f = FunctionBuilder::new(&[Ty::Int, l]);
    let x = f.param(0);
    let (base, h, t) = split(&mut f, Reg(1), Ty::Int, l);
    let (p, r) = (f.reg(PAIR), f.reg(PLIST));
    f.emit(Instr::Con {
        d: p,
        t: AdtId(1),
        v: 0,
        fields: vec![x, h],
    });
    f.emit(Instr::Call {
        d: r,
        f: pairs,
        args: vec![x, t],
    });
    let c = cons(&mut f, PLIST, p, r);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    let e = nil(&mut f, PLIST);
    f.emit(Instr::Ret { a: e });
    mb.define(pairs, f).unwrap();

    // append_p: append on List<(Int, Int)>.
    let mut f = FunctionBuilder::new(&[PLIST, PLIST]);
    let ys = f.param(1);
    let (base, h, t) = split(&mut f, Reg(0), PAIR, PLIST);
    let r = f.reg(PLIST);
    f.emit(Instr::Call {
        d: r,
        f: append_p,
        args: vec![t, ys],
    });
    let c = cons(&mut f, PLIST, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    f.emit(Instr::Ret { a: ys });
    mb.define(append_p, f).unwrap();

    // product(xs, ys) = match xs { [] => [], [h, ..t] => append_p(pairs(h, ys), product(t, ys)) }
    let mut f = FunctionBuilder::new(&[l, l]);
    let ys = f.param(1);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let (a, b) = (f.reg(PLIST), f.reg(PLIST));
    f.emit(Instr::Call {
        d: a,
        f: pairs,
        args: vec![h, ys],
    });
    f.emit(Instr::Call {
        d: b,
        f: product,
        args: vec![t, ys],
    });
    f.emit(Instr::TailCall {
        f: append_p,
        args: vec![a, b],
    });
    f.bind(base);
    let e = nil(&mut f, PLIST);
    f.emit(Instr::Ret { a: e });
    mb.define(product, f).unwrap();

    let ids = [
        ("length", length),
        ("sum", sum),
        ("inc_all", inc_all),
        ("reverse_onto", reverse_onto),
        ("append", append),
        ("insert", insert),
        ("sort", sort),
        ("tree_sum", tree_sum),
        ("sum_to", sum_to),
        ("fib", fib),
        ("classify", classify),
        ("product", product),
    ];
    for (name, id) in ids {
        mb.export(name, id);
    }
    hook(&mut mb, &ids);
    mb.finish().unwrap()
}

/// `ack(m, n)`: the inner call's result becomes the outer call's `n`.
pub fn ackermann() -> Module {
    let mut mb = ModuleBuilder::new();
    let ack = mb.declare("ack", &[Ty::Int, Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int, Ty::Int]);
    let (m, n) = (f.param(0), f.param(1));
    let (mpos, npos) = (f.label(), f.label());
    let [n1, m1, one, n2, inner, m2] = [0; 6].map(|_| f.reg(Ty::Int));
    br_imm(&mut f, Cmp::Gt, m, 0, mpos);
    f.emit(Instr::AddI { d: n1, a: n, k: 1 });
    f.emit(Instr::Ret { a: n1 });
    f.bind(mpos);
    br_imm(&mut f, Cmp::Gt, n, 0, npos);
    f.emit(Instr::AddI { d: m1, a: m, k: -1 });
    f.emit(Instr::Int { d: one, k: 1 });
    f.emit(Instr::TailCall {
        f: ack,
        args: vec![m1, one],
    });
    f.bind(npos);
    f.emit(Instr::AddI { d: n2, a: n, k: -1 });
    f.emit(Instr::Call {
        d: inner,
        f: ack,
        args: vec![m, n2],
    });
    f.emit(Instr::AddI { d: m2, a: m, k: -1 });
    f.emit(Instr::TailCall {
        f: ack,
        args: vec![m2, inner],
    });
    mb.define(ack, f).unwrap();
    mb.export("ack", ack);
    mb.finish().unwrap()
}

/// Random-ish Int list of length `n` from `seed` (values in -50..50).
pub fn int_list(n: usize, seed: u64) -> Value {
    let mut s = seed | 1;
    Value::list((0..n).map(|_| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        Value::int((s % 100) as i128 - 50)
    }))
}

/// A tree with `n` nodes, shaped by `seed` (built iteratively, no recursion).
pub fn tree(n: usize, seed: u64) -> Value {
    // Build from the bottom: a stack of subtrees, combined pairwise.
    let mut s = seed | 1;
    let mut stack: Vec<Value> = Vec::new();
    let mut made = 0;
    while made < n || stack.len() > 1 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        if made < n && (stack.len() < 2 || !s.is_multiple_of(3)) {
            let leaf = Value::cell(0, vec![]);
            let l = stack.pop().unwrap_or_else(|| leaf.clone());
            stack.push(Value::cell(1, vec![l, Value::int((s % 10) as i128), leaf]));
            made += 1;
        } else if stack.len() > 1 {
            let b = stack.pop().unwrap();
            let a = stack.pop().unwrap();
            // Graft `a` as the right child of a new node over `b`.
            stack.push(Value::cell(1, vec![b, Value::int(1), a]));
            made += 1;
        } else {
            break;
        }
    }
    stack.pop().unwrap_or_else(|| Value::cell(0, vec![]))
}

/// Shapes beyond one self-recursive function: `walk(xs) = step(xs)` and
/// `step(xs) = match xs { [] => 0, [_, ..t] => walk(t) + 1 }` (a call that
/// keeps the measure), and `lex(m, n) = if m <= 0 { 0 } else if n <= 0 {
/// lex(m - 1, 10) } else { lex(m, n - 1) }` (lexicographic descent).
pub fn more_shapes() -> Module {
    let mut mb = ModuleBuilder::new();
    mb.add_list("List<Int>", Ty::Int);
    let l = LIST;
    let walk = mb.declare("walk", &[l], Ty::Int);
    let step = mb.declare("step", &[l], Ty::Int);
    let lex = mb.declare("lex", &[Ty::Int, Ty::Int], Ty::Int);

    let mut f = FunctionBuilder::new(&[l]);
    f.emit(Instr::TailCall {
        f: step,
        args: vec![Reg(0)],
    });
    mb.define(walk, f).unwrap();

    let mut f = FunctionBuilder::new(&[l]);
    let (base, _, t) = split(&mut f, Reg(0), Ty::Int, l);
    let (r, r1, z) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    f.emit(Instr::Call {
        d: r,
        f: walk,
        args: vec![t],
    });
    f.emit(Instr::AddI { d: r1, a: r, k: 1 });
    f.emit(Instr::Ret { a: r1 });
    f.bind(base);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(step, f).unwrap();

    let mut f = FunctionBuilder::new(&[Ty::Int, Ty::Int]);
    let (m, n) = (Reg(0), Reg(1));
    let (go, inner) = (f.label(), f.label());
    let (m1, k, n1) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    br_imm(&mut f, Cmp::Gt, m, 0, go);
    f.emit(Instr::Int { d: k, k: 0 });
    f.emit(Instr::Ret { a: k });
    f.bind(go);
    br_imm(&mut f, Cmp::Gt, n, 0, inner);
    f.emit(Instr::AddI { d: m1, a: m, k: -1 });
    f.emit(Instr::Int { d: k, k: 10 });
    f.emit(Instr::TailCall {
        f: lex,
        args: vec![m1, k],
    });
    f.bind(inner);
    f.emit(Instr::AddI { d: n1, a: n, k: -1 });
    f.emit(Instr::TailCall {
        f: lex,
        args: vec![m, n1],
    });
    mb.define(lex, f).unwrap();
    for (name, id) in [("walk", walk), ("step", step), ("lex", lex)] {
        mb.export(name, id);
    }
    mb.finish().unwrap()
}

/// `double(xs) = match xs { [] => [], [h, ..t] => { let r = double(t); [h, ..r] ++ r } }`
/// written with a local append: the recursive result is used twice, so
/// the result size doubles per element (rejected).
pub fn doubling() -> Module {
    let mut mb = ModuleBuilder::new();
    mb.add_list("List<Int>", Ty::Int);
    let l = LIST;
    let append = mb.declare("append", &[l, l], l);
    let double = mb.declare("double", &[l], l);
    let mut f = FunctionBuilder::new(&[l, l]);
    let ys = Reg(1);
    let (base, h, t) = split(&mut f, Reg(0), Ty::Int, l);
    let r = f.reg(l);
    f.emit(Instr::Call {
        d: r,
        f: append,
        args: vec![t, ys],
    });
    let c = cons(&mut f, l, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    f.emit(Instr::Ret { a: ys });
    mb.define(append, f).unwrap();

    let mut f = FunctionBuilder::new(&[l]);
    let xs = Reg(0);
    let (base, h, t) = split(&mut f, xs, Ty::Int, l);
    let r = f.reg(l);
    f.emit(Instr::Call {
        d: r,
        f: double,
        args: vec![t],
    });
    let c = cons(&mut f, l, h, r);
    f.emit(Instr::TailCall {
        f: append,
        args: vec![c, r],
    });
    f.bind(base);
    f.emit(Instr::Ret { a: xs });
    mb.define(double, f).unwrap();
    mb.export("double", double);
    mb.finish().unwrap()
}

/// `count_eq(xs: List<T>, k: T)` with `T` a tuple of 60 Ints: counts the
/// elements equal to `k`. Equality on an element costs up to 62 gas, more
/// than the rest of a step, so the per-element pieces dominate the bound.
pub fn count_eq_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let tuple = mb.add_adt(AdtDef::tuple("T60", &[Ty::Int; 60]));
    let tt = Ty::Adt(tuple.0);
    let lt = mb.add_list("List<T60>", tt);
    let l = Ty::Adt(lt.0);
    let count = mb.declare("count_eq", &[l, tt], Ty::Int);
    let mut f = FunctionBuilder::new(&[l, tt]);
    let k = Reg(1);
    let (base, h, t) = split(&mut f, Reg(0), tt, l);
    let (e, r, r1, z) = (
        f.reg(Ty::Bool),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
    );
    let skip = f.label();
    f.emit(Instr::Eq { d: e, a: h, b: k });
    f.emit(Instr::Call {
        d: r,
        f: count,
        args: vec![t, k],
    });
    f.emit_to(Instr::BrIfNot { c: e, t: Jump(0) }, &[skip]);
    f.emit(Instr::AddI { d: r1, a: r, k: 1 });
    f.emit(Instr::Ret { a: r1 });
    f.bind(skip);
    f.emit(Instr::Ret { a: r });
    f.bind(base);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(count, f).unwrap();
    mb.export("count_eq", count);
    mb.finish().unwrap()
}

/// Insertion sort as the compiler emits it: `insert` rebuilds the cell it
/// matched (`[y, ..rest]`) instead of reusing it. Exports `insert` and `sort`.
pub fn rebuilding_sort() -> Module {
    let mut mb = ModuleBuilder::new();
    mb.add_list("List<Int>", Ty::Int);
    let l = LIST;
    let insert = mb.declare("insert", &[Ty::Int, l], l);
    let sort = mb.declare("sort", &[l], l);
    // insert(x, ys) = match ys { [] => [x], [y, ..rest] => if x <= y { [x, y, ..rest] } else { [y, ..insert(x, rest)] } }
    let mut f = FunctionBuilder::new(&[Ty::Int, l]);
    let (x, ys) = (f.param(0), f.param(1));
    let (base, y, rest) = split(&mut f, ys, Ty::Int, l);
    let here = f.label();
    f.emit_to(
        Instr::BrLe {
            a: x,
            b: y,
            t: Jump(0),
        },
        &[here],
    );
    let r = f.reg(l);
    f.emit(Instr::Call {
        d: r,
        f: insert,
        args: vec![x, rest],
    });
    let c = cons(&mut f, l, y, r);
    f.emit(Instr::Ret { a: c });
    f.bind(here);
    let again = cons(&mut f, l, y, rest);
    let c = cons(&mut f, l, x, again);
    f.emit(Instr::Ret { a: c });
    f.bind(base);
    let e = nil(&mut f, l);
    let c = cons(&mut f, l, x, e);
    f.emit(Instr::Ret { a: c });
    mb.define(insert, f).unwrap();
    // sort(xs) = match xs { [] => [], [h, ..t] => insert(h, sort(t)) }
    let mut f = FunctionBuilder::new(&[l]);
    let xs = f.param(0);
    let (base, h, t) = split(&mut f, xs, Ty::Int, l);
    let s = f.reg(l);
    f.emit(Instr::Call {
        d: s,
        f: sort,
        args: vec![t],
    });
    f.emit(Instr::TailCall {
        f: insert,
        args: vec![h, s],
    });
    f.bind(base);
    let e = nil(&mut f, l);
    f.emit(Instr::Ret { a: e });
    mb.define(sort, f).unwrap();
    mb.export("insert", insert);
    mb.export("sort", sort);
    mb.finish().unwrap()
}
