//! `proton/proactor.h`: the proactor, an event loop that runs connections
//! over sockets (`pn_proactor_t` itself is declared by `types.h`).
//!
//! The loop is `crate::proactor`; this file maps proton's handles onto it:
//!
//! - `pn_proactor_t *` is the address of the `Proactor` inside its `Arc`
//!   (one strong count belongs to C until `pn_proactor_free`).
//! - `pn_event_batch_t *` is the address of the `Task` whose batch it is;
//!   the proactor keeps the task alive until `pn_proactor_done`.
//! - A connection run by a proactor has its task's address in its
//!   `pn_connection_driver_ptr` slot (the slot proton-c uses to find its
//!   own per-connection state), which is how `pn_connection_wake` finds it
//!   from any thread.
//! - Events of the proactor itself, of listeners and of raw connections
//!   come from a collector per object, with classes of their own whose
//!   reference counting does nothing (the proactor decides when those
//!   objects go, as in proton-c).
#![allow(non_camel_case_types)]

use std::any::Any;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::Arc;

use super::boundary::guard;
use super::cid::pn_cid_t;
use super::condition::pn_condition_t;
use super::connection_driver::pn_connection_driver_t;
use super::event::{CollectorObj, pn_event_t, pn_event_type_t};
use super::object::pn_class_t;
use super::types::{pn_collector_t, pn_connection_t, pn_event_batch_t, pn_listener_t, pn_millis_t, pn_proactor_t, pn_raw_connection_t, pn_transport_t};

use crate::proactor::{AmqpDriver, Cond, Event, EventPtr, EventSink, Proactor, Task};

/// The size of a buffer that holds any address `pn_proactor_addr` makes
/// ("host:port", NUL included).
pub const PN_MAX_ADDR: usize = 1060;

/// Write "host:port" into `addr` (at most `size` bytes, NUL included;
/// NULL strings count as empty). Returns the full length, which is `size`
/// or more when the text was cut short.
///
/// # Safety
/// `addr` must be writable for `size` bytes (or `size` 0); `host` and
/// `port` NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_addr(addr: *mut c_char, size: usize, host: *const c_char, port: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        let (host, port) = unsafe { (opt_str(host), opt_str(port)) };
        let text = crate::proactor::addr::format(host.as_deref(), port.as_deref());
        // SAFETY: per the contract.
        unsafe { copy_out(&text, addr, size) }
    })
}

/// A new proactor; free it with `pn_proactor_free`.
#[unsafe(no_mangle)]
pub extern "C" fn pn_proactor() -> *mut pn_proactor_t {
    guard(|| {
        let Ok(p) = Proactor::new() else { return ptr::null_mut() };
        let handle = Arc::into_raw(p.clone()).cast_mut().cast::<pn_proactor_t>();
        p.set_sink(Box::new(Sink::new(handle.cast(), &PN_PROACTOR_CLASS)));
        handle
    })
}

/// Close every connection and listener the proactor runs, free them, and
/// free the proactor.
///
/// # Safety
/// `proactor` must be NULL or a live proactor; no thread may be using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_free(proactor: *mut pn_proactor_t) {
    guard(|| {
        if proactor.is_null() {
            return;
        }
        // SAFETY: C owned this strong count since pn_proactor().
        let p = unsafe { Arc::from_raw(proactor.cast_const().cast::<Proactor>()) };
        p.shutdown();
    })
}

/// Connect to `addr` (see `pn_proactor_addr`) and run `connection` over
/// `transport` (each made when NULL). The proactor owns both from now on:
/// it frees them after the connection's `PN_TRANSPORT_CLOSED` was handled
/// (unless `pn_proactor_release_connection` took the connection back).
/// Failures, name resolution included, arrive as that event's condition.
/// Thread-safe.
///
/// # Safety
/// `proactor` must be a live proactor; `connection`/`transport` NULL or
/// live objects not used elsewhere; `addr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_connect2(
    proactor: *mut pn_proactor_t,
    connection: *mut pn_connection_t,
    transport: *mut pn_transport_t,
    addr: *const c_char,
) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return };
        // SAFETY: per the contract.
        let addr = unsafe { opt_str(addr) }.unwrap_or_default();
        // SAFETY: per the contract.
        let driver = unsafe { AmqpConn::new(connection, transport, false) };
        p.connect(driver, &addr);
    })
}

