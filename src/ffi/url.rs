//! `proton/url.h`: the deprecated URL parser of the legacy API.
//!
//! The parser is [`crate::url::Url`]. A `pn_url_t` is a proton object of
//! class `pn_url`: it prints as `Url("...")`, and hashes and compares by
//! its text, as in proton-c.
//!
//! Lifetimes: a part returned by a getter stays valid until that part is
//! set again, the URL is cleared or freed; the text from `pn_url_str` until
//! the URL changes or is freed.
#![allow(non_camel_case_types)]
#![allow(deprecated)]

/// A parsed URL.
pub struct pn_url_t {
    _private: [u8; 0],
}

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::error::to_cstring;
use super::handle::{Handle, handle};
use super::object::{new_object, pn_free, pn_string_t, rust_class};
use crate::url::Url;

/// The Rust side of `pn_url_t`: the parts as C strings, and the text
/// `pn_url_str` last made (kept until a part changes).
#[derive(Default)]
pub struct UrlObject {
    scheme: Option<CString>,
    username: Option<CString>,
    password: Option<CString>,
    host: Option<CString>,
    port: Option<CString>,
    path: Option<CString>,
    text: Option<CString>,
}

fn c_part(p: Option<Vec<u8>>) -> Option<CString> {
    p.map(|b| to_cstring(&b))
}

fn bytes(p: &Option<CString>) -> Option<Vec<u8>> {
    p.as_ref().map(|c| c.to_bytes().to_vec())
}

impl UrlObject {
    fn from_url(u: Url) -> UrlObject {
        UrlObject {
            scheme: c_part(u.scheme),
            username: c_part(u.username),
            password: c_part(u.password),
            host: c_part(u.host),
            port: c_part(u.port),
            path: c_part(u.path),
            text: None,
        }
    }

    fn to_url(&self) -> Url {
        Url {
            scheme: bytes(&self.scheme),
            username: bytes(&self.username),
            password: bytes(&self.password),
            host: bytes(&self.host),
            port: bytes(&self.port),
            path: bytes(&self.path),
        }
    }

    /// The URL's text, made again only after a change.
    fn text(&mut self) -> &CStr {
        if self.text.is_none() {
            self.text = Some(to_cstring(&self.to_url().to_bytes()));
        }
        self.text.as_deref().unwrap_or_default()
    }

    /// The text without caching it (for inspect, hash and compare, which
    /// only get shared access).
    fn text_bytes(&self) -> Vec<u8> {
        match &self.text {
            Some(t) => t.to_bytes().to_vec(),
            None => self.to_url().to_bytes(),
        }
    }
}

rust_class!(
    UrlObject,
    PN_URL_CLASS,
    "pn_url",
    CID_pn_url,
    inspect = url_inspect,
    hashcode = url_hashcode,
    compare = url_compare,
);
handle!(pn_url_t => UrlObject);

/// `Url("text")`, the text quoted as strings print.
unsafe extern "C" fn url_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    guard(|| {
        let u = try_ref!(object.cast::<pn_url_t>());
        let mut out = b"Url(".to_vec();
        out.extend_from_slice(&super::object::string::quote(&u.text_bytes()));
        out.push(b')');
        // SAFETY: dst is a live string (the inspect contract).
        unsafe { super::object::string::append(dst, &out) }
    })
}

/// Proton's string hash of the text: 1, then times 31 plus each byte (as a
/// signed char).
unsafe extern "C" fn url_hashcode(object: *mut c_void) -> usize {
    guard(|| {
        let u = try_ref!(object.cast::<pn_url_t>());
        u.text_bytes().iter().fold(1usize, |h, &b| h.wrapping_mul(31).wrapping_add(b as i8 as isize as usize))
    })
}

/// Proton's string order of the texts: by length (the difference of the
/// lengths, longer first), then the difference of the first differing
/// bytes.
unsafe extern "C" fn url_compare(a: *mut c_void, b: *mut c_void) -> isize {
    guard(|| {
        let a = try_ref!(a.cast::<pn_url_t>()).text_bytes();
        let b = try_ref!(b.cast::<pn_url_t>()).text_bytes();
        if a.len() != b.len() {
            return (b.len() as isize).wrapping_sub(a.len() as isize);
        }
        a.iter().zip(&b).find(|(x, y)| x != y).map_or(0, |(&x, &y)| x as isize - y as isize)
    })
}

/// # Safety
/// `s` must be NULL or a NUL-terminated string.
unsafe fn c_string(s: *const c_char) -> Option<CString> {
    // SAFETY: per the contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_owned())
}

fn c_ptr(p: &Option<CString>) -> *const c_char {
    p.as_deref().map_or(ptr::null(), CStr::as_ptr)
}

/// Make a URL with no parts (its text is empty). Free it with `pn_url_free`.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub extern "C" fn pn_url() -> *mut pn_url_t {
    guard(|| pn_url_t::from_target(new_object(UrlObject::default())))
}

