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
