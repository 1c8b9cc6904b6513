//! One property test per fused op of the evaluator's op table
//! (`vm-core/src/ops.rs`): on random arguments (the registers the op
//! reads) and a random gas limit, the fused code
//! ([`Metering::Checked`], [`Metering::Unchecked`]) gives exactly the
//! result, trap, gas and statistics of the base ops run one by one
//! ([`Metering::PerInstruction`], which runs the unfused code).
//!
//! Each case names the fused ops its module must contain, and
//! [`every_fused_op_has_a_case`] fails for a fused op of the table that
//! no case covers: a new fused op needs a case here.

mod common;

use common::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use vm_core::format::*;
use vm_core::internals::*;

/// What an entry point's argument is drawn from.
#[derive(Clone, Copy, Debug)]
enum Arg {
    /// Any Int, often at the edges of the range (so sums overflow).
    Wide,
    /// A small Int (a recursion measure).
    Small,
    /// A list of [`Arg::Wide`] Ints.
    List,
}

/// A property case: an entry of a module and the fused ops it must hold.
struct Case {
    module: fn() -> Module,
    entry: &'static str,
    args: &'static [Arg],
    fused: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        module: shapes_module,
        entry: "head",
        args: &[Arg::List],
        fused: &["Field2"],
    },
    Case {
        module: shapes_module,
        entry: "addi_tail",
        args: &[Arg::Wide, Arg::Wide],
        fused: &["AddITail", "AddRet"],
    },
    Case {
        module: shapes_module,
        entry: "add_tail",
        args: &[Arg::Wide, Arg::Wide, Arg::Wide],
        fused: &["AddTail"],
    },
    Case {
        module: shapes_module,
        entry: "add_direct",
        args: &[Arg::Wide, Arg::Wide],
        fused: &["AddTailDirect", "AddRet"],
    },
    Case {
        module: shapes_module,
        entry: "addi_add",
        args: &[Arg::Wide, Arg::Wide],
        fused: &["AddIAddTail"],
    },
    Case {
        module: shapes_module,
        entry: "addi_add_direct",
        args: &[Arg::Wide, Arg::Wide],
        fused: &["AddIAddTailDirect"],
    },
    Case {
        module: shapes_module,
        entry: "addi_add_swapped",
        args: &[Arg::Wide, Arg::Wide],
        fused: &["AddIAddTailDirect", "AddRet"],
    },
    Case {
        module: shapes_module,
        entry: "addi_con",
        args: &[Arg::Wide, Arg::List],
        fused: &["AddIConTail"],
    },
    Case {
        module: shapes_module,
        entry: "addi_con_direct",
        args: &[Arg::Wide, Arg::List],
        fused: &["AddIConTailDirect"],
    },
    Case {
        module: shapes_module,
        entry: "addi_con_swapped",
        args: &[Arg::Wide, Arg::List],
        fused: &["AddIConTailDirect"],
    },
    Case {
        module: shapes_module,
        entry: "con_tail",
        args: &[Arg::Wide, Arg::List],
        fused: &["ConSTail"],
    },
    Case {
        module: shapes_module,
        entry: "con_ret",
        args: &[Arg::Wide, Arg::List],
        fused: &["ConSRet"],
    },
    Case {
        module: shapes_module,
        entry: "addi_call",
        args: &[Arg::Wide],
        fused: &["AddICall"],
    },
    Case {
        module: shapes_module,
        entry: "call_g",
        args: &[Arg::Small, Arg::Small],
        fused: &["CallG"],
    },
    Case {
        module: shapes_module,
        entry: "addi_call_g",
        args: &[Arg::Small],
        fused: &["AddICallG"],
    },
    Case {
        module: fib_module,
        entry: "fib",
        args: &[Arg::Small],
        fused: &["AddICallG"],
    },
    Case {
        module: sum_module,
        entry: "sum",
        args: &[Arg::Small, Arg::Wide],
        fused: &["AddIAddLoop"],
    },
    Case {
        module: list_module,
        entry: "build",
        args: &[Arg::Small, Arg::List],
        fused: &["AddIConLoop"],
    },
    Case {
        module: list_module,
        entry: "sum_acc",
        args: &[Arg::List, Arg::Wide],
        fused: &["FieldsAddLoop"],
    },
    Case {
        module: swapped_module,
        entry: "acc_fold",
        args: &[Arg::Wide, Arg::List],
        fused: &["FieldsAddLoop"],
    },
    Case {
        module: swapped_module,
        entry: "acc_sum",
        args: &[Arg::Wide, Arg::Small],
        fused: &["AddIAddLoop"],
    },
    Case {
        module: swapped_module,
        entry: "acc_build",
        args: &[Arg::List, Arg::Small],
        fused: &["AddIConLoop"],
    },
];

