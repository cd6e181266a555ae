#!/usr/bin/env bash
# Memory of an idle connection (one session, one link) on proton-rs and
# proton-c 0.37, side by side (see idle_memory.c): heap in use and resident
# set growth per connection, and the ratios proton-rs / proton-c.
# usage: tests/bench/idle_memory.sh PREFIX [PAIRS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(cd "$1" && pwd)
n=${2:-2000}
build=$repo/build/bench
cmake -S "$repo/tests/bench" -B "$build/rs" -DPROTON_FLAVOR=rs -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$build/rs" >/dev/null
cmake -S "$repo/tests/bench" -B "$build/c" -DPROTON_FLAVOR=c >/dev/null
cmake --build "$build/c" >/dev/null
rs=$(LD_LIBRARY_PATH="$prefix/lib" "$build/rs/idle_memory" "$n")
c=$(env -u LD_LIBRARY_PATH "$build/c/idle_memory" "$n")
python3 - "$c" "$rs" <<'PY'
import re, sys
c, rs = ({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", a)} for a in sys.argv[1:3])
print(f"idle connections: {c['connections']:.0f} (pairs of drivers, each end with a session and a link), per connection")
print(f"{'':10}{'proton-c':>14}{'proton-rs':>14}{'rs/c':>8}")
for key, name in (("heap_per_conn", "heap"), ("rss_per_conn", "rss")):
    print(f"{name:10}{c[key]:12,.0f} B{rs[key]:12,.0f} B{rs[key] / c[key]:8.2f}")
PY
