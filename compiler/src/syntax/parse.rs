//! Runs the lexer and the parser over a source text and turns every problem
//! into a [`Diagnostic`]. Parsing never fails: a broken file yields a partial
//! tree in which the parts that could not be read are `Error` nodes.

use logos::Logos;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::Module;
use crate::syntax::builder::{Builder, Recovered};
use crate::syntax::grammar::ModuleParser;
use crate::syntax::token::{LiteralError, Token};
use crate::syntax::{depth, docs, unclosed};

/// A parsed module and the lexical and syntax errors found on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parse {
    /// The (possibly partial) tree.
    pub module: Module,
    /// Lexical, syntax and nesting errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one module.
pub fn parse(text: &str) -> Parse {
    let mut diagnostics = Vec::new();
    let mut doc_comments = Vec::new();
    let tokens = lex(text, &mut diagnostics, &mut doc_comments);
    // A syntax error right after a bad character is its consequence: report only the first.
    let after_lexical_error: Vec<u32> = diagnostics
        .iter()
        .filter_map(|d: &Diagnostic| {
            let end = d.primary.span.end as usize;
            tokens
                .iter()
                .find(|(l, _, _)| *l >= end)
                .map(|(l, _, _)| *l as u32)
        })
        .collect();
    let end = text.len();
    // `>=` closing a list of type arguments (`type Pair<V>= (V, V)`) is one
    // token to the lexer: where the parser wanted `>` and met `>=`, it is
    // read as `>` `=` and the text parsed again (a few rounds at most).
    let mut split: Vec<usize> = Vec::new();
    let (items, builder, mut found) = loop {
        let (items, builder, found) = parse_tokens(text, split_ge(&tokens, &split));
        let more: Vec<usize> = builder
            .errors
            .iter()
            .map(|r| &r.error)
            .chain(found.fatal.as_ref())
            .filter_map(ge_for_gt)
            .filter(|at| !split.contains(at))
            .collect();
        if more.is_empty() || split.len() >= MAX_GE_SPLITS {
            break (items, builder, found);
        }
        split.extend(more);
    };
    let mut builder = builder;
    if let Some(error) = found.fatal.take() {
        let diagnostic = syntax_error(error, end);
        if !found.repairs.explains(&diagnostic) {
            diagnostics.push(diagnostic);
        }
    }
    let mut repairs = found.repairs;
    let repaired = std::mem::take(&mut repairs.diagnostics);
    let mut last_error_at = None;
    for Recovered { error, .. } in std::mem::take(&mut builder.errors) {
        let diagnostic = syntax_error(error, end);
        // Recovery can stumble twice over the same token: report it once.
        let start = diagnostic.primary.span.start;
        if repairs.explains(&diagnostic) {
            continue;
        }
        if last_error_at != Some(start) && !after_lexical_error.contains(&start) {
            last_error_at = Some(start);
            diagnostics.push(diagnostic);
        }
    }
    diagnostics.extend(repaired);

    let mut module = Module {
        items,
        exprs: builder.exprs,
        pats: builder.pats,
        types: builder.types,
    };
    docs::attach(&mut module, text, &doc_comments);
    depth::limit(&mut module, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    Parse {
        module,
        diagnostics,
    }
}

/// Most `>=` tokens read as `>` `=` (each costs one more parse).
const MAX_GE_SPLITS: usize = 16;

/// What one parse of the tokens found besides the tree: the error that
/// stopped it, if any, and the unclosed delimiters it repaired.
struct Found {
    fatal: Option<ParseError>,
    repairs: unclosed::Repairs,
}

/// Parses `tokens` (after repairing unclosed delimiters).
fn parse_tokens(
    text: &str,
    tokens: Vec<(usize, Token, usize)>,
) -> (Vec<crate::syntax::ast::Item>, Builder, Found) {
    let (tokens, repairs) = unclosed::close(text, tokens);
    let mut builder = Builder::default();
    let (items, fatal) = match ModuleParser::new().parse(&mut builder, tokens.into_iter().map(Ok)) {
        Ok(items) => (items, None),
        Err(error) => (Vec::new(), Some(error)),
    };
    (items, builder, Found { fatal, repairs })
}

/// The offset of a `>=` token the parser met where it wanted `>`.
fn ge_for_gt(error: &ParseError) -> Option<usize> {
    match error {
        lalrpop_util::ParseError::UnrecognizedToken {
            token: (l, Token::Ge, _),
            expected,
        } if expected.iter().any(|e| e == "\">\"") => Some(*l),
        _ => None,
    }
}

/// `tokens` with the `>=` at each offset of `at` split into `>` and `=`.
fn split_ge(tokens: &[(usize, Token, usize)], at: &[usize]) -> Vec<(usize, Token, usize)> {
    let mut out = Vec::with_capacity(tokens.len() + at.len());
    for (l, token, r) in tokens {
        if *token == Token::Ge && at.contains(l) {
            out.push((*l, Token::Gt, l + 1));
            out.push((l + 1, Token::Eq, *r));
        } else {
            out.push((*l, token.clone(), *r));
        }
    }
    out
}

/// Turns the text into parser tokens, reporting bad characters and literals
/// and setting doc comments aside.
fn lex(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
    doc_comments: &mut Vec<(Span, String)>,
) -> Vec<(usize, Token, usize)> {
    let mut tokens = Vec::new();
    let mut bad_run: Option<Span> = None;
    for (result, range) in Token::lexer(text).spanned() {
        let span = Span::new(range.start, range.end);
        let token = result.unwrap_or(Token::Error);
        if token == Token::Error {
            bad_run = Some(match bad_run {
                Some(run) if run.end == span.start => run.to(span),
                Some(run) => {
                    diagnostics.push(bad_characters(text, run));
                    span
                }
                None => span,
            });
            continue;
        }
        if let Some(run) = bad_run.take() {
            diagnostics.push(bad_characters(text, run));
        }
        let token = match token {
            Token::DocComment(doc) => {
                doc_comments.push((span, doc));
                continue;
            }
            Token::Int(Err(error)) | Token::Bytes(Err(error)) => {
                let is_int = matches!(error, LiteralError::IntTooLarge);
                diagnostics.push(malformed_literal(error, span));
                if is_int {
                    Token::Int(Ok(0))
                } else {
                    Token::Bytes(Ok(Vec::new()))
                }
            }
            token => token,
        };
        tokens.push((range.start, token, range.end));
    }
    if let Some(run) = bad_run {
        diagnostics.push(bad_characters(text, run));
    }
    tokens
}

fn bad_characters(text: &str, span: Span) -> Diagnostic {
    let chars = &text[span.range()];
    let shown: String = chars.chars().take(16).collect();
    let (message, label, help) = if chars.chars().count() == 1 {
        (
            format!("unexpected character `{}`", shown.escape_debug()),
            "no token starts with this character",
            "remove it",
        )
    } else {
        (
            format!("unexpected characters `{}`", shown.escape_debug()),
            "no token starts with these characters",
            "remove them",
        )
    };
    Diagnostic::new(Code::UnexpectedCharacter, message, span, label).with_help(format!(
        "{help}; outside comments, Tally source is ASCII letters, digits and punctuation"
    ))
}

fn malformed_literal(error: LiteralError, span: Span) -> Diagnostic {
    match error {
        LiteralError::IntTooLarge => Diagnostic::new(
            Code::MalformedLiteral,
            "integer literal out of range",
            span,
            "this does not fit in a 128-bit signed integer",
        )
        .with_help(format!("the largest `Int` is {}", i128::MAX)),
        LiteralError::BadBytes(reason) => Diagnostic::new(
            Code::MalformedLiteral,
            "malformed bytes literal",
            span,
            reason,
        )
        .with_help("write bytes as pairs of hex digits, e.g. #\"00ff\""),
        LiteralError::BadString(reason) => Diagnostic::new(
            Code::MalformedLiteral,
            "malformed string literal",
            span,
            reason,
        )
        .with_help(
            "the escapes are \\n \\t \\r \\0 \\\\ \\\" and \\u{...} (one to six hex digits)",
        ),
    }
}

type ParseError = lalrpop_util::ParseError<usize, Token, ()>;

fn syntax_error(error: ParseError, end: usize) -> Diagnostic {
    use lalrpop_util::ParseError::*;
    match error {
        UnrecognizedToken {
            token: (l, token, r),
            expected,
        } => Diagnostic::new(
            Code::UnexpectedToken,
            format!("unexpected {}", token.describe()),
            Span::new(l, r),
            expected_label(&expected),
        ),
        UnrecognizedEof { location, expected } => Diagnostic::new(
            Code::UnexpectedEof,
            "unexpected end of file",
            Span::new(location.min(end), end),
            expected_label(&expected),
        ),
        ExtraToken {
            token: (l, token, r),
        } => Diagnostic::new(
            Code::UnexpectedToken,
            format!("unexpected {}", token.describe()),
            Span::new(l, r),
            "nothing more was expected here",
        ),
        InvalidToken { location } => Diagnostic::new(
            Code::UnexpectedCharacter,
            "unexpected character",
            Span::new(location, location + 1),
            "no token starts here",
        ),
        User { error: () } => Diagnostic::new(
            Code::UnexpectedToken,
            "syntax error",
            Span::new(end, end),
            "here",
        ),
    }
}

/// "expected one of `,` or `)`", summarising the usual sets.
fn expected_label(expected: &[String]) -> String {
    let names: Vec<&str> = expected.iter().map(|e| e.trim_matches('"')).collect();
    let has = |n: &str| names.contains(&n);
    let mut shown: Vec<String> = Vec::new();
    let mut skip: Vec<&str> = Vec::new();
    if has("if") && has("int") && has("match") {
        shown.push("an expression".into());
        skip.extend(EXPRESSION_START);
    } else if has("_") && has("int") {
        shown.push("a pattern".into());
        skip.extend(PATTERN_START);
    } else if has("fn") && has("struct") && has("use") {
        shown.push("an item (`fn`, `struct`, `enum`, `type`, `const`, `use` or `test`)".into());
        skip.extend([
            "fn", "struct", "enum", "type", "const", "use", "test", "pub",
        ]);
    }
    for name in names {
        if skip.contains(&name) {
            continue;
        }
        shown.push(match name {
            "lower" => "a name".into(),
            "upper" => "a capitalised name".into(),
            "int" => "an integer".into(),
            "bytes" => "a bytes literal".into(),
            other => format!("`{other}`"),
        });
    }
    match shown.len() {
        0 => "not expected here".into(),
        1 => format!("expected {}", shown[0]),
        n if n <= 8 => {
            let (last, rest) = shown.split_last().unwrap_or((&shown[0], &[]));
            format!("expected one of {} or {}", rest.join(", "), last)
        }
        _ => "not expected here".into(),
    }
}

const EXPRESSION_START: &[&str] = &[
    "int", "bytes", "true", "false", "lower", "upper", "(", "[", "{", "if", "match", "fail", "|",
    "||", "-", "!",
];
const PATTERN_START: &[&str] = &[
    "_", "int", "bytes", "true", "false", "lower", "upper", "(", "[", "-",
];
