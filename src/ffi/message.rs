//! `proton/message.h`: AMQP messages: properties, annotations and body.
//!
//! The message itself is [`crate::message::Message`]; this file gives it to
//! C as a proton object of class `pn_message` whose section trees (and ids,
//! once asked for as trees) are `pn_data_t` objects it owns.
//!
//! Lifetimes: strings and byte ranges returned by the getters point into
//! the message and stay valid until the field is set again, the message is
//! cleared, decoded into, or freed. The `pn_data_t`s and the `pn_error_t`
//! stay valid until the message is freed.
#![allow(non_camel_case_types)]

/// An AMQP message.
pub struct pn_message_t {
    _private: [u8; 0],
}

/// The priority of a message whose priority is not set.
pub const PN_DEFAULT_PRIORITY: u8 = 4;

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr::{self, NonNull};

use super::boundary::{guard, try_mut, try_ref};
use super::codec::{PnData, new_data, pn_atom_t, pn_atom_u, pn_data_free, pn_data_get_atom, pn_data_put_atom, pn_data_t, pn_msgid_t, pn_type_t};
use super::error::{ErrorState, PN_ARG_ERR, PN_ERR, PN_OUT_OF_MEMORY, PN_OVERFLOW, pn_error, pn_error_free, pn_error_t};
use super::handle::{Handle, handle};
use super::object::{new_object, pn_free, pn_string_t, rust_class};
use super::types::{pn_bytes_t, pn_millis_t, pn_rwbytes_t, pn_sequence_t, pn_timestamp_t, pn_uuid_t};
use crate::codec::{Atom, Data};
use crate::message::{DataSlot, Id, Message, Section};

/// A `pn_data_t` a message owns (one reference), as the storage of one of
/// its trees.
pub struct DataHandle(NonNull<pn_data_t>);

impl DataHandle {
    fn as_ptr(&self) -> *mut pn_data_t {
        self.0.as_ptr()
    }
    fn obj(&self) -> &PnData {
        // SAFETY: the handle holds a reference to a live pn_data_t, and the
        // C API gives no other access to it during a call on its message.
        unsafe { pn_data_t::as_ref(self.as_ptr()) }.expect("a live pn_data_t")
    }
    fn obj_mut(&mut self) -> &mut PnData {
        // SAFETY: as in `obj`.
        unsafe { pn_data_t::as_mut(self.as_ptr()) }.expect("a live pn_data_t")
    }
}

impl DataSlot for DataHandle {
    fn create() -> Self {
        DataHandle(NonNull::new(new_data(16)).expect("new_data aborts rather than return NULL"))
    }
    fn data(&self) -> &Data {
        &self.obj().data
    }
    fn data_mut(&mut self) -> &mut Data {
        &mut self.obj_mut().data
    }
}

impl Drop for DataHandle {
    fn drop(&mut self) {
        // SAFETY: the reference this handle holds, released once.
        unsafe { pn_data_free(self.as_ptr()) };
    }
}

/// The Rust side of `pn_message_t`.
pub struct MessageObject {
    msg: Message<DataHandle>,
    /// Made by `pn_error()` on first use; freed with the message.
    error: *mut pn_error_t,
    /// `pni_message_with_extra`'s zeroed storage (`calloc`), or NULL.
    extra: *mut c_void,
}

impl MessageObject {
    fn new(extra: *mut c_void) -> MessageObject {
        MessageObject { msg: Message::new(), error: ptr::null_mut(), extra }
    }

    fn error(&mut self) -> *mut pn_error_t {
        if self.error.is_null() {
            self.error = pn_error();
        }
        self.error
    }

    fn error_state(&mut self) -> Option<&mut ErrorState> {
        // SAFETY: `error` is NULL or the live error this message owns.
        unsafe { pn_error_t::as_mut(self.error) }
    }
}

impl Drop for MessageObject {
    fn drop(&mut self) {
        // SAFETY: `error` is NULL or made by pn_error() and freed only here;
        // `extra` is NULL or from calloc and freed only here.
        unsafe {
            pn_error_free(self.error);
            libc::free(self.extra);
        }
    }
}

rust_class!(MessageObject, PN_MESSAGE_CLASS, "pn_message", CID_pn_message, inspect = message_inspect);
handle!(pn_message_t => MessageObject);

