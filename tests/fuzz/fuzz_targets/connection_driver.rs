//! Arbitrary bytes into a server-side connection driver, through the C
//! API as proton's connection-driver fuzzer does: read as the driver
//! allows, react to events as a simple peer (open what the peer opens,
//! give credit, accept and settle deliveries, close what it closes), write
//! everything out, close, destroy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proton::ffi::connection::*;
use proton::ffi::connection_driver::*;
use proton::ffi::delivery::*;
use proton::ffi::disposition::PN_ACCEPTED;
use proton::ffi::event::{pn_event_type, pn_event_type_t, pn_event_type_t::*, pn_event_connection, pn_event_delivery, pn_event_link, pn_event_session};
use proton::ffi::link::*;
use proton::ffi::session::*;
use proton::ffi::terminus::pn_terminus_copy;
use proton::ffi::transport::pn_transport_set_server;

unsafe fn handle(d: *mut pn_connection_driver_t) {
    // SAFETY: the driver is initialized; events and their objects are live
    // while handled.
    unsafe {
        loop {
            let e = pn_connection_driver_next_event(d);
            if e.is_null() {
                break;
            }
            match pn_event_type_t::from_raw(pn_event_type(e)) {
                Some(PN_CONNECTION_REMOTE_OPEN) => pn_connection_open(pn_event_connection(e)),
                Some(PN_SESSION_REMOTE_OPEN) => pn_session_open(pn_event_session(e)),
                Some(PN_LINK_REMOTE_OPEN) => {
                    let l = pn_event_link(e);
                    pn_terminus_copy(pn_link_source(l), pn_link_remote_source(l));
                    pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
                    pn_link_open(l);
                    if pn_link_is_receiver(l) {
                        pn_link_flow(l, 100);
                    }
                }
                Some(PN_LINK_FLOW) => {
                    let l = pn_event_link(e);
                    if pn_link_is_sender(l) && pn_link_credit(l) > 0 && pn_link_unsettled(l) < 3 {
                        pn_delivery(l, pn_dtag(c"x".as_ptr(), 1));
                        pn_link_send(l, c"reply".as_ptr(), 5);
                        pn_link_advance(l);
                    }
                }
                Some(PN_DELIVERY) => {
                    let dlv = pn_event_delivery(e);
                    let l = pn_delivery_link(dlv);
                    if pn_link_is_receiver(l) && pn_delivery_readable(dlv) && !pn_delivery_partial(dlv) {
                        let mut buf = [0i8; 1024];
                        while pn_link_recv(l, buf.as_mut_ptr(), buf.len()) > 0 {}
                        pn_link_advance(l);
                        pn_delivery_update(dlv, PN_ACCEPTED);
                        pn_delivery_settle(dlv);
                    } else if pn_link_is_sender(l) && pn_delivery_updated(dlv) {
                        pn_delivery_settle(dlv);
                    }
                }
                Some(PN_LINK_REMOTE_CLOSE) => pn_link_close(pn_event_link(e)),
                Some(PN_LINK_REMOTE_DETACH) => pn_link_detach(pn_event_link(e)),
                Some(PN_SESSION_REMOTE_CLOSE) => pn_session_close(pn_event_session(e)),
                Some(PN_CONNECTION_REMOTE_CLOSE) => pn_connection_close(pn_event_connection(e)),
                _ => {}
            }
        }
    }
}

unsafe fn drain(d: *mut pn_connection_driver_t) {
    // SAFETY: as above.
    unsafe {
        loop {
            let wb = pn_connection_driver_write_buffer(d);
            if wb.size == 0 {
                break;
            }
            pn_connection_driver_write_done(d, wb.size);
            handle(d);
        }
    }
}

fuzz_target!(|input: &[u8]| {
    // SAFETY: the driver lives on this stack frame and is destroyed here;
    // buffers are used within the sizes the driver gives.
    unsafe {
        let mut d = std::mem::zeroed::<pn_connection_driver_t>();
        pn_connection_driver_init(&mut d, std::ptr::null_mut(), std::ptr::null_mut());
        pn_transport_set_server(d.transport);
        handle(&mut d);
        let mut off = 0;
        while off < input.len() {
            let rb = pn_connection_driver_read_buffer(&mut d);
            if rb.size == 0 {
                break;
            }
            let n = rb.size.min(input.len() - off);
            std::ptr::copy_nonoverlapping(input[off..].as_ptr(), rb.start.cast::<u8>(), n);
            pn_connection_driver_read_done(&mut d, n);
            off += n;
            handle(&mut d);
            drain(&mut d);
        }
        pn_connection_driver_read_close(&mut d);
        handle(&mut d);
        drain(&mut d);
        pn_connection_driver_write_close(&mut d);
        handle(&mut d);
        pn_connection_driver_destroy(&mut d);
    }
});
