//! Exhaustiveness and reachability of `match` arms and irrefutability of
//! `let` patterns (E0401, W0402, E0403): the patterns are lowered to the
//! constructor form of [`crate::exhaustive`], whose usefulness algorithm
//! decides, and the checker's types are described to it through [`Cx`].

use std::collections::BTreeSet;

use crate::db::Db;
use crate::diagnostic::{Code, Diagnostic};
use crate::exhaustive::{Constructor, ConstructorSet, Cx, Pattern, check_match};
use crate::syntax::ast::{ExprKind, Module, PatId, PatKind};
use crate::types::check::{PatternSite, PatternSites};
use crate::types::output::{Resolution, TypedModule};
use crate::types::signatures::{ItemSig, item_sig};
use crate::types::ty::{ItemRef, Ty};

/// Lowered patterns deeper than this (long list patterns) are not analysed.
const MAX_LOWERED_DEPTH: u32 = 512;
/// Nor are the patterns of a `match` or `let` with more nodes than this
/// together (the analysis grows with their width times their number).
const MAX_LOWERED_NODES: u32 = 20_000;

/// The checker's types, as the usefulness algorithm sees them.
pub struct TyCx<'a> {
    db: &'a dyn Db,
    /// The prelude's `List`, printed with list syntax.
    list: Option<ItemRef>,
}

impl<'a> TyCx<'a> {
    /// A context over the database.
    pub fn new(db: &'a dyn Db) -> TyCx<'a> {
        let list = db.std_module("prelude").and_then(|prelude| {
            let decl = crate::types::decls::declarations(db, prelude)
                .types
                .get("List")?;
            Some(ItemRef {
                file: prelude,
                index: decl.item,
            })
        });
        TyCx { db, list }
    }
}

impl Cx for TyCx<'_> {
    type Ty = Ty;

    fn constructors(&self, ty: &Ty) -> ConstructorSet {
        match ty {
            Ty::Adt { item, .. } => match item_sig(self.db, *item) {
                Some(ItemSig::Enum(e)) => ConstructorSet::Variants(e.variants.len() as u32),
                Some(ItemSig::Struct(_)) => ConstructorSet::Single,
                _ => ConstructorSet::Infinite,
            },
            Ty::Tuple(_) | Ty::Unit => ConstructorSet::Single,
            Ty::Bool => ConstructorSet::Bool,
            // Int, Bytes, and types whose values no pattern takes apart.
            _ => ConstructorSet::Infinite,
        }
    }

