/* Feed every file named on the command line to pn_message_decode (hostile
 * inputs: the message-decode fuzzing corpus) and print what each gives: the
 * return code, the error, the message's text and its re-encoding. Run under
 * valgrind too (tests/c/valgrind.sh): nothing may crash or leak. */
#include <proton/error.h>
#include <proton/message.h>
#include <proton/object.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static char out[1 << 20];

int main(int argc, char **argv) {
  pn_message_t *reused = pn_message();
  for (int i = 1; i < argc; i++) {
    size_t size;
    char *bytes = read_file(argv[i], &size);
    const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    if (!bytes) { printf("%s: unreadable\n", name); continue; }
    if (!size) { printf("%s: empty\n", name); free(bytes); continue; }
    pn_message_t *m = pn_message();
    int err = pn_message_decode(m, bytes, size);
    const char *text = pn_error_text(pn_message_error(m));
    printf("%s: decode=%d errno=%d error=%s\n", name, err, pn_message_errno(m), text ? text : "NULL");
    pn_string_t *s = pn_string(NULL);
    pn_inspect(m, s);
    printf("  ");
    fwrite(pn_string_get(s), 1, pn_string_size(s), stdout);
    printf("\n");
    size_t n = sizeof out;
    err = pn_message_encode(m, out, &n);
    printf("  encode=%d ", err);
    print_hex(stdout, out, err ? 0 : n);
    printf("\n");
    /* The same input into a message reused from the previous file. */
    err = pn_message_decode(reused, bytes, size);
    pn_string_clear(s);
    pn_inspect(reused, s);
    printf("  reused=%d ", err);
    fwrite(pn_string_get(s), 1, pn_string_size(s), stdout);
    printf("\n");
    pn_free(s);
    pn_message_free(m);
    free(bytes);
  }
  pn_message_free(reused);
  return 0;
}
