//! `proton/listener.h`: proactor listeners, which accept incoming
//! connections (`pn_listener_t` itself is declared by `types.h`).
//!
//! A listener handle is a plain allocation (not reference counted, as in
//! proton-c) owned by the application until `pn_proactor_listen`, then by
//! the proactor, which frees it once its `PN_LISTENER_CLOSE` was handled.
#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::ptr;

use super::boundary::guard;
use super::cid::pn_cid_t;
use super::condition::pn_condition_t;
use super::event::pn_event_t;
use super::object::pn_class_t;
use super::object::record::pn_record_t;
use super::proactor::{AmqpConn, Sink, proactor_ref, struct_class, task_arc};
use super::types::{pn_connection_t, pn_listener_t, pn_proactor_t, pn_raw_connection_t, pn_transport_t};
use crate::proactor::{Proactor, Task};

/// A new listener, to give to `pn_proactor_listen`. Its attachments can
/// carry what the application needs when accepting.
#[unsafe(no_mangle)]
pub extern "C" fn pn_listener() -> *mut pn_listener_t {
    guard(|| {
        let obj = Box::new(ListenerObj {
            condition: super::condition::pn_condition(),
            record: super::endpoint::new_record(),
            task: ptr::null(),
            proactor: ptr::null_mut(),
            addrs: None,
        });
        Box::into_raw(obj).cast()
    })
}

/// Free a listener that was never given to `pn_proactor_listen` (the
/// proactor frees the others itself; for those this does nothing).
///
/// # Safety
/// `l` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_free(l: *mut pn_listener_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(obj) = (unsafe { obj(l) }) else { return };
        if obj.proactor.is_null() {
            // SAFETY: the application still owns it.
            unsafe { free_listener(l) };
        }
    })
}

/// Accept the connection a `PN_LISTENER_ACCEPT` announced, running
/// `connection` over `transport` (each made when NULL, owned by the
/// proactor from now on as for `pn_proactor_connect2`). The transport is
/// made a server transport; configure SASL on it (after
/// `pn_transport_set_server`) and SSL before this call. Failures arrive as
/// the connection's `PN_TRANSPORT_CLOSED`.
///
/// # Safety
/// `listener` must be live and handling its `PN_LISTENER_ACCEPT`;
/// `connection`/`transport` NULL or live and not used elsewhere.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_accept2(listener: *mut pn_listener_t, connection: *mut pn_connection_t, transport: *mut pn_transport_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some((p, task)) = (unsafe { running(listener) }) else { return };
        // SAFETY: per the contract.
        let driver = unsafe { AmqpConn::new(connection, transport, true) };
        p.accept(&task, driver);
    })
}

/// `pn_listener_accept2` with a new transport (an older name).
///
/// # Safety
/// As for `pn_listener_accept2`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_accept(listener: *mut pn_listener_t, connection: *mut pn_connection_t) {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_listener_accept2(listener, connection, ptr::null_mut()) })
}

/// The listener's condition: why it closed, when it was an error.
///
/// # Safety
/// `l` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_condition(l: *mut pn_listener_t) -> *mut pn_condition_t {
    // SAFETY: per the contract.
    guard(|| unsafe { obj(l) }.map_or(ptr::null_mut(), |o| o.condition))
}

/// The application's context pointer (NULL until set).
///
/// # Safety
/// `listener` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_get_context(listener: *mut pn_listener_t) -> *mut c_void {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(listener) }) else { return ptr::null_mut() };
        // SAFETY: the record lives with the listener.
        unsafe { super::object::record::pn_record_get(o.record, ptr::null()) }
    })
}

/// Set the application's context pointer.
///
/// # Safety
/// `listener` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_set_context(listener: *mut pn_listener_t, context: *mut c_void) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(listener) }) else { return };
        // SAFETY: the record lives with the listener.
        unsafe { super::object::record::pn_record_set(o.record, ptr::null(), context) }
    })
}

/// The listener's attachments; they live as long as the listener.
///
/// # Safety
/// `listener` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_attachments(listener: *mut pn_listener_t) -> *mut pn_record_t {
    // SAFETY: per the contract.
    guard(|| unsafe { obj(listener) }.map_or(ptr::null_mut(), |o| o.record))
}

/// Stop listening; `PN_LISTENER_CLOSE` follows. Thread-safe, but not
/// after that event was handled (the listener may be gone).
///
/// # Safety
/// `l` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_close(l: *mut pn_listener_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(l) }) else { return };
        // SAFETY: set once when listening starts; the task lives until the
        // listener is freed.
        if let Some(task) = unsafe { task_arc(o.task) } {
            task.close_listener();
        }
    })
}

