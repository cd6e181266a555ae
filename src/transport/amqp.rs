//! The AMQP layer: incoming frames change the endpoint model, and the
//! endpoint model's changes become outgoing frames.
//!
//! Output follows proton-c 0.37's processing of the transport's list of
//! modified endpoints, in phases: connection open, session begin, link
//! attach, receiver flow, delivery work (twice), pending dispositions,
//! sender flow (drain), link detach, session end, connection close. The
//! order of frames on the wire, and which frames there are, follow from it.

use std::fmt::Write as _;

use super::{EOS, TransportState};
use crate::codec::{Data, Decoder, Encoder};
use crate::engine::*;
use crate::ffi::logger::{pn_log_level_t, pn_log_subsystem_t};
use crate::framing::{self, AMQP_FRAME_TYPE, FrameError, SASL_FRAME_TYPE};
use crate::protocol::{FieldReader, Fields, spec, write_error};

/// A handle as proton tests it (a signed 32-bit number: -1 none yet, -2
/// unmapped, and handles from 2^31 up count as negative too).
fn h32(h: i64) -> i32 {
    if h < 0 { h as i32 } else { h as u32 as i32 }
}

/// A channel as proton tests it (signed 16 bits, as for handles).
fn c16(c: i32) -> i16 {
    if c < 0 { c as i16 } else { c as u16 as i16 }
}

/// An error that stops frame processing (proton's negative codes).
pub type Err = i32;
const PN_ERR: Err = -2;

// ---------------------------------------------------------------------------
// Errors

/// Close the connection with an error (`pn_do_error`): open (if not sent)
/// and close frames are queued, input stops, the transport's condition is
/// set and `PN_TRANSPORT_ERROR` is posted. With no condition name, the
/// transport's current condition is sent.
pub fn do_error(st: &mut TransportState, mut conn: Option<&mut Connection>, condition: Option<&str>, description: &str) -> Err {
    // proton formats the description into 1024 bytes.
    let mut cut = description.len().min(1023);
    while !description.is_char_boundary(cut) {
        cut -= 1;
    }
    let description = &description[..cut];
    let (name, desc): (Option<Vec<u8>>, Option<Vec<u8>>) = match condition {
        Some(n) => (Some(n.as_bytes().to_vec()), Some(description.as_bytes().to_vec())),
        None => (st.condition.name().map(<[u8]>::to_vec), st.condition.description().map(<[u8]>::to_vec)),
    };
    if let Some(n) = condition {
        st.log(
            pn_log_subsystem_t::PN_SUBSYSTEM_AMQP,
            pn_log_level_t::PN_LEVEL_ERROR,
            &format!("{n} {description}"),
        );
    }
    // Every layer hears of the error, nearest the wire first: a SASL layer
    // stops all output (so AMQP queues no frames), a TLS layer is told at
    // its next call, AMQP queues its open and close frames.
    st.error_count = st.error_count.wrapping_add(1);
    if st.has_slot(super::layer::Slot::Sasl) {
        super::sasl::handle_error(st);
    }
    post_error_frames(st, name.as_deref(), desc.as_deref());
    st.halt = true;
    if let Some(n) = condition {
        if st.condition.is_set() {
            // A later error keeps the first name and adds to its
            // description (or supplies one when there was none).
            let name = st.condition.name().map(<[u8]>::to_vec);
            let d = match st.condition.description() {
                Some(old) => {
                    let mut d = old.to_vec();
                    d.extend_from_slice(format!(" ({description})").as_bytes());
                    d
                }
                None => description.as_bytes().to_vec(),
            };
            st.condition.set(name.as_deref(), Some(&d));
        } else {
            st.condition.set(Some(n.as_bytes()), Some(description.as_bytes()));
        }
    }
    st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT_ERROR);
    st.close_tail_now(conn);
    PN_ERR
}

/// Queue an open (unless sent) and a close carrying an error, once. Before
/// the protocol header is written nothing is queued: the header's writing
/// sends them (the condition is set by then).
pub fn post_error_frames(st: &mut TransportState, name: Option<&[u8]>, desc: Option<&[u8]>) {
    if st.close_sent || st.out_layer != super::OutLayer::Amqp {
        return;
    }
    if !st.open_sent {
        post_frame(st, 0, &[], |e| {
            let mut f = Fields::begin(e, spec::open::DESCRIPTOR);
            f.string(Some(b""));
            f.finish();
        });
        st.open_sent = true;
    }
    post_frame(st, 0, &[], |e| {
        let mut f = Fields::begin(e, spec::close::DESCRIPTOR);
        if let Some(n) = name {
            write_error(&mut f, n, desc, None, true);
        }
        f.finish();
    });
    st.close_sent = true;
}

// ---------------------------------------------------------------------------
// Frame output

/// Queue a frame whose performative `body` writes, followed by `payload`.
pub fn post_frame(st: &mut TransportState, channel: u16, payload: &[u8], body: impl FnOnce(&mut Encoder)) {
    post_typed_frame(st, AMQP_FRAME_TYPE, channel, payload, body);
}

/// Queue a SASL frame: `@code [fields]` with the fields `body` writes.
pub fn post_sasl_frame(st: &mut TransportState, body: impl FnOnce(&mut Fields<'_, '_>), code: u64) {
    post_typed_frame(st, SASL_FRAME_TYPE, 0, &[], |e| {
        let mut f = Fields::begin(e, code);
        body(&mut f);
        f.finish();
    });
}

fn post_typed_frame(st: &mut TransportState, frame_type: u8, channel: u16, payload: &[u8], body: impl FnOnce(&mut Encoder)) {
    let at = framing::begin_frame(&mut st.frame);
    body(&mut Encoder::new(&mut st.frame));
    if st.logs_frames() {
        let perf = st.frame[at + 8..].to_vec();
        trace(st, channel, "->", &perf, payload);
    }
    st.frame.extend_from_slice(payload);
    framing::finish_frame(&mut st.frame, at, frame_type, channel);
    st.frames_output += 1;
    log_raw(st, at);
}

/// With raw tracing, log as many bytes as the frame just written has, from
/// the start of the pending output (proton-c 0.37's exact behaviour).
fn log_raw(st: &TransportState, at: usize) {
    if st.logger.would_log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_RAW) {
        let size = st.frame.len() - at;
        let start = st.frame_start;
        let end = (start + size).min(st.frame.len());
        let (q, _) = super::quote(&st.frame[start..end], usize::MAX);
        st.log(pn_log_subsystem_t::PN_SUBSYSTEM_IO, pn_log_level_t::PN_LEVEL_RAW, &format!("\"{q}\""));
    }
}

/// Log a frame as proton does: `CH -> @name(code) [fields] (size) payload`.
fn trace(st: &TransportState, channel: u16, dir: &str, perf: &[u8], payload: &[u8]) {
    let mut line = format!("{channel} {dir} ");
    if perf.is_empty() {
        line.push_str("(EMPTY FRAME)");
    } else {
        line.push_str(&crate::protocol::dump::performative(perf));
    }
    if !payload.is_empty() {
        let (q, cut) = super::quote(payload, 512);
        let _ = write!(line, " ({}) {}{}", payload.len(), q, if cut { " ... (truncated)" } else { "" });
    }
    st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, &line);
}

/// Name, description and info of a condition.
type ErrorParts<'a> = (&'a [u8], Option<&'a [u8]>, Option<&'a Data>);

/// The value of an `error` field from a condition.
fn error_parts(c: &crate::ffi::store::CondBox) -> Option<ErrorParts<'_>> {
    if c.is_set() { Some((c.name().unwrap_or_default(), c.description(), c.info())) } else { None }
}

// ---------------------------------------------------------------------------
// Input

/// Read AMQP frames (`pn_input_read_amqp`).
pub fn input(st: &mut TransportState, mut conn: Option<&mut Connection>, bytes: &[u8]) -> isize {
    if st.close_rcvd && !bytes.is_empty() {
        do_error(st, conn, Some("amqp:connection:framing-error"), "data after close");
        return EOS;
    }
    if !st.close_rcvd && bytes.is_empty() {
        do_error(st, conn, Some("amqp:connection:framing-error"), "connection aborted");
        return EOS;
    }
    let mut read = 0usize;
    while read < bytes.len() && !st.halt {
        match framing::read_frame(&bytes[read..], st.local_max_frame) {
            Ok(Some((frame, n))) => {
                read += n;
                st.frames_input += 1;
                if let Err(e) = dispatch(st, conn.as_deref_mut(), frame.frame_type, frame.channel, frame.body, false) {
                    let _ = e;
                    return EOS;
                }
            }
            Ok(None) => break,
            Err(FrameError::TooLarge) | Err(FrameError::BadOffset) => {
                do_error(st, conn, Some("amqp:connection:framing-error"), "malformed frame");
                return EOS;
            }
        }
    }
    if st.close_rcvd { EOS } else { read as isize }
}

