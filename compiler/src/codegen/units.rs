//! Compilation units: what one bytecode function is made from. A unit is a
//! function item, a lambda or a test, instantiated at concrete type
//! arguments and with each function-typed parameter bound to a concrete
//! function (a named function, an intrinsic, or a lambda with the unit it
//! was written in). The captured values of lambdas become extra parameters.

use std::rc::Rc;

use crate::db::{Db, SourceFile};
use crate::syntax::ast::{ExprId, Item};
use crate::types::{Builtin, ItemRef, LocalId, LocalKind, Ty, TypedModule};

/// Which source body a unit compiles.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Body {
    /// A `fn` item.
    Item(ItemRef),
    /// A `test` item.
    Test(ItemRef),
    /// A lambda expression of some file.
    Lambda {
        /// The file.
        file: SourceFile,
        /// The lambda expression.
        expr: ExprId,
    },
}

/// What a function-typed parameter is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FnArg {
    /// A function item at these (monomorphic) type arguments.
    Item {
        /// The function.
        item: ItemRef,
        /// Its type arguments.
        tys: Vec<Ty>,
    },
    /// An intrinsic.
    Builtin(Builtin),
    /// A lambda: its unit (whose `tys` and `fns` are those of the unit it
    /// was written in).
    Lambda(Rc<UnitKey>),
}

/// One instance of a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitKey {
    /// The body.
    pub body: Body,
    /// Type arguments of the enclosing item (monomorphic).
    pub tys: Vec<Ty>,
    /// Bindings of the enclosing item's function-typed parameters, by
    /// parameter index, in index order.
    pub fns: Vec<(u32, FnArg)>,
}

impl UnitKey {
    /// The file the body is in.
    pub fn file(&self) -> SourceFile {
        match &self.body {
            Body::Item(item) | Body::Test(item) => item.file,
            Body::Lambda { file, .. } => *file,
        }
    }

    /// The binding of function parameter `index`.
    pub fn fn_arg(&self, index: u32) -> Option<&FnArg> {
        self.fns.iter().find(|(i, _)| *i == index).map(|(_, a)| a)
    }

    /// How deeply lambdas nest inside this key (a guard against keys that grow forever).
    pub fn nesting(&self) -> usize {
        let mut max = 0;
        let mut stack: Vec<(&UnitKey, usize)> = vec![(self, 0)];
        while let Some((key, d)) = stack.pop() {
            max = max.max(d);
            for (_, arg) in &key.fns {
                if let FnArg::Lambda(inner) = arg {
                    stack.push((inner, d + 1));
                }
            }
        }
        max
    }
}

/// `ty` with type parameters replaced by `tys` and unsolved variables by `()`.
pub fn mono(ty: &Ty, tys: &[Ty]) -> Ty {
    normalize(&ty.substitute(tys))
}

fn normalize(ty: &Ty) -> Ty {
    match ty {
        Ty::Var(_) => Ty::Unit,
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(normalize).collect()),
        Ty::Adt { item, name, args } => Ty::Adt {
            item: *item,
            name: name.clone(),
            args: args.iter().map(normalize).collect(),
        },
        Ty::Fn { params, ret } => Ty::Fn {
            params: params.iter().map(normalize).collect(),
            ret: Box::new(normalize(ret)),
        },
        other => other.clone(),
    }
}

/// The free value locals of a lambda: locals used in its body but bound
/// outside it, except function-typed ones (those are bound statically), in
/// `LocalId` order.
pub fn free_locals(db: &dyn Db, file: SourceFile, lambda: ExprId) -> Vec<LocalId> {
    let module = &crate::db::parse(db, file).module;
    let typed = crate::types::infer(db, file);
    let Some(span) = module.exprs.get(lambda.index()).map(|e| e.span) else {
        return Vec::new();
    };
    // Walk the lambda's own subtree (an explicit stack; the tree's depth is
    // capped anyway), not every expression of the file: a file with many
    // lambdas stays linear.
    let mut out: Vec<LocalId> = Vec::new();
    let mut stack = vec![lambda];
    while let Some(id) = stack.pop() {
        let Some(e) = module.exprs.get(id.index()) else {
            continue;
        };
        if let Some(crate::types::Resolution::Local(local)) = typed.resolution(id)
            && let Some(info) = typed.local(local)
            && !(info.span.start >= span.start && info.span.end <= span.end)
            && !matches!(info.ty, Ty::Fn { .. })
        {
            out.push(local);
        }
        e.kind.for_each_child(|child| {
            if let crate::syntax::ast::Child::Expr(c) = child {
                stack.push(c);
            }
        });
    }
    out.sort();
    out.dedup();
    out
}

/// The parameters of a lambda, as locals, in order.
pub fn lambda_params(typed: &TypedModule, lambda: ExprId) -> Vec<LocalId> {
    let mut params: Vec<(u32, LocalId)> = typed
        .locals
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match l.kind {
            LocalKind::LambdaParam { lambda: e, index } if e == lambda => {
                Some((index, LocalId(i as u32)))
            }
            _ => None,
        })
        .collect();
    params.sort();
    params.into_iter().map(|(_, id)| id).collect()
}

/// The locals of a fn item's parameters, in order.
pub fn item_params(typed: &TypedModule, item: u32) -> Vec<LocalId> {
    typed.params.get(&item).cloned().unwrap_or_default()
}

/// A short description of a function argument, for function names.
pub fn describe_fn_arg(db: &dyn Db, arg: &FnArg) -> String {
    match arg {
        FnArg::Item { item, tys } => item_name(db, *item, tys),
        FnArg::Builtin(b) => format!("std::builtin::{}", b.name()),
        FnArg::Lambda(key) => match &key.body {
            Body::Lambda { file, expr } => {
                let module = &crate::db::parse(db, *file).module;
                let offset = module.exprs.get(expr.index()).map_or(0, |e| e.span.start);
                let at = crate::db::line_index(db, *file).line_col(file.text(db), offset);
                format!("lambda@{}:{}", at.line, at.column)
            }
            _ => "lambda".into(),
        },
    }
}

/// `name`, `name<Int>`, `std::list::map<Int, Int>`, or for a module of a
/// project `ledger::math::add` (its full module name first).
pub fn item_name(db: &dyn Db, item: ItemRef, tys: &[Ty]) -> String {
    let module = &crate::db::parse(db, item.file).module;
    let name = match module.items.get(item.index as usize) {
        Some(Item::Fn(f)) => f.name.name.clone(),
        Some(Item::Test(t)) => t.name.name.clone(),
        _ => "?".into(),
    };
    let path = item.file.path(db);
    let prefix = if path.starts_with("std::") {
        format!("{path}::")
    } else {
        match crate::db::module_name(db, item.file) {
            Some(module) => format!("{module}::"),
            None => String::new(),
        }
    };
    if tys.is_empty() {
        format!("{prefix}{name}")
    } else {
        let args: Vec<String> = tys.iter().map(|t| t.to_string()).collect();
        format!("{prefix}{name}<{}>", args.join(", "))
    }
}
