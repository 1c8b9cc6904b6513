//! The checker's output for later phases: types of expressions and
//! patterns, resolutions with their definitions, instantiations, signatures.

use super::TestDb;
use crate::db::SourceFile;
use crate::syntax::ast::{ExprId, PatId};
use crate::types::signatures::signatures;
use crate::types::{Resolution, TypedModule, infer};

/// The first expression whose source text is exactly `text`.
fn expr_at(db: &TestDb, file: SourceFile, text: &str) -> ExprId {
    let src = file.text(db);
    let module = &crate::db::parse(db, file).module;
    let index = module
        .exprs
        .iter()
        .position(|e| src.get(e.span.range()) == Some(text))
        .unwrap_or_else(|| panic!("no expression `{text}`"));
    ExprId(index as u32)
}

/// The first pattern whose source text is exactly `text`.
fn pat_at(db: &TestDb, file: SourceFile, text: &str) -> PatId {
    let src = file.text(db);
    let module = &crate::db::parse(db, file).module;
    let index = module
        .pats
        .iter()
        .position(|p| src.get(p.span.range()) == Some(text))
        .unwrap_or_else(|| panic!("no pattern `{text}`"));
    PatId(index as u32)
}

fn typed(db: &TestDb, src: &str) -> (SourceFile, TypedModule) {
    let file = db.file(src);
    let typed = infer(db, file).clone();
    assert!(typed.diagnostics.is_empty(), "{:?}", typed.diagnostics);
    (file, typed)
}

const PROGRAM: &str = "use std::list::{map, fold}
struct Entry { owner: Bytes, amount: Int }
fn total(es: List<Entry>) -> Int {
  let amounts = map(es, |e| e.amount);
  fold(amounts, 0, |acc, a| acc + a)
}
fn pairs(o: Option<Int>) -> (Int, List<Bool>) {
  match o { Some(n) => (n, [true]), None => (0, []) }
}";

#[test]
fn every_expression_and_pattern_has_its_resolved_type() {
    let db = TestDb::new();
    let (file, typed) = typed(&db, PROGRAM);
    let ty = |text: &str| typed.expr_ty(expr_at(&db, file, text)).to_string();
    assert_eq!(ty("map(es, |e| e.amount)"), "List<Int>");
    assert_eq!(ty("|e| e.amount"), "fn(Entry) -> Int");
    assert_eq!(ty("e.amount"), "Int");
    assert_eq!(ty("map"), "fn(List<Entry>, fn(Entry) -> Int) -> List<Int>");
    assert_eq!(ty("(n, [true])"), "(Int, List<Bool>)");
    assert_eq!(ty("[]"), "List<Bool>");
    let pat = |text: &str| typed.pat_ty(pat_at(&db, file, text)).to_string();
    assert_eq!(pat("Some(n)"), "Option<Int>");
    assert_eq!(pat("n"), "Int");
}

#[test]
fn resolutions_lead_to_their_definitions() {
    let db = TestDb::new();
    let (file, typed) = typed(&db, PROGRAM);
    let src = file.text(&db);

    // A local: the lambda parameter `e`.
    let use_of_e = expr_at(&db, file, "e");
    let Some(Resolution::Local(local)) = typed.resolution(use_of_e) else {
        panic!("`e` is a local");
    };
    let info = typed.local(local).expect("the local exists");
    assert_eq!(info.name, "e");
    assert_eq!(info.ty.to_string(), "Entry");
    let (def_file, span) = typed
        .definition(&db, file, Resolution::Local(local))
        .expect("a definition");
    assert_eq!(def_file, file);
    assert_eq!(&src[span.range()], "e");

    // An imported function: defined in `std::list`.
    let map = expr_at(&db, file, "map");
    let res = typed.resolution(map).expect("`map` resolves");
    assert!(matches!(res, Resolution::Fn(_)));
    let (def_file, span) = typed.definition(&db, file, res).expect("a definition");
    assert_eq!(def_file.path(&db), "std::list");
    assert_eq!(&def_file.text(&db)[span.range()], "map");
    // Its instantiation: T = Entry, U = Int.
    let args: Vec<String> = typed.instances[&map]
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(args, ["Entry", "Int"]);

    // A prelude constructor in a pattern.
    let some = pat_at(&db, file, "Some(n)");
    let res = typed.pat_resolution(some).expect("`Some` resolves");
    assert!(matches!(res, Resolution::Ctor { variant: 1, .. }));
    let (def_file, _) = typed.definition(&db, file, res).expect("a definition");
    assert_eq!(def_file.path(&db), "std::prelude");

    // A field access knows its field's index.
    assert_eq!(
        typed.field_indices.get(&expr_at(&db, file, "e.amount")),
        Some(&1)
    );
}

