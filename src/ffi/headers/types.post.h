/** A pn_bytes_t for a string literal (its size excludes the final NUL). */
#define PN_BYTES_LITERAL(X) (pn_bytes(sizeof(X) - 1, (X)))
