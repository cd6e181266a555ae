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

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{CStr, c_void};
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::cid::pn_cid_t;
use super::condition::pn_condition_t;
use super::endpoint::{ConnObj, conn_handle, new_record, sync};
use super::error::{pn_error, pn_error_t};
use super::handle::{Handle, handle};
use super::logger::pn_logger_t;
use super::object::record::{pn_record_get, pn_record_set, pn_record_t};
use super::object::{RUST_CLASS_BASE, RustObject, new_object, pn_decref, pn_free, pn_incref, pn_object_incref, pn_object_refcount};
use super::types::{pn_connection_t, pn_millis_t};
use crate::transport::Transport;

/// The C side of a transport.
pub struct TransportObj {
    pub t: Transport,
    /// The bound connection, or NULL.
    pub conn: *mut ConnObj,
    /// The application holds a reference (see `endpoint.rs`).
    pub referenced: bool,
    pub record: *mut pn_record_t,
    pub error: *mut pn_error_t,
    pub tracer: pn_tracer_t,
}

handle!(pn_transport_t => TransportObj);

pub static PN_TRANSPORT_CLASS: super::object::pn_class_t = super::object::pn_class_t {
    name: c"pn_transport".as_ptr(),
    cid: pn_cid_t::CID_pn_transport as c_int,
    incref: Some(transport_incref),
    finalize: Some(transport_finalize),
    ..RUST_CLASS_BASE
};

// SAFETY: the finalizer drops the value exactly once (when it does not
// keep the object); `free` is pn_object_free.
unsafe impl RustObject for TransportObj {
    fn class() -> &'static super::object::pn_class_t {
        &PN_TRANSPORT_CLASS
    }
}

unsafe extern "C" fn transport_incref(object: *mut c_void) {
    let t = object.cast::<TransportObj>();
    // SAFETY: called through the transport class on a live transport.
    unsafe {
        if !(*t).referenced {
            (*t).referenced = true;
            if !(*t).conn.is_null() {
                pn_incref((*t).conn.cast());
            } else {
                pn_object_incref(object);
            }
        } else {
            pn_object_incref(object);
        }
    }
}

unsafe extern "C" fn transport_finalize(object: *mut c_void) {
    let t = object.cast::<TransportObj>();
    // SAFETY: called through the transport class when its count is 0.
    unsafe {
        let conn = (*t).conn;
        if (*t).referenced && !conn.is_null() && pn_object_refcount(conn.cast()) > 1 {
            pn_object_incref(object);
            (*t).referenced = false;
            pn_decref(conn.cast());
            return;
        }
        unbind(t);
        if pn_object_refcount(object) > 0 {
            return;
        }
        // An application's SASL implementation releases its context.
        super::sasl_plugin::free_impl(&mut (*t).t.st);
        for p in [(*t).record.cast::<c_void>(), (*t).error.cast()] {
            if !p.is_null() {
                pn_free(p);
            }
        }
        ptr::drop_in_place(t);
    }
}

/// The Rust side of a transport handle.
pub(crate) unsafe fn transport_obj<'a>(t: *mut pn_transport_t) -> Option<&'a TransportObj> {
    // SAFETY: per the caller, NULL or a live transport.
    unsafe { pn_transport_t::as_ref(t) }
}

/// Grow the transport's input buffer (see `Transport::grow_input`).
pub(crate) fn grow_input(transport: *mut pn_transport_t, limit: usize) {
    // SAFETY: the caller's live transport or NULL; this touches only the
    // transport's own input buffer.
    if let Some(t) = unsafe { pn_transport_t::as_mut(transport) } {
        t.t.grow_input(limit);
    }
}

/// Let the transport's empty buffers go (see `Transport::park_buffers`).
pub(crate) fn park_buffers(transport: *mut pn_transport_t) {
    // SAFETY: the caller's live transport or NULL; this touches only the
    // transport's own buffers.
    if let Some(t) = unsafe { pn_transport_t::as_mut(transport) } {
        t.t.park_buffers();
    }
}

/// Bytes encoded and waiting to be written (`Transport::output_ready`); 0
/// for NULL.
pub(crate) fn output_ready(transport: *mut pn_transport_t) -> usize {
    // SAFETY: the caller's live transport or NULL; read only.
    unsafe { pn_transport_t::as_mut(transport) }.map_or(0, |t| t.t.output_ready())
}

/// The connection frees its transport (which nobody else references).
pub(crate) unsafe fn transport_obj_free_from_connection(t: *mut TransportObj) {
    // SAFETY: per the caller, a live transport.
    unsafe { pn_free(t.cast()) }
}

