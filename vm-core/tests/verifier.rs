//! The verifier rejects what the evaluator must not run, naming the place.

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

/// A module with one function `f(params) -> result` whose body is `code(f)`.
fn one(params: &[Ty], result: Ty, body: impl FnOnce(&mut FunctionBuilder, FuncId)) -> Module {
    let mut mb = ModuleBuilder::new();
    let id = mb.declare("f", params, result);
    let mut f = FunctionBuilder::new(params);
    body(&mut f, id);
    mb.define(id, f).unwrap();
    mb.export("f", id);
    mb.finish().unwrap()
}

fn kind(m: Module) -> VerifyErrorKind {
    verify(m).expect_err("module must be rejected").kind
}

#[test]
fn accepts_all_kernels() {
    for m in [sum_module(), fib_module(), list_module()] {
        verify(m).expect("kernel verifies");
    }
}

#[test]
fn rejects_non_decreasing_recursive_call() {
    let m = one(&[Ty::Int], Ty::Int, |f, me| {
        f.emit(Instr::TailCall {
            f: me,
            args: vec![f.param(0)],
        });
    });
    let e = verify(m).unwrap_err();
    assert!(
        matches!(e.kind, VerifyErrorKind::NonTerminating { .. }),
        "{e}"
    );
    assert_eq!(
        e.place,
        Place::Code {
            func: 0,
            name: "f".into(),
            pc: 0
        }
    );
}

#[test]
fn rejects_int_descent_without_a_guard() {
    let m = one(&[Ty::Int], Ty::Int, |f, me| {
        let n = f.reg(Ty::Int);
        f.emit(Instr::AddI {
            d: n,
            a: f.param(0),
            k: -1,
        });
        f.emit(Instr::TailCall {
            f: me,
            args: vec![n],
        });
    });
    assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
}

#[test]
fn rejects_int_ascent_under_a_guard() {
    let m = one(&[Ty::Int], Ty::Int, |f, me| {
        let n = f.reg(Ty::Int);
        let rec = f.label();
        br_imm(f, Cmp::Gt, Reg(0), 0, rec);
        f.emit(Instr::Ret { a: f.param(0) });
        f.bind(rec);
        f.emit(Instr::AddI {
            d: n,
            a: f.param(0),
            k: 1,
        });
        f.emit(Instr::TailCall {
            f: me,
            args: vec![n],
        });
    });
    assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
}

#[test]
fn rejects_growing_argument_through_mutual_recursion() {
    // f(xs) = g(Cons(0, xs)); g(xs) = match xs { [] => 0, [_, ..t] => f(t) }: f→g grows, g→f shrinks.
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let f_id = mb.declare("f", &[list], Ty::Int);
    let g_id = mb.declare("g", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let (z, c) = (f.reg(Ty::Int), f.reg(list));
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Con {
        d: c,
        t: lt,
        v: 1,
        fields: vec![z, f.param(0)],
    });
    f.emit(Instr::TailCall {
        f: g_id,
        args: vec![c],
    });
    mb.define(f_id, f).unwrap();
    let mut g = FunctionBuilder::new(&[list]);
    let (nil, cons) = (g.label(), g.label());
    g.switch(g.param(0), &[nil, cons]);
    g.bind(cons);
    let t = g.reg(list);
    g.emit(Instr::Field {
        d: t,
        s: g.param(0),
        i: 1,
    });
    g.emit(Instr::TailCall {
        f: f_id,
        args: vec![t],
    });
    g.bind(nil);
    let z = g.reg(Ty::Int);
    g.emit(Instr::Int { d: z, k: 0 });
    g.emit(Instr::Ret { a: z });
    mb.define(g_id, g).unwrap();
    assert!(matches!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::NonTerminating { .. }
    ));
}

#[test]
fn rejects_swap_without_descent() {
    // h(xs, ys) = h(ys, xs): permuted but nothing decreases.
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let h = mb.declare("h", &[list, list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list, list]);
    f.emit(Instr::TailCall {
        f: h,
        args: vec![f.param(1), f.param(0)],
    });
    mb.define(h, f).unwrap();
    assert!(matches!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::NonTerminating { .. }
    ));
}

