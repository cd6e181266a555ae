//! `proton/connection.h`: the AMQP connection endpoint and the endpoint
//! state bits shared by connections, sessions and links.

use super::types::pn_state_t;

/// The local end is not yet opened.
pub const PN_LOCAL_UNINIT: pn_state_t = 1;
/// The local end is open.
pub const PN_LOCAL_ACTIVE: pn_state_t = 2;
/// The local end is closed.
pub const PN_LOCAL_CLOSED: pn_state_t = 4;
/// The peer has not yet opened its end.
pub const PN_REMOTE_UNINIT: pn_state_t = 8;
/// The peer's end is open.
pub const PN_REMOTE_ACTIVE: pn_state_t = 16;
/// The peer's end is closed.
pub const PN_REMOTE_CLOSED: pn_state_t = 32;
/// All the local state bits.
pub const PN_LOCAL_MASK: pn_state_t = PN_LOCAL_UNINIT | PN_LOCAL_ACTIVE | PN_LOCAL_CLOSED;
/// All the remote state bits.
pub const PN_REMOTE_MASK: pn_state_t = PN_REMOTE_UNINIT | PN_REMOTE_ACTIVE | PN_REMOTE_CLOSED;

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{CStr, c_char, c_void};
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::codec::pn_data_t;
use super::condition::pn_condition_t;
use super::endpoint::{ConnObj, new_connection, sync, transport_handle, with_engine};
use super::error::{pn_error, pn_error_t, to_cstring};
use super::handle::Handle;
use super::object::record::{pn_record_get, pn_record_set, pn_record_t};
use super::object::{pn_decref, pn_incref};
use super::types::{pn_collector_t, pn_connection_t, pn_transport_t};
use crate::engine::EpRef;

/// A C string argument as bytes (`None` for NULL).
pub(crate) unsafe fn c_str<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: the caller passes NULL or a NUL-terminated string.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// An optional C string for a getter (NULL when unset).
pub(crate) fn opt_ptr(s: &Option<std::ffi::CString>) -> *const c_char {
    s.as_deref().map_or(ptr::null(), CStr::as_ptr)
}

fn conn_ptr(c: *mut pn_connection_t) -> *mut ConnObj {
    c.cast()
}

/// A new connection, with one reference held by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn pn_connection() -> *mut pn_connection_t {
    guard(|| pn_connection_t::from_target(new_connection()))
}

/// Release the connection (see `pn_connection_release`) and drop the
/// caller's reference.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_free(connection: *mut pn_connection_t) {
    guard(|| {
        if connection.is_null() {
            return;
        }
        // SAFETY: per the contract.
        unsafe {
            pn_connection_release(connection);
            pn_decref(connection.cast());
        }
    })
}

/// Free every session and link the application has not freed, and mark
/// the connection freed; the object lives on while referenced.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_release(connection: *mut pn_connection_t) {
    guard(|| {
        let c = conn_ptr(connection);
        if c.is_null() {
            return;
        }
        // SAFETY: per the contract; each step re-borrows.
        unsafe {
            if let Some(i) = (*c).engine.endpoints.iter().position(|&r| r == EpRef::Conn) {
                (*c).engine.endpoints.remove(i);
            }
            while let Some(&r) = (*c).engine.endpoints.first() {
                match r {
                    EpRef::Session(s) => {
                        let obj = (&(*c).engine.sessions)[s].obj;
                        super::session::pn_session_free(obj as *mut _);
                    }
                    EpRef::Link(l) => {
                        let obj = (&(*c).engine.links)[l].obj;
                        super::link::pn_link_free(obj as *mut _);
                    }
                    EpRef::Conn => {
                        (*c).engine.endpoints.remove(0);
                    }
                }
            }
            with_engine(c, |e| {
                e.ep.freed = true;
                if !e.bound {
                    while let Some(&r) = e.tp_list.first() {
                        e.clear_modified(r);
                    }
                    while let Some(d) = e.tpwork.head {
                        e.clear_tpwork(d);
                    }
                }
                e.ep_decref(EpRef::Conn);
            });
        }
    })
}

