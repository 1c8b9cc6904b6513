//! Match exhaustiveness and reachability (to be written: issue 2, item 5).
