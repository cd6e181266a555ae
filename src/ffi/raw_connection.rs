//! `proton/raw_connection.h`: raw connections, sockets the proactor runs
//! without AMQP (`pn_raw_connection_t` itself is declared by `types.h`).
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_void};
use std::ptr;
use std::sync::Arc;

use super::boundary::guard;
use super::cid::pn_cid_t;
use super::condition::pn_condition_t;
use super::event::pn_event_t;
use super::netaddr::{NetAddr, pn_netaddr_t};
use super::object::pn_class_t;
use super::object::record::pn_record_t;
use super::proactor::{Sink, struct_class, task_arc};
use super::types::{pn_proactor_t, pn_raw_connection_t};
use crate::proactor::sys::RawBuf;
use crate::proactor::{Proactor, RawWork, Task};

/// A buffer lent to a raw connection to read into or write from.
///
/// C code fills these in, so the layout is public and must stay
/// proton-c's (`size` comes before `offset`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct pn_raw_buffer_t {
    /// The application's own value, returned with the buffer.
    pub context: usize,
    /// The memory.
    pub bytes: *mut c_char,
    /// How many bytes the memory holds.
    pub capacity: u32,
    /// How many bytes after `offset` are in use.
    pub size: u32,
    /// Where the bytes in use start.
    pub offset: u32,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<pn_raw_buffer_t>() == 32 && align_of::<pn_raw_buffer_t>() == 8);
    assert!(offset_of!(pn_raw_buffer_t, context) == 0);
    assert!(offset_of!(pn_raw_buffer_t, bytes) == 8);
    assert!(offset_of!(pn_raw_buffer_t, capacity) == 16);
    assert!(offset_of!(pn_raw_buffer_t, size) == 20);
    assert!(offset_of!(pn_raw_buffer_t, offset) == 24);
};

/// A new raw connection, to give to `pn_proactor_raw_connect` or
/// `pn_listener_raw_accept` (which own it from then on; there is no free
/// function). NULL when out of memory.
#[unsafe(no_mangle)]
pub extern "C" fn pn_raw_connection() -> *mut pn_raw_connection_t {
    guard(|| {
        let obj = Box::into_raw(Box::new(RawObj {
            condition: super::condition::pn_condition(),
            record: super::endpoint::new_record(),
            task: ptr::null(),
            proactor: ptr::null_mut(),
            pending: None,
            addrs: None,
        }));
        let handle = obj.cast::<pn_raw_connection_t>();
        let addr = handle as usize;
        // SAFETY: `obj` is the fresh allocation.
        let cond = unsafe { (*obj).condition };
        let sink = Sink::new(handle.cast(), &PN_RAW_CONNECTION_CLASS)
            .with_condition(cond)
            .on_attach(attach)
            // SAFETY: the proactor is done with the raw connection: it goes.
            .on_drop(Box::new(move || unsafe { free_raw(addr as *mut pn_raw_connection_t) }));
        // SAFETY: as above.
        unsafe { (*obj).pending = Some(RawWork::new(Box::new(sink))) };
        handle
    })
}

/// The local address of the raw connection's socket, or NULL. Valid until
/// its `PN_RAW_CONNECTION_DISCONNECTED` was handled.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
///
/// cbindgen:ignore
// Declared in `headers/raw_connection.post.h`, with `struct
// pn_netaddr_t` as proton writes it (`netaddr.h` is not included).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_local_addr(connection: *mut pn_raw_connection_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { raw_addr(connection, 0) })
}

/// The remote address of the raw connection's socket, or NULL. Valid until
/// its `PN_RAW_CONNECTION_DISCONNECTED` was handled.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
///
/// cbindgen:ignore
// Declared in `headers/raw_connection.post.h`, with `struct
// pn_netaddr_t` as proton writes it (`netaddr.h` is not included).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_remote_addr(connection: *mut pn_raw_connection_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { raw_addr(connection, 1) })
}

