//! The module decoder on arbitrary bytes: it never panics, and what it
//! accepts encodes back to a module that decodes to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vm_core::format::Module;

fuzz_target!(|data: &[u8]| {
    if let Ok(module) = Module::decode(data) {
        let bytes = module.encode();
        assert_eq!(
            Module::decode(&bytes).as_ref(),
            Ok(&module),
            "encode/decode round trip"
        );
        let _ = vm_core::format::disassemble(&module);
    }
});
