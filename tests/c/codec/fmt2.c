#include <proton/codec.h>
#include <stdio.h>
#include <string.h>
int main() {
  pn_data_t *d = pn_data(0);
  char buf[8192]; size_t sz;
  /* escapes: every byte in a string */
  for (int kind = 0; kind < 3; kind++) {
    char all[256]; for (int i = 0; i < 256; i++) all[i] = i;
    pn_data_clear(d);
    if (kind == 0) pn_data_put_string(d, pn_bytes(256, all));
    if (kind == 1) pn_data_put_binary(d, pn_bytes(256, all));
    if (kind == 2) pn_data_put_symbol(d, pn_bytes(256, all));
    sz = sizeof buf; pn_data_format(d, buf, &sz); printf("%.*s\n", (int)sz, buf);
  }
  /* symbol quoting: each single char symbol, and 2-char */
  for (int c = 0; c < 128; c++) {
    char s[3] = {c, 'a', 0}; char s2[3] = {'a', c, 0};
    pn_data_clear(d); pn_data_put_symbol(d, pn_bytes(1, s)); pn_data_put_symbol(d, pn_bytes(2, s)); pn_data_put_symbol(d, pn_bytes(2, s2));
    sz = sizeof buf; pn_data_format(d, buf, &sz); printf("%d: %.*s\n", c, (int)sz, buf);
  }
  for (int c = 128; c < 256; c++) {
    char s[3] = {c, 'a', 0}; 
    pn_data_clear(d); pn_data_put_symbol(d, pn_bytes(1, s));
    sz = sizeof buf; pn_data_format(d, buf, &sz); printf("%d: %.*s\n", c, (int)sz, buf);
  }
  /* overflow */
  pn_data_clear(d); pn_data_put_string(d, pn_bytes(10, "0123456789"));
  for (size_t n = 0; n < 15; n++) { memset(buf, '#', 20); sz = n; int e = pn_data_format(d, buf, &sz); printf("n=%zu e=%d sz=%zu |%.20s|\n", n, e, sz, buf); }
  pn_data_clear(d); pn_data_put_list(d); pn_data_enter(d); pn_data_put_int(d, 1); pn_data_put_int(d, 2); pn_data_exit(d);
  for (size_t n = 0; n < 8; n++) { memset(buf, '#', 20); sz = n; int e = pn_data_format(d, buf, &sz); printf("n=%zu e=%d sz=%zu |%.20s|\n", n, e, sz, buf); }
  return 0;
}
