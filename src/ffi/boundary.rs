//! The guard every exported function runs its body in.
//!
//! A Rust panic must never unwind into C. `guard` catches it and returns the
//! value the C API documents for "this call failed" for the function's return
//! type. NULL handles are turned into that same value by `try_ref!`/`try_mut!`
//! before anything is dereferenced.

use std::ffi::c_int;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::error::PN_ERR;
use super::types::{pn_bytes_t, pn_rwbytes_t};

/// The value an exported function returns when it cannot do its work
/// (NULL argument, or a caught panic).
pub trait FfiDefault {
    fn ffi_default() -> Self;
}

macro_rules! ffi_default {
    ($($t:ty => $v:expr),* $(,)?) => {
        $(impl FfiDefault for $t { #[inline] fn ffi_default() -> Self { $v } })*
    };
}

ffi_default! {
    () => (),
    bool => false,
    c_int => PN_ERR,
    u8 => 0, i8 => 0, u16 => 0, i16 => 0, u32 => 0, u64 => 0, i64 => 0,
    usize => 0,
    isize => PN_ERR as isize,
    f32 => 0.0, f64 => 0.0,
    pn_bytes_t => pn_bytes_t::NULL,
    pn_rwbytes_t => pn_rwbytes_t { size: 0, start: std::ptr::null_mut() },
}

impl<T> FfiDefault for *mut T {
    #[inline]
    fn ffi_default() -> Self {
        std::ptr::null_mut()
    }
}

/// Optional function pointers (callbacks) fail as NULL.
impl<T> FfiDefault for Option<T> {
    #[inline]
    fn ffi_default() -> Self {
        None
    }
}

impl<T> FfiDefault for *const T {
    #[inline]
    fn ffi_default() -> Self {
        std::ptr::null()
    }
}

impl<T: FfiDefault> FfiDefault for [T; 16]
where
    T: Copy,
{
    fn ffi_default() -> Self {
        [T::ffi_default(); 16]
    }
}

/// Run an exported function's body, converting a panic into the
/// function's failure value.
#[inline]
pub fn guard<R: FfiDefault>(body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(_) => R::ffi_default(),
    }
}

/// Borrow the Rust object behind a C handle, or return the function's
/// failure value when the handle is NULL.
macro_rules! try_ref {
    ($p:expr) => {
        // SAFETY: the C caller passes a handle this library returned and
        // has not freed (the API contract of every function taking it).
        match unsafe { $crate::ffi::handle::Handle::as_ref($p) } {
            Some(r) => r,
            None => return $crate::ffi::boundary::FfiDefault::ffi_default(),
        }
    };
}

/// Mutable form of `try_ref!`.
macro_rules! try_mut {
    ($p:expr) => {
        // SAFETY: as for try_ref!; the C API is single-threaded per object,
        // so no other reference to this object is live during the call.
        match unsafe { $crate::ffi::handle::Handle::as_mut($p) } {
            Some(r) => r,
            None => return $crate::ffi::boundary::FfiDefault::ffi_default(),
        }
    };
}

pub(crate) use {try_mut, try_ref};
