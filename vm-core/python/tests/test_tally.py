"""tally_vm: conformance vectors, Python values, bad input, threads, README."""

import os
import pathlib
import subprocess
import sys
import threading

import pytest

import tally_vm
from tally_vm import Module, Variant

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CONFORMANCE = ROOT / "vm-core" / "conformance"
TOKEN = (CONFORMANCE / "modules" / "assoc_token.tbc").read_bytes()


def vectors():
    for line in (CONFORMANCE / "vectors.txt").read_text().splitlines():
        if not line.startswith("#"):
            yield line.split(" ")


def unhex(s):
    return b"" if s == "-" else bytes.fromhex(s)


def test_every_conformance_vector():
    modules = {}
    n = 0
    for (file, entry, args, gas, bgas, bmem, status, used, mem, result) in vectors():
        if file not in modules:
            modules[file] = Module.load((CONFORMANCE / "modules" / file).read_bytes())
        m = modules[file]
        b = m.bound(entry, unhex(args))
        assert (b.gas, b.memory) == (int(bgas), int(bmem)), entry
        o = m.call(entry, unhex(args), gas_limit=int(gas))
        assert (o.trap or "ok") == status, entry
        assert (o.gas_used, o.memory_used) == (int(used), int(mem)), entry
        assert (o.result_bytes or b"") == unhex(result), entry
        n += 1
    assert n >= 80


def test_values_as_python_data_agree_with_the_encoding():
    m = Module.load(TOKEN)
    ledger = [{"owner": b"\xaa", "amount": 10}]
    args = [ledger, b"\xaa", b"\xbb", 4]
    encoded = tally_vm.encode_args(m, "transfer", args)
    o1 = m.call("transfer", args, gas_limit=10**6)
    o2 = m.call("transfer", encoded, gas_limit=10**6)
    assert o1.result_bytes == o2.result_bytes
    assert o1.gas_used == o2.gas_used and o1.gas_used <= o1.bounds.gas
    assert o1.result == Variant("Ok", [{"owner": b"\xaa", "amount": 6}, {"owner": b"\xbb", "amount": 4}])
    assert m.bound("transfer", args).gas == m.bound("transfer", encoded).gas
    refused = m.call("transfer", [ledger, b"\xaa", b"\xbb", 11], gas_limit=10**6)
    assert refused.result == Variant("Err", Variant("InsufficientFunds"))
    assert repr(refused.result) == 'Variant("Err", Variant("InsufficientFunds"))'


def test_exports_have_types_and_bounds():
    m = Module.load(TOKEN)
    by_name = {e.name: e for e in m.exports}
    t = by_name["transfer"]
    assert t.params == ["List<Entry>", "Bytes", "Bytes", "Int"]
    assert t.result.startswith("Result<")
    assert "|#0|" in t.gas_bound and not t.exponential
    assert "test:transfer_moves_funds" in by_name


@pytest.mark.parametrize("n", range(0, len(TOKEN), 7))
def test_truncated_modules_raise(n):
    with pytest.raises(tally_vm.LoadError):
        Module.load(TOKEN[:n])


def test_bad_input_raises_error_values():
    with pytest.raises(tally_vm.LoadError):
        Module.load(TOKEN, max_verify_work=1)
    with pytest.raises(TypeError):
        Module.load("not bytes")
    m = Module.load(TOKEN)
    ledger = [{"owner": b"\xaa", "amount": 10}]
    with pytest.raises(tally_vm.UnknownEntry):
        m.call("mint", [], gas_limit=100)
    with pytest.raises(tally_vm.UnknownEntry):
        m.bound("mint", b"\x00")
    bad = [
        [ledger, b"\xaa", b"\xbb"],  # too few
        [ledger, "aa", b"\xbb", 4],  # str for Bytes
        [ledger, b"\xaa", b"\xbb", True],  # bool for Int
        [ledger, b"\xaa", b"\xbb", 2**127],  # too large for an Int
        [[{"owner": b"\xaa"}], b"\xaa", b"\xbb", 4],  # missing field
        [[{"owner": b"\xaa", "amount": 1, "x": 2}], b"\xaa", b"\xbb", 4],  # extra field
        [{"owner": b"\xaa", "amount": 10}, b"\xaa", b"\xbb", 4],  # dict for a list
        [[(b"\xaa", 10)], b"\xaa", b"\xbb", 4],  # tuple for a struct
        42,  # not a sequence
    ]
    for args in bad:
        with pytest.raises(tally_vm.BadArguments):
            m.call("transfer", args, gas_limit=100)
        with pytest.raises(tally_vm.BadArguments):
            m.bound("transfer", args)
    encoded = tally_vm.encode_args(m, "transfer", [ledger, b"\xaa", b"\xbb", 4])
    for k in range(len(encoded)):
        with pytest.raises(tally_vm.BadArguments):
            m.call("transfer", encoded[:k], gas_limit=100)
    with pytest.raises(tally_vm.BadArguments):
        m.call("transfer", encoded + b"\x00", gas_limit=100)
    # Gas limit 0 starts the call and runs out of gas at once.
    o = m.call("transfer", encoded, gas_limit=0)
    assert (o.trap, o.gas_used, o.result, o.result_bytes) == ("out_of_gas", 0, None, None)
    with pytest.raises(OverflowError):
        m.call("transfer", encoded, gas_limit=-1)
    with pytest.raises(tally_vm.OverBound):
        m.call("transfer", encoded, gas_limit=10, refuse_over_bound=True)
    assert m.call("transfer", encoded, gas_limit=10**6, heap_bytes=16).trap == "heap_exhausted"
    # Every error is a TallyError.
    assert issubclass(tally_vm.OverBound, tally_vm.TallyError)


def test_deep_values_raise_instead_of_crashing():
    m = Module.load((CONFORMANCE / "modules" / "recursion.tbc").read_bytes())
    tree = Variant("Leaf")
    for i in range(5000):
        tree = Variant("Node", tree, i, Variant("Leaf"))
    with pytest.raises(tally_vm.BadArguments):
        m.call("tree_sum", [tree], gas_limit=10**6)


def test_long_lists_convert_both_ways():
    m = Module.load((CONFORMANCE / "modules" / "higher_order.tbc").read_bytes())
    xs = list(range(100_000))
    o = m.call("doubled", [xs], gas_limit=10**9)
    assert o.result == [2 * x for x in xs]


def test_calls_run_in_parallel_threads():
    m = Module.load(TOKEN)
    ledger = [{"owner": bytes([i % 256, i // 256]), "amount": 10} for i in range(1000)]
    encoded = tally_vm.encode_args(m, "transfer", [ledger, b"\x00\x00", b"\xbb", 4])
    want = m.call("transfer", encoded, gas_limit=10**7)
    results = []

    def work():
        for _ in range(20):
            results.append(m.call("transfer", encoded, gas_limit=10**7).result_bytes)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want.result_bytes] * 80


def test_readme_example_runs_and_is_in_the_readme():
    src = (HERE / "readme_example.py").read_text()
    assert src in (ROOT / "README.md").read_text()
    out = subprocess.run([sys.executable, str(HERE / "readme_example.py")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    m = Module.load(TOKEN)
    args = [[{"owner": b"\xaa", "amount": 10}], b"\xaa", b"\xbb", 4]
    o = m.call("transfer", args, gas_limit=10**6)
    assert out == f"gas {o.gas_used} (bound {m.bound('transfer', args).gas}): {o.result!r}\n"
