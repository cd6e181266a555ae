/* How proton-c prints floats and doubles (pn_data_format uses %g):
 * one line per value: the bits in hex and the text. */
#include <proton/codec.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <stdint.h>
static void one(pn_data_t *d, int is_float, double v) {
  char buf[256]; size_t sz = sizeof buf;
  pn_data_clear(d);
  if (is_float) pn_data_put_float(d, (float)v); else pn_data_put_double(d, v);
  pn_data_format(d, buf, &sz);
  if (is_float) { float f = (float)v; uint32_t b; memcpy(&b, &f, 4); printf("f %08x %.*s\n", b, (int)sz, buf); }
  else { uint64_t b; memcpy(&b, &v, 8); printf("d %016llx %.*s\n", (unsigned long long)b, (int)sz, buf); }
}
int main(void) {
  double vals[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.1, 0.2, 0.3, 1.0/3, 2.0/3, 100000.0, 999999.0, 999999.5, 1000000.0,
    1234565.0, 1234575.0, 123456.5, 123457.5, 0.0001, 0.00001, 0.000123456789, 1e-5, 1e-300, 4.9e-324, 1.7976931348623157e308,
    1e15, 1e16, 1e21, 1e22, 123456789.0, 3.14159265358979, 2.718281828, 9.9999949999, 9.99999500001, 0.999999, 0.9999995,
    65536.0, 4294967296.0, -123.456, 1e100, 5e-5, 0.00015, 12345.678, NAN, -NAN, INFINITY, -INFINITY};
  pn_data_t *d = pn_data(0);
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) { one(d, 0, vals[i]); one(d, 1, vals[i]); }
  /* pseudo-random bit patterns */
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 400; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    double v; memcpy(&v, &x, 8); one(d, 0, v);
    float f; uint32_t lo = (uint32_t)x; memcpy(&f, &lo, 4); one(d, 1, f);
    /* moderate magnitudes */
    double m = (double)(x % 100000000) / (double)(1 + (x >> 40) % 100000); one(d, 0, m); one(d, 1, m);
  }
  return 0;
}
