#include <proton/codec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb");
  static char in[1 << 20], out[1 << 20];
  size_t n = fread(in, 1, sizeof in, f);
  pn_data_t *d = pn_data(0);
  size_t off = 0;
  while (off < n) { ssize_t r = pn_data_decode(d, in + off, n - off); if (r<=0) return 1; off += r; }
  ssize_t m = pn_data_encode(d, out, sizeof out);
  fwrite(out, 1, m, stdout);
}