/// Shapes of code that fusion turns into each fused op, one function each
/// (`h`, `h3`, `hl`, `hl2`, `k` and `down` are the callees).
fn shapes_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    let (int, ii) = (Ty::Int, [Ty::Int, Ty::Int]);
    let h = mb.declare("h", &ii, int);
    let h3 = mb.declare("h3", &[int, int, int], int);
    let hl = mb.declare("hl", &[list, int], int);
    let hl2 = mb.declare("hl2", &[int, list], int);
    let hl3 = mb.declare("hl3", &[list, int, int], int);
    let k = mb.declare("k", &[int], int);
    let down = mb.declare("down", &[int], int);
    let mut define =
        |name: &str, params: &[Ty], result: Ty, body: &dyn Fn(&mut FunctionBuilder)| {
            let id = mb.declare(name, params, result);
            let mut f = FunctionBuilder::new(params);
            body(&mut f);
            mb.define(id, f).unwrap();
            mb.export(name, id);
        };
    let tail = |f: &mut FunctionBuilder, g: FuncId, args: Vec<Reg>| {
        f.emit(Instr::TailCall { f: g, args });
    };

    // h(x, y) = x + y: `add` then `ret` of the sum.
    let add_ret = |f: &mut FunctionBuilder| {
        let s = f.reg(Ty::Int);
        let (x, y) = (f.param(0), f.param(1));
        f.emit(Instr::Add { d: s, a: x, b: y });
        f.emit(Instr::Ret { a: s });
    };
    // head(xs) = match xs { [] => 0, [x, ..] => x }: two fields of one cell.
    define("head", &[list], int, &|f| {
        let xs = f.param(0);
        let (nil, x, _) = match_list(f, xs, Ty::Int, list);
        f.emit(Instr::Ret { a: x });
        f.bind(nil);
        let z = f.reg(Ty::Int);
        f.emit(Instr::Int { d: z, k: 0 });
        f.emit(Instr::Ret { a: z });
    });
    // addi_tail(a, b) = h(a + 5, b)
    define("addi_tail", &ii, int, &|f| {
        let t = f.reg(Ty::Int);
        f.emit(Instr::AddI {
            d: t,
            a: f.param(0),
            k: 5,
        });
        tail(f, h, vec![t, f.param(1)]);
    });
    // add_tail(a, b, c) = h3(a + b, c, a)
    define("add_tail", &[int, int, int], int, &|f| {
        let u = f.reg(Ty::Int);
        let (a, b, c) = (f.param(0), f.param(1), f.param(2));
        f.emit(Instr::Add { d: u, a, b });
        tail(f, h3, vec![u, c, a]);
    });
    // add_direct(a, b) = h(b, a + b)
    define("add_direct", &ii, int, &|f| {
        let u = f.reg(Ty::Int);
        let (a, b) = (f.param(0), f.param(1));
        f.emit(Instr::Add { d: u, a, b });
        tail(f, h, vec![b, u]);
    });
    // addi_add(a, b) = h3(a + 1, a + b, b): three arguments.
    define("addi_add", &ii, int, &|f| {
        let (t, u) = (f.reg(Ty::Int), f.reg(Ty::Int));
        let (a, b) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: 1 });
        f.emit(Instr::Add { d: u, a, b });
        tail(f, h3, vec![t, u, b]);
    });
    // addi_add_swapped(a, b) = h(a + b, a + 1): the sums the other way round.
    define("addi_add_swapped", &ii, int, &|f| {
        let (t, u) = (f.reg(Ty::Int), f.reg(Ty::Int));
        let (a, b) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: 1 });
        f.emit(Instr::Add { d: u, a, b });
        tail(f, h, vec![u, t]);
    });
    // addi_add_direct(a, b) = { let t = a - 1; h(t, b + t) }: the add reads
    // the add.i's result.
    define("addi_add_direct", &ii, int, &|f| {
        let (t, u) = (f.reg(Ty::Int), f.reg(Ty::Int));
        let (a, b) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: -1 });
        f.emit(Instr::Add { d: u, a: b, b: t });
        tail(f, h, vec![t, u]);
    });
    // addi_con(a, xs) = { let t = a + 1; hl3([t, ..xs], t, a) }
    define("addi_con", &[int, list], int, &|f| {
        let (t, c) = (f.reg(Ty::Int), f.reg(list));
        let (a, xs) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: 1 });
        emit_cons(f, lt, c, t, xs);
        tail(f, hl3, vec![c, t, a]);
    });
    // addi_con_swapped(a, xs) = { let t = a + 1; hl([t, ..xs], t) }
    define("addi_con_swapped", &[int, list], int, &|f| {
        let (t, c) = (f.reg(Ty::Int), f.reg(list));
        let (a, xs) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: 1 });
        emit_cons(f, lt, c, t, xs);
        tail(f, hl, vec![c, t]);
    });
    // addi_con_direct(a, xs) = { let t = a + 1; hl2(t, [t, ..xs]) }
    define("addi_con_direct", &[int, list], int, &|f| {
        let (t, c) = (f.reg(Ty::Int), f.reg(list));
        let (a, xs) = (f.param(0), f.param(1));
        f.emit(Instr::AddI { d: t, a, k: 1 });
        emit_cons(f, lt, c, t, xs);
        tail(f, hl2, vec![t, c]);
    });
    // con_tail(a, xs) = hl([a, ..xs], a)
    define("con_tail", &[int, list], int, &|f| {
        let c = f.reg(list);
        let (a, xs) = (f.param(0), f.param(1));
        emit_cons(f, lt, c, a, xs);
        tail(f, hl, vec![c, a]);
    });
    // con_ret(a, xs) = [a, ..xs]
    define("con_ret", &[int, list], list, &|f| {
        let (c, a, xs) = (f.reg(list), f.param(0), f.param(1));
        emit_cons(f, lt, c, a, xs);
        f.emit(Instr::Ret { a: c });
    });
    // addi_call(a) = k(a + 3) (k has no guard: a plain call)
    define("addi_call", &[int], int, &|f| {
        let (t, r) = (f.reg(Ty::Int), f.reg(Ty::Int));
        f.emit(Instr::AddI {
            d: t,
            a: f.param(0),
            k: 3,
        });
        f.emit(Instr::Call {
            d: r,
            f: k,
            args: vec![t],
        });
        f.emit(Instr::Ret { a: r });
    });
    // call_g(a, b) = down(a + b): a call into an Int guard on a parameter.
    define("call_g", &ii, int, &|f| {
        let (s, r) = (f.reg(Ty::Int), f.reg(Ty::Int));
        let (a, b) = (f.param(0), f.param(1));
        f.emit(Instr::Add { d: s, a, b });
        f.emit(Instr::Call {
            d: r,
            f: down,
            args: vec![s],
        });
        f.emit(Instr::Ret { a: r });
    });
    // addi_call_g(a) = down(a - 1)
    define("addi_call_g", &[int], int, &|f| {
        let (t, r) = (f.reg(Ty::Int), f.reg(Ty::Int));
        f.emit(Instr::AddI {
            d: t,
            a: f.param(0),
            k: -1,
        });
        f.emit(Instr::Call {
            d: r,
            f: down,
            args: vec![t],
        });
        f.emit(Instr::Ret { a: r });
    });

    let mut body = FunctionBuilder::new(&ii);
    add_ret(&mut body);
    mb.define(h, body).unwrap();
    // h3(x, y, z) = x + y
    let mut body = FunctionBuilder::new(&[int, int, int]);
    add_ret(&mut body);
    mb.define(h3, body).unwrap();
    // hl(xs, x) = x
    let mut body = FunctionBuilder::new(&[list, int]);
    body.emit(Instr::Ret { a: body.param(1) });
    mb.define(hl, body).unwrap();
    // hl3(xs, x, y) = x
    let mut body = FunctionBuilder::new(&[list, int, int]);
    body.emit(Instr::Ret { a: body.param(1) });
    mb.define(hl3, body).unwrap();
    // hl2(x, xs) = x
    let mut body = FunctionBuilder::new(&[int, list]);
    body.emit(Instr::Ret { a: body.param(0) });
    mb.define(hl2, body).unwrap();
    // k(x) = x + x
    let mut body = FunctionBuilder::new(&[int]);
    let (s, x) = (body.reg(Ty::Int), body.param(0));
    body.emit(Instr::Add { d: s, a: x, b: x });
    body.emit(Instr::Ret { a: s });
    mb.define(k, body).unwrap();
    // down(n) = if n <= 0 { n } else { down(n - 1) }
    let mut body = FunctionBuilder::new(&[int]);
    let (n, t) = (body.param(0), body.reg(Ty::Int));
    let rec = body.label();
    br_imm(&mut body, Cmp::Gt, n, 0, rec);
    body.emit(Instr::Ret { a: n });
    body.bind(rec);
    body.emit(Instr::AddI { d: t, a: n, k: -1 });
    body.emit(Instr::TailCall {
        f: down,
        args: vec![t],
    });
    mb.define(down, body).unwrap();
    mb.finish().unwrap()
}