    fn field_types(&self, ty: &Ty, ctor: &Constructor) -> Vec<Ty> {
        match (ty, ctor) {
            (Ty::Adt { item, args, .. }, Constructor::Variant(v)) => match item_sig(self.db, *item)
            {
                Some(ItemSig::Enum(e)) => e
                    .variants
                    .get(*v as usize)
                    .map(|v| v.fields.iter().map(|t| t.substitute(args)).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            (Ty::Adt { item, args, .. }, Constructor::Single) => match item_sig(self.db, *item) {
                Some(ItemSig::Struct(s)) => {
                    s.fields.iter().map(|(_, t)| t.substitute(args)).collect()
                }
                _ => Vec::new(),
            },
            (Ty::Tuple(items), Constructor::Single) => items.clone(),
            _ => Vec::new(),
        }
    }

    fn print_ctor(&self, ty: &Ty, ctor: &Constructor, fields: &[String]) -> String {
        match (ty, ctor) {
            (Ty::Adt { item, .. }, Constructor::Variant(v)) => {
                let name = match item_sig(self.db, *item) {
                    Some(ItemSig::Enum(e)) => e.variants.get(*v as usize).map(|v| v.name.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| "_".to_string());
                if Some(*item) == self.list {
                    return print_list(&name, fields);
                }
                if fields.is_empty() {
                    name
                } else {
                    format!("{name}({})", fields.join(", "))
                }
            }
            (Ty::Adt { item, name, .. }, Constructor::Single) => match item_sig(self.db, *item) {
                Some(ItemSig::Struct(s)) => {
                    let parts: Vec<String> = s
                        .fields
                        .iter()
                        .zip(fields)
                        .map(|((f, _), p)| format!("{f}: {p}"))
                        .collect();
                    if parts.is_empty() {
                        format!("{name} {{}}")
                    } else {
                        format!("{name} {{ {} }}", parts.join(", "))
                    }
                }
                _ => "_".to_string(),
            },
            (Ty::Tuple(_), Constructor::Single) => format!("({})", fields.join(", ")),
            (_, Constructor::Single) => "()".to_string(),
            (_, Constructor::Bool(b)) => b.to_string(),
            (_, Constructor::Int(n)) => n.to_string(),
            (_, Constructor::Bytes(bytes)) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                format!("#\"{hex}\"")
            }
            (_, Constructor::Variant(_)) => "_".to_string(),
        }
    }
}

/// `Nil` as `[]`, `Cons(x, [])` as `[x]`, `Cons(x, _)` as `[x, ..]`,
/// `Cons(x, [y, ..])` as `[x, y, ..]`.
fn print_list(name: &str, fields: &[String]) -> String {
    match fields {
        [] => "[]".to_string(),
        [head, tail] if tail == "[]" => format!("[{head}]"),
        [head, tail] if tail == "_" => format!("[{head}, ..]"),
        [head, tail] if tail.starts_with('[') => format!("[{head}, {}", &tail[1..]),
        _ => format!("{name}({})", fields.join(", ")),
    }
}

/// Lowers the patterns of one module.
struct Lowering<'a> {
    db: &'a dyn Db,
    module: &'a Module,
    typed: &'a TypedModule,
    failed: &'a BTreeSet<PatId>,
    nil: Constructor,
    cons: Constructor,
}

impl Lowering<'_> {
    /// The constructor form of a pattern. A pattern in which an error was
    /// reported, or whose type is unknown, is a wildcard. Recursion follows
    /// the (depth-capped) pattern tree; list items are chained in a loop.
    fn lower(&self, pat: PatId) -> Pattern {
        let Some(p) = self.module.pats.get(pat.index()) else {
            return Pattern::Wild;
        };
        if self.failed.contains(&pat) || self.typed.pat_ty(pat).is_error() {
            return Pattern::Wild;
        }
        let leaf = |ctor| Pattern::Ctor {
            ctor,
            fields: Vec::new(),
        };
        match &p.kind {
            PatKind::Wildcard | PatKind::Bind(_) | PatKind::Error => Pattern::Wild,
            PatKind::Int(n) => leaf(Constructor::Int(*n)),
            PatKind::Bool(b) => leaf(Constructor::Bool(*b)),
            PatKind::Bytes(bytes) => leaf(Constructor::Bytes(bytes.clone())),
            PatKind::Unit => leaf(Constructor::Single),
            PatKind::Tuple(items) => Pattern::Ctor {
                ctor: Constructor::Single,
                fields: items.iter().map(|i| self.lower(*i)).collect(),
            },
            PatKind::Ctor { args, .. } => match self.typed.pat_resolution(pat) {
                Some(Resolution::Ctor { variant, .. }) => Pattern::Ctor {
                    ctor: Constructor::Variant(variant),
                    fields: args.iter().map(|a| self.lower(*a)).collect(),
                },
                Some(Resolution::Const(item)) => {
                    match crate::types::consts::const_value(self.db, item) {
                        Some(crate::types::consts::ConstValue::Int(n)) => {
                            leaf(Constructor::Int(*n))
                        }
                        Some(crate::types::consts::ConstValue::Bool(b)) => {
                            leaf(Constructor::Bool(*b))
                        }
                        Some(crate::types::consts::ConstValue::Bytes(b)) => {
                            leaf(Constructor::Bytes(b.clone()))
                        }
                        None => Pattern::Wild,
                    }
                }
                _ => Pattern::Wild,
            },
            PatKind::Struct { fields, .. } => {
                let Some(Resolution::Struct(item)) = self.typed.pat_resolution(pat) else {
                    return Pattern::Wild;
                };
                let Some(ItemSig::Struct(sig)) = item_sig(self.db, item) else {
                    return Pattern::Wild;
                };
                let lowered = sig
                    .fields
                    .iter()
                    .map(|(name, _)| {
                        fields
                            .iter()
                            .find(|f| f.name.name == *name)
                            .map_or(Pattern::Wild, |f| self.lower(f.pat))
                    })
                    .collect();
                Pattern::Ctor {
                    ctor: Constructor::Single,
                    fields: lowered,
                }
            }
            PatKind::List { items, rest } => {
                let mut list = match rest {
                    Some(rest) => self.lower(*rest),
                    None => leaf(self.nil.clone()),
                };
                for item in items.iter().rev() {
                    list = Pattern::Ctor {
                        ctor: self.cons.clone(),
                        fields: vec![self.lower(*item), list],
                    };
                }
                list
            }
        }
    }
}

