#include <proton/codec.h>
#include <stdio.h>
#include <string.h>
static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
int main(int argc, char **argv) {
  char in[1000]; size_t n = 0;
  for (char *p = argv[1]; p[0] && p[1]; p += 2) in[n++] = hexval(p[0]) * 16 + hexval(p[1]);
  pn_data_t *d = pn_data(0); size_t off = 0;
  while (off < n) { ssize_t r = pn_data_decode(d, in + off, n - off); printf("r=%zd\n", r); if (r <= 0) break; off += r; pn_data_dump(d); }
  char b[1000]; size_t sz = sizeof b; pn_data_format(d, b, &sz); printf("%.*s\n", (int)sz, b);
}
