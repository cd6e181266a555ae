//! `proton/logger.h`: the logger: severity levels, subsystems, and the sink
//! log messages go to.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

use super::types::enum_from_raw;

/// A logger: which messages to log, and where to send them.
pub struct pn_logger_t {
    _private: [u8; 0],
}

/// The part of the library a log message comes from (bits of a mask).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_log_subsystem_t {
    PN_SUBSYSTEM_NONE = 0,
    PN_SUBSYSTEM_MEMORY = 1,
    PN_SUBSYSTEM_IO = 2,
    PN_SUBSYSTEM_EVENT = 4,
    PN_SUBSYSTEM_AMQP = 8,
    PN_SUBSYSTEM_SSL = 16,
    PN_SUBSYSTEM_SASL = 32,
    PN_SUBSYSTEM_BINDING = 64,
    PN_SUBSYSTEM_ALL = 65535,
}

/// `pn_log_subsystem_t` as C passes it (any int); convert with `from_raw`.
pub type pn_log_subsystem_t_raw = c_int;

enum_from_raw!(pn_log_subsystem_t {
    PN_SUBSYSTEM_NONE,
    PN_SUBSYSTEM_MEMORY,
    PN_SUBSYSTEM_IO,
    PN_SUBSYSTEM_EVENT,
    PN_SUBSYSTEM_AMQP,
    PN_SUBSYSTEM_SSL,
    PN_SUBSYSTEM_SASL,
    PN_SUBSYSTEM_BINDING,
    PN_SUBSYSTEM_ALL,
});

/// The severity of a log message (bits of a mask).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_log_level_t {
    PN_LEVEL_NONE = 0,
    PN_LEVEL_CRITICAL = 1,
    PN_LEVEL_ERROR = 2,
    PN_LEVEL_WARNING = 4,
    PN_LEVEL_INFO = 8,
    PN_LEVEL_DEBUG = 16,
    PN_LEVEL_TRACE = 32,
    PN_LEVEL_FRAME = 64,
    PN_LEVEL_RAW = 128,
    PN_LEVEL_ALL = 65535,
}

/// `pn_log_level_t` as C passes it (any int); convert with `from_raw`.
pub type pn_log_level_t_raw = c_int;

enum_from_raw!(pn_log_level_t {
    PN_LEVEL_NONE,
    PN_LEVEL_CRITICAL,
    PN_LEVEL_ERROR,
    PN_LEVEL_WARNING,
    PN_LEVEL_INFO,
    PN_LEVEL_DEBUG,
    PN_LEVEL_TRACE,
    PN_LEVEL_FRAME,
    PN_LEVEL_RAW,
    PN_LEVEL_ALL,
});

/// Where a logger sends its messages. `sink_context` is the value given
/// with the sink. C code may call a sink it got from
/// `pn_logger_get_log_sink`, so the enum arguments arrive as plain ints.
pub type pn_log_sink_t = Option<
    unsafe extern "C" fn(
        sink_context: isize,
        subsystem: pn_log_subsystem_t_raw,
        severity: pn_log_level_t_raw,
        message: *const c_char,
    ),
>;

const _: () = assert!(std::mem::size_of::<pn_log_subsystem_t>() == 4);
const _: () = assert!(std::mem::size_of::<pn_log_level_t>() == 4);

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::CStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};

use super::boundary::guard;
use pn_log_level_t::*;
use pn_log_subsystem_t::*;

/// The Rust side of `pn_logger_t`. Fields are atomics because the default
/// logger is shared by every thread (proton-c makes no promise here; this
/// makes concurrent use merely racy in what is logged, never unsound).
pub struct Logger {
    sub_mask: AtomicU16,
    sev_mask: AtomicU16,
    /// The sink function, as an address (0: the default sink).
    sink: AtomicUsize,
    sink_context: AtomicUsize,
}

