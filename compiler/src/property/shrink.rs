//! Smaller values than a failing one: the candidates a property's
//! counterexample is shrunk through. Every candidate is strictly smaller in
//! [`weight`], so shrinking always ends.

use vm_core::format::Module;
use vm_core::{AdtKind, Node, Ty, Value};

use super::generate::Minimal;

/// How many positions of a list, map or Bytes value are tried one by one.
const POSITIONS: usize = 32;

/// The order shrinking descends: fewer nodes first, then shorter Bytes, then
/// smaller magnitudes (|Int|, byte values, `true` over `false`).
pub fn weight(v: &Value) -> (usize, u128, u128) {
    let mut len = 0u128;
    let mut magnitude = 0u128;
    for n in v.nodes() {
        match n {
            Node::Int(i) => magnitude = magnitude.saturating_add(i.unsigned_abs()),
            Node::Bool(true) => magnitude = magnitude.saturating_add(1),
            Node::Bytes(b) => {
                len = len.saturating_add(b.len() as u128);
                let sum: u128 = b.iter().map(|&x| u128::from(x)).sum();
                magnitude = magnitude.saturating_add(sum);
            }
            _ => {}
        }
    }
    (v.nodes().len(), len, magnitude)
}

/// Values smaller than `v` (of type `ty`), the most aggressive first.
pub fn candidates(v: &Value, ty: Ty, m: &Module, minimal: &Minimal) -> Vec<Value> {
    let mut out = raw(v, ty, m, minimal);
    let w = weight(v);
    out.retain(|c| weight(c) < w);
    out
}

fn raw(v: &Value, ty: Ty, m: &Module, minimal: &Minimal) -> Vec<Value> {
    match ty {
        Ty::Unit => Vec::new(),
        Ty::Bool => vec![Value::bool(false)],
        Ty::Int => {
            let Some(n) = v.as_int() else {
                return Vec::new();
            };
            // Toward zero: 0, then the small numbers of n's sign (a value
            // built from n by a generator may fail only at some of them),
            // then in halving steps n - n/2, n - n/4, ..., n - 1.
            let mut out = vec![Value::int(0)];
            for k in 1..=16i128 {
                if k < n.abs() {
                    out.push(Value::int(k * n.signum()));
                }
            }
            let mut d = n / 2;
            while d != 0 {
                out.push(Value::int(n - d));
                d /= 2;
            }
            if n != 0 {
                out.push(Value::int(n - n.signum()));
            }
            out
        }
        Ty::Bytes => {
            let Some(b) = v.as_bytes() else {
                return Vec::new();
            };
            let mut out = vec![
                Value::bytes(Vec::new()),
                Value::bytes(b[..b.len() / 2].to_vec()),
                Value::bytes(b[b.len() / 2..].to_vec()),
            ];
            for i in 0..b.len().min(POSITIONS) {
                let mut fewer = b.to_vec();
                fewer.remove(i);
                out.push(Value::bytes(fewer));
            }
            for i in 0..b.len().min(POSITIONS) {
                if b[i] != 0 {
                    let mut lower = b.to_vec();
                    lower[i] = if b[i] > b'a' { b'a' } else { b[i] / 2 };
                    out.push(Value::bytes(lower));
                }
            }
            out
        }
        Ty::Adt(i) => {
            let Some(adt) = m.adts.get(i as usize) else {
                return Vec::new();
            };
            if let Some((_, vt)) = adt.map_types() {
                let Some(entries) = v.as_map() else {
                    return Vec::new();
                };
                let rebuild = |es: Vec<(Value, Value)>| Value::map(es).ok();
                let mut out: Vec<Value> = sequence(&entries, |e, out| {
                    for c in candidates(&e.1, vt, m, minimal) {
                        out.push((e.0.clone(), c));
                    }
                })
                .into_iter()
                .filter_map(rebuild)
                .collect();
                out.dedup();
                return out;
            }
            if adt.kind == AdtKind::List {
                let Some(elem) = adt
                    .variants
                    .get(1)
                    .and_then(|v| v.fields.first())
                    .map(|f| f.ty)
                else {
                    return Vec::new();
                };
                let Some(items) = v.as_list() else {
                    return Vec::new();
                };
                return sequence(&items, |e, out| {
                    out.extend(candidates(e, elem, m, minimal));
                })
                .into_iter()
                .map(Value::list)
                .collect();
            }
            let Some((tag, fields)) = v.as_cell() else {
                return Vec::new();
            };
            let Some(variant) = adt.variants.get(tag as usize) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            // A recursive field is a smaller value of the same type.
            for (f, def) in fields.iter().zip(&variant.fields) {
                if def.ty == ty {
                    out.push(f.clone());
                }
            }
            if let Some(small) = minimal.value(ty, m) {
                out.push(small);
            }
            for (k, def) in variant.fields.iter().enumerate() {
                for c in candidates(&fields[k], def.ty, m, minimal) {
                    let mut changed = fields.clone();
                    changed[k] = c;
                    out.push(Value::cell(tag, changed));
                }
            }
            out
        }
    }
}

/// Shorter sequences (empty, each half, one element fewer), then the same
/// length with one element shrunk by `smaller`.
fn sequence<T: Clone>(items: &[T], smaller: impl Fn(&T, &mut Vec<T>)) -> Vec<Vec<T>> {
    let n = items.len();
    if n == 0 {
        return Vec::new();
    }
    let mut out = vec![Vec::new(), items[..n / 2].to_vec(), items[n / 2..].to_vec()];
    for i in 0..n.min(POSITIONS) {
        let mut fewer = items.to_vec();
        fewer.remove(i);
        out.push(fewer);
    }
    for i in 0..n.min(POSITIONS) {
        let mut shrunk = Vec::new();
        smaller(&items[i], &mut shrunk);
        for c in shrunk {
            let mut changed = items.to_vec();
            changed[i] = c;
            out.push(changed);
        }
    }
    out
}
