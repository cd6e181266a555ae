//! The transport: the protocol engine between a [`Connection`] and a byte
//! stream (`pn_transport_t`). Sans-IO: the application pushes the bytes it
//! read ([`Transport::capacity`], [`Transport::tail`],
//! [`Transport::process`]), takes the bytes to write
//! ([`Transport::pending`], [`Transport::head`], [`Transport::pop`]), tells
//! it when the stream ends ([`Transport::close_tail`],
//! [`Transport::close_head`]) and what time it is ([`Transport::tick`]).
//!
//! Layers ([`layer`]): an optional transforming layer (TLS, installed with
//! [`Transport::set_tls`]), an optional SASL layer ([`sasl`]), then the AMQP
//! protocol header and frames ([`amqp`]); servers detect which of them the
//! peer speaks from its first bytes. Without SASL or TLS the transport
//! speaks plain AMQP, as proton-c does.
//!
//! Buffers grow as proton's do (input from 8 KiB up to the local max-frame,
//! output up to the peer's), because applications see their sizes.

pub mod amqp;
pub mod layer;
pub mod sasl;
pub mod tls;

use std::collections::BTreeMap;
use std::ffi::CString;

use crate::engine::{Connection, Ctx, EventType, SessionId};
use crate::ffi::logger::{Logger, pn_log_level_t, pn_log_subsystem_t};
use crate::ffi::store::{CondBox, DataBox};
use crate::framing::{self, Protocol};
use layer::{LAYER_AMQP1, LAYER_AMQPSASL, LAYER_AMQPSSL, LAYER_SSL, SLOTS, Slot, TransformLayer, Upper};

/// End of stream (proton's `PN_EOS`).
pub const EOS: isize = -1;
/// Internal: end of stream from a layer that already reported why, so the
/// `<- EOS` trace line is left out (proton's protocol detection does this).
const EOS_QUIET: isize = -2;

const FRAME_OR_RAW: u16 = pn_log_level_t::PN_LEVEL_FRAME as u16 | pn_log_level_t::PN_LEVEL_RAW as u16;

/// The initial size of the input and output buffers.
pub const INITIAL_BUFFER_SIZE: usize = 8192;
/// The largest channel number proton uses.
pub const IMPL_CHANNEL_MAX: u16 = 32767;

/// Where the AMQP layer's input side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InLayer {
    /// Expecting the AMQP protocol header.
    Header,
    /// Reading AMQP frames.
    Amqp,
    /// Input refused after a protocol error.
    Error,
}

/// Where the AMQP layer's output side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutLayer {
    /// The AMQP protocol header is next.
    Header,
    /// AMQP frames.
    Amqp,
    /// Nothing more will be written.
    Closed,
}

/// What a TLS layer learnt about the peer, for SASL's EXTERNAL mechanism
/// and `pn_transport_is_encrypted` (see [`layer`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternalAuth {
    /// Security strength factor (cipher bits); 0 while not encrypted.
    pub ssf: i32,
    /// The authenticated peer identity (certificate subject), if any.
    pub authid: Option<CString>,
}

/// Transport state shared with layers (everything but the buffers).
pub struct TransportState {
    pub server: bool,
    pub logger: Box<Logger>,
    pub trace: i32,
    pub local_max_frame: u32,
    pub remote_max_frame: u32,
    pub channel_max: u16,
    pub local_channel_max: u16,
    pub remote_channel_max: u16,
    pub local_idle_timeout: u32,
    pub remote_idle_timeout: u32,
    pub dead_remote_deadline: i64,
    pub keepalive_deadline: i64,
    pub last_bytes_input: u64,
    pub last_bytes_output: u64,
    pub bytes_input: u64,
    pub bytes_output: u64,
    pub frames_input: u64,
    pub frames_output: u64,
    pub open_sent: bool,
    pub open_rcvd: bool,
    pub close_sent: bool,
    pub close_rcvd: bool,
    pub halt: bool,
    pub done_processing: bool,
    pub tail_closed: bool,
    pub head_closed: bool,
    pub posted_idle_timeout: bool,
    pub auth_required: bool,
    pub encryption_required: bool,
    pub authenticated: bool,
    /// Published by the TLS layer (see [`layer`]).
    pub external: ExternalAuth,
    /// The SASL layer's state (`pn_sasl` made it, or a server detected the
    /// SASL header).
    pub sasl: Option<Box<sasl::Sasl>>,
    /// The C handle of this transport (`pn_transport_t *`), passed to SASL
    /// plugins; null for transports made from Rust.
    pub handle: *mut std::ffi::c_void,
    /// A connection is bound (events without one at hand are queued in
    /// `events` for it).
    pub bound: bool,
    /// Fatal errors so far (a transforming layer is told of new ones).
    pub error_count: u32,
    /// The layer stack (see [`layer`]).
    pub slots: [Slot; SLOTS],
    /// Layers a server may still detect, and layers it saw (`LAYER_*`).
    pub allowed_layers: u8,
    pub present_layers: u8,
    pub remote_container: Option<CString>,
    pub remote_hostname: Option<CString>,
    pub remote_offered_capabilities: DataBox,
    pub remote_desired_capabilities: DataBox,
    pub remote_properties: DataBox,
    pub condition: CondBox,
    pub remote_condition: CondBox,
    pub local_channels: BTreeMap<u16, SessionId>,
    pub remote_channels: BTreeMap<u16, SessionId>,
    /// The AMQP layer's input and output phases.
    pub in_layer: InLayer,
    pub out_layer: OutLayer,
    /// Encoded frames not yet copied to the output buffer.
    pub frame: Vec<u8>,
    pub frame_start: usize,
    /// Events about the transport itself raised where the connection was
    /// not at hand; they are handed to it at the next layer boundary.
    pub events: Vec<EventType>,
}

