//! A human-readable listing of a module (the `tally disasm` output).

use crate::isa::OperandCtx;
use crate::module::Module;
use crate::types::{AdtKind, type_name};

/// Disassembles a module (verified or not) into text. Deterministic.
pub fn disassemble(m: &Module) -> String {
    let mut out = String::new();
    let tn = |t| type_name(t, &m.adts);
    for (i, adt) in m.adts.iter().enumerate() {
        let kind = match adt.kind {
            AdtKind::Enum => "enum",
            AdtKind::Struct => "struct",
            AdtKind::Tuple => "tuple",
            AdtKind::List => "list",
            AdtKind::Map => "map",
        };
        out.push_str(&format!("type t{i} `{}` {kind}\n", adt.name));
        for (v, var) in adt.variants.iter().enumerate() {
            let fields: Vec<String> = var
                .fields
                .iter()
                .map(|f| {
                    if f.name.is_empty() {
                        tn(f.ty)
                    } else {
                        format!("{}: {}", f.name, tn(f.ty))
                    }
                })
                .collect();
            if fields.is_empty() {
                out.push_str(&format!("  {v} {}\n", var.name));
            } else {
                out.push_str(&format!("  {v} {}({})\n", var.name, fields.join(", ")));
            }
        }
    }
    for (i, c) in m.consts.iter().enumerate() {
        out.push_str(&format!("const k{i} = {c}\n"));
    }
    for (i, f) in m.functions.iter().enumerate() {
        let params: Vec<String> = f
            .params
            .iter()
            .enumerate()
            .map(|(r, &t)| format!("r{r}: {}", tn(t)))
            .collect();
        out.push_str(&format!(
            "fn f{i} `{}`({}) -> {}\n",
            f.name,
            params.join(", "),
            tn(f.result)
        ));
        if !f.locals.is_empty() {
            let locals: Vec<String> = f
                .locals
                .iter()
                .enumerate()
                .map(|(r, &t)| format!("r{}: {}", r + f.params.len(), tn(t)))
                .collect();
            out.push_str(&format!("  locals {}\n", locals.join(", ")));
        }
        for (pc, ins) in f.code.iter().enumerate() {
            let ctx = OperandCtx {
                module: m,
                nregs: f.nregs() as u32,
                code_len: f.code.len(),
                pc,
            };
            let mut ops = String::new();
            ins.fmt_operands(&ctx, &mut ops);
            let line = format!("  {pc:4}: {:<12} {ops}", ins.opcode().mnemonic());
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    for e in &m.exports {
        out.push_str(&format!("export {:?} = f{}\n", e.name, e.func.0));
    }
    out
}