/// `pn_proactor_connect2` with a new transport (an older name).
///
/// # Safety
/// As for `pn_proactor_connect2`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_connect(proactor: *mut pn_proactor_t, connection: *mut pn_connection_t, addr: *const c_char) {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_proactor_connect2(proactor, connection, ptr::null_mut(), addr) })
}

/// Listen on `addr` (an empty host listens on every interface, an empty
/// port is 5672), with `backlog` for each socket. `PN_LISTENER_OPEN` says
/// it listens; a failure is a `PN_LISTENER_CLOSE` with the listener's
/// condition set. The proactor owns `listener` from now on and frees it
/// after its `PN_LISTENER_CLOSE` was handled. Thread-safe.
///
/// # Safety
/// `proactor` and `listener` must be live; `addr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_listen(proactor: *mut pn_proactor_t, listener: *mut pn_listener_t, addr: *const c_char, backlog: c_int) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return };
        if listener.is_null() {
            return;
        }
        // SAFETY: per the contract.
        let addr = unsafe { opt_str(addr) }.unwrap_or_default();
        // SAFETY: a live listener.
        unsafe { super::listener::listen(p, listener, &addr, backlog) };
    })
}

/// Close every connection and listener (with a copy of `condition`, when
/// not NULL, as their condition); `PN_PROACTOR_INACTIVE` follows once
/// they are gone and no timeout is set. Thread-safe.
///
/// # Safety
/// `proactor` must be live; `condition` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_disconnect(proactor: *mut pn_proactor_t, condition: *mut pn_condition_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return };
        // SAFETY: per the contract.
        let cond = unsafe { cond_of(condition) };
        p.disconnect(cond);
    })
}

/// Block until there are events; returns a batch to handle, in order,
/// with `pn_event_batch_next`, then to give back with `pn_proactor_done`.
/// Thread-safe: events of one connection (listener, raw connection) are
/// never in two threads' batches at the same time.
///
/// # Safety
/// `proactor` must be live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_wait(proactor: *mut pn_proactor_t) -> *mut pn_event_batch_t {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return ptr::null_mut() };
        p.wait(true).map_or(ptr::null_mut(), |t| Arc::as_ptr(&t).cast_mut().cast())
    })
}

/// `pn_proactor_wait` without blocking: NULL when nothing is ready.
///
/// # Safety
/// `proactor` must be live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_get(proactor: *mut pn_proactor_t) -> *mut pn_event_batch_t {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return ptr::null_mut() };
        p.wait(false).map_or(ptr::null_mut(), |t| Arc::as_ptr(&t).cast_mut().cast())
    })
}

/// The batch's next event, or NULL when it has no more. The event stays
/// valid until the next call.
///
/// # Safety
/// `batch` must be a batch from `pn_proactor_wait`/`get`, not yet done.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_batch_next(batch: *mut pn_event_batch_t) -> *mut pn_event_t {
    guard(|| {
        // SAFETY: per the contract, the proactor keeps the task alive.
        let Some(task) = (unsafe { batch.cast::<Task>().as_ref() }) else { return ptr::null_mut() };
        task.next_event().map_or(ptr::null_mut(), |e| e.0.cast())
    })
}

/// Give back a batch once its events are handled (exactly once per batch,
/// from any thread).
///
/// # Safety
/// `proactor` must be live and `batch` one of its batches, not yet done.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_done(proactor: *mut pn_proactor_t, batch: *mut pn_event_batch_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return };
        // SAFETY: per the contract, the task is alive until done returns;
        // the extra count covers the call.
        let Some(task) = (unsafe { task_arc(batch.cast::<Task>()) }) else { return };
        p.done(&task);
    })
}

/// Make a `PN_PROACTOR_INTERRUPT` happen soon (several calls close together
/// may make one). Thread-safe and safe in a signal handler.
///
/// # Safety
/// `proactor` must be live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_interrupt(proactor: *mut pn_proactor_t) {
    guard(|| {
        // SAFETY: per the contract.
        if let Some(p) = unsafe { proactor_ref(proactor) } {
            p.interrupt();
        }
    })
}

