//! A reference interpreter over the checked syntax tree: the meaning of a
//! Tally program as `lang-spec/types.md` states it (strict, left to right,
//! `&&`/`||` short-circuit, checked `Int`), written as directly as possible
//! so that the bytecode compiler and VM can be tested against it.
//!
//! Test-only code: it recurses on the Rust stack in proportion to the
//! program's call depth, so callers run it on a thread with a large stack
//! and on small inputs.

use std::collections::BTreeMap;

use tally::db::{self, Database, SourceFile};
use tally::syntax::ast::{BinOp, ExprId, ExprKind, Item, PatId, PatKind, UnOp};
use tally::types::{self, Builtin, ItemRef, LocalId, LocalKind, Resolution};
use vm_core::Value;
use vm_core::internals::crypto::{HashFn, SigScheme};

/// A runtime value: scalars and constructor cells (tuples and structs are
/// variant 0; `Nil` is 0 and `Cons` is 1), as the VM represents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RVal {
    /// `()`.
    Unit,
    /// A Bool.
    Bool(bool),
    /// An Int.
    Int(i128),
    /// Bytes.
    Bytes(Vec<u8>),
    /// Variant `tag` with its fields.
    Cell(u32, Vec<RVal>),
    /// A map: its entries in strictly ascending key order.
    Map(Vec<(RVal, RVal)>),
}

/// The order of map keys: Ints by value, Bytes lexicographically.
fn key_cmp(a: &RVal, b: &RVal) -> std::cmp::Ordering {
    match (a, b) {
        (RVal::Int(x), RVal::Int(y)) => x.cmp(y),
        (RVal::Bytes(x), RVal::Bytes(y)) => x.cmp(y),
        _ => panic!("ill-typed map key"),
    }
}

/// `es` with `k` mapped to `v`, kept sorted.
fn map_put(mut es: Vec<(RVal, RVal)>, k: RVal, v: RVal) -> Vec<(RVal, RVal)> {
    match es.binary_search_by(|(x, _)| key_cmp(x, &k)) {
        Ok(i) => es[i].1 = v,
        Err(i) => es.insert(i, (k, v)),
    }
    es
}

impl RVal {
    /// The same value as the VM's boundary representation.
    pub fn to_value(&self) -> Value {
        match self {
            RVal::Unit => Value::unit(),
            RVal::Bool(b) => Value::bool(*b),
            RVal::Int(i) => Value::int(*i),
            RVal::Bytes(b) => Value::bytes(b.clone()),
            RVal::Cell(tag, fields) => {
                Value::cell(*tag, fields.iter().map(RVal::to_value).collect())
            }
            RVal::Map(es) => Value::map(es.iter().map(|(k, v)| (k.to_value(), v.to_value())))
                .expect("map keys are Int or Bytes"),
        }
    }

    /// A list of these values.
    pub fn list(items: Vec<RVal>) -> RVal {
        items
            .into_iter()
            .rev()
            .fold(RVal::Cell(0, vec![]), |tail, head| {
                RVal::Cell(1, vec![head, tail])
            })
    }
}

/// Why evaluation stopped (the traps a source program can cause).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RTrap {
    /// `fail(reason)`.
    Failed(Vec<u8>),
    /// Not a trap: `?` returning this value from the enclosing function
    /// (caught by the call).
    Return(RVal),
    /// Int overflow, including `i128::MIN / -1` and `i128::MIN % -1`.
    Overflow,
    /// Division or remainder by zero.
    DivisionByZero,
    /// The interpreter's step budget ran out (not a language trap).
    OutOfSteps,
}

/// A function value: what a fn-typed parameter holds.
#[derive(Debug, Clone)]
enum Callable {
    Item(ItemRef),
    Builtin(Builtin),
    Ctor(u32),
    Lambda {
        file: SourceFile,
        lambda: ExprId,
        env: Env,
    },
}

#[derive(Debug, Clone)]
enum Slot {
    Val(RVal),
    Fn(Callable),
}

