//! pn_data_decode on arbitrary bytes, through the C API as C callers use
//! it: decode value after value, then format and re-encode what was read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proton::ffi::codec::{pn_data, pn_data_encode, pn_data_format, pn_data_free};
use proton::ffi::codec::pn_data_decode;

fuzz_target!(|input: &[u8]| {
    // SAFETY: every pointer passed is valid for the stated length; the data
    // object is created and freed here.
    unsafe {
        let data = pn_data(0);
        let mut offset = 0;
        while offset < input.len() {
            let n = pn_data_decode(data, input[offset..].as_ptr().cast(), input.len() - offset);
            if n <= 0 {
                break;
            }
            offset += n as usize;
        }
        let mut text = vec![0u8; 4096];
        let mut size = text.len();
        pn_data_format(data, text.as_mut_ptr().cast(), &mut size);
        let mut out = vec![0u8; input.len() * 2 + 64];
        pn_data_encode(data, out.as_mut_ptr().cast(), out.len());
        pn_data_free(data);
    }
});
