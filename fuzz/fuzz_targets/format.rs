//! The formatter on arbitrary text: it never panics, and what it formats
//! is a fixed point (`fmt(fmt(x)) == fmt(x)`) that still parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(formatted) = tally::format::format(text) {
        match tally::format::format(&formatted) {
            Ok(again) => assert_eq!(again, formatted, "fmt is not idempotent on {text:?}"),
            Err(errors) => panic!("fmt's output does not parse: {errors:?}\n{formatted}"),
        }
    }
});
