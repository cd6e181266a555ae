//! The C objects of the engine: connections, sessions, links, deliveries
//! (their classes, reference counting and release), and the step that
//! hands the engine's events to the collector.
//!
//! The state of every endpoint lives in the engine ([`crate::engine`]);
//! the objects here are what C holds: a stable address per entity, a
//! proton object header with a reference count, attachments. The engine
//! entity records its object's address, and the object records the entity's
//! id.
//!
//! Lifetimes follow proton-c 0.37, measured with `pn_refcount`:
//!
//! - A child (session, link, delivery) that only its parent needs has one
//!   reference, owned by the parent, and is *unreferenced*. The first
//!   reference C takes (`pn_incref`, an event naming it) makes it
//!   *referenced*: instead of counting up, it takes a reference on its
//!   parent. When the count falls back to zero, the child is kept (count 1,
//!   unreferenced again) and drops its parent reference, as long as the
//!   parent lives and the child was not freed; otherwise it is destroyed.
//!   A delivery is kept only while unsettled, or while the transport still
//!   has something to send about it.
//! - A connection's bound transport behaves the same way towards the
//!   connection.
//! - `pn_*_free` marks the endpoint freed and re-examines its count.
//! - Endpoints report `*_FINAL` when nothing needs them any more (see the
//!   engine); events hold references to their contexts until popped.

use std::ffi::c_void;
use std::ptr;

use super::boundary::guard;
use super::cid::pn_cid_t;
use super::connection_driver::pn_connection_driver_t;
use super::error::pn_error_t;
use super::event::{CollectorObj, collector_put};
use super::handle::{Handle, handle};
use super::object::record::{pn_record_def, pn_record_t};
use super::object::{
    PN_VOID, RUST_CLASS_BASE, RustObject, new_object, pn_class_t, pn_decref, pn_free, pn_incref, pn_object_decref,
    pn_object_incref, pn_object_refcount,
};
use super::transport::{TransportObj, transport_obj_free_from_connection};
use super::types::{pn_collector_t, pn_connection_t, pn_delivery_t, pn_link_t, pn_session_t, pn_transport_t};
use crate::engine::{Connection, Ctx, DeliveryId, LinkId, SessionId};

/// The C side of a connection.
pub struct ConnObj {
    pub engine: Connection,
    /// The bound transport, or NULL.
    pub transport: *mut TransportObj,
    /// The collector, or NULL.
    pub collector: *mut pn_collector_t,
    pub record: *mut pn_record_t,
    pub error: *mut pn_error_t,
    /// `pn_connection_driver_ptr`'s slot.
    pub driver: *mut pn_connection_driver_t,
    /// Delivery objects kept for reuse (each with one reference).
    pub delivery_pool: Vec<*mut DeliveryObj>,
    /// Scratch list for [`sync`] (kept to avoid an allocation per call).
    pub fresh: Vec<*mut c_void>,
    /// Where the engine's `handed` event went: the collector, its stamp
    /// just after, and the context object.
    pub handed_to: (*mut pn_collector_t, u64, *mut c_void),
}

/// The C side of a session.
pub struct SessionObj {
    pub conn: *mut ConnObj,
    pub id: SessionId,
    pub referenced: bool,
    /// Being destroyed: its links go with it.
    pub dying: bool,
    pub record: *mut pn_record_t,
    pub error: *mut pn_error_t,
}

/// The C side of a link.
pub struct LinkObj {
    pub conn: *mut ConnObj,
    pub id: LinkId,
    pub referenced: bool,
    pub record: *mut pn_record_t,
    pub error: *mut pn_error_t,
}

/// The C side of a delivery.
pub struct DeliveryObj {
    pub conn: *mut ConnObj,
    pub id: DeliveryId,
    pub referenced: bool,
    /// Made on first use (most deliveries never need one).
    pub record: *mut pn_record_t,
}

impl DeliveryObj {
    /// The delivery's attachments, made on first use.
    pub fn record(&mut self) -> *mut pn_record_t {
        if self.record.is_null() {
            self.record = new_record();
        }
        self.record
    }
}

handle!(pn_connection_t => ConnObj);
handle!(pn_session_t => SessionObj);
handle!(pn_link_t => LinkObj);
handle!(pn_delivery_t => DeliveryObj);