type Env = BTreeMap<LocalId, Slot>;

/// The interpreter: a database and a step budget.
pub struct Interp<'db> {
    db: &'db Database,
    steps: u64,
}

type R<T> = Result<T, RTrap>;

impl<'db> Interp<'db> {
    /// An interpreter that gives up after `steps` evaluation steps.
    pub fn new(db: &'db Database, steps: u64) -> Self {
        Interp { db, steps }
    }

    /// Calls function item `index` of `file` with `args`.
    pub fn call_fn(&mut self, file: SourceFile, index: u32, args: Vec<RVal>) -> R<RVal> {
        let args = args.into_iter().map(Slot::Val).collect();
        self.call_item(ItemRef { file, index }, args)
    }

    /// Evaluates the body of test `name` of `file`.
    pub fn run_test(&mut self, file: SourceFile, name: &str) -> Option<R<RVal>> {
        let module = &db::parse(self.db, file).module;
        let body = module.items.iter().find_map(|item| match item {
            Item::Test(t) if t.name.name == name => Some(t.body),
            _ => None,
        })?;
        Some(self.eval(file, &mut Env::new(), body))
    }

    fn tick(&mut self) -> R<()> {
        if self.steps == 0 {
            return Err(RTrap::OutOfSteps);
        }
        self.steps -= 1;
        Ok(())
    }

    fn call_item(&mut self, item: ItemRef, args: Vec<Slot>) -> R<RVal> {
        self.tick()?;
        let module = &db::parse(self.db, item.file).module;
        let Some(Item::Fn(def)) = module.items.get(item.index as usize) else {
            panic!("call of a non-function item");
        };
        let typed = types::infer(self.db, item.file);
        let mut env = Env::new();
        for (id, local) in typed.locals.iter().enumerate() {
            if let LocalKind::Param { item: i, index } = local.kind
                && i == item.index
            {
                let arg = args.get(index as usize).cloned().expect("arity checked");
                env.insert(LocalId(id as u32), arg);
            }
        }
        match self.eval(item.file, &mut env, def.body) {
            Err(RTrap::Return(v)) => Ok(v),
            other => other,
        }
    }

    fn apply(&mut self, callee: Callable, args: Vec<Slot>) -> R<RVal> {
        match callee {
            Callable::Item(item) => self.call_item(item, args),
            Callable::Ctor(variant) => Ok(RVal::Cell(variant, args.into_iter().map(val).collect())),
            Callable::Builtin(b) => builtin(b, args.into_iter().map(val).collect()),
            Callable::Lambda { file, lambda, env } => {
                self.tick()?;
                let typed = types::infer(self.db, file);
                let mut env = env;
                for (id, local) in typed.locals.iter().enumerate() {
                    if let LocalKind::LambdaParam { lambda: l, index } = local.kind
                        && l == lambda
                    {
                        let arg = args.get(index as usize).cloned().expect("arity checked");
                        env.insert(LocalId(id as u32), arg);
                    }
                }
                let module = &db::parse(self.db, file).module;
                let ExprKind::Lambda { body, .. } = &module.expr(lambda).kind else {
                    panic!("closure of a non-lambda");
                };
                self.eval(file, &mut env, *body)
            }
        }
    }

    fn eval(&mut self, file: SourceFile, env: &mut Env, e: ExprId) -> R<RVal> {
        match self.eval_slot(file, env, e)? {
            Slot::Val(v) => Ok(v),
            Slot::Fn(_) => panic!("a function used as a value"),
        }
    }

