//! Patterns, checked against the type of the value they match; their
//! bindings come into scope (E0206 when one pattern binds a name twice).

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{FieldPat, Ident, PatId, PatKind, Path};
use crate::types::check::expr::{missing_fields, unknown_field};
use crate::types::check::{Checker, Why};
use crate::types::output::{LocalKind, Resolution};
use crate::types::scope::{ValueDef, qualified_value};
use crate::types::signatures::{duplicate_binding, duplicate_field};
use crate::types::suggest::closest;
use crate::types::ty::Ty;

impl Checker<'_> {
    /// Checks `pat` against the type of the value it matches and binds its names.
    pub(crate) fn bind_pattern(&mut self, pat: PatId, ty: &Ty) {
        let mut bound = BTreeMap::new();
        self.check_pat(pat, ty, &mut bound);
    }

    fn check_pat(&mut self, pat: PatId, expected: &Ty, bound: &mut BTreeMap<String, Span>) {
        let Some(p) = self.module.pats.get(pat.index()) else {
            return;
        };
        let span = p.span;
        let before = self.diagnostics.len();
        match &p.kind {
            PatKind::Wildcard | PatKind::Error => {}
            PatKind::Bind(name) => {
                if let Some(ValueDef::Const(_)) = self.sigs.scope.values.get(&name.name) {
                    self.report(binding_shadows_const(name));
                }
                if let Some(first) = bound.get(&name.name) {
                    let d = duplicate_binding(name, *first);
                    self.report(d);
                } else {
                    bound.insert(name.name.clone(), name.span);
                }
                let ty = self.fresh();
                // A fresh variable unifies with anything.
                let _ = self.table.unify(&ty, expected);
                let id = self.bind_local(name, ty, LocalKind::Pattern(pat));
                self.out.pat_locals.insert(pat, id);
            }
            PatKind::Int(_) => {
                self.unify_at(expected, &Ty::Int, span, Why::Pattern);
            }
            PatKind::Bool(_) => {
                self.unify_at(expected, &Ty::Bool, span, Why::Pattern);
            }
            PatKind::Bytes(_) => {
                self.unify_at(expected, &Ty::Bytes, span, Why::Pattern);
            }
            PatKind::Unit => {
                self.unify_at(expected, &Ty::Unit, span, Why::Pattern);
            }
            PatKind::Tuple(items) => {
                let tys = match self.head(expected) {
                    Ty::Tuple(tys) if tys.len() == items.len() => tys,
                    _ => {
                        let tys = self.fresh_n(items.len());
                        let found = Ty::Tuple(tys.clone());
                        if self.unify_at(expected, &found, span, Why::Pattern) {
                            tys
                        } else {
                            vec![Ty::Error; items.len()]
                        }
                    }
                };
                for (item, ty) in items.iter().zip(&tys) {
                    self.check_pat(*item, ty, bound);
                }
            }
            PatKind::List { items, rest } => {
                let elem = self.fresh();
                let list = self.list_of(elem.clone());
                let ok = self.unify_at(expected, &list, span, Why::Pattern);
                let (elem, list) = if ok {
                    (elem, list)
                } else {
                    (Ty::Error, Ty::Error)
                };
                for item in items {
                    self.check_pat(*item, &elem, bound);
                }
                if let Some(rest) = rest {
                    self.check_pat(*rest, &list, bound);
                }
            }
            PatKind::Ctor { path, args } => self.ctor_pat(pat, path, args, span, expected, bound),
            PatKind::Struct { path, fields, rest } => {
                self.struct_pat(pat, path, fields, *rest, span, expected, bound)
            }
        }
        if self.diagnostics[before.min(self.diagnostics.len())..]
            .iter()
            .any(Diagnostic::is_error)
        {
            // Counts as a wildcard for exhaustiveness: no cascade (a
            // warning, W0317, leaves the pattern as it is).
            self.failed_pats.insert(pat);
        }
        self.set_pat(pat, expected);
    }

    fn ctor_pat(
        &mut self,
        pat: PatId,
        path: &Path,
        args: &[PatId],
        span: Span,
        expected: &Ty,
        bound: &mut BTreeMap<String, Span>,
    ) {
        let sub_types = self.resolve_ctor_pat(pat, path, args.len(), span, expected);
        for (i, arg) in args.iter().enumerate() {
            let ty = sub_types
                .as_ref()
                .and_then(|tys| tys.get(i).cloned())
                .unwrap_or(Ty::Error);
            self.check_pat(*arg, &ty, bound);
        }
    }

    /// Resolves a constructor pattern and unifies its type with `expected`;
    /// the payload types when everything agrees.
    fn resolve_ctor_pat(
        &mut self,
        pat: PatId,
        path: &Path,
        arg_count: usize,
        span: Span,
        expected: &Ty,
    ) -> Option<Vec<Ty>> {
        let def = if path.segments.len() == 1 {
            let name = path.last();
            match self.sigs.scope.values.get(&name.name) {
                Some(def) => *def,
                None => {
                    let d = self.unknown_ctor(path);
                    self.report(d);
                    return None;
                }
            }
        } else {
            match qualified_value(self.db, &self.sigs.scope, path) {
                Ok(def) => def,
                Err(d) => {
                    self.report(*d);
                    return None;
                }
            }
        };
        if let ValueDef::Const(item) = def
            && arg_count == 0
        {
            // A constant's name matches its value, as a literal would.
            self.out
                .pat_resolutions
                .insert(pat, Resolution::Const(item));
            let found = self.const_ty(item);
            self.unify_at(expected, &found, span, Why::Pattern);
            return Some(Vec::new());
        }
        let ValueDef::Ctor { item, variant } = def else {
            self.report(
                Diagnostic::new(
                    Code::UnresolvedName,
                    format!("`{}` is not a constructor", path.to_text()),
                    path.span,
                    "a function cannot be matched",
                )
                .with_help("patterns match constructors, literals, tuples, structs and lists"),
            );
            return None;
        };
        self.out
            .pat_resolutions
            .insert(pat, Resolution::Ctor { item, variant });
        let sig = self.enum_sig(item)?;
        let fields = &sig.variants.get(variant as usize)?.fields;
        let args = self.fresh_n(sig.generics.len());
        self.out.pat_instances.insert(pat, args.clone());
        let found = Ty::Adt {
            item,
            name: sig.name.clone(),
            args: args.clone(),
        };
        if !self.unify_at(expected, &found, span, Why::Pattern) {
            return None;
        }
        if fields.len() != arg_count {
            let name = path.to_text();
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let example = if fields.is_empty() {
                name.clone()
            } else {
                format!("{name}({})", vec!["_"; fields.len()].join(", "))
            };
            self.report(
                Diagnostic::new(
                    Code::WrongArgCount,
                    format!(
                        "the constructor `{name}` has {} field{}, but this pattern has {arg_count}",
                        fields.len(),
                        plural(fields.len())
                    ),
                    span,
                    format!("expected {} field{}", fields.len(), plural(fields.len())),
                )
                .with_help(format!("write `{example}`")),
            );
            return None;
        }
        Some(fields.iter().map(|t| t.substitute(&args)).collect())
    }

    fn unknown_ctor(&self, path: &Path) -> Diagnostic {
        let name = path.last();
        if let Some(def) = self.sigs.scope.types.get(&name.name)
            && def.is_struct
        {
            return Diagnostic::new(
                Code::UnresolvedName,
                format!("`{}` is a struct, not a constructor", name.name),
                name.span,
                "not a constructor",
            )
            .with_help(format!(
                "match a struct with `{} {{ field, .. }}`",
                name.name
            ));
        }
        let ctors = self
            .sigs
            .scope
            .values
            .iter()
            .filter(|(_, d)| matches!(d, ValueDef::Ctor { .. }))
            .map(|(n, _)| n.as_str());
        let d = Diagnostic::new(
            Code::UnresolvedName,
            format!("cannot find constructor `{}` in this scope", name.name),
            name.span,
            "not found in this scope",
        );
        match closest(&name.name, ctors) {
            Some(similar) => d.with_help(format!("did you mean `{similar}`?")),
            None => d.with_help("declare it as a variant of an `enum`, or import it with `use`"),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn struct_pat(
        &mut self,
        pat: PatId,
        path: &Path,
        fields: &[FieldPat],
        rest: bool,
        span: Span,
        expected: &Ty,
        bound: &mut BTreeMap<String, Span>,
    ) {
        let found = self
            .resolve_struct(path)
            .and_then(|item| Some((item, self.struct_sig(item)?)));
        let Some((item, sig)) = found else {
            for field in fields {
                self.check_pat(field.pat, &Ty::Error, bound);
            }
            return;
        };
        self.out
            .pat_resolutions
            .insert(pat, Resolution::Struct(item));
        let args = self.fresh_n(sig.generics.len());
        self.out.pat_instances.insert(pat, args.clone());
        let ty = Ty::Adt {
            item,
            name: sig.name.clone(),
            args: args.clone(),
        };
        let ok = self.unify_at(expected, &ty, span, Why::Pattern);
        let mut given: BTreeMap<&str, Span> = BTreeMap::new();
        for field in fields {
            let field_ty = match sig.fields.iter().find(|(f, _)| *f == field.name.name) {
                Some((_, field_ty)) => {
                    if let Some(first) = given.get(field.name.name.as_str()) {
                        self.report(duplicate_field(&field.name, *first, "matched"));
                    }
                    given.insert(&field.name.name, field.name.span);
                    if ok {
                        field_ty.substitute(&args)
                    } else {
                        Ty::Error
                    }
                }
                None => {
                    let names = sig.fields.iter().map(|(f, _)| f.as_str());
                    let d = unknown_field(&sig.name, &field.name, names);
                    self.report(d);
                    Ty::Error
                }
            };
            self.check_pat(field.pat, &field_ty, bound);
        }
        if !rest {
            let missing: Vec<&str> = sig
                .fields
                .iter()
                .map(|(f, _)| f.as_str())
                .filter(|f| !given.contains_key(f))
                .collect();
            if !missing.is_empty() {
                self.report(missing_fields(&sig.name, &missing, span, "pattern"));
            }
        }
    }
}

/// W0317: a lower-case pattern name that is also a constant binds a new
/// variable; it does not compare with the constant.
fn binding_shadows_const(name: &Ident) -> Diagnostic {
    Diagnostic::new(
        Code::BindingShadowsConst,
        format!(
            "`{}` binds a new variable here; it does not match the constant `{}`",
            name.name, name.name
        ),
        name.span,
        "a binding, which matches any value",
    )
    .with_help(
        "a single lower-case name in a pattern is always a binding: give the constant an upper-case name to match its value, or rename the binding",
    )
}
