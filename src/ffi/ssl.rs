//! `proton/ssl.h`: TLS for a transport, and the shared configuration
//! (domain) of many.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// TLS settings shared by the transports that use them.
pub struct pn_ssl_domain_t {
    _private: [u8; 0],
}

/// The TLS layer of one transport.
pub struct pn_ssl_t {
    _private: [u8; 0],
}

/// Which end of the TLS handshake a domain is for.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_mode_t {
    /// The client end.
    PN_SSL_MODE_CLIENT = 1,
    /// The server end.
    PN_SSL_MODE_SERVER = 2,
}

/// `pn_ssl_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_mode_t_raw = c_int;

enum_from_raw!(pn_ssl_mode_t { PN_SSL_MODE_CLIENT, PN_SSL_MODE_SERVER });

/// Whether a TLS session was resumed.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_resume_status_t {
    /// Not known (yet).
    PN_SSL_RESUME_UNKNOWN = 0,
    /// A new session.
    PN_SSL_RESUME_NEW = 1,
    /// A resumed session.
    PN_SSL_RESUME_REUSED = 2,
}

/// `pn_ssl_resume_status_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_resume_status_t_raw = c_int;

enum_from_raw!(pn_ssl_resume_status_t { PN_SSL_RESUME_UNKNOWN, PN_SSL_RESUME_NEW, PN_SSL_RESUME_REUSED });

/// How much of the peer's identity to check.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_verify_mode_t {
    /// Not set.
    PN_SSL_VERIFY_NULL = 0,
    /// Check the peer's certificate.
    PN_SSL_VERIFY_PEER = 1,
    /// Do not check the peer (allows anonymous peers).
    PN_SSL_ANONYMOUS_PEER = 2,
    /// Check the certificate and that it names the host connected to.
    PN_SSL_VERIFY_PEER_NAME = 3,
}

/// `pn_ssl_verify_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_verify_mode_t_raw = c_int;

enum_from_raw!(pn_ssl_verify_mode_t {
    PN_SSL_VERIFY_NULL,
    PN_SSL_VERIFY_PEER,
    PN_SSL_ANONYMOUS_PEER,
    PN_SSL_VERIFY_PEER_NAME,
});

/// A field of the subject of a certificate.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_cert_subject_subfield {
    PN_SSL_CERT_SUBJECT_COUNTRY_NAME = 0,
    PN_SSL_CERT_SUBJECT_STATE_OR_PROVINCE = 1,
    PN_SSL_CERT_SUBJECT_CITY_OR_LOCALITY = 2,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_NAME = 3,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_UNIT = 4,
    PN_SSL_CERT_SUBJECT_COMMON_NAME = 5,
}

/// `pn_ssl_cert_subject_subfield` as C passes it (any int); convert with
/// `from_raw`.
pub type pn_ssl_cert_subject_subfield_raw = c_int;

enum_from_raw!(pn_ssl_cert_subject_subfield {
    PN_SSL_CERT_SUBJECT_COUNTRY_NAME,
    PN_SSL_CERT_SUBJECT_STATE_OR_PROVINCE,
    PN_SSL_CERT_SUBJECT_CITY_OR_LOCALITY,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_NAME,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_UNIT,
    PN_SSL_CERT_SUBJECT_COMMON_NAME,
});

/// A hash algorithm for certificate fingerprints.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_hash_alg {
    PN_SSL_SHA1 = 0,
    PN_SSL_SHA256 = 1,
    PN_SSL_SHA512 = 2,
    PN_SSL_MD5 = 3,
}

/// `pn_ssl_hash_alg` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_hash_alg_raw = c_int;

enum_from_raw!(pn_ssl_hash_alg { PN_SSL_SHA1, PN_SSL_SHA256, PN_SSL_SHA512, PN_SSL_MD5 });

const _: () = {
    assert!(std::mem::size_of::<pn_ssl_mode_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_resume_status_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_verify_mode_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_cert_subject_subfield>() == 4);
    assert!(std::mem::size_of::<pn_ssl_hash_alg>() == 4);
};

// ---------------------------------------------------------------------------
// Implementation
//
// A domain handle is an `Arc<Domain>` turned into a pointer: every
// transport initialised with the domain holds another reference, so
// `pn_ssl_domain_free` only drops the application's (proton's reference
// counting of domains). A `pn_ssl_t` is its transport's handle, as in
// proton-c: the TLS state lives in the transport's layer stack.

