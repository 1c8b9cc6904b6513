//! The `tally` command. This binary is the only part of the compiler that
//! touches files and the terminal; everything else works on the database.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
