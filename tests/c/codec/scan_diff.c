/* Differential driver for pn_data_scan: each input line is
 *   HEX<TAB>FORMAT
 * (HEX: encoded AMQP values, decoded one after another into a pn_data_t).
 * Prints the scan's result and every output. Build it against proton-c and
 * against proton-rs and compare the outputs:
 *   gcc scan_diff.c -o a /usr/lib/x86_64-linux-gnu/libqpid-proton-core.so.10
 *   gcc scan_diff.c -o b target/debug/libproton.a -lpthread -ldl -lm
 */
#include <proton/codec.h>
#include <proton/error.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAXARGS 48

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

static void show_data(pn_data_t *d) {
  char buf[4096];
  size_t n = sizeof buf;
  if (pn_data_format(d, buf, &n)) n = 0;
  printf("<%.*s>", (int)n, buf);
}

int main(void) {
  static char line[1 << 16];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    const char *fmt = tab + 1;
    static char in[1 << 15];
    size_t n = 0;
    for (char *p = line; p[0] && p[1]; p += 2) in[n++] = (char)(hexval(p[0]) * 16 + hexval(p[1]));
    pn_data_t *d = pn_data(0);
    size_t off = 0;
    while (off < n) {
      ssize_t r = pn_data_decode(d, in + off, n - off);
      if (r <= 0) break;
      off += (size_t)r;
    }
    static unsigned char slots[MAXARGS][32];
    void *args[MAXARGS];
    char kinds[MAXARGS];
    pn_data_t *dsts[MAXARGS];
    int nargs = 0;
    memset(slots, 0xAA, sizeof slots);
    for (const char *f = fmt; *f && nargs < MAXARGS; f++) {
      char c = *f;
      if (strchr("oBbHhIiLltfdzSsc?", c)) {
        kinds[nargs] = c;
        args[nargs] = slots[nargs];
        nargs++;
      } else if (c == 'C') {
        kinds[nargs] = c;
        dsts[nargs] = pn_data(0);
        args[nargs] = dsts[nargs];
        nargs++;
      }
    }
    for (int i = nargs; i < MAXARGS; i++) args[i] = slots[i];
    int r = pn_data_scan(d, fmt, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8],
                         args[9], args[10], args[11], args[12], args[13], args[14], args[15], args[16], args[17],
                         args[18], args[19], args[20], args[21], args[22], args[23], args[24], args[25], args[26],
                         args[27], args[28], args[29], args[30], args[31], args[32], args[33], args[34], args[35],
                         args[36], args[37], args[38], args[39], args[40], args[41], args[42], args[43], args[44],
                         args[45], args[46], args[47]);
    const char *et = pn_error_text(pn_data_error(d));
    printf("%s\t%s\tr=%d errno=%d text=%s type=%d |", line, fmt, r, pn_data_errno(d), et ? et : "", (int)pn_data_type(d));
    for (int i = 0; i < nargs; i++) {
      unsigned char *s = slots[i];
      switch (kinds[i]) {
      case 'o': case '?': printf(" %c=%d", kinds[i], s[0] == 0xAA ? -1 : *(bool *)s); break;
      case 'B': printf(" B=%u", *(uint8_t *)s); break;
      case 'b': printf(" b=%d", *(int8_t *)s); break;
      case 'H': printf(" H=%u", *(uint16_t *)s); break;
      case 'h': printf(" h=%d", *(int16_t *)s); break;
      case 'I': printf(" I=%u", *(uint32_t *)s); break;
      case 'i': printf(" i=%d", *(int32_t *)s); break;
      case 'c': printf(" c=%u", *(uint32_t *)s); break;
      case 'L': printf(" L=%llu", (unsigned long long)*(uint64_t *)s); break;
      case 'l': case 't': printf(" %c=%lld", kinds[i], (long long)*(int64_t *)s); break;
      case 'f': printf(" f=%g", *(float *)s); break;
      case 'd': printf(" d=%g", *(double *)s); break;
      case 'z': case 'S': case 's': {
        pn_bytes_t *b = (pn_bytes_t *)s;
        if (b->size == 0xAAAAAAAAAAAAAAAAull) printf(" %c=unset", kinds[i]);
        else printf(" %c=%.*s", kinds[i], (int)b->size, b->start ? b->start : "");
        break;
      }
      case 'C': printf(" C="); show_data(dsts[i]); pn_data_free(dsts[i]); break;
      }
    }
    printf("\n");
    pn_data_free(d);
  }
  return 0;
}
