#!/usr/bin/env bash
# Codec benchmark: proton-rs against proton-c 0.37, side by side.
# Each round runs both builds of tests/bench/codec_bench.c, alternating
# which goes first, pinned to one CPU (taskset -c ${CPU:-0}); prints the
# medians of wall-clock rates and of CPU time per operation, and the
# ratios proton-rs / proton-c.
# usage: tests/bench/codec.sh PREFIX [ROUNDS] [ITERATIONS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(cd "$1" && pwd)
rounds=${2:-9}
iters=${3:-300000}
build=$repo/build/bench
cmake -S "$repo/tests/bench" -B "$build/rs" -DPROTON_FLAVOR=rs -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$build/rs" >/dev/null
cmake -S "$repo/tests/bench" -B "$build/c" -DPROTON_FLAVOR=c >/dev/null
cmake --build "$build/c" >/dev/null
pin=(taskset -c "${CPU:-0}")
out=$(mktemp)
for ((i = 0; i < rounds; i++)); do
  if ((i % 2)); then order="rs c"; else order="c rs"; fi
  for lib in $order; do
    if [ $lib = rs ]; then
      line=$(LD_LIBRARY_PATH="$prefix/lib" "${pin[@]}" "$build/rs/codec_bench" "$iters")
    else
      line=$(env -u LD_LIBRARY_PATH "${pin[@]}" "$build/c/codec_bench" "$iters")
    fi
    echo "$lib $line" >>"$out"
  done
done
python3 - "$out" "$rounds" "$iters" <<'PY'
import re, statistics, sys
rows = {"rs": [], "c": []}
for line in open(sys.argv[1]):
    lib, rest = line.split(" ", 1)
    rows[lib].append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)})
med = {lib: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for lib, rs in rows.items()}
print(f"codec benchmark: map of 10 string->int + list of 20 values ({int(med['c']['size'])} bytes), "
      f"{sys.argv[3]} iterations, {sys.argv[2]} alternating rounds, pinned to one CPU; medians")
print(f"{'':10}{'proton-c':>14}{'proton-rs':>14}{'rs/c':>8}")
for op in ("encode", "decode"):
    c, r = med["c"][f"{op}_per_s"], med["rs"][f"{op}_per_s"]
    print(f"{op + '/s':10}{c:14,.0f}{r:14,.0f}{r / c:8.2f}x")
    c, r = med["c"][f"{op}_cpu_ns"], med["rs"][f"{op}_cpu_ns"]
    print(f"{op + ' cpu':10}{c:11,.0f} ns{r:11,.0f} ns{c / r:8.2f}x")
PY
rm -f "$out"
