//! The endpoint model: a connection with its sessions, links and deliveries,
//! their local and remote state, flow control and settlement, and the
//! events all of this produces. Safe Rust, no I/O.
//!
//! Sessions, links and deliveries live in [`Arena`]s inside the
//! [`Connection`] and are named by typed, generation-checked ids. Each one
//! records the address of the C object that stands for it (`obj`), which the
//! FFI layer uses to turn the events queued here into `pn_event_t`s.
//!
//! The behaviour follows proton-c 0.37 closely, because applications see
//! it: the order of events, when an endpoint is reported as final (an
//! endpoint keeps a count of the things that still need it: its own
//! existence until freed, each child, and each mapping to a channel or
//! handle on the wire), the work list of deliveries, and the transport's
//! list of modified endpoints, which decides the order of outgoing frames.

pub mod arena;

use std::collections::{BTreeMap, VecDeque};
use std::ffi::CString;

pub use self::arena::{Arena, Id};
pub use crate::ffi::event::pn_event_type_t as EventType;
use crate::ffi::store::{CondBox, DataBox};

pub type SessionId = Id<Session>;
pub type LinkId = Id<Link>;
pub type DeliveryId = Id<Delivery>;

// Endpoint state bits (proton's PN_LOCAL_* / PN_REMOTE_*).
pub const LOCAL_UNINIT: i32 = 1;
pub const LOCAL_ACTIVE: i32 = 2;
pub const LOCAL_CLOSED: i32 = 4;
pub const REMOTE_UNINIT: i32 = 8;
pub const REMOTE_ACTIVE: i32 = 16;
pub const REMOTE_CLOSED: i32 = 32;
pub const LOCAL_MASK: i32 = 7;
pub const REMOTE_MASK: i32 = 56;

/// The largest session window proton advertises.
pub const MAX_WINDOW: u32 = 2147483647;

// Disposition types (the outcome descriptors).
pub const RECEIVED: u64 = 0x23;
pub const ACCEPTED: u64 = 0x24;
pub const REJECTED: u64 = 0x25;
pub const RELEASED: u64 = 0x26;
pub const MODIFIED: u64 = 0x27;

// Terminus types, durability, expiry, distribution (proton's numbers).
pub const TERMINUS_UNSPECIFIED: i32 = 0;
pub const TERMINUS_SOURCE: i32 = 1;
pub const TERMINUS_TARGET: i32 = 2;
pub const TERMINUS_COORDINATOR: i32 = 3;
pub const EXPIRE_WITH_LINK: i32 = 0;
pub const EXPIRE_WITH_SESSION: i32 = 1;
pub const EXPIRE_WITH_CONNECTION: i32 = 2;
pub const EXPIRE_NEVER: i32 = 3;
pub const DIST_MODE_UNSPECIFIED: i32 = 0;
pub const DIST_MODE_COPY: i32 = 1;
pub const DIST_MODE_MOVE: i32 = 2;

pub const SND_UNSETTLED: u8 = 0;
pub const SND_SETTLED: u8 = 1;
pub const SND_MIXED: u8 = 2;
pub const RCV_FIRST: u8 = 0;
pub const RCV_SECOND: u8 = 1;

/// An endpoint of the connection: the connection itself, a session or a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpRef {
    Conn,
    Session(SessionId),
    Link(LinkId),
}

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    Connection,
    Session(SessionId),
    Link(LinkId),
    Delivery(DeliveryId),
    Transport,
}

/// State every endpoint has.
#[derive(Default)]
pub struct Endpoint {
    /// `LOCAL_*` | `REMOTE_*` bits.
    pub state: i32,
    pub condition: CondBox,
    pub remote_condition: CondBox,
    /// What still needs the endpoint; at zero it is reported final.
    pub refcount: i32,
    /// Freed by the application (`pn_*_free`).
    pub freed: bool,
    /// On the transport's list of endpoints to process.
    pub modified: bool,
}

impl Endpoint {
    fn new() -> Endpoint {
        Endpoint { state: LOCAL_UNINIT | REMOTE_UNINIT, refcount: 1, ..Default::default() }
    }
    fn set_local(&mut self, bits: i32) {
        self.state = (self.state & REMOTE_MASK) | bits;
    }
    pub fn set_remote(&mut self, bits: i32) {
        self.state = (self.state & LOCAL_MASK) | bits;
    }
}

/// Links of an intrusive list of deliveries.
#[derive(Default, Clone, Copy)]
pub struct DLink {
    pub prev: Option<DeliveryId>,
    pub next: Option<DeliveryId>,
}

/// Head and tail of an intrusive list of deliveries.
#[derive(Default, Clone, Copy)]
pub struct DList {
    pub head: Option<DeliveryId>,
    pub tail: Option<DeliveryId>,
}

/// Which of a delivery's list links a list uses.
trait Which {
    fn of(d: &mut Delivery) -> &mut DLink;
}

/// The connection's work list.
struct Work;
/// The transport's work list.
struct TpWork;
/// A link's unsettled list.
struct Unsettled;

impl Which for Work {
    #[inline(always)]
    fn of(d: &mut Delivery) -> &mut DLink {
        &mut d.work_link
    }
}
impl Which for TpWork {
    #[inline(always)]
    fn of(d: &mut Delivery) -> &mut DLink {
        &mut d.tpwork_link
    }
}
impl Which for Unsettled {
    #[inline(always)]
    fn of(d: &mut Delivery) -> &mut DLink {
        &mut d.unsettled_link
    }
}

#[inline(always)]
fn dl_add<W: Which>(list: &mut DList, arena: &mut Arena<Delivery>, id: DeliveryId) {
    let tail = list.tail;
    *W::of(&mut arena[id]) = DLink { prev: tail, next: None };
    match tail {
        Some(t) => W::of(&mut arena[t]).next = Some(id),
        None => list.head = Some(id),
    }
    list.tail = Some(id);
}

