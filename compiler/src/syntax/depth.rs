//! Caps how deeply expressions, patterns and types may nest.
//!
//! Later phases walk the tree recursively; a cap keeps that recursion small
//! whatever the input. Because every child is allocated before its parent,
//! one forward pass over each arena computes every node's depth. A node past
//! the cap becomes an `Error` node (cutting its subtree off), and only the
//! innermost node of a too-deep chain is reported.

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Child, ExprKind, Module, PatKind, TypeExprKind};

/// The deepest nesting accepted, counting expressions, patterns and types together.
pub const MAX_DEPTH: u32 = 256;

/// Replaces nodes nested deeper than [`MAX_DEPTH`] by error nodes and reports them.
pub fn limit(module: &mut Module, diagnostics: &mut Vec<Diagnostic>) {
    // The label points at where the too-deep node starts: its whole span can
    // be huge and says nothing more.
    let mut report = |span: crate::span::Span, what: &str| {
        diagnostics.push(
            Diagnostic::new(
                Code::NestingTooDeep,
                format!("{what} nested too deeply"),
                crate::span::Span::new(span.start as usize, span.start as usize + 1),
                format!("this is more than {MAX_DEPTH} levels deep"),
            )
            .with_help("split it up with `let` bindings or helper functions"),
        );
    };

    let mut type_depth = vec![0u32; module.types.len()];
    for index in 0..module.types.len() {
        let mut deepest = 0;
        module.types[index]
            .kind
            .for_each_child(|t| deepest = deepest.max(depth_of(&type_depth, t.index())));
        type_depth[index] = settle(deepest, || {
            report(module.types[index].span, "type");
        });
        if type_depth[index] > MAX_DEPTH {
            module.types[index].kind = TypeExprKind::Error;
        }
    }

    let mut pat_depth = vec![0u32; module.pats.len()];
    for index in 0..module.pats.len() {
        let mut deepest = 0;
        module.pats[index]
            .kind
            .for_each_child(|p| deepest = deepest.max(depth_of(&pat_depth, p.index())));
        pat_depth[index] = settle(deepest, || report(module.pats[index].span, "pattern"));
        if pat_depth[index] > MAX_DEPTH {
            module.pats[index].kind = PatKind::Error;
        }
    }

    let mut expr_depth = vec![0u32; module.exprs.len()];
    for index in 0..module.exprs.len() {
        let mut deepest = 0;
        module.exprs[index].kind.for_each_child(|child| {
            let depth = match child {
                Child::Expr(e) => depth_of(&expr_depth, e.index()),
                Child::Pat(p) => depth_of(&pat_depth, p.index()),
                Child::Type(t) => depth_of(&type_depth, t.index()),
            };
            deepest = deepest.max(depth);
        });
        expr_depth[index] = settle(deepest, || report(module.exprs[index].span, "expression"));
        if expr_depth[index] > MAX_DEPTH {
            module.exprs[index].kind = ExprKind::Error;
        }
    }
}

/// A child index past the end can only come from a broken invariant; count it as shallow.
fn depth_of(depths: &[u32], index: usize) -> u32 {
    depths.get(index).copied().unwrap_or(0)
}

/// The depth of a node whose deepest child has depth `deepest`; reports the
/// node if it is the first of its chain past the cap.
fn settle(deepest: u32, report: impl FnOnce()) -> u32 {
    let depth = deepest.saturating_add(1);
    if depth == MAX_DEPTH + 1 {
        report();
    }
    depth.min(MAX_DEPTH + 1)
}
