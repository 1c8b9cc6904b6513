//! Item signatures: every function's parameter and result types, every
//! struct's fields and every enum's variants, with their written types
//! resolved (E0202 unknown type, E0306 wrong number of type arguments,
//! E0305 a function type where data is required, E0206 duplicate
//! parameters). Bodies are checked against these; other modules read them.

use std::collections::BTreeMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Ident, Item, Module, TypeExprKind, TypeId};
use crate::types::decls::{declarations, duplicate};
use crate::types::scope::{ModuleScope, build_scope};
use crate::types::suggest::closest;
use crate::types::ty::{ItemRef, Ty};

/// A function's signature; type parameters appear as [`Ty::Param`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnSig {
    /// The function's name.
    pub name: String,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its type parameters' names.
    pub generics: Vec<String>,
    /// Parameter names and types.
    pub params: Vec<(String, Ty)>,
    /// The result type.
    pub ret: Ty,
}

impl FnSig {
    /// The signature as written, e.g. `fn map<T, U>(xs: List<T>, f: fn(T) -> U) -> List<U>`.
    pub fn display(&self) -> String {
        let generics = generics_text(&self.generics);
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        format!(
            "fn {}{generics}({}) -> {}",
            self.name,
            params.join(", "),
            self.ret
        )
    }
}

/// A struct's fields in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructSig {
    /// The struct's name.
    pub name: String,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its type parameters' names.
    pub generics: Vec<String>,
    /// Field names and types.
    pub fields: Vec<(String, Ty)>,
}

impl StructSig {
    /// The definition as written, e.g. `struct Pair<A, B> { first: A, second: B }`.
    pub fn display(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        format!(
            "struct {}{} {{ {} }}",
            self.name,
            generics_text(&self.generics),
            fields.join(", ")
        )
    }
}

/// `<A, B>`, or nothing.
fn generics_text(generics: &[String]) -> String {
    if generics.is_empty() {
        String::new()
    } else {
        format!("<{}>", generics.join(", "))
    }
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSig {
    /// The constructor's name.
    pub name: String,
    /// Payload types.
    pub fields: Vec<Ty>,
}

/// An enum's variants in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumSig {
    /// The enum's name.
    pub name: String,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its type parameters' names.
    pub generics: Vec<String>,
    /// The variants.
    pub variants: Vec<VariantSig>,
}

impl EnumSig {
    /// The definition as written, e.g. `enum Option<T> { None, Some(T) }`.
    pub fn display(&self) -> String {
        let variants: Vec<String> = self
            .variants
            .iter()
            .map(|v| {
                if v.fields.is_empty() {
                    v.name.clone()
                } else {
                    let fields: Vec<String> = v.fields.iter().map(|t| t.to_string()).collect();
                    format!("{}({})", v.name, fields.join(", "))
                }
            })
            .collect();
        format!(
            "enum {}{} {{ {} }}",
            self.name,
            generics_text(&self.generics),
            variants.join(", ")
        )
    }
}

/// The signature of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemSig {
    /// A function.
    Fn(FnSig),
    /// A struct.
    Struct(StructSig),
    /// An enum.
    Enum(EnumSig),
    /// A type alias.
    Alias(AliasSig),
    /// A constant.
    Const(ConstSig),
    /// A test, import or unreadable item (nothing to say).
    None,
}

/// A resolved `type` alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasSig {
    /// The alias's name.
    pub name: String,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its type parameters' names.
    pub generics: Vec<String>,
    /// What it stands for, over its parameters (`Param { index }`).
    pub ty: Ty,
}

impl AliasSig {
    /// The definition as written, e.g. `type Ledger<V> = List<(Bytes, V)>`.
    pub fn display(&self) -> String {
        format!(
            "type {}{} = {}",
            self.name,
            generics_text(&self.generics),
            self.ty
        )
    }
}

/// The type of a `const`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstSig {
    /// The constant's name.
    pub name: String,
    /// Whether it is `pub`.
    pub is_pub: bool,
    /// Its written type.
    pub ty: Ty,
}

