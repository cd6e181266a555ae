/* message.h, every function: defaults, setters and getters, encoded bytes
 * of many messages (every id type, every body kind, inferred or not),
 * decoding of those bytes, pn_inspect text, ids kept as pn_data_t, cursor
 * effects, pn_message_data, pn_message_encode overflow and pn_message_encode2
 * growth. With a file argument, also decodes every hex line of it (damaged
 * and unusual inputs) and prints the message each gives.
 *
 * The output must be identical on proton-c and proton-rs. */
#include <proton/codec.h>
#include <proton/error.h>
#include <proton/message.h>
#include <proton/object.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

pn_message_t *pni_message_with_extra(size_t extra);
void *pni_message_get_extra(pn_message_t *msg);

static void show_text(const char *what, const char *s) {
  if (s) printf("  %s=\"%s\"\n", what, s);
  else printf("  %s=NULL\n", what);
}

static void inspect(pn_message_t *m) {
  pn_string_t *s = pn_string(NULL);
  pn_inspect(m, s);
  /* Print all bytes (an id of type char may hold a NUL). */
  printf("  inspect: ");
  fwrite(pn_string_get(s), 1, pn_string_size(s), stdout);
  printf("\n");
  pn_free(s);
}

static void data_text(const char *what, pn_data_t *d) {
  char buf[8192];
  size_t n = sizeof buf;
  int err = pn_data_format(d, buf, &n);
  printf("  %s: size=%zu type=%d format(%d)=%s\n", what, pn_data_size(d), (int)pn_data_type(d), err, err ? "" : buf);
}

/* pn_message_data's trees: text and encoding. (Not pn_data_size: proton's
 * tree also holds trailing nulls of the header and properties lists, which
 * its encoder leaves out; proton-rs does not put them.) */
static void message_data_text(const char *what, pn_data_t *d) {
  char buf[8192];
  size_t n = sizeof buf;
  int err = pn_data_format(d, buf, &n);
  printf("  %s: format(%d)=%s\n  encoded: ", what, err, err ? "" : buf);
  char bytes[8192];
  ssize_t e = pn_data_encode(d, bytes, sizeof bytes);
  print_hex(stdout, bytes, e > 0 ? (size_t)e : 0);
  printf("\n");
}

static void show_atom(const char *what, pn_atom_t a) {
  printf("  %s: type=%d", what, (int)a.type);
  switch (a.type) {
  case PN_ULONG: printf(" ulong=%llu", (unsigned long long)a.u.as_ulong); break;
  case PN_INT: printf(" int=%d", a.u.as_int); break;
  case PN_UUID: printf(" uuid="); print_hex(stdout, a.u.as_uuid.bytes, 16); break;
  case PN_BINARY: case PN_STRING: case PN_SYMBOL:
    printf(" bytes[%zu]=", a.u.as_bytes.size); print_hex(stdout, a.u.as_bytes.start, a.u.as_bytes.size); break;
  default: break;
  }
  printf("\n");
}

static void all_fields(pn_message_t *m) {
  printf("  durable=%d priority=%d ttl=%u first=%d delivery_count=%u inferred=%d\n", pn_message_is_durable(m),
         pn_message_get_priority(m), pn_message_get_ttl(m), pn_message_is_first_acquirer(m),
         pn_message_get_delivery_count(m), pn_message_is_inferred(m));
  show_atom("id", pn_message_get_id(m));
  pn_bytes_t u = pn_message_get_user_id(m);
  printf("  user_id: %s size=%zu ", u.start ? "set" : "NULL", u.size);
  print_hex(stdout, u.start, u.size);
  printf("\n");
  show_text("address", pn_message_get_address(m));
  show_text("subject", pn_message_get_subject(m));
  show_text("reply_to", pn_message_get_reply_to(m));
  show_atom("correlation_id", pn_message_get_correlation_id(m));
  show_text("content_type", pn_message_get_content_type(m));
  show_text("content_encoding", pn_message_get_content_encoding(m));
  printf("  expiry=%lld creation=%lld group_sequence=%u\n", (long long)pn_message_get_expiry_time(m),
         (long long)pn_message_get_creation_time(m), pn_message_get_group_sequence(m));
  show_text("group_id", pn_message_get_group_id(m));
  show_text("reply_to_group_id", pn_message_get_reply_to_group_id(m));
  printf("  errno=%d error=%s\n", pn_message_errno(m), pn_error_text(pn_message_error(m)) ? pn_error_text(pn_message_error(m)) : "NULL");
}

