#include <proton/codec.h>
#include <stdio.h>
int main() {
  pn_data_t *d = pn_data(0);
  char buf[8192]; size_t sz;
  for (unsigned code = 0; code < 0x200; code++) {
    pn_data_clear(d);
    pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, code);
    pn_data_put_list(d); pn_data_enter(d);
    for (int i = 0; i < 16; i++) pn_data_put_int(d, i);
    pn_data_exit(d); pn_data_exit(d);
    sz = sizeof buf; pn_data_format(d, buf, &sz);
    if (buf[1] < '0' || buf[1] > '9') printf("%u: %.*s\n", code, (int)sz, buf);
  }
  /* large codes */
  unsigned long long codes[] = {0x0000468C00000001ull, 0x0000468C00000002ull, 0x100000010ull, 0xffffffffffffffffull};
  for (int k = 0; k < 4; k++) {
    pn_data_clear(d);
    pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, codes[k]); pn_data_put_list(d);
    pn_data_exit(d);
    sz = sizeof buf; pn_data_format(d, buf, &sz); printf("%llx: %.*s\n", codes[k], (int)sz, buf);
  }
  /* other descriptor types */
  pn_data_clear(d); pn_data_put_described(d); pn_data_enter(d); pn_data_put_uint(d, 0x10); pn_data_put_list(d); pn_data_exit(d);
  sz = sizeof buf; pn_data_format(d, buf, &sz); printf("uint desc: %.*s\n", (int)sz, buf);
  pn_data_clear(d); pn_data_put_described(d); pn_data_enter(d); pn_data_put_long(d, 0x10); pn_data_put_list(d); pn_data_exit(d);
  sz = sizeof buf; pn_data_format(d, buf, &sz); printf("long desc: %.*s\n", (int)sz, buf);
  /* nested known inside known and null fields */
  pn_data_clear(d); pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x12); pn_data_put_list(d); pn_data_enter(d);
  pn_data_put_null(d); pn_data_put_null(d); pn_data_put_null(d);pn_data_put_null(d); pn_data_put_null(d);
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x28); pn_data_put_list(d); pn_data_enter(d); pn_data_put_null(d); pn_data_exit(d); pn_data_exit(d);
  pn_data_put_list(d); pn_data_put_map(d); pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x29); pn_data_put_list(d); pn_data_exit(d);
  pn_data_exit(d); pn_data_exit(d);
  sz = sizeof buf; pn_data_format(d, buf, &sz); printf("nested: %.*s\n", (int)sz, buf);
  return 0;
}