/// Unbind (`pn_transport_unbind`).
unsafe fn unbind(t: *mut TransportObj) -> c_int {
    // SAFETY: per the caller, a live transport.
    unsafe {
        let conn = (*t).conn;
        if conn.is_null() {
            return 0;
        }
        (*t).conn = ptr::null_mut();
        let was_referenced = (*t).referenced;
        (*t).t.unbind(&mut (*conn).engine);
        // Events about the transport still find it.
        sync(conn);
        (*conn).transport = ptr::null_mut();
        sync(conn);
        if was_referenced {
            pn_decref(conn.cast());
        }
        0
    }
}

/// Run `f` on the transport and its connection's engine, then hand the
/// events over.
fn with_t<R>(transport: *mut pn_transport_t, f: impl FnOnce(&mut Transport, Option<&mut crate::engine::Connection>) -> R) -> Option<R> {
    // SAFETY: the C API passes a live transport or NULL.
    let t = unsafe { pn_transport_t::as_mut(transport) }?;
    let conn = t.conn;
    // SAFETY: the bound connection is live and distinct from the transport.
    let engine = unsafe { conn.as_mut() }.map(|c| &mut c.engine);
    let r = f(&mut t.t, engine);
    if !conn.is_null() {
        // SAFETY: as above; the borrows ended.
        unsafe { sync(conn) };
    }
    Some(r)
}

/// Run `f` on the transport's state and its bound connection's engine,
/// then hand the events over (for the SASL API).
pub(crate) fn with_transport_state<R>(
    transport: *mut pn_transport_t,
    f: impl FnOnce(&mut crate::transport::TransportState, Option<&mut crate::engine::Connection>) -> R,
) -> Option<R> {
    with_t(transport, |t, c| {
        let r = match c {
            Some(c) => {
                t.st.flush_events(c);
                f(&mut t.st, Some(c))
            }
            None => f(&mut t.st, None),
        };
        r
    })
}

/// A new, unbound transport (a client unless `pn_transport_set_server`).
#[unsafe(no_mangle)]
pub extern "C" fn pn_transport() -> *mut pn_transport_t {
    guard(|| {
        let t = new_object(TransportObj {
            t: Transport::new(),
            conn: ptr::null_mut(),
            referenced: true,
            record: new_record(),
            error: ptr::null_mut(),
            tracer: None,
        });
        // SAFETY: `t` is the fresh, live object.
        unsafe {
            (*t).t.st.logger.set_sink_context(t as usize);
            (*t).t.st.handle = t.cast();
        }
        pn_transport_t::from_target(t)
    })
}

/// Act as the server end of the connection.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_server(transport: *mut pn_transport_t) {
    guard(|| try_mut!(transport).t.set_server())
}

/// Drop the application's reference; the connection frees the transport
/// later if it is bound.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_free(transport: *mut pn_transport_t) {
    guard(|| {
        if !transport.is_null() {
            // SAFETY: per the contract.
            unsafe { pn_decref(transport.cast()) };
        }
    })
}

/// The authenticated user: on a client, SASL's user name ("anonymous"
/// without SASL); on a server, NULL before the AMQP header, then the user
/// SASL authenticated, else the TLS peer's subject, else "anonymous".
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_user(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| {
        let t = try_ref!(transport);
        let st = &t.t.st;
        let sasl_user = || st.sasl.as_ref().and_then(|s| s.user.as_ref()).map_or(ptr::null(), |u| u.as_ptr());
        if !st.server {
            return if st.sasl.is_some() { sasl_user() } else { c"anonymous".as_ptr() };
        }
        use crate::transport::layer::{LAYER_AMQP1, LAYER_AMQPSASL, LAYER_AMQPSSL, LAYER_SSL};
        if st.present_layers & LAYER_AMQP1 == 0 {
            // Not through authentication yet.
            return ptr::null();
        }
        if st.present_layers & LAYER_AMQPSASL != 0 {
            return sasl_user();
        }
        if st.present_layers & (LAYER_AMQPSSL | LAYER_SSL) != 0 {
            return st.external.authid.as_ref().map_or(ptr::null(), |u| u.as_ptr());
        }
        c"anonymous".as_ptr()
    })
}

/// Require the peer to authenticate (SASL).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_require_auth(transport: *mut pn_transport_t, required: bool) {
    guard(|| try_mut!(transport).t.st.auth_required = required)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_is_authenticated(transport: *mut pn_transport_t) -> bool {
    guard(|| try_ref!(transport).t.st.authenticated)
}

