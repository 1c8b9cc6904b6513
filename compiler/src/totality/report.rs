//! The E0501 diagnostics: one per call loop that is not shown to terminate,
//! pointing at a call, naming the arguments that fail to decrease, showing
//! the relations found and saying how to fix it.

use crate::diagnostic::{Code, Diagnostic};

use super::closure::{BadLoop, MAX_REDUCED_GRAPHS, MAX_REDUCED_WORK};
use super::extract::{Call, CallGraph, Hint};
use super::matrix::Rel;

/// The diagnostic for a loop of calls along which no parameter decreases.
pub fn non_terminating(graph: &CallGraph, bad: &BadLoop) -> Diagnostic {
    let cycle = period(&bad.path);
    let calls: Vec<(usize, &Call)> = cycle
        .iter()
        .filter_map(|&c| graph.calls.get(c).map(|call| (c, call)))
        .collect();
    // Blame the call written first among those where nothing is known to get
    // smaller (any call if there is none), and start the loop there, so the
    // report does not depend on where the search happened to enter it.
    let first = calls
        .iter()
        .enumerate()
        .min_by_key(|(_, (_, call))| (call.matrix.has_strict(), call.span.start, call.span.end))
        .map_or(0, |(position, _)| position);
    let mut rotated = calls.clone();
    rotated.rotate_left(first);
    let Some(&(_, primary)) = rotated.first() else {
        return Diagnostic::new(
            Code::NonTerminating,
            "recursion not shown to terminate",
            Default::default(),
            "here",
        );
    };

    let looped = rotated.len() > 1;
    let only_self = looped
        && rotated
            .iter()
            .all(|(_, c)| c.caller == primary.caller && c.callee == primary.caller);
    let message = if looped && only_self {
        format!(
            "these recursive calls to `{}` may not terminate together",
            name(graph, primary.callee)
        )
    } else if looped {
        format!(
            "the recursion {} may not terminate",
            chain(graph, rotated.iter().map(|(_, c)| *c))
        )
    } else if primary.by_value {
        format!(
            "`{}` may not terminate: it passes itself as a function value",
            name(graph, primary.callee)
        )
    } else {
        format!(
            "this recursive call to `{}` may not terminate",
            name(graph, primary.callee)
        )
    };
    let mut diagnostic = Diagnostic::new(
        Code::NonTerminating,
        message,
        primary.span,
        label(graph, primary, Place::First { looped }),
    );
    let mut shown = Vec::new();
    for &(id, call) in &rotated {
        if shown.contains(&id) {
            continue;
        }
        if !shown.is_empty() {
            let place = if only_self {
                Place::Together
            } else {
                Place::Then
            };
            diagnostic = diagnostic.with_label(call.span, label(graph, call, place));
        }
        shown.push(id);
        diagnostic = diagnostic.with_note(call_table(graph, call));
    }
    let single = calls.first().map(|(_, call)| &call.matrix);
    if looped || single != Some(&bad.graph) {
        let start = calls.first().map_or(0, |(_, c)| c.caller);
        let params = measured(graph, start);
        let rounds = bad.path.len() / cycle.len().max(1);
        let times = if rounds > 1 {
            format!(", {rounds} times over")
        } else {
            String::new()
        };
        let around = chain(graph, calls.iter().map(|(_, c)| *c));
        let after = if only_self {
            format!("after these calls one after the other{times}")
        } else if looped && rounds > 1 {
            format!("after going around the loop {around} {rounds} times")
        } else if looped {
            format!("after the calls {around}")
        } else {
            format!("after {rounds} such calls in a row")
        };
        diagnostic = diagnostic.with_note(format!(
            "{after}, the parameters of `{}` relate as:\n{}",
            name(graph, start),
            bad.graph.table(&params, &params)
        ));
    }
    diagnostic = diagnostic.with_note(
        "`<` smaller, `≤` not larger, `?` not known to be smaller; \
         rows: the caller's parameters, columns: the callee's",
    );
    diagnostic.with_help(help(graph, &rotated))
}

