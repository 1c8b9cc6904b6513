//! Completion: what can stand at the cursor, by context. After `std::` the
//! standard library's modules, after `std::m::` that module's public items,
//! after `.` the fields of the value before it, in a `match` arm's pattern
//! the constructors of the scrutinee's type; elsewhere the locals in scope
//! first, then the module's names, then the keywords that can stand there.

use tally::db::{self, Database, SourceFile};
use tally::types::scope::ValueDef;
use tally::types::signatures::item_sig;
use tally::types::{self, ItemSig, Ty};

use crate::navigation::item_hover;

/// One completion: the text to insert, what it is, and a detail line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The name.
    pub label: String,
    /// What it names.
    pub kind: CompletionKind,
    /// Its type or signature.
    pub detail: String,
}

/// What a completion names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A local variable or parameter.
    Local,
    /// A function.
    Function,
    /// A constant.
    Constant,
    /// A constructor (or a pattern form such as `[]`).
    Constructor,
    /// A struct or enum.
    Type,
    /// A struct field.
    Field,
    /// A module.
    Module,
    /// A keyword.
    Keyword,
}

impl CompletionKind {
    /// The order editors list completions in: locals first, then what the
    /// context asks for (fields, constructors), then module names, then
    /// keywords.
    pub fn rank(self) -> u8 {
        match self {
            CompletionKind::Local => 0,
            CompletionKind::Field | CompletionKind::Constructor => 1,
            CompletionKind::Function
            | CompletionKind::Constant
            | CompletionKind::Type
            | CompletionKind::Module => 2,
            CompletionKind::Keyword => 3,
        }
    }
}

/// The keywords that can start an item.
const ITEM_KEYWORDS: &[&str] = &[
    "fn", "pub", "struct", "enum", "use", "test", "type", "const",
];

/// The keywords that can stand in a body.
const EXPR_KEYWORDS: &[&str] = &[
    "let", "if", "else", "match", "true", "false", "fail", "expect",
];

/// Completions at `offset`, by context (see the module's documentation).
pub fn completions(db: &Database, file: SourceFile, offset: u32) -> Vec<Completion> {
    let text = file.text(db);
    let before = text.get(..offset as usize).unwrap_or("");
    let word_start = word_start(before);
    let prefix = &before[..word_start];

    // A path being written: `std::`, `std::list::`.
    let path_start = prefix
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if let Some(path) = prefix[path_start..].strip_suffix("::") {
        return match path.strip_prefix("std::") {
            _ if path == "std" => std_modules(db),
            Some(name) => module_members(db, name),
            None => Vec::new(),
        };
    }
    if prefix.ends_with('.') {
        return fields_before(db, file, word_start as u32 - 1);
    }
    let keywords = |words: &[&str]| -> Vec<Completion> {
        words
            .iter()
            .map(|k| Completion {
                label: (*k).to_string(),
                kind: CompletionKind::Keyword,
                detail: "keyword".into(),
            })
            .collect()
    };
    let expr = match crate::context::at(text, word_start as u32) {
        crate::context::Context::Item => return keywords(ITEM_KEYWORDS),
        crate::context::Context::Pattern { match_at } => {
            return pattern_completions(db, file, match_at, offset);
        }
        crate::context::Context::Expr => keywords(EXPR_KEYWORDS),
    };

    let typed = types::infer(db, file);
    let mut found: Vec<Completion> = typed
        .locals_at(offset)
        .into_iter()
        .rev()
        .map(|l| Completion {
            label: l.name.clone(),
            kind: CompletionKind::Local,
            detail: l.ty.to_string(),
        })
        .collect();
    for (name, def) in &typed.signatures.scope.values {
        found.push(value_completion(db, name, *def));
    }
    for (name, def) in &typed.signatures.scope.types {
        let kind = if def.is_struct {
            "struct"
        } else if def.alias {
            "type alias"
        } else {
            "enum"
        };
        found.push(Completion {
            label: name.clone(),
            kind: CompletionKind::Type,
            detail: kind.into(),
        });
    }
    found.extend(expr);
    found
}

/// The standard library's modules (after `std::`).
fn std_modules(db: &Database) -> Vec<Completion> {
    db.std_files()
        .filter(|(name, _)| *name != "prelude")
        .map(|(name, _)| Completion {
            label: name.to_string(),
            kind: CompletionKind::Module,
            detail: format!("std::{name}"),
        })
        .collect()
}

