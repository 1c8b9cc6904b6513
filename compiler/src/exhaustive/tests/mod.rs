//! Tests of the exhaustiveness checker over a toy type universe.

mod cases;
mod props;
mod toy;
