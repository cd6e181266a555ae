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

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::c_char;
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::codec::pn_data_t;
use super::condition::pn_condition_t;
use super::handle::handle;
use crate::engine::Disposition;

handle!(pn_disposition_t => Disposition);

/// The outcome type (`PN_ACCEPTED`...; 0 when none).
///
/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_type(disposition: *mut pn_disposition_t) -> u64 {
    guard(|| try_ref!(disposition).type_)
}

/// The name of an outcome type (`"accepted"`...; `"unknown"`); static.
#[unsafe(no_mangle)]
pub extern "C" fn pn_disposition_type_name(type_: u64) -> *const c_char {
    guard(|| {
        let s: &'static std::ffi::CStr = match type_ {
            PN_RECEIVED => c"received",
            PN_ACCEPTED => c"accepted",
            PN_REJECTED => c"rejected",
            PN_RELEASED => c"released",
            PN_MODIFIED => c"modified",
            _ => c"unknown",
        };
        s.as_ptr()
    })
}

/// The condition of a rejection; lives with the disposition.
///
/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_condition(disposition: *mut pn_disposition_t) -> *mut pn_condition_t {
    guard(|| try_mut!(disposition).condition.ptr())
}

/// The value of a non-standard outcome; lives with the disposition.
///
/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_data(disposition: *mut pn_disposition_t) -> *mut pn_data_t {
    guard(|| try_mut!(disposition).data.ptr())
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_get_section_number(disposition: *mut pn_disposition_t) -> u32 {
    guard(|| try_ref!(disposition).section_number)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_set_section_number(disposition: *mut pn_disposition_t, section_number: u32) {
    guard(|| try_mut!(disposition).section_number = section_number)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_get_section_offset(disposition: *mut pn_disposition_t) -> u64 {
    guard(|| try_ref!(disposition).section_offset)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_set_section_offset(disposition: *mut pn_disposition_t, section_offset: u64) {
    guard(|| try_mut!(disposition).section_offset = section_offset)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_is_failed(disposition: *mut pn_disposition_t) -> bool {
    guard(|| try_ref!(disposition).failed)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_set_failed(disposition: *mut pn_disposition_t, failed: bool) {
    guard(|| try_mut!(disposition).failed = failed)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_is_undeliverable(disposition: *mut pn_disposition_t) -> bool {
    guard(|| try_ref!(disposition).undeliverable)
}

/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_set_undeliverable(disposition: *mut pn_disposition_t, undeliverable: bool) {
    guard(|| try_mut!(disposition).undeliverable = undeliverable)
}

/// The message annotations of a modified outcome; lives with the
/// disposition.
///
/// # Safety
/// `disposition` must be NULL or a live disposition.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_disposition_annotations(disposition: *mut pn_disposition_t) -> *mut pn_data_t {
    guard(|| try_mut!(disposition).annotations.ptr())
}

const _: *const () = ptr::null();