/// Close both directions: buffers given for writing are written first,
/// every buffer comes back (`PN_RAW_CONNECTION_READ`/`WRITTEN`), then
/// `PN_RAW_CONNECTION_DISCONNECTED`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_close(connection: *mut pn_raw_connection_t) {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, RawWork::close) }.unwrap_or(()))
}

/// Stop reading: unused read buffers come back (after
/// `PN_RAW_CONNECTION_DRAIN_BUFFERS`); once writing is closed too,
/// `PN_RAW_CONNECTION_DISCONNECTED` follows.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_read_close(connection: *mut pn_raw_connection_t) {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, RawWork::read_close) }.unwrap_or(()))
}

/// Stop writing once the buffers given so far are written (they come back
/// with `PN_RAW_CONNECTION_WRITTEN`); once reading is closed too,
/// `PN_RAW_CONNECTION_DISCONNECTED` follows.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_write_close(connection: *mut pn_raw_connection_t) {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, RawWork::write_close) }.unwrap_or(()))
}

/// How many more read buffers the raw connection takes now.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_read_buffers_capacity(connection: *mut pn_raw_connection_t) -> usize {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, |w| w.read_capacity()) }.unwrap_or(0))
}

/// How many more write buffers the raw connection takes now.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_write_buffers_capacity(connection: *mut pn_raw_connection_t) -> usize {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, |w| w.write_capacity()) }.unwrap_or(0))
}

/// Lend buffers to read into, in order; returns how many were taken (the
/// first ones, when not all fit). The memory belongs to the raw connection
/// until the buffer comes back from `pn_raw_connection_take_read_buffers`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection; `buffers` holds
/// `num` descriptors whose memory stays valid until given back.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_give_read_buffers(connection: *mut pn_raw_connection_t, buffers: *const pn_raw_buffer_t, num: usize) -> usize {
    guard(|| {
        if buffers.is_null() || num == 0 {
            return 0;
        }
        // SAFETY: per the contract.
        let given = unsafe { std::slice::from_raw_parts(buffers, num) };
        // SAFETY: per the contract.
        unsafe { with_raw(connection, |w| w.give_read_buffers(given.iter().map(lend))) }.unwrap_or(0)
    })
}

/// Take back up to `num` read buffers, in the order they were read into;
/// `size` is the number of bytes read (0 for a buffer returned unused).
/// Returns how many were written to `buffers`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection; `buffers` writable
/// for `num` descriptors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_take_read_buffers(connection: *mut pn_raw_connection_t, buffers: *mut pn_raw_buffer_t, num: usize) -> usize {
    guard(|| {
        if buffers.is_null() {
            return 0;
        }
        // SAFETY: per the contract.
        let taken = unsafe { with_raw(connection, |w| w.take_read_buffers(num)) }.unwrap_or_default();
        // SAFETY: per the contract.
        unsafe { give_back(taken, buffers) }
    })
}

/// Lend buffers to write, in order (`size` bytes from `offset` each);
/// returns how many were taken (the first ones, when not all fit). The
/// memory belongs to the raw connection until the buffer comes back from
/// `pn_raw_connection_take_written_buffers`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection; `buffers` holds
/// `num` descriptors whose memory stays valid until given back.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_write_buffers(connection: *mut pn_raw_connection_t, buffers: *const pn_raw_buffer_t, num: usize) -> usize {
    guard(|| {
        if buffers.is_null() || num == 0 {
            return 0;
        }
        // SAFETY: per the contract.
        let given = unsafe { std::slice::from_raw_parts(buffers, num) };
        // SAFETY: per the contract.
        unsafe { with_raw(connection, |w| w.write_buffers(given.iter().map(lend))) }.unwrap_or(0)
    })
}

/// Take back up to `num` written buffers, in the order they were given,
/// unchanged. Returns how many were written to `buffers`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection; `buffers` writable
/// for `num` descriptors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_take_written_buffers(connection: *mut pn_raw_connection_t, buffers: *mut pn_raw_buffer_t, num: usize) -> usize {
    guard(|| {
        if buffers.is_null() {
            return 0;
        }
        // SAFETY: per the contract.
        let taken = unsafe { with_raw(connection, |w| w.take_written_buffers(num)) }.unwrap_or_default();
        // SAFETY: per the contract.
        unsafe { give_back(taken, buffers) }
    })
}

