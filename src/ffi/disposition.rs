//! `proton/disposition.h`: the state of a delivery at one end of a link.
#![allow(non_camel_case_types)]

/// A delivery's disposition: its outcome and the outcome's details.
pub struct pn_disposition_t {
    _private: [u8; 0],
}

// The outcome codes are the AMQP descriptors of the outcome types.

/// Partly received (the `received` state).
pub const PN_RECEIVED: u64 = 0x23;
/// Accepted by the receiver.
pub const PN_ACCEPTED: u64 = 0x24;
/// Rejected by the receiver as invalid.
pub const PN_REJECTED: u64 = 0x25;
/// Released by the receiver without being processed.
pub const PN_RELEASED: u64 = 0x26;
/// Released, possibly after changes to the message's annotations.
pub const PN_MODIFIED: u64 = 0x27;
