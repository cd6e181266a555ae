#!/usr/bin/env bash
# Makes a throwaway install prefix around Debian's proton-c 0.37
# (libqpid-proton11-dev), laid out like a proton-rs install, so that
# install.sh and run-tests.sh can be validated against the real proton-c:
#
#   bindings/python/protonc-prefix.sh /tmp/protonc-prefix
#   bindings/python/install.sh /tmp/protonc-prefix
#
# Debian ships no libqpid-proton-core.pc, and proton-c 0.37 lacks the two
# functions python-qpid-proton 0.40 calls that proton-c added later
# (pn_class_create, pn_tostring). The prefix therefore holds:
#   include/proton/*.h           Debian's C headers, object.h declaring the two
#   lib/libqpid-proton-core.so.10 a copy of Debian's library (a copy, not a
#                                symlink, so /proc/self/maps names the prefix)
#   lib/libqpid-proton-compat.so the two functions, written on 0.37's public
#                                object API (pn_class_t is public there)
#   lib/pkgconfig/libqpid-proton-core.pc
# A proton-rs install needs none of this: it exports both functions itself.
set -euo pipefail
prefix=${1:?usage: $0 DIR}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
syslib=/usr/lib/$multiarch
real=$(readlink -f "$syslib/libqpid-proton-core.so.10") || true
if [ ! -f "$real" ] || [ ! -f /usr/include/proton/object.h ]; then
  echo "protonc-prefix: Debian's proton-c is missing: apt-get install libqpid-proton11-dev" >&2
  exit 1
fi

rm -rf "$prefix/include/proton" "$prefix/lib"
mkdir -p "$prefix/include/proton" "$prefix/lib/pkgconfig"
cp /usr/include/proton/*.h "$prefix/include/proton/"
# declare the two post-0.37 functions next to pn_class_new
sed -i '/^PN_EXTERN void \*pn_class_new(/a\
PN_EXTERN pn_class_t *pn_class_create(const char *name, void (*initialize)(void*), void (*finalize)(void*), void (*incref)(void*), void (*decref)(void*), int (*refcount)(void*));\
PN_EXTERN char *pn_tostring(void *object);' "$prefix/include/proton/object.h"
grep -q pn_class_create "$prefix/include/proton/object.h" || { echo "protonc-prefix: could not patch object.h" >&2; exit 1; }

cp "$real" "$prefix/lib/"
ln -sf "$(basename "$real")" "$prefix/lib/libqpid-proton-core.so.10"
ln -sf libqpid-proton-core.so.10 "$prefix/lib/libqpid-proton-core.so"

cat > "$prefix/lib/compat.c" <<'C'
/* pn_class_create and pn_tostring for proton-c 0.37 (added to proton-c in
 * later releases), written on 0.37's public object API. */
#include <proton/object.h>
#include <stdlib.h>
#include <string.h>

/* 0.37 asks a class to reify each object; a created class reifies to
 * itself. C has no closures, so each created class takes one slot. */
#define SLOTS 16
static pn_class_t *slots[SLOTS];
#define REIFY(N) static const pn_class_t *reify##N(void *o) { (void)o; return slots[N]; }
REIFY(0) REIFY(1) REIFY(2) REIFY(3) REIFY(4) REIFY(5) REIFY(6) REIFY(7)
REIFY(8) REIFY(9) REIFY(10) REIFY(11) REIFY(12) REIFY(13) REIFY(14) REIFY(15)
static const pn_class_t *(*const reifiers[SLOTS])(void *) = {
  reify0, reify1, reify2, reify3, reify4, reify5, reify6, reify7,
  reify8, reify9, reify10, reify11, reify12, reify13, reify14, reify15};
static int used;

pn_class_t *pn_class_create(const char *name, void (*initialize)(void*),
                            void (*finalize)(void*), void (*incref)(void*),
                            void (*decref)(void*), int (*refcount)(void*))
{
  if (used == SLOTS) abort();
  pn_class_t proto = {
    .name = name, .cid = CID_pn_void, .newinst = NULL,
    .initialize = initialize, .incref = incref, .decref = decref,
    .refcount = refcount, .finalize = finalize, .free = NULL,
    .reify = reifiers[used], .hashcode = NULL, .compare = NULL, .inspect = NULL};
  pn_class_t *clazz = malloc(sizeof *clazz);
  memcpy(clazz, &proto, sizeof proto);
  slots[used++] = clazz;
  return clazz;
}

char *pn_tostring(void *object)
{
  pn_string_t *s = pn_string(NULL);
  pn_inspect(object, s);
  const char *text = pn_string_get(s);
  char *r = strdup(text ? text : "");
  pn_free(s);
  return r;
}
C
gcc -shared -fPIC -O2 -I"$prefix/include" -o "$prefix/lib/libqpid-proton-compat.so" \
    "$prefix/lib/compat.c" -L"$prefix/lib" -lqpid-proton-core -Wl,-rpath,"$prefix/lib"

cat > "$prefix/lib/pkgconfig/libqpid-proton-core.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: Proton Core
Description: Debian's proton-c 0.37 core library, with the 0.40 compat functions (test prefix)
Version: 0.37.0
Libs: -L\${libdir} -lqpid-proton-compat -lqpid-proton-core
Cflags: -I\${includedir}
PC
echo "made a proton-c 0.37 prefix in $prefix"
