//! Code generation end to end: Tally source → bytecode → `vm_core::internals::verify`
//! → `vm_core::internals::evaluate`. Every `test` block of the examples and the
//! standard library must evaluate to `true`; a table of small programs
//! checks results (as Tally literals) and traps.

use tally::codegen::{self, Options, Program};
use tally::db::{Database, SourceFile};
use vm_core::{Trap, Value, internals::VerifiedModule};

#[path = "codegen/cases.rs"]
mod cases;
#[path = "codegen/shapes.rs"]
mod shapes;

use cases::CASES;
use shapes::ACCEPTED_SHAPES;

const GAS: u64 = 2_000_000_000;

/// Compiles and verifies a file, panicking with a readable message on failure.
fn build(db: &Database, file: SourceFile, options: &Options) -> (Program, VerifiedModule) {
    try_build(db, file, options).unwrap_or_else(|e| panic!("{e}"))
}

/// Compiles and verifies a file; a readable message on failure.
fn try_build(
    db: &Database,
    file: SourceFile,
    options: &Options,
) -> Result<(Program, VerifiedModule), String> {
    let program = match codegen::compile(db, file, options) {
        Ok(p) => p,
        Err(ds) => {
            let text = file.text(db);
            let rendered: Vec<String> = ds
                .iter()
                .map(|d| tally::render::plain(d, file.path(db), text))
                .collect();
            return Err(format!(
                "{} does not compile:\n{}",
                file.path(db),
                rendered.join("\n")
            ));
        }
    };
    match vm_core::internals::verify(program.module.clone()) {
        Ok(v) => Ok((program, v)),
        Err(e) => Err(format!(
            "{} does not verify: {e}\n{}",
            file.path(db),
            vm_core::format::disassemble(&program.module)
        )),
    }
}

/// Runs every test block of a file; returns the failures.
fn run_tests(db: &Database, file: SourceFile) -> (usize, Vec<String>) {
    let (program, vm) = build(
        db,
        file,
        &Options {
            tests: true,
            instances: vec![],
        },
    );
    let mut failures = Vec::new();
    for test in &program.tests {
        let (result, gas) = vm_core::internals::evaluate(&vm, &test.export, &[], GAS);
        if let Some(why) = test.failure(&result) {
            failures.push(format!(
                "{} {}: {why} ({result:?}) after {gas} gas",
                file.path(db),
                test.name
            ));
        }
    }
    let written = tally::db::parse(db, file)
        .module
        .items
        .iter()
        .filter(|i| matches!(i, tally::syntax::ast::Item::Test(_)))
        .count();
    assert_eq!(
        program.tests.len(),
        written,
        "{}: every test block is exported",
        file.path(db)
    );
    (program.tests.len(), failures)
}

fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("examples directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tly"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&p).expect("readable example"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn stdlib_tests_pass_in_the_vm() {
    let db = Database::new();
    let mut total = 0;
    let mut failures = Vec::new();
    for (_, file) in db.std_files() {
        let (n, f) = run_tests(&db, file);
        total += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "failing tests:\n{}",
        failures.join("\n")
    );
    assert!(total >= 54, "only {total} stdlib tests ran");
}

#[test]
fn example_tests_pass_in_the_vm() {
    let db = Database::new();
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, text) in examples() {
        let file = db.add_file(name, text);
        let (n, f) = run_tests(&db, file);
        total += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "failing tests:\n{}",
        failures.join("\n")
    );
    assert!(total >= 13, "only {total} example tests ran");
}

/// Compiles `src` (a file whose `pub fn main()` takes no arguments), runs
/// `main` and prints the result as a Tally literal, or `trap: <Trap>`.
fn run_main(src: &str) -> String {
    run_entry(src, "main", &[])
}

