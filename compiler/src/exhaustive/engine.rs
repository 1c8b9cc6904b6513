//! The usefulness recursion `U(P, q)`, run on an explicit stack.
//!
//! A [`Problem`] is one call `U(P, q)`: the rows of `P`, the vector `q` and the
//! column types, each stored with the *first* column *last*, so that popping
//! the head column and pushing its fields are cheap. A step of the engine
//! either answers a problem outright or pushes a [`Frame`] remembering how to
//! rebuild the caller's witnesses and continues with a sub-problem; when a
//! sub-problem is answered, the top frame resumes. Rust recursion is never
//! used, so deep patterns (a long list pattern lowers to a deep `Cons` chain)
//! cannot overflow the stack.
//!
//! Termination: every sub-problem has fewer constructor nodes than its parent,
//! or as many and one column fewer (the default matrix). A specialisation
//! always consumes a head constructor: of `q`, or of some row, since a
//! complete signature and the search of present constructors only use
//! constructors that head a row. The stack is therefore at most as deep as
//! the patterns have nodes and columns.

use std::collections::{BTreeMap, BTreeSet};

use super::witness::{Node, Witness};
use super::{Constructor, ConstructorSet, Cx, Pattern};

/// A wildcard to stand for the fields of a wildcard row when specialising.
pub(super) static WILD: Pattern = Pattern::Wild;

/// The work budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OutOfBudget;

/// One usefulness problem `U(P, q)`, head column last.
struct Problem<'p, Ty> {
    /// The rows of `P`.
    rows: Vec<Vec<&'p Pattern>>,
    /// The vector `q`.
    q: Vec<&'p Pattern>,
    /// The type of each column.
    tys: Vec<Ty>,
    /// How many witnesses are wanted (at least 1).
    limit: usize,
}

/// A problem whose head column has been classified.
struct Classified<'p, Ty> {
    problem: Problem<'p, Ty>,
    /// The head column's type.
    ty: Ty,
    /// The valid head constructor of each row (`None`: a wildcard).
    row_heads: Vec<Option<&'p Constructor>>,
    /// The valid head constructor of `q` (`None`: a wildcard).
    q_head: Option<&'p Constructor>,
}

/// The constructors to specialise on, each with its field types.
type Signature<Ty> = Vec<(Constructor, Vec<Ty>)>;

/// A missing head to put in front of the default matrix's witnesses.
enum Head {
    /// `_`.
    Wild,
    /// A constructor applied to `arity` wildcards.
    Ctor(Constructor, usize),
}

/// What a suspended problem does with its sub-problem's witnesses.
enum Frame<'p, Ty> {
    /// Specialising on each of `ctors` in turn (for `q` headed by a
    /// constructor there is one): the child for `ctors[next - 1]` is running.
    Split {
        parent: Classified<'p, Ty>,
        ctors: Signature<Ty>,
        next: usize,
        acc: Vec<Witness<Ty>>,
    },
    /// The default matrix is running; its witnesses get these heads. Then,
    /// if more witnesses are wanted, `then` specialises on the constructors
    /// present in the column.
    Default {
        ty: Ty,
        heads: Vec<Head>,
        limit: usize,
        then: Option<(Classified<'p, Ty>, Signature<Ty>)>,
    },
}

/// The engine's control state.
enum State<'p, Ty> {
    /// Solve this problem.
    Solve(Problem<'p, Ty>),
    /// The current problem's witnesses.
    Return(Vec<Witness<Ty>>),
}

/// Computes usefulness with witnesses, spending a work budget.
pub(super) struct Engine<'c, C: Cx> {
    cx: &'c C,
    /// Matrix rows that may still be visited.
    budget: u64,
}

impl<'c, C: Cx> Engine<'c, C> {
    /// An engine that will visit at most `budget` matrix rows in total.
    pub(super) fn new(cx: &'c C, budget: u64) -> Self {
        Engine { cx, budget }
    }