/// Require the connection to be encrypted (TLS).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_require_encryption(transport: *mut pn_transport_t, required: bool) {
    guard(|| try_mut!(transport).t.st.encryption_required = required)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_is_encrypted(transport: *mut pn_transport_t) -> bool {
    guard(|| try_ref!(transport).t.st.is_encrypted())
}

/// The transport's error condition; lives with the transport.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_condition(transport: *mut pn_transport_t) -> *mut pn_condition_t {
    guard(|| try_mut!(transport).t.st.condition.ptr())
}

/// The transport's logger; lives with the transport.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_logger(transport: *mut pn_transport_t) -> *mut pn_logger_t {
    guard(|| {
        let l: *const super::logger::Logger = &*try_ref!(transport).t.st.logger;
        l.cast_mut().cast()
    })
}

/// The transport's error (legacy; made on first use).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_error(transport: *mut pn_transport_t) -> *mut pn_error_t {
    guard(|| {
        let t = try_mut!(transport);
        if t.error.is_null() {
            t.error = pn_error();
        }
        t.error
    })
}

/// Bind to a connection: `PN_STATE_ERR` if either is bound already.
///
/// # Safety
/// `transport` and `connection` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_bind(transport: *mut pn_transport_t, connection: *mut pn_connection_t) -> c_int {
    guard(|| {
        let t: *mut TransportObj = transport.cast();
        let c: *mut ConnObj = connection.cast();
        if t.is_null() || c.is_null() {
            return super::error::PN_ARG_ERR;
        }
        // SAFETY: per the contract; the two objects are distinct.
        unsafe {
            if !(*t).conn.is_null() || !(*c).transport.is_null() {
                return super::error::PN_STATE_ERR;
            }
            (*t).conn = c;
            (*c).transport = t;
            pn_incref(c.cast());
            (*t).t.bind(&mut (*c).engine);
            sync(c);
        }
        0
    })
}

/// Unbind from the connection (the protocol state of its endpoints is
/// dropped).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_unbind(transport: *mut pn_transport_t) -> c_int {
    guard(|| {
        if transport.is_null() {
            return super::error::PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        unsafe { unbind(transport.cast()) }
    })
}

/// Set what to trace (`PN_TRACE_*` flags) on the transport's logger.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_trace(transport: *mut pn_transport_t, trace: pn_trace_t) {
    guard(|| {
        use super::logger::pn_log_level_t::*;
        let t = try_mut!(transport);
        t.t.st.trace = trace;
        // Only frames and raw bytes: proton-c 0.37 maps the driver and
        // event flags to nothing here.
        let mut levels = 0u16;
        if trace & PN_TRACE_FRM != 0 {
            levels |= PN_LEVEL_FRAME as u16;
        }
        if trace & PN_TRACE_RAW != 0 {
            levels |= PN_LEVEL_RAW as u16;
        }
        let all = PN_LEVEL_FRAME as u16 | PN_LEVEL_RAW as u16;
        t.t.st.logger.reset_mask(0, all & !levels);
        t.t.st.logger.set_mask(super::logger::pn_log_subsystem_t::PN_SUBSYSTEM_ALL as u16, levels);
    })
}

unsafe extern "C" fn tracer_sink(context: isize, _subsystem: c_int, level: c_int, message: *const c_char) {
    let t = context as *mut TransportObj;
    // SAFETY: the sink context is the transport that installed this sink;
    // the message is a C string.
    unsafe {
        if let Some(f) = (*t).tracer {
            let text = format!(
                "{}: {}",
                super::logger::level_name(level).to_string_lossy(),
                CStr::from_ptr(message).to_string_lossy()
            );
            let c = super::error::to_cstring(text.as_bytes());
            f(t.cast(), c.as_ptr());
        }
    }
}

/// Send the transport's log messages to `tracer`.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_tracer(transport: *mut pn_transport_t, tracer: pn_tracer_t) {
    guard(|| {
        let t = try_mut!(transport);
        t.tracer = tracer;
        let l: *mut pn_logger_t = {
            let p: *const super::logger::Logger = &*t.t.st.logger;
            p.cast_mut().cast()
        };
        // SAFETY: the transport's own logger.
        unsafe { super::logger::pn_logger_set_log_sink(l, Some(tracer_sink), transport as isize) };
    })
}

/// The tracer set with `pn_transport_set_tracer`, or NULL.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_tracer(transport: *mut pn_transport_t) -> pn_tracer_t {
    guard(|| try_ref!(transport).tracer)
}

/// The application context (legacy attachment).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_context(transport: *mut pn_transport_t) -> *mut c_void {
    guard(|| {
        let r = try_ref!(transport).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_get(r, ptr::null()) }
    })
}

