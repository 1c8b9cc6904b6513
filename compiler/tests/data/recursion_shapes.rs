// Recursion shapes the termination checker accepts, one `(name, program)`
// per shape. Shared data: the totality unit tests check that the front end
// accepts each (compiler/src/totality/tests.rs), and the codegen tests that
// each compiles to bytecode the verifier accepts (compiler/tests/codegen.rs).
&[
    ("no_recursion", "fn id(x: Int) -> Int { x } fn twice(x: Int) -> Int { id(id(x)) }"),
    (
        "nested_list_pattern",
        "fn pairs(xs: List<Int>) -> Int { match xs { [a, b, ..rest] => a + b + pairs(rest), _ => 0 } }",
    ),
    (
        "nested_constructor_pattern",
        "fn skip(o: List<Option<List<Int>>>) -> Int {
           match o { [Some([_, ..inner]), ..rest] => skip(rest), [None, ..rest] => skip(rest), _ => 0 }
         }",
    ),
    (
        "let_alias",
        "fn f(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..rest] => { let r = rest; let s = r; f(s) } } }",
    ),
    (
        "let_tuple_of_parameters",
        "fn zip_len(xs: List<Int>, ys: List<Int>) -> Int {
           let (a, b) = (xs, ys);
           match a { [] => 0, [_, ..r] => match b { [] => 0, [_, ..s] => 1 + zip_len(r, s) } }
         }",
    ),
    (
        "let_tuple_pattern_on_parameter",
        "fn f(pair: (List<Int>, Int)) -> Int {
           let (xs, n) = pair;
           match xs { [] => n, [p, ..rest] => g(rest) }
         }
         fn g(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..rest] => g(rest) } }",
    ),
    (
        "tuple_scrutinee_merge",
        "fn merge(xs: List<Int>, ys: List<Int>) -> List<Int> {
           match (xs, ys) {
             ([], _) => ys,
             (_, []) => xs,
             ([x, ..xr], [y, ..yr]) => if x <= y { [x, ..merge(xr, ys)] } else { [y, ..merge(xs, yr)] },
           }
         }",
    ),
    (
        "struct_pattern_and_field_access",
        "pub struct Rose { label: Int, kids: List<Rose> }
         fn size(t: Rose) -> Int { 1 + size_all(t.kids) }
         fn size_all(ts: List<Rose>) -> Int {
           match ts { [] => 0, [t, ..rest] => size(t) + size_all(rest) }
         }
         fn labels(ts: List<Rose>) -> Int {
           match ts { [] => 0, [Rose { label, kids: inner }, ..rest] => label + labels(inner) + labels(rest) }
         }
         fn owners(ts: List<Rose>) -> Int {
           match ts { [] => 0, [Rose { kids, .. }, ..rest] => owners(kids) + owners(rest) }
         }",
    ),
    (
        "tree_two_calls",
        "pub enum Tree { Leaf, Node(Tree, Int, Tree) }
         fn tree_sum(t: Tree) -> Int { match t { Leaf => 0, Node(l, v, r) => tree_sum(l) + v + tree_sum(r) } }",
    ),
    (
        "three_way_mutual_recursion",
        "fn a(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..r] => b(r) } }
         fn b(xs: List<Int>) -> Int { c(xs) }
         fn c(xs: List<Int>) -> Int { a(xs) }",
    ),
    (
        "lexicographic_lists",
        "fn lex(xs: List<Int>, ys: List<Int>) -> Int {
           match xs {
             [] => 0,
             [_, ..xr] => match ys { [] => lex(xr, [1, 2, 3]), [_, ..yr] => lex(xs, yr) },
           }
         }",
    ),
    (
        "piped_recursive_call",
        "fn f(xs: List<Int>) -> Int { match xs { [] => 0, [_, ..rest] => rest |> f } }
         fn g(xs: List<Int>, k: Int) -> Int { match xs { [] => k, [_, ..rest] => rest |> g(k + 1) } }",
    ),
    (
        "lambda_captures_smaller_value",
        "use std::list::{map}
         fn f(xs: List<Int>) -> List<Int> { match xs { [] => [], [_, ..rest] => map(rest, |y| y + sum(f(rest))) } }
         fn sum(xs: List<Int>) -> Int { match xs { [] => 0, [x, ..rest] => x + sum(rest) } }",
    ),
    (
        "function_value_outside_a_cycle",
        "use std::list::{fold}
         fn step(acc: Int, x: Int) -> Int { acc + x }
         fn total(xs: List<Int>) -> Int { fold(xs, 0, step) }",
    ),
    (
        "parameter_shadows_function",
        "fn go(go: fn(Int) -> Int, n: Int) -> Int { go(n) }",
    ),
    (
        "local_shadows_function",
        "fn f(xs: List<Int>, g: fn(Int) -> Int) -> Int { let f = g; 0 }",
    ),
    ("tests_are_not_called", "fn f(n: Int) -> Int { n } test t() { f(1) == 1 }"),
    ("int_le_zero", "fn f(n: Int) -> Int { if n <= 0 { 0 } else { f(n - 1) } }"),
    ("int_lt_one", "fn f(n: Int) -> Int { if n < 1 { 0 } else { f(n - 1) } }"),
    ("int_mirrored_ge", "fn f(n: Int) -> Int { if 0 >= n { 0 } else { f(n - 1) } }"),
    ("int_mirrored_gt", "fn f(n: Int) -> Int { if 0 > n { 0 } else { f(n - 1) } }"),
    ("int_gt_then", "fn f(n: Int) -> Int { if n > 0 { f(n - 1) } else { 0 } }"),
    ("int_ge_then", "fn f(n: Int) -> Int { if n >= 1 { f(n - 1) } else { 0 } }"),
    ("int_mirrored_lt_then", "fn f(n: Int) -> Int { if 0 < n { f(n - 1) } else { 0 } }"),
    // Stops: once `n` reaches -1 the guard fails.
    ("int_ge_zero_then", "fn f(n: Int) -> Int { if n >= 0 { f(n - 1) } else { 0 } }"),
    ("int_mirrored_le_then", "fn f(n: Int) -> Int { if 0 <= n { f(n - 1) } else { 0 } }"),
    ("int_negative_bound", "fn f(n: Int) -> Int { if n > -1 { f(n - 1) } else { 0 } }"),
    ("int_and_in_then", "fn f(n: Int, b: Bool) -> Int { if n >= 0 && b { f(n - 1, b) } else { 0 } }"),
    ("int_or_in_else", "fn f(n: Int, b: Bool) -> Int { if n <= 0 || b { 0 } else { f(n - 1, b) } }"),
    ("int_not", "fn f(n: Int) -> Int { if !(n <= 0) { f(n - 1) } else { 0 } }"),
    (
        "int_nested_ifs",
        "fn f(n: Int) -> Int { if n <= 0 { 0 } else if n == 5 { 1 } else { f(n - 1) } }",
    ),
    ("int_guard_outside_match", "fn f(n: Int) -> Int { if n > 0 { match n { 3 => 1, _ => f(n - 1) } } else { 0 } }"),
    ("int_alias", "fn f(n: Int) -> Int { let m = n; if m <= 0 { 0 } else { f(m - 1) } }"),
    ("int_larger_step", "fn f(n: Int) -> Int { if n <= 1 { 0 } else { f(n - 2) + f(n - 1 - 1) } }"),
    ("int_offset_local", "fn f(n: Int) -> Int { let m = n - 1; if m < 0 { 0 } else { f(m) } }"),
    ("int_and_short_circuit", "fn f(n: Int) -> Bool { n > 0 && f(n - 1) }"),
    ("int_or_short_circuit", "fn f(n: Int) -> Bool { n <= 0 || f(n - 1) }"),
    (
        "fib_and_sum_to",
        "fn fib(n: Int) -> Int { if n <= 1 { n } else { fib(n - 1) + fib(n - 2) } }
         fn sum_to(n: Int) -> Int { if n <= 0 { 0 } else { n + sum_to(n - 1) } }",
    ),
    (
        "ackermann_int",
        "fn ack(m: Int, n: Int) -> Int {
           if m <= 0 { n + 1 } else if n <= 0 { ack(m - 1, 1) } else { ack(m - 1, ack(m, n - 1)) }
         }",
    ),
    (
        "int_mutual_descent",
        "fn even(n: Int) -> Bool { if n <= 0 { true } else { odd(n - 1) } }
         fn odd(n: Int) -> Bool { if n <= 0 { false } else { even(n - 1) } }",
    ),
    (
        "int_unguarded_but_list_decreases",
        "fn f(m: Int, xs: List<Int>) -> Int { match xs { [] => m, [_, ..r] => f(m - 1, r) } }",
    ),
    (
        "int_and_list_mixed",
        "fn take(xs: List<Int>, n: Int) -> List<Int> {
           if n <= 0 { [] } else { match xs { [] => [], [x, ..rest] => [x, ..take(rest, n - 1)] } }
         }",
    ),
]