/// A message prints as `Message{field=value, ...}`.
unsafe extern "C" fn message_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    guard(|| {
        let m = try_ref!(object.cast::<pn_message_t>());
        let mut text = Vec::new();
        m.msg.inspect(&mut text);
        // SAFETY: dst is a live string (the inspect contract).
        unsafe { super::object::string::append(dst, &text) }
    })
}

/// The bytes of a C string, or `None` for NULL.
///
/// # Safety
/// `s` must be NULL or a NUL-terminated string.
unsafe fn c_str<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// A field's string for C: the stored bytes with their NUL, or NULL.
fn c_text(t: &crate::message::Text) -> *const c_char {
    t.with_nul().map_or(ptr::null(), |b| b.as_ptr().cast())
}

/// The C atom for a plain id.
fn c_atom(a: Atom<'_>) -> pn_atom_t {
    let zero = pn_atom_u { as_uuid: pn_uuid_t { bytes: [0; 16] } };
    let (t, u) = match a {
        Atom::Ulong(v) => (pn_type_t::PN_ULONG, pn_atom_u { as_ulong: v }),
        Atom::Uuid(v) => (pn_type_t::PN_UUID, pn_atom_u { as_uuid: pn_uuid_t { bytes: v.map(|b| b as c_char) } }),
        Atom::Binary(b) => (pn_type_t::PN_BINARY, pn_atom_u { as_bytes: pn_bytes_t::from_slice(b) }),
        Atom::String(b) => (pn_type_t::PN_STRING, pn_atom_u { as_bytes: pn_bytes_t::from_slice(b) }),
        _ => (pn_type_t::PN_NULL, zero),
    };
    let mut out = pn_atom_t { r#type: t as c_int, u: zero };
    out.u = u;
    out
}

/// The value of a C atom of one of the four id types (else `Atom::Null`).
///
/// # Safety
/// For a binary or string atom, `as_bytes` must be `{0, NULL}` or name
/// readable bytes.
unsafe fn id_atom<'a>(a: &'a pn_atom_t) -> Atom<'a> {
    // SAFETY: the union member read is the one `type` selects; byte ranges
    // are readable (contract).
    unsafe {
        match a.r#type {
            t if t == pn_type_t::PN_ULONG as c_int => Atom::Ulong(a.u.as_ulong),
            t if t == pn_type_t::PN_UUID as c_int => Atom::Uuid(a.u.as_uuid.bytes.map(|b| b as u8)),
            t if t == pn_type_t::PN_BINARY as c_int || t == pn_type_t::PN_STRING as c_int => {
                let b = a.u.as_bytes;
                let bytes: &[u8] =
                    if b.start.is_null() || b.size == 0 { &[] } else { std::slice::from_raw_parts(b.start.cast(), b.size) };
                if t == pn_type_t::PN_BINARY as c_int { Atom::Binary(bytes) } else { Atom::String(bytes) }
            }
            _ => Atom::Null,
        }
    }
}

fn get_id(id: &Id<DataHandle>) -> pn_msgid_t {
    match id {
        Id::Atom(a) => c_atom(a.get()),
        // SAFETY: the id's own live pn_data_t.
        Id::Data(d) => unsafe { pn_data_get_atom(d.as_ptr()) },
    }
}

/// # Safety
/// `id`'s bytes, for binary and string ids, readable.
unsafe fn set_id(field: &mut Id<DataHandle>, id: pn_msgid_t) -> c_int {
    match field {
        // SAFETY: per the contract.
        Id::Atom(a) => a.set(unsafe { id_atom(&id) }),
        Id::Data(d) => {
            let mut id = id;
            // The bytes may be the tree's own (from pn_message_get_id), which
            // a put can move: copy them first.
            let copy: Vec<u8>;
            let t = id.r#type;
            if t == pn_type_t::PN_BINARY as c_int || t == pn_type_t::PN_STRING as c_int || t == pn_type_t::PN_SYMBOL as c_int {
                // SAFETY: the member `type` selects; readable bytes (contract).
                let b = unsafe { id.u.as_bytes };
                copy = if b.start.is_null() || b.size == 0 {
                    Vec::new()
                } else {
                    // SAFETY: per the contract.
                    unsafe { std::slice::from_raw_parts(b.start.cast::<u8>(), b.size) }.to_vec()
                };
                id.u.as_bytes = pn_bytes_t::from_slice(&copy);
            }
            d.data_mut().rewind();
            // The tree takes any atom, as proton's does (its result is not
            // reported by proton either).
            // SAFETY: the id's own live pn_data_t; bytes are `copy`'s.
            unsafe { pn_data_put_atom(d.as_ptr(), id) };
        }
    }
    0
}