/// A record with proton's legacy context key declared (`PN_LEGCTX`, the
/// key of `pn_*_get_context`).
pub fn new_record() -> *mut pn_record_t {
    let r = super::object::record::pn_record();
    // SAFETY: `r` is a fresh record; PN_VOID lives forever.
    unsafe { pn_record_def(r, ptr::null(), PN_VOID.as_ptr()) };
    r
}

unsafe fn free_obj(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: a proton object this library made and still owns.
        unsafe { pn_free(p) };
    }
}

// ---------------------------------------------------------------------------
// Classes

macro_rules! engine_class {
    ($ty:ty, $static:ident, $name:literal, $cid:ident, $incref:expr, $finalize:expr) => {
        pub static $static: pn_class_t = pn_class_t {
            name: concat!($name, "\0").as_ptr().cast(),
            cid: pn_cid_t::$cid as std::ffi::c_int,
            incref: $incref,
            finalize: Some($finalize),
            ..RUST_CLASS_BASE
        };
        // SAFETY: the finalizer drops the value exactly once (when it does
        // not keep the object), and `free` is pn_object_free.
        unsafe impl RustObject for $ty {
            fn class() -> &'static pn_class_t {
                &$static
            }
        }
    };
}

engine_class!(ConnObj, PN_CONNECTION_CLASS, "pn_connection", CID_pn_connection, Some(pn_object_incref), connection_finalize);
engine_class!(SessionObj, PN_SESSION_CLASS, "pn_session", CID_pn_session, Some(session_incref), session_finalize);
engine_class!(LinkObj, PN_LINK_CLASS, "pn_link", CID_pn_link, Some(link_incref), link_finalize);
pub static PN_DELIVERY_CLASS: pn_class_t = pn_class_t {
    name: c"pn_delivery".as_ptr(),
    cid: pn_cid_t::CID_pn_delivery as std::ffi::c_int,
    incref: Some(delivery_incref),
    finalize: Some(delivery_finalize),
    inspect: Some(delivery_inspect),
    ..RUST_CLASS_BASE
};
// SAFETY: the finalizer drops the value exactly once (or keeps the object
// in the connection's pool); `free` is pn_object_free.
unsafe impl RustObject for DeliveryObj {
    fn class() -> &'static pn_class_t {
        &PN_DELIVERY_CLASS
    }
}

/// The text of a delivery (`pn_inspect`):
/// `pn_delivery<ADDR>{sending, tag=b"..", local=.., remote=..}`.
pub(crate) unsafe fn delivery_text(d: *mut DeliveryObj) -> String {
    // SAFETY: a live delivery (caller).
    unsafe {
        let mut s = format!("pn_delivery<{}>", super::object::c_ptr(d));
        let e = &(*(*d).conn).engine;
        if let Some(dl) = e.deliveries.get((*d).id) {
            let sending = e.links.get(dl.link).is_some_and(|l| l.is_sender);
            let name = |t: u64| {
                std::ffi::CStr::from_ptr(super::disposition::pn_disposition_type_name(t)).to_string_lossy().into_owned()
            };
            s.push_str(&format!(
                "{{{}, tag=b\"{}\", local={}, remote={}}}",
                if sending { "sending" } else { "receiving" },
                crate::transport::quote(&dl.tag, 1024).0,
                name(dl.local.type_),
                name(dl.remote.type_)
            ));
        }
        s
    }
}

unsafe extern "C" fn delivery_inspect(object: *mut c_void, dst: *mut super::object::pn_string_t) -> std::ffi::c_int {
    // SAFETY: called through the delivery class on a live delivery; dst is
    // a live string.
    unsafe {
        let text = delivery_text(object.cast());
        super::object::string::append(dst, text.as_bytes())
    }
}

unsafe extern "C" fn session_incref(object: *mut c_void) {
    let s = object.cast::<SessionObj>();
    // SAFETY: called through the session class on a live session.
    unsafe {
        if !(*s).referenced {
            (*s).referenced = true;
            pn_incref((*s).conn.cast());
        } else {
            pn_object_incref(object);
        }
    }
}

unsafe extern "C" fn link_incref(object: *mut c_void) {
    let l = object.cast::<LinkObj>();
    // SAFETY: called through the link class on a live link.
    unsafe {
        if !(*l).referenced {
            (*l).referenced = true;
            pn_incref(session_obj((*l).conn, (*l).id));
        } else {
            pn_object_incref(object);
        }
    }
}

