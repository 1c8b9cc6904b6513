//! Recursion shapes the termination checker accepts.

/// Recursion shapes the front end's termination check accepts (the table of
/// `compiler/src/totality/tests.rs`): each must compile to bytecode that the
/// verifier's own size-change check accepts. Every `fn` is made `pub` so that
/// it is compiled.
pub const ACCEPTED_SHAPES: &[(&str, &str)] = include!("../data/recursion_shapes.rs");