#[test]
fn signatures_and_public_items_are_queryable() {
    let db = TestDb::new();
    let list = db.std["list"];
    let sigs = signatures(&db, list);
    let public: Vec<String> = sigs
        .public_fns()
        .values()
        .map(|sig| sig.display())
        .collect();
    assert!(public.contains(&"fn map<T, U>(xs: List<T>, f: fn(T) -> U) -> List<U>".to_string()));
    assert!(!public.iter().any(|s| s.starts_with("fn secret")));

    let (_, typed) = typed(&db, PROGRAM);
    let entry = typed
        .signatures
        .items
        .iter()
        .find_map(|item| match item {
            crate::types::ItemSig::Struct(s) => Some(s),
            _ => None,
        })
        .expect("the struct");
    let fields: Vec<String> = entry
        .fields
        .iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();
    assert_eq!(fields, ["owner: Bytes", "amount: Int"]);
}

#[test]
fn unsolved_variables_become_unit() {
    let db = TestDb::new();
    let (file, typed) = typed(&db, "use std::list::length\ntest t() { length([]) == 0 }");
    assert_eq!(
        typed.expr_ty(expr_at(&db, file, "[]")).to_string(),
        "List<()>"
    );
}

#[test]
fn deeply_nested_programs_do_not_overflow() {
    // 250 levels: under the parser's cap, so the checker walks all of it.
    let depth = 250;
    let src = format!(
        "fn f(x: Int) -> Int {{ {}x{} }}\nfn g() -> Bool {{ {}1{} }}",
        "(1 + ".repeat(depth),
        ")".repeat(depth),
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let out = super::check(&src);
    assert!(out.starts_with("E0301"), "{out}");
    assert_eq!(
        out.lines().filter(|l| !l.starts_with(' ')).count(),
        1,
        "{out}"
    );
}

#[test]
fn locals_visible_at_a_position_for_completion() {
    let db = TestDb::new();
    let src = "fn f(a: Int, b: Int) -> Int {\n  let c = a;\n  let a = c + b;\n  match Some(a) { Some(d) => d, None => a }\n}";
    let (_, typed) = typed(&db, src);
    let names = |needle: &str| -> Vec<String> {
        let offset = src.find(needle).expect("needle") as u32;
        typed
            .locals_at(offset)
            .iter()
            .map(|l| format!("{}: {}", l.name, l.ty))
            .collect()
    };
    assert_eq!(names("let c"), ["a: Int", "b: Int"]);
    assert_eq!(names("c + b"), ["a: Int", "b: Int", "c: Int"]);
    assert_eq!(names("match"), ["b: Int", "c: Int", "a: Int"]);
    assert_eq!(names("d, None"), ["b: Int", "c: Int", "a: Int", "d: Int"]);
}

#[test]
fn field_accesses_lead_to_the_field() {
    let db = TestDb::new();
    let (file, typed) = typed(&db, PROGRAM);
    let access = expr_at(&db, file, "e.amount");
    let index = typed.field_indices[&access];
    let crate::types::Ty::Adt { item, .. } = typed.expr_ty(expr_at(&db, file, "e")) else {
        panic!("`e` is a struct");
    };
    let span = crate::types::output::field_name_span(&db, *item, index).expect("a field");
    assert_eq!(&file.text(&db)[span.range()], "amount");
}

#[test]
fn every_nesting_shape_fits_a_small_stack() {
    // Shapes nested as deep as the parser allows (its cap counts every
    // expression, pattern and type level), checked on a 2 MiB thread.
    let n = 126;
    let shapes = [
        format!(
            "use std::list::map\nfn f(xs: List<Int>) -> Int {{ let y = {}1{}; 0 }}",
            "map(xs, |x| ".repeat(n),
            ")".repeat(n)
        ),
        format!(
            "fn f(c: Bool) -> Int {{ {}1{} }}",
            "if c { ".repeat(n),
            " } else { 2 }".repeat(n)
        ),
        format!(
            "fn f(o: Option<Int>) -> Int {{ {}0{} }}",
            "match o { None => ".repeat(n),
            ", Some(_) => 1 }".repeat(n)
        ),
        format!(
            "fn f() -> Int {{ {}1{} }}",
            "{ let a = ".repeat(n),
            "; a }".repeat(n)
        ),
        format!(
            "fn f(o: {}Int{}) -> Int {{ match o {{ {}_{} => 1, _ => 0 }} }}",
            "Option<".repeat(n),
            ">".repeat(n),
            "Some(".repeat(n),
            ")".repeat(n)
        ),
        format!("fn f() -> Int {{ {}1 }}", "-".repeat(2 * n)),
        format!(
            "fn f(o: Option<Int>) -> Int {{ {}0{} }}",
            "match o { None => ".repeat(2 * n),
            ", Some(_) => 1 }".repeat(2 * n)
        ),
        format!(
            "fn f() -> Int {{ {}1{} }}",
            "{ let a = ".repeat(2 * n),
            "; a }".repeat(2 * n)
        ),
    ];
    for src in shapes {
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || super::check(&src))
            .expect("a thread");
        let out = handle.join().expect("no stack overflow");
        assert!(!out.contains("E03") && !out.contains("E0105"), "{out}");
    }
}

