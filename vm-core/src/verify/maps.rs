//! Verification and lowering of the `map.*` instructions: a map register
//! holds a value of a map type (`AdtKind::Map`), keys and values have the
//! map's key and value types, and the Option and list types named by `get`
//! and `to_list`/`from_list` have the shapes those instructions build.

use super::flow::{Ctx, PLAIN, State};
use crate::error::{VerifyError, VerifyErrorKind};
use crate::isa::{AdtId, Instr, Reg};
use crate::program::{MapKind, Op};
use crate::types::{AdtKind, Ty, map_types, type_name};

impl Ctx<'_> {
    /// The key and value types of map register `r` (read, initialised).
    fn map_reg(&self, st: &State, r: Reg) -> Result<(Ty, Ty, Ty), VerifyError> {
        let t = self.read(st, r, None)?;
        match map_types(t, &self.m.adts) {
            Some((k, v)) => Ok((t, k, v)),
            None => Err(self.err(VerifyErrorKind::TypeMismatch {
                reg: r.0,
                found: type_name(t, &self.m.adts),
                expected: "a map".into(),
            })),
        }
    }

    fn bad_type(&self, t: AdtId, what: &str) -> VerifyError {
        let name = self
            .m
            .adts
            .get(t.0 as usize)
            .map_or_else(|| format!("t{}", t.0), |a| a.name.clone());
        self.err(VerifyErrorKind::BadConstructor(format!(
            "`{name}` is not {what}"
        )))
    }

    /// The (key, value) types of a list type `t` of 2-tuples.
    fn pair_list(&self, t: Ty) -> Option<(Ty, Ty)> {
        let Ty::Adt(i) = t else { return None };
        let list = self.m.adts.get(i as usize)?;
        if list.kind != AdtKind::List {
            return None;
        }
        let Ty::Adt(e) = list.variants.get(1)?.fields.first()?.ty else {
            return None;
        };
        let tuple = self.m.adts.get(e as usize)?;
        match (tuple.kind, tuple.variants.as_slice()) {
            (AdtKind::Tuple, [v]) => match v.fields.as_slice() {
                [k, x] => Some((k.ty, x.ty)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Checks one `map.*` instruction and lowers it.
    pub(super) fn map_instr(&self, st: &mut State, ins: &Instr) -> Result<Op, VerifyError> {
        let r16 = |r: &Reg| r.0 as u16;
        let op = |d: u16, kind, a: &Reg, b: &Reg, c: &Reg, key: Ty| Op::Map {
            d,
            kind,
            a: r16(a),
            b: r16(b),
            c: r16(c),
            key_bytes: key == Ty::Bytes,
        };
        Ok(match ins {
            Instr::MapEmpty { d, t } => {
                let ty = Ty::Adt(t.0);
                let Some((k, _)) = map_types(ty, &self.m.adts) else {
                    return Err(self.bad_type(*t, "a map type"));
                };
                let dr = self.write(st, *d, ty, PLAIN)?;
                op(dr, MapKind::Empty, d, d, d, k)
            }
            Instr::MapGet { d, m, k, t } => {
                let (_, kt, vt) = self.map_reg(st, *m)?;
                self.read(st, *k, Some(kt))?;
                let opt = self.m.adts.get(t.0 as usize);
                let ok = opt.is_some_and(|a| {
                    a.kind == AdtKind::Enum
                        && matches!(a.variants.as_slice(), [none, some]
                            if none.fields.is_empty()
                            && matches!(some.fields.as_slice(), [f] if f.ty == vt))
                });
                if !ok {
                    return Err(self.bad_type(*t, "an Option of the map's value type"));
                }
                let dr = self.write(st, *d, Ty::Adt(t.0), PLAIN)?;
                op(dr, MapKind::Get, m, k, k, kt)
            }
            Instr::MapContains { d, m, k } => {
                let (_, kt, _) = self.map_reg(st, *m)?;
                self.read(st, *k, Some(kt))?;
                let dr = self.write(st, *d, Ty::Bool, PLAIN)?;
                op(dr, MapKind::Contains, m, k, k, kt)
            }
            Instr::MapInsert { d, m, k, v } => {
                let (mt, kt, vt) = self.map_reg(st, *m)?;
                self.read(st, *k, Some(kt))?;
                self.read(st, *v, Some(vt))?;
                let dr = self.write(st, *d, mt, PLAIN)?;
                op(dr, MapKind::Insert, m, k, v, kt)
            }
            Instr::MapRemove { d, m, k } => {
                let (mt, kt, _) = self.map_reg(st, *m)?;
                self.read(st, *k, Some(kt))?;
                let dr = self.write(st, *d, mt, PLAIN)?;
                op(dr, MapKind::Remove, m, k, k, kt)
            }
            Instr::MapSize { d, m } => {
                let (_, kt, _) = self.map_reg(st, *m)?;
                let dr = self.write(st, *d, Ty::Int, PLAIN)?;
                op(dr, MapKind::Size, m, m, m, kt)
            }
            Instr::MapToList { d, m, t } => {
                let (_, kt, vt) = self.map_reg(st, *m)?;
                if self.pair_list(Ty::Adt(t.0)) != Some((kt, vt)) {
                    return Err(self.bad_type(*t, "a list of the map's (key, value) tuples"));
                }
                let dr = self.write(st, *d, Ty::Adt(t.0), PLAIN)?;
                op(dr, MapKind::ToList, m, m, m, kt)
            }
            Instr::MapFromList { d, l, t } => {
                let mt = Ty::Adt(t.0);
                let Some((kt, vt)) = map_types(mt, &self.m.adts) else {
                    return Err(self.bad_type(*t, "a map type"));
                };
                let lt = self.read(st, *l, None)?;
                if self.pair_list(lt) != Some((kt, vt)) {
                    return Err(self.err(VerifyErrorKind::TypeMismatch {
                        reg: l.0,
                        found: type_name(lt, &self.m.adts),
                        expected: "a list of the map's (key, value) tuples".into(),
                    }));
                }
                let dr = self.write(st, *d, mt, PLAIN)?;
                op(dr, MapKind::FromList, l, l, l, kt)
            }
            _ => return Err(self.bad_type(AdtId(u32::MAX), "a map instruction")),
        })
    }
}
