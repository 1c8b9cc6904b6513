//! Property tests over random matches in the toy universe, checked against a
//! brute-force oracle that enumerates values.

use proptest::prelude::*;

use super::toy::*;
use crate::exhaustive::engine::{Engine, WILD};
use crate::exhaustive::witness::{WTree, to_tree};
use crate::exhaustive::{
    Constructor, ConstructorSet, Cx, MAX_WITNESSES, Pattern, check_match, is_irrefutable,
};

/// A small deterministic generator (xorshift) driven by a proptest seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random toy type of at most `depth` levels of type constructors.
fn gen_ty(g: &mut Gen, depth: u32) -> Ty {
    let leaves = [
        Ty::Bool,
        Ty::Int,
        Ty::Bytes,
        Ty::Tree,
        Ty::Shape,
        Ty::Point,
        tuple(&[]),
    ];
    if depth == 0 || g.chance(35) {
        let i = g.below(leaves.len() as u64) as usize;
        return leaves.get(i).cloned().unwrap_or(Ty::Bool);
    }
    match g.below(4) {
        0 => option(gen_ty(g, depth - 1)),
        1 => list(gen_ty(g, depth - 1)),
        2 => wrap_ty(gen_ty(g, depth - 1)),
        _ => {
            let n = 2 + g.below(2);
            Ty::Tuple((0..n).map(|_| gen_ty(g, depth - 1)).collect())
        }
    }
}

/// A random constructor of `ty`, drawing literals from a small domain
/// (Int 0..=2, Bytes `#""` and `#"00"`) so that literals collide.
fn gen_ctor(g: &mut Gen, ty: &Ty) -> Option<Constructor> {
    match Toy.constructors(ty) {
        ConstructorSet::Variants(0) => None,
        ConstructorSet::Variants(n) => Some(Constructor::Variant(g.below(u64::from(n)) as u32)),
        ConstructorSet::Bool => Some(Constructor::Bool(g.chance(50))),
        ConstructorSet::Single => Some(Constructor::Single),
        ConstructorSet::Infinite if *ty == Ty::Bytes => Some(Constructor::Bytes(if g.chance(50) {
            vec![]
        } else {
            vec![0]
        })),
        ConstructorSet::Infinite => Some(Constructor::Int(g.below(3).into())),
    }
}

/// A random pattern of type `ty`, at most `depth` deep. With `malformed`,
/// some nodes get a wrong constructor or field count.
fn gen_pat(g: &mut Gen, ty: &Ty, depth: u32, malformed: bool) -> Pattern {
    if malformed && g.chance(8) {
        let ctor = match g.below(4) {
            0 => Constructor::Variant(g.below(6) as u32),
            1 => Constructor::Bool(true),
            2 => Constructor::Int(7),
            _ => Constructor::Single,
        };
        let fields = (0..g.below(3)).map(|_| Pattern::Wild).collect();
        return Pattern::Ctor { ctor, fields };
    }
    if depth == 0 || g.chance(30) {
        return Pattern::Wild;
    }
    let Some(ctor) = gen_ctor(g, ty) else {
        return Pattern::Wild;
    };
    let fields = Toy
        .field_types(ty, &ctor)
        .iter()
        .map(|t| gen_pat(g, t, depth - 1, malformed))
        .collect();
    Pattern::Ctor { ctor, fields }
}

/// A random match: scrutinee type and arms.
fn gen_match(seed: u64, malformed: bool) -> (Ty, Vec<Pattern>) {
    let mut g = Gen(seed | 1);
    let ty = gen_ty(&mut g, 2);
    let arms = (0..g.below(7))
        .map(|_| gen_pat(&mut g, &ty, 4, malformed))
        .collect();
    (ty, arms)
}

/// A value of a toy type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Val {
    ctor: Constructor,
    fields: Vec<Val>,
}

/// A value of `ty` that no generated literal equals (Int 3, `#"01"`).
fn minimal(ty: &Ty) -> Val {
    let ctor = match Toy.constructors(ty) {
        ConstructorSet::Infinite if *ty == Ty::Bytes => Constructor::Bytes(vec![1]),
        ConstructorSet::Infinite => Constructor::Int(3),
        ConstructorSet::Bool => Constructor::Bool(false),
        ConstructorSet::Single => Constructor::Single,
        ConstructorSet::Variants(_) => Constructor::Variant(0),
    };
    let fields = Toy.field_types(ty, &ctor).iter().map(minimal).collect();
    Val { ctor, fields }
}