unsafe extern "C" fn delivery_incref(object: *mut c_void) {
    let d = object.cast::<DeliveryObj>();
    // SAFETY: called through the delivery class on a live delivery.
    unsafe {
        let link = delivery_link_obj(d);
        if !link.is_null() && !(*d).referenced {
            (*d).referenced = true;
            pn_incref(link);
        } else {
            pn_object_incref(object);
        }
    }
}

/// The session object of a link.
unsafe fn session_obj(conn: *mut ConnObj, l: LinkId) -> *mut c_void {
    // SAFETY: `conn` is live while any of its links is (caller).
    unsafe {
        let e = &(*conn).engine;
        match e.links.get(l) {
            Some(link) => e.sessions.get(link.session).map_or(ptr::null_mut(), |s| s.obj as *mut c_void),
            None => ptr::null_mut(),
        }
    }
}

/// The link object of a delivery (NULL once the delivery is detached).
unsafe fn delivery_link_obj(d: *mut DeliveryObj) -> *mut c_void {
    // SAFETY: a live delivery's connection is live.
    unsafe {
        let e = &(*(*d).conn).engine;
        match e.deliveries.get((*d).id) {
            Some(dl) => e.links.get(dl.link).map_or(ptr::null_mut(), |l| l.obj as *mut c_void),
            None => ptr::null_mut(),
        }
    }
}

unsafe extern "C" fn connection_finalize(object: *mut c_void) {
    let c = object.cast::<ConnObj>();
    // SAFETY: called through the connection class when its count is 0.
    unsafe {
        let t = (*c).transport;
        if !t.is_null() {
            transport_obj_free_from_connection(t);
            sync(c);
        }
        // Freeing the transport may have posted events naming us.
        if pn_object_refcount(object) > 0 {
            return;
        }
        // Children nobody references are freed with the connection.
        let sessions: Vec<SessionId> = {
            let e = &(*c).engine;
            e.session_list.iter().chain(e.freed_sessions.iter()).copied().collect()
        };
        for s in sessions {
            let obj = (*c).engine.sessions.get(s).map_or(0, |x| x.obj);
            if obj != 0 {
                pn_free(obj as *mut c_void);
            }
        }
        let coll = (*c).collector;
        (*c).collector = ptr::null_mut();
        if !coll.is_null() {
            pn_decref(coll.cast());
        }
        free_obj((*c).record.cast());
        free_obj((*c).error.cast());
        for d in std::mem::take(&mut (*c).delivery_pool) {
            ptr::drop_in_place(d);
            super::object::pn_object_free(d.cast());
        }
        ptr::drop_in_place(c);
    }
}

unsafe extern "C" fn session_finalize(object: *mut c_void) {
    let s = object.cast::<SessionObj>();
    // SAFETY: called through the session class when its count is 0; the
    // connection outlives its sessions.
    unsafe {
        let conn = (*s).conn;
        let id = (*s).id;
        // Kept while something besides this session keeps the connection
        // (proton's "live" test), unless freed and no longer needed on the
        // wire.
        let keep = (*conn).engine.sessions.get(id).is_some_and(|x| !x.ep.freed || x.ep.refcount > 0);
        if keep && pn_object_refcount(conn.cast()) > 1 {
            pn_object_incref(object);
            if (*s).referenced {
                (*s).referenced = false;
                pn_decref(conn.cast());
            }
            return;
        }
        (*s).dying = true;
        if let Some(ssn) = (*conn).engine.sessions.get(id) {
            let links: Vec<LinkId> = ssn.links.iter().chain(ssn.freed_links.iter()).copied().collect();
            for l in links {
                let obj = (*conn).engine.links.get(l).map_or(0, |x| x.obj);
                if obj != 0 {
                    pn_free(obj as *mut c_void);
                }
            }
        }
        let t = (*conn).transport;
        if !t.is_null() {
            (*t).t.st.local_channels.retain(|_, v| *v != id);
            (*t).t.st.remote_channels.retain(|_, v| *v != id);
        }
        if (*conn).engine.sessions.contains(id) {
            (*conn).engine.destroy_session(id);
        }
        sync(conn);
        let referenced = (*s).referenced;
        free_obj((*s).record.cast());
        free_obj((*s).error.cast());
        ptr::drop_in_place(s);
        if referenced {
            pn_decref(conn.cast());
        }
    }
}

