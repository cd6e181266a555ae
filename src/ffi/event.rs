//! `proton/event.h`: events, their types, and the collector that queues them.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// An event: something that happened to a connection, session, link,
/// delivery, transport, listener or proactor.
pub struct pn_event_t {
    _private: [u8; 0],
}

/// What an event is about. The values are proton-c's; gaps are not allowed
/// (C code may use them as array indices).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_event_type_t {
    /// No event (a placeholder; never delivered).
    PN_EVENT_NONE = 0,
    /// The legacy reactor is starting.
    PN_REACTOR_INIT,
    /// The legacy reactor has nothing left to do.
    PN_REACTOR_QUIESCED,
    /// The legacy reactor has stopped.
    PN_REACTOR_FINAL,
    /// A legacy reactor timer fired.
    PN_TIMER_TASK,
    /// A connection was created.
    PN_CONNECTION_INIT,
    /// A connection was bound to a transport.
    PN_CONNECTION_BOUND,
    /// A connection was unbound from its transport.
    PN_CONNECTION_UNBOUND,
    /// The local end of a connection was opened.
    PN_CONNECTION_LOCAL_OPEN,
    /// The peer opened the connection.
    PN_CONNECTION_REMOTE_OPEN,
    /// The local end of a connection was closed.
    PN_CONNECTION_LOCAL_CLOSE,
    /// The peer closed the connection.
    PN_CONNECTION_REMOTE_CLOSE,
    /// A connection is about to be freed.
    PN_CONNECTION_FINAL,
    /// A session was created.
    PN_SESSION_INIT,
    /// The local end of a session was opened.
    PN_SESSION_LOCAL_OPEN,
    /// The peer opened the session.
    PN_SESSION_REMOTE_OPEN,
    /// The local end of a session was closed.
    PN_SESSION_LOCAL_CLOSE,
    /// The peer closed the session.
    PN_SESSION_REMOTE_CLOSE,
    /// A session is about to be freed.
    PN_SESSION_FINAL,
    /// A link was created.
    PN_LINK_INIT,
    /// The local end of a link was opened.
    PN_LINK_LOCAL_OPEN,
    /// The peer opened the link.
    PN_LINK_REMOTE_OPEN,
    /// The local end of a link was closed.
    PN_LINK_LOCAL_CLOSE,
    /// The peer closed the link.
    PN_LINK_REMOTE_CLOSE,
    /// The local end of a link was detached.
    PN_LINK_LOCAL_DETACH,
    /// The peer detached the link.
    PN_LINK_REMOTE_DETACH,
    /// A link's flow state (credit, drain) changed.
    PN_LINK_FLOW,
    /// A link is about to be freed.
    PN_LINK_FINAL,
    /// A delivery was created or changed.
    PN_DELIVERY,
    /// A transport has new data to write.
    PN_TRANSPORT,
    /// The transport finished authenticating (SASL).
    PN_TRANSPORT_AUTHENTICATED,
    /// The transport hit an error; see its condition.
    PN_TRANSPORT_ERROR,
    /// The transport will write no more bytes.
    PN_TRANSPORT_HEAD_CLOSED,
    /// The transport will read no more bytes.
    PN_TRANSPORT_TAIL_CLOSED,
    /// Both ends of the transport are closed.
    PN_TRANSPORT_CLOSED,
    /// A legacy selectable was created.
    PN_SELECTABLE_INIT,
    /// A legacy selectable changed.
    PN_SELECTABLE_UPDATED,
    /// A legacy selectable can be read.
    PN_SELECTABLE_READABLE,
    /// A legacy selectable can be written.
    PN_SELECTABLE_WRITABLE,
    /// A legacy selectable has an error.
    PN_SELECTABLE_ERROR,
    /// A legacy selectable's deadline passed.
    PN_SELECTABLE_EXPIRED,
    /// A legacy selectable is about to be freed.
    PN_SELECTABLE_FINAL,
    /// `pn_connection_wake` was called for the connection.
    PN_CONNECTION_WAKE,
    /// A listener has a connection to accept.
    PN_LISTENER_ACCEPT,
    /// A listener closed.
    PN_LISTENER_CLOSE,
    /// `pn_proactor_interrupt` was called.
    PN_PROACTOR_INTERRUPT,
    /// The proactor's timeout expired.
    PN_PROACTOR_TIMEOUT,
    /// The proactor has no connections, listeners or timeout left.
    PN_PROACTOR_INACTIVE,
    /// A listener is listening.
    PN_LISTENER_OPEN,
    /// A raw connection is connected.
    PN_RAW_CONNECTION_CONNECTED,
    /// A raw connection will read no more.
    PN_RAW_CONNECTION_CLOSED_READ,
    /// A raw connection will write no more.
    PN_RAW_CONNECTION_CLOSED_WRITE,
    /// A raw connection is closed and its buffers are returned.
    PN_RAW_CONNECTION_DISCONNECTED,
    /// A raw connection wants buffers to read into.
    PN_RAW_CONNECTION_NEED_READ_BUFFERS,
    /// A raw connection can take buffers to write.
    PN_RAW_CONNECTION_NEED_WRITE_BUFFERS,
    /// A raw connection has filled read buffers to return.
    PN_RAW_CONNECTION_READ,
    /// A raw connection has written buffers to return.
    PN_RAW_CONNECTION_WRITTEN,
    /// `pn_raw_connection_wake` was called.
    PN_RAW_CONNECTION_WAKE,
    /// A raw connection is closing and returns its buffers.
    PN_RAW_CONNECTION_DRAIN_BUFFERS,
}

