//! Property tests: a `test` with parameters runs on generated arguments
//! (derived from the parameter types of its export), seeded and
//! reproducible; a failing case is shrunk to a small one. The rules are in
//! `lang-spec/modules.md`, "Property tests".

pub mod generate;
pub mod shrink;

use vm_core::internals::VerifiedModule;
use vm_core::{Ty, Value};

use crate::codegen::TestEntry;
use generate::{Generator, Minimal, Rng};

/// How a property is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The seed every case's arguments derive from.
    pub seed: u64,
    /// How many cases to run (the run stops at the first failing one).
    pub cases: u32,
    /// The gas limit of each case.
    pub gas_limit: u64,
    /// The size of the last case's arguments (elements of a list, cells of a
    /// tree, bytes, the square root of an Int's range); the sizes grow from
    /// 1 up to it.
    pub max_size: u64,
}

/// The largest `Settings::max_size` honoured (a larger one counts as this):
/// arguments stay small enough to build in memory.
pub const MAX_SIZE: u64 = 10_000;

/// The most evaluations spent shrinking one counterexample.
pub const MAX_SHRINK_RUNS: u32 = 5_000;

/// The largest share of its static gas bound one case used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Gas used.
    pub used: u64,
    /// The static bound of the same arguments.
    pub bound: u64,
}

impl Ratio {
    /// `used / bound` as a float (1.0 for a zero bound).
    pub fn value(&self) -> f64 {
        if self.bound == 0 {
            1.0
        } else {
            self.used as f64 / self.bound as f64
        }
    }
}

/// A failing case, after shrinking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Which case failed first (1-based).
    pub case: u32,
    /// The shrunk arguments, one `(parameter name, Tally literal)` each.
    pub args: Vec<(String, String)>,
    /// The shrunk arguments as values.
    pub values: Vec<Value>,
    /// Why the shrunk case fails.
    pub why: String,
    /// How many shrinking steps were taken.
    pub shrinks: u32,
}

/// What running a property found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Cases run (including the failing one).
    pub cases: u32,
    /// The most gas one case used.
    pub worst_gas: u64,
    /// The case that came closest to its bound.
    pub worst_ratio: Option<Ratio>,
    /// The first failure, shrunk.
    pub failure: Option<Failure>,
}

/// The case's seed: one stream per case, so a case does not depend on how
/// many random numbers the cases before it drew.
fn case_seed(seed: u64, case: u32) -> u64 {
    seed ^ u64::from(case).wrapping_mul(0xd1b5_4a32_d192_ed03)
}

/// Runs one case; `Err` with why it failed.
fn attempt(vm: &VerifiedModule, test: &TestEntry, args: &[Value], gas_limit: u64) -> Outcome {
    let (result, gas) = vm_core::internals::evaluate(vm, &test.export, args, gas_limit);
    let bound = vm_core::internals::bound(vm, &test.export, args)
        .ok()
        .map(|b| b.gas);
    let mut failure = test.failure(&result);
    if failure.is_none()
        && let Some(b) = bound
        && gas > b
    {
        failure = Some(format!(
            "it used {gas} gas, over its static bound {b} (a compiler bug: please report it)"
        ));
    }
    Outcome {
        gas,
        bound,
        failure,
    }
}

struct Outcome {
    gas: u64,
    bound: Option<u64>,
    failure: Option<String>,
}

/// The parameter types of a test's export.
pub fn param_types(vm: &VerifiedModule, export: &str) -> Option<Vec<Ty>> {
    let m = vm.module();
    let e = m.exports.iter().find(|e| e.name == export)?;
    Some(m.functions.get(e.func.0 as usize)?.params.clone())
}

/// Runs a property (a test with parameters) under `settings`. `Err` if its
/// arguments cannot be generated (a parameter type without a finite value).
pub fn run(vm: &VerifiedModule, test: &TestEntry, settings: &Settings) -> Result<Report, String> {
    let m = vm.module();
    let types = param_types(vm, &test.export)
        .ok_or_else(|| format!("the module has no export `{}`", test.export))?;
    let minimal = Minimal::new(m);
    for (i, &t) in types.iter().enumerate() {
        if !minimal.inhabited(t) {
            let name = test.params.get(i).map(String::as_str).unwrap_or("?");
            return Err(format!(
                "parameter `{name}` has type `{}`, which has no finite value to generate",
                vm_core::format::type_name(t, &m.adts)
            ));
        }
    }
    let mut report = Report {
        cases: 0,
        worst_gas: 0,
        worst_ratio: None,
        failure: None,
    };
    let cases = settings.cases.max(1);
    for case in 1..=cases {
        let max_size = u128::from(settings.max_size.min(MAX_SIZE));
        let size = 1 + (u128::from(case - 1) * max_size / u128::from(cases)) as u64;
        let mut generator = Generator {
            module: m,
            minimal: &minimal,
            rng: Rng::new(case_seed(settings.seed, case)),
        };
        let mut args = Vec::with_capacity(types.len());
        for &t in &types {
            // Inhabited types always generate (checked above).
            let Some(v) = generator.value(t, size) else {
                return Err("a value could not be generated".to_string());
            };
            args.push(v);
        }
        let outcome = attempt(vm, test, &args, settings.gas_limit);
        report.cases = case;
        report.worst_gas = report.worst_gas.max(outcome.gas);
        if let Some(bound) = outcome.bound {
            let r = Ratio {
                used: outcome.gas,
                bound,
            };
            let better = report.worst_ratio.is_none_or(|w| {
                u128::from(r.used) * u128::from(w.bound) > u128::from(w.used) * u128::from(r.bound)
            });
            if better {
                report.worst_ratio = Some(r);
            }
        }
        if let Some(why) = outcome.failure {
            report.failure = Some(shrink_failure(vm, test, &types, args, why, case, settings));
            break;
        }
    }
    Ok(report)
}

/// Shrinks a failing case greedily: the first smaller argument that still
/// fails replaces the current one, until none does.
fn shrink_failure(
    vm: &VerifiedModule,
    test: &TestEntry,
    types: &[Ty],
    mut args: Vec<Value>,
    mut why: String,
    case: u32,
    settings: &Settings,
) -> Failure {
    let m = vm.module();
    let minimal = Minimal::new(m);
    let (mut shrinks, mut runs) = (0u32, 0u32);
    'outer: loop {
        for (i, &t) in types.iter().enumerate() {
            for candidate in shrink::candidates(&args[i], t, m, &minimal) {
                runs += 1;
                if runs > MAX_SHRINK_RUNS {
                    break 'outer;
                }
                let mut trial = args.clone();
                trial[i] = candidate;
                if let Some(w) = attempt(vm, test, &trial, settings.gas_limit).failure {
                    args = trial;
                    why = w;
                    shrinks += 1;
                    continue 'outer;
                }
            }
        }
        break;
    }
    let literals: Vec<String> = args
        .iter()
        .zip(types)
        .map(|(v, &t)| {
            vm_core::format::print_literal(v, t, &m.adts).unwrap_or_else(|_| format!("{v:?}"))
        })
        .collect();
    // One entry per parameter as written: `x = f(a, b)` for one `via f`.
    let mut shown = Vec::new();
    let mut next = 0;
    for (name, via, inputs) in &test.groups {
        let these = literals.get(next..next + inputs).unwrap_or_default();
        next += inputs;
        let text = match via {
            Some(f) => format!("{f}({})", these.join(", ")),
            None => these.join(", "),
        };
        shown.push((name.clone(), text));
    }
    Failure {
        case,
        args: shown,
        values: args,
        why,
        shrinks,
    }
}
