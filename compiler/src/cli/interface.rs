//! The interface file `tally build` writes next to each module
//! (`NAME.interface.json`, schema `compiler/schema/interface.schema.json`):
//! what off-chain code needs to call the module without decoding its
//! bytecode — the module's hash, the VM it is for, and for each entry point
//! its parameters and result with their types described down to constructor
//! tags and field order, its doc comment, and its gas and memory bounds as
//! formula trees and as text.

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use vm_core::format::{AdtKind, Module, Ty};
use vm_core::internals::VerifiedModule;
use vm_core::internals::bound::{Bound, Mono, Poly};

use super::input::EntryInfo;

/// The interface schema's identifier, the document's `"schema"` field.
pub const SCHEMA: &str = "tally-interface/1";

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A number as JSON: a number up to 2^53, a decimal string above (JSON
/// readers lose precision past it).
pub fn number(n: u128) -> Json {
    if n <= 1 << 53 {
        json!(n as u64)
    } else {
        json!(n.to_string())
    }
}

/// The interface of a built module: `name` is the contract's name,
/// `package` the project's name and version (if it is built from one),
/// `source` its source file, `bytes` the encoded module.
pub fn interface(
    name: &str,
    package: Option<(&str, &str)>,
    source: &str,
    module: &VerifiedModule,
    bytes: &[u8],
    entries: &[EntryInfo],
) -> Json {
    let m = module.module();
    let exports: Vec<Json> = entries.iter().filter_map(|e| export(module, e)).collect();
    json!({
        "schema": SCHEMA,
        "name": name,
        "package": package.map(|(name, version)| json!({ "name": name, "version": version })),
        "source": source,
        "module": module_facts(bytes),
        "types": types(m),
        "exports": exports,
    })
}

/// What identifies an encoded module: its SHA-256, size, format version and VM.
pub fn module_facts(bytes: &[u8]) -> Json {
    json!({
        "sha256": hex(&Sha256::digest(bytes)),
        "size": bytes.len(),
        "format_version": vm_core::format::FORMAT_VERSION,
        "vm": vm_core::format::VM_ID,
    })
}

/// A VM type as a reference into `"types"` or a primitive.
fn type_ref(ty: Ty) -> Json {
    match ty {
        Ty::Unit => json!({ "kind": "unit" }),
        Ty::Bool => json!({ "kind": "bool" }),
        Ty::Int => json!({ "kind": "int" }),
        Ty::Bytes => json!({ "kind": "bytes" }),
        Ty::Adt(i) => json!({ "kind": "adt", "index": i }),
    }
}

/// The module's type table: every algebraic type with its variants (the
/// tag of a variant is its index) and their fields in order.
pub fn types(m: &Module) -> Vec<Json> {
    m.adts
        .iter()
        .enumerate()
        .map(|(index, adt)| {
            let kind = match adt.kind {
                AdtKind::Enum => "enum",
                AdtKind::Struct => "struct",
                AdtKind::Tuple => "tuple",
                AdtKind::List => "list",
                AdtKind::Map => "map",
            };
            let variants: Vec<Json> = adt
                .variants
                .iter()
                .enumerate()
                .map(|(tag, v)| {
                    json!({
                        "tag": tag,
                        "name": v.name,
                        "fields": v.fields.iter().map(|f| json!({
                            "name": f.name,
                            "type": type_ref(f.ty),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({ "index": index, "name": adt.name, "kind": kind, "variants": variants })
        })
        .collect()
}

/// One entry point's description, if the module exports it.
fn export(module: &VerifiedModule, e: &EntryInfo) -> Option<Json> {
    let m = module.module();
    let func = m.exports.iter().find(|x| x.name == e.export)?.func.0;
    let f = m.functions.get(func as usize)?;
    let params: Vec<Json> = f
        .params
        .iter()
        .enumerate()
        .map(|(i, &ty)| {
            json!({
                "name": e.params.get(i).cloned().unwrap_or_else(|| format!("#{i}")),
                "type": type_ref(ty),
                "tally_type": e.param_types.get(i),
            })
        })
        .collect();
    let names: Vec<&str> = e.params.iter().map(String::as_str).collect();
    let bounds = module.function_bounds(func).map(|b| {
        let (gas, memory) = b.render(m, func, Some(&names));
        let stack = b.render_stack(m, func, Some(&names));
        json!({
            "gas": { "formula": gas, "tree": tree(&b.gas, &names) },
            "memory": { "formula": memory, "tree": tree(&b.total_memory(), &names), "unit": "bytes" },
            "stack": {
                "formula": stack,
                "tree": tree(&b.stack_bytes(), &names),
                "unit": "bytes",
            },
            "legend": vm_core::internals::bound::legend(m, func, b, Some(&names)),
            "exponential": b.exponential,
        })
    });
    Some(json!({
        "name": e.name,
        "export": e.export,
        "signature": e.signature,
        "doc": e.doc,
        "params": params,
        "result": { "type": type_ref(f.result), "tally_type": e.result },
        "bounds": bounds,
    }))
}

/// A bound as data: `{"max": [polynomial, ...]}`, each polynomial a sum of
/// terms `coefficient × factors`, each factor a parameter's measure to a
/// power, a constant base to the power of a measure, or `log2(measure + 1)`
/// to a power.
pub fn tree(bound: &Bound, names: &[&str]) -> Json {
    json!({ "max": bound.polys.iter().map(|p| poly(p, names)).collect::<Vec<_>>() })
}

fn poly(p: &Poly, names: &[&str]) -> Json {
    if p.is_saturated() {
        return json!({ "saturated": true, "terms": [] });
    }
    let terms: Vec<Json> = p
        .terms
        .iter()
        .map(|(m, &c)| json!({ "coefficient": number(c), "factors": factors(m, names) }))
        .collect();
    json!({ "saturated": false, "terms": terms })
}

fn factors(m: &Mono, names: &[&str]) -> Vec<Json> {
    let param = |v: u16| {
        json!({
            "param": v,
            "name": names.get(v as usize).map_or_else(|| format!("#{v}"), |s| s.to_string()),
        })
    };
    let mut out = Vec::new();
    for &(v, degree) in &m.vars {
        out.push(json!({ "kind": "power", "measure": param(v), "degree": degree }));
    }
    for &(v, base) in &m.exps {
        out.push(json!({ "kind": "exponential", "measure": param(v), "base": number(base) }));
    }
    for &(v, degree) in &m.logs {
        out.push(json!({ "kind": "log2", "measure": param(v), "degree": degree }));
    }
    out
}
