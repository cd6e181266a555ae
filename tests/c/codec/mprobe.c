#include <proton/codec.h>
#include <stdio.h>
static void show(pn_data_t *d, const char *l) { char b[256]; size_t n = sizeof b; pn_data_format(d, b, &n); printf("%s |%.*s|\n", l, (int)n, b); }
int main() {
  pn_data_t *m = pn_data(0); pn_data_put_map(m);
  pn_data_t *d = pn_data(0); pn_data_fill(d, "M", m); show(d, "M emptymap");
  d = pn_data(0); pn_data_fill(d, "C", m); show(d, "C emptymap");
  pn_data_t *s = pn_data(0); pn_data_put_int(s, 1); pn_data_put_int(s, 2); pn_data_rewind(s); pn_data_next(s); pn_data_next(s);
  d = pn_data(0); pn_data_fill(d, "C", s); show(d, "C positioned");
  pn_data_narrow(s); d = pn_data(0); pn_data_fill(d, "C", s); show(d, "C narrowed at 2nd");
  pn_data_t *e = pn_data(0); pn_data_put_list(e); pn_data_enter(e); pn_data_put_int(e, 5); pn_data_exit(e);
  d = pn_data(0); pn_data_fill(d, "DLC", (uint64_t)3, e); show(d, "DLC");
  d = pn_data(0); pn_data_fill(d, "DLM", (uint64_t)3, m); show(d, "DLM");
  d = pn_data(0); pn_data_fill(d, "[M]", m); show(d, "[M]");
  return 0;
}