impl Logger {
    /// A logger with proton's defaults: every subsystem, critical messages
    /// only, the default sink, whose context is the logger's address.
    pub fn new() -> Box<Logger> {
        let logger = Box::new(Logger {
            sub_mask: AtomicU16::new(PN_SUBSYSTEM_ALL as u16),
            sev_mask: AtomicU16::new(PN_LEVEL_CRITICAL as u16),
            sink: AtomicUsize::new(0),
            sink_context: AtomicUsize::new(0),
        });
        logger.sink_context.store(&*logger as *const Logger as usize, Ordering::Relaxed);
        logger
    }

    /// Whether a message of this subsystem and any of these severity bits
    /// would be written.
    pub fn would_log_bits(&self, subsystem: u16, levels: u16) -> bool {
        self.sub_mask.load(Ordering::Relaxed) & subsystem != 0 && self.sev_mask.load(Ordering::Relaxed) & levels != 0
    }

    /// Whether a message of this subsystem and severity would be written.
    pub fn would_log(&self, subsystem: pn_log_subsystem_t, level: pn_log_level_t) -> bool {
        self.sub_mask.load(Ordering::Relaxed) & subsystem as u16 != 0
            && self.sev_mask.load(Ordering::Relaxed) & level as u16 != 0
    }

    pub fn set_mask(&self, subsystem: u16, level: u16) {
        self.sub_mask.fetch_or(subsystem, Ordering::Relaxed);
        self.sev_mask.fetch_or(level, Ordering::Relaxed);
    }

    pub fn reset_mask(&self, subsystem: u16, level: u16) {
        self.sub_mask.fetch_and(!subsystem, Ordering::Relaxed);
        self.sev_mask.fetch_and(!level, Ordering::Relaxed);
    }

    /// Set the sink context (engine loggers use their transport's address).
    pub fn set_sink_context(&self, context: usize) {
        self.sink_context.store(context, Ordering::Relaxed);
    }

    fn sink(&self) -> pn_log_sink_t {
        let f = self.sink.load(Ordering::Relaxed);
        if f == 0 {
            return Some(default_sink);
        }
        // SAFETY: `sink` only ever holds 0 or the address of a function of
        // type pn_log_sink_t's inner type, stored by set_log_sink.
        Some(unsafe { std::mem::transmute::<usize, unsafe extern "C" fn(isize, c_int, c_int, *const c_char)>(f) })
    }

    /// Send a message to the sink regardless of the masks (callers check
    /// `would_log` first, as proton's `pn_logger_logf` does not).
    pub fn log(&self, subsystem: c_int, level: c_int, message: &str) {
        let text = super::error::to_cstring(message.as_bytes());
        self.log_c(subsystem, level, &text);
    }

    fn log_c(&self, subsystem: c_int, level: c_int, message: &CStr) {
        let context = self.sink_context.load(Ordering::Relaxed) as isize;
        if let Some(sink) = self.sink() {
            // SAFETY: the sink is the default one or a function the
            // application installed for exactly this call signature; no
            // borrow of Rust state is held across the call.
            unsafe { sink(context, subsystem, level, message.as_ptr()) };
        }
    }
}

/// Writes `[context]:SUBSYSTEM:LEVEL:message` to stderr, as proton-c does.
unsafe extern "C" fn default_sink(context: isize, subsystem: c_int, level: c_int, message: *const c_char) {
    use std::io::Write;
    // SAFETY: the logger passes a NUL-terminated message.
    let message = unsafe { CStr::from_ptr(message) }.to_string_lossy();
    let line = format!(
        "[{}]:{:>5}:{:>5}:{}\n",
        super::object::c_ptr(context as *const u8),
        subsystem_name(subsystem).to_str().unwrap_or(""),
        level_name(level).to_str().unwrap_or(""),
        message
    );
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.flush();
}

/// The name of the lowest set bit's subsystem (proton's rule for masks).
fn subsystem_name(subsystem: c_int) -> &'static CStr {
    if subsystem == PN_SUBSYSTEM_ALL as c_int {
        return c"*ALL*";
    }
    let low = subsystem & subsystem.wrapping_neg();
    match low {
        1 => c"MEMORY",
        2 => c"IO",
        4 => c"EVENT",
        8 => c"AMQP",
        16 => c"SSL",
        32 => c"SASL",
        64 => c"BINDING",
        _ => c"UNKNOWN",
    }
}