/// Make a `PN_PROACTOR_TIMEOUT` happen after `timeout` milliseconds,
/// replacing any timeout set before. Thread-safe.
///
/// # Safety
/// `proactor` must be live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_set_timeout(proactor: *mut pn_proactor_t, timeout: pn_millis_t) {
    guard(|| {
        // SAFETY: per the contract.
        if let Some(p) = unsafe { proactor_ref(proactor) } {
            p.set_timeout(timeout);
        }
    })
}

/// Forget the timeout, if one is set. Thread-safe.
///
/// # Safety
/// `proactor` must be live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_cancel_timeout(proactor: *mut pn_proactor_t) {
    guard(|| {
        // SAFETY: per the contract.
        if let Some(p) = unsafe { proactor_ref(proactor) } {
            p.cancel_timeout();
        }
    })
}

/// Take `connection` back from its proactor: its transport is closed and
/// unbound, no more events come for it, and the caller must free it. Call
/// it while handling one of the connection's events; does nothing for a
/// connection no proactor runs.
///
/// # Safety
/// `connection` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_release_connection(connection: *mut pn_connection_t) {
    guard(|| {
        // SAFETY: per the contract.
        if let Some(task) = unsafe { conn_task(connection) } {
            task.release_connection();
        }
    })
}

/// Make a `PN_CONNECTION_WAKE` happen soon for `connection`, in its own
/// order of events (several calls close together may make one). Does
/// nothing for a connection no proactor runs. Thread-safe.
///
/// # Safety
/// `connection` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_wake(connection: *mut pn_connection_t) {
    guard(|| {
        // SAFETY: per the contract.
        if let Some(task) = unsafe { conn_task(connection) } {
            task.wake();
        }
    })
}

/// The proactor running `connection`, or NULL.
///
/// # Safety
/// `connection` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_connection_proactor(connection: *mut pn_connection_t) -> *mut pn_proactor_t {
    guard(|| {
        // SAFETY: per the contract.
        unsafe { conn_task(connection) }.map_or(ptr::null_mut(), |t| task_proactor(&t))
    })
}

/// The proactor an event came from: the event's own for proactor events,
/// otherwise that of its listener, raw connection or connection; NULL if
/// none.
///
/// # Safety
/// `event` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_proactor(event: *mut pn_event_t) -> *mut pn_proactor_t {
    guard(|| {
        if event.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe {
            let clazz = super::event::pn_event_class(event);
            let ctx = super::event::pn_event_context(event);
            if ptr::eq(clazz, &PN_PROACTOR_CLASS) {
                return ctx.cast();
            }
            if ptr::eq(clazz, &super::listener::PN_LISTENER_CLASS) {
                return super::listener::pn_listener_proactor(ctx.cast());
            }
            if ptr::eq(clazz, &super::raw_connection::PN_RAW_CONNECTION_CLASS) {
                return super::raw_connection::raw_proactor(ctx.cast());
            }
            pn_connection_proactor(super::event::pn_event_connection(event))
        }
    })
}

/// Milliseconds since some fixed point in the past, on a clock that never
/// goes back; wraps after 49 days (see `pn_proactor_now_64`).
#[unsafe(no_mangle)]
pub extern "C" fn pn_proactor_now() -> pn_millis_t {
    guard(|| crate::proactor::now_ms() as pn_millis_t)
}

/// Milliseconds since some fixed point in the past, on a clock that never
/// goes back. For local timing, not for AMQP timestamps. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn pn_proactor_now_64() -> i64 {
    guard(crate::proactor::now_ms)
}

/// Connect `raw_connection` (from `pn_raw_connection`, not NULL) to
/// `addr`. The proactor owns it from now on and frees it after its
/// `PN_RAW_CONNECTION_DISCONNECTED` was handled; failures arrive as that
/// event's condition. Thread-safe.
///
/// # Safety
/// `proactor` and `raw_connection` must be live; `addr` NULL or a C
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_proactor_raw_connect(proactor: *mut pn_proactor_t, raw_connection: *mut pn_raw_connection_t, addr: *const c_char) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(p) = (unsafe { proactor_ref(proactor) }) else { return };
        // SAFETY: per the contract.
        let addr = unsafe { opt_str(addr) }.unwrap_or_default();
        // SAFETY: per the contract.
        unsafe { super::raw_connection::raw_connect(p, raw_connection, &addr) };
    })
}

