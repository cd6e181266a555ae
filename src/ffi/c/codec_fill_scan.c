/*
 * pn_data_fill / pn_data_scan (and their va_list forms): building and
 * reading a pn_data_t from a format string of type codes. Variadic, so
 * written in C, over the exported pn_data_* functions and a few internal
 * pnrs_data_* helpers (src/ffi/codec.rs).
 *
 * Fill codes (each puts one value after the current node):
 *   n null            o bool (int)          B ubyte (unsigned)
 *   b byte (int)      H ushort (unsigned)   h short (int)
 *   I uint (uint32_t) i int (int32_t)       L ulong (uint64_t)
 *   l long (int64_t)  t timestamp (int64_t) f float (double)
 *   d double          Z binary (size_t, const char *)
 *   z binary, or null when the pointer is NULL (size_t, const char *)
 *   S string, s symbol (const char *, NUL-terminated; NULL puts null)
 *   D described value: the next two values are descriptor and value
 *   [ ] list          { } map
 *   @ array (entered): T (a pn_type_t) sets its type; "@T[...]" is one
 *     array, without a list
 *   ? (int) when false, the next value is replaced by a null
 *   *s (int count, char **) that many symbols
 *   C (pn_data_t *) a copy of its first value, or null if none
 *   M (pn_data_t *) the same as C
 *   a (pn_atom_t *) an atom
 *
 * Scan codes (the data is rewound first; each reads the next value):
 *   n; o bool*; B uint8_t*; b int8_t*; H uint16_t*; h int16_t*;
 *   I uint32_t*; i int32_t*; c pn_char_t*; L uint64_t*; l int64_t*;
 *   t pn_timestamp_t*; f float*; d double*; z (binary), S (string),
 *   s (symbol): pn_bytes_t*; D, @, [ ], { }: enter a described value,
 *   array, list, map; . skips a value; ? (bool*) before a code: whether
 *   that code found its value; C (pn_data_t *): copy the value.
 * A value of another type than the code's (or none) zeroes the output.
 *
 * Self-contained (no proton headers): the headers are generated from the
 * crate this file is part of.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct pn_data_t pn_data_t;
typedef struct { size_t size; const char *start; } pn_bytes_t;
typedef struct { int type; union { uint64_t pad[2]; } u; } pn_atom_t;

enum {
  PN_NULL = 1, PN_BOOL = 2, PN_UBYTE = 3, PN_BYTE = 4, PN_USHORT = 5, PN_SHORT = 6, PN_UINT = 7,
  PN_INT = 8, PN_CHAR = 9, PN_ULONG = 10, PN_LONG = 11, PN_TIMESTAMP = 12, PN_FLOAT = 13,
  PN_DOUBLE = 14, PN_BINARY = 19, PN_STRING = 20, PN_SYMBOL = 21, PN_DESCRIBED = 22,
  PN_ARRAY = 23, PN_LIST = 24, PN_MAP = 25, PN_INVALID = -1
};
#define PN_ERR (-2)
#define PN_ARG_ERR (-6)

size_t pn_data_size(pn_data_t *data);
void pn_data_rewind(pn_data_t *data);
bool pn_data_next(pn_data_t *data);
bool pn_data_enter(pn_data_t *data);
bool pn_data_exit(pn_data_t *data);
int pn_data_type(pn_data_t *data);
void pn_data_narrow(pn_data_t *data);
void pn_data_widen(pn_data_t *data);
int pn_data_appendn(pn_data_t *data, pn_data_t *src, int limit);
int pn_data_put_list(pn_data_t *data);
int pn_data_put_map(pn_data_t *data);
int pn_data_put_array(pn_data_t *data, bool described, int type);
int pn_data_put_described(pn_data_t *data);
int pn_data_put_null(pn_data_t *data);
int pn_data_put_bool(pn_data_t *data, bool b);
int pn_data_put_ubyte(pn_data_t *data, uint8_t ub);
int pn_data_put_byte(pn_data_t *data, int8_t b);
int pn_data_put_ushort(pn_data_t *data, uint16_t us);
int pn_data_put_short(pn_data_t *data, int16_t s);
int pn_data_put_uint(pn_data_t *data, uint32_t ui);
int pn_data_put_int(pn_data_t *data, int32_t i);
int pn_data_put_ulong(pn_data_t *data, uint64_t ul);
int pn_data_put_long(pn_data_t *data, int64_t l);
int pn_data_put_timestamp(pn_data_t *data, int64_t t);
int pn_data_put_float(pn_data_t *data, float f);
int pn_data_put_double(pn_data_t *data, double d);
int pn_data_put_binary(pn_data_t *data, pn_bytes_t bytes);
int pn_data_put_string(pn_data_t *data, pn_bytes_t string);
int pn_data_put_symbol(pn_data_t *data, pn_bytes_t symbol);
int pn_data_put_atom(pn_data_t *data, pn_atom_t atom);
bool pn_data_get_bool(pn_data_t *data);
uint8_t pn_data_get_ubyte(pn_data_t *data);
int8_t pn_data_get_byte(pn_data_t *data);
uint16_t pn_data_get_ushort(pn_data_t *data);
int16_t pn_data_get_short(pn_data_t *data);
uint32_t pn_data_get_uint(pn_data_t *data);
int32_t pn_data_get_int(pn_data_t *data);
uint32_t pn_data_get_char(pn_data_t *data);
uint64_t pn_data_get_ulong(pn_data_t *data);
int64_t pn_data_get_long(pn_data_t *data);
int64_t pn_data_get_timestamp(pn_data_t *data);
float pn_data_get_float(pn_data_t *data);
double pn_data_get_double(pn_data_t *data);
pn_bytes_t pn_data_get_binary(pn_data_t *data);
pn_bytes_t pn_data_get_string(pn_data_t *data);
pn_bytes_t pn_data_get_symbol(pn_data_t *data);

/* Internal (src/ffi/codec.rs). */
int pnrs_data_parent(pn_data_t *data, size_t *children);
void pnrs_data_drop_children(pn_data_t *data);
int pnrs_data_peek_type(pn_data_t *data);
int pnrs_data_set_error(pn_data_t *data, int code, const char *text);
int pnrs_data_set_parent_array_type(pn_data_t *data, int type);

