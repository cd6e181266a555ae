/* Codec throughput: a map of 10 string->int entries plus a list of 20
 * values, built with pn_data_put_* and encoded with pn_data_encode, then
 * decoded with pn_data_decode and read back with pn_data_get_*. Link it
 * against proton-c and against proton-rs and compare the rates. */
#include <proton/codec.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static const char *keys[10] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"};

static void build(pn_data_t *d, int i) {
  pn_data_put_map(d);
  pn_data_enter(d);
  for (int k = 0; k < 10; k++) {
    pn_data_put_string(d, pn_bytes(strlen(keys[k]), keys[k]));
    pn_data_put_int(d, i + k * 1000);
  }
  pn_data_exit(d);
  pn_data_put_list(d);
  pn_data_enter(d);
  for (int k = 0; k < 20; k++) {
    switch (k % 5) {
    case 0: pn_data_put_int(d, k * i); break;
    case 1: pn_data_put_string(d, pn_bytes(11, "hello world")); break;
    case 2: pn_data_put_bool(d, k & 1); break;
    case 3: pn_data_put_long(d, (int64_t)k << 40); break;
    case 4: pn_data_put_double(d, k * 0.5); break;
    }
  }
  pn_data_exit(d);
}

static long long consume(pn_data_t *d) {
  long long sum = 0;
  pn_data_rewind(d);
  pn_data_next(d);
  size_t n = pn_data_get_map(d);
  pn_data_enter(d);
  for (size_t k = 0; k < n; k += 2) {
    pn_data_next(d);
    sum += pn_data_get_string(d).size;
    pn_data_next(d);
    sum += pn_data_get_int(d);
  }
  pn_data_exit(d);
  pn_data_next(d);
  n = pn_data_get_list(d);
  pn_data_enter(d);
  for (size_t k = 0; k < n; k++) {
    pn_data_next(d);
    switch (pn_data_type(d)) {
    case PN_INT: sum += pn_data_get_int(d); break;
    case PN_STRING: sum += pn_data_get_string(d).size; break;
    case PN_BOOL: sum += pn_data_get_bool(d); break;
    case PN_LONG: sum += pn_data_get_long(d) >> 40; break;
    case PN_DOUBLE: sum += (long long)pn_data_get_double(d); break;
    default: break;
    }
  }
  pn_data_exit(d);
  return sum;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 300000;
  static char buf[4096];
  ssize_t len = 0;
  pn_data_t *d = pn_data(0);
  double t0 = now(), c0 = cpu();
  for (int i = 0; i < iters; i++) {
    pn_data_clear(d);
    build(d, i);
    len = pn_data_encode(d, buf, sizeof buf);
    if (len < 0) { fprintf(stderr, "encode failed\n"); return 1; }
  }
  double t1 = now(), c1 = cpu();
  long long sum = 0;
  pn_data_t *e = pn_data(0);
  for (int i = 0; i < iters; i++) {
    pn_data_clear(e);
    ssize_t off = 0;
    while (off < len) {
      ssize_t r = pn_data_decode(e, buf + off, len - off);
      if (r <= 0) { fprintf(stderr, "decode failed\n"); return 1; }
      off += r;
    }
    sum += consume(e);
  }
  double t2 = now(), c2 = cpu();
  printf("size=%zd encode_per_s=%.0f decode_per_s=%.0f encode_cpu_ns=%.0f decode_cpu_ns=%.0f (sum %lld)\n", len,
         iters / (t1 - t0), iters / (t2 - t1), (c1 - c0) / iters * 1e9, (c2 - c1) / iters * 1e9, sum);
  return 0;
}
