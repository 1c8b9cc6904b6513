#!/usr/bin/env python3
"""Prints the README table from criterion's results of `benches/peers.rs`.

Usage: python3 vm-core/benches/peers/table.py [TARGET_DIR]
(TARGET_DIR defaults to $CARGO_TARGET_DIR or vm-core/benches/peers/target).
"""
import json, math, os, sys

target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "CARGO_TARGET_DIR", os.path.join(os.path.dirname(__file__), "target"))
root = os.path.join(target, "criterion")

def fib_calls(n):
    a, b = 1, 1  # calls(0) = calls(1) = 1; calls(n) = 1 + calls(n-1) + calls(n-2)
    for _ in range(n - 1):
        a, b = b, 1 + a + b
    return b

# kernel group, unit, operations per run for the full size, uplc size ->
# operations (None: no uplc peer). Sizes are those of src/lib.rs `sizes`.
KERNELS = [
    ("A sum", "iteration", 10_000_000, lambda n: n),
    ("B fib", "call", fib_calls(25), fib_calls),
    ("C fold", "element", 100_000, lambda n: n),
    ("D sort", "comparison", 2000 * 1999 // 2, lambda n: n * (n - 1) // 2),
    ("E transfer", "ledger entry", 1000, lambda n: n),
    ("F orders", "order", 50_000, None),
    # 20,000 inserts and 20,000 lookups on a 16,000-key tree
    ("G bst", "tree operation", 2 * 20_000, None),
    ("H merge", "merged element", 2 * 20_000, None),
    ("I stats", "element", 100_000, None),
    ("J window", "step", 100_000, None),
    ("K sum double", "iteration", 10_000_000, None),
    ("L squares", "element", 100_000, None),
    ("M map transfer", "transfer", 1, None),
    ("N signature", "verification", 1, None),
]

def mean_ns(group, bench):
    p = os.path.join(root, group, bench, "new", "estimates.json")
    with open(p) as f:
        e = json.load(f)
    # criterion prints the slope estimate when it has one (linear sampling).
    return (e.get("slope") or e["mean"])["point_estimate"]

def fmt_time(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.3g} ns"

def per(ns, ops):
    v = ns / ops
    return f"{v:.3g}" if v < 1000 else f"{v:,.0f}"

print("| kernel | Tally (time) | Tally ns/op | Tally unchecked | wasmi fuel | wasmi | uplc (size) | native | ÷ wasmi fuel | ÷ wasmi | uplc ÷ Tally | ÷ native |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
ratios = {"wasmi-fuel": [], "wasmi": []}
for group, unit, ops, uplc_ops in KERNELS:
    d = os.path.join(root, group)
    t = {b: mean_ns(group, b) for b in ("tally", "tally-unchecked", "wasmi-fuel", "wasmi", "native")}
    tally = t["tally"] / ops
    for peer in ratios:
        ratios[peer].append(t["tally"] / t[peer])
    if uplc_ops is None:
        uplc_cell, uplc_ratio = "–", "–"
    else:
        uplc = next(b for b in os.listdir(d) if b.startswith("uplc"))
        n = int(uplc.split("=")[1]) if "=" in uplc else None
        u = mean_ns(group, uplc) / uplc_ops(n)
        uplc_cell, uplc_ratio = f"{u:,.0f} (n = {n:,})", f"{u / tally:,.0f}"
    row = [
        f"{group} (ns per {unit})",
        fmt_time(t["tally"]),
        per(t["tally"], ops),
        per(t["tally-unchecked"], ops),
        per(t["wasmi-fuel"], ops),
        per(t["wasmi"], ops),
        uplc_cell,
        per(t["native"], ops),
        f"{tally / (t['wasmi-fuel'] / ops):.2f}",
        f"{tally / (t['wasmi'] / ops):.2f}",
        uplc_ratio,
        f"{tally / (t['native'] / ops):.1f}",
    ]
    print("| " + " | ".join(row) + " |")

def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))

print()
print(f"Geometric mean over the {len(KERNELS)} kernels: Tally ÷ wasmi fuel "
      f"{geomean(ratios['wasmi-fuel']):.2f}, ÷ wasmi {geomean(ratios['wasmi']):.2f}.")
