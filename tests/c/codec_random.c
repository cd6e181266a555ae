/* Seeded random trees of AMQP values: each tree is built with the
 * pn_data_put_* API, then its encoding (hex) and its pn_data_format text
 * are printed. Run on two libraries, the outputs must be identical.
 * usage: codec_random [COUNT [SEED]] */
#include <proton/codec.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

static char scratch[256];
static pn_bytes_t random_bytes(int kind) {
  /* kind 0: any bytes; 1: printable ASCII with quotes/backslashes; 2: UTF-8 text; 3: symbol-ish */
  size_t n = pick(kind == 0 ? 40 : 24);
  if (pick(20) == 0) n = 200 + pick(50); /* sometimes long: str32/vbin32 */
  size_t i = 0;
  while (i < n && i < sizeof scratch - 4) {
    switch (kind) {
    case 0: scratch[i++] = (char)pick(256); break;
    case 1: { static const char set[] = "abcXYZ 019\"\\'-_.:/{}[]@=,"; scratch[i++] = set[pick(sizeof set - 1)]; break; }
    case 2:
      if (pick(4) == 0) { scratch[i++] = (char)0xc3; scratch[i++] = (char)(0xa0 + pick(16)); }
      else if (pick(8) == 0) { scratch[i++] = (char)0xe2; scratch[i++] = (char)0x82; scratch[i++] = (char)0xac; }
      else scratch[i++] = (char)('a' + pick(26));
      break;
    default: { static const char set[] = "abcdefghijklmnopqrstuvwxyz:-_.ABC09 $"; scratch[i++] = set[pick(sizeof set - 1)]; break; }
    }
  }
  return pn_bytes(i, scratch);
}

static const pn_type_t scalar_types[] = {
  PN_NULL, PN_BOOL, PN_UBYTE, PN_BYTE, PN_USHORT, PN_SHORT, PN_UINT, PN_INT, PN_CHAR, PN_ULONG, PN_LONG,
  PN_TIMESTAMP, PN_FLOAT, PN_DOUBLE, PN_DECIMAL32, PN_DECIMAL64, PN_DECIMAL128, PN_UUID, PN_BINARY,
  PN_STRING, PN_SYMBOL};
#define NSCALAR (sizeof scalar_types / sizeof scalar_types[0])

/* Integers biased toward the boundaries where encodings change width. */
static int64_t interesting(void) {
  static const int64_t edges[] = {0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, 65535,
                                  65536, 2147483647LL, -2147483648LL, 4294967295LL, 4294967296LL, INT64_MAX, INT64_MIN};
  switch (pick(3)) {
  case 0: return edges[pick(sizeof edges / sizeof edges[0])];
  case 1: return (int64_t)pick(300) - 150;
  default: return (int64_t)rnd();
  }
}

static void put_scalar(pn_data_t *d, pn_type_t t) {
  int64_t v = interesting();
  switch (t) {
  case PN_NULL: pn_data_put_null(d); break;
  case PN_BOOL: pn_data_put_bool(d, pick(2)); break;
  case PN_UBYTE: pn_data_put_ubyte(d, (uint8_t)v); break;
  case PN_BYTE: pn_data_put_byte(d, (int8_t)v); break;
  case PN_USHORT: pn_data_put_ushort(d, (uint16_t)v); break;
  case PN_SHORT: pn_data_put_short(d, (int16_t)v); break;
  case PN_UINT: pn_data_put_uint(d, (uint32_t)v); break;
  case PN_INT: pn_data_put_int(d, (int32_t)v); break;
  case PN_CHAR: pn_data_put_char(d, (pn_char_t)(pick(3) ? pick(128) : pick(0x10ffff))); break;
  case PN_ULONG: pn_data_put_ulong(d, (uint64_t)v); break;
  case PN_LONG: pn_data_put_long(d, v); break;
  case PN_TIMESTAMP: pn_data_put_timestamp(d, v); break;
  case PN_FLOAT: pn_data_put_float(d, (float)((double)(int32_t)v / (double)(1 + pick(1000)))); break;
  case PN_DOUBLE: pn_data_put_double(d, (double)v / (double)(1 + pick(100000))); break;
  case PN_DECIMAL32: pn_data_put_decimal32(d, (pn_decimal32_t)rnd()); break;
  case PN_DECIMAL64: pn_data_put_decimal64(d, (pn_decimal64_t)rnd()); break;
  case PN_DECIMAL128: { pn_decimal128_t x; for (int i = 0; i < 16; i++) x.bytes[i] = (char)pick(256); pn_data_put_decimal128(d, x); break; }
  case PN_UUID: { pn_uuid_t x; for (int i = 0; i < 16; i++) x.bytes[i] = (char)pick(256); pn_data_put_uuid(d, x); break; }
  case PN_BINARY: pn_data_put_binary(d, random_bytes(0)); break;
  case PN_STRING: pn_data_put_string(d, random_bytes(pick(2) ? 2 : 1)); break;
  case PN_SYMBOL: pn_data_put_symbol(d, random_bytes(3)); break;
  default: break;
  }
}

