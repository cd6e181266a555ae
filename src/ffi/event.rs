//! `proton/event.h`: events, their types, and the collector that queues them.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// An event: something that happened to a connection, session, link,
/// delivery, transport, listener or proactor.
pub struct pn_event_t {
    _private: [u8; 0],
}

/// What an event is about. The values are proton-c's; gaps are not allowed
/// (C code may use them as array indices).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_event_type_t {
    /// No event (a placeholder; never delivered).
    PN_EVENT_NONE = 0,
    /// The legacy reactor is starting.
    PN_REACTOR_INIT,
    /// The legacy reactor has nothing left to do.
    PN_REACTOR_QUIESCED,
    /// The legacy reactor has stopped.
    PN_REACTOR_FINAL,
    /// A legacy reactor timer fired.
    PN_TIMER_TASK,
    /// A connection was created.
    PN_CONNECTION_INIT,
    /// A connection was bound to a transport.
    PN_CONNECTION_BOUND,
    /// A connection was unbound from its transport.
    PN_CONNECTION_UNBOUND,
    /// The local end of a connection was opened.
    PN_CONNECTION_LOCAL_OPEN,
    /// The peer opened the connection.
    PN_CONNECTION_REMOTE_OPEN,
    /// The local end of a connection was closed.
    PN_CONNECTION_LOCAL_CLOSE,
    /// The peer closed the connection.
    PN_CONNECTION_REMOTE_CLOSE,
    /// A connection is about to be freed.
    PN_CONNECTION_FINAL,
    /// A session was created.
    PN_SESSION_INIT,
    /// The local end of a session was opened.
    PN_SESSION_LOCAL_OPEN,
    /// The peer opened the session.
    PN_SESSION_REMOTE_OPEN,
    /// The local end of a session was closed.
    PN_SESSION_LOCAL_CLOSE,
    /// The peer closed the session.
    PN_SESSION_REMOTE_CLOSE,
    /// A session is about to be freed.
    PN_SESSION_FINAL,
    /// A link was created.
    PN_LINK_INIT,
    /// The local end of a link was opened.
    PN_LINK_LOCAL_OPEN,
    /// The peer opened the link.
    PN_LINK_REMOTE_OPEN,
    /// The local end of a link was closed.
    PN_LINK_LOCAL_CLOSE,
    /// The peer closed the link.
    PN_LINK_REMOTE_CLOSE,
    /// The local end of a link was detached.
    PN_LINK_LOCAL_DETACH,
    /// The peer detached the link.
    PN_LINK_REMOTE_DETACH,
    /// A link's flow state (credit, drain) changed.
    PN_LINK_FLOW,
    /// A link is about to be freed.
    PN_LINK_FINAL,
    /// A delivery was created or changed.
    PN_DELIVERY,
    /// A transport has new data to write.
    PN_TRANSPORT,
    /// The transport finished authenticating (SASL).
    PN_TRANSPORT_AUTHENTICATED,
    /// The transport hit an error; see its condition.
    PN_TRANSPORT_ERROR,
    /// The transport will write no more bytes.
    PN_TRANSPORT_HEAD_CLOSED,
    /// The transport will read no more bytes.
    PN_TRANSPORT_TAIL_CLOSED,
    /// Both ends of the transport are closed.
    PN_TRANSPORT_CLOSED,
    /// A legacy selectable was created.
    PN_SELECTABLE_INIT,
    /// A legacy selectable changed.
    PN_SELECTABLE_UPDATED,
    /// A legacy selectable can be read.
    PN_SELECTABLE_READABLE,
    /// A legacy selectable can be written.
    PN_SELECTABLE_WRITABLE,
    /// A legacy selectable has an error.
    PN_SELECTABLE_ERROR,
    /// A legacy selectable's deadline passed.
    PN_SELECTABLE_EXPIRED,
    /// A legacy selectable is about to be freed.
    PN_SELECTABLE_FINAL,
    /// `pn_connection_wake` was called for the connection.
    PN_CONNECTION_WAKE,
    /// A listener has a connection to accept.
    PN_LISTENER_ACCEPT,
    /// A listener closed.
    PN_LISTENER_CLOSE,
    /// `pn_proactor_interrupt` was called.
    PN_PROACTOR_INTERRUPT,
    /// The proactor's timeout expired.
    PN_PROACTOR_TIMEOUT,
    /// The proactor has no connections, listeners or timeout left.
    PN_PROACTOR_INACTIVE,
    /// A listener is listening.
    PN_LISTENER_OPEN,
    /// A raw connection is connected.
    PN_RAW_CONNECTION_CONNECTED,
    /// A raw connection will read no more.
    PN_RAW_CONNECTION_CLOSED_READ,
    /// A raw connection will write no more.
    PN_RAW_CONNECTION_CLOSED_WRITE,
    /// A raw connection is closed and its buffers are returned.
    PN_RAW_CONNECTION_DISCONNECTED,
    /// A raw connection wants buffers to read into.
    PN_RAW_CONNECTION_NEED_READ_BUFFERS,
    /// A raw connection can take buffers to write.
    PN_RAW_CONNECTION_NEED_WRITE_BUFFERS,
    /// A raw connection has filled read buffers to return.
    PN_RAW_CONNECTION_READ,
    /// A raw connection has written buffers to return.
    PN_RAW_CONNECTION_WRITTEN,
    /// `pn_raw_connection_wake` was called.
    PN_RAW_CONNECTION_WAKE,
    /// A raw connection is closing and returns its buffers.
    PN_RAW_CONNECTION_DRAIN_BUFFERS,
}