/// The connection's error (legacy; made on first use).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_error(connection: *mut pn_connection_t) -> *mut pn_error_t {
    guard(|| {
        let c = try_mut!(connection);
        if c.error.is_null() {
            c.error = pn_error();
        }
        c.error
    })
}

/// Send the connection's events (and those of its sessions, links,
/// deliveries and transport) to `collector` (NULL: nowhere). The INIT
/// events of every existing endpoint are posted to it.
///
/// # Safety
/// `connection` must be NULL or a live connection; `collector` NULL or a
/// live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_collect(connection: *mut pn_connection_t, collector: *mut pn_collector_t) {
    guard(|| {
        let c = conn_ptr(connection);
        if c.is_null() {
            return;
        }
        // SAFETY: per the contract.
        unsafe {
            let old = (*c).collector;
            (*c).collector = collector;
            pn_incref(collector.cast());
            if !old.is_null() {
                pn_decref(old.cast());
            }
            with_engine(c, |e| e.collect(!collector.is_null()));
        }
    })
}

/// The collector, or NULL.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_collector(connection: *mut pn_connection_t) -> *mut pn_collector_t {
    guard(|| try_ref!(connection).collector)
}

/// The application context (legacy attachment).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_get_context(connection: *mut pn_connection_t) -> *mut c_void {
    guard(|| {
        let r = try_ref!(connection).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_get(r, ptr::null()) }
    })
}

/// Set the application context (legacy attachment; not counted).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_context(connection: *mut pn_connection_t, context: *mut c_void) {
    guard(|| {
        let r = try_ref!(connection).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_set(r, ptr::null(), context) }
    })
}

/// The connection's attachments; live as long as the connection.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_attachments(connection: *mut pn_connection_t) -> *mut pn_record_t {
    guard(|| try_ref!(connection).record)
}

/// Local and remote state bits.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_state(connection: *mut pn_connection_t) -> pn_state_t {
    guard(|| try_ref!(connection).engine.ep.state)
}

/// Open the local end.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_open(connection: *mut pn_connection_t) {
    guard(|| {
        let c = conn_ptr(connection);
        if !c.is_null() {
            // SAFETY: per the contract.
            unsafe { with_engine(c, |e| e.open()) }
        }
    })
}

/// Close the local end.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_close(connection: *mut pn_connection_t) {
    guard(|| {
        let c = conn_ptr(connection);
        if !c.is_null() {
            // SAFETY: per the contract.
            unsafe { with_engine(c, |e| e.close()) }
        }
    })
}

/// Back to the initial state (both ends uninitialized).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_reset(connection: *mut pn_connection_t) {
    guard(|| try_mut!(connection).engine.reset())
}

/// The local condition (sent when closing); lives with the connection.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_condition(connection: *mut pn_connection_t) -> *mut pn_condition_t {
    guard(|| try_mut!(connection).engine.ep.condition.ptr())
}

/// The peer's condition (from its close); NULL without a transport.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_condition(connection: *mut pn_connection_t) -> *mut pn_condition_t {
    guard(|| {
        let t = try_ref!(connection).transport;
        // SAFETY: the bound transport is live.
        match unsafe { t.as_mut() } {
            Some(t) => t.t.st.remote_condition.ptr(),
            None => ptr::null_mut(),
        }
    })
}

/// The container id (NULL until set); valid until changed.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_get_container(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| opt_ptr(&try_ref!(connection).engine.container))
}

/// Set (copy) the container id.
///
/// # Safety
/// `connection` must be NULL or a live connection; `container` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_container(connection: *mut pn_connection_t, container: *const c_char) {
    // SAFETY: per the contract.
    guard(|| try_mut!(connection).engine.container = unsafe { c_str(container) }.map(to_cstring))
}

/// Set the user name SASL authenticates with.
///
/// # Safety
/// `connection` must be NULL or a live connection; `user` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_user(connection: *mut pn_connection_t, user: *const c_char) {
    // SAFETY: per the contract.
    guard(|| try_mut!(connection).engine.user = unsafe { c_str(user) }.map(to_cstring))
}

