//! `proton/connection_driver.h`: drives a connection and its transport over
//! any byte stream the application manages itself.
#![allow(non_camel_case_types)]

use super::types::{pn_collector_t, pn_connection_t, pn_transport_t};

/// A connection, its transport and its collector, as one unit to drive.
///
/// C code allocates it (usually on the stack) and reads the fields, so the
/// layout is public and must stay proton-c's.
#[repr(C)]
#[derive(Debug)]
pub struct pn_connection_driver_t {
    pub connection: *mut pn_connection_t,
    pub transport: *mut pn_transport_t,
    pub collector: *mut pn_collector_t,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<pn_connection_driver_t>() == 24 && align_of::<pn_connection_driver_t>() == 8);
    assert!(offset_of!(pn_connection_driver_t, connection) == 0);
    assert!(offset_of!(pn_connection_driver_t, transport) == 8);
    assert!(offset_of!(pn_connection_driver_t, collector) == 16);
};

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{c_char, c_int};
use std::ptr;

use super::boundary::guard;
use super::event::{pn_collector, pn_collector_free, pn_collector_next, pn_collector_peek, pn_collector_prev, pn_collector_release, pn_event_t, pn_event_type, pn_event_type_t};
use super::connection::{pn_connection, pn_connection_collect, pn_connection_free, pn_connection_reset};
use super::transport::{
    pn_transport, pn_transport_bind, pn_transport_capacity, pn_transport_close_head, pn_transport_close_tail,
    pn_transport_closed, pn_transport_free, pn_transport_head, pn_transport_pending, pn_transport_pop,
    pn_transport_process, pn_transport_tail, pn_transport_unbind,
};
use super::types::{pn_bytes_t, pn_rwbytes_t};

/// Set up a driver: `connection` and `transport` (made when NULL) and a new
/// collector. The transport is bound once the `PN_CONNECTION_INIT` event
/// has been handled.
///
/// # Safety
/// `d` must point to writable driver memory; the others NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_init(
    d: *mut pn_connection_driver_t,
    connection: *mut pn_connection_t,
    transport: *mut pn_transport_t,
) -> c_int {
    guard(|| {
        if d.is_null() {
            return super::error::PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        unsafe {
            let c = if connection.is_null() { pn_connection() } else { connection };
            let t = if transport.is_null() { pn_transport() } else { transport };
            let coll = pn_collector();
            ptr::write(d, pn_connection_driver_t { connection: c, transport: t, collector: coll });
            pn_connection_collect(c, coll);
        }
        0
    })
}

/// Bind the transport now.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_bind(d: *mut pn_connection_driver_t) -> c_int {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_bind((*d).transport, (*d).connection) })
}

/// Free the connection, transport and collector.
///
/// # Safety
/// `d` must be an initialized driver (or zeroed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_destroy(d: *mut pn_connection_driver_t) {
    guard(|| {
        if d.is_null() {
            return;
        }
        // SAFETY: per the contract.
        unsafe {
            // Both directions end first (an open connection sees its input
            // aborted), then everything is released.
            if !(*d).transport.is_null() {
                pn_connection_driver_close(d);
            }
            let c = pn_connection_driver_release_connection(d);
            if !c.is_null() {
                pn_connection_free(c);
            }
            if !(*d).transport.is_null() {
                pn_transport_free((*d).transport);
            }
            if !(*d).collector.is_null() {
                pn_collector_free((*d).collector);
            }
            ptr::write(d, pn_connection_driver_t { connection: ptr::null_mut(), transport: ptr::null_mut(), collector: ptr::null_mut() });
        }
    })
}

/// Take the connection out of the driver (unbound, reset, uncollected);
/// the caller owns it.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_release_connection(d: *mut pn_connection_driver_t) -> *mut pn_connection_t {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            if !(*d).transport.is_null() {
                pn_transport_unbind((*d).transport);
            }
            let c = (*d).connection;
            if !c.is_null() {
                (*d).connection = ptr::null_mut();
                pn_connection_reset(c);
                pn_connection_collect(c, ptr::null_mut());
            }
            c
        }
    })
}

/// Where to read bytes into; proton-c 0.37 gives the whole read buffer
/// whatever `n`.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_read_buffer_sized(d: *mut pn_connection_driver_t, n: usize) -> pn_rwbytes_t {
    guard(|| {
        let _ = n;
        // SAFETY: per the contract.
        unsafe { pn_connection_driver_read_buffer(d) }
    })
}

/// Where to read bytes into (empty when input is closed).
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_read_buffer(d: *mut pn_connection_driver_t) -> pn_rwbytes_t {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let cap = pn_transport_capacity((*d).transport);
            if cap > 0 {
                pn_rwbytes_t { size: cap as usize, start: pn_transport_tail((*d).transport) }
            } else {
                pn_rwbytes_t { size: 0, start: ptr::null_mut() }
            }
        }
    })
}

/// `n` bytes were read into the read buffer: process them.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_read_done(d: *mut pn_connection_driver_t, n: usize) {
    guard(|| {
        if n > 0 {
            // SAFETY: per the contract.
            unsafe { pn_transport_process((*d).transport, n) };
        }
    })
}