/// Split "host:port" as the proactor does: `addr` is copied into `buf`
/// (`len` bytes) and `host`/`port` point into it (`host` NULL for an empty
/// host; an empty port, "amqp" and "amqps" become "5672"/"5671").
/// Returns 0, or `PN_OVERFLOW` when `buf` is too small. (proton-c's
/// internal export, used by its tests.)
///
/// # Safety
/// `addr` must be a C string, `buf` writable for `len` bytes, `host` and
/// `port` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pni_parse_addr(
    addr: *const c_char,
    buf: *mut c_char,
    len: usize,
    host: *mut *const c_char,
    port: *mut *const c_char,
) -> c_int {
    guard(|| {
        if addr.is_null() || buf.is_null() || host.is_null() || port.is_null() {
            return super::error::PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        let bytes = unsafe { CStr::from_ptr(addr) }.to_bytes();
        if bytes.len() >= len {
            return super::error::PN_OVERFLOW;
        }
        // SAFETY: `buf` holds `len` > bytes.len() bytes.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), bytes.len());
            *buf.add(bytes.len()) = 0;
        }
        let colon = bytes.iter().rposition(|&b| b == b':');
        let (hlen, pstart) = match colon {
            Some(i) => {
                // SAFETY: `i` is within the copy.
                unsafe { *buf.add(i) = 0 };
                (i, Some(i + 1))
            }
            None => (bytes.len(), None),
        };
        let port_text = pstart.map_or(&[][..], |s| &bytes[s..]);
        // SAFETY: the out-parameters are writable; the pointers are into
        // `buf` or static strings.
        unsafe {
            *host = if hlen == 0 { ptr::null() } else { buf.cast_const() };
            *port = match port_text {
                b"" | b"amqp" => c"5672".as_ptr(),
                b"amqps" => c"5671".as_ptr(),
                _ => buf.add(pstart.unwrap_or(0)).cast_const(),
            };
        }
        0
    })
}

// ---------------------------------------------------------------------------
// Implementation

/// The proactor's event class: events about the proactor itself.
pub static PN_PROACTOR_CLASS: pn_class_t = struct_class(c"pn_proactor", pn_cid_t::CID_pn_proactor);

/// A class for objects the proactor owns outright: no reference counting
/// (events refer to the object, the proactor decides when it goes).
pub(crate) const fn struct_class(name: &'static CStr, cid: pn_cid_t) -> pn_class_t {
    pn_class_t {
        name: name.as_ptr(),
        cid: cid as c_int,
        newinst: None,
        initialize: None,
        incref: None,
        decref: None,
        refcount: None,
        finalize: None,
        free: None,
        reify: None,
        hashcode: None,
        compare: None,
        inspect: None,
    }
}

/// A C string argument, NULL as `None`.
///
/// # Safety
/// `s` must be NULL or a C string.
pub(crate) unsafe fn opt_str(s: *const c_char) -> Option<String> {
    // SAFETY: per the contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
}

/// snprintf-like: copy `text` into `out` (NUL-terminated, cut to `size`)
/// and return its full length.
///
/// # Safety
/// `out` must be writable for `size` bytes, or `size` 0.
pub(crate) unsafe fn copy_out(text: &str, out: *mut c_char, size: usize) -> c_int {
    if !out.is_null() && size > 0 {
        let n = text.len().min(size - 1);
        // SAFETY: per the contract, `n + 1 <= size`.
        unsafe {
            ptr::copy_nonoverlapping(text.as_ptr(), out.cast::<u8>(), n);
            *out.add(n) = 0;
        }
    }
    text.len() as c_int
}

/// The proactor behind a handle.
///
/// # Safety
/// `p` must be NULL or a live proactor handle.
pub(crate) unsafe fn proactor_ref<'a>(p: *mut pn_proactor_t) -> Option<&'a Proactor> {
    // SAFETY: per the contract, the handle is the address of the Proactor.
    unsafe { p.cast::<Proactor>().as_ref() }
}