#[test]
fn rejects_backward_jump() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        let top = f.label();
        f.bind(top);
        f.emit(Instr::Ret { a: f.param(0) });
        f.jmp(top);
    });
    let e = verify(m).unwrap_err();
    assert_eq!(e.kind, VerifyErrorKind::BackwardJump(-2));
    assert_eq!(
        e.place,
        Place::Code {
            func: 0,
            name: "f".into(),
            pc: 1
        }
    );
}

#[test]
fn rejects_jump_to_itself_and_past_the_end() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        f.emit(Instr::Jmp { t: Jump(-1) });
    });
    assert_eq!(kind(m), VerifyErrorKind::BackwardJump(-1));
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        f.emit(Instr::Jmp { t: Jump(5) });
        f.emit(Instr::Ret { a: f.param(0) });
    });
    assert_eq!(kind(m), VerifyErrorKind::JumpOutOfRange(6));
}

#[test]
fn rejects_bad_register() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        f.emit(Instr::Ret { a: Reg(7) });
    });
    assert_eq!(kind(m), VerifyErrorKind::BadRegister(7));
}

#[test]
fn rejects_arity_mismatch() {
    let m = one(&[Ty::Int], Ty::Int, |f, me| {
        let d = f.reg(Ty::Int);
        f.emit(Instr::Call {
            d,
            f: me,
            args: vec![f.param(0), f.param(0)],
        });
        f.emit(Instr::Ret { a: d });
    });
    assert_eq!(
        kind(m),
        VerifyErrorKind::ArityMismatch {
            func: 0,
            found: 2,
            expected: 1
        }
    );
}

#[test]
fn rejects_type_mismatch_and_uninitialised_reads() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        let b = f.reg(Ty::Bool);
        f.emit(Instr::Bool { d: b, v: true });
        f.emit(Instr::Ret { a: b });
    });
    assert!(matches!(
        kind(m),
        VerifyErrorKind::TypeMismatch { reg: 1, .. }
    ));
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        let x = f.reg(Ty::Int);
        f.emit(Instr::Ret { a: x });
    });
    assert_eq!(kind(m), VerifyErrorKind::Uninitialised(1));
    // Initialised on one path only.
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        let x = f.reg(Ty::Int);
        let join = f.label();
        br_imm(f, Cmp::Gt, Reg(0), 0, join);
        f.emit(Instr::Int { d: x, k: 1 });
        f.bind(join);
        f.emit(Instr::Ret { a: x });
    });
    assert_eq!(kind(m), VerifyErrorKind::Uninitialised(1));
}

#[test]
fn rejects_field_load_without_a_switch() {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("head", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let h = f.reg(Ty::Int);
    f.emit(Instr::Field {
        d: h,
        s: f.param(0),
        i: 0,
    });
    f.emit(Instr::Ret { a: h });
    mb.define(id, f).unwrap();
    assert_eq!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::UnknownVariant(0)
    );
}

#[test]
fn rejects_falling_off_the_end_and_empty_code() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        let x = f.reg(Ty::Int);
        f.emit(Instr::Int { d: x, k: 1 });
    });
    assert_eq!(kind(m), VerifyErrorKind::FallsOffEnd);
    let m = one(&[Ty::Int], Ty::Int, |_, _| {});
    assert_eq!(kind(m), VerifyErrorKind::EmptyCode);
}

#[test]
fn rejects_bad_constructor_and_switch_arity() {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("f", &[list], list);
    let mut f = FunctionBuilder::new(&[list]);
    let c = f.reg(list);
    f.emit(Instr::Con {
        d: c,
        t: lt,
        v: 1,
        fields: vec![f.param(0)],
    });
    f.emit(Instr::Ret { a: c });
    mb.define(id, f).unwrap();
    assert!(matches!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::BadConstructor(_)
    ));

    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("f", &[list], list);
    let mut f = FunctionBuilder::new(&[list]);
    let a = f.label();
    f.switch(f.param(0), &[a]);
    f.bind(a);
    f.emit(Instr::Ret { a: f.param(0) });
    mb.define(id, f).unwrap();
    assert_eq!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::SwitchArity {
            found: 1,
            expected: 2
        }
    );
}