/// A transport.
pub struct Transport {
    pub st: TransportState,
    /// The transforming layer (TLS), if installed.
    tls: Option<Box<dyn TransformLayer>>,
    /// `st.error_count` when the TLS layer was last told of errors.
    tls_errors_seen: u32,
    input: Vec<u8>,
    input_pending: usize,
    output: Vec<u8>,
    output_pending: usize,
    scratch: Vec<crate::engine::EpRef>,
}

impl Default for Transport {
    fn default() -> Self {
        Transport::new()
    }
}

impl TransportState {
    /// Log a message of the AMQP subsystem at `level`, if enabled.
    pub fn log(&self, subsystem: pn_log_subsystem_t, level: pn_log_level_t, msg: &str) {
        if self.logger.would_log(subsystem, level) {
            self.logger.log(subsystem as i32, level as i32, msg);
        }
    }

    /// Log at any of several severity bits (proton logs end of stream at
    /// frame-or-raw level).
    pub fn log_bits(&self, subsystem: pn_log_subsystem_t, levels: u16, msg: &str) {
        if self.logger.would_log_bits(subsystem as u16, levels) {
            self.logger.log(subsystem as i32, levels as i32, msg);
        }
    }

    pub fn logs_frames(&self) -> bool {
        self.logger.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME)
    }

    /// An application-level log message (`pn_transport_log`): every
    /// subsystem, trace level, written whatever the logger's masks.
    pub fn log_app(&self, msg: &str) {
        self.logger.log(pn_log_subsystem_t::PN_SUBSYSTEM_ALL as i32, pn_log_level_t::PN_LEVEL_TRACE as i32, msg);
    }

    pub fn frame_pending(&self) -> usize {
        self.frame.len() - self.frame_start
    }

    pub fn calculate_channel_max(&mut self) {
        self.channel_max = if self.open_rcvd {
            self.local_channel_max.min(self.remote_channel_max)
        } else {
            self.local_channel_max
        };
    }

    /// Post a transport event to the connection (queued for it when it is
    /// bound but not at hand; dropped when there is none, as proton does).
    pub(crate) fn put(&mut self, conn: Option<&mut Connection>, ty: EventType) {
        match conn {
            Some(c) => {
                self.flush_events(c);
                c.put(ty, Ctx::Transport);
            }
            None if self.bound => self.events.push(ty),
            None => {}
        }
    }

    /// Hand queued transport events to the connection.
    pub(crate) fn flush_events(&mut self, conn: &mut Connection) {
        for ty in self.events.drain(..) {
            conn.put(ty, Ctx::Transport);
        }
    }

    /// A fatal error of a layer (proton's `pn_do_error`): the condition is
    /// set (or extended), `PN_TRANSPORT_ERROR` is posted, the error is
    /// logged, every layer is told (AMQP queues its open and close frames
    /// if its output has started), and the input side ends. For layers
    /// without the connection at hand (TLS); the others use
    /// [`amqp::do_error`].
    pub fn error(&mut self, condition: &str, description: &str) {
        amqp::do_error(self, None, Some(condition), description);
    }

    /// Whether the connection is encrypted (`pn_transport_is_encrypted`).
    pub fn is_encrypted(&self) -> bool {
        self.external.ssf > 0
    }

    /// Mark the input side closed and post its events.
    pub(crate) fn close_tail_now(&mut self, mut conn: Option<&mut Connection>) {
        if !self.tail_closed {
            self.tail_closed = true;
            self.put(conn.as_deref_mut(), EventType::PN_TRANSPORT_TAIL_CLOSED);
            if self.head_closed {
                self.put(conn, EventType::PN_TRANSPORT_CLOSED);
            }
        }
    }

    /// Every slot becomes an error slot (proton's `pn_set_error_layer`).
    pub(crate) fn set_error_layer(&mut self) {
        self.slots = [Slot::Error; SLOTS];
    }

    /// A slot holds this kind of layer.
    pub fn has_slot(&self, kind: Slot) -> bool {
        self.slots.contains(&kind)
    }
}

