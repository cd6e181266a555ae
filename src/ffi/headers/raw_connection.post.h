/*
 * Declared here rather than generated: netaddr.h is not included, so the
 * address type is named as `struct pn_netaddr_t` (as proton-c does).
 */

/** The local address of the raw connection's socket, or NULL. Valid until its PN_RAW_CONNECTION_DISCONNECTED was handled. */
PNP_EXTERN const struct pn_netaddr_t *pn_raw_connection_local_addr(pn_raw_connection_t *connection);

/** The remote address of the raw connection's socket, or NULL. Valid until its PN_RAW_CONNECTION_DISCONNECTED was handled. */
PNP_EXTERN const struct pn_netaddr_t *pn_raw_connection_remote_addr(pn_raw_connection_t *connection);
