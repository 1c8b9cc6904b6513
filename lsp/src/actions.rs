//! Code actions (quick fixes) for the compiler's diagnostics at a range:
//! import an unknown name from the standard-library module that defines it
//! (E0201, E0202), add the missing arms of a match (E0401, from the
//! exhaustiveness checker's witnesses), pass the matched variable instead of
//! a rebuilt pattern (E0501), and remove an import nothing uses.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use tally::db::{self, SourceFile};
use tally::diagnostic::{Code, Diagnostic};
use tally::span::Span;
use tally::syntax::ast::{ExprId, ExprKind, Item, Module, PatId, PatKind};
use tally::syntax::token::Token;
use tally::types::ItemSig;

use crate::convert::Lines;
use crate::snapshot::Snapshot;

/// One fix: a title and the edits (byte spans of the file and new text).
struct Fix {
    title: String,
    edits: Vec<(Span, String)>,
    diagnostic: Option<lsp_types::Diagnostic>,
}

/// The code actions for `range` (byte offsets) of `file`.
pub fn code_actions(s: &Snapshot, file: SourceFile, range: Span) -> Vec<CodeActionOrCommand> {
    let Some(document) = s.open_document(file) else {
        return Vec::new();
    };
    let text = file.text(&s.db);
    let lines = Lines::new(text);
    let found = db::front_end(&s.db, file);
    let overlaps = |span: Span| span.start <= range.end && range.start <= span.end;
    let mut fixes = Vec::new();
    for d in found.iter().filter(|d| overlaps(d.primary.span)) {
        let shown = || {
            crate::handlers::diagnostics(&s.db, file, &document.uri, std::slice::from_ref(d)).pop()
        };
        let mut these = match d.code {
            Code::UnresolvedName | Code::UnresolvedType => import_fixes(s, file, d),
            Code::NonExhaustive => missing_arms(s, file, d).into_iter().collect(),
            Code::NonTerminating => rebuilt_patterns(s, file, d),
            _ => Vec::new(),
        };
        for fix in &mut these {
            fix.diagnostic = shown();
        }
        fixes.extend(these);
    }
    fixes.extend(unused_imports(s, file, range));
    fixes
        .into_iter()
        .map(|fix| {
            let edits = fix
                .edits
                .into_iter()
                .map(|(span, new)| OneOf::Left(TextEdit::new(lines.range(span), new)))
                .collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: fix.diagnostic.map(|d| vec![d]),
                edit: Some(WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: document.uri.clone(),
                            version: Some(document.version),
                        },
                        edits,
                    }])),
                    ..Default::default()
                }),
                ..Default::default()
            })
        })
        .collect()
}

/// `use std::m::name`, for each standard-library module with a public item
/// of the unknown name.
fn import_fixes(s: &Snapshot, file: SourceFile, d: &Diagnostic) -> Vec<Fix> {
    let text = file.text(&s.db);
    let Some(name) = text.get(d.primary.span.range()) else {
        return Vec::new();
    };
    let module = &db::parse(&s.db, file).module;
    // After the last `use`, or at the top.
    let at = module
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Use(u) => Some(u.span.end),
            _ => None,
        })
        .max();
    let mut fixes = Vec::new();
    for (module_name, std_file) in s.db.std_files() {
        if module_name == "prelude" || module_name == "builtin" {
            continue;
        }
        let sigs = tally::types::signatures::signatures(&s.db, std_file);
        let defines = sigs.items.iter().any(|sig| match sig {
            ItemSig::Fn(f) => f.is_pub && f.name == name,
            ItemSig::Struct(st) => st.is_pub && st.name == name,
            ItemSig::Enum(e) => {
                e.is_pub && (e.name == name || e.variants.iter().any(|v| v.name == name))
            }
            _ => false,
        });
        if !defines {
            continue;
        }
        let line = format!("use std::{module_name}::{name}");
        let edit = match at {
            Some(end) => (Span::new(end as usize, end as usize), format!("\n{line}")),
            None => (Span::new(0, 0), format!("{line}\n\n")),
        };
        fixes.push(Fix {
            title: format!("Import `{name}` from `std::{module_name}`"),
            edits: vec![edit],
            diagnostic: None,
        });
    }
    fixes
}

