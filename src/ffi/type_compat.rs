//! `proton/type_compat.h`: makes `bool`, the `<stdint.h>` types and
//! `ssize_t` available. Preprocessor only: the header's text is
//! `headers/type_compat.pre.h`.
