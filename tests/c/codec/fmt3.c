#include <proton/codec.h>
#include <stdio.h>
static void show(pn_data_t *d, const char *label) {
  char buf[4096]; size_t sz = sizeof buf;
  pn_data_format(d, buf, &sz);
  printf("%-12s |%.*s|\n", label, (int)sz, buf);
  pn_data_clear(d);
}
int main() {
  pn_data_t *d = pn_data(0);
  pn_data_fill(d, "DL[nS]", (uint64_t)0x10, "host"); show(d, "first null");
  pn_data_fill(d, "DL[Sn]", (uint64_t)0x10, "cid"); show(d, "last null");
  pn_data_fill(d, "DL[nn]", (uint64_t)0x10); show(d, "all null");
  pn_data_fill(d, "DL[SnnnnnnnnnnnnnnnnS]", (uint64_t)0x10, "a", "b"); show(d, "beyond");
  pn_data_fill(d, "DL[SnnnnnnnnnnnnnnnnSn]", (uint64_t)0x10, "a", "b"); show(d, "beyond null");
  pn_data_fill(d, "DL{nSnS}", (uint64_t)0x10, "a", "b"); show(d, "map");
  pn_data_fill(d, "DL@T[ii]", (uint64_t)0x10, PN_INT, 1, 2); show(d, "array");
  pn_data_fill(d, "[DL[S]DL[S]]", (uint64_t)0x10, "a", (uint64_t)0x11, "b"); show(d, "list of");
  pn_data_fill(d, "{DL[S]DL[S]}", (uint64_t)0x10, "a", (uint64_t)0x11, "b"); show(d, "map of");
  pn_data_fill(d, "DL[DL[n]]", (uint64_t)0x10, (uint64_t)0x11); show(d, "nested");
  pn_data_fill(d, "DL[[nS]]", (uint64_t)0x10, "x"); show(d, "list in");
  pn_data_fill(d, "Ds[nS]", "amqp:open:list", "x"); show(d, "sym desc");
  pn_data_fill(d, "DI[nS]", 0x10, "x"); show(d, "uint desc");
  pn_data_fill(d, "[nnDL[n]nn]{nn}", (uint64_t)0x10, "x"); show(d, "nulls");
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x10); pn_data_put_list(d); pn_data_put_null(d); pn_data_put_string(d, pn_bytes(1,"x")); pn_data_exit(d); show(d, "3 children");
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x10); pn_data_put_null(d); pn_data_exit(d); show(d, "null value");
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_null(d); pn_data_put_null(d); pn_data_exit(d); show(d, "null null");
  pn_data_put_described(d); pn_data_enter(d); pn_data_put_ulong(d, 0x10); pn_data_put_list(d); pn_data_enter(d); pn_data_put_list(d); pn_data_enter(d); pn_data_put_null(d); pn_data_put_int(d, 1); pn_data_exit(d); pn_data_exit(d); pn_data_exit(d); show(d, "deep");
  pn_data_put_list(d); pn_data_enter(d); pn_data_put_described(d); pn_data_enter(d);  pn_data_put_ulong(d, 0x10); pn_data_exit(d); pn_data_put_int(d, 1); pn_data_exit(d); show(d, "desc1 in list");
  pn_data_put_int(d, 1); pn_data_enter(d); pn_data_put_int(d, 2); pn_data_put_int(d, 3); pn_data_exit(d); pn_data_put_int(d, 4); show(d, "scalar kids");
  pn_data_put_map(d); pn_data_enter(d); pn_data_put_int(d, 1); pn_data_enter(d); pn_data_put_int(d, 2); pn_data_put_int(d, 3); pn_data_exit(d); pn_data_put_int(d, 4); pn_data_put_int(d, 5); pn_data_exit(d); show(d, "map scalar kids");
  return 0;
}
