/*
 * bool, the fixed-size integer types and ssize_t, which the proton headers
 * use, for C and C++ compilers that need help finding them.
 *
 * Overrides: PN_DEFINE_SSIZE_T / PN_NODEFINE_SSIZE_T force or prevent
 * defining ssize_t here; PN_NOINCLUDE_STDINT keeps <stdint.h> out.
 */

/* bool, true, false (built into C++ and C23). */
#if !defined(__cplusplus) && !defined(__bool_true_false_are_defined)
#  if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L
     /* C23: bool is a keyword */
#  elif (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L) || \
        (defined(__GNUC__) && __GNUC__ >= 3) || (defined(_MSC_VER) && _MSC_VER >= 1800)
#    include <stdbool.h>
#  else
#    error "proton needs bool, true and false"
#  endif
#endif

#if !defined(PN_NOINCLUDE_STDINT)
#  include <stdint.h>
#endif

/* ssize_t: POSIX has it in <sys/types.h>; Windows compilers do not. */
#if defined(PN_DEFINE_SSIZE_T) || (defined(_MSC_VER) && !defined(Py_CONFIG_H))
#  define PNI_DEFINE_SSIZE_T
#endif
#if defined(PN_NODEFINE_SSIZE_T)
#  undef PNI_DEFINE_SSIZE_T
#endif
#if defined(PNI_DEFINE_SSIZE_T)
#  if defined(_MSC_VER)
#    include <BaseTsd.h>
typedef SSIZE_T ssize_t;
#  else
typedef intptr_t ssize_t;
#  endif
#elif !defined(_MSC_VER)
#  include <sys/types.h>
#endif
