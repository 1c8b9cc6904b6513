//! Tokens of Tally source text, recognised by `logos`.
//!
//! The lexer never fails: a character that starts no token becomes
//! [`Token::Error`], and literals that are malformed (an integer too large for
//! `i128`, a bytes literal with a non-hex digit) are kept as tokens carrying an
//! error so the parser can go on and the caller can report them.

use logos::Logos;

/// Why a literal token is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiteralError {
    /// The decimal value does not fit in a signed 128-bit integer.
    IntTooLarge,
    /// A bytes literal with an odd number of hex digits or a non-hex character.
    BadBytes(String),
    /// A string literal with an unknown or malformed escape, or no closing quote.
    BadString(String),
}

/// One token. Payload-carrying literals hold their decoded value.
#[derive(Logos, Debug, Clone, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//([^/\n][^\n]*)?", allow_greedy = true))]
pub enum Token {
    /// `/// text`: a doc comment line (the text after the three slashes).
    #[regex(r"///[^\n]*", |lex| lex.slice()[3..].trim().to_string(), allow_greedy = true)]
    DocComment(String),

    #[token("fn")]
    Fn,
    #[token("pub")]
    Pub,
    #[token("struct")]
    Struct,
    #[token("enum")]
    Enum,
    #[token("use")]
    Use,
    #[token("test")]
    Test,
    #[token("let")]
    Let,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("match")]
    Match,
    #[token("fail")]
    Fail,
    #[token("type")]
    Type,
    #[token("expect")]
    Expect,
    #[token("const")]
    Const,
    #[token("true")]
    True,
    #[token("false")]
    False,

    /// `_`: the wildcard.
    #[token("_", priority = 3)]
    Underscore,
    /// An identifier starting with a lower-case letter or `_`.
    #[regex(r"[a-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    LowerIdent(String),
    /// An identifier starting with an upper-case letter.
    #[regex(r"[A-Z][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    UpperIdent(String),
    /// A decimal integer literal (`_` separators allowed).
    #[regex(r"[0-9][0-9_]*", |lex| parse_int(lex.slice()))]
    Int(Result<i128, LiteralError>),
    /// A bytes literal `#"00ff"`, decoded.
    #[regex(r##"#"[^"\n]*""##, |lex| parse_bytes(lex.slice()))]
    #[regex(r##"#"[^"\n]*"##, |_| unterminated_bytes(), allow_greedy = true)]
    #[regex(r#""([^"\\\n]|\\[^\n])*""#, |lex| parse_string(lex.slice()))]
    #[regex(r#""([^"\\\n]|\\[^\n])*\\?"#, |_| unterminated_string(), allow_greedy = true)]
    Bytes(Result<Vec<u8>, LiteralError>),

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("=")]
    Eq,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token("::")]
    ColonColon,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token("|>")]
    Pipe,
    #[token("|")]
    Bar,
    #[token("||")]
    OrOr,
    #[token("&&")]
    AndAnd,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,

    /// A character that starts no token (reported as E0101).
    Error,
}

fn parse_int(text: &str) -> Result<i128, LiteralError> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    digits
        .parse::<i128>()
        .map_err(|_| LiteralError::IntTooLarge)
}

fn parse_bytes(text: &str) -> Result<Vec<u8>, LiteralError> {
    let hex = &text[2..text.len() - 1];
    if let Some(bad) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(LiteralError::BadBytes(format!(
            "`{bad}` is not a hexadecimal digit"
        )));
    }
    if !hex.len().is_multiple_of(2) {
        return Err(LiteralError::BadBytes(format!(
            "{} hex digits: a bytes literal needs two digits per byte",
            hex.len()
        )));
    }
    Ok(hex
        .as_bytes()
        .chunks(2)
        .map(|pair| (hex_value(pair[0]) << 4) | hex_value(pair[1]))
        .collect())
}

