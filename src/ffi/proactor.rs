//! `proton/proactor.h`: the proactor, an event loop that runs connections
//! over sockets (`pn_proactor_t` itself is declared by `types.h`).

/// The size of a buffer that holds any address `pn_proactor_addr` makes
/// ("host:port", NUL included).
pub const PN_MAX_ADDR: usize = 1060;
