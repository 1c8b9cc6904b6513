//! `tally new NAME`: a project that checks, builds and tests as it is.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `tally new`.
#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The project's folder, also its name (its last component; `-` becomes `_` in module names).
    path: PathBuf,
}

const MANIFEST: &str = r#"[package]
name = "{name}"
version = "0.1.0"
# The contracts (modules built to bytecode by `tally build`) are the files
# under src/contracts/; to choose them, list them:
# contracts = ["src/contracts/{module}.tly"]

[dependencies]
# Another Tally project, its modules imported as `util::...`:
# util = { path = "../util" }
"#;

const LEDGER: &str = r#"// A library module: other modules import its `pub` items with
// `use ledger::{Account, credit}`.

/// One account of a ledger.
pub struct Account { owner: Bytes, balance: Int }

/// The balance of `owner`, 0 if it has no account.
pub fn balance_of(accounts: List<Account>, owner: Bytes) -> Int {
  match accounts {
    [] => 0,
    [a, ..rest] => if a.owner == owner { a.balance } else { balance_of(rest, owner) },
  }
}

/// `accounts` with `amount` added to the balance of `owner` (a new account if it has none).
pub fn credit(accounts: List<Account>, owner: Bytes, amount: Int) -> List<Account> {
  match accounts {
    [] => [Account { owner: owner, balance: amount }],
    [a, ..rest] =>
      if a.owner == owner { [Account { balance: a.balance + amount, ..a }, ..rest] }
      else { [a, ..credit(rest, owner, amount)] },
  }
}

test credit_opens_an_account() { balance_of(credit([], #"aa", 5), #"aa") == 5 }
"#;

const CONTRACT: &str = r#"// The {name} contract: each `pub fn` is an entry point of its bytecode module.
use ledger::{Account, balance_of, credit}

/// Why a transfer is refused.
pub enum Error { InvalidAmount, InsufficientFunds }

/// Moves `amount` from `from` to `to`.
pub fn transfer(accounts: List<Account>, from: Bytes, to: Bytes, amount: Int) -> Result<List<Account>, Error> {
  if amount <= 0 { Err(InvalidAmount) }
  else if balance_of(accounts, from) < amount { Err(InsufficientFunds) }
  else { Ok(credit(credit(accounts, from, -amount), to, amount)) }
}

test transfer_moves_funds() {
  match transfer([Account { owner: #"aa", balance: 10 }], #"aa", #"bb", 4) {
    Ok(after) => balance_of(after, #"aa") == 6 && balance_of(after, #"bb") == 4,
    Err(_) => false,
  }
}

test overdraft_is_refused() {
  match transfer([Account { owner: #"aa", balance: 10 }], #"aa", #"bb", 11) {
    Err(InsufficientFunds) => true,
    _ => false,
  }
}
"#;

const README: &str = r#"# {name}

A Tally project.

```sh
tally check          # every module: syntax, types, exhaustiveness, termination, bounds
tally test           # the `test` blocks
tally build          # target/{module}.tbc and target/{module}.interface.json
tally gas            # the gas and memory bound of each entry point
tally run --entry transfer --arg '[Account { owner: #"aa", balance: 10 }]' --arg '#"aa"' --arg '#"bb"' --arg 4
```

- `src/ledger.tly` is the module `ledger`, a library;
- `src/contracts/{module}.tly` is the contract `{module}` (module `contracts::{module}`).
"#;

const GITIGNORE: &str = "/target/\n";

/// Creates the project; exit code 2 if the folder exists or cannot be written.
pub fn run(args: NewArgs) -> ExitCode {
    let Some(name) = args
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        eprintln!("error: `{}` does not name a folder", args.path.display());
        return ExitCode::from(2);
    };
    let module = name.replace('-', "_");
    let valid = module
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        && module
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        eprintln!(
            "error: `{name}` is not a project name: use lowercase letters, digits, `_` and `-`, \
             starting with a letter"
        );
        return ExitCode::from(2);
    }
    if args.path.exists() {
        eprintln!("error: {} already exists", args.path.display());
        return ExitCode::from(2);
    }
    let fill = |text: &str| text.replace("{name}", &name).replace("{module}", &module);
    let canonical = |text: String| tally::format::format(&text).unwrap_or(text);
    let files = [
        ("tally.toml".to_string(), fill(MANIFEST)),
        ("README.md".to_string(), fill(README)),
        (".gitignore".to_string(), GITIGNORE.to_string()),
        ("src/ledger.tly".to_string(), canonical(LEDGER.to_string())),
        (
            format!("src/contracts/{module}.tly"),
            canonical(fill(CONTRACT)),
        ),
    ];
    for (relative, text) in &files {
        let path = args.path.join(relative);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(error) = written {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    eprintln!(
        "created project `{name}` in {} (contract src/contracts/{module}.tly, library src/ledger.tly)",
        args.path.display()
    );
    ExitCode::SUCCESS
}
