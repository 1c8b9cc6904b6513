//! Hand-assembled kernels shared by the integration tests.
#![allow(dead_code)]

use vm_core::format::*;
use vm_core::internals::*;

/// Evaluates in every [`Metering`] mode (unchecked only where the run fits
/// the limit), asserts they agree exactly (result, gas, statistics), and
/// returns the checked result and gas.
pub fn eval_all_modes(
    vm: &VerifiedModule,
    entry: &str,
    args: &[Value],
    gas_limit: u64,
) -> (Result<Value, Trap>, u64) {
    let run = |metering| {
        evaluate_with(
            vm,
            entry,
            args,
            Options {
                gas_limit,
                metering,
            },
        )
    };
    let checked = run(Metering::Checked);
    // Unchecked metering is for runs known to fit: once out of gas, it could
    // run for as long as the program does without a limit.
    let fits = checked.result != Err(Trap::OutOfGas);
    for m in [Metering::Unchecked, Metering::PerInstruction] {
        if m == Metering::Unchecked && !fits {
            continue;
        }
        assert_eq!(
            run(m),
            checked,
            "{m:?} vs Checked: {entry}({args:?}) limit {gas_limit}"
        );
    }
    assert_eq!(
        evaluate(vm, entry, args, gas_limit),
        (checked.result.clone(), checked.gas_used),
        "evaluate is Checked"
    );
    (checked.result, checked.gas_used)
}

/// Runs `entry(args)` in every mode at every gas limit up to the one it
/// needs: all modes must agree ([`eval_all_modes`]), stop out of gas below
/// it and never use more than the limit. Returns the outcome with
/// unlimited gas.
pub fn eval_all_limits(vm: &VerifiedModule, entry: &str, args: &[Value]) -> Result<Value, Trap> {
    let (r, gas) = eval_all_modes(vm, entry, args, u64::MAX);
    for limit in 0..gas {
        let (rl, gl) = eval_all_modes(vm, entry, args, limit);
        if r.is_ok() {
            assert_eq!(rl, Err(Trap::OutOfGas), "limit {limit}");
        }
        assert!(gl <= limit, "limit {limit}: used {gl}");
    }
    assert_eq!(eval_all_modes(vm, entry, args, gas), (r.clone(), gas));
    r
}

/// The comparisons of the compare-with-immediate branches.
#[derive(Clone, Copy)]
pub enum Cmp {
    /// `br.le.i`
    Le,
    /// `br.gt.i`
    Gt,
}

/// Emits `br.<cmp>.i a, k` to `to`.
pub fn br_imm(f: &mut FunctionBuilder, cmp: Cmp, a: Reg, k: i64, to: Label) {
    let t = Jump(0);
    let ins = match cmp {
        Cmp::Le => Instr::BrLeI { a, k, t },
        Cmp::Gt => Instr::BrGtI { a, k, t },
    };
    f.emit_to(ins, &[to]);
}

/// Emits `con d = Cons(h, t)` of list type `lt`.
pub fn emit_cons(f: &mut FunctionBuilder, lt: AdtId, d: Reg, h: Reg, t: Reg) {
    f.emit(Instr::Con {
        d,
        t: lt,
        v: 1,
        fields: vec![h, t],
    });
}

/// Emits `con d = Nil` of list type `lt`.
pub fn emit_nil(f: &mut FunctionBuilder, lt: AdtId, d: Reg) {
    f.emit(Instr::Con {
        d,
        t: lt,
        v: 0,
        fields: vec![],
    });
}

/// A module exporting `sum(n, acc)`: tail-recursive Int descent (kernel A).
///
/// ```tally
/// pub fn sum(n: Int, acc: Int) -> Int {
///   if n <= 0 { acc } else { sum(n - 1, acc + n) }
/// }
/// ```
pub fn sum_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let sum = mb.declare("sum", &[Ty::Int, Ty::Int], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int, Ty::Int]);
    let (n, acc) = (f.param(0), f.param(1));
    let acc2 = f.reg(Ty::Int);
    let n2 = f.reg(Ty::Int);
    let body = f.label();
    br_imm(&mut f, Cmp::Gt, n, 0, body);
    f.emit(Instr::Ret { a: acc });
    f.bind(body);
    // Arguments left to right.
    f.emit(Instr::AddI { d: n2, a: n, k: -1 });
    f.emit(Instr::Add {
        d: acc2,
        a: acc,
        b: n,
    });
    f.emit(Instr::TailCall {
        f: sum,
        args: vec![n2, acc2],
    });
    mb.define(sum, f).unwrap();
    mb.export("sum", sum);
    mb.finish().unwrap()
}