static char encoded[65536];
static size_t encoded_size;

/* Encode, print the bytes and the inspect text, then decode them into a
 * new message and print that message and its encoding. */
static void check(const char *name, pn_message_t *m) {
  printf("%s\n", name);
  encoded_size = sizeof encoded;
  int err = pn_message_encode(m, encoded, &encoded_size);
  printf("  encode=%d size=%zu: ", err, encoded_size);
  if (!err) print_hex(stdout, encoded, encoded_size);
  printf("\n");
  inspect(m);
  if (err) return;
  pn_message_t *d = pn_message();
  err = pn_message_decode(d, encoded, encoded_size);
  char again[65536];
  size_t n = sizeof again;
  int err2 = pn_message_encode(d, again, &n);
  printf("  decode=%d re-encode=%d %s\n", err, err2,
         (!err2 && n == encoded_size && !memcmp(again, encoded, n)) ? "same bytes" : "DIFFERENT");
  inspect(d);
  pn_message_free(d);
}

static pn_atom_t atom_ulong(uint64_t v) {
  pn_atom_t a; memset(&a, 0, sizeof a); a.type = PN_ULONG; a.u.as_ulong = v; return a;
}
static pn_atom_t atom_bytes(pn_type_t t, const char *s, size_t n) {
  pn_atom_t a; memset(&a, 0, sizeof a); a.type = t; a.u.as_bytes = pn_bytes(n, s); return a;
}
static pn_atom_t atom_uuid(int seed) {
  pn_atom_t a; memset(&a, 0, sizeof a); a.type = PN_UUID;
  for (int i = 0; i < 16; i++) a.u.as_uuid.bytes[i] = (char)(seed + i * 7);
  return a;
}
static pn_atom_t atom_int(int v) {
  pn_atom_t a; memset(&a, 0, sizeof a); a.type = PN_INT; a.u.as_int = v; return a;
}

static void map1(pn_data_t *d, const char *key, bool symbol, int v) {
  pn_data_put_map(d);
  pn_data_enter(d);
  if (symbol) pn_data_put_symbol(d, pn_bytes(strlen(key), key));
  else pn_data_put_string(d, pn_bytes(strlen(key), key));
  pn_data_put_int(d, v);
  pn_data_exit(d);
}

