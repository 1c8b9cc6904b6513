//! The Tally compiler.
