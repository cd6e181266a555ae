/* Older names of two transport events. */
#define PN_TRANSPORT_WRITE_CLOSED PN_TRANSPORT_HEAD_CLOSED
#define PN_TRANSPORT_READ_CLOSED PN_TRANSPORT_TAIL_CLOSED

/*
 * Implemented in C (src/ffi/c/engine.c): Rust cannot define variadic
 * functions.
 */

/** Set the transport's error condition, with a printf-style description. */
PN_EXTERN void pn_connection_driver_errorf(pn_connection_driver_t *d, const char *name, const char *fmt, ...);

/** pn_connection_driver_errorf() with a va_list. */
PN_EXTERN void pn_connection_driver_verrorf(pn_connection_driver_t *d, const char *name, const char *fmt, va_list);

/** **Deprecated** - Use pn_transport_logf(). */
PN_EXTERN void pn_connection_driver_logf(pn_connection_driver_t *d, const char *fmt, ...);

/** **Deprecated** - Use pn_transport_vlogf(). */
PN_EXTERN void pn_connection_driver_vlogf(pn_connection_driver_t *d, const char *fmt, va_list ap);
