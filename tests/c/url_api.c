/* url.h, every function, on hand-picked URLs: the parsing rules (schemes,
 * user:password@, percent-decoding, IPv6 brackets, ports, paths, empty
 * parts), pn_url_str, setters and clear, and the object functions (inspect,
 * hash, compare). The output must be identical on proton-c and proton-rs. */
#define PN_USE_DEPRECATED_API 1
#include <proton/object.h>
#include <proton/url.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void show(const char *what, const char *s) {
  printf(" %s=", what);
  if (!s) { printf("NULL"); return; }
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') putchar(c);
    else printf("\\x%02x", c);
  }
  putchar('"');
}

static void parts(pn_url_t *u) {
  show("scheme", pn_url_get_scheme(u));
  show("user", pn_url_get_username(u));
  show("password", pn_url_get_password(u));
  show("host", pn_url_get_host(u));
  show("port", pn_url_get_port(u));
  show("path", pn_url_get_path(u));
  show("str", pn_url_str(u));
  printf("\n");
}

static const char *urls[] = {
  "", "a", "amqp://host", "amqp://host:5672", "amqp://user:pass@host:5672/path", "amqp://user@host",
  "user:pass@host", "host:port", "host/path", "/path", "//host", ":", "::", ":5672", "@", "@host", "a@b@c",
  "a:b:c", "amqp://[::1]:5672/x", "[::1]", "[::1]:80", "[::1", "[fe80::1%25eth0]:1", "amqp://us%40er:p%3Ass@host",
  "amqp://us%4:p%zz@host", "amqp://us%:p%@host", "%41%42", "amqp://h%41st:5%36/p%41th", "a:b@c:d/e:f@g",
  "scheme://", "scheme:/", "scheme:host", "amqps://host", "amqp://:@:/", "amqp://user:@host", "amqp://:pass@host",
  "amqp://host:", "amqp://host/", "x://[a]b:c", "[a]b", "[]", "[]:1", "a/b?c#d", "a b", "amqp://[::1",
  "amqp://user:pass@[::1]:5672/path", "amqp://user:pass@[::1]", "u:p@[v6]", ":@", "/", "//", "///", "////", "a//b",
  "scheme://a//b", "a:/b", "a:1:2", "a:1/2:3", "://x", "://", "ab://", "a/b://c", "a@b://c", "@:5", "user@", "[]x",
  "scheme://:5672", "[::1]]:5", "[a:b]:c:d", "%zz@h", "u:%41%4z%-1%+f% f%0x%x1@h", "u%00x:p@h", "%2f:x@h", "[", "]",
  "[]]", "host:80:", "amqp://u\xc3\xa9:p\xff@h\x01/\x7f", "a:%20@h", "a:%0a@h", "a:%\t1@h", "a:%-f@h", "a:%-@h",
  "a:%+@h", "a:%0X@h", "a:%Fa@h", "amqp://host:port:5672/a/b/c", "amqp:///path", "amqp://@/", "[[::1]]:2",
};

int main(void) {
  for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
    printf("parse");
    show("in", urls[i]);
    pn_url_t *u = pn_url_parse(urls[i]);
    if (!u) { printf(" -> NULL\n"); continue; }
    printf("\n ");
    parts(u);
    pn_url_free(u);
  }
  printf("parse(NULL) -> %s\n", pn_url_parse(NULL) ? "URL" : "NULL");

  pn_url_t *u = pn_url();
  printf("empty:");
  parts(u);
  char all[128];
  int k = 0;
  for (int c = 1; c < 128; c++) all[k++] = (char)c;
  all[k] = 0;
  pn_url_set_username(u, all);
  printf("user of every byte:");
  parts(u);
  pn_url_set_username(u, NULL);
  pn_url_set_password(u, "pw");
  printf("password only:");
  parts(u);
  pn_url_set_password(u, all);
  pn_url_set_username(u, "u");
  printf("password of every byte:");
  parts(u);
  pn_url_set_password(u, NULL);
  pn_url_set_host(u, "a:b");
  printf("host with colon:");
  parts(u);
  pn_url_set_host(u, "");
  printf("empty host:");
  parts(u);
  pn_url_set_host(u, "[x]");
  pn_url_set_port(u, "");
  pn_url_set_path(u, "");
  pn_url_set_scheme(u, "");
  printf("empty parts:");
  parts(u);
  pn_url_set_path(u, "/p a%");
  pn_url_set_scheme(u, "s:/");
  pn_url_set_port(u, "p@:");
  printf("odd parts:");
  parts(u);
  const char *before = pn_url_str(u);
  printf("same text pointer when unchanged: %d\n", before == pn_url_str(u));
  pn_url_clear(u);
  printf("cleared:");
  parts(u);
  pn_url_free(u);

  printf("objects\n");
  const char *texts[] = {"a", "z", "ab", "b", "\xff", "amqp://x", "amqp://u%40:p@[::1]:5/x"};
  size_t n = sizeof texts / sizeof *texts;
  for (size_t i = 0; i < n; i++) {
    pn_url_t *x = pn_url_parse(texts[i]);
    pn_string_t *s = pn_string(NULL);
    pn_inspect(x, s);
    printf(" class=%s hash=%zu inspect=%s cmp:", pn_class_name(pn_class(x)), pn_hashcode(x), pn_string_get(s));
    for (size_t j = 0; j < n; j++) {
      pn_url_t *y = pn_url_parse(texts[j]);
      printf(" %ld", (long)pn_compare(x, y));
      pn_url_free(y);
    }
    printf("\n");
    pn_free(s);
    pn_url_free(x);
  }
  pn_url_t *e = pn_url();
  printf(" empty hash=%zu\n", pn_hashcode(e));
  pn_url_free(e);
  return 0;
}
