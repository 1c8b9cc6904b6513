//! Semantic token classes: the lexer's tokens, with each name classified by
//! what the checker resolved it to (a function, a parameter, a field, a
//! constructor, a type, a module or a variable), and the `//` comments the
//! lexer skips.

use std::collections::HashMap;

use tally::db::{self, Database, SourceFile};
use tally::span::Span;
use tally::syntax::ast::{ExprKind, Item, PatKind};
use tally::syntax::token::Token;
use tally::types::{self, LocalKind, Resolution};

/// Indices into the legend (`handlers::TOKEN_TYPES`).
const KEYWORD: usize = 0;
const TYPE: usize = 1;
const VARIABLE: usize = 2;
const NUMBER: usize = 3;
const STRING: usize = 4;
const OPERATOR: usize = 5;
const COMMENT: usize = 6;
const FUNCTION: usize = 7;
const PARAMETER: usize = 8;
const PROPERTY: usize = 9;
const ENUM_MEMBER: usize = 10;
const NAMESPACE: usize = 11;

/// Every token worth colouring, with its legend index, in source order.
pub fn classified(db: &Database, file: SourceFile) -> Vec<(usize, Span)> {
    let text = file.text(db);
    let names = name_classes(db, file);
    let tokens = tally::syntax::lex_spans(text);
    let mut out = Vec::with_capacity(tokens.len());
    let mut gap_start = 0usize;
    for (token, span) in tokens {
        comments(text, gap_start, span.start as usize, &mut out);
        gap_start = span.end as usize;
        let kind = match token {
            Token::Fn
            | Token::Pub
            | Token::Struct
            | Token::Enum
            | Token::Use
            | Token::Test
            | Token::Let
            | Token::If
            | Token::Else
            | Token::Match
            | Token::Fail
            | Token::Expect
            | Token::Type
            | Token::Const
            | Token::True
            | Token::False => KEYWORD,
            Token::UpperIdent(_) => names.get(&span).copied().unwrap_or(TYPE),
            Token::LowerIdent(_) => names.get(&span).copied().unwrap_or(VARIABLE),
            Token::Int(_) => NUMBER,
            Token::Bytes(_) => STRING,
            Token::Pipe
            | Token::AndAnd
            | Token::OrOr
            | Token::Plus
            | Token::Minus
            | Token::Star
            | Token::Slash
            | Token::Percent
            | Token::EqEq
            | Token::NotEq
            | Token::Lt
            | Token::Le
            | Token::Gt
            | Token::Ge
            | Token::Bang
            | Token::Question => OPERATOR,
            Token::DocComment(_) => COMMENT,
            _ => continue,
        };
        out.push((kind, span));
    }
    comments(text, gap_start, text.len(), &mut out);
    out
}

/// The `//` comments in `text[from..to]` (a gap between tokens, where
/// nothing but whitespace, comments and bad characters can be).
fn comments(text: &str, from: usize, to: usize, out: &mut Vec<(usize, Span)>) {
    let Some(gap) = text.get(from..to) else {
        return;
    };
    let mut at = 0;
    while let Some(found) = gap[at..].find("//") {
        let start = at + found;
        let end = gap[start..].find('\n').map_or(gap.len(), |i| start + i);
        out.push((COMMENT, Span::new(from + start, from + end)));
        at = end;
    }
}

/// The class of each resolved name, by its span.
fn name_classes(db: &Database, file: SourceFile) -> HashMap<Span, usize> {
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let mut classes = HashMap::new();
    let local_class = |kind: LocalKind| match kind {
        LocalKind::Param { .. } | LocalKind::LambdaParam { .. } => PARAMETER,
        LocalKind::Pattern(_) => VARIABLE,
    };
    for local in &typed.locals {
        classes.insert(local.span, local_class(local.kind));
    }
    for field in crate::fields::field_uses(db, file) {
        classes.entry(field.span).or_insert(PROPERTY);
    }
    for (&expr, &res) in &typed.expr_resolutions {
        let span = match &module.expr(expr).kind {
            ExprKind::Path(path) => path.last().span,
            ExprKind::StructLit { name, .. } => name.last().span,
            _ => continue,
        };
        let class = match res {
            Resolution::Fn(_) | Resolution::Builtin(_) => FUNCTION,
            Resolution::Local(id) => typed.local(id).map_or(VARIABLE, |l| local_class(l.kind)),
            Resolution::Ctor { .. } => ENUM_MEMBER,
            Resolution::Struct(_) => TYPE,
            Resolution::Const(_) => VARIABLE,
        };
        classes.insert(span, class);
    }
    for (&pat, &res) in &typed.pat_resolutions {
        let span = match &module.pat(pat).kind {
            PatKind::Ctor { path, .. } | PatKind::Struct { path, .. } => path.last().span,
            _ => continue,
        };
        if matches!(res, Resolution::Ctor { .. }) {
            classes.insert(span, ENUM_MEMBER);
        }
    }
    for item in &module.items {
        match item {
            Item::Fn(f) => {
                classes.insert(f.name.span, FUNCTION);
            }
            Item::Struct(s) => {
                for field in &s.fields {
                    classes.insert(field.name.span, PROPERTY);
                }
            }
            Item::Enum(e) => {
                for variant in &e.variants {
                    classes.insert(variant.name.span, ENUM_MEMBER);
                }
            }
            Item::Use(u) => {
                for segment in &u.module.segments {
                    classes.insert(segment.span, NAMESPACE);
                }
                // An imported function is a function.
                for name in &u.names {
                    if typed
                        .signatures
                        .scope
                        .values
                        .get(&name.name)
                        .is_some_and(|d| {
                            matches!(
                                d,
                                types::scope::ValueDef::Fn(_) | types::scope::ValueDef::Builtin(_)
                            )
                        })
                    {
                        classes.insert(name.span, FUNCTION);
                    }
                }
            }
            _ => {}
        }
    }
    classes
}
