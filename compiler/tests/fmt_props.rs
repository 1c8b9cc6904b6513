//! `tally fmt` on layout-mutated programs: every example, standard-library
//! module and diagnostic fixture with comments in the gaps between tokens,
//! blank lines, tabs and CRLF line ends. Whatever the layout, formatting is
//! idempotent, keeps every comment, and changes neither the diagnostics nor
//! the results of the tests. With `FMT_DUMP=DIR` set, a text on which
//! formatting is not idempotent is written to `DIR` (mutated, once, twice).

use std::path::PathBuf;

use proptest::prelude::*;
use tally::codegen::{self, Options};
use tally::db::{Database, check_text};
use tally::format::format;
use tally::syntax::lex_spans;

#[path = "support/examples.rs"]
mod examples;

/// Every source the formatter should accept, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    examples::sources_in(&[
        "examples",
        "examples/reject",
        "stdlib",
        "compiler/tests/diagnostics",
    ])
    .into_iter()
    .filter(|(_, text)| format(text).is_ok())
    .collect()
}

/// One change of layout.
#[derive(Debug, Clone, Copy)]
enum Edit {
    /// `// cN` to the end of the line, in a gap.
    TrailingComment,
    /// `// cN` on a line of its own, in a gap.
    OwnLineComment,
    /// An empty line, in a gap.
    BlankLine,
    /// A tab, in a gap.
    Tab,
    /// A line break, in a gap.
    LineBreak,
}

/// The gaps between tokens (byte offsets where white space may go), doc
/// comments counted as tokens.
fn gaps(text: &str) -> Vec<usize> {
    let mut gaps = vec![0];
    gaps.extend(lex_spans(text).iter().map(|(_, span)| span.end as usize));
    gaps.dedup();
    gaps
}

/// `text` with `edits` applied at the gaps they choose (by fraction of the
/// gap count), then with CRLF line ends if `crlf`.
fn mutate(text: &str, edits: &[(u32, Edit)], crlf: bool) -> (String, Vec<String>) {
    let gaps = gaps(text);
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut comments = Vec::new();
    for (k, (at, edit)) in edits.iter().enumerate() {
        let gap = gaps[(*at as usize) % gaps.len()];
        let comment = format!("// c{k} ");
        let insert = match edit {
            Edit::TrailingComment => format!(" {comment}\n"),
            Edit::OwnLineComment => format!("\n{comment}\n"),
            Edit::BlankLine => "\n\n".to_string(),
            Edit::Tab => "\t".to_string(),
            Edit::LineBreak => "\n".to_string(),
        };
        if matches!(edit, Edit::TrailingComment | Edit::OwnLineComment) {
            comments.push(comment.trim_end().to_string());
        }
        inserts.push((gap, insert));
    }
    inserts.sort_by_key(|(gap, _)| *gap);
    let mut out = String::with_capacity(text.len() + inserts.len() * 8);
    let mut from = 0;
    for (gap, insert) in inserts {
        // A gap right after a line comment lies inside it: go to its end.
        let gap = line_comment_end(text, gap).max(from);
        out.push_str(&text[from..gap]);
        out.push_str(&insert);
        from = gap;
    }
    out.push_str(&text[from..]);
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    (out, comments)
}

/// `gap`, or, if a comment runs through it or ends there, the start of the
/// next line.
fn line_comment_end(text: &str, gap: usize) -> usize {
    let line_start = text[..gap].rfind('\n').map_or(0, |i| i + 1);
    match text[line_start..gap].find("//") {
        Some(_) => text[gap..].find('\n').map_or(text.len(), |i| gap + i + 1),
        None => gap,
    }
}

/// Every `//` comment of a text, trimmed, in order.
fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.find("//").map(|at| line[at..].trim().to_string()))
        .collect()
}

/// The diagnostics of a text, without their positions.
fn diagnostics(text: &str) -> Vec<(String, String)> {
    check_text("input.tly", text)
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

/// The outcome of every test block of a text that compiles: name, result, gas.
fn test_results(text: &str) -> Vec<String> {
    let database = Database::new();
    let file = database.add_file("input.tly", text);
    let options = Options {
        tests: true,
        instances: Vec::new(),
    };
    let Ok(program) = codegen::compile(&database, file, &options) else {
        return vec!["does not compile".into()];
    };
    let Ok(vm) = vm_core::internals::verify(program.module) else {
        return vec!["does not verify".into()];
    };
    program
        .tests
        .iter()
        .map(|t| {
            let (result, gas) = vm_core::internals::evaluate(&vm, &t.export, &[], 100_000_000);
            format!("{}: {result:?}, gas {gas}", t.name)
        })
        .collect()
}

/// Formats a mutated text and checks everything the formatter promises.
fn check_layout(name: &str, original: &str, mutated: &str, inserted: &[String], deep: bool) {
    let once = format(mutated)
        .unwrap_or_else(|e| panic!("{name}: a change of layout made it unformattable: {e:?}"));
    let twice = format(&once).expect("formatted text parses");
    if let Ok(dir) = std::env::var("FMT_DUMP")
        && once != twice
    {
        std::fs::write(format!("{dir}/mutated.tly"), mutated).ok();
        std::fs::write(format!("{dir}/once.tly"), &once).ok();
        std::fs::write(format!("{dir}/twice.tly"), &twice).ok();
    }
    assert_eq!(
        once, twice,
        "{name}: formatting is not idempotent on\n{mutated}"
    );
    let kept = comments(&once);
    let mut expected = comments(mutated);
    expected.retain(|c| !c.is_empty());
    assert_eq!(
        kept, expected,
        "{name}: comments lost or moved out of order"
    );
    for comment in inserted {
        assert!(kept.contains(comment), "{name}: {comment} lost");
    }
    assert_eq!(
        diagnostics(original),
        diagnostics(&once),
        "{name}: formatting changed the diagnostics"
    );
    if deep {
        assert_eq!(
            test_results(original),
            test_results(&once),
            "{name}: formatting changed the test results"
        );
    }
}

#[test]
fn a_comment_in_every_gap_and_crlf() {
    for (path, text) in sources() {
        let name = path.display().to_string();
        let n = gaps(&text).len() as u32;
        for (edit, crlf) in [
            (Edit::TrailingComment, false),
            (Edit::OwnLineComment, true),
            (Edit::BlankLine, false),
            (Edit::Tab, true),
        ] {
            let edits: Vec<(u32, Edit)> = (0..n).map(|i| (i, edit)).collect();
            let (mutated, inserted) = mutate(&text, &edits, crlf);
            check_layout(&name, &text, &mutated, &inserted, edit_is_deep(edit));
        }
    }
}

/// Whether a whole-file mutation also runs the tests (once per file is enough).
fn edit_is_deep(edit: Edit) -> bool {
    matches!(edit, Edit::TrailingComment)
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::TrailingComment),
        Just(Edit::OwnLineComment),
        Just(Edit::BlankLine),
        Just(Edit::Tab),
        Just(Edit::LineBreak),
    ]
}

proptest! {
    // A fixed seed keeps the suite deterministic; `cargo test` with another
    // seed in the source explores other layouts.
    #![proptest_config(ProptestConfig {
        cases: 96,
        rng_seed: proptest::test_runner::RngSeed::Fixed(11),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_layouts(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<u32>(), edit()), 1..12),
        crlf in any::<bool>(),
    ) {
        let all = sources();
        let (path, text) = &all[file.index(all.len())];
        let (mutated, inserted) = mutate(text, &edits, crlf);
        check_layout(&path.display().to_string(), text, &mutated, &inserted, false);
    }
}
