//! The size-change closure of one strongly connected component: every graph
//! of every call sequence, and the idempotent loops among them that no
//! parameter descends around.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::extract::Call;
use super::matrix::Matrix;

/// The most distinct graphs the closure of one component may hold.
pub const MAX_GRAPHS: usize = 10_000;

/// The most matrix-cell operations one closure may spend composing graphs
/// (this bounds the time for functions with very many parameters).
pub const MAX_WORK: u64 = 20_000_000;

/// A call sequence from a function back to itself along which no parameter
/// is shown to decrease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLoop {
    /// The calls of the sequence, in order (indices into the call list).
    pub path: Vec<usize>,
    /// The idempotent graph of the sequence, with no `<` on its diagonal.
    pub graph: Matrix,
}

/// What the closure found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The loops with no descent, in the order found (shortest first).
    Loops(Vec<BadLoop>),
    /// More than [`MAX_GRAPHS`] distinct graphs, or more than [`MAX_WORK`]
    /// to compute them: the check gave up.
    TooComplex,
}

/// One graph of the closure and how it was made.
struct Node {
    src: usize,
    dst: usize,
    matrix: Matrix,
    /// The graph this one extends by `call`, if any.
    prev: Option<usize>,
    call: usize,
}

/// Closes the calls `members` (all within one component) under composition
/// and returns the idempotent self-loops with no strictly decreasing parameter.
pub fn close(calls: &[Call], members: &[usize], cap: usize) -> Outcome {
    let mut from: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &c in members {
        if let Some(call) = calls.get(c) {
            from.entry(call.caller).or_default().push(c);
        }
    }
    let mut nodes: Vec<Node> = Vec::new();
    // Only for membership: never iterated.
    let mut seen: HashMap<(usize, usize, Matrix), usize> = HashMap::new();
    let mut queue = VecDeque::new();
    let mut bad = Vec::new();

    let mut add = |node: Node, nodes: &mut Vec<Node>, queue: &mut VecDeque<usize>| -> bool {
        let key = (node.src, node.dst, node.matrix.clone());
        if seen.contains_key(&key) {
            return true;
        }
        if nodes.len() >= cap {
            return false;
        }
        let id = nodes.len();
        seen.insert(key, id);
        if node.src == node.dst && node.matrix.is_idempotent() && !node.matrix.has_strict_diagonal()
        {
            bad.push(id);
        }
        nodes.push(node);
        queue.push_back(id);
        true
    };

    for &c in members {
        let Some(call) = calls.get(c) else { continue };
        let node = Node {
            src: call.caller,
            dst: call.callee,
            matrix: call.matrix.clone(),
            prev: None,
            call: c,
        };
        if !add(node, &mut nodes, &mut queue) {
            return Outcome::TooComplex;
        }
    }
    let mut work: u64 = 0;
    while let Some(id) = queue.pop_front() {
        let Some((src, dst)) = nodes.get(id).map(|n| (n.src, n.dst)) else {
            continue;
        };
        for &c in from.get(&dst).map_or(&[][..], Vec::as_slice) {
            let Some(call) = calls.get(c) else { continue };
            let Some(left) = nodes.get(id).map(|n| &n.matrix) else {
                continue;
            };
            work = work.saturating_add(left.cost(&call.matrix));
            if work > MAX_WORK {
                return Outcome::TooComplex;
            }
            let matrix = left.then(&call.matrix);
            let node = Node {
                src,
                dst: call.callee,
                matrix,
                prev: Some(id),
                call: c,
            };
            if !add(node, &mut nodes, &mut queue) {
                return Outcome::TooComplex;
            }
        }
    }
    let loops = bad
        .into_iter()
        .filter_map(|id| {
            let node = nodes.get(id)?;
            Some(BadLoop {
                path: path(&nodes, id),
                graph: node.matrix.clone(),
            })
        })
        .collect();
    Outcome::Loops(loops)
}

/// The calls that make graph `id`, first call first.
fn path(nodes: &[Node], id: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = Some(id);
    while let Some(node) = at.and_then(|i| nodes.get(i)) {
        out.push(node.call);
        at = node.prev;
    }
    out.reverse();
    out
}