static void defaults_and_accessors(void) {
  pn_message_t *m = pn_message();
  printf("== defaults\n");
  all_fields(m);
  printf("  class=%s refcount=%d default_priority=%d\n", pn_class_name(pn_class(m)), pn_refcount(m), PN_DEFAULT_PRIORITY);
  data_text("instructions", pn_message_instructions(m));
  data_text("annotations", pn_message_annotations(m));
  data_text("properties", pn_message_properties(m));
  data_text("body", pn_message_body(m));
  data_text("id data", pn_message_id(m));
  data_text("correlation data", pn_message_correlation_id(m));
  printf("  same pointers: %d %d\n", pn_message_body(m) == pn_message_body(m), pn_message_id(m) == pn_message_id(m));

  printf("== setters return\n");
  printf("  %d %d %d %d %d %d %d %d %d %d %d %d\n", pn_message_set_inferred(m, true), pn_message_set_durable(m, true),
         pn_message_set_priority(m, 0), pn_message_set_ttl(m, 4294967295u), pn_message_set_first_acquirer(m, true),
         pn_message_set_delivery_count(m, 4294967295u), pn_message_set_user_id(m, pn_bytes(3, "u\0x")),
         pn_message_set_address(m, "addr"), pn_message_set_subject(m, ""), pn_message_set_reply_to(m, "rt"),
         pn_message_set_content_type(m, "text/plain"), pn_message_set_content_encoding(m, "gzip"));
  printf("  %d %d %d %d %d %d %d\n", pn_message_set_expiry_time(m, -1), pn_message_set_creation_time(m, 1700000000000LL),
         pn_message_set_group_id(m, "grp"), pn_message_set_group_sequence(m, 4294967295u),
         pn_message_set_reply_to_group_id(m, "rgrp"), pn_message_set_id(m, atom_int(5)),
         pn_message_set_correlation_id(m, atom_ulong(9)));
  all_fields(m);
  inspect(m);
  printf("== NULL strings unset\n");
  pn_message_set_address(m, NULL);
  pn_message_set_subject(m, NULL);
  pn_message_set_user_id(m, pn_bytes(0, NULL));
  all_fields(m);
  printf("== clear\n");
  pn_data_put_int(pn_message_body(m), 1);
  pn_message_clear(m);
  all_fields(m);
  data_text("body", pn_message_body(m));
  inspect(m);
  pn_message_free(m);

  printf("== string copies\n");
  m = pn_message();
  char buf[8];
  strcpy(buf, "abc");
  pn_message_set_address(m, buf);
  pn_message_set_id(m, atom_bytes(PN_STRING, buf, 3));
  pn_message_set_user_id(m, pn_bytes(3, buf));
  strcpy(buf, "XYZ");
  all_fields(m);
  pn_message_free(m);

  printf("== set from own getters\n");
  m = pn_message();
  pn_message_set_address(m, "first-address");
  pn_message_set_address(m, pn_message_get_address(m));
  pn_message_set_address(m, pn_message_get_address(m) + 6);
  pn_message_set_user_id(m, pn_bytes(5, "user!"));
  pn_message_set_user_id(m, pn_message_get_user_id(m));
  /* (Not set_id(m, get_id(m)) for a plain string id: proton-c frees the
   * old bytes before copying them and reads freed memory.) */
  pn_message_set_correlation_id(m, atom_bytes(PN_BINARY, "corr", 4));
  pn_data_put_string(pn_message_correlation_id(m), pn_bytes(5, "other"));
  pn_message_set_correlation_id(m, pn_message_get_correlation_id(m));
  all_fields(m);
  data_text("correlation tree", pn_message_correlation_id(m));
  pn_message_free(m);

  printf("== extra storage\n");
  m = pni_message_with_extra(32);
  unsigned char *extra = pni_message_get_extra(m);
  int zero = 1;
  for (int i = 0; i < 32; i++) zero &= extra[i] == 0;
  memset(extra, 0x5a, 32);
  printf("  zeroed=%d class=%s\n", zero, pn_class_name(pn_class(m)));
  inspect(m);
  pn_message_free(m);
}

