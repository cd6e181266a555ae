//! `proton/connection_driver.h`: drives a connection and its transport over
//! any byte stream the application manages itself.
#![allow(non_camel_case_types)]

use super::types::{pn_collector_t, pn_connection_t, pn_transport_t};

/// A connection, its transport and its collector, as one unit to drive.
///
/// C code allocates it (usually on the stack) and reads the fields, so the
/// layout is public and must stay proton-c's.
#[repr(C)]
#[derive(Debug)]
pub struct pn_connection_driver_t {
    pub connection: *mut pn_connection_t,
    pub transport: *mut pn_transport_t,
    pub collector: *mut pn_collector_t,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<pn_connection_driver_t>() == 24 && align_of::<pn_connection_driver_t>() == 8);
    assert!(offset_of!(pn_connection_driver_t, connection) == 0);
    assert!(offset_of!(pn_connection_driver_t, transport) == 8);
    assert!(offset_of!(pn_connection_driver_t, collector) == 16);
};
