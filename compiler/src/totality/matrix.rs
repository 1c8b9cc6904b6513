//! Size-change graphs: how the arguments of a call relate in size to the
//! parameters of the calling function, as a matrix over `<`, `≤` and `?`.

/// What is known about an argument's size relative to one parameter.
///
/// The variants are ordered by how much they say: `Unknown < Le < Lt`, so
/// `max` keeps the better of two facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rel {
    /// Nothing is known (`?`).
    Unknown,
    /// Not larger (`≤`).
    Le,
    /// Strictly smaller (`<`).
    Lt,
}

impl Rel {
    /// The relation of `a` to `c` when `a` relates to `b` as `self` and `b` to `c` as `next`.
    pub fn then(self, next: Rel) -> Rel {
        match (self, next) {
            (Rel::Unknown, _) | (_, Rel::Unknown) => Rel::Unknown,
            (Rel::Le, Rel::Le) => Rel::Le,
            _ => Rel::Lt,
        }
    }

    /// The relation of a part of a value (a field, a pattern variable) to what the value relates to.
    pub fn strict(self) -> Rel {
        match self {
            Rel::Unknown => Rel::Unknown,
            Rel::Le | Rel::Lt => Rel::Lt,
        }
    }

    /// The symbol shown in relation tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Rel::Unknown => "?",
            Rel::Le => "≤",
            Rel::Lt => "<",
        }
    }
}

/// A size-change graph: entry `(i, j)` relates argument `j` of a call (or of
/// the last call of a sequence) to parameter `i` of the (first) caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    cells: Vec<Rel>,
}

