//! The parser's side of tree building: arena allocation and the small
//! rewrites the grammar's actions need (pipes, shorthands, path patterns).

use crate::span::Span;
use crate::syntax::ast::{
    BinOp, Expr, ExprId, ExprKind, Ident, Pat, PatId, PatKind, Path, TypeExpr, TypeExprKind, TypeId,
};
use crate::syntax::token::Token;

/// A syntax error the parser recovered from.
pub type Recovered = lalrpop_util::ErrorRecovery<usize, Token, ()>;

/// Arenas and recovered errors, filled by the grammar's actions.
#[derive(Default)]
pub struct Builder {
    /// Expressions allocated so far.
    pub exprs: Vec<Expr>,
    /// Patterns allocated so far.
    pub pats: Vec<Pat>,
    /// Type expressions allocated so far.
    pub types: Vec<TypeExpr>,
    /// Syntax errors the parser recovered from.
    pub errors: Vec<Recovered>,
}

impl Builder {
    /// Allocates an expression.
    pub fn expr(&mut self, kind: ExprKind, span: Span) -> ExprId {
        self.exprs.push(Expr { kind, span });
        ExprId(self.exprs.len() as u32 - 1)
    }

    /// Allocates a pattern.
    pub fn pat(&mut self, kind: PatKind, span: Span) -> PatId {
        self.pats.push(Pat { kind, span });
        PatId(self.pats.len() as u32 - 1)
    }

    /// Allocates a type expression.
    pub fn ty(&mut self, kind: TypeExprKind, span: Span) -> TypeId {
        self.types.push(TypeExpr { kind, span });
        TypeId(self.types.len() as u32 - 1)
    }

    /// Allocates `lhs op rhs`.
    pub fn binary(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: ExprId,
        rhs: ExprId,
        span: Span,
    ) -> ExprId {
        self.expr(
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            },
            span,
        )
    }

    /// `lhs |> f(args)` becomes the call `f(lhs, args)`, marked as piped;
    /// `lhs |> f` becomes `f(lhs)`. The call node is rewritten in place, so
    /// children still come before parents in the arena.
    pub fn pipe(&mut self, lhs: ExprId, rhs: ExprId, span: Span) -> ExprId {
        let node = &mut self.exprs[rhs.index()];
        match &mut node.kind {
            ExprKind::Call {
                args,
                piped: piped @ false,
                ..
            } => {
                args.insert(0, lhs);
                *piped = true;
                node.span = span;
                rhs
            }
            _ => self.expr(
                ExprKind::Call {
                    callee: rhs,
                    args: vec![lhs],
                    piped: true,
                },
                span,
            ),
        }
    }

    /// The value of the struct-literal shorthand `Name { field }`: the path `field`.
    pub fn shorthand(&mut self, name: &Ident) -> ExprId {
        let path = Path {
            segments: vec![name.clone()],
            span: name.span,
        };
        self.expr(ExprKind::Path(path), name.span)
    }

    /// A path in a pattern: a single lower-case name binds, anything else
    /// names a constructor.
    pub fn path_pattern(&mut self, path: Path, span: Span) -> PatId {
        let binds = path.segments.len() == 1 && !starts_upper(&path.segments[0].name);
        let kind = if binds {
            PatKind::Bind(path.segments[0].clone())
        } else {
            PatKind::Ctor {
                path,
                args: Vec::new(),
            }
        };
        self.pat(kind, span)
    }
}

/// Whether a name is capitalised (a type, type parameter or constructor).
pub fn starts_upper(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}
