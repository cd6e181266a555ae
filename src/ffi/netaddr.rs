//! `proton/netaddr.h`: the network addresses of proactor transports and
//! listeners.
//!
//! A `pn_netaddr_t` is a `struct sockaddr_storage` with its length and a
//! link to the next address of a list (a listener's). Transports, raw
//! connections and listeners make them on first request and keep them
//! until they are freed.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};
use std::net::SocketAddr;
use std::ptr;

use super::boundary::guard;
use super::proactor::{AmqpConn, conn_task, copy_out};
use super::types::{pn_listener_t, pn_transport_t};

/// A network address (one of possibly several; see `pn_netaddr_next`).
pub struct pn_netaddr_t {
    _private: [u8; 0],
}

/// Write the address as "host:port" (numeric host, as the resolver prints
/// it) into `buf` (`size` bytes, NUL included). Returns the full length,
/// `size` or more when cut short.
///
/// # Safety
/// `addr` must be NULL or a live address; `buf` writable for `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_str(addr: *const pn_netaddr_t, buf: *mut c_char, size: usize) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        let Some(na) = (unsafe { net(addr) }) else { return 0 };
        let text = match na.addr.map(|a| crate::proactor::sys::host_port(&a)) {
            Some(Ok((h, p))) => format!("{h}:{p}"),
            _ => String::new(),
        };
        // SAFETY: per the contract.
        unsafe { copy_out(&text, buf, size) }
    })
}

/// The local address of a transport's socket, or NULL (no socket). Valid
/// until the transport's `PN_TRANSPORT_CLOSED` was handled.
///
/// # Safety
/// `t` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_local_addr(t: *mut pn_transport_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { transport_addr(t, 0) })
}

/// The remote address of a transport's socket, or NULL (no socket). Valid
/// until the transport's `PN_TRANSPORT_CLOSED` was handled.
///
/// # Safety
/// `t` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_transport_remote_addr(t: *mut pn_transport_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { transport_addr(t, 1) })
}

/// The first address a listener listens on (there may be more: see
/// `pn_netaddr_next`), or NULL before `PN_LISTENER_OPEN`. Valid until the
/// listener's `PN_LISTENER_CLOSE` was handled.
///
/// # Safety
/// `l` must be NULL or a live listener.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_listener_addr(l: *mut pn_listener_t) -> *const pn_netaddr_t {
    guard(|| {
        // SAFETY: per the contract.
        let Some(o) = (unsafe { super::listener::obj(l) }) else { return ptr::null() };
        if o.addrs.is_none() {
            // SAFETY: per the contract.
            let addrs = unsafe { super::listener::listener_task(l) }.map(|t| t.listener_addrs()).unwrap_or_default();
            if addrs.is_empty() {
                return ptr::null();
            }
            o.addrs = Some(NetAddr::list(&addrs));
        }
        o.addrs.as_ref().and_then(|a| a.first()).map_or(ptr::null(), |a| ptr::from_ref(a).cast())
    })
}

/// The next address of a listener's list, or NULL at its end.
///
/// # Safety
/// `na` must be NULL or a live address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_next(na: *const pn_netaddr_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { net(na) }.map_or(ptr::null(), |n| n.next.cast()))
}

/// The address as a `struct sockaddr`, or NULL.
///
/// # Safety
/// `na` must be NULL or a live address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_sockaddr(na: *const pn_netaddr_t) -> *const libc::sockaddr {
    guard(|| {
        // SAFETY: per the contract.
        unsafe { net(na) }.filter(|n| n.addr.is_some()).map_or(ptr::null(), |n| ptr::from_ref(&n.ss).cast())
    })
}

/// The size of `pn_netaddr_sockaddr`'s address, or 0.
///
/// # Safety
/// `na` must be NULL or a live address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_socklen(na: *const pn_netaddr_t) -> usize {
    // SAFETY: per the contract.
    guard(|| unsafe { net(na) }.map_or(0, |n| n.len as usize))
}

