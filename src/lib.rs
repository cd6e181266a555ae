//! proton-rs: an AMQP 1.0 engine with the C ABI of Apache Qpid Proton-C 0.37.
//!
//! The engine modules are safe Rust; raw pointers and C calling conventions
//! live only in `ffi`.
#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod codec;
pub mod engine;
pub mod framing;
pub mod protocol;
pub mod transport;
pub mod message;
pub mod url;
/// The proactor's event loop (sockets, timers, threads); see `ffi::proactor`
/// for its C API.
pub mod proactor;

#[allow(unsafe_code)]
pub mod ffi;
