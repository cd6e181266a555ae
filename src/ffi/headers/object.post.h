/*
 * Implemented in C (src/ffi/c/format.c): Rust cannot define variadic
 * functions.
 */

/** Replace the string's content with printf-style formatted text. */
PN_EXTERN int pn_string_format(pn_string_t *string, const char *format, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 2, 3)))
#endif
  ;

/** pn_string_format with a va_list. */
PN_EXTERN int pn_string_vformat(pn_string_t *string, const char *format, va_list ap);

/** Append printf-style formatted text to the string. */
PN_EXTERN int pn_string_addf(pn_string_t *string, const char *format, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 2, 3)))
#endif
  ;

/** pn_string_addf with a va_list. */
PN_EXTERN int pn_string_vaddf(pn_string_t *string, const char *format, va_list ap);

/*
 * Defining classes in C. For a class named PREFIX, C code provides the
 * type PREFIX_t, the enumerator CID_PREFIX and the functions (or NULL
 * macros, where allowed) PREFIX_initialize, PREFIX_finalize,
 * PREFIX_hashcode, PREFIX_compare and PREFIX_inspect.
 */

/** The name of the class object PN_CLASSDEF defines for PREFIX. */
#define PN_CLASSCLASS(PREFIX) PREFIX ## __class

/**
 * Define the class PN_CLASSCLASS(PREFIX) for reference-counted objects of
 * type PREFIX_t, and PREFIX_new() to make one. PREFIX_hashcode,
 * PREFIX_compare and PREFIX_inspect may be NULL: objects then hash and
 * compare by address and print as PREFIX<address>.
 */
#define PN_CLASSDEF(PREFIX) \
  static void PREFIX ## _initialize_cast(void *object) { \
    PREFIX ## _initialize((PREFIX ## _t *) object); \
  } \
  static void PREFIX ## _finalize_cast(void *object) { \
    PREFIX ## _finalize((PREFIX ## _t *) object); \
  } \
  static uintptr_t PREFIX ## _hashcode_cast(void *object) { \
    uintptr_t (*f)(PREFIX ## _t *) = PREFIX ## _hashcode; \
    return f ? f((PREFIX ## _t *) object) : (uintptr_t) object; \
  } \
  static intptr_t PREFIX ## _compare_cast(void *a, void *b) { \
    intptr_t (*f)(PREFIX ## _t *, PREFIX ## _t *) = PREFIX ## _compare; \
    return f ? f((PREFIX ## _t *) a, (PREFIX ## _t *) b) : (intptr_t) a - (intptr_t) b; \
  } \
  static int PREFIX ## _inspect_cast(void *object, pn_string_t *str) { \
    int (*f)(PREFIX ## _t *, pn_string_t *) = PREFIX ## _inspect; \
    return f ? f((PREFIX ## _t *) object, str) : pn_string_addf(str, "%s<%p>", #PREFIX, object); \
  } \
  const pn_class_t PN_CLASSCLASS(PREFIX)[] = {{ \
    #PREFIX, CID_ ## PREFIX, \
    pn_object_new, PREFIX ## _initialize_cast, \
    pn_object_incref, pn_object_decref, pn_object_refcount, \
    PREFIX ## _finalize_cast, pn_object_free, pn_object_reify, \
    PREFIX ## _hashcode_cast, PREFIX ## _compare_cast, PREFIX ## _inspect_cast \
  }}; \
  PREFIX ## _t *PREFIX ## _new(void) { \
    return (PREFIX ## _t *) pn_class_new(PN_CLASSCLASS(PREFIX), sizeof(PREFIX ## _t)); \
  }

/**
 * A pn_class_t initializer for reference-counted proton objects whose
 * functions take void pointers: PREFIX_initialize, PREFIX_finalize,
 * PREFIX_hashcode, PREFIX_compare, PREFIX_inspect.
 */
#define PN_CLASS(PREFIX) { \
    #PREFIX, CID_ ## PREFIX, \
    pn_object_new, PREFIX ## _initialize, \
    pn_object_incref, pn_object_decref, pn_object_refcount, \
    PREFIX ## _finalize, pn_object_free, pn_object_reify, \
    PREFIX ## _hashcode, PREFIX ## _compare, PREFIX ## _inspect \
  }

/** A pn_class_t initializer taking every function from PREFIX_<field>. */
#define PN_METACLASS(PREFIX) { \
    #PREFIX, CID_ ## PREFIX, \
    PREFIX ## _new, PREFIX ## _initialize, \
    PREFIX ## _incref, PREFIX ## _decref, PREFIX ## _refcount, \
    PREFIX ## _finalize, PREFIX ## _free, PREFIX ## _reify, \
    PREFIX ## _hashcode, PREFIX ## _compare, PREFIX ## _inspect \
  }

/**
 * Define the class PN_CLASSCLASS(PREFIX) for objects that are not
 * reference counted (their memory belongs to something else), identified
 * as CID_PREFIX.
 */
#define PN_STRUCT_CLASSDEF(PREFIX) \
  static const pn_class_t *PREFIX ## _reify(void *object); \
  const pn_class_t PN_CLASSCLASS(PREFIX)[] = {{ \
    #PREFIX, CID_ ## PREFIX, \
    NULL, NULL, \
    pn_void_incref, pn_void_decref, pn_void_refcount, \
    NULL, NULL, PREFIX ## _reify, \
    pn_void_hashcode, pn_void_compare, pn_void_inspect \
  }}; \
  static const pn_class_t *PREFIX ## _reify(void *object) { \
    (void) object; \
    return PN_CLASSCLASS(PREFIX); \
  }

/** The record key of the legacy context slot. */
#define PN_LEGCTX ((pn_handle_t) 0)

/**
 * Define `name`, a record key (pn_handle_t) private to this file: the
 * address of a static byte.
 */
#define PN_HANDLE(name) \
  static const char pni_handle_ ## name = 0; \
  static const pn_handle_t name = ((pn_handle_t) &pni_handle_ ## name);
