/* pn_url_parse on every file named on the command line (the URL fuzzing
 * corpus; a file's bytes up to its first NUL are the string, as a C caller
 * would pass them): every part, pn_url_str, pn_inspect, and the parts set
 * back one by one into a new URL. The output must be identical on proton-c
 * and proton-rs, and run under valgrind (tests/c/valgrind.sh). */
#define PN_USE_DEPRECATED_API 1
#include <proton/object.h>
#include <proton/url.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* A C string, with bytes outside printable ASCII (and \) as \xNN. */
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
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t size;
    char *bytes = read_file(argv[i], &size);
    const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    if (!bytes) { printf("%s: unreadable\n", name); continue; }
    char *str = malloc(size + 1);
    memcpy(str, bytes, size);
    str[size] = 0;
    printf("%s:", name);
    show("input", str);
    pn_url_t *u = pn_url_parse(str);
    if (!u) {
      printf(" -> NULL\n");
    } else {
      printf("\n ");
      parts(u);
      pn_string_t *s = pn_string(NULL);
      pn_inspect(u, s);
      show("\n  inspect", pn_string_get(s));
      pn_free(s);
      /* Rebuild from the parts. */
      pn_url_t *v = pn_url();
      pn_url_set_scheme(v, pn_url_get_scheme(u));
      pn_url_set_username(v, pn_url_get_username(u));
      pn_url_set_password(v, pn_url_get_password(u));
      pn_url_set_host(v, pn_url_get_host(u));
      pn_url_set_port(v, pn_url_get_port(u));
      pn_url_set_path(v, pn_url_get_path(u));
      printf(" equal=%d", pn_equals(u, v));
      show("rebuilt", pn_url_str(v));
      /* And parse the text again. */
      pn_url_t *w = pn_url_parse(pn_url_str(u));
      printf("\n  reparsed:");
      if (w) parts(w);
      else printf(" NULL");
      printf("\n");
      pn_url_free(w);
      pn_url_free(v);
      pn_url_free(u);
    }
    free(str);
    free(bytes);
  }
  return 0;
}
