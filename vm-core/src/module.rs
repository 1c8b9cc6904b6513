//! The module: its in-memory form and its canonical byte encoding.
//!
//! `decode(encode(m)) == m` for every module, and `encode(decode(b)) == b`
//! for every accepted `b`: integers are minimal LEB128, tables that are sets
//! are strictly sorted, and nothing may follow the last section.

use crate::error::DecodeError;
use crate::isa::{FuncId, Instr};
use crate::leb::{Reader, write_sleb, write_str, write_uleb};
use crate::limits::*;
use crate::types::{AdtDef, AdtKind, FieldDef, Ty, VariantDef};

/// The four magic bytes that start every module.
pub const MAGIC: [u8; 4] = *b"\0TLY";
/// The format version this crate reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The VM identifier this crate implements.
pub const VM_ID: &str = "tally-vm/1";

/// A constant pool entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Const {
    /// An Int constant.
    Int(i128),
    /// A Bytes constant.
    Bytes(Vec<u8>),
}

impl std::fmt::Display for Const {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Const::Int(v) => write!(f, "{v}"),
            Const::Bytes(b) => {
                f.write_str("#\"")?;
                for x in b {
                    write!(f, "{x:02x}")?;
                }
                f.write_str("\"")
            }
        }
    }
}

/// A function: signature, frame layout and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Name, for diagnostics and disassembly.
    pub name: String,
    /// Parameter types; parameter `i` arrives in register `i`.
    pub params: Vec<Ty>,
    /// Result type.
    pub result: Ty,
    /// Types of the registers after the parameters.
    pub locals: Vec<Ty>,
    /// The code.
    pub code: Vec<Instr>,
}

impl Function {
    /// Frame size: parameters plus locals.
    pub fn nregs(&self) -> usize {
        self.params.len() + self.locals.len()
    }

    /// The declared type of register `r`.
    pub fn reg_type(&self, r: u32) -> Option<Ty> {
        let r = r as usize;
        self.params
            .get(r)
            .or_else(|| self.locals.get(r.checked_sub(self.params.len())?))
            .copied()
    }
}

/// An exported entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The name callers use.
    pub name: String,
    /// The function it runs (its signature is the entry point's).
    pub func: FuncId,
}

/// A decoded (not yet verified) module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Module {
    /// The ADT table.
    pub adts: Vec<AdtDef>,
    /// The constant pool, strictly sorted.
    pub consts: Vec<Const>,
    /// The functions.
    pub functions: Vec<Function>,
    /// The exports, strictly sorted by name.
    pub exports: Vec<Export>,
    /// Reserved for the gas/memory bound certificate; empty in version 1.
    pub certificate: Vec<u8>,
}

fn write_ty(out: &mut Vec<u8>, ty: Ty) {
    write_uleb(out, u128::from(ty.code()));
}

fn read_ty(r: &mut Reader<'_>) -> Result<Ty, DecodeError> {
    let at = r.pos();
    let c = r.uleb(64)?;
    u64::try_from(c)
        .ok()
        .and_then(Ty::from_code)
        .ok_or(DecodeError::IntegerTooLarge { offset: at })
}

