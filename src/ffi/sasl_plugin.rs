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

// ---------------------------------------------------------------------------
// Implementation
//
// An application's implementation is called through `CImpl`, which makes
// the transport's state reachable to the `pnx_sasl_*` calls it makes while
// it runs (`CURRENT`): those calls use that state instead of going through
// the transport object again, which the engine has borrowed meanwhile.

use std::cell::Cell;
use std::ffi::{CStr, CString, c_void};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use super::boundary::guard;
use super::error::to_cstring_nul;
use super::logger::pn_log_level_t;
use super::sasl::pn_sasl_outcome_t;
use crate::engine::Connection;
use crate::transport::TransportState;
use crate::transport::sasl::{self, SaslImpl, State};

#[derive(Clone, Copy)]
struct Current {
    transport: *mut pn_transport_t,
    st: *mut TransportState,
    conn: *mut Connection,
}

thread_local! {
    static CURRENT: Cell<Option<Current>> = const { Cell::new(None) };
}

/// Run `f` on the transport's state and bound connection: the ones an
/// implementation running now was called with, else the transport's own
/// (events it posts are handed to the connection). `None` for NULL.
pub(crate) fn with_state<R>(
    transport: *mut pn_transport_t,
    f: impl FnOnce(&mut TransportState, Option<&mut Connection>) -> R,
) -> Option<R> {
    if transport.is_null() {
        return None;
    }
    if let Some(c) = CURRENT.with(Cell::get).filter(|c| c.transport == transport) {
        // SAFETY: the engine lent these (as raw pointers made from its
        // exclusive references) for the duration of the call into the
        // implementation, and does not use them until it returns.
        return Some(unsafe { f(&mut *c.st, c.conn.as_mut()) });
    }
    super::transport::with_transport_state(transport, f)
}

/// Call into the application's implementation with the state reachable.
fn call<R>(st: &mut TransportState, conn: Option<&mut Connection>, f: impl FnOnce(*mut pn_transport_t) -> R) -> R {
    let transport: *mut pn_transport_t = st.handle.cast();
    let cur = Current { transport, st, conn: conn.map_or(ptr::null_mut(), |c| c as *mut Connection) };
    let prev = CURRENT.with(|c| c.replace(Some(cur)));
    let r = f(transport);
    CURRENT.with(|c| c.set(prev));
    r
}

fn bytes_of(b: Option<&[u8]>) -> pn_bytes_t {
    match b {
        Some(b) => pn_bytes_t { size: b.len(), start: b.as_ptr().cast() },
        None => pn_bytes_t { size: 0, start: ptr::null() },
    }
}

/// An implementation supplied by the application.
struct CImpl {
    vt: *const pnx_sasl_implementation,
}

impl CImpl {
    fn vt(&self) -> pnx_sasl_implementation {
        // SAFETY: the application keeps its implementation alive while
        // transports use it (as proton-c requires).
        unsafe { *self.vt }
    }
}

impl SaslImpl for CImpl {
    fn list_mechanisms(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> Option<CString> {
        let f = self.vt().list_mechanisms?;
        // SAFETY: the application's function, called on its transport.
        let p = call(st, conn, |t| unsafe { f(t) });
        // SAFETY: a C string the implementation keeps valid (or NULL).
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_owned())
    }

