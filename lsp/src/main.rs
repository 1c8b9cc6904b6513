//! tally-lsp: the Tally language server (see issue 5).

fn main() {
    eprintln!("tally-lsp: not implemented yet (issue 5)");
    std::process::exit(2);
}
