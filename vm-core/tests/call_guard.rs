//! Calls into a guard (`fuse` module, `Op::CallG`): a call whose callee
//! starts with an Int guard on a parameter runs the guard at the call
//! site, and a base case that returns a parameter returns without a frame.
//! Every guard form, either side of its branch, the guard on each
//! parameter, base cases returning each parameter, callees without such a
//! base case, and every gas limit, in every metering mode (the
//! per-instruction mode runs the calls one op at a time, so agreement on
//! results, gas and statistics is the check).

mod common;

use common::*;
use vm_core::format::*;
use vm_core::internals::*;

/// A guard at a callee's entry: the comparison, its constant, and whether
/// the recursive side is the branch target (else the fall-through).
#[derive(Clone, Copy, Debug)]
struct Guard {
    op: fn(Reg, i64, Jump) -> Instr,
    /// Whether the branch is taken for this value.
    taken: fn(i128, i128) -> bool,
    k: i64,
    recurse_on_branch: bool,
}

/// Guards under which `x - 1` descends, so the verifier accepts the
/// recursion: it goes on while `x > 2`, `x >= -3`, not `x <= 0`, not `x < 5`.
fn descending() -> Vec<Guard> {
    vec![
        Guard {
            op: |a, k, t| Instr::BrGtI { a, k, t },
            taken: |x, k| x > k,
            k: 2,
            recurse_on_branch: true,
        },
        Guard {
            op: |a, k, t| Instr::BrGeI { a, k, t },
            taken: |x, k| x >= k,
            k: -3,
            recurse_on_branch: true,
        },
        Guard {
            op: |a, k, t| Instr::BrLeI { a, k, t },
            taken: |x, k| x <= k,
            k: 0,
            recurse_on_branch: false,
        },
        Guard {
            op: |a, k, t| Instr::BrLtI { a, k, t },
            taken: |x, k| x < k,
            k: 5,
            recurse_on_branch: false,
        },
    ]
}

/// Equality guards, for callees that do not recurse.
fn equalities() -> Vec<Guard> {
    vec![
        Guard {
            op: |a, k, t| Instr::BrEqI { a, k, t },
            taken: |x, k| x == k,
            k: 7,
            recurse_on_branch: false,
        },
        Guard {
            op: |a, k, t| Instr::BrNeI { a, k, t },
            taken: |x, k| x != k,
            k: 7,
            recurse_on_branch: true,
        },
    ]
}

/// The shape of `h`, of `arity` Int parameters.
#[derive(Clone, Copy, Debug)]
struct Shape {
    guard: Guard,
    arity: u32,
    /// The guarded parameter.
    on: u32,
    /// The parameter the base case returns; `None`: it returns a constant 100.
    returns: Option<u32>,
    /// Whether the other side calls `h` again (else it returns `x + 1`).
    recursive: bool,
}

/// `h(p0, ..)`: `guard(p[on])`, the base case `p[returns]` (or 100) on one
/// side; on the other `h(.., p[on] - 1, ..) + p[last]` if recursive, else
/// `p[on] + 1`. Also `main(p0, ..)`, which calls `h` twice
/// (`h(p..) + h(p.. with p[on] + 3)`), so calls at depth 0 are covered too.
fn module(s: Shape) -> Module {
    let mut mb = ModuleBuilder::new();
    let ints = vec![Ty::Int; s.arity as usize];
    let h = mb.declare("h", &ints, Ty::Int);
    let main = mb.declare("main", &ints, Ty::Int);

    let mut f = FunctionBuilder::new(&ints);
    let x = f.param(s.on);
    let (t, r, sum) = (f.reg(Ty::Int), f.reg(Ty::Int), f.reg(Ty::Int));
    let (other, base) = (f.label(), f.label());
    let to = if s.guard.recurse_on_branch {
        other
    } else {
        base
    };
    f.emit_to((s.guard.op)(x, s.guard.k, Jump(0)), &[to]);
    let emit_base = |f: &mut FunctionBuilder| match s.returns {
        Some(q) => f.emit(Instr::Ret { a: f.param(q) }),
        None => {
            f.emit(Instr::Int { d: sum, k: 100 });
            f.emit(Instr::Ret { a: sum });
        }
    };
    let emit_other = |f: &mut FunctionBuilder| {
        if s.recursive {
            f.emit(Instr::AddI { d: t, a: x, k: -1 });
            let args = (0..s.arity)
                .map(|i| if i == s.on { t } else { f.param(i) })
                .collect();
            f.emit(Instr::Call { d: r, f: h, args });
            f.emit(Instr::Add {
                d: sum,
                a: r,
                b: f.param(s.arity - 1),
            });
            f.emit(Instr::Ret { a: sum });
        } else {
            f.emit(Instr::AddI { d: sum, a: x, k: 1 });
            f.emit(Instr::Ret { a: sum });
        }
    };
    if s.guard.recurse_on_branch {
        emit_base(&mut f);
        f.bind(other);
        emit_other(&mut f);
    } else {
        emit_other(&mut f);
        f.bind(base);
        emit_base(&mut f);
    }
    mb.define(h, f).unwrap();

    // main: the first call passes the parameters as they are (a plain
    // call), the second the guarded one plus 3 (`add.i` then the call).
    let mut f = FunctionBuilder::new(&ints);
    let (u, a, b, c) = (
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
        f.reg(Ty::Int),
    );
    let params: Vec<Reg> = (0..s.arity).map(|i| f.param(i)).collect();
    f.emit(Instr::Call {
        d: a,
        f: h,
        args: params.clone(),
    });
    f.emit(Instr::AddI {
        d: u,
        a: f.param(s.on),
        k: 3,
    });
    let args = (0..s.arity)
        .map(|i| if i == s.on { u } else { params[i as usize] })
        .collect();
    f.emit(Instr::Call { d: b, f: h, args });
    f.emit(Instr::Add { d: c, a, b });
    f.emit(Instr::Ret { a: c });
    mb.define(main, f).unwrap();
    mb.export("h", h);
    mb.export("main", main);
    mb.finish().unwrap()
}