/// `pn_event_type_t` as C passes it (any int); convert with `from_raw`.
pub type pn_event_type_t_raw = c_int;

enum_from_raw!(pn_event_type_t {
    PN_EVENT_NONE,
    PN_REACTOR_INIT,
    PN_REACTOR_QUIESCED,
    PN_REACTOR_FINAL,
    PN_TIMER_TASK,
    PN_CONNECTION_INIT,
    PN_CONNECTION_BOUND,
    PN_CONNECTION_UNBOUND,
    PN_CONNECTION_LOCAL_OPEN,
    PN_CONNECTION_REMOTE_OPEN,
    PN_CONNECTION_LOCAL_CLOSE,
    PN_CONNECTION_REMOTE_CLOSE,
    PN_CONNECTION_FINAL,
    PN_SESSION_INIT,
    PN_SESSION_LOCAL_OPEN,
    PN_SESSION_REMOTE_OPEN,
    PN_SESSION_LOCAL_CLOSE,
    PN_SESSION_REMOTE_CLOSE,
    PN_SESSION_FINAL,
    PN_LINK_INIT,
    PN_LINK_LOCAL_OPEN,
    PN_LINK_REMOTE_OPEN,
    PN_LINK_LOCAL_CLOSE,
    PN_LINK_REMOTE_CLOSE,
    PN_LINK_LOCAL_DETACH,
    PN_LINK_REMOTE_DETACH,
    PN_LINK_FLOW,
    PN_LINK_FINAL,
    PN_DELIVERY,
    PN_TRANSPORT,
    PN_TRANSPORT_AUTHENTICATED,
    PN_TRANSPORT_ERROR,
    PN_TRANSPORT_HEAD_CLOSED,
    PN_TRANSPORT_TAIL_CLOSED,
    PN_TRANSPORT_CLOSED,
    PN_SELECTABLE_INIT,
    PN_SELECTABLE_UPDATED,
    PN_SELECTABLE_READABLE,
    PN_SELECTABLE_WRITABLE,
    PN_SELECTABLE_ERROR,
    PN_SELECTABLE_EXPIRED,
    PN_SELECTABLE_FINAL,
    PN_CONNECTION_WAKE,
    PN_LISTENER_ACCEPT,
    PN_LISTENER_CLOSE,
    PN_PROACTOR_INTERRUPT,
    PN_PROACTOR_TIMEOUT,
    PN_PROACTOR_INACTIVE,
    PN_LISTENER_OPEN,
    PN_RAW_CONNECTION_CONNECTED,
    PN_RAW_CONNECTION_CLOSED_READ,
    PN_RAW_CONNECTION_CLOSED_WRITE,
    PN_RAW_CONNECTION_DISCONNECTED,
    PN_RAW_CONNECTION_NEED_READ_BUFFERS,
    PN_RAW_CONNECTION_NEED_WRITE_BUFFERS,
    PN_RAW_CONNECTION_READ,
    PN_RAW_CONNECTION_WRITTEN,
    PN_RAW_CONNECTION_WAKE,
    PN_RAW_CONNECTION_DRAIN_BUFFERS,
});

