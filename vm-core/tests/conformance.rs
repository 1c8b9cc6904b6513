//! Runs every conformance vector (`vm-core/conformance/vectors.txt`) through
//! the embedding API and checks the bound, the outcome, the gas and the
//! memory used. The C, Go and Python bindings run the same file.

use vm_core::api::{CallLimits, LoadLimits, Module, Value, decode_args};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance");

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn every_vector_gives_its_bound_result_and_gas() {
    let text = std::fs::read_to_string(format!("{DIR}/vectors.txt")).expect("vectors.txt");
    let mut modules = std::collections::HashMap::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split(' ').collect();
        let [
            file,
            entry,
            args,
            gas,
            bound_gas,
            bound_mem,
            status,
            used,
            mem,
            result,
        ] = f[..]
        else {
            panic!("bad line {line:?}");
        };
        let module = modules.entry(file.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(format!("{DIR}/modules/{file}")).expect("module");
            Module::load(&bytes, &LoadLimits::default()).expect("loads")
        });
        let num = |s: &str| s.parse::<u64>().expect("number");
        let args_bytes = unhex(args);
        let bounds = module.bound_encoded(entry, &args_bytes).expect("bound");
        assert_eq!(
            (bounds.gas, bounds.memory),
            (num(bound_gas), num(bound_mem)),
            "{line}"
        );
        let o = module
            .call_encoded(entry, &args_bytes, &CallLimits::gas(num(gas)))
            .expect("call starts");
        let (got_status, got_result) = match &o.result {
            Ok(v) => ("ok", v.encode()),
            Err(t) => (t.code(), Vec::new()),
        };
        assert_eq!(got_status, status, "{line}");
        assert_eq!(got_result, unhex(result), "{line}");
        assert_eq!((o.gas_used, o.memory_used), (num(used), num(mem)), "{line}");
        // The Value path agrees with the encoded one.
        let values = decode_args(&args_bytes).expect("canonical args");
        let again = module
            .call(entry, &values, &CallLimits::gas(num(gas)))
            .unwrap();
        assert_eq!(again, o, "{line}");
        if status == "ok" {
            assert!(Value::decode(&got_result).is_ok());
        }
        n += 1;
    }
    assert!(n >= 80, "{n} vectors");
}
