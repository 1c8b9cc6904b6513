//! The totality corpus (`tests/totality_corpus/`): terminating and
//! non-terminating programs from the literature (Agda's test suite, the
//! size-change paper, RAML's examples, Lean/Isabelle classics), one file per
//! case, each naming its origin and its expected verdict.
//!
//! - `accept/*.tly` must check clean, compile, pass the bytecode verifier,
//!   and keep the bound's promise: every `pub fn`, run on random arguments
//!   and on worst-case ones (sorted and reverse-sorted lists), uses no more
//!   gas than its static bound and allocates no more than its memory bound.
//! - `reject/*.tly` must fail with errors all of the kind marked by
//!   `//~ ERROR <kind>`, the first of them on the marked line.
//!
//! Cases that Tally gets wrong today are listed in [`KNOWN_FAILURES`] with
//! the reason: the test reports them, fails if one of them starts passing
//! (so the list stays honest), and fails on any other wrong verdict. A
//! broken bound is never a known failure. `TOTALITY_CORPUS_VERBOSE=1`
//! prints what each known failure does today.

#[path = "support/entries.rs"]
mod entries;
#[path = "support/examples.rs"]
mod examples;
#[path = "support/promise.rs"]
mod promise;

use std::path::{Path, PathBuf};

use tally::codegen::{Options, compile};
use tally::db::{Database, check_text};
use tally::line_index::LineIndex;
use tally::render;
use vm_core::{AdtKind, Ty, Value, internals::VerifiedModule};

use entries::{Rng, arguments, value};
use promise::{check_call, with_big_stack};

/// Cases whose verdict is wrong today, with the pattern of the issue
/// (`A`–`E`) or the limitation that explains it.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "accept/agda_deep_termination_depth_mutual.tly",
        "needs +1 offsets in call matrices",
    ),
    (
        "accept/agda_termination_non_exact_clause.tly",
        "not a size-change argument",
    ),
    (
        "accept/agda_termination_two_constructors_with.tly",
        "needs +1 offsets in call matrices",
    ),
    (
        "accept/agda_termination_with_two_constructors_mutual.tly",
        "needs +1 offsets in call matrices",
    ),
    (
        "accept/hyvernat_binary_counter.tly",
        "constructor-aware graphs",
    ),
    (
        "accept/lean_binary_search.tly",
        "D: a measure of two parameters (hi - lo)",
    ),
    (
        "accept/raml_mergesort.tly",
        "E: needs a strict output bound (each half of msplit(l) < l when l has two cells)",
    ),
    (
        "accept/raml_mergesort_take_drop.tly",
        "E: needs output bounds in terms of an Int (|take(l, n)| <= n, n < |l|)",
    ),
    (
        "accept/raml_minsort_remove.tly",
        "E: remove(m, l) < l only because m occurs in l (not a size fact)",
    ),
    (
        "accept/sct_ex5_swap.tly",
        "bound analysis: no closed form (E0601)",
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/totality_corpus")
}

/// The `.tly` files of `accept/` and `reject/`, as `accept/NAME.tly`, sorted.
fn cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["accept", "reject"] {
        let dir = corpus_dir().join(sub);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("the corpus directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tly"))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).expect("readable case");
            out.push((format!("{sub}/{name}"), text));
        }
    }
    out
}

/// The `//~ ERROR kind` marker: 1-based line and kind.
fn marker(text: &str) -> Option<(usize, String)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let (_, kind) = line.split_once("//~ ERROR ")?;
        Some((i + 1, kind.trim().to_string()))
    })
}

/// The verdict of a reject case: `Ok` if it fails as marked, else why not.
fn check_reject(name: &str, text: &str) -> Result<(), String> {
    let (line, kind) = marker(text).ok_or("no //~ ERROR marker")?;
    let mut errors: Vec<_> = check_text(name, text)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    errors.sort_by_key(|d| d.primary.span.start);
    let first = errors.first().ok_or("accepted")?;
    let index = LineIndex::new(text);
    let shown = |d: &tally::diagnostic::Diagnostic| render::plain(d, name, text);
    if let Some(other) = errors.iter().find(|d| d.code.kind().name() != kind) {
        return Err(format!("an error not of kind {kind}:\n{}", shown(other)));
    }
    let at = index.line_of(first.primary.span.start) + 1;
    if at != line {
        return Err(format!(
            "first error on line {at}, not {line}:\n{}",
            shown(first)
        ));
    }
    Ok(())
}

