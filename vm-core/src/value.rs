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
    /// A map of `len` entries; `2·len` subtrees follow, key then value for
    /// each entry, keys (single Int or Bytes nodes) strictly ascending.
    Map {
        /// Number of entries.
        len: u32,
    },
}

impl Node {
    /// The number of subtrees that follow this node.
    fn children(&self) -> u64 {
        match self {
            Node::Cell { arity, .. } => u64::from(*arity),
            Node::Map { len } => 2 * u64::from(*len),
            _ => 0,
        }
    }
}

/// The order of map keys: Ints by value, Bytes lexicographically (a
/// prefix first); `None` for nodes that cannot be keys or of two kinds.
pub fn key_order(a: &Node, b: &Node) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Node::Int(x), Node::Int(y)) => Some(x.cmp(y)),
        (Node::Bytes(x), Node::Bytes(y)) => Some(x.as_slice().cmp(y.as_slice())),
        _ => None,
    }
}

/// Checks that every map in `nodes` (a pre-order tree) has single-node Int
/// or Bytes keys in strictly ascending order. One pass, no recursion.
fn check_maps(nodes: &[Node]) -> Result<(), ValueError> {
    // Open containers: children left, and for a map the index of its
    // last key and how many of its children have been seen.
    struct Open {
        left: u64,
        map: bool,
        seen: u64,
        last: Option<usize>,
    }
    let mut open: Vec<Open> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Some(top) = open.last_mut() {
            if top.map && top.seen % 2 == 0 {
                if !matches!(n, Node::Int(_) | Node::Bytes(_)) {
                    return Err(ValueError::Malformed("a map key is not an Int or Bytes"));
                }
                if let Some(l) = top.last
                    && key_order(&nodes[l], n) != Some(std::cmp::Ordering::Less)
                {
                    return Err(ValueError::Malformed("map keys are not strictly ascending"));
                }
                top.last = Some(i);
            }
            top.seen += 1;
            top.left -= 1;
        }
        let c = n.children();
        if c > 0 {
            open.push(Open {
                left: c,
                map: matches!(n, Node::Map { .. }),
                seen: 0,
                last: None,
            });
        }
        while open.last().is_some_and(|o| o.left == 0) {
            open.pop();
        }
    }
    Ok(())
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

    /// A map from `(key, value)` entries: sorted by key, a later entry
    /// replacing an earlier one with the same key. Keys must be Int or Bytes
    /// values (of one kind).
    pub fn map(entries: impl IntoIterator<Item = (Value, Value)>) -> Result<Value, ValueError> {
        let mut es: Vec<(Value, Value)> = entries.into_iter().collect();
        for (k, _) in &es {
            if !matches!(k.nodes.as_slice(), [Node::Int(_) | Node::Bytes(_)]) {
                return Err(ValueError::Malformed("a map key is not an Int or Bytes"));
            }
        }
        es.reverse();
        // Stable: among equal keys the last given comes first, and is kept.
        es.sort_by(|a, b| {
            key_order(&a.0.nodes[0], &b.0.nodes[0]).unwrap_or(std::cmp::Ordering::Equal)
        });
        es.dedup_by(|b, a| a.0 == b.0);
        let len = u32::try_from(es.len()).map_err(|_| ValueError::Malformed("map too large"))?;
        let mut nodes = vec![Node::Map { len }];
        for (k, v) in es {
            nodes.extend(k.nodes);
            nodes.extend(v.nodes);
        }
        Value::from_nodes(nodes)
    }

    /// For a map value: its entries in ascending key order (copied).
    pub fn as_map(&self) -> Option<Vec<(Value, Value)>> {
        let Some(Node::Map { len }) = self.nodes.first() else {
            return None;
        };
        let mut out = Vec::new();
        let mut i = 1;
        for _ in 0..*len {
            let k = subtree_end(&self.nodes, i)?;
            let v = subtree_end(&self.nodes, k)?;
            out.push((
                Value {
                    nodes: self.nodes[i..k].to_vec(),
                },
                Value {
                    nodes: self.nodes[k..v].to_vec(),
                },
            ));
            i = v;
        }
        Some(out)
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
            need += n.children();
        }
        if need != 0 {
            return Err(ValueError::Malformed("value is missing fields"));
        }
        check_maps(&nodes)?;
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
                Node::Map { len } => {
                    out.push(6);
                    write_uleb(out, u128::from(*len));
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
                6 => {
                    let len = r.u32()?;
                    // Every entry takes at least two bytes.
                    if u64::from(len) * 2 > r.remaining() as u64 {
                        return Err(DecodeError::UnexpectedEnd { offset: r.pos() });
                    }
                    need += 2 * u64::from(len);
                    Node::Map { len }
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
        check_maps(&nodes).map_err(|_| DecodeError::BadTag {
            what: "map (keys must be Int or Bytes, strictly ascending)",
            value: 6,
            offset: r.pos(),
        })?;
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
                        .filter(|a| a.kind != crate::types::AdtKind::Map)
                        .and_then(|a| a.variants.get(*tag as usize))
                        .ok_or_else(|| bad(t))?;
                    if var.fields.len() != *arity as usize {
                        return Err(bad(t));
                    }
                    expect.extend(var.fields.iter().rev().map(|f| f.ty));
                }
                (Node::Map { len }, Ty::Adt(i)) => {
                    let (k, v) = crate::types::map_types(t, adts).ok_or_else(|| bad(Ty::Adt(i)))?;
                    for _ in 0..*len {
                        expect.push(v);
                        expect.push(k);
                    }
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
pub(crate) fn subtree_end(nodes: &[Node], start: usize) -> Option<usize> {
    let mut need: u64 = 1;
    let mut i = start;
    while need > 0 {
        need -= 1;
        need += nodes.get(i)?.children();
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