    fn eval_slot(&mut self, file: SourceFile, env: &mut Env, e: ExprId) -> R<Slot> {
        self.tick()?;
        let db = self.db;
        let module = &db::parse(db, file).module;
        let typed = types::infer(db, file);
        let v = match &module.expr(e).kind {
            ExprKind::Int(i) => RVal::Int(*i),
            ExprKind::Bool(b) => RVal::Bool(*b),
            ExprKind::Bytes(b) => RVal::Bytes(b.clone()),
            ExprKind::Unit => RVal::Unit,
            ExprKind::Path(_) => match typed.resolution(e).expect("resolved") {
                Resolution::Local(id) => return Ok(env.get(&id).cloned().expect("bound")),
                Resolution::Fn(item) => return Ok(Slot::Fn(Callable::Item(item))),
                Resolution::Builtin(b) => return Ok(Slot::Fn(Callable::Builtin(b))),
                Resolution::Ctor { variant, .. } => match typed.expr_ty(e) {
                    types::Ty::Fn { .. } => return Ok(Slot::Fn(Callable::Ctor(variant))),
                    _ => RVal::Cell(variant, vec![]),
                },
                Resolution::Struct(_) => panic!("a struct name as a value"),
                Resolution::Const(item) => match types::consts::const_value(db, item) {
                    Some(types::consts::ConstValue::Int(v)) => RVal::Int(*v),
                    Some(types::consts::ConstValue::Bool(v)) => RVal::Bool(*v),
                    Some(types::consts::ConstValue::Bytes(v)) => RVal::Bytes(v.clone()),
                    None => panic!("a constant without a value"),
                },
            },
            ExprKind::Lambda { .. } => {
                return Ok(Slot::Fn(Callable::Lambda {
                    file,
                    lambda: e,
                    env: env.clone(),
                }));
            }
            ExprKind::Tuple(items) => RVal::Cell(0, self.eval_all(file, env, items)?),
            ExprKind::List { items, tail } => {
                let heads = self.eval_all(file, env, items)?;
                let tail = match tail {
                    Some(t) => self.eval(file, env, *t)?,
                    None => RVal::Cell(0, vec![]),
                };
                heads
                    .into_iter()
                    .rev()
                    .fold(tail, |tail, head| RVal::Cell(1, vec![head, tail]))
            }
            ExprKind::Call { callee, args, .. } => {
                let callee = match typed.resolution(*callee) {
                    Some(Resolution::Ctor { variant, .. }) => Callable::Ctor(variant),
                    _ => match self.eval_slot(file, env, *callee)? {
                        Slot::Fn(c) => c,
                        Slot::Val(_) => panic!("call of a non-function"),
                    },
                };
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(self.eval_slot(file, env, *a)?);
                }
                self.apply(callee, values)?
            }
            ExprKind::Field { base, .. } => {
                let index = *typed.field_indices.get(&e).expect("field resolved");
                match self.eval(file, env, *base)? {
                    RVal::Cell(_, mut fields) => fields.swap_remove(index as usize),
                    _ => panic!("field of a non-struct"),
                }
            }
            ExprKind::StructLit { fields, base, .. } => {
                let Some(Resolution::Struct(item)) = typed.resolution(e) else {
                    panic!("unresolved struct literal");
                };
                let order = self.field_names(item);
                let mut written = Vec::new();
                for f in fields {
                    written.push((f.name.name.clone(), self.eval(file, env, f.value)?));
                }
                let mut out = match base {
                    Some(b) => match self.eval(file, env, *b)? {
                        RVal::Cell(_, fields) => fields.into_iter().map(Some).collect(),
                        _ => panic!("struct update of a non-struct"),
                    },
                    None => vec![None; order.len()],
                };
                for (name, v) in written {
                    let i = order.iter().position(|n| *n == name).expect("field exists");
                    out[i] = Some(v);
                }
                RVal::Cell(0, out.into_iter().map(|f| f.expect("all fields")).collect())
            }
            ExprKind::Binary { op, lhs, rhs, .. } => self.binary(file, env, *op, *lhs, *rhs)?,
            ExprKind::Unary { op, operand } => match (op, self.eval(file, env, *operand)?) {
                (UnOp::Neg, RVal::Int(i)) => RVal::Int(i.checked_neg().ok_or(RTrap::Overflow)?),
                (UnOp::Not, RVal::Bool(b)) => RVal::Bool(!b),
                _ => panic!("ill-typed unary operand"),
            },
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => match self.eval(file, env, *cond)? {
                RVal::Bool(true) => return self.eval_slot(file, env, *then_branch),
                RVal::Bool(false) => return self.eval_slot(file, env, *else_branch),
                _ => panic!("ill-typed condition"),
            },
            ExprKind::Match { scrutinee, arms } => {
                let v = self.eval(file, env, *scrutinee)?;
                for arm in arms {
                    let mut inner = env.clone();
                    if self.matches(file, arm.pat, &v, &mut inner) {
                        return self.eval_slot(file, &mut inner, arm.body);
                    }
                }
                panic!("no arm matched: exhaustiveness checking failed");
            }
            ExprKind::Block { lets, tail } => {
                let mut inner = env.clone();
                for l in lets {
                    let v = self.eval(file, &mut inner, l.value)?;
                    if !self.matches(file, l.pat, &v, &mut inner) {
                        let else_branch = l.else_branch.expect("refutable let");
                        self.eval(file, &mut inner, else_branch)?;
                        panic!("the else of a let-else gave a value");
                    }
                }
                return self.eval_slot(file, &mut inner, *tail);
            }
            ExprKind::Fail { reason } => match self.eval(file, env, *reason)? {
                RVal::Bytes(b) => return Err(RTrap::Failed(b)),
                _ => panic!("ill-typed fail reason"),
            },
            ExprKind::Try { operand } => {
                // `Ok(x)`/`Some(x)` give `x`; `Err(e)` returns `Err(e)` and
                // `None` returns `None` (variant numbers as declared).
                let ok_tag = match typed.expr_ty(*operand) {
                    types::Ty::Adt { name, .. } if name == "Option" => 1,
                    _ => 0,
                };
                match self.eval(file, env, *operand)? {
                    RVal::Cell(tag, mut fields) if tag == ok_tag => fields.swap_remove(0),
                    out => return Err(RTrap::Return(out)),
                }
            }
            ExprKind::Error => panic!("an error node in a checked program"),
        };
        Ok(Slot::Val(v))
    }

    fn eval_all(&mut self, file: SourceFile, env: &mut Env, items: &[ExprId]) -> R<Vec<RVal>> {
        items.iter().map(|i| self.eval(file, env, *i)).collect()
    }

    fn binary(
        &mut self,
        file: SourceFile,
        env: &mut Env,
        op: BinOp,
        l: ExprId,
        r: ExprId,
    ) -> R<RVal> {
        let a = self.eval(file, env, l)?;
        match (op, &a) {
            (BinOp::And, RVal::Bool(false)) => return Ok(RVal::Bool(false)),
            (BinOp::Or, RVal::Bool(true)) => return Ok(RVal::Bool(true)),
            (BinOp::And | BinOp::Or, _) => return self.eval(file, env, r),
            _ => {}
        }
        let b = self.eval(file, env, r)?;
        let int = |v: &RVal| match v {
            RVal::Int(i) => *i,
            _ => panic!("ill-typed arithmetic"),
        };
        Ok(match op {
            BinOp::Eq => RVal::Bool(a == b),
            BinOp::Ne => RVal::Bool(a != b),
            BinOp::Lt => RVal::Bool(int(&a) < int(&b)),
            BinOp::Le => RVal::Bool(int(&a) <= int(&b)),
            BinOp::Gt => RVal::Bool(int(&a) > int(&b)),
            BinOp::Ge => RVal::Bool(int(&a) >= int(&b)),
            BinOp::Add => RVal::Int(int(&a).checked_add(int(&b)).ok_or(RTrap::Overflow)?),
            BinOp::Sub => RVal::Int(int(&a).checked_sub(int(&b)).ok_or(RTrap::Overflow)?),
            BinOp::Mul => RVal::Int(int(&a).checked_mul(int(&b)).ok_or(RTrap::Overflow)?),
            BinOp::Div | BinOp::Rem => {
                let (x, y) = (int(&a), int(&b));
                if y == 0 {
                    return Err(RTrap::DivisionByZero);
                }
                let q = if op == BinOp::Div {
                    x.checked_div(y)
                } else {
                    x.checked_rem(y)
                };
                RVal::Int(q.ok_or(RTrap::Overflow)?)
            }
            BinOp::And | BinOp::Or => unreachable!("handled above"),
        })
    }

    fn field_names(&self, item: ItemRef) -> Vec<String> {
        match db::parse(self.db, item.file)
            .module
            .items
            .get(item.index as usize)
        {
            Some(Item::Struct(s)) => s.fields.iter().map(|f| f.name.name.clone()).collect(),
            _ => panic!("not a struct"),
        }
    }

    fn matches(&self, file: SourceFile, p: PatId, v: &RVal, env: &mut Env) -> bool {
        let module = &db::parse(self.db, file).module;
        let typed = types::infer(self.db, file);
        match (&module.pat(p).kind, v) {
            (PatKind::Wildcard, _) => true,
            (PatKind::Bind(_), _) => {
                let id = *typed.pat_locals.get(&p).expect("binding has a local");
                env.insert(id, Slot::Val(v.clone()));
                true
            }
            (PatKind::Int(i), RVal::Int(j)) => i == j,
            (PatKind::Bool(a), RVal::Bool(b)) => a == b,
            (PatKind::Bytes(a), RVal::Bytes(b)) => a == b,
            (PatKind::Unit, RVal::Unit) => true,
            (PatKind::Ctor { .. }, RVal::Int(_) | RVal::Bool(_) | RVal::Bytes(_)) => {
                let Some(Resolution::Const(item)) = typed.pat_resolution(p) else {
                    panic!("a constructor pattern against a scalar");
                };
                let want = match types::consts::const_value(self.db, item).expect("evaluated") {
                    types::consts::ConstValue::Int(i) => RVal::Int(*i),
                    types::consts::ConstValue::Bool(b) => RVal::Bool(*b),
                    types::consts::ConstValue::Bytes(b) => RVal::Bytes(b.clone()),
                };
                want == *v
            }
            (PatKind::Ctor { args, .. }, RVal::Cell(tag, fields)) => {
                let variant = match typed.pat_resolution(p) {
                    Some(Resolution::Ctor { variant, .. }) => variant,
                    Some(Resolution::Struct(_)) => 0,
                    other => panic!("constructor pattern resolved to {other:?}"),
                };
                variant == *tag
                    && args.len() == fields.len()
                    && args
                        .iter()
                        .zip(fields)
                        .all(|(a, f)| self.matches(file, *a, f, env))
            }
            (PatKind::Struct { fields: pats, .. }, RVal::Cell(_, fields)) => {
                let Some(Resolution::Struct(item)) = typed.pat_resolution(p) else {
                    panic!("unresolved struct pattern");
                };
                let order = self.field_names(item);
                pats.iter().all(|fp| {
                    let i = order
                        .iter()
                        .position(|n| *n == fp.name.name)
                        .expect("field");
                    self.matches(file, fp.pat, &fields[i], env)
                })
            }
            (PatKind::Tuple(pats), RVal::Cell(0, fields)) => {
                pats.len() == fields.len()
                    && pats
                        .iter()
                        .zip(fields)
                        .all(|(a, f)| self.matches(file, *a, f, env))
            }
            (PatKind::List { items, rest }, _) => {
                let mut cur = v;
                for item in items {
                    match cur {
                        RVal::Cell(1, cons) if self.matches(file, *item, &cons[0], env) => {
                            cur = &cons[1];
                        }
                        _ => return false,
                    }
                }
                match rest {
                    Some(r) => self.matches(file, *r, cur, env),
                    None => matches!(cur, RVal::Cell(0, _)),
                }
            }
            _ => false,
        }
    }
}

