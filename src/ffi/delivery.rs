//! `proton/delivery.h`: deliveries, the transfers of messages on a link
//! (`pn_delivery_t` itself is declared by `types.h`).
#![allow(non_camel_case_types)]

use super::types::pn_bytes_t;

/// The tag that identifies a delivery on its link: a byte range.
pub type pn_delivery_tag_t = pn_bytes_t;

/// A delivery tag from a size and a start (the bytes are not copied).
#[unsafe(no_mangle)]
pub extern "C" fn pn_dtag(bytes: *const std::ffi::c_char, size: usize) -> pn_delivery_tag_t {
    super::boundary::guard(|| pn_bytes_t { size, start: bytes })
}

// ---------------------------------------------------------------------------
// Implementation

use std::ffi::c_void;
use std::ptr;

use super::boundary::{guard, try_mut, try_ref};
use super::disposition::pn_disposition_t;
use super::endpoint::{DeliveryObj, with_engine};
use super::handle::Handle;
use super::link::{delivery_handle, link_handle};
use super::object::record::{pn_record_get, pn_record_set, pn_record_t};
use super::types::{pn_connection_t, pn_delivery_t, pn_link_t};
use crate::engine::{Connection, Delivery, DeliveryId};

fn obj<'a>(d: *mut pn_delivery_t) -> Option<&'a DeliveryObj> {
    // SAFETY: the C API passes a live delivery or NULL.
    unsafe { pn_delivery_t::as_ref(d) }
}

/// Run `f` on the delivery's engine entity, then hand the events over.
fn with_dlv<R>(d: *mut pn_delivery_t, f: impl FnOnce(&mut Connection, DeliveryId) -> R) -> Option<R> {
    let o = obj(d)?;
    let (c, id) = (o.conn, o.id);
    // SAFETY: a delivery's connection outlives it.
    unsafe {
        if !(*c).engine.deliveries.contains(id) {
            return None;
        }
        Some(with_engine(c, |e| f(e, id)))
    }
}

fn read<R>(d: *mut pn_delivery_t, f: impl FnOnce(&Delivery, &Connection) -> R) -> Option<R> {
    let o = obj(d)?;
    // SAFETY: a delivery's connection outlives it.
    let e = unsafe { &(*o.conn).engine };
    e.deliveries.get(o.id).map(|dl| f(dl, e))
}

fn write<R>(d: *mut pn_delivery_t, f: impl FnOnce(&mut Delivery) -> R) -> Option<R> {
    let o = obj(d)?;
    // SAFETY: a delivery's connection outlives it; no other borrow is live.
    let e = unsafe { &mut (*o.conn).engine };
    e.deliveries.get_mut(o.id).map(f)
}

/// A new delivery on the link with a copy of `tag`; it becomes the
/// current delivery if there is none.
///
/// # Safety
/// `link` must be NULL or a live link; `tag` must name readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery(link: *mut pn_link_t, tag: pn_delivery_tag_t) -> *mut pn_delivery_t {
    guard(|| {
        let bytes: &[u8] = if tag.start.is_null() || tag.size == 0 {
            &[]
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts(tag.start.cast(), tag.size) }
        };
        // SAFETY: the C API passes a live link or NULL.
        let Some(l) = (unsafe { link.cast::<super::endpoint::LinkObj>().as_ref() }) else { return ptr::null_mut() };
        let (c, lid) = (l.conn, l.id);
        // SAFETY: the link's connection is live.
        unsafe {
            if !(*c).engine.links.contains(lid) {
                return ptr::null_mut();
            }
            let id = with_engine(c, |e| e.new_delivery(lid, bytes, 0));
            delivery_handle(&(*c).engine, Some(id))
        }
    })
}

/// The application context (legacy attachment).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_get_context(delivery: *mut pn_delivery_t) -> *mut c_void {
    guard(|| {
        let r = try_mut!(delivery).record();
        // SAFETY: the record lives with its object.
        unsafe { pn_record_get(r, ptr::null()) }
    })
}

