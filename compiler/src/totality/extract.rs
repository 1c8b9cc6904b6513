//! Call extraction: the calls between the functions of one module, each with
//! its size-change graph.
//!
//! Every function body is walked with an environment that says, for each
//! local name, how its value relates in size to each parameter of the
//! enclosing function: a parameter is `≤` itself; a variable bound inside a
//! constructor, tuple, struct or list pattern matched against something `≤`
//! or `<` a parameter is `<` it; a field of such a value is `<` it; and
//! `n - c` (`c > 0`) is `<` the `Int` parameter `n` under a guard that bounds
//! `n` from below (see [`super::guard`]). Everything else is `?`, and so is
//! any entry relating an `Int` parameter to one measured by size: the two
//! measures (`lang-spec/totality.md`, "Sizes") are not comparable.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::span::Span;
use crate::syntax::ast::{
    BinOp, Child, ExprId, ExprKind, FnDef, Item, Module, PatId, PatKind, TypeExprKind, TypeId,
};

use super::form::{Atoms, Form};
use super::guard::{self, IntValue};
use super::matrix::{Matrix, Rel};
use super::output::{Key, Summaries, Summary};

/// What the checker needs to know of a function item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnInfo {
    /// Its name.
    pub name: String,
    /// Its parameters' names, in order.
    pub params: Vec<String>,
    /// Whether each parameter's written type is `Int`.
    pub int_params: Vec<bool>,
    /// Whether each parameter has a function type (and so no size).
    pub fn_params: Vec<bool>,
}

/// One argument of a call, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The argument as written (whitespace collapsed, shortened if long).
    pub text: String,
    /// Why it may fail to decrease, when there is more to say than its relations.
    pub hint: Option<Hint>,
}

/// What explains an argument that does not decrease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// `n - c` for an `Int` parameter `n` that no guard bounds from below.
    UnguardedDescent {
        /// The parameter's name.
        param: String,
        /// An enclosing `n == k` / `n != k` test, as written, and the bound
        /// that would work in its place.
        equality: Option<(String, String)>,
    },
    /// A lambda parameter, or a part of one: its size is unknown.
    LambdaParameter,
    /// The result of a call of a function that is not a constructor
    /// (`lang-spec/totality.md`, "Sizes of results").
    HelperResult {
        /// The function called.
        helper: String,
        /// The argument its result is at most (by its output bound), as
        /// written; `None` when it has no output bound.
        bounded_by: Option<String>,
    },
    /// A value built with constructors that is no larger than a parameter
    /// but not smaller: the matched value rebuilt from its parts.
    Rebuilt {
        /// The parameter it rebuilds.
        param: String,
    },
}

/// A call from one function of the module to another (or itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The calling function (index into the module's functions).
    pub caller: usize,
    /// The called function.
    pub callee: usize,
    /// The call expression, or the function's name where it is passed as a value.
    pub span: Span,
    /// The call as written, for diagnostics.
    pub text: String,
    /// Caller parameters × callee parameters.
    pub matrix: Matrix,
    /// The arguments, one per callee parameter (empty for a function passed as a value).
    pub args: Vec<Arg>,
    /// Whether the function is passed as a value rather than called.
    pub by_value: bool,
}

/// The functions of a module and every call between them, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallGraph {
    /// The module's function items, in source order.
    pub fns: Vec<FnInfo>,
    /// The calls, in the order the walk meets them.
    pub calls: Vec<Call>,
}

/// Extracts the call graph of a module. `source` is the module's text.
pub fn extract(module: &Module, source: &str) -> CallGraph {
    extract_with(module, source, super::output::imported(module)).0
}

/// The output bounds of the functions of a module whose imported functions
/// have the bounds `imported` ([`super::output`]).
pub fn summaries(module: &Module, source: &str, imported: BTreeMap<String, Summary>) -> Summaries {
    extract_with(module, source, imported).1
}

/// The call graph and the output bounds of a module.
fn extract_with(
    module: &Module,
    source: &str,
    imported: BTreeMap<String, Summary>,
) -> (CallGraph, Summaries) {
    let defs: Vec<&FnDef> = module.fns().collect();
    let mut by_name = BTreeMap::new();
    for (index, def) in defs.iter().enumerate() {
        by_name.entry(def.name.name.as_str()).or_insert(index);
    }
    let ctors = constructors(module);
    let fns: Vec<FnInfo> = defs
        .iter()
        .map(|def| FnInfo {
            name: def.name.name.clone(),
            params: def.params.iter().map(|p| p.name.name.clone()).collect(),
            int_params: def.params.iter().map(|p| is_int(module, p.ty)).collect(),
            fn_params: def
                .params
                .iter()
                .map(|p| {
                    matches!(
                        module.types.get(p.ty.index()).map(|t| &t.kind),
                        Some(TypeExprKind::Fn { .. })
                    )
                })
                .collect(),
        })
        .collect();
    let context = Context {
        module,
        source,
        by_name: &by_name,
        ctors: &ctors,
        fns: &fns,
    };
    let initial = defs
        .iter()
        .zip(&fns)
        .map(|(def, info)| context.candidates(def, info))
        .collect();
    let summaries = super::output::fixpoint(initial, imported, &|summaries, index, collect| {
        let def = defs.get(index)?;
        context.walk_fn(index, def, summaries, Some(collect)).1
    });
    let mut calls = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        calls.append(&mut context.walk_fn(index, def, &summaries, None).0);
    }
    (CallGraph { fns, calls }, summaries)
}