/// Write the numeric host and the port of an address into `host` (`hlen`
/// bytes) and `port` (`plen` bytes). Returns 0, or non-zero on error (a
/// `getaddrinfo` error code).
///
/// # Safety
/// `na` must be NULL or a live address; `host` and `port` writable for
/// their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_host_port(na: *const pn_netaddr_t, host: *mut c_char, hlen: usize, port: *mut c_char, plen: usize) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        let Some(a) = (unsafe { net(na) }).and_then(|n| n.addr) else { return -1 };
        match crate::proactor::sys::host_port(&a) {
            Ok((h, p)) => {
                // A NULL (or empty) buffer is not wanted.
                let wanted = |b: *mut c_char, len: usize| !b.is_null() && len > 0;
                if (wanted(host, hlen) && h.len() >= hlen) || (wanted(port, plen) && p.len() >= plen) {
                    return libc::EAI_OVERFLOW;
                }
                // SAFETY: per the contract; both fit.
                unsafe {
                    if wanted(host, hlen) {
                        copy_out(&h, host, hlen);
                    }
                    if wanted(port, plen) {
                        copy_out(&p, port, plen);
                    }
                }
                0
            }
            Err(rc) => rc,
        }
    })
}

/// An older name of `pn_transport_local_addr`.
///
/// # Safety
/// As for `pn_transport_local_addr`.
#[deprecated(note = "Use pn_transport_local_addr")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_local(t: *mut pn_transport_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_local_addr(t) })
}

/// An older name of `pn_transport_remote_addr`.
///
/// # Safety
/// As for `pn_transport_remote_addr`.
#[deprecated(note = "Use pn_transport_remote_addr")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_remote(t: *mut pn_transport_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_transport_remote_addr(t) })
}

/// An older name of `pn_listener_addr`.
///
/// # Safety
/// As for `pn_listener_addr`.
#[deprecated(note = "Use pn_listener_addr")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_netaddr_listening(l: *mut pn_listener_t) -> *const pn_netaddr_t {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_listener_addr(l) })
}

// ---------------------------------------------------------------------------
// Implementation

/// The Rust side of `pn_netaddr_t`.
pub struct NetAddr {
    ss: libc::sockaddr_storage,
    len: libc::socklen_t,
    addr: Option<SocketAddr>,
    next: *const NetAddr,
}

impl NetAddr {
    pub(crate) fn new(a: Option<SocketAddr>) -> NetAddr {
        let (ss, len) = match a {
            Some(a) => crate::proactor::sys::to_sockaddr(&a),
            None => {
                // SAFETY: all-zero is a valid (empty) sockaddr_storage.
                (unsafe { std::mem::zeroed() }, 0)
            }
        };
        NetAddr { ss, len, addr: a, next: ptr::null() }
    }

    /// A linked list of addresses (the box keeps them in place).
    pub(crate) fn list(addrs: &[SocketAddr]) -> Box<[NetAddr]> {
        let mut v: Box<[NetAddr]> = addrs.iter().map(|a| NetAddr::new(Some(*a))).collect();
        for i in 1..v.len() {
            let next: *const NetAddr = &v[i];
            v[i - 1].next = next;
        }
        v
    }

    /// The handle of an address, NULL when it is unknown.
    pub(crate) fn get(a: &NetAddr) -> *const pn_netaddr_t {
        if a.addr.is_some() { ptr::from_ref(a).cast() } else { ptr::null() }
    }

    /// A transport's or raw connection's pair: local, remote.
    pub(crate) fn pair(local: Option<SocketAddr>, remote: Option<SocketAddr>) -> Box<[NetAddr; 2]> {
        Box::new([NetAddr::new(local), NetAddr::new(remote)])
    }
}

/// # Safety
/// `na` must be NULL or a live address.
unsafe fn net<'a>(na: *const pn_netaddr_t) -> Option<&'a NetAddr> {
    // SAFETY: per the contract, handles are NetAddr addresses.
    unsafe { na.cast::<NetAddr>().as_ref() }
}

/// Address `which` (0 local, 1 remote) of a transport run by a proactor.
///
/// # Safety
/// `t` must be NULL or a live transport.
unsafe fn transport_addr(t: *mut pn_transport_t, which: usize) -> *const pn_netaddr_t {
    if t.is_null() {
        return ptr::null();
    }
    // SAFETY: per the contract.
    let Some(task) = (unsafe { conn_task(super::transport::pn_transport_connection(t)) }) else { return ptr::null() };
    let (local, remote) = task.socket_addrs();
    task.with_driver(|d| {
        let Some(conn) = d.as_any().downcast_mut::<AmqpConn>() else { return ptr::null() };
        if conn.addrs.is_none() {
            if local.is_none() && remote.is_none() {
                return ptr::null();
            }
            conn.addrs = Some(NetAddr::pair(local, remote));
        }
        conn.addrs.as_ref().map_or(ptr::null(), |a| NetAddr::get(&a[which]))
    })
    .unwrap_or(ptr::null())
}