    /// Up to `limit` witnesses of `U(rows, q)` for a single column of type
    /// `ty`: values matched by `q` and by none of `rows`. Empty iff `q` is
    /// not useful.
    pub(super) fn witnesses<'p>(
        &mut self,
        rows: &[&'p Pattern],
        q: &'p Pattern,
        ty: &C::Ty,
        limit: usize,
    ) -> Result<Vec<Witness<C::Ty>>, OutOfBudget> {
        let root = Problem {
            rows: rows.iter().map(|r| vec![*r]).collect(),
            q: vec![q],
            tys: vec![ty.clone()],
            limit: limit.max(1),
        };
        let mut stack: Vec<Frame<'p, C::Ty>> = Vec::new();
        let mut state = State::Solve(root);
        loop {
            state = match state {
                State::Solve(problem) => self.step(problem, &mut stack)?,
                State::Return(found) => match stack.pop() {
                    None => return Ok(found),
                    Some(frame) => resume(frame, found, &mut stack),
                },
            };
        }
    }

    /// One step on `problem`: answer it, or push a frame and descend.
    fn step<'p>(
        &mut self,
        problem: Problem<'p, C::Ty>,
        stack: &mut Vec<Frame<'p, C::Ty>>,
    ) -> Result<State<'p, C::Ty>, OutOfBudget> {
        let cost = problem.rows.len() as u64 + 1;
        if cost > self.budget {
            return Err(OutOfBudget);
        }
        self.budget -= cost;
        let Some(ty) = problem.tys.last().cloned() else {
            // No columns: useful iff no row is left, with the empty witness.
            let found = if problem.rows.is_empty() {
                vec![Vec::new()]
            } else {
                Vec::new()
            };
            return Ok(State::Return(found));
        };
        let set = self.cx.constructors(&ty);
        let mut field_types: BTreeMap<&'p Constructor, Vec<C::Ty>> = BTreeMap::new();
        let mut sigma: BTreeSet<&'p Constructor> = BTreeSet::new();
        let mut row_heads = Vec::with_capacity(problem.rows.len());
        for row in &problem.rows {
            let head = self.classify(&set, &ty, row.last().copied(), &mut field_types);
            if let Some(c) = head {
                sigma.insert(c);
            }
            row_heads.push(head);
        }
        let q_head = self.classify(&set, &ty, problem.q.last().copied(), &mut field_types);
        let limit = problem.limit;

        let signature = |sigma: &BTreeSet<&'p Constructor>| -> Signature<C::Ty> {
            sigma
                .iter()
                .map(|c| {
                    (
                        (*c).clone(),
                        field_types.get(c).cloned().unwrap_or_default(),
                    )
                })
                .collect()
        };
        let ctors = if let Some(c) = q_head {
            vec![(c.clone(), field_types.get(c).cloned().unwrap_or_default())]
        } else if is_complete(&set, sigma.len()) {
            signature(&sigma)
        } else {
            let heads = self.missing_heads(&set, &ty, &sigma, limit);
            let child = default_matrix(&problem, &row_heads);
            // When more than one witness is wanted, the constructors present
            // in the column are explored too, after the missing ones.
            let then = (limit > 1 && !sigma.is_empty()).then(|| {
                let present = signature(&sigma);
                let parent = Classified {
                    problem,
                    ty: ty.clone(),
                    row_heads,
                    q_head,
                };
                (parent, present)
            });
            stack.push(Frame::Default {
                ty,
                heads,
                limit,
                then,
            });
            return Ok(State::Solve(child));
        };
        let parent = Classified {
            problem,
            ty,
            row_heads,
            q_head,
        };
        Ok(start_split(parent, ctors, Vec::new(), stack))
    }

    /// The constructor heading `pattern` if it is well formed for `ty`
    /// (belongs to `set`, right number of fields); `None` for wildcards and
    /// malformed patterns, which are treated as wildcards.
    fn classify<'p>(
        &self,
        set: &ConstructorSet,
        ty: &C::Ty,
        pattern: Option<&'p Pattern>,
        field_types: &mut BTreeMap<&'p Constructor, Vec<C::Ty>>,
    ) -> Option<&'p Constructor> {
        let Some(Pattern::Ctor { ctor, fields }) = pattern else {
            return None;
        };
        if !belongs(set, ctor) {
            return None;
        }
        let types = field_types
            .entry(ctor)
            .or_insert_with(|| self.cx.field_types(ty, ctor));
        (types.len() == fields.len()).then_some(ctor)
    }

    /// The heads of the witnesses of an incomplete signature `sigma`.
    fn missing_heads(
        &self,
        set: &ConstructorSet,
        ty: &C::Ty,
        sigma: &BTreeSet<&Constructor>,
        limit: usize,
    ) -> Vec<Head> {
        if sigma.is_empty() {
            return vec![Head::Wild];
        }
        let missing: Vec<Constructor> = match set {
            ConstructorSet::Variants(n) => (0..*n)
                .map(Constructor::Variant)
                .filter(|c| !sigma.contains(c))
                .take(limit)
                .collect(),
            ConstructorSet::Bool => [false, true]
                .into_iter()
                .map(Constructor::Bool)
                .filter(|c| !sigma.contains(c))
                .collect(),
            ConstructorSet::Single | ConstructorSet::Infinite => Vec::new(),
        };
        if missing.is_empty() {
            return vec![Head::Wild];
        }
        missing
            .into_iter()
            .map(|c| {
                let arity = self.cx.field_types(ty, &c).len();
                Head::Ctor(c, arity)
            })
            .collect()
    }
}