/// Set the application context (legacy attachment; not counted).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_context(transport: *mut pn_transport_t, context: *mut c_void) {
    guard(|| {
        let r = try_ref!(transport).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_set(r, ptr::null(), context) }
    })
}

/// The transport's attachments.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_attachments(transport: *mut pn_transport_t) -> *mut pn_record_t {
    guard(|| try_ref!(transport).record)
}

/// Log a message (trace level) through the transport's logger.
///
/// # Safety
/// `transport` must be NULL or a live transport; `message` a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_log(transport: *mut pn_transport_t, message: *const c_char) {
    guard(|| {
        let t = try_ref!(transport);
        if !message.is_null() {
            // SAFETY: per the contract.
            let m = unsafe { CStr::from_ptr(message) }.to_string_lossy();
            t.t.st.log_app(&m);
        }
    })
}

/// The body of the C shim `pn_transport_logf` (not exported).
///
/// # Safety
/// As `pn_transport_log`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_transport_log(transport: *mut pn_transport_t, message: *const c_char) {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_log(transport, message) })
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_channel_max(transport: *mut pn_transport_t) -> u16 {
    guard(|| try_ref!(transport).t.st.channel_max)
}

/// Set the largest channel number (before the open is sent).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_channel_max(transport: *mut pn_transport_t, channel_max: u16) -> c_int {
    guard(|| if try_mut!(transport).t.set_channel_max(channel_max) { 0 } else { super::error::PN_STATE_ERR })
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_remote_channel_max(transport: *mut pn_transport_t) -> u16 {
    guard(|| try_ref!(transport).t.st.remote_channel_max)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_max_frame(transport: *mut pn_transport_t) -> u32 {
    guard(|| try_ref!(transport).t.st.local_max_frame)
}

/// Set the largest frame accepted (0: no limit; at least 512).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_max_frame(transport: *mut pn_transport_t, size: u32) {
    guard(|| try_mut!(transport).t.set_max_frame(size))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_remote_max_frame(transport: *mut pn_transport_t) -> u32 {
    guard(|| try_ref!(transport).t.st.remote_max_frame)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_idle_timeout(transport: *mut pn_transport_t) -> pn_millis_t {
    guard(|| try_ref!(transport).t.st.local_idle_timeout)
}

/// Close the connection if the peer sends nothing for this long (ms).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_set_idle_timeout(transport: *mut pn_transport_t, timeout: pn_millis_t) {
    guard(|| try_mut!(transport).t.st.local_idle_timeout = timeout)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_remote_idle_timeout(transport: *mut pn_transport_t) -> pn_millis_t {
    guard(|| try_ref!(transport).t.st.remote_idle_timeout)
}

/// Process input bytes (all of them, as capacity allows); the count
/// taken. Zero bytes close the input side.
///
/// # Safety
/// `transport` must be NULL or a live transport; `bytes` `available`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_input(transport: *mut pn_transport_t, bytes: *const c_char, available: usize) -> isize {
    guard(|| {
        if transport.is_null() {
            return super::error::PN_ARG_ERR as isize;
        }
        if available == 0 {
            // SAFETY: per the contract.
            return unsafe { pn_transport_close_tail(transport) } as isize;
        }
        // SAFETY: per the contract.
        let input = unsafe { std::slice::from_raw_parts(bytes.cast::<u8>(), available) };
        let mut off = 0usize;
        let mut cap = with_t(transport, |t, _| t.capacity()).unwrap_or(-1);
        if cap < 0 {
            return cap;
        }
        while off < input.len() && cap > 0 {
            let n = (cap as usize).min(input.len() - off);
            let rc = with_t(transport, |t, c| {
                t.tail()[..n].copy_from_slice(&input[off..off + n]);
                t.process(c, n)
            })
            .unwrap_or(-1);
            off += n;
            if rc < 0 {
                return rc;
            }
            cap = with_t(transport, |t, _| t.capacity()).unwrap_or(-1);
            if cap < 0 {
                return cap;
            }
        }
        off as isize
    })
}

/// Copy output bytes into `bytes` and consume them; the count copied.
///
/// # Safety
/// `transport` must be NULL or a live transport; `bytes` `size` writable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_output(transport: *mut pn_transport_t, bytes: *mut c_char, size: usize) -> isize {
    guard(|| {
        if transport.is_null() {
            return super::error::PN_ARG_ERR as isize;
        }
        with_t(transport, |t, mut c| {
            let avail = t.pending(c.as_deref_mut());
            if avail > 0 {
                let n = (avail as usize).min(size);
                // SAFETY: per the contract, `bytes` has room for `size`.
                unsafe { ptr::copy_nonoverlapping(t.head().as_ptr(), bytes.cast::<u8>(), n) };
                t.pop(c, n);
                n as isize
            } else {
                avail
            }
        })
        .unwrap_or(-1)
    })
}