/// A module exporting naive `fib(n)` (kernel B).
///
/// ```tally
/// pub fn fib(n: Int) -> Int {
///   if n <= 1 { n } else { fib(n - 1) + fib(n - 2) }
/// }
/// ```
pub fn fib_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let fib = mb.declare("fib", &[Ty::Int], Ty::Int);
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
    mb.export("fib", fib);
    mb.finish().unwrap()
}

/// Emits `switch xs [nil, cons]` and loads head/tail on the cons branch.
/// Returns (nil label, head, tail); code continues on the cons branch.
pub fn match_list(f: &mut FunctionBuilder, xs: Reg, elem: Ty, list: Ty) -> (Label, Reg, Reg) {
    let nil = f.label();
    let cons = f.label();
    f.switch(xs, &[nil, cons]);
    f.bind(cons);
    let h = f.reg(elem);
    let t = f.reg(list);
    f.emit(Instr::Field { d: h, s: xs, i: 0 });
    f.emit(Instr::Field { d: t, s: xs, i: 1 });
    (nil, h, t)
}

/// Lists of Ints: `build(n, acc)` (tail-recursive, gives [1..n] on Nil),
/// `range(n)` = build(n, []), `sum_list(xs)` (non-tail fold),
/// `sum_acc(xs, acc)` (tail fold), `length(xs)`, `sort(xs)` (insertion sort),
/// `insert(x, xs)`, `even(xs)`/`odd(xs)` (mutual recursion),
/// `interleave(xs, ys)` (permuted arguments), `reverse_range(n)` = [n..1].
pub fn list_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let build = mb.declare("build", &[Ty::Int, list], list);
    let range = mb.declare("range", &[Ty::Int], list);
    let sum_list = mb.declare("sum_list", &[list], Ty::Int);
    let sum_acc = mb.declare("sum_acc", &[list, Ty::Int], Ty::Int);
    let insert = mb.declare("insert", &[Ty::Int, list], list);
    let sort = mb.declare("sort", &[list], list);
    let even = mb.declare("even", &[list], Ty::Bool);
    let odd = mb.declare("odd", &[list], Ty::Bool);
    let interleave = mb.declare("interleave", &[list, list], list);
    let rev_build = mb.declare("rev_build", &[Ty::Int, Ty::Int, list], list);
    let reverse_range = mb.declare("reverse_range", &[Ty::Int], list);
    let range_sum = mb.declare("range_sum", &[Ty::Int], Ty::Int);

    // pub fn range_sum(n: Int) -> Int { sum_acc(range(n), 0) }  (kernel C)
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let (l, z) = (f.reg(list), f.reg(Ty::Int));
    f.emit(Instr::Call {
        d: l,
        f: range,
        args: vec![f.param(0)],
    });
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::TailCall {
        f: sum_acc,
        args: vec![l, z],
    });
    mb.define(range_sum, f).unwrap();

    // fn build(n: Int, acc: List<Int>) -> List<Int> {
    //   if n <= 0 { acc } else { build(n - 1, [n, ..acc]) }
    // }
    let mut f = FunctionBuilder::new(&[Ty::Int, list]);
    let (n, acc) = (f.param(0), f.param(1));
    let (c, n2) = (f.reg(list), f.reg(Ty::Int));
    let done = f.label();
    br_imm(&mut f, Cmp::Le, n, 0, done);
    f.emit(Instr::AddI { d: n2, a: n, k: -1 });
    emit_cons(&mut f, lt, c, n, acc);
    f.emit(Instr::TailCall {
        f: build,
        args: vec![n2, c],
    });
    f.bind(done);
    f.emit(Instr::Ret { a: acc });
    mb.define(build, f).unwrap();

    // pub fn range(n: Int) -> List<Int> { build(n, []) }
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let nil = f.reg(list);
    emit_nil(&mut f, lt, nil);
    f.emit(Instr::TailCall {
        f: build,
        args: vec![f.param(0), nil],
    });
    mb.define(range, f).unwrap();

    // Prepends n - k + 1 for k = n, n-1, .., 1 (Int descent on k), so that
    // reverse_range(n) = [n, .., 1]:
    // fn rev_build(k: Int, n: Int, acc: List<Int>) -> List<Int> {
    //   if k <= 0 { acc } else { let v = n - k + 1; rev_build(k - 1, n, [v, ..acc]) }
    // }
    let mut f = FunctionBuilder::new(&[Ty::Int, Ty::Int, list]);
    let (k, n, acc) = (f.param(0), f.param(1), f.param(2));
    let (v, c, k2) = (f.reg(Ty::Int), f.reg(list), f.reg(Ty::Int));
    let done = f.label();
    br_imm(&mut f, Cmp::Le, k, 0, done);
    f.emit(Instr::Sub { d: v, a: n, b: k });
    f.emit(Instr::AddI { d: v, a: v, k: 1 });
    emit_cons(&mut f, lt, c, v, acc);
    f.emit(Instr::AddI { d: k2, a: k, k: -1 });
    f.emit(Instr::TailCall {
        f: rev_build,
        args: vec![k2, n, c],
    });
    f.bind(done);
    f.emit(Instr::Ret { a: acc });
    mb.define(rev_build, f).unwrap();

    // pub fn reverse_range(n: Int) -> List<Int> { rev_build(n, n, []) }
    let mut f = FunctionBuilder::new(&[Ty::Int]);
    let nil = f.reg(list);
    emit_nil(&mut f, lt, nil);
    f.emit(Instr::TailCall {
        f: rev_build,
        args: vec![f.param(0), f.param(0), nil],
    });
    mb.define(reverse_range, f).unwrap();

    // pub fn sum_list(xs: List<Int>) -> Int { match xs { [] => 0, [h, ..t] => h + sum_list(t) } }
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let (s, r) = (f.reg(Ty::Int), f.reg(Ty::Int));
    f.emit(Instr::Call {
        d: s,
        f: sum_list,
        args: vec![t],
    });
    f.emit(Instr::Add { d: r, a: h, b: s });
    f.emit(Instr::Ret { a: r });
    f.bind(nil);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(sum_list, f).unwrap();

    // pub fn sum_acc(xs: List<Int>, acc: Int) -> Int {
    //   match xs { [] => acc, [h, ..t] => sum_acc(t, acc + h) }
    // }
    let mut f = FunctionBuilder::new(&[list, Ty::Int]);
    let (xs, acc) = (f.param(0), f.param(1));
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let a2 = f.reg(Ty::Int);
    f.emit(Instr::Add {
        d: a2,
        a: acc,
        b: h,
    });
    f.emit(Instr::TailCall {
        f: sum_acc,
        args: vec![t, a2],
    });
    f.bind(nil);
    f.emit(Instr::Ret { a: acc });
    mb.define(sum_acc, f).unwrap();

    // pub fn insert(x: Int, xs: List<Int>) -> List<Int> {
    //   match xs { [] => [x], [h, ..t] => if x <= h { [x, ..xs] } else { [h, ..insert(x, t)] } }
    // }
    let mut f = FunctionBuilder::new(&[Ty::Int, list]);
    let (x, xs) = (f.param(0), f.param(1));
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let front = f.label();
    let (r, c) = (f.reg(list), f.reg(list));
    f.emit_to(
        Instr::BrLe {
            a: x,
            b: h,
            t: Jump(0),
        },
        &[front],
    );
    f.emit(Instr::Call {
        d: r,
        f: insert,
        args: vec![x, t],
    });
    emit_cons(&mut f, lt, c, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(front);
    emit_cons(&mut f, lt, c, x, xs);
    f.emit(Instr::Ret { a: c });
    f.bind(nil);
    let e = f.reg(list);
    emit_nil(&mut f, lt, e);
    emit_cons(&mut f, lt, c, x, e);
    f.emit(Instr::Ret { a: c });
    mb.define(insert, f).unwrap();

    // pub fn sort(xs: List<Int>) -> List<Int> {  (kernel D)
    //   match xs { [] => [], [h, ..t] => insert(h, sort(t)) }
    // }
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let s = f.reg(list);
    f.emit(Instr::Call {
        d: s,
        f: sort,
        args: vec![t],
    });
    f.emit(Instr::TailCall {
        f: insert,
        args: vec![h, s],
    });
    f.bind(nil);
    f.emit(Instr::Ret { a: xs });
    mb.define(sort, f).unwrap();

    // pub fn even(xs: List<Int>) -> Bool { match xs { [] => true, [_, ..t] => odd(t) } }
    // pub fn odd(xs: List<Int>) -> Bool { match xs { [] => false, [_, ..t] => even(t) } }
    for (me, other, base) in [(even, odd, true), (odd, even, false)] {
        let mut f = FunctionBuilder::new(&[list]);
        let xs = f.param(0);
        let (nil, _h, t) = match_list(&mut f, xs, Ty::Int, list);
        f.emit(Instr::TailCall {
            f: other,
            args: vec![t],
        });
        f.bind(nil);
        let b = f.reg(Ty::Bool);
        f.emit(Instr::Bool { d: b, v: base });
        f.emit(Instr::Ret { a: b });
        mb.define(me, f).unwrap();
    }

    // pub fn interleave(xs: List<Int>, ys: List<Int>) -> List<Int> {
    //   match xs { [] => ys, [x, ..rest] => [x, ..interleave(ys, rest)] }
    // }
    let mut f = FunctionBuilder::new(&[list, list]);
    let (xs, ys) = (f.param(0), f.param(1));
    let (nil, h, rest) = match_list(&mut f, xs, Ty::Int, list);
    let (r, c) = (f.reg(list), f.reg(list));
    f.emit(Instr::Call {
        d: r,
        f: interleave,
        args: vec![ys, rest],
    });
    emit_cons(&mut f, lt, c, h, r);
    f.emit(Instr::Ret { a: c });
    f.bind(nil);
    f.emit(Instr::Ret { a: ys });
    mb.define(interleave, f).unwrap();

    for (name, id) in [
        ("build", build),
        ("range", range),
        ("range_sum", range_sum),
        ("reverse_range", reverse_range),
        ("sum_list", sum_list),
        ("sum_acc", sum_acc),
        ("insert", insert),
        ("sort", sort),
        ("even", even),
        ("odd", odd),
        ("interleave", interleave),
    ] {
        mb.export(name, id);
    }
    mb.finish().unwrap()
}

