"""Overhead of tally_vm: bound, and a transfer on a 1,000-entry ledger, with
arguments as Python data and as the canonical encoding (medians of five
batches; compare with `cargo bench -p tally-capi --bench overhead`)."""

import pathlib
import statistics
import time

import tally_vm

ROOT = pathlib.Path(__file__).resolve().parents[3]
module = tally_vm.Module.load((ROOT / "vm-core/conformance/modules/assoc_token.tbc").read_bytes())


def key(i):
    return bytes([i // 256, i % 256])


def transfer_args(n):
    ledger = [{"owner": key(i), "amount": 10} for i in range(n)]
    return [ledger, key(max(n, 1) - 1), b"new", 4]


def per_call(iters, f):
    batches = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(iters):
            f()
        batches.append((time.perf_counter() - t) / iters * 1e9)
    return statistics.median(batches)


small, big = transfer_args(1), transfer_args(1000)
small_enc = tally_vm.encode_args(module, "transfer", small)
big_enc = tally_vm.encode_args(module, "transfer", big)
G = 2**63
rows = [
    ("bound (1-entry ledger), Python data", per_call(20000, lambda: module.bound("transfer", small))),
    ("bound (1-entry ledger), encoded", per_call(20000, lambda: module.bound("transfer", small_enc))),
    ("transfer (1,000 entries), Python data, result as bytes",
     per_call(200, lambda: module.call("transfer", big, gas_limit=G).result_bytes)),
    ("transfer (1,000 entries), Python data in and out",
     per_call(200, lambda: module.call("transfer", big, gas_limit=G).result)),
    ("transfer (1,000 entries), encoded",
     per_call(200, lambda: module.call("transfer", big_enc, gas_limit=G).result_bytes)),
]
for name, ns in rows:
    print(f"{name:<56} {ns:>10.0f} ns")