/// The name of the lowest set bit's severity.
pub(crate) fn level_name(level: c_int) -> &'static CStr {
    if level == PN_LEVEL_ALL as c_int {
        return c"*ALL*";
    }
    let low = level & level.wrapping_neg();
    match low {
        1 => c"CRITICAL",
        2 => c"ERROR",
        4 => c"WARNING",
        8 => c"INFO",
        16 => c"DEBUG",
        32 => c"TRACE",
        64 => c"FRAME",
        128 => c"RAW",
        _ => c"UNKNOWN",
    }
}

/// Severity bits named in a `PN_LOG` value: level names (any case), each
/// optionally followed by `+` for "this and everything more severe".
pub fn parse_log_env(value: &str) -> u16 {
    const NAMES: [(&str, u16); 9] = [
        ("CRITICAL", PN_LEVEL_CRITICAL as u16),
        ("ERROR", PN_LEVEL_ERROR as u16),
        ("WARNING", PN_LEVEL_WARNING as u16),
        ("INFO", PN_LEVEL_INFO as u16),
        ("DEBUG", PN_LEVEL_DEBUG as u16),
        ("TRACE", PN_LEVEL_TRACE as u16),
        ("FRAME", PN_LEVEL_FRAME as u16),
        ("RAW", PN_LEVEL_RAW as u16),
        ("ALL", PN_LEVEL_ALL as u16),
    ];
    let upper = value.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut mask = 0u16;
    let mut i = 0;
    'scan: while i < bytes.len() {
        for (name, bit) in NAMES {
            if bytes[i..].starts_with(name.as_bytes()) {
                mask |= bit;
                i += name.len();
                if bytes.get(i) == Some(&b'+') {
                    i += 1;
                    mask |= bit | bit.wrapping_sub(1);
                }
                continue 'scan;
            }
        }
        i += 1;
    }
    mask
}

/// Whether an environment variable is set to a true value (`1`, `true`,
/// `yes`, `on`, any case), as proton reads its `PN_TRACE_*` switches.
pub fn env_bool(name: &str) -> bool {
    std::env::var(name)
        .map(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
        .unwrap_or(false)
}

/// Severity bits the environment asks for: `PN_TRACE_RAW`, `PN_TRACE_FRM`,
/// `PN_TRACE_DRV`, `PN_TRACE_EVT` and `PN_LOG`.
pub fn env_levels() -> u16 {
    let mut mask = 0;
    if env_bool("PN_TRACE_RAW") {
        mask |= PN_LEVEL_RAW as u16;
    }
    if env_bool("PN_TRACE_FRM") {
        mask |= PN_LEVEL_FRAME as u16;
    }
    if env_bool("PN_TRACE_DRV") {
        mask |= (PN_LEVEL_TRACE as u16) | (PN_LEVEL_DEBUG as u16);
    }
    if env_bool("PN_TRACE_EVT") {
        mask |= PN_LEVEL_DEBUG as u16;
    }
    if let Ok(v) = std::env::var("PN_LOG") {
        mask |= parse_log_env(&v);
    }
    mask
}

/// The process-wide default logger, configured from the environment the
/// first time it is used.
pub fn default_logger() -> &'static Logger {
    static DEFAULT: OnceLock<Box<Logger>> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        let logger = Logger::new();
        logger.set_mask(0, env_levels());
        logger
    })
}

// SAFETY: every pn_logger_t handle is the address of a live Logger (the
// default one, or one owned by a transport).
unsafe impl super::handle::Handle for pn_logger_t {
    type Target = Logger;
}

use super::handle::Handle;

/// The default logger, used by everything that has no logger of its own.
#[unsafe(no_mangle)]
pub extern "C" fn pn_default_logger() -> *mut pn_logger_t {
    guard(|| pn_logger_t::from_target(default_logger() as *const Logger as *mut Logger))
}

/// The name of a severity ("CRITICAL" …); static storage.
#[unsafe(no_mangle)]
pub extern "C" fn pn_logger_level_name(level: pn_log_level_t_raw) -> *const c_char {
    guard(|| level_name(level).as_ptr())
}