impl Transport {
    pub fn new() -> Transport {
        let logger = Logger::new();
        logger.set_mask(0, crate::ffi::logger::env_levels());
        Transport {
            st: TransportState {
                server: false,
                logger,
                trace: 0,
                local_max_frame: 0,
                remote_max_frame: u32::MAX,
                channel_max: IMPL_CHANNEL_MAX,
                local_channel_max: IMPL_CHANNEL_MAX,
                remote_channel_max: u16::MAX,
                local_idle_timeout: 0,
                remote_idle_timeout: 0,
                dead_remote_deadline: 0,
                keepalive_deadline: 0,
                last_bytes_input: 0,
                last_bytes_output: 0,
                bytes_input: 0,
                bytes_output: 0,
                frames_input: 0,
                frames_output: 0,
                open_sent: false,
                open_rcvd: false,
                close_sent: false,
                close_rcvd: false,
                halt: false,
                done_processing: false,
                tail_closed: false,
                head_closed: false,
                posted_idle_timeout: false,
                auth_required: false,
                encryption_required: false,
                authenticated: false,
                external: ExternalAuth::default(),
                sasl: None,
                handle: std::ptr::null_mut(),
                bound: false,
                error_count: 0,
                slots: [Slot::Setup, Slot::Error, Slot::Error],
                allowed_layers: LAYER_AMQP1 | LAYER_AMQPSASL | LAYER_AMQPSSL | LAYER_SSL,
                present_layers: 0,
                remote_container: None,
                remote_hostname: None,
                remote_offered_capabilities: DataBox::default(),
                remote_desired_capabilities: DataBox::default(),
                remote_properties: DataBox::default(),
                condition: CondBox::default(),
                remote_condition: CondBox::default(),
                local_channels: BTreeMap::new(),
                remote_channels: BTreeMap::new(),
                in_layer: InLayer::Header,
                out_layer: OutLayer::Header,
                frame: Vec::new(),
                frame_start: 0,
                events: Vec::new(),
            },
            tls: None,
            tls_errors_seen: 0,
            input: Vec::new(),
            input_pending: 0,
            output: Vec::new(),
            output_pending: 0,
            scratch: Vec::new(),
        }
    }

    /// Act as the server end (detect the client's protocol header).
    pub fn set_server(&mut self) {
        self.st.server = true;
        if let Some(s) = self.st.sasl.as_mut() {
            s.client = false;
        }
    }

    /// Install the transforming layer (TLS; see [`layer`]). Called by
    /// `pn_ssl` before the transport starts: a client puts it under its
    /// other layers when it first reads or writes; a server uses it if the
    /// client's first bytes are TLS.
    pub fn set_tls(&mut self, tls: Box<dyn TransformLayer>) {
        self.tls = Some(tls);
        self.tls_errors_seen = self.st.error_count;
    }

    /// The transforming layer, if installed.
    pub fn tls(&self) -> Option<&dyn TransformLayer> {
        self.tls.as_deref()
    }

    pub fn tls_mut(&mut self) -> Option<&mut (dyn TransformLayer + 'static)> {
        self.tls.as_deref_mut()
    }

    /// The SASL layer (`pn_sasl`): made on first use, for the side the
    /// transport is on.
    pub fn sasl(&mut self) -> &mut sasl::Sasl {
        let client = !self.st.server;
        self.st.sasl.get_or_insert_with(|| Box::new(sasl::Sasl::new(client)))
    }

    pub fn set_max_frame(&mut self, size: u32) {
        let size = if size != 0 && size < framing::MIN_MAX_FRAME_SIZE { framing::MIN_MAX_FRAME_SIZE } else { size };
        self.st.local_max_frame = size;
    }

    /// `pn_transport_set_channel_max`: false after the open was sent.
    pub fn set_channel_max(&mut self, max: u16) -> bool {
        if self.st.open_sent {
            self.st.logger.log(
                pn_log_subsystem_t::PN_SUBSYSTEM_AMQP as i32,
                pn_log_level_t::PN_LEVEL_WARNING as i32,
                "Cannot change local channel-max after OPEN frame sent.",
            );
            return false;
        }
        self.st.local_channel_max = max.min(IMPL_CHANNEL_MAX);
        self.st.calculate_channel_max();
        true
    }