fn section_ptr(m: &mut MessageObject, s: Section) -> *mut pn_data_t {
    m.msg.section_mut(s).as_ptr()
}

// ---------------------------------------------------------------------------
// Exported functions, in message.h's order.

/// Make an empty message (every field at its default, no sections). Free it
/// with `pn_message_free`.
#[unsafe(no_mangle)]
pub extern "C" fn pn_message() -> *mut pn_message_t {
    guard(|| pn_message_t::from_target(new_object(MessageObject::new(ptr::null_mut()))))
}

/// Destroy a message, its `pn_data_t`s and its error. NULL is ignored.
///
/// # Safety
/// `msg` must be NULL or a live message, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_free(msg: *mut pn_message_t) {
    // SAFETY: per the contract, a proton object or NULL.
    guard(|| unsafe { pn_free(msg.cast()) })
}

/// Reset every field to its default and empty every section, as in a new
/// message. The `pn_data_t`s already handed out stay valid (empty), and an
/// id that was asked for as a `pn_data_t` stays in that form.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_clear(msg: *mut pn_message_t) {
    guard(|| {
        let m = try_mut!(msg);
        m.msg.clear();
        if let Some(e) = m.error_state() {
            e.clear();
        }
    })
}

/// The code of the last error recorded on the message, 0 when there is
/// none. proton-c records none; proton-rs only when a decode exceeds its
/// nesting limits.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_errno(msg: *mut pn_message_t) -> c_int {
    guard(|| try_mut!(msg).error_state().map_or(0, |e| e.code()))
}

/// The message's error object (code and text of the last failure). The
/// message owns it; it stays valid until the message is freed.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_error(msg: *mut pn_message_t) -> *mut pn_error_t {
    guard(|| try_mut!(msg).error())
}

/// Whether the body is written by type: a binary as a data section, a list
/// as an amqp-sequence section (any other value still as an amqp-value).
/// Off by default; decoding a data or amqp-sequence section turns it on,
/// an amqp-value section off.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_is_inferred(msg: *mut pn_message_t) -> bool {
    guard(|| try_ref!(msg).msg.inferred)
}

/// Choose how the body is written (see `pn_message_is_inferred`). Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_inferred(msg: *mut pn_message_t, inferred: bool) -> c_int {
    guard(|| {
        try_mut!(msg).msg.inferred = inferred;
        0
    })
}

/// The header's durable flag: whether holders of the message must keep it
/// on stable storage. False by default.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_is_durable(msg: *mut pn_message_t) -> bool {
    guard(|| try_ref!(msg).msg.durable)
}

/// Set the durable flag. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_durable(msg: *mut pn_message_t, durable: bool) -> c_int {
    guard(|| {
        try_mut!(msg).msg.durable = durable;
        0
    })
}

/// The header's priority (higher goes first); `PN_DEFAULT_PRIORITY` (4)
/// unless set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_priority(msg: *mut pn_message_t) -> u8 {
    guard(|| try_ref!(msg).msg.priority)
}

/// Set the priority (any value 0-255). Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_priority(msg: *mut pn_message_t, priority: u8) -> c_int {
    guard(|| {
        try_mut!(msg).msg.priority = priority;
        0
    })
}

/// The header's time to live in milliseconds; 0 (the default) means none.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_ttl(msg: *mut pn_message_t) -> pn_millis_t {
    guard(|| try_ref!(msg).msg.ttl)
}

/// Set the time to live in milliseconds. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_ttl(msg: *mut pn_message_t, ttl: pn_millis_t) -> c_int {
    guard(|| {
        try_mut!(msg).msg.ttl = ttl;
        0
    })
}

/// The header's first-acquirer flag: true when no earlier attempt to have
/// the message acquired has failed. False by default.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_is_first_acquirer(msg: *mut pn_message_t) -> bool {
    guard(|| try_ref!(msg).msg.first_acquirer)
}

