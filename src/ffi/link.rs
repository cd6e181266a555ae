//! `proton/link.h`: AMQP links, senders and receivers (`pn_link_t` itself is
//! declared by `types.h`).
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// How a sender settles the deliveries it sends.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_snd_settle_mode_t {
    /// Deliveries are sent unsettled.
    PN_SND_UNSETTLED = 0,
    /// Deliveries are sent settled.
    PN_SND_SETTLED = 1,
    /// The sender may send either.
    PN_SND_MIXED = 2,
}

/// `pn_snd_settle_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_snd_settle_mode_t_raw = c_int;

enum_from_raw!(pn_snd_settle_mode_t { PN_SND_UNSETTLED, PN_SND_SETTLED, PN_SND_MIXED });

/// When a receiver settles the deliveries it receives.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_rcv_settle_mode_t {
    /// The receiver settles first.
    PN_RCV_FIRST = 0,
    /// The receiver settles only after the sender has.
    PN_RCV_SECOND = 1,
}

/// `pn_rcv_settle_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_rcv_settle_mode_t_raw = c_int;

enum_from_raw!(pn_rcv_settle_mode_t { PN_RCV_FIRST, PN_RCV_SECOND });

const _: () = assert!(std::mem::size_of::<pn_snd_settle_mode_t>() == 4);
const _: () = assert!(std::mem::size_of::<pn_rcv_settle_mode_t>() == 4);

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{c_char, c_void};
use std::ptr;

use super::boundary::{FfiDefault, guard, try_mut, try_ref};
use super::codec::pn_data_t;
use super::condition::pn_condition_t;
use super::endpoint::{ConnObj, LinkObj, with_engine};
use super::error::{pn_error, pn_error_t};
use super::handle::Handle;
use super::object::record::{pn_record_get, pn_record_set, pn_record_t};
use super::object::{pn_decref, pn_incref};
use super::session::session_handle;
use super::terminus::pn_terminus_t;
use super::types::{pn_connection_t, pn_delivery_t, pn_link_t, pn_session_t, pn_state_t};
use crate::engine::{Connection, EpRef, Link, LinkId};

impl FfiDefault for pn_snd_settle_mode_t {
    fn ffi_default() -> Self {
        pn_snd_settle_mode_t::PN_SND_UNSETTLED
    }
}
impl FfiDefault for pn_rcv_settle_mode_t {
    fn ffi_default() -> Self {
        pn_rcv_settle_mode_t::PN_RCV_FIRST
    }
}

fn obj<'a>(l: *mut pn_link_t) -> Option<&'a LinkObj> {
    // SAFETY: the C API passes a live link or NULL.
    unsafe { pn_link_t::as_ref(l) }
}

/// Run `f` on the link's engine entity, then hand the events over.
pub(crate) fn with_link<R>(l: *mut pn_link_t, f: impl FnOnce(&mut Connection, LinkId) -> R) -> Option<R> {
    let o = obj(l)?;
    let (c, id) = (o.conn, o.id);
    // SAFETY: a link's connection outlives it.
    unsafe {
        if !(*c).engine.links.contains(id) {
            return None;
        }
        Some(with_engine(c, |e| f(e, id)))
    }
}

/// Read the link's engine entity.
fn read<R>(l: *mut pn_link_t, f: impl FnOnce(&Link, &Connection) -> R) -> Option<R> {
    let o = obj(l)?;
    // SAFETY: a link's connection outlives it.
    let e = unsafe { &(*o.conn).engine };
    e.links.get(o.id).map(|link| f(link, e))
}

/// Mutate the link's engine entity without events.
fn write<R>(l: *mut pn_link_t, f: impl FnOnce(&mut Link) -> R) -> Option<R> {
    let o = obj(l)?;
    // SAFETY: a link's connection outlives it; no other borrow is live.
    let e = unsafe { &mut (*o.conn).engine };
    e.links.get_mut(o.id).map(f)
}

