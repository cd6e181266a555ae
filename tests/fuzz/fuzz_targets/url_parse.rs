//! pn_url_parse on arbitrary strings (up to the first NUL, as from C), then
//! every getter, pn_url_str, inspect, and a rebuild through the setters.
#![no_main]
#![allow(deprecated)]

use libfuzzer_sys::fuzz_target;
use proton::ffi::object::string::pn_string;
use proton::ffi::object::{pn_free, pn_inspect};
use proton::ffi::url::*;

fuzz_target!(|input: &[u8]| {
    let end = input.iter().position(|&b| b == 0).unwrap_or(input.len());
    let mut text = input[..end].to_vec();
    text.push(0);
    // SAFETY: `text` is NUL-terminated; URLs are created and freed here and
    // the strings they return are used before the URL changes.
    unsafe {
        let u = pn_url_parse(text.as_ptr().cast());
        if u.is_null() {
            assert_eq!(end, 0, "only the empty string gives no URL");
            return;
        }
        let v = pn_url();
        pn_url_set_scheme(v, pn_url_get_scheme(u));
        pn_url_set_username(v, pn_url_get_username(u));
        pn_url_set_password(v, pn_url_get_password(u));
        pn_url_set_host(v, pn_url_get_host(u));
        pn_url_set_port(v, pn_url_get_port(u));
        pn_url_set_path(v, pn_url_get_path(u));
        let a = std::ffi::CStr::from_ptr(pn_url_str(u)).to_owned();
        let b = std::ffi::CStr::from_ptr(pn_url_str(v)).to_owned();
        assert_eq!(a, b, "the parts rebuild the same text");
        let s = pn_string(std::ptr::null());
        pn_inspect(u.cast(), s);
        pn_free(s.cast());
        let w = pn_url_parse(pn_url_str(u));
        pn_url_free(w);
        pn_url_clear(v);
        pn_url_free(v);
        pn_url_free(u);
    }
});
