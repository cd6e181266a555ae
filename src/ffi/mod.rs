//! The C API: one module per proton header, in the header's order.
//!
//! Every exported function runs its body inside `boundary::guard`, so a
//! panic never unwinds into C; `tests/ffi_guard.rs` checks that none skips
//! it. Unsafe code in the crate lives here.
#![allow(non_camel_case_types, non_upper_case_globals, clippy::missing_safety_doc)]

pub mod boundary;
pub mod handle;

pub mod cid;
pub mod error;
pub mod object;
pub mod types;