pub(crate) fn link_handle(c: &Connection, id: LinkId) -> *mut pn_link_t {
    c.links.get(id).map_or(ptr::null_mut(), |l| l.obj as *mut pn_link_t)
}

pub(crate) fn delivery_handle(c: &Connection, id: Option<crate::engine::DeliveryId>) -> *mut pn_delivery_t {
    id.and_then(|d| c.deliveries.get(d)).map_or(ptr::null_mut(), |d| d.obj as *mut pn_delivery_t)
}

unsafe fn new_link(session: *mut pn_session_t, name: *const c_char, sender: bool) -> *mut pn_link_t {
    // SAFETY: per the caller.
    unsafe {
        let Some(s) = pn_session_t::as_ref(session) else { return ptr::null_mut() };
        let (c, sid) = (s.conn, s.id);
        let name = super::connection::c_str(name).unwrap_or_default();
        if !(*c).engine.sessions.contains(sid) {
            return ptr::null_mut();
        }
        let id = with_engine(c, |e| e.new_link(sid, name, sender, 0));
        link_handle(&(*c).engine, id)
    }
}

/// A new sender on the session (owned by the session).
///
/// # Safety
/// `session` must be NULL or a live session; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_sender(session: *mut pn_session_t, name: *const c_char) -> *mut pn_link_t {
    // SAFETY: per the contract.
    guard(|| unsafe { new_link(session, name, true) })
}

/// A new receiver on the session (owned by the session).
///
/// # Safety
/// `session` must be NULL or a live session; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_receiver(session: *mut pn_session_t, name: *const c_char) -> *mut pn_link_t {
    // SAFETY: per the contract.
    guard(|| unsafe { new_link(session, name, false) })
}

/// Free the link, settling its unsettled deliveries; the object lives on
/// while referenced.
///
/// # Safety
/// `link` must be NULL or a live link, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_free(link: *mut pn_link_t) {
    guard(|| {
        let Some(o) = obj(link) else { return };
        let (c, id) = (o.conn, o.id);
        let mut settled = Vec::new();
        // SAFETY: the connection outlives the link; each step re-borrows.
        unsafe {
            if !(*c).engine.links.contains(id) {
                return;
            }
            with_engine(c, |e| e.link_free(id, &mut settled));
            for d in settled {
                let dobj = (*c).engine.deliveries.get(d).map_or(0, |x| x.obj) as *mut c_void;
                if !dobj.is_null() && super::object::pn_refcount(dobj) > 0 {
                    pn_incref(dobj);
                    pn_decref(dobj);
                }
            }
            if (*c).engine.links.contains(id) {
                with_engine(c, |e| e.link_free_end(id));
            }
            pn_incref(link.cast());
            pn_decref(link.cast());
        }
    })
}

/// The application context (legacy attachment).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_get_context(link: *mut pn_link_t) -> *mut c_void {
    guard(|| {
        let r = try_ref!(link).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_get(r, ptr::null()) }
    })
}

/// Set the application context (legacy attachment; not counted).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_set_context(link: *mut pn_link_t, context: *mut c_void) {
    guard(|| {
        let r = try_ref!(link).record;
        // SAFETY: the record lives with its object.
        unsafe { pn_record_set(r, ptr::null(), context) }
    })
}

/// The link's attachments.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_attachments(link: *mut pn_link_t) -> *mut pn_record_t {
    guard(|| try_ref!(link).record)
}

/// The link's name; lives as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_name(link: *mut pn_link_t) -> *const c_char {
    guard(|| read(link, |l, _| l.name.as_ptr()).unwrap_or(ptr::null()))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_is_sender(link: *mut pn_link_t) -> bool {
    guard(|| read(link, |l, _| l.is_sender).unwrap_or(false))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_is_receiver(link: *mut pn_link_t) -> bool {
    guard(|| read(link, |l, _| !l.is_sender).unwrap_or(false))
}

/// Local and remote state bits.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_state(link: *mut pn_link_t) -> pn_state_t {
    guard(|| read(link, |l, _| l.ep.state).unwrap_or(0))
}