#[inline(always)]
fn dl_remove<W: Which>(list: &mut DList, arena: &mut Arena<Delivery>, id: DeliveryId) {
    let DLink { prev, next } = std::mem::take(W::of(&mut arena[id]));
    match prev {
        Some(p) => W::of(&mut arena[p]).next = next,
        None => list.head = next,
    }
    match next {
        Some(n) => W::of(&mut arena[n]).prev = prev,
        None => list.tail = prev,
    }
}

/// Delivery ids (transfer numbering) to deliveries, for one direction of a
/// session. Ids are handed out in sequence, so this is a window: position
/// `i` holds id `base + i`, and the window starts at its first delivery.
#[derive(Default)]
pub struct DeliveryMap {
    base: u32,
    slots: VecDeque<Option<DeliveryId>>,
    /// The id the next delivery gets.
    pub next: u32,
}

impl DeliveryMap {
    pub fn push(&mut self, d: DeliveryId) -> u32 {
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        if self.slots.is_empty() {
            self.base = id;
        }
        let off = id.wrapping_sub(self.base) as usize;
        if off < self.slots.len() {
            // An id handed out again replaces its delivery (as in proton's
            // hash of ids).
            self.slots[off] = Some(d);
        } else {
            // Ids after the last one kept, settled already, leave gaps.
            while self.slots.len() < off {
                self.slots.push_back(None);
            }
            self.slots.push_back(Some(d));
        }
        id
    }
    pub fn get(&self, id: u32) -> Option<DeliveryId> {
        let off = id.wrapping_sub(self.base) as usize;
        self.slots.get(off).copied().flatten()
    }
    pub fn del(&mut self, id: u32) {
        let off = id.wrapping_sub(self.base) as usize;
        if let Some(s) = self.slots.get_mut(off) {
            *s = None;
            if off == 0 {
                self.trim();
            }
        }
    }
    /// Forget `id` if it names `d`.
    #[inline]
    pub fn del_if(&mut self, id: u32, d: DeliveryId) {
        let off = id.wrapping_sub(self.base) as usize;
        if let Some(s) = self.slots.get_mut(off) {
            if *s == Some(d) {
                *s = None;
                if off == 0 {
                    self.trim();
                }
            }
        }
    }
    /// Drop the ids at the front that name nothing.
    fn trim(&mut self) {
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base = self.base.wrapping_add(1);
        }
    }
    /// The ids in `first..=last` that name a delivery, in order (bounded by
    /// what the map holds, whatever the range).
    pub fn range(&self, first: u32, last: u32) -> impl Iterator<Item = (u32, DeliveryId)> + '_ {
        let (lo, hi) = self.positions(first, last);
        (lo..hi).filter_map(move |i| self.at(i))
    }
    /// The positions in the window of the ids in `first..=last`, for
    /// callers that change deliveries while they walk the range with
    /// [`DeliveryMap::at`] (the map itself must not change meanwhile).
    pub fn positions(&self, first: u32, last: u32) -> (usize, usize) {
        let span = last.wrapping_sub(first);
        let start = first.wrapping_sub(self.base);
        let (lo, hi): (usize, usize) = if (start as usize) < self.slots.len() {
            (start as usize, (start as u64 + span as u64 + 1).min(self.slots.len() as u64) as usize)
        } else if self.base.wrapping_sub(first) <= span {
            // The range starts before the window.
            let skip = self.base.wrapping_sub(first);
            (0, ((span - skip) as u64 + 1).min(self.slots.len() as u64) as usize)
        } else {
            (0, 0)
        };
        (lo, hi)
    }
    /// The id and delivery at a position of the window, if it names one.
    #[inline]
    pub fn at(&self, i: usize) -> Option<(u32, DeliveryId)> {
        self.slots.get(i).copied().flatten().map(|d| (self.base.wrapping_add(i as u32), d))
    }
    pub fn ids(&self) -> impl Iterator<Item = DeliveryId> + '_ {
        self.slots.iter().filter_map(|s| *s)
    }
    pub fn clear(&mut self) {
        self.slots.clear();
        self.next = 0;
    }
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(|s| s.is_none())
    }
}

/// Dispositions waiting to be sent as one range.
#[derive(Default, Clone, Copy)]
pub struct DispBatch {
    pub active: bool,
    pub role: bool,
    pub code: u64,
    pub settled: bool,
    pub first: u32,
    pub last: u32,
}

/// A session.
pub struct Session {
    pub ep: Endpoint,
    pub links: Vec<LinkId>,
    pub freed_links: Vec<LinkId>,
    pub incoming_capacity: usize,
    pub incoming_bytes: usize,
    pub outgoing_bytes: usize,
    pub incoming_deliveries: usize,
    pub outgoing_deliveries: usize,
    pub outgoing_window: u32,
    /// The C object.
    pub obj: usize,
    // Transport state. Channels are -1 (none yet) or -2 (unmapped).
    pub local_channel: i32,
    pub remote_channel: i32,
    pub incoming_transfer_count: u32,
    pub outgoing_transfer_count: u32,
    pub incoming_window: u32,
    pub st_outgoing_window: u32,
    pub remote_incoming_window: u32,
    pub incoming_init: bool,
    pub incoming: DeliveryMap,
    pub outgoing: DeliveryMap,
    pub local_handles: BTreeMap<u32, LinkId>,
    pub remote_handles: BTreeMap<u32, LinkId>,
    pub disp: DispBatch,
}

impl Session {
    /// The numbering of outgoing (sent) or incoming deliveries.
    #[inline]
    pub fn delivery_map(&self, outgoing: bool) -> &DeliveryMap {
        if outgoing { &self.outgoing } else { &self.incoming }
    }
}

/// A source, target or coordinator.
pub struct Terminus {
    pub type_: i32,
    pub address: Option<CString>,
    pub durability: i32,
    pub expiry_policy: i32,
    pub has_expiry_policy: bool,
    pub timeout: u32,
    pub dynamic: bool,
    pub distribution_mode: i32,
    pub properties: DataBox,
    pub capabilities: DataBox,
    pub outcomes: DataBox,
    pub filter: DataBox,
}

