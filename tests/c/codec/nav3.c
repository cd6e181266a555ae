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
static void enc(pn_data_t *d, const char *label) {
  char ebuf[100]; ssize_t en = pn_data_encode(d, ebuf, 100); printf("%s: encode=%zd es=%zd ", label, en, pn_data_encoded_size(d)); for (int i=0;i<en;i++) printf("%02x", (unsigned char)ebuf[i]); printf("\n");
}
#define B(x) do { int _r = (x); printf("%-40s -> %d (type %d)\n", #x, _r, pn_data_type(d)); } while (0)
#define L(x) do { long _r = (long)(intptr_t)(x); printf("%-40s -> %ld (type %d)\n", #x, _r, pn_data_type(d)); } while (0)
int main() {
  setvbuf(stdout, NULL, _IONBF, 0);
  pn_data_t *d = pn_data(0);
  pn_data_put_int(d, 1); pn_data_put_list(d); pn_data_enter(d); pn_data_put_int(d, 2); pn_data_put_int(d, 3); pn_data_exit(d); pn_data_put_int(d, 4);
  pn_data_rewind(d); pn_data_next(d); pn_data_next(d); pn_data_enter(d); pn_data_next(d);
  pn_data_narrow(d); fmt(d, "narrowed at 2"); enc(d, "narrowed at 2"); pn_data_dump(d);
  pn_data_rewind(d); fmt(d, "narrowed rewound"); enc(d, "narrowed rewound"); pn_data_dump(d);
  B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_prev(d)); B(pn_data_prev(d)); B(pn_data_prev(d));
  B(pn_data_exit(d)); pn_data_dump(d);
  pn_data_widen(d); fmt(d, "widened"); pn_data_dump(d);
  pn_data_rewind(d); pn_data_dump(d);
  /* narrow in list, parent only */
  pn_data_rewind(d); pn_data_next(d); pn_data_next(d); pn_data_enter(d);
  pn_data_narrow(d); pn_data_dump(d); fmt(d, "narrow at entered"); enc(d, "narrow at entered");
  pn_data_rewind(d); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_exit(d)); B(pn_data_exit(d));
  pn_data_put_int(d, 9); fmt(d, "put after narrow+exit"); pn_data_dump(d);
  pn_data_widen(d);
  pn_data_rewind(d); fmt(d, "rewind"); enc(d, "rewind");
  pn_data_next(d); pn_data_next(d); fmt(d, "at 2nd"); enc(d, "at 2nd");
  pn_data_enter(d); fmt(d, "entered"); enc(d, "entered");
  pn_data_next(d); fmt(d, "inside list"); enc(d, "inside list");
  char ebuf[100];
  L(pn_data_encode(d, ebuf, 3)); B(pn_data_errno(d));
  printf("text %s\n", pn_error_text(pn_data_error(d)));
  pn_data_rewind(d);
  L(pn_data_encode(d, ebuf, 3)); B(pn_data_errno(d));
  printf("text %s\n", pn_error_text(pn_data_error(d)));
  L(pn_data_encode(d, ebuf, 0));
  L(pn_data_encode(d, ebuf, 13)); L(pn_data_encode(d, ebuf, 14)); L(pn_data_encode(d, ebuf, 15)); L(pn_data_encode(d, ebuf, 16));
  pn_data_clear(d); B(pn_data_errno(d));
  pn_string_t *s = pn_string(NULL); pn_data_put_int(d, 5); pn_data_put_symbol(d, pn_bytes(2, "ab")); pn_inspect(d, s); printf("inspect: |%s|\n", pn_string_get(s));
  pn_data_print(d); printf("<-print\n");
  printf("class %s cid %d\n", pn_class_name(pn_class(d)), pn_class_id(pn_class(d)));
  pn_data_clear(d); pn_data_print(d); printf("<-print empty\n");
  /* enter on scalar; put inside scalar */
  pn_data_clear(d); pn_data_put_int(d, 1); B(pn_data_enter(d)); B(pn_data_put_int(d, 2)); pn_data_dump(d); fmt(d, "put in scalar"); enc(d, "put in scalar");
  B(pn_data_exit(d));
  pn_data_clear(d); pn_data_put_described(d); pn_data_put_array(d, 1, PN_INT); pn_data_put_array(d, 0, PN_STRING); pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 3); pn_data_put_binary(d, pn_bytes(2, "x\"")); pn_data_exit(d); pn_data_put_uuid(d, (pn_uuid_t){{1,2}}); pn_data_put_decimal128(d, (pn_decimal128_t){{1,2}}); pn_data_put_char(d, 0x1F600);
  pn_data_put_float(d, 1.5); pn_data_put_double(d, 0.1); pn_data_put_bool(d, 1); pn_data_put_null(d); pn_data_put_timestamp(d, 5); pn_data_put_symbol(d, pn_bytes(2,"ab"));
  pn_data_put_ubyte(d, 1); pn_data_put_byte(d, -1); pn_data_put_ushort(d, 2); pn_data_put_short(d, -2); pn_data_put_uint(d, 3); pn_data_put_ulong(d, 4); pn_data_put_long(d, -5); pn_data_put_decimal32(d, 6); pn_data_put_decimal64(d, 7);
  pn_data_dump(d);
  return 0;
}