/// The link's error (legacy; made on first use).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_error(link: *mut pn_link_t) -> *mut pn_error_t {
    guard(|| {
        let l = try_mut!(link);
        if l.error.is_null() {
            l.error = pn_error();
        }
        l.error
    })
}

/// The local condition (sent with the detach).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_condition(link: *mut pn_link_t) -> *mut pn_condition_t {
    guard(|| write(link, |l| l.ep.condition.ptr()).unwrap_or(ptr::null_mut()))
}

/// The peer's condition (from its detach).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_condition(link: *mut pn_link_t) -> *mut pn_condition_t {
    guard(|| write(link, |l| l.ep.remote_condition.ptr()).unwrap_or(ptr::null_mut()))
}

/// The link's session.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_session(link: *mut pn_link_t) -> *mut pn_session_t {
    guard(|| read(link, |l, c| session_handle(c, l.session)).unwrap_or(ptr::null_mut()))
}

fn next_link(c: &Connection, after: Option<EpRef>, state: pn_state_t) -> *mut pn_link_t {
    match c.next_endpoint(after, |r, ep| matches!(r, EpRef::Link(_)) && Connection::state_matches(ep.state, state)) {
        Some(EpRef::Link(l)) => link_handle(c, l),
        _ => ptr::null_mut(),
    }
}

/// The first link (of any session) whose state matches `state` (0: any).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_head(connection: *mut pn_connection_t, state: pn_state_t) -> *mut pn_link_t {
    guard(|| next_link(&try_ref!(connection).engine, None, state))
}

/// The next link after `link` whose state matches `state`.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_next(link: *mut pn_link_t, state: pn_state_t) -> *mut pn_link_t {
    guard(|| {
        let o = try_ref!(link);
        let c: *const ConnObj = o.conn;
        // SAFETY: a link's connection outlives it.
        next_link(unsafe { &(*c).engine }, Some(EpRef::Link(o.id)), state)
    })
}

/// Open the local end.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_open(link: *mut pn_link_t) {
    guard(|| {
        with_link(link, |e, id| e.link_open(id));
    })
}

/// Close the local end (detach with closed=true).
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_close(link: *mut pn_link_t) {
    guard(|| {
        with_link(link, |e, id| e.link_close(id));
    })
}

/// Detach the local end without closing the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_detach(link: *mut pn_link_t) {
    guard(|| {
        with_link(link, |e, id| e.link_detach(id));
    })
}

fn terminus(link: *mut pn_link_t, f: impl FnOnce(&mut Link) -> &mut crate::engine::Terminus) -> *mut pn_terminus_t {
    write(link, |l| {
        let t: *mut crate::engine::Terminus = f(l);
        t.cast::<pn_terminus_t>()
    })
    .unwrap_or(ptr::null_mut())
}

/// The local source; lives as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_source(link: *mut pn_link_t) -> *mut pn_terminus_t {
    guard(|| terminus(link, |l| &mut l.source))
}

/// The local target; lives as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_target(link: *mut pn_link_t) -> *mut pn_terminus_t {
    guard(|| terminus(link, |l| &mut l.target))
}

/// The peer's source; lives as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_source(link: *mut pn_link_t) -> *mut pn_terminus_t {
    guard(|| terminus(link, |l| &mut l.remote_source))
}

/// The peer's target; lives as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_target(link: *mut pn_link_t) -> *mut pn_terminus_t {
    guard(|| terminus(link, |l| &mut l.remote_target))
}

/// The delivery being sent or received, or NULL.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_current(link: *mut pn_link_t) -> *mut pn_delivery_t {
    guard(|| read(link, |l, c| delivery_handle(c, l.current)).unwrap_or(ptr::null_mut()))
}

