//! Strongly connected components of the call graph (Tarjan's algorithm,
//! with an explicit stack so that deep call chains cannot overflow Rust's).

/// The strongly connected components of the graph with `n` nodes and the
/// given successor lists, each sorted, in reverse topological order.
pub fn components(n: usize, successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut out = Vec::new();
    // Frames of the depth-first search: a node and how many successors it has tried.
    let mut frames: Vec<(usize, usize)> = Vec::new();

    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, 0));
        while let Some(frame) = frames.last_mut() {
            let (node, tried) = *frame;
            frame.1 += 1;
            let list = successors.get(node).map_or(&[][..], Vec::as_slice);
            match list.get(tried).copied() {
                // A successor out of range can only come from a broken caller: skip it.
                Some(m) if m >= n => {}
                Some(m) if index[m] == UNVISITED => {
                    index[m] = next_index;
                    low[m] = next_index;
                    next_index += 1;
                    stack.push(m);
                    on_stack[m] = true;
                    frames.push((m, 0));
                }
                Some(m) => {
                    if on_stack[m] {
                        low[node] = low[node].min(index[m]);
                    }
                }
                None => {
                    frames.pop();
                    if let Some(&(parent, _)) = frames.last() {
                        low[parent] = low[parent].min(low[node]);
                    }
                    if low[node] == index[node] {
                        let mut component = Vec::new();
                        while let Some(m) = stack.pop() {
                            on_stack[m] = false;
                            component.push(m);
                            if m == node {
                                break;
                            }
                        }
                        component.sort_unstable();
                        out.push(component);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn finds_cycles_and_singletons() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4 alone.
        let graph = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![]];
        let mut found = components(5, &graph);
        found.sort();
        assert_eq!(found, vec![vec![0, 1, 2], vec![3], vec![4]]);
    }

    #[test]
    fn reverse_topological_order() {
        let graph = vec![vec![1], vec![]];
        assert_eq!(components(2, &graph), vec![vec![1], vec![0]]);
    }

    #[test]
    fn long_chains_do_not_overflow_the_stack() {
        let n = 200_000;
        let graph: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let found = components(n, &graph);
        assert_eq!(found.len(), 1);
        assert_eq!(found.first().map(Vec::len), Some(n));
    }

    #[test]
    fn out_of_range_successors_are_ignored() {
        let graph = vec![vec![7, 0]];
        assert_eq!(components(1, &graph), vec![vec![0]]);
    }
}
