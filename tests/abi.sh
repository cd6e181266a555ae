#!/usr/bin/env bash
# Drop-in checks of an installed proton-rs: SONAMEs, exported symbols (the
# C API only), pkg-config and the CMake package. When the project's shared
# reference tools are present (../shared/tools/abi-check), also runs them.
# usage: tests/abi.sh PREFIX
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(cd "$1" && pwd)
lib=$prefix/lib
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

for so in libqpid-proton-core.so.10 libqpid-proton-proactor.so.1 libqpid-proton.so.11; do
  check "$so has SONAME $so" "objdump -p '$lib/$so' | grep -q 'SONAME *$so\$'"
done
check "only the C API is exported" \
  "! nm -D --defined-only '$lib/libqpid-proton-core.so.10' | awk '{print \$3}' | grep -Ev '^(pn_|pnx_|pni_message_(with|get)_extra\$|pni_parse_addr\$|PN_(OBJECT|VOID|WEAKREF)\$)' | grep -q ."
for sym in PN_OBJECT:104 PN_VOID:104 PN_WEAKREF:104 pn_bytes_null:16 pn_rwbytes_null:16; do
  name=${sym%:*}; size=${sym#*:}
  check "data symbol $name is $size bytes" \
    "[ \"\$(( 0x\$(nm -D -S --defined-only '$lib/libqpid-proton-core.so.10' | awk '\$4==\"$name\"{print \$2}') ))\" = $size ]"
done
for pc in libqpid-proton-core libqpid-proton-proactor libqpid-proton; do
  check "pkg-config $pc is 0.37.0" "[ \"\$(PKG_CONFIG_PATH='$lib/pkgconfig' pkg-config --modversion $pc)\" = 0.37.0 ]"
done
check "pkg-config links a program against libqpid-proton-proactor alone" \
  "echo 'int pn_incref(void*); int main(void){return pn_incref(0)!=0;}' > /tmp/pcprobe.c && gcc /tmp/pcprobe.c -o /tmp/pcprobe \$(PKG_CONFIG_PATH='$lib/pkgconfig' pkg-config --cflags --libs libqpid-proton-proactor) && LD_LIBRARY_PATH='$lib' /tmp/pcprobe"
tmp=$(mktemp -d)
cat > "$tmp/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(probe C)
find_package(Proton 0.37 REQUIRED COMPONENTS core proactor)
foreach(v Proton_VERSION Proton_INCLUDE_DIRS Proton_LIBRARIES Proton_Core_FOUND Proton_Proactor_FOUND Proton_Core_LIBRARIES)
  message(STATUS "${v}=${${v}}")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/p.c "#include <proton/object.h>\nint main(void){void *s = pn_class_new(PN_VOID, 4); pn_class_free(PN_VOID, s); return 0;}\n")
add_executable(p ${CMAKE_BINARY_DIR}/p.c)
target_link_libraries(p Proton::core Proton::proactor)
CM
check "find_package(Proton 0.37 COMPONENTS core proactor) builds a program" \
  "cmake -S '$tmp' -B '$tmp/b' -DCMAKE_PREFIX_PATH='$prefix' > '$tmp/log' && grep -q 'Proton_Core_FOUND=TRUE' '$tmp/log' && cmake --build '$tmp/b' >/dev/null && LD_LIBRARY_PATH='$lib' '$tmp/b/p'"
rm -rf "$tmp"

shared=${PROTON_SHARED:-$repo/../shared}
if [ -x "$shared/tools/abi-check" ]; then
  echo "== $shared/tools/abi-check"
  "$shared/tools/abi-check" "$lib" "$prefix/include" | tail -4
else
  echo "(../shared/tools/abi-check not present here: skipped)"
fi
exit $fail
