//! `proton/sasl.h`: SASL authentication of a transport.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// The SASL layer of a transport.
pub struct pn_sasl_t {
    _private: [u8; 0],
}

/// The outcome of a SASL exchange (the AMQP SASL codes, and "none yet").
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_sasl_outcome_t {
    /// No outcome yet.
    PN_SASL_NONE = -1,
    /// Authenticated.
    PN_SASL_OK = 0,
    /// Failed: bad credentials.
    PN_SASL_AUTH = 1,
    /// Failed: a system error.
    PN_SASL_SYS = 2,
    /// Failed: will not succeed on retry.
    PN_SASL_PERM = 3,
    /// Failed: may succeed on retry.
    PN_SASL_TEMP = 4,
}

/// `pn_sasl_outcome_t` as C passes it (any int); convert with `from_raw`.
pub type pn_sasl_outcome_t_raw = c_int;

enum_from_raw!(pn_sasl_outcome_t { PN_SASL_NONE, PN_SASL_OK, PN_SASL_AUTH, PN_SASL_SYS, PN_SASL_PERM, PN_SASL_TEMP });

const _: () = assert!(std::mem::size_of::<pn_sasl_outcome_t>() == 4);

#[cfg(test)]
mod tests {
    use super::pn_sasl_outcome_t;

    #[test]
    fn from_raw() {
        assert_eq!(pn_sasl_outcome_t::from_raw(-1), Some(pn_sasl_outcome_t::PN_SASL_NONE));
        assert_eq!(pn_sasl_outcome_t::from_raw(4), Some(pn_sasl_outcome_t::PN_SASL_TEMP));
        assert_eq!(pn_sasl_outcome_t::from_raw(5), None);
        assert_eq!(pn_sasl_outcome_t::from_raw(-2), None);
        assert_eq!(pn_sasl_outcome_t::PN_SASL_AUTH.to_raw(), 1);
    }
}