const _: () = {
    use pn_event_type_t::*;
    assert!(std::mem::size_of::<pn_event_type_t>() == 4);
    assert!(PN_TIMER_TASK as c_int == 4);
    assert!(PN_CONNECTION_FINAL as c_int == 12);
    assert!(PN_LINK_FINAL as c_int == 27);
    assert!(PN_TRANSPORT_CLOSED as c_int == 34);
    assert!(PN_SELECTABLE_FINAL as c_int == 41);
    assert!(PN_CONNECTION_WAKE as c_int == 42);
    assert!(PN_LISTENER_OPEN as c_int == 48);
    assert!(PN_RAW_CONNECTION_DRAIN_BUFFERS as c_int == 58);
};

#[cfg(test)]
mod tests {
    use super::pn_event_type_t;

    #[test]
    fn from_raw_covers_0_to_58() {
        for v in 0..=58 {
            assert_eq!(pn_event_type_t::from_raw(v).map(pn_event_type_t::to_raw), Some(v));
        }
        assert_eq!(pn_event_type_t::from_raw(59), None);
        assert_eq!(pn_event_type_t::from_raw(-1), None);
    }
}

// ---------------------------------------------------------------------------
// Implementation

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::{c_char, c_void};
use std::rc::Rc;
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::cid::pn_cid_t;
use super::condition::pn_condition_t;
use super::endpoint::{ConnObj, DeliveryObj, LinkObj, SessionObj, transport_handle};
use super::handle::{Handle, handle};
use super::object::record::pn_record_t;
use super::object::{
    PN_OBJECT, class_decref, class_incref, new_object, pn_class_id, pn_class_reify, pn_class_t, pn_decref, pn_free,
    rust_class,
};
use super::types::{pn_collector_t, pn_connection_t, pn_delivery_t, pn_link_t, pn_session_t, pn_transport_t};

/// Event objects kept for reuse, shared by a collector and its events
/// (an event may outlive its collector if the application holds it).
#[derive(Default)]
struct EventPool {
    free: Vec<*mut EventObj>,
    /// The collector is gone: events are freed, not kept.
    closed: bool,
}

impl Drop for EventPool {
    fn drop(&mut self) {
        for e in self.free.drain(..) {
            // SAFETY: pooled events are finalized objects with one
            // reference, owned by the pool.
            unsafe { free_pooled(e) };
        }
    }
}

/// Free a pooled event's memory (its value was reset, not dropped).
unsafe fn free_pooled(e: *mut EventObj) {
    // SAFETY: per the caller; dropping the value releases its (empty)
    // fields and the pool handle, then the memory goes.
    unsafe {
        ptr::drop_in_place(e);
        super::object::pn_object_free(e.cast());
    }
}

/// The Rust side of `pn_collector_t`: a queue of events.
pub struct CollectorObj {
    events: VecDeque<*mut EventObj>,
    /// The event `pn_collector_next` returned last (it keeps a reference).
    prev: *mut EventObj,
    freed: bool,
    pool: Rc<RefCell<EventPool>>,
    /// Counts the changes to the last event queued (see
    /// [`CollectorObj::stamp`]).
    changes: u64,
}

impl Default for CollectorObj {
    fn default() -> Self {
        CollectorObj { events: VecDeque::new(), prev: ptr::null_mut(), freed: false, pool: Rc::default(), changes: 0 }
    }
}

impl CollectorObj {
    /// A value that changes whenever an event is queued or the last one is
    /// taken: while it stays the same, so does the last event queued.
    pub(crate) fn stamp(&self) -> u64 {
        self.changes
    }
}

