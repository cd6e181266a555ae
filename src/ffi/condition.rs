//! `proton/condition.h`: error conditions (a symbolic name, a description
//! and extra information) of endpoints, transports, listeners.
#![allow(non_camel_case_types)]

/// An AMQP error condition.
pub struct pn_condition_t {
    _private: [u8; 0],
}

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{CStr, CString, c_char, c_int};
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::codec::{PnData, pn_data, pn_data_copy, pn_data_free, pn_data_t};
use super::error::to_cstring;
use super::handle::{Handle, handle};
use super::object::{new_object, pn_free, rust_class};
use crate::codec::Type;

/// The Rust side of `pn_condition_t`. Endpoints, transports and listeners
/// embed one; `pn_condition()` makes a free-standing one.
pub struct Condition {
    name: Option<CString>,
    description: Option<CString>,
    /// Made on first use by `pn_condition_info`; owned.
    info: *mut pn_data_t,
    /// Storage for the string `pn_condition_redirect_host` returns.
    redirect_host: Option<CString>,
}

impl Default for Condition {
    fn default() -> Self {
        Condition { name: None, description: None, info: ptr::null_mut(), redirect_host: None }
    }
}

impl Drop for Condition {
    fn drop(&mut self) {
        // SAFETY: `info` is NULL or the data this condition made.
        unsafe { pn_data_free(self.info) };
    }
}

impl Condition {
    pub fn is_set(&self) -> bool {
        self.name.is_some()
    }
    pub fn name(&self) -> Option<&CStr> {
        self.name.as_deref()
    }
    pub fn description(&self) -> Option<&CStr> {
        self.description.as_deref()
    }
    pub fn set_name(&mut self, name: Option<&[u8]>) {
        self.name = name.map(to_cstring);
    }
    pub fn set_description(&mut self, description: Option<&[u8]>) {
        self.description = description.map(to_cstring);
    }
    /// Set name and description together (the common case for errors the
    /// engine reports).
    pub fn set(&mut self, name: &str, description: &str) {
        self.set_name(Some(name.as_bytes()));
        self.set_description(Some(description.as_bytes()));
    }
    pub fn clear(&mut self) {
        self.name = None;
        self.description = None;
        if let Some(info) = self.info_data() {
            info.data.clear();
        }
    }
    /// The info data, made on first use; stable for the condition's life.
    pub fn info(&mut self) -> *mut pn_data_t {
        if self.info.is_null() {
            self.info = pn_data(0);
        }
        self.info
    }
    /// The info data if it has been made (NULL otherwise); never makes it.
    pub fn info_ptr(&self) -> *mut pn_data_t {
        self.info
    }
    fn info_data(&mut self) -> Option<&mut PnData> {
        // SAFETY: `info` is NULL or the live data this condition owns.
        unsafe { pn_data_t::as_mut(self.info) }
    }
    pub fn is_redirect(&self) -> bool {
        matches!(self.name.as_deref().map(CStr::to_bytes), Some(b"amqp:connection:redirect" | b"amqp:link:redirect"))
    }
    /// Look up a key of the info map (a symbol or string key).
    fn info_lookup<T>(&mut self, key: &[u8], get: impl FnOnce(&PnData) -> Option<T>) -> Option<T> {
        let info = self.info_data()?;
        let d = &mut info.data;
        d.rewind();
        if !d.next() || d.type_of() != Some(Type::Map) || !d.enter() {
            return None;
        }
        while d.next() {
            let is_key = matches!(d.type_of(), Some(Type::Symbol | Type::String)) && d.get_bytes() == Some(key);
            if !d.next() {
                break;
            }
            if is_key {
                return get(info);
            }
        }
        None
    }
    /// Copy `src`'s name, description and info.
    pub fn copy_from(&mut self, src: &Condition) {
        self.name = src.name.clone();
        self.description = src.description.clone();
        if !src.info.is_null() {
            // SAFETY: both data objects are live and distinct.
            unsafe { pn_data_copy(self.info(), src.info) };
        } else if let Some(info) = self.info_data() {
            info.data.clear();
        }
    }
}

