//! The transport: the protocol engine between a [`Connection`] and a byte
//! stream (`pn_transport_t`). Sans-IO: the application pushes the bytes it
//! read ([`Transport::capacity`], [`Transport::tail`],
//! [`Transport::process`]), takes the bytes to write
//! ([`Transport::pending`], [`Transport::head`], [`Transport::pop`]), tells
//! it when the stream ends ([`Transport::close_tail`],
//! [`Transport::close_head`]) and what time it is ([`Transport::tick`]).
//!
//! Layers: the protocol header exchange (with autodetection of the peer's
//! header on servers), then AMQP frames ([`amqp`]). A security layer (SASL,
//! TLS) can be put in front through [`SecurityLayer`]; without one, the
//! transport speaks plain AMQP as proton-c does when SASL is not used.
//!
//! Buffers grow as proton's do (input from 8 KiB up to the local max-frame,
//! output up to the peer's), because applications see their sizes.

pub mod amqp;

use std::collections::BTreeMap;
use std::ffi::CString;

use crate::engine::{Connection, Ctx, EventType, SessionId};
use crate::ffi::logger::{Logger, pn_log_level_t, pn_log_subsystem_t};
use crate::ffi::store::{CondBox, DataBox};
use crate::framing::{self, Protocol};

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

/// What a layer did with the bytes it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerIo {
    /// Used (input) or wrote (output) this many bytes; 0: nothing now.
    Bytes(usize),
    /// This direction is finished.
    Eos,
}

/// A layer in front of AMQP that negotiates or transforms (SASL, TLS),
/// for the engineers adding them: the transport gives it the input bytes
/// before AMQP sees them and asks it for output before AMQP's; once
/// `done`, it steps aside and AMQP runs. (Not used yet: without one the
/// transport speaks plain AMQP, as proton-c does when SASL is not used.)
pub trait SecurityLayer {
    fn input(&mut self, t: &mut TransportState, bytes: &[u8]) -> LayerIo;
    fn output(&mut self, t: &mut TransportState, out: &mut [u8]) -> LayerIo;
    fn done(&self) -> bool;
}

/// Where the input side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InLayer {
    /// A server waiting for the first bytes to choose a protocol.
    Autodetect,
    /// Expecting the AMQP protocol header.
    Header,
    /// Reading AMQP frames.
    Amqp,
    /// Input refused after a protocol error.
    Error,
}

/// Where the output side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutLayer {
    /// A server that writes nothing until it knows the peer's protocol.
    Autodetect,
    /// The AMQP protocol header is next.
    Header,
    /// AMQP frames.
    Amqp,
    /// Nothing more will be written.
    Closed,
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
    pub encrypted: bool,
    pub remote_container: Option<CString>,
    pub remote_hostname: Option<CString>,
    pub remote_offered_capabilities: DataBox,
    pub remote_desired_capabilities: DataBox,
    pub remote_properties: DataBox,
    pub condition: CondBox,
    pub remote_condition: CondBox,
    pub local_channels: BTreeMap<u16, SessionId>,
    pub remote_channels: BTreeMap<u16, SessionId>,
    pub in_layer: InLayer,
    pub out_layer: OutLayer,
    /// Encoded frames not yet copied to the output buffer.
    pub frame: Vec<u8>,
    pub frame_start: usize,
    /// Events about the transport itself, for the connection's collector.
    pub events: Vec<EventType>,
}

/// A transport.
pub struct Transport {
    pub st: TransportState,
    pub security: Option<Box<dyn SecurityLayer>>,
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

