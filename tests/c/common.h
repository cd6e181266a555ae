/* Shared helpers of the C tests. */
#ifndef TESTS_COMMON_H
#define TESTS_COMMON_H
#include <stddef.h>
#include <stdio.h>

/* Print "library: <path>" (to stderr) for the shared object that defines
 * `symbol`, so the runner can check each binary ran on the library it
 * claims to test. common.c does this for pn_incref before main(). */
void report_library(void *symbol);

/* Read a whole file; returns malloc'ed bytes (caller frees) or NULL. */
char *read_file(const char *path, size_t *size);

/* Print bytes as lowercase hex. */
void print_hex(FILE *out, const char *bytes, size_t size);

#define CHECK(cond) do { if (!(cond)) { printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)
#endif
