//! Wrappers: a function whose body is one intrinsic applied to its
//! parameters (`fn get(m, k) { map_get(m, k) }`, as most of the standard
//! library is) is compiled at each call as the intrinsic itself, without
//! the call, the frame it pushes and the return (`lang-spec/codegen.md`,
//! "Calls").

use crate::db::Db;
use crate::syntax::ast::{ExprKind, Item};
use crate::types::{Builtin, ItemRef, LocalKind, Resolution};

/// The intrinsic `item` wraps and, for each argument it passes, the index
/// of the parameter passed; `None` unless `item`'s body is exactly one
/// intrinsic applied to parameters (in any order, any of them unused or
/// repeated: they are values, so that is the same as the call).
pub fn wrapped_builtin(db: &dyn Db, item: ItemRef) -> Option<(Builtin, Vec<u32>)> {
    let module = &crate::db::parse(db, item.file).module;
    let Some(Item::Fn(f)) = module.items.get(item.index as usize) else {
        return None;
    };
    let typed = crate::types::infer(db, item.file);
    let mut body = f.body;
    // A block without `let`s is its tail; nesting is bounded by the file.
    while let ExprKind::Block { lets, tail } = &module.exprs.get(body.index())?.kind {
        if !lets.is_empty() {
            return None;
        }
        body = *tail;
    }
    let ExprKind::Call { callee, args, .. } = &module.exprs.get(body.index())?.kind else {
        return None;
    };
    let Some(Resolution::Builtin(b)) = typed.resolution(*callee) else {
        return None;
    };
    let params = args
        .iter()
        .map(|a| match typed.resolution(*a)? {
            Resolution::Local(id) => match &typed.local(id)?.kind {
                LocalKind::Param { item: i, index } if *i == item.index => Some(*index),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<u32>>>()?;
    Some((b, params))
}
