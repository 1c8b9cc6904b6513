//! The syntax tree of one Tally module, as the parser builds it.
//!
//! Expressions, patterns and type expressions live in arenas owned by
//! [`Module`] and refer to each other by index ([`ExprId`], [`PatId`],
//! [`TypeId`]). This keeps the tree cheap to compare and clone, lets later
//! phases attach facts by index, and means dropping a deep tree never recurses.
//! Because the parser works bottom-up, every child is allocated before its
//! parent: a child's index is always smaller than its parent's.
//!
//! Every node has a [`Span`]. A part the parser could not make sense of is an
//! `Error` node, so a broken file still yields a tree.

use crate::span::Span;

/// An identifier with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The identifier's text.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A `::`-separated path such as `std::list::map` or just `x`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    /// The segments, at least one.
    pub segments: Vec<Ident>,
    /// The span of the whole path.
    pub span: Span,
}

impl Path {
    /// The last segment: the name the path refers to.
    pub fn last(&self) -> &Ident {
        // The parser never builds an empty path.
        &self.segments[self.segments.len() - 1]
    }

    /// The path written back with `::`.
    pub fn to_text(&self) -> String {
        let names: Vec<&str> = self.segments.iter().map(|s| s.name.as_str()).collect();
        names.join("::")
    }
}

macro_rules! arena_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the module's arena.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

arena_id!(
    /// Index of an expression in [`Module::exprs`].
    ExprId
);
arena_id!(
    /// Index of a pattern in [`Module::pats`].
    PatId
);
arena_id!(
    /// Index of a type expression in [`Module::types`].
    TypeId
);

/// One parsed source file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Module {
    /// The items in source order.
    pub items: Vec<Item>,
    /// All expressions of the module.
    pub exprs: Vec<Expr>,
    /// All patterns of the module.
    pub pats: Vec<Pat>,
    /// All type expressions of the module.
    pub types: Vec<TypeExpr>,
}

impl Module {
    /// The expression with this id.
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.index()]
    }

    /// The pattern with this id.
    pub fn pat(&self, id: PatId) -> &Pat {
        &self.pats[id.index()]
    }

    /// The type expression with this id.
    pub fn ty(&self, id: TypeId) -> &TypeExpr {
        &self.types[id.index()]
    }

    /// The functions of the module, in source order.
    pub fn fns(&self) -> impl Iterator<Item = &FnDef> {
        self.items.iter().filter_map(|item| match item {
            Item::Fn(f) => Some(f),
            _ => None,
        })
    }
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `fn name<T>(params) -> Ret { body }`
    Fn(FnDef),
    /// `struct Name<T> { fields }`
    Struct(StructDef),
    /// `enum Name<T> { variants }`
    Enum(EnumDef),
    /// `use std::list::{map, filter}`
    Use(UseDecl),
    /// `test name() { expr }`
    Test(TestDef),
    /// `type Name<T> = Type;`
    TypeAlias(TypeAliasDef),
    /// `const NAME: Type = expr;`
    Const(ConstDef),
    /// Text the parser skipped while recovering from an error.
    Error(Span),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Span {
        match self {
            Item::Fn(f) => f.span,
            Item::Struct(s) => s.span,
            Item::Enum(e) => e.span,
            Item::Use(u) => u.span,
            Item::Test(t) => t.span,
            Item::TypeAlias(a) => a.span,
            Item::Const(c) => c.span,
            Item::Error(span) => *span,
        }
    }
}

/// A function definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its name.
    pub name: Ident,
    /// Its type parameters.
    pub generics: Vec<Ident>,
    /// Its parameters.
    pub params: Vec<Param>,
    /// The written return type (absent only in a broken file).
    pub ret: Option<TypeId>,
    /// The body block.
    pub body: ExprId,
    /// The span of the whole definition.
    pub span: Span,
}

/// A function parameter `name: Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name.
    pub name: Ident,
    /// Its written type.
    pub ty: TypeId,
}

/// A struct definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its name.
    pub name: Ident,
    /// Its type parameters.
    pub generics: Vec<Ident>,
    /// Its fields, in order.
    pub fields: Vec<FieldDef>,
    /// The span of the whole definition.
    pub span: Span,
}

/// A struct field `name: Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// The field's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeId,
}