impl super::boundary::FfiDefault for pn_event_type_t {
    fn ffi_default() -> Self {
        pn_event_type_t::PN_EVENT_NONE
    }
}

impl Drop for CollectorObj {
    fn drop(&mut self) {
        let pooled = {
            let mut p = self.pool.borrow_mut();
            p.closed = true;
            std::mem::take(&mut p.free)
        };
        for e in pooled {
            // SAFETY: pooled events are finalized objects with one
            // reference, owned by the pool.
            unsafe { free_pooled(e) };
        }
        for e in self.events.drain(..) {
            // SAFETY: the queue held a reference to each event.
            unsafe { pn_decref(e.cast()) };
        }
        if !self.prev.is_null() {
            // SAFETY: as above.
            unsafe { pn_decref(self.prev.cast()) };
        }
    }
}

/// The Rust side of `pn_event_t`.
pub struct EventObj {
    clazz: *const pn_class_t,
    context: *mut c_void,
    /// The type as an int: bindings queue their own types (the Python
    /// binding's start at 10000), which proton-c accepts.
    ty: c_int,
    record: *mut pn_record_t,
    pool: Option<Rc<RefCell<EventPool>>>,
}

impl EventObj {
    /// Release the context and attachments.
    fn release(&mut self) {
        // SAFETY: the event held a reference to its context through its
        // class, and owns its record.
        unsafe {
            let ctx = std::mem::replace(&mut self.context, ptr::null_mut());
            if !ctx.is_null() {
                class_decref(self.clazz, ctx);
            }
            let r = std::mem::replace(&mut self.record, ptr::null_mut());
            if !r.is_null() {
                pn_free(r.cast());
            }
        }
    }
}

impl Drop for EventObj {
    fn drop(&mut self) {
        self.release();
    }
}

rust_class!(CollectorObj, PN_COLLECTOR_CLASS, "pn_collector", CID_pn_collector);

/// Events go back to their collector's pool when released (while it
/// lives), as proton's do.
unsafe extern "C" fn event_finalize(object: *mut c_void) {
    let e = object.cast::<EventObj>();
    // SAFETY: called through the event class when its count is 0.
    unsafe {
        (*e).release();
        // Pooled events do not hold the pool (the collector owns it).
        if let Some(pool) = (*e).pool.take() {
            let mut p = pool.borrow_mut();
            if !p.closed {
                p.free.push(e);
                super::object::pn_object_incref(object);
                return;
            }
        }
        ptr::drop_in_place(e);
    }
}

pub static PN_EVENT_CLASS: pn_class_t = pn_class_t {
    name: c"pn_event".as_ptr(),
    cid: pn_cid_t::CID_pn_event as std::ffi::c_int,
    finalize: Some(event_finalize),
    ..super::object::RUST_CLASS_BASE
};

// SAFETY: the finalizer drops the value exactly once (or keeps the object,
// with a reference, in its pool); `free` is pn_object_free.
unsafe impl super::object::RustObject for EventObj {
    fn class() -> &'static pn_class_t {
        &PN_EVENT_CLASS
    }
}
handle!(pn_collector_t => CollectorObj);
handle!(pn_event_t => EventObj);

/// Queue an event unless it repeats the last one queued (proton's rule);
/// takes a reference to the context.
///
/// # Safety
/// `coll` must be a live collector, `context` a live object of `clazz`.
pub(crate) unsafe fn collector_put(
    coll: *mut CollectorObj,
    clazz: *const pn_class_t,
    context: *mut c_void,
    ty: pn_event_type_t,
) -> *mut EventObj {
    // SAFETY: per the contract.
    unsafe { collector_put_raw(coll, clazz, context, ty as c_int) }
}

