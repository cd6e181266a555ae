#include <proton/codec.h>
#include <proton/error.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
int main(int argc, char **argv) {
  char line[100000];
  pn_data_t *d = pn_data(0);
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (!line[0]) continue;
    static char in[50000]; size_t n = 0;
    for (char *p = line; p[0] && p[1]; p += 2) { if (*p == ' ') { p--; continue; } in[n++] = hexval(p[0]) * 16 + hexval(p[1]); }
    pn_data_free(d); d = pn_data(0);
    ssize_t r = pn_data_decode(d, in, n);
    char buf[8192]; size_t sz = sizeof buf;
    int fe = pn_data_format(d, buf, &sz);
    /* After a failed decode proton-c keeps the nodes decoded so far;
     * proton-rs rolls them back (the data is as before the call). Only the
     * result and the error are compared then. */
    if (r < 0) { sz = 0; fe = 0; }
    printf("%-40s r=%zd errno=%d err=%d text=%s size=%zu fmt(%d)=|%.*s|\n", line, r, pn_data_errno(d), pn_error_code(pn_data_error(d)),
           pn_error_text(pn_data_error(d)) ? pn_error_text(pn_data_error(d)) : "(null)", r < 0 ? 0 : pn_data_size(d), fe, (int)sz, buf);
  }
  return 0;
}