#[test]
fn rejects_tail_call_with_other_result_type() {
    let mut mb = ModuleBuilder::new();
    let g = mb.declare("g", &[Ty::Int], Ty::Bool);
    let f_id = mb.declare("f", &[Ty::Int], Ty::Int);
    let mut gb = FunctionBuilder::new(&[Ty::Int]);
    let b = gb.reg(Ty::Bool);
    gb.emit(Instr::Bool { d: b, v: true });
    gb.emit(Instr::Ret { a: b });
    mb.define(g, gb).unwrap();
    let mut fb = FunctionBuilder::new(&[Ty::Int]);
    fb.emit(Instr::TailCall {
        f: g,
        args: vec![fb.param(0)],
    });
    mb.define(f_id, fb).unwrap();
    assert!(matches!(
        kind(mb.finish().unwrap()),
        VerifyErrorKind::TailCallType { .. }
    ));
}

#[test]
fn rejects_malformed_tables() {
    let mut m = sum_module();
    m.exports.push(Export {
        name: "a".into(),
        func: FuncId(0),
    });
    assert!(verify(m).is_err(), "unsorted exports");
    let mut m = sum_module();
    m.exports[0].func = FuncId(9);
    assert_eq!(kind(m), VerifyErrorKind::BadFunction(9));
    let mut m = list_module();
    m.adts[0].variants[1].fields[1].ty = Ty::Int;
    assert!(matches!(kind(m), VerifyErrorKind::BadTypeDef(_)));
    let mut m = list_module();
    m.adts[0].variants[1].fields[0].ty = Ty::Adt(3);
    assert_eq!(kind(m), VerifyErrorKind::BadType(3));
    let mut m = sum_module();
    m.consts = vec![Const::Int(2), Const::Int(1)];
    assert!(verify(m).is_err(), "unsorted constants");
}

#[test]
fn lexicographic_descent_is_accepted() {
    // ack-like shape without the nested call: f(m, n) = if m <= 0 { 0 } else if n <= 0 { f(m - 1, 100) } else { f(m, n - 1) }
    let m = one(&[Ty::Int, Ty::Int], Ty::Int, |f, me| {
        let (m1, n1, k) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
        let (go, inner) = (f.label(), f.label());
        br_imm(f, Cmp::Gt, Reg(0), 0, go);
        f.emit(Instr::Ret { a: f.param(0) });
        f.bind(go);
        br_imm(f, Cmp::Gt, Reg(1), 0, inner);
        f.emit(Instr::AddI {
            d: m1,
            a: f.param(0),
            k: -1,
        });
        f.emit(Instr::Int { d: k, k: 100 });
        f.emit(Instr::TailCall {
            f: me,
            args: vec![m1, k],
        });
        f.bind(inner);
        f.emit(Instr::AddI {
            d: n1,
            a: f.param(1),
            k: -1,
        });
        f.emit(Instr::TailCall {
            f: me,
            args: vec![f.param(0), n1],
        });
    });
    let vm = verify(m).expect("lexicographic descent verifies");
    let (r, _) = evaluate(&vm, "f", &[Value::int(3), Value::int(5)], u64::MAX);
    assert_eq!(r.unwrap().as_int(), Some(0));
}

#[test]
fn errors_render_with_function_and_offset() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        f.emit(Instr::Ret { a: Reg(7) });
    });
    assert_eq!(
        verify(m).unwrap_err().to_string(),
        "function f0 `f` at instruction 0: register r7 out of range"
    );
}

#[test]
fn rejects_modules_over_the_verification_budget() {
    let m = one(&[Ty::Int], Ty::Int, |f, _| {
        for _ in 0..4000 {
            f.reg(Ty::Int);
        }
        for _ in 0..20_000 {
            f.emit(Instr::Jmp { t: Jump(0) });
        }
        f.emit(Instr::Ret { a: f.param(0) });
    });
    assert!(matches!(kind(m), VerifyErrorKind::BadFrame(_)));
}