    /// The layers' view of the transport (all but the shared state).
    fn io<'a>(
        tls: &'a mut Option<Box<dyn TransformLayer>>,
        tls_errors_seen: &'a mut u32,
        scratch: &'a mut Vec<crate::engine::EpRef>,
        conn: Option<&'a mut Connection>,
    ) -> Io<'a> {
        Io { conn, tls, tls_errors_seen, scratch }
    }

    // ------------------------------------------------------------------
    // Buffers
    //
    // The input and output buffers are taken when first needed, and a
    // transport that holds no bytes in them can park them
    // ([`Transport::park_buffers`]: the proactor does after each batch), so
    // an idle connection holds none: 16 KiB less per connection.

    fn ensure_input(&mut self) {
        if self.input.is_empty() {
            self.input = spare_buffers::take();
        }
    }

    fn ensure_output(&mut self) {
        if self.output.is_empty() {
            self.output = spare_buffers::take();
        }
    }

    /// Hand the buffers that hold no bytes to this thread's spares, for
    /// whichever transport needs one next. A buffer that grew stays: its
    /// connection carries large frames and would grow a new one again
    /// (proton-c's buffers never shrink either).
    pub fn park_buffers(&mut self) {
        if self.input_pending == 0 && self.input.len() == INITIAL_BUFFER_SIZE {
            spare_buffers::give(std::mem::take(&mut self.input));
        }
        if self.output_pending == 0 && self.output.len() == INITIAL_BUFFER_SIZE {
            spare_buffers::give(std::mem::take(&mut self.output));
        }
    }

    // ------------------------------------------------------------------
    // Input

    /// Room for input, growing the buffer if allowed; `EOS` once the input
    /// side is closed.
    pub fn capacity(&mut self) -> isize {
        if self.st.tail_closed {
            return EOS;
        }
        self.ensure_input();
        let size = self.input.len();
        let mut capacity = size as isize - self.input_pending as isize;
        if capacity <= 0 {
            let max = self.st.local_max_frame as usize;
            let more = if max == 0 {
                size
            } else if max > size {
                size.min(max - size)
            } else {
                0
            };
            if more > 0 {
                self.input.resize(size + more, 0);
                capacity += more as isize;
            }
        }
        capacity
    }

    /// The last read filled all the room there was, so more is likely
    /// waiting: double the input buffer, up to `limit` bytes, so that the
    /// next read takes more at once.
    pub fn grow_input(&mut self, limit: usize) {
        let size = self.input.len();
        if size > 0 && size < limit && !self.st.tail_closed {
            self.input.resize((size * 2).min(limit), 0);
        }
    }

    /// Where to put input (after `capacity`).
    pub fn tail(&mut self) -> &mut [u8] {
        self.ensure_input();
        &mut self.input[self.input_pending..]
    }

    /// `n` bytes were written at `tail`: process them.
    pub fn process(&mut self, mut conn: Option<&mut Connection>, n: usize) -> isize {
        let n = n.min(self.input.len() - self.input_pending);
        self.input_pending += n;
        self.st.bytes_input += n as u64;
        let r = self.consume(conn.as_deref_mut());
        if r == EOS {
            self.close_tail_only(conn);
        }
        if r < 0 && r != EOS { r } else { 0 }
    }

    /// Copy and process input; returns the bytes taken.
    pub fn push(&mut self, conn: Option<&mut Connection>, bytes: &[u8]) -> isize {
        let cap = self.capacity();
        if cap < 0 {
            return cap;
        }
        let n = bytes.len().min(cap as usize);
        self.tail()[..n].copy_from_slice(&bytes[..n]);
        let r = self.process(conn, n);
        if r < 0 { r } else { n as isize }
    }

    fn close_tail_only(&mut self, conn: Option<&mut Connection>) {
        self.st.close_tail_now(conn);
    }

    fn maybe_post_closed(&mut self, conn: Option<&mut Connection>) {
        if self.st.head_closed && self.st.tail_closed {
            self.st.put(conn, EventType::PN_TRANSPORT_CLOSED);
        }
    }

    /// No more input will come.
    pub fn close_tail(&mut self, mut conn: Option<&mut Connection>) {
        self.close_tail_only(conn.as_deref_mut());
        self.consume(conn);
    }

    fn consume(&mut self, mut conn: Option<&mut Connection>) -> isize {
        if conn.is_none() {
            return 0;
        }
        let mut consumed = 0usize;
        while self.input_pending > 0 || self.st.tail_closed {
            let input = std::mem::take(&mut self.input);
            let n = {
                let mut io = Self::io(&mut self.tls, &mut self.tls_errors_seen, &mut self.scratch, conn.as_deref_mut());
                let n = io.input(&mut self.st, 0, &input[consumed..consumed + self.input_pending]);
                io.flush(&mut self.st);
                n
            };
            self.input = input;
            if n > 0 {
                consumed += n as usize;
                self.input_pending -= n as usize;
            } else if n == 0 {
                break;
            } else {
                if n != EOS_QUIET {
                    self.st.log_bits(pn_log_subsystem_t::PN_SUBSYSTEM_IO, FRAME_OR_RAW, "  <- EOS");
                }
                self.input_pending = 0;
                return EOS;
            }
        }
        if self.input_pending > 0 && consumed > 0 {
            self.input.copy_within(consumed..consumed + self.input_pending, 0);
        }
        consumed as isize
    }

    // ------------------------------------------------------------------
    // Output

    /// Bytes ready to write (generating frames first); `EOS` once the
    /// output side is closed.
    pub fn pending(&mut self, mut conn: Option<&mut Connection>) -> isize {
        if self.st.head_closed {
            return EOS;
        }
        self.ensure_output();
        let size = self.output.len();
        let mut space = size as isize - self.output_pending as isize;
        if space <= 0 {
            let max = self.st.remote_max_frame as usize;
            let more = if max == 0 {
                size
            } else if max > size {
                size.min(max - size)
            } else {
                0
            };
            if more > 0 {
                self.output.resize(size + more, 0);
                space += more as isize;
            }
        }
        while space > 0 {
            let mut out = std::mem::take(&mut self.output);
            let at = self.output_pending;
            let n = {
                let mut io = Self::io(&mut self.tls, &mut self.tls_errors_seen, &mut self.scratch, conn.as_deref_mut());
                let n = io.output(&mut self.st, 0, &mut out[at..at + space as usize]);
                io.flush(&mut self.st);
                n
            };
            self.output = out;
            if n > 0 {
                space -= n;
                self.output_pending += n as usize;
            } else if n == 0 {
                break;
            } else {
                if self.output_pending > 0 {
                    break;
                }
                self.st.log_bits(pn_log_subsystem_t::PN_SUBSYSTEM_IO, FRAME_OR_RAW, "  -> EOS");
                self.close_head_only(conn);
                return n;
            }
        }
        self.output_pending as isize
    }

    /// Bytes encoded and waiting to be written: those `pending` offers and
    /// the frames behind them that did not fit its buffer yet.
    pub fn output_ready(&self) -> usize {
        self.output_pending + self.st.frame_pending()
    }

    /// The bytes to write (after `pending`).
    pub fn head(&self) -> &[u8] {
        &self.output[..self.output_pending]
    }

    /// `n` bytes were written.
    pub fn pop(&mut self, conn: Option<&mut Connection>, n: usize) {
        let n = n.min(self.output_pending);
        self.output_pending -= n;
        self.st.bytes_output += n as u64;
        if self.output_pending > 0 {
            self.output.copy_within(n..n + self.output_pending, 0);
        }
        if self.output_pending == 0 {
            self.pending(conn);
        }
    }

    fn close_head_only(&mut self, conn: Option<&mut Connection>) {
        if !self.st.head_closed {
            self.st.head_closed = true;
            let mut conn = conn;
            self.st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT_HEAD_CLOSED);
            self.maybe_post_closed(conn);
        }
    }

    /// No more output will be taken.
    pub fn close_head(&mut self, mut conn: Option<&mut Connection>) {
        let pending = self.pending(conn.as_deref_mut());
        self.close_head_only(conn.as_deref_mut());
        if pending > 0 {
            self.pop(conn, pending as usize);
        }
    }

    /// Nothing is left to write (or output is closed).
    pub fn quiesced(&mut self, conn: Option<&mut Connection>) -> bool {
        let p = self.pending(conn);
        if p > 0 {
            return false;
        }
        if p < 0 {
            return true;
        }
        // Bytes held inside the TLS layer are still to be written.
        !self.tls.as_ref().is_some_and(|t| self.st.slots[0] == Slot::Tls && t.buffered_output() > 0)
    }

    /// Both directions are closed.
    pub fn closed(&mut self, conn: Option<&mut Connection>) -> bool {
        let cap = self.capacity();
        let p = self.pending(conn);
        cap < 0 && p < 0
    }

    // ------------------------------------------------------------------
    // Time

    /// Process timers at `now` (milliseconds); returns the next deadline
    /// (0: none).
    pub fn tick(&mut self, conn: Option<&mut Connection>, now: i64) -> i64 {
        if self.st.has_slot(Slot::Amqp) && (self.st.in_layer == InLayer::Amqp || self.st.out_layer == OutLayer::Amqp) {
            let mut conn = conn;
            let expired = self.st.posted_idle_timeout;
            let next = amqp::tick(&mut self.st, conn.as_deref_mut(), now);
            if !expired && self.st.posted_idle_timeout {
                // The peer is considered gone: nothing more is read.
                self.close_tail_only(conn);
            }
            next
        } else {
            0
        }
    }

    // ------------------------------------------------------------------
    // Binding

    /// The transport was bound to `conn` (`pn_transport_bind`, after the
    /// connection side is done).
    pub fn bind(&mut self, conn: &mut Connection) {
        conn.bound();
        self.st.bound = true;
        // A user name (or authorization id) means SASL, with these
        // credentials, as in proton-c.
        let nonempty = |s: &Option<CString>| s.as_ref().is_some_and(|s| !s.as_bytes().is_empty());
        if nonempty(&conn.user) || nonempty(&conn.authzid) {
            let (user, authzid, password) = (conn.user.clone(), conn.authzid.clone(), conn.password.clone());
            self.sasl().set_user_password(user, authzid, password);
        }
        let host = conn.hostname.as_ref().filter(|h| !h.as_bytes().is_empty());
        if let (Some(h), Some(s)) = (host, self.st.sasl.as_mut()) {
            s.remote_fqdn = Some(h.clone());
        }
        if let (Some(h), Some(tls)) = (host, self.tls.as_mut()) {
            tls.connection_bound(&mut self.st, Some(h));
        }
        if self.st.open_rcvd {
            conn.ep.set_remote(crate::engine::REMOTE_ACTIVE);
            conn.put(EventType::PN_CONNECTION_REMOTE_OPEN, Ctx::Connection);
            self.st.halt = false;
        }
        // Input that arrived before the connection is processed now (its
        // end of stream, if any, is not reported).
        self.consume(Some(conn));
    }

    /// `pn_transport_unbind`'s protocol part.
    pub fn unbind(&mut self, conn: &mut Connection) {
        self.st.flush_events(conn);
        amqp::unbind(&mut self.st, conn);
        self.st.bound = false;
    }
}