unsafe extern "C" fn link_finalize(object: *mut c_void) {
    let l = object.cast::<LinkObj>();
    // SAFETY: as for sessions.
    unsafe {
        let conn = (*l).conn;
        let id = (*l).id;
        let ssn = session_obj(conn, id);
        let keep = (*conn).engine.links.get(id).is_some_and(|x| !x.ep.freed || x.ep.refcount > 0);
        let session_live = !ssn.is_null()
            && !(*ssn.cast::<SessionObj>()).dying
            && (pn_object_refcount(conn.cast()) > 1 || pn_object_refcount(ssn) > 1);
        if keep && session_live {
            pn_object_incref(object);
            if (*l).referenced {
                (*l).referenced = false;
                pn_decref(ssn);
            }
            return;
        }
        // Deliveries nobody references go with the link.
        loop {
            let head = (*conn).engine.links.get(id).and_then(|x| x.unsettled.head);
            let Some(d) = head else { break };
            let obj = (&(*conn).engine.deliveries)[d].obj;
            if obj == 0 || pn_object_refcount(obj as *mut c_void) != 1 {
                // Referenced elsewhere (not expected): detach it.
                (*conn).engine.destroy_delivery(d);
                continue;
            }
            pn_free(obj as *mut c_void);
        }
        if (*conn).engine.links.contains(id) {
            (*conn).engine.destroy_link(id);
        }
        sync(conn);
        let referenced = (*l).referenced;
        free_obj((*l).record.cast());
        free_obj((*l).error.cast());
        ptr::drop_in_place(l);
        if referenced && !ssn.is_null() {
            pn_decref(ssn);
        }
    }
}

/// `pni_link_live`: whether a link's delivery may be kept alive.
unsafe fn link_live(conn: *mut ConnObj, link: &crate::engine::Link) -> bool {
    // SAFETY: `conn` is live (caller).
    unsafe {
        if link.ep.freed {
            // A freed link keeps no deliveries the application let go.
            return false;
        }
        let e = &(*conn).engine;
        let lobj = link.obj as *mut c_void;
        let sobj = e.sessions.get(link.session).map_or(ptr::null_mut(), |s| s.obj as *mut c_void);
        pn_object_refcount(conn.cast()) > 1
            || (!sobj.is_null() && pn_object_refcount(sobj) > 1)
            || (!lobj.is_null() && pn_object_refcount(lobj) > 1)
    }
}

/// Whether taking a reference to a link and dropping it again changes
/// nothing: a referenced link only counts up and down; an unreferenced one
/// takes a reference to its session (which may take one to the connection)
/// and, when the count falls back to zero, its finalizer keeps it and gives
/// that reference back, as long as the link and its session keep themselves.
///
/// # Safety
/// `conn` must be live and `link` one of its live link objects.
unsafe fn link_ref_pair_is_noop(conn: *mut ConnObj, link: *mut LinkObj) -> bool {
    // SAFETY: per the contract.
    unsafe {
        if (*link).referenced {
            return true;
        }
        let e = &(*conn).engine;
        let Some(l) = e.links.get((*link).id) else { return false };
        if l.ep.freed && l.ep.refcount <= 0 {
            return false;
        }
        let Some(s) = e.sessions.get(l.session) else { return false };
        let sobj = s.obj as *mut SessionObj;
        if sobj.is_null() || (*sobj).dying {
            return false;
        }
        // While the pair is in flight the session or the connection holds
        // one more reference, so the link's finalizer finds its session
        // live; an unreferenced session goes through its finalizer too.
        (*sobj).referenced || !s.ep.freed || s.ep.refcount > 0
    }
}