/// Read one SASL frame (the SASL layer reads a frame per call, as
/// proton's does); the bytes used, or a negative value when input must
/// stop.
pub fn input_sasl(st: &mut TransportState, conn: Option<&mut Connection>, bytes: &[u8]) -> isize {
    if bytes.is_empty() || st.halt {
        return 0;
    }
    match framing::read_frame(bytes, st.local_max_frame) {
        Ok(Some((frame, n))) => {
            st.frames_input += 1;
            match dispatch(st, conn, frame.frame_type, frame.channel, frame.body, true) {
                Ok(()) => n as isize,
                Err(e) => e as isize,
            }
        }
        Ok(None) => 0,
        Err(_) => {
            do_error(st, conn, Some("amqp:connection:framing-error"), "malformed frame");
            EOS
        }
    }
}

/// A SASL frame in the SASL layer.
fn dispatch_sasl(st: &mut TransportState, conn: Option<&mut Connection>, code: u64, value: &[u8]) -> bool {
    use super::sasl;
    let mut a = FieldReader::of(value);
    match code {
        sasl::SASL_INIT => {
            let mech = a.symbol();
            let recv = a.binary();
            sasl::do_init(st, conn, mech, recv)
        }
        sasl::SASL_MECHANISMS => {
            // An array of symbols, or a single symbol.
            let mut mechs: Vec<&[u8]> = Vec::new();
            if let Some(raw) = a.raw() {
                let mut d = Decoder::new(raw);
                if let Ok(mut arr) = d.read_array() {
                    while let Ok(Some(atom)) = arr.next_atom() {
                        if let crate::codec::Atom::Symbol(m) = atom {
                            mechs.push(m);
                        }
                    }
                } else if let Ok(m) = Decoder::new(raw).read_symbol() {
                    mechs.push(m);
                }
            }
            sasl::do_mechanisms(st, conn, &mechs)
        }
        sasl::SASL_CHALLENGE => {
            let recv = a.binary();
            sasl::do_challenge(st, conn, recv)
        }
        sasl::SASL_RESPONSE => {
            let recv = a.binary();
            sasl::do_response(st, conn, recv)
        }
        sasl::SASL_OUTCOME => {
            // A missing code is a failure (not success, as a zero would be).
            let code = a.ubyte().unwrap_or(sasl::OUTCOME_PERM as u8);
            let recv = a.binary();
            sasl::do_outcome(st, conn, code, recv)
        }
        _ => false,
    }
}

fn dispatch(
    st: &mut TransportState,
    conn: Option<&mut Connection>,
    frame_type: u8,
    channel: u16,
    body: &[u8],
    sasl_layer: bool,
) -> Result<(), Err> {
    if body.is_empty() {
        if st.logs_frames() {
            st.log(
                pn_log_subsystem_t::PN_SUBSYSTEM_AMQP,
                pn_log_level_t::PN_LEVEL_FRAME,
                &format!("{channel} <- (EMPTY FRAME)"),
            );
        }
        return Ok(());
    }
    let perf_len = crate::protocol::value_len(body);
    if st.logs_frames() {
        let n = perf_len.unwrap_or(body.len());
        trace(st, channel, "<-", &body[..n], &body[n..]);
    }
    // What proton cannot dispatch ends the input, without an error: a body
    // that is not one value, not described by a numeric code, of another
    // frame type, or an unknown performative.
    let Some(n) = perf_len else { return Err(PN_ERR) };
    if body[0] != 0x00 {
        return Err(PN_ERR);
    }
    let (code, dlen) = match body.get(1) {
        Some(0x53) if n >= 3 => (body[2] as u64, 2),
        Some(0x80) if n >= 10 => (u64::from_be_bytes(body[2..10].try_into().unwrap_or([0; 8])), 9),
        _ => return Err(PN_ERR),
    };
    let value = &body[1 + dlen..n];
    let payload = &body[n..];
    if value.first() == Some(&0x00) {
        return Err(PN_ERR);
    }
    if sasl_layer {
        if frame_type == SASL_FRAME_TYPE {
            return if dispatch_sasl(st, conn, code, value) { Ok(()) } else { Err(PN_ERR) };
        }
        if frame_type == AMQP_FRAME_TYPE && (spec::open::DESCRIPTOR..=spec::close::DESCRIPTOR).contains(&code) {
            // proton-c would act on it, before authentication.
            return Err(do_error(
                st,
                conn,
                Some("amqp:connection:framing-error"),
                "AMQP frame received during SASL negotiation",
            ));
        }
        return Err(PN_ERR);
    }
    if frame_type != AMQP_FRAME_TYPE {
        return Err(PN_ERR);
    }
    let mut args = FieldReader::of(value);
    let Some(conn) = conn else {
        // No connection: proton stops (halts) until one is bound.
        st.halt = true;
        return Ok(());
    };
    let r = match code {
        spec::open::DESCRIPTOR => do_open(st, conn, &mut args),
        spec::begin::DESCRIPTOR => do_begin(st, conn, channel, &mut args),
        spec::attach::DESCRIPTOR => do_attach(st, conn, channel, value, &mut args),
        spec::flow::DESCRIPTOR => do_flow(st, conn, channel, &mut args),
        spec::transfer::DESCRIPTOR => do_transfer(st, conn, channel, &mut args, payload),
        spec::disposition::DESCRIPTOR => do_disposition(st, conn, channel, &mut args),
        spec::detach::DESCRIPTOR => do_detach(st, conn, channel, &mut args),
        spec::end::DESCRIPTOR => do_end(st, conn, channel, &mut args),
        spec::close::DESCRIPTOR => do_close(st, conn, &mut args),
        _ => return Err(PN_ERR),
    };
    match r {
        Ok(()) => Ok(()),
        Err(Fail::Decode) => Err(PN_ERR),
        Err(Fail::Error(name, desc)) => Err(do_error(st, Some(conn), Some(name), &desc)),
    }
}