/// `collector_put` with any int as the type (see `EventObj::ty`).
///
/// # Safety
/// As for `collector_put`.
pub(crate) unsafe fn collector_put_raw(
    coll: *mut CollectorObj,
    clazz: *const pn_class_t,
    context: *mut c_void,
    ty: c_int,
) -> *mut EventObj {
    // SAFETY: per the contract; no borrow of the collector is held while
    // class functions run.
    unsafe {
        if (*coll).freed {
            return ptr::null_mut();
        }
        if let Some(&tail) = (*coll).events.back() {
            if (*tail).ty == ty && (*tail).context == context {
                return ptr::null_mut();
            }
        }
        let clazz = pn_class_reify(clazz, context);
        let pooled = (*coll).pool.borrow_mut().free.pop();
        let e = match pooled {
            Some(e) => {
                (*e).clazz = clazz;
                (*e).context = context;
                (*e).ty = ty;
                (*e).pool = Some((*coll).pool.clone());
                e
            }
            None => new_object(EventObj { clazz, context, ty, record: ptr::null_mut(), pool: Some((*coll).pool.clone()) }),
        };
        class_incref(clazz, context);
        (*coll).events.push_back(e);
        (*coll).changes += 1;
        e
    }
}

/// The name of an event type (`"PN_CONNECTION_INIT"`...); static storage.
#[unsafe(no_mangle)]
pub extern "C" fn pn_event_type_name(type_: pn_event_type_t_raw) -> *const c_char {
    guard(|| {
        use pn_event_type_t::*;
        let name: &'static std::ffi::CStr = match pn_event_type_t::from_raw(type_) {
            None => c"PN_UNKNOWN",
            Some(t) => match t {
                PN_EVENT_NONE => c"PN_EVENT_NONE",
                PN_REACTOR_INIT => c"PN_REACTOR_INIT",
                PN_REACTOR_QUIESCED => c"PN_REACTOR_QUIESCED",
                PN_REACTOR_FINAL => c"PN_REACTOR_FINAL",
                PN_TIMER_TASK => c"PN_TIMER_TASK",
                PN_CONNECTION_INIT => c"PN_CONNECTION_INIT",
                PN_CONNECTION_BOUND => c"PN_CONNECTION_BOUND",
                PN_CONNECTION_UNBOUND => c"PN_CONNECTION_UNBOUND",
                PN_CONNECTION_LOCAL_OPEN => c"PN_CONNECTION_LOCAL_OPEN",
                PN_CONNECTION_REMOTE_OPEN => c"PN_CONNECTION_REMOTE_OPEN",
                PN_CONNECTION_LOCAL_CLOSE => c"PN_CONNECTION_LOCAL_CLOSE",
                PN_CONNECTION_REMOTE_CLOSE => c"PN_CONNECTION_REMOTE_CLOSE",
                PN_CONNECTION_FINAL => c"PN_CONNECTION_FINAL",
                PN_SESSION_INIT => c"PN_SESSION_INIT",
                PN_SESSION_LOCAL_OPEN => c"PN_SESSION_LOCAL_OPEN",
                PN_SESSION_REMOTE_OPEN => c"PN_SESSION_REMOTE_OPEN",
                PN_SESSION_LOCAL_CLOSE => c"PN_SESSION_LOCAL_CLOSE",
                PN_SESSION_REMOTE_CLOSE => c"PN_SESSION_REMOTE_CLOSE",
                PN_SESSION_FINAL => c"PN_SESSION_FINAL",
                PN_LINK_INIT => c"PN_LINK_INIT",
                PN_LINK_LOCAL_OPEN => c"PN_LINK_LOCAL_OPEN",
                PN_LINK_REMOTE_OPEN => c"PN_LINK_REMOTE_OPEN",
                PN_LINK_LOCAL_CLOSE => c"PN_LINK_LOCAL_CLOSE",
                PN_LINK_REMOTE_CLOSE => c"PN_LINK_REMOTE_CLOSE",
                PN_LINK_LOCAL_DETACH => c"PN_LINK_LOCAL_DETACH",
                PN_LINK_REMOTE_DETACH => c"PN_LINK_REMOTE_DETACH",
                PN_LINK_FLOW => c"PN_LINK_FLOW",
                PN_LINK_FINAL => c"PN_LINK_FINAL",
                PN_DELIVERY => c"PN_DELIVERY",
                PN_TRANSPORT => c"PN_TRANSPORT",
                PN_TRANSPORT_AUTHENTICATED => c"PN_TRANSPORT_AUTHENTICATED",
                PN_TRANSPORT_ERROR => c"PN_TRANSPORT_ERROR",
                PN_TRANSPORT_HEAD_CLOSED => c"PN_TRANSPORT_HEAD_CLOSED",
                PN_TRANSPORT_TAIL_CLOSED => c"PN_TRANSPORT_TAIL_CLOSED",
                PN_TRANSPORT_CLOSED => c"PN_TRANSPORT_CLOSED",
                PN_SELECTABLE_INIT => c"PN_SELECTABLE_INIT",
                PN_SELECTABLE_UPDATED => c"PN_SELECTABLE_UPDATED",
                PN_SELECTABLE_READABLE => c"PN_SELECTABLE_READABLE",
                PN_SELECTABLE_WRITABLE => c"PN_SELECTABLE_WRITABLE",
                PN_SELECTABLE_ERROR => c"PN_SELECTABLE_ERROR",
                PN_SELECTABLE_EXPIRED => c"PN_SELECTABLE_EXPIRED",
                PN_SELECTABLE_FINAL => c"PN_SELECTABLE_FINAL",
                PN_CONNECTION_WAKE => c"PN_CONNECTION_WAKE",
                PN_LISTENER_ACCEPT => c"PN_LISTENER_ACCEPT",
                PN_LISTENER_CLOSE => c"PN_LISTENER_CLOSE",
                PN_PROACTOR_INTERRUPT => c"PN_PROACTOR_INTERRUPT",
                PN_PROACTOR_TIMEOUT => c"PN_PROACTOR_TIMEOUT",
                PN_PROACTOR_INACTIVE => c"PN_PROACTOR_INACTIVE",
                PN_LISTENER_OPEN => c"PN_LISTENER_OPEN",
                PN_RAW_CONNECTION_CONNECTED => c"PN_RAW_CONNECTION_CONNECTED",
                PN_RAW_CONNECTION_CLOSED_READ => c"PN_RAW_CONNECTION_CLOSED_READ",
                PN_RAW_CONNECTION_CLOSED_WRITE => c"PN_RAW_CONNECTION_CLOSED_WRITE",
                PN_RAW_CONNECTION_DISCONNECTED => c"PN_RAW_CONNECTION_DISCONNECTED",
                PN_RAW_CONNECTION_NEED_READ_BUFFERS => c"PN_RAW_CONNECTION_NEED_READ_BUFFERS",
                PN_RAW_CONNECTION_NEED_WRITE_BUFFERS => c"PN_RAW_CONNECTION_NEED_WRITE_BUFFERS",
                PN_RAW_CONNECTION_READ => c"PN_RAW_CONNECTION_READ",
                PN_RAW_CONNECTION_WRITTEN => c"PN_RAW_CONNECTION_WRITTEN",
                PN_RAW_CONNECTION_WAKE => c"PN_RAW_CONNECTION_WAKE",
                PN_RAW_CONNECTION_DRAIN_BUFFERS => c"PN_RAW_CONNECTION_DRAIN_BUFFERS",
            },
        };
        name.as_ptr()
    })
}

