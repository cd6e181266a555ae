/*
 * printf-style entry points of the engine's C API (transport and
 * connection driver logging and errors), and printing to C's stdout.
 * Rust cannot define variadic functions or take a va_list, so these format
 * with vsnprintf and pass the text to the Rust implementation (pnrs_*
 * functions, not exported).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct pn_transport_t pn_transport_t;
typedef struct pn_connection_driver_t {
  void *connection;
  pn_transport_t *transport;
  void *collector;
} pn_connection_driver_t;

char *pnrs_vasprintf(const char *fmt, va_list ap, int *len_out);
void pnrs_transport_log(pn_transport_t *transport, const char *message);
void pnrs_connection_driver_error(pn_connection_driver_t *d, const char *name, const char *description);

void pn_transport_vlogf(pn_transport_t *transport, const char *fmt, va_list ap) {
  if (!transport || !fmt) return;
  char *text = pnrs_vasprintf(fmt, ap, NULL);
  if (!text) return;
  pnrs_transport_log(transport, text);
  free(text);
}

void pn_transport_logf(pn_transport_t *transport, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pn_transport_vlogf(transport, fmt, ap);
  va_end(ap);
}

void pn_connection_driver_verrorf(pn_connection_driver_t *d, const char *name, const char *fmt, va_list ap) {
  if (!d) return;
  char *text = fmt ? pnrs_vasprintf(fmt, ap, NULL) : NULL;
  pnrs_connection_driver_error(d, name, text);
  free(text);
}

void pn_connection_driver_errorf(pn_connection_driver_t *d, const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pn_connection_driver_verrorf(d, name, fmt, ap);
  va_end(ap);
}

void pn_connection_driver_vlogf(pn_connection_driver_t *d, const char *fmt, va_list ap) {
  if (d) pn_transport_vlogf(d->transport, fmt, ap);
}

void pn_connection_driver_logf(pn_connection_driver_t *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pn_connection_driver_vlogf(d, fmt, ap);
  va_end(ap);
}

/* Print through C's stdout, so the output interleaves with the
 * application's printf as proton-c's does. */
void pnrs_print(const char *text) {
  printf("%s", text);
}
