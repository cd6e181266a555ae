//! The C API: one module per proton header, in the header's order.
//!
//! Every exported function runs its body inside `boundary::guard`, so a
//! panic never unwinds into C; `tests/ffi_guard.rs` checks that none skips
//! it. Unsafe code in the crate lives here.
#![allow(non_camel_case_types, non_upper_case_globals, clippy::missing_safety_doc)]

pub mod boundary;
pub mod handle;

pub mod cid;
pub mod codec;
pub mod condition;
pub mod connection;
pub mod connection_driver;
pub mod delivery;
pub mod disposition;
pub mod endpoint;
pub mod engine;
pub mod error;
pub mod event;
pub mod import_export;
pub mod link;
pub mod listener;
pub mod log;
pub mod logger;
pub mod message;
pub mod netaddr;
pub mod object;
pub mod proactor;
pub mod raw_connection;
pub mod sasl;
pub mod sasl_plugin;
pub mod session;
pub mod ssl;
pub mod store;
pub mod terminus;
pub mod transport;
pub mod type_compat;
pub mod types;
pub mod url;
pub mod version;