#[test]
fn hover_finds_the_innermost_node_and_items_print_as_written() {
    let db = TestDb::new();
    let (file, typed) = typed(&db, PROGRAM);
    let module = &crate::db::parse(&db, file).module;
    let src = file.text(&db);
    let offset = (src.find("e.amount").expect("there") + 3) as u32;
    let e = crate::types::output::expr_at_offset(module, offset).expect("an expression");
    assert_eq!(typed.expr_ty(e).to_string(), "Int");
    let offset = (src.find("Some(n)").expect("there") + 5) as u32;
    let p = crate::types::output::pat_at_offset(module, offset).expect("a pattern");
    assert_eq!(typed.pat_ty(p).to_string(), "Int");

    let shown: Vec<String> = typed
        .signatures
        .items
        .iter()
        .filter_map(|item| match item {
            crate::types::ItemSig::Fn(f) => Some(f.display()),
            crate::types::ItemSig::Struct(s) => Some(s.display()),
            crate::types::ItemSig::Enum(e) => Some(e.display()),
            crate::types::ItemSig::Alias(a) => Some(a.display()),
            crate::types::ItemSig::Const(c) => Some(c.display()),
            crate::types::ItemSig::None => None,
        })
        .collect();
    assert_eq!(
        shown,
        [
            "struct Entry { owner: Bytes, amount: Int }",
            "fn total(es: List<Entry>) -> Int",
            "fn pairs(o: Option<Int>) -> (Int, List<Bool>)",
        ]
    );
    let prelude = db.std["prelude"];
    let Some(option) = crate::types::signatures::signatures(&db, prelude).enumeration(1) else {
        panic!("Option is the second item of the test prelude");
    };
    assert_eq!(option.display(), "enum Option<T> { None, Some(T) }");
}
