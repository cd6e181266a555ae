//! `proton/message.h`: AMQP messages: properties, annotations and body.
#![allow(non_camel_case_types)]

/// An AMQP message.
pub struct pn_message_t {
    _private: [u8; 0],
}

/// The priority of a message whose priority is not set.
pub const PN_DEFAULT_PRIORITY: u8 = 4;
