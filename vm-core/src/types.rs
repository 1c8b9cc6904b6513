//! Value types of the VM: scalars and algebraic data types (ADTs).
//!
//! Types are monomorphic: the compiler instantiates generic types
//! (`List<Int>` and `List<Bytes>` are two table entries). Names are kept so
//! that values can be printed and parsed as Tally literals.

/// A value type. Encoded as a LEB128 number: 0 unit, 1 Bool, 2 Int, 3 Bytes,
/// `4 + i` the ADT at index `i` of the type table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `()`.
    Unit,
    /// `Bool`.
    Bool,
    /// `Int` (signed 128-bit).
    Int,
    /// `Bytes`.
    Bytes,
    /// The ADT with this index in the module's type table.
    Adt(u32),
}

impl Ty {
    /// The type's number in the encoding.
    pub fn code(self) -> u64 {
        match self {
            Ty::Unit => 0,
            Ty::Bool => 1,
            Ty::Int => 2,
            Ty::Bytes => 3,
            Ty::Adt(i) => 4 + u64::from(i),
        }
    }

    /// The type with this number, if it is representable.
    pub fn from_code(c: u64) -> Option<Ty> {
        Some(match c {
            0 => Ty::Unit,
            1 => Ty::Bool,
            2 => Ty::Int,
            3 => Ty::Bytes,
            n => Ty::Adt(u32::try_from(n - 4).ok()?),
        })
    }
}

/// How an ADT is written as a Tally literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdtKind {
    /// `enum`: variants written `Name` or `Name(a, b)`.
    Enum = 0,
    /// `struct`: one variant, written `Name { f: a, g: b }`.
    Struct = 1,
    /// tuple: one variant with an empty name, written `(a, b)`.
    Tuple = 2,
    /// list: variants `Nil` and `Cons(elem, self)`, written `[a, b]`.
    List = 3,
    /// map (`Map<K, V>`): one nameless variant whose two fields are the key
    /// and value types; an opaque value built only by the `map.*`
    /// instructions, written `Map { k: v, .. }` (`lang-spec/bytecode.md` §8).
    Map = 4,
}

/// One field of a variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// Field name (structs only; empty otherwise).
    pub name: String,
    /// Field type.
    pub ty: Ty,
}

/// One constructor of an ADT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantDef {
    /// Constructor name (empty for tuples).
    pub name: String,
    /// Fields in order.
    pub fields: Vec<FieldDef>,
}

/// An algebraic data type: a tagged union of constructor cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdtDef {
    /// Display name, e.g. `List<Int>`; unique in the module.
    pub name: String,
    /// Literal syntax.
    pub kind: AdtKind,
    /// Variants; the tag of a value is its variant's index.
    pub variants: Vec<VariantDef>,
}