/// Declares, defines and exports `name(params) -> result` whose body is one
/// instruction writing a fresh register (built by `ins` from that register
/// and the parameters), then `ret` of it.
pub fn one_instr(
    mb: &mut ModuleBuilder,
    name: &str,
    params: &[Ty],
    result: Ty,
    ins: impl FnOnce(Reg, &[Reg]) -> Instr,
) -> FuncId {
    let id = mb.declare(name, params, result);
    let mut f = FunctionBuilder::new(params);
    let d = f.reg(result);
    let ps: Vec<Reg> = (0..params.len() as u32).map(|i| f.param(i)).collect();
    f.emit(ins(d, &ps));
    f.emit(Instr::Ret { a: d });
    mb.define(id, f).unwrap();
    mb.export(name, id);
    id
}

/// A module with one exported function `f(a, b) -> Int` computing `a OP b`.
pub fn binop_module(op: fn(Reg, Reg, Reg) -> Instr) -> Module {
    let mut mb = ModuleBuilder::new();
    one_instr(&mut mb, "f", &[Ty::Int, Ty::Int], Ty::Int, |d, p| {
        op(d, p[0], p[1])
    });
    mb.finish().unwrap()
}

/// Builds an Int list value.
pub fn ints(xs: impl IntoIterator<Item = i128>) -> Value {
    Value::list(xs.into_iter().map(Value::int))
}

