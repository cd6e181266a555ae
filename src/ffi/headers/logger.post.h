/*
 * Implemented in C (src/ffi/c/format.c): Rust cannot define variadic
 * functions.
 */

/** Log a printf-style message to the logger's sink, whatever its masks. */
PN_EXTERN void pn_logger_logf(pn_logger_t *logger, pn_log_subsystem_t subsystem, pn_log_level_t level, const char *fmt, ...);