/// A new, empty collector.
#[unsafe(no_mangle)]
pub extern "C" fn pn_collector() -> *mut pn_collector_t {
    guard(|| pn_collector_t::from_target(new_object(CollectorObj::default())))
}

/// Release the collector (dropping its events) and free it.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_free(collector: *mut pn_collector_t) {
    guard(|| {
        if collector.is_null() {
            return;
        }
        // SAFETY: per the contract.
        unsafe {
            pn_collector_release(collector);
            pn_decref(collector.cast());
        }
    })
}

/// Drop every event and accept no more.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_release(collector: *mut pn_collector_t) {
    guard(|| {
        let c = try_mut!(collector);
        if !c.freed {
            c.freed = true;
            // SAFETY: per the contract.
            unsafe { pn_collector_drain(collector) };
        }
    })
}

/// Drop every queued event.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_drain(collector: *mut pn_collector_t) {
    guard(|| {
        if collector.is_null() {
            return;
        }
        // SAFETY: per the contract.
        while !unsafe { pn_collector_next(collector) }.is_null() {}
    })
}

/// Queue an event about `context` (an object of `clazz`); NULL when not
/// queued (a repeat of the last event, or a released collector).
///
/// # Safety
/// `collector` must be NULL or a live collector; `context` a live object of
/// `clazz`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_put(
    collector: *mut pn_collector_t,
    clazz: *const pn_class_t,
    context: *mut c_void,
    type_: pn_event_type_t_raw,
) -> *mut pn_event_t {
    guard(|| {
        if collector.is_null() || context.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        let e = unsafe { collector_put_raw(collector.cast(), clazz, context, type_) };
        pn_event_t::from_target(e)
    })
}