int pnrs_stdout_write(const char *bytes, size_t n) {
  if (n && fwrite(bytes, 1, n, stdout) != n) return PN_ERR;
  return 0;
}

typedef struct pn_logger_t pn_logger_t;
pn_logger_t *pn_default_logger(void);
void pn_logger_logf(pn_logger_t *logger, int subsystem, int level, const char *fmt, ...);

/* As proton-c, to the default logger whatever its mask (AMQP = 8, CRITICAL = 1). */
static void log_critical(const char *what, char code) {
  pn_logger_logf(pn_default_logger(), 8, 1, "unrecognized %s code: 0x%.2X '%c'", what, (unsigned)(unsigned char)code, code);
}

static pn_bytes_t bytes_of(size_t size, const char *start) {
  pn_bytes_t b;
  b.size = size;
  b.start = start;
  return b;
}

/* Put a NUL-terminated string as a string ('S') or symbol, NULL as null. */
static int put_cstr(pn_data_t *data, char code, const char *s) {
  if (!s) return pn_data_put_null(data);
  if (code == 'S') return pn_data_put_string(data, bytes_of(strlen(s), s));
  return pn_data_put_symbol(data, bytes_of(strlen(s), s));
}

/* After each value: leave described values that got both children, and
 * nulls standing in for a value ("?" false) once it is complete. */
static void fill_close(pn_data_t *data) {
  for (;;) {
    size_t children = 0;
    int parent = pnrs_data_parent(data, &children);
    if (parent == PN_DESCRIBED && children == 2) {
      pn_data_exit(data);
    } else if (parent == PN_NULL && children == 1) {
      pn_data_exit(data);
      pnrs_data_drop_children(data);
    } else {
      break;
    }
  }
}

