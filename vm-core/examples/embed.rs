use vm_core::api::{CallLimits, LoadLimits, Module, Value};

pub fn main() {
    let bytes = std::fs::read("vm-core/conformance/modules/assoc_token.tbc").expect("a module");
    let module = Module::load(&bytes, &LoadLimits::default()).expect("decodes and verifies");
    let entry =
        |owner: &[u8], amount| Value::cell(0, vec![Value::bytes(owner), Value::int(amount)]);
    let ledger = Value::list([entry(b"\xaa", 10)]);
    let args = [
        ledger,
        Value::bytes(*b"\xaa"),
        Value::bytes(*b"\xbb"),
        Value::int(4),
    ];
    let bound = module
        .bound("transfer", &args)
        .expect("well-typed arguments");
    let limits = CallLimits::gas(1_000_000).refusing_over_bound();
    let outcome = module
        .call("transfer", &args, &limits)
        .expect("within its bound");
    let result = outcome.result.expect("no trap");
    println!(
        "gas {} (bound {}), result {} bytes",
        outcome.gas_used,
        bound.gas,
        result.encode().len()
    );
}