impl Matrix {
    /// A `rows × cols` matrix saying nothing.
    pub fn unknown(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            cells: vec![Rel::Unknown; rows.saturating_mul(cols)],
        }
    }

    /// Entry `(i, j)`; `?` outside the matrix.
    pub fn get(&self, i: usize, j: usize) -> Rel {
        if i < self.rows && j < self.cols {
            self.cells
                .get(i * self.cols + j)
                .copied()
                .unwrap_or(Rel::Unknown)
        } else {
            Rel::Unknown
        }
    }

    /// Sets entry `(i, j)`; does nothing outside the matrix.
    pub fn set(&mut self, i: usize, j: usize, rel: Rel) {
        if i < self.rows
            && j < self.cols
            && let Some(cell) = self.cells.get_mut(i * self.cols + j)
        {
            *cell = rel;
        }
    }

    /// The graph of `self` followed by `next` (`self ; next`).
    pub fn then(&self, next: &Matrix) -> Matrix {
        let mut out = Matrix::unknown(self.rows, next.cols);
        if self.cols == 0 || next.cols == 0 {
            return out;
        }
        // Row by row: each known entry `(i, j)` of `self` passes row `j` of
        // `next` on to row `i` of the result.
        for (row, out_row) in self
            .cells
            .chunks(self.cols)
            .zip(out.cells.chunks_mut(next.cols))
        {
            for (a, next_row) in row.iter().zip(next.cells.chunks(next.cols)) {
                if *a == Rel::Unknown {
                    continue;
                }
                for (o, b) in out_row.iter_mut().zip(next_row) {
                    *o = (*o).max(a.then(*b));
                }
            }
        }
        out
    }

    /// How many cell operations `self.then(next)` takes.
    pub fn cost(&self, next: &Matrix) -> u64 {
        (self.rows as u64)
            .saturating_mul(self.cols as u64)
            .saturating_mul(next.cols as u64)
    }

    /// Whether `self ; self == self` (only square matrices can be).
    pub fn is_idempotent(&self) -> bool {
        self.rows == self.cols && self.then(self) == *self
    }

    /// Whether some parameter is strictly smaller on the diagonal.
    pub fn has_strict_diagonal(&self) -> bool {
        (0..self.rows.min(self.cols)).any(|i| self.get(i, i) == Rel::Lt)
    }

    /// Whether some argument is known to be smaller than some parameter.
    pub fn has_strict(&self) -> bool {
        self.cells.contains(&Rel::Lt)
    }

    /// The best relation in column `j` and the first row that has it.
    pub fn best_in_column(&self, j: usize) -> (Rel, Option<usize>) {
        let mut best = (Rel::Unknown, None);
        for i in 0..self.rows {
            let rel = self.get(i, j);
            if rel > best.0 {
                best = (rel, Some(i));
            }
        }
        best
    }

    /// The matrix as a small table with the given rows and columns, each an
    /// index into the matrix and the name to show for it.
    pub fn table(&self, rows: &[(usize, String)], cols: &[(usize, String)]) -> String {
        let width = |s: &str| s.chars().count();
        let first = rows.iter().map(|(_, r)| width(r)).max().unwrap_or(0);
        let widths: Vec<usize> = cols.iter().map(|(_, c)| width(c).max(1)).collect();
        let mut lines = Vec::new();
        let mut header = format!("  {}", " ".repeat(first));
        for ((_, col), w) in cols.iter().zip(&widths) {
            header.push_str("  ");
            header.push_str(&pad(col, *w));
        }
        lines.push(header.trim_end().to_string());
        for (i, row) in rows {
            let mut line = format!("  {}", pad(row, first));
            for ((j, _), w) in cols.iter().zip(&widths) {
                line.push_str("  ");
                line.push_str(&pad(self.get(*i, *j).symbol(), *w));
            }
            lines.push(line.trim_end().to_string());
        }
        lines.join("\n")
    }
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::{Matrix, Rel};

    fn matrix(rows: &[&[Rel]]) -> Matrix {
        let cols = rows.first().map_or(0, |r| r.len());
        let mut m = Matrix::unknown(rows.len(), cols);
        for (i, row) in rows.iter().enumerate() {
            for (j, rel) in row.iter().enumerate() {
                m.set(i, j, *rel);
            }
        }
        m
    }

    use Rel::{Le, Lt, Unknown as Q};

    #[test]
    fn relations_compose() {
        assert_eq!(Le.then(Le), Le);
        assert_eq!(Le.then(Lt), Lt);
        assert_eq!(Lt.then(Le), Lt);
        assert_eq!(Lt.then(Q), Q);
        assert_eq!(Q.then(Lt), Q);
        assert_eq!(Le.strict(), Lt);
        assert_eq!(Q.strict(), Q);
    }

    #[test]
    fn swapping_twice_is_idempotent_without_descent() {
        let swap = matrix(&[&[Q, Le], &[Le, Q]]);
        assert!(!swap.is_idempotent());
        let twice = swap.then(&swap);
        assert_eq!(twice, matrix(&[&[Le, Q], &[Q, Le]]));
        assert!(twice.is_idempotent());
        assert!(!twice.has_strict_diagonal());
    }

    #[test]
    fn permuted_descent_composes_to_a_strict_diagonal() {
        // interleave(ys, rest): ys ≤ ys lands in xs, rest < xs lands in ys.
        let call = matrix(&[&[Q, Lt], &[Le, Q]]);
        let twice = call.then(&call);
        assert_eq!(twice, matrix(&[&[Lt, Q], &[Q, Lt]]));
        assert!(twice.has_strict_diagonal());
    }

    #[test]
    fn best_in_column_prefers_strict() {
        let m = matrix(&[&[Le, Q], &[Lt, Q]]);
        assert_eq!(m.best_in_column(0), (Lt, Some(1)));
        assert_eq!(m.best_in_column(1), (Q, None));
        assert_eq!(m.get(5, 5), Q);
    }

    #[test]
    fn tables_align_columns() {
        let m = matrix(&[&[Le, Q], &[Q, Lt]]);
        let names = [(0, "xs".to_string()), (1, "acc".to_string())];
        let table = m.table(&names, &names);
        assert_eq!(table, "       xs  acc\n  xs   ≤   ?\n  acc  ?   <");
        let only_acc = [(1, "acc".to_string())];
        assert_eq!(m.table(&only_acc, &names), "       xs  acc\n  acc  ?   <");
    }
}