impl Terminus {
    pub fn new(type_: i32) -> Box<Terminus> {
        Box::new(Terminus {
            type_,
            address: None,
            durability: 0,
            expiry_policy: EXPIRE_WITH_SESSION,
            has_expiry_policy: false,
            timeout: 0,
            dynamic: false,
            distribution_mode: DIST_MODE_UNSPECIFIED,
            properties: DataBox::default(),
            capabilities: DataBox::default(),
            outcomes: DataBox::default(),
            filter: DataBox::default(),
        })
    }

    /// `pn_terminus_copy`.
    pub fn copy_from(&mut self, src: &Terminus) {
        self.type_ = src.type_;
        self.address = src.address.clone();
        self.durability = src.durability;
        self.expiry_policy = src.expiry_policy;
        self.has_expiry_policy = src.has_expiry_policy;
        self.timeout = src.timeout;
        self.dynamic = src.dynamic;
        self.distribution_mode = src.distribution_mode;
        self.properties.copy_from(&src.properties);
        self.capabilities.copy_from(&src.capabilities);
        self.outcomes.copy_from(&src.outcomes);
        self.filter.copy_from(&src.filter);
    }
}

/// A link.
pub struct Link {
    pub ep: Endpoint,
    pub session: SessionId,
    pub is_sender: bool,
    pub name: CString,
    pub source: Box<Terminus>,
    pub target: Box<Terminus>,
    pub remote_source: Box<Terminus>,
    pub remote_target: Box<Terminus>,
    pub properties: DataBox,
    pub remote_properties: DataBox,
    pub snd_settle_mode: u8,
    pub rcv_settle_mode: u8,
    pub remote_snd_settle_mode: u8,
    pub remote_rcv_settle_mode: u8,
    pub max_message_size: u64,
    pub remote_max_message_size: u64,
    pub unsettled: DList,
    pub unsettled_count: i32,
    pub current: Option<DeliveryId>,
    pub credit: i32,
    pub queued: i32,
    pub available: i32,
    pub drain: bool,
    pub drain_flag_mode: bool,
    pub drained: i32,
    pub detached: bool,
    pub more_pending: bool,
    pub obj: usize,
    // Transport state. Handles are -1 (none yet) or -2 (unmapped).
    pub local_handle: i64,
    pub remote_handle: i64,
    pub delivery_count: u32,
    pub link_credit: u32,
}

/// The state of a delivery at one end.
#[derive(Default)]
pub struct Disposition {
    pub type_: u64,
    pub section_number: u32,
    pub section_offset: u64,
    pub failed: bool,
    pub undeliverable: bool,
    pub settled: bool,
    pub data: DataBox,
    pub annotations: DataBox,
    pub condition: CondBox,
}

impl Disposition {
    /// `pn_disposition_clear` as proton does on reuse.
    pub fn reset(&mut self) {
        self.type_ = 0;
        self.section_number = 0;
        self.section_offset = 0;
        self.failed = false;
        self.undeliverable = false;
        self.settled = false;
        self.data.clear();
        self.annotations.clear();
        self.condition.clear();
    }
}

/// A delivery.
pub struct Delivery {
    pub link: LinkId,
    pub tag: Vec<u8>,
    bytes: Vec<u8>,
    /// Bytes at the front of `bytes` already consumed.
    head: usize,
    pub local: Disposition,
    pub remote: Disposition,
    pub updated: bool,
    pub done: bool,
    pub aborted: bool,
    pub work: bool,
    pub tpwork: bool,
    pub work_link: DLink,
    pub tpwork_link: DLink,
    pub unsettled_link: DLink,
    pub obj: usize,
    // Transport state.
    pub st_id: u32,
    pub st_init: bool,
    pub st_sending: bool,
    pub st_sent: bool,
}

impl Delivery {
    fn new(link: LinkId, tag: &[u8], obj: usize) -> Delivery {
        Delivery {
            link,
            tag: tag.to_vec(),
            bytes: Vec::new(),
            head: 0,
            local: Disposition::default(),
            remote: Disposition::default(),
            updated: false,
            done: false,
            aborted: false,
            work: false,
            tpwork: false,
            work_link: DLink::default(),
            tpwork_link: DLink::default(),
            unsettled_link: DLink::default(),
            obj,
            st_id: 0,
            st_init: false,
            st_sending: false,
            st_sent: false,
        }
    }

    /// Make a destroyed delivery new (as [`Delivery::new`] would), keeping
    /// its buffers and value objects.
    fn reuse(&mut self, link: LinkId, tag: &[u8], obj: usize) {
        self.link = link;
        self.tag.clear();
        self.tag.extend_from_slice(tag);
        self.clear_bytes();
        self.local.reset();
        self.remote.reset();
        self.updated = false;
        self.done = false;
        self.aborted = false;
        self.work = false;
        self.tpwork = false;
        self.work_link = DLink::default();
        self.tpwork_link = DLink::default();
        self.unsettled_link = DLink::default();
        self.obj = obj;
        self.st_id = 0;
        self.st_init = false;
        self.st_sending = false;
        self.st_sent = false;
    }

    /// Number this delivery (`d`) in its session's map for its direction
    /// (`pni_delivery_map_push`); returns the id.
    #[inline]
    pub fn number(&mut self, d: DeliveryId, map: &mut DeliveryMap) -> u32 {
        let id = map.push(d);
        self.st_id = id;
        self.st_init = true;
        self.st_sending = false;
        self.st_sent = false;
        id
    }

    /// [`Connection::preserve_delivery`], given whether a transport is
    /// bound.
    #[inline]
    pub fn preserved(&self, bound: bool) -> bool {
        !self.local.settled || (bound && (self.st_init || self.tpwork))
    }

    /// Bytes buffered (not yet sent, or not yet read).
    pub fn pending(&self) -> usize {
        self.bytes.len() - self.head
    }
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[self.head..]
    }
    pub fn append(&mut self, b: &[u8]) {
        if self.head == self.bytes.len() {
            self.bytes.clear();
            self.head = 0;
        }
        self.bytes.extend_from_slice(b);
    }
    /// Drop `n` bytes from the front.
    pub fn consume(&mut self, n: usize) {
        self.head += n.min(self.pending());
        if self.head == self.bytes.len() {
            self.bytes.clear();
            self.head = 0;
        }
    }
    pub fn clear_bytes(&mut self) {
        self.bytes.clear();
        self.head = 0;
    }
}

