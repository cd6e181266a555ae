#!/usr/bin/env python3
"""Random trees in fmt_tree.c's notation, rich in what pn_data_format treats
specially: described values with known descriptors (of every child count),
nulls, scalars given children, arrays. usage: fmt_tree_cases.py SEED N"""
import random, sys
r = random.Random(int(sys.argv[1]))
KNOWN = [16,17,18,19,20,21,22,23,24,29,35,36,37,38,39,40,41,43,48,64,65,112,113,114,115,116,117,118,119,120]
def scalar():
    c = r.random()
    if c < 0.35: return 'n'
    if c < 0.45: return r.choice('tf')
    if c < 0.6: return 'i%d' % r.randint(-5, 300)
    if c < 0.75: return 'L%d' % (r.choice(KNOWN) if r.random() < 0.7 else r.randint(0, 130))
    if c < 0.8: return 'I%d' % r.randint(0, 20)
    if c < 0.9: return 's' + r.choice(['a', 'foo', 'x-y', 'Ab'])
    return 'S' + r.choice(['a', 'b', 'zz'])
def kids(depth, n):
    return '(' + ' '.join(value(depth + 1) for _ in range(n)) + ')'
def value(depth):
    c = r.random()
    if depth > 4 or c < 0.45:
        s = scalar()
        if r.random() < 0.03 and depth < 5: s += kids(depth, r.randint(0, 3))
        return s
    if c < 0.6: return 'l' + kids(depth, r.randint(0, 5))
    if c < 0.7: return 'm' + kids(depth, r.randint(0, 6))
    if c < 0.92:
        n = r.choice([2, 2, 2, 2, 2, 1, 0, 3, 4])
        parts = []
        if n: parts.append('L%d' % r.choice(KNOWN) if r.random() < 0.8 else value(depth + 1))
        parts += [value(depth + 1) for _ in range(n - 1)]
        return 'd(' + ' '.join(parts) + ')'
    # arrays: elements of the array's type
    t = r.choice([8, 10, 1, 24, 25, 21])
    desc = r.random() < 0.3
    els = []
    if desc: els.append('L%d' % r.choice(KNOWN) if r.random() < 0.7 else 'sfoo')
    for _ in range(r.randint(0, 4)):
        if t == 8: els.append('i%d' % r.randint(-3, 3))
        elif t == 10: els.append('L%d' % r.choice(KNOWN))
        elif t == 1: els.append('n')
        elif t == 21: els.append('sab')
        elif t == 24: els.append('l' + kids(depth + 1, r.randint(0, 3)))
        else: els.append('m' + kids(depth + 1, 2 * r.randint(0, 2)))
    return ('A' if desc else 'a') + str(t) + '(' + ' '.join(els) + ')'
for _ in range(int(sys.argv[2])):
    print(' '.join(value(0) for _ in range(r.randint(1, 3))))
