//! `proton/connection.h`: the AMQP connection endpoint and the endpoint
//! state bits shared by connections, sessions and links.

use super::types::pn_state_t;

/// The local end is not yet opened.
pub const PN_LOCAL_UNINIT: pn_state_t = 1;
/// The local end is open.
pub const PN_LOCAL_ACTIVE: pn_state_t = 2;
/// The local end is closed.
pub const PN_LOCAL_CLOSED: pn_state_t = 4;
/// The peer has not yet opened its end.
pub const PN_REMOTE_UNINIT: pn_state_t = 8;
/// The peer's end is open.
pub const PN_REMOTE_ACTIVE: pn_state_t = 16;
/// The peer's end is closed.
pub const PN_REMOTE_CLOSED: pn_state_t = 32;
/// All the local state bits.
pub const PN_LOCAL_MASK: pn_state_t = PN_LOCAL_UNINIT | PN_LOCAL_ACTIVE | PN_LOCAL_CLOSED;
/// All the remote state bits.
pub const PN_REMOTE_MASK: pn_state_t = PN_REMOTE_UNINIT | PN_REMOTE_ACTIVE | PN_REMOTE_CLOSED;