/// What every walk of a body of the module shares.
struct Context<'a> {
    module: &'a Module,
    source: &'a str,
    by_name: &'a BTreeMap<&'a str, usize>,
    ctors: &'a BTreeSet<&'a str>,
    fns: &'a [FnInfo],
}

impl Context<'_> {
    /// Every output bound `def` might have: its parameters measured by
    /// size, for the whole result and for each part its results are built
    /// with (none for a result of type `Int` or `Bool`).
    fn candidates(&self, def: &FnDef, info: &FnInfo) -> Summary {
        let scalar = def.ret.is_some_and(|t| {
            matches!(
                self.module.types.get(t.index()).map(|t| &t.kind),
                Some(TypeExprKind::Named { name, args })
                    if args.is_empty() && matches!(name.name.as_str(), "Int" | "Bool")
            )
        });
        if scalar {
            return Summary::default();
        }
        let sized: BTreeSet<usize> = (0..info.params.len())
            .filter(|&k| {
                info.int_params.get(k) == Some(&false) && info.fn_params.get(k) == Some(&false)
            })
            .collect();
        let mut keys = BTreeSet::new();
        let mut stack = vec![def.body];
        // The leaves of the body's `if`s, `match`es and blocks.
        while let Some(e) = stack.pop() {
            match self.module.exprs.get(e.index()).map(|e| &e.kind) {
                Some(ExprKind::If {
                    then_branch,
                    else_branch,
                    ..
                }) => stack.extend([*then_branch, *else_branch]),
                Some(ExprKind::Match { arms, .. }) => stack.extend(arms.iter().map(|a| a.body)),
                Some(ExprKind::Block { tail, .. }) => stack.push(*tail),
                Some(ExprKind::Tuple(items)) => {
                    keys.extend((0..items.len()).map(|k| (String::new(), k)));
                }
                Some(ExprKind::Call { callee, args, .. }) if !args.is_empty() => {
                    if let Some(name) = self.ctor_name(*callee) {
                        keys.extend((0..args.len()).map(|k| (name.to_string(), k)));
                    }
                }
                _ => {}
            }
        }
        Summary {
            parts: keys.iter().map(|k| (k.clone(), sized.clone())).collect(),
            zero: keys,
            whole: sized,
        }
    }

    /// The constructor a callee expression names, if it does.
    fn ctor_name(&self, callee: ExprId) -> Option<&str> {
        match &self.module.exprs.get(callee.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                let name = path.segments.first()?.name.as_str();
                self.ctors.contains(name).then_some(name)
            }
            _ => None,
        }
    }

    /// Walks the body of function `index`: its calls, and with `collect`
    /// (the output bounds assumed of it), the bounds its results keep.
    fn walk_fn(
        &self,
        index: usize,
        def: &FnDef,
        summaries: &Summaries,
        collect: Option<Summary>,
    ) -> (Vec<Call>, Option<Summary>) {
        let mut walker = Walker {
            module: self.module,
            source: self.source,
            by_name: self.by_name,
            ctors: self.ctors,
            fns: self.fns,
            caller: index,
            scope: Scope::default(),
            atoms: Atoms::with_params(def.params.len()),
            bounded: BTreeMap::new(),
            equalities: Vec::new(),
            calls: Vec::new(),
            summaries,
            collect,
        };
        let n = def.params.len();
        for (i, param) in def.params.iter().enumerate() {
            let mut rels = vec![Rel::Unknown; n];
            if let Some(own) = rels.get_mut(i) {
                *own = Rel::Le;
            }
            let int = is_int(self.module, param.ty).then_some(IntValue {
                param: i,
                offset: 0,
            });
            // An `Int` has no cells: inside a structure it adds nothing.
            let form = if int.is_some() {
                Form::cells(0)
            } else {
                Form::atom(i as u32)
            };
            walker.scope.push(
                param.name.name.as_str(),
                Size {
                    rels,
                    int,
                    lambda: false,
                    form: Some(form),
                    upper: None,
                    parts: Vec::new(),
                },
            );
        }
        if walker.collect.is_some() {
            walker.walk_tail(def.body);
        } else {
            walker.walk(def.body);
        }
        (walker.calls, walker.collect)
    }
}

/// The constructor names in scope: the module's enums' variants and the
/// prelude's (`Some`, `None`, `Ok`, `Err`).
fn constructors(module: &Module) -> BTreeSet<&str> {
    let mut names: BTreeSet<&str> = ["Some", "None", "Ok", "Err"].into_iter().collect();
    for item in &module.items {
        if let Item::Enum(e) = item {
            names.extend(e.variants.iter().map(|v| v.name.name.as_str()));
        }
    }
    names
}

/// Whether a written type is `Int`.
fn is_int(module: &Module, ty: TypeId) -> bool {
    matches!(
        module.types.get(ty.index()).map(|t| &t.kind),
        Some(TypeExprKind::Named { name, args }) if name.name == "Int" && args.is_empty()
    )
}

