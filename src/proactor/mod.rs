//! The proactor: proton's event loop over sockets and timers, on mio.
//!
//! # Design
//!
//! One [`Proactor`] owns one `mio::Poll`. Everything that produces events
//! is a [`Task`]: the proactor itself (interrupt, timeout, inactive), each
//! AMQP connection, each listener, each raw connection. A task is owned by
//! the scheduler (`Sched`, behind one mutex) and has scheduling bits:
//!
//! - `running`: one thread owns the task's batch, from the moment it takes
//!   the task off the ready queue until `pn_proactor_done`. No other thread
//!   touches the task's work in between.
//! - `queued`: the task is on the ready queue.
//! - `flags`: what happened to it since it last ran (socket readiness, a
//!   wake, a timer, a close request). Flags arriving while the task runs
//!   only accumulate; `done` puts the task back on the queue if any did
//!   (proton's "notified" state).
//!
//! A thread in `wait` takes the first ready task. If none is ready, one
//! thread polls (the one that finds nobody polling) and the others sleep on
//! a condition variable. The poller turns readiness into flags, fires
//! expired timers, and wakes as many sleepers as it made tasks ready (one
//! it takes itself). Anything that makes a task ready from elsewhere
//! (`pn_connection_wake`, `done`, a new connection) wakes a sleeper, or the
//! poller through the `mio::Waker` when nobody sleeps.
//! `pn_proactor_interrupt` only sets an atomic flag and wakes the poller,
//! so it is async-signal-safe.
//!
//! Two rules keep sockets from starving: a thread that keeps finding work
//! ready polls (without blocking) every few batches anyway, and sleepers
//! wake now and then to take over polling if the poller left for a batch
//! and has not come back. (Waking a sleeper every time the poller leaves
//! would cost a thread switch per batch: measured, 20% of the C broker's
//! throughput.)
//!
//! Sockets are registered once, edge-triggered, for reading and writing.
//! A task remembers whether its socket may be readable or writable and does
//! I/O until `WouldBlock`, or for reads until a read takes less than it
//! could (the socket is drained; unless the poller reported the peer's
//! end, which only a read shows). An AMQP connection's batch also carries
//! the events that encoding the application's work brings, and its bytes
//! are written once the batch is done (see `conn.rs`).
//!
//! Timers (the proactor's timeout, each connection's next
//! `pn_transport_tick` deadline) live in one min-heap; the poll timeout is
//! the earliest deadline.
//!
//! The proactor knows nothing of proton's C objects: an AMQP connection is
//! an [`AmqpDriver`] (proton's `pn_connection_driver_t` behind a safe
//! trait), events of the other tasks go to an [`EventSink`]. Both are
//! implemented in `ffi/`, the only place with unsafe code besides
//! [`sys`].

pub mod addr;
mod conn;
mod listener;
pub mod raw;
pub mod sys;

use std::any::Any;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::ffi::c_void;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;

use mio::{Events, Interest, Poll, Registry, Token, Waker};

pub use conn::ConnWork;
pub use listener::ListenerWork;
pub use raw::RawWork;
pub use sys::RawBuf;
pub use sys::now_ms;

// ---------------------------------------------------------------------------
// What the proactor needs from the engine

/// An event made by the engine side, handed to C as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventPtr(pub *mut c_void);

/// An error condition: name and description (`pn_condition_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cond {
    pub name: String,
    pub description: String,
}

impl Cond {
    /// A condition named "proton:io", proton's name for socket errors.
    pub fn io(description: String) -> Cond {
        Cond { name: "proton:io".to_string(), description }
    }
}

/// Events of the tasks that are not AMQP connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Interrupt,
    Timeout,
    Inactive,
    ListenerOpen,
    ListenerAccept,
    ListenerClose,
    RawConnected,
    RawClosedRead,
    RawClosedWrite,
    RawDisconnected,
    RawNeedReadBuffers,
    RawNeedWriteBuffers,
    RawRead,
    RawWritten,
    RawWake,
    RawDrainBuffers,
}

