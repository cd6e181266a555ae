//! The few system calls the proactor makes outside mio: the monotonic
//! clock, name resolution (`getaddrinfo`, in the calling thread, as
//! proton-c does), listening sockets with proton's options, error texts,
//! and conversions between `SocketAddr` and `struct sockaddr`.
//!
//! This is the only file of `proactor/` with unsafe code.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_int};
use std::io;
use std::mem::{size_of, zeroed};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::FromRawFd;

/// Milliseconds on the monotonic clock (`pn_proactor_now_64`).
pub fn now_ms() -> i64 {
    // SAFETY: `ts` is a valid out-parameter; CLOCK_MONOTONIC always exists
    // on Linux.
    unsafe {
        let mut ts: libc::timespec = zeroed();
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
        ts.tv_sec as i64 * 1000 + ts.tv_nsec as i64 / 1_000_000
    }
}

/// The C library's text for an `errno` value ("Connection refused").
pub fn strerror(code: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the XSI strerror_r writes a NUL-terminated string of at most
    // `buf.len()` bytes into `buf`.
    let rc = unsafe { libc::strerror_r(code, buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {code}");
    }
    CStr::from_bytes_until_nul(&buf).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The text of an I/O error as proton prints it: `strerror` for OS
/// errors, otherwise Rust's own description.
pub fn error_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => strerror(code),
        None => e.to_string(),
    }
}

