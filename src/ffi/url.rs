//! `proton/url.h`: the deprecated URL parser of the legacy API.
#![allow(non_camel_case_types)]

/// A parsed URL.
pub struct pn_url_t {
    _private: [u8; 0],
}
