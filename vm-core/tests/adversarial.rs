//! Resource oracles for the verifier (issue 11, item 6): verify, the bound
//! analysis included, stays bounded on the adversarial module shapes of the
//! robustness review, and grows linearly in their size.
//!
//! Each shape is verified once at the review's size (it must be accepted or
//! rejected, and within the test's time), and its verify time at two
//! smaller sizes at least 4 times apart in code is compared with the code's
//! growth (see `bounded_and_linear`). Times are the fastest of three
//! interleaved runs, so a loaded machine slows both sizes alike rather than
//! failing the test.

use std::time::{Duration, Instant};

use vm_core::format::*;
use vm_core::internals::*;

/// `main(x: Int) -> Int`: `n` instructions of straight-line arithmetic.
fn straight_line(n: usize) -> Module {
    let mut mb = ModuleBuilder::new();
    let f = mb.declare("main", &[Ty::Int], Ty::Int);
    let mut b = FunctionBuilder::new(&[Ty::Int]);
    let r = b.reg(Ty::Int);
    b.emit(Instr::Mov {
        d: r,
        s: b.param(0),
    });
    for i in 0..n.saturating_sub(2) {
        b.emit(Instr::AddI {
            d: r,
            a: r,
            k: (i % 7) as i64,
        });
    }
    b.emit(Instr::Ret { a: r });
    mb.define(f, b).expect("defined");
    mb.export("main", f);
    mb.finish().expect("a module")
}

/// `main(s: E, x: Int) -> Int` over an enum of 256 variants: `n` switches in
/// a row, each with 256 distinct blocks joining after it.
fn switches(n: usize) -> Module {
    let mut mb = ModuleBuilder::new();
    let names: Vec<String> = (0..256).map(|i| format!("V{i}")).collect();
    let variants: Vec<(&str, &[Ty])> = names.iter().map(|n| (n.as_str(), &[][..])).collect();
    let e = mb.add_adt(AdtDef::enumeration("E", &variants));
    let f = mb.declare("main", &[Ty::Adt(e.0), Ty::Int], Ty::Int);
    let mut b = FunctionBuilder::new(&[Ty::Adt(e.0), Ty::Int]);
    let r = b.reg(Ty::Int);
    b.emit(Instr::Mov {
        d: r,
        s: b.param(1),
    });
    for _ in 0..n {
        let blocks: Vec<Label> = (0..256).map(|_| b.label()).collect();
        let join = b.label();
        b.switch(b.param(0), &blocks);
        for (k, &block) in blocks.iter().enumerate() {
            b.bind(block);
            b.emit(Instr::AddI {
                d: r,
                a: r,
                k: k as i64,
            });
            b.jmp(join);
        }
        b.bind(join);
    }
    b.emit(Instr::Ret { a: r });
    mb.define(f, b).expect("defined");
    mb.export("main", f);
    mb.finish().expect("a module")
}

/// `n` functions `f_i(x: Int) -> Int`, each calling every earlier one.
fn call_all_earlier(n: usize) -> Module {
    let mut mb = ModuleBuilder::new();
    let funcs: Vec<FuncId> = (0..n)
        .map(|i| mb.declare(&format!("f{i}"), &[Ty::Int], Ty::Int))
        .collect();
    for (i, &f) in funcs.iter().enumerate() {
        let mut b = FunctionBuilder::new(&[Ty::Int]);
        let (sum, part) = (b.reg(Ty::Int), b.reg(Ty::Int));
        b.emit(Instr::Mov {
            d: sum,
            s: b.param(0),
        });
        for &g in &funcs[..i] {
            b.emit(Instr::Call {
                d: part,
                f: g,
                args: vec![b.param(0)],
            });
            b.emit(Instr::Add {
                d: sum,
                a: sum,
                b: part,
            });
        }
        b.emit(Instr::Ret { a: sum });
        mb.define(f, b).expect("defined");
    }
    if let Some(&last) = funcs.last() {
        mb.export("main", last);
    }
    mb.finish().expect("a module")
}

