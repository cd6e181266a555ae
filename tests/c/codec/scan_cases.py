#!/usr/bin/env python3
"""Random (data, format) lines for scan_diff.c: data encoded as hex, and a
scan format derived from the data's shape, then mutated."""
import random, sys

def enc_value(r, depth):
    k = r.choice(["null", "bool", "int", "uint", "ulong", "str", "sym", "bin", "list", "map", "desc", "array", "char", "double"]
                 if depth < 3 else ["null", "bool", "int", "str", "sym", "ulong"])
    if k == "null": return "40", "n"
    if k == "bool": return r.choice([("41", "o"), ("42", "o")])
    if k == "int": v = r.randrange(-128, 128); return "54%02x" % (v & 0xff), "i"
    if k == "uint": return "52%02x" % r.randrange(256), "I"
    if k == "ulong": return "53%02x" % r.randrange(256), "L"
    if k == "char": return "73%08x" % r.randrange(32, 127), "c"
    if k == "double": return "823ff8000000000000", "d"
    if k in ("str", "sym", "bin"):
        s = "".join(r.choice("abc") for _ in range(r.randrange(4)))
        code = {"str": "a1", "sym": "a3", "bin": "a0"}[k]
        return code + "%02x" % len(s) + s.encode().hex(), {"str": "S", "sym": "s", "bin": "z"}[k]
    if k in ("list", "map"):
        n = r.randrange(4) * (2 if k == "map" else 1)
        items = [enc_value(r, depth + 1) for _ in range(n)]
        body = "".join(i[0] for i in items)
        blen = len(body) // 2 + 1
        if blen > 255: return "40", "n"
        code = "c0" if k == "list" else "c1"
        f = ("[" if k == "list" else "{") + "".join(i[1] for i in items) + ("]" if k == "list" else "}")
        return code + "%02x%02x" % (blen, n) + body, f
    if k == "desc":
        d = r.choice([("53%02x" % r.randrange(0x10, 0x20), "L"), ("a30178", "s")])
        v = enc_value(r, depth + 1)
        while v[0].startswith("00"):
            # proton-c leaves the cursor inside after decoding a described
            # value whose value is described (not reproduced): avoid it.
            v = enc_value(r, depth + 1)
        return "00" + d[0] + v[0], "D" + d[1] + v[1]
    if k == "array":
        n = r.randrange(4)
        described = r.random() < 0.3
        body = "%02x" % n + ("00a30178" if described else "") + "54" + "".join("%02x" % r.randrange(256) for _ in range(n))
        return "e0%02x" % (len(body) // 2) + body, "@[" + ("s" if described else "") + "i" * n + "]"
    raise Exception(k)

CODES = "noBbHhIiLltfdzSsc"
def mutate(r, f):
    f = list(f)
    for _ in range(r.randrange(4)):
        op = r.randrange(7)
        i = r.randrange(len(f) + 1)
        if op == 0 and f: f[min(i, len(f) - 1)] = r.choice(CODES)
        elif op == 1: f.insert(i, "?")
        elif op == 2 and f: del f[min(i, len(f) - 1)]
        elif op == 3: f.insert(i, ".")
        elif op == 4: f.insert(i, r.choice("D[{@"))
        elif op == 5: f.insert(i, r.choice(CODES))
        elif op == 6: f.insert(i, "C")
    s = "".join(f)
    # '?' must be followed by a code (else proton errors early; keep a few)
    if r.random() < 0.9:
        s = s.replace("??", "?").rstrip("?")
    return s

def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    r = random.Random(seed)
    for _ in range(n):
        vals = [enc_value(r, 0) for _ in range(r.randrange(1, 4))]
        data = "".join(v[0] for v in vals)
        fmt = "".join(v[1] for v in vals)
        if r.random() < 0.8:
            fmt = mutate(r, fmt)
        if not fmt: fmt = "."
        # keep the number of pointer arguments under the driver's limit
        if sum(fmt.count(c) for c in CODES + "?C") > 40: continue
        print(data + "\t" + fmt)

main()
