//! `proton/import_export.h`: the `PN_EXTERN`-style symbol visibility macros
//! and `PN_DEPRECATED`. Preprocessor only: the header's text is
//! `headers/import_export.pre.h`.
