#!/usr/bin/env bash
# Installs the Proton Python API (the upstream binding python-qpid-proton,
# pinned) into the ACTIVE virtual environment, built from its source
# distribution against the proton library installed under PREFIX:
#
#   python3 -m venv venv && . venv/bin/activate
#   bindings/python/install.sh PREFIX      # e.g. build/install
#
# The binding's C extension (cproton_ffi) is compiled against PREFIX's headers,
# linked to PREFIX/lib/libqpid-proton-core.so.10 and given a run path to
# PREFIX/lib, so `import proton` loads that library without LD_LIBRARY_PATH.
set -euo pipefail

VERSION=0.40.0
PACKAGE=python-qpid-proton

die() { echo "install.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 PREFIX   (the directory proton-rs was installed into, e.g. build/install)"
[ -d "$1" ] || die "PREFIX '$1' is not a directory"
prefix=$(cd "$1" && pwd)
pcdir=$prefix/lib/pkgconfig

# -- the active virtual environment -----------------------------------------
if [ -z "${VIRTUAL_ENV:-}" ] || [ ! -x "$VIRTUAL_ENV/bin/python" ]; then
  die "no virtual environment is active: create and activate one first, e.g.
    python3 -m venv venv && . venv/bin/activate && $0 $1"
fi
py=$VIRTUAL_ENV/bin/python
"$py" -c 'import sys; sys.exit(0 if sys.prefix != sys.base_prefix else 1)' \
  || die "$py is not inside a virtual environment (VIRTUAL_ENV=$VIRTUAL_ENV)"
"$py" -m pip --version >/dev/null 2>&1 || die "the virtual environment has no pip: recreate it with 'python3 -m venv'"

# -- build tools ------------------------------------------------------------
cc=${CC:-cc}
command -v "${cc%% *}" >/dev/null || die "no C compiler ('$cc') found: install one (Debian: apt-get install gcc)"
command -v pkg-config >/dev/null || die "pkg-config not found (Debian: apt-get install pkg-config)"
pyinc=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
if [ ! -f "$pyinc/Python.h" ]; then
  base=$("$py" -c 'import sys; print(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)')
  pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  case "$(readlink -f "$base")" in
    /usr/bin/*) hint="Debian: apt-get install python3-dev (python$pyver-dev) for $base" ;;
    *) hint="install the development headers of the interpreter $base (Python $pyver)" ;;
  esac
  die "Python headers missing: $pyinc/Python.h not found; $hint"
fi

# -- the proton library under PREFIX ---------------------------------------
export PKG_CONFIG_PATH=$pcdir
if ! pkg-config --exists libqpid-proton-core; then
  die "pkg-config cannot find libqpid-proton-core in $pcdir
    (is '$prefix' a proton-rs install? it ships lib/pkgconfig/libqpid-proton-core.pc)"
fi
found_pc=$(pkg-config --variable=pcfiledir libqpid-proton-core)
[ "$(cd "$found_pc" && pwd)" = "$pcdir" ] \
  || die "pkg-config found libqpid-proton-core in $found_pc, not in $pcdir"
[ -e "$prefix/lib/libqpid-proton-core.so.10" ] || die "$prefix/lib/libqpid-proton-core.so.10 is missing"
echo "install.sh: building $PACKAGE $VERSION against libqpid-proton-core $(pkg-config --modversion libqpid-proton-core) in $prefix"
echo "install.sh: into $VIRTUAL_ENV ($("$py" --version))"

# -- build and install ---------------------------------------------------------
export QPID_PYTHON_UNBUNDLING=unbundled
export LDFLAGS="${LDFLAGS:-} -Wl,-rpath,$prefix/lib"
log=$(mktemp -t proton-python-install.XXXXXX.log)
"$py" -m pip uninstall -y -q "$PACKAGE" >/dev/null 2>&1 || true
if ! "$py" -m pip install --no-binary "$PACKAGE" --no-cache-dir "$PACKAGE==$VERSION" >"$log" 2>&1; then
  tail -40 "$log" >&2
  if grep -q 'Python.h' "$log"; then
    die "building the extension failed: Python headers not found (see above; full log: $log)"
  elif grep -qE 'proton/[a-z_]+\.h|undeclared|unknown type name|conflicting types' "$log"; then
    die "building the extension failed against the headers in $prefix/include (see above; full log: $log)"
  fi
  die "pip install failed (see above; full log: $log)"
fi
rm -f "$log"

# -- check what it links ---------------------------------------------------
ext=$("$py" - <<'PY'
import glob, os, sysconfig
for d in {sysconfig.get_paths()["platlib"], sysconfig.get_paths()["purelib"]}:
    for f in glob.glob(os.path.join(d, "cproton_ffi*.so")):
        print(f)
PY
)
[ -n "$ext" ] || die "the binding installed but no cproton_ffi*.so was built"
ext=$(echo "$ext" | head -1)
linked=$(env -u LD_LIBRARY_PATH ldd "$ext" | awk '$1 == "libqpid-proton-core.so.10" { print $3 }')
[ -n "$linked" ] || { env -u LD_LIBRARY_PATH ldd "$ext" >&2; die "$ext does not link libqpid-proton-core.so.10"; }
if [ "$(readlink -f "$(dirname "$linked")")" != "$(readlink -f "$prefix/lib")" ]; then
  env -u LD_LIBRARY_PATH ldd "$ext" >&2
  die "$ext links $linked, not the library of $prefix"
fi
echo "install.sh: $(basename "$ext") links $linked"
if ! err=$(env -u LD_LIBRARY_PATH "$py" -c 'import proton, proton.reactor, proton.handlers, proton.utils' 2>&1); then
  echo "$err" >&2
  die "the binding was built but 'import proton' fails on $prefix/lib/libqpid-proton-core.so.10"
fi
echo "install.sh: installed $PACKAGE $VERSION; 'import proton' works in $VIRTUAL_ENV"
