/* The object model: reference counting, classes defined in C, records,
 * strings, lists, maps, hashes and iterators. Prints what it observes; the
 * output must be the same on proton-c and proton-rs. */
#include <proton/object.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* A class defined the proton way, with PN_CLASSDEF. */
#define CID_thing CID_pn_object
typedef struct { int id; int *finalized; } thing_t;
static void thing_initialize(thing_t *t) { t->id = 0; t->finalized = NULL; }
static void thing_finalize(thing_t *t) { if (t->finalized) (*t->finalized)++; }
#define thing_hashcode NULL
#define thing_compare NULL
#define thing_inspect NULL
PN_CLASSDEF(thing)

/* A class whose objects compare by id. */
#define CID_keyed CID_pn_object
typedef struct { int id; } keyed_t;
static void keyed_initialize(keyed_t *k) { k->id = 0; }
static void keyed_finalize(keyed_t *k) { (void)k; }
static uintptr_t keyed_hashcode(keyed_t *k) { return (uintptr_t)k->id; }
static intptr_t keyed_compare(keyed_t *a, keyed_t *b) { return a->id - b->id; }
static int keyed_inspect(keyed_t *k, pn_string_t *dst) { return pn_string_addf(dst, "K%d", k->id); }
PN_CLASSDEF(keyed)

static keyed_t *key(int id) { keyed_t *k = keyed_new(); k->id = id; return k; }

/* Print the inspected form, with heap addresses (which differ from run to
 * run) replaced by ADDR. */
static void show(const char *label, void *object) {
  pn_string_t *s = pn_string("");
  pn_inspect(object, s);
  printf("%s: ", label);
  for (const char *p = pn_string_get(s); *p; p++) {
    if (p[0] == '0' && p[1] == 'x' && strtoul(p, NULL, 16) > 0xffff) {
      printf("ADDR");
      p += 2;
      while (strchr("0123456789abcdef", p[1]) && p[1]) p++;
    } else {
      putchar(*p);
    }
  }
  printf("\n");
  pn_free(s);
}

PN_HANDLE(KEY_A)
PN_HANDLE(KEY_B)