/// Every value of `ty` whose first `depth` levels vary (Int over 0..=3, Bytes
/// over `#""`, `#"00"`, `#"01"`) and whose deeper levels are [`minimal`];
/// `None` beyond `cap` values. Patterns at most `depth` deep cannot tell a
/// value from its representative here, so this decides usefulness exactly.
fn enumerate(ty: &Ty, depth: u32, cap: usize) -> Option<Vec<Val>> {
    if depth == 0 {
        return Some(vec![minimal(ty)]);
    }
    let ctors: Vec<Constructor> = match Toy.constructors(ty) {
        ConstructorSet::Infinite if *ty == Ty::Bytes => vec![vec![], vec![0], vec![1]]
            .into_iter()
            .map(Constructor::Bytes)
            .collect(),
        ConstructorSet::Infinite => (0..=3).map(Constructor::Int).collect(),
        ConstructorSet::Bool => vec![Constructor::Bool(false), Constructor::Bool(true)],
        ConstructorSet::Single => vec![Constructor::Single],
        ConstructorSet::Variants(n) => (0..n).map(Constructor::Variant).collect(),
    };
    let mut out = Vec::new();
    for ctor in ctors {
        let mut partial: Vec<Vec<Val>> = vec![Vec::new()];
        for fty in Toy.field_types(ty, &ctor) {
            let choices = enumerate(&fty, depth - 1, cap)?;
            let mut next = Vec::new();
            for p in &partial {
                for c in &choices {
                    let mut p = p.clone();
                    p.push(c.clone());
                    next.push(p);
                }
            }
            if next.len() > cap {
                return None;
            }
            partial = next;
        }
        out.extend(partial.into_iter().map(|fields| Val {
            ctor: ctor.clone(),
            fields,
        }));
        if out.len() > cap {
            return None;
        }
    }
    Some(out)
}

fn matches(p: &Pattern, v: &Val) -> bool {
    match p {
        Pattern::Wild => true,
        Pattern::Ctor { ctor, fields } => {
            *ctor == v.ctor
                && fields.len() == v.fields.len()
                && fields.iter().zip(&v.fields).all(|(p, v)| matches(p, v))
        }
    }
}

fn depth(p: &Pattern) -> u32 {
    match p {
        Pattern::Wild => 0,
        Pattern::Ctor { fields, .. } => 1 + fields.iter().map(depth).max().unwrap_or(0),
    }
}

/// A value described by a witness: wildcards become [`minimal`] values.
fn instantiate(w: &WTree<Ty>, ty: &Ty) -> Val {
    match w {
        WTree::Wild => minimal(ty),
        WTree::Ctor { ctor, ty, fields } => {
            let ftys = Toy.field_types(ty, ctor);
            Val {
                ctor: ctor.clone(),
                fields: fields
                    .iter()
                    .zip(&ftys)
                    .map(|(f, t)| instantiate(f, t))
                    .collect(),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random, partly malformed matches never panic and give sane reports.
    #[test]
    fn never_panics(seed in any::<u64>()) {
        let (ty, arms) = gen_match(seed, true);
        let report = check_match(&Toy, &ty, &arms);
        prop_assert_eq!(&report, &check_match(&Toy, &ty, &arms));
        prop_assert!(report.missing.len() <= MAX_WITNESSES);
        prop_assert!(report.unreachable_arms.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(report.unreachable_arms.iter().all(|&i| i < arms.len()));
        for arm in &arms {
            let _ = is_irrefutable(&Toy, &ty, arm);
        }
    }

    /// A trailing wildcard arm makes any match exhaustive, and is itself
    /// unreachable exactly when the other arms were exhaustive already.
    #[test]
    fn trailing_wild_is_exhaustive(seed in any::<u64>(), malformed in any::<bool>()) {
        let (ty, mut arms) = gen_match(seed, malformed);
        let without = check_match(&Toy, &ty, &arms);
        arms.push(Pattern::Wild);
        let with = check_match(&Toy, &ty, &arms);
        prop_assert!(with.missing.is_empty());
        let last = arms.len() - 1;
        prop_assert_eq!(with.unreachable_arms.contains(&last), without.missing.is_empty());
        prop_assert!(with.unreachable_arms.starts_with(&without.unreachable_arms));
    }

    /// On well-formed matches, the report agrees with brute force: the
    /// unreachable arms are those that are the first match of no value, the
    /// match is exhaustive iff every value is matched, and every witness
    /// describes values that no arm matches.
    #[test]
    fn agrees_with_enumeration(seed in any::<u64>()) {
        let (ty, arms) = gen_match(seed, false);
        let d = arms.iter().map(depth).max().unwrap_or(0);
        let Some(values) = enumerate(&ty, d, 2_000) else {
            return Ok(());
        };
        let report = check_match(&Toy, &ty, &arms);
        let mut first_match = vec![false; arms.len()];
        let mut all_matched = true;
        for v in &values {
            match arms.iter().position(|p| matches(p, v)) {
                Some(i) => first_match[i] = true,
                None => all_matched = false,
            }
        }
        let unreachable: Vec<usize> =
            (0..arms.len()).filter(|&i| !first_match[i]).collect();
        prop_assert_eq!(&report.unreachable_arms, &unreachable);
        prop_assert_eq!(report.missing.is_empty(), all_matched);
        prop_assert_eq!(is_irrefutable(&Toy, &ty, arms.first().unwrap_or(&WILD)),
            values.iter().all(|v| arms.first().is_none_or(|p| matches(p, v))));

        let rows: Vec<&Pattern> = arms.iter().collect();
        let witnesses = Engine::new(&Toy, u64::MAX)
            .witnesses(&rows, &WILD, &ty, MAX_WITNESSES)
            .map_err(|_| TestCaseError::fail("out of budget"))?;
        prop_assert_eq!(witnesses.len(), report.missing.len());
        for w in &witnesses {
            let tree = to_tree(w).ok_or_else(|| TestCaseError::fail("malformed witness"))?;
            let v = instantiate(&tree, &ty);
            prop_assert!(arms.iter().all(|p| !matches(p, &v)), "witness {:?} is matched", tree);
        }
    }
}