/// The first queued event, or NULL; valid until popped.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_peek(collector: *mut pn_collector_t) -> *mut pn_event_t {
    guard(|| pn_event_t::from_target(try_ref!(collector).events.front().copied().unwrap_or(ptr::null_mut())))
}

/// Drop the first event; false when there was none.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_pop(collector: *mut pn_collector_t) -> bool {
    guard(|| {
        let c = try_mut!(collector);
        let Some(e) = c.events.pop_front() else { return false };
        if c.events.is_empty() {
            c.changes += 1;
        }
        // SAFETY: the queue's reference is dropped; no borrow is live.
        unsafe { pn_decref(e.cast()) };
        true
    })
}

/// Drop the event returned by the previous call and return the next one
/// (which stays valid until the next call).
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_next(collector: *mut pn_collector_t) -> *mut pn_event_t {
    guard(|| {
        let c = try_mut!(collector);
        let prev = std::mem::replace(&mut c.prev, ptr::null_mut());
        if !prev.is_null() {
            // SAFETY: the collector's reference to the previous event.
            unsafe { pn_decref(prev.cast()) };
        }
        let c = try_mut!(collector);
        let next = c.events.pop_front().unwrap_or(ptr::null_mut());
        if !next.is_null() && c.events.is_empty() {
            c.changes += 1;
        }
        c.prev = next;
        pn_event_t::from_target(next)
    })
}

/// The event `pn_collector_next` returned last, or NULL.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_prev(collector: *mut pn_collector_t) -> *mut pn_event_t {
    guard(|| pn_event_t::from_target(try_ref!(collector).prev))
}

/// Whether more than one event is queued.
///
/// # Safety
/// `collector` must be NULL or a live collector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_collector_more(collector: *mut pn_collector_t) -> bool {
    guard(|| try_ref!(collector).events.len() > 1)
}

/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_type(event: *mut pn_event_t) -> pn_event_type_t_raw {
    guard(|| try_ref!(event).ty)
}

/// The class of the event's context.
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_class(event: *mut pn_event_t) -> *const pn_class_t {
    guard(|| try_ref!(event).clazz)
}

/// The object the event is about.
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_context(event: *mut pn_event_t) -> *mut c_void {
    guard(|| try_ref!(event).context)
}

fn event_cid(e: &EventObj) -> i32 {
    // SAFETY: the event's class is a live class.
    unsafe { pn_class_id(e.clazz) }
}

/// The connection the event is about (directly or through its context).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_connection(event: *mut pn_event_t) -> *mut pn_connection_t {
    guard(|| {
        let e = try_ref!(event);
        match event_cid(e) {
            c if c == pn_cid_t::CID_pn_connection as i32 => e.context.cast(),
            c if c == pn_cid_t::CID_pn_transport as i32 => {
                // SAFETY: the context is a live transport.
                unsafe { super::transport::pn_transport_connection(e.context.cast()) }
            }
            _ => {
                // SAFETY: per the contract.
                let s = unsafe { pn_event_session(event) };
                match SessionObj::get(s) {
                    Some(s) => pn_connection_t::from_target(s.conn),
                    None => ptr::null_mut(),
                }
            }
        }
    })
}

