//! Checking a rename by re-resolving the renamed text: the open documents
//! with the edits applied are checked in a fresh database, and every name
//! must refer to the same definition as before (and no new error appear).
//! Otherwise the rename is refused with a message naming the clash.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tally::db::{self, Database, SourceFile};
use tally::diagnostic::Code;
use tally::span::Span;
use tally::syntax::ast::{ExprKind, PatKind};
use tally::types::{self, Resolution};

use crate::fields::field_uses;

/// One planned edit: the span of a name and the text replacing it.
#[derive(Debug, Clone)]
pub struct Edit {
    /// The old name's span.
    pub span: Span,
    /// The replacement (the new name, or a shorthand expanded around it).
    pub text: String,
    /// For an expanded shorthand: where the field's name and the local's
    /// name are in `text` (byte ranges).
    pub parts: Option<(Span, Span)>,
}

/// What a name refers to: a definition's file path and name span, or a
/// builtin.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Def {
    At(String, Span),
    Builtin(&'static str),
}

/// Whether the name written somewhere is a field's or a value's (a
/// shorthand is both, at one span).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Field,
    Value,
}

/// One resolved name: where it is written (file path, span, role) and what
/// it refers to.
type Facts = BTreeMap<(String, Span, Role), Def>;

/// Checks that applying `edits` (by file) to the open documents `files`
/// changes no resolution and adds no error; `Err` names the first clash.
pub fn verify(
    old_db: &Database,
    files: &[SourceFile],
    edits: &HashMap<SourceFile, Vec<Edit>>,
    old_name: &str,
    new_name: &str,
) -> Result<(), String> {
    let mut new_db = Database::new();
    let mut new_files = Vec::new();
    let mut shifts = BTreeMap::new();
    for &file in files {
        let path = file.path(old_db).clone();
        let text = file.text(old_db);
        let mut these = edits.get(&file).cloned().unwrap_or_default();
        these.sort_by_key(|e| e.span);
        let shift = Shift::new(&these);
        let renamed = shift.apply(text);
        new_files.push(new_db.add_file(path.clone(), renamed));
        shifts.insert(path, shift);
    }
    // The project's module tree, with the renamed texts of the open modules
    // (the others are unchanged: a rename is refused when one is used there).
    let modules: Vec<tally::db::ModuleEntry> = tally::db::Db::project_modules(old_db)
        .iter()
        .map(|m| {
            let file = match files.iter().position(|f| *f == m.file) {
                Some(i) => new_files[i],
                None => new_db.add_file(m.file.path(old_db).clone(), m.file.text(old_db).clone()),
            };
            tally::db::ModuleEntry { file, ..m.clone() }
        })
        .collect();
    if !modules.is_empty() {
        new_db.set_modules(modules);
    }
    let refuse = |why: String| format!("cannot rename `{old_name}` to `{new_name}`: {why}");

    // Every name refers to what it referred to.
    let mut expected = Facts::new();
    for &file in files {
        for ((path, span, role), def) in facts(old_db, file) {
            let shift = &shifts[&path];
            let def = match def {
                Def::At(at, span) => match shifts.get(&at) {
                    Some(s) => Def::At(at, s.forward(span, Role::Value)),
                    None => Def::At(at, span),
                },
                builtin => builtin,
            };
            expected.insert((path, shift.forward(span, role), role), def);
        }
    }
    let mut found = Facts::new();
    for &file in &new_files {
        found.extend(facts(&new_db, file));
    }
    let text_of = |path: &str| {
        files
            .iter()
            .find(|f| f.path(old_db) == path)
            .map(|f| f.text(old_db).as_str())
            .unwrap_or("")
    };
    let describe = |def: &Def| match def {
        Def::Builtin(name) => format!("the builtin `{name}`"),
        Def::At(path, span) => {
            let text = text_of(path);
            match shifts.get(path) {
                Some(shift) => {
                    let old = shift.back(span.start);
                    let name = word_at(text, old);
                    let line = line_of(text, old);
                    if shift.edited_at(old) {
                        format!("the `{new_name}` renamed from `{name}` on line {line}")
                    } else {
                        format!("the `{name}` of line {line}")
                    }
                }
                None => format!("the definition in `{path}`"),
            }
        }
    };
    let keys: BTreeSet<&(String, Span, Role)> = expected.keys().chain(found.keys()).collect();
    for key in keys {
        let (path, span, _) = key;
        let (before, after) = (expected.get(key), found.get(key));
        if before == after {
            continue;
        }
        let shift = &shifts[path];
        let at = shift.back(span.start);
        let text = text_of(path);
        let written = new_db_name(&new_files, &new_db, path, *span);
        let place = format!("`{written}` on line {}", line_of(text, at));
        let why = match (before, after) {
            (Some(b), Some(a)) => format!(
                "{place} would refer to {} instead of {}",
                describe(a),
                describe(b)
            ),
            (None, Some(a)) => format!("{place} would refer to {}", describe(a)),
            (Some(b), None) => format!("{place} would no longer refer to {}", describe(b)),
            (None, None) => continue,
        };
        return Err(refuse(why));
    }

    // No new error.
    for (&old, &new) in files.iter().zip(&new_files) {
        let codes = |db: &Database, file| -> BTreeMap<Code, usize> {
            let mut count = BTreeMap::new();
            for d in db::front_end(db, file).iter().filter(|d| d.is_error()) {
                *count.entry(d.code).or_default() += 1;
            }
            count
        };
        let before = codes(old_db, old);
        let after = codes(&new_db, new);
        let shift = &shifts[old.path(old_db)];
        for d in db::front_end(&new_db, new).iter().filter(|d| d.is_error()) {
            if before.get(&d.code).copied().unwrap_or(0) < after[&d.code] {
                let line = line_of(old.text(old_db), shift.back(d.primary.span.start));
                return Err(refuse(format!(
                    "the result would not check (line {line}: {}: {})",
                    d.message, d.primary.message
                )));
            }
        }
    }
    Ok(())
}