/// Split a string into URL parts, by proton's loose rules:
/// `[scheme://][user[:password]@]host[:port][/path]`. The scheme is taken
/// only when the first `/` is part of a `://`; the path is everything after
/// the next `/`; the user part runs to the first `@` and splits at its
/// first `:`, and user and password are percent-decoded; a host starting
/// with `[` runs to the next `]` (for IPv6 addresses), and the port is what
/// follows the last `:`. Parts that are missing are NULL, and so is an
/// empty host. Returns NULL for NULL or an empty string; any other string
/// gives a URL.
///
/// # Safety
/// `url` must be NULL or a NUL-terminated string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_parse(url: *const c_char) -> *mut pn_url_t {
    guard(|| {
        if url.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: per the contract.
        let text = unsafe { CStr::from_ptr(url) }.to_bytes();
        match Url::parse(text) {
            Some(u) => pn_url_t::from_target(new_object(UrlObject::from_url(u))),
            None => ptr::null_mut(),
        }
    })
}

/// Destroy a URL and the strings it handed out. NULL is ignored.
///
/// # Safety
/// `url` must be NULL or a live URL, not used afterwards.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_free(url: *mut pn_url_t) {
    // SAFETY: per the contract, a proton object or NULL.
    guard(|| unsafe { pn_free(url.cast()) })
}

/// Remove every part.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_clear(url: *mut pn_url_t) {
    guard(|| *try_mut!(url) = UrlObject::default())
}

/// The URL as text, rebuilt from its parts: `scheme://` when there is a
/// scheme; the user and `:password` (with `/`, `:` and `@` percent-encoded)
/// and `@` when either is set; the host, in brackets if it contains a `:`;
/// `:port`; `/path`. The URL owns the string; it stays valid until the URL
/// changes or is freed.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_str(url: *mut pn_url_t) -> *const c_char {
    guard(|| try_mut!(url).text().as_ptr())
}

/// The scheme (without `://`), or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_scheme(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).scheme))
}

/// The user name (percent-decoded), or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_username(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).username))
}

/// The password (percent-decoded), or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_password(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).password))
}

/// The host (without brackets), or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_host(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).host))
}

/// The port, as text, or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_port(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).port))
}

/// The path (without the leading `/`), or NULL when the URL has none; the URL owns the string.
///
/// # Safety
/// `url` must be NULL or a live URL.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_get_path(url: *mut pn_url_t) -> *const c_char {
    guard(|| c_ptr(&try_ref!(url).path))
}

/// Set the scheme (without `://`) to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `scheme` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_scheme(url: *mut pn_url_t, scheme: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.scheme = unsafe { c_string(scheme) };
        u.text = None;
    })
}

/// Set the user name (percent-decoded) to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `username` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_username(url: *mut pn_url_t, username: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.username = unsafe { c_string(username) };
        u.text = None;
    })
}

/// Set the password (percent-decoded) to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `password` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_password(url: *mut pn_url_t, password: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.password = unsafe { c_string(password) };
        u.text = None;
    })
}

/// Set the host (without brackets) to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `host` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_host(url: *mut pn_url_t, host: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.host = unsafe { c_string(host) };
        u.text = None;
    })
}

/// Set the port, as text to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `port` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_port(url: *mut pn_url_t, port: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.port = unsafe { c_string(port) };
        u.text = None;
    })
}

/// Set the path (without the leading `/`) to a copy of the string, or remove it with NULL.
///
/// # Safety
/// `url` must be NULL or a live URL; `path` NULL or a NUL-terminated
/// string.
#[deprecated(note = "Use a third-party URL library")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_url_set_path(url: *mut pn_url_t, path: *const c_char) {
    guard(|| {
        let u = try_mut!(url);
        // SAFETY: per the contract.
        u.path = unsafe { c_string(path) };
        u.text = None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_str_and_setters() {
        // SAFETY: the URL is live until freed; strings are C strings.
        unsafe {
            let u = pn_url_parse(c"amqp://us%40er:p@[::1]:5672/x".as_ptr());
            assert_eq!(CStr::from_ptr(pn_url_get_username(u)).to_bytes(), b"us@er");
            assert_eq!(CStr::from_ptr(pn_url_get_host(u)).to_bytes(), b"::1");
            assert_eq!(CStr::from_ptr(pn_url_str(u)).to_bytes(), b"amqp://us%40er:p@[::1]:5672/x");
            pn_url_set_host(u, c"h".as_ptr());
            pn_url_set_password(u, ptr::null());
            assert_eq!(CStr::from_ptr(pn_url_str(u)).to_bytes(), b"amqp://us%40er@h:5672/x");
            pn_url_clear(u);
            assert_eq!(CStr::from_ptr(pn_url_str(u)).to_bytes(), b"");
            assert!(pn_url_get_scheme(u).is_null());
            pn_url_free(u);
            assert!(pn_url_parse(c"".as_ptr()).is_null());
            assert!(pn_url_parse(ptr::null()).is_null());
        }
    }

    #[test]
    fn hash_and_order_like_proton() {
        // Values from proton-c 0.37 (probe url4.c).
        // SAFETY: URLs live until freed.
        unsafe {
            let mk = |s: &CStr| pn_url_parse(s.as_ptr());
            let (a, z, ab, ff) = (mk(c"a"), mk(c"z"), mk(c"ab"), mk(c"\xff"));
            assert_eq!(url_hashcode(a.cast()), 128);
            assert_eq!(url_hashcode(ab.cast()), 4066);
            assert_eq!(url_hashcode(ff.cast()), 30);
            assert_eq!(url_compare(a.cast(), z.cast()), -25);
            assert_eq!(url_compare(a.cast(), ab.cast()), 1);
            assert_eq!(url_compare(ff.cast(), a.cast()), 158);
            for u in [a, z, ab, ff] {
                pn_url_free(u);
            }
        }
    }
}