/// A connection and everything in it.
pub struct Connection {
    pub ep: Endpoint,
    pub container: Option<CString>,
    pub hostname: Option<CString>,
    pub user: Option<CString>,
    pub password: Option<CString>,
    pub authzid: Option<CString>,
    pub offered_capabilities: DataBox,
    pub desired_capabilities: DataBox,
    pub properties: DataBox,
    pub sessions: Arena<Session>,
    pub links: Arena<Link>,
    pub deliveries: Arena<Delivery>,
    /// Sessions not freed, in creation order.
    pub session_list: Vec<SessionId>,
    pub freed_sessions: Vec<SessionId>,
    /// Every endpoint not freed (the connection first), in creation order.
    pub endpoints: Vec<EpRef>,
    /// Endpoints the transport has to look at, in the order modified.
    pub tp_list: Vec<EpRef>,
    pub work: DList,
    pub tpwork: DList,
    /// A transport is bound.
    pub bound: bool,
    /// A collector is set: events are queued.
    pub collecting: bool,
    /// Events not yet handed to the collector.
    pub events: VecDeque<(EventType, Ctx)>,
    /// The last event handed to the collector (set by the FFI layer, which
    /// knows whether it is still the collector's last).
    pub handed: Option<(EventType, Ctx)>,
    /// An event repeating `handed` was put while `events` was empty: the
    /// FFI layer hands it over unless the collector would drop it.
    pub suppressed: bool,
    /// Objects whose release proton re-examines after a change (it takes
    /// and drops a reference); the FFI layer does that.
    pub recheck: Vec<Ctx>,
    /// Entities the transport created (for a peer's begin, attach or
    /// transfer) that have no C object yet.
    pub created: VecDeque<Ctx>,
    pub obj: usize,
}

impl Default for Connection {
    fn default() -> Self {
        Connection::new()
    }
}

impl Connection {
    pub fn new() -> Connection {
        Connection {
            ep: Endpoint::new(),
            container: None,
            hostname: None,
            user: None,
            password: None,
            authzid: None,
            offered_capabilities: DataBox::default(),
            desired_capabilities: DataBox::default(),
            properties: DataBox::default(),
            sessions: Arena::default(),
            links: Arena::default(),
            deliveries: Arena::default(),
            session_list: Vec::new(),
            freed_sessions: Vec::new(),
            endpoints: vec![EpRef::Conn],
            tp_list: Vec::new(),
            work: DList::default(),
            tpwork: DList::default(),
            bound: false,
            collecting: false,
            events: VecDeque::new(),
            handed: None,
            suppressed: false,
            recheck: Vec::new(),
            created: VecDeque::new(),
            obj: 0,
        }
    }

    // ------------------------------------------------------------------
    // Events and endpoint bookkeeping

    /// Queue an event (dropped when nothing collects). An event that
    /// repeats the last one queued is dropped here: the collector would drop
    /// it anyway (it never queues an event twice in a row), and this saves
    /// the trip. One that repeats the last one handed over is held back
    /// (`suppressed`) for the FFI layer to decide.
    #[inline(always)]
    pub fn put(&mut self, ty: EventType, ctx: Ctx) {
        if !self.collecting {
            return;
        }
        match self.events.back() {
            Some(&last) if last == (ty, ctx) => {}
            None if self.handed == Some((ty, ctx)) => self.suppressed = true,
            _ => self.events.push_back((ty, ctx)),
        }
    }

    pub fn ep(&self, r: EpRef) -> &Endpoint {
        match r {
            EpRef::Conn => &self.ep,
            EpRef::Session(s) => &self.sessions[s].ep,
            EpRef::Link(l) => &self.links[l].ep,
        }
    }

    pub fn ep_mut(&mut self, r: EpRef) -> &mut Endpoint {
        match r {
            EpRef::Conn => &mut self.ep,
            EpRef::Session(s) => &mut self.sessions[s].ep,
            EpRef::Link(l) => &mut self.links[l].ep,
        }
    }

    pub fn ep_exists(&self, r: EpRef) -> bool {
        match r {
            EpRef::Conn => true,
            EpRef::Session(s) => self.sessions.contains(s),
            EpRef::Link(l) => self.links.contains(l),
        }
    }

    fn ctx_of(r: EpRef) -> Ctx {
        match r {
            EpRef::Conn => Ctx::Connection,
            EpRef::Session(s) => Ctx::Session(s),
            EpRef::Link(l) => Ctx::Link(l),
        }
    }

    pub fn ep_incref(&mut self, r: EpRef) {
        self.ep_mut(r).refcount += 1;
    }

    /// Drop one of the endpoint's needs; at zero it is final.
    pub fn ep_decref(&mut self, r: EpRef) {
        let ep = self.ep_mut(r);
        ep.refcount -= 1;
        if ep.refcount == 0 {
            let ty = match r {
                EpRef::Conn => EventType::PN_CONNECTION_FINAL,
                EpRef::Session(_) => EventType::PN_SESSION_FINAL,
                EpRef::Link(_) => EventType::PN_LINK_FINAL,
            };
            self.put(ty, Self::ctx_of(r));
        }
    }

    /// Put the endpoint on the transport's list; with `emit`, tell the
    /// application the transport has work (`PN_TRANSPORT`).
    #[inline]
    pub fn modified(&mut self, r: EpRef, emit: bool) {
        let ep = self.ep_mut(r);
        if !ep.modified {
            ep.modified = true;
            self.tp_list.push(r);
        }
        if emit && self.bound {
            self.put(EventType::PN_TRANSPORT, Ctx::Transport);
        }
    }

    pub fn clear_modified(&mut self, r: EpRef) {
        let ep = self.ep_mut(r);
        if ep.modified {
            ep.modified = false;
            if let Some(i) = self.tp_list.iter().position(|&x| x == r) {
                self.tp_list.remove(i);
            }
        }
    }