/// The handle of the proactor running a task.
pub(crate) fn task_proactor(t: &Task) -> *mut pn_proactor_t {
    t.proactor().map_or(ptr::null_mut(), |p| Arc::as_ptr(&p).cast_mut().cast())
}

/// A counted reference to a task from its address.
///
/// # Safety
/// `t` must be NULL or the address of a live task (in an `Arc`).
pub(crate) unsafe fn task_arc(t: *const Task) -> Option<Arc<Task>> {
    if t.is_null() {
        return None;
    }
    // SAFETY: per the contract; the count taken here is the returned one.
    unsafe {
        Arc::increment_strong_count(t);
        Some(Arc::from_raw(t))
    }
}

/// The task running a connection, if a proactor runs it.
///
/// # Safety
/// `c` must be NULL or a live connection.
pub(crate) unsafe fn conn_task(c: *mut pn_connection_t) -> Option<Arc<Task>> {
    if c.is_null() {
        return None;
    }
    // SAFETY: per the contract; the slot holds a task address or NULL.
    unsafe {
        let slot = super::connection_driver::pn_connection_driver_ptr(c);
        if slot.is_null() {
            return None;
        }
        task_arc((*slot).cast_const().cast::<Task>())
    }
}

/// A condition's name and description.
///
/// # Safety
/// `c` must be NULL or live.
pub(crate) unsafe fn cond_of(c: *mut pn_condition_t) -> Option<Cond> {
    // SAFETY: per the contract.
    unsafe {
        if c.is_null() || !super::condition::pn_condition_is_set(c) {
            return None;
        }
        Some(Cond {
            name: opt_str(super::condition::pn_condition_get_name(c)).unwrap_or_default(),
            description: opt_str(super::condition::pn_condition_get_description(c)).unwrap_or_default(),
        })
    }
}

/// Set a condition unless it is set already.
///
/// # Safety
/// `c` must be a live condition.
pub(crate) unsafe fn set_cond(c: *mut pn_condition_t, cond: &Cond) {
    // SAFETY: per the contract.
    unsafe {
        if c.is_null() || cond.name.is_empty() || super::condition::pn_condition_is_set(c) {
            return;
        }
        let name = std::ffi::CString::new(cond.name.replace('\0', "")).unwrap_or_default();
        let desc = std::ffi::CString::new(cond.description.replace('\0', "")).unwrap_or_default();
        super::condition::pn_condition_set_name(c, name.as_ptr());
        super::condition::pn_condition_set_description(c, desc.as_ptr());
    }
}

/// The events of a proactor, listener or raw connection: a collector of
/// events about one object of a struct class.
pub(crate) struct Sink {
    collector: *mut pn_collector_t,
    context: *mut c_void,
    class: &'static pn_class_t,
    /// Where the object's condition is (NULL for the proactor).
    pub(crate) condition: *mut pn_condition_t,
    /// Run when the sink goes (the proactor is done with the object).
    on_drop: Option<Box<dyn FnOnce() + Send>>,
    /// Filled in when the task starts.
    pub(crate) task: *const Task,
    on_attach: Option<fn(*mut c_void, *const Task)>,
}

// SAFETY: the collector and the object are used by one thread at a time:
// the one running the owning task's batch.
unsafe impl Send for Sink {}

impl Sink {
    pub(crate) fn new(context: *mut c_void, class: &'static pn_class_t) -> Sink {
        Sink {
            collector: super::event::pn_collector(),
            context,
            class,
            condition: ptr::null_mut(),
            on_drop: None,
            task: ptr::null(),
            on_attach: None,
        }
    }

    pub(crate) fn with_condition(mut self, c: *mut pn_condition_t) -> Sink {
        self.condition = c;
        self
    }

    pub(crate) fn on_drop(mut self, f: Box<dyn FnOnce() + Send>) -> Sink {
        self.on_drop = Some(f);
        self
    }

    pub(crate) fn on_attach(mut self, f: fn(*mut c_void, *const Task)) -> Sink {
        self.on_attach = Some(f);
        self
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // SAFETY: the collector is ours.
        unsafe { super::event::pn_collector_free(self.collector) };
        if let Some(f) = self.on_drop.take() {
            f();
        }
    }
}