impl ConstSig {
    /// The declaration, e.g. `const FEE: Int`.
    pub fn display(&self) -> String {
        format!("const {}: {}", self.name, self.ty)
    }
}

/// The resolved scope and signatures of a module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signatures {
    /// The module-level names visible in the module.
    pub scope: ModuleScope,
    /// One entry per item, by item index.
    pub items: Vec<ItemSig>,
    /// The expansion of every alias visible in the module, by name.
    pub aliases: crate::types::alias::Aliases,
    /// Name errors in declarations and imports, and type errors in signatures.
    pub diagnostics: Vec<Diagnostic>,
    /// The parameters of every property (a `test` with parameters), by item index.
    pub tests: BTreeMap<u32, Vec<(String, Ty)>>,
}

impl Signatures {
    /// The function at this item index.
    pub fn func(&self, index: u32) -> Option<&FnSig> {
        match self.items.get(index as usize) {
            Some(ItemSig::Fn(f)) => Some(f),
            _ => None,
        }
    }

    /// The struct at this item index.
    pub fn strukt(&self, index: u32) -> Option<&StructSig> {
        match self.items.get(index as usize) {
            Some(ItemSig::Struct(s)) => Some(s),
            _ => None,
        }
    }

    /// The enum at this item index.
    pub fn enumeration(&self, index: u32) -> Option<&EnumSig> {
        match self.items.get(index as usize) {
            Some(ItemSig::Enum(e)) => Some(e),
            _ => None,
        }
    }

