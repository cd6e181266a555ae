/* proton-c's pn_data_decode result for each file named on the command
 * line: "<basename> <return value> <errno>". */
#include <proton/codec.h>
#include <proton/error.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  static char in[1 << 22];
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) return 1;
    size_t n = fread(in, 1, sizeof in, f);
    fclose(f);
    pn_data_t *d = pn_data(0);
    ssize_t r = pn_data_decode(d, in, n);
    const char *base = strrchr(argv[i], '/');
    printf("%s %zd %d\n", base ? base + 1 : argv[i], r, pn_data_errno(d));
    pn_data_free(d);
  }
  return 0;
}