/// Whether reading is closed.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_is_read_closed(connection: *mut pn_raw_connection_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, |w| w.is_read_closed()) }.unwrap_or(false))
}

/// Whether writing is closed.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_is_write_closed(connection: *mut pn_raw_connection_t) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { with_raw(connection, |w| w.is_write_closed()) }.unwrap_or(false))
}

/// Make a `PN_RAW_CONNECTION_WAKE` happen soon, in the raw connection's
/// own order of events (several calls close together may make one).
/// Thread-safe.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_wake(connection: *mut pn_raw_connection_t) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(connection) }) else { return };
        // SAFETY: the task lives until the raw connection is freed.
        match unsafe { task_arc(o.task) } {
            Some(t) => t.wake(),
            None => {
                if let Some(w) = o.pending.as_mut() {
                    w.wake();
                }
            }
        }
    })
}

/// The raw connection's condition: why it disconnected, when it was an
/// error. Valid while handling `PN_RAW_CONNECTION_DISCONNECTED`.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_condition(connection: *mut pn_raw_connection_t) -> *mut pn_condition_t {
    // SAFETY: per the contract.
    guard(|| unsafe { obj(connection) }.map_or(ptr::null_mut(), |o| o.condition))
}

/// The application's context pointer (NULL until set).
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_get_context(connection: *mut pn_raw_connection_t) -> *mut c_void {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(connection) }) else { return ptr::null_mut() };
        // SAFETY: the record lives with the raw connection.
        unsafe { super::object::record::pn_record_get(o.record, ptr::null()) }
    })
}

/// Set the application's context pointer.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_set_context(connection: *mut pn_raw_connection_t, context: *mut c_void) {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { obj(connection) }) else { return };
        // SAFETY: the record lives with the raw connection.
        unsafe { super::object::record::pn_record_set(o.record, ptr::null(), context) }
    })
}

/// The raw connection's attachments; they live as long as it does.
///
/// # Safety
/// `connection` must be NULL or a live raw connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_raw_connection_attachments(connection: *mut pn_raw_connection_t) -> *mut pn_record_t {
    // SAFETY: per the contract.
    guard(|| unsafe { obj(connection) }.map_or(ptr::null_mut(), |o| o.record))
}

/// The raw connection an event is about, or NULL.
///
/// # Safety
/// `event` must be NULL or a live event.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_event_raw_connection(event: *mut pn_event_t) -> *mut pn_raw_connection_t {
    guard(|| {
        if event.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe {
            if ptr::eq(super::event::pn_event_class(event), &PN_RAW_CONNECTION_CLASS) {
                super::event::pn_event_context(event).cast()
            } else {
                ptr::null_mut()
            }
        }
    })
}

// ---------------------------------------------------------------------------
// Implementation

/// The raw connection's event class.
pub static PN_RAW_CONNECTION_CLASS: pn_class_t = struct_class(c"pn_raw_connection", pn_cid_t::CID_pn_raw_connection);

/// The Rust side of `pn_raw_connection_t`.
pub(crate) struct RawObj {
    condition: *mut pn_condition_t,
    record: *mut pn_record_t,
    /// The task running it (NULL before it is given to a proactor).
    task: *const Task,
    proactor: *mut pn_proactor_t,
    /// Its state until it is given to a proactor.
    pending: Option<RawWork>,
    addrs: Option<Box<[NetAddr; 2]>>,
}

/// # Safety
/// `r` must be NULL or a live raw connection.
unsafe fn obj<'a>(r: *mut pn_raw_connection_t) -> Option<&'a mut RawObj> {
    // SAFETY: per the contract, handles are RawObj addresses.
    unsafe { r.cast::<RawObj>().as_mut() }
}