    fn init_server(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool {
        // SAFETY: as above.
        self.vt().init_server.is_some_and(|f| call(st, conn, |t| unsafe { f(t) }))
    }

    fn init_client(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool {
        // SAFETY: as above.
        self.vt().init_client.is_some_and(|f| call(st, conn, |t| unsafe { f(t) }))
    }

    fn prepare_write(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) {
        if let Some(f) = self.vt().prepare_write {
            // SAFETY: as above.
            call(st, conn, |t| unsafe { f(t) })
        }
    }

    fn process_init(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechanism: &CStr, recv: Option<&[u8]>) {
        if let Some(f) = self.vt().process_init {
            let b = bytes_of(recv);
            // SAFETY: as above; the arguments live across the call.
            call(st, conn, |t| unsafe { f(t, mechanism.as_ptr(), &b) })
        }
    }

    fn process_response(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>) {
        if let Some(f) = self.vt().process_response {
            let b = bytes_of(recv);
            // SAFETY: as above.
            call(st, conn, |t| unsafe { f(t, &b) })
        }
    }

    fn process_mechanisms(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechs: &CStr) -> bool {
        // SAFETY: as above.
        self.vt().process_mechanisms.is_some_and(|f| call(st, conn, |t| unsafe { f(t, mechs.as_ptr()) }))
    }

    fn process_challenge(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>) {
        if let Some(f) = self.vt().process_challenge {
            let b = bytes_of(recv);
            // SAFETY: as above.
            call(st, conn, |t| unsafe { f(t, &b) })
        }
    }

    fn process_outcome(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>) {
        if let Some(f) = self.vt().process_outcome {
            let b = bytes_of(recv);
            // SAFETY: as above.
            call(st, conn, |t| unsafe { f(t, &b) })
        }
    }

    fn free(&mut self, st: &mut TransportState) {
        if let Some(f) = self.vt().free {
            // SAFETY: as above.
            call(st, None, |t| unsafe { f(t) })
        }
    }
}

/// Let the implementation release its context (the transport is going).
pub(crate) fn free_impl(st: &mut TransportState) {
    let Some(s) = st.sasl.as_mut() else { return };
    if s.impl_context.is_null() {
        return;
    }
    if let Some(mut imp) = s.imp.take() {
        if imp.is_builtin() {
            return;
        }
        imp.free(st);
    }
}

static DEFAULT: AtomicPtr<pnx_sasl_implementation> = AtomicPtr::new(ptr::null_mut());

fn default_impl() -> Box<dyn SaslImpl> {
    Box::new(CImpl { vt: DEFAULT.load(Ordering::Acquire) })
}

/// Run `f` on the SASL state (made if the transport has none).
fn with_sasl<R>(transport: *mut pn_transport_t, f: impl FnOnce(&mut sasl::Sasl) -> R) -> Option<R> {
    with_state(transport, |st, _| {
        let server = st.server;
        f(st.sasl.get_or_insert_with(|| Box::new(sasl::Sasl::new(!server))))
    })
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// The body of the C shim `pnx_sasl_logf` (not exported): log `message`
/// at `level` in the SASL subsystem.
///
/// # Safety
/// `transport` must be NULL or a live transport; `message` a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_sasl_log(transport: *mut pn_transport_t, level: c_int, message: *const c_char) {
    guard(|| {
        if message.is_null() {
            return;
        }
        // SAFETY: per the contract.
        let m = unsafe { CStr::from_ptr(message) }.to_string_lossy();
        with_state(transport, |st, _| {
            if let Some(l) = pn_log_level_t::from_raw(level) {
                sasl::log(st, l, &m);
            }
        });
    })
}

/// Whether the SASL layer's log messages at `level` are wanted (so the C
/// shim formats only those).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_sasl_would_log(transport: *mut pn_transport_t, level: c_int) -> bool {
    guard(|| {
        with_state(transport, |st, _| {
            pn_log_level_t::from_raw(level).is_some_and(|l| {
                st.logger.would_log(super::logger::pn_log_subsystem_t::PN_SUBSYSTEM_SASL, l)
            })
        })
        .unwrap_or(false)
    })
}

/// Fail with an error: logged, and set as the transport's condition.
///
/// # Safety
/// `transport` must be NULL or a live transport; the strings C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_error(transport: *mut pn_transport_t, err: *const c_char, condition_name: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let (e, c) = unsafe { (super::connection::c_str(err), super::connection::c_str(condition_name)) };
        let e = String::from_utf8_lossy(e.unwrap_or_default()).into_owned();
        let c = String::from_utf8_lossy(c.unwrap_or_default()).into_owned();
        with_state(transport, |st, _| sasl::error(st, &e, &c));
    })
}

/// The implementation's context (NULL without SASL).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_context(transport: *mut pn_transport_t) -> *mut c_void {
    guard(|| {
        with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null_mut(), |s| s.impl_context)).unwrap_or(ptr::null_mut())
    })
}

