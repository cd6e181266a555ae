//! `proton/version.h`: the proton-c release whose API and ABI this library
//! provides. (`PN_INSTALL_PREFIX` is in `headers/version.post.h`.)

use std::ffi::c_int;

/// Major version of the proton-c API.
pub const PN_VERSION_MAJOR: c_int = 0;
/// Minor version of the proton-c API.
pub const PN_VERSION_MINOR: c_int = 37;
/// Patch level of the proton-c API.
pub const PN_VERSION_POINT: c_int = 0;

// The crate's major.minor version is that of the proton-c it stands in for.
const _: () = {
    const fn parse(s: &str) -> c_int {
        let b = s.as_bytes();
        let mut i = 0;
        let mut n = 0;
        while i < b.len() {
            n = n * 10 + (b[i] - b'0') as c_int;
            i += 1;
        }
        n
    }
    assert!(parse(env!("CARGO_PKG_VERSION_MAJOR")) == PN_VERSION_MAJOR);
    assert!(parse(env!("CARGO_PKG_VERSION_MINOR")) == PN_VERSION_MINOR);
};