/// The diagnostic for a group of functions whose calls combine in too many ways.
pub fn too_complex(graph: &CallGraph, members: &[usize]) -> Diagnostic {
    let first = members
        .iter()
        .filter_map(|&c| graph.calls.get(c))
        .min_by_key(|call| (call.span.start, call.span.end));
    let mut fns: Vec<usize> = members
        .iter()
        .filter_map(|&c| graph.calls.get(c).map(|call| call.caller))
        .collect();
    fns.sort_unstable();
    fns.dedup();
    let names: Vec<String> = fns
        .iter()
        .map(|&f| format!("`{}`", name(graph, f)))
        .collect();
    let span = first.map(|call| call.span).unwrap_or_default();
    let label = match names.as_slice() {
        [one] => format!("this is one of the recursive calls of {one}"),
        [init @ .., last] => format!(
            "this call is part of the recursion between {} and {last}",
            init.join(", ")
        ),
        [] => "this call is part of the recursion".to_string(),
    };
    Diagnostic::new(
        Code::NonTerminating,
        "this recursion is too complex to prove terminating",
        span,
        label,
    )
    .with_note(format!(
        "the calls combine into more size-change graphs than the checker explores \
         (the termination analysis limit, the verifier's too: at most {MAX_REDUCED_GRAPHS} \
         graphs and {MAX_REDUCED_WORK} composition steps per group of mutually recursive \
         functions), so it gave up"
    ))
    .with_help(
        "split the recursion into smaller groups of functions, \
         or make one argument decrease on every call",
    )
}

/// The shortest prefix of `path` that `path` repeats.
fn period(path: &[usize]) -> &[usize] {
    let n = path.len();
    (1..=n)
        .filter(|&p| n.is_multiple_of(p))
        .map(|p| &path[..p])
        .find(|prefix| path.chunks(prefix.len()).all(|chunk| chunk == *prefix))
        .unwrap_or(path)
}

fn name(graph: &CallGraph, f: usize) -> &str {
    graph.fns.get(f).map_or("?", |f| f.name.as_str())
}

/// The parameters shown in tables (those of function type have no size), with their indices.
fn measured(graph: &CallGraph, f: usize) -> Vec<(usize, String)> {
    graph.fns.get(f).map_or_else(Vec::new, |f| {
        f.params
            .iter()
            .enumerate()
            .filter(|(i, _)| !f.fn_params.get(*i).copied().unwrap_or(false))
            .map(|(i, p)| (i, p.clone()))
            .collect()
    })
}

fn params(graph: &CallGraph, f: usize) -> Vec<String> {
    graph
        .fns
        .get(f)
        .map(|f| f.params.clone())
        .unwrap_or_default()
}

/// `` `f` → `g` → `f` `` for a sequence of calls.
fn chain<'c>(graph: &CallGraph, calls: impl Iterator<Item = &'c Call>) -> String {
    let mut out = String::new();
    for call in calls {
        if out.is_empty() {
            out = format!("`{}`", name(graph, call.caller));
        }
        out.push_str(&format!(" → `{}`", name(graph, call.callee)));
    }
    out
}

/// The label of one call: what fails to decrease there.
/// Where a call stands in the loop a diagnostic reports.
#[derive(Clone, Copy)]
enum Place {
    /// The blamed call; `looped` when the loop has other calls.
    First { looped: bool },
    /// A later call of a loop through several functions.
    Then,
    /// Another recursive call of the same function.
    Together,
}

fn label(graph: &CallGraph, call: &Call, place: Place) -> String {
    let caller = name(graph, call.caller);
    let callee = name(graph, call.callee);
    let (looped, secondary) = match place {
        Place::First { looped } => (looped, false),
        Place::Then | Place::Together => (true, true),
    };
    if call.by_value && !looped {
        return format!(
            "`{callee}` is passed as a value here, so it may be called with any arguments"
        );
    }
    if call.by_value {
        let then = if secondary { "then " } else { "" };
        return format!(
            "{then}`{caller}` passes `{callee}` as a value here, so it may be called with any arguments"
        );
    }
    let problems = failing_arguments(graph, call).join("; ");
    let lead = if !looped {
        String::new()
    } else if let Place::Together = place {
        "together with this call".to_string()
    } else if let Place::First { .. } = place
        && caller == callee
    {
        String::new()
    } else if secondary {
        format!("then `{caller}` calls `{callee}` here")
    } else {
        format!("`{caller}` calls `{callee}` here")
    };
    match (lead.is_empty(), problems.is_empty()) {
        (true, true) => format!("`{callee}` takes no arguments, so nothing can decrease"),
        (true, false) => problems,
        (false, true) => lead,
        (false, false) => format!("{lead}: {problems}"),
    }
}