    /// The parameters of the property at this item index (empty for a plain test).
    pub fn test_params(&self, index: u32) -> &[(String, Ty)] {
        self.tests.get(&index).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The public functions of the module, by name (for importers and completion).
    pub fn public_fns(&self) -> BTreeMap<&str, &FnSig> {
        self.items
            .iter()
            .filter_map(|item| match item {
                ItemSig::Fn(f) if f.is_pub => Some((f.name.as_str(), f)),
                _ => None,
            })
            .collect()
    }
}

/// Resolves the scope and item signatures of a module.
#[salsa::tracked(returns(ref))]
pub fn signatures(db: &dyn Db, file: SourceFile) -> Signatures {
    let module = &crate::db::parse(db, file).module;
    let mut diagnostics = declarations(db, file).diagnostics.clone();
    let scope = build_scope(db, file, module, &mut diagnostics);
    let aliases = crate::types::alias::resolve_aliases(db, file, module, &scope, &mut diagnostics);
    let mut items = Vec::with_capacity(module.items.len());
    let mut tests = BTreeMap::new();
    for (index, item) in module.items.iter().enumerate() {
        let mut cx = TypeCx {
            module,
            scope: &scope,
            generics: &[],
            diagnostics: &mut diagnostics,
            aliases: &aliases,
        };
        let sig = match item {
            Item::Fn(f) => {
                cx.generics = &f.generics;
                check_generics(&f.generics, cx.diagnostics);
                check_params(f.params.iter().map(|p| &p.name), cx.diagnostics);
                let params = f
                    .params
                    .iter()
                    .map(|p| (p.name.name.clone(), cx.resolve(p.ty, TypePos::Param)))
                    .collect();
                let ret = match f.ret {
                    Some(ret) => cx.resolve(ret, TypePos::Return),
                    None => Ty::Error,
                };
                ItemSig::Fn(FnSig {
                    name: f.name.name.clone(),
                    is_pub: f.is_pub,
                    generics: names(&f.generics),
                    params,
                    ret,
                })
            }
            Item::Struct(s) => {
                cx.generics = &s.generics;
                check_generics(&s.generics, cx.diagnostics);
                let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                let mut fields = Vec::new();
                for field in &s.fields {
                    if let Some(first) = seen.get(field.name.name.as_str()) {
                        let d = duplicate("field", &field.name, *first);
                        cx.diagnostics.push(d);
                        continue;
                    }
                    seen.insert(&field.name.name, field.name.span);
                    fields.push((
                        field.name.name.clone(),
                        cx.resolve(field.ty, TypePos::Field),
                    ));
                }
                ItemSig::Struct(StructSig {
                    name: s.name.name.clone(),
                    is_pub: s.is_pub,
                    generics: names(&s.generics),
                    fields,
                })
            }
            Item::Enum(e) => {
                cx.generics = &e.generics;
                check_generics(&e.generics, cx.diagnostics);
                let variants = e
                    .variants
                    .iter()
                    .map(|v| VariantSig {
                        name: v.name.name.clone(),
                        fields: v
                            .fields
                            .iter()
                            .map(|t| cx.resolve(*t, TypePos::Payload))
                            .collect(),
                    })
                    .collect();
                ItemSig::Enum(EnumSig {
                    name: e.name.name.clone(),
                    is_pub: e.is_pub,
                    generics: names(&e.generics),
                    variants,
                })
            }
            Item::TypeAlias(a) => {
                check_generics(&a.generics, cx.diagnostics);
                ItemSig::Alias(AliasSig {
                    name: a.name.name.clone(),
                    is_pub: a.is_pub,
                    generics: names(&a.generics),
                    ty: aliases.get(&a.name.name).cloned().unwrap_or(Ty::Error),
                })
            }
            Item::Const(c) => ItemSig::Const(ConstSig {
                name: c.name.name.clone(),
                is_pub: c.is_pub,
                ty: cx.resolve(c.ty, TypePos::Const),
            }),
            Item::Test(t) => {
                if !t.params.is_empty() {
                    check_params(t.params.iter().map(|p| &p.name), cx.diagnostics);
                    let params = t
                        .params
                        .iter()
                        .map(|p| (p.name.name.clone(), cx.resolve(p.ty, TypePos::TestParam)))
                        .collect();
                    tests.insert(index as u32, params);
                }
                ItemSig::None
            }
            Item::Use(_) | Item::Error(_) => ItemSig::None,
        };
        items.push(sig);
    }
    Signatures {
        scope,
        items,
        aliases,
        diagnostics,
        tests,
    }
}

fn names(idents: &[Ident]) -> Vec<String> {
    idents.iter().map(|i| i.name.clone()).collect()
}

fn check_generics(generics: &[Ident], diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.extend(generics.iter().filter_map(crate::types::decls::reserved));
    check_params(generics.iter(), diagnostics);
}

/// E0206 for a name bound twice in one parameter list (`_` may repeat).
pub fn check_params<'a>(names: impl Iterator<Item = &'a Ident>, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for name in names {
        if name.name == "_" {
            continue;
        }
        if let Some(first) = seen.get(name.name.as_str()) {
            diagnostics.push(duplicate_binding(name, *first));
        } else {
            seen.insert(&name.name, name.span);
        }
    }
}

/// E0203 for a struct field named twice in one literal (`verb` = "given") or
/// pattern (`verb` = "matched").
pub fn duplicate_field(name: &Ident, first: Span, verb: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        format!("the field `{}` is {verb} twice", name.name),
        name.span,
        format!("{verb} again here"),
    )
    .with_label(first, format!("first {verb} here"))
    .with_help("remove one of them")
}

/// E0206: `name` is bound a second time in the same pattern or parameter list.
pub fn duplicate_binding(name: &Ident, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateBinding,
        format!("`{}` is bound more than once", name.name),
        name.span,
        format!("`{}` bound again here", name.name),
    )
    .with_label(first, "first bound here")
    .with_help(format!(
        "give each binding its own name, e.g. `{}2`",
        name.name
    ))
}

/// Where a written type appears; a function type is allowed only as a
/// parameter type of a fn item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypePos {
    /// A parameter of a fn item (a function type is allowed here).
    Param,
    /// A struct field.
    Field,
    /// An enum variant's payload.
    Payload,
    /// A function's result.
    Return,
    /// A `let` or lambda-parameter annotation.
    Annotation,
    /// A type argument such as the `T` of `List<T>`.
    TypeArg,
    /// A tuple element.
    TupleElem,
    /// Inside a function type's parameters or result.
    InFnType,
    /// The right side of a `type` alias.
    Alias,
    /// The type of a `const`.
    Const,
    /// A parameter of a property (its values are generated).
    TestParam,
}

