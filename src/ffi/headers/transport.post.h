/*
 * Implemented in C (src/ffi/c/engine.c): Rust cannot define variadic
 * functions.
 */

/** Log a printf-style message (trace level) through the transport's logger. */
PN_EXTERN void pn_transport_logf(pn_transport_t *transport, const char *fmt, ...);

/** pn_transport_logf() with a va_list. */
PN_EXTERN void pn_transport_vlogf(pn_transport_t *transport, const char *fmt, va_list ap);