impl Module {
    /// The canonical encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        write_uleb(&mut out, u128::from(FORMAT_VERSION));
        write_str(&mut out, VM_ID);
        write_uleb(&mut out, self.adts.len() as u128);
        for adt in &self.adts {
            write_str(&mut out, &adt.name);
            out.push(adt.kind as u8);
            write_uleb(&mut out, adt.variants.len() as u128);
            for v in &adt.variants {
                write_str(&mut out, &v.name);
                write_uleb(&mut out, v.fields.len() as u128);
                for f in &v.fields {
                    if adt.kind == AdtKind::Struct {
                        write_str(&mut out, &f.name);
                    }
                    write_ty(&mut out, f.ty);
                }
            }
        }
        write_uleb(&mut out, self.consts.len() as u128);
        for c in &self.consts {
            match c {
                Const::Int(v) => {
                    out.push(0);
                    write_sleb(&mut out, *v);
                }
                Const::Bytes(b) => {
                    out.push(1);
                    write_uleb(&mut out, b.len() as u128);
                    out.extend_from_slice(b);
                }
            }
        }
        write_uleb(&mut out, self.functions.len() as u128);
        for f in &self.functions {
            write_str(&mut out, &f.name);
            write_uleb(&mut out, f.params.len() as u128);
            for &t in &f.params {
                write_ty(&mut out, t);
            }
            write_ty(&mut out, f.result);
            write_uleb(&mut out, f.locals.len() as u128);
            for &t in &f.locals {
                write_ty(&mut out, t);
            }
            write_uleb(&mut out, f.code.len() as u128);
            for i in &f.code {
                i.encode(&mut out);
            }
        }
        write_uleb(&mut out, self.exports.len() as u128);
        for e in &self.exports {
            write_str(&mut out, &e.name);
            write_uleb(&mut out, u128::from(e.func.0));
        }
        write_uleb(&mut out, self.certificate.len() as u128);
        out.extend_from_slice(&self.certificate);
        out
    }

    /// Decodes a module, rejecting every non-canonical encoding.
    pub fn decode(bytes: &[u8]) -> Result<Module, DecodeError> {
        if bytes.len() > MAX_MODULE_BYTES {
            return Err(DecodeError::LimitExceeded {
                what: "module size",
                value: bytes.len() as u64,
                limit: MAX_MODULE_BYTES as u64,
                offset: 0,
            });
        }
        let mut r = Reader::new(bytes);
        if r.take(4).map_err(|_| DecodeError::BadMagic)? != MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(DecodeError::BadVersion(version));
        }
        let vm = r.string(MAX_NAME)?;
        if vm != VM_ID {
            return Err(DecodeError::BadVm(vm));
        }
        let mut m = Module::default();
        let n = r.count(MAX_TYPES, "type count")?;
        for _ in 0..n {
            let name = r.string(MAX_NAME)?;
            let at = r.pos();
            let kind = match r.byte()? {
                0 => AdtKind::Enum,
                1 => AdtKind::Struct,
                2 => AdtKind::Tuple,
                3 => AdtKind::List,
                4 => AdtKind::Map,
                v => {
                    return Err(DecodeError::BadTag {
                        what: "type kind",
                        value: u64::from(v),
                        offset: at,
                    });
                }
            };
            let nv = r.count(MAX_VARIANTS, "variant count")?;
            let mut variants = Vec::new();
            for _ in 0..nv {
                let vname = r.string(MAX_NAME)?;
                let nf = r.count(MAX_FIELDS, "field count")?;
                let mut fields = Vec::new();
                for _ in 0..nf {
                    let fname = if kind == AdtKind::Struct {
                        r.string(MAX_NAME)?
                    } else {
                        String::new()
                    };
                    fields.push(FieldDef {
                        name: fname,
                        ty: read_ty(&mut r)?,
                    });
                }
                variants.push(VariantDef {
                    name: vname,
                    fields,
                });
            }
            m.adts.push(AdtDef {
                name,
                kind,
                variants,
            });
        }
        let n = r.count(MAX_CONSTS, "constant count")?;
        for i in 0..n as usize {
            let at = r.pos();
            let c = match r.byte()? {
                0 => Const::Int(r.sleb(128)?),
                1 => {
                    let len = r.count(MAX_CONST_BYTES, "constant length")?;
                    Const::Bytes(r.take(len as usize)?.to_vec())
                }
                v => {
                    return Err(DecodeError::BadTag {
                        what: "constant kind",
                        value: u64::from(v),
                        offset: at,
                    });
                }
            };
            if let Some(prev) = m.consts.last()
                && *prev >= c
            {
                return Err(DecodeError::Unsorted {
                    what: "constant",
                    index: i,
                });
            }
            m.consts.push(c);
        }
        let n = r.count(MAX_FUNCS, "function count")?;
        for _ in 0..n {
            let name = r.string(MAX_NAME)?;
            let np = r.count(MAX_PARAMS, "parameter count")?;
            let params = (0..np)
                .map(|_| read_ty(&mut r))
                .collect::<Result<Vec<_>, _>>()?;
            let result = read_ty(&mut r)?;
            let nl = r.count(MAX_REGS, "local count")?;
            let locals = (0..nl)
                .map(|_| read_ty(&mut r))
                .collect::<Result<Vec<_>, _>>()?;
            let nc = r.count(MAX_CODE, "code length")?;
            let mut code = Vec::new();
            for _ in 0..nc {
                code.push(Instr::decode(&mut r)?);
            }
            m.functions.push(Function {
                name,
                params,
                result,
                locals,
                code,
            });
        }
        let n = r.count(MAX_EXPORTS, "export count")?;
        for i in 0..n as usize {
            let name = r.string(MAX_NAME)?;
            let func = FuncId(r.u32()?);
            if let Some(prev) = m.exports.last()
                && prev.name >= name
            {
                return Err(DecodeError::Unsorted {
                    what: "export",
                    index: i,
                });
            }
            m.exports.push(Export { name, func });
        }
        let len = r.u32()?;
        if len != 0 {
            return Err(DecodeError::CertificateNotEmpty);
        }
        if !r.is_empty() {
            return Err(DecodeError::TrailingBytes {
                offset: r.pos(),
                count: bytes.len() - r.pos(),
            });
        }
        Ok(m)
    }
}