static void put_value(pn_data_t *d, int depth);

static void put_children(pn_data_t *d, int depth, unsigned count) {
  for (unsigned i = 0; i < count; i++) put_value(d, depth + 1);
}

static void put_array(pn_data_t *d, int depth) {
  bool described = pick(4) == 0;
  pn_type_t t = pick(6) == 0 ? (pick(2) ? PN_LIST : PN_MAP) : scalar_types[1 + pick(NSCALAR - 1)];
  pn_data_put_array(d, described, t);
  pn_data_enter(d);
  if (described) put_scalar(d, pick(2) ? PN_SYMBOL : PN_ULONG);
  unsigned n = pick(4) == 0 ? 0 : pick(12);
  for (unsigned i = 0; i < n; i++) {
    if (t == PN_LIST || t == PN_MAP) {
      if (t == PN_LIST) pn_data_put_list(d); else pn_data_put_map(d);
      pn_data_enter(d);
      put_children(d, depth + 1, t == PN_MAP ? 2 * pick(3) : pick(4));
      pn_data_exit(d);
    } else {
      put_scalar(d, t);
    }
  }
  pn_data_exit(d);
}

static void put_value(pn_data_t *d, int depth) {
  unsigned r = pick(depth > 4 ? 1 : 10);
  switch (r) {
  case 0: case 1: case 2: case 3: case 4: case 5:
    put_scalar(d, scalar_types[pick(NSCALAR)]);
    break;
  case 6:
    pn_data_put_list(d);
    pn_data_enter(d);
    put_children(d, depth, pick(4) == 0 ? 0 : pick(8));
    pn_data_exit(d);
    break;
  case 7:
    pn_data_put_map(d);
    pn_data_enter(d);
    put_children(d, depth, 2 * pick(5));
    pn_data_exit(d);
    break;
  case 8:
    pn_data_put_described(d);
    pn_data_enter(d);
    if (pick(2)) pn_data_put_ulong(d, pick(3) ? 0x70 + pick(8) : pick(0x30)); else pn_data_put_symbol(d, random_bytes(3));
    put_value(d, depth + 1);
    pn_data_exit(d);
    break;
  default:
    put_array(d, depth);
    break;
  }
}

int main(int argc, char **argv) {
  unsigned count = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
  rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ULL;
  static char buf[1 << 20], text[1 << 20];
  int failures = 0;
  bool roundtrip = getenv("ROUNDTRIP") != NULL;
  pn_data_t *d = pn_data(0), *back = pn_data(0);
  for (unsigned i = 0; i < count; i++) {
    pn_data_clear(d);
    unsigned top = 1 + pick(3);
    for (unsigned j = 0; j < top; j++) put_value(d, 0);
    ssize_t n = pn_data_encode(d, buf, sizeof buf);
    size_t tsize = sizeof text;
    int ferr = pn_data_format(d, text, &tsize);
    printf("%u encode %zd: ", i, n);
    if (n > 0) print_hex(stdout, buf, (size_t)n);
    printf("\n%u format %d: %.*s\n", i, ferr, ferr ? 0 : (int)tsize, text);
    /* With ROUNDTRIP set, also decode the encoding and require the same
     * bytes again. Only proton-rs is run this way: proton-c's decoder
     * mis-nests a described value whose value is itself described. */
    if (roundtrip && n > 0) {
      pn_data_clear(back);
      size_t off = 0;
      while (off < (size_t)n) {
        ssize_t m = pn_data_decode(back, buf + off, (size_t)n - off);
        if (m <= 0) { printf("%u decode error %zd\n", i, m); failures++; break; }
        off += (size_t)m;
      }
      static char again[1 << 20];
      ssize_t n2 = pn_data_encode(back, again, sizeof again);
      if (n2 != n || memcmp(again, buf, (size_t)n) != 0) {
        printf("%u round trip differs: ", i);
        if (n2 > 0) print_hex(stdout, again, (size_t)n2);
        printf("\n");
        failures++;
      }
    }
  }
  pn_data_free(d);
  pn_data_free(back);
  printf("trees: %u\n", count);
  return failures ? 1 : 0;
}
