//! Table-driven cases: one match each, with the exact expected report.

use super::toy::*;
use crate::exhaustive::engine::{Engine, WILD};
use crate::exhaustive::witness::{Node, print};
use crate::exhaustive::{
    Constructor, DEFAULT_BUDGET, MatchReport, Pattern, TooComplex, analyse_match, check_match,
    is_irrefutable, refuting_witnesses,
};

/// One match: the scrutinee type, the arms, and the expected verdict.
struct Case {
    name: &'static str,
    ty: Ty,
    arms: Vec<Pattern>,
    unreachable: Vec<usize>,
    missing: Vec<&'static str>,
}

fn case(
    name: &'static str,
    ty: Ty,
    arms: Vec<Pattern>,
    unreachable: &[usize],
    missing: &[&'static str],
) -> Case {
    Case {
        name,
        ty,
        arms,
        unreachable: unreachable.to_vec(),
        missing: missing.to_vec(),
    }
}

fn bb() -> Ty {
    tuple(&[Ty::Bool, Ty::Bool])
}

fn cases() -> Vec<Case> {
    vec![
        // Exhaustive matches.
        case(
            "option_both",
            option(Ty::Int),
            vec![none(), some(w())],
            &[],
            &[],
        ),
        case("option_wild", option(Ty::Int), vec![w()], &[], &[]),
        case("bool_both", Ty::Bool, vec![b(false), b(true)], &[], &[]),
        case(
            "bool_pairs_all_four",
            bb(),
            vec![
                tup(vec![b(true), b(true)]),
                tup(vec![b(true), b(false)]),
                tup(vec![b(false), b(true)]),
                tup(vec![b(false), b(false)]),
            ],
            &[],
            &[],
        ),
        case(
            "list_nil_cons",
            list(Ty::Int),
            vec![lst(vec![], None), lst(vec![w()], Some(w()))],
            &[],
            &[],
        ),
        case(
            "list_by_length",
            list(Ty::Int),
            vec![
                lst(vec![], None),
                lst(vec![w()], None),
                lst(vec![w(), w()], Some(w())),
            ],
            &[],
            &[],
        ),
        case(
            "tree_nested",
            Ty::Tree,
            vec![
                leaf(),
                node(leaf(), w(), w()),
                node(node(w(), w(), w()), w(), w()),
            ],
            &[],
            &[],
        ),
        case(
            "shape_all",
            Ty::Shape,
            vec![
                dot(),
                circle(w()),
                rect(b(true), w()),
                rect(b(false), int(3)),
                rect(w(), w()),
            ],
            &[],
            &[],
        ),
        case(
            "point_split_on_bool",
            Ty::Point,
            vec![
                point(w(), b(true)),
                point(int(0), b(false)),
                point(w(), b(false)),
            ],
            &[],
            &[],
        ),
        case("unit", tuple(&[]), vec![tup(vec![])], &[], &[]),
        case(
            "wrap",
            wrap_ty(Ty::Bool),
            vec![wrap(b(true)), wrap(b(false))],
            &[],
            &[],
        ),
        case("never_no_arms", Ty::Never, vec![], &[], &[]),
        case(
            "int_with_wild",
            Ty::Int,
            vec![int(0), int(1), w()],
            &[],
            &[],
        ),
        // Missing witnesses.
        case(
            "reject_example",
            option(Ty::Int),
            vec![none()],
            &[],
            &["Some(_)"],
        ),
        case(
            "option_some_only",
            option(Ty::Int),
            vec![some(w())],
            &[],
            &["None"],
        ),
        case(
            "option_some_literal",
            option(Ty::Int),
            vec![none(), some(int(0))],
            &[],
            &["Some(_)"],
        ),
        case(
            "option_tree_whole_subtree_missing",
            option(Ty::Tree),
            vec![none()],
            &[],
            &["Some(_)"],
        ),
        case(
            "option_tree_node_missing",
            option(Ty::Tree),
            vec![none(), some(leaf())],
            &[],
            &["Some(Node(_, _, _))"],
        ),
        case(
            "tree_leaf_only",
            Ty::Tree,
            vec![leaf()],
            &[],
            &["Node(_, _, _)"],
        ),
        case(
            "tree_deep_missing",
            Ty::Tree,
            vec![
                leaf(),
                node(leaf(), w(), w()),
                node(w(), w(), node(w(), w(), w())),
            ],
            &[],
            &["Node(Node(_, _, _), _, Leaf)"],
        ),
        case(
            "bool_pair_one_missing",
            bb(),
            vec![tup(vec![b(true), b(true)]), tup(vec![b(false), w()])],
            &[],
            &["(true, false)"],
        ),
        case(
            "bool_pair_two_missing",
            bb(),
            vec![tup(vec![b(true), b(true)])],
            &[],
            &["(false, _)", "(true, false)"],
        ),
        case("bool_true_only", Ty::Bool, vec![b(true)], &[], &["false"]),
        case("no_arms", option(Ty::Shape), vec![], &[], &["_"]),
        case(
            "list_nil_only",
            list(Ty::Int),
            vec![lst(vec![], None)],
            &[],
            &["[_, ..]"],
        ),
        case(
            "list_cons_only",
            list(Ty::Int),
            vec![lst(vec![w()], Some(w()))],
            &[],
            &["[]"],
        ),
        case(
            "list_nil_and_singleton",
            list(Ty::Int),
            vec![lst(vec![], None), lst(vec![w()], None)],
            &[],
            &["[_, _, ..]"],
        ),
        case(
            "list_bool_head",
            list(Ty::Bool),
            vec![lst(vec![], None), lst(vec![b(true)], Some(w()))],
            &[],
            &["[false, ..]"],
        ),
        case(
            "shape_dot_only",
            Ty::Shape,
            vec![dot()],
            &[],
            &["Circle(_)", "Rect(_, _)"],
        ),
        case(
            "shape_circle_only",
            Ty::Shape,
            vec![circle(w())],
            &[],
            &["Dot", "Rect(_, _)"],
        ),
        case(
            "shape_rect_false_missing",
            Ty::Shape,
            vec![dot(), circle(w()), rect(b(true), w())],
            &[],
            &["Rect(false, _)"],
        ),
        case(
            "at_most_three_witnesses",
            tuple(&[Ty::Shape, Ty::Shape]),
            vec![tup(vec![dot(), dot()])],
            &[],
            &["(Circle(_), _)", "(Rect(_, _), _)", "(Dot, Circle(_))"],
        ),
        case(
            "point_literals",
            Ty::Point,
            vec![point(int(0), b(true))],
            &[],
            &["Point { x: _, y: _ }", "Point { x: 0, y: false }"],
        ),
        case(
            "wrap_missing",
            wrap_ty(option(Ty::Bool)),
            vec![wrap(none()), wrap(some(b(true)))],
            &[],
            &["Wrap(Some(false))"],
        ),
        // Literal patterns: infinite sets need a wildcard.
        case(
            "int_literals",
            Ty::Int,
            vec![int(0), int(1), int(-5)],
            &[],
            &["_"],
        ),
        case(
            "bytes_literals",
            Ty::Bytes,
            vec![bytes(&[]), bytes(&[0, 255])],
            &[],
            &["_"],
        ),
        case(
            "int_bool_pair",
            tuple(&[Ty::Int, Ty::Bool]),
            vec![tup(vec![int(0), b(true)]), tup(vec![w(), b(false)])],
            &[],
            &["(_, true)"],
        ),
        case(
            "bytes_bool_pair",
            tuple(&[Ty::Bytes, Ty::Bool]),
            vec![tup(vec![bytes(&[0]), b(true)])],
            &[],
            &["(_, _)", "(#\"00\", false)"],
        ),
        // Unreachable arms.
        case(
            "option_dup_after_wild_some",
            option(Ty::Int),
            vec![some(w()), none(), some(int(1))],
            &[2],
            &[],
        ),
        case("after_wild", option(Ty::Int), vec![w(), none()], &[1], &[]),
        case("binding_then_wild", Ty::Int, vec![w(), w()], &[1], &[]),
        case(
            "bool_then_wild",
            Ty::Bool,
            vec![b(true), b(false), w()],
            &[2],
            &[],
        ),
        case(
            "duplicate_literal",
            Ty::Int,
            vec![int(1), int(2), int(1), w()],
            &[2],
            &[],
        ),
        case(
            "duplicate_bytes",
            Ty::Bytes,
            vec![bytes(&[1]), bytes(&[1]), w()],
            &[1],
            &[],
        ),
        case(
            "covered_by_two_earlier_arms",
            bb(),
            vec![
                tup(vec![b(true), w()]),
                tup(vec![w(), b(true)]),
                tup(vec![b(true), b(true)]),
                tup(vec![b(false), b(false)]),
                tup(vec![b(false), b(true)]),
            ],
            &[2, 4],
            &[],
        ),
        case(
            "tree_covered_by_union",
            Ty::Tree,
            vec![
                leaf(),
                node(leaf(), w(), w()),
                node(node(w(), w(), w()), w(), w()),
                node(w(), int(0), w()),
            ],
            &[3],
            &[],
        ),
        case(
            "list_covered",
            list(Ty::Bool),
            vec![
                lst(vec![], None),
                lst(vec![b(true)], Some(w())),
                lst(vec![b(false)], Some(w())),
                lst(vec![w(), w()], None),
            ],
            &[3],
            &[],
        ),
        case(
            "unreachable_and_missing",
            option(Ty::Bool),
            vec![some(b(true)), some(b(true))],
            &[1],
            &["None", "Some(false)"],
        ),
        case("never_wild_arm", Ty::Never, vec![w()], &[0], &[]),
        case(
            "point_covered",
            Ty::Point,
            vec![point(w(), w()), point(int(1), b(true))],
            &[1],
            &[],
        ),
        // Deep nesting.
        case(
            "nested_options",
            option(option(option(Ty::Bool))),
            vec![
                none(),
                some(none()),
                some(some(none())),
                some(some(some(b(true)))),
            ],
            &[],
            &["Some(Some(Some(false)))"],
        ),
        case(
            "nested_tuples",
            tuple(&[tuple(&[Ty::Bool, option(Ty::Int)]), Ty::Point]),
            vec![
                tup(vec![tup(vec![b(true), w()]), w()]),
                tup(vec![tup(vec![b(false), none()]), point(w(), w())]),
            ],
            &[],
            &["((false, Some(_)), _)"],
        ),
        // Malformed patterns are wildcards.
        case(
            "variant_out_of_range",
            option(Ty::Int),
            vec![raw(Constructor::Variant(7), vec![]), none()],
            &[1],
            &[],
        ),
        case(
            "wrong_field_count",
            option(Ty::Int),
            vec![none(), raw(Constructor::Variant(1), vec![w(), w()])],
            &[],
            &[],
        ),
        case(
            "wrong_kind",
            Ty::Int,
            vec![b(true), raw(Constructor::Single, vec![w()])],
            &[1],
            &[],
        ),
        case(
            "variant_on_struct",
            Ty::Point,
            vec![raw(Constructor::Variant(0), vec![])],
            &[],
            &[],
        ),
        case(
            "literal_on_enum",
            option(Ty::Bool),
            vec![some(int(3))],
            &[],
            &["None"],
        ),
    ]
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for c in cases() {
        let report = check_match(&Toy, &c.ty, &c.arms);
        let expected = MatchReport {
            unreachable_arms: c.unreachable.clone(),
            missing: c.missing.iter().map(|s| s.to_string()).collect(),
        };
        if report != expected {
            failures.push(format!("{}: got {report:?}, expected {expected:?}", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `let` patterns: (type, pattern, irrefutable?).
fn let_cases() -> Vec<(&'static str, Ty, Pattern, bool)> {
    vec![
        ("wild", option(Ty::Int), w(), true),
        ("pair", bb(), tup(vec![w(), w()]), true),
        ("unit", tuple(&[]), tup(vec![]), true),
        ("point", Ty::Point, point(w(), w()), true),
        ("wrap", wrap_ty(Ty::Int), wrap(w()), true),
        (
            "nested",
            tuple(&[tuple(&[Ty::Int, Ty::Point]), tuple(&[])]),
            tup(vec![tup(vec![w(), point(w(), w())]), tup(vec![])]),
            true,
        ),
        ("never", Ty::Never, w(), true),
        ("some", option(Ty::Int), some(w()), false),
        ("none", option(Ty::Int), none(), false),
        ("bool_in_pair", bb(), tup(vec![b(true), w()]), false),
        ("int_literal", Ty::Int, int(0), false),
        ("point_literal", Ty::Point, point(int(0), w()), false),
        ("wrap_inner", wrap_ty(Ty::Bool), wrap(b(true)), false),
        ("list", list(Ty::Int), lst(vec![w()], Some(w())), false),
        // A malformed pattern is a wildcard.
        ("malformed", Ty::Int, some(w()), true),
    ]
}

#[test]
fn let_patterns() {
    let mut failures = Vec::new();
    for (name, ty, pat, expected) in let_cases() {
        let got = is_irrefutable(&Toy, &ty, &pat);
        if got != expected {
            failures.push(format!(
                "{name}: is_irrefutable = {got}, expected {expected}"
            ));
        }
        let refuted = !refuting_witnesses(&Toy, &ty, &pat).is_empty();
        if refuted == expected {
            failures.push(format!("{name}: refuting_witnesses disagrees"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn refuting_witness_for_let_some() {
    assert_eq!(
        refuting_witnesses(&Toy, &option(Ty::Int), &some(w())),
        vec!["None"]
    );
}

#[test]
fn long_list_patterns_use_no_recursion() {
    // `[true, true, ..., true]` with 5,000 elements: a Cons chain 5,000 deep.
    // The arms are leaked, not dropped: the derived `Drop` (and `Clone`) of a
    // pattern that deep recurses, and building such patterns is the caller's
    // business.
    let arms: &'static [Pattern] = Vec::leak(vec![lst(vec![b(true); 5_000], None), w()]);
    let ty = list(Ty::Bool);
    assert_eq!(check_match(&Toy, &ty, arms), MatchReport::default());
    let only_long = arms.get(..1).unwrap_or_default();
    let report = check_match(&Toy, &ty, only_long);
    assert_eq!(report.unreachable_arms, Vec::<usize>::new());
    assert_eq!(report.missing, vec!["[]", "[false, ..]", "[true]"]);
}

#[test]
fn deep_witness_prints_without_recursion() {
    // `Cons(_, Cons(_, .. Nil))`, 3,000 deep, in reversed prefix order.
    let ty = list(Ty::Bool);
    let mut witness = vec![Node::Ctor {
        ctor: Constructor::Variant(0),
        ty: ty.clone(),
        arity: 0,
    }];
    for _ in 0..3_000 {
        witness.push(Node::Wild);
        witness.push(Node::Ctor {
            ctor: Constructor::Variant(1),
            ty: ty.clone(),
            arity: 2,
        });
    }
    let printed = print(&Toy, &witness);
    assert_eq!(printed.len(), 2 + 3 * 3_000 - 2);
    assert!(printed.starts_with("[_, _, "));
    assert!(printed.ends_with(", _]"));
    // A malformed witness (missing fields) prints `_` in their place.
    let short = vec![Node::Ctor {
        ctor: Constructor::Variant(1),
        ty: option(Ty::Int),
        arity: 1,
    }];
    assert_eq!(print(&Toy, &short), "Some(_)");
}

#[test]
fn budget_exhaustion_is_reported_and_conservative() {
    let ty = tuple(&[Ty::Bool, Ty::Bool, Ty::Bool]);
    let arms = vec![
        tup(vec![b(true), w(), w()]),
        tup(vec![w(), b(true), w()]),
        tup(vec![w(), w(), b(true)]),
        tup(vec![b(false), b(false), b(false)]),
    ];
    assert_eq!(analyse_match(&Toy, &ty, &arms, 5), Err(TooComplex));
    let ok = analyse_match(&Toy, &ty, &arms, 10_000);
    assert_eq!(ok, Ok(MatchReport::default()));
}

#[test]
fn reachability_out_of_budget_reports_what_it_decided() {
    // `true, false, true, true, ...`: exhaustiveness is cheap, reachability
    // quadratic. A budget in between decides a prefix of the arms.
    let mut arms = vec![b(true), b(false)];
    arms.extend(std::iter::repeat_n(b(true), 18));
    let full = analyse_match(&Toy, &Ty::Bool, &arms, 10_000);
    assert_eq!(
        full.map(|r| r.unreachable_arms),
        Ok((2..20).collect::<Vec<_>>())
    );
    let partial = analyse_match(&Toy, &Ty::Bool, &arms, 60);
    let Ok(partial) = partial else {
        panic!("exhaustiveness fits in the budget: {partial:?}");
    };
    assert!(partial.missing.is_empty());
    let n = partial.unreachable_arms.len();
    assert!(n > 0 && n < 18, "{n} arms decided");
    assert_eq!(partial.unreachable_arms, (2..2 + n).collect::<Vec<_>>());
}

#[test]
fn large_realistic_matches_fit_the_budget() {
    // A 1,000-entry lookup table on Int, then a default.
    let mut arms: Vec<Pattern> = (0..1_000).map(int).collect();
    arms.push(w());
    let report = analyse_match(&Toy, &Ty::Int, &arms, DEFAULT_BUDGET);
    assert_eq!(report, Ok(MatchReport::default()));

    // Every List<Option<Bool>> of length 0..=4 spelled out (121 arms), then
    // the longer ones.
    let elems = || vec![none(), some(b(false)), some(b(true))];
    let mut by_length: Vec<Vec<Vec<Pattern>>> = vec![vec![vec![]]];
    for _ in 0..4 {
        let last = by_length.last().cloned().unwrap_or_default();
        let next = last
            .iter()
            .flat_map(|prefix| {
                elems().into_iter().map(move |e| {
                    let mut p = prefix.clone();
                    p.push(e);
                    p
                })
            })
            .collect();
        by_length.push(next);
    }
    let mut arms: Vec<Pattern> = by_length
        .into_iter()
        .flatten()
        .map(|items| lst(items, None))
        .collect();
    assert_eq!(arms.len(), 121);
    let ty = list(option(Ty::Bool));
    let report = analyse_match(&Toy, &ty, &arms, DEFAULT_BUDGET);
    // Every element position has a complete signature, so witnesses name
    // constructors there (as rustc's do); the length is what is missing.
    let expected = [
        "[None, None, None, None, _, ..]",
        "[None, None, None, Some(false), _, ..]",
        "[None, None, None, Some(true), _, ..]",
    ];
    assert_eq!(
        report.map(|r| r.missing),
        Ok(expected.map(String::from).to_vec())
    );
    arms.push(lst(vec![w(); 5], Some(w())));
    arms.push(lst(vec![some(b(true))], None));
    let report = analyse_match(&Toy, &ty, &arms, DEFAULT_BUDGET);
    let expected = MatchReport {
        unreachable_arms: vec![122],
        missing: vec![],
    };
    assert_eq!(report, Ok(expected));
}

/// A tiny deterministic generator (xorshift), for adversarial inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random 3-literal rows over `cols` Bool columns: a SAT-like instance, the
/// hard case for usefulness.
fn adversarial_rows(cols: usize, rows: usize) -> Vec<Pattern> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..rows)
        .map(|_| {
            let mut fields = vec![w(); cols];
            for _ in 0..3 {
                let i = (rng.next() % cols as u64) as usize;
                if let Some(f) = fields.get_mut(i) {
                    *f = b(rng.next().is_multiple_of(2));
                }
            }
            tup(fields)
        })
        .collect()
}

#[test]
fn adversarial_bool_matrix_terminates() {
    // The answer may be "too complex"; it must come.
    let arms = adversarial_rows(40, 120);
    let ty = Ty::Tuple(vec![Ty::Bool; 40]);
    let report = check_match(&Toy, &ty, &arms);
    assert!(report.missing.len() <= 3);
    assert!(report.unreachable_arms.iter().all(|&i| i < arms.len()));
}

#[test]
fn one_witness_when_three_are_too_costly() {
    // `(false, hard)` arms: `(true, _)` is found at once, but looking for
    // more explores the hard part and runs out of budget.
    let cols = 40;
    let arms: Vec<Pattern> = adversarial_rows(cols, 120)
        .into_iter()
        .map(|r| tup(vec![b(false), r]))
        .collect();
    let ty = tuple(&[Ty::Bool, Ty::Tuple(vec![Ty::Bool; cols])]);
    let rows: Vec<&Pattern> = arms.iter().collect();
    let budget = 50_000;
    let three = Engine::new(&Toy, budget).witnesses(&rows, &WILD, &ty, 3);
    assert!(three.is_err(), "three witnesses found within budget");
    let report = analyse_match(&Toy, &ty, &arms, budget);
    assert_eq!(report.map(|r| r.missing), Ok(vec!["(true, _)".to_string()]));
}
