//! The kernels of `kernels.wat` on wasmi, with fuel metering on or off.

use wasmi::{Config, Engine, Instance, Linker, Module, Store, TypedFunc, WasmParams, WasmResults};

/// One instantiated kernel module.
pub struct Wasm {
    store: Store<()>,
    instance: Instance,
    fuel: bool,
}

impl Wasm {
    /// Compiles and instantiates `kernels.wat`, with fuel metering if `fuel`.
    pub fn new(fuel: bool) -> Wasm {
        let mut config = Config::default();
        config.consume_fuel(fuel);
        // The insertion sort recurses 2,000 deep twice over.
        config.set_max_recursion_depth(100_000);
        let engine = Engine::new(&config);
        let module =
            Module::new(&engine, include_str!("kernels.wat")).expect("kernels.wat compiles");
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("kernels.wat instantiates");
        Wasm {
            store,
            instance,
            fuel,
        }
    }

    /// Calls an export (refilling the fuel first when metering).
    pub fn call<P: WasmParams, R: WasmResults>(&mut self, name: &str, args: P) -> R {
        if self.fuel {
            self.store.set_fuel(u64::MAX).expect("fuel is on");
        }
        let f: TypedFunc<P, R> = self
            .instance
            .get_typed_func(&self.store, name)
            .expect("export exists");
        f.call(&mut self.store, args).expect("kernel runs")
    }

    /// The bump pointer (to reset the heap between runs).
    pub fn hp(&mut self) -> i32 {
        self.call("get_hp", ())
    }

    /// Frees everything allocated since `hp` was `at`.
    pub fn reset(&mut self, at: i32) {
        self.call::<i32, ()>("set_hp", at)
    }
}
