#include <proton/codec.h>
#include <proton/object.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static void fmt(pn_data_t *d, const char *label) {
  char buf[4096]; size_t sz = sizeof buf;
  pn_data_format(d, buf, &sz);
  printf("%s: size=%zu type=%d |%.*s|\n", label, pn_data_size(d), pn_data_type(d), (int)sz, buf);
}
static void atom(pn_atom_t a) {
  printf("atom type=%d bytes:", a.type);
  if (a.type == PN_BINARY || a.type == PN_STRING || a.type == PN_SYMBOL) {
    printf("(%zu)%.*s\n", a.u.as_bytes.size, (int)a.u.as_bytes.size, a.u.as_bytes.start); /* not the pointer */
  } else {
    unsigned char *p = (unsigned char *)&a.u; for (int i = 0; i < 16; i++) printf("%02x", p[i]); printf("\n");
  }
}
static void allget(pn_data_t *d) {
  pn_bytes_t b = pn_data_get_binary(d), s = pn_data_get_string(d), y = pn_data_get_symbol(d), bb = pn_data_get_bytes(d);
  printf("  bool=%d ubyte=%u byte=%d ushort=%u short=%d uint=%u int=%d char=%u ulong=%llu long=%lld ts=%lld float=%g double=%g d32=%u d64=%llu\n",
    pn_data_get_bool(d), pn_data_get_ubyte(d), pn_data_get_byte(d), pn_data_get_ushort(d), pn_data_get_short(d), pn_data_get_uint(d), pn_data_get_int(d),
    pn_data_get_char(d), (unsigned long long)pn_data_get_ulong(d), (long long)pn_data_get_long(d), (long long)pn_data_get_timestamp(d), pn_data_get_float(d), pn_data_get_double(d),
    pn_data_get_decimal32(d), (unsigned long long)pn_data_get_decimal64(d));
  printf("  bin=(%zu,%p%s) str=(%zu,%s) sym=(%zu,%s) bytes=(%zu,%s) list=%zu map=%zu array=%zu arrdesc=%d arrtype=%d described=%d null=%d uuid0=%d d128_0=%d\n",
    b.size, (void*)b.start, b.start ? "" : "NULL", s.size, s.start ? "ptr" : "NULL", y.size, y.start ? "ptr" : "NULL", bb.size, bb.start ? "ptr" : "NULL",
    pn_data_get_list(d), pn_data_get_map(d), pn_data_get_array(d), pn_data_is_array_described(d), pn_data_get_array_type(d), pn_data_is_described(d), pn_data_is_null(d),
    pn_data_get_uuid(d).bytes[0], pn_data_get_decimal128(d).bytes[0]);
  atom(pn_data_get_atom(d));
}
int main() {
  setvbuf(stdout, NULL, _IONBF, 0);
  pn_data_t *d = pn_data(0);
  printf("no current:\n"); allget(d);
  pn_data_put_int(d, -5); printf("int -5:\n"); allget(d);
  pn_data_put_ubyte(d, 200); printf("ubyte 200:\n"); allget(d);
  pn_data_put_long(d, -7); printf("long:\n"); allget(d);
  pn_data_put_bool(d, 1); printf("bool:\n"); allget(d);
  pn_data_put_string(d, pn_bytes(3, "abc")); printf("string:\n"); allget(d);
  pn_data_put_symbol(d, pn_bytes(3, "abc")); printf("symbol:\n"); allget(d);
  pn_data_put_binary(d, pn_bytes(3, "abc")); printf("binary:\n"); allget(d);
  pn_data_put_null(d); printf("null:\n"); allget(d);
  pn_data_put_list(d); pn_data_enter(d); pn_data_put_null(d); pn_data_put_null(d); pn_data_exit(d); printf("list2:\n"); allget(d);
  pn_data_put_map(d); pn_data_enter(d); pn_data_put_null(d); pn_data_put_null(d); pn_data_put_null(d); pn_data_exit(d); printf("map3:\n"); allget(d);
  pn_data_put_array(d, true, PN_STRING); pn_data_enter(d); pn_data_put_symbol(d, pn_bytes(1,"d")); pn_data_put_string(d, pn_bytes(1,"x")); pn_data_exit(d); printf("described array:\n"); allget(d);
  pn_data_put_array(d, false, PN_STRING); printf("empty array:\n"); allget(d);
  pn_data_put_array(d, true, PN_STRING); printf("empty described array:\n"); allget(d);
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 1); pn_data_put_int(d, 2); pn_data_exit(d); printf("described:\n"); allget(d);
  pn_data_put_uuid(d, (pn_uuid_t){{9,8,7}}); printf("uuid:\n"); allget(d);
  pn_data_put_float(d, 2.5); printf("float:\n"); allget(d);
  pn_data_put_double(d, 2.5); printf("double:\n"); allget(d);
  pn_data_put_timestamp(d, 77); printf("ts:\n"); allget(d);
  pn_data_put_char(d, 77); printf("char:\n"); allget(d);
  pn_data_put_decimal128(d, (pn_decimal128_t){{9,8,7}}); printf("d128:\n"); allget(d);
  /* put_atom */
  pn_atom_t a; memset(&a, 0, sizeof a);
  /* Only real types: proton-c stores any int as the type (and then prints
   * "<undefined: N>"); proton-rs refuses those with PN_ARG_ERR (tested in
   * src/ffi/codec.rs). */
  for (int t = PN_NULL; t <= PN_MAP; t++) {
    memset(&a, 0, sizeof a); a.type = (pn_type_t)t; a.u.as_ulong = 0x4142434445464748ull;
    if (t == PN_STRING || t == PN_SYMBOL || t == PN_BINARY) a.u.as_bytes = pn_bytes(2, "xy");
    pn_data_clear(d);
    int r = pn_data_put_atom(d, a);
    char buf[256]; size_t sz = sizeof buf; pn_data_format(d, buf, &sz);
    printf("put_atom %d -> %d size=%zu type=%d |%.*s| errno=%d\n", t, r, pn_data_size(d), pn_data_type(d), (int)sz, buf, pn_data_errno(d));
  }
  /* put_array with weird type */
  pn_data_clear(d); printf("put_array(99) -> %d\n", pn_data_put_array(d, false, (pn_type_t)99)); fmt(d, "weird array");
  pn_data_clear(d); printf("put_array(-1) -> %d\n", pn_data_put_array(d, false, PN_INVALID)); fmt(d, "invalid array");
  char ebuf[64]; printf("encode -> %zd\n", pn_data_encode(d, ebuf, 64));
  pn_data_clear(d); printf("put_array(0) -> %d\n", pn_data_put_array(d, false, (pn_type_t)0)); fmt(d, "0 array");
  printf("encode -> %zd\n", pn_data_encode(d, ebuf, 64));
  return 0;
}