static void encodings(void) {
  pn_message_t *m = pn_message();
  check("== empty", m);
  pn_message_set_durable(m, true); check("== durable", m);
  pn_message_set_durable(m, false); pn_message_set_priority(m, 5); check("== priority 5", m);
  pn_message_set_priority(m, 4); pn_message_set_ttl(m, 5); check("== ttl 5", m);
  pn_message_set_ttl(m, 100000); check("== ttl 100000", m);
  pn_message_set_ttl(m, 0); pn_message_set_first_acquirer(m, true); check("== first acquirer", m);
  pn_message_set_first_acquirer(m, false); pn_message_set_delivery_count(m, 300); check("== delivery count", m);
  pn_message_clear(m);

  pn_message_set_id(m, atom_ulong(0)); check("== id ulong 0", m);
  pn_message_set_id(m, atom_ulong(42)); check("== id ulong 42", m);
  pn_message_set_id(m, atom_ulong(0x123456789abcdefULL)); check("== id ulong big", m);
  pn_message_set_id(m, atom_uuid(3)); check("== id uuid", m);
  pn_message_set_id(m, atom_bytes(PN_BINARY, "b\0in", 4)); check("== id binary", m);
  pn_message_set_id(m, atom_bytes(PN_STRING, "str", 3)); check("== id string", m);
  pn_message_set_id(m, atom_bytes(PN_STRING, "", 0)); check("== id empty string", m);
  pn_message_set_id(m, atom_bytes(PN_SYMBOL, "sym", 3)); check("== id symbol (dropped)", m);
  pn_message_set_id(m, atom_int(7)); check("== id int (dropped)", m);
  pn_message_set_correlation_id(m, atom_uuid(9)); check("== correlation uuid", m);
  pn_message_set_correlation_id(m, atom_bytes(PN_BINARY, "\x01\x02", 2)); check("== correlation binary", m);
  pn_message_set_correlation_id(m, atom_ulong(77)); check("== correlation ulong", m);
  pn_message_set_correlation_id(m, atom_bytes(PN_STRING, "corr", 4)); check("== correlation string", m);
  pn_message_clear(m);

  pn_message_set_user_id(m, pn_bytes(2, "us")); check("== user id", m);
  pn_message_set_user_id(m, pn_bytes(0, "")); check("== empty user id", m);
  pn_message_set_address(m, "amqp://h/q"); check("== address", m);
  pn_message_set_subject(m, "subj"); check("== subject", m);
  pn_message_set_reply_to(m, "reply"); check("== reply to", m);
  pn_message_set_content_type(m, "application/json"); check("== content type", m);
  pn_message_set_content_encoding(m, "utf-8"); check("== content encoding", m);
  pn_message_set_expiry_time(m, 1234567890123LL); check("== expiry", m);
  pn_message_set_creation_time(m, -5); check("== creation", m);
  pn_message_set_group_id(m, "g"); check("== group id (sequence 0 written)", m);
  pn_message_set_group_sequence(m, 4294967295u); check("== group sequence", m);
  pn_message_set_reply_to_group_id(m, "rg"); check("== reply to group id", m);
  pn_message_set_address(m, "q\"'\\\t~\x7f\xc3\xa9"); check("== escapes", m);
  pn_message_clear(m);
  pn_message_set_reply_to_group_id(m, "rg"); check("== only reply to group id", m);
  pn_message_clear(m);

  /* List sizes around the list8/list32 limit. */
  char big[400];
  for (int len = 248; len <= 253; len++) {
    memset(big, 'a' + len % 26, len);
    big[len] = 0;
    pn_message_set_address(m, big);
    char name[64];
    snprintf(name, sizeof name, "== address of %d bytes", len);
    check(name, m);
  }
  pn_message_clear(m);

  /* Sections and bodies. */
  map1(pn_message_instructions(m), "i", true, 1); check("== instructions", m);
  map1(pn_message_annotations(m), "x-opt", true, 2); check("== annotations", m);
  map1(pn_message_properties(m), "p", false, 3); check("== properties", m);
  pn_data_t *body = pn_message_body(m);
  pn_data_put_string(body, pn_bytes(5, "hello")); check("== string body", m);
  pn_message_set_inferred(m, true); check("== string body, inferred", m);
  pn_data_clear(body); pn_data_put_binary(body, pn_bytes(5, "hello")); check("== binary body, inferred", m);
  pn_message_set_inferred(m, false); check("== binary body", m);
  pn_data_clear(body); pn_data_put_list(body); pn_data_enter(body); pn_data_put_int(body, 1);
  pn_data_put_string(body, pn_bytes(1, "x")); pn_data_exit(body);
  check("== list body", m);
  pn_message_set_inferred(m, true); check("== list body, inferred", m);
  pn_data_clear(body); pn_data_put_binary(body, pn_bytes(1, "x")); pn_data_put_binary(body, pn_bytes(1, "y"));
  check("== two binaries, inferred", m);
  pn_data_clear(body); pn_data_put_int(body, 1); pn_data_put_binary(body, pn_bytes(1, "y"));
  check("== int then binary, inferred", m);
  pn_data_clear(body); pn_data_put_array(body, false, PN_INT); pn_data_enter(body); pn_data_put_int(body, 1);
  pn_data_exit(body); check("== array body, inferred", m);
  pn_data_clear(body); pn_data_put_null(body); check("== null body", m);
  pn_data_clear(body); pn_data_put_map(body); pn_data_enter(body); pn_data_put_string(body, pn_bytes(1, "k"));
  pn_data_put_double(body, 2.5); pn_data_exit(body); check("== map body", m);
  pn_data_clear(body); pn_data_put_described(body); pn_data_enter(body); pn_data_put_ulong(body, 0x75);
  pn_data_put_binary(body, pn_bytes(1, "x")); pn_data_exit(body); check("== described body", m);
  pn_data_clear(body);
  char *large = calloc(300, 1);
  pn_data_put_binary(body, pn_bytes(300, large)); check("== 300-byte binary, inferred", m);
  free(large);
  pn_message_set_inferred(m, false);
  pn_data_put_null(pn_message_annotations(m)); check("== null annotations", m);
  pn_message_clear(m);

  /* Everything. */
  pn_message_set_durable(m, true); pn_message_set_priority(m, 9); pn_message_set_ttl(m, 7);
  pn_message_set_first_acquirer(m, true); pn_message_set_delivery_count(m, 2);
  pn_message_set_id(m, atom_ulong(1000)); pn_message_set_user_id(m, pn_bytes(2, "us"));
  pn_message_set_address(m, "ad"); pn_message_set_subject(m, "su"); pn_message_set_reply_to(m, "rt");
  pn_message_set_correlation_id(m, atom_bytes(PN_STRING, "co", 2)); pn_message_set_content_type(m, "ct");
  pn_message_set_content_encoding(m, "ce"); pn_message_set_expiry_time(m, 100); pn_message_set_creation_time(m, 200);
  pn_message_set_group_id(m, "gi"); pn_message_set_group_sequence(m, 3); pn_message_set_reply_to_group_id(m, "rg");
  map1(pn_message_instructions(m), "i", true, 1); map1(pn_message_annotations(m), "a", true, 2);
  map1(pn_message_properties(m), "p", false, 3);
  pn_data_put_list(pn_message_body(m)); pn_data_enter(pn_message_body(m)); pn_data_put_int(pn_message_body(m), 4);
  pn_data_exit(pn_message_body(m));
  check("== everything", m);
  pn_message_set_inferred(m, true); check("== everything, inferred", m);
  pn_message_free(m);
}

