//! pn_message_decode on arbitrary bytes, through the C API: decode into a
//! fresh message and into one reused across inputs, then print, encode
//! (both ways) and copy the message into a pn_data_t, as C callers do.
#![no_main]

use std::cell::Cell;

use libfuzzer_sys::fuzz_target;
use proton::ffi::codec::{pn_data, pn_data_free};
use proton::ffi::message::{
    pn_message, pn_message_data, pn_message_decode, pn_message_encode, pn_message_encode2, pn_message_free,
    pn_message_t,
};
use proton::ffi::object::string::pn_string;
use proton::ffi::object::{pn_free, pn_inspect};
use proton::ffi::types::pn_rwbytes_t;

thread_local! {
    static REUSED: Cell<*mut pn_message_t> = const { Cell::new(std::ptr::null_mut()) };
}

fuzz_target!(|input: &[u8]| {
    // SAFETY: every pointer passed is valid for the stated length; the
    // objects are created here (the reused message lives for the process).
    unsafe {
        let m = pn_message();
        pn_message_decode(m, input.as_ptr().cast(), input.len());
        let s = pn_string(std::ptr::null());
        pn_inspect(m.cast(), s);
        pn_free(s.cast());
        let mut out = vec![0u8; 64];
        let mut size = out.len();
        pn_message_encode(m, out.as_mut_ptr().cast(), &mut size);
        let mut rw = pn_rwbytes_t { size: 0, start: std::ptr::null_mut() };
        let n = pn_message_encode2(m, &mut rw);
        if n > 0 {
            // What was encoded decodes again.
            let again = pn_message();
            pn_message_decode(again, rw.start, n as usize);
            pn_message_free(again);
        }
        libc::free(rw.start.cast());
        let d = pn_data(0);
        pn_message_data(m, d);
        pn_data_free(d);
        pn_message_free(m);

        let reused = REUSED.with(|r| {
            if r.get().is_null() {
                r.set(pn_message());
            }
            r.get()
        });
        pn_message_decode(reused, input.as_ptr().cast(), input.len());
    }
});
