/*
 * Implemented in C (src/ffi/c/codec_fill_scan.c): Rust cannot define
 * variadic functions.
 */

/**
 * @cond INTERNAL
 */
/** Put values described by a format string of type codes (see
 * codec_fill_scan.c for the codes). */
PN_EXTERN int pn_data_vfill(pn_data_t *data, const char *fmt, va_list ap);
/** pn_data_vfill with variadic arguments. */
PN_EXTERN int pn_data_fill(pn_data_t *data, const char *fmt, ...);
/** Read values described by a format string of type codes, from the
 * start of the data. */
PN_EXTERN int pn_data_vscan(pn_data_t *data, const char *fmt, va_list ap);
/** pn_data_vscan with variadic arguments. */
PN_EXTERN int pn_data_scan(pn_data_t *data, const char *fmt, ...);
/**
 * @endcond
 */