/// The name written at `span` in the renamed file `path`.
fn new_db_name(files: &[SourceFile], db: &Database, path: &str, span: Span) -> String {
    files
        .iter()
        .find(|f| f.path(db) == path)
        .and_then(|f| f.text(db).get(span.range()))
        .unwrap_or("")
        .to_string()
}

/// Every resolved name written in `file`.
fn facts(db: &Database, file: SourceFile) -> Facts {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let path = file.path(db).clone();
    let def = |res: Resolution| -> Option<Def> {
        if let Resolution::Builtin(builtin) = res {
            return Some(Def::Builtin(builtin.name()));
        }
        let (at, span) = typed.definition(db, file, res)?;
        Some(Def::At(at.path(db).clone(), span))
    };
    let mut found = Facts::new();
    for (&expr, &res) in &typed.expr_resolutions {
        let span = match &module.expr(expr).kind {
            ExprKind::Path(path) => path.last().span,
            ExprKind::StructLit { name, .. } => name.last().span,
            _ => continue,
        };
        if let Some(def) = def(res) {
            found.insert((path.clone(), span, Role::Value), def);
        }
    }
    for (&pat, &res) in &typed.pat_resolutions {
        let span = match &module.pat(pat).kind {
            PatKind::Ctor { path, .. } | PatKind::Struct { path, .. } => path.last().span,
            _ => continue,
        };
        if let Some(def) = def(res) {
            found.insert((path.clone(), span, Role::Value), def);
        }
    }
    for field in field_uses(db, file) {
        let (at, span) = field.decl;
        found.insert(
            (path.clone(), field.span, Role::Field),
            Def::At(at.path(db).clone(), span),
        );
    }
    found
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: u32) -> usize {
    text.get(..offset as usize)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The identifier starting at `offset`.
fn word_at(text: &str, offset: u32) -> &str {
    let rest = text.get(offset as usize..).unwrap_or("");
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// One applied edit: its old span, its new span, and for an expanded
/// shorthand the field's and the local's names in the new text.
type Moved = (Span, Span, Option<(Span, Span)>);

/// How a file's offsets move when its edits are applied.
struct Shift {
    /// The edits, in order.
    edits: Vec<Moved>,
    texts: Vec<String>,
}

impl Shift {
    fn new(edits: &[Edit]) -> Shift {
        let mut moved: i64 = 0;
        let mut out = Vec::new();
        let mut texts = Vec::new();
        for edit in edits {
            let start = (edit.span.start as i64 + moved) as usize;
            let new = Span::new(start, start + edit.text.len());
            let parts = edit.parts.map(|(field, value)| {
                let at = |s: Span| Span::new(start + s.start as usize, start + s.end as usize);
                (at(field), at(value))
            });
            moved += edit.text.len() as i64 - (edit.span.end - edit.span.start) as i64;
            out.push((edit.span, new, parts));
            texts.push(edit.text.clone());
        }
        Shift { edits: out, texts }
    }

    /// `text` with the edits applied.
    fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0usize;
        for ((old, _, _), new) in self.edits.iter().zip(&self.texts) {
            out.push_str(text.get(at..old.start as usize).unwrap_or(""));
            out.push_str(new);
            at = old.end as usize;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        out
    }

    /// Where a name written at `span` (in the role `role`) is after the edits.
    fn forward(&self, span: Span, role: Role) -> Span {
        let mut moved: i64 = 0;
        for (old, new, parts) in &self.edits {
            if *old == span {
                return match (parts, role) {
                    (Some((field, _)), Role::Field) => *field,
                    (Some((_, value)), Role::Value) => *value,
                    (None, _) => *new,
                };
            }
            if old.end <= span.start {
                moved = new.end as i64 - old.end as i64;
            }
        }
        let at = |o: u32| (o as i64 + moved) as usize;
        Span::new(at(span.start), at(span.end))
    }

    /// Whether an edit starts at `offset` of the old text.
    fn edited_at(&self, offset: u32) -> bool {
        self.edits.iter().any(|(old, _, _)| old.start == offset)
    }

    /// Where a position of the renamed text was before the edits.
    fn back(&self, offset: u32) -> u32 {
        let mut moved: i64 = 0;
        for (old, new, _) in &self.edits {
            if new.start <= offset && offset < new.end.max(new.start + 1) {
                return old.start;
            }
            if new.end <= offset {
                moved = old.end as i64 - new.end as i64;
            }
        }
        (offset as i64 + moved).max(0) as u32
    }
}