/// `f(n) = if n <= 0 { 0 } else { f(n - 1) }` with the guard computed as a
/// Bool (`le` against a loaded constant, or `lt` the other way round, possibly
/// negated) and tested by `br.if` / `br.ifnot`.
fn guarded_by_bool(cmp: fn(Reg, Reg, Reg) -> Instr, negate: bool, branch_if_true: bool) -> Module {
    one(&[Ty::Int], Ty::Int, |f, me| {
        let (zero, c, c2, m) = (
            f.reg(Ty::Int),
            f.reg(Ty::Bool),
            f.reg(Ty::Bool),
            f.reg(Ty::Int),
        );
        let base = f.label();
        f.emit(Instr::Int { d: zero, k: 0 });
        f.emit(cmp(c, f.param(0), zero));
        let cond = if negate {
            f.emit(Instr::Not { d: c2, a: c });
            c2
        } else {
            c
        };
        if branch_if_true {
            f.emit_to(
                Instr::BrIf {
                    c: cond,
                    t: Jump(0),
                },
                &[base],
            );
        } else {
            f.emit_to(
                Instr::BrIfNot {
                    c: cond,
                    t: Jump(0),
                },
                &[base],
            );
        }
        f.emit(Instr::AddI {
            d: m,
            a: f.param(0),
            k: -1,
        });
        f.emit(Instr::TailCall {
            f: me,
            args: vec![m],
        });
        f.bind(base);
        f.emit(Instr::Ret { a: zero });
    })
}

#[test]
fn bool_guards_against_constants_establish_lower_bounds() {
    // n <= 0 → base case: recursion only when n > 0.
    let m = guarded_by_bool(|d, a, b| Instr::Le { d, a, b }, false, true);
    let vm = verify(m).expect("`le n, 0; br.if` guard verifies");
    assert_eq!(
        evaluate(&vm, "f", &[Value::int(5)], 1_000).0,
        Ok(Value::int(0))
    );
    // !(n > 0)... written as `lt 0, n` (0 < n) negated, then br.if → base case.
    let m = guarded_by_bool(|d, a, b| Instr::Lt { d, a: b, b: a }, true, true);
    verify(m).expect("`lt 0, n; not; br.if` guard verifies");
    // 0 < n, br.ifnot → base case when false: recursion when n > 0.
    let m = guarded_by_bool(|d, a, b| Instr::Lt { d, a: b, b: a }, false, false);
    verify(m).expect("`lt 0, n; br.ifnot` guard verifies");
    // Wrong way round: recursion when n <= 0 descends forever.
    let m = guarded_by_bool(|d, a, b| Instr::Le { d, a, b }, false, false);
    assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
}

/// `f(xs: List<Int>) -> Int` whose `cons` branch calls `f` on what `rebuild`
/// makes of the matched head and tail (registers given).
fn list_rebuild(rebuild: impl FnOnce(&mut FunctionBuilder, AdtId, Reg, Reg) -> Reg) -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("f", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let arg = rebuild(&mut f, lt, h, t);
    f.emit(Instr::TailCall {
        f: id,
        args: vec![arg],
    });
    f.bind(nil);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(id, f).unwrap();
    mb.export("f", id);
    mb.finish().unwrap()
}

#[test]
fn a_cell_rebuilt_from_its_own_fields_is_not_smaller() {
    // [h, ..t] => f([h, ..t]): the same list again.
    let m = list_rebuild(|f, lt, h, t| {
        let c = f.reg(Ty::Adt(lt.0));
        emit_cons(f, lt, c, h, t);
        c
    });
    assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
}

#[test]
fn a_cell_rebuilt_with_a_field_twice_is_not_smaller() {
    // [h, ..t] => f([h, ..[h, ..t]]): larger.
    let m = list_rebuild(|f, lt, h, t| {
        let (c, d) = (f.reg(Ty::Adt(lt.0)), f.reg(Ty::Adt(lt.0)));
        emit_cons(f, lt, c, h, t);
        emit_cons(f, lt, d, h, c);
        d
    });
    assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
}

#[test]
fn a_cell_rebuilt_from_a_deeper_match_is_smaller() {
    // match xs { [_, ..t] => match t { [h2, ..t2] => f([h2, ..t2]), [] => 0 }, [] => 0 }:
    // the rebuilt cell is `t`, smaller than `xs` (the size order, pattern A).
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let id = mb.declare("f", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, _h, t) = match_list(&mut f, xs, Ty::Int, list);
    let (nil2, h2, t2) = match_list(&mut f, t, Ty::Int, list);
    let c = f.reg(list);
    emit_cons(&mut f, lt, c, h2, t2);
    f.emit(Instr::TailCall {
        f: id,
        args: vec![c],
    });
    f.bind(nil);
    f.bind(nil2);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(id, f).unwrap();
    mb.export("f", id);
    verify(mb.finish().unwrap()).expect("the rebuilt tail is smaller");
}

