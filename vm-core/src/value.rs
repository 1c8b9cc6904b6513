//! Values at the boundary: a flat pre-order representation, its canonical
//! binary encoding, and checking against declared types.
//!
//! A [`Value`] is a vector of [`Node`]s in pre-order: a constructor cell is
//! followed by its fields. Because the representation is flat, dropping,
//! cloning, comparing and hashing a value never recurse, however deep it is,
//! and derived equality *is* structural equality.

use crate::error::{DecodeError, ValueError};
use crate::leb::{Reader, write_sleb, write_uleb};
use crate::limits::MAX_FIELDS;
use crate::types::{AdtDef, Ty, type_name};

/// One node of a value in pre-order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// `()`.
    Unit,
    /// A Bool.
    Bool(bool),
    /// An Int.
    Int(i128),
    /// A Bytes value.
    Bytes(Vec<u8>),
    /// A constructor cell with variant `tag`; its `arity` fields follow.
    Cell {
        /// Variant index.
        tag: u32,
        /// Number of fields that follow.
        arity: u32,
    },
}

/// A complete value (one tree of nodes in pre-order).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Value {
    nodes: Vec<Node>,
}

impl Value {
    /// `()`.
    pub fn unit() -> Value {
        Value {
            nodes: vec![Node::Unit],
        }
    }

    /// A Bool.
    pub fn bool(b: bool) -> Value {
        Value {
            nodes: vec![Node::Bool(b)],
        }
    }

    /// An Int.
    pub fn int(v: i128) -> Value {
        Value {
            nodes: vec![Node::Int(v)],
        }
    }

    /// A Bytes value.
    pub fn bytes(b: impl Into<Vec<u8>>) -> Value {
        Value {
            nodes: vec![Node::Bytes(b.into())],
        }
    }

    /// Variant `tag` with the given fields (copies the fields' nodes).
    pub fn cell(tag: u32, fields: Vec<Value>) -> Value {
        let mut nodes = vec![Node::Cell {
            tag,
            arity: fields.len() as u32,
        }];
        for f in fields {
            nodes.extend(f.nodes);
        }
        Value { nodes }
    }