/// Room for input, or `PN_EOS` when the input side is closed.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_capacity(transport: *mut pn_transport_t) -> isize {
    guard(|| try_mut!(transport).t.capacity())
}

/// Where to write input (room given by `pn_transport_capacity`), or NULL.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_tail(transport: *mut pn_transport_t) -> *mut c_char {
    guard(|| {
        let t = try_mut!(transport);
        if t.t.capacity() > 0 { t.t.tail().as_mut_ptr().cast() } else { ptr::null_mut() }
    })
}

/// Copy and process input; the count taken or an error.
///
/// # Safety
/// `transport` must be NULL or a live transport; `src` `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_push(transport: *mut pn_transport_t, src: *const c_char, size: usize) -> isize {
    guard(|| {
        let input: &[u8] = if src.is_null() || size == 0 {
            &[]
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts(src.cast(), size) }
        };
        with_t(transport, |t, c| t.push(c, input)).unwrap_or(super::error::PN_ARG_ERR as isize)
    })
}

/// `size` bytes were written at the tail: process them.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_process(transport: *mut pn_transport_t, size: usize) -> c_int {
    guard(|| with_t(transport, |t, c| t.process(c, size) as c_int).unwrap_or(super::error::PN_ARG_ERR))
}

/// No more input will come.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_close_tail(transport: *mut pn_transport_t) -> c_int {
    guard(|| {
        with_t(transport, |t, c| t.close_tail(c));
        0
    })
}

/// Output bytes ready, or `PN_EOS` when the output side is closed.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_pending(transport: *mut pn_transport_t) -> isize {
    guard(|| with_t(transport, |t, c| t.pending(c)).unwrap_or(super::error::PN_ARG_ERR as isize))
}

/// The output bytes (as many as `pn_transport_pending` says).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_head(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| try_ref!(transport).t.head().as_ptr().cast())
}

/// Copy (without consuming) up to `size` output bytes.
///
/// # Safety
/// `transport` must be NULL or a live transport; `dst` `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_peek(transport: *mut pn_transport_t, dst: *mut c_char, size: usize) -> isize {
    guard(|| {
        with_t(transport, |t, c| {
            let p = t.pending(c);
            if p < 0 {
                return p;
            }
            let n = (p as usize).min(size);
            if n > 0 {
                // SAFETY: per the contract.
                unsafe { ptr::copy_nonoverlapping(t.head().as_ptr(), dst.cast::<u8>(), n) };
            }
            n as isize
        })
        .unwrap_or(super::error::PN_ARG_ERR as isize)
    })
}

/// `size` output bytes were written.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_pop(transport: *mut pn_transport_t, size: usize) {
    guard(|| {
        with_t(transport, |t, c| t.pop(c, size));
    })
}

/// No more output will be taken.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_close_head(transport: *mut pn_transport_t) -> c_int {
    guard(|| {
        with_t(transport, |t, c| t.close_head(c));
        0
    })
}

/// Whether there is nothing left to write.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_quiesced(transport: *mut pn_transport_t) -> bool {
    guard(|| with_t(transport, |t, c| t.quiesced(c)).unwrap_or(true))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_head_closed(transport: *mut pn_transport_t) -> bool {
    guard(|| with_t(transport, |t, c| t.pending(c) < 0).unwrap_or(true))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_tail_closed(transport: *mut pn_transport_t) -> bool {
    guard(|| try_mut!(transport).t.capacity() < 0)
}

/// Whether both directions are closed.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_closed(transport: *mut pn_transport_t) -> bool {
    guard(|| with_t(transport, |t, c| t.closed(c)).unwrap_or(true))
}

/// Process timers at `now` (ms); the next deadline (0: none).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_tick(transport: *mut pn_transport_t, now: i64) -> i64 {
    guard(|| with_t(transport, |t, c| t.tick(c, now)).unwrap_or(0))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_frames_output(transport: *const pn_transport_t) -> u64 {
    guard(|| try_ref!(transport.cast_mut()).t.st.frames_output)
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_get_frames_input(transport: *const pn_transport_t) -> u64 {
    guard(|| try_ref!(transport.cast_mut()).t.st.frames_input)
}

/// The bound connection, or NULL.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_connection(transport: *mut pn_transport_t) -> *mut pn_connection_t {
    guard(|| {
        let c = try_ref!(transport).conn;
        if c.is_null() { ptr::null_mut() } else { conn_handle(c) }
    })
}