    fn open_ep(&mut self, r: EpRef) {
        let ep = self.ep_mut(r);
        if ep.state & LOCAL_ACTIVE == 0 {
            ep.set_local(LOCAL_ACTIVE);
            let ty = match r {
                EpRef::Conn => EventType::PN_CONNECTION_LOCAL_OPEN,
                EpRef::Session(_) => EventType::PN_SESSION_LOCAL_OPEN,
                EpRef::Link(_) => EventType::PN_LINK_LOCAL_OPEN,
            };
            self.put(ty, Self::ctx_of(r));
            self.modified(r, true);
        }
    }

    fn close_ep(&mut self, r: EpRef) {
        let ep = self.ep_mut(r);
        if ep.state & LOCAL_CLOSED == 0 {
            ep.set_local(LOCAL_CLOSED);
            let ty = match r {
                EpRef::Conn => EventType::PN_CONNECTION_LOCAL_CLOSE,
                EpRef::Session(_) => EventType::PN_SESSION_LOCAL_CLOSE,
                EpRef::Link(_) => EventType::PN_LINK_LOCAL_CLOSE,
            };
            self.put(ty, Self::ctx_of(r));
            self.modified(r, true);
        }
    }

    /// Whether an endpoint's state matches a `pn_*_head` state mask.
    pub fn state_matches(st: i32, mask: i32) -> bool {
        if mask == 0 {
            return true;
        }
        if mask & REMOTE_MASK == 0 || mask & LOCAL_MASK == 0 { st & mask != 0 } else { st == mask }
    }

    // ------------------------------------------------------------------
    // Connection

    pub fn open(&mut self) {
        self.open_ep(EpRef::Conn);
    }

    pub fn close(&mut self) {
        self.close_ep(EpRef::Conn);
    }

    pub fn reset(&mut self) {
        self.ep.state = LOCAL_UNINIT | REMOTE_UNINIT;
    }

    /// A collector was set: every endpoint's INIT event is (re)posted.
    pub fn collect(&mut self, collecting: bool) {
        self.collecting = collecting;
        self.handed = None;
        self.suppressed = false;
        for i in 0..self.endpoints.len() {
            let r = self.endpoints[i];
            let ty = match r {
                EpRef::Conn => EventType::PN_CONNECTION_INIT,
                EpRef::Session(_) => EventType::PN_SESSION_INIT,
                EpRef::Link(_) => EventType::PN_LINK_INIT,
            };
            self.put(ty, Self::ctx_of(r));
        }
    }

    /// The transport was bound.
    pub fn bound(&mut self) {
        self.bound = true;
        self.put(EventType::PN_CONNECTION_BOUND, Ctx::Connection);
        self.ep_incref(EpRef::Conn);
    }

    /// The transport was unbound (`pn_connection_unbound`).
    pub fn unbound(&mut self) {
        self.bound = false;
        if self.ep.freed {
            // No transport will consume the work lists now.
            while let Some(d) = self.tpwork.head {
                self.clear_tpwork(d);
            }
        }
        self.ep_decref(EpRef::Conn);
    }

    /// First session or link (in creation order) after position `from`
    /// matching `pred`.
    pub fn next_endpoint(&self, after: Option<EpRef>, pred: impl Fn(EpRef, &Endpoint) -> bool) -> Option<EpRef> {
        let start = match after {
            None => 0,
            Some(r) => self.endpoints.iter().position(|&x| x == r)? + 1,
        };
        self.endpoints[start..].iter().copied().find(|&r| pred(r, self.ep(r)))
    }

    // ------------------------------------------------------------------
    // Sessions

    pub fn new_session(&mut self, obj: usize) -> SessionId {
        let s = Session {
            ep: Endpoint::new(),
            links: Vec::new(),
            freed_links: Vec::new(),
            incoming_capacity: 0,
            incoming_bytes: 0,
            outgoing_bytes: 0,
            incoming_deliveries: 0,
            outgoing_deliveries: 0,
            outgoing_window: MAX_WINDOW,
            obj,
            local_channel: -1,
            remote_channel: -1,
            incoming_transfer_count: 0,
            outgoing_transfer_count: 0,
            incoming_window: 0,
            st_outgoing_window: 0,
            remote_incoming_window: 0,
            incoming_init: false,
            incoming: DeliveryMap::default(),
            outgoing: DeliveryMap::default(),
            local_handles: BTreeMap::new(),
            remote_handles: BTreeMap::new(),
            disp: DispBatch::default(),
        };
        let id = self.sessions.insert(s);
        self.endpoints.push(EpRef::Session(id));
        self.session_list.push(id);
        self.ep_incref(EpRef::Conn);
        if obj == 0 {
            self.created.push_back(Ctx::Session(id));
        }
        self.put(EventType::PN_SESSION_INIT, Ctx::Session(id));
        id
    }

    pub fn session_open(&mut self, s: SessionId) {
        self.open_ep(EpRef::Session(s));
    }

    pub fn session_close(&mut self, s: SessionId) {
        self.close_ep(EpRef::Session(s));
    }

    /// Take the session off the connection's lists (`pn_remove_session`).
    pub fn remove_session(&mut self, s: SessionId) {
        if let Some(i) = self.session_list.iter().position(|&x| x == s) {
            self.session_list.remove(i);
            self.ep_decref(EpRef::Conn);
            self.remove_endpoint(EpRef::Session(s));
        }
    }

    fn remove_endpoint(&mut self, r: EpRef) {
        if let Some(i) = self.endpoints.iter().position(|&x| x == r) {
            self.endpoints.remove(i);
        }
    }

    /// The session's own part of `pn_session_free` (its links are freed
    /// first, one by one, by the caller).
    pub fn session_free(&mut self, s: SessionId) {
        self.remove_session(s);
        self.freed_sessions.push(s);
        self.sessions[s].ep.freed = true;
        self.ep_decref(EpRef::Session(s));
    }

    /// Forget a session for good (its C object is being destroyed; its
    /// links are gone already).
    pub fn destroy_session(&mut self, s: SessionId) {
        self.remove_session(s);
        if let Some(i) = self.freed_sessions.iter().position(|&x| x == s) {
            self.freed_sessions.remove(i);
        }
        self.clear_modified(EpRef::Session(s));
        self.remove_endpoint(EpRef::Session(s));
        self.sessions.remove(s);
    }