/// Where the events of the proactor, a listener or a raw connection go:
/// a collector, on the C side.
pub trait EventSink: Send + 'static {
    fn put(&mut self, event: Event);
    /// The next event of the batch (the previous one is released).
    fn next(&mut self) -> Option<EventPtr>;
    fn has_event(&mut self) -> bool;
    /// Set the object's condition unless one is set already.
    fn set_condition(&mut self, cond: &Cond);
    /// The task now running this sink's object (called once, before any
    /// other thread can see the task).
    fn attach(&mut self, _task: &Arc<Task>) {}
}

/// An AMQP connection and its transport, as `pn_connection_driver_t`
/// drives them.
pub trait AmqpDriver: Send + 'static {
    /// Room to read into (empty when full or closed for reading).
    fn read_buffer(&mut self) -> &mut [u8];
    fn read_done(&mut self, n: usize);
    /// A read filled the whole read buffer: let it grow (up to `limit`).
    fn grow_read_buffer(&mut self, limit: usize);
    fn read_close(&mut self);
    fn read_closed(&mut self) -> bool;
    /// Bytes to write (empty when none).
    fn write_buffer(&mut self) -> &[u8];
    /// Encode what the application did (bringing the events that come of
    /// it); the bytes now waiting to be written, beyond `write_buffer`'s
    /// too.
    fn encode(&mut self) -> usize;
    fn write_done(&mut self, n: usize);
    fn write_close(&mut self);
    fn write_closed(&mut self) -> bool;
    /// Set the transport's condition (unless set) and close both ends.
    fn fail(&mut self, cond: &Cond);
    /// Run the transport's timers; the next deadline, if any.
    fn tick(&mut self, now: i64) -> Option<i64>;
    /// The connection has nothing buffered to read or write: it may let
    /// its buffers go until it next needs them.
    fn park_buffers(&mut self);
    /// Queue a `PN_CONNECTION_WAKE` event.
    fn wake(&mut self);
    fn next_event(&mut self) -> Option<EventPtr>;
    fn has_event(&mut self) -> bool;
    /// The transport is closed and every event was handled.
    fn finished(&mut self) -> bool;
    /// The task now running this connection (called once, before any other
    /// thread can see the task).
    fn attach(&mut self, task: &Arc<Task>);
    /// The application took the connection back
    /// (`pn_proactor_release_connection`): no more events.
    fn release(&mut self);
    fn as_any(&mut self) -> &mut dyn Any;
}

// ---------------------------------------------------------------------------
// Tasks

/// Flags: what happened to a task since it last ran.
pub(crate) mod flag {
    pub const READABLE: u32 = 1;
    pub const WRITABLE: u32 = 1 << 1;
    pub const WAKE: u32 = 1 << 2;
    pub const TIMER: u32 = 1 << 3;
    pub const CLOSE: u32 = 1 << 4;
    pub const DISCONNECT: u32 = 1 << 5;
    pub const START: u32 = 1 << 6;
    pub const INTERRUPT: u32 = 1 << 7;
    pub const TIMEOUT: u32 = 1 << 8;
    pub const INACTIVE: u32 = 1 << 9;
    pub const READ_CLOSE: u32 = 1 << 10;
    pub const WRITE_CLOSE: u32 = 1 << 11;
    pub const GIVEN: u32 = 1 << 12;
    /// The socket reported the peer's end of stream or an error (with
    /// `READABLE`).
    pub const READ_END: u32 = 1 << 13;
}

/// Something that makes events: the proactor itself, a connection, a
/// listener or a raw connection.
pub struct Task {
    id: usize,
    proactor: Weak<Proactor>,
    work: Work,
}

pub(crate) enum Work {
    Proactor(Mutex<ProactorWork>),
    Conn(Mutex<ConnWork>),
    Listener(Mutex<ListenerWork>),
    Raw(Mutex<RawWork>),
}

/// The proactor's own events.
pub(crate) struct ProactorWork {
    sink: Option<Box<dyn EventSink>>,
}

/// The parts of a proactor a task's work needs while it runs.
pub(crate) struct Cx<'a> {
    pub registry: &'a Registry,
    pub token: Token,
    pub now: i64,
}