static void id_trees(void) {
  printf("== ids as pn_data_t\n");
  pn_message_t *m = pn_message();
  pn_message_set_id(m, atom_bytes(PN_STRING, "ab", 2));
  pn_data_t *id = pn_message_id(m);
  data_text("id data after a string id", id);
  show_atom("get_id", pn_message_get_id(m));
  pn_message_set_content_type(m, "c");
  pn_data_t *c = pn_message_correlation_id(m);
  for (int t = 0; t < 16; t++) {
    pn_data_clear(c);
    switch (t) {
    case 0: pn_data_put_bool(c, true); break;
    case 1: pn_data_put_ubyte(c, 1); break;
    case 2: pn_data_put_byte(c, -1); break;
    case 3: pn_data_put_ushort(c, 2); break;
    case 4: pn_data_put_short(c, -2); break;
    case 5: pn_data_put_uint(c, 0); break;
    case 6: pn_data_put_int(c, 3); break;
    case 7: pn_data_put_char(c, 'A'); break;
    case 8: pn_data_put_long(c, -4); break;
    case 9: pn_data_put_timestamp(c, 5); break;
    case 10: pn_data_put_float(c, 0.5f); break;
    case 11: pn_data_put_symbol(c, pn_bytes(3, "s-y")); break;
    case 12: pn_data_put_list(c); break;
    case 13: pn_data_put_map(c); break;
    case 14: pn_data_put_described(c); break;
    case 15: pn_data_put_null(c); break;
    }
    char name[32];
    snprintf(name, sizeof name, "== correlation tree %d", t);
    check(name, m);
    show_atom("get_correlation_id", pn_message_get_correlation_id(m));
  }
  pn_data_clear(c);
  pn_data_put_ulong(c, 300);
  pn_data_put_ulong(c, 2);
  check("== correlation tree: current node is the id", m);
  pn_data_rewind(c);
  check("== correlation tree rewound: no id", m);
  pn_message_set_correlation_id(m, atom_bytes(PN_STRING, "x", 1));
  data_text("set_correlation_id writes over the first node", c);
  pn_message_set_correlation_id(m, atom_int(3));
  data_text("any type is kept", c);
  check("== after set", m);
  pn_message_clear(m);
  data_text("id after clear", id);
  pn_message_set_id(m, atom_int(4));
  check("== int id in tree form", m);

  printf("== decode into id trees\n");
  pn_data_clear(id);
  pn_data_put_string(id, pn_bytes(1, "a"));
  pn_data_put_int(id, 4);
  const char props[] = "\x00\x53\x73\xc0\x03\x01\x53\x05";
  pn_message_decode(m, props, sizeof props - 1);
  data_text("id tree", id);
  inspect(m);
  pn_message_free(m);
}