/// Runs an entry with arguments written as Tally literals.
fn run_entry(src: &str, entry: &str, args: &[&str]) -> String {
    let db = Database::new();
    let file = db.add_file("case.tly", src);
    let (program, vm) = match try_build(&db, file, &Options::default()) {
        Ok(built) => built,
        Err(e) => return e,
    };
    let module = &program.module;
    let Some(export) = module.exports.iter().find(|e| e.name == entry) else {
        panic!("no export {entry}");
    };
    let func = &module.functions[export.func.0 as usize];
    let values: Vec<Value> = args
        .iter()
        .zip(&func.params)
        .map(|(a, t)| {
            vm_core::format::parse_literal(a, *t, &module.adts).expect("a valid argument")
        })
        .collect();
    let (result, _gas) = vm_core::internals::evaluate(&vm, entry, &values, GAS);
    match result {
        Ok(v) => vm_core::format::print_literal(&v, func.result, &module.adts).expect("printable"),
        Err(trap) => format!("trap: {}", trap_name(&trap)),
    }
}

fn trap_name(t: &Trap) -> &'static str {
    match t {
        Trap::Overflow => "Overflow",
        Trap::DivisionByZero => "DivisionByZero",
        Trap::OutOfGas => "OutOfGas",
        Trap::SliceOutOfRange => "SliceOutOfRange",
        Trap::StackOverflow => "StackOverflow",
        Trap::HeapExhausted => "HeapExhausted",
        _ => "Other",
    }
}

