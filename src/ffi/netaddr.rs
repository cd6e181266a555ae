//! `proton/netaddr.h`: the network addresses of proactor transports and
//! listeners.
#![allow(non_camel_case_types)]

/// A network address (one of possibly several; see `pn_netaddr_next`).
pub struct pn_netaddr_t {
    _private: [u8; 0],
}
