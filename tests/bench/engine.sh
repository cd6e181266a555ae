#!/usr/bin/env bash
# Engine benchmark: proton-rs against proton-c 0.37, side by side (see
# engine_bench.c). Alternating rounds pinned to one CPU; medians and the
# ratios proton-rs / proton-c. With TLS=1 in the environment, the two
# drivers talk TLS (certificates from tests/tls/make-certs.sh).
# usage: [TLS=1] tests/bench/engine.sh PREFIX [ROUNDS] [MESSAGES]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(cd "$1" && pwd)
rounds=${2:-7}
n=${3:-300000}
build=$repo/build/bench
cmake -S "$repo/tests/bench" -B "$build/rs" -DPROTON_FLAVOR=rs -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$build/rs" >/dev/null
cmake -S "$repo/tests/bench" -B "$build/c" -DPROTON_FLAVOR=c >/dev/null
cmake --build "$build/c" >/dev/null
pin=(taskset -c "${CPU:-0}")
tls=()
if [ -n "${TLS:-}" ]; then
  tls=("$("$repo/tests/tls/make-certs.sh" "$build/tls-certs")")
fi
out=$(mktemp)
for ((i = 0; i < rounds; i++)); do
  if ((i % 2)); then order="rs c"; else order="c rs"; fi
  for lib in $order; do
    if [ $lib = rs ]; then
      line=$(LD_LIBRARY_PATH="$prefix/lib" "${pin[@]}" "$build/rs/engine_bench" "$n" "${tls[@]}")
    else
      line=$(env -u LD_LIBRARY_PATH "${pin[@]}" "$build/c/engine_bench" "$n" "${tls[@]}")
    fi
    echo "$lib $line" >>"$out"
  done
done
python3 - "$out" "$rounds" "$n" "${TLS:+ over TLS}" <<'PY'
import re, statistics, sys
rows = {"rs": [], "c": []}
for line in open(sys.argv[1]):
    lib, rest = line.split(" ", 1)
    rows[lib].append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)})
med = {lib: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for lib, rs in rows.items()}
print(f"engine benchmark: {sys.argv[3]} messages through two connection drivers{sys.argv[4]}, credit 500, "
      f"{sys.argv[2]} alternating rounds, pinned to one CPU; medians")
print(f"{'':10}{'proton-c':>14}{'proton-rs':>14}{'rs/c':>8}")
c, r = med["c"]["msg_per_s"], med["rs"]["msg_per_s"]
print(f"{'msg/s':10}{c:14,.0f}{r:14,.0f}{r / c:8.2f}x")
c, r = med["c"]["cpu_ns"], med["rs"]["cpu_ns"]
print(f"{'cpu/msg':10}{c:11,.0f} ns{r:11,.0f} ns{c / r:8.2f}x")
PY
rm -f "$out"
