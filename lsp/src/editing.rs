//! Signature help, folding ranges, document highlights and workspace
//! symbols: answers read off the syntax tree and the checker's output.

use lsp_types::{
    DocumentHighlight, DocumentHighlightKind, FoldingRange, FoldingRangeKind, Location,
    ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation, SymbolInformation,
    SymbolKind, Uri,
};
use tally::db::{self, Database, SourceFile};
use tally::span::Span;
use tally::syntax::ast::{ExprKind, Item};
use tally::syntax::token::Token;
use tally::types::{self, ItemSig, Resolution, Ty};

use crate::convert::Lines;
use crate::snapshot::Snapshot;

/// The signature of the call whose argument list holds `offset`, with the
/// argument being written as the active parameter.
pub fn signature_help(db: &Database, file: SourceFile, offset: u32) -> Option<SignatureHelp> {
    let text = file.text(db);
    let tokens: Vec<(Token, Span)> = tally::syntax::lex_spans(text)
        .into_iter()
        .filter(|(_, span)| span.end <= offset)
        .collect();
    // Back to the unclosed `(`, counting the commas at its level.
    let mut depth = 0usize;
    let mut commas = 0u32;
    let mut open = None;
    for (i, (token, _)) in tokens.iter().enumerate().rev() {
        match token {
            Token::RParen | Token::RBracket | Token::RBrace => depth += 1,
            Token::LBracket | Token::LBrace if depth == 0 => return None,
            Token::LParen if depth == 0 => {
                open = Some(i);
                break;
            }
            Token::LParen | Token::LBracket | Token::LBrace => depth -= 1,
            Token::Comma if depth == 0 => commas += 1,
            _ => {}
        }
    }
    let (_, name_span) = tokens.get(open?.checked_sub(1)?)?;
    let (label, params) = callee_signature(db, file, *name_span)?;
    let mut parameters = Vec::new();
    let mut at = label.find('(')? as u32 + 1;
    for param in &params {
        let start = at;
        let end = start + param.len() as u32;
        parameters.push(ParameterInformation {
            label: ParameterLabel::LabelOffsets([utf16(&label, start), utf16(&label, end)]),
            documentation: None,
        });
        at = end + 2;
    }
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: None,
            parameters: Some(parameters),
            active_parameter: Some(commas),
        }],
        active_signature: Some(0),
        active_parameter: Some(commas),
    })
}

/// The UTF-16 offset of byte `at` of `text`.
fn utf16(text: &str, at: u32) -> u32 {
    text.get(..at as usize)
        .map_or(0, |t| t.chars().map(char::len_utf16).sum::<usize>() as u32)
}

