//! TEMPORARY: the interface of `crate::exhaustive` (being written on branch
//! `exhaustive`), so the lowering in [`super::exhaust`] compiles before it
//! lands. `check_match` here finds nothing; once `crate::exhaustive` is on
//! main this file is deleted and `exhaust.rs` imports `crate::exhaustive`.

/// A constructor of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constructor {
    /// An enum variant, by index.
    Variant(u32),
    /// A Bool literal.
    Bool(bool),
    /// An Int literal.
    Int(i128),
    /// A Bytes literal.
    Bytes(Vec<u8>),
    /// The one constructor of tuples, structs and unit.
    Single,
}

/// All constructors of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConstructorSet {
    /// An enum with this many variants.
    Variants(u32),
    /// `false` and `true`.
    Bool,
    /// Tuples, structs, unit.
    Single,
    /// Int and Bytes.
    Infinite,
}

/// A lowered pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// `_` and bindings.
    Wild,
    /// A constructor with one sub-pattern per field.
    Ctor {
        /// The constructor.
        ctor: Constructor,
        /// Its fields in declaration order.
        fields: Vec<Pattern>,
    },
}

/// What the algorithm needs to know about types.
pub trait Cx {
    /// A type.
    type Ty: Clone;
    /// All constructors of `ty`.
    fn constructors(&self, ty: &Self::Ty) -> ConstructorSet;
    /// The field types of `ctor` at `ty`.
    fn field_types(&self, ty: &Self::Ty, ctor: &Constructor) -> Vec<Self::Ty>;
    /// Prints `ctor(fields..)` at `ty`.
    fn print_ctor(&self, ty: &Self::Ty, ctor: &Constructor, fields: &[String]) -> String;
}

/// The verdict on one match.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MatchReport {
    /// Unreachable arms.
    pub unreachable_arms: Vec<usize>,
    /// Printed witnesses, at most 3.
    pub missing: Vec<String>,
}

/// Placeholder until `crate::exhaustive` lands: reports nothing.
pub fn check_match<C: Cx>(_cx: &C, _scrutinee_ty: &C::Ty, _arms: &[Pattern]) -> MatchReport {
    MatchReport::default()
}