/// An enum definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its name.
    pub name: Ident,
    /// Its type parameters.
    pub generics: Vec<Ident>,
    /// Its variants, in order.
    pub variants: Vec<Variant>,
    /// The span of the whole definition.
    pub span: Span,
}

/// An enum variant `Name` or `Name(T, U)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// The constructor's name.
    pub name: Ident,
    /// The payload types, in order.
    pub fields: Vec<TypeId>,
    /// The span of the variant.
    pub span: Span,
}

/// `use a::b::{x, y}` (or `use a::b::x`, stored as `path = a::b`, `names = [x]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseDecl {
    /// The module path.
    pub module: Path,
    /// The imported names.
    pub names: Vec<Ident>,
    /// The span of the whole declaration.
    pub span: Span,
}

/// `test name() { expr }`, or a property `test name(x: Int) { expr }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// The test's name.
    pub name: Ident,
    /// A property's parameters (empty for a plain test): `tally test` runs
    /// the body on generated values of these types.
    pub params: Vec<Param>,
    /// Per parameter (same length as `params`): `Some(f)` for one written
    /// `x: T via f`, whose values are `f` applied to generated values of
    /// `f`'s parameter types.
    pub via: Vec<Option<Ident>>,
    /// The body block; it must be a `Bool`, unless the test expects a failure.
    pub body: ExprId,
    /// `fails` or `fails "reason"` after the parentheses: the test passes
    /// only if its body fails (with this reason, if one is given).
    pub fails: Option<ExpectFail>,
    /// The span of the whole test.
    pub span: Span,
}

/// `type Name<T> = Type;`: another name for a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeAliasDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its name.
    pub name: Ident,
    /// Its type parameters.
    pub generics: Vec<Ident>,
    /// The type it stands for.
    pub ty: TypeId,
    /// The span of the whole definition.
    pub span: Span,
}

/// `const NAME: Type = expr;`: a value computed by the compiler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstDef {
    /// The `///` comment above it, if any.
    pub doc: Option<String>,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its name (upper case by convention, any identifier allowed).
    pub name: Ident,
    /// Its written type.
    pub ty: TypeId,
    /// The defining expression.
    pub value: ExprId,
    /// The span of the whole definition.
    pub span: Span,
}

/// `fails` or `fails "reason"` in a test's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectFail {
    /// The reason the body must fail with, and where it was written; any
    /// reason if absent.
    pub reason: Option<(Vec<u8>, Span)>,
    /// The span from `fails` to the reason.
    pub span: Span,
}

/// A written type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    /// What kind of type.
    pub kind: TypeExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of written types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExprKind {
    /// `Int`, `List<T>`, `T`, `Tree`.
    Named {
        /// The type's name.
        name: Ident,
        /// Its type arguments.
        args: Vec<TypeId>,
    },
    /// `()`
    Unit,
    /// `(A, B, ...)` with two or more elements.
    Tuple(Vec<TypeId>),
    /// `fn(A, B) -> C`
    Fn {
        /// Parameter types.
        params: Vec<TypeId>,
        /// Result type.
        ret: TypeId,
    },
    /// A type the parser could not read.
    Error,
}

/// An expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`
    And,
    /// `||`
    Or,
}

impl BinOp {
    /// The operator as written.
    pub fn text(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-e`
    Neg,
    /// `!e`
    Not,
}

/// One `let` in a block: `let pat: Type = value;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetStmt {
    /// The bound pattern (irrefutable).
    pub pat: PatId,
    /// The optional written type.
    pub ty: Option<TypeId>,
    /// The bound value.
    pub value: ExprId,
    /// `else { ... }` of a let-else: the block run when the (refutable)
    /// pattern does not match; it must fail.
    pub else_branch: Option<ExprId>,
    /// Written `expect PAT = value else fail(..);` (the same as `let ... else`).
    pub expect: bool,
    /// The span from `let` to `;`.
    pub span: Span,
}

/// `name: value` (or the shorthand `name`) in a struct literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInit {
    /// The field's name.
    pub name: Ident,
    /// The value; for the shorthand `name`, a path expression `name`.
    pub value: ExprId,
    /// Whether it was written as the shorthand `name`.
    pub shorthand: bool,
}

/// A `match` arm `pat => body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    /// The pattern.
    pub pat: PatId,
    /// The arm's value.
    pub body: ExprId,
    /// The span of the whole arm.
    pub span: Span,
}