/// Set the first-acquirer flag. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_first_acquirer(msg: *mut pn_message_t, first: bool) -> c_int {
    guard(|| {
        try_mut!(msg).msg.first_acquirer = first;
        0
    })
}

/// The header's delivery count: how many earlier delivery attempts there
/// were. 0 by default.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_delivery_count(msg: *mut pn_message_t) -> u32 {
    guard(|| try_ref!(msg).msg.delivery_count)
}

/// Set the delivery count. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_delivery_count(msg: *mut pn_message_t, count: u32) -> c_int {
    guard(|| {
        try_mut!(msg).msg.delivery_count = count;
        0
    })
}

/// The message id as a `pn_data_t` the message owns (valid until the
/// message is freed). From this call on the id lives in that tree: its
/// current node is the id, of whatever type it is, and the other id
/// functions, encoding and decoding use it.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_id(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| try_mut!(msg).msg.id.tree().as_ptr())
}

/// The message id (an unsigned long, uuid, binary or string; type
/// `PN_NULL` when there is none). Bytes point into the message.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_id(msg: *mut pn_message_t) -> pn_msgid_t {
    guard(|| get_id(&try_ref!(msg).msg.id))
}

/// Set the message id; the bytes of a binary or string id are copied. An
/// id of another type than ulong, uuid, binary or string leaves the message
/// without id (unless the id is kept as a `pn_data_t`, which takes any
/// type). Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; a binary or string `id` must name
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_id(msg: *mut pn_message_t, id: pn_msgid_t) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: id's bytes per the contract.
        unsafe { set_id(&mut m.msg.id, id) }
    })
}

/// The user id (binary). `{0, NULL}` when unset; the bytes point into the
/// message.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_user_id(msg: *mut pn_message_t) -> pn_bytes_t {
    guard(|| try_ref!(msg).msg.user_id.get().map_or(pn_bytes_t::NULL, pn_bytes_t::from_slice))
}

/// Set the user id to a copy of the bytes; a NULL `start` unsets it (a
/// zero-length range with a non-NULL start is an empty id). Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `user_id` must name readable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_user_id(msg: *mut pn_message_t, user_id: pn_bytes_t) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        let bytes: Option<&[u8]> = if user_id.start.is_null() {
            None
        } else if user_id.size == 0 {
            Some(&[])
        } else {
            // SAFETY: per the contract.
            Some(unsafe { std::slice::from_raw_parts(user_id.start.cast(), user_id.size) })
        };
        m.msg.user_id.set(bytes);
        0
    })
}

/// The address (the node it is sent to), or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_address(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.address))
}

/// Set the address (the node it is sent to) to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `address` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_address(msg: *mut pn_message_t, address: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.address.set(unsafe { c_str(address) });
        0
    })
}
/// The subject, or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_subject(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.subject))
}

/// Set the subject to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `subject` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_subject(msg: *mut pn_message_t, subject: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.subject.set(unsafe { c_str(subject) });
        0
    })
}
/// The reply-to address, or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_reply_to(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.reply_to))
}

/// Set the reply-to address to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `reply_to` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_reply_to(msg: *mut pn_message_t, reply_to: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.reply_to.set(unsafe { c_str(reply_to) });
        0
    })
}

/// The correlation id as a `pn_data_t` the message owns; as for
/// `pn_message_id`, the correlation id lives in that tree from then on.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_correlation_id(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| try_mut!(msg).msg.correlation_id.tree().as_ptr())
}

/// The correlation id (type `PN_NULL` when there is none); see
/// `pn_message_get_id`.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_correlation_id(msg: *mut pn_message_t) -> pn_msgid_t {
    guard(|| get_id(&try_ref!(msg).msg.correlation_id))
}

/// Set the correlation id, with the rules of `pn_message_set_id`. Returns
/// 0.
///
/// # Safety
/// `msg` must be NULL or a live message; a binary or string `id` must name
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_correlation_id(msg: *mut pn_message_t, id: pn_msgid_t) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: id's bytes per the contract.
        unsafe { set_id(&mut m.msg.correlation_id, id) }
    })
}

/// The content type (a MIME type, sent as a symbol), or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_content_type(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.content_type))
}

