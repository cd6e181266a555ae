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

# Heap and library addresses differ between runs; they are masked.
mask() { sed -E 's/0x[0-9a-f]{6,}/0xADDR/g' "$1"; }

# run NAME ARGS...: run the test on both libraries and compare. With
# STDIN=file in the environment, the test reads that file.
run() { run_as "$1" "$@"; }

# run_as LABEL NAME ARGS...: as run, with outputs named LABEL (for one
# program run with several arguments).
run_as() {
  local label=$1; shift
  local name=$1; shift
  local input=${STDIN:-/dev/null}
  local out="$build/out/$label"
  mkdir -p "$build/out"
  local rc_rs=0 rc_c=0
  LD_LIBRARY_PATH="$prefix/lib" "$build/rs/$name" "$@" <"$input" >"$out.rs" 2>"$out.rs.err" || rc_rs=$?
  env -u LD_LIBRARY_PATH "$build/c/$name" "$@" <"$input" >"$out.c" 2>"$out.c.err" || rc_c=$?
  local lib_rs lib_c
  lib_rs=$(sed -n 's/^library: //p' "$out.rs.err")
  lib_c=$(sed -n 's/^library: //p' "$out.c.err")
  if [ "$lib_rs" != "$rs_lib" ] || [ "$lib_c" != "$c_lib" ]; then
    echo "FAIL $label: loaded '$lib_rs' and '$lib_c', expected $rs_lib and $c_lib"; failed=1; return
  fi
  # stderr (log lines) is compared too, after the library line.
  grep -v '^library: ' "$out.rs.err" >>"$out.rs" || true
  grep -v '^library: ' "$out.c.err" >>"$out.c" || true
  if ! cmp -s <(mask "$out.rs") <(mask "$out.c"); then
    echo "FAIL $label: output differs from proton-c (exit $rc_rs vs $rc_c); first differences (< proton-c, > proton-rs):"
    diff <(mask "$out.c") <(mask "$out.rs") | head -20 || true
    failed=1; return
  fi
  if [ "$rc_rs" != "$rc_c" ]; then
    echo "FAIL $label: exit status $rc_rs, proton-c $rc_c"; failed=1; return
  fi
  echo "ok   $label ($(wc -l <"$out.rs") lines identical to proton-c)"
}

run object_api
run codec_interop "$repo"/tests/data/interop/*.amqp
run decode_corpus "$repo"/tests/data/corpus/message-decode/*
run codec_random 10000
run message_api "$repo/tests/data/message/decode-cases.txt"
run message_random 3000
run message_corpus "$repo"/tests/data/corpus/message-decode/*
run url_api
run url_corpus "$repo"/tests/data/corpus/url/*
if ROUNDTRIP=1 LD_LIBRARY_PATH="$prefix/lib" "$build/rs/codec_random" 10000 >"$build/out/roundtrip" 2>&1; then
  echo "ok   codec_random: 10000 trees decode and re-encode to the same bytes on proton-rs"
else
  echo "FAIL codec_random round trip:"; grep "round trip\|decode error" "$build/out/roundtrip" | head -5; failed=1
fi
for t in fmt1 fmt2 fmt3 enc weird nav2 nav3 get fill1 mprobe scan1 descriptors float_format; do
  run codec_$t
done
# Engine scenarios: two connection drivers wired in memory (tests/c/engine.c).
for s in basic conditions settle_modes outcomes multiframe abort drain refused idle_timeout pipelined \
         termini lifetimes detach_close batch small_window teardown trickle huge raw_trace; do
  run_as engine_$s engine $s
done
run engine_api
# TLS scenarios (tests/c/tls.c) with certificates made for this run.
certs=$("$repo/tests/tls/make-certs.sh" "$build/tls-certs")
for s in $(LD_LIBRARY_PATH="$prefix/lib" "$build/rs/tls" "$certs" --list 2>/dev/null); do
  run_as tls_$s tls "$certs" "$s"
done
# TLS over TCP with each library in each role (tests/tls/interop.c).
interop() {
  local slib=$1 clib=$2 out="$build/out/tls_interop_$1_$2"
  local port_file="$build/out/tls_interop_$1_$2.port"
  mkdir -p "$build/out"
  rm -f "$port_file"
  local senv=(env -u LD_LIBRARY_PATH) cenv=(env -u LD_LIBRARY_PATH)
  [ "$slib" = rs ] && senv=(env LD_LIBRARY_PATH="$prefix/lib")
  [ "$clib" = rs ] && cenv=(env LD_LIBRARY_PATH="$prefix/lib")
  # The server listens on a port the kernel picks, and names it in a file.
  TLS_INTEROP_PORT_FILE="$port_file" "${senv[@]}" timeout 60 "$build/$slib/tls_interop" server 0 "$certs" 2000 >"$out.server" 2>/dev/null &
  local spid=$! waited=0
  while [ ! -s "$port_file" ] && [ $waited -lt 200 ] && kill -0 $spid 2>/dev/null; do
    sleep 0.05; waited=$((waited + 1))
  done
  local port
  port=$(cat "$port_file" 2>/dev/null || echo 1)
  local crc=0 src=0
  "${cenv[@]}" timeout 60 "$build/$clib/tls_interop" client $port "$certs" 2000 >"$out.client" 2>/dev/null || crc=$?
  wait $spid || src=$?
  cat "$out.server" "$out.client" >"$out"
  if [ $crc != 0 ] || [ $src != 0 ] || ! grep -q "received 2000" "$out" || ! grep -q "accepted 2000" "$out"; then
    echo "FAIL tls_interop server=$slib client=$clib (exit $src/$crc):"; head -10 "$out"; failed=1; return
  fi
  if [ -f "$build/out/tls_interop_c_c" ] && ! cmp -s "$out" "$build/out/tls_interop_c_c"; then
    echo "FAIL tls_interop server=$slib client=$clib: output differs from proton-c's:"
    diff "$build/out/tls_interop_c_c" "$out" | head -10; failed=1; return
  fi
  echo "ok   tls_interop server=$slib client=$clib (2000 messages over TLS/TCP)"
}
interop c c
interop rs c
interop c rs
interop rs rs
# SASL scenarios (tests/c/sasl.c).
for s in $(LD_LIBRARY_PATH="$prefix/lib" "$build/rs/sasl" --list); do
  run_as sasl_$s sasl "$s"
done
# Proactor scenarios over loopback TCP (tests/c/proactor.c).
for s in hasty_header_first hasty_all_at_once flow_batches; do
  run_as proactor_$s proactor "$s"
done
run driver_corpus "$repo"/tests/data/corpus/connection-driver/*
STDIN="$repo/tests/data/codec/decode-cases.txt" run codec_dec
STDIN="$repo/tests/data/codec/scan-cases.txt" run codec_scan_diff

exit $failed
