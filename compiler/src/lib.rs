//! The Tally compiler: source text to checked program (and, later, bytecode).
//!
//! Architecture invariant: this crate does no I/O. It works on a salsa
//! database of source texts ([`db`]); only `main.rs` (the `tally` command) and
//! the language server touch files, terminals and sockets.

pub mod bounds;
pub mod codegen;
pub mod db;
pub mod diagnostic;
pub mod exhaustive;
pub mod format;
pub mod line_index;
pub mod project;
pub mod property;
pub mod render;
pub mod span;
pub mod stdlib;
pub mod syntax;
pub mod totality;
pub mod types;