/// Set the password SASL authenticates with (the previous one is wiped).
///
/// # Safety
/// `connection` must be NULL or a live connection; `password` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_password(connection: *mut pn_connection_t, password: *const c_char) {
    guard(|| {
        let c = try_mut!(connection);
        if let Some(old) = c.engine.password.take() {
            let mut bytes = old.into_bytes();
            bytes.iter_mut().for_each(|b| *b = 0);
            std::hint::black_box(&bytes);
        }
        // SAFETY: per the contract.
        c.engine.password = unsafe { c_str(password) }.map(to_cstring);
    })
}

/// Set the identity to act as (SASL authorization id).
///
/// # Safety
/// `connection` must be NULL or a live connection; `authzid` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_authorization(connection: *mut pn_connection_t, authzid: *const c_char) {
    // SAFETY: per the contract.
    guard(|| try_mut!(connection).engine.authzid = unsafe { c_str(authzid) }.map(to_cstring))
}

/// The user name (NULL until set); valid until changed.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_get_user(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| opt_ptr(&try_ref!(connection).engine.user))
}

/// The authorization id (NULL until set); valid until changed.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_get_authorization(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| opt_ptr(&try_ref!(connection).engine.authzid))
}

/// The host name sent in the open (NULL until set); valid until changed.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_get_hostname(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| opt_ptr(&try_ref!(connection).engine.hostname))
}

/// Set (copy) the host name sent in the open.
///
/// # Safety
/// `connection` must be NULL or a live connection; `hostname` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_set_hostname(connection: *mut pn_connection_t, hostname: *const c_char) {
    // SAFETY: per the contract.
    guard(|| try_mut!(connection).engine.hostname = unsafe { c_str(hostname) }.map(to_cstring))
}

fn transport_of<'a>(c: &ConnObj) -> Option<&'a mut super::transport::TransportObj> {
    // SAFETY: the bound transport is live while bound.
    unsafe { c.transport.as_mut() }
}

/// The peer's container id (NULL before its open); valid while bound.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_container(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| transport_of(try_ref!(connection)).map_or(ptr::null(), |t| opt_ptr(&t.t.st.remote_container)))
}

/// The peer's host name (NULL before its open); valid while bound.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_hostname(connection: *mut pn_connection_t) -> *const c_char {
    guard(|| transport_of(try_ref!(connection)).map_or(ptr::null(), |t| opt_ptr(&t.t.st.remote_hostname)))
}

/// The capabilities offered in the open; live as long as the connection.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_offered_capabilities(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| try_mut!(connection).engine.offered_capabilities.ptr())
}

/// The capabilities desired in the open; live as long as the connection.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_desired_capabilities(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| try_mut!(connection).engine.desired_capabilities.ptr())
}

/// The properties sent in the open; live as long as the connection.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_properties(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| try_mut!(connection).engine.properties.ptr())
}

/// The peer's offered capabilities; NULL when unbound.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_offered_capabilities(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| transport_of(try_ref!(connection)).map_or(ptr::null_mut(), |t| t.t.st.remote_offered_capabilities.ptr()))
}

/// The peer's desired capabilities; NULL when unbound.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_desired_capabilities(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| transport_of(try_ref!(connection)).map_or(ptr::null_mut(), |t| t.t.st.remote_desired_capabilities.ptr()))
}

/// The peer's connection properties; NULL when unbound.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_remote_properties(connection: *mut pn_connection_t) -> *mut pn_data_t {
    guard(|| transport_of(try_ref!(connection)).map_or(ptr::null_mut(), |t| t.t.st.remote_properties.ptr()))
}

/// The bound transport, or NULL.
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_transport(connection: *mut pn_connection_t) -> *mut pn_transport_t {
    guard(|| {
        let c = try_ref!(connection);
        let p: *const ConnObj = c;
        // SAFETY: `p` is live.
        unsafe { transport_handle(p.cast_mut()) }
    })
}

#[allow(dead_code)]
unsafe fn _sync(c: *mut ConnObj) {
    // SAFETY: per the caller.
    unsafe { sync(c) }
}
