fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let parse = tally::syntax::parse(&text);
        println!(
            "{path}: {} items, {} exprs",
            parse.module.items.len(),
            parse.module.exprs.len()
        );
        for d in &parse.diagnostics {
            println!(
                "  {} {} @{:?}: {} / {:?}",
                d.code.as_str(),
                d.message,
                d.primary.span,
                d.primary.message,
                &text[d.primary.span.range()]
            );
        }
    }
}