    /// A list (`Nil` = tag 0, `Cons(head, tail)` = tag 1), built in linear time.
    pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
        let mut nodes = Vec::new();
        for it in items {
            nodes.push(Node::Cell { tag: 1, arity: 2 });
            nodes.extend(it.nodes);
        }
        nodes.push(Node::Cell { tag: 0, arity: 0 });
        Value { nodes }
    }

    /// The nodes in pre-order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Builds a value from pre-order nodes, checking they form exactly one tree.
    pub fn from_nodes(nodes: Vec<Node>) -> Result<Value, ValueError> {
        let mut need: u64 = 1;
        for n in &nodes {
            if need == 0 {
                return Err(ValueError::Malformed("nodes after the end of the value"));
            }
            need -= 1;
            if let Node::Cell { arity, .. } = n {
                need += u64::from(*arity);
            }
        }
        if need != 0 {
            return Err(ValueError::Malformed("value is missing fields"));
        }
        Ok(Value { nodes })
    }

    /// The Int, if this value is one.
    pub fn as_int(&self) -> Option<i128> {
        match self.nodes.as_slice() {
            [Node::Int(v)] => Some(*v),
            _ => None,
        }
    }

    /// The Bool, if this value is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.nodes.as_slice() {
            [Node::Bool(v)] => Some(*v),
            _ => None,
        }
    }

    /// The Bytes, if this value is one.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self.nodes.as_slice() {
            [Node::Bytes(v)] => Some(v),
            _ => None,
        }
    }

    /// For a constructor cell: its tag and fields (copied).
    pub fn as_cell(&self) -> Option<(u32, Vec<Value>)> {
        let Some(Node::Cell { tag, arity }) = self.nodes.first() else {
            return None;
        };
        let mut fields = Vec::new();
        let mut i = 1;
        for _ in 0..*arity {
            let end = subtree_end(&self.nodes, i)?;
            fields.push(Value {
                nodes: self.nodes[i..end].to_vec(),
            });
            i = end;
        }
        Some((*tag, fields))
    }

    /// For a list value: its elements (copied). `None` if not list-shaped.
    pub fn as_list(&self) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        let mut i = 0;
        loop {
            match self.nodes.get(i)? {
                Node::Cell { tag: 0, arity: 0 } => {
                    return (i + 1 == self.nodes.len()).then_some(items);
                }
                Node::Cell { tag: 1, arity: 2 } => {
                    let end = subtree_end(&self.nodes, i + 1)?;
                    items.push(Value {
                        nodes: self.nodes[i + 1..end].to_vec(),
                    });
                    i = end;
                }
                _ => return None,
            }
        }
    }

    /// Number of constructor cells (the size measure of structured values).
    pub fn cells(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n, Node::Cell { .. }))
            .count()
    }

    /// The canonical binary encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        for n in &self.nodes {
            match n {
                Node::Unit => out.push(0),
                Node::Bool(false) => out.push(1),
                Node::Bool(true) => out.push(2),
                Node::Int(v) => {
                    out.push(3);
                    write_sleb(out, *v);
                }
                Node::Bytes(b) => {
                    out.push(4);
                    write_uleb(out, b.len() as u128);
                    out.extend_from_slice(b);
                }
                Node::Cell { tag, arity } => {
                    out.push(5);
                    write_uleb(out, u128::from(*tag));
                    write_uleb(out, u128::from(*arity));
                }
            }
        }
    }

    fn decode_from(r: &mut Reader<'_>) -> Result<Value, DecodeError> {
        let mut nodes = Vec::new();
        let mut need: u64 = 1;
        while need > 0 {
            need -= 1;
            let at = r.pos();
            let n = match r.byte()? {
                0 => Node::Unit,
                1 => Node::Bool(false),
                2 => Node::Bool(true),
                3 => Node::Int(r.sleb(128)?),
                4 => {
                    let len = r.u32()? as usize;
                    Node::Bytes(r.take(len)?.to_vec())
                }
                5 => {
                    let tag = r.u32()?;
                    let arity = r.count(MAX_FIELDS, "field count")?;
                    need += u64::from(arity);
                    Node::Cell { tag, arity }
                }
                v => {
                    return Err(DecodeError::BadTag {
                        what: "value node",
                        value: u64::from(v),
                        offset: at,
                    });
                }
            };
            nodes.push(n);
        }
        Ok(Value { nodes })
    }

    /// Decodes a canonical encoding (exactly one value, no trailing bytes).
    pub fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = Value::decode_from(&mut r)?;
        finish(&r, bytes)?;
        Ok(v)
    }

    /// Checks this value has type `ty` in a module with these ADTs.
    pub fn check(&self, ty: Ty, adts: &[AdtDef]) -> Result<(), ValueError> {
        let mut expect = vec![ty];
        let bad = |t: Ty| ValueError::TypeMismatch {
            expected: type_name(t, adts),
        };
        for n in &self.nodes {
            let t = expect.pop().ok_or(ValueError::Malformed("extra nodes"))?;
            match (n, t) {
                (Node::Unit, Ty::Unit) | (Node::Bool(_), Ty::Bool) | (Node::Int(_), Ty::Int) => {}
                (Node::Bytes(_), Ty::Bytes) => {}
                (Node::Cell { tag, arity }, Ty::Adt(i)) => {
                    let var = adts
                        .get(i as usize)
                        .and_then(|a| a.variants.get(*tag as usize))
                        .ok_or_else(|| bad(t))?;
                    if var.fields.len() != *arity as usize {
                        return Err(bad(t));
                    }
                    expect.extend(var.fields.iter().rev().map(|f| f.ty));
                }
                _ => return Err(bad(t)),
            }
        }
        if expect.is_empty() {
            Ok(())
        } else {
            Err(ValueError::Malformed("value is missing fields"))
        }
    }
}

fn finish(r: &Reader<'_>, bytes: &[u8]) -> Result<(), DecodeError> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::TrailingBytes {
            offset: r.pos(),
            count: bytes.len() - r.pos(),
        })
    }
}

/// The end (exclusive) of the subtree starting at `start`.
fn subtree_end(nodes: &[Node], start: usize) -> Option<usize> {
    let mut need: u64 = 1;
    let mut i = start;
    while need > 0 {
        need -= 1;
        if let Node::Cell { arity, .. } = nodes.get(i)? {
            need += u64::from(*arity);
        }
        i += 1;
    }
    Some(i)
}

/// Encodes an argument list: a count, then each value.
pub fn encode_args(args: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    write_uleb(&mut out, args.len() as u128);
    for a in args {
        a.encode_into(&mut out);
    }
    out
}

/// Decodes an argument list produced by [`encode_args`].
pub fn decode_args(bytes: &[u8]) -> Result<Vec<Value>, DecodeError> {
    let mut r = Reader::new(bytes);
    let n = r.count(crate::limits::MAX_PARAMS, "argument count")?;
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(Value::decode_from(&mut r)?);
    }
    finish(&r, bytes)?;
    Ok(out)
}