/// Set the content type (a MIME type, sent as a symbol) to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `type` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_content_type(msg: *mut pn_message_t, r#type: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.content_type.set(unsafe { c_str(r#type) });
        0
    })
}
/// The content encoding (sent as a symbol), or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_content_encoding(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.content_encoding))
}

/// Set the content encoding (sent as a symbol) to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `encoding` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_content_encoding(msg: *mut pn_message_t, encoding: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.content_encoding.set(unsafe { c_str(encoding) });
        0
    })
}

/// The absolute expiry time (milliseconds since the epoch); 0 means none.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_expiry_time(msg: *mut pn_message_t) -> pn_timestamp_t {
    guard(|| try_ref!(msg).msg.expiry_time)
}

/// Set the absolute expiry time. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_expiry_time(msg: *mut pn_message_t, time: pn_timestamp_t) -> c_int {
    guard(|| {
        try_mut!(msg).msg.expiry_time = time;
        0
    })
}

/// The creation time (milliseconds since the epoch); 0 means none.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_creation_time(msg: *mut pn_message_t) -> pn_timestamp_t {
    guard(|| try_ref!(msg).msg.creation_time)
}

/// Set the creation time. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_creation_time(msg: *mut pn_message_t, time: pn_timestamp_t) -> c_int {
    guard(|| {
        try_mut!(msg).msg.creation_time = time;
        0
    })
}

/// The group id, or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_group_id(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.group_id))
}

/// Set the group id to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `group_id` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_group_id(msg: *mut pn_message_t, group_id: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.group_id.set(unsafe { c_str(group_id) });
        0
    })
}

/// The message's position in its group; 0 by default.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_group_sequence(msg: *mut pn_message_t) -> pn_sequence_t {
    guard(|| try_ref!(msg).msg.group_sequence)
}

/// Set the position in the group. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_group_sequence(msg: *mut pn_message_t, n: pn_sequence_t) -> c_int {
    guard(|| {
        try_mut!(msg).msg.group_sequence = n;
        0
    })
}

/// The group id for replies, or NULL when it is not set.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_get_reply_to_group_id(msg: *mut pn_message_t) -> *const c_char {
    guard(|| c_text(&try_ref!(msg).msg.reply_to_group_id))
}

/// Set the group id for replies to a copy of the string, or unset it with NULL. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `reply_to_group_id` NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_set_reply_to_group_id(msg: *mut pn_message_t, reply_to_group_id: *const c_char) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        m.msg.reply_to_group_id.set(unsafe { c_str(reply_to_group_id) });
        0
    })
}

/// The delivery annotations, a tree (normally one map) the message owns,
/// valid until it is freed. Sent when it holds anything.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_instructions(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| section_ptr(try_mut!(msg), Section::Instructions))
}

/// The message annotations, a tree (normally one map with symbol keys) the
/// message owns, valid until it is freed.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_annotations(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| section_ptr(try_mut!(msg), Section::Annotations))
}

/// The application properties, a tree (normally one map with string keys)
/// the message owns, valid until it is freed.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_properties(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| section_ptr(try_mut!(msg), Section::Properties))
}

/// The body, a tree the message owns, valid until it is freed. Everything
/// in it is sent after the body's section descriptor.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_body(msg: *mut pn_message_t) -> *mut pn_data_t {
    guard(|| section_ptr(try_mut!(msg), Section::Body))
}

/// Read the `size` bytes at `bytes` as a series of message sections, as
/// proton-c 0.37 does: each section present replaces what the message had
/// for it (header and properties fields absent from their section go back
/// to their defaults); the rest of the message is left alone. Damaged input
/// is not an error: what cannot be read as a section goes into the body.
/// Returns 0; proton-rs returns `PN_ERR` (with the error's text set) only
/// for input nested deeper than its decoder allows. An empty input does
/// nothing.
///
/// # Safety
/// `msg` must be NULL or a live message; `bytes` must have `size` readable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_decode(msg: *mut pn_message_t, bytes: *const c_char, size: usize) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        if size == 0 {
            return 0;
        }
        if bytes.is_null() {
            return PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        let input = unsafe { std::slice::from_raw_parts(bytes.cast::<u8>(), size) };
        match m.msg.decode(input) {
            Ok(()) => 0,
            Err(e) => {
                m.error();
                if let Some(s) = m.error_state() {
                    s.set(PN_ERR, &e.to_string());
                }
                PN_ERR
            }
        }
    })
}