#[test]
fn small_programs_compute_what_they_say() {
    let mut failures = Vec::new();
    for (ty, body, expected) in CASES {
        let (main, helpers) = body.split_once(";;").unwrap_or((body, ""));
        let src = format!("{helpers}\npub fn main() -> {ty} {{ {main} }}\n");
        let got = run_main(&src);
        if got != *expected {
            failures.push(format!("{src}\n  expected {expected}\n  got      {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_disassemble_as_recorded() {
    let db = Database::new();
    for (name, text) in examples() {
        let file = db.add_file(name.clone(), text);
        let (program, _) = build(
            &db,
            file,
            &Options {
                tests: true,
                instances: vec![],
            },
        );
        insta::assert_snapshot!(
            format!("disasm_{}", name.trim_end_matches(".tly")),
            vm_core::format::disassemble(&program.module)
        );
    }
}

/// A small sample value of a bytecode type: lists of two, the last
/// variant of an enum near the root and a nullary one deeper down.
fn sample(ty: vm_core::Ty, adts: &[vm_core::AdtDef], depth: usize) -> Value {
    assert!(depth < 20, "no finite sample value");
    match ty {
        vm_core::Ty::Unit => Value::unit(),
        vm_core::Ty::Bool => Value::bool(true),
        vm_core::Ty::Int => Value::int(3),
        vm_core::Ty::Bytes => Value::bytes(vec![0xab, depth as u8]),
        vm_core::Ty::Adt(i) => {
            let def = &adts[i as usize];
            if let Some((k, v)) = def.map_types() {
                // Two entries: the sample key and a second one.
                let other = match k {
                    vm_core::Ty::Int => Value::int(7),
                    _ => Value::bytes(vec![0x01]),
                };
                let entries = [sample(k, adts, depth + 1), other]
                    .into_iter()
                    .map(|key| (key, sample(v, adts, depth + 1)));
                return Value::map(entries).expect("Int or Bytes keys");
            }
            let deep = depth >= 2;
            let tag = if def.kind == vm_core::AdtKind::List {
                if deep { 0 } else { 1 }
            } else if deep {
                def.variants
                    .iter()
                    .position(|v| v.fields.is_empty())
                    .unwrap_or(0)
            } else {
                def.variants.len() - 1
            };
            let fields = def.variants[tag]
                .fields
                .iter()
                .map(|f| sample(f.ty, adts, depth + 1))
                .collect();
            Value::cell(tag as u32, fields)
        }
    }
}

#[test]
fn example_entry_points_run_on_sample_arguments() {
    let db = Database::new();
    for (name, text) in examples() {
        let file = db.add_file(name.clone(), text);
        let (program, vm) = build(&db, file, &Options::default());
        let module = &program.module;
        let mut lines = Vec::new();
        for entry in &program.entries {
            let export = module
                .exports
                .iter()
                .find(|e| e.name == entry.export)
                .expect("exported");
            let func = &module.functions[export.func.0 as usize];
            let args: Vec<Value> = func
                .params
                .iter()
                .map(|t| sample(*t, &module.adts, 0))
                .collect();
            let shown: Vec<String> = args
                .iter()
                .zip(&func.params)
                .map(|(v, t)| {
                    vm_core::format::print_literal(v, *t, &module.adts).expect("printable")
                })
                .collect();
            let (result, gas) = vm_core::internals::evaluate(&vm, &entry.export, &args, GAS);
            let result = match result {
                Ok(v) => vm_core::format::print_literal(&v, func.result, &module.adts)
                    .expect("printable"),
                Err(trap) => panic!("{name}: {} trapped: {trap}", entry.export),
            };
            lines.push(format!(
                "{}({}) = {result}  [{gas} gas]",
                entry.export,
                shown.join(", ")
            ));
        }
        assert!(!lines.is_empty(), "{name} exports nothing");
        insta::assert_snapshot!(
            format!("entries_{}", name.trim_end_matches(".tly")),
            lines.join("\n")
        );
    }
}

#[test]
fn requested_instances_are_exported_under_their_type_arguments() {
    let db = Database::new();
    let src = "pub fn length<T>(xs: List<T>) -> Int { match xs { [] => 0, [_, ..r] => 1 + length(r) } }\n\
               pub fn swap<A, B>(p: (A, B)) -> (B, A) { let (a, b) = p; (b, a) }\n";
    let file = db.add_file("generic.tly", src);
    let options = Options {
        tests: false,
        instances: vec![
            ("length".into(), vec![tally::types::Ty::Bytes]),
            (
                "swap".into(),
                vec![tally::types::Ty::Int, tally::types::Ty::Bool],
            ),
        ],
    };
    let (program, vm) = build(&db, file, &options);
    let exports: Vec<&str> = program.entries.iter().map(|e| e.export.as_str()).collect();
    assert_eq!(exports, ["length<Bytes>", "swap<Int, Bool>"]);
    let xs = Value::list([Value::bytes(vec![1]), Value::bytes(vec![])]);
    let (r, _) = vm_core::internals::evaluate(&vm, "length<Bytes>", &[xs], GAS);
    assert_eq!(r.ok().and_then(|v| v.as_int()), Some(2));
    let pair = Value::cell(0, vec![Value::int(1), Value::bool(false)]);
    let (r, _) = vm_core::internals::evaluate(&vm, "swap<Int, Bool>", &[pair], GAS);
    assert_eq!(
        r.ok(),
        Some(Value::cell(0, vec![Value::bool(false), Value::int(1)]))
    );
    // Every function has one source span per instruction.
    for (f, info) in program.module.functions.iter().zip(&program.functions) {
        assert_eq!(f.code.len(), info.instr_spans.len(), "{}", info.name);
    }
}

#[test]
fn a_lambda_wrapping_its_own_function_argument_is_an_instantiation_error() {
    let db = Database::new();
    let src = "pub fn main() -> Int { h([1, 2], |x| x) }\n\
               fn h(xs: List<Int>, f: fn(Int) -> Int) -> Int { match xs { [] => 0, [x, ..rest] => f(x) + h(rest, |y| f(y) + 1) } }\n";
    let file = db.add_file("wrap.tly", src);
    let errors = codegen::compile(&db, file, &Options::default()).expect_err("rejected");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, tally::diagnostic::Code::InstantiationLimit);
}

#[test]
fn recursion_the_front_end_accepts_passes_the_verifier() {
    let mut failures = Vec::new();
    let mut no_bound = Vec::new();
    let mut compiled = 0;
    for (name, src) in ACCEPTED_SHAPES {
        let public = src.replace("pub fn ", "fn ").replace("fn ", "pub fn ");
        let db = Database::new();
        let file = db.add_file(format!("{name}.tly"), public.clone());
        if tally::db::check(&db, file).iter().any(|d| d.is_error()) {
            continue;
        }
        compiled += 1;
        let options = Options {
            tests: true,
            instances: vec![],
        };
        let program = match codegen::compile(&db, file, &options) {
            Ok(p) => p,
            Err(ds) => {
                failures.push(format!("{name}: does not compile: {ds:?}"));
                continue;
            }
        };
        match vm_core::internals::verify(program.module.clone()) {
            Ok(_) => {}
            Err(e) if matches!(e.kind, vm_core::internals::VerifyErrorKind::NoBound { .. }) => {
                no_bound.push(*name)
            }
            Err(e) => failures.push(format!(
                "{name}: {e}\n{}",
                vm_core::format::disassemble(&program.module)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The front end reports E0601 for shapes without a closed-form bound
    // (Ackermann, a factorial number of calls through `map`), so every shape
    // that checks clean also has a bound in the verifier.
    assert!(
        no_bound.is_empty(),
        "checked clean but no bound: {no_bound:?}"
    );
    assert!(compiled >= 35, "only {compiled} shapes type-check");
}

/// Registers are reused: a long chain of arithmetic needs a few registers,
/// not one per operation, and values bound by patterns stay intact.
#[test]
fn temporaries_share_registers() {
    let sum: Vec<String> = (0..200).map(|i| format!("{i} * 2")).collect();
    let src = format!("pub fn main() -> Int {{ {} }}\n", sum.join(" + "));
    assert_eq!(run_main(&src), "39800");
    let db = Database::new();
    let file = db.add_file("chain.tly", src);
    let (program, _) = build(&db, file, &Options::default());
    let frame = program.module.functions[0].locals.len();
    assert!(frame < 10, "{frame} registers for a chain of additions");
    let src = "pub fn main() -> Int { let (a, b) = (1 + 2, 3 + 4); let c = a + b; match (c + 1, a) { (x, y) => x * 100 + y + c } }";
    assert_eq!(run_main(src), "1113");
}

/// Deeply nested source (near the parser's nesting cap) compiles without
/// exhausting the stack of a test thread.
#[test]
fn deep_nesting_compiles() {
    let depth = 80;
    let ifs = format!(
        "{}0{}",
        "if true { 1 + ".repeat(depth),
        " } else { 0 }".repeat(depth)
    );
    assert_eq!(
        run_main(&format!("pub fn main() -> Int {{ {ifs} }}")),
        depth.to_string()
    );
    let depth = 120;
    let lists = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let ty = format!("{}Int{}", "List<".repeat(depth), ">".repeat(depth));
    let src = format!("pub fn main() -> Bool {{ let x: {ty} = {lists}; x == x }}");
    assert_eq!(run_main(&src), "true");
    let ands = vec!["1 < 2"; 250].join(" && ");
    assert_eq!(
        run_main(&format!("pub fn main() -> Bool {{ {ands} }}")),
        "true"
    );
    let arms: String = (0..300).map(|i| format!("{i} => {i}, ")).collect();
    let src = format!(
        "pub fn main() -> Int {{ f(299) }} fn f(n: Int) -> Int {{ match n {{ {arms} _ => -1 }} }}"
    );
    assert_eq!(run_main(&src), "299");
}

/// A jump to the very next instruction is never emitted: the last arm of a
/// match (or branch of an `if`) in value position falls through to the join.
#[test]
fn no_jump_to_the_next_instruction() {
    let src = "pub fn f(o: Option<Int>, c: Bool) -> Int { 1 + match o { None => 0, Some(x) => x } + if c { 1 } else { 2 } }";
    let db = Database::new();
    let file = db.add_file("jumps.tly", src);
    let (program, vm) = build(&db, file, &Options::default());
    let code = &program.module.functions[0].code;
    let jumps = code
        .iter()
        .filter(|i| matches!(i, vm_core::format::Instr::Jmp { .. }))
        .count();
    assert_eq!(
        jumps,
        2,
        "{}",
        vm_core::format::disassemble(&program.module)
    );
    assert!(
        code.iter()
            .all(|i| !matches!(i, vm_core::format::Instr::Jmp { t } if t.0 == 0))
    );
    let args = [Value::cell(1, vec![Value::int(5)]), Value::bool(false)];
    let (r, _) = vm_core::internals::evaluate(&vm, "f", &args, GAS);
    assert_eq!(r.ok().and_then(|v| v.as_int()), Some(8));
}

/// The benchmark kernels of issue 3, written the natural way in Tally,
/// compile, verify and compute the right results (at small sizes).
#[test]
fn benchmark_kernels_compile_and_run() {
    let kernels = "use std::list::{fold, range, reverse}\n\
        pub fn sum_down(n: Int, acc: Int) -> Int { if n <= 0 { acc } else { sum_down(n - 1, acc + n) } }\n\
        pub fn fib(n: Int) -> Int { if n <= 1 { n } else { fib(n - 1) + fib(n - 2) } }\n\
        pub fn build_fold(n: Int) -> Int { fold(range(n), 0, |a, x| a + x + 1) }\n\
        fn insert(x: Int, xs: List<Int>) -> List<Int> { match xs { [] => [x], [y, ..rest] => if x <= y { [x, y, ..rest] } else { [y, ..insert(x, rest)] } } }\n\
        fn sort(xs: List<Int>) -> List<Int> { match xs { [] => [], [x, ..rest] => insert(x, sort(rest)) } }\n\
        pub fn sort_reversed(n: Int) -> Bool { sort(reverse(range(n))) == range(n) }\n";
    assert_eq!(
        run_entry(kernels, "sum_down", &["1000000", "0"]),
        "500000500000"
    );
    assert_eq!(run_entry(kernels, "fib", &["20"]), "6765");
    assert_eq!(run_entry(kernels, "build_fold", &["100000"]), "5000050000");
    assert_eq!(run_entry(kernels, "sort_reversed", &["300"]), "true");
    // The sum kernel's loop is the four instructions the VM was tuned for.
    let db = Database::new();
    let file = db.add_file("kernels.tly", kernels);
    let (program, _) = build(&db, file, &Options::default());
    let sum = program
        .functions
        .iter()
        .position(|f| f.name == "sum_down")
        .expect("compiled");
    let code = &program.module.functions[sum].code;
    assert_eq!(
        code.len(),
        5,
        "{}",
        vm_core::format::disassemble(&program.module)
    );
    assert!(matches!(
        code[0],
        vm_core::format::Instr::BrGtI { k: 0, .. }
    ));
    assert!(matches!(code[4], vm_core::format::Instr::TailCall { .. }));
}

/// Exceeding a bytecode limit is a diagnostic (E0702), never a panic: a
/// list literal keeps all its elements live until the list is built.
#[test]
fn too_many_registers_is_a_diagnostic() {
    let items: Vec<String> = (0..5000).map(|i| i.to_string()).collect();
    let src = format!("pub fn main() -> List<Int> {{ [{}] }}\n", items.join(", "));
    let db = Database::new();
    let file = db.add_file("big.tly", src);
    let errors = codegen::compile(&db, file, &Options::default()).expect_err("too many registers");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, tally::diagnostic::Code::CodegenLimit);
    assert!(
        errors[0].message.contains("4096 registers"),
        "{}",
        errors[0].message
    );
    let items: Vec<String> = (0..3000).map(|i| i.to_string()).collect();
    let src = format!(
        "pub fn main() -> Int {{ std::list::length([{}]) }}\n",
        items.join(", ")
    );
    assert_eq!(run_main(&src), "3000");
}

/// Warnings do not stop compilation; they come back with the program.
#[test]
fn warnings_are_returned_with_the_program() {
    let src = "pub fn f(x: Int) -> Int { match x { _ => 1, 2 => 2 } }";
    let db = Database::new();
    let file = db.add_file("warn.tly", src);
    let program = codegen::compile(&db, file, &Options::default()).expect("compiles");
    let codes: Vec<&str> = program.warnings.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0402"]);
}

/// An export name beyond the format's 255 bytes is a diagnostic.
#[test]
fn overlong_export_names_are_diagnosed() {
    let name = "f".repeat(300);
    let src = format!("pub fn {name}() -> Int {{ 1 }}\ntest {name}() {{ true }}\n");
    let db = Database::new();
    let file = db.add_file("long.tly", src);
    let options = Options {
        tests: true,
        instances: vec![],
    };
    let errors = codegen::compile(&db, file, &options).expect_err("names too long");
    let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0702", "E0702"]);
    let src = format!("pub struct S {{ {name}: Int }}\npub fn s() -> S {{ S {{ {name}: 1 }} }}\n");
    let file = db.add_file("long_field.tly", src);
    let errors = codegen::compile(&db, file, &options).expect_err("field name too long");
    assert_eq!(errors[0].code.as_str(), "E0702");
}