    /// Connection-wide bytes buffered for sending by this session's links.
    pub fn session_set_incoming_capacity(&mut self, s: SessionId, cap: usize) {
        self.sessions[s].incoming_capacity = cap;
    }

    // ------------------------------------------------------------------
    // Links

    pub fn new_link(&mut self, s: SessionId, name: &[u8], is_sender: bool, obj: usize) -> LinkId {
        let l = Link {
            ep: Endpoint::new(),
            session: s,
            is_sender,
            name: crate::ffi::error::to_cstring(name),
            source: Terminus::new(TERMINUS_SOURCE),
            target: Terminus::new(TERMINUS_TARGET),
            remote_source: Terminus::new(TERMINUS_UNSPECIFIED),
            remote_target: Terminus::new(TERMINUS_UNSPECIFIED),
            properties: DataBox::default(),
            remote_properties: DataBox::default(),
            snd_settle_mode: SND_MIXED,
            rcv_settle_mode: RCV_FIRST,
            remote_snd_settle_mode: SND_MIXED,
            remote_rcv_settle_mode: RCV_FIRST,
            max_message_size: 0,
            remote_max_message_size: 0,
            unsettled: DList::default(),
            unsettled_count: 0,
            current: None,
            credit: 0,
            queued: 0,
            available: 0,
            drain: false,
            drain_flag_mode: true,
            drained: 0,
            detached: false,
            more_pending: false,
            obj,
            local_handle: -1,
            remote_handle: -1,
            delivery_count: 0,
            link_credit: 0,
        };
        let id = self.links.insert(l);
        self.endpoints.push(EpRef::Link(id));
        self.sessions[s].links.push(id);
        self.ep_incref(EpRef::Session(s));
        if obj == 0 {
            self.created.push_back(Ctx::Link(id));
        }
        self.put(EventType::PN_LINK_INIT, Ctx::Link(id));
        id
    }

    pub fn link_open(&mut self, l: LinkId) {
        self.open_ep(EpRef::Link(l));
    }

    pub fn link_close(&mut self, l: LinkId) {
        self.close_ep(EpRef::Link(l));
    }

    pub fn link_detach(&mut self, l: LinkId) {
        if self.links[l].detached {
            return;
        }
        self.links[l].detached = true;
        self.put(EventType::PN_LINK_LOCAL_DETACH, Ctx::Link(l));
        self.modified(EpRef::Link(l), true);
    }

    /// Take the link off its session's lists (`pn_link_remove`).
    fn remove_link(&mut self, l: LinkId) {
        let s = self.links[l].session;
        let Some(ssn) = self.sessions.get_mut(s) else { return };
        if let Some(i) = ssn.links.iter().position(|&x| x == l) {
            ssn.links.remove(i);
            self.ep_decref(EpRef::Session(s));
            self.remove_endpoint(EpRef::Link(l));
        }
    }

    /// The first half of `pn_link_free`: unsettled deliveries are settled
    /// (the caller examines each delivery's release after its settlement;
    /// `settled` lists them), then [`Connection::link_free_end`].
    pub fn link_free(&mut self, l: LinkId, settled: &mut Vec<DeliveryId>) {
        self.remove_link(l);
        let s = self.links[l].session;
        self.sessions[s].freed_links.push(l);
        let mut d = self.links[l].unsettled.head;
        while let Some(id) = d {
            d = self.deliveries[id].unsettled_link.next;
            if self.delivery_settle(id) {
                settled.push(id);
            }
        }
    }

    /// The second half of `pn_link_free`: the link is marked freed.
    pub fn link_free_end(&mut self, l: LinkId) {
        self.links[l].ep.freed = true;
        self.ep_decref(EpRef::Link(l));
    }

    /// Forget a link for good (its C object is being destroyed; its
    /// deliveries are gone already).
    pub fn destroy_link(&mut self, l: LinkId) {
        self.remove_link(l);
        let link = &self.links[l];
        let (s, lh, rh) = (link.session, link.local_handle, link.remote_handle);
        if let Some(ssn) = self.sessions.get_mut(s) {
            if lh >= 0 && ssn.local_handles.get(&(lh as u32)) == Some(&l) {
                ssn.local_handles.remove(&(lh as u32));
            }
            if rh >= 0 && ssn.remote_handles.get(&(rh as u32)) == Some(&l) {
                ssn.remote_handles.remove(&(rh as u32));
            }
            if let Some(i) = ssn.freed_links.iter().position(|&x| x == l) {
                ssn.freed_links.remove(i);
            }
        }
        self.clear_modified(EpRef::Link(l));
        self.remove_endpoint(EpRef::Link(l));
        self.links.remove(l);
    }

    /// `pn_link_unbound`: the transport state of a link is reset.
    pub fn link_unbound(&mut self, l: LinkId) {
        let link = &mut self.links[l];
        link.local_handle = -1;
        link.remote_handle = -1;
        link.delivery_count = 0;
        link.link_credit = 0;
    }

    // ------------------------------------------------------------------
    // Flow control

    pub fn link_flow(&mut self, l: LinkId, credit: i32) {
        self.links[l].credit = self.links[l].credit.wrapping_add(credit);
        self.modified(EpRef::Link(l), true);
        if !self.links[l].drain_flag_mode {
            self.link_set_drain(l, false);
            self.links[l].drain_flag_mode = false;
        }
    }

    pub fn link_drain(&mut self, l: LinkId, credit: i32) -> i32 {
        self.link_set_drain(l, true);
        self.link_flow(l, credit);
        self.links[l].drain_flag_mode = false;
        self.links[l].drained
    }

    pub fn link_set_drain(&mut self, l: LinkId, drain: bool) {
        self.links[l].drain = drain;
        self.modified(EpRef::Link(l), true);
        self.links[l].drain_flag_mode = true;
    }

