//! A toy type universe implementing [`Cx`], with pattern builders.

use crate::exhaustive::{Constructor, ConstructorSet, Cx, Pattern, print_cons};

/// The toy types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Bytes,
    /// `enum Option<T> { None, Some(T) }`
    Option(Box<Ty>),
    /// `enum List<T> { Nil, Cons(T, List<T>) }`
    List(Box<Ty>),
    /// `enum Tree { Leaf, Node(Tree, Int, Tree) }`
    Tree,
    /// `enum Shape { Dot, Circle(Int), Rect(Bool, Int) }`
    Shape,
    /// `enum Wrap<T> { Wrap(T) }`
    Wrap(Box<Ty>),
    /// `enum Never {}`
    Never,
    /// Tuples; the empty tuple is unit.
    Tuple(Vec<Ty>),
    /// `struct Point { x: Int, y: Bool }`
    Point,
}

/// The toy type context.
pub struct Toy;

fn variant(ctor: &Constructor) -> Option<u32> {
    match ctor {
        Constructor::Variant(i) => Some(*i),
        _ => None,
    }
}

impl Cx for Toy {
    type Ty = Ty;

    fn constructors(&self, ty: &Ty) -> ConstructorSet {
        match ty {
            Ty::Bool => ConstructorSet::Bool,
            Ty::Int | Ty::Bytes => ConstructorSet::Infinite,
            Ty::Option(_) | Ty::List(_) | Ty::Tree => ConstructorSet::Variants(2),
            Ty::Shape => ConstructorSet::Variants(3),
            Ty::Wrap(_) => ConstructorSet::Variants(1),
            Ty::Never => ConstructorSet::Variants(0),
            Ty::Tuple(_) | Ty::Point => ConstructorSet::Single,
        }
    }

    fn field_types(&self, ty: &Ty, ctor: &Constructor) -> Vec<Ty> {
        match (ty, variant(ctor)) {
            (Ty::Option(t), Some(1)) | (Ty::Wrap(t), Some(0)) => vec![(**t).clone()],
            (Ty::List(t), Some(1)) => vec![(**t).clone(), ty.clone()],
            (Ty::Tree, Some(1)) => vec![Ty::Tree, Ty::Int, Ty::Tree],
            (Ty::Shape, Some(1)) => vec![Ty::Int],
            (Ty::Shape, Some(2)) => vec![Ty::Bool, Ty::Int],
            (Ty::Tuple(ts), None) => ts.clone(),
            (Ty::Point, None) => vec![Ty::Int, Ty::Bool],
            _ => Vec::new(),
        }
    }

    fn print_ctor(&self, ty: &Ty, ctor: &Constructor, fields: &[String]) -> String {
        let f = |i: usize| fields.get(i).cloned().unwrap_or_else(|| "?".to_string());
        match (ty, ctor) {
            (_, Constructor::Bool(b)) => b.to_string(),
            (_, Constructor::Int(n)) => n.to_string(),
            (_, Constructor::Bytes(bs)) => {
                let hex: String = bs.iter().map(|b| format!("{b:02x}")).collect();
                format!("#\"{hex}\"")
            }
            (Ty::Option(_), Constructor::Variant(0)) => "None".to_string(),
            (Ty::Option(_), Constructor::Variant(1)) => format!("Some({})", f(0)),
            (Ty::List(_), Constructor::Variant(0)) => "[]".to_string(),
            (Ty::List(_), Constructor::Variant(1)) => print_cons(&f(0), &f(1)),
            (Ty::Tree, Constructor::Variant(0)) => "Leaf".to_string(),
            (Ty::Tree, Constructor::Variant(1)) => format!("Node({}, {}, {})", f(0), f(1), f(2)),
            (Ty::Shape, Constructor::Variant(0)) => "Dot".to_string(),
            (Ty::Shape, Constructor::Variant(1)) => format!("Circle({})", f(0)),
            (Ty::Shape, Constructor::Variant(2)) => format!("Rect({}, {})", f(0), f(1)),
            (Ty::Wrap(_), Constructor::Variant(0)) => format!("Wrap({})", f(0)),
            (Ty::Tuple(ts), Constructor::Single) if ts.len() == 1 => format!("({},)", f(0)),
            (Ty::Tuple(_), Constructor::Single) => format!("({})", fields.join(", ")),
            (Ty::Point, Constructor::Single) => format!("Point {{ x: {}, y: {} }}", f(0), f(1)),
            _ => "?".to_string(),
        }
    }
}

// Type builders.

pub fn option(t: Ty) -> Ty {
    Ty::Option(Box::new(t))
}
pub fn list(t: Ty) -> Ty {
    Ty::List(Box::new(t))
}
pub fn wrap_ty(t: Ty) -> Ty {
    Ty::Wrap(Box::new(t))
}
pub fn tuple(ts: &[Ty]) -> Ty {
    Ty::Tuple(ts.to_vec())
}

// Pattern builders.

pub fn w() -> Pattern {
    Pattern::Wild
}
fn ctor(c: Constructor, fields: Vec<Pattern>) -> Pattern {
    Pattern::Ctor { ctor: c, fields }
}
fn var(i: u32, fields: Vec<Pattern>) -> Pattern {
    ctor(Constructor::Variant(i), fields)
}
pub fn b(v: bool) -> Pattern {
    Pattern::leaf(Constructor::Bool(v))
}
pub fn int(n: i128) -> Pattern {
    Pattern::leaf(Constructor::Int(n))
}
pub fn bytes(bs: &[u8]) -> Pattern {
    Pattern::leaf(Constructor::Bytes(bs.to_vec()))
}
pub fn none() -> Pattern {
    var(0, vec![])
}
pub fn some(p: Pattern) -> Pattern {
    var(1, vec![p])
}
/// `[p1, .., pn]` (`rest: None`) or `[p1, .., pn, ..rest]`.
pub fn lst(items: Vec<Pattern>, rest: Option<Pattern>) -> Pattern {
    Pattern::list(items, rest)
}
pub fn leaf() -> Pattern {
    var(0, vec![])
}
pub fn node(l: Pattern, v: Pattern, r: Pattern) -> Pattern {
    var(1, vec![l, v, r])
}
pub fn dot() -> Pattern {
    var(0, vec![])
}
pub fn circle(p: Pattern) -> Pattern {
    var(1, vec![p])
}
pub fn rect(p: Pattern, q: Pattern) -> Pattern {
    var(2, vec![p, q])
}
pub fn wrap(p: Pattern) -> Pattern {
    var(0, vec![p])
}
pub fn tup(ps: Vec<Pattern>) -> Pattern {
    ctor(Constructor::Single, ps)
}
pub fn point(x: Pattern, y: Pattern) -> Pattern {
    ctor(Constructor::Single, vec![x, y])
}
/// Any constructor with any fields, to build malformed patterns.
pub fn raw(c: Constructor, fields: Vec<Pattern>) -> Pattern {
    ctor(c, fields)
}
