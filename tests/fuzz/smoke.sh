#!/usr/bin/env bash
# A short fuzzing run of every target, each seeded with a copy of its
# corpus (libFuzzer adds to the corpus directory it is given). Needs
# cargo-fuzz (installed here if missing); RUSTC_BOOTSTRAP lets the stable
# toolchain build with the sanitizer flags cargo-fuzz uses.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-20}
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
export RUSTC_BOOTSTRAP=1
cd "$repo"
for target in data_decode:message-decode message_decode:message-decode url_parse:url connection_driver:connection-driver; do
  name=${target%%:*}; corpus=${target#*:}
  work=$(mktemp -d)
  cp -r "$repo/tests/data/corpus/$corpus/." "$work/"
  echo "fuzzing $name for ${seconds}s from $(ls "$work" | wc -l) inputs"
  cargo fuzz run --fuzz-dir tests/fuzz "$name" "$work" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -3
  rm -rf "$work"
done
