//! `proton/raw_connection.h`: raw connections, sockets the proactor runs
//! without AMQP (`pn_raw_connection_t` itself is declared by `types.h`).
#![allow(non_camel_case_types)]

use std::ffi::c_char;

/// A buffer lent to a raw connection to read into or write from.
///
/// C code fills these in, so the layout is public and must stay
/// proton-c's (`size` comes before `offset`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct pn_raw_buffer_t {
    /// The application's own value, returned with the buffer.
    pub context: usize,
    /// The memory.
    pub bytes: *mut c_char,
    /// How many bytes the memory holds.
    pub capacity: u32,
    /// How many bytes after `offset` are in use.
    pub size: u32,
    /// Where the bytes in use start.
    pub offset: u32,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<pn_raw_buffer_t>() == 32 && align_of::<pn_raw_buffer_t>() == 8);
    assert!(offset_of!(pn_raw_buffer_t, context) == 0);
    assert!(offset_of!(pn_raw_buffer_t, bytes) == 8);
    assert!(offset_of!(pn_raw_buffer_t, capacity) == 16);
    assert!(offset_of!(pn_raw_buffer_t, size) == 20);
    assert!(offset_of!(pn_raw_buffer_t, offset) == 24);
};