int main(void) {
  int failures = 0;

  /* reference counting and finalization */
  int finalized = 0;
  thing_t *t = thing_new();
  t->finalized = &finalized;
  printf("thing class %s cid %d refcount %d\n", pn_class_name(pn_class(t)), (int)pn_class_id(pn_class(t)), pn_refcount(t));
  pn_incref(t);
  printf("after incref %d\n", pn_refcount(t));
  int rc = pn_decref(t);
  printf("decref -> %d, finalized %d\n", rc, finalized);
  rc = pn_decref(t);
  printf("decref -> %d, finalized %d\n", rc, finalized);
  t = thing_new(); t->finalized = &finalized;
  pn_free(t);
  printf("pn_free finalized %d\n", finalized);

  /* built-in classes */
  printf("names: %s %s %s\n", pn_class_name(PN_OBJECT), pn_class_name(PN_VOID), pn_class_name(PN_WEAKREF));
  printf("cids: %d %d %d\n", (int)pn_class_id(PN_OBJECT), (int)pn_class_id(PN_VOID), (int)pn_class_id(PN_WEAKREF));
  void *v = pn_class_new(PN_VOID, 32);
  printf("void refcount %d\n", pn_class_refcount(PN_VOID, v));
  pn_class_free(PN_VOID, v);

  /* strings */
  pn_string_t *s = pn_string("hello");
  printf("string %s size %zu\n", pn_string_get(s), pn_string_size(s));
  pn_string_addf(s, " %d %s", 42, "world");
  printf("addf: %s (%zu)\n", pn_string_get(s), pn_string_size(s));
  pn_string_format(s, "%05.1f|%x", 3.14159, 255);
  printf("format: %s\n", pn_string_get(s));
  pn_string_setn(s, "a\"b\\c\001\xff", 7);
  show("inspect string", s);
  pn_string_set(s, NULL);
  printf("null string get %s size %zu\n", pn_string_get(s) ? "non-null" : "NULL", pn_string_size(s));
  show("inspect null string", s);
  pn_string_grow(s, 100);
  CHECK(pn_string_capacity(s) >= 100);
  strcpy(pn_string_buffer(s), "written directly");
  pn_string_resize(s, 7);
  printf("resize: %s\n", pn_string_get(s));
  pn_string_t *s2 = pn_string("copy me");
  pn_string_t *raw = pn_stringn("q\"\\\x01\x7f\x80", 6);
  show("inspect escapes", raw);
  pn_free(raw);
  pn_string_t *empty = pn_string(NULL);
  printf("null string capacity %zu, resize grows: %d\n", pn_string_capacity(empty), pn_string_resize(empty, 100));
  show("inspect NULL object", NULL);
  pn_free(empty);
  pn_string_copy(s, s2);
  printf("copy: %s equals %d\n", pn_string_get(s), pn_equals(s, s2));
  char out[64];
  printf("put %zd: %s\n", pn_string_put(s, out), out);
  pn_string_clear(s);
  printf("cleared '%s' %zu\n", pn_string_get(s), pn_string_size(s));
  {
    const char *w[] = {"", "a", "b", "ab", "\xff", "hello world"};
    printf("string hashes:");
    for (int i = 0; i < 6; i++) { pn_string_t *x = pn_string(w[i]); printf(" %lu", (unsigned long)pn_hashcode(x)); pn_free(x); }
    printf("\nstring compare:");
    for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) {
      pn_string_t *x = pn_string(w[i]), *y = pn_string(w[j]);
      printf(" %ld", (long)pn_compare(x, y));
      pn_free(x); pn_free(y);
    }
    pn_string_t *n = pn_string(NULL), *e = pn_string("");
    printf("\nnull string: hash %lu compare %ld %ld\n", (unsigned long)pn_hashcode(n), (long)pn_compare(n, e), (long)pn_compare(e, n));
    pn_free(n); pn_free(e);
  }
  pn_string_t *same = pn_string("copy me");
  printf("hash equal for equal strings: %d\n", pn_hashcode(s2) == pn_hashcode(same));
  pn_free(same);

  /* lists */
  pn_list_t *l = pn_list(PN_OBJECT, 0);
  pn_list_add(l, s);
  pn_list_add(l, s2);
  printf("list size %zu, refcount of element %d\n", pn_list_size(l), pn_refcount(s2));
  printf("get(-1) is last: %d\n", pn_list_get(l, -1) == (void *)s2);
  printf("index %zd\n", pn_list_index(l, s2));
  pn_string_set(s, "first");
  show("list", l);
  pn_list_del(l, 0, 1);
  printf("after del size %zu first is s2 %d\n", pn_list_size(l), pn_list_get(l, 0) == (void *)s2);
  bool removed = pn_list_remove(l, s2);
  printf("remove %d size %zu refcount %d\n", removed, pn_list_size(l), pn_refcount(s2));
  pn_list_t *heap = pn_list(PN_OBJECT, 0);
  int order[] = {5, 3, 9, 1, 7, 3};
  for (int i = 0; i < 6; i++) { keyed_t *k = key(order[i]); pn_list_minpush(heap, k); pn_decref(k); }
  printf("minpop:");
  while (pn_list_size(heap)) { keyed_t *k = pn_list_minpop(heap); printf(" %d", k->id); pn_decref(k); }
  printf("\n");
  pn_list_t *weak = pn_list(PN_WEAKREF, 0);
  pn_list_add(weak, s2);
  printf("weakref list keeps refcount %d\n", pn_refcount(s2));
  pn_list_t *keys = pn_list(PN_OBJECT, 0);
  for (int i = 0; i < 3; i++) { keyed_t *k = key(i * 10); pn_list_add(keys, k); pn_decref(k); }
  show("keyed list", keys);
  pn_iterator_t *it = pn_iterator();
  pn_list_iterator(keys, it);
  printf("iterate:");
  for (keyed_t *k; (k = pn_iterator_next(it));) printf(" %d", k->id);
  printf("\n");
  pn_free(it);

  /* maps keyed by objects compare through the key class */
  pn_map_t *m = pn_map(PN_OBJECT, PN_OBJECT, 0, 0.75);
  for (int i = 0; i < 20; i++) { keyed_t *k = key(i); pn_string_t *val = pn_string(""); pn_string_addf(val, "v%d", i); pn_map_put(m, k, val); pn_decref(k); pn_decref(val); }
  keyed_t *probe = key(7);
  printf("map size %zu get(K7) %s\n", pn_map_size(m), pn_string_get(pn_map_get(m, probe)));
  pn_map_del(m, probe);
  printf("after del size %zu get(K7) %p\n", pn_map_size(m), pn_map_get(m, probe));
  int n = 0, sum = 0;
  for (pn_handle_t e = pn_map_head(m); e; e = pn_map_next(m, e)) { n++; sum += ((keyed_t *)pn_map_key(m, e))->id; }
  printf("iterated %d entries, key sum %d\n", n, sum);
  pn_string_t *replacement = pn_string("replaced");
  probe->id = 3;
  pn_map_put(m, probe, replacement);
  printf("replace: size %zu value %s refcount %d\n", pn_map_size(m), pn_string_get(pn_map_get(m, probe)), pn_refcount(replacement));
  pn_decref(probe);
  pn_free(m);
  printf("after map free refcount %d\n", pn_refcount(replacement));
  pn_decref(replacement);

  /* hashes keyed by integers */
  pn_hash_t *h = pn_hash(PN_OBJECT, 0, 0.75);
  for (uintptr_t i = 1; i <= 50; i++) { pn_string_t *val = pn_string("x"); pn_hash_put(h, i * 1000, val); pn_decref(val); }
  printf("hash size %zu get(5000) %s get(5) %p\n", pn_hash_size(h), pn_string_get(pn_hash_get(h, 5000)), pn_hash_get(h, 5));
  pn_hash_del(h, 5000);
  uintptr_t ksum = 0; n = 0;
  for (pn_handle_t e = pn_hash_head(h); e; e = pn_hash_next(h, e)) { n++; ksum += pn_hash_key(h, e); }
  printf("hash iterated %d keysum %lu\n", n, (unsigned long)ksum);
  pn_free(h);

  /* records */
  pn_record_t *r = pn_record();
  pn_record_def(r, KEY_A, PN_OBJECT);
  pn_record_def(r, KEY_B, PN_VOID);
  printf("has A %d has B %d get A %p\n", pn_record_has(r, KEY_A), pn_record_has(r, KEY_B), pn_record_get(r, KEY_A));
  pn_record_set(r, KEY_A, s2);
  printf("record holds: refcount %d\n", pn_refcount(s2));
  pn_record_set(r, KEY_B, s2);
  printf("void key does not count: refcount %d\n", pn_refcount(s2));
  pn_record_clear(r);
  printf("after clear refcount %d has A %d\n", pn_refcount(s2), pn_record_has(r, KEY_A));
  show("record", r);
  pn_free(r);
  pn_hash_t *h1 = pn_hash(PN_OBJECT, 0, 0.75);
  pn_hash_put(h1, 5, s2);
  show("hash with one entry", h1);
  pn_free(h1);

  pn_free(weak);
  pn_free(heap);
  pn_free(keys);
  pn_free(l);
  pn_free(s);
  pn_free(s2);
  printf("failures: %d\n", failures);
  return failures ? 1 : 0;
}