/// Encode the message into the buffer of `*size` bytes at `bytes`. On
/// success `*size` becomes the encoded length and 0 is returned; if the
/// buffer is too small, `PN_OVERFLOW` is returned, `*size` is unchanged and
/// the buffer holds the part that fit. Encoding rewinds the cursors of the
/// section trees.
///
/// # Safety
/// `msg` must be NULL or a live message; `size` must point at the size of
/// the writable buffer `bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_encode(msg: *mut pn_message_t, bytes: *mut c_char, size: *mut usize) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        if size.is_null() {
            return PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        let room = unsafe { *size };
        let encoded = m.msg.encode();
        let n = encoded.len().min(room);
        if n > 0 {
            if bytes.is_null() {
                return PN_ARG_ERR;
            }
            // SAFETY: `bytes` has `room` >= n writable bytes (contract);
            // the message's buffer does not overlap the caller's.
            unsafe { ptr::copy_nonoverlapping(encoded.as_ptr(), bytes.cast::<u8>(), n) };
        }
        if encoded.len() > room {
            return PN_OVERFLOW;
        }
        // SAFETY: per the contract.
        unsafe { *size = encoded.len() };
        0
    })
}

/// Encode the message into `buf`, growing it as needed: with a NULL
/// `start`, a 256-byte buffer is `malloc`ed first; while the message does
/// not fit, the buffer's size is doubled with `realloc` (so a zero-sized
/// buffer cannot grow: `PN_OUT_OF_MEMORY`). `buf` always describes the
/// current buffer, which the caller frees. Returns the encoded length, or
/// `PN_OUT_OF_MEMORY`.
///
/// # Safety
/// `msg` must be NULL or a live message; `buf` must point at a
/// `pn_rwbytes_t` describing a buffer from `malloc` (or a NULL start).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_encode2(msg: *mut pn_message_t, buf: *mut pn_rwbytes_t) -> isize {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        let Some(buf) = (unsafe { buf.as_mut() }) else { return PN_ARG_ERR as isize };
        if buf.start.is_null() {
            // SAFETY: malloc has no preconditions.
            buf.start = unsafe { libc::malloc(256) }.cast();
            buf.size = 256;
            if buf.start.is_null() {
                return PN_OUT_OF_MEMORY as isize;
            }
        }
        let encoded = m.msg.encode();
        while buf.size < encoded.len() {
            buf.size = buf.size.wrapping_mul(2);
            // SAFETY: start is a malloc'ed block (contract, or ours above).
            buf.start = unsafe { libc::realloc(buf.start.cast(), buf.size) }.cast();
            if buf.start.is_null() {
                return PN_OUT_OF_MEMORY as isize;
            }
        }
        // SAFETY: the buffer has buf.size >= encoded.len() bytes.
        unsafe { ptr::copy_nonoverlapping(encoded.as_ptr(), buf.start.cast::<u8>(), encoded.len()) };
        encoded.len() as isize
    })
}

/// Encode the message into `buf` (as `pn_message_encode2`; NULL: a buffer
/// made and freed here), send the bytes on the sender's current delivery
/// and advance the link. Returns an error code (the details in
/// `pn_message_error`) or, as proton-c 0.37 does, whether the advance moved
/// to another delivery (1 or 0). The delivery must exist already
/// (`pn_delivery`).
///
/// # Safety
/// `msg` and `sender` must be NULL or live; `buf` NULL or a buffer as
/// `pn_message_encode2` takes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_send(msg: *mut pn_message_t, sender: *mut super::types::pn_link_t, buf: *mut pn_rwbytes_t) -> isize {
    guard(|| {
        if msg.is_null() || sender.is_null() {
            return PN_ARG_ERR as isize;
        }
        let mut local = pn_rwbytes_t { size: 0, start: ptr::null_mut() };
        let b: *mut pn_rwbytes_t = if buf.is_null() { &mut local } else { buf };
        // SAFETY: per the contract; `b` is the caller's buffer or ours.
        unsafe {
            let mut ret = pn_message_encode2(msg, b);
            if ret >= 0 {
                ret = super::link::pn_link_send(sender, (*b).start, ret as usize);
                if ret < 0 {
                    super::error::pn_error_copy(pn_message_error(msg), super::link::pn_link_error(sender));
                } else {
                    // proton-c 0.37 returns what the advance returns.
                    ret = super::link::pn_link_advance(sender) as isize;
                }
            }
            if !local.start.is_null() {
                libc::free(local.start.cast());
            }
            ret
        }
    })
}

