//! `proton/sasl_plugin.h`: the interface for plugging in a SASL
//! implementation (the `pnx_` API).
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

use libc::ssize_t;

use super::types::{enum_from_raw, pn_bytes_t, pn_transport_t};

/// The operations of a SASL implementation. The library calls them on the
/// transport being authenticated; unused ones may be NULL where the
/// implementation does not need them.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct pnx_sasl_implementation {
    pub free: Option<unsafe extern "C" fn(transport: *mut pn_transport_t)>,
    pub list_mechanisms: Option<unsafe extern "C" fn(transport: *mut pn_transport_t) -> *const c_char>,
    pub init_server: Option<unsafe extern "C" fn(transport: *mut pn_transport_t) -> bool>,
    pub init_client: Option<unsafe extern "C" fn(transport: *mut pn_transport_t) -> bool>,
    pub prepare_write: Option<unsafe extern "C" fn(transport: *mut pn_transport_t)>,
    pub process_init:
        Option<unsafe extern "C" fn(transport: *mut pn_transport_t, mechanism: *const c_char, recv: *const pn_bytes_t)>,
    pub process_response: Option<unsafe extern "C" fn(transport: *mut pn_transport_t, recv: *const pn_bytes_t)>,
    pub process_mechanisms: Option<unsafe extern "C" fn(transport: *mut pn_transport_t, mechs: *const c_char) -> bool>,
    pub process_challenge: Option<unsafe extern "C" fn(transport: *mut pn_transport_t, recv: *const pn_bytes_t)>,
    pub process_outcome: Option<unsafe extern "C" fn(transport: *mut pn_transport_t, recv: *const pn_bytes_t)>,
    pub can_encrypt: Option<unsafe extern "C" fn(transport: *mut pn_transport_t) -> bool>,
    pub max_encrypt_size: Option<unsafe extern "C" fn(transport: *mut pn_transport_t) -> ssize_t>,
    pub encode: Option<
        unsafe extern "C" fn(transport: *mut pn_transport_t, input: pn_bytes_t, output: *mut pn_bytes_t) -> ssize_t,
    >,
    pub decode: Option<
        unsafe extern "C" fn(transport: *mut pn_transport_t, input: pn_bytes_t, output: *mut pn_bytes_t) -> ssize_t,
    >,
}

/// Where a SASL exchange stands; an implementation asks for the next state
/// with `pnx_sasl_set_desired_state`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pnx_sasl_state {
    SASL_NONE,
    SASL_POSTED_INIT,
    SASL_POSTED_MECHANISMS,
    SASL_POSTED_RESPONSE,
    SASL_POSTED_CHALLENGE,
    SASL_RECVED_SUCCESS,
    SASL_RECVED_FAILURE,
    SASL_POSTED_OUTCOME,
    SASL_ERROR,
}

/// `pnx_sasl_state` as C passes it (any int); convert with `from_raw`.
pub type pnx_sasl_state_raw = c_int;

enum_from_raw!(pnx_sasl_state {
    SASL_NONE,
    SASL_POSTED_INIT,
    SASL_POSTED_MECHANISMS,
    SASL_POSTED_RESPONSE,
    SASL_POSTED_CHALLENGE,
    SASL_RECVED_SUCCESS,
    SASL_RECVED_FAILURE,
    SASL_POSTED_OUTCOME,
    SASL_ERROR,
});

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<pnx_sasl_implementation>() == 14 * 8);
const _: () = assert!(std::mem::size_of::<pnx_sasl_state>() == 4);