/// Continues the suspended `frame` with its running child's witnesses.
fn resume<'p, Ty: Clone>(
    frame: Frame<'p, Ty>,
    found: Vec<Witness<Ty>>,
    stack: &mut Vec<Frame<'p, Ty>>,
) -> State<'p, Ty> {
    match frame {
        Frame::Split {
            parent,
            ctors,
            next,
            mut acc,
        } => {
            let limit = parent.problem.limit;
            if let Some((ctor, types)) = ctors.get(next.wrapping_sub(1)) {
                for mut w in found {
                    if acc.len() >= limit {
                        break;
                    }
                    w.push(Node::Ctor {
                        ctor: ctor.clone(),
                        ty: parent.ty.clone(),
                        arity: types.len(),
                    });
                    acc.push(w);
                }
            }
            if acc.len() >= limit || next >= ctors.len() {
                return State::Return(acc);
            }
            continue_split(parent, ctors, next, acc, stack)
        }
        Frame::Default {
            ty,
            heads,
            limit,
            then,
        } => {
            let mut out = Vec::new();
            'all: for w in &found {
                for head in &heads {
                    if out.len() >= limit {
                        break 'all;
                    }
                    let mut w = w.clone();
                    match head {
                        Head::Wild => w.push(Node::Wild),
                        Head::Ctor(ctor, arity) => {
                            w.extend(std::iter::repeat_n(Node::Wild, *arity));
                            w.push(Node::Ctor {
                                ctor: ctor.clone(),
                                ty: ty.clone(),
                                arity: *arity,
                            });
                        }
                    }
                    out.push(w);
                }
            }
            // If the missing constructors gave no witness, the present ones
            // give none either: each `S(c, P)` holds the rows of `D(P)`
            // (behind `k` wildcards), so it covers at least as much.
            match then {
                Some((parent, present)) if !out.is_empty() && out.len() < limit => {
                    start_split(parent, present, out, stack)
                }
                _ => State::Return(out),
            }
        }
    }
}

/// Starts specialising `parent` on each of `ctors` in turn, appending the
/// witnesses to `acc`.
fn start_split<'p, Ty: Clone>(
    parent: Classified<'p, Ty>,
    ctors: Signature<Ty>,
    acc: Vec<Witness<Ty>>,
    stack: &mut Vec<Frame<'p, Ty>>,
) -> State<'p, Ty> {
    if ctors.is_empty() || acc.len() >= parent.problem.limit {
        // An empty complete signature: the type has no values.
        return State::Return(acc);
    }
    continue_split(parent, ctors, 0, acc, stack)
}

/// Descends into the specialisation on `ctors[next]` (which exists).
fn continue_split<'p, Ty: Clone>(
    parent: Classified<'p, Ty>,
    ctors: Signature<Ty>,
    next: usize,
    acc: Vec<Witness<Ty>>,
    stack: &mut Vec<Frame<'p, Ty>>,
) -> State<'p, Ty> {
    let Some((ctor, types)) = ctors.get(next) else {
        return State::Return(acc);
    };
    let child = specialise(
        &parent,
        ctor,
        types,
        parent.problem.limit.saturating_sub(acc.len()),
    );
    stack.push(Frame::Split {
        parent,
        ctors,
        next: next + 1,
        acc,
    });
    State::Solve(child)
}

