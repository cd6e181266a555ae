//! `proton/error.h`: an error code with a message.
#![allow(non_camel_case_types)]

use std::ffi::{CStr, CString, c_char, c_int};
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::handle::handle;

/// No error.
pub const PN_OK: c_int = 0;
/// End of stream.
pub const PN_EOS: c_int = -1;
/// General error.
pub const PN_ERR: c_int = -2;
/// Overflow error.
pub const PN_OVERFLOW: c_int = -3;
/// Underflow error.
pub const PN_UNDERFLOW: c_int = -4;
/// State error.
pub const PN_STATE_ERR: c_int = -5;
/// Argument error.
pub const PN_ARG_ERR: c_int = -6;
/// Timeout.
pub const PN_TIMEOUT: c_int = -7;
/// Interrupt.
pub const PN_INTR: c_int = -8;
/// In progress.
pub const PN_INPROGRESS: c_int = -9;
/// Out of memory.
pub const PN_OUT_OF_MEMORY: c_int = -10;
/// Delivery aborted.
pub const PN_ABORTED: c_int = -11;

/// An error: a code (`PN_*`, 0 when there is none) and a message.
pub struct pn_error_t {
    _private: [u8; 0],
}

/// The Rust side of `pn_error_t`.
#[derive(Default, Debug)]
pub struct ErrorState {
    code: c_int,
    text: Option<CString>,
}

impl ErrorState {
    pub fn set(&mut self, code: c_int, text: &str) -> c_int {
        self.code = code;
        self.text = if code == 0 { None } else { Some(to_cstring(text.as_bytes())) };
        code
    }
    pub fn clear(&mut self) {
        self.code = 0;
        self.text = None;
    }
    pub fn code(&self) -> c_int {
        self.code
    }
    pub fn text(&self) -> Option<&CStr> {
        self.text.as_deref()
    }
}

/// A C string from bytes, dropping any interior NUL.
pub(crate) fn to_cstring(bytes: &[u8]) -> CString {
    CString::new(bytes.iter().copied().filter(|&b| b != 0).collect::<Vec<u8>>()).unwrap_or_default()
}

/// A C string from bytes, cut at the first NUL (as C string functions
/// copying wire data do).
pub(crate) fn to_cstring_nul(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

super::object::rust_class!(ErrorState, PN_ERROR_CLASS, "pn_error", CID_pn_error);
handle!(pn_error_t => ErrorState);

/// The name of an error code ("PN_EOS", ...), or "<unknown>".
#[unsafe(no_mangle)]
pub extern "C" fn pn_code(code: c_int) -> *const c_char {
    let name: &'static CStr = match code {
        0 => c"<ok>",
        PN_EOS => c"PN_EOS",
        PN_ERR => c"PN_ERR",
        PN_OVERFLOW => c"PN_OVERFLOW",
        PN_UNDERFLOW => c"PN_UNDERFLOW",
        PN_STATE_ERR => c"PN_STATE_ERR",
        PN_ARG_ERR => c"PN_ARG_ERR",
        PN_TIMEOUT => c"PN_TIMEOUT",
        PN_INTR => c"PN_INTR",
        PN_INPROGRESS => c"PN_INPROGRESS",
        PN_OUT_OF_MEMORY => c"PN_OUT_OF_MEMORY",
        PN_ABORTED => c"PN_ABORTED",
        _ => c"<unknown>",
    };
    name.as_ptr()
}

/// A new error with no code.
#[unsafe(no_mangle)]
pub extern "C" fn pn_error() -> *mut pn_error_t {
    guard(|| pn_error_t::from_target(super::object::new_object(ErrorState::default())))
}

use super::handle::Handle;

/// # Safety
/// `error` must be NULL or an error from `pn_error()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_free(error: *mut pn_error_t) {
    // SAFETY: per the contract, a proton object.
    unsafe { super::object::pn_free(error.cast()) }
}

/// # Safety
/// `error` must be NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_clear(error: *mut pn_error_t) {
    guard(|| try_mut!(error).clear())
}

/// Set the code and message (copied); returns the code.
///
/// # Safety
/// `error` must be NULL or a live error; `text` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_set(error: *mut pn_error_t, code: c_int, text: *const c_char) -> c_int {
    guard(|| {
        let e = try_mut!(error);
        // SAFETY: text is NULL or a C string (contract).
        let t = if text.is_null() { Default::default() } else { unsafe { CStr::from_ptr(text) }.to_string_lossy() };
        e.set(code, &t)
    })
}

/// # Safety
/// `error` must be NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_code(error: *mut pn_error_t) -> c_int {
    guard(|| try_ref!(error).code())
}

/// The message; valid until the error changes. NULL when there is none.
///
/// # Safety
/// `error` must be NULL or a live error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_text(error: *mut pn_error_t) -> *const c_char {
    guard(|| try_ref!(error).text().map_or(ptr::null(), |t| t.as_ptr()))
}

/// Copy `src`'s code and message into `error`.
///
/// # Safety
/// Both must be NULL or live errors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_error_copy(error: *mut pn_error_t, src: *mut pn_error_t) -> c_int {
    guard(|| {
        if error == src {
            return 0;
        }
        let s = try_ref!(src);
        let (code, text) = (s.code, s.text.clone());
        let e = try_mut!(error);
        e.code = code;
        e.text = text;
        0
    })
}