/// The layers' view of the transport: everything but the shared state.
struct Io<'a> {
    conn: Option<&'a mut Connection>,
    tls: &'a mut Option<Box<dyn TransformLayer>>,
    tls_errors_seen: &'a mut u32,
    scratch: &'a mut Vec<crate::engine::EpRef>,
}

/// The layers above slot `at`, as a transforming layer sees them.
struct Above<'a, 'b> {
    io: &'b mut Io<'a>,
    at: usize,
}

impl Upper for Above<'_, '_> {
    fn input(&mut self, st: &mut TransportState, plain: &[u8]) -> isize {
        self.io.flush(st);
        self.io.input(st, self.at, plain)
    }

    fn output(&mut self, st: &mut TransportState, plain: &mut [u8]) -> isize {
        self.io.flush(st);
        self.io.output(st, self.at, plain)
    }
}

/// Choose the layers at the first input or output (`pn_io_layer_setup`).
fn setup(st: &mut TransportState, has_tls: bool) {
    let mut slots = [Slot::Error; SLOTS];
    if st.server {
        slots[0] = Slot::Autodetect;
    } else {
        let mut i = 0;
        if has_tls {
            slots[i] = Slot::Tls;
            i += 1;
        }
        if let Some(s) = st.sasl.as_mut() {
            s.client = true;
            slots[i] = Slot::Sasl;
            i += 1;
        }
        slots[i] = Slot::Amqp;
        st.in_layer = InLayer::Header;
        st.out_layer = OutLayer::Header;
    }
    st.slots = slots;
}