use std::ffi::{CStr, c_char};
use std::path::Path;
use std::ptr;
use std::sync::Arc;

use super::boundary::{FfiDefault, guard, try_mut, try_ref};
use super::handle::Handle;
use super::transport::TransportObj;
use super::types::pn_transport_t;
use crate::transport::tls::{Domain, HashAlg, Mode, Resume, Tls, Verify};

// SAFETY: every non-NULL `pn_ssl_domain_t *` the library hands out is
// `Arc::into_raw` of an `Arc<Domain>`, i.e. the address of a live `Domain`
// until its last reference is dropped.
unsafe impl Handle for pn_ssl_domain_t {
    type Target = Domain;
}

// SAFETY: `pn_ssl` returns its transport's handle, the address of a live
// `TransportObj` (see transport.rs).
unsafe impl Handle for pn_ssl_t {
    type Target = TransportObj;
}

impl FfiDefault for pn_ssl_resume_status_t {
    fn ffi_default() -> Self {
        pn_ssl_resume_status_t::PN_SSL_RESUME_UNKNOWN
    }
}

/// A new reference to the domain behind a handle.
///
/// # Safety
/// `domain` is a live domain handle.
unsafe fn domain_arc(domain: *mut pn_ssl_domain_t) -> Arc<Domain> {
    let p = domain.cast::<Domain>().cast_const();
    // SAFETY: per the contract the handle came from `Arc::into_raw` and its
    // reference is still held; this adds one for the returned `Arc`.
    unsafe {
        Arc::increment_strong_count(p);
        Arc::from_raw(p)
    }
}

/// An optional C string argument as a path.
///
/// # Safety
/// `s` is NULL or NUL-terminated.
unsafe fn arg<'a>(s: *const c_char) -> Option<&'a str> {
    // SAFETY: per the contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_str().ok()).flatten()
}

fn code(r: Result<(), i32>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e,
    }
}

/// The TLS layer of the transport behind an ssl handle.
fn tls_of(t: &mut TransportObj) -> Option<&mut Tls> {
    t.t.tls_mut()?.as_any_mut().downcast_mut::<Tls>()
}

/// The host name of the connection the transport is bound to.
fn connection_hostname(t: &TransportObj) -> Option<String> {
    // SAFETY: the bound connection is live while bound.
    let conn = unsafe { t.conn.as_ref() }?;
    let h = conn.engine.hostname.as_ref()?;
    (!h.as_bytes().is_empty()).then(|| h.to_string_lossy().into_owned())
}

/// Copy `s` into a C buffer as `snprintf` would (cut to fit, always
/// NUL-terminated when there is room at all).
///
/// # Safety
/// `buffer` has room for `size` bytes (or `size` is 0).
unsafe fn copy_out(s: &str, buffer: *mut c_char, size: usize) {
    if buffer.is_null() || size == 0 {
        return;
    }
    let n = s.len().min(size - 1);
    // SAFETY: per the contract; `n + 1 <= size`.
    unsafe {
        ptr::copy_nonoverlapping(s.as_ptr(), buffer.cast::<u8>(), n);
        *buffer.add(n) = 0;
    }
}

/// Whether TLS is available: always.
#[unsafe(no_mangle)]
pub extern "C" fn pn_ssl_present() -> bool {
    guard(|| true)
}

/// A new domain for clients or servers; NULL for any other mode. Free it
/// with `pn_ssl_domain_free`.
#[unsafe(no_mangle)]
pub extern "C" fn pn_ssl_domain(mode: pn_ssl_mode_t_raw) -> *mut pn_ssl_domain_t {
    guard(|| {
        let mode = match pn_ssl_mode_t::from_raw(mode) {
            Some(pn_ssl_mode_t::PN_SSL_MODE_CLIENT) => Mode::Client,
            Some(pn_ssl_mode_t::PN_SSL_MODE_SERVER) => Mode::Server,
            None => return ptr::null_mut(),
        };
        pn_ssl_domain_t::from_target(Arc::into_raw(Arc::new(Domain::new(mode))).cast_mut())
    })
}

/// Drop the application's reference to a domain; transports still using
/// it keep it alive.
///
/// # Safety
/// `domain` must be NULL or a live domain, not used by the caller again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_free(domain: *mut pn_ssl_domain_t) {
    guard(|| {
        if !domain.is_null() {
            // SAFETY: per the contract, the handle's own reference.
            drop(unsafe { Arc::from_raw(domain.cast::<Domain>().cast_const()) });
        }
    })
}

