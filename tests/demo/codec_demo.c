/* A small proton program: build an AMQP message body with pn_data_t,
 * encode it, decode the bytes again and print both sides. */
#include <proton/codec.h>
#include <stdio.h>
#include <string.h>

static void print_data(const char *label, pn_data_t *data) {
  char text[1024];
  size_t size = sizeof text;
  if (pn_data_format(data, text, &size) == 0) printf("%s %.*s\n", label, (int)size, text);
}

int main(void) {
  pn_data_t *body = pn_data(0);
  pn_data_put_map(body);
  pn_data_enter(body);
  const char *keys[] = {"sequence", "greeting", "ratio"};
  pn_data_put_string(body, pn_bytes(strlen(keys[0]), keys[0]));
  pn_data_put_int(body, 42);
  pn_data_put_string(body, pn_bytes(strlen(keys[1]), keys[1]));
  pn_data_put_string(body, pn_bytes(5, "hello"));
  pn_data_put_symbol(body, pn_bytes(strlen(keys[2]), keys[2]));
  pn_data_put_double(body, 0.25);
  pn_data_exit(body);
  print_data("built:  ", body);

  char wire[256];
  ssize_t n = pn_data_encode(body, wire, sizeof wire);
  printf("encoded: %zd bytes:", n);
  for (ssize_t i = 0; i < n; i++) printf(" %02x", (unsigned char)wire[i]);
  printf("\n");

  pn_data_t *copy = pn_data(0);
  ssize_t used = pn_data_decode(copy, wire, (size_t)n);
  printf("decoded: %zd bytes\n", used);
  print_data("read:   ", copy);

  pn_data_rewind(copy);
  pn_data_next(copy);
  size_t entries = pn_data_get_map(copy);
  pn_data_enter(copy);
  while (pn_data_next(copy)) {
    pn_bytes_t key = pn_data_type(copy) == PN_STRING ? pn_data_get_string(copy) : pn_data_get_symbol(copy);
    pn_data_next(copy);
    printf("  %.*s -> %s\n", (int)key.size, key.start, pn_type_name(pn_data_type(copy)));
  }
  printf("%zu map entries\n", entries / 2);
  pn_data_free(copy);
  pn_data_free(body);
  return 0;
}