fn val(s: Slot) -> RVal {
    match s {
        Slot::Val(v) => v,
        Slot::Fn(_) => panic!("a function passed where a value is expected"),
    }
}

fn builtin(b: Builtin, args: Vec<RVal>) -> R<RVal> {
    let bytes = |v: &RVal| match v {
        RVal::Bytes(b) => b.clone(),
        _ => panic!("ill-typed builtin argument"),
    };
    let int = |v: &RVal| match v {
        RVal::Int(i) => *i,
        _ => panic!("ill-typed builtin argument"),
    };
    let map = |v: &RVal| match v {
        RVal::Map(es) => es.clone(),
        _ => panic!("ill-typed builtin argument"),
    };
    Ok(match b {
        Builtin::BytesLength => RVal::Int(bytes(&args[0]).len() as i128),
        Builtin::BytesConcat => {
            let mut a = bytes(&args[0]);
            a.extend(bytes(&args[1]));
            RVal::Bytes(a)
        }
        Builtin::BytesSlice => {
            let b = bytes(&args[0]);
            let len = b.len() as i128;
            let s = int(&args[1]).clamp(0, len);
            let n = int(&args[2]).clamp(0, len - s);
            RVal::Bytes(b[s as usize..(s + n) as usize].to_vec())
        }
        Builtin::Sha256 => {
            use sha2::Digest;
            RVal::Bytes(sha2::Sha256::digest(bytes(&args[0])).to_vec())
        }
        Builtin::Blake2b256 => RVal::Bytes(HashFn::Blake2b256.digest(&bytes(&args[0])).to_vec()),
        Builtin::Keccak256 => RVal::Bytes(HashFn::Keccak256.digest(&bytes(&args[0])).to_vec()),
        Builtin::Sha3_256 => RVal::Bytes(HashFn::Sha3_256.digest(&bytes(&args[0])).to_vec()),
        Builtin::Ed25519Verify | Builtin::SchnorrVerify | Builtin::EcdsaSecp256k1Verify => {
            let scheme = match b {
                Builtin::Ed25519Verify => SigScheme::Ed25519,
                Builtin::SchnorrVerify => SigScheme::Schnorr,
                _ => SigScheme::EcdsaSecp256k1,
            };
            RVal::Bool(scheme.verify(&bytes(&args[0]), &bytes(&args[1]), &bytes(&args[2])))
        }
        Builtin::MapEmpty => RVal::Map(vec![]),
        Builtin::MapGet | Builtin::MapContains | Builtin::MapRemove => {
            let es = map(&args[0]);
            let at = es.binary_search_by(|(x, _)| key_cmp(x, &args[1]));
            match (b, at) {
                (Builtin::MapContains, at) => RVal::Bool(at.is_ok()),
                (Builtin::MapGet, Ok(i)) => RVal::Cell(1, vec![es[i].1.clone()]),
                (Builtin::MapGet, Err(_)) => RVal::Cell(0, vec![]),
                (_, Ok(i)) => {
                    let mut es = es;
                    es.remove(i);
                    RVal::Map(es)
                }
                (_, Err(_)) => RVal::Map(es),
            }
        }
        Builtin::MapInsert => RVal::Map(map_put(map(&args[0]), args[1].clone(), args[2].clone())),
        Builtin::MapSize => RVal::Int(map(&args[0]).len() as i128),
        Builtin::MapToList => RVal::list(
            map(&args[0])
                .into_iter()
                .map(|(k, v)| RVal::Cell(0, vec![k, v]))
                .collect(),
        ),
        Builtin::MapFromList => {
            let mut es = Vec::new();
            let mut cur = args[0].clone();
            while let RVal::Cell(1, fields) = cur {
                let [head, tail]: [RVal; 2] = fields.try_into().expect("a cons cell");
                let RVal::Cell(0, kv) = head else {
                    panic!("a pair")
                };
                es = map_put(es, kv[0].clone(), kv[1].clone());
                cur = tail;
            }
            RVal::Map(es)
        }
    })
}