static void cursors(void) {
  printf("== cursors after encode, data, inspect, decode\n");
  pn_message_t *m = pn_message();
  pn_data_t *ds[4] = {pn_message_instructions(m), pn_message_annotations(m), pn_message_properties(m), pn_message_body(m)};
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < 4; i++) {
      pn_data_t *d = ds[i];
      pn_data_clear(d);
      pn_data_put_list(d); pn_data_enter(d); pn_data_put_int(d, 1); pn_data_put_int(d, 2); pn_data_exit(d);
      pn_data_put_int(d, 3);
      pn_data_rewind(d); pn_data_next(d); pn_data_enter(d); pn_data_next(d);
    }
    char buf[1024];
    size_t n = sizeof buf;
    pn_data_t *out = pn_data(0);
    pn_string_t *s = pn_string(NULL);
    const char in[] = "\x00\x53\x77\x41";
    switch (round) {
    case 0: pn_message_encode(m, buf, &n); printf(" encode:"); break;
    case 1: pn_message_data(m, out); printf(" data:"); break;
    case 2: pn_inspect(m, s); printf(" inspect:"); break;
    case 3: pn_message_decode(m, in, 4); printf(" decode:"); break;
    }
    for (int i = 0; i < 4; i++) {
      pn_data_put_int(ds[i], 99);
      char t[256];
      size_t tn = sizeof t;
      pn_data_format(ds[i], t, &tn);
      printf(" [%s]", t);
    }
    printf("\n");
    pn_data_free(out);
    pn_free(s);
  }
  pn_message_free(m);
}

static void message_data(void) {
  printf("== pn_message_data\n");
  pn_message_t *m = pn_message();
  pn_data_t *d = pn_data(0);
  pn_data_put_int(d, 99);
  printf("  ret=%d\n", pn_message_data(m, d));
  message_data_text("empty message", d);
  pn_message_set_durable(m, true); pn_message_set_priority(m, 7); pn_message_set_address(m, "a");
  pn_message_set_group_id(m, "g");
  pn_data_put_int(pn_message_body(m), 3); pn_data_put_int(pn_message_body(m), 4);
  pn_data_put_int(pn_message_annotations(m), 5);
  pn_message_data(m, d);
  message_data_text("fields, annotations, body", d);
  pn_message_set_inferred(m, true);
  pn_data_clear(pn_message_body(m));
  pn_data_put_binary(pn_message_body(m), pn_bytes(1, "x"));
  pn_data_put_int(pn_message_id(m), 8);
  pn_message_data(m, d);
  message_data_text("inferred binary, int id", d);
  pn_message_clear(m);
  pn_message_set_priority(m, 2);
  pn_message_set_creation_time(m, 5);
  pn_message_data(m, d);
  message_data_text("priority and creation time", d);
  pn_data_free(d);
  pn_message_free(m);
}