/// `main(x: Int) -> Int` with a frame of 4,096 registers and `n` branch
/// diamonds, each writing a different register on both arms.
fn diamonds(n: usize) -> Module {
    let mut mb = ModuleBuilder::new();
    let f = mb.declare("main", &[Ty::Int], Ty::Int);
    let mut b = FunctionBuilder::new(&[Ty::Int]);
    let regs: Vec<Reg> = (1..limits::MAX_REGS).map(|_| b.reg(Ty::Int)).collect();
    for i in 0..n {
        let r = regs[i % regs.len()];
        let (other, join) = (b.label(), b.label());
        b.emit_to(
            Instr::BrLtI {
                a: b.param(0),
                k: i as i64,
                t: Jump(0),
            },
            &[other],
        );
        b.emit(Instr::AddI {
            d: r,
            a: b.param(0),
            k: 1,
        });
        b.jmp(join);
        b.bind(other);
        b.emit(Instr::AddI {
            d: r,
            a: b.param(0),
            k: 2,
        });
        b.bind(join);
    }
    b.emit(Instr::Ret {
        a: regs[n.saturating_sub(1) % regs.len()],
    });
    mb.define(f, b).expect("defined");
    mb.export("main", f);
    mb.finish().expect("a module")
}

/// A module shape of a given size.
type Shape = fn(usize) -> Module;

fn instructions(m: &Module) -> usize {
    m.functions.iter().map(|f| f.code.len()).sum()
}

/// Verifies `m` and returns how long it took and whether it was accepted.
fn timed_verify(m: &Module) -> (Duration, bool) {
    let m = m.clone();
    let start = Instant::now();
    let accepted = verify(m).is_ok();
    (start.elapsed(), accepted)
}

/// Checks the growth of verify time between sizes `n` and `m` of a shape:
/// the time ratio over the code's ratio stays under 3 (about 1 when
/// linear; the code ratio itself, at least 4 here, when quadratic).
fn linear(name: &str, shape: Shape, n: usize, m: usize) {
    let (small, large) = (shape(n), shape(m));
    let growth = instructions(&large) as f64 / instructions(&small) as f64;
    assert!(growth >= 3.9, "{name}: sizes {n} and {m} too close");
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let (t, accepted) = timed_verify(&small);
        assert!(accepted, "{name}({n}) verifies");
        t_small = t_small.min(t);
        let (t, accepted) = timed_verify(&large);
        assert!(accepted, "{name}({m}) verifies");
        t_large = t_large.min(t);
    }
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9) / growth;
    eprintln!(
        "{name}: {n} -> {t_small:?}, {m} -> {t_large:?}, {growth:.1}x the code, normalised ratio {ratio:.2}"
    );
    assert!(
        ratio < 3.0,
        "{name}: verify time grows faster than the code: {t_small:?} at {n}, {t_large:?} at {m} ({growth:.1}x the code)"
    );
}

#[test]
fn straight_line_code_verifies_in_linear_time() {
    linear("straight_line", straight_line, 1 << 15, 1 << 17);
}

#[test]
fn switches_of_256_ways_verify_in_linear_time() {
    linear("switches", switches, 16, 64);
}

#[test]
fn functions_calling_all_earlier_ones_verify_in_linear_time() {
    // The code is quadratic in the number of functions (`n` and `2n`
    // functions: 4 times the calls).
    linear("call_all_earlier", call_all_earlier, 100, 200);
}

/// Finding (reported, not fixed here: verify/ and bound/ belong to the
/// `gas` work): with 4,096 registers, 4 times the diamonds take about 16
/// times as long (71 ms at 150, 1.19 s at 600 in the test build), so the
/// verifier's flow budget, linear in code × registers, does not bound the
/// time linearly: at the budget's largest accepted size (2,000 diamonds,
/// 8,001 instructions) verify takes 4.4 s in the test build.
#[test]
#[ignore = "finding: quadratic in the diamonds of a 4,096-register frame (see the comment)"]
fn a_4096_register_frame_with_branch_diamonds_verifies_in_linear_time() {
    linear("diamonds", diamonds, 150, 600);
}

/// The review's sizes, each verified once. In the test build (on a loaded
/// machine): 1M straight-line instructions 3.4 s, 1,900 switches 12.7 s,
/// 1,000 functions 6.7 s, 2,000 diamonds 4.4 s; so not run by default:
/// `cargo test -p vm-core --test adversarial -- --ignored --nocapture`.
#[test]
#[ignore = "about 30 s; run with --ignored"]
fn the_review_sizes_verify() {
    let shapes: [(&str, Shape, usize); 4] = [
        ("straight_line", straight_line, 1 << 20),
        ("switches", switches, 1_900),
        ("call_all_earlier", call_all_earlier, 1_000),
        // The largest count of diamonds in the verifier's flow budget.
        ("diamonds", diamonds, 2_000),
    ];
    for (name, shape, size) in shapes {
        let module = shape(size);
        let (t, accepted) = timed_verify(&module);
        eprintln!(
            "{name}({size}): {} instructions, verified in {t:?}",
            instructions(&module)
        );
        assert!(accepted, "{name}({size}) verifies");
    }
}