    pub(crate) fn put(&mut self, conn: Option<&mut Connection>, ty: EventType) {
        if let Some(c) = conn {
            c.put(ty, Ctx::Transport);
        }
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
                encrypted: false,
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
            security: None,
            input: vec![0; INITIAL_BUFFER_SIZE],
            input_pending: 0,
            output: vec![0; INITIAL_BUFFER_SIZE],
            output_pending: 0,
            scratch: Vec::new(),
        }
    }

    /// Act as the server end (detect the client's protocol header).
    pub fn set_server(&mut self) {
        self.st.server = true;
        self.st.in_layer = InLayer::Autodetect;
        self.st.out_layer = OutLayer::Autodetect;
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

    // ------------------------------------------------------------------
    // Input

    /// Room for input, growing the buffer if allowed; `EOS` once the input
    /// side is closed.
    pub fn capacity(&mut self) -> isize {
        if self.st.tail_closed {
            return EOS;
        }
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

    /// Where to put input (after `capacity`).
    pub fn tail(&mut self) -> &mut [u8] {
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
        if !self.st.tail_closed {
            self.st.tail_closed = true;
            let mut conn = conn;
            self.st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT_TAIL_CLOSED);
            self.maybe_post_closed(conn);
        }
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
            let n = self.layer_input(conn.as_deref_mut(), &input[consumed..consumed + self.input_pending]);
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

    fn layer_input(&mut self, mut conn: Option<&mut Connection>, bytes: &[u8]) -> isize {
        let eos = self.st.tail_closed;
        match self.st.in_layer {
            InLayer::Autodetect => {
                if eos && bytes.is_empty() {
                    // Nothing was received, so nothing is sent back.
                    self.st.in_layer = InLayer::Error;
                    self.st.out_layer = OutLayer::Closed;
                    amqp::do_error(
                        &mut self.st,
                        conn,
                        Some("amqp:connection:framing-error"),
                        "No protocol header found (connection aborted)",
                    );
                    return EOS;
                }
                let p = framing::sniff(bytes);
                self.st.log(
                    pn_log_subsystem_t::PN_SUBSYSTEM_IO,
                    pn_log_level_t::PN_LEVEL_DEBUG,
                    &format!("{} detected", framing::protocol_name(p)),
                );
                let error = match p {
                    Protocol::Amqp => {
                        let refusal = if self.st.auth_required && !self.st.authenticated {
                            Some("Client skipped authentication - forbidden")
                        } else if self.st.encryption_required && !self.st.encrypted {
                            Some("Client connection unencrypted - forbidden")
                        } else {
                            None
                        };
                        if let Some(desc) = refusal {
                            // A policy refusal: nothing at all is written
                            // back (not even a header), as proton-c does.
                            self.st.in_layer = InLayer::Error;
                            self.st.out_layer = OutLayer::Closed;
                            amqp::do_error(&mut self.st, conn, Some("amqp:connection:policy-error"), desc);
                            return EOS;
                        }
                        self.st.in_layer = InLayer::Header;
                        self.st.out_layer = OutLayer::Header;
                        return self.layer_input(conn, bytes);
                    }
                    Protocol::Incomplete => {
                        if !eos {
                            return 0;
                        }
                        "End of input stream before protocol detection"
                    }
                    Protocol::Tls | Protocol::AmqpTls => {
                        // TLS needs a security layer; without one (none is
                        // configured) both directions just end, as proton's
                        // unconfigured TLS layer does.
                        self.st.in_layer = InLayer::Error;
                        self.st.out_layer = OutLayer::Closed;
                        return EOS;
                    }
                    Protocol::Sasl | Protocol::AmqpOther => "Incompatible AMQP connection detected",
                    Protocol::Unknown => "Unknown protocol detected",
                };
                self.st.in_layer = InLayer::Error;
                self.st.out_layer = OutLayer::Header;
                let msg = format!("{}: '{}'{}", error, quote(bytes, 1024).0, if eos { " (connection aborted)" } else { "" });
                amqp::do_error(&mut self.st, conn, Some("amqp:connection:framing-error"), &msg);
                EOS_QUIET
            }
            InLayer::Header => {
                let p = framing::sniff(bytes);
                if p == Protocol::Amqp {
                    self.st.in_layer = InLayer::Amqp;
                    if self.st.logs_frames() {
                        self.st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, "  <- AMQP");
                    }
                    return 8;
                }
                if p == Protocol::Incomplete && !eos {
                    return 0;
                }
                let name = framing::protocol_name(p);
                let msg = format!(
                    "Expected AMQP protocol header got: {} ['{}']{}",
                    name,
                    quote(bytes, 1024).0,
                    if eos { " (connection aborted)" } else { "" }
                );
                amqp::do_error(&mut self.st, conn.as_deref_mut(), Some("amqp:connection:framing-error"), &msg);
                self.st.in_layer = InLayer::Error;
                EOS
            }
            InLayer::Amqp => amqp::input(&mut self.st, conn, bytes),
            InLayer::Error => EOS,
        }
    }

    // ------------------------------------------------------------------
    // Output

    /// Bytes ready to write (generating frames first); `EOS` once the
    /// output side is closed.
    pub fn pending(&mut self, mut conn: Option<&mut Connection>) -> isize {
        if self.st.head_closed {
            return EOS;
        }
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
            let n = self.layer_output(conn.as_deref_mut(), &mut out[at..at + space as usize]);
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

    fn layer_output(&mut self, conn: Option<&mut Connection>, out: &mut [u8]) -> isize {
        match self.st.out_layer {
            OutLayer::Autodetect => 0,
            OutLayer::Closed => EOS,
            OutLayer::Header => {
                if out.len() < 8 {
                    return 0;
                }
                if self.st.logs_frames() {
                    self.st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, "  -> AMQP");
                }
                out[..8].copy_from_slice(&framing::AMQP_HEADER);
                self.st.out_layer = OutLayer::Amqp;
                if self.st.condition.is_set() && !self.st.close_sent {
                    // An error from before anything was written goes out
                    // right after the header.
                    let name = self.st.condition.name().map(<[u8]>::to_vec);
                    let desc = self.st.condition.description().map(<[u8]>::to_vec);
                    amqp::post_error_frames(&mut self.st, name.as_deref(), desc.as_deref());
                    self.st.halt = true;
                }
                let _ = conn;
                8
            }
            OutLayer::Amqp => {
                if let Some(c) = conn {
                    // Nothing follows a close on the wire.
                    if !self.st.done_processing && !self.st.close_sent {
                        if let Err(e) = amqp::process(&mut self.st, c, &mut self.scratch) {
                            self.st.log_app(&format!("process error {e}"));
                            self.st.done_processing = true;
                        }
                    }
                }
                let avail = self.st.frame_pending();
                if avail == 0 && self.st.close_sent {
                    return EOS;
                }
                let n = avail.min(out.len());
                let start = self.st.frame_start;
                out[..n].copy_from_slice(&self.st.frame[start..start + n]);
                self.st.frame_start += n;
                if self.st.frame_start == self.st.frame.len() {
                    self.st.frame.clear();
                    self.st.frame_start = 0;
                }
                n as isize
            }
        }
    }

    /// Nothing is left to write (or output is closed).
    pub fn quiesced(&mut self, conn: Option<&mut Connection>) -> bool {
        let p = self.pending(conn);
        p <= 0
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
        if self.st.in_layer == InLayer::Amqp || self.st.out_layer == OutLayer::Amqp {
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
        amqp::unbind(&mut self.st, conn);
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
