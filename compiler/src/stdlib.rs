//! The standard library's sources, embedded in the compiler.

/// Each standard-library module: its name under `std::` and its source text.
pub const MODULES: &[(&str, &str)] = &[
    ("prelude", include_str!("../../stdlib/prelude.tly")),
    ("list", include_str!("../../stdlib/list.tly")),
    ("option", include_str!("../../stdlib/option.tly")),
    ("result", include_str!("../../stdlib/result.tly")),
    ("int", include_str!("../../stdlib/int.tly")),
    ("bytes", include_str!("../../stdlib/bytes.tly")),
    ("crypto", include_str!("../../stdlib/crypto.tly")),
    ("map", include_str!("../../stdlib/map.tly")),
];
