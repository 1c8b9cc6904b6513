//! Monomorphic types: Tally types with every type parameter substituted,
//! interned into the module's type table (one ADT per instance: tuples,
//! structs, enums and lists, each under its Tally name).

use std::collections::{BTreeSet, HashMap};

use vm_core::{AdtDef, AdtKind, FieldDef, VariantDef};

use crate::db::Db;
use crate::types::signatures::item_sig;
use crate::types::{ItemSig, Ty};

/// Deepest type the code generator instantiates: deeper types only arise
/// from instantiation that never ends (polymorphic recursion, nested types).
pub const MAX_TYPE_DEPTH: usize = 300;
/// Largest type (in nodes) the code generator instantiates.
pub const MAX_TYPE_SIZE: usize = 4096;
/// Longest name in the module format.
pub const MAX_NAME: usize = 255;

/// Why a type has no bytecode representation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// The type (written out, or empty if too large to write) is deeper
    /// than [`MAX_TYPE_DEPTH`] or larger than [`MAX_TYPE_SIZE`]; the second
    /// field names the limit.
    TooDeep(String, TypeLimit),
    /// A limit of the module format (variants, fields, types) is exceeded.
    Limit(String),
    /// A map type (written out) whose keys are not `Int` or `Bytes`,
    /// reached by instantiating a generic function or type.
    MapKey(String),
    /// A function type or an unsubstituted parameter: a compiler bug.
    Internal(String),
}

/// The module's type table under construction.
#[derive(Default)]
pub struct TypeTable {
    ids: HashMap<Ty, u32>,
    defs: Vec<Option<AdtDef>>,
    pending: Vec<(u32, Ty)>,
    names: BTreeSet<String>,
    /// The prelude's `List` item, whose instances are list ADTs.
    pub list_item: Option<crate::types::ItemRef>,
}

/// `text` cut to at most [`MAX_NAME`] bytes on a character boundary.
pub fn clip_name(text: &str) -> String {
    if text.len() <= MAX_NAME {
        return text.to_string();
    }
    let mut end = MAX_NAME - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Which limit on instantiated types a type exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeLimit {
    /// More than [`MAX_TYPE_DEPTH`] levels, or a function instantiating
    /// itself at ever larger types.
    Depth,
    /// More than [`MAX_TYPE_SIZE`] nodes.
    Size,
}

/// The limit a type exceeds, if any: deeper than [`MAX_TYPE_DEPTH`] or
/// larger than [`MAX_TYPE_SIZE`] (stops counting early).
pub fn type_limit(ty: &Ty) -> Option<TypeLimit> {
    let mut nodes = 0;
    let mut stack = vec![(ty, 1usize)];
    while let Some((t, d)) = stack.pop() {
        nodes += 1;
        if d > MAX_TYPE_DEPTH {
            return Some(TypeLimit::Depth);
        }
        if nodes > MAX_TYPE_SIZE {
            return Some(TypeLimit::Size);
        }
        t.for_each_child(|c| stack.push((c, d + 1)));
    }
    None
}

/// Whether a type exceeds a limit of [`type_limit`].
pub fn too_large(ty: &Ty) -> bool {
    type_limit(ty).is_some()
}

/// The limit error for a constructor or field name the format cannot hold.
fn long_name(name: &str) -> TypeError {
    TypeError::Limit(format!(
        "the name `{}...` is longer than {MAX_NAME} bytes",
        name.chars().take(20).collect::<String>()
    ))
}

/// A type written out, shortened to about 60 characters (empty if it is
/// too large to write out at all).
pub fn short(ty: &Ty) -> String {
    if too_large(ty) {
        return String::new();
    }
    let text = ty.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}...")
}

impl TypeTable {
    /// A table that treats `list_item` as the prelude's list.
    pub fn new(list_item: Option<crate::types::ItemRef>) -> TypeTable {
        TypeTable {
            list_item,
            ..TypeTable::default()
        }
    }

    /// The bytecode type of a monomorphic type (unsolved variables are `()`).
    pub fn vm_ty(&mut self, ty: &Ty) -> Result<vm_core::Ty, TypeError> {
        match ty {
            Ty::Int => Ok(vm_core::Ty::Int),
            Ty::Bool => Ok(vm_core::Ty::Bool),
            Ty::Bytes => Ok(vm_core::Ty::Bytes),
            Ty::Unit | Ty::Var(_) => Ok(vm_core::Ty::Unit),
            Ty::Tuple(_) | Ty::Adt { .. } => {
                if let Some(&id) = self.ids.get(ty) {
                    return Ok(vm_core::Ty::Adt(id));
                }
                if let Some(limit) = type_limit(ty) {
                    return Err(TypeError::TooDeep(short(ty), limit));
                }
                let id = self.defs.len() as u32;
                if id >= vm_core::format::limits::MAX_TYPES {
                    return Err(TypeError::Limit(format!(
                        "the program needs more than {} types",
                        vm_core::format::limits::MAX_TYPES
                    )));
                }
                self.defs.push(None);
                self.ids.insert(ty.clone(), id);
                self.pending.push((id, ty.clone()));
                Ok(vm_core::Ty::Adt(id))
            }
            Ty::Fn { .. } | Ty::Param { .. } | Ty::Error => Err(TypeError::Internal(format!(
                "the type `{ty}` has no bytecode representation"
            ))),
        }
    }

