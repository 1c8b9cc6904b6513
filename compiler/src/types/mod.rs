//! Name resolution and type inference (to be written: issue 2, item 5).

use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;

/// Everything the type checker learned about a module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypedModule {
    /// Name, type and exhaustiveness diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves names and infers the types of one module.
#[salsa::tracked(returns(ref))]
pub fn infer(db: &dyn Db, file: SourceFile) -> TypedModule {
    let _ = crate::db::parse(db, file);
    TypedModule::default()
}
