#include <proton/codec.h>
#include <proton/object.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static void fmt(pn_data_t *d, const char *label) {
  char buf[4096]; size_t sz = sizeof buf;
  pn_data_format(d, buf, &sz);
  printf("%s: size=%zu type=%d |%.*s|\n", label, pn_data_size(d), pn_data_type(d), (int)sz, buf);
}
#define B(x) do { int _r = (x); printf("%-40s -> %d (type %d)\n", #x, _r, pn_data_type(d)); } while (0)
#define L(x) do { long _r = (long)(intptr_t)(x); printf("%-40s -> %ld (type %d)\n", #x, _r, pn_data_type(d)); } while (0)
int main() {
  setvbuf(stdout, NULL, _IONBF, 0);
  pn_data_t *d = pn_data(0);
  pn_data_put_int(d, 1); pn_data_put_list(d); pn_data_enter(d); pn_data_put_int(d, 2); pn_data_put_string(d, pn_bytes(3,"abc")); pn_data_exit(d);
  pn_data_put_map(d);
  pn_data_rewind(d);
  B(pn_data_next(d)); B(pn_data_prev(d)); B(pn_data_enter(d)); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_enter(d)); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_next(d));
  B(pn_data_prev(d)); B(pn_data_prev(d)); B(pn_data_exit(d)); B(pn_data_next(d)); B(pn_data_next(d)); B(pn_data_exit(d));
  pn_data_rewind(d); B(pn_data_exit(d)); B(pn_data_prev(d)); B(pn_data_enter(d));
  pn_data_dump(d);
  B(pn_data_next(d)); B(pn_data_next(d));
  L(pn_data_point(d));
  B(pn_data_enter(d)); L(pn_data_point(d));
  B(pn_data_next(d)); L(pn_data_point(d));
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)1));
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)4));
  pn_data_dump(d);
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)-2)); pn_data_dump(d);
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)0)); pn_data_dump(d);
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)5)); pn_data_dump(d);
  B(pn_data_restore(d, (pn_handle_t)(intptr_t)6)); pn_data_dump(d);
  pn_data_rewind(d); L(pn_data_point(d));
  /* overwrite semantics */
  pn_data_rewind(d); pn_data_put_int(d, 99); fmt(d, "put after rewind");
  pn_data_put_int(d, 77); fmt(d, "overwrite list"); pn_data_dump(d);
  B(pn_data_next(d)); pn_data_put_list(d); pn_data_enter(d); pn_data_put_int(d, 5); pn_data_exit(d); fmt(d, "append"); pn_data_dump(d);
  /* decode overwrite */
  pn_data_rewind(d); pn_data_next(d);
  char e[] = {0x54, 0x21};
  L(pn_data_decode(d, e, 2)); fmt(d, "decode at first"); pn_data_dump(d);
  pn_data_rewind(d); L(pn_data_decode(d, e, 2)); fmt(d, "decode at rewound"); pn_data_dump(d);
  pn_data_rewind(d); pn_data_next(d); pn_data_next(d); pn_data_next(d); pn_data_enter(d); L(pn_data_decode(d, e, 2)); fmt(d, "decode in list"); pn_data_dump(d);
  return 0;
}
