#include <proton/codec.h>
#include <proton/error.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static void fmt(pn_data_t *d) {
  char buf[4096]; size_t sz = sizeof buf;
  pn_data_format(d, buf, &sz);
  printf("  data=|%.*s|", (int)sz, buf);
}
#define PB(b) printf(" %s=(%zu,%.*s)", #b, b.size, (int)b.size, b.start ? b.start : "NULL")
#define PI(x) printf(" %s=%lld", #x, (long long)(x))
#define PF(x) printf(" %s=%g", #x, (double)(x))
#define R(d, r) printf("  r=%d errno=%d text=%s type=%d\n", r, pn_data_errno(d), pn_error_text(pn_data_error(d)), pn_data_type(d))
int main() {
  setvbuf(stdout, NULL, _IONBF, 0);
  pn_data_t *d = pn_data(0);
  pn_data_fill(d, "noBbHhIiLltfdzSs", 1, 200, -2, 60000, -3, 4000000000u, -5, (uint64_t)6, (int64_t)-7, (int64_t)8, 1.5, 2.5, (size_t)2, "bb", "str", "sym");
  pn_data_put_char(d, 'x');
  fmt(d); printf("\n");
  {
    bool o; uint8_t B; int8_t b; uint16_t H; int16_t h; uint32_t I; int32_t i; uint64_t L; int64_t l; int64_t t; float f; double dd; pn_bytes_t z, S, s; uint32_t c = 99;
    int r = pn_data_scan(d, "noBbHhIiLltfdzSsc", &o, &B, &b, &H, &h, &I, &i, &L, &l, &t, &f, &dd, &z, &S, &s, &c);
    PI(o); PI(B); PI(b); PI(H); PI(h); PI(I); PI(i); PI(L); PI(l); PI(t); PF(f); PF(dd); PB(z); PB(S); PB(s); PI(c); R(d, r);
  }
  {
    /* everything mismatched: scan all codes against a list of ints */
    pn_data_t *e = pn_data(0);
    pn_data_fill(e, "iiiiiiiiiiiiiiiii", 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17);
    bool o = 1; uint8_t B = 1; int8_t b = 1; uint16_t H = 1; int16_t h = 1; uint32_t I = 1; int32_t i = 1; uint64_t L = 1; int64_t l = 1; int64_t t = 1; float f = 1; double dd = 1; pn_bytes_t z = pn_bytes(1,"q"), S = z, s = z;
    int r = pn_data_scan(e, "noBbHhIiLltfdzSs", &o, &B, &b, &H, &h, &I, &i, &L, &l, &t, &f, &dd, &z, &S, &s);
    printf("mismatch:"); PI(o); PI(B); PI(b); PI(H); PI(h); PI(I); PI(i); PI(L); PI(l); PI(t); PF(f); PF(dd); PB(z); PB(S); PB(s); R(e, r);
    pn_data_t *empty = pn_data(0);
    o = 1; B = 1; i = 1; S = pn_bytes(1, "q");
    r = pn_data_scan(empty, "oBiS", &o, &B, &i, &S);
    printf("empty:"); PI(o); PI(B); PI(i); PB(S); R(empty, r);
  }
  {
    pn_data_t *e = pn_data(0);
    pn_data_fill(e, "DL[SIo]", (uint64_t)0x10, "cid", 7, 1);
    fmt(e); printf("\n");
    uint64_t L = 0; pn_bytes_t S; uint32_t I; bool o; bool q1, q2, q3, q4;
    int r = pn_data_scan(e, "D.[SIo]", &S, &I, &o); printf("D.[SIo]:"); PB(S); PI(I); PI(o); R(e, r);
    r = pn_data_scan(e, "DL[SIo]", &L, &S, &I, &o); printf("DL[SIo]:"); PI(L); PB(S); PI(I); PI(o); R(e, r);
    r = pn_data_scan(e, "DL[SIoI]", &L, &S, &I, &o, &I); printf("DL[SIoI]:"); PI(L); PB(S); PI(I); PI(o); R(e, r);
    r = pn_data_scan(e, "DL[?S?I?o?I]", &L, &q1, &S, &q2, &I, &q3, &o, &q4, &I); printf("DL[?S?I?o?I]:"); PI(q1); PI(q2); PI(q3); PI(q4); R(e, r);
    r = pn_data_scan(e, "DL[.I]", &L, &I); printf("DL[.I]:"); PI(I); R(e, r);
    r = pn_data_scan(e, "DL[S]", &L, &S); printf("DL[S]:"); PB(S); R(e, r);
    r = pn_data_scan(e, "?DL[S]", &q1, &L, &S); printf("?DL[S]:"); PI(q1); PB(S); R(e, r);
    r = pn_data_scan(e, "[S]", &S); printf("[S] on described:"); PB(S); R(e, r);
    r = pn_data_scan(e, "D[S]", &S); printf("D[S] :"); PB(S); R(e, r);
    r = pn_data_scan(e, "DL", &L); printf("DL:"); PI(L); R(e, r);
    r = pn_data_scan(e, "DLSi", &L, &S, &I); printf("DLSi:"); PI(L); PB(S); PI(I); R(e, r);
    r = pn_data_scan(e, "?D?L[S]", &q1, &q2, &L, &S); printf("?D?L[S]:"); PI(q1); PI(q2); PI(L); PB(S); R(e, r);
    r = pn_data_scan(e, "x"); printf("x:"); R(e, r);
    r = pn_data_scan(e, "?"); printf("?:"); R(e, r);
    r = pn_data_scan(e, "??o", &q1, &q2, &o); printf("??o:"); R(e, r);
    r = pn_data_scan(e, "]"); printf("]:"); R(e, r);
  }
  {
    pn_data_t *e = pn_data(0);
    pn_data_fill(e, "[nDL[]{}i]i", (uint64_t)0x11, 3, 4);
    fmt(e); printf("\n");
    uint64_t L = 9; bool q1=9, q2=9, q3=9, q4=9; int32_t i = 9, j = 9; pn_bytes_t S;
    int r = pn_data_scan(e, "[?DL[?S]?{}?[]i]i", &q1, &L, &q2, &S, &q3, &q4, &i, &j); printf("1:"); PI(q1); PI(L); PI(q2); PI(q3); PI(q4); PI(i); PI(j); R(e, r);
    r = pn_data_scan(e, "[?DL[?S]?{}.i]i", &q1, &L, &q2, &S, &q3, &i, &j); printf("2:"); PI(q1); PI(L); PI(q2); PI(q3); PI(i); PI(j); R(e, r);
    r = pn_data_scan(e, "[?D?L[?S].?{}.i]i", &q1, &q4, &L, &q2, &S, &q3, &i, &j); printf("3:"); PI(q1); PI(q4); PI(L); PI(q2); PI(q3); PI(i); PI(j); R(e, r);
    r = pn_data_scan(e, "[.?D?L[?S]{}.]i", &q1, &q4, &L, &q2, &S, &j); printf("4:"); PI(q1); PI(q4); PI(L); PI(q2); PI(j); R(e, r);
    r = pn_data_scan(e, "[..?{}i]i", &q1, &i, &j); printf("5:"); PI(q1); PI(i); PI(j); R(e, r);
    r = pn_data_scan(e, "[..{i}i]i", &i, &j, &L); printf("6:"); PI(i); PI(j); PI(L); R(e, r);
    pn_data_t *c = pn_data(0);
    r = pn_data_scan(e, "[..C]", c); printf("7:"); fmt(c); R(e, r);
    pn_data_clear(c); r = pn_data_scan(e, "[C.C]", c, c); printf("8:"); fmt(c); R(e, r);
    pn_data_clear(c); r = pn_data_scan(e, "[.?C]", &q1, c); printf("9:"); PI(q1); fmt(c); R(e, r);
    pn_data_clear(c); r = pn_data_scan(e, "C", c); printf("10:"); fmt(c); R(e, r);
  }
  {
    pn_data_t *e = pn_data(0);
    pn_data_put_array(e, true, PN_INT); pn_data_enter(e); pn_data_put_symbol(e, pn_bytes(1,"d")); pn_data_put_int(e, 1); pn_data_put_int(e, 2); pn_data_exit(e);
    pn_data_put_array(e, false, PN_INT); pn_data_enter(e); pn_data_put_int(e, 3); pn_data_exit(e);
    pn_data_put_int(e, 4);
    fmt(e); printf("\n");
    pn_bytes_t s; int32_t i=9, j=9, k=9, m=9; bool q1=9;
    int r = pn_data_scan(e, "@[sii]@[i]i", &s, &i, &j, &k, &m); printf("a1:"); PB(s); PI(i); PI(j); PI(k); PI(m); R(e, r);
    r = pn_data_scan(e, "@D[sii]@[i]i", &s, &i, &j, &k, &m); printf("a2:"); PB(s); PI(i); PI(j); PI(k); PI(m); R(e, r);
    r = pn_data_scan(e, "[sii]", &s, &i, &j); printf("a3:"); PB(s); PI(i); PI(j); R(e, r);
    r = pn_data_scan(e, ".?@[i]i", &q1, &k, &m); printf("a4:"); PI(q1); PI(k); PI(m); R(e, r);
    r = pn_data_scan(e, "..?@[i]", &q1, &k); printf("a5:"); PI(q1); PI(k); R(e, r);
    r = pn_data_scan(e, "..?[i]", &q1, &k); printf("a6:"); PI(q1); PI(k); R(e, r);
  }
  return 0;
}