/// The loops of `sum_acc`, `sum` and `build` with their parameters the
/// other way round (the accumulator first): loop ops are not keyed to
/// parameter positions.
///
/// ```tally
/// fn acc_fold(acc: Int, xs: List<Int>) -> Int {
///   match xs { [] => acc, [x, ..rest] => acc_fold(acc + x, rest) }
/// }
/// fn acc_sum(acc: Int, n: Int) -> Int { if n <= 0 { acc } else { acc_sum(acc + n, n - 1) } }
/// fn acc_build(acc: List<Int>, n: Int) -> List<Int> {
///   if n <= 0 { acc } else { acc_build([n - 1, ..acc], n - 1) }
/// }
/// ```
fn swapped_module() -> Module {
    let mut mb = ModuleBuilder::new();
    let lt = mb.add_list("List<Int>", Ty::Int);
    let list = Ty::Adt(lt.0);
    for (name, acc_ty) in [("acc_sum", Ty::Int), ("acc_build", list)] {
        let g = mb.declare(name, &[acc_ty, Ty::Int], acc_ty);
        let mut f = FunctionBuilder::new(&[acc_ty, Ty::Int]);
        let (acc, n) = (f.param(0), f.param(1));
        let (t, u) = (f.reg(Ty::Int), f.reg(acc_ty));
        let body = f.label();
        br_imm(&mut f, Cmp::Gt, n, 0, body);
        f.emit(Instr::Ret { a: acc });
        f.bind(body);
        f.emit(Instr::AddI { d: t, a: n, k: -1 });
        if acc_ty == Ty::Int {
            f.emit(Instr::Add { d: u, a: acc, b: n });
        } else {
            emit_cons(&mut f, lt, u, t, acc);
        }
        f.emit(Instr::TailCall {
            f: g,
            args: vec![u, t],
        });
        mb.define(g, f).unwrap();
        mb.export(name, g);
    }
    let fold = mb.declare("acc_fold", &[Ty::Int, list], Ty::Int);
    let mut f = FunctionBuilder::new(&[Ty::Int, list]);
    let (acc, xs) = (f.param(0), f.param(1));
    let (nil, x, rest) = match_list(&mut f, xs, Ty::Int, list);
    let s = f.reg(Ty::Int);
    f.emit(Instr::Add { d: s, a: acc, b: x });
    f.emit(Instr::TailCall {
        f: fold,
        args: vec![s, rest],
    });
    f.bind(nil);
    f.emit(Instr::Ret { a: acc });
    mb.define(fold, f).unwrap();
    mb.export("acc_fold", fold);
    mb.finish().unwrap()
}