/// The certificate (a PEM file, possibly with its chain) and private key
/// (a PEM file, encrypted with `password` if not NULL) this end presents.
/// Returns 0, or `PN_OVERFLOW` if the certificate cannot be loaded and
/// `PN_UNDERFLOW` if the key cannot (or does not match it).
///
/// # Safety
/// `domain` must be NULL or a live domain; the strings NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_set_credentials(
    domain: *mut pn_ssl_domain_t,
    credential_1: *const c_char,
    credential_2: *const c_char,
    password: *const c_char,
) -> c_int {
    guard(|| {
        let d = try_ref!(domain);
        // SAFETY: per the contract.
        let (cert, key, password) = unsafe { (arg(credential_1), arg(credential_2), arg(password)) };
        let Some(cert) = cert else { return super::error::PN_OVERFLOW };
        code(d.set_credentials(Path::new(cert), key.map(Path::new), password))
    })
}

/// The CAs (a PEM file or a directory of hashed certificates) trusted to
/// sign peer certificates, instead of the system's. Returns 0 or -1.
///
/// # Safety
/// `domain` must be NULL or a live domain; `certificate_db` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_set_trusted_ca_db(
    domain: *mut pn_ssl_domain_t,
    certificate_db: *const c_char,
) -> c_int {
    guard(|| {
        let d = try_ref!(domain);
        // SAFETY: per the contract.
        match unsafe { arg(certificate_db) } {
            Some(db) => code(d.set_trusted_ca_db(Path::new(db))),
            None => super::error::PN_EOS,
        }
    })
}

/// How the peer is checked. A server that verifies needs its own
/// credentials and a trusted CA database first, and names in `trusted_CAs`
/// the CAs it tells clients it accepts. Returns 0 or -1.
///
/// # Safety
/// `domain` must be NULL or a live domain; `trusted_CAs` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
#[allow(non_snake_case)]
pub unsafe extern "C" fn pn_ssl_domain_set_peer_authentication(
    domain: *mut pn_ssl_domain_t,
    mode: pn_ssl_verify_mode_t_raw,
    trusted_CAs: *const c_char,
) -> c_int {
    guard(|| {
        let d = try_ref!(domain);
        let verify = match pn_ssl_verify_mode_t::from_raw(mode) {
            Some(pn_ssl_verify_mode_t::PN_SSL_VERIFY_PEER) => Verify::Peer,
            Some(pn_ssl_verify_mode_t::PN_SSL_VERIFY_PEER_NAME) => Verify::PeerName,
            Some(pn_ssl_verify_mode_t::PN_SSL_ANONYMOUS_PEER) => Verify::Anonymous,
            _ => return super::error::PN_EOS,
        };
        // SAFETY: per the contract.
        let cas = unsafe { arg(trusted_CAs) };
        code(d.set_peer_authentication(verify, cas.map(Path::new)))
    })
}

/// Enable only the listed protocol versions (space-separated: `TLSv1`,
/// `TLSv1.1`, `TLSv1.2`, `TLSv1.3`; by default TLS 1.2 and 1.3). Returns 0
/// or `PN_ARG_ERR` for an empty list or an unknown name.
///
/// # Safety
/// `domain` must be NULL or a live domain; `protocols` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_set_protocols(domain: *mut pn_ssl_domain_t, protocols: *const c_char) -> c_int {
    guard(|| {
        let d = try_ref!(domain);
        // SAFETY: per the contract.
        match unsafe { arg(protocols) } {
            Some(p) => code(d.set_protocols(p)),
            None => super::error::PN_ARG_ERR,
        }
    })
}

/// The permitted cipher suites (up to TLS 1.2), in OpenSSL's cipher list
/// syntax; anonymous suites stay excluded while the peer is verified.
/// Returns 0 or `PN_ARG_ERR` when OpenSSL accepts none of the list.
///
/// # Safety
/// `domain` must be NULL or a live domain; `ciphers` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_set_ciphers(domain: *mut pn_ssl_domain_t, ciphers: *const c_char) -> c_int {
    guard(|| {
        let d = try_ref!(domain);
        // SAFETY: per the contract.
        match unsafe { arg(ciphers) } {
            Some(c) => code(d.set_ciphers(c)),
            None => super::error::PN_ARG_ERR,
        }
    })
}

