//! Helpers for the proactor tests: thin safe wrappers over the C API as a
//! C program would use it.
#![allow(dead_code)]

use std::ffi::{CStr, CString, c_char};
use std::ptr;

pub use proton::ffi::event::pn_event_type_t;
pub use proton::ffi::event::pn_event_type_t::*;
use proton::ffi::condition::pn_condition_t;
use proton::ffi::event::pn_event_t;
use proton::ffi::types::{pn_connection_t, pn_event_batch_t, pn_listener_t, pn_proactor_t, pn_raw_connection_t, pn_transport_t};
use proton::ffi::{condition, connection, event, listener, netaddr, proactor, raw_connection, transport};

/// A proactor, freed on drop.
pub struct Proactor(pub *mut pn_proactor_t);

// SAFETY: the proactor API is thread-safe.
unsafe impl Send for Proactor {}
// SAFETY: as above.
unsafe impl Sync for Proactor {}

/// An event pointer that may cross threads (tests hand batches around).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ptr(pub usize);

impl Proactor {
    pub fn new() -> Proactor {
        let p = proactor::pn_proactor();
        assert!(!p.is_null());
        Proactor(p)
    }

    pub fn wait(&self) -> Batch {
        // SAFETY: a live proactor.
        let b = unsafe { proactor::pn_proactor_wait(self.0) };
        assert!(!b.is_null());
        Batch(b)
    }

    pub fn get(&self) -> Option<Batch> {
        // SAFETY: a live proactor.
        let b = unsafe { proactor::pn_proactor_get(self.0) };
        (!b.is_null()).then_some(Batch(b))
    }

    pub fn done(&self, b: Batch) {
        // SAFETY: a batch of this proactor.
        unsafe { proactor::pn_proactor_done(self.0, b.0) }
    }

    pub fn set_timeout(&self, ms: u32) {
        // SAFETY: a live proactor.
        unsafe { proactor::pn_proactor_set_timeout(self.0, ms) }
    }

    pub fn cancel_timeout(&self) {
        // SAFETY: a live proactor.
        unsafe { proactor::pn_proactor_cancel_timeout(self.0) }
    }

    pub fn interrupt(&self) {
        // SAFETY: a live proactor.
        unsafe { proactor::pn_proactor_interrupt(self.0) }
    }

    pub fn listen(&self, addr: &str, backlog: i32) -> *mut pn_listener_t {
        let l = listener::pn_listener();
        let a = CString::new(addr).unwrap();
        // SAFETY: live objects.
        unsafe { proactor::pn_proactor_listen(self.0, l, a.as_ptr(), backlog) };
        l
    }

    pub fn connect(&self, c: *mut pn_connection_t, addr: &str) {
        let a = CString::new(addr).unwrap();
        // SAFETY: live objects.
        unsafe { proactor::pn_proactor_connect2(self.0, c, ptr::null_mut(), a.as_ptr()) };
    }

    pub fn raw_connect(&self, r: *mut pn_raw_connection_t, addr: &str) {
        let a = CString::new(addr).unwrap();
        // SAFETY: live objects.
        unsafe { proactor::pn_proactor_raw_connect(self.0, r, a.as_ptr()) };
    }

    pub fn disconnect(&self, name: &str, desc: &str) {
        let c = condition::pn_condition();
        let (n, d) = (CString::new(name).unwrap(), CString::new(desc).unwrap());
        // SAFETY: live objects.
        unsafe {
            condition::pn_condition_set_name(c, n.as_ptr());
            condition::pn_condition_set_description(c, d.as_ptr());
            proactor::pn_proactor_disconnect(self.0, c);
            condition::pn_condition_free(c);
        }
    }

    /// Run batches until `f` returns false (it sees every event); returns
    /// the number of batches.
    pub fn run(&self, mut f: impl FnMut(&Ev) -> bool) -> usize {
        let mut n = 0;
        loop {
            let b = self.wait();
            n += 1;
            let mut go = true;
            while let Some(e) = b.next() {
                if !f(&e) {
                    go = false;
                }
            }
            self.done(b);
            if !go {
                return n;
            }
        }
    }
}

impl Drop for Proactor {
    fn drop(&mut self) {
        // SAFETY: a live proactor no thread uses any more.
        unsafe { proactor::pn_proactor_free(self.0) }
    }
}

pub struct Batch(pub *mut pn_event_batch_t);

// SAFETY: a batch may be handled and done in any thread.
unsafe impl Send for Batch {}

impl Batch {
    pub fn next(&self) -> Option<Ev> {
        // SAFETY: a live batch.
        let e = unsafe { proactor::pn_event_batch_next(self.0) };
        (!e.is_null()).then_some(Ev(e))
    }
}

pub struct Ev(pub *mut pn_event_t);