/// A lambda parameter `x` or `x: Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaParam {
    /// The parameter's name (`_` is allowed).
    pub name: Ident,
    /// The optional written type.
    pub ty: Option<TypeId>,
}

/// The forms of expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// An integer literal.
    Int(i128),
    /// `true` or `false`.
    Bool(bool),
    /// `#"00ff"`.
    Bytes(Vec<u8>),
    /// `()`.
    Unit,
    /// A name: a local, a function, a unit constructor, possibly qualified.
    Path(Path),
    /// `(a, b, ...)`, two or more elements.
    Tuple(Vec<ExprId>),
    /// `[a, b, ..tail]`; `tail` is absent for a plain list literal.
    List {
        /// The leading elements.
        items: Vec<ExprId>,
        /// The list the elements are put in front of.
        tail: Option<ExprId>,
    },
    /// `f(a, b)`; with `piped`, written `a |> f(b)` (the piped value is `args[0]`).
    Call {
        /// The called expression (a path in well-formed programs).
        callee: ExprId,
        /// The arguments, the piped one first.
        args: Vec<ExprId>,
        /// Whether the call was written with `|>`.
        piped: bool,
    },
    /// `e.name`.
    Field {
        /// The struct value.
        base: ExprId,
        /// The field's name.
        name: Ident,
    },
    /// `Name { f: e, ..base }`.
    StructLit {
        /// The struct's name.
        name: Path,
        /// The field initialisers in written order.
        fields: Vec<FieldInit>,
        /// The `..base` value the other fields are taken from.
        base: Option<ExprId>,
    },
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinOp,
        /// Where the operator was written.
        op_span: Span,
        /// Left operand.
        lhs: ExprId,
        /// Right operand.
        rhs: ExprId,
    },
    /// `op e`.
    Unary {
        /// The operator.
        op: UnOp,
        /// The operand.
        operand: ExprId,
    },
    /// `if cond { then } else { else }`.
    If {
        /// The condition.
        cond: ExprId,
        /// The `then` block.
        then_branch: ExprId,
        /// The `else` block or `else if` expression.
        else_branch: ExprId,
    },
    /// `match scrutinee { arms }`.
    Match {
        /// The matched value.
        scrutinee: ExprId,
        /// The arms in order.
        arms: Vec<Arm>,
    },
    /// `{ let ...; tail }`.
    Block {
        /// The `let` statements in order.
        lets: Vec<LetStmt>,
        /// The value of the block.
        tail: ExprId,
    },
    /// `|x, y| body`.
    Lambda {
        /// The parameters.
        params: Vec<LambdaParam>,
        /// The body.
        body: ExprId,
    },
    /// `fail(reason)`: ends the whole call with a trap carrying `reason`.
    Fail {
        /// The reason, a constant `Bytes` expression.
        reason: ExprId,
    },
    /// `e?`: the `Ok`/`Some` payload of `e`, or returns its `Err`/`None`
    /// from the enclosing function.
    Try {
        /// The `Result` or `Option` value.
        operand: ExprId,
    },
    /// An expression the parser could not read.
    Error,
}

/// A pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pat {
    /// What kind of pattern.
    pub kind: PatKind,
    /// Where it was written.
    pub span: Span,
}

/// `name: pat` (or the shorthand `name`) in a struct pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPat {
    /// The field's name.
    pub name: Ident,
    /// The sub-pattern; for the shorthand, a binding of the same name.
    pub pat: PatId,
}

/// The forms of patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatKind {
    /// `_`
    Wildcard,
    /// `x`: binds the matched value.
    Bind(Ident),
    /// An integer literal, possibly negative.
    Int(i128),
    /// `true` / `false`.
    Bool(bool),
    /// `#"00ff"`.
    Bytes(Vec<u8>),
    /// `()`.
    Unit,
    /// `Ctor` or `Ctor(p, q)`; `args` is empty for a unit constructor.
    Ctor {
        /// The constructor's name.
        path: Path,
        /// Whether parentheses were written (`Ctor()` vs `Ctor`).
        args: Vec<PatId>,
    },
    /// `Name { f: p, g, .. }`.
    Struct {
        /// The struct's name.
        path: Path,
        /// The listed fields.
        fields: Vec<FieldPat>,
        /// Whether `..` allows unlisted fields.
        rest: bool,
    },
    /// `(p, q, ...)`, two or more elements.
    Tuple(Vec<PatId>),
    /// `[p, q]`, `[p, ..rest]`, `[p, ..]`.
    List {
        /// The leading element patterns.
        items: Vec<PatId>,
        /// The pattern for the rest of the list after `..` (a wildcard for `..`); absent for a
        /// list of exactly `items.len()` elements.
        rest: Option<PatId>,
    },
    /// A pattern the parser could not read.
    Error,
}

