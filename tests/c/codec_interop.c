/* Every interop file decodes, formats and re-encodes byte for byte.
 * usage: codec_interop FILE...   (prints one block per file) */
#include <proton/codec.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

int main(int argc, char **argv) {
  int failures = 0;
  for (int i = 1; i < argc; i++) {
    size_t size;
    char *bytes = read_file(argv[i], &size);
    const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    if (!bytes) { printf("%s: cannot read\n", name); failures++; continue; }
    pn_data_t *data = pn_data(0);
    size_t offset = 0;
    int values = 0;
    while (offset < size) {
      ssize_t n = pn_data_decode(data, bytes + offset, size - offset);
      if (n <= 0) { printf("%s: decode error %zd at %zu: %s\n", name, n, offset, pn_error_text(pn_data_error(data))); failures++; break; }
      offset += (size_t)n;
      values++;
    }
    char text[65536];
    size_t tsize = sizeof text;
    int err = pn_data_format(data, text, &tsize);
    printf("%s: %d values, format %d: %.*s\n", name, values, err, (int)tsize, text);
    ssize_t esize = pn_data_encoded_size(data);
    char *out = malloc(size + 64);
    ssize_t n = pn_data_encode(data, out, size + 64);
    if (n != (ssize_t)size || esize != n || memcmp(out, bytes, size) != 0) {
      printf("%s: RE-ENCODE MISMATCH (encoded_size %zd, encode %zd, file %zu)\n  file: ", name, esize, n, size);
      print_hex(stdout, bytes, size);
      printf("\n  ours: ");
      if (n > 0) print_hex(stdout, out, (size_t)n);
      printf("\n");
      failures++;
    } else {
      printf("%s: re-encoded identically (%zd bytes)\n", name, n);
    }
    free(out);
    free(bytes);
    pn_data_free(data);
  }
  printf("failures: %d\n", failures);
  return failures ? 1 : 0;
}