/// How deep and how large (in nodes) each pattern is once lowered (list
/// items nest), computed in one pass over the arena (children come before
/// parents).
fn lowered_sizes(module: &Module) -> Vec<(u32, u32)> {
    let mut sizes: Vec<(u32, u32)> = Vec::with_capacity(module.pats.len());
    for p in &module.pats {
        let (mut deepest, mut nodes) = (0u32, 1u32);
        p.kind.for_each_child(|c| {
            let (depth, size) = sizes.get(c.index()).copied().unwrap_or((0, 0));
            deepest = deepest.max(depth);
            nodes = nodes.saturating_add(size);
        });
        let extra = match &p.kind {
            PatKind::List { items, .. } => items.len() as u32,
            _ => 0,
        };
        sizes.push((
            deepest.saturating_add(extra).saturating_add(1),
            nodes.saturating_add(extra),
        ));
    }
    sizes
}

/// Checks every `match` and `let` of a module.
pub fn check(
    db: &dyn Db,
    module: &Module,
    typed: &TypedModule,
    sites: &PatternSites,
) -> Vec<Diagnostic> {
    let cx = TyCx::new(db);
    let variant = |name: &str| {
        db.std_module("prelude")
            .and_then(|p| {
                crate::types::decls::declarations(db, p)
                    .values
                    .get(name)
                    .cloned()
            })
            .and_then(|d| match d.kind {
                crate::types::decls::ValueKind::Ctor { variant } => Some(variant),
                crate::types::decls::ValueKind::Fn | crate::types::decls::ValueKind::Const => None,
            })
    };
    let lowering = Lowering {
        db,
        module,
        typed,
        failed: &sites.failed,
        nil: Constructor::Variant(variant("Nil").unwrap_or(0)),
        cons: Constructor::Variant(variant("Cons").unwrap_or(1)),
    };
    let sizes = lowered_sizes(module);
    let mut diagnostics = Vec::new();
    for site in &sites.sites {
        let trivial = site.is_let
            && site.pats.iter().all(|p| {
                matches!(
                    module.pats.get(p.index()).map(|p| &p.kind),
                    Some(PatKind::Bind(_) | PatKind::Wildcard)
                )
            });
        if trivial {
            continue;
        }
        let size = |p: &PatId| sizes.get(p.index()).copied().unwrap_or((0, 0));
        let too_deep = site.pats.iter().any(|p| size(p).0 > MAX_LOWERED_DEPTH);
        let nodes = site
            .pats
            .iter()
            .fold(0u32, |total, p| total.saturating_add(size(p).1));
        if too_deep || nodes > MAX_LOWERED_NODES {
            let why = if too_deep {
                format!("list patterns nest more than {MAX_LOWERED_DEPTH} levels deep here")
            } else {
                format!("these patterns have more than {MAX_LOWERED_NODES} parts")
            };
            diagnostics.push(
                Diagnostic::new(
                    if site.is_let {
                        Code::RefutableLet
                    } else {
                        Code::NonExhaustive
                    },
                    "these patterns are too large to check",
                    site.span,
                    why,
                )
                .with_help("split the match: match a shorter prefix or fewer components, and recurse on the rest"),
            );
            continue;
        }
        check_site(&cx, &lowering, site, &mut diagnostics);
    }
    diagnostics
}