/// The input side is finished.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_read_close(d: *mut pn_connection_driver_t) {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            if !pn_connection_driver_read_closed(d) {
                pn_transport_close_tail((*d).transport);
            }
        }
    })
}

/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_read_closed(d: *mut pn_connection_driver_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_capacity((*d).transport) } < 0)
}

/// The bytes to write (empty when there are none).
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_write_buffer(d: *mut pn_connection_driver_t) -> pn_bytes_t {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let pending = pn_transport_pending((*d).transport);
            if pending > 0 {
                pn_bytes_t { size: pending as usize, start: pn_transport_head((*d).transport) }
            } else {
                pn_bytes_t::NULL
            }
        }
    })
}

/// `n` bytes of the write buffer were written.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_write_done(d: *mut pn_connection_driver_t, n: usize) {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_pop((*d).transport, n) })
}

/// The output side is finished.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_write_close(d: *mut pn_connection_driver_t) {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            if !pn_connection_driver_write_closed(d) {
                pn_transport_close_head((*d).transport);
            }
        }
    })
}

/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_write_closed(d: *mut pn_connection_driver_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_pending((*d).transport) } < 0)
}

/// Close both directions.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_close(d: *mut pn_connection_driver_t) {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            pn_connection_driver_read_close(d);
            pn_connection_driver_write_close(d);
        }
    })
}

/// The next event, or NULL. The previous one is released; after
/// `PN_CONNECTION_INIT` was handled the transport is bound, after
/// `PN_TRANSPORT_CLOSED` no more events come.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_next_event(d: *mut pn_connection_driver_t) -> *mut pn_event_t {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let coll = (*d).collector;
            if coll.is_null() {
                return ptr::null_mut();
            }
            let handled = pn_collector_prev(coll);
            if !handled.is_null() {
                match pn_event_type_t::from_raw(pn_event_type(handled)) {
                    Some(pn_event_type_t::PN_CONNECTION_INIT) => {
                        pn_transport_bind((*d).transport, (*d).connection);
                    }
                    Some(pn_event_type_t::PN_TRANSPORT_CLOSED) => {
                        pn_collector_release(coll);
                    }
                    _ => {}
                }
            }
            let e = pn_collector_next(coll);
            if !e.is_null() {
                log_event((*d).transport, e);
            }
            e
        }
    })
}

/// `(PN_TYPE, class<address>)` to the transport's logger (event
/// subsystem, debug level), as proton traces events with `PN_TRACE_EVT`.
unsafe fn log_event(t: *mut pn_transport_t, e: *mut pn_event_t) {
    use super::logger::{pn_log_level_t, pn_log_subsystem_t};
    // SAFETY: live transport and event (caller).
    unsafe {
        let Some(tobj) = super::transport::transport_obj(t) else { return };
        let logger = &tobj.t.st.logger;
        if !logger.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_EVENT, pn_log_level_t::PN_LEVEL_DEBUG) {
            return;
        }
        let name = std::ffi::CStr::from_ptr(super::event::pn_event_type_name(pn_event_type(e))).to_string_lossy();
        let ctx = super::event::pn_event_context(e);
        let text = super::object::string::Text::new();
        super::object::pn_inspect(ctx, text.as_ptr());
        let ctx_text = String::from_utf8_lossy(&text.bytes()).into_owned();
        logger.log(
            pn_log_subsystem_t::PN_SUBSYSTEM_EVENT as c_int,
            pn_log_level_t::PN_LEVEL_DEBUG as c_int,
            &format!("({name}, {ctx_text})"),
        );
    }
}

/// Whether an event is waiting.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_has_event(d: *mut pn_connection_driver_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { !(*d).connection.is_null() && !pn_collector_peek((*d).collector).is_null() })
}

/// Whether the transport is closed and every event handled.
///
/// # Safety
/// `d` must be an initialized driver.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_finished(d: *mut pn_connection_driver_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_closed((*d).transport) && !pn_connection_driver_has_event(d) })
}

/// Set the transport's condition (the body of the C shims
/// `pn_connection_driver_errorf`/`verrorf`; not exported).
///
/// # Safety
/// `d` must be an initialized driver; the strings NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_connection_driver_error(d: *mut pn_connection_driver_t, name: *const c_char, description: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let cond = super::transport::pn_transport_condition((*d).transport);
            super::condition::pn_condition_set_name(cond, name);
            super::condition::pn_condition_set_description(cond, description);
        }
    })
}

/// Log a message through the transport's logger.
///
/// # Safety
/// `d` must be an initialized driver; `message` a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_log(d: *mut pn_connection_driver_t, message: *const c_char) {
    // SAFETY: per the contract.
    guard(|| unsafe { super::transport::pn_transport_log((*d).transport, message) })
}

/// The driver slot of a connection (for the proactor).
///
/// # Safety
/// `connection` must be a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_driver_ptr(connection: *mut pn_connection_t) -> *mut *mut pn_connection_driver_t {
    guard(|| {
        let c: *mut super::endpoint::ConnObj = connection.cast();
        if c.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe { ptr::addr_of_mut!((*c).driver) }
    })
}