/// Bytes builtins and structural equality: `hash_concat(a, b)` =
/// sha256(#"tally:" ++ a ++ b), `slice(b, s, l)`, `same(xs, ys)` (list
/// equality), `differ(p, q)` on `(Bytes, List<Int>)` pairs, `len(b)`.
pub fn misc_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let pair = mb.add_adt(AdtDef::tuple("(Bytes, List<Int>)", &[Ty::Bytes, list]));
    let pty = Ty::Adt(pair.0);

    let hash = mb.declare("hash_concat", &[Ty::Bytes, Ty::Bytes], Ty::Bytes);
    let k = mb.constant(Const::Bytes(b"tally:".to_vec()));
    let mut f = FunctionBuilder::new(&[Ty::Bytes, Ty::Bytes]);
    let (p, c1, c2, h) = (
        f.reg(Ty::Bytes),
        f.reg(Ty::Bytes),
        f.reg(Ty::Bytes),
        f.reg(Ty::Bytes),
    );
    f.emit(Instr::Const { d: p, k });
    f.emit(Instr::BConcat {
        d: c1,
        a: p,
        b: f.param(0),
    });
    f.emit(Instr::BConcat {
        d: c2,
        a: c1,
        b: f.param(1),
    });
    f.emit(Instr::Sha256 { d: h, a: c2 });
    f.emit(Instr::Ret { a: h });
    mb.define(hash, f).unwrap();

    mb.export("hash_concat", hash);
    let (bytes, int) = (Ty::Bytes, Ty::Int);
    one_instr(&mut mb, "slice", &[bytes, int, int], bytes, |d, p| {
        Instr::BSlice {
            d,
            a: p[0],
            start: p[1],
            len: p[2],
        }
    });
    one_instr(&mut mb, "same", &[list, list], Ty::Bool, |d, p| Instr::Eq {
        d,
        a: p[0],
        b: p[1],
    });
    one_instr(&mut mb, "differ", &[pty, pty], Ty::Bool, |d, p| Instr::Ne {
        d,
        a: p[0],
        b: p[1],
    });
    one_instr(&mut mb, "len", &[bytes], int, |d, p| Instr::BLen {
        d,
        a: p[0],
    });
    mb.finish().unwrap()
}

