//! Canonical binary encoding of a [`Bound`].
//!
//! ```text
//! bound := uleb(32) count (≤ MAX_POLYS), poly*        (canonical order)
//! poly  := uleb(32) count (≥ 1), term*                 (monomials strictly increasing)
//! term  := uleb(128) coefficient (≥ 1),
//!          uleb(32) n, (uleb(16) var, uleb(32) degree ≥ 1)^n      (vars strictly increasing)
//!          uleb(32) m, (uleb(16) var, uleb(128) base ≥ 2)^m        (vars strictly increasing)
//!          uleb(32) l, (uleb(16) var, uleb(32) degree ≥ 1)^l      (log2(var + 1)^degree, vars strictly increasing)
//! ```
//!
//! Decoding rejects anything `encode` would not produce: overlong integers,
//! unsorted or duplicate entries, zero coefficients, polynomials that are
//! dominated or out of order, and trailing bytes.

use std::collections::BTreeMap;

use super::expr::{Bound, MAX_POLYS, Mono, Poly};
use crate::error::DecodeError;
use crate::leb::{Reader, write_uleb};

/// Appends the canonical encoding of `b`.
pub fn encode(b: &Bound, out: &mut Vec<u8>) {
    write_uleb(out, b.polys.len() as u128);
    for p in &b.polys {
        write_uleb(out, p.terms.len() as u128);
        for (m, &c) in &p.terms {
            write_uleb(out, c);
            write_uleb(out, m.vars.len() as u128);
            for &(v, d) in &m.vars {
                write_uleb(out, u128::from(v));
                write_uleb(out, u128::from(d));
            }
            write_uleb(out, m.exps.len() as u128);
            for &(v, base) in &m.exps {
                write_uleb(out, u128::from(v));
                write_uleb(out, base);
            }
            write_uleb(out, m.logs.len() as u128);
            for &(v, d) in &m.logs {
                write_uleb(out, u128::from(v));
                write_uleb(out, u128::from(d));
            }
        }
    }
}

/// The canonical encoding of `b` as a fresh vector.
pub fn to_bytes(b: &Bound) -> Vec<u8> {
    let mut out = Vec::new();
    encode(b, &mut out);
    out
}

fn bad(what: &'static str, r: &Reader<'_>) -> DecodeError {
    DecodeError::BadTag {
        what,
        value: 0,
        offset: r.pos(),
    }
}

fn var(r: &mut Reader<'_>) -> Result<u16, DecodeError> {
    let at = r.pos();
    u16::try_from(r.uleb(16)?).map_err(|_| DecodeError::IntegerTooLarge { offset: at })
}

/// Decodes one bound from the start of `r`.
pub fn decode(r: &mut Reader<'_>) -> Result<Bound, DecodeError> {
    let np = r.count(MAX_POLYS as u32, "bound polynomial count")?;
    let mut polys = Vec::new();
    for _ in 0..np {
        let nt = r.count(u32::MAX, "bound term count")?;
        if nt == 0 {
            return Err(bad("empty polynomial in bound", r));
        }
        let mut terms = BTreeMap::new();
        let mut last: Option<Mono> = None;
        for _ in 0..nt {
            let c = r.uleb(128)?;
            if c == 0 {
                return Err(bad("zero coefficient in bound", r));
            }
            let nv = r.count(u32::from(u16::MAX), "bound variable count")?;
            let mut vars: Vec<(u16, u32)> = Vec::new();
            for _ in 0..nv {
                let v = var(r)?;
                let d = r.u32()?;
                if d == 0 || vars.last().is_some_and(|l| l.0 >= v) {
                    return Err(bad("non-canonical monomial in bound", r));
                }
                vars.push((v, d));
            }
            let ne = r.count(u32::from(u16::MAX), "bound exponential count")?;
            let mut exps: Vec<(u16, u128)> = Vec::new();
            for _ in 0..ne {
                let v = var(r)?;
                let b = r.uleb(128)?;
                if b < 2 || exps.last().is_some_and(|l| l.0 >= v) {
                    return Err(bad("non-canonical exponential in bound", r));
                }
                exps.push((v, b));
            }
            let nl = r.count(u32::from(u16::MAX), "bound logarithm count")?;
            let mut logs: Vec<(u16, u32)> = Vec::new();
            for _ in 0..nl {
                let v = var(r)?;
                let d = r.u32()?;
                if d == 0 || logs.last().is_some_and(|l| l.0 >= v) {
                    return Err(bad("non-canonical logarithm in bound", r));
                }
                logs.push((v, d));
            }
            let m = Mono { vars, exps, logs };
            if last.as_ref().is_some_and(|l| *l >= m) {
                return Err(bad("unsorted terms in bound", r));
            }
            last = Some(m.clone());
            terms.insert(m, c);
        }
        polys.push(Poly { terms });
    }
    let b = Bound {
        polys: polys.into(),
    };
    if Bound::from_polys(b.polys.to_vec()) != b {
        return Err(bad("non-canonical max in bound", r));
    }
    Ok(b)
}

/// Decodes exactly one bound from `bytes` (no trailing bytes).
pub fn from_bytes(bytes: &[u8]) -> Result<Bound, DecodeError> {
    let mut r = Reader::new(bytes);
    let b = decode(&mut r)?;
    if !r.is_empty() {
        return Err(DecodeError::TrailingBytes {
            offset: r.pos(),
            count: bytes.len() - r.pos(),
        });
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let x = Bound::var(0);
        let y = Bound::var(1);
        let b = x
            .mul(&x)
            .scale(6)
            .add(&y.exp(2))
            .add(&Bound::log_var(1).mul(&x).scale(5))
            .join(&y.scale(9))
            .add_const(3);
        let bytes = to_bytes(&b);
        assert_eq!(from_bytes(&bytes), Ok(b.clone()));
        // Trailing byte.
        let mut t = bytes.clone();
        t.push(0);
        assert!(from_bytes(&t).is_err());
        // Zero coefficient: `1 poly, 1 term, coeff 0`.
        assert!(from_bytes(&[1, 1, 0, 0, 0, 0]).is_err());
        // A logarithm of degree 0.
        assert!(from_bytes(&[1, 1, 1, 0, 0, 1, 0, 0]).is_err());
        // `log2(x0 + 1)` alone.
        assert_eq!(from_bytes(&[1, 1, 1, 0, 0, 1, 0, 1]), Ok(Bound::log_var(0)));
        // Overlong count.
        assert!(from_bytes(&[0x80, 0x00]).is_err());
        // Two equal polys are not canonical.
        assert!(from_bytes(&[2, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0]).is_err());
        assert_eq!(from_bytes(&[0]), Ok(Bound::zero()));
    }
}
