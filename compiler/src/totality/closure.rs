//! The size-change closure of one strongly connected component: every graph
//! of every call sequence, and the idempotent loops among them that no
//! parameter descends around.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

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

/// The most distinct graphs the head-reduced closure may hold: the
/// verifier's limit (`vm_core::limits::MAX_SCT_GRAPHS`), so that the compiler
/// accepts what the verifier accepts and names the same limit.
pub const MAX_REDUCED_GRAPHS: usize = vm_core::limits::MAX_SCT_GRAPHS;

/// The matrix-cell budget of the head-reduced closure: the verifier's.
pub const MAX_REDUCED_WORK: u64 = vm_core::limits::MAX_SCT_WORK;

/// Closes the calls `members` (all within one component) under composition
/// and returns the idempotent self-loops with no strictly decreasing
/// parameter. When the whole closure exceeds `cap` graphs (or
/// [`MAX_WORK`]), the closure over head-to-head segments is taken instead
/// (as the verifier does), within the verifier's limits.
pub fn close(calls: &[Call], members: &[usize], cap: usize) -> Outcome {
    match close_all(calls, members, cap) {
        Outcome::TooComplex => close_by_heads(calls, members),
        found => found,
    }
}

/// The closure of every call sequence (shortest loops first).
fn close_all(calls: &[Call], members: &[usize], cap: usize) -> Outcome {
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

/// Functions every cycle of the calls passes through: the targets of the
/// back edges of an (iterative) depth-first search.
fn heads(calls: &[Call], from: &BTreeMap<usize, Vec<usize>>) -> BTreeSet<usize> {
    let succ = |f: usize| -> Vec<usize> {
        from.get(&f).map_or(vec![], |cs| {
            cs.iter()
                .filter_map(|&c| calls.get(c).map(|k| k.callee))
                .collect()
        })
    };
    let mut heads = BTreeSet::new();
    // true: on the search stack; false: done.
    let mut state: BTreeMap<usize, bool> = BTreeMap::new();
    for &root in from.keys() {
        if state.contains_key(&root) {
            continue;
        }
        state.insert(root, true);
        let mut stack = vec![(root, succ(root))];
        while let Some((f, next)) = stack.last_mut() {
            match next.pop() {
                Some(g) => match state.get(&g) {
                    Some(true) => {
                        heads.insert(g);
                    }
                    Some(false) => {}
                    None => {
                        state.insert(g, true);
                        let s = succ(g);
                        stack.push((g, s));
                    }
                },
                None => {
                    state.insert(*f, false);
                    stack.pop();
                }
            }
        }
    }
    heads
}

/// A call sequence from a head through functions that are not heads.
struct Segment {
    dst: usize,
    matrix: Matrix,
    prev: Option<usize>,
    call: usize,
}

/// The closure over head-to-head segments: every cycle passes through a
/// head, so every infinite call sequence is a sequence of segments, and
/// the loops with no descent are found among the segments' compositions.
/// A ring of `n` functions has one head and one segment instead of `n²`
/// graphs.
fn close_by_heads(calls: &[Call], members: &[usize]) -> Outcome {
    let mut from: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &c in members {
        if let Some(call) = calls.get(c) {
            from.entry(call.caller).or_default().push(c);
        }
    }
    let heads = heads(calls, &from);
    let mut work: u64 = 0;
    let mut steps: Vec<Segment> = Vec::new();
    // Segments ending at a head, by the head they start from.
    let mut segs: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &h in &heads {
        let mut reached: HashSet<(usize, Matrix)> = HashSet::new();
        let mut queue: VecDeque<usize> = VecDeque::new();
        for &c in from.get(&h).map_or(&[][..], Vec::as_slice) {
            let Some(call) = calls.get(c) else { continue };
            if reached.insert((call.callee, call.matrix.clone())) {
                steps.push(Segment {
                    dst: call.callee,
                    matrix: call.matrix.clone(),
                    prev: None,
                    call: c,
                });
                queue.push_back(steps.len() - 1);
            }
        }
        while let Some(id) = queue.pop_front() {
            let Some(dst) = steps.get(id).map(|s| s.dst) else {
                continue;
            };
            if heads.contains(&dst) {
                segs.entry(h).or_default().push(id);
                continue;
            }
            for &c in from.get(&dst).map_or(&[][..], Vec::as_slice) {
                let Some(call) = calls.get(c) else { continue };
                let Some(left) = steps.get(id).map(|s| &s.matrix) else {
                    continue;
                };
                work = work.saturating_add(left.cost(&call.matrix));
                let matrix = left.then(&call.matrix);
                if work > MAX_REDUCED_WORK || steps.len() >= MAX_REDUCED_GRAPHS {
                    return Outcome::TooComplex;
                }
                if reached.insert((call.callee, matrix.clone())) {
                    steps.push(Segment {
                        dst: call.callee,
                        matrix,
                        prev: Some(id),
                        call: c,
                    });
                    queue.push_back(steps.len() - 1);
                }
            }
        }
    }
    // The closure over segments: a node is a graph between heads, the
    // node it extends (if any) and the segment that extends it.
    struct Joined {
        src: usize,
        dst: usize,
        matrix: Matrix,
        prev: Option<usize>,
        seg: usize,
    }
    let mut nodes: Vec<Joined> = Vec::new();
    let mut seen: HashSet<(usize, usize, Matrix)> = HashSet::new();
    let mut queue: VecDeque<usize> = VecDeque::new();
    let mut bad = Vec::new();
    let mut push = |node: Joined, nodes: &mut Vec<Joined>, queue: &mut VecDeque<usize>| {
        if !seen.insert((node.src, node.dst, node.matrix.clone())) {
            return;
        }
        if node.src == node.dst && node.matrix.is_idempotent() && !node.matrix.has_strict_diagonal()
        {
            bad.push(nodes.len());
        }
        nodes.push(node);
        queue.push_back(nodes.len() - 1);
    };
    for (&h, ids) in &segs {
        for &id in ids {
            let Some(s) = steps.get(id) else { continue };
            let node = Joined {
                src: h,
                dst: s.dst,
                matrix: s.matrix.clone(),
                prev: None,
                seg: id,
            };
            push(node, &mut nodes, &mut queue);
        }
    }
    while let Some(id) = queue.pop_front() {
        let Some((src, dst)) = nodes.get(id).map(|n| (n.src, n.dst)) else {
            continue;
        };
        for &sid in segs.get(&dst).map_or(&[][..], Vec::as_slice) {
            let (Some(left), Some(s)) = (nodes.get(id).map(|n| &n.matrix), steps.get(sid)) else {
                continue;
            };
            work = work.saturating_add(left.cost(&s.matrix));
            if work > MAX_REDUCED_WORK || steps.len() + nodes.len() >= MAX_REDUCED_GRAPHS {
                return Outcome::TooComplex;
            }
            let node = Joined {
                src,
                dst: s.dst,
                matrix: left.then(&s.matrix),
                prev: Some(id),
                seg: sid,
            };
            push(node, &mut nodes, &mut queue);
        }
    }
    let loops = bad
        .into_iter()
        .filter_map(|id| {
            let node = nodes.get(id)?;
            // The segments, last first; each segment's calls, last first.
            let mut calls_rev = Vec::new();
            let mut at = Some(id);
            while let Some(n) = at.and_then(|i| nodes.get(i)) {
                let mut s = Some(n.seg);
                while let Some(step) = s.and_then(|i| steps.get(i)) {
                    calls_rev.push(step.call);
                    s = step.prev;
                }
                at = n.prev;
            }
            calls_rev.reverse();
            Some(BadLoop {
                path: calls_rev,
                graph: node.matrix.clone(),
            })
        })
        .collect();
    Outcome::Loops(loops)
}
