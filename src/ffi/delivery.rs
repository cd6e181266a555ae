//! `proton/delivery.h`: deliveries, the transfers of messages on a link
//! (`pn_delivery_t` itself is declared by `types.h`).
#![allow(non_camel_case_types)]

use super::types::pn_bytes_t;

/// The tag that identifies a delivery on its link: a byte range.
pub type pn_delivery_tag_t = pn_bytes_t;

/// A delivery tag from a size and a start (the bytes are not copied).
#[unsafe(no_mangle)]
pub extern "C" fn pn_dtag(bytes: *const std::ffi::c_char, size: usize) -> pn_delivery_tag_t {
    super::boundary::guard(|| pn_bytes_t { size, start: bytes })
}
