//! The lexer, parser and checker on arbitrary text: `tally check` never
//! panics, its diagnostics point inside the text, and they render (the
//! human format with its excerpts, and JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (_, span) in tally::syntax::lex_spans(&text) {
        assert!(
            span.start <= span.end && span.end as usize <= text.len(),
            "token span {span:?}"
        );
    }
    let diagnostics = tally::db::check_text("fuzz.tly", &text);
    for d in &diagnostics {
        let span = d.primary.span;
        assert!(
            span.start <= span.end && span.end as usize <= text.len(),
            "diagnostic span {span:?}"
        );
        let _ = tally::render::human(d, "fuzz.tly", &text, false);
        let _ = tally::render::json(d, "fuzz.tly", &text);
    }
});