/// Decodes a string literal `"..."` (quotes included) to its UTF-8 bytes,
/// with the escapes `\n \t \r \0 \\ \" \u{HEX}`.
fn parse_string(text: &str) -> Result<Vec<u8>, LiteralError> {
    let body = &text[1..text.len() - 1];
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('0') => '\0',
            Some('\\') => '\\',
            Some('"') => '"',
            Some('u') => unicode_escape(&mut chars)?,
            Some(other) => {
                return Err(LiteralError::BadString(format!(
                    "unknown escape `\\{}`",
                    other.escape_debug()
                )));
            }
            None => {
                return Err(LiteralError::BadString(
                    "`\\` at the end of the string".into(),
                ));
            }
        };
        out.push(escaped);
    }
    Ok(out.into_bytes())
}

/// The character of `\u{HEX}` after the `u`: one to six hex digits naming a
/// Unicode scalar value (not a surrogate).
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Result<char, LiteralError> {
    let bad = |why: &str| LiteralError::BadString(format!("malformed `\\u{{...}}` escape: {why}"));
    if chars.next() != Some('{') {
        return Err(bad("it needs braces, as in `\\u{e9}`"));
    }
    let mut hex = String::new();
    loop {
        match chars.next() {
            Some('}') => break,
            Some(c) if c.is_ascii_hexdigit() && hex.len() < 6 => hex.push(c),
            Some(c) if c.is_ascii_hexdigit() => return Err(bad("at most six hex digits")),
            Some(c) => return Err(bad(&format!("`{}` is not a hex digit", c.escape_debug()))),
            None => return Err(bad("no closing `}`")),
        }
    }
    if hex.is_empty() {
        return Err(bad("no hex digits"));
    }
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| bad(&format!("{hex} is not a Unicode scalar value")))
}

fn unterminated_string() -> Result<Vec<u8>, LiteralError> {
    Err(LiteralError::BadString(
        "unterminated string literal: it needs a closing `\"` on the same line".into(),
    ))
}

fn unterminated_bytes() -> Result<Vec<u8>, LiteralError> {
    Err(LiteralError::BadBytes(
        "unterminated bytes literal: it needs a closing `\"`".into(),
    ))
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

impl Token {
    /// How the token is named in "expected ..." messages.
    pub fn describe(&self) -> String {
        match self {
            Token::DocComment(_) => "doc comment".into(),
            Token::LowerIdent(name) | Token::UpperIdent(name) => format!("`{name}`"),
            Token::Int(_) => "integer literal".into(),
            Token::Bytes(_) => "bytes literal".into(),
            Token::Error => "character".into(),
            other => format!("`{}`", other.text()),
        }
    }

    /// The fixed spelling of a keyword or punctuation token.
    pub fn text(&self) -> &'static str {
        match self {
            Token::Fn => "fn",
            Token::Pub => "pub",
            Token::Struct => "struct",
            Token::Enum => "enum",
            Token::Use => "use",
            Token::Test => "test",
            Token::Let => "let",
            Token::If => "if",
            Token::Else => "else",
            Token::Match => "match",
            Token::Fail => "fail",
            Token::Type => "type",
            Token::Expect => "expect",
            Token::Const => "const",
            Token::True => "true",
            Token::False => "false",
            Token::Underscore => "_",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Lt => "<",
            Token::Gt => ">",
            Token::Le => "<=",
            Token::Ge => ">=",
            Token::EqEq => "==",
            Token::NotEq => "!=",
            Token::Eq => "=",
            Token::Comma => ",",
            Token::Semi => ";",
            Token::Colon => ":",
            Token::ColonColon => "::",
            Token::Dot => ".",
            Token::DotDot => "..",
            Token::Arrow => "->",
            Token::FatArrow => "=>",
            Token::Pipe => "|>",
            Token::Bar => "|",
            Token::OrOr => "||",
            Token::AndAnd => "&&",
            Token::Bang => "!",
            Token::Question => "?",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::DocComment(_)
            | Token::LowerIdent(_)
            | Token::UpperIdent(_)
            | Token::Int(_)
            | Token::Bytes(_)
            | Token::Error => "",
        }
    }
}