/// Re-examine a live delivery's release the way proton does, by taking a
/// reference and dropping it, unless that would change nothing: when C
/// holds the delivery (the pair only counts up and down), when it has no
/// link, or when its one reference is its parent's and the finalizer would
/// keep it (and its link and session would keep themselves in turn). When
/// the finalizer would release it, it is released here directly.
///
/// # Safety
/// `object` must be a live delivery object with no borrow of its
/// connection active.
pub(crate) unsafe fn recheck_delivery(object: *mut c_void) {
    let d = object.cast::<DeliveryObj>();
    // SAFETY: per the contract.
    unsafe {
        let refcount = pn_object_refcount(d.cast());
        if refcount <= 0 || (*d).referenced {
            return;
        }
        let conn = (*d).conn;
        let e = &(*conn).engine;
        let Some(dl) = e.deliveries.get((*d).id) else { return };
        let Some(l) = e.links.get(dl.link) else { return };
        let link = l.obj as *mut c_void;
        if link.is_null() {
            return;
        }
        if !dl.preserved(e.bound) {
            if refcount != 1 {
                pn_incref(d.cast());
                pn_decref(d.cast());
                return;
            }
            // What the pair would do: the delivery takes a reference to its
            // link, drops to zero, is released by its finalizer, and gives
            // the link reference back.
            let pair = !link_ref_pair_is_noop(conn, link.cast());
            if pair {
                pn_incref(link);
            }
            if !release_delivery(d) {
                ptr::drop_in_place(d);
                super::object::pn_object_free(d.cast());
            }
            if pair {
                pn_decref(link);
            }
            return;
        }
        // Kept by the finalizer (pni_link_live), the link and session
        // keeping themselves.
        let sobj = e.sessions.get(l.session).map_or(ptr::null_mut(), |s| s.obj as *mut c_void);
        let kept = !sobj.is_null()
            && !(*sobj.cast::<SessionObj>()).dying
            && !l.ep.freed
            && (pn_object_refcount(conn.cast()) > 1 || pn_object_refcount(sobj) > 1 || pn_object_refcount(link) > 1);
        if !kept {
            pn_incref(d.cast());
            pn_decref(d.cast());
        }
    }
}

/// The release of a delivery whose count fell to zero and that is not kept
/// (the second half of its finalizer): the engine forgets it, and the object
/// goes to the connection's pool (true: with one reference, the pool's) or
/// its value is dropped (false: the caller frees the memory).
///
/// # Safety
/// `d` must be a live delivery object with no borrow of its connection
/// active.
unsafe fn release_delivery(d: *mut DeliveryObj) -> bool {
    // SAFETY: per the contract.
    unsafe {
        let conn = (*d).conn;
        (*conn).engine.destroy_delivery((*d).id);
        free_obj((*d).record.cast());
        (*d).record = ptr::null_mut();
        if pn_object_refcount(conn.cast()) > 1 && (*conn).delivery_pool.len() < 1024 {
            // Kept for the connection's next delivery, as proton does.
            (*conn).delivery_pool.push(d);
            true
        } else {
            false
        }
    }
}

unsafe extern "C" fn delivery_finalize(object: *mut c_void) {
    let d = object.cast::<DeliveryObj>();
    // SAFETY: called through the delivery class when its count is 0.
    unsafe {
        let conn = (*d).conn;
        let e = &(*conn).engine;
        let mut link_obj = ptr::null_mut();
        if let Some(dl) = e.deliveries.get((*d).id) {
            if let Some(l) = e.links.get(dl.link) {
                link_obj = l.obj as *mut c_void;
                if (*d).referenced && link_live(conn, l) && dl.preserved(e.bound) {
                    (*d).referenced = false;
                    pn_object_incref(object);
                    pn_decref(link_obj);
                    return;
                }
            }
        }
        let referenced = (*d).referenced;
        if release_delivery(d) {
            pn_object_incref(object);
        } else {
            ptr::drop_in_place(d);
        }
        if referenced && !link_obj.is_null() {
            pn_decref(link_obj);
        }
    }
}

// ---------------------------------------------------------------------------
// From the engine to C

/// The class and address of an event's context.
pub(crate) unsafe fn ctx_object(conn: *mut ConnObj, ctx: Ctx) -> (*const pn_class_t, *mut c_void) {
    // SAFETY: `conn` is live (caller).
    unsafe {
        let e = &(*conn).engine;
        match ctx {
            Ctx::Connection => (&PN_CONNECTION_CLASS, conn.cast()),
            Ctx::Session(s) => (&PN_SESSION_CLASS, e.sessions.get(s).map_or(ptr::null_mut(), |x| x.obj as *mut c_void)),
            Ctx::Link(l) => (&PN_LINK_CLASS, e.links.get(l).map_or(ptr::null_mut(), |x| x.obj as *mut c_void)),
            Ctx::Delivery(d) => (&PN_DELIVERY_CLASS, e.deliveries.get(d).map_or(ptr::null_mut(), |x| x.obj as *mut c_void)),
            Ctx::Transport => (&super::transport::PN_TRANSPORT_CLASS, (*conn).transport.cast()),
        }
    }
}

