/*
 * printf-style entry points of the C API. Rust cannot define variadic
 * functions or take a va_list, so these format with vsnprintf and pass the
 * text to the Rust implementation (pnrs_* functions, not exported).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Self-contained (no proton headers): the headers are generated from the
 * crate this file is part of. The C tests check both agree. */
typedef struct pn_string_t pn_string_t;
typedef struct pn_error_t pn_error_t;
#define PN_ERR (-2)
#define PN_ARG_ERR (-6)
int pn_string_set(pn_string_t *string, const char *bytes);
int pn_error_set(pn_error_t *error, int code, const char *text);

int pnrs_string_append(pn_string_t *string, const char *bytes, size_t n);

/* vsnprintf into a malloc'ed buffer; NULL when out of memory. */
char *pnrs_vasprintf(const char *fmt, va_list ap, int *len_out) {
  char small[256];
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof small, fmt, copy);
  va_end(copy);
  if (n < 0) return NULL;
  char *out = malloc((size_t)n + 1);
  if (!out) return NULL;
  if ((size_t)n < sizeof small) {
    memcpy(out, small, (size_t)n + 1);
  } else {
    vsnprintf(out, (size_t)n + 1, fmt, ap);
  }
  if (len_out) *len_out = n;
  return out;
}

int pn_string_vaddf(pn_string_t *string, const char *format, va_list ap) {
  if (!string || !format) return PN_ARG_ERR;
  int n = 0;
  char *text = pnrs_vasprintf(format, ap, &n);
  if (!text) return PN_ERR;
  int err = pnrs_string_append(string, text, (size_t)n);
  free(text);
  return err;
}

int pn_string_addf(pn_string_t *string, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int err = pn_string_vaddf(string, format, ap);
  va_end(ap);
  return err;
}

int pn_string_vformat(pn_string_t *string, const char *format, va_list ap) {
  if (!string) return PN_ARG_ERR;
  pn_string_set(string, "");
  return pn_string_vaddf(string, format, ap);
}

int pn_string_format(pn_string_t *string, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int err = pn_string_vformat(string, format, ap);
  va_end(ap);
  return err;
}

int pn_error_vformat(pn_error_t *error, int code, const char *fmt, va_list ap) {
  if (!fmt) return pn_error_set(error, code, NULL);
  char *text = pnrs_vasprintf(fmt, ap, NULL);
  int err = pn_error_set(error, code, text);
  free(text);
  return err;
}

int pn_error_format(pn_error_t *error, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int err = pn_error_vformat(error, code, fmt, ap);
  va_end(ap);
  return err;
}

typedef struct pn_logger_t pn_logger_t;
void pnrs_logger_log(pn_logger_t *logger, int subsystem, int level, const char *message);

void pn_logger_logf(pn_logger_t *logger, int subsystem, int level, const char *fmt, ...) {
  if (!logger || !fmt) return;
  va_list ap;
  va_start(ap, fmt);
  char *text = pnrs_vasprintf(fmt, ap, NULL);
  va_end(ap);
  if (text) pnrs_logger_log(logger, subsystem, level, text);
  free(text);
}

typedef struct pn_condition_t pn_condition_t;
int pnrs_condition_set(pn_condition_t *condition, const char *name, const char *description);

int pn_condition_vformat(pn_condition_t *condition, const char *name, const char *fmt, va_list ap) {
  if (!condition) return PN_ARG_ERR;
  char *text = fmt ? pnrs_vasprintf(fmt, ap, NULL) : NULL;
  int err = pnrs_condition_set(condition, name, text);
  free(text);
  return err;
}

int pn_condition_format(pn_condition_t *condition, const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int err = pn_condition_vformat(condition, name, fmt, ap);
  va_end(ap);
  return err;
}
