/*
 * The printf-style entry point of the SASL plugin API. Rust cannot define
 * variadic functions, so this formats with vsnprintf (only when the
 * message would be logged) and passes the text to the Rust implementation
 * (pnrs_* functions, not exported).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct pn_transport_t pn_transport_t;

char *pnrs_vasprintf(const char *fmt, va_list ap, int *len_out);
void pnrs_sasl_log(pn_transport_t *transport, int level, const char *message);
bool pnrs_sasl_would_log(pn_transport_t *transport, int level);

void pnx_sasl_logf(pn_transport_t *transport, int level, const char *fmt, ...) {
  if (!transport || !fmt || !pnrs_sasl_would_log(transport, level)) return;
  va_list ap;
  va_start(ap, fmt);
  char *text = pnrs_vasprintf(fmt, ap, NULL);
  va_end(ap);
  if (!text) return;
  pnrs_sasl_log(transport, level, text);
  free(text);
}