/// The missing arms of the match of an E0401, one `pattern => fail "..."`
/// per witness the checker listed, after the last arm.
fn missing_arms(s: &Snapshot, file: SourceFile, d: &Diagnostic) -> Option<Fix> {
    let text = file.text(&s.db);
    let module = &db::parse(&s.db, file).module;
    // The diagnostic is on the match's head (`match s`).
    let (span, arms) = module.exprs.iter().find_map(|e| match &e.kind {
        ExprKind::Match { arms, .. } if e.span.start == d.primary.span.start => {
            Some((e.span, arms))
        }
        _ => None,
    })?;
    // The witnesses are quoted in the message: "patterns `A`, `B(_)` not covered".
    let witnesses: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
    if witnesses.is_empty() {
        return None;
    }
    let last = arms.last()?;
    let after = &text[last.span.end as usize..];
    let comma = after.trim_start().starts_with(',');
    let end = if comma {
        last.span.end as usize + after.find(',')? + 1
    } else {
        last.span.end as usize
    };
    let line_start = text[..last.span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = text[line_start..last.span.start as usize]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let one_line = !text[span.range()].contains('\n');
    let mut new = String::new();
    if !comma {
        new.push(',');
    }
    for witness in &witnesses {
        if one_line {
            new.push_str(&format!(" {witness} => fail \"not handled yet\","));
        } else {
            new.push_str(&format!("\n{indent}{witness} => fail \"not handled yet\","));
        }
    }
    Some(Fix {
        title: format!(
            "Add the missing match arm{} ({})",
            if witnesses.len() == 1 { "" } else { "s" },
            witnesses.join(", ")
        ),
        edits: vec![(Span::new(end, end), new)],
        diagnostic: None,
    })
}

/// For an E0501: each argument of a call inside it that rebuilds the
/// pattern of the match arm it is in (`f([x, ..rest])` in the arm
/// `[x, ..rest] =>` of `match xs`) can pass the matched variable (`xs`).
fn rebuilt_patterns(s: &Snapshot, file: SourceFile, d: &Diagnostic) -> Vec<Fix> {
    let module = &db::parse(&s.db, file).module;
    let text = file.text(&s.db);
    let mut fixes = Vec::new();
    for expr in &module.exprs {
        let ExprKind::Match { scrutinee, arms } = &expr.kind else {
            continue;
        };
        let ExprKind::Path(var) = &module.expr(*scrutinee).kind else {
            continue;
        };
        let var_name = &text[var.span.range()];
        for arm in arms {
            for (index, candidate) in module.exprs.iter().enumerate() {
                let span = candidate.span;
                let inside = |outer: Span| outer.start <= span.start && span.end <= outer.end;
                let labelled = std::iter::once(&d.primary)
                    .chain(&d.secondary)
                    .any(|label| inside(label.span));
                if !inside(module.expr(arm.body).span) || !labelled {
                    continue;
                }
                if matches!(
                    module.pat(arm.pat).kind,
                    PatKind::Bind(_) | PatKind::Wildcard
                ) {
                    continue;
                }
                if rebuilds(module, ExprId(index as u32), arm.pat) {
                    fixes.push(Fix {
                        title: format!(
                            "Pass `{var_name}` instead of rebuilding `{}`",
                            &text[span.range()]
                        ),
                        edits: vec![(span, var_name.to_string())],
                        diagnostic: None,
                    });
                }
            }
        }
    }
    fixes.sort_by_key(|f| f.edits[0].0);
    fixes.dedup_by_key(|f| f.edits[0].0);
    fixes
}

/// Whether expression `e` builds exactly the value pattern `p` matched: the
/// same constructors, with each bound name used where the pattern binds it.
fn rebuilds(module: &Module, e: ExprId, p: PatId) -> bool {
    let (expr, pat) = (module.expr(e), module.pat(p));
    match (&expr.kind, &pat.kind) {
        (ExprKind::Path(path), PatKind::Bind(name)) => {
            path.segments.len() == 1 && path.last().name == name.name
        }
        (ExprKind::List { items, tail }, PatKind::List { items: pats, rest }) => {
            items.len() == pats.len()
                && items
                    .iter()
                    .zip(pats)
                    .all(|(e, p)| rebuilds(module, *e, *p))
                && match (tail, rest) {
                    (None, None) => true,
                    (Some(tail), Some(rest)) => rebuilds(module, *tail, *rest),
                    _ => false,
                }
        }
        (ExprKind::Tuple(items), PatKind::Tuple(pats)) => {
            items.len() == pats.len()
                && items
                    .iter()
                    .zip(pats)
                    .all(|(e, p)| rebuilds(module, *e, *p))
        }
        (ExprKind::Path(written), PatKind::Ctor { path, args }) => {
            args.is_empty() && written.last().name == path.last().name
        }
        (ExprKind::Call { callee, args, .. }, PatKind::Ctor { path, args: pats }) => {
            matches!(&module.expr(*callee).kind, ExprKind::Path(c) if c.last().name == path.last().name)
                && args.len() == pats.len()
                && args.iter().zip(pats).all(|(e, p)| rebuilds(module, *e, *p))
        }
        _ => false,
    }
}

/// Removing each import in `range` that no other token of the file names.
fn unused_imports(s: &Snapshot, file: SourceFile, range: Span) -> Vec<Fix> {
    let text = file.text(&s.db);
    let module = &db::parse(&s.db, file).module;
    let tokens = tally::syntax::lex_spans(text);
    let mut fixes = Vec::new();
    for item in &module.items {
        let Item::Use(u) = item else { continue };
        if u.span.end < range.start || range.end < u.span.start {
            continue;
        }
        let used = |name: &str| {
            tokens.iter().any(|(token, span)| {
                !(u.span.start <= span.start && span.end <= u.span.end)
                    && matches!(token, Token::LowerIdent(n) | Token::UpperIdent(n) if n == name)
            })
        };
        let (unused, kept): (Vec<_>, Vec<_>) = u.names.iter().partition(|n| !used(&n.name));
        if unused.is_empty() {
            continue;
        }
        let module_path = &text[u.module.span.range()];
        let (span, new) = if kept.is_empty() {
            // The whole line, with its newline.
            let end = text[u.span.end as usize..]
                .find('\n')
                .map_or(text.len(), |i| u.span.end as usize + i + 1);
            (Span::new(u.span.start as usize, end), String::new())
        } else if kept.len() == 1 {
            (u.span, format!("use {module_path}::{}", kept[0].name))
        } else {
            let names: Vec<&str> = kept.iter().map(|n| n.name.as_str()).collect();
            (
                u.span,
                format!("use {module_path}::{{{}}}", names.join(", ")),
            )
        };
        let listed: Vec<String> = unused.iter().map(|n| format!("`{}`", n.name)).collect();
        fixes.push(Fix {
            title: format!("Remove the unused import {}", listed.join(", ")),
            edits: vec![(span, new)],
            diagnostic: None,
        });
    }
    fixes
}