/// The session the event is about (directly or through its context).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_session(event: *mut pn_event_t) -> *mut pn_session_t {
    guard(|| {
        let e = try_ref!(event);
        if event_cid(e) == pn_cid_t::CID_pn_session as i32 {
            return e.context.cast();
        }
        // SAFETY: per the contract.
        let l = unsafe { pn_event_link(event) };
        // SAFETY: a live link or NULL.
        unsafe { super::link::pn_link_session(l) }
    })
}

/// The link the event is about (directly or through its context).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_link(event: *mut pn_event_t) -> *mut pn_link_t {
    guard(|| {
        let e = try_ref!(event);
        if event_cid(e) == pn_cid_t::CID_pn_link as i32 {
            return e.context.cast();
        }
        // SAFETY: per the contract.
        let d = unsafe { pn_event_delivery(event) };
        // SAFETY: a live delivery or NULL.
        unsafe { super::delivery::pn_delivery_link(d) }
    })
}

/// The delivery the event is about, or NULL.
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_delivery(event: *mut pn_event_t) -> *mut pn_delivery_t {
    guard(|| {
        let e = try_ref!(event);
        if event_cid(e) == pn_cid_t::CID_pn_delivery as i32 { e.context.cast() } else { ptr::null_mut() }
    })
}

/// The transport the event is about (directly or through its connection).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_transport(event: *mut pn_event_t) -> *mut pn_transport_t {
    guard(|| {
        let e = try_ref!(event);
        if event_cid(e) == pn_cid_t::CID_pn_transport as i32 {
            return e.context.cast();
        }
        // SAFETY: per the contract.
        let c = unsafe { pn_event_connection(event) };
        // SAFETY: a live connection or NULL.
        match unsafe { pn_connection_t::as_ref(c) } {
            Some(conn) => {
                let p: *const ConnObj = conn;
                // SAFETY: `p` is live.
                unsafe { transport_handle(p.cast_mut()) }
            }
            None => ptr::null_mut(),
        }
    })
}

/// The event's attachments (made on first use; freed with the event).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_attachments(event: *mut pn_event_t) -> *mut pn_record_t {
    guard(|| {
        let e = try_mut!(event);
        if e.record.is_null() {
            e.record = super::endpoint::new_record();
        }
        e.record
    })
}

/// The condition that explains the event, if its context has one set (the
/// peer's first, then the local one).
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_condition(event: *mut pn_event_t) -> *mut pn_condition_t {
    guard(|| {
        let e = try_ref!(event);
        let ctx = e.context;
        let cid = event_cid(e);
        let pick = |remote: *mut pn_condition_t, local: *mut pn_condition_t| {
            // SAFETY: conditions of a live context, or NULL.
            unsafe {
                if super::condition::pn_condition_is_set(remote) {
                    remote
                } else if super::condition::pn_condition_is_set(local) {
                    local
                } else {
                    ptr::null_mut()
                }
            }
        };
        // SAFETY: the context is a live object of the class `cid` names.
        unsafe {
            if cid == pn_cid_t::CID_pn_connection as i32 {
                let c = ctx.cast();
                pick(super::connection::pn_connection_remote_condition(c), super::connection::pn_connection_condition(c))
            } else if cid == pn_cid_t::CID_pn_session as i32 {
                let s = ctx.cast();
                pick(super::session::pn_session_remote_condition(s), super::session::pn_session_condition(s))
            } else if cid == pn_cid_t::CID_pn_link as i32 {
                let l = ctx.cast();
                pick(super::link::pn_link_remote_condition(l), super::link::pn_link_condition(l))
            } else if cid == pn_cid_t::CID_pn_transport as i32 {
                let c = super::transport::pn_transport_condition(ctx.cast());
                if super::condition::pn_condition_is_set(c) { c } else { ptr::null_mut() }
            } else {
                ptr::null_mut()
            }
        }
    })
}

impl SessionObj {
    fn get<'a>(s: *mut pn_session_t) -> Option<&'a SessionObj> {
        // SAFETY: the C API passes a live session or NULL.
        unsafe { pn_session_t::as_ref(s) }
    }
}

#[allow(dead_code)]
fn _uses(_: &LinkObj, _: &DeliveryObj) {}

const _: () = {
    let _ = PN_OBJECT;
};