/// One sentence per argument that is not shown to be smaller than a parameter.
fn failing_arguments(graph: &CallGraph, call: &Call) -> Vec<String> {
    let caller_params = params(graph, call.caller);
    let recursive = call.caller == call.callee;
    let mut out = Vec::new();
    for (j, arg) in call.args.iter().enumerate() {
        let (rel, row) = if recursive {
            (call.matrix.get(j, j), Some(j))
        } else {
            call.matrix.best_in_column(j)
        };
        let function = graph
            .fns
            .get(call.callee)
            .and_then(|f| f.fn_params.get(j).copied())
            .unwrap_or(false);
        if rel == Rel::Lt || arg.text.is_empty() || function {
            continue;
        }
        let text = &arg.text;
        let against = row.and_then(|i| caller_params.get(i));
        let sentence = match (&arg.hint, rel, against) {
            (
                Some(Hint::UnguardedDescent {
                    param: n,
                    equality: Some((test, _)),
                }),
                _,
                _,
            ) => format!(
                "`{text}` is smaller than `{n}`, but `{test}` does not bound `{n}` from below"
            ),
            (Some(Hint::UnguardedDescent { param: n, .. }), _, _) => format!(
                "`{text}` is smaller than `{n}`, but no guard bounds `{n}` from below here, \
                 so it may decrease forever"
            ),
            (Some(Hint::LambdaParameter), _, _) => {
                format!("`{text}` comes from a lambda parameter, so nothing is known of its size")
            }
            (
                Some(Hint::HelperResult {
                    helper,
                    bounded_by: Some(by),
                }),
                _,
                _,
            ) => format!(
                "`{text}` is at most `{by}` (`{helper}` returns nothing larger), which is not \
                 smaller{}",
                against.map(|p| format!(" than `{p}`")).unwrap_or_default()
            ),
            (
                Some(Hint::HelperResult {
                    helper,
                    bounded_by: None,
                }),
                _,
                _,
            ) => format!(
                "`{text}` is a result of `{helper}`, which is not shown to be no larger than \
                 any of its arguments"
            ),
            (Some(Hint::Rebuilt { param }), _, _) => {
                format!("`{text}` is built from the parts of `{param}`: no larger, but not smaller")
            }
            (None, Rel::Le, Some(p)) if p == text => format!("`{text}` is passed unchanged"),
            (None, Rel::Le, Some(p)) => {
                format!("`{text}` is no larger than `{p}`, but not smaller")
            }
            (None, _, Some(p)) => format!("`{text}` is not smaller than `{p}`"),
            (None, _, None) => match caller_params.as_slice() {
                [] => format!(
                    "`{text}` is not smaller than anything `{}` received",
                    name(graph, call.caller)
                ),
                [only] => format!("`{text}` is not smaller than `{only}`"),
                _ => format!(
                    "`{text}` is not smaller than any parameter of `{}`",
                    name(graph, call.caller)
                ),
            },
        };
        out.push(sentence);
    }
    out
}

/// The relation table of one call.
fn call_table(graph: &CallGraph, call: &Call) -> String {
    let caller = name(graph, call.caller);
    let callee = name(graph, call.callee);
    let heading = if call.by_value {
        format!("`{callee}` passed as a value in `{caller}`, to be called with unknown arguments")
    } else {
        format!("call `{}` in `{caller}`", call.text)
    };
    let rows = measured(graph, call.caller);
    let cols = measured(graph, call.callee);
    if cols.is_empty() {
        format!("{heading}: `{callee}` takes no arguments that have a size")
    } else if rows.is_empty() {
        format!("{heading}: `{caller}` has no parameters with a size to compare the arguments to")
    } else {
        format!("{heading}:\n{}", call.matrix.table(&rows, &cols))
    }
}