/// What a task's work reports when its batch is done.
#[derive(Default)]
pub(crate) struct Outcome {
    /// Nothing is left: the task goes.
    pub finished: bool,
    /// It has more to do right away.
    pub more: bool,
    /// When it next needs to run, if not before.
    pub deadline: Option<i64>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in a batch (caught at the FFI boundary) must not make the
    // proactor unusable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Task {
    /// The proactor this task belongs to (`None` once it is freed).
    pub fn proactor(&self) -> Option<Arc<Proactor>> {
        self.proactor.upgrade()
    }

    /// The next event of the batch this task is handing out.
    pub fn next_event(&self) -> Option<EventPtr> {
        match &self.work {
            Work::Proactor(m) => lock(m).sink.as_mut().and_then(|s| s.next()),
            Work::Conn(m) => lock(m).next_event(),
            Work::Listener(m) => lock(m).next_event(),
            Work::Raw(m) => lock(m).next_event(),
        }
    }

    /// Ask for a `PN_CONNECTION_WAKE` (or `PN_RAW_CONNECTION_WAKE`).
    pub fn wake(&self) {
        self.notify(flag::WAKE);
    }

    fn notify(&self, f: u32) {
        if let Some(p) = self.proactor() {
            p.notify(self.id, f);
        }
    }

    /// Close a listener (any thread); `PN_LISTENER_CLOSE` follows.
    pub fn close_listener(&self) {
        self.notify(flag::CLOSE);
    }

    /// The listener's bound addresses (after `PN_LISTENER_OPEN`).
    pub fn listener_addrs(&self) -> Vec<SocketAddr> {
        match &self.work {
            Work::Listener(m) => lock(m).addrs(),
            _ => Vec::new(),
        }
    }

    /// A connection's local and remote socket addresses, while it has a
    /// connected socket.
    pub fn socket_addrs(&self) -> (Option<SocketAddr>, Option<SocketAddr>) {
        match &self.work {
            Work::Conn(m) => lock(m).socket_addrs(),
            Work::Raw(m) => lock(m).socket_addrs(),
            _ => (None, None),
        }
    }

    /// Run `f` on a connection's driver.
    pub fn with_driver<R>(&self, f: impl FnOnce(&mut dyn AmqpDriver) -> R) -> Option<R> {
        match &self.work {
            Work::Conn(m) => Some(f(lock(m).driver_mut())),
            _ => None,
        }
    }

    /// `pn_proactor_release_connection`, from the connection's own batch.
    pub fn release_connection(&self) {
        if let Work::Conn(m) = &self.work {
            lock(m).release();
        }
    }

    /// Run `f` on a raw connection's state (from its own batch or before it
    /// runs); notifies the task when `f` gave it work.
    pub fn with_raw<R>(&self, f: impl FnOnce(&mut RawWork) -> R) -> Option<R> {
        match &self.work {
            Work::Raw(m) => {
                let (r, f) = {
                    let mut w = lock(m);
                    let r = f(&mut w);
                    (r, w.take_requests())
                };
                if f != 0 {
                    self.notify(f);
                }
                Some(r)
            }
            _ => None,
        }
    }

    /// Whether this task is a listener.
    pub fn is_listener(&self) -> bool {
        matches!(self.work, Work::Listener(_))
    }
}

// ---------------------------------------------------------------------------
// The scheduler

const WAKER_TOKEN: Token = Token(usize::MAX);
/// Task id `i` has tokens `i << SUB_BITS | n` (a listener has one socket
/// per address).
const SUB_BITS: u32 = 8;
/// The proactor's own task.
const PROACTOR_ID: usize = 0;
/// At most this many batches are handed out between two polls.
const BATCHES_PER_POLL: u32 = 8;
/// The longest a thread sleeps in `wait` before checking whether anyone
/// polls.
const SLEEP_LIMIT: Duration = Duration::from_millis(100);