/// Set the implementation's context (ignored without SASL).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_context(transport: *mut pn_transport_t, context: *mut c_void) {
    guard(|| {
        with_state(transport, |st, _| {
            if let Some(s) = st.sasl.as_mut() {
                s.impl_context = context;
            }
        });
    })
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_is_client(transport: *mut pn_transport_t) -> bool {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().is_some_and(|s| s.client)).unwrap_or(false))
}

/// Whether `mech` is allowed by `pn_sasl_allowed_mechs` (everything is
/// without a list).
///
/// # Safety
/// `transport` must be NULL or a live transport with SASL; `s` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_is_mechanism_included(transport: *mut pn_transport_t, s: pn_bytes_t) -> bool {
    guard(|| {
        let m: &[u8] = if s.start.is_null() || s.size == 0 {
            &[]
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts(s.start.cast(), s.size) }
        };
        with_sasl(transport, |x| sasl::server_included(x, m)).unwrap_or(false)
    })
}

/// The old name of `pnx_sasl_is_mechanism_included`.
///
/// # Safety
/// As `pnx_sasl_is_mechanism_included`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_is_included_mech(transport: *mut pn_transport_t, s: pn_bytes_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pnx_sasl_is_mechanism_included(transport, s) })
}

/// Whether TLS below made the connection secure (its strength factor is
/// above 0).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_is_transport_encrypted(transport: *mut pn_transport_t) -> bool {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().is_some_and(|s| s.external_ssf > 0)).unwrap_or(false))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_allow_insecure_mechanisms(transport: *mut pn_transport_t) -> bool {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().is_some_and(|s| s.allow_insecure_mechs)).unwrap_or(false))
}

/// The old name of `pnx_sasl_get_allow_insecure_mechanisms`.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_allow_insecure_mechs(transport: *mut pn_transport_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pnx_sasl_get_allow_insecure_mechanisms(transport) })
}

/// Whether the transport requires authentication.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_authentication_required(transport: *mut pn_transport_t) -> bool {
    guard(|| with_state(transport, |st, _| st.auth_required).unwrap_or(false))
}

/// The old name of `pnx_sasl_get_authentication_required`.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_auth_required(transport: *mut pn_transport_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pnx_sasl_get_authentication_required(transport) })
}

/// The peer identity TLS authenticated, or NULL.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_external_username(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null(), |s| opt_ptr(&s.external_auth))).unwrap_or(ptr::null()))
}

/// TLS's security strength factor (0 without TLS).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_external_ssf(transport: *mut pn_transport_t) -> c_int {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().map_or(0, |s| s.external_ssf)).unwrap_or(0))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_username(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null(), |s| opt_ptr(&s.user))).unwrap_or(ptr::null()))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_password(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| {
        with_state(transport, |st, _| st.sasl.as_ref().and_then(|s| s.password()).map_or(ptr::null(), CStr::as_ptr))
            .unwrap_or(ptr::null())
    })
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_authorization(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null(), |s| opt_ptr(&s.authzid))).unwrap_or(ptr::null()))
}

/// Wipe and forget the password.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_clear_password(transport: *mut pn_transport_t) {
    guard(|| {
        with_state(transport, |st, _| {
            if let Some(s) = st.sasl.as_mut() {
                s.clear_password();
            }
        });
    })
}

/// The host name of the connection (the server's name, on a client).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_remote_fqdn(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null(), |s| opt_ptr(&s.remote_fqdn))).unwrap_or(ptr::null()))
}

/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_get_selected_mechanism(transport: *mut pn_transport_t) -> *const c_char {
    guard(|| {
        with_state(transport, |st, _| st.sasl.as_ref().map_or(ptr::null(), |s| opt_ptr(&s.selected_mechanism)))
            .unwrap_or(ptr::null())
    })
}