/// Run `f` on the raw connection's state, wherever it is.
///
/// # Safety
/// `r` must be NULL or a live raw connection.
unsafe fn with_raw<R>(r: *mut pn_raw_connection_t, f: impl FnOnce(&mut RawWork) -> R) -> Option<R> {
    // SAFETY: per the contract.
    let o = unsafe { obj(r) }?;
    if let Some(w) = o.pending.as_mut() {
        return Some(f(w));
    }
    // SAFETY: the task lives until the raw connection is freed.
    unsafe { task_arc(o.task) }?.with_raw(f)
}

/// A C buffer descriptor as a lent buffer.
fn lend(b: &pn_raw_buffer_t) -> RawBuf {
    // SAFETY: the caller of give/write (the C API contract) lends this
    // memory until the buffer comes back.
    unsafe { RawBuf::new(b.context, b.bytes.cast(), b.capacity, b.size, b.offset) }
}

/// Write returned buffers to C descriptors.
///
/// # Safety
/// `out` must be writable for `bufs.len()` descriptors.
unsafe fn give_back(bufs: Vec<RawBuf>, out: *mut pn_raw_buffer_t) -> usize {
    let n = bufs.len();
    for (i, b) in bufs.into_iter().enumerate() {
        let (context, bytes, capacity, size, offset) = b.parts();
        // SAFETY: per the contract, i < n fits.
        unsafe { out.add(i).write(pn_raw_buffer_t { context, bytes: bytes.cast(), capacity, size, offset }) };
    }
    n
}

unsafe fn free_raw(r: *mut pn_raw_connection_t) {
    // SAFETY: the proactor is done with the raw connection, which goes.
    unsafe {
        let o = Box::from_raw(r.cast::<RawObj>());
        super::condition::pn_condition_free(o.condition);
        super::object::pn_free(o.record.cast());
    }
}

fn attach(context: *mut c_void, task: *const Task) {
    // SAFETY: the context of a raw connection's sink is the live raw
    // connection, and the task starts before anyone else can see it.
    if let Some(o) = unsafe { obj(context.cast()) } {
        o.task = task;
    }
}

/// The proactor running a raw connection.
///
/// # Safety
/// `r` must be NULL or a live raw connection.
pub(crate) unsafe fn raw_proactor(r: *mut pn_raw_connection_t) -> *mut pn_proactor_t {
    // SAFETY: per the contract.
    unsafe { obj(r) }.map_or(ptr::null_mut(), |o| o.proactor)
}

/// `pn_proactor_raw_connect`'s work.
///
/// # Safety
/// `r` must be a live raw connection.
pub(crate) unsafe fn raw_connect(p: &Proactor, r: *mut pn_raw_connection_t, addr: &str) {
    // SAFETY: per the contract.
    let Some(o) = (unsafe { obj(r) }) else { return };
    let Some(work) = o.pending.take() else { return };
    o.proactor = (p as *const Proactor).cast_mut().cast();
    p.raw_connect(work, addr);
}

/// `pn_listener_raw_accept`'s work.
///
/// # Safety
/// `r` must be a live raw connection.
pub(crate) unsafe fn raw_accept(p: &Proactor, listener: &Arc<Task>, r: *mut pn_raw_connection_t) {
    // SAFETY: per the contract.
    let Some(o) = (unsafe { obj(r) }) else { return };
    let Some(work) = o.pending.take() else { return };
    o.proactor = (p as *const Proactor).cast_mut().cast();
    p.raw_accept(listener, work);
}

/// Address `which` (0 local, 1 remote) of a raw connection.
///
/// # Safety
/// `r` must be NULL or a live raw connection.
unsafe fn raw_addr(r: *mut pn_raw_connection_t, which: usize) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    let Some(o) = (unsafe { obj(r) }) else { return ptr::null() };
    if o.addrs.is_none() {
        // SAFETY: the task lives until the raw connection is freed.
        let Some(task) = (unsafe { task_arc(o.task) }) else { return ptr::null() };
        let (local, remote) = task.socket_addrs();
        if local.is_none() && remote.is_none() {
            return ptr::null();
        }
        o.addrs = Some(NetAddr::pair(local, remote));
    }
    o.addrs.as_ref().map_or(ptr::null(), |a| NetAddr::get(&a[which]))
}