/// Resolve `host`/`port` into stream socket addresses, in the order
/// `getaddrinfo` gives them. `host` `None` means the local host (or, when
/// `passive`, every local interface). The error is `gai_strerror`'s text.
pub fn resolve(host: Option<&str>, port: &str, passive: bool) -> Result<Vec<SocketAddr>, String> {
    let chost = match host {
        Some(h) => Some(CString::new(h).map_err(|_| "Name or service not known".to_string())?),
        None => None,
    };
    let cport = CString::new(port).map_err(|_| "Servname not supported for ai_socktype".to_string())?;
    // SAFETY: plain C struct; all-zero is its documented "no hints" value.
    let mut hints: libc::addrinfo = unsafe { zeroed() };
    hints.ai_family = libc::AF_UNSPEC;
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_protocol = libc::IPPROTO_TCP;
    hints.ai_flags = if passive { libc::AI_PASSIVE } else { 0 };
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: the strings are NUL-terminated and outlive the call; `res`
    // is an out-parameter freed below.
    let rc = unsafe {
        libc::getaddrinfo(
            chost.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
            cport.as_ptr(),
            &hints,
            &mut res,
        )
    };
    if rc != 0 {
        let text = if rc == libc::EAI_SYSTEM {
            strerror(io::Error::last_os_error().raw_os_error().unwrap_or(0))
        } else {
            // SAFETY: gai_strerror returns a static NUL-terminated string.
            unsafe { CStr::from_ptr(libc::gai_strerror(rc)) }.to_string_lossy().into_owned()
        };
        return Err(text);
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        // SAFETY: `p` walks the list getaddrinfo returned; each node's
        // address is `ai_addrlen` bytes long.
        unsafe {
            if let Some(a) = from_sockaddr((*p).ai_addr.cast(), (*p).ai_addrlen as usize) {
                out.push(a);
            }
            p = (*p).ai_next;
        }
    }
    // SAFETY: `res` came from a successful getaddrinfo.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// A listening socket bound to `addr` with proton's options: address
/// reuse, IPv6 sockets for IPv6 only (so `::` and `0.0.0.0` can share a
/// port), non-blocking, close-on-exec, and the caller's backlog.
pub fn listen(addr: &SocketAddr, backlog: i32) -> io::Result<std::net::TcpListener> {
    let family = if addr.is_ipv4() { libc::AF_INET } else { libc::AF_INET6 };
    // SAFETY: plain socket(2) call; the result is checked.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh socket this function owns; from here on the
    // listener closes it on every path.
    let listener = unsafe { std::net::TcpListener::from_raw_fd(fd) };
    let on: c_int = 1;
    let setopt = |level, name| {
        // SAFETY: `on` is a valid c_int option value of the given size.
        let rc = unsafe { libc::setsockopt(fd, level, name, (&on as *const c_int).cast(), size_of::<c_int>() as _) };
        if rc < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
    };
    setopt(libc::SOL_SOCKET, libc::SO_REUSEADDR)?;
    if addr.is_ipv6() {
        setopt(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY)?;
    }
    let (ss, len) = to_sockaddr(addr);
    // SAFETY: `ss` holds a valid address of `len` bytes.
    if unsafe { libc::bind(fd, (&ss as *const libc::sockaddr_storage).cast(), len) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: plain listen(2) on our socket.
    if unsafe { libc::listen(fd, backlog) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(listener)
}

/// `addr` as a `struct sockaddr_storage` and its length.
pub fn to_sockaddr(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut ss: libc::sockaddr_storage = unsafe { zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and as aligned as
            // sockaddr_in.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr { s6_addr: a.ip().octets() },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: as above, for sockaddr_in6.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

/// The `SocketAddr` of an IPv4 or IPv6 `struct sockaddr`.
///
/// # Safety
/// `sa` must point to at least `len` readable bytes.
unsafe fn from_sockaddr(sa: *const libc::sockaddr_storage, len: usize) -> Option<SocketAddr> {
    // SAFETY: per the contract; each cast is checked against `len`.
    unsafe {
        match (*sa).ss_family as c_int {
            libc::AF_INET if len >= size_of::<libc::sockaddr_in>() => {
                let sin = &*sa.cast::<libc::sockaddr_in>();
                let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
                Some(SocketAddr::V4(SocketAddrV4::new(ip, u16::from_be(sin.sin_port))))
            }
            libc::AF_INET6 if len >= size_of::<libc::sockaddr_in6>() => {
                let sin6 = &*sa.cast::<libc::sockaddr_in6>();
                let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                Some(SocketAddr::V6(SocketAddrV6::new(
                    ip,
                    u16::from_be(sin6.sin6_port),
                    sin6.sin6_flowinfo,
                    sin6.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }
}

/// Numeric host and port of an address, as `getnameinfo` writes them
/// ("::1", "fe80::1%eth0", "5672").
pub fn host_port(addr: &SocketAddr) -> Result<(String, String), i32> {
    let (ss, len) = to_sockaddr(addr);
    let mut host = [0u8; libc::NI_MAXHOST as usize];
    let mut serv = [0u8; 32];
    // SAFETY: the buffers are writable for the lengths given; `ss` holds
    // `len` bytes of address.
    let rc = unsafe {
        libc::getnameinfo(
            (&ss as *const libc::sockaddr_storage).cast(),
            len,
            host.as_mut_ptr().cast(),
            host.len() as _,
            serv.as_mut_ptr().cast(),
            serv.len() as _,
            libc::NI_NUMERICHOST | libc::NI_NUMERICSERV,
        )
    };
    if rc != 0 {
        return Err(rc);
    }
    let text = |b: &[u8]| CStr::from_bytes_until_nul(b).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((text(&host), text(&serv)))
}

/// Raise the soft limit on open files to the hard limit; returns the new
/// soft limit. (For tests holding thousands of connections.)
pub fn raise_fd_limit() -> u64 {
    // SAFETY: valid out-parameter, then setrlimit with values read back.
    unsafe {
        let mut rl: libc::rlimit = zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) != 0 {
            return 0;
        }
        rl.rlim_cur = rl.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &rl);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl);
        rl.rlim_cur as u64
    }
}

/// A buffer the application lent a raw connection (`pn_raw_buffer_t`):
/// memory the proactor reads into or writes from until it hands the
/// buffer back.
#[derive(Debug)]
pub struct RawBuf {
    pub context: usize,
    bytes: *mut u8,
    pub capacity: u32,
    pub size: u32,
    pub offset: u32,
}

// SAFETY: the memory is lent to the raw connection, which is used by one
// thread at a time; the application does not touch it until it is given
// back (the contract of `pn_raw_connection_give_read_buffers` and
// `pn_raw_connection_write_buffers`).
unsafe impl Send for RawBuf {}

impl RawBuf {
    /// # Safety
    /// Unless `bytes` is NULL, `bytes[..max(capacity, offset + size)]` must
    /// be valid memory that nothing else reads or writes until this buffer
    /// is returned to the application (dropped or given back through
    /// [`RawBuf::parts`]).
    pub unsafe fn new(context: usize, bytes: *mut u8, capacity: u32, size: u32, offset: u32) -> RawBuf {
        RawBuf { context, bytes, capacity, size, offset }
    }

    /// The fields, to give the buffer back to C.
    pub fn parts(&self) -> (usize, *mut u8, u32, u32, u32) {
        (self.context, self.bytes, self.capacity, self.size, self.offset)
    }

    /// Where to read into: after `offset`, up to `capacity`.
    pub fn spare_mut(&mut self) -> &mut [u8] {
        let start = self.offset.min(self.capacity) as usize;
        if self.bytes.is_null() {
            return &mut [];
        }
        // SAFETY: per `new`, `bytes[..capacity]` is valid and ours.
        unsafe { std::slice::from_raw_parts_mut(self.bytes.add(start), self.capacity as usize - start) }
    }

    /// The bytes to write: `size` bytes from `offset`, skipping the first
    /// `done`.
    pub fn data(&self, done: u32) -> &[u8] {
        let end = self.offset as usize + self.size as usize;
        let start = (self.offset as usize + done as usize).min(end);
        if self.bytes.is_null() || end <= start {
            return &[];
        }
        // SAFETY: per `new`, `bytes[..offset + size]` is valid; start..end
        // lies within it.
        unsafe { std::slice::from_raw_parts(self.bytes.add(start), end - start) }
    }
}
