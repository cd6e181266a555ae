#include <proton/codec.h>
#include <stdio.h>
int main() {
  int types[] = {-1, 0, 26, 99, PN_DESCRIBED, PN_NULL, PN_BOOL};
  for (int k = 0; k < 7; k++) {
    pn_data_t *d = pn_data(0);
    pn_data_put_array(d, false, (pn_type_t)types[k]);
    char b[64]; ssize_t n = pn_data_encode(d, b, 64);
    printf("type %d: n=%zd ", types[k], n); for (int i = 0; i < n; i++) printf("%02x", (unsigned char)b[i]); printf("\n");
    pn_data_enter(d); pn_data_put_int(d, 7); pn_data_exit(d);
    n = pn_data_encode(d, b, 64);
    printf("type %d +int: n=%zd ", types[k], n); for (int i = 0; i < n; i++) printf("%02x", (unsigned char)b[i]); printf("\n");
  }
}