/// Why a frame was refused.
enum Fail {
    /// Not a valid performative.
    Decode,
    /// A protocol error: condition name and description.
    Error(&'static str, String),
}

impl From<crate::codec::CodecError> for Fail {
    fn from(_: crate::codec::CodecError) -> Fail {
        Fail::Decode
    }
}

type R = Result<(), Fail>;

/// Read an error field into `cond` (cleared when absent).
fn scan_error(args: &mut FieldReader<'_>, cond: &mut crate::ffi::store::CondBox) -> R {
    cond.clear();
    let Some(raw) = args.raw() else { return Ok(()) };
    let mut d = Decoder::new(raw);
    let Ok((_, mut f)) = FieldReader::described(&mut d) else { return Ok(()) };
    let name = f.symbol();
    let desc = f.string();
    cond.set(name, desc);
    if let Some(info) = f.raw() {
        let data = cond.info_mut();
        data.clear();
        if data.decode(info).is_err() {
            data.clear();
        }
    }
    Ok(())
}

fn do_open(st: &mut TransportState, conn: &mut Connection, a: &mut FieldReader<'_>) -> R {
    let container = a.string();
    let hostname = a.string();
    let max_frame = a.uint();
    let channel_max = a.ushort();
    let idle = a.uint();
    a.skip();
    a.skip();
    a.data(st.remote_offered_capabilities.get_mut());
    a.data(st.remote_desired_capabilities.get_mut());
    a.data(st.remote_properties.get_mut());
    st.remote_idle_timeout = idle.unwrap_or(0);
    st.remote_channel_max = channel_max.unwrap_or(u16::MAX);
    st.remote_max_frame = max_frame.unwrap_or(u32::MAX);
    if st.remote_max_frame > 0 && st.remote_max_frame < framing::MIN_MAX_FRAME_SIZE {
        st.logger.log(
            pn_log_subsystem_t::PN_SUBSYSTEM_AMQP as i32,
            pn_log_level_t::PN_LEVEL_WARNING as i32,
            &format!("Peer advertised bad max-frame ({}), forcing to {}", st.remote_max_frame, framing::MIN_MAX_FRAME_SIZE),
        );
        st.remote_max_frame = framing::MIN_MAX_FRAME_SIZE;
    }
    st.remote_container = container.map(crate::ffi::error::to_cstring_nul);
    st.remote_hostname = hostname.map(crate::ffi::error::to_cstring_nul);
    conn.ep.set_remote(REMOTE_ACTIVE);
    conn.put(EventType::PN_CONNECTION_REMOTE_OPEN, Ctx::Connection);
    if st.remote_idle_timeout != 0 && conn.bound {
        // The application's clock now matters (heartbeats are due).
        conn.put(EventType::PN_TRANSPORT, Ctx::Transport);
    }
    st.open_rcvd = true;
    st.calculate_channel_max();
    Ok(())
}

fn do_begin(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>) -> R {
    let remote_channel = a.ushort();
    let next = a.uint().unwrap_or(0);
    if channel > st.channel_max {
        return Err(Fail::Error(
            "amqp:connection:framing-error",
            format!("remote channel {} is above negotiated channel_max {}.", channel, st.channel_max),
        ));
    }
    let ssn = match remote_channel {
        Some(rc) => match st.local_channels.get(&rc) {
            Some(&s) => s,
            None => {
                return Err(Fail::Error("amqp:invalid-field", format!("begin reply to unknown channel {rc}.")));
            }
        },
        None => conn.new_session(0),
    };
    conn.sessions[ssn].incoming_transfer_count = next;
    map_remote_channel(st, conn, ssn, channel);
    conn.sessions[ssn].ep.set_remote(REMOTE_ACTIVE);
    conn.put(EventType::PN_SESSION_REMOTE_OPEN, Ctx::Session(ssn));
    Ok(())
}

fn map_remote_channel(st: &mut TransportState, conn: &mut Connection, s: SessionId, channel: u16) {
    st.remote_channels.insert(channel, s);
    conn.sessions[s].remote_channel = channel as i32;
    conn.ep_incref(EpRef::Session(s));
}

fn channel_state(st: &TransportState, channel: u16) -> Result<SessionId, Fail> {
    st.remote_channels
        .get(&channel)
        .copied()
        .ok_or_else(|| Fail::Error("amqp:not-allowed", format!("no such channel: {channel}")))
}

fn handle_state(conn: &Connection, s: SessionId, handle: u32) -> Result<LinkId, Fail> {
    conn.sessions[s]
        .remote_handles
        .get(&handle)
        .copied()
        .ok_or_else(|| Fail::Error("amqp:not-allowed", format!("no such handle: {handle}")))
}

fn expiry_from(sym: Option<&[u8]>) -> Option<i32> {
    Some(match sym? {
        b"link-detach" => EXPIRE_WITH_LINK,
        b"session-end" => EXPIRE_WITH_SESSION,
        b"connection-close" => EXPIRE_WITH_CONNECTION,
        b"never" => EXPIRE_NEVER,
        _ => return None,
    })
}

fn expiry_symbol(t: &Terminus) -> Option<&'static [u8]> {
    if !t.has_expiry_policy {
        return None;
    }
    Some(match t.expiry_policy {
        EXPIRE_WITH_LINK => b"link-detach",
        EXPIRE_WITH_SESSION => b"session-end",
        EXPIRE_WITH_CONNECTION => b"connection-close",
        EXPIRE_NEVER => b"never",
        _ => return None,
    })
}

fn dist_symbol(mode: i32) -> Option<&'static [u8]> {
    match mode {
        DIST_MODE_COPY => Some(b"copy"),
        DIST_MODE_MOVE => Some(b"move"),
        _ => None,
    }
}

/// Read a source or target into `t`; returns whether it names a node
/// (an address, or dynamic) and the descriptor code.
fn read_terminus(raw: Option<&[u8]>, t: &mut Terminus, is_source: bool) -> Result<u64, Fail> {
    t.properties.clear();
    t.capabilities.clear();
    t.outcomes.clear();
    t.filter.clear();
    let Some(raw) = raw else {
        t.type_ = TERMINUS_UNSPECIFIED;
        return Ok(0);
    };
    let mut d = Decoder::new(raw);
    let Ok((code, mut f)) = FieldReader::described(&mut d) else {
        t.type_ = TERMINUS_UNSPECIFIED;
        return Ok(0);
    };
    if code == spec::coordinator::DESCRIPTOR {
        // coordinator: [capabilities]
        t.type_ = TERMINUS_COORDINATOR;
        t.address = None;
        f.data(t.capabilities.get_mut());
        return Ok(code);
    }
    let address = f.string();
    let durable = f.uint().unwrap_or(0);
    let expiry = f.symbol();
    let timeout = f.uint().unwrap_or(0);
    let dynamic = f.boolean().unwrap_or(false);
    let named = address.is_some() || dynamic;
    if named {
        t.type_ = if is_source { TERMINUS_SOURCE } else { TERMINUS_TARGET };
        t.address = address.map(crate::ffi::error::to_cstring_nul);
        t.durability = durable as i32;
        match expiry_from(expiry) {
            Some(e) => {
                t.expiry_policy = e;
                t.has_expiry_policy = true;
            }
            None => {
                t.expiry_policy = EXPIRE_WITH_SESSION;
            }
        }
        t.timeout = timeout;
        t.dynamic = dynamic;
    } else if is_source {
        t.type_ = TERMINUS_UNSPECIFIED;
    } else {
        t.type_ = if code == spec::target::DESCRIPTOR { TERMINUS_TARGET } else { TERMINUS_UNSPECIFIED };
    }
    f.data(t.properties.get_mut());
    if is_source {
        let dist = f.symbol();
        if named {
            t.distribution_mode = match dist {
                Some(b"copy") => DIST_MODE_COPY,
                Some(b"move") => DIST_MODE_MOVE,
                _ => DIST_MODE_UNSPECIFIED,
            };
        }
        f.data(t.filter.get_mut());
        f.skip();
        f.data(t.outcomes.get_mut());
        f.data(t.capabilities.get_mut());
    } else {
        f.data(t.capabilities.get_mut());
    }
    Ok(code)
}

fn do_attach(st: &mut TransportState, conn: &mut Connection, channel: u16, _perf: &[u8], a: &mut FieldReader<'_>) -> R {
    let name = a.string().unwrap_or_default();
    let handle = a.uint().unwrap_or(0);
    let is_sender = !a.boolean().unwrap_or(false);
    let snd = a.ubyte();
    let rcv = a.ubyte();
    let source = a.raw();
    let target = a.raw();
    a.skip();
    a.skip();
    let idc = a.uint().unwrap_or(0);
    let max_msgsz = a.ulong().unwrap_or(0);
    a.skip();
    a.skip();
    let props = a.raw();
    let ssn = channel_state(st, channel)?;
    let existing = find_link(conn, ssn, name, is_sender);
    if let Some(l) = existing {
        if h32(conn.links[l].remote_handle) >= 0 {
            return Err(Fail::Error(
                "amqp:invalid-field",
                format!("link name already attached: {}", String::from_utf8_lossy(name.split(|&b| b == 0).next().unwrap_or_default())),
            ));
        }
    }
    let link = match existing {
        Some(l) => l,
        None => conn.new_link(ssn, name.split(|&b| b == 0).next().unwrap_or_default(), !is_sender, 0),
    };
    if let Some(p) = props {
        let d = conn.links[link].remote_properties.get_mut();
        d.clear();
        if d.decode(p).is_err() {
            d.clear();
        }
    }
    // map the remote handle
    conn.sessions[ssn].remote_handles.insert(handle, link);
    conn.links[link].remote_handle = handle as i64;
    conn.ep_incref(EpRef::Link(link));
    conn.links[link].ep.set_remote(REMOTE_ACTIVE);
    {
        let l = &mut conn.links[link];
        read_terminus(source, &mut l.remote_source, true)?;
        read_terminus(target, &mut l.remote_target, false)?;
        if let Some(m) = snd {
            l.remote_snd_settle_mode = m;
        }
        if let Some(m) = rcv {
            l.remote_rcv_settle_mode = m;
        }
        if !l.is_sender {
            l.delivery_count = idc;
        }
        if max_msgsz != 0 {
            l.remote_max_message_size = max_msgsz;
        }
    }
    conn.put(EventType::PN_LINK_REMOTE_OPEN, Ctx::Link(link));
    Ok(())
}

fn find_link(conn: &Connection, s: SessionId, name: &[u8], is_sender: bool) -> Option<LinkId> {
    // The peer's sender is our receiver.
    conn.sessions[s].links.iter().copied().find(|&l| {
        let link = &conn.links[l];
        link.is_sender != is_sender
            && !link.detached
            && !(link.ep.state & LOCAL_CLOSED != 0 && link.ep.state & REMOTE_CLOSED != 0)
            && link.name.as_bytes() == name.split(|&b| b == 0).next().unwrap_or_default()
    })
}

