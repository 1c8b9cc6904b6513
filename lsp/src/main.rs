//! `tally-lsp`: the Tally language server, speaking LSP over standard input and output.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: checking allocates many small
/// short-lived values, and under glibc's allocator a long-running server
/// spent about half of a re-check in malloc and free (see the README's
/// language-server figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The server's own framing: `lsp-server`'s stops at a malformed frame.
    let (connection, io_threads) = tally_lsp::transport::stdio();
    let served = tally_lsp::run(&connection);
    drop(connection);
    let joined = io_threads.join();
    match (served, joined) {
        // The protocol: exit code 0 after `shutdown`, 1 without it.
        (Ok(tally_lsp::Ending::Shutdown), Ok(())) => ExitCode::SUCCESS,
        (Ok(tally_lsp::Ending::Abrupt), Ok(())) => ExitCode::from(1),
        (Err(error), _) => {
            eprintln!("tally-lsp: {error}");
            ExitCode::from(2)
        }
        (_, Err(error)) => {
            eprintln!("tally-lsp: {error}");
            ExitCode::from(2)
        }
    }
}