fn scrutinee_ty(typed: &TypedModule, module: &Module, site: &PatternSite) -> Ty {
    if site.is_let {
        return typed.expr_ty(site.expr).clone();
    }
    match module.exprs.get(site.expr.index()).map(|e| &e.kind) {
        Some(ExprKind::Match { scrutinee, .. }) => typed.expr_ty(*scrutinee).clone(),
        _ => Ty::Error,
    }
}

fn check_site(
    cx: &TyCx<'_>,
    lowering: &Lowering<'_>,
    site: &PatternSite,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let ty = match site.pats.first() {
        // The pattern's type is the scrutinee's (or the annotated `let` type).
        Some(first) if site.is_let => lowering.typed.pat_ty(*first).clone(),
        _ => scrutinee_ty(lowering.typed, lowering.module, site),
    };
    if ty.is_error() {
        return;
    }
    let arms: Vec<Pattern> = site.pats.iter().map(|p| lowering.lower(*p)).collect();
    let report = check_match(cx, &ty, &arms);
    let shown: Vec<String> = report.missing.iter().map(|m| format!("`{m}`")).collect();
    let listed = shown.join(", ");
    let noun = if shown.len() == 1 {
        "pattern"
    } else {
        "patterns"
    };
    if site.is_let {
        if !report.missing.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::RefutableLet,
                    format!("refutable pattern in `let`: {noun} {listed} not covered"),
                    site.span,
                    format!("{noun} {listed} not covered"),
                )
                .with_help("a `let` pattern must match every value; use a `match` with an arm for each case"),
            );
        }
        return;
    }
    if !report.missing.is_empty() {
        let example = report
            .missing
            .first()
            .cloned()
            .unwrap_or_else(|| "_".into());
        let help = if example == "_" {
            "add a final `_ => ...` arm".to_string()
        } else {
            format!("add an arm for it, e.g. `{example} => ...`, or a final `_ => ...` arm")
        };
        diagnostics.push(
            Diagnostic::new(
                Code::NonExhaustive,
                format!("non-exhaustive match: {noun} {listed} not covered"),
                site.span,
                format!("{noun} {listed} not covered"),
            )
            .with_help(help),
        );
    }
    // After an error inside a pattern that pattern counts as `_`, so the
    // arms below it would look unreachable: that is the same mistake.
    let had_error = site.pats.iter().any(|p| lowering.failed.contains(p));
    for arm in report.unreachable_arms.iter().filter(|_| !had_error) {
        let Some(pat) = site.pats.get(*arm) else {
            continue;
        };
        let span = lowering
            .module
            .pats
            .get(pat.index())
            .map(|p| p.span)
            .unwrap_or(site.span);
        diagnostics.push(
            Diagnostic::new(
                Code::UnreachableArm,
                "unreachable arm",
                span,
                "this arm can never match: the arms above it cover its values",
            )
            .with_help("delete the arm, or move it above the arm that covers it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::tests::TestDb;

    /// The lowered arm patterns of the first `match` of `src`, printed.
    fn lowered(src: &str) -> Vec<String> {
        let db = TestDb::new();
        let file = db.file(src);
        let module = &crate::db::parse(&db, file).module;
        let (typed, sites) = crate::types::check::check_module(&db, file);
        let lowering = Lowering {
            db: &db,
            module,
            typed: &typed,
            failed: &sites.failed,
            nil: Constructor::Variant(0),
            cons: Constructor::Variant(1),
        };
        let site = sites.sites.iter().find(|s| !s.is_let).expect("a match");
        site.pats
            .iter()
            .map(|p| show(&lowering.lower(*p)))
            .collect()
    }

    fn show(p: &Pattern) -> String {
        match p {
            Pattern::Wild => "_".into(),
            Pattern::Ctor { ctor, fields } => {
                let fields: Vec<String> = fields.iter().map(show).collect();
                format!("{ctor:?}({})", fields.join(", "))
            }
        }
    }

    #[test]
    fn patterns_lower_to_constructors() {
        let arms = lowered(
            "struct P { x: Int, y: Bool }
             fn f(v: (List<Int>, P, Option<Bytes>)) -> Int {
               match v {
                 ([a, 2, ..rest], P { y: true, .. }, Some(#\"00\")) => 1,
                 ([], P { x, y }, None) => 2,
                 ([_], _, _) => 3,
                 (xs, p, o) => 4,
               }
             }",
        );
        assert_eq!(
            arms,
            [
                "Single(Variant(1)(_, Variant(1)(Int(2)(), _)), Single(_, Bool(true)()), Variant(1)(Bytes([0])()))",
                "Single(Variant(0)(), Single(_, _), Variant(0)())",
                "Single(Variant(1)(_, Variant(0)()), _, _)",
                "Single(_, _, _)",
            ]
        );
    }

    #[test]
    fn ill_typed_patterns_are_wildcards() {
        let arms =
            lowered("fn f(x: Int) -> Int { match x { true => 1, Nope => 2, 3 => 3, _ => 4 } }");
        assert_eq!(arms, ["_", "_", "Int(3)()", "_"]);
    }

    #[test]
    fn witnesses_print_in_source_syntax() {
        let db = TestDb::new();
        let file = db.file("struct P { x: Int, y: Bool }\nfn f(p: P, xs: List<Int>, o: Option<(Int, Bool)>) -> Int { 1 }");
        let sigs = crate::types::signatures::signatures(&db, file);
        let Some(sig) = sigs.func(1) else { panic!("f") };
        let cx = TyCx::new(&db);
        let [p, xs, o] = [0, 1, 2].map(|i| sig.params[i].1.clone());
        let s = |f: &[&str]| f.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            cx.print_ctor(&p, &Constructor::Single, &s(&["_", "true"])),
            "P { x: _, y: true }"
        );
        assert_eq!(cx.print_ctor(&xs, &Constructor::Variant(0), &[]), "[]");
        assert_eq!(
            cx.print_ctor(&xs, &Constructor::Variant(1), &s(&["_", "[]"])),
            "[_]"
        );
        assert_eq!(
            cx.print_ctor(&xs, &Constructor::Variant(1), &s(&["1", "_"])),
            "[1, ..]"
        );
        assert_eq!(
            cx.print_ctor(&xs, &Constructor::Variant(1), &s(&["1", "[_, ..]"])),
            "[1, _, ..]"
        );
        assert_eq!(
            cx.print_ctor(&o, &Constructor::Variant(1), &s(&["(_, false)"])),
            "Some((_, false))"
        );
        let pair = Ty::Tuple(vec![Ty::Int, Ty::Bool]);
        assert_eq!(
            cx.print_ctor(&pair, &Constructor::Single, &s(&["_", "false"])),
            "(_, false)"
        );
        assert_eq!(
            cx.print_ctor(&Ty::Bytes, &Constructor::Bytes(vec![0, 255]), &[]),
            "#\"00ff\""
        );
        assert_eq!(cx.constructors(&o), ConstructorSet::Variants(2));
        assert_eq!(cx.constructors(&p), ConstructorSet::Single);
        assert_eq!(cx.constructors(&Ty::Int), ConstructorSet::Infinite);
        assert_eq!(
            cx.field_types(&o, &Constructor::Variant(1)),
            [Ty::Tuple(vec![Ty::Int, Ty::Bool])]
        );
        assert_eq!(
            cx.field_types(&p, &Constructor::Single),
            [Ty::Int, Ty::Bool]
        );
    }

    #[test]
    fn huge_patterns_are_refused_quickly() {
        let n = 25_000;
        let wide = format!(
            "fn f(p: ({})) -> Int {{ let ({}) = p; 1 }}",
            vec!["Int"; n].join(", "),
            vec!["_"; n].join(", ")
        );
        let long = format!(
            "fn f(xs: List<Int>) -> Int {{ match xs {{ [{}] => 1, _ => 0 }} }}",
            vec!["_"; 1000].join(", ")
        );
        for (src, code) in [(wide, "E0403"), (long, "E0401")] {
            let out = crate::types::tests::check(&src);
            let firsts: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
            assert_eq!(firsts.len(), 1, "{out}");
            assert!(firsts[0].starts_with(code), "{out}");
            assert!(firsts[0].contains("too large to check"), "{out}");
        }
    }
}
