/*
 * Implemented in C (src/ffi/c/format.c): Rust cannot define variadic
 * functions.
 */

/** Record code in error, with fmt (printf-style, arguments from ap) formatted as its text; returns code. */
PN_EXTERN int pn_error_vformat(pn_error_t *error, int code, const char *fmt, va_list ap);

/** Record code in error, with fmt formatted printf-style as its text; returns code. */
PN_EXTERN int pn_error_format(pn_error_t *error, int code, const char *fmt, ...);

/** Evaluate x (an int); return it from the calling function if negative. */
#define PN_RETURN_IF_ERROR(x) \
  do { \
    int pn_return_if_error_ = (x); \
    if (pn_return_if_error_ < 0) return pn_return_if_error_; \
  } while (0)