/// Whether `ctor` is one of the constructors in `set`.
fn belongs(set: &ConstructorSet, ctor: &Constructor) -> bool {
    match (set, ctor) {
        (ConstructorSet::Variants(n), Constructor::Variant(i)) => i < n,
        (ConstructorSet::Bool, Constructor::Bool(_))
        | (ConstructorSet::Single, Constructor::Single)
        | (ConstructorSet::Infinite, Constructor::Int(_) | Constructor::Bytes(_)) => true,
        _ => false,
    }
}

/// Whether a signature of `count` distinct constructors, all belonging to
/// `set`, holds every constructor of `set`.
fn is_complete(set: &ConstructorSet, count: usize) -> bool {
    match set {
        ConstructorSet::Variants(n) => u64::try_from(count).is_ok_and(|c| c == u64::from(*n)),
        ConstructorSet::Bool => count == 2,
        ConstructorSet::Single => count == 1,
        ConstructorSet::Infinite => false,
    }
}

/// Splits a row (or `q`) into its head pattern and the rest; an empty row
/// (which the engine does not build) reads as a wildcard head.
fn split_head<'p, 'r>(row: &'r [&'p Pattern]) -> (&'p Pattern, &'r [&'p Pattern]) {
    match row.split_last() {
        Some((head, rest)) => (head, rest),
        None => (&WILD, row),
    }
}

/// Appends the specialisation by `ctor` (of `arity` fields) of a row whose
/// head is `head` (already known to be `ctor` when `is_ctor`, else a
/// wildcard).
fn specialise_row<'p>(row: &[&'p Pattern], is_ctor: bool, arity: usize) -> Vec<&'p Pattern> {
    let (head, rest) = split_head(row);
    let mut out = Vec::with_capacity(rest.len() + arity);
    out.extend_from_slice(rest);
    match head {
        Pattern::Ctor { fields, .. } if is_ctor && fields.len() == arity => {
            out.extend(fields.iter().rev());
        }
        _ => out.extend(std::iter::repeat_n(&WILD, arity)),
    }
    out
}

/// `U(S(c, P), S(c, q))` for the classified `parent`.
fn specialise<'p, Ty: Clone>(
    parent: &Classified<'p, Ty>,
    ctor: &Constructor,
    field_types: &[Ty],
    limit: usize,
) -> Problem<'p, Ty> {
    let arity = field_types.len();
    let p = &parent.problem;
    let mut rows = Vec::new();
    for (row, head) in p.rows.iter().zip(&parent.row_heads) {
        match head {
            None => rows.push(specialise_row(row, false, arity)),
            Some(c) if *c == ctor => rows.push(specialise_row(row, true, arity)),
            Some(_) => {}
        }
    }
    let q = specialise_row(&p.q, parent.q_head == Some(ctor), arity);
    let mut tys: Vec<Ty> = p
        .tys
        .iter()
        .take(p.tys.len().saturating_sub(1))
        .cloned()
        .collect();
    tys.extend(field_types.iter().rev().cloned());
    Problem {
        rows,
        q,
        tys,
        limit,
    }
}

/// `U(D(P), tail(q))`: the rows headed by a wildcard, without their head.
fn default_matrix<'p, Ty: Clone>(
    p: &Problem<'p, Ty>,
    row_heads: &[Option<&'p Constructor>],
) -> Problem<'p, Ty> {
    let rows = p
        .rows
        .iter()
        .zip(row_heads)
        .filter(|(_, head)| head.is_none())
        .map(|(row, _)| split_head(row).1.to_vec())
        .collect();
    Problem {
        rows,
        q: split_head(&p.q).1.to_vec(),
        tys: p
            .tys
            .iter()
            .take(p.tys.len().saturating_sub(1))
            .cloned()
            .collect(),
        limit: p.limit,
    }
}