int pn_data_vfill(pn_data_t *data, const char *fmt, va_list ap) {
  if (!data || !fmt) return PN_ARG_ERR;
  const char *begin = fmt;
  int err = 0;
  while (*fmt) {
    char code = *(fmt++);
    switch (code) {
    case 'n': err = pn_data_put_null(data); break;
    case 'o': err = pn_data_put_bool(data, va_arg(ap, int) != 0); break;
    case 'B': err = pn_data_put_ubyte(data, (uint8_t)va_arg(ap, unsigned int)); break;
    case 'b': err = pn_data_put_byte(data, (int8_t)va_arg(ap, int)); break;
    case 'H': err = pn_data_put_ushort(data, (uint16_t)va_arg(ap, unsigned int)); break;
    case 'h': err = pn_data_put_short(data, (int16_t)va_arg(ap, int)); break;
    case 'I': err = pn_data_put_uint(data, va_arg(ap, uint32_t)); break;
    case 'i': err = pn_data_put_int(data, va_arg(ap, int32_t)); break;
    case 'L': err = pn_data_put_ulong(data, va_arg(ap, uint64_t)); break;
    case 'l': err = pn_data_put_long(data, va_arg(ap, int64_t)); break;
    case 't': err = pn_data_put_timestamp(data, va_arg(ap, int64_t)); break;
    case 'f': err = pn_data_put_float(data, (float)va_arg(ap, double)); break;
    case 'd': err = pn_data_put_double(data, va_arg(ap, double)); break;
    case 'Z': {
      size_t size = va_arg(ap, size_t);
      const char *start = va_arg(ap, const char *);
      err = pn_data_put_binary(data, bytes_of(start ? size : 0, start));
      break;
    }
    case 'z': {
      size_t size = va_arg(ap, size_t);
      const char *start = va_arg(ap, const char *);
      err = start ? pn_data_put_binary(data, bytes_of(size, start)) : pn_data_put_null(data);
      break;
    }
    case 'S':
    case 's':
      err = put_cstr(data, code, va_arg(ap, const char *));
      break;
    case 'D':
      err = pn_data_put_described(data);
      if (!err) pn_data_enter(data);
      break;
    case 'T': {
      int type = va_arg(ap, int);
      err = pnrs_data_set_parent_array_type(data, type);
      if (err) return pnrs_data_set_error(data, PN_ERR, "naked type");
      break;
    }
    case '@':
      err = pn_data_put_array(data, false, PN_INVALID);
      if (!err) pn_data_enter(data);
      break;
    case '[':
      /* "@T[": the array's brackets, no list. */
      if (fmt - begin < 3 || fmt[-2] != 'T' || fmt[-3] != '@') {
        err = pn_data_put_list(data);
        if (!err) pn_data_enter(data);
      }
      break;
    case '{':
      err = pn_data_put_map(data);
      if (!err) pn_data_enter(data);
      break;
    case ']':
    case '}':
      if (!pn_data_exit(data)) return pnrs_data_set_error(data, PN_ERR, "exit failed");
      break;
    case '?':
      if (!va_arg(ap, int)) {
        err = pn_data_put_null(data);
        if (!err) pn_data_enter(data);
      }
      break;
    case '*': {
      int count = va_arg(ap, int);
      void *ptr = va_arg(ap, void *);
      char c = *fmt;
      if (c) fmt++;
      if (c != 's') {
        log_critical("*", code);
        return PN_ARG_ERR;
      }
      char **syms = (char **)ptr;
      for (int i = 0; i < count && !err; i++) {
        err = put_cstr(data, 's', syms[i]);
        if (!err) fill_close(data);
      }
      break;
    }
    case 'C':
    case 'M': {
      pn_data_t *src = va_arg(ap, pn_data_t *);
      if (src && pn_data_size(src) > 0) {
        err = pn_data_appendn(data, src, 1);
      } else {
        err = pn_data_put_null(data);
      }
      break;
    }
    case 'a': {
      pn_atom_t *atom = va_arg(ap, pn_atom_t *);
      err = atom ? pn_data_put_atom(data, *atom) : pn_data_put_null(data);
      break;
    }
    default:
      log_critical("fill", code);
      return PN_ARG_ERR;
    }
    if (err) return err;
    fill_close(data);
  }
  return 0;
}

int pn_data_fill(pn_data_t *data, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int err = pn_data_vfill(data, fmt, ap);
  va_end(ap);
  return err;
}

/* The next value for a scan code: moves to it and returns its type, or
 * PN_INVALID when there is none (leaving described values whose children
 * are used up). Nothing moves while suspended. */
static int scan_next(pn_data_t *data, bool suspend) {
  if (suspend) return PN_INVALID;
  for (;;) {
    if (pn_data_next(data)) return pn_data_type(data);
    if (pnrs_data_parent(data, NULL) == PN_DESCRIBED) {
      pn_data_exit(data);
      continue;
    }
    return PN_INVALID;
  }
}

/*
 * Scanning follows the format and the data side by side. When a compound
 * code finds no value of its type, the codes for its contents are skipped
 * ("suspended"): resume_count counts the codes left to skip at the level
 * the miss happened (count_level); the brackets of lists and maps are a
 * level of the format whether or not they were entered. The codes counted
 * are those at count_level, the missed one included, except '?' and opening
 * brackets: "[[@S][]C]" skips the "C" (the ']' back at the level of the
 * '@' counts, the '[' after it does not).
 */
