//! Where `tally run` and `tally gas` take arguments from besides `--arg`:
//! a file of literals (`--args-file`), or the canonical encoding
//! (`--args-hex`, `lang-spec/bytecode.md` §8), each from a file or standard
//! input, so arguments too large for one command line can be passed.

use std::io::Read;
use std::path::PathBuf;

use vm_core::Value;
use vm_core::internals::VerifiedModule;

use super::run::{Signature, parse_args};

/// The argument options shared by `run` and `gas`.
#[derive(clap::Args, Debug, Default)]
pub struct ArgSources {
    /// Read the arguments from FILE (`-`: standard input): one Tally literal per line (blank
    /// lines and `//` lines skipped), or, for a `.json` file, a JSON array of literals.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["args", "args_hex"])]
    args_file: Option<PathBuf>,
    /// The arguments in their canonical encoding, as hex: an argument count then the values
    /// (bytecode.md §8); `@FILE` reads the hex from FILE, `-` from standard input.
    #[arg(long, value_name = "HEX", conflicts_with_all = ["args"], allow_hyphen_values = true)]
    args_hex: Option<String>,
}

/// The arguments as given.
pub enum Given {
    /// Tally literals, one per parameter.
    Literals(Vec<String>),
    /// Decoded canonical encoding.
    Encoded(Vec<Value>),
}

impl ArgSources {
    /// Whether any arguments come from these options.
    pub fn any(&self) -> bool {
        self.args_file.is_some() || self.args_hex.is_some()
    }

    /// Reads the arguments: from `--args-file` or `--args-hex`, else the `--arg` literals.
    pub fn read(&self, literals: &[String]) -> Result<Given, String> {
        if let Some(path) = &self.args_file {
            let text = read_text(path.to_string_lossy().as_ref())?;
            let is_json = path.extension().is_some_and(|e| e == "json");
            return literals_of(&text, is_json).map(Given::Literals);
        }
        if let Some(hex) = &self.args_hex {
            let text = match hex.strip_prefix('@') {
                Some(path) => read_text(path)?,
                None if hex == "-" => read_text("-")?,
                None => hex.clone(),
            };
            let bytes = unhex(text.trim())?;
            let values = vm_core::internals::value::decode_args(&bytes)
                .map_err(|e| format!("--args-hex is not a canonical argument list: {e}"))?;
            return Ok(Given::Encoded(values));
        }
        Ok(Given::Literals(literals.to_vec()))
    }
}

impl Given {
    /// The values for an entry point with `signature`.
    pub fn values(
        &self,
        module: &VerifiedModule,
        signature: &Signature,
    ) -> Result<Vec<Value>, String> {
        match self {
            Given::Literals(literals) => parse_args(module, signature, literals),
            Given::Encoded(values) => {
                if values.len() != signature.params.len() {
                    return Err(format!(
                        "the entry point takes {} but the encoding has {} ({})",
                        super::output::count(signature.params.len(), "argument"),
                        values.len(),
                        super::run::param_types(module, signature)
                    ));
                }
                Ok(values.clone())
            }
        }
    }
}

/// The text of `path`, or of standard input for `-`.
fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// The literals of an arguments file.
fn literals_of(text: &str, is_json: bool) -> Result<Vec<String>, String> {
    if is_json {
        let items: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| format!("the arguments file is not a JSON array: {e}"))?;
        return items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                serde_json::Value::String(s) => Ok(s),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                serde_json::Value::Bool(b) => Ok(b.to_string()),
                other => Err(format!(
                    "argument {} of the JSON array is {other}: give each argument as a string \
                     holding a Tally literal",
                    i + 1
                )),
            })
            .collect();
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .map(str::to_string)
        .collect())
}

/// Bytes from hex digits (white space allowed between them).
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err("--args-hex has an odd number of hex digits".to_string());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).unwrap_or("??");
            u8::from_str_radix(text, 16).map_err(|_| format!("--args-hex: `{text}` is not hex"))
        })
        .collect()
}
