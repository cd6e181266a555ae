//! The AMQP 1.0 type system and its binary encoding (being written).
