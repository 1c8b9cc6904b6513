//! Answers to requests, computed from the compiler's database.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    Location, NumberOrString, SemanticToken, SemanticTokenType, SemanticTokens,
    SemanticTokensLegend, SymbolKind, Uri,
};
use tally::db::{self, Database, SourceFile};
use tally::diagnostic::Severity;
use tally::syntax::ast::{Item, Module};

use crate::convert::Lines;

/// A file's diagnostics as LSP diagnostics: the same codes and messages as
/// `tally check`, with the label, notes and help appended to the message.
pub fn diagnostics(
    db: &Database,
    file: SourceFile,
    uri: &Uri,
    found: &[tally::diagnostic::Diagnostic],
) -> Vec<lsp_types::Diagnostic> {
    let text = file.text(db);
    let lines = Lines::new(text);
    found
        .iter()
        .map(|d| {
            let mut message = format!("{}\n{}", d.message, d.primary.message);
            for note in &d.notes {
                message.push_str(&format!("\nnote: {note}"));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .secondary
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), lines.range(label.span)),
                    message: label.message.clone(),
                })
                .collect();
            lsp_types::Diagnostic {
                range: lines.range(d.primary.span),
                severity: Some(match d.severity() {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.code.as_str().to_string())),
                source: Some("tally".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            }
        })
        .collect()
}

/// The outline of a file: functions, structs with their fields, enums with
/// their variants, tests.
pub fn document_symbols(db: &Database, file: SourceFile) -> DocumentSymbolResponse {
    let text = file.text(db);
    let lines = Lines::new(text);
    let module: &Module = &db::parse(db, file).module;
    let symbol = |name: &str, detail: Option<String>, kind, span, selection, children| {
        #[allow(deprecated)]
        DocumentSymbol {
            name: name.to_string(),
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(span),
            selection_range: lines.range(selection),
            children,
        }
    };
    let symbols = module
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fn(f) => Some(symbol(
                &f.name.name,
                Some(signature(text, f.span, f.body, module)),
                SymbolKind::FUNCTION,
                f.span,
                f.name.span,
                None,
            )),
            Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .map(|field| {
                        let span = field.name.span.to(module.ty(field.ty).span);
                        symbol(
                            &field.name.name,
                            None,
                            SymbolKind::FIELD,
                            span,
                            field.name.span,
                            None,
                        )
                    })
                    .collect();
                Some(symbol(
                    &s.name.name,
                    None,
                    SymbolKind::STRUCT,
                    s.span,
                    s.name.span,
                    Some(fields),
                ))
            }
            Item::Enum(e) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| {
                        symbol(
                            &v.name.name,
                            None,
                            SymbolKind::ENUM_MEMBER,
                            v.span,
                            v.name.span,
                            None,
                        )
                    })
                    .collect();
                Some(symbol(
                    &e.name.name,
                    None,
                    SymbolKind::ENUM,
                    e.span,
                    e.name.span,
                    Some(variants),
                ))
            }
            Item::Test(t) => Some(symbol(
                &t.name.name,
                Some("test".into()),
                SymbolKind::METHOD,
                t.span,
                t.name.span,
                None,
            )),
            Item::TypeAlias(a) => Some(symbol(
                &a.name.name,
                None,
                SymbolKind::TYPE_PARAMETER,
                a.span,
                a.name.span,
                None,
            )),
            Item::Const(c) => Some(symbol(
                &c.name.name,
                None,
                SymbolKind::CONSTANT,
                c.span,
                c.name.span,
                None,
            )),
            Item::Use(_) | Item::Error(_) => None,
        })
        .collect();
    DocumentSymbolResponse::Nested(symbols)
}

/// The written signature of a function: its text up to the body.
fn signature(
    text: &str,
    span: tally::span::Span,
    body: tally::syntax::ast::ExprId,
    module: &Module,
) -> String {
    let end = module.expr(body).span.start.max(span.start);
    let written = text.get(span.start as usize..end as usize).unwrap_or("");
    written.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The token types the server reports, in legend order.
const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::TYPE,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::COMMENT,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NAMESPACE,
];

/// The legend announced in `initialize`.
pub fn semantic_tokens_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

/// Semantic tokens for a whole file: the lexer's tokens, names classified
/// by what they resolve to, and `//` comments.
pub fn semantic_tokens(db: &Database, file: SourceFile) -> SemanticTokens {
    let text = file.text(db);
    let lines = Lines::new(text);
    let mut data = Vec::new();
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    for (kind, span) in crate::tokens::classified(db, file) {
        let start = lines.position(span.start);
        let end = lines.position(span.end);
        if start.line != end.line {
            continue;
        }
        let delta_line = start.line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_start
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: kind as u32,
            token_modifiers_bitset: 0,
        });
        prev_line = start.line;
        prev_start = start.character;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
