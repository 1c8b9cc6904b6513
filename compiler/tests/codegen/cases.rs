//! The table of small programs and their expected results.

/// `(body of main with its return type, expected result)`; each program
/// may define helpers after the `;;` separator.
pub const CASES: &[(&str, &str, &str)] = &[
    ("Int", "{ let W(x) = W(4); x } ;; enum W { W(Int) }", "4"),
    ("Int", "{ let () = (); let (a, _) = (1, 2); a }", "1"),
    (
        "Int",
        "f(Pair { a: 1, b: true }) ;; struct Pair<A, B> { a: A, b: B } fn f<A>(p: Pair<A, Bool>) -> Int { match p { Pair { b: true, .. } => 1, Pair { .. } => 0 } }",
        "1",
    ),
    ("(Int, Int)", "match (1, 2) { t => t }", "(1, 2)"),
    (
        "Int",
        "match match 3 { 3 => Some(1), _ => None } { Some(x) => x, None => 0 }",
        "1",
    ),
    ("E", "E {} ;; struct E {}", "E {}"),
    (
        "Int",
        "f(false) + f(true) ;; fn f(b: Bool) -> Int { match b { true => 1, false => 2 } }",
        "3",
    ),
    (
        "Int",
        "f([#\"01\", #\"02\"]) ;; fn f(xs: List<Bytes>) -> Int { match xs { [#\"01\", ..rest] => 1 + f(rest), [_, ..rest] => 10 + f(rest), [] => 0 } }",
        "11",
    ),
    // An arm reached from two leaves of the decision tree (shared body).
    (
        "Int",
        "f([1, 2], [3]) ;; fn f(xs: List<Int>, ys: List<Int>) -> Int { match (xs, ys) { ([], []) => 0, (_, [y, ..r]) => y + f(xs, r), ([x, ..r], []) => x + f(r, ys) } }",
        "6",
    ),
    ("Int", "1 + 2 * 3", "7"),
    ("Int", "(1 + 2) * 3 - 10", "-1"),
    ("Int", "-7 / 2", "-3"),
    ("Int", "-7 % 2", "-1"),
    ("Int", "7 % -2", "1"),
    (
        "Int",
        "170141183460469231731687303715884105727",
        "170141183460469231731687303715884105727",
    ),
    (
        "Int",
        "-170141183460469231731687303715884105727 - 1",
        "-170141183460469231731687303715884105728",
    ),
    (
        "Int",
        "170141183460469231731687303715884105727 + 1",
        "trap: Overflow",
    ),
    (
        "Int",
        "{ let m = -170141183460469231731687303715884105727 - 1; m / -1 }",
        "trap: Overflow",
    ),
    (
        "Int",
        "{ let m = -170141183460469231731687303715884105727 - 1; m % -1 }",
        "trap: Overflow",
    ),
    ("Int", "{ let z = 0; 5 / z }", "trap: DivisionByZero"),
    ("Int", "{ let z = 0; 5 % z }", "trap: DivisionByZero"),
    (
        "Int",
        "{ let m = -170141183460469231731687303715884105727 - 1; -m }",
        "trap: Overflow",
    ),
    (
        "Int",
        "9223372036854775807 + 9223372036854775807",
        "18446744073709551614",
    ),
    (
        "Bool",
        "3 > 2 && 2 >= 2 && 1 < 2 && 2 <= 2 && !(1 > 2)",
        "true",
    ),
    ("Bool", "1 == 2 || 2 != 2", "false"),
    ("Bool", "{ let z = 0; z == 1 && 1 / z == 1 }", "false"),
    ("Bool", "{ let z = 0; z == 0 || 1 / z == 1 }", "true"),
    (
        "Bool",
        "[1, 2] == [1, 2] && (1, #\"00\") != (1, #\"01\")",
        "true",
    ),
    ("()", "()", "()"),
    ("Bytes", "#\"00ff\"", "#\"00ff\""),
    ("(Int, Bool, Bytes)", "(1, true, #\"\")", "(1, true, #\"\")"),
    ("List<Int>", "[1, 2, ..[3]]", "[1, 2, 3]"),
    ("List<List<Int>>", "[[], [1]]", "[[], [1]]"),
    ("Option<Int>", "Some(4)", "Some(4)"),
    ("Result<Int, Bool>", "Err(false)", "Err(false)"),
    ("Int", "if 1 < 2 { 10 } else { 20 }", "10"),
    ("Int", "{ let (a, b) = (3, 4); a * b }", "12"),
    (
        "Int",
        "{ let P { x, y } = P { y: 2, x: 5 }; x - y } ;; struct P { x: Int, y: Int }",
        "3",
    ),
    (
        "P",
        "P { x: 1, ..P { x: 7, y: 8 } } ;; struct P { x: Int, y: Int }",
        "P { x: 1, y: 8 }",
    ),
    (
        "Int",
        "P { x: 1, y: 2 }.y ;; struct P { x: Int, y: Int }",
        "2",
    ),
    (
        "Int",
        "f(Some(3)) + f(None) ;; fn f(o: Option<Int>) -> Int { match o { Some(x) => x, None => 100 } }",
        "103",
    ),
    (
        "Int",
        "f(0) + f(1) + f(7) + f(-2) ;; fn f(n: Int) -> Int { match n { 0 => 1, 1 => 10, -2 => 1000, _ => 100 } }",
        "1111",
    ),
    (
        "Int",
        "f(#\"00\") + f(#\"01\") ;; fn f(b: Bytes) -> Int { match b { #\"00\" => 1, _ => 2 } }",
        "3",
    ),
    (
        "Int",
        "f(true, false) + f(false, false) + f(true, true) ;; fn f(a: Bool, b: Bool) -> Int { match (a, b) { (true, false) => 1, (_, true) => 10, _ => 100 } }",
        "111",
    ),
    (
        "Int",
        "f(170141183460469231731687303715884105727) + f(1) ;; fn f(n: Int) -> Int { match n { 170141183460469231731687303715884105727 => 1, _ => 2 } }",
        "3",
    ),
    (
        "List<Int>",
        "[f([]), f([1]), f([1, 2]), f([1, 2, 3])] ;; fn f(xs: List<Int>) -> Int { match xs { [] => 0, [a] => a, [a, b] => a + b, [a, b, ..rest] => a * b * 100 } }",
        "[0, 1, 3, 200]",
    ),
    (
        "Int",
        "g(S { a: 1, b: Some(2), c: 3 }) ;; struct S { a: Int, b: Option<Int>, c: Int } fn g(s: S) -> Int { match s { S { b: Some(x), .. } => x, S { a, .. } => a } }",
        "2",
    ),
    (
        "Int",
        "z([(1, Some(2)), (3, None)]) ;; fn z(xs: List<(Int, Option<Int>)>) -> Int { match xs { [] => 0, [(a, Some(b)), ..rest] => a + b + z(rest), [(a, None), ..rest] => a + z(rest) } }",
        "6",
    ),
    (
        "Int",
        "f(Three(1, 2, 3)) + f(One) ;; enum E { One, Three(Int, Int, Int) } fn f(e: E) -> Int { match e { One => 1, Three(_, b, _) => b } }",
        "3",
    ),
    (
        "Int",
        "sum_to(10000) ;; fn sum_to(n: Int) -> Int { if n <= 0 { 0 } else { n + sum_to(n - 1) } }",
        "50005000",
    ),
    (
        "Int",
        "go(10000000, 0) ;; fn go(n: Int, acc: Int) -> Int { if n <= 0 { acc } else { go(n - 1, acc + n) } }",
        "50000005000000",
    ),
    (
        "Int",
        "fold(range(1000000), 0, |a, x| a + x) ;; use std::list::{fold, range}",
        "499999500000",
    ),
    (
        "Int",
        "length(map(range(1000000), |x| x + 1)) ;; use std::list::{length, map, range}",
        "1000000",
    ),
    (
        "Int",
        "f(5, 1) ;; fn f(n: Int, k: Int) -> Int { if 0 >= n { 0 } else { k + f(n - 1, k) } }",
        "5",
    ),
    (
        "Int",
        "f(5) ;; fn f(n: Int) -> Int { if n > 0 && true { 1 + f(n - 1) } else { 0 } }",
        "5",
    ),
    (
        "Int",
        "f(5) ;; fn f(n: Int) -> Int { if !(n <= 0) { 1 + f(n - 2) } else { 0 } }",
        "3",
    ),
    (
        "Bool",
        "even(10) ;; fn even(n: Int) -> Bool { if n <= 0 { true } else { odd(n - 1) } } fn odd(n: Int) -> Bool { if n <= 0 { false } else { even(n - 1) } }",
        "true",
    ),
    (
        "Int",
        "scale([1, 2, 3], 10) ;; use std::list::{fold, map} fn scale(xs: List<Int>, k: Int) -> Int { xs |> map(|x| x * k) |> fold(0, |a, x| a + x * k) }",
        "600",
    ),
    (
        "Int",
        "twice(3, |x| x * 2) + twice(3, inc) ;; fn inc(x: Int) -> Int { x + 1 } fn twice(x: Int, f: fn(Int) -> Int) -> Int { f(f(x)) }",
        "17",
    ),
    (
        "Int",
        "outer([1, 2], 5) ;; use std::list::{map, sum} fn outer(xs: List<Int>, k: Int) -> Int { apply(xs, |x| x + k) } fn apply(xs: List<Int>, g: fn(Int) -> Int) -> Int { sum(map(xs, |y| g(y) * 2)) }",
        "26",
    ),
    (
        "Int",
        "nest([1, 2], [10, 20]) ;; use std::list::{map, sum} fn nest(xs: List<Int>, ys: List<Int>) -> Int { sum(map(xs, |x| sum(map(ys, |y| x * y)))) }",
        "90",
    ),
    ("Int", "length(#\"00ff\") ;; use std::bytes::{length}", "2"),
    (
        "List<Int>",
        "map([#\"\", #\"0102\"], bytes_length) ;; use std::list::{map} use std::builtin::{bytes_length}",
        "[0, 2]",
    ),
    (
        "List<Bool>",
        "map([true], id) ;; use std::list::{map} fn id<T>(x: T) -> T { x }",
        "[true]",
    ),
    (
        "Int",
        "both(2, |x| x + a(), |y| y * b()) ;; fn a() -> Int { 10 } fn b() -> Int { 100 } fn both(x: Int, f: fn(Int) -> Int, g: fn(Int) -> Int) -> Int { g(f(x)) }",
        "1200",
    ),
    (
        "Int",
        "{ let k = 3; let m = 4; both(2, |x| x + k, |y| y * m) } ;; fn both(x: Int, f: fn(Int) -> Int, g: fn(Int) -> Int) -> Int { g(f(x)) + pass(x, g) } fn pass(x: Int, h: fn(Int) -> Int) -> Int { h(x) }",
        "28",
    ),
    (
        "Int",
        "{ let k = 5; fold([1, 2], 0, |acc, x| acc + x * k) } ;; use std::list::{fold}",
        "15",
    ),
    (
        "Option<Int>",
        "and_then(Some(2), |x| if x > 1 { Some(x * 10) } else { None }) ;; use std::option::{and_then}",
        "Some(20)",
    ),
    (
        "Int",
        "f([1, 2, 3]) ;; fn apply(x: Int, k: fn(Int) -> Int) -> Int { k(x) } fn f(xs: List<Int>) -> Int { match xs { [] => 0, [x, ..rest] => apply(x, |y| y + f(rest)) } }",
        "6",
    ),
    (
        "Bytes",
        "sha256(#\"\") ;; use std::builtin::{sha256}",
        "#\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
    ),
    (
        "Bytes",
        "bytes_slice(#\"00112233\", -5, 170141183460469231731687303715884105727) ;; use std::builtin::{bytes_slice}",
        "#\"00112233\"",
    ),
    (
        "Bytes",
        "bytes_concat(#\"00\", #\"11\") ;; use std::builtin::{bytes_concat}",
        "#\"0011\"",
    ),
    (
        "Int",
        "size(Node([Node([]), Node([Node([])])])) ;; enum T { Node(List<T>) } fn size(t: T) -> Int { match t { Node(kids) => 1 + all(kids) } } fn all(ts: List<T>) -> Int { match ts { [] => 0, [t, ..rest] => size(t) + all(rest) } }",
        "4",
    ),
    (
        "Int",
        "len(Some([1, 2])) ;; use std::list::{length} fn len<T>(o: Option<List<T>>) -> Int { match o { None => 0, Some(xs) => length(xs) } }",
        "2",
    ),
];