rust_class!(Condition, PN_CONDITION_CLASS, "pn_condition", CID_pn_object);
handle!(pn_condition_t => Condition);

/// Whether the condition has a name (is an error).
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_is_set(condition: *mut pn_condition_t) -> bool {
    guard(|| try_ref!(condition).is_set())
}

/// Remove name, description and info.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_clear(condition: *mut pn_condition_t) {
    guard(|| try_mut!(condition).clear())
}

/// The name (e.g. "amqp:not-found"), or NULL; valid until it changes.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_get_name(condition: *mut pn_condition_t) -> *const c_char {
    guard(|| try_ref!(condition).name().map_or(ptr::null(), CStr::as_ptr))
}

/// Set (copy) the name; NULL unsets it.
///
/// # Safety
/// `condition` must be NULL or a live condition; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_set_name(condition: *mut pn_condition_t, name: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        let name = (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_bytes());
        try_mut!(condition).set_name(name);
        0
    })
}

/// The description, or NULL; valid until it changes.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_get_description(condition: *mut pn_condition_t) -> *const c_char {
    guard(|| try_ref!(condition).description().map_or(ptr::null(), CStr::as_ptr))
}

/// Set (copy) the description; NULL unsets it.
///
/// # Safety
/// `condition` must be NULL or a live condition; `description` NULL or a
/// C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_set_description(condition: *mut pn_condition_t, description: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        let d = (!description.is_null()).then(|| unsafe { CStr::from_ptr(description) }.to_bytes());
        try_mut!(condition).set_description(d);
        0
    })
}

/// The info map (extra fields), owned by the condition.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_info(condition: *mut pn_condition_t) -> *mut pn_data_t {
    guard(|| try_mut!(condition).info())
}

/// Set name and an already formatted description (the body of the C shim
/// `pn_condition_format`; not exported).
///
/// # Safety
/// `condition` must be NULL or a live condition; the strings NULL or C
/// strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_condition_set(condition: *mut pn_condition_t, name: *const c_char, description: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let err = pn_condition_set_name(condition, name);
            if err != 0 { err } else { pn_condition_set_description(condition, description) }
        }
    })
}

/// Whether the condition is a redirect (`amqp:connection:redirect` or
/// `amqp:link:redirect`).
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_is_redirect(condition: *mut pn_condition_t) -> bool {
    guard(|| try_ref!(condition).is_redirect())
}

/// The `network-host` of a redirect's info, or NULL; valid until the
/// condition changes.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_redirect_host(condition: *mut pn_condition_t) -> *const c_char {
    guard(|| {
        let c = try_mut!(condition);
        let host = c.info_lookup(b"network-host", |d| d.data.get_bytes().map(to_cstring));
        c.redirect_host = host;
        c.redirect_host.as_deref().map_or(ptr::null(), CStr::as_ptr)
    })
}

/// The `port` of a redirect's info, or 0.
///
/// # Safety
/// `condition` must be NULL or a live condition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_redirect_port(condition: *mut pn_condition_t) -> c_int {
    guard(|| try_mut!(condition).info_lookup(b"port", |d| Some(d.data.get_int())).unwrap_or(0))
}

/// Copy `src` into `dest`.
///
/// # Safety
/// Both must be NULL or live conditions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_copy(dest: *mut pn_condition_t, src: *mut pn_condition_t) -> c_int {
    guard(|| {
        if dest == src {
            return 0;
        }
        let s = try_ref!(src);
        try_mut!(dest).copy_from(s);
        0
    })
}

/// A new, unset condition.
#[unsafe(no_mangle)]
pub extern "C" fn pn_condition() -> *mut pn_condition_t {
    guard(|| pn_condition_t::from_target(new_object(Condition::default())))
}

/// Free a condition made by `pn_condition()`.
///
/// # Safety
/// `condition` must be NULL or a condition from `pn_condition()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_condition_free(condition: *mut pn_condition_t) {
    // SAFETY: per the contract, a proton object with one reference.
    guard(|| unsafe { pn_free(condition.cast()) })
}
