//! `pn_string_t`: a growable, NUL-terminated byte string that may be NULL.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use crate::ffi::boundary::{guard, try_mut, try_ref};
use crate::ffi::error::{PN_ARG_ERR, PN_ERR};
use crate::ffi::handle::{Handle, handle};
use crate::ffi::object::{new_object, pn_decref, rust_class};

/// A proton string object.
pub struct pn_string_t {
    _private: [u8; 0],
}

/// The Rust side of `pn_string_t`.
///
/// `buf` is fully initialized up to its length, which is the capacity C
/// sees plus one byte for the terminating NUL: C code may write into
/// `pn_string_buffer` up to the capacity and then call `pn_string_resize`.
pub struct PnString {
    buf: Vec<u8>,
    size: usize,
    null: bool,
}

impl PnString {
    pub fn new(bytes: Option<&[u8]>) -> PnString {
        let mut s = PnString { buf: vec![0; 16], size: 0, null: true };
        if let Some(b) = bytes {
            s.set(b);
        }
        s
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        if self.null { None } else { Some(&self.buf[..self.size]) }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn capacity(&self) -> usize {
        self.buf.len() - 1
    }

    pub fn grow(&mut self, capacity: usize) {
        // Double the buffer until it holds `capacity` bytes and the NUL, as
        // proton-c does (its capacities are visible through the API).
        let mut len = self.buf.len();
        while len < capacity + 1 {
            len *= 2;
        }
        if len > self.buf.len() {
            self.buf.resize(len, 0);
        }
    }

    pub fn set(&mut self, bytes: &[u8]) {
        self.null = false;
        self.size = 0;
        self.append(bytes);
    }

    pub fn set_null(&mut self) {
        self.null = true;
        self.size = 0;
        self.buf[0] = 0;
    }

    pub fn append(&mut self, bytes: &[u8]) {
        self.null = false;
        self.grow(self.size + bytes.len());
        self.buf[self.size..self.size + bytes.len()].copy_from_slice(bytes);
        self.size += bytes.len();
        self.buf[self.size] = 0;
    }

    /// Set the size to `size` bytes already in the buffer, growing it
    /// (with zeros) if needed.
    pub fn resize(&mut self, size: usize) -> bool {
        self.grow(size);
        self.null = false;
        self.size = size;
        self.buf[size] = 0;
        true
    }

    /// Proton's "clear" makes the string NULL.
    pub fn clear(&mut self) {
        self.set_null();
    }

    pub fn as_c_ptr(&self) -> *const c_char {
        if self.null { ptr::null() } else { self.buf.as_ptr().cast() }
    }
}

rust_class!(
    PnString,
    PN_STRING_CLASS,
    "pn_string",
    CID_pn_string,
    inspect = string_inspect,
    hashcode = string_hashcode,
    compare = string_compare,
);
handle!(pn_string_t => PnString);

/// Strings print quoted, with non-printable bytes escaped.
unsafe extern "C" fn string_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: called through the string class on a string.
    let s = unsafe { &*object.cast::<PnString>() };
    let quoted = match s.bytes() {
        None => b"null".to_vec(),
        Some(b) => quote(b),
    };
    // SAFETY: dst is a live string (caller).
    unsafe { append(dst, &quoted) }
}

/// Strings hash by content as proton-c does (h = 31 h + signed byte,
/// from 1; 0 for a NULL string): the values are visible through
/// `pn_hashcode`.
unsafe extern "C" fn string_hashcode(object: *mut c_void) -> usize {
    // SAFETY: called through the string class on a string.
    let s = unsafe { &*object.cast::<PnString>() };
    match s.bytes() {
        None => 0,
        Some(bytes) => bytes.iter().fold(1usize, |h, &b| h.wrapping_mul(31).wrapping_add(b as i8 as isize as usize)),
    }
}

/// Strings compare as proton-c compares them: by length first (the
/// difference `len(b) - len(a)`, a NULL string counting as -1), then by
/// the first differing byte (`a[i] - b[i]`, unsigned).
unsafe extern "C" fn string_compare(a: *mut c_void, b: *mut c_void) -> isize {
    // SAFETY: called through the string class on two strings.
    let (a, b) = unsafe { (&*a.cast::<PnString>(), &*b.cast::<PnString>()) };
    let len = |s: &PnString| s.bytes().map_or(-1, |b| b.len() as isize);
    let (la, lb) = (len(a), len(b));
    if la != lb {
        return lb - la;
    }
    let (x, y) = (a.bytes().unwrap_or_default(), b.bytes().unwrap_or_default());
    x.iter().zip(y).find(|(p, q)| p != q).map_or(0, |(&p, &q)| p as isize - q as isize)
}

/// `"..."` with bytes outside printable ASCII as `\xNN` (quotes and
/// backslashes are not escaped, as in proton-c).
pub fn quote(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'"');
    for &b in bytes {
        match b {
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\x{:02x}", b).as_bytes()),
        }
    }
    out.push(b'"');
    out
}

/// Append bytes to a C-side string. Returns 0 or PN_ARG_ERR.
///
/// # Safety
/// `dst` must be NULL or a live `pn_string_t`.
pub(crate) unsafe fn append(dst: *mut pn_string_t, bytes: &[u8]) -> c_int {
    // SAFETY: per the contract.
    match unsafe { pn_string_t::as_mut(dst) } {
        Some(s) => {
            s.append(bytes);
            0
        }
        None => PN_ARG_ERR,
    }
}

/// A string owned by Rust code for the length of a call (for inspect).
pub(crate) struct Text(*mut pn_string_t);