int pn_data_vscan(pn_data_t *data, const char *fmt, va_list ap) {
  if (!data || !fmt) return PN_ARG_ERR;
  pn_data_rewind(data);
  bool *scanarg = NULL;
  bool at = false;
  int level = 0;
  int count_level = -1;
  int resume_count = 0;

  while (*fmt) {
    char code = *(fmt++);
    bool scanned = false;
    bool suspend = resume_count > 0;
    int type;

    switch (code) {
    case 'n':
      scanned = scan_next(data, suspend) == PN_NULL;
      break;

#define SCAN(CODE, CTYPE, PNTYPE, GET)                  \
    case CODE: {                                        \
      CTYPE *value = va_arg(ap, CTYPE *);               \
      if (scan_next(data, suspend) == PNTYPE) {         \
        *value = GET(data);                             \
        scanned = true;                                 \
      } else {                                          \
        memset(value, 0, sizeof *value);                \
      }                                                 \
      break;                                            \
    }
    SCAN('o', bool, PN_BOOL, pn_data_get_bool)
    SCAN('B', uint8_t, PN_UBYTE, pn_data_get_ubyte)
    SCAN('b', int8_t, PN_BYTE, pn_data_get_byte)
    SCAN('H', uint16_t, PN_USHORT, pn_data_get_ushort)
    SCAN('h', int16_t, PN_SHORT, pn_data_get_short)
    SCAN('I', uint32_t, PN_UINT, pn_data_get_uint)
    SCAN('i', int32_t, PN_INT, pn_data_get_int)
    SCAN('c', uint32_t, PN_CHAR, pn_data_get_char)
    SCAN('L', uint64_t, PN_ULONG, pn_data_get_ulong)
    SCAN('l', int64_t, PN_LONG, pn_data_get_long)
    SCAN('t', int64_t, PN_TIMESTAMP, pn_data_get_timestamp)
    SCAN('f', float, PN_FLOAT, pn_data_get_float)
    SCAN('d', double, PN_DOUBLE, pn_data_get_double)
    SCAN('z', pn_bytes_t, PN_BINARY, pn_data_get_binary)
    SCAN('S', pn_bytes_t, PN_STRING, pn_data_get_string)
    SCAN('s', pn_bytes_t, PN_SYMBOL, pn_data_get_symbol)
#undef SCAN

    case 'D':
      /* Entered without a level of its own: its two values follow. */
      type = scan_next(data, suspend);
      if (type == PN_DESCRIBED) {
        pn_data_enter(data);
        scanned = true;
      } else if (!suspend) {
        resume_count = 3;
        count_level = level;
      }
      break;
    case '@':
      type = scan_next(data, suspend);
      if (type == PN_ARRAY) {
        pn_data_enter(data);
        scanned = true;
        at = true;
      } else if (!suspend) {
        resume_count = 3;
        count_level = level;
      }
      break;
    case '[':
      if (at) {
        /* The brackets of the array entered by '@'. */
        scanned = true;
        at = false;
      } else {
        type = scan_next(data, suspend);
        if (type == PN_LIST) {
          pn_data_enter(data);
          scanned = true;
        } else if (!suspend) {
          resume_count = 1;
          count_level = level;
        }
      }
      /* The format's nesting, entered or not. */
      level++;
      break;
    case '{':
      type = scan_next(data, suspend);
      if (type == PN_MAP) {
        pn_data_enter(data);
        scanned = true;
      } else if (resume_count) {
        /* Unlike '[', a missing map does not suspend the codes of its
         * contents (proton-c does the same): they read the values that
         * follow. */
        resume_count = 1;
        count_level = level;
      }
      level++;
      break;
    case ']':
    case '}':
      level--;
      if (!suspend && !pn_data_exit(data)) return pnrs_data_set_error(data, PN_ERR, "exit failed");
      break;
    case '.':
      scanned = scan_next(data, suspend) != PN_INVALID;
      break;
    case '?':
      if (!*fmt || *fmt == '?') return pnrs_data_set_error(data, PN_ARG_ERR, "codes must follow a ?");
      scanarg = va_arg(ap, bool *);
      break;
    case 'C': {
      pn_data_t *dst = va_arg(ap, pn_data_t *);
      if (!suspend) {
        size_t old = pn_data_size(dst);
        int next = pnrs_data_peek_type(data);
        if (next != PN_INVALID && next != PN_NULL) {
          pn_data_narrow(data);
          int err = pn_data_appendn(dst, data, 1);
          pn_data_widen(data);
          if (err) return err;
          scanned = pn_data_size(dst) > old;
        }
        pn_data_next(data);
      }
      break;
    }
    default: {
      char text[64];
      snprintf(text, sizeof text, "unrecognized scan code: 0x%.2X '%c'", (unsigned)(unsigned char)code, code);
      return pnrs_data_set_error(data, PN_ARG_ERR, text);
    }
    }

    /* Every code but '?' and the opening brackets counts toward resuming:
     * an opening bracket only raises the level, and its closing one (back
     * at the level of the miss) is what counts. So after a missed '@' or
     * 'D', "][" back at that level does not resume the scan early. */
    if (code != '?' && code != '[' && code != '{' && resume_count && level == count_level) resume_count--;

    if (scanarg && code != '?') {
      *scanarg = scanned;
      scanarg = NULL;
    }
  }
  return 0;
}

int pn_data_scan(pn_data_t *data, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int err = pn_data_vscan(data, fmt, ap);
  va_end(ap);
  return err;
}