/// Set the application context (legacy attachment; not counted).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_set_context(delivery: *mut pn_delivery_t, context: *mut c_void) {
    guard(|| {
        let r = try_mut!(delivery).record();
        // SAFETY: the record lives with its object.
        unsafe { pn_record_set(r, ptr::null(), context) }
    })
}

/// The delivery's attachments.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_attachments(delivery: *mut pn_delivery_t) -> *mut pn_record_t {
    guard(|| try_mut!(delivery).record())
}

/// The delivery's tag; valid as long as the delivery.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_tag(delivery: *mut pn_delivery_t) -> pn_delivery_tag_t {
    guard(|| read(delivery, |d, _| pn_bytes_t::from_slice(&d.tag)).unwrap_or(pn_bytes_t::NULL))
}

/// The delivery's link.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_link(delivery: *mut pn_delivery_t) -> *mut pn_link_t {
    guard(|| read(delivery, |d, c| link_handle(c, d.link)).unwrap_or(ptr::null_mut()))
}

/// The local disposition; lives as long as the delivery.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_local(delivery: *mut pn_delivery_t) -> *mut pn_disposition_t {
    guard(|| {
        write(delivery, |d| {
            let p: *mut crate::engine::Disposition = &mut d.local;
            p.cast::<pn_disposition_t>()
        })
        .unwrap_or(ptr::null_mut())
    })
}

/// The local outcome type (0 when none).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_local_state(delivery: *mut pn_delivery_t) -> u64 {
    guard(|| read(delivery, |d, _| d.local.type_).unwrap_or(0))
}

/// The peer's disposition; lives as long as the delivery.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_remote(delivery: *mut pn_delivery_t) -> *mut pn_disposition_t {
    guard(|| {
        write(delivery, |d| {
            let p: *mut crate::engine::Disposition = &mut d.remote;
            p.cast::<pn_disposition_t>()
        })
        .unwrap_or(ptr::null_mut())
    })
}

/// The peer's outcome type (0 when none).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_remote_state(delivery: *mut pn_delivery_t) -> u64 {
    guard(|| read(delivery, |d, _| d.remote.type_).unwrap_or(0))
}

/// Whether the peer has settled the delivery.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_settled(delivery: *mut pn_delivery_t) -> bool {
    guard(|| read(delivery, |d, _| d.remote.settled).unwrap_or(false))
}

/// Bytes buffered (1 for an aborted delivery, so readers call recv).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_pending(delivery: *mut pn_delivery_t) -> usize {
    guard(|| read(delivery, |d, _| if d.aborted { 1 } else { d.pending() }).unwrap_or(0))
}

/// Whether more of the message is to come.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_partial(delivery: *mut pn_delivery_t) -> bool {
    guard(|| read(delivery, |d, _| !d.done).unwrap_or(false))
}

/// Whether the delivery was aborted.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_aborted(delivery: *mut pn_delivery_t) -> bool {
    guard(|| read(delivery, |d, _| d.aborted).unwrap_or(false))
}

/// Whether the delivery is the sender's current one and there is credit.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_writable(delivery: *mut pn_delivery_t) -> bool {
    guard(|| {
        let o = try_ref!(delivery);
        // SAFETY: a delivery's connection outlives it.
        let e = unsafe { &(*o.conn).engine };
        e.deliveries.contains(o.id) && e.delivery_writable(o.id)
    })
}

/// Whether the delivery is the receiver's current one.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_readable(delivery: *mut pn_delivery_t) -> bool {
    guard(|| {
        let o = try_ref!(delivery);
        // SAFETY: a delivery's connection outlives it.
        let e = unsafe { &(*o.conn).engine };
        e.deliveries.contains(o.id) && e.delivery_readable(o.id)
    })
}

/// Whether the peer changed the delivery's state since `pn_delivery_clear`.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_updated(delivery: *mut pn_delivery_t) -> bool {
    guard(|| read(delivery, |d, _| d.updated).unwrap_or(false))
}

/// Set the local outcome type (sent with the next disposition).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_update(delivery: *mut pn_delivery_t, state: u64) {
    guard(|| {
        with_dlv(delivery, |e, id| e.delivery_update(id, state));
    })
}

