//! `proton/cid.h`: the class identifiers of proton's object model.
#![allow(non_camel_case_types)]

/// Identifies the class of a proton object (`pn_class_id`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum pn_cid_t {
    CID_pn_object = 1,
    CID_pn_void,
    CID_pn_weakref,
    CID_pn_string,
    CID_pn_list,
    CID_pn_map,
    CID_pn_hash,
    CID_pn_record,
    CID_pn_collector,
    CID_pn_event,
    CID_pn_buffer,
    CID_pn_error,
    CID_pn_data,
    CID_pn_connection,
    CID_pn_session,
    CID_pn_link,
    CID_pn_delivery,
    CID_pn_transport,
    CID_pn_message,
    CID_pn_reactor,
    CID_pn_handler,
    CID_pn_timer,
    CID_pn_task,
    CID_pn_io,
    CID_pn_selector,
    CID_pn_selectable,
    CID_pn_url,
    CID_pn_strdup,
    CID_pn_listener,
    CID_pn_proactor,
    CID_pn_listener_socket,
    CID_pn_raw_connection,
}

/// `pn_cid_t` as C code may store it (any int); see `ffi/handle.rs` on enums.
pub type pn_cid_t_raw = std::ffi::c_int;
