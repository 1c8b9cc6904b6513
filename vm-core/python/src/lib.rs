//! `tally_vm`: Python bindings of `vm_core::api` (see `tally_vm.pyi`).
//!
//! Values cross as Python data: `int`, `bool`, `None` for `()`, `bytes`,
//! `list` for lists, `tuple` for tuples, `dict` (field name to value) for
//! structs, [`Variant`] for enum values (a `str` is accepted for a variant
//! without fields). Or as the canonical encoding: pass `bytes` as `args`
//! and read `Outcome.result_bytes`. Calls release the GIL while they run.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString, PyTuple};

use vm_core::api::{
    AdtDef, AdtKind, CallError, CallLimits, LoadLimits, Module as VmModule, Node, Trap, Ty, Value,
};

pyo3::create_exception!(
    tally_vm,
    TallyError,
    PyException,
    "Base of every tally_vm error."
);
pyo3::create_exception!(
    tally_vm,
    LoadError,
    TallyError,
    "The module bytes do not decode or verify."
);
pyo3::create_exception!(tally_vm, CallError_, TallyError, "A call could not start.");
pyo3::create_exception!(
    tally_vm,
    UnknownEntry,
    CallError_,
    "No exported entry point has this name."
);
pyo3::create_exception!(
    tally_vm,
    BadArguments,
    CallError_,
    "The arguments do not match the entry point's types."
);
pyo3::create_exception!(
    tally_vm,
    OverBound,
    CallError_,
    "Refused: the call's bound exceeds its limits."
);

/// Deepest nesting of non-list values converted (lists are walked in a loop).
const MAX_DEPTH: usize = 1_000;

fn call_error(e: CallError) -> PyErr {
    let msg = e.to_string();
    match e {
        CallError::UnknownEntry(_) => UnknownEntry::new_err(msg),
        CallError::BadArguments(_) => BadArguments::new_err(msg),
        CallError::OverBound { .. } => OverBound::new_err(msg),
        _ => TallyError::new_err(msg),
    }
}

fn bad(msg: String) -> PyErr {
    BadArguments::new_err(msg)
}

/// An enum value: its variant's name and its fields.
#[pyclass(frozen, module = "tally_vm")]
pub struct Variant {
    name: String,
    fields: Py<PyTuple>,
}

#[pymethods]
impl Variant {
    #[new]
    #[pyo3(signature = (name, *fields))]
    fn new(name: String, fields: Py<PyTuple>) -> Self {
        Variant { name, fields }
    }

    /// The variant's name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The fields, in order.
    #[getter]
    fn fields(&self, py: Python<'_>) -> Py<PyTuple> {
        self.fields.clone_ref(py)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(o) = other.extract::<PyRef<'_, Variant>>() else {
            return Ok(false);
        };
        let py = other.py();
        Ok(self.name == o.name && self.fields.bind(py).eq(o.fields.bind(py))?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut s = format!("Variant({:?}", self.name);
        for f in self.fields.bind(py).iter() {
            s.push_str(", ");
            s.push_str(&f.repr()?.to_string());
        }
        s.push(')');
        Ok(s)
    }
}