impl Io<'_> {
    /// Hand queued transport events to the connection.
    fn flush(&mut self, st: &mut TransportState) {
        if let Some(c) = self.conn.as_deref_mut() {
            st.flush_events(c);
        }
    }

    /// Tell the TLS layer of errors it has not heard of.
    fn tls_errors(&mut self, st: &mut TransportState, l: &mut dyn TransformLayer) {
        if *self.tls_errors_seen != st.error_count {
            *self.tls_errors_seen = st.error_count;
            l.handle_error(st);
        }
    }

    /// Input for the layer in slot `at` and those above it.
    fn input(&mut self, st: &mut TransportState, at: usize, bytes: &[u8]) -> isize {
        if at >= SLOTS {
            return EOS;
        }
        match st.slots[at] {
            Slot::Setup => {
                setup(st, self.tls.is_some());
                self.input(st, at, bytes)
            }
            Slot::Autodetect => self.autodetect(st, at, bytes),
            Slot::Tls => {
                // No TLS layer installed: proton's unconfigured TLS layer
                // ends both directions.
                let Some(mut l) = self.tls.take() else { return EOS };
                self.tls_errors(st, &mut *l);
                let r = l.input(st, bytes, &mut Above { io: self, at: at + 1 });
                *self.tls = Some(l);
                self.flush(st);
                r
            }
            Slot::Sasl => match sasl::input(st, self.conn.as_deref_mut(), bytes) {
                sasl::Step::Done(n) => n,
                sasl::Step::Passthru { done } => {
                    if done {
                        st.slots[at] = Slot::Passthru;
                    }
                    self.input(st, at + 1, bytes)
                }
            },
            Slot::Passthru => self.input(st, at + 1, bytes),
            Slot::Amqp => self.amqp_input(st, bytes),
            Slot::Error => EOS,
        }
    }

    /// Output from the layer in slot `at` and those above it.
    fn output(&mut self, st: &mut TransportState, at: usize, out: &mut [u8]) -> isize {
        if at >= SLOTS {
            return EOS;
        }
        match st.slots[at] {
            Slot::Setup => {
                setup(st, self.tls.is_some());
                self.output(st, at, out)
            }
            // Nothing is written until the peer's protocol is known.
            Slot::Autodetect => 0,
            Slot::Tls => {
                let Some(mut l) = self.tls.take() else { return EOS };
                self.tls_errors(st, &mut *l);
                let r = l.output(st, out, &mut Above { io: self, at: at + 1 });
                *self.tls = Some(l);
                self.flush(st);
                r
            }
            Slot::Sasl => match sasl::output(st, self.conn.as_deref_mut(), out) {
                sasl::Step::Done(n) => n,
                sasl::Step::Passthru { done } => {
                    if done {
                        st.slots[at] = Slot::Passthru;
                    }
                    self.output(st, at + 1, out)
                }
            },
            Slot::Passthru => self.output(st, at + 1, out),
            Slot::Amqp => self.amqp_output(st, out),
            Slot::Error => EOS,
        }
    }

    /// A server's protocol detection (`pn_io_layer_input_autodetect`).
    fn autodetect(&mut self, st: &mut TransportState, at: usize, bytes: &[u8]) -> isize {
        let eos = st.tail_closed;
        if eos && bytes.is_empty() {
            // Nothing was received, so nothing is sent back.
            st.set_error_layer();
            amqp::do_error(
                st,
                self.conn.as_deref_mut(),
                Some("amqp:connection:framing-error"),
                "No protocol header found (connection aborted)",
            );
            return EOS;
        }
        let p = framing::sniff(bytes);
        st.log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_DEBUG, &format!("{} detected", framing::protocol_name(p)));
        let next = (at + 1).min(SLOTS - 1);
        let error = match p {
            Protocol::Amqp if st.allowed_layers & LAYER_AMQP1 != 0 => {
                st.present_layers |= LAYER_AMQP1;
                st.allowed_layers = 0;
                let refusal = if st.auth_required && !st.authenticated {
                    Some("Client skipped authentication - forbidden")
                } else if st.encryption_required && !st.is_encrypted() {
                    Some("Client connection unencrypted - forbidden")
                } else {
                    None
                };
                if let Some(desc) = refusal {
                    // A policy refusal: nothing at all is written back (not
                    // even a header), as proton-c does.
                    st.set_error_layer();
                    amqp::do_error(st, self.conn.as_deref_mut(), Some("amqp:connection:policy-error"), desc);
                    return EOS;
                }
                st.slots[at] = Slot::Amqp;
                st.in_layer = InLayer::Header;
                st.out_layer = OutLayer::Header;
                return self.input(st, at, bytes);
            }
            Protocol::Amqp => "AMQP1.0 protocol header not allowed (maybe detected twice)",
            Protocol::Incomplete => {
                if !eos {
                    return 0;
                }
                "End of input stream before protocol detection"
            }
            Protocol::Tls if st.allowed_layers & LAYER_SSL != 0 => {
                st.present_layers |= LAYER_SSL;
                st.allowed_layers &= LAYER_AMQP1 | LAYER_AMQPSASL;
                st.slots[at] = Slot::Tls;
                st.slots[next] = Slot::Autodetect;
                return self.input(st, at, bytes);
            }
            Protocol::Tls => "SSL protocol header not allowed (maybe detected twice)",
            Protocol::AmqpTls if st.allowed_layers & LAYER_AMQPSSL != 0 => {
                st.present_layers |= LAYER_AMQPSSL;
                st.allowed_layers &= LAYER_AMQP1 | LAYER_AMQPSASL;
                st.slots[at] = Slot::Tls;
                st.slots[next] = Slot::Autodetect;
                return 8;
            }
            Protocol::AmqpTls => "AMQP SSL protocol header not allowed (maybe detected twice)",
            Protocol::Sasl if st.allowed_layers & LAYER_AMQPSASL != 0 => {
                st.present_layers |= LAYER_AMQPSASL;
                st.allowed_layers &= LAYER_AMQP1 | LAYER_AMQPSSL;
                sasl::server_detected(st);
                st.slots[at] = Slot::Sasl;
                st.slots[next] = Slot::Autodetect;
                return 8;
            }
            Protocol::Sasl => "AMQP SASL protocol header not allowed (maybe detected twice)",
            Protocol::AmqpOther => "Incompatible AMQP connection detected",
            Protocol::Unknown => "Unknown protocol detected",
        };
        // The header-error layer: input ends, output is an AMQP header and
        // the error.
        st.slots[at] = Slot::Amqp;
        st.in_layer = InLayer::Error;
        st.out_layer = OutLayer::Header;
        let msg = format!("{}: '{}'{}", error, quote(bytes, 1024).0, if eos { " (connection aborted)" } else { "" });
        amqp::do_error(st, self.conn.as_deref_mut(), Some("amqp:connection:framing-error"), &msg);
        EOS_QUIET
    }

    fn amqp_input(&mut self, st: &mut TransportState, bytes: &[u8]) -> isize {
        let eos = st.tail_closed;
        let conn = self.conn.as_deref_mut();
        match st.in_layer {
            InLayer::Header => {
                let p = framing::sniff(bytes);
                if p == Protocol::Amqp {
                    st.in_layer = InLayer::Amqp;
                    st.present_layers |= LAYER_AMQP1;
                    if st.logs_frames() {
                        st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, "  <- AMQP");
                    }
                    return 8;
                }
                if p == Protocol::Incomplete && !eos {
                    return 0;
                }
                if eos && bytes.is_empty() && st.condition.is_set() {
                    // The stream ended before any header, and the application
                    // already said why (e.g. the proactor's connect error):
                    // proton-c keeps that condition as it is.
                    amqp::do_error(st, conn, None, "");
                    st.in_layer = InLayer::Error;
                    return EOS;
                }
                let msg = if eos && bytes.is_empty() {
                    "Expected AMQP protocol header: no protocol header found (connection aborted)".to_string()
                } else {
                    format!(
                        "Expected AMQP protocol header got: {} ['{}']{}",
                        framing::protocol_name(p),
                        quote(bytes, 1024).0,
                        if eos { " (connection aborted)" } else { "" }
                    )
                };
                amqp::do_error(st, conn, Some("amqp:connection:framing-error"), &msg);
                st.in_layer = InLayer::Error;
                EOS
            }
            InLayer::Amqp => amqp::input(st, conn, bytes),
            InLayer::Error => EOS,
        }
    }

    fn amqp_output(&mut self, st: &mut TransportState, out: &mut [u8]) -> isize {
        match st.out_layer {
            OutLayer::Closed => EOS,
            OutLayer::Header => {
                if out.len() < 8 {
                    return 0;
                }
                if st.logs_frames() {
                    st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, "  -> AMQP");
                }
                out[..8].copy_from_slice(&framing::AMQP_HEADER);
                st.out_layer = OutLayer::Amqp;
                if st.condition.is_set() && !st.close_sent {
                    // An error from before anything was written goes out
                    // right after the header.
                    let name = st.condition.name().map(<[u8]>::to_vec);
                    let desc = st.condition.description().map(<[u8]>::to_vec);
                    amqp::post_error_frames(st, name.as_deref(), desc.as_deref());
                    st.halt = true;
                }
                8
            }
            OutLayer::Amqp => {
                if let Some(c) = self.conn.as_deref_mut() {
                    // Nothing follows a close on the wire.
                    if !st.done_processing && !st.close_sent {
                        if let Err(e) = amqp::process(st, c, self.scratch) {
                            st.log_app(&format!("process error {e}"));
                            st.done_processing = true;
                        }
                    }
                }
                let avail = st.frame_pending();
                if avail == 0 && st.close_sent {
                    return EOS;
                }
                let n = avail.min(out.len());
                let start = st.frame_start;
                out[..n].copy_from_slice(&st.frame[start..start + n]);
                st.frame_start += n;
                if st.frame_start == st.frame.len() {
                    st.frame.clear();
                    st.frame_start = 0;
                }
                n as isize
            }
        }
    }
}