fn event_type(e: Event) -> pn_event_type_t {
    use pn_event_type_t::*;
    match e {
        Event::Interrupt => PN_PROACTOR_INTERRUPT,
        Event::Timeout => PN_PROACTOR_TIMEOUT,
        Event::Inactive => PN_PROACTOR_INACTIVE,
        Event::ListenerOpen => PN_LISTENER_OPEN,
        Event::ListenerAccept => PN_LISTENER_ACCEPT,
        Event::ListenerClose => PN_LISTENER_CLOSE,
        Event::RawConnected => PN_RAW_CONNECTION_CONNECTED,
        Event::RawClosedRead => PN_RAW_CONNECTION_CLOSED_READ,
        Event::RawClosedWrite => PN_RAW_CONNECTION_CLOSED_WRITE,
        Event::RawDisconnected => PN_RAW_CONNECTION_DISCONNECTED,
        Event::RawNeedReadBuffers => PN_RAW_CONNECTION_NEED_READ_BUFFERS,
        Event::RawNeedWriteBuffers => PN_RAW_CONNECTION_NEED_WRITE_BUFFERS,
        Event::RawRead => PN_RAW_CONNECTION_READ,
        Event::RawWritten => PN_RAW_CONNECTION_WRITTEN,
        Event::RawWake => PN_RAW_CONNECTION_WAKE,
        Event::RawDrainBuffers => PN_RAW_CONNECTION_DRAIN_BUFFERS,
    }
}

impl EventSink for Sink {
    fn put(&mut self, event: Event) {
        // SAFETY: our live collector; the context belongs to the class.
        unsafe {
            super::event::collector_put(self.collector.cast::<CollectorObj>(), self.class, self.context, event_type(event));
        }
    }

    fn next(&mut self) -> Option<EventPtr> {
        // SAFETY: our live collector.
        let e = unsafe { super::event::pn_collector_next(self.collector) };
        (!e.is_null()).then_some(EventPtr(e.cast()))
    }

    fn has_event(&mut self) -> bool {
        // SAFETY: our live collector.
        !unsafe { super::event::pn_collector_peek(self.collector) }.is_null()
    }

    fn set_condition(&mut self, cond: &Cond) {
        // SAFETY: the object's live condition (or NULL).
        unsafe { set_cond(self.condition, cond) };
    }

    fn attach(&mut self, task: &Arc<Task>) {
        self.task = Arc::as_ptr(task);
        if let Some(f) = self.on_attach {
            f(self.context, self.task);
        }
    }
}

/// The driver of a connection a proactor runs: proton's connection driver.
pub(crate) struct AmqpConn {
    d: pn_connection_driver_t,
    released: bool,
    /// The C form of the socket addresses, made on first request.
    pub(crate) addrs: Option<Box<[super::netaddr::NetAddr; 2]>>,
}

// SAFETY: the connection, transport and collector are used by one thread
// at a time: the one running the connection's batch (proton's rule for
// core objects).
unsafe impl Send for AmqpConn {}

impl AmqpConn {
    /// # Safety
    /// `c` and `t` must be NULL or live, and not used by anything else.
    pub(crate) unsafe fn new(c: *mut pn_connection_t, t: *mut pn_transport_t, server: bool) -> Box<AmqpConn> {
        let mut conn = Box::new(AmqpConn {
            d: pn_connection_driver_t { connection: ptr::null_mut(), transport: ptr::null_mut(), collector: ptr::null_mut() },
            released: false,
            addrs: None,
        });
        // SAFETY: per the contract.
        unsafe {
            let t = if t.is_null() { super::transport::pn_transport() } else { t };
            if server {
                super::transport::pn_transport_set_server(t);
            }
            super::connection_driver::pn_connection_driver_init(&mut conn.d, c, t);
        }
        conn
    }

    fn slot(&self) -> *mut *mut pn_connection_driver_t {
        if self.d.connection.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: a live connection.
        unsafe { super::connection_driver::pn_connection_driver_ptr(self.d.connection) }
    }

    fn clear_slot(&mut self) {
        let slot = self.slot();
        if !slot.is_null() {
            // SAFETY: the connection's own slot.
            unsafe { *slot = ptr::null_mut() };
        }
    }
}