fn wide() -> impl Strategy<Value = i128> {
    prop_oneof![
        -40i128..40,
        (i128::MAX - 40)..=i128::MAX,
        i128::MIN..=(i128::MIN + 40),
        any::<i128>(),
    ]
}

fn arg(a: Arg) -> BoxedStrategy<Value> {
    match a {
        Arg::Wide => wide().prop_map(Value::int).boxed(),
        Arg::Small => (-3i128..14).prop_map(Value::int).boxed(),
        Arg::List => prop::collection::vec(wide(), 0..7).prop_map(ints).boxed(),
    }
}

/// Arguments for `case` and a number that picks the gas limit.
fn inputs(case: &Case) -> impl Strategy<Value = (Vec<Value>, u64)> {
    let args: Vec<_> = case.args.iter().map(|&a| arg(a)).collect();
    (args, any::<u64>())
}

/// Runs `case` on `args` with unlimited gas and at the limit `pick`
/// chooses below or at what it needs, comparing every metering mode.
fn check(case: &Case, vm: &VerifiedModule, args: &[Value], pick: u64) {
    let (result, gas) = eval_all_modes(vm, case.entry, args, u64::MAX);
    let limit = pick % (gas + 2);
    let (r, used) = eval_all_modes(vm, case.entry, args, limit);
    assert!(used <= limit, "{}: used {used} over {limit}", case.entry);
    if limit >= gas {
        assert_eq!((r, used), (result, gas), "{}", case.entry);
    }
}

