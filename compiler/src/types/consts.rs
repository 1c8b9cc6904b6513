//! `const` items: each constant's expression is evaluated by the compiler,
//! once, from the syntax tree. A constant expression is made of literals,
//! other constants, `-`, `!`, the arithmetic, comparison and boolean
//! operators, parentheses, `if` and blocks without `let`; its type is `Int`,
//! `Bool` or `Bytes`. Overflow, division by zero, `fail`, other forms and
//! cycles between constants are diagnostics (E0314, E0315), never traps.

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{BinOp, ConstDef, ExprId, ExprKind, Item, Module, UnOp};
use crate::types::scope::ValueDef;
use crate::types::signatures::signatures;

/// The value of a constant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConstValue {
    /// An `Int`.
    Int(i128),
    /// A `Bool`.
    Bool(bool),
    /// A `Bytes` (string literals included).
    Bytes(Vec<u8>),
}

impl ConstValue {
    /// The literal pattern that matches exactly this value.
    pub fn as_pattern(&self) -> crate::syntax::ast::PatKind {
        use crate::syntax::ast::PatKind;
        match self {
            ConstValue::Int(v) => PatKind::Int(*v),
            ConstValue::Bool(b) => PatKind::Bool(*b),
            ConstValue::Bytes(b) => PatKind::Bytes(b.clone()),
        }
    }
}

/// The constants of one module: each `const` item's value (absent if it
/// could not be evaluated, which is then diagnosed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consts {
    /// Values by item index.
    pub values: BTreeMap<u32, ConstValue>,
    /// E0314 and E0315.
    pub diagnostics: Vec<Diagnostic>,
}

/// Longest chain of constants defined through each other that is evaluated.
const MAX_CHAIN: usize = 64;

/// Evaluates every `const` of `file`.
#[salsa::tracked(returns(ref))]
pub fn consts(db: &dyn Db, file: SourceFile) -> Consts {
    let module = &crate::db::parse(db, file).module;
    let mut ev = Eval {
        db,
        file,
        module,
        out: Consts::default(),
        state: BTreeMap::new(),
        chain: Vec::new(),
    };
    for (index, item) in module.items.iter().enumerate() {
        if let Item::Const(c) = item {
            ev.constant(index as u32, c);
        }
    }
    ev.out
}

/// The value of the constant `item` (of any module), if it has one.
pub fn const_value(db: &dyn Db, item: crate::types::ItemRef) -> Option<&ConstValue> {
    consts(db, item.file).values.get(&item.index)
}

/// How far a constant's evaluation got.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Busy,
    Done,
}

struct Eval<'a> {
    db: &'a dyn Db,
    file: SourceFile,
    module: &'a Module,
    out: Consts,
    state: BTreeMap<u32, State>,
    /// The constants being evaluated, outermost first.
    chain: Vec<u32>,
}

/// Why an expression has no constant value: reported (E0314), or already
/// reported elsewhere (a type error, a broken constant).
enum Stop {
    Report(Box<Diagnostic>),
    Quiet,
}

type R = Result<ConstValue, Stop>;

