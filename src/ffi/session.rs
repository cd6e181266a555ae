//! `proton/session.h`: the AMQP session endpoint (`pn_session_t` itself is
//! declared by `types.h`).

use std::ffi::c_void;
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::condition::pn_condition_t;
use super::endpoint::{ConnObj, SessionObj, with_engine};
use super::error::{pn_error, pn_error_t};
use super::handle::Handle;
use super::object::record::{pn_record_get, pn_record_set, pn_record_t};
use super::object::{pn_decref, pn_incref};
use super::types::{pn_connection_t, pn_session_t, pn_state_t};
use crate::engine::{Connection, EpRef, SessionId};

/// The session's connection object and id.
fn parts(s: &SessionObj) -> (*mut ConnObj, SessionId) {
    (s.conn, s.id)
}

/// Run `f` on the session's engine entity (if it still exists).
fn with_ssn<R>(s: *mut pn_session_t, f: impl FnOnce(&mut Connection, SessionId) -> R) -> Option<R> {
    // SAFETY: the C API passes a live session or NULL.
    let obj = unsafe { pn_session_t::as_ref(s) }?;
    let (c, id) = parts(obj);
    // SAFETY: a session's connection outlives it.
    unsafe {
        if !(*c).engine.sessions.contains(id) {
            return None;
        }
        Some(with_engine(c, |e| f(e, id)))
    }
}

/// Read the session's engine entity.
fn read<R: Default>(s: *mut pn_session_t, f: impl FnOnce(&crate::engine::Session) -> R) -> R {
    // SAFETY: the C API passes a live session or NULL.
    let Some(obj) = (unsafe { pn_session_t::as_ref(s) }) else { return R::default() };
    // SAFETY: a session's connection outlives it.
    unsafe { (*obj.conn).engine.sessions.get(obj.id).map_or_else(R::default, f) }
}

/// The object of a session id.
pub(crate) fn session_handle(c: &Connection, id: SessionId) -> *mut pn_session_t {
    c.sessions.get(id).map_or(ptr::null_mut(), |s| s.obj as *mut pn_session_t)
}

/// A new session on the connection (owned by the connection).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session(connection: *mut pn_connection_t) -> *mut pn_session_t {
    guard(|| {
        let c: *mut ConnObj = connection.cast();
        if c.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe {
            let id = with_engine(c, |e| e.new_session(0));
            session_handle(&(*c).engine, id)
        }
    })
}

/// Free the session and its links; the object lives on while referenced.
///
/// # Safety
/// `session` must be NULL or a live session, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_free(session: *mut pn_session_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(obj) = (unsafe { pn_session_t::as_ref(session) }) else { return };
        let (c, id) = parts(obj);
        // SAFETY: the connection outlives the session; each step re-borrows.
        unsafe {
            loop {
                let first = (*c).engine.sessions.get(id).and_then(|s| s.links.first().copied());
                let Some(l) = first else { break };
                let lobj = (&(*c).engine.links)[l].obj;
                super::link::pn_link_free(lobj as *mut _);
            }
            if !(*c).engine.sessions.contains(id) {
                return;
            }
            with_engine(c, |e| e.session_free(id));
            pn_incref(session.cast());
            pn_decref(session.cast());
        }
    })
}

/// The application context (legacy attachment).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_get_context(session: *mut pn_session_t) -> *mut c_void {
    guard(|| {
        let r = try_ref!(session).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_get(r, ptr::null()) }
    })
}

/// Set the application context (legacy attachment; not counted).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_set_context(session: *mut pn_session_t, context: *mut c_void) {
    guard(|| {
        let r = try_ref!(session).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_set(r, ptr::null(), context) }
    })
}

/// The session's attachments.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_attachments(session: *mut pn_session_t) -> *mut pn_record_t {
    guard(|| try_ref!(session).record)
}

/// Local and remote state bits.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_state(session: *mut pn_session_t) -> pn_state_t {
    guard(|| read(session, |s| s.ep.state))
}

/// The session's error (legacy; made on first use).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_error(session: *mut pn_session_t) -> *mut pn_error_t {
    guard(|| {
        let s = try_mut!(session);
        if s.error.is_null() {
            s.error = pn_error();
        }
        s.error
    })
}

/// The local condition (sent with the end).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_condition(session: *mut pn_session_t) -> *mut pn_condition_t {
    guard(|| with_ssn(session, |e, id| e.sessions[id].ep.condition.ptr()).unwrap_or(ptr::null_mut()))
}

/// The peer's condition (from its end).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_remote_condition(session: *mut pn_session_t) -> *mut pn_condition_t {
    guard(|| with_ssn(session, |e, id| e.sessions[id].ep.remote_condition.ptr()).unwrap_or(ptr::null_mut()))
}

/// The session's connection.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_connection(session: *mut pn_session_t) -> *mut pn_connection_t {
    guard(|| pn_connection_t::from_target(try_ref!(session).conn))
}

/// Open the local end.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_open(session: *mut pn_session_t) {
    guard(|| {
        with_ssn(session, |e, id| e.session_open(id));
    })
}

/// Close the local end.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_close(session: *mut pn_session_t) {
    guard(|| {
        with_ssn(session, |e, id| e.session_close(id));
    })
}

/// The bytes of incoming messages the session may buffer (0: no limit).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_get_incoming_capacity(session: *mut pn_session_t) -> usize {
    guard(|| read(session, |s| s.incoming_capacity))
}

/// Set the incoming capacity (bytes; it sets the advertised window).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_set_incoming_capacity(session: *mut pn_session_t, capacity: usize) {
    guard(|| {
        with_ssn(session, |e, id| e.session_set_incoming_capacity(id, capacity));
    })
}

/// The outgoing window advertised (frames).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_get_outgoing_window(session: *mut pn_session_t) -> usize {
    guard(|| read(session, |s| s.outgoing_window as usize))
}

/// Set the outgoing window advertised (frames).
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_set_outgoing_window(session: *mut pn_session_t, window: usize) {
    guard(|| {
        with_ssn(session, |e, id| e.sessions[id].outgoing_window = window as u32);
    })
}

/// Bytes sent with `pn_link_send` not yet written out.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_outgoing_bytes(session: *mut pn_session_t) -> usize {
    guard(|| read(session, |s| s.outgoing_bytes))
}

/// Bytes received not yet read with `pn_link_recv`.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_incoming_bytes(session: *mut pn_session_t) -> usize {
    guard(|| read(session, |s| s.incoming_bytes))
}

fn next_session(c: &Connection, after: Option<EpRef>, state: pn_state_t) -> *mut pn_session_t {
    match c.next_endpoint(after, |r, ep| matches!(r, EpRef::Session(_)) && Connection::state_matches(ep.state, state)) {
        Some(EpRef::Session(s)) => session_handle(c, s),
        _ => ptr::null_mut(),
    }
}

/// The first session whose state matches `state` (0: any).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_head(connection: *mut pn_connection_t, state: pn_state_t) -> *mut pn_session_t {
    guard(|| next_session(&try_ref!(connection).engine, None, state))
}

/// The next session after `session` whose state matches `state`.
///
/// # Safety
/// `session` must be NULL or a live session.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_session_next(session: *mut pn_session_t, state: pn_state_t) -> *mut pn_session_t {
    guard(|| {
        let s = try_ref!(session);
        // SAFETY: a session's connection outlives it.
        let c = unsafe { &(*s.conn).engine };
        next_session(c, Some(EpRef::Session(s.id)), state)
    })
}