/// The verified module of `case`, checked to hold the fused ops it names.
fn verified(case: &Case) -> VerifiedModule {
    let vm = verify((case.module)()).unwrap();
    let held = vm.fused_ops();
    for want in case.fused {
        assert!(held.contains(want), "{}: no {want} in {held:?}", case.entry);
    }
    vm
}

macro_rules! property {
    ($name:ident, $entry:literal) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]
            #[test]
            fn $name((args, pick) in inputs(case($entry))) {
                let case = case($entry);
                check(case, &verified(case), &args, pick);
            }
        }
    };
}

/// The case of entry `entry`.
fn case(entry: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.entry == entry)
        .unwrap_or_else(|| panic!("no case {entry}"))
}

property!(field2, "head");
property!(addi_tail, "addi_tail");
property!(add_tail, "add_tail");
property!(add_tail_direct, "add_direct");
property!(addi_add_tail, "addi_add");
property!(addi_add_tail_direct, "addi_add_direct");
property!(addi_con_tail, "addi_con");
property!(addi_con_tail_direct, "addi_con_direct");
property!(cons_tail, "con_tail");
property!(cons_ret, "con_ret");
property!(addi_call, "addi_call");
property!(call_g, "call_g");
property!(addi_call_g, "addi_call_g");
property!(fib_calls, "fib");
property!(addi_add_loop, "sum");
property!(addi_con_loop, "build");
property!(fields_add_loop, "sum_acc");
property!(addi_add_tail_direct_swapped, "addi_add_swapped");
property!(addi_con_tail_direct_swapped, "addi_con_swapped");
property!(fields_add_loop_swapped, "acc_fold");
property!(addi_add_loop_swapped, "acc_sum");
property!(addi_con_loop_swapped, "acc_build");

#[test]
fn every_fused_op_has_a_case() {
    let covered: BTreeSet<&str> = CASES
        .iter()
        .flat_map(|c| {
            verified(c);
            c.fused.iter().copied()
        })
        .collect();
    let missing: Vec<_> = fused_op_names()
        .into_iter()
        .filter(|n| !covered.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "fused ops without a property case in tests/fused_ops.rs: {missing:?}"
    );
}

#[test]
fn every_case_has_a_property() {
    let src = include_str!("fused_ops.rs");
    for c in CASES {
        assert!(
            src.contains(&format!("\"{}\");", c.entry)),
            "case {} is not run by a property!",
            c.entry
        );
    }
}

/// The Int sequences fusion turns into `AddITail`, `AddTail`,
/// `AddTailDirect`, `AddIAddTail`, `AddIAddTailDirect`, `AddRet` and
/// `AddICall`, on registers drawn at random (so results alias operands,
/// parameters and each other in every way), of a frame whose other
/// registers hold random Ints.
#[derive(Clone, Copy, Debug)]
enum Seq {
    /// `add.i`, `add`, `tailcall h(_, _)`.
    AddIAddTail2,
    /// `add.i`, `add`, `tailcall h3(_, _, _)`.
    AddIAddTail3,
    /// `add.i`, `tailcall h(_, _)`.
    AddITail,
    /// `add`, `tailcall h(_, _)`.
    AddTail,
    /// `add`, `ret` of the sum.
    AddRet,
    /// `add.i`, `call k(_)`, `ret`.
    AddICall,
}

/// Registers of the aliasing module's `f(p0, p1)`: the two parameters and
/// four locals.
const ALIAS_REGS: u32 = 6;

