//! Witnesses: vectors of patterns describing values no arm matches.
//!
//! A witness is stored flat, as its patterns' nodes in prefix order, *reversed*
//! (the first node last). A constructor node records its arity, so the trees
//! can be rebuilt; putting a node in front of the prefix order is a `push`.
//! This makes the two operations of the algorithm cheap and recursion-free:
//!
//! * wrapping the first `k` patterns as the fields of `c` is pushing `c/k`;
//! * prepending a head pattern is pushing its nodes, last one first.

use super::{Constructor, Cx};

/// One node of a witness pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node<Ty> {
    /// Any value.
    Wild,
    /// `ctor` of type `ty`, whose `arity` fields follow in prefix order.
    Ctor {
        ctor: Constructor,
        ty: Ty,
        arity: usize,
    },
}

/// A vector of witness patterns, in reversed prefix order (see the module doc).
pub(super) type Witness<Ty> = Vec<Node<Ty>>;

/// Prints a one-pattern witness with [`Cx::print_ctor`], without recursion.
///
/// Reading the reversed prefix order front to back visits every node after
/// its fields, the first field last, so a stack of printed patterns suffices.
/// A malformed witness (which the engine does not build) prints `_` where
/// something is missing instead of panicking.
pub(super) fn print<C: Cx>(cx: &C, witness: &Witness<C::Ty>) -> String {
    let mut stack: Vec<String> = Vec::new();
    for node in witness {
        match node {
            Node::Wild => stack.push("_".to_string()),
            Node::Ctor { ctor, ty, arity } => {
                let mut fields = Vec::with_capacity(*arity);
                for _ in 0..*arity {
                    fields.push(stack.pop().unwrap_or_else(|| "_".to_string()));
                }
                stack.push(cx.print_ctor(ty, ctor, &fields));
            }
        }
    }
    stack.pop().unwrap_or_else(|| "_".to_string())
}

/// Walks a one-pattern witness as a tree without recursion, for tests:
/// returns the subtrees as `(node, children)` in prefix order.
#[cfg(test)]
pub(super) fn to_tree<Ty: Clone>(witness: &Witness<Ty>) -> Option<WTree<Ty>> {
    let mut stack: Vec<WTree<Ty>> = Vec::new();
    for node in witness {
        match node {
            Node::Wild => stack.push(WTree::Wild),
            Node::Ctor { ctor, ty, arity } => {
                let mut fields = Vec::with_capacity(*arity);
                for _ in 0..*arity {
                    fields.push(stack.pop()?);
                }
                stack.push(WTree::Ctor {
                    ctor: ctor.clone(),
                    ty: ty.clone(),
                    fields,
                });
            }
        }
    }
    if stack.len() == 1 { stack.pop() } else { None }
}

/// A witness pattern as a tree (tests only).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WTree<Ty> {
    /// Any value.
    Wild,
    /// A constructor with its fields.
    Ctor {
        ctor: Constructor,
        ty: Ty,
        fields: Vec<WTree<Ty>>,
    },
}