/// Let a server accept clients that do not use TLS on the same port (it
/// tells them apart by their first bytes). Returns 0, or -1 for a client
/// domain. Deprecated in proton: `pn_transport_require_encryption` is the
/// newer way to say whether plain clients are refused.
///
/// # Safety
/// `domain` must be NULL or a live domain.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_domain_allow_unsecured_client(domain: *mut pn_ssl_domain_t) -> c_int {
    guard(|| code(try_ref!(domain).allow_unsecured_client()))
}

/// The TLS layer of `transport`, made on the first call (later calls
/// return the same). It is the transport's own handle, as in proton-c; it
/// lives as long as the transport.
///
/// # Safety
/// `transport` must be NULL or a live transport.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl(transport: *mut pn_transport_t) -> *mut pn_ssl_t {
    guard(|| {
        let t = try_mut!(transport);
        if t.t.tls().is_none() {
            t.t.set_tls(Box::new(Tls::new()));
        }
        transport.cast::<pn_ssl_t>()
    })
}

/// Configure the TLS layer from `domain` (NULL: proton's default for the
/// transport's side: clients verify the server and its name against the
/// system's CAs; servers accept anyone and have no certificate). With a
/// `session_id`, a client offers to resume the session last made under
/// that id with the same domain. Call before the transport's first I/O.
/// Returns 0 or an error code.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle; `domain` NULL or a live domain;
/// `session_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_init(ssl: *mut pn_ssl_t, domain: *mut pn_ssl_domain_t, session_id: *const c_char) -> c_int {
    guard(|| {
        if ssl.is_null() {
            return super::error::PN_ARG_ERR;
        }
        let t = try_mut!(ssl);
        let server = t.t.st.server;
        let d = if domain.is_null() {
            Arc::new(Domain::new(if server { Mode::Server } else { Mode::Client }))
        } else {
            // SAFETY: per the contract, a live domain.
            unsafe { domain_arc(domain) }
        };
        let host = connection_hostname(t);
        // SAFETY: per the contract.
        let sid = unsafe { arg(session_id) };
        let Some(tls) = tls_of(t) else { return super::error::PN_ERR };
        if let Err(e) = tls.init(&d, sid) {
            return e;
        }
        tls.set_default_hostname(host.as_deref());
        if d.mode() == Mode::Server && !d.allows_unsecured() {
            // Plain AMQP clients are refused (unless the domain allows them).
            t.t.st.encryption_required = true;
        }
        0
    })
}

/// Write the name of the cipher in use into `buffer` (cut to fit); false
/// before the handshake is done.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle; `buffer` must have room for
/// `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_cipher_name(ssl: *mut pn_ssl_t, buffer: *mut c_char, size: usize) -> bool {
    guard(|| {
        let Some(name) = tls_of(try_mut!(ssl)).and_then(|t| t.cipher_name()) else { return false };
        // SAFETY: per the contract.
        unsafe { copy_out(name, buffer, size) };
        true
    })
}

/// The strength of the cipher in use, in bits (0 before the handshake).
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_ssf(ssl: *mut pn_ssl_t) -> c_int {
    guard(|| tls_of(try_mut!(ssl)).map_or(0, |t| t.ssf()))
}

/// Write the protocol version in use (e.g. `TLSv1.3`) into `buffer` (cut
/// to fit); false before the handshake is done.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle; `buffer` must have room for
/// `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_protocol_name(ssl: *mut pn_ssl_t, buffer: *mut c_char, size: usize) -> bool {
    guard(|| {
        let Some(name) = tls_of(try_mut!(ssl)).and_then(|t| t.protocol_name()) else { return false };
        // SAFETY: per the contract.
        unsafe { copy_out(name, buffer, size) };
        true
    })
}

/// Whether the session was resumed: unknown before `pn_ssl_init`, then
/// new or reused.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_resume_status(ssl: *mut pn_ssl_t) -> pn_ssl_resume_status_t {
    guard(|| match tls_of(try_mut!(ssl)).map_or(Resume::Unknown, |t| t.resume_status()) {
        Resume::Unknown => pn_ssl_resume_status_t::PN_SSL_RESUME_UNKNOWN,
        Resume::New => pn_ssl_resume_status_t::PN_SSL_RESUME_NEW,
        Resume::Reused => pn_ssl_resume_status_t::PN_SSL_RESUME_REUSED,
    })
}

