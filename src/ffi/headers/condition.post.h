/*
 * Implemented in C (src/ffi/c/format.c): Rust cannot define variadic
 * functions.
 */

/**
 * pn_condition_format with the arguments as a va_list: sets the condition's
 * name to name and its description to fmt formatted with ap.
 */
PN_EXTERN int pn_condition_vformat(pn_condition_t *condition, const char *name, const char *fmt, va_list ap);

/**
 * Give the condition a name and a description built from the printf format
 * fmt and the arguments after it (the condition keeps copies of both).
 * Returns 0, or an error code: PN_ARG_ERR for a NULL condition.
 */
PN_EXTERN int pn_condition_format(pn_condition_t *condition, const char *name, const char *fmt, ...);
