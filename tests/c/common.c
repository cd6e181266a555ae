#include "common.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <proton/object.h>

/* Every test reports its library before main() runs. */
__attribute__((constructor)) static void report_at_start(void) { report_library((void *)pn_incref); }

void report_library(void *symbol) {
  Dl_info info;
  if (dladdr(symbol, &info) && info.dli_fname) {
    char *real = realpath(info.dli_fname, NULL);
    fprintf(stderr, "library: %s\n", real ? real : info.dli_fname);
    free(real);
  } else {
    fprintf(stderr, "library: unknown\n");
  }
}

char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      char *bigger = realloc(buf, cap);
      if (!bigger) { free(buf); buf = NULL; }
      buf = bigger;
    }
  }
  fclose(f);
  if (buf) *size = n;
  return buf;
}

void print_hex(FILE *out, const char *bytes, size_t size) {
  for (size_t i = 0; i < size; i++) fprintf(out, "%02x", (unsigned char)bytes[i]);
}