/// The host name the peer's certificate must name (with
/// `PN_SSL_VERIFY_PEER_NAME`), also sent by clients as SNI. Without it, the
/// bound connection's host name is used. NULL clears it. Returns 0.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle; `hostname` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_set_peer_hostname(ssl: *mut pn_ssl_t, hostname: *const c_char) -> c_int {
    guard(|| {
        let Some(tls) = tls_of(try_mut!(ssl)) else { return super::error::PN_ERR };
        // SAFETY: per the contract.
        let name = (!hostname.is_null()).then(|| unsafe { CStr::from_ptr(hostname) }.to_string_lossy().into_owned());
        tls.set_peer_hostname(name.as_deref());
        0
    })
}

/// The peer host name set: `*bufsize` becomes its length (0 if none) and,
/// if `hostname` is not NULL, the name is copied there with its NUL.
/// Returns 0, or -1 (and changes nothing) when `*bufsize` is too small.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle; `bufsize` must point to the
/// size of `hostname`, which is NULL or has room for that many bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_peer_hostname(ssl: *mut pn_ssl_t, hostname: *mut c_char, bufsize: *mut usize) -> c_int {
    guard(|| {
        let Some(tls) = tls_of(try_mut!(ssl)) else { return super::error::PN_ERR };
        if bufsize.is_null() {
            return super::error::PN_ARG_ERR;
        }
        let name = tls.peer_hostname().unwrap_or("");
        // SAFETY: per the contract.
        unsafe {
            if name.is_empty() {
                *bufsize = 0;
                return 0;
            }
            if !hostname.is_null() {
                if name.len() >= *bufsize {
                    return super::error::PN_EOS;
                }
                copy_out(name, hostname, *bufsize);
            }
            *bufsize = name.len();
        }
        0
    })
}

/// The subject of the peer's certificate in RFC 2253 form
/// (`CN=...,O=...,C=...`), or NULL (none, or before the handshake). The
/// string lives as long as the transport.
///
/// # Safety
/// `ssl` must be NULL or a live ssl handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_remote_subject(ssl: *mut pn_ssl_t) -> *const c_char {
    guard(|| tls_of(try_mut!(ssl)).and_then(|t| t.remote_subject()).map_or(ptr::null(), CStr::as_ptr))
}

/// Write the peer certificate's fingerprint, in lowercase hex with a NUL,
/// into `fingerprint` (41 bytes for SHA-1, 65 for SHA-256, 129 for
/// SHA-512, 33 for MD5). Returns 0, or `PN_ERR` when there is no peer
/// certificate, the buffer is too small or the algorithm unknown.
///
/// # Safety
/// `ssl0` must be NULL or a live ssl handle; `fingerprint` must have room
/// for `fingerprint_length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_cert_fingerprint(
    ssl0: *mut pn_ssl_t,
    fingerprint: *mut c_char,
    fingerprint_length: usize,
    hash_alg: pn_ssl_hash_alg_raw,
) -> c_int {
    guard(|| {
        let Some(tls) = tls_of(try_mut!(ssl0)) else { return super::error::PN_ERR };
        let alg = match pn_ssl_hash_alg::from_raw(hash_alg) {
            Some(pn_ssl_hash_alg::PN_SSL_SHA1) => HashAlg::Sha1,
            Some(pn_ssl_hash_alg::PN_SSL_SHA256) => HashAlg::Sha256,
            Some(pn_ssl_hash_alg::PN_SSL_SHA512) => HashAlg::Sha512,
            Some(pn_ssl_hash_alg::PN_SSL_MD5) => HashAlg::Md5,
            None => return super::error::PN_ERR,
        };
        if fingerprint.is_null() {
            return super::error::PN_ARG_ERR;
        }
        let Some(hex) = tls.cert_fingerprint(alg) else { return super::error::PN_ERR };
        if fingerprint_length < hex.len() + 1 {
            return super::error::PN_ERR;
        }
        // SAFETY: per the contract; the string and its NUL fit.
        unsafe { copy_out(&hex, fingerprint, fingerprint_length) };
        0
    })
}

/// One field of the peer certificate's subject, or NULL. The string lives
/// as long as the transport.
///
/// # Safety
/// `ssl0` must be NULL or a live ssl handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_ssl_get_remote_subject_subfield(
    ssl0: *mut pn_ssl_t,
    field: pn_ssl_cert_subject_subfield_raw,
) -> *const c_char {
    guard(|| {
        let Some(f) = pn_ssl_cert_subject_subfield::from_raw(field) else { return ptr::null() };
        tls_of(try_mut!(ssl0)).and_then(|t| t.remote_subject_subfield(f as usize)).map_or(ptr::null(), CStr::as_ptr)
    })
}