fn do_flow(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>) -> R {
    let inext = a.uint();
    let iwin = a.uint().unwrap_or(0);
    let _onext = a.uint();
    let _owin = a.uint();
    let handle = a.uint();
    let delivery_count = a.uint();
    let link_credit = a.uint().unwrap_or(0);
    a.skip();
    let drain = a.boolean().unwrap_or(false);
    let ssn = channel_state(st, channel)?;
    {
        let s = &mut conn.sessions[ssn];
        s.remote_incoming_window = match inext {
            Some(n) => n.wrapping_add(iwin).wrapping_sub(s.outgoing_transfer_count),
            None => iwin,
        };
    }
    if let Some(h) = handle {
        let link = handle_state(conn, ssn, h)?;
        let l = &mut conn.links[link];
        if l.is_sender {
            let receiver_count = delivery_count.unwrap_or(0);
            let old = l.link_credit;
            l.link_credit = receiver_count.wrapping_add(link_credit).wrapping_sub(l.delivery_count);
            l.credit = l.credit.wrapping_add(l.link_credit.wrapping_sub(old) as i32);
            l.drain = drain;
            if let Some(d) = l.current {
                conn.work_update(d);
            }
        } else {
            let delta = delivery_count.unwrap_or(l.delivery_count).wrapping_sub(l.delivery_count);
            if delta as i32 > 0 {
                l.delivery_count = l.delivery_count.wrapping_add(delta);
                l.link_credit = l.link_credit.wrapping_sub(delta);
                l.credit = l.credit.wrapping_sub(delta as i32);
                l.drained = l.drained.wrapping_add(delta as i32);
            }
        }
        conn.put(EventType::PN_LINK_FLOW, Ctx::Link(link));
    }
    Ok(())
}

fn do_transfer(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>, payload: &[u8]) -> R {
    let handle = a.uint().unwrap_or(0);
    let id = a.uint();
    let tag = a.binary().unwrap_or_default();
    a.skip();
    let settled = a.boolean().unwrap_or(false);
    let more = a.boolean().unwrap_or(false);
    a.skip();
    let state = a.raw();
    let _resume = a.boolean().unwrap_or(false);
    let aborted = a.boolean().unwrap_or(false);
    let ssn = channel_state(st, channel)?;
    if conn.sessions[ssn].incoming_window == 0 {
        return Err(Fail::Error("amqp:session:window-violation", "incoming session window exceeded".into()));
    }
    let link = handle_state(conn, ssn, handle)?;
    let delivery;
    if conn.links[link].more_pending {
        let Some(d) = conn.links[link].unsettled.tail else {
            return Err(Fail::Error("amqp:session:invalid-field", "transfer continuation without delivery".into()));
        };
        delivery = d;
    } else {
        {
            let s = &mut conn.sessions[ssn];
            if !s.incoming_init {
                s.incoming.next = id.unwrap_or(0);
                s.incoming_init = true;
                s.incoming_deliveries += 1;
            }
        }
        delivery = conn.new_delivery(link, tag, 0);
        let expected = conn.map_push(delivery);
        if let Some(id) = id {
            if id != expected {
                return Err(Fail::Error(
                    "amqp:session:invalid-field",
                    format!("sequencing error, expected delivery-id {expected}, got {id}"),
                ));
            }
        }
        if let Some(raw) = state {
            let mut d = Decoder::new(raw);
            if let Ok(crate::codec::Descriptor::Code(code)) = d.read_descriptor() {
                let rem = &mut conn.deliveries[delivery].remote;
                rem.type_ = code;
                let data = rem.data.get_mut();
                data.clear();
                let _ = data.decode(d.remaining());
            }
        }
        let l = &mut conn.links[link];
        l.delivery_count = l.delivery_count.wrapping_add(1);
        l.link_credit = l.link_credit.wrapping_sub(1);
        l.queued += 1;
    }
    conn.deliveries[delivery].append(payload);
    conn.sessions[ssn].incoming_bytes += payload.len();
    conn.deliveries[delivery].done = !more;
    if settled && !conn.deliveries[delivery].remote.settled {
        let d = &mut conn.deliveries[delivery];
        d.remote.settled = true;
        d.updated = true;
        conn.work_update(delivery);
    }
    if aborted {
        let d = &mut conn.deliveries[delivery];
        d.aborted = true;
        d.remote.settled = true;
        d.done = true;
        d.updated = true;
        conn.links[link].more_pending = false;
        conn.work_update(delivery);
    } else {
        conn.links[link].more_pending = more;
    }
    {
        let s = &mut conn.sessions[ssn];
        s.incoming_transfer_count = s.incoming_transfer_count.wrapping_add(1);
        s.incoming_window = s.incoming_window.wrapping_sub(1);
    }
    if conn.sessions[ssn].incoming_window == 0 && h32(conn.links[link].local_handle) >= 0 {
        post_flow(st, conn, ssn, Some(link));
    }
    conn.put(EventType::PN_DELIVERY, Ctx::Delivery(delivery));
    Ok(())
}

fn do_disposition(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>) -> R {
    let role = a.boolean().unwrap_or(false);
    let first = a.uint().unwrap_or(0);
    let last = a.uint().unwrap_or(first);
    let settled = a.boolean().unwrap_or(false);
    let state = a.raw();
    let ssn = channel_state(st, channel)?;
    let mut code = None;
    let mut body: &[u8] = &[];
    if let Some(raw) = state {
        let mut d = Decoder::new(raw);
        if let Ok(crate::codec::Descriptor::Code(c)) = d.read_descriptor() {
            code = Some(c);
            body = d.remaining();
        }
    }
    let (lo, hi) = conn.sessions[ssn].delivery_map(role).positions(first, last);
    let remote_data = !body.is_empty() && {
        let mut d = Decoder::new(body);
        matches!(d.read_list(), Ok((n, _)) if n > 0)
    };
    // The loop changes deliveries, never the map.
    for i in lo..hi {
        let Some((_, dl)) = conn.sessions[ssn].delivery_map(role).at(i) else { continue };
        {
            let rem = &mut conn.deliveries[dl].remote;
            if let Some(c) = code {
                rem.type_ = c;
            }
            if remote_data {
                let mut d = Decoder::new(body);
                match rem.type_ {
                    RECEIVED => {
                        let mut f = FieldReader::list(&mut d)?;
                        if let Some(n) = f.uint() {
                            rem.section_number = n;
                        }
                        if let Some(o) = f.ulong() {
                            rem.section_offset = o;
                        }
                    }
                    ACCEPTED | RELEASED => {}
                    REJECTED => {
                        let mut f = FieldReader::list(&mut d)?;
                        scan_error(&mut f, &mut rem.condition)?;
                    }
                    MODIFIED => {
                        let mut f = FieldReader::list(&mut d)?;
                        if let Some(v) = f.boolean() {
                            rem.failed = v;
                        }
                        if let Some(v) = f.boolean() {
                            rem.undeliverable = v;
                        }
                        rem.data.clear();
                        f.data(rem.annotations.get_mut());
                    }
                    _ => {
                        let data = rem.data.get_mut();
                        data.clear();
                        if data.decode(body).is_err() {
                            data.clear();
                        }
                    }
                }
            }
            rem.settled = settled;
        }
        conn.deliveries[dl].updated = true;
        conn.work_update(dl);
        conn.put(EventType::PN_DELIVERY, Ctx::Delivery(dl));
    }
    Ok(())
}

fn do_detach(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>) -> R {
    let handle = a.uint().unwrap_or(0);
    let closed = a.boolean().unwrap_or(false);
    let ssn = channel_state(st, channel)?;
    let link = handle_state(conn, ssn, handle)?;
    scan_error(a, &mut conn.links[link].ep.remote_condition)?;
    if closed {
        conn.links[link].ep.set_remote(REMOTE_CLOSED);
        conn.put(EventType::PN_LINK_REMOTE_CLOSE, Ctx::Link(link));
    } else {
        conn.put(EventType::PN_LINK_REMOTE_DETACH, Ctx::Link(link));
    }
    unmap_remote_handle(conn, link);
    Ok(())
}

fn unmap_remote_handle(conn: &mut Connection, link: LinkId) {
    let l = &mut conn.links[link];
    let h = l.remote_handle;
    l.remote_handle = -2;
    let s = l.session;
    if h >= 0 && conn.sessions[s].remote_handles.get(&(h as u32)) == Some(&link) {
        conn.sessions[s].remote_handles.remove(&(h as u32));
        conn.ep_decref(EpRef::Link(link));
    }
}

fn unmap_local_handle(conn: &mut Connection, link: LinkId) {
    let l = &mut conn.links[link];
    let h = l.local_handle;
    l.local_handle = -2;
    let s = l.session;
    if h >= 0 && conn.sessions[s].local_handles.get(&(h as u32)) == Some(&link) {
        conn.sessions[s].local_handles.remove(&(h as u32));
        conn.ep_decref(EpRef::Link(link));
    }
}

