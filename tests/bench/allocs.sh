#!/usr/bin/env bash
# Heap allocations per message in the engine benchmark's steady state, on
# proton-rs and proton-c 0.37: engine_bench runs with two message counts
# under a malloc-counting shim (malloc_count.c); the difference in calls
# over the difference in messages is the per-message rate (start-up and
# pools growing to the credit window cancel out).
# usage: tests/bench/allocs.sh PREFIX [N1 N2]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(cd "$1" && pwd)
n1=${2:-20000}
n2=${3:-120000}
build=$repo/build/bench
cmake -S "$repo/tests/bench" -B "$build/rs" -DPROTON_FLAVOR=rs -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$build/rs" >/dev/null
cmake -S "$repo/tests/bench" -B "$build/c" -DPROTON_FLAVOR=c >/dev/null
cmake --build "$build/c" >/dev/null
shim=$build/malloc_count.so
cc -O2 -shared -fPIC -o "$shim" "$repo/tests/bench/malloc_count.c" -ldl
count() { # lib n -> "malloc calloc realloc free bytes"
  local out
  if [ "$1" = rs ]; then
    out=$(LD_PRELOAD=$shim LD_LIBRARY_PATH="$prefix/lib" "$build/rs/engine_bench" "$2" 2>&1 >/dev/null)
  else
    out=$(env -u LD_LIBRARY_PATH LD_PRELOAD=$shim "$build/c/engine_bench" "$2" 2>&1 >/dev/null)
  fi
  sed -n 's/^malloc_count: malloc=\([0-9]*\) calloc=\([0-9]*\) realloc=\([0-9]*\) free=\([0-9]*\) bytes=\([0-9]*\)$/\1 \2 \3 \4 \5/p' <<<"$out"
}
echo "heap calls per message in the steady state (engine_bench $n1 vs $n2 messages)"
printf '%-10s%10s%10s%10s%10s%12s\n' "" malloc calloc realloc free bytes
for lib in c rs; do
  read -r a1 b1 c1 d1 e1 < <(count $lib "$n1")
  read -r a2 b2 c2 d2 e2 < <(count $lib "$n2")
  python3 - "$lib" "$((n2 - n1))" "$((a2 - a1))" "$((b2 - b1))" "$((c2 - c1))" "$((d2 - d1))" "$((e2 - e1))" <<'PY'
import sys
lib, n, *d = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:])
name = {"c": "proton-c", "rs": "proton-rs"}[lib]
print(f"{name:10}" + "".join(f"{x / n:10.4f}" for x in d[:4]) + f"{d[4] / n:12.2f}")
PY
done
