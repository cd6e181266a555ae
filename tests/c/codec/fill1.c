#include <proton/codec.h>
#include <proton/error.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static void fmt(pn_data_t *d, const char *label, int r) {
  char buf[4096]; size_t sz = sizeof buf;
  int e = pn_data_format(d, buf, &sz);
  printf("%-28s r=%d errno=%d text=%s size=%zu type=%d fe=%d |%.*s|\n", label, r, pn_data_errno(d), pn_error_text(pn_data_error(d)), pn_data_size(d), pn_data_type(d), e, (int)sz, buf);
}
#define F(fmtstr, ...) do { pn_data_t *d = pn_data(0); int r = pn_data_fill(d, fmtstr, ##__VA_ARGS__); fmt(d, fmtstr, r); pn_data_free(d);} while (0)
int main() {
  setvbuf(stdout, NULL, _IONBF, 0);
  F("n");
  F("o", 1); F("o", 0); F("o", 256);
  F("B", 255); F("B", 256); F("b", -1); F("H", 65535); F("h", -3); F("I", 4000000000u); F("i", -4); F("c", 0x41); F("L", (uint64_t)1<<40); F("l", -(int64_t)1<<40);
  F("t", (int64_t)12345); F("f", 1.5); F("d", 2.25);
  F("Z", (size_t)3, "abc"); F("Z", (size_t)0, NULL); F("z", (size_t)3, "abc"); F("z", (size_t)0, NULL);
  F("S", "str"); F("S", NULL); F("s", "sym"); F("s", NULL);
  F("DLs", (uint64_t)5, "v"); F("D", 0); F("DL", (uint64_t)5); F("DL[]", (uint64_t)5); F("DL[i]i", (uint64_t)5, 1, 2);
  F("[iii]", 1, 2, 3); F("{si}", "a", 1); F("[", 0); F("]"); F("[]]"); F("{]"); F("[}");
  F("?i", 1, 5); F("?i", 0, 5); F("?[i]", 0, 5); F("?[i]", 1, 5); F("[?i?S]", 0, 1, 1, "x");
  F("?DL[i]", 0, (uint64_t)5, 1);
  F("@T[iii]", PN_INT, 1, 2, 3);
  F("@T[]", PN_STRING);
  F("@[iii]", 1, 2, 3);
  F("@DT[sii]", PN_INT, "desc", 1, 2);
  F("@D[sii]", "desc", 1, 2);
  F("[T]", PN_INT);
  char *syms[] = {"a", "b", "c"};
  F("*s", 3, syms); F("[*s]", 3, syms); F("@T[*s]", PN_SYMBOL, 3, syms); F("*i", 3, syms);
  pn_data_t *src = pn_data(0); pn_data_put_int(src, 9); pn_data_put_int(src, 10);
  F("C", src); F("[C]", src); F("C", NULL);
  pn_data_t *empty = pn_data(0); F("C", empty);
  pn_data_t *m = pn_data(0); pn_data_put_map(m); pn_data_enter(m); pn_data_put_string(m, pn_bytes(1,"k")); pn_data_put_int(m, 1); pn_data_exit(m);
  F("M", m); F("M", NULL); F("M", empty); F("M", src);
  pn_data_t *lst = pn_data(0); pn_data_put_list(lst);
  F("M", lst);
  F("x"); F("A"); F("E"); F("Q", 1); F(".");  /* "a" without its argument is undefined behaviour */
  F(" i", 3); F("i i", 3, 4); F("[i,i]", 3, 4);
  F("DLC", (uint64_t)5, src);
  F("DL?[i]", (uint64_t)5, 0, 3);
  F("[?DL[i]i]", 0, (uint64_t)5, 1, 2);
  F("[?DL[i]i]", 1, (uint64_t)5, 1, 2);
  return 0;
}
