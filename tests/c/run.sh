#!/usr/bin/env bash
# Differential C tests: build tests/c against proton-rs (installed at $1,
# found with find_package(Proton)) and against Debian's proton-c 0.37, run
# every test on both, and require the same output. Each binary reports the
# library it loaded; the runner checks it is the one it claims to test.
#
# usage: tests/c/run.sh PREFIX [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
prefix=$(cd "$1" && pwd)
build=${2:-$repo/build/ctests}

mkdir -p "$build"

echo "== building C tests against proton-rs ($prefix) and proton-c (Debian)"
cmake -S "$here" -B "$build/rs" -DPROTON_FLAVOR=rs -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build/rs" -j2 >/dev/null
cmake -S "$here" -B "$build/c" -DPROTON_FLAVOR=c -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build/c" -j2 >/dev/null

rs_lib=$(readlink -f "$prefix/lib/libqpid-proton-core.so.10")
c_lib=$(readlink -f /usr/lib/x86_64-linux-gnu/libqpid-proton-core.so.10)
failed=0

# run NAME ARGS...: run the test on both libraries and compare.
run() {
  local name=$1; shift
  local out="$build/out/$name"
  mkdir -p "$build/out"
  local rc_rs=0 rc_c=0
  LD_LIBRARY_PATH="$prefix/lib" "$build/rs/$name" "$@" >"$out.rs" 2>"$out.rs.err" || rc_rs=$?
  env -u LD_LIBRARY_PATH "$build/c/$name" "$@" >"$out.c" 2>"$out.c.err" || rc_c=$?
  local lib_rs lib_c
  lib_rs=$(sed -n 's/^library: //p' "$out.rs.err")
  lib_c=$(sed -n 's/^library: //p' "$out.c.err")
  if [ "$lib_rs" != "$rs_lib" ] || [ "$lib_c" != "$c_lib" ]; then
    echo "FAIL $name: loaded '$lib_rs' and '$lib_c', expected $rs_lib and $c_lib"; failed=1; return
  fi
  if ! cmp -s "$out.rs" "$out.c"; then
    echo "FAIL $name: output differs from proton-c (exit $rc_rs vs $rc_c); first differences:"
    diff "$out.c" "$out.rs" | head -20
    failed=1; return
  fi
  if [ "$rc_rs" != "$rc_c" ]; then
    echo "FAIL $name: exit status $rc_rs, proton-c $rc_c"; failed=1; return
  fi
  echo "ok   $name ($(wc -l <"$out.rs") lines identical to proton-c)"
}

run object_api
run codec_interop "$repo"/tests/data/interop/*.amqp
run decode_corpus "$repo"/tests/data/corpus/message-decode/*
run codec_random 10000
run codec_api

exit $failed
