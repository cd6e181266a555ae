/* Decode every value of an .amqp file with proton-c, print pn_data_format of
 * the whole data, and check that re-encoding gives the same bytes.
 * usage: interop FILE  (prints the format text to stdout) */
#include <proton/codec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb");
  static char in[1 << 20], out[1 << 20], text[1 << 20];
  size_t n = fread(in, 1, sizeof in, f);
  fclose(f);
  pn_data_t *d = pn_data(0);
  size_t off = 0;
  while (off < n) {
    ssize_t r = pn_data_decode(d, in + off, n - off);
    if (r <= 0) { fprintf(stderr, "decode error %zd at %zu: %s\n", r, off, pn_error_text(pn_data_error(d))); return 1; }
    off += r;
  }
  size_t sz = sizeof text;
  int e = pn_data_format(d, text, &sz);
  if (e) { fprintf(stderr, "format error %d\n", e); return 1; }
  fwrite(text, 1, sz, stdout);
  printf("\n");
  pn_data_rewind(d);
  ssize_t m = pn_data_encode(d, out, sizeof out);
  fprintf(stderr, "encoded %zd of %zu bytes: %s\n", m, n, (m == (ssize_t)n && !memcmp(in, out, n)) ? "SAME" : "DIFFERENT");
  return 0;
}