static void buffers(void) {
  printf("== pn_message_encode into small buffers\n");
  pn_message_t *m = pn_message();
  pn_message_set_address(m, "hello");
  char buf[64];
  for (size_t room = 0; room <= 22; room++) {
    size_t n = room;
    int err = pn_message_encode(m, buf, &n);
    printf(" %zu:%d/%zu", room, err, n);
  }
  printf("\n  errno=%d\n", pn_message_errno(m));

  printf("== pn_message_encode2\n");
  char *zeros = calloc(1000, 1);
  pn_data_put_binary(pn_message_body(m), pn_bytes(1000, zeros));
  free(zeros);
  pn_rwbytes_t rw = {0, NULL};
  ssize_t r = pn_message_encode2(m, &rw);
  printf("  NULL buffer: %zd size=%zu\n", r, rw.size);
  r = pn_message_encode2(m, &rw);
  printf("  again: %zd size=%zu\n", r, rw.size);
  free(rw.start);
  rw.size = 10; rw.start = malloc(10);
  r = pn_message_encode2(m, &rw);
  printf("  10 bytes: %zd size=%zu\n", r, rw.size);
  free(rw.start);
  rw.size = 5000; rw.start = malloc(5000);
  char *before = rw.start;
  r = pn_message_encode2(m, &rw);
  printf("  5000 bytes: %zd size=%zu kept=%d\n", r, rw.size, before == rw.start);
  encoded_size = sizeof encoded;
  pn_message_encode(m, encoded, &encoded_size);
  printf("  same bytes as pn_message_encode: %d\n", encoded_size == (size_t)r && !memcmp(encoded, rw.start, encoded_size));
  free(rw.start);
  rw.size = 0; rw.start = malloc(1);
  r = pn_message_encode2(m, &rw);
  printf("  zero-sized buffer: %zd size=%zu start=%s\n", r, rw.size, rw.start ? "set" : "NULL");
  free(rw.start);
  pn_message_free(m);
}

static void decode_file(const char *path) {
  size_t size;
  char *raw = read_file(path, &size);
  if (!raw) { printf("cannot read %s\n", path); return; }
  char *text = malloc(size + 1);
  memcpy(text, raw, size);
  text[size] = 0;
  free(raw);
  char *line = strtok(text, "\n");
  for (; line; line = strtok(NULL, "\n")) {
    if (!*line || *line == '#') continue;
    char bytes[4096];
    size_t n = 0;
    for (size_t i = 0; line[i] && line[i + 1] && n < sizeof bytes; i += 2) {
      unsigned v;
      sscanf(line + i, "%2x", &v);
      bytes[n++] = (char)v;
    }
    pn_message_t *m = pn_message();
    int err = pn_message_decode(m, bytes, n);
    printf("decode %s: %d errno=%d\n", line, err, pn_message_errno(m));
    inspect(m);
    encoded_size = sizeof encoded;
    err = pn_message_encode(m, encoded, &encoded_size);
    printf("  encode=%d ", err);
    print_hex(stdout, encoded, err ? 0 : encoded_size);
    printf("\n");
    pn_message_free(m);
  }
  free(text);
}

int main(int argc, char **argv) {
  defaults_and_accessors();
  encodings();
  id_trees();
  cursors();
  message_data();
  buffers();
  for (int i = 1; i < argc; i++) decode_file(argv[i]);
  return 0;
}
