#!/usr/bin/env bash
# Builds Debian's proton example programs for tests/examples/run.sh.
#
# usage: tests/examples/build.sh PREFIX|system OUTDIR
#
#   PREFIX  a proton-rs install prefix: the C examples are compiled against its
#           headers and libraries with pkg-config
#           (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig, libqpid-proton-core and
#           libqpid-proton-proactor).
#   system  Debian's proton-c 0.37: its headers, and its libraries linked by
#           file (Debian ships no libqpid-proton-core.pc).
#
# Produces OUTDIR/c/{broker,send,receive,direct,send-abort,send-ssl,
# raw_connect,raw_echo,proactor_events} (the last one is ours, from
# tests/examples/proactor_events.c) and OUTDIR/cpp/{broker,simple_send,...}.
# The C++ examples are always compiled against Debian's C++ headers and
# linked with Debian's libqpid-proton-cpp.so.12: the C++ binding is meant to
# run unchanged on proton-rs through LD_LIBRARY_PATH.
#
# OUTDIR/libdir records the library directory the C examples were built
# against (empty for system); run.sh uses it when no --lib-a/--lib-b is given.
# Examples that are up to date are not rebuilt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -ne 2 ]; then
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
target=$1
mkdir -p "$2"
out=$(cd "$2" && pwd)

# --- packages: the examples' sources and Debian's proton-c / C++ binding ---
need=()
for pkg in gcc g++ pkg-config openssl libssl-dev libqpid-proton11-dev \
           libqpid-proton11-dev-examples libqpid-proton-cpp12-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

csrc=/usr/share/proton/examples/c
cppsrc=/usr/share/proton/examples/cpp
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
syslib=/usr/lib/$multiarch

C_EXAMPLES="broker send receive direct send-abort send-ssl raw_connect raw_echo"
CPP_EXAMPLES="broker simple_send simple_recv direct_send direct_recv client server
              ssl ssl_client_cert reconnect_client multithreaded_client scheduled_send
              flow_control queue_browser"

# Same warnings as the examples' Makefile.pkgconfig; optimised, since the
# binaries are also used for throughput figures.
CFLAGS_COMMON=(-g -O2 -Wall -Wextra)

if [ "$target" = system ]; then
  cflags=()
  clibs=("$syslib/libqpid-proton-core.so.10" "$syslib/libqpid-proton-proactor.so.1")
  libdir=""
  for f in "${clibs[@]}"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done
else
  prefix=$(cd "$target" && pwd)
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  # Only our .pc files: Debian's must not be picked up by mistake.
  export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
  read -r -a cflags <<<"$(pkg-config --cflags libqpid-proton-core libqpid-proton-proactor)"
  read -r -a clibs <<<"$(pkg-config --libs libqpid-proton-core libqpid-proton-proactor)"
  libdir=$(pkg-config --variable=libdir libqpid-proton-core)
  incdir=$(pkg-config --variable=includedir libqpid-proton-core)
  [ -e "$incdir/proton/proactor.h" ] || { echo "no proton/proactor.h under $incdir" >&2; exit 1; }
  [ -e "$libdir/libqpid-proton-core.so.10" ] || { echo "no libqpid-proton-core.so.10 in $libdir" >&2; exit 1; }
fi

mkdir -p "$out/c" "$out/cpp" "$out/log"
printf '%s\n' "$libdir" >"$out/libdir"
# A change of target invalidates the C binaries.
stamp="$out/c/.target"
if [ ! -e "$stamp" ] || [ "$(cat "$stamp")" != "$target ${cflags[*]} ${clibs[*]}" ]; then
  rm -f "$out"/c/*
  printf '%s\n' "$target ${cflags[*]} ${clibs[*]}" >"$stamp"
fi

# build NAME OUTPUT SOURCE COMMAND...: runs COMMAND unless OUTPUT is newer
# than SOURCE; the log goes to OUTDIR/log/NAME.log.
jobs_failed=0
build() {
  local name=$1 output=$2 source=$3; shift 3
  if [ -e "$output" ] && [ "$output" -nt "$source" ]; then return 0; fi
  if "$@" >"$out/log/$name.log" 2>&1; then
    echo "built $name"
  else
    echo "FAILED $name (see $out/log/$name.log):"; head -20 "$out/log/$name.log"
    return 1
  fi
}

pids=()
throttle() {  # keep at most nproc compilers running
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
}

for ex in $C_EXAMPLES; do
  throttle
  build "c-$ex" "$out/c/$ex" "$csrc/$ex.c" \
    gcc "${CFLAGS_COMMON[@]}" "${cflags[@]}" -o "$out/c/$ex" "$csrc/$ex.c" "${clibs[@]}" -lpthread &
  pids+=($!)
done
throttle
build c-proactor_events "$out/c/proactor_events" "$here/proactor_events.c" \
  gcc "${CFLAGS_COMMON[@]}" -Werror "${cflags[@]}" -o "$out/c/proactor_events" "$here/proactor_events.c" "${clibs[@]}" -lpthread &
pids+=($!)

for ex in $CPP_EXAMPLES; do
  throttle
  # Debian's C++ headers (/usr/include) and Debian's libqpid-proton-cpp.so.12.
  build "cpp-$ex" "$out/cpp/$ex" "$cppsrc/$ex.cpp" \
    g++ -std=c++11 -g -O2 -pthread -o "$out/cpp/$ex" "$cppsrc/$ex.cpp" "$syslib/libqpid-proton-cpp.so.12" &
  pids+=($!)
done

for p in "${pids[@]}"; do wait "$p" || jobs_failed=$((jobs_failed + 1)); done

# Built against proton-c, the C programs need exactly proton's two SONAMEs.
# A program that needs only libqpid-proton-core.so.10 (because the install
# keeps pn_proactor_* there) runs on that install, but not on proton-c, where
# those functions live in libqpid-proton-proactor.so.1: reported, not fatal.
for ex in $C_EXAMPLES proactor_events; do
  [ -e "$out/c/$ex" ] || continue
  needed=$(readelf -d "$out/c/$ex" | sed -n 's/.*Shared library: \[\(libqpid[^]]*\)\].*/\1/p' | sort | tr '\n' ' ')
  if [ "$needed" != "libqpid-proton-core.so.10 libqpid-proton-proactor.so.1 " ]; then
    echo "warning: c/$ex needs: ${needed:-no proton library} (with proton-c: libqpid-proton-core.so.10 libqpid-proton-proactor.so.1)"
  fi
done

if [ "$jobs_failed" -ne 0 ]; then
  echo "build.sh: $jobs_failed program(s) failed to build against $target" >&2
  exit 1
fi
echo "examples for $target in $out (C programs against: ${libdir:-the system proton-c})"