/// A direct child of a node: an expression, a pattern or a type expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// A sub-expression.
    Expr(ExprId),
    /// A pattern.
    Pat(PatId),
    /// A written type.
    Type(TypeId),
}

impl ExprKind {
    /// Calls `f` on every direct child, in source order.
    pub fn for_each_child(&self, mut f: impl FnMut(Child)) {
        use Child::{Expr, Pat, Type};
        match self {
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::Bytes(_)
            | ExprKind::Unit
            | ExprKind::Path(_)
            | ExprKind::Error => {}
            ExprKind::Tuple(items) => items.iter().for_each(|e| f(Expr(*e))),
            ExprKind::List { items, tail } => {
                items.iter().for_each(|e| f(Expr(*e)));
                tail.iter().for_each(|e| f(Expr(*e)));
            }
            ExprKind::Call {
                callee,
                args,
                piped,
            } => {
                if *piped {
                    args.iter().take(1).for_each(|e| f(Expr(*e)));
                    f(Expr(*callee));
                    args.iter().skip(1).for_each(|e| f(Expr(*e)));
                } else {
                    f(Expr(*callee));
                    args.iter().for_each(|e| f(Expr(*e)));
                }
            }
            ExprKind::Field { base, .. } => f(Expr(*base)),
            ExprKind::Fail { reason } => f(Expr(*reason)),
            ExprKind::Try { operand } => f(Expr(*operand)),
            ExprKind::StructLit { fields, base, .. } => {
                fields.iter().for_each(|field| f(Expr(field.value)));
                base.iter().for_each(|e| f(Expr(*e)));
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                f(Expr(*lhs));
                f(Expr(*rhs));
            }
            ExprKind::Unary { operand, .. } => f(Expr(*operand)),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                f(Expr(*cond));
                f(Expr(*then_branch));
                f(Expr(*else_branch));
            }
            ExprKind::Match { scrutinee, arms } => {
                f(Expr(*scrutinee));
                for arm in arms {
                    f(Pat(arm.pat));
                    f(Expr(arm.body));
                }
            }
            ExprKind::Block { lets, tail } => {
                for stmt in lets {
                    f(Pat(stmt.pat));
                    stmt.ty.iter().for_each(|t| f(Type(*t)));
                    f(Expr(stmt.value));
                    stmt.else_branch.iter().for_each(|e| f(Expr(*e)));
                }
                f(Expr(*tail));
            }
            ExprKind::Lambda { params, body } => {
                for param in params {
                    param.ty.iter().for_each(|t| f(Type(*t)));
                }
                f(Expr(*body));
            }
        }
    }
}

impl PatKind {
    /// Calls `f` on every direct sub-pattern, in source order.
    pub fn for_each_child(&self, mut f: impl FnMut(PatId)) {
        match self {
            PatKind::Wildcard
            | PatKind::Bind(_)
            | PatKind::Int(_)
            | PatKind::Bool(_)
            | PatKind::Bytes(_)
            | PatKind::Unit
            | PatKind::Error => {}
            PatKind::Ctor { args, .. } => args.iter().for_each(|p| f(*p)),
            PatKind::Struct { fields, .. } => fields.iter().for_each(|field| f(field.pat)),
            PatKind::Tuple(items) => items.iter().for_each(|p| f(*p)),
            PatKind::List { items, rest } => {
                items.iter().for_each(|p| f(*p));
                rest.iter().for_each(|p| f(*p));
            }
        }
    }
}

impl TypeExprKind {
    /// Calls `f` on every direct type argument, in source order.
    pub fn for_each_child(&self, mut f: impl FnMut(TypeId)) {
        match self {
            TypeExprKind::Named { args, .. } => args.iter().for_each(|t| f(*t)),
            TypeExprKind::Unit | TypeExprKind::Error => {}
            TypeExprKind::Tuple(items) => items.iter().for_each(|t| f(*t)),
            TypeExprKind::Fn { params, ret } => {
                params.iter().for_each(|t| f(*t));
                f(*ret);
            }
        }
    }
}