    pub fn link_drained(&mut self, l: LinkId) -> i32 {
        let link = &mut self.links[l];
        if link.is_sender {
            if link.drain && link.credit > 0 {
                link.drained = link.credit;
                link.credit = 0;
                let d = link.drained;
                self.modified(EpRef::Link(l), true);
                d
            } else {
                0
            }
        } else {
            let d = link.drained;
            link.drained = 0;
            d
        }
    }

    // ------------------------------------------------------------------
    // Deliveries

    pub fn new_delivery(&mut self, l: LinkId, tag: &[u8], obj: usize) -> DeliveryId {
        // A destroyed delivery's slot still holds it (with its buffers):
        // it is reset rather than a new one built.
        let id = self.deliveries.insert_reusing(|| Delivery::new(l, tag, obj), |d| d.reuse(l, tag, obj));
        dl_add::<Unsettled>(&mut self.links[l].unsettled, &mut self.deliveries, id);
        let link = &mut self.links[l];
        if link.current.is_none() {
            link.current = Some(id);
        }
        link.unsettled_count += 1;
        if obj == 0 {
            self.created.push_back(Ctx::Delivery(id));
        }
        self.work_update(id);
        id
    }

    #[inline]
    fn clear_work(&mut self, d: DeliveryId) {
        if self.deliveries[d].work {
            dl_remove::<Work>(&mut self.work, &mut self.deliveries, d);
            self.deliveries[d].work = false;
        }
    }

    /// Put the delivery on or off the work list (`pn_work_update`).
    pub fn work_update(&mut self, d: DeliveryId) {
        let dl = &self.deliveries[d];
        let link = &self.links[dl.link];
        let work = if dl.updated && !dl.local.settled {
            true
        } else if link.current == Some(d) {
            !link.is_sender || link.credit > 0
        } else {
            false
        };
        if work != dl.work {
            if work {
                dl_add::<Work>(&mut self.work, &mut self.deliveries, d);
            } else {
                dl_remove::<Work>(&mut self.work, &mut self.deliveries, d);
            }
            self.deliveries[d].work = work;
        }
    }

    /// Queue the delivery for the transport (`pni_add_tpwork`).
    #[inline]
    pub fn add_tpwork(&mut self, d: DeliveryId) {
        if !self.deliveries[d].tpwork {
            dl_add::<TpWork>(&mut self.tpwork, &mut self.deliveries, d);
            self.deliveries[d].tpwork = true;
        }
        self.modified(EpRef::Conn, true);
    }

    #[inline]
    pub fn clear_tpwork(&mut self, d: DeliveryId) {
        if self.deliveries[d].tpwork {
            dl_remove::<TpWork>(&mut self.tpwork, &mut self.deliveries, d);
            self.deliveries[d].tpwork = false;
            self.recheck.push(Ctx::Delivery(d));
        }
    }

    pub fn link_send(&mut self, l: LinkId, bytes: &[u8]) -> isize {
        let Some(d) = self.links[l].current else { return crate::ffi::error::PN_EOS as isize };
        if bytes.is_empty() {
            return 0;
        }
        self.deliveries[d].append(bytes);
        let s = self.links[l].session;
        self.sessions[s].outgoing_bytes += bytes.len();
        self.add_tpwork(d);
        bytes.len() as isize
    }

    pub fn link_recv(&mut self, l: LinkId, out: &mut [u8]) -> isize {
        let Some(d) = self.links[l].current else { return crate::ffi::error::PN_STATE_ERR as isize };
        let dl = &mut self.deliveries[d];
        if dl.aborted {
            return crate::ffi::error::PN_ABORTED as isize;
        }
        let n = out.len().min(dl.pending());
        out[..n].copy_from_slice(&dl.bytes()[..n]);
        dl.consume(n);
        if n > 0 {
            let s = self.links[l].session;
            let ssn = &mut self.sessions[s];
            ssn.incoming_bytes = ssn.incoming_bytes.saturating_sub(n);
            if ssn.incoming_window == 0 {
                self.add_tpwork(d);
            }
            n as isize
        } else if dl.done {
            crate::ffi::error::PN_EOS as isize
        } else {
            0
        }
    }

    /// `pn_link_advance`; returns whether the current delivery changed.
    pub fn link_advance(&mut self, l: LinkId) -> bool {
        let Some(prev) = self.links[l].current else { return false };
        if self.links[l].is_sender {
            let dl = &mut self.deliveries[prev];
            dl.done = true;
            let count = !dl.aborted || dl.st_sending;
            let s = self.links[l].session;
            if count {
                let link = &mut self.links[l];
                link.queued += 1;
                link.credit -= 1;
                self.sessions[s].outgoing_deliveries += 1;
            }
            self.add_tpwork(prev);
        } else {
            let link = &mut self.links[l];
            link.credit -= 1;
            link.queued -= 1;
            let s = link.session;
            let n = self.deliveries[prev].pending();
            self.deliveries[prev].clear_bytes();
            let ssn = &mut self.sessions[s];
            ssn.incoming_deliveries = ssn.incoming_deliveries.saturating_sub(1);
            ssn.incoming_bytes = ssn.incoming_bytes.saturating_sub(n);
            if ssn.incoming_window == 0 {
                self.add_tpwork(prev);
            }
        }
        let next = self.deliveries[prev].unsettled_link.next;
        self.links[l].current = next;
        self.work_update(prev);
        if let Some(n) = next {
            self.work_update(n);
        }
        Some(prev) != next
    }

    pub fn delivery_update(&mut self, d: DeliveryId, state: u64) {
        self.deliveries[d].local.type_ = state;
        self.add_tpwork(d);
    }

    /// `pn_delivery_settle`; false when it was settled already. The caller
    /// examines the delivery's release afterwards.
    pub fn delivery_settle(&mut self, d: DeliveryId) -> bool {
        if self.deliveries[d].local.settled {
            return false;
        }
        let l = self.deliveries[d].link;
        if self.links[l].current == Some(d) {
            self.link_advance(l);
        }
        self.links[l].unsettled_count -= 1;
        self.deliveries[d].local.settled = true;
        self.add_tpwork(d);
        self.work_update(d);
        true
    }