/// What is known of a local's size.
#[derive(Debug, Clone)]
struct Size {
    /// Its relation to each parameter of the enclosing function.
    rels: Vec<Rel>,
    /// Whether it is an `Int` parameter plus a constant.
    int: Option<IntValue>,
    /// Whether it comes from a lambda parameter.
    lambda: bool,
    /// Its size as a linear form over atoms, when known ([`super::form`]).
    form: Option<Form>,
    /// A form its size is at most (from a callee's output bound,
    /// `lang-spec/totality.md`, "Sizes of results").
    upper: Option<Form>,
    /// Forms the parts of its cells are at most, by constructor and position.
    parts: Vec<(Key, Form)>,
}

impl Size {
    /// What is known of a part of a value of this size.
    fn part(&self) -> Size {
        Size {
            rels: self.rels.iter().map(|r| r.strict()).collect(),
            int: None,
            lambda: self.lambda,
            form: None,
            upper: None,
            parts: Vec::new(),
        }
    }
}

/// The locals in scope, by name: a lookup costs the same however many
/// locals are bound (a block of 100,000 `let`s stays linear).
#[derive(Default)]
struct Scope<'a> {
    /// Names in binding order, innermost last (for [`Scope::truncate`]).
    order: Vec<&'a str>,
    /// Each name's sizes, innermost last.
    by_name: HashMap<&'a str, Vec<Size>>,
}

impl<'a> Scope<'a> {
    /// Binds `name`, hiding earlier locals of that name.
    fn push(&mut self, name: &'a str, size: Size) {
        self.order.push(name);
        self.by_name.entry(name).or_default().push(size);
    }

    /// How many bindings there are (a mark for [`Scope::truncate`]).
    fn len(&self) -> usize {
        self.order.len()
    }

    /// Drops the bindings made since `mark`.
    fn truncate(&mut self, mark: usize) {
        while self.order.len() > mark {
            if let Some(name) = self.order.pop()
                && let Some(sizes) = self.by_name.get_mut(name)
            {
                sizes.pop();
            }
        }
    }

    /// The innermost local named `name`.
    fn get(&self, name: &str) -> Option<&Size> {
        self.by_name.get(name).and_then(|sizes| sizes.last())
    }
}

/// Walks one function body.
struct Walker<'a> {
    module: &'a Module,
    source: &'a str,
    by_name: &'a BTreeMap<&'a str, usize>,
    /// The constructor names in scope.
    ctors: &'a BTreeSet<&'a str>,
    fns: &'a [FnInfo],
    caller: usize,
    /// Locals in scope.
    scope: Scope<'a>,
    /// The atoms of the size forms and their expansions in force.
    atoms: Atoms,
    /// The `Int` parameters bounded from below here, with their bounds (`p >= k`).
    bounded: BTreeMap<usize, i128>,
    /// The equality tests in force here: parameter, test as written, bound to use instead.
    equalities: Vec<(usize, String, String)>,
    /// The calls met so far.
    calls: Vec<Call>,
    /// The output bounds of the functions called.
    summaries: &'a Summaries,
    /// When computing this function's output bounds: those not yet refuted
    /// by a result ([`Walker::walk_tail`]).
    collect: Option<Summary>,
}

impl<'a> Walker<'a> {
    fn n_params(&self) -> usize {
        self.fns.get(self.caller).map_or(0, |f| f.params.len())
    }

    fn unknown(&self) -> Size {
        Size {
            rels: vec![Rel::Unknown; self.n_params()],
            int: None,
            lambda: false,
            form: None,
            upper: None,
            parts: Vec::new(),
        }
    }

    fn local(&self, name: &str) -> Option<&Size> {
        self.scope.get(name)
    }