/// proton's `pn_quote_data`: printable ASCII as is (but `"`, `'` and `\`),
/// other bytes as `\xNN`;
/// at most `cap - 1` characters. Returns the text and whether it was cut.
pub fn quote(bytes: &[u8], cap: usize) -> (String, bool) {
    let mut s = String::new();
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\'' && b != b'\\' {
            if s.len() + 1 > cap - 1 {
                return (s, true);
            }
            s.push(b as char);
        } else {
            if s.len() + 4 > cap - 1 {
                return (s, true);
            }
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    (s, false)
}

/// Buffers of [`INITIAL_BUFFER_SIZE`] that transports parked, kept per
/// thread (a few, so a busy thread reuses them instead of allocating).
mod spare_buffers {
    use super::INITIAL_BUFFER_SIZE;
    use std::cell::RefCell;

    /// At most this many are kept per thread.
    const LIMIT: usize = 16;

    thread_local! {
        static SPARE: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    }

    /// A buffer of [`INITIAL_BUFFER_SIZE`] bytes (its contents are
    /// whatever was last in it: users write before they read).
    pub fn take() -> Vec<u8> {
        SPARE
            .try_with(|s| s.borrow_mut().pop())
            .ok()
            .flatten()
            .unwrap_or_else(|| vec![0; INITIAL_BUFFER_SIZE])
    }

    /// Keep `b` (of the usual size) for reuse if there is room.
    pub fn give(b: Vec<u8>) {
        debug_assert_eq!(b.len(), INITIAL_BUFFER_SIZE);
        let _ = SPARE.try_with(|s| {
            let mut s = s.borrow_mut();
            if s.len() < LIMIT {
                s.push(b);
            }
        });
    }
}