    pub fn delivery_abort(&mut self, d: DeliveryId) -> bool {
        if self.deliveries[d].local.settled {
            return false;
        }
        self.deliveries[d].aborted = true;
        self.delivery_settle(d);
        let n = self.deliveries[d].pending();
        let s = self.links[self.deliveries[d].link].session;
        let ssn = &mut self.sessions[s];
        ssn.outgoing_bytes = ssn.outgoing_bytes.saturating_sub(n);
        self.deliveries[d].clear_bytes();
        true
    }

    pub fn delivery_clear(&mut self, d: DeliveryId) {
        self.deliveries[d].updated = false;
        self.work_update(d);
    }

    pub fn delivery_buffered(&self, d: DeliveryId) -> bool {
        let dl = &self.deliveries[d];
        if dl.local.settled {
            return false;
        }
        if self.links[dl.link].is_sender {
            if dl.st_sent { false } else { dl.done || dl.pending() > 0 }
        } else {
            false
        }
    }

    pub fn delivery_writable(&self, d: DeliveryId) -> bool {
        let dl = &self.deliveries[d];
        let link = &self.links[dl.link];
        link.is_sender && link.current == Some(d) && link.credit > 0
    }

    pub fn delivery_readable(&self, d: DeliveryId) -> bool {
        let dl = &self.deliveries[d];
        let link = &self.links[dl.link];
        !link.is_sender && link.current == Some(d)
    }

    /// Whether a delivery whose C object lost its last reference must stay
    /// (`pni_preserve_delivery`).
    pub fn preserve_delivery(&self, d: DeliveryId) -> bool {
        self.deliveries[d].preserved(self.bound)
    }

    /// Forget a delivery for good (its C object is being destroyed or
    /// pooled).
    pub fn destroy_delivery(&mut self, d: DeliveryId) {
        let Some(dl) = self.deliveries.get(d) else { return };
        let l = dl.link;
        self.clear_tpwork(d);
        self.clear_work(d);
        if let Some(link) = self.links.get_mut(l) {
            dl_remove::<Unsettled>(&mut link.unsettled, &mut self.deliveries, d);
            if link.current == Some(d) {
                link.current = None;
            }
            let (is_sender, s) = (link.is_sender, link.session);
            let dl = &self.deliveries[d];
            if dl.st_init {
                let id = dl.st_id;
                if let Some(ssn) = self.sessions.get_mut(s) {
                    let map = if is_sender { &mut ssn.outgoing } else { &mut ssn.incoming };
                    map.del_if(id, d);
                }
            }
        }
        self.deliveries.retire(d);
    }

    /// Unsettled deliveries of a link, skipping the locally settled ones.
    pub fn unsettled_from(&self, d: Option<DeliveryId>) -> Option<DeliveryId> {
        let mut cur = d;
        while let Some(id) = cur {
            if !self.deliveries[id].local.settled {
                return Some(id);
            }
            cur = self.deliveries[id].unsettled_link.next;
        }
        None
    }

    /// A delivery with its link and session, borrowed together.
    #[inline]
    pub fn delivery_parts(&mut self, d: DeliveryId) -> (&mut Delivery, &mut Link, &mut Session) {
        let dl = &mut self.deliveries[d];
        let link = &mut self.links[dl.link];
        let ssn = &mut self.sessions[link.session];
        (dl, link, ssn)
    }

    /// `pn_delivery_map_del` for a delivery known to the transport.
    pub fn map_del(&mut self, d: DeliveryId) {
        let (dl, link, ssn) = self.delivery_parts(d);
        if !dl.st_init {
            return;
        }
        dl.st_init = false;
        dl.st_sending = false;
        dl.st_sent = false;
        let map = if link.is_sender { &mut ssn.outgoing } else { &mut ssn.incoming };
        map.del_if(dl.st_id, d);
    }

    /// `pni_delivery_map_push`: number the delivery for the wire.
    pub fn map_push(&mut self, d: DeliveryId) -> u32 {
        let (dl, link, ssn) = self.delivery_parts(d);
        let map = if link.is_sender { &mut ssn.outgoing } else { &mut ssn.incoming };
        dl.number(d, map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_map_ranges() {
        let mut m = DeliveryMap::default();
        let mut a: Arena<u8> = Arena::default();
        let _ = a.insert(0);
        let mut conn = Connection::new();
        let s = conn.new_session(0);
        let l = conn.new_link(s, b"x", true, 0);
        let ids: Vec<_> = (0..5).map(|i| conn.new_delivery(l, &[i], 0)).collect();
        m.next = 10;
        for &d in &ids {
            m.push(d);
        }
        assert_eq!(m.range(11, 12).map(|(i, _)| i).collect::<Vec<_>>(), vec![11, 12]);
        assert_eq!(m.range(0, 11).map(|(i, _)| i).collect::<Vec<_>>(), vec![10, 11]);
        assert_eq!(m.range(13, u32::MAX).count(), 2);
        m.del(10);
        assert_eq!(m.get(10), None);
        assert_eq!(m.get(11), Some(ids[1]));
        assert_eq!(m.range(0, u32::MAX).count(), 4);
        // The last ids settled first: the next id still finds its delivery.
        m.del(14);
        m.del(13);
        assert_eq!(m.push(ids[0]), 15);
        assert_eq!(m.get(15), Some(ids[0]));
        assert_eq!(m.get(13), None);
        assert_eq!(m.range(11, 15).map(|(i, _)| i).collect::<Vec<_>>(), vec![11, 12, 15]);
        m.del(11);
        m.del(12);
        assert_eq!(m.get(15), Some(ids[0]));
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn events_and_final() {
        let mut c = Connection::new();
        c.collect(true);
        let s = c.new_session(0);
        c.session_open(s);
        c.session_free(s);
        let evs: Vec<_> = c.events.drain(..).map(|e| e.0).collect();
        assert_eq!(
            evs,
            vec![
                EventType::PN_CONNECTION_INIT,
                EventType::PN_SESSION_INIT,
                EventType::PN_SESSION_LOCAL_OPEN,
                EventType::PN_SESSION_FINAL
            ]
        );
    }
}
