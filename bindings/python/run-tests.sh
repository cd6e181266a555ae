#!/usr/bin/env bash
# Runs the Proton Python API tests (bindings/python/tests) against a proton
# install, through both existing bindings:
#
#   bindings/python/run-tests.sh PREFIX [pytest args...]   # e.g. build/install
#   bindings/python/run-tests.sh system [pytest args...]   # Debian's proton-c
#
#  (a) Debian's binding python3-qpid-proton 0.37 under /usr/bin/python3, with
#      LD_LIBRARY_PATH=PREFIX/lib (for `system`: no LD_LIBRARY_PATH);
#  (b) python-qpid-proton 0.40 from PyPI, built by install.sh against PREFIX
#      in a fresh virtual environment (for `system`: against a throwaway
#      prefix around Debian's proton-c, made by protonc-prefix.sh).
# Each run prints, in pytest's header, the libqpid-proton-core it loaded,
# and stops at once if that is not the library of PREFIX.
#
# Environment: BINDINGS=debian|pypi|both (default both); PYTHON, the
# interpreter for the venv of (b) (default: python3 on PATH).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: $0 PREFIX|system [pytest args...]}
shift
bindings=${BINDINGS:-both}
python=${PYTHON:-python3}

# -- what the tests need ------------------------------------------------------
need=()
for pkg in python3-qpid-proton python3-pytest python3-venv python3-dev openssl gcc pkg-config \
           libqpid-proton11-dev rabbitmq-server; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "run-tests.sh: installing ${need[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${need[@]}" >/dev/null \
    || echo "run-tests.sh: warning: could not install ${need[*]}" >&2
fi

work=$(mktemp -d -t proton-python-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "$target" = system ]; then
  syslib=$(dirname "$(readlink -f "$(/sbin/ldconfig -p | awk '/libqpid-proton-core.so.10 /{print $NF; exit}')")")
  [ -d "$syslib" ] || { echo "run-tests.sh: Debian's libqpid-proton-core.so.10 is not installed" >&2; exit 1; }
  debian_ld=""
  debian_expect=$syslib
  # the 0.40 binding needs a prefix with a .pc file: a throwaway one around proton-c
  pypi_prefix=$work/protonc-prefix
  "$here/protonc-prefix.sh" "$pypi_prefix" >/dev/null || exit 1
else
  [ -d "$target/lib" ] || { echo "run-tests.sh: $target/lib does not exist" >&2; exit 1; }
  prefix=$(cd "$target" && pwd)
  debian_ld=$prefix/lib
  debian_expect=$prefix/lib
  pypi_prefix=$prefix
fi

export PYTHONDONTWRITEBYTECODE=1
pytest_args=(-ra -p no:cacheprovider "$@")
status=0
summary=()

run_debian() {
  echo
  echo "=== (a) Debian's binding (/usr/bin/python3, python3-qpid-proton) on ${debian_ld:-the system library}"
  local rc
  (
    cd "$here"
    if [ -n "$debian_ld" ]; then export LD_LIBRARY_PATH=$debian_ld; else unset LD_LIBRARY_PATH; fi
    export PROTON_EXPECT_LIB=$debian_expect
    exec timeout 1200 /usr/bin/python3 -m pytest "${pytest_args[@]}" tests
  )
  rc=$?
  summary+=("(a) Debian's binding 0.37: $([ $rc = 0 ] && echo passed || echo "FAILED (exit $rc)")")
  [ $rc = 0 ] || status=1
}

run_pypi() {
  echo
  echo "=== (b) python-qpid-proton 0.40 (PyPI, built by install.sh) on $pypi_prefix/lib"
  local rc venv=$work/venv
  if ! "$python" -m venv "$venv"; then
    summary+=("(b) PyPI binding 0.40: FAILED (no venv)"); status=1; return
  fi
  (
    set -e
    . "$venv/bin/activate"
    unset LD_LIBRARY_PATH
    "$here/install.sh" "$pypi_prefix"
    pip install -q pytest
    cd "$here"
    export PROTON_EXPECT_LIB=$pypi_prefix/lib
    exec timeout 1200 python -m pytest "${pytest_args[@]}" tests
  )
  rc=$?
  summary+=("(b) PyPI binding 0.40: $([ $rc = 0 ] && echo passed || echo "FAILED (exit $rc)")")
  [ $rc = 0 ] || status=1
}

case "$bindings" in
  debian) run_debian ;;
  pypi) run_pypi ;;
  both) run_debian; run_pypi ;;
  *) echo "run-tests.sh: BINDINGS must be debian, pypi or both" >&2; exit 2 ;;
esac

echo
printf '%s\n' "${summary[@]}"
exit $status