impl Eval<'_> {
    fn constant(&mut self, index: u32, c: &ConstDef) {
        if self.state.contains_key(&index) {
            return;
        }
        self.state.insert(index, State::Busy);
        let scalar = matches!(
            signatures(self.db, self.file).items.get(index as usize),
            Some(crate::types::ItemSig::Const(sig))
                if matches!(sig.ty, crate::types::Ty::Int | crate::types::Ty::Bool | crate::types::Ty::Bytes)
        );
        if !scalar {
            // Its type is reported by the type checker.
            self.state.insert(index, State::Done);
            return;
        }
        self.chain.push(index);
        match self.expr(c.value) {
            Ok(v) => {
                self.out.values.insert(index, v);
            }
            Err(Stop::Report(d)) => self.out.diagnostics.push(*d),
            Err(Stop::Quiet) => {}
        }
        self.chain.pop();
        self.state.insert(index, State::Done);
    }

    fn not_constant(&self, e: ExprId, what: &str) -> Stop {
        Stop::Report(Box::new(
            Diagnostic::new(
                Code::ConstEval,
                "this is not a constant expression",
                self.span(e),
                format!("{what} cannot be evaluated by the compiler"),
            )
            .with_help(
                "a constant is made of literals, other constants, operators and `if`; compute other values in a function",
            ),
        ))
    }

    fn fault(&self, e: ExprId, message: &str, label: &str) -> Stop {
        Stop::Report(Box::new(
            Diagnostic::new(Code::ConstEval, message.to_string(), self.span(e), label)
                .with_help("a constant is evaluated when the program is compiled; change its definition so that it has a value"),
        ))
    }

    fn span(&self, e: ExprId) -> Span {
        self.module
            .exprs
            .get(e.index())
            .map(|x| x.span)
            .unwrap_or_default()
    }

    fn expr(&mut self, e: ExprId) -> R {
        let Some(expr) = self.module.exprs.get(e.index()) else {
            return Err(Stop::Quiet);
        };
        match &expr.kind {
            ExprKind::Int(v) => Ok(ConstValue::Int(*v)),
            ExprKind::Bool(b) => Ok(ConstValue::Bool(*b)),
            ExprKind::Bytes(b) => Ok(ConstValue::Bytes(b.clone())),
            ExprKind::Error => Err(Stop::Quiet),
            ExprKind::Path(path) => self.path(e, path),
            ExprKind::Unary { op, operand } => match (op, self.expr(*operand)?) {
                (UnOp::Neg, ConstValue::Int(v)) => match v.checked_neg() {
                    Some(n) => Ok(ConstValue::Int(n)),
                    None => Err(self.fault(
                        e,
                        "integer overflow in a constant",
                        "this negation overflows",
                    )),
                },
                (UnOp::Not, ConstValue::Bool(b)) => Ok(ConstValue::Bool(!b)),
                _ => Err(Stop::Quiet),
            },
            ExprKind::Binary { op, lhs, rhs, .. } => self.binary(e, *op, *lhs, *rhs),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => match self.expr(*cond)? {
                ConstValue::Bool(true) => self.expr(*then_branch),
                ConstValue::Bool(false) => self.expr(*else_branch),
                _ => Err(Stop::Quiet),
            },
            ExprKind::Block { lets, tail } if lets.is_empty() => self.expr(*tail),
            ExprKind::Fail { reason } => {
                let reason = match self.expr(*reason) {
                    Ok(ConstValue::Bytes(b)) => vm_core::internals::error::show_reason(&b),
                    _ => "a reason".into(),
                };
                Err(self.fault(
                    e,
                    &format!("the constant fails with {reason}"),
                    "this `fail` is reached when the constant is evaluated",
                ))
            }
            ExprKind::Call { .. } => Err(self.not_constant(e, "a call")),
            ExprKind::Match { .. } => Err(self.not_constant(e, "a `match`")),
            ExprKind::Block { .. } => Err(self.not_constant(e, "a block with `let`")),
            _ => Err(self.not_constant(e, "this expression")),
        }
    }

    fn path(&mut self, e: ExprId, path: &crate::syntax::ast::Path) -> R {
        if path.segments.len() != 1 {
            return Err(self.not_constant(e, "a qualified name"));
        }
        let scope = &signatures(self.db, self.file).scope;
        let Some(def) = scope.values.get(&path.last().name).copied() else {
            return Err(Stop::Quiet);
        };
        let ValueDef::Const(item) = def else {
            return Err(self.not_constant(e, "this name"));
        };
        if item.file != self.file {
            return const_value(self.db, item).cloned().ok_or(Stop::Quiet);
        }
        if self.chain.contains(&item.index) {
            return Err(self.cycle(e, item.index));
        }
        if self.chain.len() >= MAX_CHAIN {
            return Err(self.fault(
                e,
                "constants defined through too many others",
                "this constant is the end of a chain of more than 64 constants",
            ));
        }
        if let Some(Item::Const(c)) = self.module.items.get(item.index as usize) {
            self.constant(item.index, c);
        }
        self.out.values.get(&item.index).cloned().ok_or(Stop::Quiet)
    }

    fn cycle(&self, e: ExprId, index: u32) -> Stop {
        let name = |i: u32| match self.module.items.get(i as usize) {
            Some(Item::Const(c)) => c.name.name.clone(),
            _ => "?".into(),
        };
        let start = self.chain.iter().position(|i| *i == index).unwrap_or(0);
        let mut names: Vec<String> = self.chain[start..].iter().map(|i| name(*i)).collect();
        names.push(name(index));
        Stop::Report(Box::new(
            Diagnostic::new(
                Code::ConstCycle,
                format!("the constant `{}` is defined through itself", name(index)),
                self.span(e),
                format!("`{}` is used here to define itself", name(index)),
            )
            .with_note(format!("the cycle: {}", names.join(" -> ")))
            .with_help("define one of these constants without the others"),
        ))
    }

    fn binary(&mut self, e: ExprId, op: BinOp, lhs: ExprId, rhs: ExprId) -> R {
        use ConstValue::{Bool, Int};
        let a = self.expr(lhs)?;
        match (op, &a) {
            (BinOp::And, Bool(false)) => return Ok(Bool(false)),
            (BinOp::Or, Bool(true)) => return Ok(Bool(true)),
            (BinOp::And | BinOp::Or, _) => return self.expr(rhs),
            _ => {}
        }
        let b = self.expr(rhs)?;
        if let (BinOp::Eq | BinOp::Ne, a, b) = (op, &a, &b) {
            return Ok(Bool((a == b) == (op == BinOp::Eq)));
        }
        let (Int(x), Int(y)) = (a, b) else {
            return Err(Stop::Quiet);
        };
        let overflow = || {
            self.fault(
                e,
                "integer overflow in a constant",
                "this operation overflows",
            )
        };
        let zero = || self.fault(e, "division by zero in a constant", "the divisor is 0");
        Ok(match op {
            BinOp::Add => Int(x.checked_add(y).ok_or_else(overflow)?),
            BinOp::Sub => Int(x.checked_sub(y).ok_or_else(overflow)?),
            BinOp::Mul => Int(x.checked_mul(y).ok_or_else(overflow)?),
            BinOp::Div | BinOp::Rem if y == 0 => return Err(zero()),
            BinOp::Div => Int(x.checked_div(y).ok_or_else(overflow)?),
            BinOp::Rem => Int(x.checked_rem(y).ok_or_else(overflow)?),
            BinOp::Lt => Bool(x < y),
            BinOp::Le => Bool(x <= y),
            BinOp::Gt => Bool(x > y),
            BinOp::Ge => Bool(x >= y),
            BinOp::Eq | BinOp::Ne | BinOp::And | BinOp::Or => return Err(Stop::Quiet),
        })
    }
}