/// The bytes the next frame carries (copied; a NULL start: none).
///
/// # Safety
/// `transport` must be NULL or a live transport; `bytes` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_bytes_out(transport: *mut pn_transport_t, bytes: pn_bytes_t) {
    guard(|| {
        let b = if bytes.start.is_null() {
            None
        } else if bytes.size == 0 {
            Some(Vec::new())
        } else {
            // SAFETY: per the contract.
            Some(unsafe { std::slice::from_raw_parts(bytes.start.cast::<u8>(), bytes.size) }.to_vec())
        };
        with_state(transport, |st, _| {
            if let Some(s) = st.sasl.as_mut() {
                s.bytes_out = b;
            }
        });
    })
}

/// Ask for the exchange to move to `desired_state` (the frames are sent
/// when output is next generated).
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_desired_state(transport: *mut pn_transport_t, desired_state: pnx_sasl_state_raw) {
    guard(|| {
        let Some(d) = State::from_raw(desired_state) else { return };
        with_state(transport, |st, conn| sasl::set_desired_state(st, conn, d));
    })
}

/// # Safety
/// `transport` must be NULL or a live transport; `mechanism` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_selected_mechanism(transport: *mut pn_transport_t, mechanism: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let m = unsafe { super::connection::c_str(mechanism) }.map(to_cstring_nul);
        with_state(transport, |st, _| {
            if let Some(s) = st.sasl.as_mut() {
                s.selected_mechanism = m;
            }
        });
    })
}

/// The host name sent in the client's `sasl-init`.
///
/// # Safety
/// `transport` must be NULL or a live transport; `fqdn` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_local_hostname(transport: *mut pn_transport_t, fqdn: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let h = unsafe { super::connection::c_str(fqdn) }.map(to_cstring_nul);
        with_sasl(transport, |s| s.local_fqdn = h);
    })
}

/// Authentication succeeded for `username` (acting as `authzid`).
///
/// # Safety
/// `transport` must be NULL or a live transport; the strings NULL or C
/// strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_succeeded(transport: *mut pn_transport_t, username: *const c_char, authzid: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let (u, z) = unsafe { (super::connection::c_str(username), super::connection::c_str(authzid)) };
        let (u, z) = (u.map(to_cstring_nul), z.map(to_cstring_nul));
        with_state(transport, |st, _| sasl::set_succeeded(st, u, z));
    })
}

/// The old name of `pnx_sasl_set_succeeded`.
///
/// # Safety
/// As `pnx_sasl_set_succeeded`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_succeed_authentication(transport: *mut pn_transport_t, username: *const c_char, authzid: *const c_char) {
    // SAFETY: per the contract.
    guard(|| unsafe { pnx_sasl_set_succeeded(transport, username, authzid) })
}

/// Authentication failed.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_failed(transport: *mut pn_transport_t) {
    guard(|| {
        with_state(transport, |st, _| sasl::set_failed(st));
    })
}

/// The old name of `pnx_sasl_set_failed`.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_fail_authentication(transport: *mut pn_transport_t) {
    // SAFETY: per the contract.
    guard(|| unsafe { pnx_sasl_set_failed(transport) })
}

/// Use `impl` (which must outlive the transport) with `context` for this
/// transport's SASL (made if needed).
///
/// # Safety
/// `transport` must be NULL or a live transport; `impl` NULL (the built-in
/// mechanisms) or a valid implementation.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_implementation(
    transport: *mut pn_transport_t,
    r#impl: *const pnx_sasl_implementation,
    context: *mut c_void,
) {
    guard(|| {
        let imp: Box<dyn SaslImpl> =
            if r#impl.is_null() { Box::new(sasl::Builtin) } else { Box::new(CImpl { vt: r#impl }) };
        with_sasl(transport, |s| {
            s.imp = Some(imp);
            s.impl_context = context;
        });
    })
}

/// Use `impl` for the SASL layers made from now on (NULL: the built-in
/// mechanisms).
///
/// # Safety
/// `impl` NULL or a valid implementation that outlives its use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnx_sasl_set_default_implementation(r#impl: *const pnx_sasl_implementation) {
    guard(|| {
        DEFAULT.store(r#impl.cast_mut(), Ordering::Release);
        sasl::set_default_impl(if r#impl.is_null() { None } else { Some(default_impl) });
    })
}

const _: () = assert!(pn_sasl_outcome_t::PN_SASL_OK as i32 == sasl::OUTCOME_OK);