/// The token ledger of `examples/assoc_token.tly` (kernel E; the Tally source is
/// that file), hand-compiled: exports
/// `balance_of(ledger, owner)`, `credit(ledger, owner, amount)` and
/// `transfer(ledger, from, to, amount) -> Result<List<Entry>, Error>`.
/// Types: t0 `Entry`, t1 `List<Entry>`, t2 `Error`, t3 `Result<List<Entry>, Error>`.
pub fn token_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let entry = mb.add_adt(AdtDef::structure(
        "Entry",
        &[("owner", Ty::Bytes), ("amount", Ty::Int)],
    ));
    let ety = Ty::Adt(entry.0);
    let lt = mb.add_list("List<Entry>", ety);
    let list = Ty::Adt(lt.0);
    let err = mb.add_adt(AdtDef::enumeration(
        "Error",
        &[
            ("InsufficientFunds", &[]),
            ("InvalidAmount", &[]),
            ("SameAccount", &[]),
        ],
    ));
    let res = mb.add_adt(AdtDef::enumeration(
        "Result<List<Entry>, Error>",
        &[("Ok", &[list]), ("Err", &[Ty::Adt(err.0)])],
    ));
    let rty = Ty::Adt(res.0);
    let balance_of = mb.declare("balance_of", &[list, Ty::Bytes], Ty::Int);
    let credit = mb.declare("credit", &[list, Ty::Bytes, Ty::Int], list);
    let transfer = mb.declare("transfer", &[list, Ty::Bytes, Ty::Bytes, Ty::Int], rty);

    // balance_of
    let mut f = FunctionBuilder::new(&[list, Ty::Bytes]);
    let (ledger, owner) = (f.param(0), f.param(1));
    let (nil, e, rest) = match_list(&mut f, ledger, ety, list);
    let (o, same, amount) = (f.reg(Ty::Bytes), f.reg(Ty::Bool), f.reg(Ty::Int));
    let other = f.label();
    f.emit(Instr::Field { d: o, s: e, i: 0 });
    f.emit(Instr::Eq {
        d: same,
        a: o,
        b: owner,
    });
    f.emit_to(
        Instr::BrIfNot {
            c: same,
            t: Jump(0),
        },
        &[other],
    );
    f.emit(Instr::Field {
        d: amount,
        s: e,
        i: 1,
    });
    f.emit(Instr::Ret { a: amount });
    f.bind(other);
    f.emit(Instr::TailCall {
        f: balance_of,
        args: vec![rest, owner],
    });
    f.bind(nil);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(balance_of, f).unwrap();

    // credit
    let mut f = FunctionBuilder::new(&[list, Ty::Bytes, Ty::Int]);
    let (ledger, owner, amt) = (f.param(0), f.param(1), f.param(2));
    let (nil, e, rest) = match_list(&mut f, ledger, ety, list);
    let (o, same, a, a2, e2, l, r) = (
        f.reg(Ty::Bytes),
        f.reg(Ty::Bool),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(ety),
        f.reg(list),
        f.reg(list),
    );
    let other = f.label();
    f.emit(Instr::Field { d: o, s: e, i: 0 });
    f.emit(Instr::Eq {
        d: same,
        a: o,
        b: owner,
    });
    f.emit_to(
        Instr::BrIfNot {
            c: same,
            t: Jump(0),
        },
        &[other],
    );
    f.emit(Instr::Field { d: a, s: e, i: 1 });
    f.emit(Instr::Add { d: a2, a, b: amt });
    f.emit(Instr::Con {
        d: e2,
        t: entry,
        v: 0,
        fields: vec![o, a2],
    });
    emit_cons(&mut f, lt, l, e2, rest);
    f.emit(Instr::Ret { a: l });
    f.bind(other);
    f.emit(Instr::Call {
        d: r,
        f: credit,
        args: vec![rest, owner, amt],
    });
    emit_cons(&mut f, lt, l, e, r);
    f.emit(Instr::Ret { a: l });
    f.bind(nil);
    let n = f.reg(list);
    f.emit(Instr::Con {
        d: e2,
        t: entry,
        v: 0,
        fields: vec![owner, amt],
    });
    emit_nil(&mut f, lt, n);
    emit_cons(&mut f, lt, l, e2, n);
    f.emit(Instr::Ret { a: l });
    mb.define(credit, f).unwrap();

    // transfer
    let mut f = FunctionBuilder::new(&[list, Ty::Bytes, Ty::Bytes, Ty::Int]);
    let (ledger, from, to, amount) = (f.param(0), f.param(1), f.param(2), f.param(3));
    let (e, r) = (f.reg(Ty::Adt(err.0)), f.reg(rty));
    let (same, bal, neg, l1, l2) = (
        f.reg(Ty::Bool),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(list),
        f.reg(list),
    );
    let (positive, distinct, funded) = (f.label(), f.label(), f.label());
    let fail = |f: &mut FunctionBuilder, variant: u32| {
        f.emit(Instr::Con {
            d: e,
            t: err,
            v: variant,
            fields: vec![],
        });
        f.emit(Instr::Con {
            d: r,
            t: res,
            v: 1,
            fields: vec![e],
        });
        f.emit(Instr::Ret { a: r });
    };
    br_imm(&mut f, Cmp::Gt, amount, 0, positive);
    fail(&mut f, 1);
    f.bind(positive);
    f.emit(Instr::Eq {
        d: same,
        a: from,
        b: to,
    });
    f.emit_to(
        Instr::BrIfNot {
            c: same,
            t: Jump(0),
        },
        &[distinct],
    );
    fail(&mut f, 2);
    f.bind(distinct);
    f.emit(Instr::Call {
        d: bal,
        f: balance_of,
        args: vec![ledger, from],
    });
    f.emit_to(
        Instr::BrLe {
            a: amount,
            b: bal,
            t: Jump(0),
        },
        &[funded],
    );
    fail(&mut f, 0);
    f.bind(funded);
    f.emit(Instr::Neg { d: neg, a: amount });
    f.emit(Instr::Call {
        d: l1,
        f: credit,
        args: vec![ledger, from, neg],
    });
    f.emit(Instr::Call {
        d: l2,
        f: credit,
        args: vec![l1, to, amount],
    });
    f.emit(Instr::Con {
        d: r,
        t: res,
        v: 0,
        fields: vec![l2],
    });
    f.emit(Instr::Ret { a: r });
    mb.define(transfer, f).unwrap();

    mb.export("balance_of", balance_of);
    mb.export("credit", credit);
    mb.export("transfer", transfer);
    mb.finish().unwrap()
}

