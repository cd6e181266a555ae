//! `proton/log.h`: the legacy switch for the library's logging (superseded
//! by `logger.h`).

use std::ffi::{CStr, c_char, c_int};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::boundary::guard;
use super::logger::{default_logger, pn_log_level_t, pn_logger_set_log_sink, pn_logger_t};

/// The legacy callback installed by `pn_log_logger`, as an address.
static LEGACY_CALLBACK: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn legacy_sink(_context: isize, _subsystem: c_int, _level: c_int, message: *const c_char) {
    let f = LEGACY_CALLBACK.load(Ordering::Relaxed);
    if f != 0 {
        // SAFETY: only pn_log_logger stores into LEGACY_CALLBACK, always a
        // function of this type.
        let f = unsafe { std::mem::transmute::<usize, unsafe extern "C" fn(*const c_char)>(f) };
        // SAFETY: the callback takes the NUL-terminated message.
        unsafe { f(message) };
    } else {
        // SAFETY: the message is a C string (logger contract).
        eprintln!("{}", unsafe { CStr::from_ptr(message) }.to_string_lossy());
    }
}

/// Turn the library's trace logging on or off (the old switch; the same as
/// setting or clearing the default logger's trace severity).
#[unsafe(no_mangle)]
pub extern "C" fn pn_log_enable(enabled: bool) {
    guard(|| {
        let level = pn_log_level_t::PN_LEVEL_TRACE as u16;
        if enabled { default_logger().set_mask(0, level) } else { default_logger().reset_mask(0, level) }
    })
}

/// Send the default logger's messages to `logger` (the old interface).
///
/// # Safety
/// `logger` must be NULL or a function that accepts a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_log_logger(logger: Option<unsafe extern "C" fn(message: *const c_char)>) {
    guard(|| {
        LEGACY_CALLBACK.store(logger.map_or(0, |f| f as usize), Ordering::Relaxed);
        let default = default_logger() as *const _ as *mut pn_logger_t;
        // SAFETY: `default` is the live default logger.
        unsafe { pn_logger_set_log_sink(default, Some(legacy_sink), 0) };
    })
}
