//! The ways out of a call: `fail(reason)` becomes the `fail` instruction,
//! and `e?` a `switch` whose `Err`/`None` side returns early (`ret`) with
//! the function's own `Err(e)`/`None`.

use vm_core::format::{Instr, Reg};

use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::Ty;

use super::diag::{self, CgError};
use super::func::FnCx;

impl FnCx<'_, '_> {
    /// `fail(reason)`: traps. The register returned is never written (no
    /// instruction after the `fail` runs); it only has the expression's type.
    pub fn fail(&mut self, e: ExprId, reason: ExprId, hint: Option<Reg>) -> Result<Reg, CgError> {
        let Some(bytes) = self.const_bytes(reason) else {
            return Err(self.internal("a `fail` reason that is not a constant"));
        };
        if bytes.len() > vm_core::format::limits::MAX_CONST_BYTES as usize {
            return Err(diag::limit(
                "a `fail` reason is longer than 1 MiB",
                self.span,
            ));
        }
        let k = self.cg.mb.constant(vm_core::format::Const::Bytes(bytes));
        self.emit(Instr::Fail { k });
        match hint {
            Some(r) => Ok(r),
            None => {
                let ty = self.expr_ty(e);
                self.temp(&ty)
            }
        }
    }

    /// The `Bytes` value of a constant expression (a literal or a `const`).
    pub fn const_bytes(&self, e: ExprId) -> Option<Vec<u8>> {
        match &self.module.exprs.get(e.index())?.kind {
            ExprKind::Bytes(b) => Some(b.clone()),
            ExprKind::Path(_) => match self.typed.resolution(e) {
                Some(crate::types::Resolution::Const(item)) => {
                    match crate::types::consts::const_value(self.db, item)? {
                        crate::types::consts::ConstValue::Bytes(b) => Some(b.clone()),
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `operand?`: the payload of `Ok`/`Some`; on `Err(x)`/`None` the
    /// function returns `Err(x)`/`None` of its own result type.
    pub fn try_value(
        &mut self,
        e: ExprId,
        operand: ExprId,
        hint: Option<Reg>,
    ) -> Result<Reg, CgError> {
        let scrutinee_ty = self.expr_ty(operand);
        let (ok_name, out_name) = match &scrutinee_ty {
            Ty::Adt { name, .. } if name == "Result" => ("Ok", "Err"),
            Ty::Adt { name, .. } if name == "Option" => ("Some", "None"),
            _ => return Err(self.internal("`?` on a value that is not a Result or Option")),
        };
        let result_ty = super::func::unit_sig(self.db, &self.key)?.result;
        let ok = self.variant_index(&scrutinee_ty, ok_name)?;
        let out_in_operand = self.variant_index(&scrutinee_ty, out_name)?;
        let out_in_result = self.variant_index(&result_ty, out_name)?;
        let r = self.value(operand)?;
        let labels = [self.label(), self.label()];
        let (ok_label, out_label) = if ok == 0 {
            (labels[0], labels[1])
        } else {
            (labels[1], labels[0])
        };
        debug_assert_ne!(ok, out_in_operand);
        self.switch(r, &labels);
        self.bind(out_label);
        let mut fields = Vec::new();
        if out_name == "Err" {
            let err_ty = match &scrutinee_ty {
                Ty::Adt { args, .. } => args.get(1).cloned().unwrap_or(Ty::Unit),
                _ => Ty::Unit,
            };
            let x = self.reg(&err_ty)?;
            self.emit(Instr::Field { d: x, s: r, i: 0 });
            fields.push(x);
        }
        let t = self.adt(&result_ty)?;
        let out = self.reg(&result_ty)?;
        self.emit(Instr::Con {
            d: out,
            t,
            v: out_in_result,
            fields,
        });
        self.emit(Instr::Ret { a: out });
        self.bind(ok_label);
        let d = match hint {
            Some(d) => d,
            None => {
                let ty = self.expr_ty(e);
                self.temp(&ty)?
            }
        };
        self.emit(Instr::Field { d, s: r, i: 0 });
        self.release(r);
        Ok(d)
    }

    /// The index of the variant `name` of the enum type `ty`.
    fn variant_index(&self, ty: &Ty, name: &str) -> Result<u32, CgError> {
        let Ty::Adt { item, .. } = ty else {
            return Err(self.internal("a variant of a type that is not an enum"));
        };
        let sigs = crate::types::signatures::signatures(self.db, item.file);
        sigs.enumeration(item.index)
            .and_then(|e| e.variants.iter().position(|v| v.name == name))
            .map(|i| i as u32)
            .ok_or_else(|| self.internal(format!("an enum without a `{name}` variant")))
    }
}