/// `pni_transport_unbind_handles`: drop every handle of a map.
fn unbind_handles(conn: &mut Connection, s: SessionId, local: bool, reset: bool) {
    let map = if local {
        std::mem::take(&mut conn.sessions[s].local_handles)
    } else {
        std::mem::take(&mut conn.sessions[s].remote_handles)
    };
    for (_, l) in map {
        if reset {
            conn.link_unbound(l);
        }
        conn.ep_decref(EpRef::Link(l));
    }
}

fn clear_delivery_map(conn: &mut Connection, s: SessionId, outgoing: bool) {
    let ids: Vec<DeliveryId> = {
        let ssn = &conn.sessions[s];
        if outgoing { ssn.outgoing.ids().collect() } else { ssn.incoming.ids().collect() }
    };
    for d in ids {
        conn.map_del(d);
    }
    let ssn = &mut conn.sessions[s];
    if outgoing { ssn.outgoing.clear() } else { ssn.incoming.clear() }
}

fn unmap_remote_channel(st: &mut TransportState, conn: &mut Connection, s: SessionId) {
    clear_delivery_map(conn, s, false);
    unbind_handles(conn, s, false, false);
    let ch = conn.sessions[s].remote_channel;
    conn.sessions[s].remote_channel = -2;
    if ch >= 0 && st.remote_channels.get(&(ch as u16)) == Some(&s) {
        st.remote_channels.remove(&(ch as u16));
        conn.ep_decref(EpRef::Session(s));
    }
}

fn unmap_local_channel(st: &mut TransportState, conn: &mut Connection, s: SessionId) {
    clear_delivery_map(conn, s, true);
    unbind_handles(conn, s, true, false);
    let ch = conn.sessions[s].local_channel;
    conn.sessions[s].local_channel = -2;
    if ch >= 0 && st.local_channels.get(&(ch as u16)) == Some(&s) {
        st.local_channels.remove(&(ch as u16));
        conn.ep_decref(EpRef::Session(s));
    }
}

fn do_end(st: &mut TransportState, conn: &mut Connection, channel: u16, a: &mut FieldReader<'_>) -> R {
    let ssn = channel_state(st, channel)?;
    scan_error(a, &mut conn.sessions[ssn].ep.remote_condition)?;
    conn.sessions[ssn].ep.set_remote(REMOTE_CLOSED);
    conn.put(EventType::PN_SESSION_REMOTE_CLOSE, Ctx::Session(ssn));
    unmap_remote_channel(st, conn, ssn);
    Ok(())
}

fn do_close(st: &mut TransportState, conn: &mut Connection, a: &mut FieldReader<'_>) -> R {
    scan_error(a, &mut st.remote_condition)?;
    st.close_rcvd = true;
    conn.ep.set_remote(REMOTE_CLOSED);
    conn.put(EventType::PN_CONNECTION_REMOTE_CLOSE, Ctx::Connection);
    Ok(())
}

// ---------------------------------------------------------------------------
// Output processing

/// `pni_session_incoming_window`.
fn session_incoming_window(st: &TransportState, s: &Session) -> u32 {
    let size = st.local_max_frame as usize;
    if size == 0 || s.incoming_capacity == 0 {
        MAX_WINDOW
    } else {
        (s.incoming_capacity.saturating_sub(s.incoming_bytes) / size).min(u32::MAX as usize) as u32
    }
}

fn post_flow(st: &mut TransportState, conn: &mut Connection, s: SessionId, link: Option<LinkId>) {
    let iw = session_incoming_window(st, &conn.sessions[s]);
    let ssn = &mut conn.sessions[s];
    ssn.incoming_window = iw;
    ssn.st_outgoing_window = ssn.outgoing_window;
    let (ch, remote_known, inext, iwin, onext, owin) = (
        ssn.local_channel as u16,
        c16(ssn.remote_channel) >= 0,
        ssn.incoming_transfer_count,
        ssn.incoming_window,
        ssn.outgoing_transfer_count,
        ssn.st_outgoing_window,
    );
    let lv = link.map(|l| {
        let l = &conn.links[l];
        (l.local_handle as u32, l.delivery_count, l.link_credit, l.drain)
    });
    post_frame(st, ch, &[], |e| {
        let mut f = Fields::begin(e, spec::flow::DESCRIPTOR);
        f.opt_uint(remote_known.then_some(inext)).uint(iwin).uint(onext).uint(owin);
        match lv {
            Some((h, dc, lc, drain)) => {
                f.uint(h).uint(dc).uint(lc).absent().boolean(drain);
            }
            None => {
                f.absent().absent().absent().absent().absent();
            }
        }
        f.finish();
    });
}

/// Generate frames for everything that changed (`pn_process`).
pub fn process(st: &mut TransportState, conn: &mut Connection, scratch: &mut Vec<EpRef>) -> Result<(), Err> {
    phase(st, conn, scratch, conn_setup)?;
    phase(st, conn, scratch, ssn_setup)?;
    phase(st, conn, scratch, link_setup)?;
    phase(st, conn, scratch, flow_receiver)?;
    process_tpwork(st, conn)?;
    process_tpwork(st, conn)?;
    phase(st, conn, scratch, flush_disp_phase)?;
    phase(st, conn, scratch, flow_sender)?;
    phase(st, conn, scratch, link_teardown)?;
    phase(st, conn, scratch, ssn_teardown)?;
    phase(st, conn, scratch, conn_teardown)?;
    if conn.tpwork.head.is_some() {
        conn.modified(EpRef::Conn, false);
    }
    Ok(())
}

type Phase = fn(&mut TransportState, &mut Connection, EpRef) -> Result<(), Err>;

fn phase(st: &mut TransportState, conn: &mut Connection, scratch: &mut Vec<EpRef>, f: Phase) -> Result<(), Err> {
    scratch.clear();
    scratch.extend_from_slice(&conn.tp_list);
    for &r in scratch.iter() {
        if !conn.ep_exists(r) || !conn.ep(r).modified {
            continue;
        }
        f(st, conn, r)?;
    }
    Ok(())
}

fn conn_setup(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    if r != EpRef::Conn || conn.ep.state & LOCAL_UNINIT != 0 || st.open_sent {
        return Ok(());
    }
    let idle = st.local_idle_timeout / 2;
    let max_frame = st.local_max_frame;
    let channel_max = st.channel_max;
    let container = conn.container.as_ref().map(|c| c.as_bytes().to_vec());
    let hostname = conn.hostname.as_ref().map(|c| c.as_bytes().to_vec());
    post_frame(st, 0, &[], |e| {
        let mut f = Fields::begin(e, spec::open::DESCRIPTOR);
        f.string(Some(container.as_deref().unwrap_or(b"")))
            .string(hostname.as_deref())
            .opt_uint((max_frame != 0).then_some(max_frame));
        if channel_max != 0 {
            f.ushort(channel_max);
        } else {
            f.absent();
        }
        f.opt_uint((idle != 0).then_some(idle))
            .absent()
            .absent()
            .data(conn.offered_capabilities.get())
            .data(conn.desired_capabilities.get())
            .data(conn.properties.get());
        f.finish();
    });
    st.open_sent = true;
    Ok(())
}

fn allocate_channel(st: &TransportState) -> Option<u16> {
    (0..=st.channel_max).find(|c| !st.local_channels.contains_key(c))
}

fn ssn_setup(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Session(s) = r else { return Ok(()) };
    if !st.open_sent {
        return Ok(());
    }
    let ssn = &conn.sessions[s];
    if ssn.ep.state & LOCAL_UNINIT != 0 || ssn.local_channel != -1 {
        return Ok(());
    }
    let Some(channel) = allocate_channel(st) else {
        st.log_app(&format!("unable to find an open available channel within limit of {}", st.channel_max));
        return Ok(());
    };
    let iw = session_incoming_window(st, ssn);
    let ssn = &mut conn.sessions[s];
    ssn.incoming_window = iw;
    ssn.st_outgoing_window = ssn.outgoing_window;
    let (remote, next, iwin, owin) =
        (ssn.remote_channel, ssn.outgoing_transfer_count, ssn.incoming_window, ssn.st_outgoing_window);
    post_frame(st, channel, &[], |e| {
        let mut f = Fields::begin(e, spec::begin::DESCRIPTOR);
        if remote >= 0 {
            f.ushort(remote as u16);
        } else {
            f.absent();
        }
        f.uint(next).uint(iwin).uint(owin);
        f.finish();
    });
    conn.sessions[s].local_channel = channel as i32;
    st.local_channels.insert(channel, s);
    conn.ep_incref(EpRef::Session(s));
    Ok(())
}

fn allocate_handle(ssn: &Session) -> u32 {
    let mut h = 0u32;
    for &k in ssn.local_handles.keys() {
        if k != h {
            break;
        }
        h += 1;
    }
    h
}