/// The verdict of an accept case: `Ok` if it checks clean, verifies and
/// its `pub fn`s are accepted; `Err(Broken)` if a bound is broken (never
/// excusable).
fn check_accept(name: &str, text: &str) -> Result<(), Failure> {
    let errors: Vec<String> = check_text(name, text)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| render::plain(d, name, text))
        .collect();
    if !errors.is_empty() {
        return Err(Failure::Verdict(errors.join("\n")));
    }
    let db = Database::new();
    let file = db.add_file(name, text.to_string());
    let options = Options {
        tests: false,
        instances: Vec::new(),
    };
    let program = compile(&db, file, &options)
        .map_err(|d| Failure::Verdict(format!("does not compile: {:?}", d.first())))?;
    let exports: Vec<String> = program.entries.iter().map(|e| e.export.clone()).collect();
    let module = vm_core::internals::verify(program.module)
        .map_err(|e| Failure::Verdict(format!("the verifier rejects it: {e}")))?;
    keeps_promise(name, &module, &exports).map_err(Failure::Broken)
}

/// Why an accept case fails.
enum Failure {
    /// The verdict is wrong (may be a known failure).
    Verdict(String),
    /// A run broke its static bound.
    Broken(String),
}

/// Runs every export on random and worst-case arguments, checking gas and
/// memory against the bounds.
fn keeps_promise(name: &str, vm: &VerifiedModule, exports: &[String]) -> Result<(), String> {
    for entry in exports {
        for size in [0u64, 1, 2, 3, 5, 10, 30, 100] {
            for seed in 0..3 {
                let mut rng = Rng::new(seed * 7919 + size);
                let args = arguments(vm, entry, size, &mut rng);
                check_call(vm, entry, &args, &format!("{name}::{entry} at size {size}"))?;
            }
            for descending in [false, true] {
                let mut rng = Rng::new(size);
                let args = worst_case(vm, entry, size, descending, &mut rng);
                let what = format!("{name}::{entry} on sorted input of size {size}");
                check_call(vm, entry, &args, &what)?;
            }
        }
    }
    Ok(())
}

/// Arguments that drive sorts and searches to their worst case: each
/// `List<Int>` sorted (ascending or descending) with `size` elements, each
/// `Int` equal to `size`, anything else random.
fn worst_case(
    vm: &VerifiedModule,
    entry: &str,
    size: u64,
    descending: bool,
    rng: &mut Rng,
) -> Vec<Value> {
    let m = vm.module();
    let Some(export) = m.exports.iter().find(|e| e.name == entry) else {
        return Vec::new();
    };
    let f = &m.functions[export.func.0 as usize];
    let n = size as i128;
    f.params
        .iter()
        .map(|&ty| match ty {
            Ty::Int => Value::int(n),
            Ty::Adt(i)
                if m.adts[i as usize].kind == AdtKind::List
                    && m.adts[i as usize].variants[1].fields[0].ty == Ty::Int =>
            {
                Value::list((0..n).map(|k| Value::int(if descending { n - k } else { k })))
            }
            _ => value(ty, m, size, rng, 0),
        })
        .collect()
}

