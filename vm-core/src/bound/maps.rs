//! Bounds of the `map.*` instructions (`lang-spec/bounds.md` §4): gas per
//! level is charged on `log2(|m| + 1)`, which is at least the number of
//! levels `⌈log2(n + 1)⌉` of a map of `n <= |m|` entries; the memory of
//! `insert` and `remove` covers the path copies of an AVL tree, whose
//! height is at most `1.4405·log2(n + 2) − 0.3277 <= 1.45·L + 1.12` with
//! `L = log2(|m| + 1)`.

use super::expr::Bound;
use super::pass::{Fact, State, field_size, plain, reg};
use crate::isa::{Instr, Opcode, Reg, Size};
use crate::mapops::{
    GAS_MAP_BUILD_ELEMENT, GAS_MAP_BUILD_ENTRY, GAS_MAP_ENTRY, GAS_MAP_KEY_WORD_LEVEL,
    GAS_MAP_READ_LEVEL, GAS_MAP_WRITE_LEVEL, NODE_SLOTS,
};
use crate::module::Module;
use crate::types::{Ty, map_types};

/// Bytes of one tree node.
const NODE_BYTES: u128 = NODE_SLOTS as u128 * super::pass::SLOT_BYTES;

/// The gas (besides the base already charged), memory and result of one
/// `map.*` instruction; returns the destination and its fact.
pub(super) fn step(m: &Module, ins: &Instr, st: &mut State, ty: &dyn Fn(Reg) -> Ty) -> (Reg, Fact) {
    let size = |st: &State, r: Reg| reg(st, r).size;
    let taint = |st: &State, rs: &[Reg]| rs.iter().find_map(|r| reg(st, *r).taint);
    // The key's words for a Bytes key; 0 for an Int key.
    let key_words = |st: &State, k: Reg| match ty(k) {
        Ty::Bytes => size(st, k).scale(u128::from(GAS_MAP_KEY_WORD_LEVEL)),
        _ => Bound::zero(),
    };
    let (d, out, used): (Reg, Bound, Vec<Reg>) = match ins {
        Instr::MapEmpty { d, .. } => (*d, Bound::constant(1), vec![]),
        Instr::MapSize { d, m } => (*d, size(st, *m), vec![*m]),
        Instr::MapGet { d, m: mr, k, .. } | Instr::MapContains { d, m: mr, k } => {
            let ms = size(st, *mr);
            let per = key_words(st, *k).add_const(u128::from(GAS_MAP_READ_LEVEL));
            st.gas = st.gas.add(&per.mul(&ms.log2()));
            let out = if let Instr::MapGet { .. } = ins {
                st.mem.add_const_in_place(super::pass::SLOT_BYTES);
                let vt = map_types(ty(*mr), &m.adts).map_or(Ty::Unit, |x| x.1);
                field_size(vt, &ms).add_const(1)
            } else {
                Bound::zero()
            };
            (*d, out, vec![*mr, *k])
        }
        Instr::MapInsert { d, m: mr, k, .. } | Instr::MapRemove { d, m: mr, k } => {
            let ms = size(st, *mr);
            let l = ms.log2();
            let per = key_words(st, *k).add_const(u128::from(GAS_MAP_WRITE_LEVEL));
            st.gas = st.gas.add(&per.mul(&l));
            let (out, mem) = if let Instr::MapInsert { v, .. } = ins {
                // At most H + 3 <= 1.5·L + 5 nodes; the result holds k and v.
                let out = ms
                    .add(&field_size(ty(*k), &size(st, *k)))
                    .add(&field_size(ty(*v), &size(st, *v)))
                    .add_const(1);
                (out, l.scale(3 * NODE_BYTES / 2).add_const(5 * NODE_BYTES))
            } else {
                // At most 3 nodes per level: 3·H <= 4.5·L + 4.
                (ms, l.scale(9 * NODE_BYTES / 2).add_const(4 * NODE_BYTES))
            };
            st.mem = st.mem.add(&mem);
            let mut used = vec![*mr, *k];
            if let Instr::MapInsert { v, .. } = ins {
                used.push(*v);
            }
            (*d, out, used)
        }
        Instr::MapToList { d, m: mr, .. } => {
            // n entries, n < |m|: two 2-slot cells each; the list measures
            // 1 + 2n + Σ(|k| + |v|) <= 2·|m|.
            let ms = size(st, *mr);
            st.gas = st.gas.add(&ms.scale(u128::from(GAS_MAP_ENTRY)));
            st.mem = st.mem.add(&ms.scale(4 * super::pass::SLOT_BYTES));
            (*d, ms.scale(2), vec![*mr])
        }
        Instr::MapFromList { d, l, .. } => {
            // n elements with |l| >= 1 + 2n + Σ words(k), and at most n
            // distinct keys: (per element + per entry)·n is at most half
            // that per |l|; the level terms, c·⌈n·levels / p⌉ + Σ words·levels
            // with ⌈x / p⌉ <= x, at most max(⌈c / 2⌉, per word)·|l|·log2(|l| + 1).
            let ls = size(st, *l);
            let per_entry = u128::from(GAS_MAP_BUILD_ELEMENT + GAS_MAP_BUILD_ENTRY).div_ceil(2);
            let per_element_level = Opcode::MapFromList.cost(Size::ElementLevels, 1);
            let per_level = u128::from(per_element_level.div_ceil(2).max(GAS_MAP_KEY_WORD_LEVEL));
            st.gas = st
                .gas
                .add(&ls.scale(per_entry))
                .add(&ls.mul(&ls.log2()).scale(per_level));
            st.mem = st.mem.add(&ls.scale(NODE_BYTES / 2));
            (*d, ls, vec![*l])
        }
        _ => return (Reg(0), plain(Bound::top())),
    };
    let mut fact = plain(out);
    fact.taint = taint(st, &used);
    // An updated map is the field it was read from plus what the update
    // added ([`super::pass::Share`]): a state struct rebuilt with one map
    // updated measures at most the old struct plus that, not twice it.
    let (updated, added) = match ins {
        Instr::MapInsert { m: mr, k, v, .. } => (
            Some(*mr),
            field_size(ty(*k), &size(st, *k))
                .add(&field_size(ty(*v), &size(st, *v)))
                .add_const(1),
        ),
        Instr::MapRemove { m: mr, .. } => (Some(*mr), Bound::zero()),
        _ => (None, Bound::zero()),
    };
    if let Some(mr) = updated
        && let Some(mut share) = super::pass::share_of(&reg(st, mr))
    {
        share.extra = share.extra.add(&added);
        fact.share = Some(Box::new(share));
    }
    (d, fact)
}