    /// Defines every type interned but not yet defined.
    pub fn flush(&mut self, db: &dyn Db) -> Result<(), TypeError> {
        while let Some((id, ty)) = self.pending.pop() {
            let def = self.define(db, id, &ty)?;
            if let Some(slot) = self.defs.get_mut(id as usize) {
                *slot = Some(def);
            }
        }
        Ok(())
    }

    fn unique_name(&mut self, ty: &Ty) -> String {
        let base = clip_name(&ty.to_string());
        let mut name = base.clone();
        let mut n = 2;
        while self.names.contains(&name) {
            name = clip_name(&format!("{base}#{n}"));
            if self.names.contains(&name) {
                name = format!("{}#{n}", clip_name(&base[..base.len().min(200)]));
            }
            n += 1;
        }
        self.names.insert(name.clone());
        name
    }

    fn fields(&mut self, tys: &[Ty], names: Option<&[String]>) -> Result<Vec<FieldDef>, TypeError> {
        if tys.len() > vm_core::format::limits::MAX_FIELDS as usize {
            return Err(TypeError::Limit(format!(
                "a constructor has {} fields (at most {})",
                tys.len(),
                vm_core::format::limits::MAX_FIELDS
            )));
        }
        if let Some(long) = names.into_iter().flatten().find(|n| n.len() > MAX_NAME) {
            return Err(long_name(long));
        }
        let mut out = Vec::with_capacity(tys.len());
        for (i, t) in tys.iter().enumerate() {
            out.push(FieldDef {
                name: names.and_then(|n| n.get(i)).cloned().unwrap_or_default(),
                ty: self.vm_ty(t)?,
            });
        }
        Ok(out)
    }

    fn define(&mut self, db: &dyn Db, id: u32, ty: &Ty) -> Result<AdtDef, TypeError> {
        let name = self.unique_name(ty);
        match ty {
            Ty::Tuple(items) => Ok(AdtDef {
                name,
                kind: AdtKind::Tuple,
                variants: vec![VariantDef {
                    name: String::new(),
                    fields: self.fields(items, None)?,
                }],
            }),
            Ty::Adt { item, args, .. } => {
                if crate::types::builtin::is_map_item(*item) {
                    let key = args.first().cloned().unwrap_or(Ty::Unit);
                    let key = self.vm_ty(&key)?;
                    if !matches!(key, vm_core::Ty::Int | vm_core::Ty::Bytes) {
                        return Err(TypeError::MapKey(short(ty)));
                    }
                    let value = args.get(1).cloned().unwrap_or(Ty::Unit);
                    let value = self.vm_ty(&value)?;
                    return Ok(AdtDef::map(&name, key, value));
                }
                if Some(*item) == self.list_item {
                    let elem = args.first().cloned().unwrap_or(Ty::Unit);
                    let elem = self.vm_ty(&elem)?;
                    return Ok(AdtDef::list(&name, elem, id));
                }
                match item_sig(db, *item) {
                    Some(ItemSig::Struct(s)) => {
                        if s.name.len() > MAX_NAME {
                            return Err(long_name(&s.name));
                        }
                        let tys: Vec<Ty> =
                            s.fields.iter().map(|(_, t)| t.substitute(args)).collect();
                        let names: Vec<String> = s.fields.iter().map(|(n, _)| n.clone()).collect();
                        Ok(AdtDef {
                            name,
                            kind: AdtKind::Struct,
                            variants: vec![VariantDef {
                                name: s.name.clone(),
                                fields: self.fields(&tys, Some(&names))?,
                            }],
                        })
                    }
                    Some(ItemSig::Enum(e)) => {
                        if e.variants.is_empty()
                            || e.variants.len() > vm_core::format::limits::MAX_VARIANTS as usize
                        {
                            return Err(TypeError::Limit(format!(
                                "the enum `{}` has {} variants (at most {}, and at least 1)",
                                e.name,
                                e.variants.len(),
                                vm_core::format::limits::MAX_VARIANTS
                            )));
                        }
                        let mut variants = Vec::with_capacity(e.variants.len());
                        for v in &e.variants {
                            if v.name.len() > MAX_NAME {
                                return Err(long_name(&v.name));
                            }
                            let tys: Vec<Ty> =
                                v.fields.iter().map(|t| t.substitute(args)).collect();
                            variants.push(VariantDef {
                                name: v.name.clone(),
                                fields: self.fields(&tys, None)?,
                            });
                        }
                        Ok(AdtDef {
                            name,
                            kind: AdtKind::Enum,
                            variants,
                        })
                    }
                    _ => Err(TypeError::Internal(format!("`{ty}` is not a data type"))),
                }
            }
            _ => Err(TypeError::Internal(format!("`{ty}` is not a data type"))),
        }
    }

    /// Every ADT, in id order (all defined after a flush).
    pub fn into_defs(self) -> Vec<AdtDef> {
        self.defs.into_iter().flatten().collect()
    }
}
