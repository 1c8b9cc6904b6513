#!/usr/bin/env python3
"""Regenerates the checked-in seed corpora of the fuzz targets (fuzz/seeds/).

Sources (examples, stdlib, diagnostics tests, benchmark kernels) seed the
front end and the formatter; their bytecode, compiled with the workspace's
`tally build`, seeds the decoder, the verifier and the evaluator; a few
values and literals seed the codec target. Run from anywhere:

    python3 fuzz/make_seeds.py
"""

import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")

SOURCES = ["examples/*.tly", "examples/reject/*.tly", "stdlib/*.tly",
           "compiler/tests/diagnostics/*.tly", "vm-core/benches/peers/kernels/*.tly"]
COMPILED = ["examples/*.tly", "stdlib/*.tly", "vm-core/benches/peers/kernels/*.tly"]

# Entropy for the arguments and gas limit (see fuzz/src/lib.rs): zeros
# (smallest values, a small limit), mixed, and large limits.
ENTROPIES = [b"", bytes(range(1, 33)), b"\x02\x05" * 16, b"\xff\x07\x03" * 12]


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def int_node(n):
    return b"\x03" + sleb(n)


def cell(tag, arity):
    return b"\x05" + uleb(tag) + uleb(arity)


def int_list(xs):
    out = b""
    for x in xs:
        out += cell(1, 2) + int_node(x)
    return out + cell(0, 0)


def write(target, name, data):
    directory = os.path.join(SEEDS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def files(patterns):
    for pattern in patterns:
        yield from sorted(glob.glob(os.path.join(ROOT, pattern)))


def seed_name(path):
    return os.path.relpath(path, ROOT).replace("/", "_")


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    for path in files(SOURCES):
        with open(path, "rb") as f:
            text = f.read()
        write("front_end", seed_name(path), text)
        write("format", seed_name(path), text)

    subprocess.run(["cargo", "build", "-q", "-p", "tally"], cwd=ROOT, check=True)
    tally = os.path.join(ROOT, "target", "debug", "tally")
    with tempfile.TemporaryDirectory() as tmp:
        for path in files(COMPILED):
            out = os.path.join(tmp, "m.tbc")
            built = subprocess.run([tally, "build", path, "-o", out],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if built.returncode != 0:
                continue
            with open(out, "rb") as f:
                module = f.read()
            name = seed_name(path).removesuffix(".tly")
            write("decode", name + ".tbc", module)
            framed = struct.pack("<H", len(module)) + module
            write("verify_bound", name, framed + ENTROPIES[1])
            for i, entropy in enumerate(ENTROPIES):
                write("evaluate", f"{name}-{i}", framed + entropy)

    # value_literal: a type selector (see the target's table), then a value
    # encoding or a literal.
    values = {
        "int": (2, int_node(-170141183460469231731687303715884105728)),
        "bytes": (3, b"\x04\x03abc"),
        "list": (4, int_list([3, 1, 2])),
        "shape": (5, cell(2, 2) + cell(1, 1) + int_node(7) + cell(3, 2) + b"\x04\x01z" + int_list([1])),
        "account": (6, cell(0, 3) + b"\x04\x02\xab\xcd" + int_node(100) + b"\x02"),
        "tuple": (7, cell(0, 2) + int_node(5) + cell(0, 0)),
        "args": (0, uleb(2) + int_node(1) + b"\x00"),
    }
    for name, (selector, encoded) in values.items():
        write("value_literal", "value-" + name, bytes([selector]) + encoded)
    literals = {
        "unit": (0, "()"), "bool": (1, "true"), "int": (2, "-12345678901234567890"),
        "bytes": (3, "#\"deadBEEF\""), "list": (4, "[1, -2, 3]"),
        "shape": (5, "Pair(Dot(1), Tagged(#\"00\", [4, 5]))"),
        "account": (6, "Account { owner: #\"ab\", balance: 7, ok: false }"),
        "tuple": (7, "(3, Empty)"),
    }
    for name, (selector, text) in literals.items():
        write("value_literal", "literal-" + name, bytes([selector]) + text.encode())
    count = sum(len(fs) for _, _, fs in os.walk(SEEDS))
    print(f"{count} seeds in {os.path.relpath(SEEDS, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
