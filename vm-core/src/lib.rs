//! vm-core: the Tally bytecode format, verifier and evaluator (see issue 3).
