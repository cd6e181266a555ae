//! `proton/link.h`: AMQP links, senders and receivers (`pn_link_t` itself is
//! declared by `types.h`).
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// How a sender settles the deliveries it sends.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_snd_settle_mode_t {
    /// Deliveries are sent unsettled.
    PN_SND_UNSETTLED = 0,
    /// Deliveries are sent settled.
    PN_SND_SETTLED = 1,
    /// The sender may send either.
    PN_SND_MIXED = 2,
}

/// `pn_snd_settle_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_snd_settle_mode_t_raw = c_int;

enum_from_raw!(pn_snd_settle_mode_t { PN_SND_UNSETTLED, PN_SND_SETTLED, PN_SND_MIXED });

/// When a receiver settles the deliveries it receives.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_rcv_settle_mode_t {
    /// The receiver settles first.
    PN_RCV_FIRST = 0,
    /// The receiver settles only after the sender has.
    PN_RCV_SECOND = 1,
}

/// `pn_rcv_settle_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_rcv_settle_mode_t_raw = c_int;

enum_from_raw!(pn_rcv_settle_mode_t { PN_RCV_FIRST, PN_RCV_SECOND });

const _: () = assert!(std::mem::size_of::<pn_snd_settle_mode_t>() == 4);
const _: () = assert!(std::mem::size_of::<pn_rcv_settle_mode_t>() == 4);
