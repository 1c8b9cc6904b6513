//! Where the cursor stands, read off the tokens before it (the tree may be
//! broken while the author types): between items, in an expression, or in
//! the pattern of a `match` arm.

use tally::syntax::token::Token;

/// The syntactic context of a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Between items: only an item can start here.
    Item,
    /// Inside an item, where an expression (or a type) can stand.
    Expr,
    /// In the pattern of an arm of the `match` whose keyword starts at this offset.
    Pattern {
        /// The offset of the `match` keyword.
        match_at: u32,
    },
}

/// One open delimiter.
struct Open {
    closer: Token,
    /// For the `{` of a `match`'s arms: the `match`'s offset, and whether
    /// the cursor would be in an arm's pattern (before its `=>`).
    arms: Option<(u32, bool)>,
}

/// The context at `offset` of `text` (the start of the word being typed).
pub fn at(text: &str, offset: u32) -> Context {
    let mut open: Vec<Open> = Vec::new();
    // A `match` whose arms' `{` has not come yet, with the depth it is at.
    let mut pending: Option<(u32, usize)> = None;
    for (token, span) in tally::syntax::lex_spans(text) {
        if span.end > offset {
            break;
        }
        match token {
            Token::Match => pending = Some((span.start, open.len())),
            Token::LBrace => {
                let arms = match pending {
                    Some((at, depth)) if depth == open.len() => {
                        pending = None;
                        Some((at, true))
                    }
                    _ => None,
                };
                open.push(Open {
                    closer: Token::RBrace,
                    arms,
                });
            }
            Token::LParen | Token::LBracket => open.push(Open {
                closer: if token == Token::LParen {
                    Token::RParen
                } else {
                    Token::RBracket
                },
                arms: None,
            }),
            Token::RParen | Token::RBracket | Token::RBrace => {
                if let Some(at) = open.iter().rposition(|o| o.closer == token) {
                    open.truncate(at);
                }
                if pending.is_some_and(|(_, depth)| depth > open.len()) {
                    pending = None;
                }
            }
            Token::FatArrow | Token::Comma => {
                if let Some(Open {
                    arms: Some((_, pattern)),
                    ..
                }) = open.last_mut()
                {
                    *pattern = token == Token::Comma;
                }
            }
            _ => {}
        }
    }
    if open.is_empty() {
        return Context::Item;
    }
    // In a pattern if the innermost arms are before their `=>` and only
    // parentheses and brackets (sub-patterns) are open inside them.
    for entry in open.iter().rev() {
        match entry.arms {
            Some((match_at, true)) => return Context::Pattern { match_at },
            Some((_, false)) => return Context::Expr,
            None if entry.closer == Token::RBrace => return Context::Expr,
            None => {}
        }
    }
    Context::Expr
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(text: &str) -> Context {
        let at = text.find('$').expect("a cursor");
        let text = text.replace('$', "");
        super::at(&text, at as u32)
    }

    #[test]
    fn contexts() {
        assert_eq!(context("$"), Context::Item);
        assert_eq!(context("fn f() -> Int { 1 }\n$"), Context::Item);
        assert_eq!(context("fn f() -> Int { $"), Context::Expr);
        let m = "fn f(o: Option<Int>) -> Int { match o { ";
        assert_eq!(context(&format!("{m}$")), Context::Pattern { match_at: 30 });
        assert_eq!(
            context(&format!("{m}Some($")),
            Context::Pattern { match_at: 30 }
        );
        assert_eq!(context(&format!("{m}None => $")), Context::Expr);
        assert_eq!(
            context(&format!("{m}None => 0, $")),
            Context::Pattern { match_at: 30 }
        );
        assert_eq!(context(&format!("{m}None => {{ $")), Context::Expr);
    }
}