impl Drop for AmqpConn {
    fn drop(&mut self) {
        self.clear_slot();
        // SAFETY: the driver was initialized; destroy frees what it holds
        // (the connection too, unless it was released).
        unsafe { super::connection_driver::pn_connection_driver_destroy(&mut self.d) };
    }
}

impl AmqpDriver for AmqpConn {
    fn read_buffer(&mut self) -> &mut [u8] {
        // SAFETY: a live driver; the buffer is the transport's, valid until
        // the transport is used again (the slice borrows self).
        unsafe {
            let b = super::connection_driver::pn_connection_driver_read_buffer(&mut self.d);
            if b.start.is_null() || b.size == 0 {
                return &mut [];
            }
            std::slice::from_raw_parts_mut(b.start.cast::<u8>(), b.size)
        }
    }

    fn read_done(&mut self, n: usize) {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_read_done(&mut self.d, n) }
    }

    fn grow_read_buffer(&mut self, limit: usize) {
        super::transport::grow_input(self.d.transport, limit);
    }

    fn read_close(&mut self) {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_read_close(&mut self.d) }
    }

    fn read_closed(&mut self) -> bool {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_read_closed(&mut self.d) }
    }

    fn write_buffer(&mut self) -> &[u8] {
        // SAFETY: as for read_buffer.
        unsafe {
            let b = super::connection_driver::pn_connection_driver_write_buffer(&mut self.d);
            if b.start.is_null() || b.size == 0 {
                return &[];
            }
            std::slice::from_raw_parts(b.start.cast::<u8>(), b.size)
        }
    }

    fn write_done(&mut self, n: usize) {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_write_done(&mut self.d, n) }
    }

    fn encode(&mut self) -> usize {
        self.write_buffer();
        super::transport::output_ready(self.d.transport)
    }

    fn write_close(&mut self) {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_write_close(&mut self.d) }
    }

    fn write_closed(&mut self) -> bool {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_write_closed(&mut self.d) }
    }

    fn fail(&mut self, cond: &Cond) {
        // SAFETY: a live driver and its transport's condition.
        unsafe {
            set_cond(super::transport::pn_transport_condition(self.d.transport), cond);
            super::connection_driver::pn_connection_driver_close(&mut self.d);
        }
    }

    fn tick(&mut self, now: i64) -> Option<i64> {
        // SAFETY: a live transport.
        let next = unsafe { super::transport::pn_transport_tick(self.d.transport, now) };
        (next != 0).then_some(next)
    }

    fn park_buffers(&mut self) {
        super::transport::park_buffers(self.d.transport);
    }

    fn wake(&mut self) {
        if self.released || self.d.connection.is_null() || self.d.collector.is_null() {
            return;
        }
        // SAFETY: the live collector and connection of this driver.
        unsafe {
            super::event::collector_put(
                self.d.collector.cast::<CollectorObj>(),
                &super::endpoint::PN_CONNECTION_CLASS,
                self.d.connection.cast(),
                pn_event_type_t::PN_CONNECTION_WAKE,
            );
        }
    }

    fn next_event(&mut self) -> Option<EventPtr> {
        // SAFETY: a live driver.
        let e = unsafe { super::connection_driver::pn_connection_driver_next_event(&mut self.d) };
        (!e.is_null()).then_some(EventPtr(e.cast()))
    }

    fn has_event(&mut self) -> bool {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_has_event(&mut self.d) }
    }

    fn finished(&mut self) -> bool {
        // SAFETY: a live driver.
        unsafe { super::connection_driver::pn_connection_driver_finished(&mut self.d) }
    }

    fn attach(&mut self, task: &Arc<Task>) {
        let slot = self.slot();
        if !slot.is_null() {
            // SAFETY: the connection's own slot; see the module doc.
            unsafe { *slot = Arc::as_ptr(task).cast_mut().cast() };
        }
    }

    fn release(&mut self) {
        if self.released {
            return;
        }
        self.released = true;
        self.clear_slot();
        // SAFETY: a live driver: the connection goes back to the caller,
        // its pending events are dropped, the transport closes.
        unsafe {
            super::connection_driver::pn_connection_driver_release_connection(&mut self.d);
            super::event::pn_collector_release(self.d.collector);
            super::connection_driver::pn_connection_driver_close(&mut self.d);
        }
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }
}