thread_local! {
    /// This thread waits in `pn_proactor_wait`: work it makes ready (a
    /// `pn_connection_wake` from a batch, a task its `done` puts back) needs
    /// no sleeper woken, as the thread takes it on its next wait and wakes
    /// a sleeper then if more is ready. Waking one at once costs two thread
    /// switches per batch when the woken thread finds the work already taken
    /// (measured: the C broker made 1.5 switches per message, proton-c
    /// 0.5). Should the thread not come back, sleepers look at the ready
    /// queue every [`SLEEP_LIMIT`] anyway.
    static WAITS_HERE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

struct Entry {
    task: Arc<Task>,
    running: bool,
    queued: bool,
    flags: u32,
    deadline: Option<i64>,
    generation: u64,
    /// The condition of a pending `pn_proactor_disconnect`.
    disconnect: Option<Arc<Cond>>,
}

struct Sched {
    entries: Vec<Option<Entry>>,
    free: Vec<usize>,
    ready: VecDeque<usize>,
    timers: BinaryHeap<Reverse<(i64, usize, u64)>>,
    polling: bool,
    /// The deadline the poller sleeps until (`None`: no deadline).
    poll_deadline: Option<i64>,
    waiting: usize,
    /// Connections, listeners and raw connections.
    active: usize,
    /// A `PN_PROACTOR_TIMEOUT` was handed out and its batch is not done.
    timeout_in_flight: bool,
    /// Batches handed out since the last poll.
    since_poll: u32,
    shutdown: bool,
}

impl Sched {
    fn entry(&mut self, id: usize) -> Option<&mut Entry> {
        self.entries.get_mut(id).and_then(Option::as_mut)
    }

    /// Add flags; queue the task unless it runs or is queued. True when it
    /// was queued now.
    fn notify(&mut self, id: usize, f: u32) -> bool {
        let Some(e) = self.entry(id) else { return false };
        e.flags |= f;
        if e.running || e.queued {
            return false;
        }
        e.queued = true;
        self.ready.push_back(id);
        true
    }

    fn take_ready(&mut self) -> Option<(Arc<Task>, u32, Option<Arc<Cond>>)> {
        while let Some(id) = self.ready.pop_front() {
            let Some(e) = self.entry(id) else { continue };
            e.queued = false;
            e.running = true;
            let f = if id == PROACTOR_ID {
                // One proactor event per batch, in proton's order.
                let bit = [flag::INTERRUPT, flag::TIMEOUT, flag::INACTIVE]
                    .into_iter()
                    .find(|b| e.flags & b != 0)
                    .unwrap_or(0);
                e.flags &= !bit;
                bit
            } else {
                std::mem::take(&mut e.flags)
            };
            let disconnect = e.disconnect.take();
            let task = e.task.clone();
            if id == PROACTOR_ID && f == flag::TIMEOUT {
                self.timeout_in_flight = true;
            }
            return Some((task, f, disconnect));
        }
        None
    }

    /// A free id (the slot stays empty until [`Sched::put`]).
    fn alloc(&mut self) -> usize {
        self.free.pop().unwrap_or_else(|| {
            self.entries.push(None);
            self.entries.len() - 1
        })
    }

    fn put(&mut self, id: usize, task: Arc<Task>) {
        self.entries[id] = Some(Entry {
            task,
            running: false,
            queued: false,
            flags: 0,
            deadline: None,
            generation: 0,
            disconnect: None,
        });
    }

    fn set_deadline(&mut self, id: usize, deadline: Option<i64>) -> bool {
        let Some(e) = self.entry(id) else { return false };
        if e.deadline == deadline {
            return false;
        }
        e.deadline = deadline;
        e.generation += 1;
        let generation = e.generation;
        if let Some(d) = deadline {
            self.timers.push(Reverse((d, id, generation)));
            // The poller must wake earlier than it planned.
            return self.polling && self.poll_deadline.is_none_or(|pd| d < pd);
        }
        false
    }

    /// The earliest live deadline.
    fn next_deadline(&mut self) -> Option<i64> {
        while let Some(&Reverse((d, id, g))) = self.timers.peek() {
            match self.entries.get(id).and_then(Option::as_ref) {
                Some(e) if e.generation == g && e.deadline == Some(d) => return Some(d),
                _ => {
                    self.timers.pop();
                }
            }
        }
        None
    }

    fn expire_timers(&mut self, now: i64) {
        while let Some(d) = self.next_deadline() {
            if d > now {
                break;
            }
            let Some(Reverse((_, id, _))) = self.timers.pop() else { break };
            let Some(e) = self.entry(id) else { continue };
            e.deadline = None;
            e.generation += 1;
            if id == PROACTOR_ID {
                self.notify(id, flag::TIMEOUT);
            } else {
                self.notify(id, flag::TIMER);
            }
        }
    }

    fn timeout_pending(&self) -> bool {
        let e = self.entries[PROACTOR_ID].as_ref();
        self.timeout_in_flight || e.is_some_and(|e| e.deadline.is_some() || e.flags & flag::TIMEOUT != 0)
    }

    /// PN_PROACTOR_INACTIVE when nothing is left to do; true when that
    /// queued the proactor's task.
    fn check_inactive(&mut self) -> bool {
        self.active == 0 && !self.timeout_pending() && self.notify(PROACTOR_ID, flag::INACTIVE)
    }
}

struct PollState {
    poll: Poll,
    events: Events,
}

/// The proactor (`pn_proactor_t`).
pub struct Proactor {
    poll: Mutex<PollState>,
    registry: Registry,
    waker: Waker,
    sched: Mutex<Sched>,
    cond: Condvar,
    interrupted: AtomicBool,
    me: Weak<Proactor>,
}

impl Proactor {
    /// A new proactor; its own events go to the sink given to
    /// [`Proactor::set_sink`].
    pub fn new() -> io::Result<Arc<Proactor>> {
        let poll = Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = Waker::new(poll.registry(), WAKER_TOKEN)?;
        Ok(Arc::new_cyclic(|me: &Weak<Proactor>| {
            let mut sched = Sched {
                entries: Vec::new(),
                free: Vec::new(),
                ready: VecDeque::new(),
                timers: BinaryHeap::new(),
                polling: false,
                poll_deadline: None,
                waiting: 0,
                active: 0,
                timeout_in_flight: false,
                since_poll: 0,
                shutdown: false,
            };
            let id = sched.alloc();
            let work = Work::Proactor(Mutex::new(ProactorWork { sink: None }));
            sched.put(id, Arc::new(Task { id, proactor: me.clone(), work }));
            Proactor {
                poll: Mutex::new(PollState { poll, events: Events::with_capacity(1024) }),
                registry,
                waker,
                sched: Mutex::new(sched),
                cond: Condvar::new(),
                interrupted: AtomicBool::new(false),
                me: me.clone(),
            }
        }))
    }

    /// Where the proactor's own events go.
    pub fn set_sink(&self, sink: Box<dyn EventSink>) {
        let task = lock(&self.sched).entries[PROACTOR_ID].as_ref().map(|e| e.task.clone());
        if let Some(task) = task {
            if let Work::Proactor(m) = &task.work {
                lock(m).sink = Some(sink);
            }
        }
    }

    /// Wake a thread for newly ready work: a sleeper if there is one, else
    /// the poller.
    fn signal(&self, s: &Sched) {
        if s.waiting > 0 {
            if WAITS_HERE.with(|w| w.get()) {
                return;
            }
            self.cond.notify_one();
        } else if s.polling {
            let _ = self.waker.wake();
        }
    }

    fn notify(&self, id: usize, f: u32) {
        let mut s = lock(&self.sched);
        if s.notify(id, f) {
            self.signal(&s);
        }
    }

    /// `pn_proactor_wait` (`block`) and `pn_proactor_get`: a task with a
    /// batch of events, now owned by the caller until [`Proactor::done`].
    pub fn wait(&self, block: bool) -> Option<Arc<Task>> {
        WAITS_HERE.with(|w| w.set(true));
        let mut polled = false;
        let mut s = lock(&self.sched);
        loop {
            if self.interrupted.swap(false, Ordering::AcqRel) {
                s.notify(PROACTOR_ID, flag::INTERRUPT);
            }
            // A thread that always finds work ready would never poll: the
            // sockets of the other tasks (and the timers) would starve.
            // So every few batches, poll without blocking first.
            if !s.polling && s.since_poll >= BATCHES_PER_POLL && !s.ready.is_empty() {
                s.polling = true;
                drop(s);
                s = self.poll_once(Some(Duration::ZERO));
                s.polling = false;
                s.expire_timers(now_ms());
            }
            if let Some((task, f, cond)) = s.take_ready() {
                s.since_poll += 1;
                // Someone else must take the next task while this thread
                // is busy.
                if s.waiting > 0 && !s.ready.is_empty() {
                    self.cond.notify_one();
                }
                drop(s);
                if self.run(&task, f, cond.as_deref()) {
                    return Some(task);
                }
                s = lock(&self.sched);
                continue;
            }
            if s.shutdown || (!block && polled) {
                return None;
            }
            if !s.polling {
                s.polling = true;
                let now = now_ms();
                let deadline = s.next_deadline();
                s.poll_deadline = deadline;
                let timeout = if block { deadline.map(|d| Duration::from_millis((d - now).max(0) as u64)) } else { Some(Duration::ZERO) };
                drop(s);
                s = self.poll_once(timeout);
                s.polling = false;
                polled = true;
                s.expire_timers(now_ms());
                // This thread takes one task; sleepers take the others (no
                // more of them are woken than there is work for).
                for _ in 1..s.ready.len().min(s.waiting + 1) {
                    self.cond.notify_one();
                }
                continue;
            }
            if !block {
                return None;
            }
            // Sleep until there is work. Sleepers are woken for ready
            // tasks, not to take over polling when the poller leaves for a
            // batch (a wake-up per batch costs more than it brings); the
            // time limit bounds how long readiness can go unnoticed while
            // every other thread is busy with a long batch.
            s.waiting += 1;
            s = self.cond.wait_timeout(s, SLEEP_LIMIT).unwrap_or_else(|e| e.into_inner()).0;
            s.waiting -= 1;
        }
    }

    /// Poll once; returns with the scheduler locked and the readiness
    /// turned into flags.
    fn poll_once(&self, timeout: Option<Duration>) -> MutexGuard<'_, Sched> {
        let mut p = lock(&self.poll);
        let PollState { poll, events } = &mut *p;
        if let Err(e) = poll.poll(events, timeout) {
            if e.kind() != io::ErrorKind::Interrupted {
                events.clear();
            }
        }
        let mut s = lock(&self.sched);
        s.since_poll = 0;
        for ev in events.iter() {
            if ev.token() == WAKER_TOKEN {
                continue;
            }
            let id = ev.token().0 >> SUB_BITS;
            let mut f = 0;
            if ev.is_readable() || ev.is_read_closed() || ev.is_error() {
                f |= flag::READABLE;
            }
            if ev.is_read_closed() || ev.is_error() {
                f |= flag::READ_END;
            }
            if ev.is_writable() || ev.is_write_closed() || ev.is_error() {
                f |= flag::WRITABLE;
            }
            if f != 0 {
                s.notify(id, f);
            }
        }
        s
    }

    /// Run a task taken off the ready queue; true when it has a batch for
    /// the application, otherwise it is already done with.
    fn run(&self, task: &Arc<Task>, f: u32, cond: Option<&Cond>) -> bool {
        let cx = Cx { registry: &self.registry, token: Token(task.id << SUB_BITS), now: now_ms() };
        let has_events = match &task.work {
            Work::Proactor(m) => {
                let mut w = lock(m);
                match w.sink.as_mut() {
                    Some(sink) => {
                        for (bit, ev) in [
                            (flag::INTERRUPT, Event::Interrupt),
                            (flag::TIMEOUT, Event::Timeout),
                            (flag::INACTIVE, Event::Inactive),
                        ] {
                            if f & bit != 0 {
                                sink.put(ev);
                            }
                        }
                        sink.has_event()
                    }
                    None => false,
                }
            }
            Work::Conn(m) => lock(m).process(&cx, f, cond),
            Work::Listener(m) => lock(m).process(&cx, f, cond),
            Work::Raw(m) => lock(m).process(&cx, f, cond),
        };
        if !has_events {
            self.done(task);
        }
        has_events
    }

    /// `pn_proactor_done`: the application finished the task's batch.
    pub fn done(&self, task: &Arc<Task>) {
        let cx = Cx { registry: &self.registry, token: Token(task.id << SUB_BITS), now: now_ms() };
        let out = match &task.work {
            Work::Proactor(_) => Outcome::default(),
            Work::Conn(m) => lock(m).after_batch(&cx),
            Work::Listener(m) => lock(m).after_batch(&cx),
            Work::Raw(m) => lock(m).after_batch(&cx),
        };
        let mut s = lock(&self.sched);
        let id = task.id;
        let removed = {
            let Some(e) = s.entry(id) else { return };
            e.running = false;
            if out.finished && id != PROACTOR_ID {
                s.entries[id].take()
            } else {
                None
            }
        };
        // Whether this made work ready (which a thread must be told about).
        let mut queued = false;
        if id == PROACTOR_ID && std::mem::take(&mut s.timeout_in_flight) {
            queued |= s.check_inactive();
        }
        let mut wake_poller = false;
        if removed.is_some() {
            s.free.push(id);
            s.active -= 1;
            queued |= s.check_inactive();
        } else {
            // The proactor's own deadline is its timeout, set by the API.
            if id != PROACTOR_ID {
                wake_poller = s.set_deadline(id, out.deadline);
            }
            let e = s.entry(id).expect("entry of a running task");
            if e.flags != 0 || out.more {
                e.queued = true;
                s.ready.push_back(id);
                queued = true;
            }
        }
        if queued {
            self.signal(&s);
        }
        if wake_poller {
            let _ = self.waker.wake();
        }
        drop(s);
        // The task's work (and the C objects it owns) goes outside the
        // lock: freeing C objects may run application code.
        drop(removed);
    }

    /// `pn_proactor_interrupt`: async-signal-safe (an atomic and a write to
    /// the waker's eventfd).
    pub fn interrupt(&self) {
        self.interrupted.store(true, Ordering::Release);
        let _ = self.waker.wake();
        // A sleeper may have to see it when nobody polls.
        if let Ok(s) = self.sched.try_lock() {
            if s.waiting > 0 && !s.polling {
                self.cond.notify_one();
            }
        }
    }

    /// `pn_proactor_set_timeout`.
    pub fn set_timeout(&self, ms: u32) {
        let mut s = lock(&self.sched);
        let d = now_ms() + ms as i64;
        // A new value replaces the old one, even a due one not yet handed out.
        if let Some(e) = s.entry(PROACTOR_ID) {
            e.flags &= !flag::TIMEOUT;
            e.deadline = None;
        }
        let wake = s.set_deadline(PROACTOR_ID, Some(d));
        if ms == 0 {
            s.expire_timers(d);
            if !s.ready.is_empty() {
                self.signal(&s);
            }
        } else if wake {
            let _ = self.waker.wake();
        }
    }

    /// `pn_proactor_cancel_timeout`.
    pub fn cancel_timeout(&self) {
        let mut s = lock(&self.sched);
        let pending = s.entry(PROACTOR_ID).is_some_and(|e| e.deadline.is_some() || e.flags & flag::TIMEOUT != 0);
        if !pending {
            return;
        }
        if let Some(e) = s.entry(PROACTOR_ID) {
            e.flags &= !flag::TIMEOUT;
        }
        s.set_deadline(PROACTOR_ID, None);
        let _ = s.check_inactive();
        if !s.ready.is_empty() {
            self.signal(&s);
        }
    }

    /// `pn_proactor_disconnect`: close every connection and listener, with
    /// `cond` as their condition.
    pub fn disconnect(&self, cond: Option<Cond>) {
        let cond = cond.map(Arc::new);
        let mut s = lock(&self.sched);
        let ids: Vec<usize> = (1..s.entries.len()).filter(|&i| s.entries[i].is_some()).collect();
        for id in ids {
            if let Some(e) = s.entry(id) {
                e.disconnect = cond.clone();
            }
            s.notify(id, flag::DISCONNECT);
        }
        let _ = s.check_inactive();
        if !s.ready.is_empty() {
            self.signal(&s);
        }
    }

    /// Start a task whose work needs its id (for its socket's token) and a
    /// pointer back to it before anyone can run it.
    fn start(&self, f: u32, work: impl FnOnce(&Cx) -> Work, attach: impl FnOnce(&Arc<Task>)) -> Arc<Task> {
        let mut s = lock(&self.sched);
        let id = s.alloc();
        let cx = Cx { registry: &self.registry, token: Token(id << SUB_BITS), now: now_ms() };
        let task = Arc::new(Task { id, proactor: self.me.clone(), work: work(&cx) });
        attach(&task);
        s.put(id, task.clone());
        s.active += 1;
        s.notify(id, f);
        self.signal(&s);
        task
    }

    /// `pn_proactor_connect2`: resolve `addr` (in this thread, as proton
    /// does) and connect; errors become the connection's events.
    pub fn connect(&self, driver: Box<dyn AmqpDriver>, addr: &str) -> Arc<Task> {
        let hp = addr::HostPort::parse(addr);
        let resolved = sys::resolve(hp.resolver_host(), &hp.port, false);
        self.start(
            flag::START,
            |cx| Work::Conn(Mutex::new(ConnWork::connect(cx, driver, &hp, resolved))),
            |task| {
                if let Work::Conn(m) = &task.work {
                    lock(m).driver_mut().attach(task);
                }
            },
        )
    }

    /// `pn_proactor_listen`.
    pub fn listen(&self, sink: Box<dyn EventSink>, addr: &str, backlog: i32) -> Arc<Task> {
        let hp = addr::HostPort::parse(addr);
        let resolved = sys::resolve(hp.resolver_host(), &hp.port, true);
        self.start(
            flag::START,
            |cx| Work::Listener(Mutex::new(ListenerWork::listen(cx, sink, &hp, resolved, backlog))),
            |task| {
                if let Work::Listener(m) = &task.work {
                    lock(m).sink.attach(task);
                }
            },
        )
    }

    /// `pn_listener_accept2`: run `driver` over the next connection
    /// `listener` accepted.
    pub fn accept(&self, listener: &Task, driver: Box<dyn AmqpDriver>) -> Arc<Task> {
        let sock = match &listener.work {
            Work::Listener(m) => lock(m).take_pending(),
            _ => None,
        };
        self.start(
            flag::START,
            |cx| Work::Conn(Mutex::new(ConnWork::accepted(cx, driver, sock))),
            |task| {
                if let Work::Conn(m) = &task.work {
                    lock(m).driver_mut().attach(task);
                }
            },
        )
    }

    /// `pn_proactor_raw_connect`.
    pub fn raw_connect(&self, raw: RawWork, addr: &str) -> Arc<Task> {
        let hp = addr::HostPort::parse(addr);
        let resolved = sys::resolve(hp.resolver_host(), &hp.port, false);
        self.start(
            flag::START,
            |cx| Work::Raw(Mutex::new(raw.connect(cx, &hp, resolved))),
            |task| {
                if let Work::Raw(m) = &task.work {
                    lock(m).attach(task);
                }
            },
        )
    }

    /// `pn_listener_raw_accept`.
    pub fn raw_accept(&self, listener: &Task, raw: RawWork) -> Arc<Task> {
        let sock = match &listener.work {
            Work::Listener(m) => lock(m).take_pending(),
            _ => None,
        };
        self.start(
            flag::START,
            |cx| Work::Raw(Mutex::new(raw.accepted(cx, sock))),
            |task| {
                if let Work::Raw(m) = &task.work {
                    lock(m).attach(task);
                }
            },
        )
    }

    /// `pn_proactor_free`: drop every task (closing sockets, freeing the C
    /// objects they own). Returns them so the caller drops them outside
    /// any lock.
    pub fn shutdown(&self) {
        let tasks: Vec<Entry> = {
            let mut s = lock(&self.sched);
            s.shutdown = true;
            s.ready.clear();
            s.timers.clear();
            s.entries.iter_mut().filter_map(Option::take).collect()
        };
        self.cond.notify_all();
        let _ = self.waker.wake();
        drop(tasks);
    }

    /// How many tasks (connections, listeners, raw connections) are live.
    pub fn active(&self) -> usize {
        lock(&self.sched).active
    }

    /// Register a socket of a task (used when a task's work changes
    /// sockets).
    pub(crate) fn register<S: mio::event::Source + ?Sized>(cx: &Cx, s: &mut S, sub: usize) -> io::Result<()> {
        cx.registry.register(s, Token(cx.token.0 | sub), Interest::READABLE | Interest::WRITABLE)
    }
}