/// What `h` of [`module`] returns, computed directly.
fn expected_h(s: Shape, p: &[i128]) -> i128 {
    let mut x = p[s.on as usize];
    let mut added = 0;
    loop {
        let taken = (s.guard.taken)(x, i128::from(s.guard.k));
        if taken != s.guard.recurse_on_branch {
            let base = match s.returns {
                Some(q) if q == s.on => x,
                Some(q) => p[q as usize],
                None => 100,
            };
            return base + added;
        }
        if !s.recursive {
            return x + 1 + added;
        }
        let last = p.len() - 1;
        added += if last == s.on as usize { x } else { p[last] };
        x -= 1;
    }
}

/// The values of `p[on]` to try: around the guard's constant.
fn around(g: Guard) -> impl Iterator<Item = i128> {
    let k = i128::from(g.k);
    [k - 2, k - 1, k, k + 1, k + 2, k + 5].into_iter()
}

/// Runs `h` and `main` of `s` on `p[on] = x` (other parameters 10, 20, ..)
/// in every mode at every gas limit and checks the results.
fn check(s: Shape) {
    let vm = verify(module(s)).unwrap();
    for x in around(s.guard) {
        let mut p: Vec<i128> = (0..s.arity).map(|i| 10 * (i128::from(i) + 1)).collect();
        p[s.on as usize] = x;
        let args: Vec<Value> = p.iter().map(|&v| Value::int(v)).collect();
        let want = expected_h(s, &p);
        assert_eq!(
            eval_all_limits(&vm, "h", &args),
            Ok(Value::int(want)),
            "{s:?} h({p:?})"
        );
        let mut q = p.clone();
        q[s.on as usize] += 3;
        let want = want + expected_h(s, &q);
        assert_eq!(
            eval_all_limits(&vm, "main", &args),
            Ok(Value::int(want)),
            "{s:?} main({p:?})"
        );
    }
}

#[test]
fn recursive_calls_return_base_cases_of_every_guard_form() {
    for guard in descending() {
        for arity in 1..=3 {
            for on in 0..arity {
                let returns = (0..arity).map(Some).chain([None]);
                for returns in returns {
                    check(Shape {
                        guard,
                        arity,
                        on,
                        returns,
                        recursive: true,
                    });
                }
            }
        }
    }
}

#[test]
fn calls_into_equality_guards_take_either_side() {
    for guard in equalities().into_iter().chain(descending()) {
        for (arity, on, returns) in [
            (1, 0, Some(0)),
            (2, 1, Some(0)),
            (3, 2, Some(1)),
            (2, 0, None),
        ] {
            check(Shape {
                guard,
                arity,
                on,
                returns,
                recursive: false,
            });
        }
    }
}

#[test]
fn deep_recursion_counts_the_frames_of_base_cases() {
    // fib-like depth: h(n) = if n <= 0 { n } else { h(n - 1) + n }; the
    // deepest frame is a base case that runs without a frame of its own.
    let s = Shape {
        guard: descending()[2],
        arity: 1,
        on: 0,
        returns: Some(0),
        recursive: true,
    };
    let vm = verify(module(s)).unwrap();
    for metering in [
        Metering::Checked,
        Metering::Unchecked,
        Metering::PerInstruction,
    ] {
        let o = evaluate_with(
            &vm,
            "h",
            &[Value::int(1000)],
            Options {
                gas_limit: u64::MAX,
                metering,
            },
        );
        assert_eq!(o.result, Ok(Value::int(500_500)), "{metering:?}");
        // h(1000) .. h(1), and h(0) as the 1,001st frame.
        assert_eq!(o.stats.max_frames, 1001, "{metering:?}");
    }
}