impl TypePos {
    fn forbids_fn(self) -> &'static str {
        match self {
            TypePos::Param => "",
            TypePos::Field => "a struct field cannot hold a function",
            TypePos::Payload => "an enum variant cannot hold a function",
            TypePos::Return => "a function cannot return a function",
            TypePos::Annotation => "a local value cannot be a function",
            TypePos::TypeArg => "a type argument cannot be a function type",
            TypePos::TupleElem => "a tuple cannot hold a function",
            TypePos::InFnType => "a function cannot take or return another function",
            TypePos::Alias => "a type alias cannot stand for a function type",
            TypePos::Const => "a constant cannot be a function",
            TypePos::TestParam => "a property's values are generated, and a function cannot be",
        }
    }
}

/// What resolving a written type needs.
pub struct TypeCx<'a> {
    /// The module the type is written in.
    pub module: &'a Module,
    /// The module's scope.
    pub scope: &'a ModuleScope,
    /// The type parameters of the enclosing item.
    pub generics: &'a [Ident],
    /// Where errors go.
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// The expansions of the aliases resolved so far.
    pub aliases: &'a crate::types::alias::Aliases,
}

/// E0305 for a function type written where data is required.
pub fn function_as_data(span: Span, label: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FunctionAsData,
        "function type where data is required",
        span,
        label.to_string(),
    )
    .with_help(
        "functions are second-class in Tally: only a parameter of a `fn` item can have a function type",
    )
}

impl TypeCx<'_> {
    /// Resolves a written type. Recursion follows the (depth-capped) syntax tree.
    pub fn resolve(&mut self, id: TypeId, pos: TypePos) -> Ty {
        let Some(texpr) = self.module.types.get(id.index()) else {
            return Ty::Error;
        };
        match &texpr.kind {
            TypeExprKind::Error => Ty::Error,
            TypeExprKind::Unit => Ty::Unit,
            TypeExprKind::Tuple(items) => Ty::Tuple(
                items
                    .iter()
                    .map(|t| self.resolve(*t, TypePos::TupleElem))
                    .collect(),
            ),
            TypeExprKind::Fn { params, ret } => {
                if pos != TypePos::Param {
                    self.diagnostics
                        .push(function_as_data(texpr.span, pos.forbids_fn()));
                    return Ty::Error;
                }
                let params = params
                    .iter()
                    .map(|t| self.resolve(*t, TypePos::InFnType))
                    .collect();
                let ret = Box::new(self.resolve(*ret, TypePos::InFnType));
                Ty::Fn { params, ret }
            }
            TypeExprKind::Named { name, args } => {
                let resolved: Vec<Ty> = args
                    .iter()
                    .map(|t| self.resolve(*t, TypePos::TypeArg))
                    .collect();
                self.named(name, resolved, texpr.span)
            }
        }
    }

    fn named(&mut self, name: &Ident, args: Vec<Ty>, span: Span) -> Ty {
        let primitive = match name.name.as_str() {
            "Int" => Some(Ty::Int),
            "Bool" => Some(Ty::Bool),
            "Bytes" => Some(Ty::Bytes),
            _ => None,
        };
        if let Some(index) = self.generics.iter().position(|g| g.name == name.name) {
            if !args.is_empty() {
                self.wrong_arity(name, 0, args.len(), span, "type parameter");
            }
            return Ty::Param {
                index: index as u32,
                name: name.name.clone(),
            };
        }
        if let Some(ty) = primitive {
            if !args.is_empty() {
                self.wrong_arity(name, 0, args.len(), span, "type");
            }
            return ty;
        }
        if let Some(def) = self.scope.types.get(&name.name) {
            let mut args = args;
            if args.len() != def.arity {
                let what = if def.alias { "type alias" } else { "type" };
                self.wrong_arity(name, def.arity, args.len(), span, what);
                args.resize(def.arity, Ty::Error);
            }
            if def.alias {
                // Resolved before (dependency order), or in a cycle (E0207).
                let Some(body) = self.aliases.get(&name.name) else {
                    return Ty::Error;
                };
                let ty = body.substitute(&args);
                // A bad key in the alias's own body was reported there.
                if bad_map_key(body).is_none()
                    && let Some(key) = bad_map_key(&ty)
                {
                    self.diagnostics.push(map_key(&key, span, true));
                    return Ty::Error;
                }
                return ty;
            }
            if crate::types::builtin::is_map_item(def.item)
                && let Some(key) = args.first().filter(|k| !is_map_key(k))
            {
                self.diagnostics.push(map_key(key, span, false));
                return Ty::Error;
            }
            return Ty::Adt {
                item: def.item,
                name: def.name.clone(),
                args,
            };
        }
        let candidates = ["Int", "Bool", "Bytes"]
            .into_iter()
            .chain(self.generics.iter().map(|g| g.name.as_str()))
            .chain(self.scope.types.keys().map(|k| k.as_str()));
        let mut d = Diagnostic::new(
            Code::UnresolvedType,
            format!("cannot find type `{}`", name.name),
            name.span,
            "not found in this scope",
        );
        d = match closest(&name.name, candidates) {
            Some(similar) => d.with_help(format!("did you mean `{similar}`?")),
            None => d.with_help(
                "declare it with `struct` or `enum`, add it to the item's type parameters, or import it with `use`",
            ),
        };
        self.diagnostics.push(d);
        Ty::Error
    }

    fn wrong_arity(&mut self, name: &Ident, expected: usize, found: usize, span: Span, what: &str) {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let d = Diagnostic::new(
            Code::WrongTypeArgCount,
            format!(
                "the {what} `{}` takes {expected} type argument{} but {found} {} given",
                name.name,
                plural(expected),
                if found == 1 { "was" } else { "were" }
            ),
            span,
            format!("expected {expected} type argument{}", plural(expected)),
        );
        let d = if expected == 0 {
            d.with_help(format!("write just `{}`", name.name))
        } else {
            let params: Vec<&str> = vec!["_"; expected];
            d.with_help(format!(
                "write `{}<{}>` with a type for each parameter",
                name.name,
                params.join(", ")
            ))
        };
        self.diagnostics.push(d);
    }
}