/// The signature (`fn f(a: Int, b: Int) -> Int`) and the parameters
/// (`a: Int`) of the function or constructor named at `name`.
fn callee_signature(db: &Database, file: SourceFile, name: Span) -> Option<(String, Vec<String>)> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let res = module
        .exprs
        .iter()
        .enumerate()
        .find_map(|(i, e)| match &e.kind {
            ExprKind::Path(path) if path.last().span == name => {
                typed.resolution(tally::syntax::ast::ExprId(i as u32))
            }
            _ => None,
        });
    let res = res.or_else(|| {
        // While the call does not parse: the name in the module's scope.
        let written = file.text(db).get(name.range())?;
        match typed.signatures.scope.values.get(written)? {
            types::scope::ValueDef::Fn(item) => Some(Resolution::Fn(*item)),
            types::scope::ValueDef::Builtin(b) => Some(Resolution::Builtin(*b)),
            types::scope::ValueDef::Ctor { item, variant } => Some(Resolution::Ctor {
                item: *item,
                variant: *variant,
            }),
            types::scope::ValueDef::Const(_) => None,
        }
    })?;
    let written = |name: &str, generics: String, params: Vec<String>, ret: String| {
        (
            format!("fn {name}{generics}({}) -> {ret}", params.join(", ")),
            params,
        )
    };
    let generics = |g: &[String]| {
        if g.is_empty() {
            String::new()
        } else {
            format!("<{}>", g.join(", "))
        }
    };
    match res {
        Resolution::Fn(item) => match types::signatures::item_sig(db, item)? {
            ItemSig::Fn(f) => {
                let params = f.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                Some(written(
                    &f.name,
                    generics(&f.generics),
                    params,
                    f.ret.to_string(),
                ))
            }
            _ => None,
        },
        Resolution::Builtin(builtin) => {
            let tys = tally::types::builtin::BuiltinTypes::of(db);
            let (params, ret) = builtin.signature(tys.as_ref());
            let params = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            let g: Vec<String> = builtin.generics().iter().map(|s| s.to_string()).collect();
            Some(written(
                builtin.name(),
                generics(&g),
                params,
                ret.to_string(),
            ))
        }
        Resolution::Ctor { item, variant } => match types::signatures::item_sig(db, item)? {
            ItemSig::Enum(e) => {
                let v = e.variants.get(variant as usize)?;
                let params: Vec<String> = v.fields.iter().map(Ty::to_string).collect();
                let label = format!("{}({}) -> {}", v.name, params.join(", "), e.name);
                Some((label, params))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Folding ranges: every item, block and match over more than one line, and
/// runs of `use` lines.
pub fn folding_ranges(db: &Database, file: SourceFile) -> Vec<FoldingRange> {
    let lines = Lines::new(file.text(db));
    let module = &db::parse(db, file).module;
    let mut found = Vec::new();
    let mut fold = |span: Span, kind: Option<FoldingRangeKind>| {
        let (start, end) = (lines.position(span.start), lines.position(span.end));
        if start.line < end.line {
            found.push(FoldingRange {
                start_line: start.line,
                start_character: None,
                end_line: end.line,
                end_character: None,
                kind,
                collapsed_text: None,
            });
        }
    };
    let mut imports: Option<Span> = None;
    for item in &module.items {
        match item {
            Item::Use(u) => imports = Some(imports.map_or(u.span, |s| s.to(u.span))),
            Item::Error(_) => {}
            other => fold(other.span(), None),
        }
    }
    if let Some(span) = imports {
        fold(span, Some(FoldingRangeKind::Imports));
    }
    for expr in &module.exprs {
        if matches!(expr.kind, ExprKind::Match { .. } | ExprKind::Block { .. }) {
            fold(expr.span, Some(FoldingRangeKind::Region));
        }
    }
    found.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    found.dedup_by_key(|f| (f.start_line, f.end_line));
    found
}

/// The places in `file` naming what the name at `offset` names: its
/// declaration (a write) and its uses (reads).
pub fn highlights(s: &Snapshot, file: SourceFile, offset: u32) -> Option<Vec<DocumentHighlight>> {
    let (target, found) = s.references(file, offset, true)?;
    let lines = Lines::new(file.text(&s.db));
    Some(
        found
            .into_iter()
            .filter(|(f, _)| *f == file)
            .map(|(f, span)| DocumentHighlight {
                range: lines.range(span),
                kind: Some(if (f, span) == target {
                    DocumentHighlightKind::WRITE
                } else {
                    DocumentHighlightKind::READ
                }),
            })
            .collect(),
    )
}

/// The items of the open documents and the standard library whose name
/// contains `query` (ignoring case).
pub fn workspace_symbols(s: &Snapshot, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut files: Vec<(SourceFile, Uri)> = s
        .documents
        .values()
        .map(|d| (d.file, d.uri.clone()))
        .collect();
    for (name, file) in s.db.std_files() {
        if let Some(uri) = s.std_uris.get(name) {
            files.push((file, uri.clone()));
        }
    }
    let mut found = Vec::new();
    for (file, uri) in files {
        let module = &db::parse(&s.db, file).module;
        let lines = Lines::new(file.text(&s.db));
        let is_std = file.path(&s.db).starts_with("std::");
        for item in &module.items {
            let (name, kind, public) = match item {
                Item::Fn(f) => (&f.name, SymbolKind::FUNCTION, f.is_pub),
                Item::Struct(st) => (&st.name, SymbolKind::STRUCT, st.is_pub),
                Item::Enum(e) => (&e.name, SymbolKind::ENUM, e.is_pub),
                Item::TypeAlias(a) => (&a.name, SymbolKind::TYPE_PARAMETER, a.is_pub),
                Item::Const(c) => (&c.name, SymbolKind::CONSTANT, c.is_pub),
                Item::Test(t) => (&t.name, SymbolKind::METHOD, false),
                Item::Use(_) | Item::Error(_) => continue,
            };
            if (is_std && !public) || !name.name.to_lowercase().contains(&query) {
                continue;
            }
            #[allow(deprecated)]
            found.push(SymbolInformation {
                name: name.name.clone(),
                kind,
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), lines.range(name.span)),
                container_name: Some(file.path(&s.db).clone()),
            });
        }
    }
    found
}