/// Replace `data`'s contents with the message as described values: the
/// header and properties lists (as they are encoded, but with an id of any
/// type), then each non-empty section with the first value of its tree.
/// Rewinds the section trees. Returns 0.
///
/// # Safety
/// `msg` must be NULL or a live message; `data` NULL or a live `pn_data_t`
/// that is none of the message's own.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_message_data(msg: *mut pn_message_t, data: *mut pn_data_t) -> c_int {
    guard(|| {
        let m = try_mut!(msg);
        // SAFETY: per the contract.
        let Some(d) = (unsafe { pn_data_t::as_mut(data) }) else { return PN_ARG_ERR };
        m.msg.to_data(&mut d.data);
        0
    })
}

/// Internal (the C++ binding's): a new message with `extra` zeroed bytes of
/// storage for its user, freed with the message; see
/// `pni_message_get_extra`.
#[unsafe(no_mangle)]
pub extern "C" fn pni_message_with_extra(extra: usize) -> *mut pn_message_t {
    guard(|| {
        // SAFETY: calloc has no preconditions; the result is checked.
        let storage = unsafe { libc::calloc(1, extra.max(1)) };
        if storage.is_null() {
            return ptr::null_mut();
        }
        pn_message_t::from_target(new_object(MessageObject::new(storage)))
    })
}

/// Internal (the C++ binding's): the storage of a message made by
/// `pni_message_with_extra` (aligned as `malloc` memory). For other
/// messages, a pointer just past the message object, not to be used.
///
/// # Safety
/// `msg` must be NULL or a live message.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pni_message_get_extra(msg: *mut pn_message_t) -> *mut c_void {
    guard(|| {
        let m = try_ref!(msg);
        if m.extra.is_null() {
            msg.cast::<u8>().wrapping_add(std::mem::size_of::<MessageObject>()).cast()
        } else {
            m.extra
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_handles_return_failure_values() {
        let n = ptr::null_mut();
        // SAFETY: NULL is accepted everywhere.
        unsafe {
            pn_message_free(n);
            assert_eq!(pn_message_get_priority(n), 0);
            assert!(pn_message_body(n).is_null());
            assert_eq!(pn_message_decode(n, b"\x40".as_ptr().cast(), 1), PN_ERR);
            assert_eq!(pn_message_get_id(n).r#type, -1);
        }
    }

    #[test]
    fn extra_storage_is_zeroed_and_owned() {
        let m = pni_message_with_extra(64);
        // SAFETY: m is live until freed; its extra storage has 64 bytes.
        unsafe {
            let e = pni_message_get_extra(m).cast::<u8>();
            assert!(std::slice::from_raw_parts(e, 64).iter().all(|&b| b == 0));
            *e = 7;
            pn_message_free(m);
        }
    }

    #[test]
    fn ids_copy_their_bytes_and_switch_to_trees() {
        let m = pn_message();
        // SAFETY: m is live; the atoms' bytes are readable.
        unsafe {
            let mut text = *b"abc";
            let mut a = c_atom(Atom::String(&text));
            assert_eq!(pn_message_set_id(m, a), 0);
            text[0] = b'z';
            assert_eq!(&text, b"zbc");
            let got = pn_message_get_id(m);
            assert_eq!(got.r#type, pn_type_t::PN_STRING as c_int);
            assert_eq!(std::slice::from_raw_parts(got.u.as_bytes.start.cast::<u8>(), 3), b"abc");
            a.r#type = pn_type_t::PN_SYMBOL as c_int;
            pn_message_set_id(m, a);
            assert_eq!(pn_message_get_id(m).r#type, pn_type_t::PN_NULL as c_int);
            // In tree form any type is kept.
            let d = pn_message_id(m);
            pn_message_set_id(m, a);
            assert_eq!(pn_message_get_id(m).r#type, pn_type_t::PN_SYMBOL as c_int);
            assert_eq!(super::super::codec::pn_data_size(d), 1);
            pn_message_free(m);
        }
    }
}