/// Make the C objects of entities the engine created, hand the queued
/// events to the collector, release the new objects (they keep only what
/// the events and their parents give them, as proton's constructors do),
/// and re-examine objects whose release may now be due.
///
/// Every call that changes the engine ends with this.
///
/// # Safety
/// `conn` must be a live connection object with no borrow of it active.
#[inline]
pub(crate) unsafe fn sync(conn: *mut ConnObj) {
    // SAFETY: per the contract.
    unsafe {
        let e = &(*conn).engine;
        if !(e.created.is_empty() && e.events.is_empty() && e.recheck.is_empty() && !e.suppressed) {
            sync_changes(conn);
        }
    }
}

/// [`sync`] when there is something to hand over.
///
/// # Safety
/// As for [`sync`].
#[inline(never)]
unsafe fn sync_changes(conn: *mut ConnObj) {
    // SAFETY: per the contract; each step re-borrows, as the class
    // functions called in between may reach the connection too.
    unsafe {
        if !(*conn).engine.created.is_empty() {
            make_objects(conn);
        }
        drain_pending(conn);
        while let Some(ctx) = (*conn).engine.recheck.pop() {
            let (_, obj) = ctx_object(conn, ctx);
            if obj.is_null() {
                continue;
            }
            if let Ctx::Delivery(_) = ctx {
                recheck_delivery(obj);
            } else if pn_object_refcount(obj) > 0 {
                pn_incref(obj);
                pn_decref(obj);
            }
            drain_pending(conn);
        }
    }
}

/// Make the C objects of the entities the engine created, hand the queued
/// events over, and release the new objects (see [`sync`]).
///
/// # Safety
/// As for [`sync`].
unsafe fn make_objects(conn: *mut ConnObj) {
    // SAFETY: per the contract; each step re-borrows, as the class
    // functions called in between may reach the connection too.
    unsafe {
        // Taken out while in use: the releases below may re-enter sync.
        let mut fresh = std::mem::take(&mut (*conn).fresh);
        while let Some(ctx) = (*conn).engine.created.pop_front() {
            let obj: *mut c_void = match ctx {
                Ctx::Session(id) => {
                    if !(*conn).engine.sessions.contains(id) {
                        continue;
                    }
                    let o = new_object(SessionObj {
                        conn,
                        id,
                        referenced: true,
                        dying: false,
                        record: new_record(),
                        error: ptr::null_mut(),
                    });
                    (&mut (*conn).engine.sessions)[id].obj = o as usize;
                    pn_incref(conn.cast());
                    o.cast()
                }
                Ctx::Link(id) => {
                    if !(*conn).engine.links.contains(id) {
                        continue;
                    }
                    let o = new_object(LinkObj { conn, id, referenced: true, record: new_record(), error: ptr::null_mut() });
                    (&mut (*conn).engine.links)[id].obj = o as usize;
                    pn_incref(session_obj(conn, id));
                    o.cast()
                }
                Ctx::Delivery(id) => {
                    if !(*conn).engine.deliveries.contains(id) {
                        continue;
                    }
                    let o = match (*conn).delivery_pool.pop() {
                        Some(o) => {
                            (*o).id = id;
                            (*o).referenced = true;
                            o
                        }
                        None => new_object(DeliveryObj { conn, id, referenced: true, record: ptr::null_mut() }),
                    };
                    let e = &mut (*conn).engine;
                    let dl = &mut e.deliveries[id];
                    dl.obj = o as usize;
                    let dl = &*dl;
                    let l = e.links.get(dl.link);
                    let link = l.map_or(ptr::null_mut(), |x| x.obj as *mut c_void);
                    if !link.is_null()
                        && l.is_some_and(|x| !x.ep.freed)
                        && dl.preserved(e.bound)
                        && link_ref_pair_is_noop(conn, link.cast())
                    {
                        // Where proton's constructor ends (it references
                        // the link, and the finalizer keeps the delivery and
                        // gives the reference back): only the parent holds
                        // it. An event naming it references it as usual.
                        (*o).referenced = false;
                        continue;
                    }
                    pn_incref(link);
                    o.cast()
                }
                _ => continue,
            };
            fresh.push(obj);
        }
        if !fresh.is_empty() {
            drain_pending(conn);
            for obj in fresh.drain(..) {
                pn_decref(obj);
            }
        }
        (*conn).fresh = fresh;
    }
}