fn write_terminus_source(f: &mut Fields<'_, '_>, t: &Terminus, coordinator: bool) {
    if t.type_ == TERMINUS_UNSPECIFIED {
        f.absent();
        return;
    }
    f.composite(spec::source::DESCRIPTOR, |f| {
        f.string(t.address.as_ref().map(|a| a.as_bytes()))
            .uint(t.durability as u32)
            .symbol(expiry_symbol(t))
            .uint(t.timeout)
            .boolean(t.dynamic)
            .data(t.properties.get())
            .symbol(dist_symbol(t.distribution_mode))
            .data(t.filter.get())
            .absent();
        let _ = coordinator;
        f.data(t.outcomes.get()).data(t.capabilities.get());
    });
}

fn link_setup(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Link(l) = r else { return Ok(()) };
    if !st.open_sent {
        return Ok(());
    }
    let link = &conn.links[l];
    let s = link.session;
    let ch = conn.sessions[s].local_channel;
    if c16(ch) < 0 || link.ep.state & LOCAL_UNINIT != 0 || link.local_handle != -1 {
        return Ok(());
    }
    let handle = allocate_handle(&conn.sessions[s]);
    conn.sessions[s].local_handles.insert(handle, l);
    conn.links[l].local_handle = handle as i64;
    conn.ep_incref(EpRef::Link(l));
    let link = &conn.links[l];
    post_frame(st, ch as u16, &[], |e| {
        let mut f = Fields::begin(e, spec::attach::DESCRIPTOR);
        f.string(Some(link.name.as_bytes()))
            .uint(handle)
            .boolean(!link.is_sender)
            .ubyte(link.snd_settle_mode)
            .ubyte(link.rcv_settle_mode);
        let coordinator = link.target.type_ == TERMINUS_COORDINATOR;
        write_terminus_source(&mut f, &link.source, coordinator);
        if coordinator {
            f.composite(spec::coordinator::DESCRIPTOR, |f| {
                f.data(link.target.capabilities.get());
            });
            f.absent().absent().uint(0);
        } else {
            let t = &link.target;
            if t.type_ == TERMINUS_UNSPECIFIED {
                f.absent();
            } else {
                f.composite(spec::target::DESCRIPTOR, |f| {
                    f.string(t.address.as_ref().map(|a| a.as_bytes()))
                        .uint(t.durability as u32)
                        .symbol(expiry_symbol(t))
                        .uint(t.timeout)
                        .boolean(t.dynamic)
                        .data(t.properties.get())
                        .data(t.capabilities.get());
                });
            }
            f.absent().absent().uint(0).ulong(link.max_message_size).absent().absent().data(link.properties.get());
        }
        f.finish();
    });
    Ok(())
}

fn flow_receiver(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Link(l) = r else { return Ok(()) };
    let link = &conn.links[l];
    if link.is_sender || link.ep.state & LOCAL_ACTIVE == 0 {
        return Ok(());
    }
    let s = link.session;
    let ssn = &conn.sessions[s];
    let credit = (link.credit - link.queued) as u32;
    if c16(ssn.local_channel) >= 0 && h32(link.local_handle) >= 0 && (link.drain || link.link_credit != credit || ssn.incoming_window == 0) {
        conn.links[l].link_credit = credit;
        post_flow(st, conn, s, Some(l));
    }
    Ok(())
}

fn flush_disp_phase(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Session(s) = r else { return Ok(()) };
    if c16(conn.sessions[s].local_channel) >= 0 && !st.close_sent {
        flush_disp(st, conn, s);
    }
    Ok(())
}

fn flush_disp(st: &mut TransportState, conn: &mut Connection, s: SessionId) {
    let ssn = &mut conn.sessions[s];
    let b = ssn.disp;
    if !b.active {
        return;
    }
    let ch = ssn.local_channel as u16;
    post_frame(st, ch, &[], |e| {
        let mut f = Fields::begin(e, spec::disposition::DESCRIPTOR);
        f.boolean(b.role).uint(b.first);
        if b.last != b.first {
            f.uint(b.last);
        } else {
            f.absent();
        }
        f.flag(b.settled);
        if b.code != 0 {
            f.with(|e| {
                e.put_descriptor(b.code);
                e.put_raw(&[0x45]);
            });
        }
        f.finish();
    });
    conn.sessions[s].disp = DispBatch::default();
}

/// The value of a delivery state (`pni_disposition_encode`), as a tree.
fn disposition_data(d: &Disposition) -> Data {
    let mut out = Data::new();
    let _ = (|| -> Result<(), crate::codec::CodecError> {
        match d.type_ {
            RECEIVED => {
                out.put_list()?;
                out.enter();
                out.put_uint(d.section_number)?;
                out.put_ulong(d.section_offset)?;
                out.exit();
            }
            ACCEPTED | RELEASED => {}
            REJECTED => {
                out.put_list()?;
                out.enter();
                if d.condition.is_set() {
                    out.put_described()?;
                    out.enter();
                    out.put_ulong(spec::error::DESCRIPTOR)?;
                    out.put_list()?;
                    out.enter();
                    out.put_symbol(d.condition.name().unwrap_or_default())?;
                    match d.condition.description() {
                        Some(s) => out.put_string(s)?,
                        None => out.put_null()?,
                    }
                    if let Some(info) = d.condition.info() {
                        out.append(info)?;
                    }
                    out.exit();
                    out.exit();
                } else {
                    out.put_null()?;
                }
                out.exit();
            }
            MODIFIED => {
                out.put_list()?;
                out.enter();
                out.put_bool(d.failed)?;
                out.put_bool(d.undeliverable)?;
                if let Some(a) = d.annotations.get() {
                    if a.size() > 0 {
                        out.append(a)?;
                    }
                }
                out.exit();
            }
            _ => {
                if let Some(data) = d.data.get() {
                    out.copy_from(data)?;
                }
            }
        }
        Ok(())
    })();
    out
}

fn batchable(d: &Disposition) -> bool {
    matches!(d.type_, ACCEPTED | RELEASED)
}

/// `pni_post_disp`: send (or batch) a delivery's local state.
fn post_disp(st: &mut TransportState, conn: &mut Connection, d: DeliveryId) {
    let (dl, link, ssn) = conn.delivery_parts(d);
    let s = link.session;
    let role = !link.is_sender;
    let (id, code, settled) = (dl.st_id, dl.local.type_, dl.local.settled);
    let ch = ssn.local_channel as u16;
    let batch = batchable(&dl.local);
    let b = ssn.disp;
    if batch && b.active && code == b.code && settled == b.settled && b.role == role {
        // Extends the batch.
        if id == b.first.wrapping_sub(1) {
            ssn.disp.first = id;
            conn.modified(EpRef::Session(s), false);
            return;
        } else if id == b.last.wrapping_add(1) {
            ssn.disp.last = id;
            conn.modified(EpRef::Session(s), false);
            return;
        }
    }
    conn.modified(EpRef::Session(s), false);
    if code == 0 && !settled {
        return;
    }
    if !batch {
        let data = disposition_data(&conn.deliveries[d].local);
        post_frame(st, ch, &[], |e| {
            let mut f = Fields::begin(e, spec::disposition::DESCRIPTOR);
            f.boolean(role).uint(id).absent().flag(settled);
            if code != 0 {
                f.with(|e| {
                    e.put_descriptor(code);
                    if data.size() > 0 {
                        let mut buf = Vec::new();
                        let _ = data.encode(&mut buf);
                        e.put_raw(&buf);
                    } else {
                        e.put_null();
                    }
                });
            }
            f.finish();
        });
        return;
    }
    if b.active {
        flush_disp(st, conn, s);
    }
    conn.sessions[s].disp = DispBatch { active: true, role, code, settled, first: id, last: id };
}

fn process_tpwork(st: &mut TransportState, conn: &mut Connection) -> Result<(), Err> {
    let mut cur = conn.tpwork.head;
    while let Some(d) = cur {
        let dl = &conn.deliveries[d];
        cur = dl.tpwork_link.next;
        let is_sender = conn.links[dl.link].is_sender;
        let settle = if is_sender { tpwork_sender(st, conn, d)? } else { tpwork_receiver(st, conn, d) };
        if settle {
            // pn_full_settle (clearing the work queues the delivery's
            // release for re-examination)
            conn.clear_tpwork(d);
            conn.map_del(d);
        } else {
            let dl = &conn.deliveries[d];
            let buffered = is_sender && !dl.local.settled && !dl.st_sent && (dl.done || dl.pending() > 0);
            if !buffered {
                conn.clear_tpwork(d);
            }
        }
    }
    Ok(())
}