/// Move to the next delivery; true if the current one changed.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_advance(link: *mut pn_link_t) -> bool {
    guard(|| with_link(link, |e, id| e.link_advance(id)).unwrap_or(false))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_credit(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| read(link, |l, _| l.credit).unwrap_or(0))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_queued(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| read(link, |l, _| l.queued).unwrap_or(0))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_credit(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| read(link, |l, _| l.credit - l.queued).unwrap_or(0))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_get_drain(link: *mut pn_link_t) -> bool {
    guard(|| read(link, |l, _| l.drain).unwrap_or(false))
}

/// Sender: give back unused credit when draining (returns it); receiver:
/// the credit the sender drained since the last call.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_drained(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| with_link(link, |e, id| e.link_drained(id)).unwrap_or(0))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_available(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| read(link, |l, _| l.available).unwrap_or(0))
}

fn snd_mode(m: u8) -> pn_snd_settle_mode_t {
    pn_snd_settle_mode_t::from_raw(m as std::ffi::c_int).unwrap_or(pn_snd_settle_mode_t::PN_SND_MIXED)
}

fn rcv_mode(m: u8) -> pn_rcv_settle_mode_t {
    pn_rcv_settle_mode_t::from_raw(m as std::ffi::c_int).unwrap_or(pn_rcv_settle_mode_t::PN_RCV_FIRST)
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_snd_settle_mode(link: *mut pn_link_t) -> pn_snd_settle_mode_t {
    guard(|| read(link, |l, _| snd_mode(l.snd_settle_mode)).unwrap_or(pn_snd_settle_mode_t::PN_SND_UNSETTLED))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_rcv_settle_mode(link: *mut pn_link_t) -> pn_rcv_settle_mode_t {
    guard(|| read(link, |l, _| rcv_mode(l.rcv_settle_mode)).unwrap_or(pn_rcv_settle_mode_t::PN_RCV_FIRST))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_set_snd_settle_mode(link: *mut pn_link_t, mode: pn_snd_settle_mode_t_raw) {
    guard(|| {
        write(link, |l| l.snd_settle_mode = mode as u8);
    })
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_set_rcv_settle_mode(link: *mut pn_link_t, mode: pn_rcv_settle_mode_t_raw) {
    guard(|| {
        write(link, |l| l.rcv_settle_mode = mode as u8);
    })
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_snd_settle_mode(link: *mut pn_link_t) -> pn_snd_settle_mode_t {
    guard(|| read(link, |l, _| snd_mode(l.remote_snd_settle_mode)).unwrap_or(pn_snd_settle_mode_t::PN_SND_UNSETTLED))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_rcv_settle_mode(link: *mut pn_link_t) -> pn_rcv_settle_mode_t {
    guard(|| read(link, |l, _| rcv_mode(l.remote_rcv_settle_mode)).unwrap_or(pn_rcv_settle_mode_t::PN_RCV_FIRST))
}

/// Deliveries not settled locally.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_unsettled(link: *mut pn_link_t) -> std::ffi::c_int {
    guard(|| read(link, |l, _| l.unsettled_count).unwrap_or(0))
}

/// The first delivery not settled locally, or NULL.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_unsettled_head(link: *mut pn_link_t) -> *mut pn_delivery_t {
    guard(|| read(link, |l, c| delivery_handle(c, c.unsettled_from(l.unsettled.head))).unwrap_or(ptr::null_mut()))
}

/// The next delivery not settled locally, or NULL.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_unsettled_next(delivery: *mut pn_delivery_t) -> *mut pn_delivery_t {
    guard(|| {
        // SAFETY: the C API passes a live delivery or NULL.
        let Some(d) = (unsafe { pn_delivery_t::as_ref(delivery) }) else { return ptr::null_mut() };
        // SAFETY: a delivery's connection outlives it.
        let c = unsafe { &(*d.conn).engine };
        let Some(dl) = c.deliveries.get(d.id) else { return ptr::null_mut() };
        delivery_handle(c, c.unsettled_from(dl.unsettled_link.next))
    })
}

/// Tell the receiver how many messages the sender could send.
///
/// # Safety
/// `sender` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_offered(sender: *mut pn_link_t, credit: std::ffi::c_int) {
    guard(|| {
        write(sender, |l| l.available = credit);
    })
}

/// Append bytes to the current delivery; the bytes taken, or `PN_EOS`
/// without a current delivery.
///
/// # Safety
/// `sender` must be NULL or a live link; `bytes` NULL or `n` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_send(sender: *mut pn_link_t, bytes: *const c_char, n: usize) -> isize {
    guard(|| {
        let data: &[u8] = if bytes.is_null() || n == 0 {
            &[]
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts(bytes.cast(), n) }
        };
        with_link(sender, |e, id| e.link_send(id, data)).unwrap_or(super::error::PN_ARG_ERR as isize)
    })
}

