//! The verifier and the bound analysis on arbitrary bytes: `load` never
//! panics; a module it accepts has a bound for every export, whose formulas
//! render, and whose value on arguments of the right types is computed
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_fuzz::{arguments, verified_input};
use vm_core::internals::bound;

fuzz_target!(|data: &[u8]| {
    let Some((vm, module, mut entropy)) = verified_input(data) else {
        return;
    };
    for export in &module.exports {
        let func = export.func.0 as usize;
        let bounds = vm
            .bounds(&export.name)
            .expect("a verified module bounds every export");
        let _ = bounds.gas.render(&|i| format!("x{i}"));
        let _ = vm_core::internals::bound::legend(&module, func as u32, bounds, None);
        if let Some(args) = arguments(&module, func, &mut entropy) {
            bound(&vm, &export.name, &args).expect("arguments of the right types");
        }
    }
});
