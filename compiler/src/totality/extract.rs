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
    let mut calls = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        let mut walker = Walker {
            module,
            source,
            by_name: &by_name,
            ctors: &ctors,
            fns: &fns,
            caller: index,
            scope: Scope::default(),
            atoms: Atoms::with_params(def.params.len()),
            bounded: BTreeMap::new(),
            equalities: Vec::new(),
            calls: Vec::new(),
        };
        let n = def.params.len();
        for (i, param) in def.params.iter().enumerate() {
            let mut rels = vec![Rel::Unknown; n];
            if let Some(own) = rels.get_mut(i) {
                *own = Rel::Le;
            }
            let int = is_int(module, param.ty).then_some(IntValue {
                param: i,
                offset: 0,
            });
            walker.scope.push(
                param.name.name.as_str(),
                Size {
                    rels,
                    int,
                    lambda: false,
                    form: Some(Form::atom(i as u32)),
                },
            );
        }
        walker.walk(def.body);
        calls.append(&mut walker.calls);
    }
    CallGraph { fns, calls }
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
}

impl Size {
    /// What is known of a part of a value of this size.
    fn part(&self) -> Size {
        Size {
            rels: self.rels.iter().map(|r| r.strict()).collect(),
            int: None,
            lambda: self.lambda,
            form: None,
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
                let name = match &self.module.exprs.get(callee.index())?.kind {
                    ExprKind::Path(path) if path.segments.len() == 1 => {
                        path.segments.first()?.name.as_str()
                    }
                    _ => return None,
                };
                if self.local(name).is_some() || !self.ctors.contains(name) {
                    return None;
                }
                sum(u64::from(!args.is_empty()), &mut args.iter().copied())
            }
            ExprKind::StructLit {
                fields, base: None, ..
            } => sum(1, &mut fields.iter().map(|f| f.value)),
            ExprKind::Block { lets, tail } if lets.is_empty() => self.form(*tail),
            _ => None,
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
                self.walk_guarded(*rhs, *lhs, *op == BinOp::And);
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.walk(*cond);
                self.walk_guarded(*then_branch, *cond, true);
                self.walk_guarded(*else_branch, *cond, false);
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

    /// Walks `body` where `cond` is known to evaluate to `truth`.
    fn walk_guarded(&mut self, body: ExprId, cond: ExprId, truth: bool) {
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
        self.walk(body);
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
                    kind.for_each_child(|child| self.bind(child, &part));
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
            let sized = |f: Option<&FnInfo>, k: usize| {
                f.is_some_and(|f| {
                    f.int_params.get(k) == Some(&false) && f.fn_params.get(k) == Some(&false)
                })
            };
            let callee_sized = sized(self.fns.get(callee), j);
            for (i, rel) in size.rels.iter().enumerate() {
                // An `Int` measure and a size are not comparable.
                if caller_ints.get(i) == callee_ints.get(j) {
                    let by_form = match &size.form {
                        Some(form) if callee_sized && sized(self.fns.get(self.caller), i) => {
                            self.atoms.compare(form, &Form::atom(i as u32))
                        }
                        _ => Rel::Unknown,
                    };
                    matrix.set(i, j, (*rel).max(by_form));
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