impl AdtDef {
    /// An `enum` whose variants have positional fields.
    pub fn enumeration(name: &str, variants: &[(&str, &[Ty])]) -> AdtDef {
        AdtDef {
            name: name.to_string(),
            kind: AdtKind::Enum,
            variants: variants
                .iter()
                .map(|(n, fs)| VariantDef {
                    name: n.to_string(),
                    fields: fs
                        .iter()
                        .map(|&ty| FieldDef {
                            name: String::new(),
                            ty,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// A `struct` with named fields; its constructor has the type's name.
    pub fn structure(name: &str, fields: &[(&str, Ty)]) -> AdtDef {
        AdtDef {
            name: name.to_string(),
            kind: AdtKind::Struct,
            variants: vec![VariantDef {
                name: name.to_string(),
                fields: fields
                    .iter()
                    .map(|&(n, ty)| FieldDef {
                        name: n.to_string(),
                        ty,
                    })
                    .collect(),
            }],
        }
    }

    /// A tuple type.
    pub fn tuple(name: &str, fields: &[Ty]) -> AdtDef {
        AdtDef {
            name: name.to_string(),
            kind: AdtKind::Tuple,
            variants: vec![VariantDef {
                name: String::new(),
                fields: fields
                    .iter()
                    .map(|&ty| FieldDef {
                        name: String::new(),
                        ty,
                    })
                    .collect(),
            }],
        }
    }

    /// A list type `Nil | Cons(elem, self)`; `index` is this type's own table index.
    pub fn list(name: &str, elem: Ty, index: u32) -> AdtDef {
        AdtDef {
            name: name.to_string(),
            kind: AdtKind::List,
            variants: vec![
                VariantDef {
                    name: "Nil".to_string(),
                    fields: vec![],
                },
                VariantDef {
                    name: "Cons".to_string(),
                    fields: vec![
                        FieldDef {
                            name: String::new(),
                            ty: elem,
                        },
                        FieldDef {
                            name: String::new(),
                            ty: Ty::Adt(index),
                        },
                    ],
                },
            ],
        }
    }
}

impl AdtDef {
    /// A map type `Map<key, value>`.
    pub fn map(name: &str, key: Ty, value: Ty) -> AdtDef {
        AdtDef {
            name: name.to_string(),
            kind: AdtKind::Map,
            variants: vec![VariantDef {
                name: String::new(),
                fields: [key, value]
                    .into_iter()
                    .map(|ty| FieldDef {
                        name: String::new(),
                        ty,
                    })
                    .collect(),
            }],
        }
    }

    /// For a map type: its key and value types.
    pub fn map_types(&self) -> Option<(Ty, Ty)> {
        match (self.kind, self.variants.as_slice()) {
            (AdtKind::Map, [v]) => match v.fields.as_slice() {
                [k, x] => Some((k.ty, x.ty)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The key and value types if `ty` is a map type of this table.
pub fn map_types(ty: Ty, adts: &[AdtDef]) -> Option<(Ty, Ty)> {
    match ty {
        Ty::Adt(i) => adts.get(i as usize)?.map_types(),
        _ => None,
    }
}

/// For every ADT of the table, the most tree-form nodes one unit of
/// measure (`lang-spec/bounds.md`: a constructor cell, a map or a map
/// entry, a 32-byte word of Bytes) stands for in a value of that type: over
/// every variant of every ADT reachable from it, the cell plus its fields
/// that are not ADTs (which the measure does not count); 2 for a map (the
/// map and each entry count 1; an entry brings a key and a value).
/// A worklist over the field edges; each entry only grows, to at most 256.
pub fn nodes_per_cell_table(adts: &[AdtDef]) -> Vec<u64> {
    let mut k: Vec<u64> = adts
        .iter()
        .map(|a| {
            if a.map_types().is_some() {
                return 2;
            }
            a.variants
                .iter()
                .map(|v| {
                    1 + v
                        .fields
                        .iter()
                        .filter(|f| !matches!(f.ty, Ty::Adt(_)))
                        .count() as u64
                })
                .max()
                .unwrap_or(1)
        })
        .collect();
    // parents[f]: the ADTs with a field of type f.
    let mut parents: Vec<Vec<u32>> = vec![Vec::new(); adts.len()];
    for (t, a) in adts.iter().enumerate() {
        for v in &a.variants {
            for f in &v.fields {
                if let Ty::Adt(i) = f.ty
                    && let Some(p) = parents.get_mut(i as usize)
                {
                    p.push(t as u32);
                }
            }
        }
    }
    let mut todo: Vec<u32> = (0..adts.len() as u32).collect();
    while let Some(f) = todo.pop() {
        let kf = k.get(f as usize).copied().unwrap_or(1);
        for &t in parents.get(f as usize).map_or(&[][..], |p| p.as_slice()) {
            if let Some(kt) = k.get_mut(t as usize)
                && *kt < kf
            {
                *kt = kf;
                todo.push(t);
            }
        }
    }
    k
}

/// [`nodes_per_cell_table`]'s entry for `ty`; 1 for Bytes and scalars.
pub fn nodes_per_cell(ty: Ty, table: &[u64]) -> u64 {
    match ty {
        Ty::Adt(i) => table.get(i as usize).copied().unwrap_or(1),
        _ => 1,
    }
}

/// Prints a type using the module's type names.
pub fn type_name(ty: Ty, adts: &[AdtDef]) -> String {
    match ty {
        Ty::Unit => "()".into(),
        Ty::Bool => "Bool".into(),
        Ty::Int => "Int".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Adt(i) => adts
            .get(i as usize)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| format!("t{i}")),
    }
}