/// `pn_event_type_t` as C passes it (any int); convert with `from_raw`.
pub type pn_event_type_t_raw = c_int;

enum_from_raw!(pn_event_type_t {
    PN_EVENT_NONE,
    PN_REACTOR_INIT,
    PN_REACTOR_QUIESCED,
    PN_REACTOR_FINAL,
    PN_TIMER_TASK,
    PN_CONNECTION_INIT,
    PN_CONNECTION_BOUND,
    PN_CONNECTION_UNBOUND,
    PN_CONNECTION_LOCAL_OPEN,
    PN_CONNECTION_REMOTE_OPEN,
    PN_CONNECTION_LOCAL_CLOSE,
    PN_CONNECTION_REMOTE_CLOSE,
    PN_CONNECTION_FINAL,
    PN_SESSION_INIT,
    PN_SESSION_LOCAL_OPEN,
    PN_SESSION_REMOTE_OPEN,
    PN_SESSION_LOCAL_CLOSE,
    PN_SESSION_REMOTE_CLOSE,
    PN_SESSION_FINAL,
    PN_LINK_INIT,
    PN_LINK_LOCAL_OPEN,
    PN_LINK_REMOTE_OPEN,
    PN_LINK_LOCAL_CLOSE,
    PN_LINK_REMOTE_CLOSE,
    PN_LINK_LOCAL_DETACH,
    PN_LINK_REMOTE_DETACH,
    PN_LINK_FLOW,
    PN_LINK_FINAL,
    PN_DELIVERY,
    PN_TRANSPORT,
    PN_TRANSPORT_AUTHENTICATED,
    PN_TRANSPORT_ERROR,
    PN_TRANSPORT_HEAD_CLOSED,
    PN_TRANSPORT_TAIL_CLOSED,
    PN_TRANSPORT_CLOSED,
    PN_SELECTABLE_INIT,
    PN_SELECTABLE_UPDATED,
    PN_SELECTABLE_READABLE,
    PN_SELECTABLE_WRITABLE,
    PN_SELECTABLE_ERROR,
    PN_SELECTABLE_EXPIRED,
    PN_SELECTABLE_FINAL,
    PN_CONNECTION_WAKE,
    PN_LISTENER_ACCEPT,
    PN_LISTENER_CLOSE,
    PN_PROACTOR_INTERRUPT,
    PN_PROACTOR_TIMEOUT,
    PN_PROACTOR_INACTIVE,
    PN_LISTENER_OPEN,
    PN_RAW_CONNECTION_CONNECTED,
    PN_RAW_CONNECTION_CLOSED_READ,
    PN_RAW_CONNECTION_CLOSED_WRITE,
    PN_RAW_CONNECTION_DISCONNECTED,
    PN_RAW_CONNECTION_NEED_READ_BUFFERS,
    PN_RAW_CONNECTION_NEED_WRITE_BUFFERS,
    PN_RAW_CONNECTION_READ,
    PN_RAW_CONNECTION_WRITTEN,
    PN_RAW_CONNECTION_WAKE,
    PN_RAW_CONNECTION_DRAIN_BUFFERS,
});

const _: () = {
    use pn_event_type_t::*;
    assert!(std::mem::size_of::<pn_event_type_t>() == 4);
    assert!(PN_TIMER_TASK as c_int == 4);
    assert!(PN_CONNECTION_FINAL as c_int == 12);
    assert!(PN_LINK_FINAL as c_int == 27);
    assert!(PN_TRANSPORT_CLOSED as c_int == 34);
    assert!(PN_SELECTABLE_FINAL as c_int == 41);
    assert!(PN_CONNECTION_WAKE as c_int == 42);
    assert!(PN_LISTENER_OPEN as c_int == 48);
    assert!(PN_RAW_CONNECTION_DRAIN_BUFFERS as c_int == 58);
};

#[cfg(test)]
mod tests {
    use super::pn_event_type_t;

    #[test]
    fn from_raw_covers_0_to_58() {
        for v in 0..=58 {
            assert_eq!(pn_event_type_t::from_raw(v).map(pn_event_type_t::to_raw), Some(v));
        }
        assert_eq!(pn_event_type_t::from_raw(59), None);
        assert_eq!(pn_event_type_t::from_raw(-1), None);
    }
}