/// Give the sender `credit` more messages.
///
/// # Safety
/// `receiver` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_flow(receiver: *mut pn_link_t, credit: std::ffi::c_int) {
    guard(|| {
        with_link(receiver, |e, id| e.link_flow(id, credit));
    })
}

/// Give credit and ask the sender to use it or give it back.
///
/// # Safety
/// `receiver` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_drain(receiver: *mut pn_link_t, credit: std::ffi::c_int) {
    guard(|| {
        with_link(receiver, |e, id| e.link_drain(id, credit));
    })
}

/// Set the drain flag.
///
/// # Safety
/// `receiver` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_set_drain(receiver: *mut pn_link_t, drain: bool) {
    guard(|| {
        with_link(receiver, |e, id| e.link_set_drain(id, drain));
    })
}

/// Read bytes of the current delivery: the count read, `PN_EOS` at its
/// end, `PN_ABORTED`, or `PN_STATE_ERR` without a current delivery.
///
/// # Safety
/// `receiver` must be NULL or a live link; `bytes` `n` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_recv(receiver: *mut pn_link_t, bytes: *mut c_char, n: usize) -> isize {
    guard(|| {
        if receiver.is_null() {
            return super::error::PN_ARG_ERR as isize;
        }
        let out: &mut [u8] = if bytes.is_null() || n == 0 {
            &mut []
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts_mut(bytes.cast(), n) }
        };
        with_link(receiver, |e, id| e.link_recv(id, out)).unwrap_or(super::error::PN_ARG_ERR as isize)
    })
}

/// Whether a drain is in progress (credit not used or returned yet).
///
/// # Safety
/// `receiver` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_draining(receiver: *mut pn_link_t) -> bool {
    guard(|| read(receiver, |l, _| l.drain && l.credit > l.queued).unwrap_or(false))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_max_message_size(link: *mut pn_link_t) -> u64 {
    guard(|| read(link, |l, _| l.max_message_size).unwrap_or(0))
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_set_max_message_size(link: *mut pn_link_t, size: u64) {
    guard(|| {
        write(link, |l| l.max_message_size = size);
    })
}

/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_max_message_size(link: *mut pn_link_t) -> u64 {
    guard(|| read(link, |l, _| l.remote_max_message_size).unwrap_or(0))
}

/// The link properties sent in the attach; live as long as the link.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_properties(link: *mut pn_link_t) -> *mut pn_data_t {
    guard(|| write(link, |l| l.properties.ptr()).unwrap_or(ptr::null_mut()))
}

/// The peer's link properties, or NULL if it sent none.
///
/// # Safety
/// `link` must be NULL or a live link.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_link_remote_properties(link: *mut pn_link_t) -> *mut pn_data_t {
    guard(|| {
        write(link, |l| if l.remote_properties.exists() { l.remote_properties.ptr() } else { ptr::null_mut() })
            .unwrap_or(ptr::null_mut())
    })
}
