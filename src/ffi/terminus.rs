//! `proton/terminus.h`: the source and target of a link.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// A link's source or target.
pub struct pn_terminus_t {
    _private: [u8; 0],
}

/// What kind of terminus this is.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_terminus_type_t {
    /// Not set.
    PN_UNSPECIFIED = 0,
    /// A source.
    PN_SOURCE = 1,
    /// A target.
    PN_TARGET = 2,
    /// A transaction coordinator.
    PN_COORDINATOR = 3,
}

/// `pn_terminus_type_t` as C passes it (any int); convert with `from_raw`.
pub type pn_terminus_type_t_raw = c_int;

enum_from_raw!(pn_terminus_type_t { PN_UNSPECIFIED, PN_SOURCE, PN_TARGET, PN_COORDINATOR });

/// What of a terminus survives a detach.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_durability_t {
    /// Nothing.
    PN_NONDURABLE = 0,
    /// Its configuration.
    PN_CONFIGURATION = 1,
    /// Its configuration and unsettled deliveries.
    PN_DELIVERIES = 2,
}

/// `pn_durability_t` as C passes it (any int); convert with `from_raw`.
pub type pn_durability_t_raw = c_int;

enum_from_raw!(pn_durability_t { PN_NONDURABLE, PN_CONFIGURATION, PN_DELIVERIES });

/// When a terminus expires.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_expiry_policy_t {
    /// When its link is detached.
    PN_EXPIRE_WITH_LINK = 0,
    /// When its session ends.
    PN_EXPIRE_WITH_SESSION = 1,
    /// When its connection closes.
    PN_EXPIRE_WITH_CONNECTION = 2,
    /// Never.
    PN_EXPIRE_NEVER = 3,
}

/// `pn_expiry_policy_t` as C passes it (any int); convert with `from_raw`.
pub type pn_expiry_policy_t_raw = c_int;

enum_from_raw!(pn_expiry_policy_t {
    PN_EXPIRE_WITH_LINK,
    PN_EXPIRE_WITH_SESSION,
    PN_EXPIRE_WITH_CONNECTION,
    PN_EXPIRE_NEVER,
});

/// How a source hands out messages to its links.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_distribution_mode_t {
    /// Not set.
    PN_DIST_MODE_UNSPECIFIED = 0,
    /// Each link gets a copy.
    PN_DIST_MODE_COPY = 1,
    /// Each message goes to one link.
    PN_DIST_MODE_MOVE = 2,
}

/// `pn_distribution_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_distribution_mode_t_raw = c_int;

enum_from_raw!(pn_distribution_mode_t { PN_DIST_MODE_UNSPECIFIED, PN_DIST_MODE_COPY, PN_DIST_MODE_MOVE });

const _: () = {
    assert!(std::mem::size_of::<pn_terminus_type_t>() == 4);
    assert!(std::mem::size_of::<pn_durability_t>() == 4);
    assert!(std::mem::size_of::<pn_expiry_policy_t>() == 4);
    assert!(std::mem::size_of::<pn_distribution_mode_t>() == 4);
};

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::c_char;

use super::boundary::{FfiDefault, guard, try_mut, try_ref};
use super::codec::pn_data_t;
use super::handle::handle;
use super::types::pn_seconds_t;
use crate::engine::Terminus;

handle!(pn_terminus_t => Terminus);

