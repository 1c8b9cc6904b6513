//! The Tally language server.
//!
//! Architecture invariant: no checking logic lives here. The server keeps a
//! [`tally::db::Database`] (the same salsa database the `tally` command uses),
//! feeds it the editor's texts, and translates the compiler's answers into
//! LSP messages, so the editor and `tally check` never disagree.
//!
//! The main thread owns the database and applies edits; requests and
//! diagnostics are computed on worker threads against snapshots of it, and
//! an edit cancels the work on older snapshots (see `workers.rs`).

mod actions;
mod bounds;
mod completion;
mod context;
mod convert;
mod editing;
mod fields;
mod handlers;
mod lenses;
mod navigation;
mod projects;
mod rename;
mod requests;
mod server;
mod snapshot;
mod std_files;
mod tokens;
pub mod transport;
mod workers;

pub use server::{Ending, Options, run, run_with};
pub use workers::{DIAGNOSTICS_JOB, Hook, JobInfo};