fn tpwork_receiver(st: &mut TransportState, conn: &mut Connection, d: DeliveryId) -> bool {
    let (dl, link, ssn) = conn.delivery_parts(d);
    let (l, s) = (dl.link, link.session);
    let settled = dl.local.settled;
    let disp = c16(ssn.local_channel) >= 0 && !dl.remote.settled && dl.st_init;
    let flow = ssn.incoming_window == 0 && h32(link.local_handle) >= 0;
    if disp {
        post_disp(st, conn, d);
    }
    if flow {
        let iw = session_incoming_window(st, &conn.sessions[s]);
        if iw > 0 {
            post_flow(st, conn, s, Some(l));
        }
    }
    settled
}

fn tpwork_sender(st: &mut TransportState, conn: &mut Connection, d: DeliveryId) -> Result<bool, Err> {
    let (dl, link, ssn) = conn.delivery_parts(d);
    let l = dl.link;
    if dl.aborted && !dl.st_sending {
        // Aborted before anything was sent: dropped; the credit is back.
        dl.st_sent = true;
        conn.put(EventType::PN_LINK_FLOW, Ctx::Link(l));
        return Ok(true);
    }
    let mut xfr_posted = false;
    let ch = ssn.local_channel;
    let handle = link.local_handle;
    if c16(ch) >= 0
        && h32(handle) >= 0
        && !dl.st_sent
        && (dl.done || dl.pending() > 0)
        && ssn.remote_incoming_window > 0
        && link.link_credit > 0
    {
        if !dl.st_init {
            dl.number(d, &mut ssn.outgoing);
        }
        let code = dl.local.type_;
        let state = if code != 0 { Some(disposition_data(&dl.local)) } else { None };
        let (count, sent) = post_transfer(
            st,
            ch as u16,
            handle as u32,
            dl.st_id,
            dl.bytes(),
            &dl.tag,
            dl.local.settled,
            !dl.done,
            ssn.remote_incoming_window,
            code,
            state.as_ref(),
            dl.aborted,
        );
        xfr_posted = true;
        ssn.outgoing_transfer_count = ssn.outgoing_transfer_count.wrapping_add(count);
        ssn.remote_incoming_window = ssn.remote_incoming_window.wrapping_sub(count);
        ssn.outgoing_bytes = ssn.outgoing_bytes.saturating_sub(sent);
        dl.consume(sent);
        dl.st_sending = true;
        if dl.pending() == 0 && dl.done {
            dl.st_sent = true;
            link.delivery_count = link.delivery_count.wrapping_add(1);
            link.link_credit = link.link_credit.wrapping_sub(1);
            link.queued -= 1;
            ssn.outgoing_deliveries = ssn.outgoing_deliveries.saturating_sub(1);
        }
    }
    let disp = c16(ch) >= 0 && !dl.remote.settled && dl.st_init && dl.st_sent && !xfr_posted;
    let settle = dl.local.settled && dl.st_init && dl.st_sent;
    if xfr_posted {
        conn.put(EventType::PN_LINK_FLOW, Ctx::Link(l));
    }
    if disp {
        post_disp(st, conn, d);
    }
    Ok(settle)
}

/// A uint in its smallest encoding (as `Encoder::put_uint`); returns the
/// bytes written into `b`.
#[inline(always)]
fn uint_bytes(b: &mut [u8], v: u32) -> usize {
    match v {
        0 => {
            b[0] = 0x43;
            1
        }
        1..=255 => {
            b[0] = 0x52;
            b[1] = v as u8;
            2
        }
        _ => {
            b[0] = 0x70;
            b[1..5].copy_from_slice(&v.to_be_bytes());
            5
        }
    }
}

/// Write the transfer performative of a delivery without a state (the
/// usual case) straight into `out`, byte for byte as [`Fields`] writes it:
/// `@transfer [handle, id, tag, 0, settled?, more?, -, -, -, aborted?]`
/// with absent trailing fields left out. False (nothing written) when the
/// fields do not fit an 8-bit list.
#[inline]
fn put_transfer_plain(out: &mut Vec<u8>, handle: u32, id: u32, tag: &[u8], settled: bool, more: bool, aborted: bool) -> bool {
    if tag.len() > 200 {
        return false;
    }
    // Descriptor, list8 header (size and count filled in below), handle,
    // id and the tag's header.
    let mut head = [0u8; 18];
    head[..4].copy_from_slice(&[0x00, 0x53, spec::transfer::DESCRIPTOR as u8, 0xc0]);
    let mut n = 6;
    n += uint_bytes(&mut head[n..], handle);
    n += uint_bytes(&mut head[n..], id);
    head[n] = 0xa0;
    head[n + 1] = tag.len() as u8;
    n += 2;
    // message-format 0, then the flags up to the last one set.
    let flag = |v: bool| if v { 0x41 } else { 0x40 };
    let tail: &[u8] = if aborted {
        &[0x43, flag(settled), flag(more), 0x40, 0x40, 0x40, 0x41]
    } else if more {
        &[0x43, flag(settled), 0x41]
    } else if settled {
        &[0x43, 0x41]
    } else {
        &[0x43]
    };
    let count = 3 + tail.len();
    let body = (n - 6) + tag.len() + tail.len();
    head[4] = (body + 1) as u8;
    head[5] = count as u8;
    out.extend_from_slice(&head[..n]);
    out.extend_from_slice(tag);
    out.extend_from_slice(tail);
    true
}

/// Send a delivery's bytes as transfer frames, split at the peer's
/// max-frame, at most `frame_limit` frames; returns frames and bytes sent.
#[allow(clippy::too_many_arguments)]
fn post_transfer(
    st: &mut TransportState,
    ch: u16,
    handle: u32,
    id: u32,
    payload: &[u8],
    tag: &[u8],
    settled: bool,
    more: bool,
    frame_limit: u32,
    code: u64,
    state: Option<&Data>,
    aborted: bool,
) -> (u32, usize) {
    let mut more_flag = more;
    let mut count = 0u32;
    let mut off = 0usize;
    loop {
        let at = framing::begin_frame(&mut st.frame);
        let write = |out: &mut Vec<u8>, more_flag: bool| {
            if code == 0 && put_transfer_plain(out, handle, id, tag, settled, more_flag, aborted) {
                return;
            }
            let mut e = Encoder::new(out);
            let mut f = Fields::begin(&mut e, spec::transfer::DESCRIPTOR);
            f.uint(handle).uint(id).binary(tag).uint(0).flag(settled).flag(more_flag).absent();
            if code != 0 {
                f.with(|e| {
                    e.put_descriptor(code);
                    match state {
                        Some(d) if d.size() > 0 => {
                            let mut buf = Vec::new();
                            let _ = d.encode(&mut buf);
                            e.put_raw(&buf);
                        }
                        _ => e.put_null(),
                    }
                });
            } else {
                f.absent();
            }
            f.absent().flag(aborted);
            f.finish();
        };
        write(&mut st.frame, more_flag);
        let mut wr = st.frame.len() - at - 8;
        let mut available = payload.len() - off;
        let max = st.remote_max_frame as usize;
        if max != 0 {
            if available + wr > max.saturating_sub(8) {
                if !more_flag {
                    more_flag = true;
                    st.frame.truncate(at + 8);
                    write(&mut st.frame, more_flag);
                    wr = st.frame.len() - at - 8;
                }
                available = max.saturating_sub(8).saturating_sub(wr).min(payload.len() - off);
            } else if more_flag && !more {
                more_flag = false;
                st.frame.truncate(at + 8);
                write(&mut st.frame, more_flag);
            }
        }
        let chunk = &payload[off..off + available];
        if st.logs_frames() {
            let perf = st.frame[at + 8..].to_vec();
            trace(st, ch, "->", &perf, chunk);
        }
        st.frame.extend_from_slice(chunk);
        framing::finish_frame(&mut st.frame, at, AMQP_FRAME_TYPE, ch);
        st.frames_output += 1;
        log_raw(st, at);
        count += 1;
        off += available;
        if off >= payload.len() || count >= frame_limit || available == 0 {
            break;
        }
    }
    (count, off)
}

fn flow_sender(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Link(l) = r else { return Ok(()) };
    let link = &conn.links[l];
    if !link.is_sender || link.ep.state & LOCAL_ACTIVE == 0 {
        return Ok(());
    }
    let s = link.session;
    if c16(conn.sessions[s].local_channel) >= 0 && h32(link.local_handle) >= 0 && link.drain && link.drained != 0 {
        let tail = link.unsettled.tail;
        if tail.is_none_or(|t| !conn.delivery_buffered(t)) {
            let link = &mut conn.links[l];
            link.delivery_count = link.delivery_count.wrapping_add(link.link_credit);
            link.link_credit = 0;
            link.drained = 0;
            post_flow(st, conn, s, Some(l));
        }
    }
    Ok(())
}

