//! `proton/transport.h`: the protocol engine between a connection and its
//! byte stream (`pn_transport_t` itself is declared by `types.h`).
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

use super::types::pn_transport_t;

/// A set of `PN_TRACE_*` flags.
pub type pn_trace_t = c_int;

/// Receives a transport's trace output, one line per call.
pub type pn_tracer_t = Option<unsafe extern "C" fn(transport: *mut pn_transport_t, message: *const c_char)>;

/// Trace nothing.
pub const PN_TRACE_OFF: pn_trace_t = 0;
/// Trace raw bytes.
pub const PN_TRACE_RAW: pn_trace_t = 1;
/// Trace frames.
pub const PN_TRACE_FRM: pn_trace_t = 2;
/// Trace driver (I/O) activity.
pub const PN_TRACE_DRV: pn_trace_t = 4;
/// Trace events.
pub const PN_TRACE_EVT: pn_trace_t = 8;