/// Whether `key` may be the key type of a written `Map<K, V>`: `Int`,
/// `Bytes`, a type parameter (checked at each instantiation, E0705) or an
/// error already reported.
fn is_map_key(key: &Ty) -> bool {
    matches!(key, Ty::Int | Ty::Bytes | Ty::Param { .. } | Ty::Error)
}

/// The first key type of a map inside `ty` that cannot be a map key.
fn bad_map_key(ty: &Ty) -> Option<Ty> {
    let mut stack = vec![ty];
    while let Some(t) = stack.pop() {
        match t {
            Ty::Adt { item, args, .. } => {
                if crate::types::builtin::is_map_item(*item)
                    && let Some(key) = args.first().filter(|k| !is_map_key(k))
                {
                    return Some(key.clone());
                }
                stack.extend(args.iter());
            }
            Ty::Tuple(items) => stack.extend(items.iter()),
            Ty::Fn { params, ret } => {
                stack.extend(params.iter());
                stack.push(ret);
            }
            _ => {}
        }
    }
    None
}

/// E0316: a map type written with keys that are not `Int` or `Bytes`.
fn map_key(key: &Ty, span: Span, through_alias: bool) -> Diagnostic {
    let label = if through_alias {
        format!("this alias makes a map with `{key}` keys")
    } else {
        format!("`{key}` cannot be a map key")
    };
    Diagnostic::new(
        Code::MapKeyType,
        format!("map keys must be `Int` or `Bytes`, not `{key}`"),
        span,
        label,
    )
    .with_help(
        "key the map by an `Int` or by `Bytes` (an account's public key, an id, or an encoding of the compound key, e.g. `concat(a, b)` for two fixed-length keys)",
    )
}

/// The item a type definition refers to, for convenience.
pub fn item_sig(db: &dyn Db, item: ItemRef) -> Option<&ItemSig> {
    signatures(db, item.file).items.get(item.index as usize)
}
