/*
 * Symbol visibility. Declarations are marked with the macro of the library
 * that defines them:
 *   PN_EXTERN      libqpid-proton-core (the engine, codec, messages)
 *   PNP_EXTERN     libqpid-proton-proactor
 *   PNX_EXTERN     libqpid-proton only (legacy extras such as pn_url_t)
 *   PN_TLS_EXTERN  the TLS library
 * When building a library, its build system defines <library>_EXPORTS and
 * the macro exports; users get an import (nothing, except on Windows).
 * Define PROTON_DECLARE_STATIC when linking statically.
 */
#if defined(PROTON_DECLARE_STATIC)
#  define PN_EXPORT
#  define PN_IMPORT
#elif defined(_WIN32)
#  define PN_EXPORT __declspec(dllexport)
#  define PN_IMPORT __declspec(dllimport)
#else
#  define PN_EXPORT __attribute__((visibility("default")))
#  define PN_IMPORT
#endif

#if defined(qpid_proton_core_EXPORTS) || defined(qpid_proton_EXPORTS)
#  define PN_EXTERN PN_EXPORT
#else
#  define PN_EXTERN PN_IMPORT
#endif

#if defined(qpid_proton_proactor_EXPORTS) || defined(qpid_proton_EXPORTS)
#  define PNP_EXTERN PN_EXPORT
#else
#  define PNP_EXTERN PN_IMPORT
#endif

#if defined(qpid_proton_tls_EXPORTS)
#  define PN_TLS_EXTERN PN_EXPORT
#else
#  define PN_TLS_EXTERN PN_IMPORT
#endif

#if defined(qpid_proton_EXPORTS)
#  define PNX_EXTERN PN_EXPORT
#else
#  define PNX_EXTERN PN_IMPORT
#endif

/*
 * PN_DEPRECATED(message) marks a declaration deprecated, so compilers warn
 * where it is used. Define PN_USE_DEPRECATED_API to silence the warnings.
 */
#if !defined(PN_USE_DEPRECATED_API)
#  if defined(_WIN32)
#    define PN_DEPRECATED(message) __declspec(deprecated(message))
#  elif defined(__GNUC__) && (__GNUC__ > 4 || (__GNUC__ == 4 && __GNUC_MINOR__ >= 5))
#    define PN_DEPRECATED(message) __attribute__((deprecated(message)))
#  elif defined(__GNUC__)
#    define PN_DEPRECATED(message) __attribute__((deprecated))
#  endif
#endif
#ifndef PN_DEPRECATED
#  define PN_DEPRECATED(message)
#endif
