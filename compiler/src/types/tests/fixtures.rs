//! Small programs and the diagnostics they get, one insta snapshot each
//! (`src/types/tests/snapshots/`). Every name and type code has at least
//! one fixture; the `ok_*` fixtures must check clean.

use super::check;

/// (name, source). Names starting with `ok_` must produce no diagnostics.
const FIXTURES: &[(&str, &str)] = &[
    // ---- good programs
    (
        "ok_generic_identity",
        "fn id<T>(x: T) -> T { x }\nfn use_it() -> (Int, Bool) { (id(1), id(true)) }",
    ),
    (
        "ok_struct_update",
        "struct P { x: Int, y: Int }\nfn bump(p: P) -> P { P { x: p.x + 1, ..p } }\nfn mk() -> P { let x = 1; P { x, y: 2 } }",
    ),
    (
        "ok_tuple_patterns",
        "fn swap(p: (Int, Bool)) -> (Bool, Int) { let (a, b) = p; (b, a) }",
    ),
    (
        "ok_lambda_captures",
        "use std::list::{map, fold}\nfn add_all(xs: List<Int>, k: Int) -> Int { xs |> map(|x| x + k) |> fold(0, |a, x| a + x) }",
    ),
    (
        "ok_qualified_call",
        "fn lens(xs: List<List<Int>>) -> List<Int> { std::list::map(xs, std::list::length) }",
    ),
    (
        "ok_builtins",
        "use std::builtin::{bytes_slice, sha256}\nfn h(b: Bytes) -> Bytes { sha256(bytes_slice(b, 0, 4)) }",
    ),
    (
        "ok_nested_patterns",
        "fn f(o: Option<(Int, List<Int>)>) -> Int { match o { None => 0, Some((n, [])) => n, Some((n, [m, ..])) => n + m } }",
    ),
    (
        "ok_shadowing",
        "fn f(x: Int) -> Bool { let x = x > 0; let x = !x; x }",
    ),
    (
        "ok_struct_patterns",
        "struct E { owner: Bytes, amount: Int }\nfn a(e: E) -> Int { match e { E { amount: 0, .. } => 1, E { owner, amount } => amount } }",
    ),
    (
        "ok_generic_struct",
        "struct Pair<A, B> { fst: A, snd: B }\nfn fst<A, B>(p: Pair<A, B>) -> A { p.fst }\nfn mk() -> Int { fst(Pair { fst: 1, snd: true }) }",
    ),
    (
        "ok_fn_param_forwarded",
        "fn apply(f: fn(Int) -> Int, x: Int) -> Int { f(x) }\nfn twice(f: fn(Int) -> Int, x: Int) -> Int { apply(f, apply(f, x)) }\nfn inc(x: Int) -> Int { x + 1 }\ntest t() { twice(inc, 1) == 3 }",
    ),
    (
        "e0302_constructor_as_argument",
        "use std::list::{map}\nfn wrap(xs: List<Int>) -> List<Option<Int>> { map(xs, Some) }",
    ),
    (
        "ok_annotated_lambda",
        "use std::list::{map}\nfn f(xs: List<Int>) -> List<Bool> { map(xs, |x: Int| x > 0) }",
    ),
    (
        "ok_let_annotation",
        "fn f() -> List<Int> { let xs: List<Int> = []; xs }",
    ),
    (
        "ok_unconstrained_empty_list",
        "use std::list::{length}\ntest empty() { length([]) == 0 }",
    ),
    (
        "ok_literal_patterns",
        "fn f(x: Int, b: Bytes) -> Int { match (x, b) { (-1, _) => 0, (0, #\"00\") => 1, _ => 2 } }",
    ),
    (
        "ok_unit",
        "fn u() -> () { () }\nfn f() -> Int { match u() { () => 1 } }",
    ),
    (
        "ok_prelude_import_explicit",
        "use std::prelude::{Option, Some}\nfn f() -> Option<Int> { Some(1) }",
    ),
    (
        "ok_enum_generic_result",
        "enum E { Bad }\nfn f(x: Int) -> Result<Int, E> { if x > 0 { Ok(x) } else { Err(Bad) } }",
    ),
    // ---- E0201 unresolved name
    ("e0201_unknown_local", "fn f() -> Int { y }"),
    (
        "e0201_typo_suggestion",
        "fn f(count: Int) -> Int { cuont + 1 }",
    ),
    (
        "e0201_unknown_constructor",
        "fn f() -> Option<Int> { Nothing }",
    ),
    (
        "e0201_unknown_pattern_constructor",
        "fn f(o: Option<Int>) -> Int { match o { Som(x) => x, None => 0 } }",
    ),
    (
        "e0201_type_as_value",
        "struct P { x: Int }\nfn f() -> Int { let p = P; 1 }",
    ),
    (
        "e0201_missing_import",
        "fn f(xs: List<Int>) -> Int { length(xs) }",
    ),
    ("e0201_unknown_function", "fn f() -> Int { lenght([1]) }"),
    (
        "e0201_scope_ends_with_block",
        "fn f() -> Int { let a = { let b = 1; b }; b }",
    ),
    // ---- E0202 unresolved type
    ("e0202_unknown_type", "fn f(x: Foo) -> Int { 1 }"),
    ("e0202_typo", "fn f(x: Lsit<Int>) -> Int { 1 }"),
    (
        "e0202_unknown_struct_literal",
        "fn f() -> Int { let p = Pt { x: 1 }; 1 }",
    ),
    (
        "e0202_enum_as_struct",
        "fn f() -> Int { let o = Option { x: 1 }; 1 }",
    ),
    ("e0202_foreign_type_param", "fn f<T>(x: T) -> U { x }"),
    // ---- E0203 duplicate definition
    (
        "e0203_duplicate_fn",
        "fn f() -> Int { 1 }\nfn f() -> Int { 2 }",
    ),
    ("e0203_duplicate_constructor", "enum A { X }\nenum B { X }"),
    (
        "e0203_import_clashes_with_item",
        "use std::list::{map}\nfn map() -> Int { 1 }",
    ),
    ("e0203_duplicate_field", "struct P { x: Int, x: Bool }"),
    (
        "e0203_duplicate_test",
        "test t() { true }\ntest t() { false }",
    ),
    ("e0203_duplicate_type", "struct P { x: Int }\nenum P { A }"),
    // ---- E0204 unknown module or import
    ("e0204_unknown_module", "use std::nope::{x}"),
    ("e0204_not_std", "use foo::bar"),
    ("e0204_unknown_item", "use std::list::{mapp}"),
    ("e0204_unknown_builtin", "use std::builtin::{sha512}"),
    (
        "e0201_qualified_unknown_item",
        "fn f(xs: List<Int>) -> Int { std::list::size(xs) }",
    ),
    // ---- E0205 private item
    ("e0205_private_import", "use std::list::{secret}"),
    (
        "e0205_private_qualified",
        "fn f() -> Int { std::list::secret() }",
    ),
    // ---- E0206 duplicate binding
    (
        "e0206_pattern",
        "fn f(p: (Int, Int)) -> Int { let (x, x) = p; x }",
    ),
    ("e0206_params", "fn f(a: Int, a: Int) -> Int { a }"),
    (
        "e0206_lambda_params",
        "use std::list::{fold}\nfn f(xs: List<Int>) -> Int { fold(xs, 0, |a, a| a) }",
    ),
    ("e0206_generics", "fn f<T, T>(x: T) -> T { x }"),
    (
        "e0206_list_pattern",
        "fn f(xs: List<Int>) -> Int { match xs { [x, ..x] => 1, _ => 0 } }",
    ),
    // ---- E0301 type mismatch
    ("e0301_operand", "fn f(x: Int) -> Int { x + true }"),
    (
        "e0301_if_branches",
        "fn f(c: Bool) -> Int { let v = if c { 1 } else { false }; v }",
    ),
    (
        "e0301_match_arms",
        "fn f(o: Option<Int>) -> Int { let v = match o { None => 0, Some(_) => #\"00\" }; v }",
    ),
    ("e0301_return", "fn f(x: Int) -> Bool { x }"),
    (
        "e0301_return_in_block",
        "fn f(x: Int) -> Bool { let y = x; y + 1 }",
    ),
    ("e0301_test_body", "test t() { 1 + 1 }"),
    (
        "e0301_condition",
        "fn f(x: Int) -> Int { if x { 1 } else { 2 } }",
    ),
    ("e0301_list_elements", "fn f() -> List<Int> { [1, true] }"),
    ("e0301_compare", "fn f(x: Int) -> Bool { x == #\"00\" }"),
    (
        "e0301_pattern",
        "fn f(x: Int) -> Int { match x { true => 1, _ => 0 } }",
    ),
    (
        "e0301_argument",
        "fn g(b: Bool) -> Bool { b }\nfn f() -> Bool { g(1) }",
    ),
    (
        "e0301_let_annotation",
        "fn f() -> Int { let x: Bool = 1; 2 }",
    ),
    (
        "e0301_list_tail_help",
        "fn f(x: Int, xs: List<Int>) -> List<Int> { [x, ..x] }",
    ),
    (
        "e0301_ctor_pattern_type",
        "fn f(o: Option<Int>) -> Int { match o { Ok(x) => x, _ => 0 } }",
    ),
    ("e0301_generic_rigid", "fn f<T>(x: T) -> Int { x }"),
    (
        "e0301_lambda_body",
        "use std::list::{filter}\nfn f(xs: List<Int>) -> List<Int> { filter(xs, |x| x + 1) }",
    ),
    (
        "e0301_fn_argument_type",
        "use std::list::{map}\nfn neg(b: Bool) -> Bool { !b }\nfn f(xs: List<Int>) -> List<Bool> { map(xs, neg) }",
    ),
    ("e0301_not_operand", "fn f(x: Int) -> Bool { !x }"),
    // ---- E0302 wrong number of arguments
    (
        "e0302_call",
        "fn g(a: Int, b: Int) -> Int { a + b }\nfn f() -> Int { g(1) }",
    ),
    (
        "e0302_generic_call_help",
        "use std::list::{map}\nfn f(xs: List<Int>) -> List<Int> { map(xs) }",
    ),
    ("e0302_constructor", "fn f() -> Option<Int> { Some(1, 2) }"),
    (
        "e0302_pattern",
        "fn f(o: Option<Int>) -> Int { match o { Some(a, b) => a, None => 0 } }",
    ),
    (
        "e0302_pattern_missing_payload",
        "fn f(o: Option<Int>) -> Int { match o { Some => 1, None => 0 } }",
    ),
    (
        "e0302_lambda_params",
        "use std::list::{map}\nfn f(xs: List<Int>) -> List<Int> { map(xs, |a, b| a) }",
    ),
    (
        "e0302_pipe",
        "fn g(a: Int, b: Int) -> Int { a + b }\nfn f() -> Int { 1 |> g(2, 3) }",
    ),
    // ---- E0303 unknown field
    (
        "e0303_literal",
        "struct P { x: Int }\nfn f() -> P { P { x: 1, y: 2 } }",
    ),
    (
        "e0303_access",
        "struct P { owner: Int }\nfn f(p: P) -> Int { p.ownr }",
    ),
    ("e0303_access_on_int", "fn f(x: Int) -> Int { x.value }"),
    (
        "e0303_pattern",
        "struct P { x: Int }\nfn f(p: P) -> Int { match p { P { z, .. } => 1 } }",
    ),
    (
        "e0203_field_given_twice",
        "struct P { x: Int }\nfn f() -> P { P { x: 1, x: 2 } }",
    ),
    // ---- E0304 missing fields
    (
        "e0304_literal",
        "struct P { x: Int, y: Int, z: Int }\nfn f() -> P { P { x: 1 } }",
    ),
    (
        "e0304_pattern",
        "struct P { x: Int, y: Int }\nfn f(p: P) -> Int { let P { x } = p; x }",
    ),
    // ---- E0305 function type where data is required
    (
        "e0305_struct_field",
        "pub struct Handler {\n  run: fn(Int) -> Int,\n}",
    ),
    ("e0305_return_type", "fn f() -> fn(Int) -> Int { 1 }"),
    ("e0305_enum_payload", "enum E { A(fn(Int) -> Int) }"),
    (
        "e0305_type_argument",
        "fn f(o: Option<fn(Int) -> Int>) -> Int { 1 }",
    ),
    (
        "e0305_let_annotation",
        "fn f() -> Int { let g: fn(Int) -> Int = 1; 1 }",
    ),
    (
        "e0305_nested_fn_type",
        "fn f(g: fn(fn(Int) -> Int) -> Int) -> Int { 1 }",
    ),
    (
        "e0305_some_of_function",
        "fn f(g: fn(Int) -> Int) -> Int { let o = Some(g); 1 }",
    ),
    (
        "e0305_generic_identity",
        "fn id<T>(x: T) -> T { x }\nfn inc(x: Int) -> Int { x + 1 }\nfn f() -> Int { let h = id(inc); 1 }",
    ),
    (
        "e0308_list_of_functions",
        "fn inc(x: Int) -> Int { x + 1 }\nfn f() -> Int { let l = [inc]; 1 }",
    ),
    (
        "e0308_compare_functions",
        "fn f(g: fn(Int) -> Int) -> Bool { g == g }",
    ),
    (
        "e0305_lambda_to_generic",
        "fn id<T>(x: T) -> T { x }\nfn f() -> Int { let h = id(|x| x); 1 }",
    ),
    // ---- E0306 wrong number of type arguments
    ("e0306_missing", "fn f(x: List) -> Int { 1 }"),
    ("e0306_on_int", "fn f(x: Int<Bool>) -> Int { 1 }"),
    ("e0306_too_many", "fn f(x: Option<Int, Int>) -> Int { 1 }"),
    ("e0306_on_type_param", "fn f<T>(x: T<Int>) -> Int { 1 }"),
    // ---- E0307 not a function
    ("e0307_call_int_local", "fn f(x: Int) -> Int { x(1) }"),
    (
        "e0307_call_result",
        "fn g() -> Int { 1 }\nfn f() -> Int { g()(2) }",
    ),
    // ---- E0308 function value outside a call argument
    (
        "e0308_let_bound_function",
        "fn inc(x: Int) -> Int { x + 1 }\nfn f() -> Int { let g = inc; 1 }",
    ),
    (
        "e0308_let_bound_lambda",
        "fn f() -> Int { let g = |x| x; 1 }",
    ),
    (
        "e0308_returned_param",
        "fn f(g: fn(Int) -> Int) -> Int { g }",
    ),
    (
        "e0305_function_to_int_param",
        "fn inc(x: Int) -> Int { x + 1 }\nfn g(n: Int) -> Int { n }\nfn f() -> Int { g(inc) }",
    ),
    (
        "e0302_unapplied_constructor",
        "fn f() -> Option<Int> { let s = Some; None }",
    ),
    (
        "e0305_lambda_to_int_param",
        "fn g(n: Int) -> Int { n }\nfn f() -> Int { g(|x| x) }",
    ),
    // ---- E0309 infinite type
    (
        "e0309_list_of_itself",
        "fn f() -> Int { let a = []; let b = [a, ..a]; 1 }",
    ),
    // ---- E0310 cannot infer
    (
        "e0310_field_of_unknown",
        "fn f() -> Int { let xs = []; match xs { [e, ..] => e.owner, [] => 0 } }",
    ),
    (
        "e0310_exponential_type",
        "fn f() -> Int {\n  let a = (1, 1); let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a);\n  let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a);\n  let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a);\n  let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a); let a = (a, a);\n  1\n}",
    ),
    // ---- added with the spec's rules
    (
        "ok_empty_lists_compare",
        "test t() { [] == [] && std::list::length([]) == 0 }",
    ),
    (
        "ok_builtin_as_argument",
        "use std::builtin::{bytes_length}\nuse std::list::map\nfn lengths(keys: List<Bytes>) -> List<Int> { map(keys, bytes_length) }",
    ),
    (
        "ok_local_hides_prelude",
        "enum Reading { None, Value(Int) }\nfn v(r: Reading) -> Int { match r { None => 0, Value(v) => v } }",
    ),
    (
        "ok_local_hides_function",
        "use std::list::length\nfn f(xs: List<Int>) -> Int { let n = length(xs); let length = n * 2; length }",
    ),
    (
        "ok_qualified_constructor",
        "fn f() -> Option<Int> { std::prelude::Some(1) }\nfn g(o: Option<Int>) -> Int { match o { std::prelude::Some(x) => x, _ => 0 } }",
    ),
    (
        "ok_struct_and_variant_share_a_name",
        "struct Point { x: Int }\nenum Shape { Point(Int) }\nfn f(p: Point) -> Shape { Point(p.x) }",
    ),
    ("e0203_reserved_type_name", "struct Int { x: Bool }"),
    (
        "e0203_reserved_type_parameter",
        "fn f<Bool>(x: Bool) -> Bool { x }",
    ),
    (
        "e0203_pattern_field_twice",
        "struct P { x: Int }\nfn f(p: P) -> Int { let P { x, x: y } = p; y }",
    ),
    (
        "e0203_imported_twice",
        "use std::list::{map}\nuse std::list::map",
    ),
    ("e0204_use_module_without_items", "use std::lists"),
    (
        "e0305_higher_order_fn_as_value",
        "fn apply(f: fn(Int) -> Int, x: Int) -> Int { f(x) }\nfn g(h: fn(Int) -> Int) -> Int { h(1) }\nfn k() -> Int { g(apply) }",
    ),
    (
        "e0305_tuple_type_with_function",
        "fn f(p: (Int, fn(Int) -> Int)) -> Int { 1 }",
    ),
    (
        "e0307_nullary_constructor_call",
        "fn f() -> Option<Int> { None() }",
    ),
    (
        "e0307_pipe_into_non_callable",
        "fn g(a: Int, b: Int) -> Int { a + b }\nfn f(x: Int) -> Int { x |> g(1) + 1 }",
    ),
    (
        "e0308_function_in_tuple",
        "fn inc(x: Int) -> Int { x + 1 }\nfn f() -> Int { let p = (1, inc); 1 }",
    ),
    (
        "e0308_function_in_match_arm",
        "fn f(g: fn(Int) -> Int, b: Bool) -> Int { let h = match b { true => g, false => 1 }; 1 }",
    ),
    (
        "e0310_lambda_before_data",
        "struct Entry { owner: Bytes, amount: Int }\nfn apply_to<T>(f: fn(T) -> Int, x: T) -> Int { f(x) }\nfn amount_of(e: Entry) -> Int { apply_to(|x| x.amount, e) }",
    ),
    (
        "e0301_no_let_generalisation",
        "fn f() -> (List<Int>, List<Bool>) { let empty = []; ([1, ..empty], [true, ..empty]) }",
    ),
    ("e0301_bytes_plus", "fn f(a: Bytes) -> Bytes { a + a }"),
    // ---- E0401 non-exhaustive match, W0402 unreachable arm, E0403 refutable let
    (
        "ok_exhaustive_nested",
        "fn f(o: Option<(Int, Bool)>) -> Int { match o { None => 0, Some((n, true)) => n, Some((_, false)) => 1 } }",
    ),
    (
        "ok_exhaustive_lists",
        "fn f(xs: List<Int>) -> Int { match xs { [] => 0, [a] => a, [a, b, ..rest] => a + b } }",
    ),
    (
        "ok_irrefutable_lets",
        "struct P { x: Int, y: Int }\nenum W { W(Int) }\nfn f(p: P, q: (Int, Int), w: W) -> Int { let P { x, .. } = p; let (a, b) = q; let W(c) = w; x + a + b + c }",
    ),
    (
        "ok_empty_enum_empty_match",
        "enum Never {}\nfn f(n: Never) -> Int { match n {} }",
    ),
    (
        "e0401_missing_variant",
        "fn get(o: Option<Int>) -> Int {\n  match o {\n    None => 0,\n  }\n}",
    ),
    (
        "e0401_nested_witness",
        "fn pick(o: Option<Int>, b: Bool) -> Int {\n  match (o, b) {\n    (Some(x), true) => x,\n    (None, _) => 0,\n  }\n}",
    ),
    (
        "e0401_list_witness",
        "fn f(xs: List<Int>) -> Int { match xs { [] => 0, [a] => a } }",
    ),
    (
        "e0401_int_literals",
        "fn f(n: Int) -> Int { match n { 0 => 1, 1 => 2 } }",
    ),
    (
        "e0401_struct_witness",
        "struct P { x: Bool, y: Bool }\nfn f(p: P) -> Int { match p { P { x: true, .. } => 1, P { y: true, .. } => 2 } }",
    ),
    (
        "w0402_after_wildcard",
        "fn describe(b: Bool) -> Int {\n  match b {\n    _ => 0,\n    true => 1,\n  }\n}",
    ),
    (
        "w0402_covered_by_earlier_arms",
        "fn f(o: Option<Int>) -> Int { match o { Some(_) => 1, None => 0, Some(3) => 2 } }",
    ),
    (
        "e0403_refutable_let",
        "fn unwrap(o: Option<Int>) -> Int {\n  let Some(x) = o;\n  x\n}",
    ),
    (
        "e0403_literal_in_let",
        "fn f(p: (Int, Int)) -> Int { let (0, y) = p; y }",
    ),
    (
        "recovery_bad_pattern_is_a_wildcard",
        "fn f(o: Option<Int>) -> Int { match o { Som(x) => 1, None => 0 } }",
    ),
    // ---- error recovery: one mistake, one diagnostic
    (
        "recovery_parse_error_no_type_errors",
        "fn f(x: Int) -> Int { x + }\nfn g() -> Bool { 1 }",
    ),
    (
        "recovery_unresolved_in_arithmetic",
        "fn f() -> Int { y + 1 + y * 2 }",
    ),
    (
        "recovery_unknown_callee_lambda",
        "fn f(xs: List<Int>) -> Int { foo(xs, |x| x.bar) }",
    ),
    (
        "recovery_bad_type_in_signature",
        "fn f(x: Foo) -> Int { x + x.field }\nfn g() -> Int { f(1) }",
    ),
    (
        "recovery_arity_still_checks_args",
        "fn g(a: Int, b: Bool) -> Int { a }\nfn f() -> Int { g(true) }",
    ),
    (
        "recovery_mismatch_once",
        "fn f(x: Int) -> Int { let y = x == true; if y { 1 } else { 2 } }",
    ),
];

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    for (name, src) in FIXTURES {
        let out = check(src);
        if name.starts_with("ok_") && !out.is_empty() {
            failures.push(format!("{name} should check clean:\n{out}"));
        }
        if !name.starts_with("ok_") && !name.starts_with("recovery_") {
            let code = name[..5].to_uppercase();
            if !out.starts_with(&code) || out.lines().filter(|l| !l.starts_with(' ')).count() != 1 {
                failures.push(format!("{name} should give exactly one {code}:\n{out}"));
            }
        }
        insta::assert_snapshot!(*name, format!("{src}\n---\n{out}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
