#!/usr/bin/env python3
"""An off-chain client that knows nothing of Tally but an interface file.

    python3 interface_client.py NAME.interface.json EXPORT 'JSON-ARGS'

prints the canonical encoding (lang-spec/bytecode.md section 8) of the
argument list, as hex, for `tally run --args-hex`. The arguments are JSON,
one per parameter, read against the parameter types the interface gives:

- Int: a number (or a decimal string); Bool: true/false; (): null;
- Bytes: a hex string;
- struct: an object by field name (encoded in the interface's field order);
- tuple: an array; list: an array;
- enum: {"variant": NAME, "fields": [..]} (the tag is looked up by name);
- map: an array of [key, value] pairs (sorted here, as the encoding needs).

Standard library only; no Tally code is used.
"""

import json
import sys


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        done = (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40)
        out.append(byte if done else byte | 0x80)
        if done:
            return bytes(out)


class Encoder:
    def __init__(self, interface):
        self.types = interface["types"]

    def encode(self, ty, value):
        kind = ty["kind"]
        if kind == "unit":
            return b"\x00"
        if kind == "bool":
            return b"\x02" if value else b"\x01"
        if kind == "int":
            return b"\x03" + sleb(int(value))
        if kind == "bytes":
            data = bytes.fromhex(value)
            return b"\x04" + uleb(len(data)) + data
        return self.adt(self.types[ty["index"]], value)

    def cell(self, tag, fields, values):
        out = b"\x05" + uleb(tag) + uleb(len(fields))
        for field, value in zip(fields, values):
            out += self.encode(field["type"], value)
        return out

    def adt(self, adt, value):
        kind = adt["kind"]
        variants = adt["variants"]
        if kind == "struct":
            (variant,) = variants
            fields = variant["fields"]
            return self.cell(variant["tag"], fields, [value[f["name"]] for f in fields])
        if kind == "tuple":
            (variant,) = variants
            return self.cell(variant["tag"], variant["fields"], value)
        if kind == "enum":
            (variant,) = [v for v in variants if v["name"] == value["variant"]]
            return self.cell(variant["tag"], variant["fields"], value.get("fields", []))
        if kind == "list":
            nil = next(v for v in variants if not v["fields"])
            cons = next(v for v in variants if v["fields"])
            head_type = cons["fields"][0]["type"]
            # Iteratively: the cells nest to the right, Cons(head, tail).
            out = b""
            for item in value:
                out += b"\x05" + uleb(cons["tag"]) + uleb(2) + self.encode(head_type, item)
            return out + b"\x05" + uleb(nil["tag"]) + uleb(0)
        if kind == "map":
            (variant,) = variants
            key_type, value_type = (f["type"] for f in variant["fields"])
            if key_type["kind"] == "int":
                entries = sorted(value, key=lambda kv: int(kv[0]))
            else:
                entries = sorted(value, key=lambda kv: bytes.fromhex(kv[0]))
            out = b"\x06" + uleb(len(entries))
            for k, v in entries:
                out += self.encode(key_type, k) + self.encode(value_type, v)
            return out
        raise ValueError(f"unknown type kind {kind}")


def encode_call(interface, export, args):
    (entry,) = [e for e in interface["exports"] if e["export"] == export]
    params = entry["params"]
    if len(args) != len(params):
        raise ValueError(f"{export} takes {len(params)} arguments, {len(args)} given")
    encoder = Encoder(interface)
    out = uleb(len(args))
    for param, arg in zip(params, args):
        out += encoder.encode(param["type"], arg)
    return out.hex()


def main():
    path, export, args = sys.argv[1:4]
    with open(path, encoding="utf-8") as f:
        interface = json.load(f)
    if interface.get("schema") != "tally-interface/1":
        raise SystemExit(f"unknown interface schema {interface.get('schema')!r}")
    print(encode_call(interface, export, json.loads(args)))


if __name__ == "__main__":
    main()
