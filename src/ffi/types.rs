//! `proton/types.h`: value types shared by every header, and the opaque
//! handles of the engine objects.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

/// A sequence number (delivery-count, transfer-id ...).
pub type pn_sequence_t = u32;
/// A duration in milliseconds.
pub type pn_millis_t = u32;
/// A duration in seconds.
pub type pn_seconds_t = u32;
/// Milliseconds since the Unix epoch.
pub type pn_timestamp_t = i64;
/// A Unicode code point (UTF-32).
pub type pn_char_t = u32;
/// An IEEE 754 decimal32, as raw bits.
pub type pn_decimal32_t = u32;
/// An IEEE 754 decimal64, as raw bits.
pub type pn_decimal64_t = u64;

/// An IEEE 754 decimal128, as 16 raw bytes in network order.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct pn_decimal128_t {
    pub bytes: [c_char; 16],
}

/// A UUID, as 16 raw bytes in network order.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct pn_uuid_t {
    pub bytes: [c_char; 16],
}

/// A borrowed, read-only byte range.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct pn_bytes_t {
    pub size: usize,
    pub start: *const c_char,
}

impl pn_bytes_t {
    pub const NULL: pn_bytes_t = pn_bytes_t { size: 0, start: std::ptr::null() };

    /// Bytes borrowed from a Rust slice; valid while the slice is.
    pub fn from_slice(s: &[u8]) -> pn_bytes_t {
        pn_bytes_t { size: s.len(), start: s.as_ptr().cast() }
    }
}

// SAFETY: pn_bytes_t is a plain (pointer, length) pair; the only shared
// instance (`pn_bytes_null`) points nowhere.
unsafe impl Sync for pn_bytes_t {}

/// A borrowed, writable byte range.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct pn_rwbytes_t {
    pub size: usize,
    pub start: *mut c_char,
}

// SAFETY: as for pn_bytes_t.
unsafe impl Sync for pn_rwbytes_t {}

/// Endpoint state bits (`PN_LOCAL_*` | `PN_REMOTE_*`).
pub type pn_state_t = c_int;

// Opaque handles: each is the address of a library-owned object (see
// `ffi/handle.rs`). Not repr(C), so cbindgen declares them incomplete.

/// An AMQP connection.
pub struct pn_connection_t {
    _private: [u8; 0],
}

/// An AMQP session.
pub struct pn_session_t {
    _private: [u8; 0],
}

/// An AMQP link (sender or receiver).
pub struct pn_link_t {
    _private: [u8; 0],
}

/// A message transfer on a link.
pub struct pn_delivery_t {
    _private: [u8; 0],
}

/// A queue of events.
pub struct pn_collector_t {
    _private: [u8; 0],
}

/// A listening socket of the proactor.
pub struct pn_listener_t {
    _private: [u8; 0],
}

/// The protocol layer between a connection and its byte stream.
pub struct pn_transport_t {
    _private: [u8; 0],
}

/// The proactor: an event loop over sockets and timers.
pub struct pn_proactor_t {
    _private: [u8; 0],
}

/// A raw (non-AMQP) socket of the proactor.
pub struct pn_raw_connection_t {
    _private: [u8; 0],
}

/// A batch of events from the proactor.
pub struct pn_event_batch_t {
    _private: [u8; 0],
}

/// A reactor event handler.
pub struct pn_handler_t {
    _private: [u8; 0],
}