/// `f(p0, p1)`: loads `imms` into r2..r5, then runs `seq` on the registers
/// `r` (destinations and operands), passing `args` to the tail call (an
/// argument `0` is the first op's destination, `1` the second's, `2..` a
/// register of `r`).
fn alias_module(seq: Seq, r: [u32; 6], args: [u8; 3], k: i64, imms: [i64; 4]) -> Module {
    let mut mb = ModuleBuilder::new();
    let int = Ty::Int;
    let h = mb.declare("h", &[int, int], int);
    let h3 = mb.declare("h3", &[int, int, int], int);
    let kf = mb.declare("k", &[int], int);
    let f_id = mb.declare("f", &[int, int], int);
    let mut f = FunctionBuilder::new(&[int, int]);
    for &v in &imms {
        let d = f.reg(int);
        f.emit(Instr::Int { d, k: v });
    }
    let reg = |i: usize| Reg(r[i] % ALIAS_REGS);
    let (d1, d2) = (reg(0), reg(3));
    let arg = |i: usize| match args[i] % 4 {
        0 => d1,
        1 => d2,
        _ => reg(4 + i % 2),
    };
    let add_i = Instr::AddI {
        d: d1,
        a: reg(1),
        k,
    };
    let add = |d| Instr::Add {
        d,
        a: reg(2),
        b: reg(4),
    };
    let tail = |g, n: usize| Instr::TailCall {
        f: g,
        args: (0..n).map(arg).collect(),
    };
    match seq {
        Seq::AddIAddTail2 | Seq::AddIAddTail3 => {
            f.emit(add_i);
            f.emit(add(d2));
            let (g, n) = match seq {
                Seq::AddIAddTail2 => (h, 2),
                _ => (h3, 3),
            };
            f.emit(tail(g, n));
        }
        Seq::AddITail => {
            f.emit(add_i);
            f.emit(tail(h, 2));
        }
        Seq::AddTail => {
            f.emit(add(d1));
            f.emit(tail(h, 2));
        }
        Seq::AddRet => {
            f.emit(add(d1));
            f.emit(Instr::Ret { a: d1 });
        }
        Seq::AddICall => {
            f.emit(add_i);
            let res = reg(5);
            f.emit(Instr::Call {
                d: res,
                f: kf,
                args: vec![arg(0)],
            });
            f.emit(Instr::Ret { a: res });
        }
    }
    mb.define(f_id, f).unwrap();
    mb.export("f", f_id);
    // h(x, y) = x + y; h3(x, y, z) = x + y; k(x) = x + x
    for (g, params) in [
        (h, vec![int, int]),
        (h3, vec![int, int, int]),
        (kf, vec![int]),
    ] {
        let mut body = FunctionBuilder::new(&params);
        let s = body.reg(int);
        let (x, y) = (body.param(0), body.param((params.len() > 1).into()));
        body.emit(Instr::Add { d: s, a: x, b: y });
        body.emit(Instr::Ret { a: s });
        mb.define(g, body).unwrap();
    }
    mb.finish().unwrap()
}

fn seq() -> impl Strategy<Value = Seq> {
    prop_oneof![
        Just(Seq::AddIAddTail2),
        Just(Seq::AddIAddTail3),
        Just(Seq::AddITail),
        Just(Seq::AddTail),
        Just(Seq::AddRet),
        Just(Seq::AddICall),
    ]
}

fn imm() -> impl Strategy<Value = i64> {
    prop_oneof![-5i64..5, Just(i64::MAX), Just(i64::MIN), any::<i64>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn fused_int_sequences_on_aliased_registers(
        seq in seq(),
        r in prop::array::uniform6(0u32..ALIAS_REGS),
        args in prop::array::uniform3(0u8..4),
        k in imm(),
        imms in prop::array::uniform4(imm()),
        (p0, p1) in (wide(), wide()),
        pick in any::<u64>(),
    ) {
        // Every register is written before the sequence reads it.
        let vm = verify(alias_module(seq, r, args, k, imms)).unwrap();
        let case = Case { module: shapes_module, entry: "f", args: &[], fused: &[] };
        check(&case, &vm, &[Value::int(p0), Value::int(p1)], pick);
    }
}

#[test]
fn the_aliased_sequences_form_every_int_fused_op() {
    // Over a sweep of register choices, each fused op the aliasing property
    // is for is formed at least once (so the property exercises it).
    let mut seen = BTreeSet::new();
    let seqs = [
        Seq::AddIAddTail2,
        Seq::AddIAddTail3,
        Seq::AddITail,
        Seq::AddTail,
        Seq::AddRet,
        Seq::AddICall,
    ];
    for seq in seqs {
        for i in 0..ALIAS_REGS.pow(3) {
            let r = [i % 6, i / 6 % 6, i / 36 % 6, (i + 2) % 6, (i + 3) % 6, 5];
            for a in 0..16u8 {
                let args = [a % 4, a / 4, a % 3];
                let vm = verify(alias_module(seq, r, args, 1, [1, 2, 3, 4])).unwrap();
                seen.extend(vm.fused_ops());
            }
        }
    }
    for want in [
        "AddITail",
        "AddTail",
        "AddTailDirect",
        "AddIAddTail",
        "AddIAddTailDirect",
        "AddRet",
        "AddICall",
    ] {
        assert!(seen.contains(want), "{want} never formed: {seen:?}");
    }
}