    /// The function item a path expression names, unless a local hides it.
    fn fn_item(&self, expr: ExprId) -> Option<usize> {
        match &self.module.exprs.get(expr.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                let name = path.segments.first()?.name.as_str();
                if self.local(name).is_some() {
                    None
                } else {
                    self.by_name.get(name).copied()
                }
            }
            _ => None,
        }
    }

    /// Whether `expr` is an `Int` parameter plus a constant.
    fn int_value(&self, expr: ExprId) -> Option<IntValue> {
        match &self.module.exprs.get(expr.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                self.local(&path.segments.first()?.name)?.int
            }
            ExprKind::Binary {
                op: BinOp::Sub,
                lhs,
                rhs,
                ..
            } => {
                let value = self.int_value(*lhs)?;
                let k = guard::literal(self.module, *rhs)?;
                Some(IntValue {
                    offset: value.offset.checked_sub(k)?,
                    ..value
                })
            }
            ExprKind::Binary {
                op: BinOp::Add,
                lhs,
                rhs,
                ..
            } => {
                let (value, k) = match self.int_value(*lhs) {
                    Some(value) => (value, guard::literal(self.module, *rhs)?),
                    None => (self.int_value(*rhs)?, guard::literal(self.module, *lhs)?),
                };
                Some(IntValue {
                    offset: value.offset.checked_add(k)?,
                    ..value
                })
            }
            _ => None,
        }
    }

    /// What is known of the size of `expr`.
    fn size(&self, expr: ExprId) -> Size {
        let mut size = match self.module.exprs.get(expr.index()).map(|e| &e.kind) {
            Some(ExprKind::Path(path)) if path.segments.len() == 1 => path
                .segments
                .first()
                .and_then(|s| self.local(&s.name))
                .cloned()
                .unwrap_or_else(|| self.unknown()),
            Some(ExprKind::Field { base, .. }) => self.size(*base).part(),
            _ => self.unknown(),
        };
        if size.form.is_none() {
            size.form = self.form(expr);
        }
        if let Some(ExprKind::Call { callee, args, .. }) =
            self.module.exprs.get(expr.index()).map(|e| &e.kind)
            && let Some(summary) = self.summary_of(*callee)
        {
            size.upper = self.upper(expr);
            size.parts = summary
                .parts
                .iter()
                .filter_map(|(key, params)| {
                    if summary.zero.contains(key) {
                        return Some((key.clone(), Form::cells(0)));
                    }
                    let bound = params.iter().find_map(|&j| self.upper(*args.get(j)?))?;
                    Some((key.clone(), bound))
                })
                .collect();
        }
        if let Some((param, rel)) = self.arithmetic_descent(expr)
            && let Some(cell) = size.rels.get_mut(param)
        {
            *cell = (*cell).max(rel);
        }
        if let Some(value) = self.int_value(expr) {
            size.int = Some(value);
            let rel = if value.offset == 0 {
                Rel::Le
            } else if value.offset < 0 && self.bounded.contains_key(&value.param) {
                Rel::Lt
            } else {
                Rel::Unknown
            };
            if let Some(cell) = size.rels.get_mut(value.param) {
                *cell = (*cell).max(rel);
            }
        }
        size
    }

    /// The `Int` parameter that `expr` is smaller than by a non-constant
    /// descent (`lang-spec/totality.md`, "Int descent"): `x - y` with `x`
    /// at most a bounded parameter `p` and `y` a parameter known `>= 1`;
    /// `x / k` with `x` a parameter `p` known `>= 1` and a literal `k >= 2`;
    /// `x % y` with `y` a parameter `p` known `>= 1`.
    fn arithmetic_descent(&self, expr: ExprId) -> Option<(usize, Rel)> {
        let ExprKind::Binary { op, lhs, rhs, .. } = &self.module.exprs.get(expr.index())?.kind
        else {
            return None;
        };
        let at_least = |e: ExprId, k: i128| {
            let v = self.int_value(e)?;
            let bound = *self.bounded.get(&v.param)?;
            (v.offset == 0 && bound >= k).then_some(v.param)
        };
        let param = match op {
            BinOp::Sub => {
                at_least(*rhs, 1)?;
                let x = self.int_value(*lhs)?;
                (x.offset <= 0 && self.bounded.contains_key(&x.param)).then_some(x.param)?
            }
            BinOp::Div => {
                (guard::literal(self.module, *rhs)? >= 2).then_some(())?;
                at_least(*lhs, 1)?
            }
            BinOp::Rem => at_least(*rhs, 1)?,
            _ => return None,
        };
        Some((param, Rel::Lt))
    }

    /// The size form of a value built from constructors, literals and
    /// variables with forms ([`super::form`]); `None` for anything else.
    fn form(&self, expr: ExprId) -> Option<Form> {
        let sum = |cells: u64, parts: &mut dyn Iterator<Item = ExprId>| {
            let mut form = Form::cells(cells);
            for part in parts {
                form.add(&self.form(part)?);
            }
            Some(form)
        };
        match &self.module.exprs.get(expr.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                let name = path.segments.first()?.name.as_str();
                match self.local(name) {
                    Some(size) => size.form.clone(),
                    // A unit constructor has no cells.
                    None => self.ctors.contains(name).then(|| Form::cells(0)),
                }
            }
            // Ints, Bools, Bytes and unit have no cells.
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::Bytes(_)
            | ExprKind::Unit
            | ExprKind::Binary { .. }
            | ExprKind::Unary { .. } => Some(Form::cells(0)),
            ExprKind::Tuple(items) => sum(1, &mut items.iter().copied()),
            ExprKind::List { items, tail } => {
                sum(items.len() as u64, &mut items.iter().chain(tail).copied())
            }
            ExprKind::Call { callee, args, .. } => {
                self.constructor_call(*callee)?;
                sum(u64::from(!args.is_empty()), &mut args.iter().copied())
            }
            ExprKind::StructLit {
                fields, base: None, ..
            } => sum(1, &mut fields.iter().map(|f| f.value)),
            ExprKind::Block { lets, tail } if lets.is_empty() => self.form(*tail),
            _ => None,
        }
    }

    /// `Some(())` if `callee` names a constructor (a one-segment path that
    /// is not a local and is a known constructor).
    fn constructor_call(&self, callee: ExprId) -> Option<()> {
        let name = match &self.module.exprs.get(callee.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                path.segments.first()?.name.as_str()
            }
            _ => return None,
        };
        (self.local(name).is_none() && self.ctors.contains(name)).then_some(())
    }

    /// The output bounds of the function a callee expression names (one of
    /// the module's or an imported one), unless a local hides it.
    fn summary_of(&self, callee: ExprId) -> Option<&'a Summary> {
        let ExprKind::Path(path) = &self.module.exprs.get(callee.index())?.kind else {
            return None;
        };
        let [segment] = path.segments.as_slice() else {
            return None;
        };
        let name = segment.name.as_str();
        if self.local(name).is_some() {
            return None;
        }
        match self.by_name.get(name) {
            Some(&index) => self.summaries.by_fn.get(index),
            None => self.summaries.imported.get(name),
        }
    }

    /// A form the size of `expr` is at most: its form, with variables
    /// replaced by the forms they are at most and a call of a function
    /// whose result is `≤` its `j`-th parameter by the `j`-th argument's.
    fn upper(&self, expr: ExprId) -> Option<Form> {
        let sum = |cells: u64, parts: &mut dyn Iterator<Item = ExprId>| {
            let mut form = Form::cells(cells);
            for part in parts {
                form.add(&self.upper(part)?);
            }
            Some(form)
        };
        match &self.module.exprs.get(expr.index())?.kind {
            ExprKind::Path(path) if path.segments.len() == 1 => {
                let name = path.segments.first()?.name.as_str();
                match self.local(name) {
                    Some(size) => size.upper.clone().or_else(|| size.form.clone()),
                    None => self.ctors.contains(name).then(|| Form::cells(0)),
                }
            }
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::Bytes(_)
            | ExprKind::Unit
            | ExprKind::Binary { .. }
            | ExprKind::Unary { .. } => Some(Form::cells(0)),
            ExprKind::Tuple(items) => sum(1, &mut items.iter().copied()),
            ExprKind::List { items, tail } => {
                sum(items.len() as u64, &mut items.iter().chain(tail).copied())
            }
            ExprKind::Call { callee, args, .. } => {
                if let Some(summary) = self.summary_of(*callee) {
                    return summary
                        .whole
                        .iter()
                        .find_map(|&j| self.upper(*args.get(j)?));
                }
                self.constructor_call(*callee)?;
                sum(u64::from(!args.is_empty()), &mut args.iter().copied())
            }
            ExprKind::StructLit {
                fields, base: None, ..
            } => sum(1, &mut fields.iter().map(|f| f.value)),
            ExprKind::Block { lets, tail } if lets.is_empty() => self.upper(*tail),
            _ => None,
        }
    }

    /// The forms `expr` is at most: its own and [`Walker::upper`]'s.
    fn bounds_of(&self, expr: ExprId) -> Vec<Form> {
        let mut out: Vec<Form> = self.form(expr).into_iter().collect();
        if let Some(upper) = self.upper(expr)
            && !out.contains(&upper)
        {
            out.push(upper);
        }
        out
    }

    /// Walks the result positions of a body (through `if`s, `match`es and
    /// blocks) to refute the output bounds in [`Walker::collect`]; other
    /// expressions are not walked (their calls are not needed).
    fn walk_tail(&mut self, id: ExprId) {
        let module = self.module;
        let Some(expr) = module.exprs.get(id.index()) else {
            return;
        };
        match &expr.kind {
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.walk_guarded(*then_branch, *cond, true, true);
                self.walk_guarded(*else_branch, *cond, false, true);
            }
            ExprKind::Match { scrutinee, arms } => {
                for arm in arms {
                    let (mark, expanded) = (self.scope.len(), self.atoms.mark());
                    self.bind_match(arm.pat, *scrutinee);
                    self.walk_tail(arm.body);
                    self.scope.truncate(mark);
                    self.atoms.truncate(expanded);
                }
            }
            ExprKind::Block { lets, tail } => {
                let (mark, expanded) = (self.scope.len(), self.atoms.mark());
                for stmt in lets {
                    self.bind_match(stmt.pat, stmt.value);
                }
                self.walk_tail(*tail);
                self.scope.truncate(mark);
                self.atoms.truncate(expanded);
            }
            _ => self.leaf(id),
        }
    }

    /// Removes from [`Walker::collect`] the bounds the result `id` breaks.
    fn leaf(&mut self, id: ExprId) {
        let Some(mut collect) = self.collect.take() else {
            return;
        };
        let keeps = |bounds: &[Form], j: usize| {
            bounds
                .iter()
                .any(|b| self.atoms.compare(b, &Form::atom(j as u32)) != Rel::Unknown)
        };
        let whole = self.bounds_of(id);
        collect.whole.retain(|&j| keeps(&whole, j));
        for (key, params) in &mut collect.parts {
            if let Some(bounds) = self.part_bounds(id, key) {
                params.retain(|&j| keeps(&bounds, j));
            }
        }
        let none = |f: &Form| f.cells <= 0 && f.atoms.values().all(|&k| k <= 0);
        let zero: Vec<Key> = collect.zero.iter().cloned().collect();
        for key in zero {
            if let Some(bounds) = self.part_bounds(id, &key)
                && !bounds.iter().any(none)
            {
                collect.zero.remove(&key);
            }
        }
        self.collect = Some(collect);
    }

    /// Forms part `key` of the result `id` is at most (any one suffices);
    /// `None` when `id` never has that part (a tuple, or another
    /// constructor).
    fn part_bounds(&self, id: ExprId, key: &Key) -> Option<Vec<Form>> {
        let kind = self.module.exprs.get(id.index()).map(|e| &e.kind);
        match kind {
            Some(ExprKind::Tuple(items)) => {
                if !key.0.is_empty() {
                    return None;
                }
                Some(items.get(key.1).map_or(Vec::new(), |e| self.bounds_of(*e)))
            }
            Some(ExprKind::List { .. } | ExprKind::StructLit { .. }) => None,
            Some(ExprKind::Call { callee, args, .. }) => {
                if let Some(summary) = self.summary_of(*callee) {
                    if summary.zero.contains(key) {
                        return Some(vec![Form::cells(0)]);
                    }
                    let params = summary.parts.get(key)?;
                    return Some(
                        params
                            .iter()
                            .filter_map(|&j| self.upper(*args.get(j)?))
                            .collect(),
                    );
                }
                let fn_name = match self.module.exprs.get(callee.index()).map(|e| &e.kind) {
                    Some(ExprKind::Path(path)) if path.segments.len() == 1 => {
                        path.segments.first().map(|s| s.name.as_str())
                    }
                    _ => None,
                };
                match fn_name {
                    Some(name) if self.local(name).is_none() && self.ctors.contains(name) => {
                        if key.0 != name || args.is_empty() {
                            return None;
                        }
                        Some(args.get(key.1).map_or(Vec::new(), |e| self.bounds_of(*e)))
                    }
                    _ => Some(Vec::new()),
                }
            }
            Some(ExprKind::Path(path)) if path.segments.len() == 1 => {
                let name = path.segments.first().map(|s| s.name.as_str()).unwrap_or("");
                let Some(size) = self.local(name) else {
                    // A unit constructor has no parts.
                    return if self.ctors.contains(name) {
                        None
                    } else {
                        Some(Vec::new())
                    };
                };
                if let Some((_, form)) = size.parts.iter().find(|(k, _)| k == key) {
                    return Some(vec![form.clone()]);
                }
                // A part of a cell is smaller than the cell.
                let whole = size.upper.clone().or_else(|| size.form.clone());
                Some(
                    whole
                        .map(|w| w.minus(&Form::cells(1)))
                        .into_iter()
                        .collect(),
                )
            }
            _ => Some(Vec::new()),
        }
    }

    /// The expression's source text, on one line and at most 60 characters.
    fn text(&self, span: Span) -> String {
        let raw = self.source.get(span.range()).unwrap_or("");
        let words: Vec<&str> = raw.split_whitespace().collect();
        let flat = words.join(" ");
        if flat.chars().count() > 60 {
            let cut: String = flat.chars().take(57).collect();
            format!("{cut}...")
        } else {
            flat
        }
    }

    /// The source text of an expression, as [`Walker::text`] shows it.
    fn text_of(&self, expr: ExprId) -> String {
        self.module
            .exprs
            .get(expr.index())
            .map(|e| self.text(e.span))
            .unwrap_or_default()
    }

    fn walk(&mut self, id: ExprId) {
        let module = self.module;
        let Some(expr) = module.exprs.get(id.index()) else {
            return;
        };
        match &expr.kind {
            ExprKind::Path(_) => {
                if let Some(callee) = self.fn_item(id) {
                    self.record_value(callee, expr.span);
                }
            }
            ExprKind::Call { callee, args, .. } => {
                match self.fn_item(*callee) {
                    Some(target) => self.record_call(target, expr.span, args),
                    None => self.walk(*callee),
                }
                for arg in args {
                    self.walk(*arg);
                }
            }
            ExprKind::Binary {
                op: op @ (BinOp::And | BinOp::Or),
                lhs,
                rhs,
                ..
            } => {
                self.walk(*lhs);
                // The right operand runs only where the left one is true (`&&`) or false (`||`).
                self.walk_guarded(*rhs, *lhs, *op == BinOp::And, false);
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.walk(*cond);
                self.walk_guarded(*then_branch, *cond, true, false);
                self.walk_guarded(*else_branch, *cond, false, false);
            }
            ExprKind::Match { scrutinee, arms } => {
                self.walk(*scrutinee);
                for arm in arms {
                    let (mark, expanded) = (self.scope.len(), self.atoms.mark());
                    self.bind_match(arm.pat, *scrutinee);
                    self.walk(arm.body);
                    self.scope.truncate(mark);
                    self.atoms.truncate(expanded);
                }
            }
            ExprKind::Block { lets, tail } => {
                let (mark, expanded) = (self.scope.len(), self.atoms.mark());
                for stmt in lets {
                    self.walk(stmt.value);
                    self.bind_match(stmt.pat, stmt.value);
                }
                self.walk(*tail);
                self.scope.truncate(mark);
                self.atoms.truncate(expanded);
            }
            ExprKind::Lambda { params, body } => {
                let mark = self.scope.len();
                for param in params {
                    let unknown = Size {
                        lambda: true,
                        ..self.unknown()
                    };
                    // (no form: a lambda's parameters are not parts of anything)
                    self.scope.push(param.name.name.as_str(), unknown);
                }
                self.walk(*body);
                self.scope.truncate(mark);
            }
            kind => kind.for_each_child(|child| {
                if let Child::Expr(e) = child {
                    self.walk(e);
                }
            }),
        }
    }

    /// Walks `body` where `cond` is known to evaluate to `truth` (as a
    /// result position with [`Walker::walk_tail`] when `tail`).
    fn walk_guarded(&mut self, body: ExprId, cond: ExprId, truth: bool, tail: bool) {
        let lower = |e: ExprId| {
            let v = self.int_value(e)?;
            self.bounded.get(&v.param)?.checked_add(v.offset)
        };
        let facts = guard::lower_bounds(self.module, cond, truth, &|e| self.int_value(e), &lower);
        let equality = guard::equality_test(self.module, cond, truth, &|e| self.int_value(e));
        let saved = self.bounded.clone();
        for (p, k) in &facts {
            let slot = self.bounded.entry(*p).or_insert(*k);
            *slot = (*slot).max(*k);
        }
        let mark = self.equalities.len();
        if let Some(test) = equality {
            let written = self.text_of(test.test);
            let instead = match self.module.exprs.get(test.test.index()).map(|e| &e.kind) {
                Some(ExprKind::Binary { lhs, rhs, .. }) => format!(
                    "{} {} {}",
                    self.text_of(*lhs),
                    test.instead.text(),
                    self.text_of(*rhs)
                ),
                _ => String::new(),
            };
            self.equalities.push((test.param, written, instead));
        }
        if tail {
            self.walk_tail(body);
        } else {
            self.walk(body);
        }
        self.equalities.truncate(mark);
        self.bounded = saved;
    }

    /// Binds the variables of `pat` matched against the value of `scrutinee`.
    fn bind_match(&mut self, pat: PatId, scrutinee: ExprId) {
        let module = self.module;
        let pat_kind = module.pats.get(pat.index()).map(|p| &p.kind);
        let expr_kind = module.exprs.get(scrutinee.index()).map(|e| &e.kind);
        // `match (xs, ys) { (a, b) => .. }` matches component by component.
        if let (Some(PatKind::Tuple(pats)), Some(ExprKind::Tuple(exprs))) = (pat_kind, expr_kind)
            && pats.len() == exprs.len()
        {
            for (p, e) in pats.iter().zip(exprs) {
                self.bind_match(*p, *e);
            }
            return;
        }
        let size = self.size(scrutinee);
        self.bind(pat, &size);
    }

    /// Binds the variables of `pat` matched against a value of size `size`.
    fn bind(&mut self, pat: PatId, size: &Size) {
        let module = self.module;
        let Some(pat) = module.pats.get(pat.index()) else {
            return;
        };
        match &pat.kind {
            PatKind::Bind(name) => self.scope.push(name.name.as_str(), size.clone()),
            kind @ (PatKind::Ctor { .. }
            | PatKind::Struct { .. }
            | PatKind::Tuple(_)
            | PatKind::List { .. }) => {
                let part = size.part();
                // An atom matched for the first time here is expanded into
                // the pattern's cells and its parts' atoms.
                let atom = size
                    .form
                    .as_ref()
                    .and_then(Form::as_atom)
                    .filter(|&a| !self.atoms.is_expanded(a));
                let Some(atom) = atom else {
                    if size.upper.is_some() || !size.parts.is_empty() {
                        self.bind_bounded(kind, size, &part);
                    } else {
                        kind.for_each_child(|child| self.bind(child, &part));
                    }
                    return;
                };
                let mut parts = Form::cells(match kind {
                    PatKind::Ctor { args, .. } => u64::from(!args.is_empty()),
                    PatKind::List { items, .. } => items.len() as u64,
                    _ => 1,
                });
                if let PatKind::Struct { rest: true, .. } = kind {
                    // The unlisted fields.
                    parts.add(&self.atoms.fresh());
                }
                kind.for_each_child(|child| {
                    let form = self.atoms.fresh();
                    parts.add(&form);
                    let part = Size {
                        form: Some(form),
                        ..part.clone()
                    };
                    self.bind(child, &part);
                });
                self.atoms.expand_to(atom, parts);
            }
            PatKind::Wildcard
            | PatKind::Int(_)
            | PatKind::Bool(_)
            | PatKind::Bytes(_)
            | PatKind::Unit
            | PatKind::Error => {}
        }
    }

    /// What explains a data argument that may not decrease: a helper's
    /// result (with or without an output bound), or a rebuilt parameter.
    fn data_hint(&self, arg: ExprId, upper: &Option<Form>, form: &Option<Form>) -> Option<Hint> {
        let ExprKind::Call { callee, args, .. } = &self.module.exprs.get(arg.index())?.kind else {
            return self.rebuilt(form);
        };
        let ExprKind::Path(path) = &self.module.exprs.get(callee.index())?.kind else {
            return None;
        };
        let [segment] = path.segments.as_slice() else {
            return None;
        };
        let helper = segment.name.as_str();
        if self.local(helper).is_some() {
            return None;
        }
        if self.ctors.contains(helper) {
            return self.rebuilt(form);
        }
        let bounded_by = upper.as_ref().and_then(|_| {
            let summary = self.summary_of(*callee)?;
            let j = summary
                .whole
                .iter()
                .copied()
                .find(|&j| args.get(j).is_some_and(|a| self.upper(*a).is_some()))?;
            Some(self.text_of(*args.get(j)?))
        });
        Some(Hint::HelperResult {
            helper: helper.to_string(),
            bounded_by,
        })
    }

    /// [`Hint::Rebuilt`] for a constructor-built value of form `form` no
    /// larger than a sized parameter of the caller.
    fn rebuilt(&self, form: &Option<Form>) -> Option<Hint> {
        let form = form.as_ref()?;
        // A variable, or a constant (no parts at all), is not a rebuild.
        if form.as_atom().is_some() || !form.atoms.values().any(|&k| k > 0) {
            return None;
        }
        let f = self.fns.get(self.caller)?;
        (0..f.params.len())
            .filter(|&i| f.int_params.get(i) == Some(&false) && f.fn_params.get(i) == Some(&false))
            .find(|&i| self.atoms.compare(form, &Form::atom(i as u32)) == Rel::Le)
            .and_then(|i| f.params.get(i))
            .map(|param| Hint::Rebuilt {
                param: param.clone(),
            })
    }

    /// Binds the parts of a value known only to be at most a form (or
    /// with parts at most forms): each part is an atom of its own, at most
    /// the part's bound if there is one, else the whole's bound minus the
    /// pattern's cells and the other parts.
    fn bind_bounded(&mut self, kind: &PatKind, size: &Size, part: &Size) {
        let mut children = Vec::new();
        kind.for_each_child(|child| children.push(child));
        let fresh: Vec<Form> = children.iter().map(|_| self.atoms.fresh()).collect();
        let cells = match kind {
            PatKind::Ctor { args, .. } => u64::from(!args.is_empty()),
            PatKind::List { items, .. } => items.len() as u64,
            _ => 1,
        };
        if let Some(upper) = &size.upper {
            let atoms = fresh.iter().filter_map(Form::as_atom).collect();
            self.atoms.group(atoms, upper.minus(&Form::cells(cells)));
        }
        let name = match kind {
            PatKind::Tuple(_) => Some(String::new()),
            PatKind::Ctor { path, .. } => path.segments.last().map(|s| s.name.clone()),
            _ => None,
        };
        for (k, child) in children.iter().enumerate() {
            let own = name.as_ref().and_then(|n| {
                size.parts
                    .iter()
                    .find(|((c, i), _)| c == n && *i == k)
                    .map(|(_, f)| f.clone())
            });
            let upper = own.or_else(|| {
                let mut rest = size.upper.as_ref()?.minus(&Form::cells(cells));
                for (other, f) in fresh.iter().enumerate() {
                    if other != k {
                        rest = rest.minus(f);
                    }
                }
                Some(rest)
            });
            let child_size = Size {
                form: fresh.get(k).cloned(),
                upper,
                ..part.clone()
            };
            self.bind(*child, &child_size);
        }
    }

    fn record_call(&mut self, callee: usize, span: Span, args: &[ExprId]) {
        let n = self.n_params();
        let no_ints = Vec::new();
        let caller_ints = self
            .fns
            .get(self.caller)
            .map_or(&no_ints, |f| &f.int_params);
        let callee_ints = self.fns.get(callee).map_or(&no_ints, |f| &f.int_params);
        let arity = callee_ints.len();
        let mut matrix = Matrix::unknown(n, arity);
        let mut infos = Vec::with_capacity(arity);
        for j in 0..arity {
            let Some(arg) = args.get(j) else {
                infos.push(Arg {
                    text: String::new(),
                    hint: None,
                });
                continue;
            };
            let size = self.size(*arg);
            let upper = self.upper(*arg);
            let sized = |f: Option<&FnInfo>, k: usize| {
                f.is_some_and(|f| {
                    f.int_params.get(k) == Some(&false) && f.fn_params.get(k) == Some(&false)
                })
            };
            let callee_sized = sized(self.fns.get(callee), j);
            for (i, rel) in size.rels.iter().enumerate() {
                // An `Int` measure and a size are not comparable.
                if caller_ints.get(i) == callee_ints.get(j) {
                    let both = callee_sized && sized(self.fns.get(self.caller), i);
                    let param = Form::atom(i as u32);
                    let by_form = match &size.form {
                        Some(form) if both => self.atoms.compare(form, &param),
                        _ => Rel::Unknown,
                    };
                    let by_upper = match &upper {
                        Some(form) if both => self.atoms.compare(form, &param),
                        _ => Rel::Unknown,
                    };
                    matrix.set(i, j, (*rel).max(by_form).max(by_upper));
                }
            }
            let hint = match size.int {
                Some(v) if v.offset < 0 && !self.bounded.contains_key(&v.param) => self
                    .fns
                    .get(self.caller)
                    .and_then(|f| f.params.get(v.param))
                    .map(|param| Hint::UnguardedDescent {
                        param: param.clone(),
                        equality: self
                            .equalities
                            .iter()
                            .rev()
                            .find(|(p, _, _)| *p == v.param)
                            .map(|(_, written, instead)| (written.clone(), instead.clone())),
                    }),
                _ if size.lambda => Some(Hint::LambdaParameter),
                _ if callee_sized => self.data_hint(*arg, &upper, &size.form),
                _ => None,
            };
            infos.push(Arg {
                text: self.text_of(*arg),
                hint,
            });
        }
        self.calls.push(Call {
            caller: self.caller,
            callee,
            span,
            text: self.text(span),
            matrix,
            args: infos,
            by_value: false,
        });
    }

    fn record_value(&mut self, callee: usize, span: Span) {
        let arity = self.fns.get(callee).map_or(0, |f| f.params.len());
        self.calls.push(Call {
            caller: self.caller,
            callee,
            span,
            text: self.text(span),
            matrix: Matrix::unknown(self.n_params(), arity),
            args: Vec::new(),
            by_value: true,
        });
    }
}
