//! The kernels of `kernels.wat` on wasmi, with fuel metering on or off.

use wasmi::{
    Caller, Config, Engine, Extern, Instance, Linker, Memory, Module, Store, TypedFunc, WasmParams,
    WasmResults,
};

/// One instantiated kernel module.
pub struct Wasm {
    store: Store<()>,
    instance: Instance,
    fuel: bool,
}

/// The host function `host.ed25519_verify(key, key_len, msg, msg_len, sig,
/// sig_len) -> i32` of kernel N: 1 if the signature verifies (the check of
/// vm-core's `ed25519_verify`, [`crate::native::ed25519_verify`]), 0 if not
/// or if a range is outside the memory.
fn ed25519_host(caller: Caller<'_, ()>, k: i32, kl: i32, m: i32, ml: i32, s: i32, sl: i32) -> i32 {
    let Some(mem) = caller.get_export("mem").and_then(Extern::into_memory) else {
        return 0;
    };
    let data = mem.data(&caller);
    let range = |p: i32, l: i32| {
        data.get(p as u32 as usize..(p as u32 as usize).checked_add(l as u32 as usize)?)
    };
    match (range(k, kl), range(m, ml), range(s, sl)) {
        (Some(k), Some(m), Some(s)) => i32::from(crate::native::ed25519_verify(k, m, s)),
        _ => 0,
    }
}

impl Wasm {
    /// Compiles and instantiates `kernels.wat`, with fuel metering if `fuel`.
    pub fn new(fuel: bool) -> Wasm {
        let mut config = Config::default();
        config.consume_fuel(fuel);
        // The insertion sort recurses 2,000 deep twice over; filter and map
        // (kernel F) 50,000 deep, merge (kernel H) 40,000 deep.
        config.set_max_recursion_depth(200_000);
        config.set_max_stack_height(1 << 28);
        let engine = Engine::new(&config);
        let module =
            Module::new(&engine, include_str!("kernels.wat")).expect("kernels.wat compiles");
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("host", "ed25519_verify", ed25519_host)
            .expect("one host function");
        let instance = linker
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

    fn memory(&self) -> Memory {
        self.instance
            .get_memory(&self.store, "mem")
            .expect("kernels.wat exports its memory")
    }

    /// Copies `bytes` into fresh memory; returns their address.
    pub fn bytes(&mut self, bytes: &[u8]) -> i32 {
        let len = i32::try_from(bytes.len()).expect("a small input");
        let at = self.call::<i32, i32>("alloc", len);
        self.memory()
            .write(&mut self.store, at as u32 as usize, bytes)
            .expect("within memory");
        at
    }

    /// The `len` bytes at `at`.
    pub fn read(&self, at: i32, len: i32) -> Vec<u8> {
        let mut out = vec![0; len as u32 as usize];
        self.memory()
            .read(&self.store, at as u32 as usize, &mut out)
            .expect("within memory");
        out
    }

    /// The Int list `xs` (16-byte cells), built from the back.
    pub fn ints(&mut self, xs: &[i64]) -> i32 {
        let mut l = 0;
        for &x in xs.iter().rev() {
            l = self.call::<(i64, i32), i32>("cons", (x, l));
        }
        l
    }

    /// Kernel F's list of orders `(id, price, qty)`.
    pub fn orders(&mut self, orders: &[(i64, i64, i64)]) -> i32 {
        let mut l = 0;
        for &o in orders.iter().rev() {
            let o = self.call::<(i64, i64, i64), i32>("order", o);
            l = self.call::<(i32, i32), i32>("lcons", (o, l));
        }
        l
    }
}
