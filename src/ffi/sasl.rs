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

// ---------------------------------------------------------------------------
// Implementation
//
// A `pn_sasl_t *` is its transport's pointer (as in proton-c): the SASL
// state lives in the transport (`TransportState::sasl`).

use std::ffi::c_char;
use std::ptr;

use super::boundary::guard;
use super::error::to_cstring;
use super::sasl_plugin::with_state;
use super::types::pn_transport_t;
use crate::transport::sasl::Sasl;

fn opt_ptr(s: &Option<std::ffi::CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// Run `f` on the SASL state of the transport behind `sasl` (made if
/// needed); `None` for NULL.
fn with_sasl<R>(sasl: *mut pn_sasl_t, f: impl FnOnce(&mut Sasl) -> R) -> Option<R> {
    with_state(sasl.cast(), |st, _| {
        let server = st.server;
        f(st.sasl.get_or_insert_with(|| Box::new(Sasl::new(!server))))
    })
}

/// The transport's SASL layer, made on first use: a client authenticates
/// with it, a server requires the SASL exchange. The same pointer every
/// time.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl(transport: *mut pn_transport_t) -> *mut pn_sasl_t {
    guard(|| {
        if transport.is_null() {
            return ptr::null_mut();
        }
        with_state(transport, |st, _| {
            let server = st.server;
            st.sasl.get_or_insert_with(|| Box::new(Sasl::new(!server)));
        });
        transport.cast()
    })
}

/// Whether SASL mechanisms beyond the built-in ones (a Cyrus SASL
/// library) are available: never here, as in Debian's proton-c.
#[unsafe(no_mangle)]
pub extern "C" fn pn_sasl_extended() -> bool {
    guard(|| false)
}

/// Set the outcome (kept for compatibility: the exchange itself decides).
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_done(sasl: *mut pn_sasl_t, outcome: pn_sasl_outcome_t_raw) {
    guard(|| {
        with_sasl(sasl, |s| s.outcome = outcome);
    })
}

/// The outcome of the exchange (`PN_SASL_NONE` until there is one).
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_outcome(sasl: *mut pn_sasl_t) -> pn_sasl_outcome_t_raw {
    guard(|| with_sasl(sasl, |s| s.outcome).unwrap_or(pn_sasl_outcome_t::PN_SASL_NONE as c_int))
}

/// The user: on a client the one it authenticates as, on a server the one
/// the client authenticated as (NULL before). Valid while the transport
/// lives and the user does not change.
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_get_user(sasl: *mut pn_sasl_t) -> *const c_char {
    guard(|| with_sasl(sasl, |s| opt_ptr(&s.user)).unwrap_or(ptr::null()))
}

/// The authorization id (the identity to act as), or NULL.
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_get_authorization(sasl: *mut pn_sasl_t) -> *const c_char {
    guard(|| with_sasl(sasl, |s| opt_ptr(&s.authzid)).unwrap_or(ptr::null()))
}

/// The mechanism in use, or NULL before one is chosen.
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_get_mech(sasl: *mut pn_sasl_t) -> *const c_char {
    guard(|| with_sasl(sasl, |s| opt_ptr(&s.selected_mechanism)).unwrap_or(ptr::null()))
}

/// Restrict the mechanisms to a space-separated list (NULL: no
/// restriction). Servers offer and accept only these; clients choose
/// among them.
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL; `mechs` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_allowed_mechs(sasl: *mut pn_sasl_t, mechs: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let m = unsafe { super::connection::c_str(mechs) }.map(to_cstring);
        with_sasl(sasl, |s| s.included_mechanisms = m);
    })
}

/// Allow mechanisms that send the password in clear (PLAIN) over a
/// connection that is not encrypted.
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_set_allow_insecure_mechs(sasl: *mut pn_sasl_t, insecure: bool) {
    guard(|| {
        with_sasl(sasl, |s| s.allow_insecure_mechs = insecure);
    })
}

/// # Safety
/// `sasl` must be NULL or a live transport's SASL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_get_allow_insecure_mechs(sasl: *mut pn_sasl_t) -> bool {
    guard(|| with_sasl(sasl, |s| s.allow_insecure_mechs).unwrap_or(false))
}

/// The configuration name for an extended SASL library (kept; unused
/// without one).
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL; `name` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_config_name(sasl: *mut pn_sasl_t, name: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let n = unsafe { super::connection::c_str(name) }.map(to_cstring);
        with_sasl(sasl, |s| s.config_name = n);
    })
}

/// The configuration directory for an extended SASL library (kept;
/// unused without one).
///
/// # Safety
/// `sasl` must be NULL or a live transport's SASL; `path` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sasl_config_path(sasl: *mut pn_sasl_t, path: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let p = unsafe { super::connection::c_str(path) }.map(to_cstring);
        with_sasl(sasl, |s| s.config_path = p);
    })
}