/// The name of a subsystem ("AMQP" …); static storage.
#[unsafe(no_mangle)]
pub extern "C" fn pn_logger_subsystem_name(subsystem: pn_log_subsystem_t_raw) -> *const c_char {
    guard(|| subsystem_name(subsystem).as_ptr())
}

/// Turn on logging of these subsystems and severities (bits are added).
///
/// # Safety
/// `logger` must be NULL or a live logger.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_logger_set_mask(logger: *mut pn_logger_t, subsystem: u16, level: u16) {
    guard(|| super::boundary::try_ref!(logger).set_mask(subsystem, level))
}

/// Turn off logging of these subsystems and severities (bits are removed).
///
/// # Safety
/// `logger` must be NULL or a live logger.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_logger_reset_mask(logger: *mut pn_logger_t, subsystem: u16, level: u16) {
    guard(|| super::boundary::try_ref!(logger).reset_mask(subsystem, level))
}

/// Send messages to `sink` (NULL restores the default sink, writing to
/// stderr), which receives `sink_context` with each.
///
/// # Safety
/// `logger` must be NULL or a live logger.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_logger_set_log_sink(logger: *mut pn_logger_t, sink: pn_log_sink_t, sink_context: isize) {
    guard(|| {
        let l = super::boundary::try_ref!(logger);
        l.sink.store(sink.map_or(0, |f| f as usize), Ordering::Relaxed);
        l.sink_context.store(sink_context as usize, Ordering::Relaxed);
    })
}

/// The current sink (the default sink when none was set).
///
/// # Safety
/// `logger` must be NULL or a live logger.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_logger_get_log_sink(logger: *mut pn_logger_t) -> pn_log_sink_t {
    guard(|| super::boundary::try_ref!(logger).sink())
}

/// The context passed to the sink.
///
/// # Safety
/// `logger` must be NULL or a live logger.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_logger_get_log_sink_context(logger: *mut pn_logger_t) -> isize {
    guard(|| super::boundary::try_ref!(logger).sink_context.load(Ordering::Relaxed) as isize)
}

/// Send an already formatted message to the logger's sink (the body of the
/// C shim `pn_logger_logf`; not exported).
///
/// # Safety
/// `logger` must be NULL or a live logger; `message` a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_logger_log(logger: *mut pn_logger_t, subsystem: c_int, level: c_int, message: *const c_char) {
    guard(|| {
        let l = super::boundary::try_ref!(logger);
        if !message.is_null() {
            // SAFETY: message is a C string (contract).
            l.log_c(subsystem, level, unsafe { CStr::from_ptr(message) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_env_levels_and_plus() {
        assert_eq!(parse_log_env("trace"), PN_LEVEL_TRACE as u16);
        assert_eq!(parse_log_env("Frame"), PN_LEVEL_FRAME as u16);
        assert_eq!(parse_log_env("error+"), (PN_LEVEL_ERROR as u16) | (PN_LEVEL_CRITICAL as u16));
        assert_eq!(parse_log_env("debug,frame"), (PN_LEVEL_DEBUG as u16) | (PN_LEVEL_FRAME as u16));
        assert_eq!(parse_log_env("raw+"), 0xff);
        assert_eq!(parse_log_env("nonsense"), 0);
    }

    #[test]
    fn names_use_the_lowest_bit() {
        assert_eq!(subsystem_name(3), c"MEMORY");
        assert_eq!(subsystem_name(1000), c"AMQP");
        assert_eq!(subsystem_name(0), c"UNKNOWN");
        assert_eq!(level_name(PN_LEVEL_ALL as c_int), c"*ALL*");
        assert_eq!(level_name(1000), c"INFO");
    }

    #[test]
    fn masks_add_and_remove_bits() {
        let l = Logger::new();
        assert!(l.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_CRITICAL));
        assert!(!l.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_DEBUG));
        l.set_mask(0, PN_LEVEL_DEBUG as u16);
        assert!(l.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_DEBUG));
        l.reset_mask(PN_SUBSYSTEM_IO as u16, 0);
        assert!(!l.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_DEBUG));
        assert!(l.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_DEBUG));
    }
}