/// What can start a pattern of the `match` at `match_at`: the constructors
/// of its scrutinee's type (list and boolean forms for those types), and `_`.
fn pattern_completions(
    db: &Database,
    file: SourceFile,
    match_at: u32,
    offset: u32,
) -> Vec<Completion> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let scrutinee = module.exprs.iter().find_map(|e| match &e.kind {
        tally::syntax::ast::ExprKind::Match { scrutinee, .. } if e.span.start == match_at => {
            Some(*scrutinee)
        }
        _ => None,
    });
    // While the match does not parse, a scrutinee that is a local's name
    // still gives the type.
    let ty = scrutinee.map(|s| typed.expr_ty(s).clone()).or_else(|| {
        let text = file.text(db);
        let after = text.get(match_at as usize + "match".len()..)?;
        let name = after
            .trim_start()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()?;
        typed
            .locals_at(offset)
            .into_iter()
            .find(|l| l.name == name)
            .map(|l| l.ty.clone())
    });
    let form = |label: &str, detail: String| Completion {
        label: label.to_string(),
        kind: CompletionKind::Constructor,
        detail,
    };
    let mut found = Vec::new();
    match ty {
        Some(Ty::Bool) => {
            found.push(form("true", "Bool".into()));
            found.push(form("false", "Bool".into()));
        }
        Some(Ty::Adt { item, name, args }) => match item_sig(db, item) {
            Some(ItemSig::Enum(_)) if name == "List" && item.file.path(db) == "std::prelude" => {
                let shown = Ty::Adt { item, name, args }.to_string();
                found.push(form("[]", format!("the empty {shown}")));
                found.push(form("[x, ..rest]", format!("a non-empty {shown}")));
            }
            Some(ItemSig::Enum(e)) => {
                for (index, variant) in e.variants.iter().enumerate() {
                    let detail = item_hover(db, item, Some(index as u32))
                        .map(|h| h.code)
                        .unwrap_or_default();
                    found.push(form(&variant.name, detail));
                }
            }
            Some(ItemSig::Struct(s)) => found.push(form(&s.name, s.display())),
            _ => {}
        },
        _ => {}
    }
    found.push(Completion {
        label: "_".into(),
        kind: CompletionKind::Keyword,
        detail: "matches anything".into(),
    });
    found
}

/// Where the identifier that `before` ends with starts (a byte offset on a
/// character boundary: the character before it may be wider than a byte).
fn word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn value_completion(db: &Database, name: &str, def: ValueDef) -> Completion {
    match def {
        ValueDef::Fn(item) => Completion {
            label: name.to_string(),
            kind: CompletionKind::Function,
            detail: match item_sig(db, item) {
                Some(ItemSig::Fn(f)) => f.display(),
                _ => String::new(),
            },
        },
        ValueDef::Const(item) => Completion {
            label: name.to_string(),
            kind: CompletionKind::Constant,
            detail: match item_sig(db, item) {
                Some(ItemSig::Const(c)) => c.display(),
                _ => String::new(),
            },
        },
        ValueDef::Ctor { item, variant } => Completion {
            label: name.to_string(),
            kind: CompletionKind::Constructor,
            detail: item_hover(db, item, Some(variant))
                .map(|h| h.code)
                .unwrap_or_default(),
        },
        ValueDef::Builtin(builtin) => Completion {
            label: name.to_string(),
            kind: CompletionKind::Function,
            detail: format!("std::builtin::{}", builtin.name()),
        },
    }
}

/// The public items of `std::<name>`.
fn module_members(db: &Database, name: &str) -> Vec<Completion> {
    let Some(file) = tally::db::Db::std_module(db, name) else {
        return Vec::new();
    };
    let sigs = types::signatures::signatures(db, file);
    let mut found = Vec::new();
    for sig in &sigs.items {
        match sig {
            ItemSig::Fn(f) if f.is_pub => found.push(Completion {
                label: f.name.clone(),
                kind: CompletionKind::Function,
                detail: f.display(),
            }),
            ItemSig::Struct(s) if s.is_pub => found.push(Completion {
                label: s.name.clone(),
                kind: CompletionKind::Type,
                detail: s.display(),
            }),
            ItemSig::Enum(e) if e.is_pub => found.push(Completion {
                label: e.name.clone(),
                kind: CompletionKind::Type,
                detail: e.display(),
            }),
            _ => {}
        }
    }
    found
}

/// The fields of the struct-typed expression that ends at `dot`. While the
/// user types `e.`, the file does not parse and `e` may have no type of its
/// own: a local of that name visible here gives it.
fn fields_before(db: &Database, file: SourceFile, dot: u32) -> Vec<Completion> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let text = file.text(db);
    let before = text.get(..dot as usize).unwrap_or("");
    let name = &before[word_start(before)..];
    let local_ty = typed
        .locals_at(dot)
        .into_iter()
        .find(|l| l.name == name)
        .map(|l| l.ty.clone());
    let expr_ty = || {
        module
            .exprs
            .iter()
            .enumerate()
            .filter(|(_, e)| e.span.end == dot)
            .max_by_key(|(_, e)| e.span.end - e.span.start)
            .map(|(i, _)| typed.expr_ty(tally::syntax::ast::ExprId(i as u32)).clone())
    };
    let Some(Ty::Adt { item, args, .. }) = local_ty.or_else(expr_ty) else {
        return Vec::new();
    };
    match item_sig(db, item) {
        Some(ItemSig::Struct(s)) => s
            .fields
            .iter()
            .map(|(name, ty)| Completion {
                label: name.clone(),
                kind: CompletionKind::Field,
                detail: ty.substitute(&args).to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}