/// A ledger of `n` entries with owners `[i as 4 bytes]` and amount 1000 each.
pub fn ledger(n: u32) -> Value {
    Value::list((0..n).map(|i| {
        Value::cell(
            0,
            vec![Value::bytes(i.to_be_bytes().to_vec()), Value::int(1000)],
        )
    }))
}

/// `k` functions with `p` Int parameters each; function `i` returns its
/// first parameter when it is at most 0, else calls every function of
/// `succ(i)` (non-tail, results added) on the first parameter minus one and
/// the others rotated by one place. `ring(n)` is `succ(i) = [i + 1 mod n]`.
pub fn call_shape_module(k: usize, p: usize, succ: &dyn Fn(usize) -> Vec<usize>) -> Module {
    let mut mb = ModuleBuilder::new();
    let params = vec![Ty::Int; p];
    let ids: Vec<FuncId> = (0..k)
        .map(|i| mb.declare(&format!("f{i}"), &params, Ty::Int))
        .collect();
    for (i, &id) in ids.iter().enumerate() {
        let mut f = FunctionBuilder::new(&params);
        let n = f.param(0);
        let (m, acc) = (f.reg(Ty::Int), f.reg(Ty::Int));
        let rec = f.label();
        br_imm(&mut f, Cmp::Gt, n, 0, rec);
        f.emit(Instr::Ret { a: n });
        f.bind(rec);
        f.emit(Instr::AddI { d: m, a: n, k: -1 });
        f.emit(Instr::Int { d: acc, k: 0 });
        let args: Vec<Reg> = std::iter::once(m)
            .chain((1..p).map(|j| f.param(1 + j as u32 % (p as u32 - 1).max(1))))
            .take(p)
            .collect();
        for j in succ(i) {
            let r = f.reg(Ty::Int);
            f.emit(Instr::Call {
                d: r,
                f: ids[j % k],
                args: args.clone(),
            });
            f.emit(Instr::Add {
                d: acc,
                a: acc,
                b: r,
            });
        }
        f.emit(Instr::Ret { a: acc });
        mb.define(id, f).unwrap();
    }
    mb.export("f0", ids[0]);
    mb.finish().unwrap()
}