/// How to fix the loop.
fn help(graph: &CallGraph, calls: &[(usize, &Call)]) -> String {
    // The first argument with something specific to say, from the blamed call on.
    for (_, call) in calls {
        let callee = name(graph, call.callee);
        let helper = format!(
            "recurse through a helper function over the collection instead, \
             which matches `[x, ..rest]` and calls `{callee}` on `x`"
        );
        if call.by_value {
            return format!("a function passed by name may be called with any arguments; {helper}");
        }
        for arg in &call.args {
            match &arg.hint {
                Some(Hint::UnguardedDescent {
                    param: n,
                    equality: Some((test, instead)),
                }) => {
                    return format!(
                        "`{test}` does not bound `{n}` from below: an `{n}` that starts below the \
                         value tested counts down forever; test `if {instead} {{ .. }} else {{ .. }}` \
                         instead"
                    );
                }
                Some(Hint::UnguardedDescent { param: n, .. }) => {
                    return format!(
                        "bound `{n}` from below before the call, \
                         e.g. `if {n} <= 0 {{ .. }} else {{ {} }}`",
                        call.text
                    );
                }
                Some(Hint::LambdaParameter) => {
                    return format!("a lambda's parameters have unknown size; {helper}");
                }
                Some(Hint::HelperResult {
                    helper,
                    bounded_by: Some(by),
                }) => {
                    return format!(
                        "`{helper}` returns nothing larger than its argument `{by}`: pass it a \
                         part of a parameter obtained by `match` (e.g. `rest` in `[x, ..rest]`) \
                         instead of `{by}`"
                    );
                }
                Some(Hint::HelperResult {
                    helper,
                    bounded_by: None,
                }) => {
                    return format!(
                        "`{helper}` has no output bound: its result is not shown to be no larger \
                         than one of its arguments (every result it returns must be built from \
                         parts of that argument, as `filter` does; lang-spec/totality.md, \
                         \"Sizes of results\"); recurse on a part of a parameter obtained by \
                         `match`, or make `{helper}` return only parts of its argument"
                    );
                }
                Some(Hint::Rebuilt { param }) => {
                    return format!(
                        "`{}` is built from the parts of the matched `{param}`, so it is no \
                         smaller: recurse on \
                         one of its parts (e.g. `rest` in `[x, ..rest]`); where an argument need \
                         not shrink, pass `{param}` itself rather than rebuilding it",
                        arg.text
                    );
                }
                None => {}
            }
        }
    }
    let by_match =
        "recurse on a part of a parameter obtained by `match` (e.g. `rest` in `[x, ..rest]`)";
    match calls
        .first()
        .and_then(|(_, call)| int_descent_example(graph, call))
    {
        Some(example) => format!(
            "make an argument smaller on every call: {by_match}, or decrease an `Int` under a \
             guard ({example})"
        ),
        None => format!("make an argument smaller on every call: {by_match}"),
    }
}

/// The blamed call rewritten with one `Int` argument descending under a
/// guard, keeping the other arguments as written:
/// `if e <= 0 { .. } else { pow(b * b, e - 1) }`. The parameter chosen is
/// the first `Int` one whose argument mentions it (the one the call seems
/// to count down), else the first `Int` one.
fn int_descent_example(graph: &CallGraph, call: &Call) -> Option<String> {
    let f = graph.fns.get(call.callee)?;
    let ints: Vec<usize> = (0..f.params.len())
        .filter(|&j| f.int_params.get(j) == Some(&true))
        .collect();
    let mentions = |j: usize| {
        let (Some(p), Some(arg)) = (f.params.get(j), call.args.get(j)) else {
            return false;
        };
        arg.text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == p)
    };
    let j = ints
        .iter()
        .copied()
        .find(|&j| mentions(j))
        .or_else(|| ints.first().copied())?;
    let n = f.params.get(j)?;
    let args: Vec<String> = (0..f.params.len())
        .map(|k| match call.args.get(k) {
            _ if k == j => format!("{n} - 1"),
            Some(arg) if !arg.text.is_empty() => arg.text.clone(),
            _ => f.params.get(k).cloned().unwrap_or_default(),
        })
        .collect();
    Some(format!(
        "`if {n} <= 0 {{ .. }} else {{ {}({}) }}`",
        f.name,
        args.join(", ")
    ))
}
