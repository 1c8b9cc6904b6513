//! Values as Tally literals: printing results and parsing command-line
//! arguments, guided by the expected type. Both directions are iterative
//! (explicit stacks), so deep values cannot overflow the Rust stack.
//!
//! Syntax: `()`, `true`/`false`, Int with optional `-` and `_` separators,
//! Bytes `#"00ff"`, tuples `(a, b)`, structs `Name { f: a, g: b }` (fields in
//! declaration order), enum variants `Name` / `Name(a, b)`, lists `[a, b]`.

use crate::error::LiteralError;
use crate::types::{AdtDef, AdtKind, Ty, type_name};
use crate::value::{Node, Value};

enum Item<'a> {
    Text(&'static str),
    Value(Ty),
    ListRest(Ty, bool),
    Field(&'a str),
}

/// Prints `v` (of type `ty`) as a Tally literal. Fails if `v` does not have type `ty`.
pub fn print_literal(
    v: &Value,
    ty: Ty,
    adts: &[AdtDef],
) -> Result<String, crate::error::ValueError> {
    v.check(ty, adts)?;
    let mut out = String::new();
    let mut nodes = v.nodes().iter();
    let mut stack = vec![Item::Value(ty)];
    while let Some(it) = stack.pop() {
        match it {
            Item::Text(s) => out.push_str(s),
            Item::Field(name) => {
                out.push_str(name);
                out.push_str(": ");
            }
            Item::ListRest(t, first) => match nodes.next() {
                Some(Node::Cell { tag: 1, .. }) => {
                    if !first {
                        out.push_str(", ");
                    }
                    stack.push(Item::ListRest(t, false));
                    let elem = adts
                        .get(t_index(t))
                        .and_then(|a| a.variants.get(1))
                        .and_then(|v| v.fields.first())
                        .map_or(Ty::Unit, |f| f.ty);
                    stack.push(Item::Value(elem));
                }
                _ => out.push(']'),
            },
            Item::Value(t) => {
                let Some(n) = nodes.next() else { break };
                match n {
                    Node::Unit => out.push_str("()"),
                    Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                    Node::Int(i) => out.push_str(&i.to_string()),
                    Node::Bytes(b) => {
                        out.push_str("#\"");
                        for x in b {
                            out.push_str(&format!("{x:02x}"));
                        }
                        out.push('"');
                    }
                    Node::Map { len } => {
                        let Some((kt, vt)) = crate::types::map_types(t, adts) else {
                            break;
                        };
                        if *len == 0 {
                            out.push_str("Map {}");
                            continue;
                        }
                        out.push_str("Map {");
                        stack.push(Item::Text(" }"));
                        for k in (0..*len).rev() {
                            stack.push(Item::Value(vt));
                            stack.push(Item::Text(": "));
                            stack.push(Item::Value(kt));
                            stack.push(Item::Text(if k == 0 { " " } else { ", " }));
                        }
                    }
                    Node::Cell { tag, .. } => {
                        let Some(adt) = adts.get(t_index(t)) else {
                            break;
                        };
                        let Some(var) = adt.variants.get(*tag as usize) else {
                            break;
                        };
                        match adt.kind {
                            // A map value is a `Node::Map`, never a cell.
                            AdtKind::Map => break,
                            AdtKind::List => {
                                out.push('[');
                                if *tag == 1 {
                                    stack.push(Item::ListRest(t, false));
                                    stack.push(Item::Value(
                                        var.fields.first().map_or(Ty::Unit, |f| f.ty),
                                    ));
                                } else {
                                    out.push(']');
                                }
                            }
                            AdtKind::Struct => {
                                out.push_str(&var.name);
                                out.push_str(" {");
                                stack.push(Item::Text(if var.fields.is_empty() {
                                    "}"
                                } else {
                                    " }"
                                }));
                                for (k, f) in var.fields.iter().enumerate().rev() {
                                    stack.push(Item::Value(f.ty));
                                    stack.push(Item::Field(&f.name));
                                    stack.push(Item::Text(if k == 0 { " " } else { ", " }));
                                }
                            }
                            AdtKind::Tuple | AdtKind::Enum => {
                                if adt.kind == AdtKind::Enum {
                                    out.push_str(&var.name);
                                    if var.fields.is_empty() {
                                        continue;
                                    }
                                }
                                out.push('(');
                                stack.push(Item::Text(")"));
                                for (k, f) in var.fields.iter().enumerate().rev() {
                                    stack.push(Item::Value(f.ty));
                                    if k > 0 {
                                        stack.push(Item::Text(", "));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn t_index(t: Ty) -> usize {
    match t {
        Ty::Adt(i) => i as usize,
        _ => usize::MAX,
    }
}

/// Work items of the literal parser.
enum Want {
    Value(Ty),
    Punct(char),
    FieldName(String),
    /// Optional trailing comma.
    OptComma,
    /// After a list element: `,` and another element, or `]`.
    ListNext(Ty, Ty),
    /// After a map entry: `,` and another entry, or `}`. The map node is at
    /// `start` of the node list and has `count` entries so far.
    MapNext {
        key: Ty,
        value: Ty,
        start: usize,
        count: u32,
    },
}

/// Sorts the `count` entries after the map node at `start` by key and
/// sets the node's length; a key given twice is an error.
fn finish_map(nodes: &mut Vec<Node>, start: usize, count: u32) -> Result<(), String> {
    let body = nodes.split_off(start + 1);
    let mut entries: Vec<(Node, Vec<Node>)> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let key = body[i].clone();
        let end = crate::value::subtree_end(&body, i + 1).ok_or("malformed map literal")?;
        entries.push((key, body[i + 1..end].to_vec()));
        i = end;
    }
    entries
        .sort_by(|a, b| crate::value::key_order(&a.0, &b.0).unwrap_or(std::cmp::Ordering::Equal));
    if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
        let k = match &w[0].0 {
            Node::Int(n) => n.to_string(),
            Node::Bytes(b) => format!(
                "#\"{}\"",
                b.iter().map(|x| format!("{x:02x}")).collect::<String>()
            ),
            _ => String::new(),
        };
        return Err(format!("the key {k} is given twice in a map literal"));
    }
    nodes[start] = Node::Map { len: count };
    for (k, v) in entries {
        nodes.push(k);
        nodes.extend(v);
    }
    Ok(())
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, LiteralError> {
        Err(LiteralError {
            column: self.pos + 1,
            message: message.into(),
        })
    }

    fn skip_ws(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), LiteralError> {
        if self.eat(c) {
            Ok(())
        } else {
            self.err(format!("expected `{c}`"))
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.pos;
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.chars[start..self.pos].iter().collect())
    }

    fn int(&mut self) -> Result<i128, LiteralError> {
        self.skip_ws();
        let neg = self.eat('-');
        self.skip_ws();
        let start = self.pos;
        let mut mag: u128 = 0;
        let mut digits = 0;
        while let Some(&c) = self.chars.get(self.pos) {
            if c == '_' && digits > 0 {
                self.pos += 1;
                continue;
            }
            let Some(d) = c.to_digit(10) else { break };
            mag = match mag
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(d)))
            {
                Some(m) => m,
                None => {
                    self.pos = start;
                    return self.err("integer literal out of range");
                }
            };
            digits += 1;
            self.pos += 1;
        }
        if digits == 0 {
            return self.err("expected an Int literal");
        }
        let v = if neg {
            if mag == 1u128 << 127 {
                Some(i128::MIN)
            } else {
                i128::try_from(mag).ok().map(|v| -v)
            }
        } else {
            i128::try_from(mag).ok()
        };
        match v {
            Some(v) => Ok(v),
            None => {
                self.pos = start;
                self.err("integer literal out of range")
            }
        }
    }

    fn bytes(&mut self) -> Result<Vec<u8>, LiteralError> {
        if self.chars.get(self.pos) == Some(&'"') {
            return self.string();
        }
        self.expect('#')?;
        if self.chars.get(self.pos) != Some(&'"') {
            return self.err("expected `\"` after `#`");
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.chars.get(self.pos) {
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(&hi) => {
                    let lo = self.chars.get(self.pos + 1).copied();
                    match (hi.to_digit(16), lo.and_then(|c| c.to_digit(16))) {
                        (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                        _ => return self.err("expected pairs of hex digits in a Bytes literal"),
                    }
                    self.pos += 2;
                }
                None => return self.err("unterminated Bytes literal"),
            }
        }
    }
}

impl Lexer {
    /// A string literal `"..."` as the UTF-8 bytes of its text, with the
    /// escapes of Tally source (`\n \t \r \0 \\ \" \u{HEX}`).
    fn string(&mut self) -> Result<Vec<u8>, LiteralError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return self.err("unterminated string literal");
            };
            self.pos += 1;
            match c {
                '"' => return Ok(out.into_bytes()),
                '\\' => {
                    let Some(&e) = self.chars.get(self.pos) else {
                        return self.err("unterminated string literal");
                    };
                    self.pos += 1;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        '\\' => '\\',
                        '"' => '"',
                        'u' => self.unicode_escape()?,
                        _ => {
                            self.pos -= 2;
                            return self.err("unknown escape in a string literal");
                        }
                    });
                }
                c => out.push(c),
            }
        }
    }

    /// The character of `\u{HEX}`, after the `u`.
    fn unicode_escape(&mut self) -> Result<char, LiteralError> {
        if self.chars.get(self.pos) != Some(&'{') {
            return self.err("expected `{` after `\\u`");
        }
        self.pos += 1;
        let mut value: u32 = 0;
        let mut digits = 0;
        while let Some(d) = self.chars.get(self.pos).and_then(|c| c.to_digit(16)) {
            if digits == 6 {
                return self.err("at most six hex digits in `\\u{...}`");
            }
            value = value * 16 + d;
            digits += 1;
            self.pos += 1;
        }
        if digits == 0 || self.chars.get(self.pos) != Some(&'}') {
            return self.err("expected hex digits and `}` in `\\u{...}`");
        }
        self.pos += 1;
        match char::from_u32(value) {
            Some(c) => Ok(c),
            None => self.err("`\\u{...}` is not a Unicode scalar value"),
        }
    }
}

/// Parses a Tally literal of type `ty` into a value.
pub fn parse_literal(src: &str, ty: Ty, adts: &[AdtDef]) -> Result<Value, LiteralError> {
    let mut lx = Lexer {
        chars: src.chars().collect(),
        pos: 0,
    };
    let mut nodes = Vec::new();
    let mut stack = vec![Want::Value(ty)];
    while let Some(w) = stack.pop() {
        match w {
            Want::Punct(c) => lx.expect(c)?,
            Want::OptComma => {
                lx.eat(',');
            }
            Want::FieldName(name) => {
                lx.skip_ws();
                let at = lx.pos;
                if lx.ident().as_deref() != Some(name.as_str()) {
                    lx.pos = at;
                    return lx.err(format!(
                        "expected field `{name}` (fields are written in declaration order)"
                    ));
                }
                lx.expect(':')?;
            }
            Want::ListNext(t, elem) => {
                if lx.eat(']') {
                    nodes.push(Node::Cell { tag: 0, arity: 0 });
                    continue;
                }
                lx.expect(',')?;
                if lx.eat(']') {
                    nodes.push(Node::Cell { tag: 0, arity: 0 });
                    continue;
                }
                nodes.push(Node::Cell { tag: 1, arity: 2 });
                stack.push(Want::ListNext(t, elem));
                stack.push(Want::Value(elem));
            }
            Want::MapNext {
                key,
                value,
                start,
                count,
            } => {
                let mut done = lx.eat('}');
                if !done {
                    lx.expect(',')?;
                    done = lx.eat('}');
                }
                if done {
                    if let Err(m) = finish_map(&mut nodes, start, count) {
                        return lx.err(m);
                    }
                    continue;
                }
                stack.push(Want::MapNext {
                    key,
                    value,
                    start,
                    count: count.saturating_add(1),
                });
                stack.push(Want::Value(value));
                stack.push(Want::Punct(':'));
                stack.push(Want::Value(key));
            }
            Want::Value(t) => match t {
                Ty::Unit => {
                    lx.expect('(')?;
                    lx.expect(')')?;
                    nodes.push(Node::Unit);
                }
                Ty::Bool => match lx.ident().as_deref() {
                    Some("true") => nodes.push(Node::Bool(true)),
                    Some("false") => nodes.push(Node::Bool(false)),
                    _ => return lx.err("expected `true` or `false`"),
                },
                Ty::Int => nodes.push(Node::Int(lx.int()?)),
                Ty::Bytes => {
                    lx.skip_ws();
                    nodes.push(Node::Bytes(lx.bytes()?));
                }
                Ty::Adt(i) => {
                    let Some(adt) = adts.get(i as usize) else {
                        return lx.err("unknown type");
                    };
                    match adt.kind {
                        AdtKind::Map => {
                            lx.skip_ws();
                            let at = lx.pos;
                            if lx.ident().as_deref() != Some("Map") {
                                lx.pos = at;
                                return lx.err(format!(
                                    "expected a map `Map {{ key: value, .. }}` of type `{}`",
                                    type_name(t, adts)
                                ));
                            }
                            lx.expect('{')?;
                            let Some((key, value)) = adt.map_types() else {
                                return lx.err("malformed map type");
                            };
                            let start = nodes.len();
                            nodes.push(Node::Map { len: 0 });
                            if lx.eat('}') {
                                continue;
                            }
                            stack.push(Want::MapNext {
                                key,
                                value,
                                start,
                                count: 1,
                            });
                            stack.push(Want::Value(value));
                            stack.push(Want::Punct(':'));
                            stack.push(Want::Value(key));
                        }
                        AdtKind::List => {
                            lx.expect('[')?;
                            let elem = adt
                                .variants
                                .get(1)
                                .and_then(|v| v.fields.first())
                                .map_or(Ty::Unit, |f| f.ty);
                            if lx.eat(']') {
                                nodes.push(Node::Cell { tag: 0, arity: 0 });
                            } else {
                                nodes.push(Node::Cell { tag: 1, arity: 2 });
                                stack.push(Want::ListNext(t, elem));
                                stack.push(Want::Value(elem));
                            }
                        }
                        AdtKind::Tuple => {
                            lx.expect('(')?;
                            let Some(var) = adt.variants.first() else {
                                return lx.err("malformed tuple type");
                            };
                            let fields = &var.fields;
                            nodes.push(Node::Cell {
                                tag: 0,
                                arity: fields.len() as u32,
                            });
                            push_seq(&mut stack, fields.iter().map(|f| f.ty), ')', |_| None);
                        }
                        AdtKind::Struct | AdtKind::Enum => {
                            lx.skip_ws();
                            let at = lx.pos;
                            let name = lx.ident();
                            let found = adt
                                .variants
                                .iter()
                                .enumerate()
                                .find(|(_, v)| Some(&v.name) == name.as_ref());
                            let Some((tag, var)) = found else {
                                lx.pos = at;
                                let names: Vec<&str> =
                                    adt.variants.iter().map(|v| v.name.as_str()).collect();
                                return lx.err(format!(
                                    "expected a value of type `{}` ({})",
                                    type_name(t, adts),
                                    names.join(", ")
                                ));
                            };
                            nodes.push(Node::Cell {
                                tag: tag as u32,
                                arity: var.fields.len() as u32,
                            });
                            if adt.kind == AdtKind::Struct {
                                lx.expect('{')?;
                                let names: Vec<String> =
                                    var.fields.iter().map(|f| f.name.clone()).collect();
                                push_seq(&mut stack, var.fields.iter().map(|f| f.ty), '}', |k| {
                                    names.get(k).cloned()
                                });
                            } else if !var.fields.is_empty() {
                                lx.expect('(')?;
                                push_seq(&mut stack, var.fields.iter().map(|f| f.ty), ')', |_| {
                                    None
                                });
                            }
                        }
                    }
                }
            },
        }
    }
    lx.skip_ws();
    if lx.pos < lx.chars.len() {
        return lx.err("unexpected text after the literal");
    }
    Value::from_nodes(nodes).map_err(|e| LiteralError {
        column: 1,
        message: e.to_string(),
    })
}

/// Pushes (in reverse) `f0, f1, ..., [,] close` with optional field names.
fn push_seq(
    stack: &mut Vec<Want>,
    tys: impl DoubleEndedIterator<Item = Ty> + ExactSizeIterator,
    close: char,
    name: impl Fn(usize) -> Option<String>,
) {
    stack.push(Want::Punct(close));
    stack.push(Want::OptComma);
    for (k, t) in tys.enumerate().rev() {
        stack.push(Want::Value(t));
        if let Some(nm) = name(k) {
            stack.push(Want::FieldName(nm));
        }
        if k > 0 {
            stack.push(Want::Punct(','));
        }
    }
}
