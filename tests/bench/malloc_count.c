/* A malloc-counting shim for the benchmarks: LD_PRELOAD it and the
 * process prints, at exit, how many times malloc, calloc, realloc and
 * free were called, and how many bytes were asked for. Run a benchmark
 * with two message counts: the difference over the difference in messages
 * is the allocation rate of the steady state.
 *   cc -O2 -shared -fPIC -o malloc_count.so malloc_count.c -ldl
 *   LD_PRELOAD=./malloc_count.so engine_bench 10000 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static unsigned long n_malloc, n_calloc, n_realloc, n_free, n_bytes;

/* dlsym may call calloc before real_calloc is known: serve it from here. */
static char early[4096];
static size_t early_used;

static void init(void) {
  if (real_malloc) return;
  real_calloc = dlsym(RTLD_NEXT, "calloc");
  real_realloc = dlsym(RTLD_NEXT, "realloc");
  real_free = dlsym(RTLD_NEXT, "free");
  real_malloc = dlsym(RTLD_NEXT, "malloc");
}

void *malloc(size_t n) {
  init();
  n_malloc++; n_bytes += n;
  return real_malloc(n);
}

void *calloc(size_t a, size_t b) {
  if (!real_calloc) {
    if (real_malloc == NULL && early_used + a * b <= sizeof early) {
      void *p = early + early_used; early_used += (a * b + 15) & ~(size_t)15; return p;
    }
    init();
  }
  n_calloc++; n_bytes += a * b;
  return real_calloc(a, b);
}

void *realloc(void *p, size_t n) {
  init();
  n_realloc++; n_bytes += n;
  return real_realloc(p, n);
}

void free(void *p) {
  if ((char *)p >= early && (char *)p < early + sizeof early) return;
  init();
  if (p) n_free++;
  real_free(p);
}

__attribute__((destructor)) static void report(void) {
  char line[256];
  int n = snprintf(line, sizeof line, "malloc_count: malloc=%lu calloc=%lu realloc=%lu free=%lu bytes=%lu\n",
                   n_malloc, n_calloc, n_realloc, n_free, n_bytes);
  if (write(2, line, n) < 0) {}
}
