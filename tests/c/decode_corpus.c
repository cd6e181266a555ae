/* Feed every file named on the command line to pn_data_decode (repeatedly,
 * as a reader of a byte stream would) and print what each call returned.
 * Run under valgrind / ASan by the runner: nothing may crash or leak. */
#include <proton/codec.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t size;
    char *bytes = read_file(argv[i], &size);
    const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    if (!bytes) { printf("%s: unreadable\n", name); continue; }
    pn_data_t *data = pn_data(0);
    size_t offset = 0;
    printf("%s:", name);
    while (offset < size) {
      ssize_t n = pn_data_decode(data, bytes + offset, size - offset);
      printf(" %zd", n);
      if (n <= 0) break;
      offset += (size_t)n;
    }
    char text[4096];
    size_t tsize = sizeof text;
    int err = pn_data_format(data, text, &tsize);
    /* Nodes count only while every decode succeeded: after a failure
     * proton-c keeps the part it decoded, proton-rs rolls back the call. */
    if (offset == size) printf(" | nodes %zu format %d\n", pn_data_size(data), err);
    else printf(" | failed\n");
    pn_data_free(data);
    free(bytes);
  }
  return 0;
}