/// [`drain_events`] when there is something to hand over.
#[inline(always)]
unsafe fn drain_pending(conn: *mut ConnObj) {
    // SAFETY: `conn` is live (caller).
    unsafe {
        let e = &(*conn).engine;
        if !e.events.is_empty() || e.suppressed {
            drain_events(conn);
        }
    }
}

/// Move the engine's queued events into the collector. A held-back repeat
/// of the last event handed over goes first, unless that event is still the
/// collector's last (which would drop it).
#[inline(never)]
unsafe fn drain_events(conn: *mut ConnObj) {
    // SAFETY: `conn` is live (caller); collector_put only takes references.
    unsafe {
        if (*conn).engine.suppressed {
            (*conn).engine.suppressed = false;
            if let Some((ty, ctx)) = (*conn).engine.handed {
                let coll = (*conn).collector;
                let (c, stamp, obj) = (*conn).handed_to;
                let tail = !coll.is_null()
                    && coll == c
                    && (*coll.cast::<CollectorObj>()).stamp() == stamp
                    && ctx_object(conn, ctx).1 == obj;
                if !tail {
                    hand_over(conn, ty, ctx);
                }
            }
        }
        while let Some((ty, ctx)) = (*conn).engine.events.pop_front() {
            hand_over(conn, ty, ctx);
        }
    }
}

/// Put an event into the connection's collector.
#[inline]
unsafe fn hand_over(conn: *mut ConnObj, ty: crate::engine::EventType, ctx: Ctx) {
    // SAFETY: `conn` is live (caller); collector_put only takes references.
    unsafe {
        let coll = (*conn).collector;
        if coll.is_null() {
            return;
        }
        let (clazz, obj) = ctx_object(conn, ctx);
        if obj.is_null() {
            (*conn).engine.handed = None;
            return;
        }
        let c = coll.cast::<CollectorObj>();
        collector_put(c, clazz, obj, ty);
        (*conn).engine.handed = Some((ty, ctx));
        (*conn).handed_to = (coll, (*c).stamp(), obj);
    }
}

/// Make a connection object.
pub(crate) fn new_connection() -> *mut ConnObj {
    let c = new_object(ConnObj {
        engine: Connection::new(),
        transport: ptr::null_mut(),
        collector: ptr::null_mut(),
        record: new_record(),
        error: ptr::null_mut(),
        driver: ptr::null_mut(),
        delivery_pool: Vec::new(),
        fresh: Vec::new(),
        handed_to: (ptr::null_mut(), 0, ptr::null_mut()),
    });
    // SAFETY: `c` is the fresh, live object.
    unsafe { (*c).engine.obj = c as usize };
    c
}

/// `pn_connection_t` from a transport's view (for `pn_transport_connection`).
pub(crate) fn conn_handle(c: *mut ConnObj) -> *mut pn_connection_t {
    pn_connection_t::from_target(c)
}

/// Decrement without the class (for objects whose count C manages).
#[allow(dead_code)]
pub(crate) unsafe fn raw_decref(p: *mut c_void) {
    // SAFETY: per the caller.
    unsafe { pn_object_decref(p) }
}

/// Guarded access used by the exported functions: run `f` on the engine
/// of `conn`, then [`sync`].
///
/// # Safety
/// `conn` must be a live connection object.
pub(crate) unsafe fn with_engine<R>(conn: *mut ConnObj, f: impl FnOnce(&mut Connection) -> R) -> R {
    // SAFETY: per the contract; the borrow ends before sync.
    let r = f(unsafe { &mut (*conn).engine });
    // SAFETY: as above.
    unsafe { sync(conn) };
    r
}

/// The transport handle of a connection (NULL when unbound).
pub(crate) unsafe fn transport_handle(conn: *mut ConnObj) -> *mut pn_transport_t {
    // SAFETY: `conn` is live (caller).
    unsafe { pn_transport_t::from_target((*conn).transport) }
}

#[allow(dead_code)]
fn _assert_guard() {
    guard(|| ());
}
