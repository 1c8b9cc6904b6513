//! Choosing the instance of a generic entry point from the literal arguments
//! of a call: `tally run lists.tly --entry length --arg '[1, 2]'` runs
//! `length<Int>`.
//!
//! The arguments are Tally expressions, so the type checker itself infers
//! the type arguments: a probe function calling the entry point with the
//! literals is appended to the file, the file is checked, the instance of the
//! call is read off, and the text is restored. Appending keeps every item's
//! index, so the types found refer to the same items the compiler sees.

use tally::db::{self, Database, SourceFile};
use tally::syntax::ast::ExprId;
use tally::types::{self, ItemSig, Ty, signatures::signatures};

/// The type arguments at which `entry` is called with `args`; `None` if
/// `entry` is not a generic `pub fn` of `file` (or the file has errors,
/// which compiling reports); an error message if the arguments do not fit.
pub fn infer(
    db: &mut Database,
    file: SourceFile,
    entry: &str,
    args: &[String],
) -> Result<Option<Vec<Ty>>, String> {
    let generic = signatures(db, file).items.iter().any(|item| {
        matches!(item, ItemSig::Fn(f) if f.name == entry && f.is_pub && !f.generics.is_empty())
    });
    if !generic || db::front_end(db, file).iter().any(|d| d.is_error()) {
        return Ok(None);
    }
    let original = file.text(db).clone();
    let prefix = format!("{original}\nfn __tally_entry_probe() -> () {{\n    let _ = ");
    let callee_offset = prefix.len();
    let probe = format!("{prefix}{entry}({});\n    ()\n}}\n", args.join(", "));
    salsa::Setter::to(file.set_text(db), probe);

    let outcome = read_instance(db, file, original.len(), callee_offset, entry);
    salsa::Setter::to(file.set_text(db), original);
    outcome.map(Some)
}

fn read_instance(
    db: &Database,
    file: SourceFile,
    original_len: usize,
    callee_offset: usize,
    entry: &str,
) -> Result<Vec<Ty>, String> {
    let problems: Vec<String> = db::front_end(db, file)
        .iter()
        .filter(|d| d.is_error() && d.primary.span.start as usize >= original_len)
        .map(|d| d.message.clone())
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the arguments do not fit `{entry}`: {}",
            problems.join("; ")
        ));
    }
    let module = &db::parse(db, file).module;
    let typed = types::infer(db, file);
    let callee: Option<ExprId> = u32::try_from(callee_offset)
        .ok()
        .and_then(|offset| types::output::expr_at_offset(module, offset));
    callee
        .and_then(|id| typed.instances.get(&id).cloned())
        .ok_or_else(|| format!("cannot tell at which types to instantiate `{entry}`"))
}