impl FfiDefault for pn_terminus_type_t {
    fn ffi_default() -> Self {
        pn_terminus_type_t::PN_UNSPECIFIED
    }
}
impl FfiDefault for pn_durability_t {
    fn ffi_default() -> Self {
        pn_durability_t::PN_NONDURABLE
    }
}
impl FfiDefault for pn_expiry_policy_t {
    fn ffi_default() -> Self {
        pn_expiry_policy_t::PN_EXPIRE_WITH_SESSION
    }
}
impl FfiDefault for pn_distribution_mode_t {
    fn ffi_default() -> Self {
        pn_distribution_mode_t::PN_DIST_MODE_UNSPECIFIED
    }
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_type(terminus: *mut pn_terminus_t) -> pn_terminus_type_t {
    guard(|| pn_terminus_type_t::from_raw(try_ref!(terminus).type_).unwrap_or(pn_terminus_type_t::PN_UNSPECIFIED))
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_type(terminus: *mut pn_terminus_t, type_: pn_terminus_type_t_raw) -> c_int {
    guard(|| {
        try_mut!(terminus).type_ = type_;
        0
    })
}

/// The address (NULL when unset); valid until changed.
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_address(terminus: *mut pn_terminus_t) -> *const c_char {
    guard(|| super::connection::opt_ptr(&try_ref!(terminus).address))
}

/// Set (copy) the address; NULL unsets it.
///
/// # Safety
/// `terminus` must be NULL or a live terminus; `address` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_address(terminus: *mut pn_terminus_t, address: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        try_mut!(terminus).address = unsafe { super::connection::c_str(address) }.map(super::error::to_cstring);
        0
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_distribution_mode(terminus: *mut pn_terminus_t) -> pn_distribution_mode_t {
    guard(|| {
        pn_distribution_mode_t::from_raw(try_ref!(terminus).distribution_mode)
            .unwrap_or(pn_distribution_mode_t::PN_DIST_MODE_UNSPECIFIED)
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_distribution_mode(terminus: *mut pn_terminus_t, mode: pn_distribution_mode_t_raw) -> c_int {
    guard(|| {
        try_mut!(terminus).distribution_mode = mode;
        0
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_durability(terminus: *mut pn_terminus_t) -> pn_durability_t {
    guard(|| pn_durability_t::from_raw(try_ref!(terminus).durability).unwrap_or(pn_durability_t::PN_NONDURABLE))
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_durability(terminus: *mut pn_terminus_t, durability: pn_durability_t_raw) -> c_int {
    guard(|| {
        try_mut!(terminus).durability = durability;
        0
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_expiry_policy(terminus: *mut pn_terminus_t) -> pn_expiry_policy_t {
    guard(|| {
        pn_expiry_policy_t::from_raw(try_ref!(terminus).expiry_policy).unwrap_or(pn_expiry_policy_t::PN_EXPIRE_WITH_SESSION)
    })
}

/// Whether an expiry policy was set (otherwise none is sent).
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_has_expiry_policy(terminus: *const pn_terminus_t) -> bool {
    guard(|| try_ref!(terminus.cast_mut()).has_expiry_policy)
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_expiry_policy(terminus: *mut pn_terminus_t, policy: pn_expiry_policy_t_raw) -> c_int {
    guard(|| {
        let t = try_mut!(terminus);
        t.expiry_policy = policy;
        t.has_expiry_policy = true;
        0
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_get_timeout(terminus: *mut pn_terminus_t) -> pn_seconds_t {
    guard(|| try_ref!(terminus).timeout)
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_timeout(terminus: *mut pn_terminus_t, timeout: pn_seconds_t) -> c_int {
    guard(|| {
        try_mut!(terminus).timeout = timeout;
        0
    })
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_is_dynamic(terminus: *mut pn_terminus_t) -> bool {
    guard(|| try_ref!(terminus).dynamic)
}

/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_set_dynamic(terminus: *mut pn_terminus_t, dynamic: bool) -> c_int {
    guard(|| {
        try_mut!(terminus).dynamic = dynamic;
        0
    })
}

/// Dynamic node properties; live with the terminus.
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_properties(terminus: *mut pn_terminus_t) -> *mut pn_data_t {
    guard(|| try_mut!(terminus).properties.ptr())
}

/// Capabilities; live with the terminus.
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_capabilities(terminus: *mut pn_terminus_t) -> *mut pn_data_t {
    guard(|| try_mut!(terminus).capabilities.ptr())
}

/// Supported outcomes; live with the terminus.
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_outcomes(terminus: *mut pn_terminus_t) -> *mut pn_data_t {
    guard(|| try_mut!(terminus).outcomes.ptr())
}

/// Filters; live with the terminus.
///
/// # Safety
/// `terminus` must be NULL or a live terminus.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_filter(terminus: *mut pn_terminus_t) -> *mut pn_data_t {
    guard(|| try_mut!(terminus).filter.ptr())
}

/// Copy `src` into `terminus`.
///
/// # Safety
/// Both must be NULL or live termini.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_terminus_copy(terminus: *mut pn_terminus_t, src: *mut pn_terminus_t) -> c_int {
    guard(|| {
        if terminus == src {
            return 0;
        }
        let s: *const Terminus = try_ref!(src);
        // SAFETY: distinct live termini.
        try_mut!(terminus).copy_from(unsafe { &*s });
        0
    })
}