impl Text {
    pub fn new() -> Text {
        Text(pn_string_t::from_target(new_object(PnString::new(Some(b"")))))
    }
    pub fn as_ptr(&self) -> *mut pn_string_t {
        self.0
    }
    pub fn bytes(&self) -> Vec<u8> {
        // SAFETY: self.0 is the live string made in new().
        unsafe { pn_string_t::as_ref(self.0) }.and_then(|s| s.bytes()).unwrap_or_default().to_vec()
    }
    /// A copy in `malloc`ed memory for C to `free`.
    pub fn to_malloc_cstr(&self) -> *mut c_char {
        let bytes = self.bytes();
        // SAFETY: malloc has no preconditions; the copy fits (len + NUL).
        unsafe {
            let out = libc::malloc(bytes.len() + 1).cast::<u8>();
            if !out.is_null() {
                ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len());
                *out.add(bytes.len()) = 0;
            }
            out.cast()
        }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        // SAFETY: self.0 holds the one reference made in new().
        unsafe { pn_decref(self.0.cast()) };
    }
}

/// # Safety
/// `p` must be NULL or a C string.
unsafe fn c_bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// # Safety
/// `p` must be NULL or point at `n` readable bytes.
unsafe fn raw_bytes<'a>(p: *const c_char, n: usize) -> Option<&'a [u8]> {
    if p.is_null() {
        None
    } else if n == 0 {
        Some(&[])
    } else {
        // SAFETY: per the contract.
        Some(unsafe { std::slice::from_raw_parts(p.cast(), n) })
    }
}

/// A new string holding a copy of `bytes` (NULL makes a NULL string).
///
/// # Safety
/// `bytes` must be NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string(bytes: *const c_char) -> *mut pn_string_t {
    // SAFETY: per the contract.
    guard(|| pn_string_t::from_target(new_object(PnString::new(unsafe { c_bytes(bytes) }))))
}

/// A new string holding a copy of `n` bytes.
///
/// # Safety
/// `bytes` must be NULL or point at `n` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_stringn(bytes: *const c_char, n: usize) -> *mut pn_string_t {
    // SAFETY: per the contract.
    guard(|| pn_string_t::from_target(new_object(PnString::new(unsafe { raw_bytes(bytes, n) }))))
}

/// The bytes, NUL-terminated; NULL for a NULL string. Valid until the
/// string changes.
///
/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_get(string: *mut pn_string_t) -> *const c_char {
    guard(|| try_ref!(string).as_c_ptr())
}

/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_size(string: *mut pn_string_t) -> usize {
    guard(|| try_ref!(string).size())
}

/// # Safety
/// `string` must be NULL or a live string; `bytes` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_set(string: *mut pn_string_t, bytes: *const c_char) -> c_int {
    guard(|| {
        let s = try_mut!(string);
        // SAFETY: per the contract.
        match unsafe { c_bytes(bytes) } {
            Some(b) => s.set(b),
            None => s.set_null(),
        }
        0
    })
}

/// # Safety
/// `string` must be NULL or a live string; `bytes` NULL or `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_setn(string: *mut pn_string_t, bytes: *const c_char, n: usize) -> c_int {
    guard(|| {
        let s = try_mut!(string);
        // SAFETY: per the contract.
        match unsafe { raw_bytes(bytes, n) } {
            Some(b) => s.set(b),
            None => s.set_null(),
        }
        0
    })
}

/// Copy the bytes and a NUL to `dst`; returns the size.
///
/// # Safety
/// `string` must be NULL or a live string; `dst` must have room for
/// `pn_string_size(string) + 1` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_put(string: *mut pn_string_t, dst: *mut c_char) -> isize {
    guard(|| {
        let s = try_ref!(string);
        if dst.is_null() {
            return PN_ARG_ERR as isize;
        }
        let b = s.bytes().unwrap_or_default();
        // SAFETY: per the contract, dst has room for the bytes and a NUL.
        unsafe {
            ptr::copy_nonoverlapping(b.as_ptr(), dst.cast::<u8>(), b.len());
            *dst.add(b.len()) = 0;
        }
        b.len() as isize
    })
}

/// Make the string NULL (as proton-c does).
///
/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_clear(string: *mut pn_string_t) {
    guard(|| try_mut!(string).clear())
}

/// Append `n` bytes (used by the printf-style C shims).
///
/// # Safety
/// `string` must be NULL or a live string; `bytes` must point at `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_string_append(string: *mut pn_string_t, bytes: *const c_char, n: usize) -> c_int {
    guard(|| {
        let s = try_mut!(string);
        // SAFETY: per the contract.
        s.append(unsafe { raw_bytes(bytes, n) }.unwrap_or_default());
        0
    })
}

/// Make room for `capacity` bytes (plus the NUL).
///
/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_grow(string: *mut pn_string_t, capacity: usize) -> c_int {
    guard(|| {
        try_mut!(string).grow(capacity);
        0
    })
}

/// The writable buffer, `pn_string_capacity` bytes long.
///
/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_buffer(string: *mut pn_string_t) -> *mut c_char {
    guard(|| try_mut!(string).buf.as_mut_ptr().cast())
}

/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_capacity(string: *mut pn_string_t) -> usize {
    guard(|| try_ref!(string).capacity())
}

/// Take the first `size` bytes of the buffer as the content.
///
/// # Safety
/// `string` must be NULL or a live string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_resize(string: *mut pn_string_t, size: usize) -> c_int {
    guard(|| if try_mut!(string).resize(size) { 0 } else { PN_ERR })
}

/// # Safety
/// Both must be NULL or live strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_string_copy(string: *mut pn_string_t, src: *mut pn_string_t) -> c_int {
    guard(|| {
        if string == src {
            return 0;
        }
        let copy = try_ref!(src).bytes().map(<[u8]>::to_vec);
        let s = try_mut!(string);
        match copy {
            Some(b) => s.set(&b),
            None => s.set_null(),
        }
        0
    })
}