/// Appends the nodes of `obj`, a value of type `ty`, in pre-order.
fn push_value(
    obj: &Bound<'_, PyAny>,
    ty: Ty,
    adts: &[AdtDef],
    out: &mut Vec<Node>,
    depth: usize,
) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(bad(format!("value nested deeper than {MAX_DEPTH}")));
    }
    let tname = || vm_core::api::type_name(ty, adts);
    let mismatch = || {
        let found = obj
            .get_type()
            .name()
            .map_or_else(|_| "?".to_string(), |n| n.to_string());
        bad(format!("expected {}, found a Python {found}", tname()))
    };
    match ty {
        Ty::Unit if obj.is_none() => out.push(Node::Unit),
        Ty::Bool if obj.is_instance_of::<PyBool>() => out.push(Node::Bool(obj.extract()?)),
        Ty::Int if !obj.is_instance_of::<PyBool>() => {
            let v: i128 = obj.extract().map_err(|_| mismatch())?;
            out.push(Node::Int(v));
        }
        Ty::Bytes if obj.is_instance_of::<PyBytes>() => out.push(Node::Bytes(obj.extract()?)),
        Ty::Adt(i) => {
            let def = adts
                .get(i as usize)
                .ok_or_else(|| bad(format!("unknown type {i}")))?;
            push_adt(obj, def, adts, out, depth).map_err(|e| {
                if e.is_instance_of::<BadArguments>(obj.py()) {
                    e
                } else {
                    mismatch()
                }
            })?;
        }
        _ => return Err(mismatch()),
    }
    Ok(())
}

