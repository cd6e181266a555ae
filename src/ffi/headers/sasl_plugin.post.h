/*
 * Implemented in C (src/ffi/c/sasl.c): Rust cannot define variadic
 * functions.
 */

/** Log a printf-style message in the SASL subsystem at the given level. */
PN_EXTERN void pnx_sasl_logf(pn_transport_t *transport, pn_log_level_t level, const char *format, ...);