impl Ev {
    pub fn ty(&self) -> pn_event_type_t {
        // SAFETY: a live event.
        // (pn_event_type returns the raw int: bindings queue their own types.)
        pn_event_type_t::from_raw(unsafe { event::pn_event_type(self.0) }).expect("a proton event type")
    }
    pub fn name(&self) -> String {
        // SAFETY: static strings.
        unsafe { cstr(event::pn_event_type_name(self.ty() as i32)) }.unwrap()
    }
    pub fn connection(&self) -> *mut pn_connection_t {
        // SAFETY: a live event.
        unsafe { event::pn_event_connection(self.0) }
    }
    pub fn transport(&self) -> *mut pn_transport_t {
        // SAFETY: a live event.
        unsafe { event::pn_event_transport(self.0) }
    }
    pub fn listener(&self) -> *mut pn_listener_t {
        // SAFETY: a live event.
        unsafe { listener::pn_event_listener(self.0) }
    }
    pub fn raw(&self) -> *mut pn_raw_connection_t {
        // SAFETY: a live event.
        unsafe { raw_connection::pn_event_raw_connection(self.0) }
    }
    pub fn proactor(&self) -> *mut pn_proactor_t {
        // SAFETY: a live event.
        unsafe { proactor::pn_event_proactor(self.0) }
    }
}

/// # Safety
/// `s` must be NULL or a C string.
pub unsafe fn cstr(s: *const c_char) -> Option<String> {
    // SAFETY: per the contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
}

/// "name: description" of a condition, or None when unset.
pub fn cond_text(c: *mut pn_condition_t) -> Option<String> {
    // SAFETY: a live condition or NULL.
    unsafe {
        if c.is_null() || !condition::pn_condition_is_set(c) {
            return None;
        }
        Some(format!(
            "{}: {}",
            cstr(condition::pn_condition_get_name(c)).unwrap_or_default(),
            cstr(condition::pn_condition_get_description(c)).unwrap_or_default()
        ))
    }
}

pub fn transport_cond(t: *mut pn_transport_t) -> Option<String> {
    // SAFETY: a live transport.
    cond_text(unsafe { transport::pn_transport_condition(t) })
}

pub fn listener_cond(l: *mut pn_listener_t) -> Option<String> {
    // SAFETY: a live listener.
    cond_text(unsafe { listener::pn_listener_condition(l) })
}

pub fn raw_cond(r: *mut pn_raw_connection_t) -> Option<String> {
    // SAFETY: a live raw connection.
    cond_text(unsafe { raw_connection::pn_raw_connection_condition(r) })
}

/// The listening port (after PN_LISTENER_OPEN).
pub fn listener_port(l: *mut pn_listener_t) -> String {
    // SAFETY: a live listener.
    let na = unsafe { netaddr::pn_listener_addr(l) };
    addr_port(na)
}

pub fn addr_port(na: *const netaddr::pn_netaddr_t) -> String {
    let mut port = [0 as c_char; 32];
    // SAFETY: a live address; the buffer is large enough.
    let rc = unsafe { netaddr::pn_netaddr_host_port(na, ptr::null_mut(), 0, port.as_mut_ptr(), port.len()) };
    assert_eq!(rc, 0);
    // SAFETY: NUL-terminated by pn_netaddr_host_port.
    unsafe { cstr(port.as_ptr()) }.unwrap()
}

pub fn addr_str(na: *const netaddr::pn_netaddr_t) -> String {
    let mut buf = [0 as c_char; 128];
    // SAFETY: a live address; the buffer is large enough.
    unsafe { netaddr::pn_netaddr_str(na, buf.as_mut_ptr(), buf.len()) };
    // SAFETY: NUL-terminated.
    unsafe { cstr(buf.as_ptr()) }.unwrap()
}

pub fn new_connection(container: &str) -> *mut pn_connection_t {
    let c = connection::pn_connection();
    let s = CString::new(container).unwrap();
    // SAFETY: a live connection.
    unsafe { connection::pn_connection_set_container(c, s.as_ptr()) };
    c
}

pub fn open(c: *mut pn_connection_t) {
    // SAFETY: a live connection.
    unsafe { connection::pn_connection_open(c) }
}

pub fn close(c: *mut pn_connection_t) {
    // SAFETY: a live connection.
    unsafe { connection::pn_connection_close(c) }
}

pub fn accept(l: *mut pn_listener_t, c: *mut pn_connection_t) {
    // SAFETY: a live listener handling PN_LISTENER_ACCEPT.
    unsafe { listener::pn_listener_accept2(l, c, ptr::null_mut()) }
}

pub fn close_listener(l: *mut pn_listener_t) {
    // SAFETY: a live listener.
    unsafe { listener::pn_listener_close(l) }
}

pub fn wake(c: *mut pn_connection_t) {
    // SAFETY: a live connection.
    unsafe { proactor::pn_connection_wake(c) }
}