/// Forget that the peer updated the delivery.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_clear(delivery: *mut pn_delivery_t) {
    guard(|| {
        with_dlv(delivery, |e, id| e.delivery_clear(id));
    })
}

/// Whether the delivery is its link's current one.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_current(delivery: *mut pn_delivery_t) -> bool {
    guard(|| read(delivery, |d, c| c.links.get(d.link).is_some_and(|l| l.current == Some(try_ref!(delivery).id))).unwrap_or(false))
}

/// Abort a delivery being sent (and settle it).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_abort(delivery: *mut pn_delivery_t) {
    guard(|| {
        if with_dlv(delivery, |e, id| e.delivery_abort(id)) == Some(true) {
            // SAFETY: the delivery is live; its release is re-examined.
            unsafe { recheck(delivery) };
        }
    })
}

unsafe fn recheck(delivery: *mut pn_delivery_t) {
    // SAFETY: per the caller, a live delivery.
    unsafe { super::endpoint::recheck_delivery(delivery.cast()) }
}

/// Settle the delivery locally; it may be freed once nothing needs it.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_settle(delivery: *mut pn_delivery_t) {
    guard(|| {
        if with_dlv(delivery, |e, id| e.delivery_settle(id)) == Some(true) {
            // SAFETY: the delivery is live; its release is re-examined.
            unsafe { recheck(delivery) };
        }
    })
}

unsafe extern "C" {
    fn pnrs_print(text: *const std::ffi::c_char);
}

/// Print the delivery's state to stdout (debugging).
///
/// # Safety
/// `delivery` must be a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_dump(delivery: *mut pn_delivery_t) {
    guard(|| {
        let o = try_ref!(delivery);
        // SAFETY: a delivery's connection outlives it.
        let e = unsafe { &(*o.conn).engine };
        let Some(d) = e.deliveries.get(o.id) else { return };
        let (tag, _) = crate::transport::quote(&d.tag, 1024);
        let current = e.links.get(d.link).is_some_and(|l| l.current == Some(o.id));
        let text = format!(
            "{{tag={}, local.type={}, remote.type={}, local.settled={}, remote.settled={}, updated={}, current={}, writable={}, readable={}, work={}}}",
            tag,
            d.local.type_,
            d.remote.type_,
            d.local.settled as u8,
            d.remote.settled as u8,
            d.updated as u8,
            current as u8,
            e.delivery_writable(o.id) as u8,
            e.delivery_readable(o.id) as u8,
            d.work as u8
        );
        let c = super::error::to_cstring(text.as_bytes());
        // SAFETY: a C string; the shim prints it with printf.
        unsafe { pnrs_print(c.as_ptr()) };
    })
}

/// Whether the delivery has bytes (or its end) not yet sent.
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_delivery_buffered(delivery: *mut pn_delivery_t) -> bool {
    guard(|| {
        let o = try_ref!(delivery);
        // SAFETY: a delivery's connection outlives it.
        let e = unsafe { &(*o.conn).engine };
        e.deliveries.contains(o.id) && e.delivery_buffered(o.id)
    })
}

/// The first delivery with work to do (legacy).
///
/// # Safety
/// `connection` must be NULL or a live connection.
#[deprecated(note = "Use the PN_DELIVERY event to track deliveries with pending operations")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_work_head(connection: *mut pn_connection_t) -> *mut pn_delivery_t {
    guard(|| {
        let c = &try_ref!(connection).engine;
        delivery_handle(c, c.work.head)
    })
}

/// The next delivery with work to do (legacy).
///
/// # Safety
/// `delivery` must be NULL or a live delivery.
#[deprecated(note = "Use the PN_DELIVERY event to track deliveries with pending operations")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_work_next(delivery: *mut pn_delivery_t) -> *mut pn_delivery_t {
    guard(|| {
        read(delivery, |d, c| if d.work { delivery_handle(c, d.work_link.next) } else { delivery_handle(c, c.work.head) })
            .unwrap_or(ptr::null_mut())
    })
}