/// A ring of `n` mutually recursive functions of one parameter.
pub fn ring_module(n: usize) -> Module {
    call_shape_module(n, 1, &|i| vec![i + 1])
}

/// `f(n, x1, ..., x{k-1})`: counts `n` down to 0 by tail calls (or by
/// calls, `tail = false`) passing all `k` arguments, and returns `n`.
pub fn countdown(k: u32, tail: bool) -> Module {
    let mut mb = ModuleBuilder::new();
    let params = vec![Ty::Int; k as usize];
    let f = mb.declare("f", &params, Ty::Int);
    let mut b = FunctionBuilder::new(&params);
    let n = b.param(0);
    let m = b.reg(Ty::Int);
    let r = b.reg(Ty::Int);
    let done = b.label();
    br_imm(&mut b, Cmp::Le, n, 0, done);
    b.emit(Instr::AddI { d: m, a: n, k: -1 });
    let args: Vec<Reg> = std::iter::once(m)
        .chain((1..k).map(|i| b.param(i)))
        .collect();
    if tail {
        b.emit(Instr::TailCall { f, args });
    } else {
        b.emit(Instr::Call { d: r, f, args });
        b.emit(Instr::Ret { a: r });
    }
    b.bind(done);
    b.emit(Instr::Ret { a: n });
    mb.define(f, b).unwrap();
    mb.export("f", f);
    mb.finish().unwrap()
}

/// `grow(n, t) = if n <= 0 { t } else { grow(n - 1, Node(t, t)) }`: `n`
/// cells in the heap that stand for a tree of `2^(n+1) − 1` nodes, exported
/// as `export`.
pub fn grow_module(export: &str) -> Module {
    let mut mb = ModuleBuilder::new();
    let tree = Ty::Adt(mb.next_adt().0);
    let t = mb.add_adt(AdtDef::enumeration(
        "Tree",
        &[("Leaf", &[]), ("Node", &[tree, tree])],
    ));
    let grow = mb.declare("grow", &[Ty::Int, tree], tree);
    let mut b = FunctionBuilder::new(&[Ty::Int, tree]);
    let (n, acc) = (b.param(0), b.param(1));
    let (m, bigger) = (b.reg(Ty::Int), b.reg(tree));
    let done = b.label();
    br_imm(&mut b, Cmp::Le, n, 0, done);
    b.emit(Instr::AddI { d: m, a: n, k: -1 });
    b.emit(Instr::Con {
        d: bigger,
        t,
        v: 1,
        fields: vec![acc, acc],
    });
    b.emit(Instr::TailCall {
        f: grow,
        args: vec![m, bigger],
    });
    b.bind(done);
    b.emit(Instr::Ret { a: acc });
    mb.define(grow, b).unwrap();
    mb.export(export, grow);
    mb.finish().unwrap()
}