fn link_teardown(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Link(l) = r else { return Ok(()) };
    let link = &conn.links[l];
    let s = link.session;
    let ssn = &conn.sessions[s];
    if (link.ep.state & LOCAL_CLOSED != 0 || link.detached) && h32(link.local_handle) >= 0 && c16(ssn.local_channel) >= 0 && !st.close_sent {
        if link.is_sender && link.queued > 0 && h32(link.remote_handle) != -2 && c16(ssn.remote_channel) != -2 && !st.close_rcvd {
            return Ok(());
        }
        let closed = !link.detached;
        let handle = link.local_handle as u32;
        let ch = ssn.local_channel as u16;
        let err = error_parts(&link.ep.condition).map(|(n, d, i)| (n.to_vec(), d.map(<[u8]>::to_vec), i.cloned()));
        post_frame(st, ch, &[], |e| {
            let mut f = Fields::begin(e, spec::detach::DESCRIPTOR);
            f.uint(handle).flag(closed);
            if let Some((n, d, i)) = &err {
                write_error(&mut f, n, d.as_deref(), i.as_ref(), true);
            }
            f.finish();
        });
        unmap_local_handle(conn, l);
    }
    conn.clear_modified(r);
    Ok(())
}

/// Whether a session (or, with `None`, the connection) must wait for
/// queued deliveries before closing (`pni_pointful_buffering`).
fn pointful_buffering(st: &TransportState, conn: &Connection, session: Option<SessionId>) -> bool {
    if st.close_rcvd {
        return false;
    }
    if !st.open_rcvd {
        return true;
    }
    for &r in &conn.endpoints {
        if let EpRef::Link(l) = r {
            let link = &conn.links[l];
            if link.is_sender && link.queued > 0 && session == Some(link.session) {
                let ssn = &conn.sessions[link.session];
                if h32(link.remote_handle) != -2 && c16(ssn.remote_channel) != -2 {
                    return true;
                }
            }
        }
    }
    false
}

fn ssn_teardown(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    let EpRef::Session(s) = r else { return Ok(()) };
    let ssn = &conn.sessions[s];
    if ssn.ep.state & LOCAL_CLOSED != 0 && c16(ssn.local_channel) >= 0 && !st.close_sent {
        if pointful_buffering(st, conn, Some(s)) {
            return Ok(());
        }
        let ch = ssn.local_channel as u16;
        let err = error_parts(&ssn.ep.condition).map(|(n, d, i)| (n.to_vec(), d.map(<[u8]>::to_vec), i.cloned()));
        post_frame(st, ch, &[], |e| {
            let mut f = Fields::begin(e, spec::end::DESCRIPTOR);
            if let Some((n, d, i)) = &err {
                write_error(&mut f, n, d.as_deref(), i.as_ref(), true);
            }
            f.finish();
        });
        unmap_local_channel(st, conn, s);
    }
    conn.clear_modified(r);
    Ok(())
}

fn conn_teardown(st: &mut TransportState, conn: &mut Connection, r: EpRef) -> Result<(), Err> {
    if r != EpRef::Conn {
        return Ok(());
    }
    if conn.ep.state & LOCAL_CLOSED != 0 && !st.close_sent {
        if pointful_buffering(st, conn, None) {
            return Ok(());
        }
        post_close(st, Some(conn));
        st.close_sent = true;
    }
    conn.clear_modified(r);
    Ok(())
}

/// Queue a close frame carrying the connection's condition.
pub fn post_close(st: &mut TransportState, conn: Option<&Connection>) {
    let err = conn
        .and_then(|c| error_parts(&c.ep.condition))
        .map(|(n, d, i)| (n.to_vec(), d.map(<[u8]>::to_vec), i.cloned()));
    post_frame(st, 0, &[], |e| {
        let mut f = Fields::begin(e, spec::close::DESCRIPTOR);
        if let Some((n, d, i)) = &err {
            write_error(&mut f, n, d.as_deref(), i.as_ref(), true);
        }
        f.finish();
    });
}

// ---------------------------------------------------------------------------
// Time

fn ts_min(a: i64, b: i64) -> i64 {
    if a != 0 && b != 0 { a.min(b) } else if a != 0 { a } else { b }
}

/// Idle timeouts (`pn_tick_amqp`).
pub fn tick(st: &mut TransportState, conn: Option<&mut Connection>, now: i64) -> i64 {
    let mut timeout = 0;
    if st.local_idle_timeout != 0 {
        if st.dead_remote_deadline == 0 || st.last_bytes_input != st.bytes_input {
            st.dead_remote_deadline = now + st.local_idle_timeout as i64;
            st.last_bytes_input = st.bytes_input;
        } else if st.dead_remote_deadline <= now {
            st.dead_remote_deadline = now + st.local_idle_timeout as i64;
            if !st.posted_idle_timeout {
                st.posted_idle_timeout = true;
                do_error(st, conn, Some("amqp:resource-limit-exceeded"), "local-idle-timeout expired");
            }
        }
        timeout = st.dead_remote_deadline;
    }
    if st.remote_idle_timeout != 0 && !st.close_sent {
        if st.keepalive_deadline == 0 || st.last_bytes_output != st.bytes_output {
            st.keepalive_deadline = now + (st.remote_idle_timeout as f64 / 2.0) as i64;
            st.last_bytes_output = st.bytes_output;
        } else if st.keepalive_deadline <= now {
            st.keepalive_deadline = now + (st.remote_idle_timeout as f64 / 2.0) as i64;
            if st.frame_pending() == 0 {
                let before = st.frame.len();
                let at = framing::begin_frame(&mut st.frame);
                framing::finish_frame(&mut st.frame, at, AMQP_FRAME_TYPE, 0);
                st.frames_output += 1;
                if st.logs_frames() {
                    st.log(pn_log_subsystem_t::PN_SUBSYSTEM_AMQP, pn_log_level_t::PN_LEVEL_FRAME, "0 -> (EMPTY FRAME)");
                }
                log_raw(st, at);
                st.last_bytes_output += (st.frame.len() - before) as u64;
            }
        }
        timeout = ts_min(timeout, st.keepalive_deadline);
    }
    timeout
}

// ---------------------------------------------------------------------------
// Unbinding

/// The protocol state of every endpoint is dropped (`pn_transport_unbind`).
pub fn unbind(st: &mut TransportState, conn: &mut Connection) {
    conn.put(EventType::PN_CONNECTION_UNBOUND, Ctx::Connection);
    let sessions: Vec<SessionId> = conn.session_list.clone();
    for s in sessions {
        unbind_handles(conn, s, true, true);
        unbind_handles(conn, s, false, true);
    }
    let eps = conn.endpoints.clone();
    for r in eps {
        conn.ep_mut(r).remote_condition.clear();
        conn.modified(r, true);
    }
    for local in [true, false] {
        let map = if local { std::mem::take(&mut st.local_channels) } else { std::mem::take(&mut st.remote_channels) };
        for (_, s) in map {
            if !conn.sessions.contains(s) {
                continue;
            }
            clear_delivery_map(conn, s, false);
            clear_delivery_map(conn, s, true);
            unbind_handles(conn, s, true, true);
            unbind_handles(conn, s, false, true);
            let ssn = &mut conn.sessions[s];
            ssn.local_channel = -1;
            ssn.remote_channel = -1;
            ssn.incoming_bytes = 0;
            ssn.outgoing_bytes = 0;
            ssn.incoming_deliveries = 0;
            ssn.outgoing_deliveries = 0;
            conn.ep_decref(EpRef::Session(s));
        }
    }
    conn.unbound();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_transfers_are_written_as_fields_writes_them() {
        let tags: [&[u8]; 4] = [b"", b"7", b"12345678", &[0x5a; 200]];
        for handle in [0, 1, 255, 256, u32::MAX] {
            for id in [0, 9, 300] {
                for tag in tags {
                    for bits in 0..8 {
                        let (settled, more, aborted) = (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
                        let mut direct = Vec::new();
                        assert!(put_transfer_plain(&mut direct, handle, id, tag, settled, more, aborted));
                        let mut general = Vec::new();
                        let mut e = Encoder::new(&mut general);
                        let mut f = Fields::begin(&mut e, spec::transfer::DESCRIPTOR);
                        f.uint(handle).uint(id).binary(tag).uint(0).flag(settled).flag(more).absent().absent().absent().flag(aborted);
                        f.finish();
                        assert_eq!(direct, general, "handle {handle} id {id} tag {} bits {bits}", tag.len());
                    }
                }
            }
        }
        assert!(!put_transfer_plain(&mut Vec::new(), 0, 0, &[0; 201], false, false, false));
    }
}