/// The proactor the listener was given to, or NULL.
///
/// # Safety
/// `c` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_proactor(c: *mut pn_listener_t) -> *mut pn_proactor_t {
    // SAFETY: per the contract.
    guard(|| unsafe { obj(c) }.map_or(ptr::null_mut(), |o| o.proactor))
}

/// The listener an event is about, or NULL.
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_listener(event: *mut pn_event_t) -> *mut pn_listener_t {
    guard(|| {
        if event.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe {
            if ptr::eq(super::event::pn_event_class(event), &PN_LISTENER_CLASS) {
                super::event::pn_event_context(event).cast()
            } else {
                ptr::null_mut()
            }
        }
    })
}

/// Accept the connection a `PN_LISTENER_ACCEPT` announced as a raw
/// connection (`raw_connection` from `pn_raw_connection`, not NULL; the
/// proactor owns it from now on, as for `pn_proactor_raw_connect`).
///
/// # Safety
/// `listener` must be live and handling its `PN_LISTENER_ACCEPT`;
/// `raw_connection` live and not yet given to a proactor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_raw_accept(listener: *mut pn_listener_t, raw_connection: *mut pn_raw_connection_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some((p, task)) = (unsafe { running(listener) }) else { return };
        // SAFETY: per the contract.
        unsafe { super::raw_connection::raw_accept(p, &task, raw_connection) };
    })
}

// ---------------------------------------------------------------------------
// Implementation

/// The listener's event class.
pub static PN_LISTENER_CLASS: pn_class_t = struct_class(c"pn_listener", pn_cid_t::CID_pn_listener);

/// The Rust side of `pn_listener_t`.
pub(crate) struct ListenerObj {
    condition: *mut pn_condition_t,
    record: *mut pn_record_t,
    /// The task running it (NULL before `pn_proactor_listen`).
    task: *const Task,
    proactor: *mut pn_proactor_t,
    /// `pn_listener_addr`'s list, made on first request.
    pub(crate) addrs: Option<Box<[super::netaddr::NetAddr]>>,
}

/// # Safety
/// `l` must be NULL or a live listener.
pub(crate) unsafe fn obj<'a>(l: *mut pn_listener_t) -> Option<&'a mut ListenerObj> {
    // SAFETY: per the contract, handles are ListenerObj addresses.
    unsafe { l.cast::<ListenerObj>().as_mut() }
}

/// The task running a listener.
///
/// # Safety
/// `l` must be NULL or a live listener.
pub(crate) unsafe fn listener_task(l: *mut pn_listener_t) -> Option<std::sync::Arc<Task>> {
    // SAFETY: per the contract.
    unsafe { obj(l).and_then(|o| task_arc(o.task)) }
}

/// The proactor and task of a listening listener.
///
/// # Safety
/// `l` must be NULL or a live listener.
unsafe fn running<'a>(l: *mut pn_listener_t) -> Option<(&'a Proactor, std::sync::Arc<Task>)> {
    // SAFETY: per the contract.
    unsafe {
        let o = obj(l)?;
        let p = proactor_ref(o.proactor)?;
        Some((p, task_arc(o.task)?))
    }
}

unsafe fn free_listener(l: *mut pn_listener_t) {
    // SAFETY: the caller owns the listener, which goes now.
    unsafe {
        let o = Box::from_raw(l.cast::<ListenerObj>());
        super::condition::pn_condition_free(o.condition);
        super::object::pn_free(o.record.cast());
    }
}

fn attach(context: *mut c_void, task: *const Task) {
    // SAFETY: the context of a listener's sink is the live listener, and
    // the task starts before anyone else can see it.
    if let Some(o) = unsafe { obj(context.cast()) } {
        o.task = task;
    }
}

/// `pn_proactor_listen`'s work.
///
/// # Safety
/// `l` must be a live listener not given to a proactor yet.
pub(crate) unsafe fn listen(p: &Proactor, l: *mut pn_listener_t, addr: &str, backlog: i32) {
    // SAFETY: per the contract.
    let Some(o) = (unsafe { obj(l) }) else { return };
    o.proactor = (p as *const Proactor).cast_mut().cast();
    let handle = l as usize;
    let sink = Sink::new(l.cast(), &PN_LISTENER_CLASS)
        .with_condition(o.condition)
        .on_attach(attach)
        // SAFETY: the proactor is done with the listener: it goes.
        .on_drop(Box::new(move || unsafe { free_listener(handle as *mut pn_listener_t) }));
    p.listen(Box::new(sink), addr, backlog);
}