/// `f(xs) = match xs { [h, ..t] => f(g(h, t, xs)), [] => 0 }` where `g`'s
/// body is built by `body(g, list type, h, t, xs)` and returns the register
/// it gives (pattern E: the verifier derives `g`'s output bound itself).
fn through_helper(body: impl FnOnce(&mut FunctionBuilder, AdtId, Reg, Reg, Reg) -> Reg) -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let g_id = mb.declare("g", &[Ty::Int, list, list], list);
    let mut g = FunctionBuilder::new(&[Ty::Int, list, list]);
    let (h, t, xs) = (g.param(0), g.param(1), g.param(2));
    let out = body(&mut g, lt, h, t, xs);
    g.emit(Instr::Ret { a: out });
    mb.define(g_id, g).unwrap();
    let id = mb.declare("f", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, h, t) = match_list(&mut f, xs, Ty::Int, list);
    let r = f.reg(list);
    f.emit(Instr::Call {
        d: r,
        f: g_id,
        args: vec![h, t, xs],
    });
    f.emit(Instr::TailCall {
        f: id,
        args: vec![r],
    });
    f.bind(nil);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(id, f).unwrap();
    mb.export("f", id);
    mb.finish().unwrap()
}

#[test]
fn a_helper_result_no_larger_than_a_smaller_argument_descends() {
    // g(h, t, xs) = t: f(g(h, t, xs)) passes something no larger than t < xs.
    let m = through_helper(|_, _, _, t, _| t);
    verify(m).expect("g's result is no larger than t");
}

#[test]
fn a_helper_result_that_grows_or_is_the_whole_does_not_descend() {
    // g = [h, ..t] (as large as xs), g = xs, g = [h, h2, ..t] (larger).
    let rebuilt = through_helper(|g, lt, h, t, _| {
        let c = g.reg(Ty::Adt(lt.0));
        emit_cons(g, lt, c, h, t);
        c
    });
    let whole = through_helper(|_, _, _, _, xs| xs);
    let grown = through_helper(|g, lt, h, t, _| {
        let (c, d) = (g.reg(Ty::Adt(lt.0)), g.reg(Ty::Adt(lt.0)));
        emit_cons(g, lt, c, h, t);
        emit_cons(g, lt, d, h, c);
        d
    });
    for m in [rebuilt, whole, grown] {
        assert!(matches!(kind(m), VerifyErrorKind::NonTerminating { .. }));
    }
}

/// `f(xs) = match xs { [_, ..t] => f(g(t, xs).k), [] => 0 }` with
/// `g(a, b) = (a, b)`: the verifier derives that part 0 of `g`'s result is
/// no larger than `a`, part 1 than `b`.
fn through_tuple_part(k: u32) -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let pt = mb.add_adt(vm_core::AdtDef::tuple(
        "(List<Int>, List<Int>)",
        &[list, list],
    ));
    let pair = Ty::Adt(pt.0);
    let g_id = mb.declare("g", &[list, list], pair);
    let mut g = FunctionBuilder::new(&[list, list]);
    let p = g.reg(pair);
    let (a, b) = (g.param(0), g.param(1));
    g.emit(Instr::Con {
        d: p,
        t: pt,
        v: 0,
        fields: vec![a, b],
    });
    g.emit(Instr::Ret { a: p });
    mb.define(g_id, g).unwrap();
    let id = mb.declare("f", &[list], Ty::Int);
    let mut f = FunctionBuilder::new(&[list]);
    let xs = f.param(0);
    let (nil, _h, t) = match_list(&mut f, xs, Ty::Int, list);
    let (r, part) = (f.reg(pair), f.reg(list));
    f.emit(Instr::Call {
        d: r,
        f: g_id,
        args: vec![t, xs],
    });
    f.emit(Instr::Field {
        d: part,
        s: r,
        i: k,
    });
    f.emit(Instr::TailCall {
        f: id,
        args: vec![part],
    });
    f.bind(nil);
    let z = f.reg(Ty::Int);
    f.emit(Instr::Int { d: z, k: 0 });
    f.emit(Instr::Ret { a: z });
    mb.define(id, f).unwrap();
    mb.export("f", id);
    mb.finish().unwrap()
}

#[test]
fn each_part_of_a_helper_tuple_has_its_own_bound() {
    verify(through_tuple_part(0)).expect("part 0 is no larger than the tail");
    assert!(matches!(
        kind(through_tuple_part(1)),
        VerifyErrorKind::NonTerminating { .. }
    ));
}