fn push_adt(
    obj: &Bound<'_, PyAny>,
    def: &AdtDef,
    adts: &[AdtDef],
    out: &mut Vec<Node>,
    depth: usize,
) -> PyResult<()> {
    let name = &def.name;
    let fields_of = |tag: usize| def.variants.get(tag).map(|v| &v.fields);
    match def.kind {
        AdtKind::List => {
            if !(obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
                return Err(bad(format!("expected {name}, a list")));
            }
            let elem = fields_of(1)
                .and_then(|f| f.first())
                .map(|f| f.ty)
                .ok_or_else(|| bad(format!("{name} is not a list type")))?;
            for item in obj.try_iter()? {
                out.push(Node::Cell { tag: 1, arity: 2 });
                push_value(&item?, elem, adts, out, depth + 1)?;
            }
            out.push(Node::Cell { tag: 0, arity: 0 });
        }
        AdtKind::Struct => {
            let fields = fields_of(0).ok_or_else(|| bad(format!("{name} has no fields")))?;
            let dict = obj
                .cast::<PyDict>()
                .map_err(|_| bad(format!("expected {name}, a dict of its fields")))?;
            if dict.len() != fields.len() {
                return Err(bad(format!(
                    "{name} has {} fields, the dict {}",
                    fields.len(),
                    dict.len()
                )));
            }
            out.push(Node::Cell {
                tag: 0,
                arity: fields.len() as u32,
            });
            for f in fields {
                let v = dict
                    .get_item(&f.name)?
                    .ok_or_else(|| bad(format!("{name} needs the field {:?}", f.name)))?;
                push_value(&v, f.ty, adts, out, depth + 1)?;
            }
        }
        AdtKind::Tuple => {
            let fields = fields_of(0).ok_or_else(|| bad(format!("{name} has no fields")))?;
            let t = obj
                .cast::<PyTuple>()
                .map_err(|_| bad(format!("expected {name}, a tuple")))?;
            if t.len() != fields.len() {
                return Err(bad(format!("expected {name}, a tuple of {}", fields.len())));
            }
            out.push(Node::Cell {
                tag: 0,
                arity: fields.len() as u32,
            });
            for (item, f) in t.iter().zip(fields) {
                push_value(&item, f.ty, adts, out, depth + 1)?;
            }
        }
        _ => {
            let (vname, items): (String, Vec<Bound<'_, PyAny>>) =
                if let Ok(v) = obj.extract::<PyRef<'_, Variant>>() {
                    (v.name.clone(), v.fields.bind(obj.py()).iter().collect())
                } else if let Ok(s) = obj.cast::<PyString>() {
                    (s.to_string(), Vec::new())
                } else {
                    return Err(bad(format!("expected {name}, a Variant")));
                };
            let tag = def
                .variants
                .iter()
                .position(|v| v.name == vname)
                .ok_or_else(|| bad(format!("{name} has no variant {vname:?}")))?;
            let fields = &def.variants[tag].fields;
            if items.len() != fields.len() {
                return Err(bad(format!(
                    "{vname} has {} fields, given {}",
                    fields.len(),
                    items.len()
                )));
            }
            out.push(Node::Cell {
                tag: tag as u32,
                arity: fields.len() as u32,
            });
            for (item, f) in items.iter().zip(fields) {
                push_value(item, f.ty, adts, out, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// Converts the nodes from `*at` on, a value of type `ty`, to Python.
fn to_py<'py>(
    py: Python<'py>,
    nodes: &[Node],
    at: &mut usize,
    ty: Ty,
    adts: &[AdtDef],
    depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    if depth > MAX_DEPTH {
        return Err(TallyError::new_err(format!(
            "result nested deeper than {MAX_DEPTH}"
        )));
    }
    let next = |at: &mut usize| {
        let n = nodes.get(*at);
        *at += 1;
        n.ok_or_else(|| TallyError::new_err("malformed result"))
    };
    let node = next(at)?;
    Ok(match (node, ty) {
        (Node::Unit, _) => py.None().into_bound(py),
        (Node::Bool(b), _) => PyBool::new(py, *b).to_owned().into_any(),
        (Node::Int(v), _) => v.into_pyobject(py)?.into_any(),
        (Node::Bytes(b), _) => PyBytes::new(py, b).into_any(),
        (&Node::Cell { tag, arity }, Ty::Adt(i)) => {
            let def = adts
                .get(i as usize)
                .ok_or_else(|| TallyError::new_err("unknown result type"))?;
            let field_tys = |tag: u32| -> Vec<Ty> {
                def.variants
                    .get(tag as usize)
                    .map_or_else(Vec::new, |v| v.fields.iter().map(|f| f.ty).collect())
            };
            match def.kind {
                AdtKind::List => {
                    let list = PyList::empty(py);
                    let elem = field_tys(1).first().copied().unwrap_or(Ty::Unit);
                    let mut tag = tag;
                    while tag == 1 {
                        list.append(to_py(py, nodes, at, elem, adts, depth + 1)?)?;
                        match next(at)? {
                            Node::Cell { tag: t, .. } => tag = *t,
                            _ => return Err(TallyError::new_err("malformed list")),
                        }
                    }
                    list.into_any()
                }
                kind => {
                    let tys = field_tys(tag);
                    if tys.len() != arity as usize {
                        return Err(TallyError::new_err("malformed result"));
                    }
                    let mut items = Vec::with_capacity(tys.len());
                    for t in &tys {
                        items.push(to_py(py, nodes, at, *t, adts, depth + 1)?);
                    }
                    let variant = def.variants.get(tag as usize);
                    match kind {
                        AdtKind::Struct => {
                            let d = PyDict::new(py);
                            for (f, v) in variant.into_iter().flat_map(|v| &v.fields).zip(items) {
                                d.set_item(&f.name, v)?;
                            }
                            d.into_any()
                        }
                        AdtKind::Tuple => PyTuple::new(py, items)?.into_any(),
                        _ => Bound::new(
                            py,
                            Variant {
                                name: variant.map_or_else(String::new, |v| v.name.clone()),
                                fields: PyTuple::new(py, items)?.unbind(),
                            },
                        )?
                        .into_any(),
                    }
                }
            }
        }
        _ => return Err(TallyError::new_err("malformed result")),
    })
}

/// One entry point: name, types and bound formulas.
#[pyclass(frozen, get_all, module = "tally_vm")]
pub struct Export {
    name: String,
    params: Vec<String>,
    result: String,
    gas_bound: String,
    memory_bound: String,
    exponential: bool,
}

#[pymethods]
impl Export {
    fn __repr__(&self) -> String {
        format!(
            "Export({}({}) -> {}, gas <= {})",
            self.name,
            self.params.join(", "),
            self.result,
            self.gas_bound
        )
    }
}

/// A call's static bounds: gas and memory (bytes).
#[pyclass(frozen, get_all, module = "tally_vm")]
#[derive(Clone, Copy)]
pub struct Bounds {
    gas: u64,
    memory: u64,
    stack: u64,
}

#[pymethods]
impl Bounds {
    fn __repr__(&self) -> String {
        format!(
            "Bounds(gas={}, memory={}, stack={})",
            self.gas, self.memory, self.stack
        )
    }
}

/// What a call that started produced.
#[pyclass(frozen, module = "tally_vm")]
pub struct Outcome {
    module: VmModule,
    result_ty: Ty,
    value: Option<Value>,
    trap: Option<&'static str>,
    gas_used: u64,
    memory_used: u64,
    bounds: Bounds,
}

#[pymethods]
impl Outcome {
    /// The result as Python data, or `None` after a trap.
    #[getter]
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.value {
            None => Ok(py.None().into_bound(py)),
            Some(v) => to_py(
                py,
                v.nodes(),
                &mut 0,
                self.result_ty,
                self.module.types(),
                0,
            ),
        }
    }

    /// The result's canonical encoding, or `None` after a trap.
    #[getter]
    fn result_bytes<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.value.as_ref().map(|v| PyBytes::new(py, &v.encode()))
    }

    /// `None`, or the trap's name (`"out_of_gas"`, `"overflow"`, ...).
    #[getter]
    fn trap(&self) -> Option<&'static str> {
        self.trap
    }

    /// Gas used.
    #[getter]
    fn gas_used(&self) -> u64 {
        self.gas_used
    }

    /// Bytes allocated, as the memory bound counts them.
    #[getter]
    fn memory_used(&self) -> u64 {
        self.memory_used
    }

    /// The call's static bounds.
    #[getter]
    fn bounds(&self) -> Bounds {
        self.bounds
    }

    fn __repr__(&self) -> String {
        format!(
            "Outcome(trap={:?}, gas_used={}, memory_used={})",
            self.trap, self.gas_used, self.memory_used
        )
    }
}

/// A loaded, verified module; share it between threads freely.
#[pyclass(frozen, module = "tally_vm")]
pub struct Module {
    inner: VmModule,
}

impl Module {
    /// The arguments: canonical encoding (`bytes`) or a sequence of values.
    fn args(&self, entry: &str, args: &Bound<'_, PyAny>) -> PyResult<Vec<Value>> {
        if let Ok(b) = args.cast::<PyBytes>() {
            return vm_core::api::decode_args(b.as_bytes())
                .map_err(|e| bad(format!("malformed argument encoding: {e}")));
        }
        let export = self.inner.export(entry).ok_or_else(|| {
            UnknownEntry::new_err(format!("no exported entry point named {entry:?}"))
        })?;
        if !(args.is_instance_of::<PyList>() || args.is_instance_of::<PyTuple>()) {
            return Err(bad(
                "args must be a list or tuple of values, or bytes".into()
            ));
        }
        let items: Vec<Bound<'_, PyAny>> = args.try_iter()?.collect::<PyResult<_>>()?;
        if items.len() != export.params.len() {
            return Err(bad(format!(
                "{entry} takes {} arguments, given {}",
                export.params.len(),
                items.len()
            )));
        }
        let adts = self.inner.types();
        items
            .iter()
            .zip(&export.params)
            .map(|(item, &ty)| {
                let mut nodes = Vec::new();
                push_value(item, ty, adts, &mut nodes, 0)?;
                Value::from_nodes(nodes).map_err(|e| bad(e.to_string()))
            })
            .collect()
    }
}

#[pymethods]
impl Module {
    /// Decodes and verifies module bytes.
    #[staticmethod]
    #[pyo3(signature = (data, *, max_verify_work = None))]
    fn load(py: Python<'_>, data: &[u8], max_verify_work: Option<u64>) -> PyResult<Module> {
        let mut limits = LoadLimits::default();
        if let Some(w) = max_verify_work {
            limits = limits.with_verify_work(w);
        }
        let data = data.to_vec();
        py.detach(|| VmModule::load(&data, &limits))
            .map(|inner| Module { inner })
            .map_err(|e| LoadError::new_err(e.to_string()))
    }

    /// The entry points, sorted by name.
    #[getter]
    fn exports(&self) -> Vec<Export> {
        self.inner
            .exports()
            .iter()
            .map(|e| Export {
                name: e.name.clone(),
                params: e.param_types.clone(),
                result: e.result_type.clone(),
                gas_bound: e.gas_bound.clone(),
                memory_bound: e.memory_bound.clone(),
                exponential: e.exponential,
            })
            .collect()
    }

    /// The static bounds of `entry` on `args`, without running it.
    fn bound(&self, entry: &str, args: &Bound<'_, PyAny>) -> PyResult<Bounds> {
        let values = self.args(entry, args)?;
        let b = self.inner.bound(entry, &values).map_err(call_error)?;
        Ok(Bounds {
            gas: b.gas,
            memory: b.memory,
            stack: b.stack,
        })
    }

    /// Runs `entry` on `args` within the limits, with the GIL released.
    // The keyword arguments of the Python method, one per limit.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (entry, args, *, gas_limit, heap_bytes = None, arena_bytes = None, refuse_over_bound = false))]
    fn call(
        &self,
        py: Python<'_>,
        entry: &str,
        args: &Bound<'_, PyAny>,
        gas_limit: u64,
        heap_bytes: Option<u64>,
        arena_bytes: Option<u64>,
        refuse_over_bound: bool,
    ) -> PyResult<Outcome> {
        let values = self.args(entry, args)?;
        let mut limits = CallLimits::gas(gas_limit);
        if let Some(h) = heap_bytes {
            limits = limits.with_heap_bytes(h);
        }
        if let Some(a) = arena_bytes {
            limits = limits.with_arena_bytes(a);
        }
        if refuse_over_bound {
            limits = limits.refusing_over_bound();
        }
        let module = &self.inner;
        let o = py
            .detach(|| module.call(entry, &values, &limits))
            .map_err(call_error)?;
        let result_ty = module.export(entry).map_or(Ty::Unit, |e| e.result);
        let (value, trap) = match o.result {
            Ok(v) => (Some(v), None),
            Err(t) => (None, Some(Trap::code(&t))),
        };
        Ok(Outcome {
            module: module.clone(),
            result_ty,
            value,
            trap,
            gas_used: o.gas_used,
            memory_used: o.memory_used,
            bounds: Bounds {
                gas: o.bounds.gas,
                memory: o.bounds.memory,
                stack: o.bounds.stack,
            },
        })
    }

    fn __repr__(&self) -> String {
        let names: Vec<&str> = self
            .inner
            .exports()
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        format!("Module(exports={names:?})")
    }
}

/// The canonical encoding of `args` (Python values) for `entry` of
/// `module`: what `call` and `bound` accept as `bytes`.
#[pyfunction]
fn encode_args(module: &Module, entry: &str, args: &Bound<'_, PyAny>) -> PyResult<Py<PyBytes>> {
    let values = module.args(entry, args)?;
    Ok(PyBytes::new(args.py(), &vm_core::api::encode_args(&values)).unbind())
}

#[pymodule]
fn tally_vm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Module>()?;
    m.add_class::<Export>()?;
    m.add_class::<Bounds>()?;
    m.add_class::<Outcome>()?;
    m.add_class::<Variant>()?;
    m.add_function(wrap_pyfunction!(encode_args, m)?)?;
    m.add("TallyError", py.get_type::<TallyError>())?;
    m.add("LoadError", py.get_type::<LoadError>())?;
    m.add("CallError", py.get_type::<CallError_>())?;
    m.add("UnknownEntry", py.get_type::<UnknownEntry>())?;
    m.add("BadArguments", py.get_type::<BadArguments>())?;
    m.add("OverBound", py.get_type::<OverBound>())?;
    Ok(())
}