#[test]
fn every_case_has_its_verdict() {
    let report = with_big_stack(|| {
        let mut wrong = Vec::new();
        let mut counts = [0usize; 4]; // accept ok, accept known, reject ok, reject known
        for (name, text) in cases() {
            assert!(
                text.lines().any(|l| l.starts_with("// Origin:")),
                "{name}: no `// Origin:` comment"
            );
            let accept = name.starts_with("accept/");
            let outcome = if accept {
                match check_accept(&name, &text) {
                    Ok(()) => Ok(()),
                    Err(Failure::Verdict(why)) => Err(why),
                    Err(Failure::Broken(why)) => panic!("{name}: the bound is broken: {why}"),
                }
            } else {
                check_reject(&name, &text)
            };
            let known = KNOWN_FAILURES.iter().find(|(n, _)| *n == name);
            let slot = if accept { 0 } else { 2 };
            match (outcome, known) {
                (Ok(()), None) => counts[slot] += 1,
                (Err(why), Some((_, reason))) => {
                    counts[slot + 1] += 1;
                    if std::env::var_os("TOTALITY_CORPUS_VERBOSE").is_some() {
                        let first = why.lines().next().unwrap_or_default();
                        eprintln!("known failure {name} ({reason}): {first}");
                    }
                }
                (Ok(()), Some((_, why))) => wrong.push(format!(
                    "{name} now passes: remove it from KNOWN_FAILURES (was: {why})"
                )),
                (Err(why), None) => wrong.push(format!("{name}: wrong verdict: {why}")),
            }
        }
        for (known, _) in KNOWN_FAILURES {
            if !corpus_dir().join(known).exists() {
                wrong.push(format!(
                    "{known} is in KNOWN_FAILURES but not in the corpus"
                ));
            }
        }
        (counts, wrong)
    });
    let (counts, wrong) = report;
    eprintln!(
        "totality corpus: accept {} right, {} known failures; reject {} right, {} known failures",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_corpus_covers_the_literature() {
    let names: Vec<String> = cases().into_iter().map(|(n, _)| n).collect();
    let count = |prefix: &str| {
        names
            .iter()
            .filter(|n| n.split('/').nth(1).is_some_and(|f| f.starts_with(prefix)))
            .count()
    };
    assert!(count("agda_") >= 40, "{} Agda cases", count("agda_"));
    assert!(
        count("sct_ex") >= 6,
        "{} size-change paper cases",
        count("sct_ex")
    );
    assert!(count("raml_") >= 8, "{} RAML cases", count("raml_"));
}

/// `split` of RAML's quicksort returns `([x, ..ls], rs)` or `(ls, [x, ..rs])`
/// from the halves of its recursive result: its output bound is linear in
/// the list (the halves share one cell), not geometric.
#[test]
fn a_result_rebuilt_from_the_halves_of_a_recursive_result_is_linear() {
    let text =
        std::fs::read_to_string(corpus_dir().join("accept/raml_quicksort.tly")).expect("the case");
    let db = Database::new();
    let file = db.add_file("raml_quicksort.tly", text);
    let options = Options {
        tests: false,
        instances: Vec::new(),
    };
    let program = compile(&db, file, &options).expect("compiles");
    let module = vm_core::internals::verify(program.module).expect("verifies");
    let split = module
        .module()
        .functions
        .iter()
        .position(|f| f.name == "split")
        .expect("split is compiled");
    let bounds = module.function_bounds(split as u32).expect("bounds");
    assert!(!bounds.exponential);
    for n in [10u128, 100, 1000] {
        let out = bounds.output.eval(&[0, n]);
        assert!(out <= 2 * n + 8, "output bound {out} at n = {n}");
    }
}

/// Halving recursion has a logarithmic bound (`log2(n + 1)` in the bound
/// language), kept on the values where it is tightest: powers of two and
/// their neighbours, up to 2^100.
#[test]
fn halving_recursion_is_logarithmic_and_keeps_its_bound() {
    let text = "pub fn log2(n: Int) -> Int {\n  if n < 2 { 0 } else { 1 + log2(n / 2) }\n}\n\
                pub fn bits(n: Int, acc: List<Int>) -> List<Int> {\n  \
                if n <= 0 { acc } else { bits(n / 2, [n % 2, ..acc]) }\n}\n";
    let db = Database::new();
    let file = db.add_file("halving.tly", text.to_string());
    let options = Options {
        tests: false,
        instances: Vec::new(),
    };
    let program = compile(&db, file, &options).expect("compiles");
    let vm = vm_core::internals::verify(program.module).expect("verifies");
    for entry in ["log2", "bits"] {
        let bounds = vm.bounds(entry).expect("bounds");
        assert!(!bounds.exponential);
        // Logarithmic: doubling n adds a constant.
        let at = |n: u128| bounds.gas.eval(&[n, 1]);
        assert_eq!(
            at(1 << 41) - at(1 << 40),
            at(1 << 21) - at(1 << 20),
            "{entry}"
        );
        for k in 0..100u32 {
            for n in [(1i128 << k) - 1, 1i128 << k, (1i128 << k) + 1] {
                let args = match entry {
                    "log2" => vec![Value::int(n)],
                    _ => vec![Value::int(n), Value::list(std::iter::empty())],
                };
                check_call(&vm, entry, &args, &format!("{entry}({n})")).expect("keeps its bound");
            }
        }
    }
}
