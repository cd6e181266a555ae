#!/usr/bin/env bash
# Hostile inputs through the installed proton-rs under valgrind: no invalid
# access, no leak. Uses the C test binaries tests/c/run.sh built.
# usage: tests/c/valgrind.sh PREFIX [BUILD_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(cd "$1" && pwd)
build=${2:-$repo/build/ctests}
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
fail=0
probe() {
  local name=$1; shift
  # The programs' own exit status is judged by run.sh; here only valgrind's
  # verdict (99) and crashes (signals) count.
  local rc=0
  env LD_LIBRARY_PATH="$prefix/lib" "${vg[@]}" "$build/rs/$name" "$@" >/dev/null 2>"$build/out/$name.vg" || rc=$?
  if [ "$rc" != 99 ] && [ "$rc" -lt 128 ]; then
    echo "ok   $name under valgrind"
  else
    echo "FAIL $name under valgrind:"; grep -v '^library:' "$build/out/$name.vg" | head -30; fail=1
  fi
}
mkdir -p "$build/out"
probe decode_corpus "$repo"/tests/data/corpus/message-decode/*
probe codec_interop "$repo"/tests/data/interop/*.amqp
ROUNDTRIP=1 probe codec_random 300
probe object_api
probe message_corpus "$repo"/tests/data/corpus/message-decode/*
probe message_api "$repo/tests/data/message/decode-cases.txt"
probe message_random 200
probe url_corpus "$repo"/tests/data/corpus/url/*
probe url_api
probe engine_api
probe driver_corpus "$repo"/tests/data/corpus/connection-driver/*
for s in basic outcomes multiframe abort drain idle_timeout lifetimes batch teardown; do
  probe engine "$s"
done
exit $fail
