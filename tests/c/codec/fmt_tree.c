/* pn_data_format and pn_data_encode of trees described one per input line
 * (differential: build against both libraries and compare the outputs).
 *
 *   tree  := value*
 *   value := atom [ '(' value* ')' ]     parenthesised values are put
 *                                         inside the atom (pn_data_enter,
 *                                         whatever its type)
 *   atom  := n | t | f | iN (int) | LN (ulong) | IN (uint) | sWORD (symbol)
 *          | SWORD (string) | l (list) | m (map) | d (described)
 *          | aT / AT (array of pn_type_t T, A: described)
 * Spaces separate values. Prints "FORMAT-RESULT |TEXT| ENCODE-RESULT HEX".
 */
#include <proton/codec.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *p;

static long long num(void) {
  char *end;
  long long v = strtoll(p, &end, 10);
  p = end;
  return v;
}

static void word(pn_data_t *d, int sym) {
  const char *s = p;
  while (isalnum((unsigned char)*p) || *p == '-' || *p == ':') p++;
  pn_bytes_t b = pn_bytes((size_t)(p - s), s);
  if (sym) pn_data_put_symbol(d, b); else pn_data_put_string(d, b);
}

static void values(pn_data_t *d, char close);

static void value(pn_data_t *d) {
  char c = *p++;
  switch (c) {
  case 'n': pn_data_put_null(d); break;
  case 't': pn_data_put_bool(d, true); break;
  case 'f': pn_data_put_bool(d, false); break;
  case 'i': pn_data_put_int(d, (int32_t)num()); break;
  case 'I': pn_data_put_uint(d, (uint32_t)num()); break;
  case 'L': pn_data_put_ulong(d, (uint64_t)num()); break;
  case 's': word(d, 1); break;
  case 'S': word(d, 0); break;
  case 'l': pn_data_put_list(d); break;
  case 'm': pn_data_put_map(d); break;
  case 'd': pn_data_put_described(d); break;
  case 'a': pn_data_put_array(d, false, (pn_type_t)num()); break;
  case 'A': pn_data_put_array(d, true, (pn_type_t)num()); break;
  default: fprintf(stderr, "bad atom '%c'\n", c); exit(2);
  }
  if (*p == '(') {
    p++;
    pn_data_enter(d);
    values(d, ')');
    pn_data_exit(d);
  }
}

static void values(pn_data_t *d, char close) {
  for (;;) {
    while (*p == ' ') p++;
    if (!*p || *p == close) {
      if (*p) p++;
      return;
    }
    value(d);
  }
}

int main(void) {
  static char line[1 << 16], text[1 << 16], enc[1 << 16];
  pn_data_t *d = pn_data(0);
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    pn_data_clear(d);
    p = line;
    values(d, 0);
    size_t n = sizeof text;
    int r = pn_data_format(d, text, &n);
    ssize_t e = pn_data_encode(d, enc, sizeof enc);
    printf("%s\t%d |%.*s| %zd ", line, r, r ? 0 : (int)n, text, e);
    for (ssize_t i = 0; i < e; i++) printf("%02x", (unsigned char)enc[i]);
    printf("\n");
  }
  pn_data_free(d);
  return 0;
}
