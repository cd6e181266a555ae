//! TLS for a transport (`pn_ssl_t`), on OpenSSL.
//!
//! [`Tls`] is the transforming layer of the transport's stack (see
//! [`layer`](super::layer)): wire bytes in, plaintext up; plaintext down,
//! wire bytes out. It drives an OpenSSL connection over a pair of memory
//! buffers ([`Pipe`]), so it does no I/O of its own.
//!
//! Its life, as proton-c's:
//! - `pn_ssl` makes it ([`Tls::new`]) and `pn_ssl_init` gives it a domain
//!   and an optional session id for resumption ([`Tls::init`]); the
//!   OpenSSL connection exists from then on.
//! - At its first input or output it applies the peer host name (sent as
//!   SNI by clients, and checked against the certificate when the domain
//!   verifies names) and starts the handshake.
//! - Once the handshake is done it publishes the cipher strength and the
//!   peer's subject ([`TransportState::external`]) for SASL EXTERNAL and
//!   `pn_transport_is_encrypted`.
//! - It sends close_notify once the layers above have finished both their
//!   output and their input (or the peer's close_notify came), and ends
//!   its output when that is written; its input ends when the peer's
//!   close_notify arrives.
//! - A TLS failure (handshake, bad record, the wire ending without
//!   close_notify) sets the transport condition
//!   `amqp:connection:framing-error` with "SSL Failure: " and OpenSSL's
//!   first error (`error:0A000086:SSL routines::certificate verify
//!   failed`), and ends both directions at once, without sending what
//!   OpenSSL queued (its alert), as proton-c does.

pub mod cert;
pub mod domain;

use std::any::Any;
use std::ffi::{CStr, CString};
use std::io::{self, Read, Write};

use openssl::ssl::{ErrorCode, Ssl, SslRef, SslStream};
use openssl::x509::X509;

use super::layer::{TransformLayer, Upper};
use super::{EOS, TransportState};
pub use cert::HashAlg;
pub use domain::{Domain, Mode, Snapshot, Verify};

/// Ciphertext taken from the wire and not yet decrypted, at most.
const RX_LIMIT: usize = 64 * 1024;
/// Plaintext asked from the upper layers per round (a full TLS record).
const OUT_CHUNK: usize = 16 * 1024;
/// Room for decrypted input at a time.
const IN_CHUNK: usize = 16 * 1024;
/// Decrypted input held for the upper layers before decrypting pauses
/// (raised while they wait for a larger frame).
const IN_LIMIT: usize = 4 * IN_CHUNK;

/// Whether a session was resumed (`pn_ssl_resume_status_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    Unknown = 0,
    New = 1,
    Reused = 2,
}

/// OpenSSL's side of the wire: ciphertext in (`rx`) and out (`tx`).
#[derive(Default)]
pub struct Pipe {
    rx: Vec<u8>,
    rx_pos: usize,
    /// The wire input ended: reads return end of stream.
    eof: bool,
    tx: Vec<u8>,
    tx_pos: usize,
}

impl Pipe {
    fn rx_pending(&self) -> usize {
        self.rx.len() - self.rx_pos
    }

    fn push_rx(&mut self, bytes: &[u8]) {
        if self.rx_pos > 0 && self.rx_pos >= self.rx.len() / 2 {
            self.rx.drain(..self.rx_pos);
            self.rx_pos = 0;
        }
        self.rx.extend_from_slice(bytes);
    }

    fn tx_pending(&self) -> usize {
        self.tx.len() - self.tx_pos
    }

    /// Move queued ciphertext into `out`.
    fn pop_tx(&mut self, out: &mut [u8]) -> usize {
        let n = self.tx_pending().min(out.len());
        out[..n].copy_from_slice(&self.tx[self.tx_pos..self.tx_pos + n]);
        self.tx_pos += n;
        if self.tx_pos == self.tx.len() {
            self.tx.clear();
            self.tx_pos = 0;
        }
        n
    }
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.rx_pending();
        if avail == 0 {
            return if self.eof { Ok(0) } else { Err(io::ErrorKind::WouldBlock.into()) };
        }
        let n = avail.min(buf.len());
        buf[..n].copy_from_slice(&self.rx[self.rx_pos..self.rx_pos + n]);
        self.rx_pos += n;
        if self.rx_pos == self.rx.len() {
            self.rx.clear();
            self.rx_pos = 0;
        }
        Ok(n)
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tx.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What `pn_ssl_init` chose, until TLS starts.
struct Pending {
    snap: domain::Snapshot,
    session_id: Option<String>,
}

/// The OpenSSL connection, by stage.
enum Conn {
    /// `pn_ssl` without `pn_ssl_init` yet.
    None,
    /// Initialised, not started. OpenSSL's state for the connection (some
    /// 8 KiB) is made when TLS starts: a server that lets clients in
    /// without TLS never makes it for them.
    Ready(Box<Pending>),
    /// Handshaking or running.
    Running(SslStream<Pipe>),
    /// Between stages (only while one is being replaced).
    Moving,
}

/// What was learnt about the peer when the handshake finished.
#[derive(Default)]
struct Peer {
    cert: Option<X509>,
    subject: Option<CString>,
    subfields: [Option<CString>; 6],
}

/// The TLS layer of one transport.
pub struct Tls {
    verify: Verify,
    mode: Option<Mode>,
    allow_unsecured: bool,
    peer_hostname: Option<String>,
    /// Used as the peer host name if none is set when the handshake starts
    /// (the bound connection's host name).
    default_hostname: Option<String>,
    conn: Conn,
    handshake_done: bool,
    failed: bool,
    peer: Peer,
    /// Decrypted input not yet taken by the upper layers.
    in_buf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    in_limit: usize,
    /// The upper layers' input is finished (they said so, or were told).
    upper_in_closed: bool,
    /// The peer's close_notify arrived.
    tls_in_closed: bool,
    input_done: bool,
    /// Plaintext from the upper layers not yet encrypted.
    out_buf: Vec<u8>,
    out_start: usize,
    out_end: usize,
    upper_out_closed: bool,
    shutdown_sent: bool,
    output_done: bool,
}

impl Default for Tls {
    fn default() -> Self {
        Tls::new()
    }
}

impl Tls {
    /// A TLS layer without a domain yet (`pn_ssl`).
    pub fn new() -> Tls {
        Tls {
            verify: Verify::PeerName,
            mode: None,
            allow_unsecured: false,
            peer_hostname: None,
            default_hostname: None,
            conn: Conn::None,
            handshake_done: false,
            failed: false,
            peer: Peer::default(),
            in_buf: Vec::new(),
            in_start: 0,
            in_end: 0,
            in_limit: IN_LIMIT,
            upper_in_closed: false,
            tls_in_closed: false,
            input_done: false,
            out_buf: Vec::new(),
            out_start: 0,
            out_end: 0,
            upper_out_closed: false,
            shutdown_sent: false,
            output_done: false,
        }
    }

    /// Configure from `domain` (`pn_ssl_init`); with `session_id`, a client
    /// resumes the session of an earlier transport that used the same id
    /// and domain, if there is one. Fails (`PN_ERR`) once started or when
    /// the domain's settings do not make an OpenSSL context.
    pub fn init(&mut self, domain: &Domain, session_id: Option<&str>) -> Result<(), i32> {
        if matches!(self.conn, Conn::Running(_)) {
            return Err(domain::PN_ERR);
        }
        let snap = domain.snapshot().map_err(|_| domain::PN_ERR)?;
        self.verify = snap.verify;
        self.mode = Some(snap.mode);
        self.allow_unsecured = domain.allows_unsecured();
        self.conn = Conn::Ready(Box::new(Pending { snap, session_id: session_id.map(str::to_owned) }));
        Ok(())
    }

    /// OpenSSL's state for this connection, as `pn_ssl_init` configured it.
    fn new_ssl(p: &Pending) -> Result<Ssl, openssl::error::ErrorStack> {
        let snap = &p.snap;
        let mut ssl = Ssl::new(&snap.ctx)?;
        match snap.mode {
            Mode::Client => ssl.set_connect_state(),
            Mode::Server => ssl.set_accept_state(),
        }
        if let (Mode::Client, Some(id)) = (snap.mode, &p.session_id) {
            let cached = snap.sessions.lock().unwrap_or_else(|e| e.into_inner()).get(id).cloned();
            if let Some(session) = cached {
                resume(&mut ssl, &session);
            }
            ssl.set_ex_data(domain::session_id_index(), (snap.sessions.clone(), id.clone()));
        }
        Ok(ssl)
    }

    /// `pn_ssl_init` was called.
    pub fn is_initialised(&self) -> bool {
        !matches!(self.conn, Conn::None)
    }

    /// The domain of this layer lets a server accept clients without TLS.
    pub fn allows_unsecured(&self) -> bool {
        self.allow_unsecured
    }

    /// `pn_ssl_set_peer_hostname` (`None` clears it).
    pub fn set_peer_hostname(&mut self, name: Option<&str>) {
        self.peer_hostname = name.map(str::to_owned);
    }

    /// The name checked against the peer's certificate (and sent as SNI).
    pub fn peer_hostname(&self) -> Option<&str> {
        self.peer_hostname.as_deref()
    }

    /// The host name to use when none was set (the connection's).
    pub fn set_default_hostname(&mut self, name: Option<&str>) {
        self.default_hostname = name.map(str::to_owned);
    }

    fn ssl(&self) -> Option<&SslRef> {
        match &self.conn {
            Conn::Running(s) => Some(s.ssl()),
            Conn::None | Conn::Ready(_) | Conn::Moving => None,
        }
    }

    /// The cipher in use, once the handshake is done.
    pub fn cipher_name(&self) -> Option<&'static str> {
        if !self.handshake_done {
            return None;
        }
        self.ssl()?.current_cipher().map(|c| c.name())
    }

    /// The protocol version in use, once the handshake is done.
    pub fn protocol_name(&self) -> Option<&'static str> {
        if !self.handshake_done {
            return None;
        }
        Some(self.ssl()?.version_str())
    }

    /// The cipher's strength in bits (0: none yet).
    pub fn ssf(&self) -> i32 {
        if !self.handshake_done {
            return 0;
        }
        self.ssl().and_then(|s| s.current_cipher()).map_or(0, |c| c.bits().secret)
    }

    pub fn resume_status(&self) -> Resume {
        if matches!(self.conn, Conn::Ready(_)) {
            // Initialised: nothing resumed before the handshake.
            return Resume::New;
        }
        match self.ssl() {
            None => Resume::Unknown,
            Some(s) if s.session_reused() => Resume::Reused,
            Some(_) => Resume::New,
        }
    }

    /// The peer certificate's subject (RFC 2253), once known.
    pub fn remote_subject(&self) -> Option<&CStr> {
        self.peer.subject.as_deref()
    }

    /// One field of the peer certificate's subject (index as
    /// `pn_ssl_cert_subject_subfield`).
    pub fn remote_subject_subfield(&self, field: usize) -> Option<&CStr> {
        self.peer.subfields.get(field)?.as_deref()
    }

    /// The peer certificate's fingerprint in lowercase hex.
    pub fn cert_fingerprint(&self, alg: HashAlg) -> Option<String> {
        cert::fingerprint(self.peer.cert.as_ref()?, alg)
    }

    /// The handshake finished.
    pub fn is_established(&self) -> bool {
        self.handshake_done
    }

    // ------------------------------------------------------------------
    // Driving OpenSSL

    /// At the first input or output: apply the host name and wrap the
    /// connection in its buffers.
    fn start(&mut self, st: &TransportState) -> Result<(), String> {
        if matches!(self.conn, Conn::Running(_)) {
            return Ok(());
        }
        if matches!(self.conn, Conn::None) {
            // Started without pn_ssl_init: the default domain of its side.
            let mode = if st.server { Mode::Server } else { Mode::Client };
            self.init(&Domain::new(mode), None).map_err(|_| "SSL Failure: Unknown error".to_owned())?;
        }
        if self.peer_hostname.is_none() {
            self.peer_hostname = self.default_hostname.clone();
        }
        let Conn::Ready(pending) = std::mem::replace(&mut self.conn, Conn::Moving) else {
            return Err("SSL Failure: Unknown error".to_owned());
        };
        let mut ssl = Tls::new_ssl(&pending).map_err(|e| describe_stack(&e))?;
        let host = self.peer_hostname.clone();
        if let (Some(Mode::Client), Some(h)) = (self.mode, &host) {
            // SNI; OpenSSL refuses names it cannot send, which is no error.
            let _ = ssl.set_hostname(h);
        }
        if self.verify == Verify::PeerName {
            match &host {
                Some(h) => {
                    if ssl.param_mut().set_host(h).is_err() {
                        fail_all(&mut ssl);
                    }
                }
                // Nothing to check the name against: no peer is valid.
                None => fail_all(&mut ssl),
            }
        }
        match SslStream::new(ssl, Pipe::default()) {
            Ok(s) => {
                self.conn = Conn::Running(s);
                Ok(())
            }
            Err(e) => Err(describe_stack(&e)),
        }
    }

    fn wire_ended(&self) -> bool {
        matches!(&self.conn, Conn::Running(s) if s.get_ref().eof)
    }

    fn stream(&mut self) -> Option<&mut SslStream<Pipe>> {
        match &mut self.conn {
            Conn::Running(s) => Some(s),
            _ => None,
        }
    }

    /// A TLS failure: report it and end both directions.
    fn fail(&mut self, st: &mut TransportState, description: &str) -> isize {
        self.failed = true;
        self.input_done = true;
        self.upper_in_closed = true;
        self.in_start = 0;
        self.in_end = 0;
        self.out_start = 0;
        self.out_end = 0;
        if let Some(s) = self.stream() {
            let p = s.get_mut();
            p.tx.clear();
            p.tx_pos = 0;
        }
        st.error("amqp:connection:framing-error", description);
        EOS
    }

    fn check_established(&mut self, st: &mut TransportState) {
        if self.handshake_done {
            return;
        }
        let Conn::Running(s) = &self.conn else { return };
        if !s.ssl().is_init_finished() {
            return;
        }
        let cert = s.ssl().peer_certificate();
        self.handshake_done = true;
        if let Some(c) = &cert {
            let name = c.subject_name();
            self.peer.subject = CString::new(cert::subject(name)).ok();
            for (i, nid) in cert::SUBFIELDS.iter().enumerate() {
                self.peer.subfields[i] = cert::subfield(name, *nid).and_then(|v| CString::new(v).ok());
            }
        }
        self.peer.cert = cert;
        st.external.ssf = self.ssf();
        st.external.authid = self.peer.subject.clone();
    }

    /// Run the handshake if it is not done (it may queue output).
    fn handshake(&mut self, st: &mut TransportState) -> Result<(), String> {
        if self.handshake_done {
            return Ok(());
        }
        let Some(s) = self.stream() else { return Ok(()) };
        match s.do_handshake() {
            Ok(()) => {}
            Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => {}
            Err(e) => return Err(describe(&e, self.wire_ended())),
        }
        self.check_established(st);
        Ok(())
    }

    /// Make room for decrypted input; false when the buffer is at its
    /// limit and the upper layers are not taking anything.
    fn in_room(&mut self) -> bool {
        if self.in_end < self.in_buf.len() {
            return true;
        }
        if self.in_start > 0 {
            self.in_buf.copy_within(self.in_start..self.in_end, 0);
            self.in_end -= self.in_start;
            self.in_start = 0;
            return true;
        }
        let grow = self.in_buf.len().max(IN_CHUNK);
        self.in_buf.resize(self.in_buf.len() + grow, 0);
        true
    }

    /// Decrypt what OpenSSL can (running the handshake as needed).
    fn decrypt(&mut self, st: &mut TransportState) -> Result<(), String> {
        while !self.tls_in_closed {
            // Wait for the upper layers if they hold a lot already.
            if self.in_end - self.in_start >= self.in_limit && !self.upper_in_closed {
                break;
            }
            self.in_room();
            let (buf, end) = (&mut self.in_buf, self.in_end);
            let Conn::Running(s) = &mut self.conn else { break };
            match s.ssl_read(&mut buf[end..]) {
                Ok(n) => {
                    if self.upper_in_closed {
                        // Nobody reads it any more.
                    } else {
                        self.in_end += n;
                    }
                }
                Err(e) => match e.code() {
                    ErrorCode::WANT_READ | ErrorCode::WANT_WRITE => {
                        self.check_established(st);
                        break;
                    }
                    ErrorCode::ZERO_RETURN => self.tls_in_closed = true,
                    _ => return Err(describe(&e, self.wire_ended())),
                },
            }
            self.check_established(st);
        }
        Ok(())
    }

    /// Hand decrypted input to the upper layers; the bytes they took.
    fn deliver(&mut self, st: &mut TransportState, upper: &mut dyn Upper) -> usize {
        let mut taken = 0;
        while !self.upper_in_closed && self.in_start < self.in_end {
            let r = upper.input(st, &self.in_buf[self.in_start..self.in_end]);
            if r < 0 {
                self.upper_in_closed = true;
            } else if r == 0 {
                break;
            } else {
                let r = (r as usize).min(self.in_end - self.in_start);
                self.in_start += r;
                taken += r;
            }
        }
        let held = self.in_end - self.in_start;
        if taken == 0 && held >= self.in_limit && !st.halt {
            // The upper layers wait for a frame bigger than what is held:
            // decrypt more of it.
            self.in_limit = held + IN_CHUNK;
        } else if taken > 0 {
            self.in_limit = IN_LIMIT;
        }
        if self.upper_in_closed || self.in_start == self.in_end {
            self.in_start = 0;
            self.in_end = 0;
        }
        if self.tls_in_closed && !self.upper_in_closed {
            // The peer's stream ended: what is left is incomplete.
            self.in_start = 0;
            self.in_end = 0;
            upper.input(st, &[]);
            self.upper_in_closed = true;
        }
        taken
    }

    /// Take plaintext from the upper layers and encrypt it; send
    /// close_notify when both of their directions are finished.
    fn encrypt(&mut self, st: &mut TransportState, upper: &mut dyn Upper, want: usize) -> Result<(), String> {
        loop {
            let mut progress = false;
            if !self.upper_out_closed && self.out_end - self.out_start < OUT_CHUNK {
                if self.out_start == self.out_end {
                    self.out_start = 0;
                    self.out_end = 0;
                }
                if self.out_buf.len() < self.out_end + OUT_CHUNK {
                    self.out_buf.resize(self.out_end + OUT_CHUNK, 0);
                }
                let end = self.out_end;
                let r = upper.output(st, &mut self.out_buf[end..end + OUT_CHUNK]);
                if r < 0 {
                    self.upper_out_closed = true;
                } else if r > 0 {
                    self.out_end += r as usize;
                    progress = true;
                }
            }
            if self.failed {
                return Ok(());
            }
            if !self.handshake_done {
                self.handshake(st)?;
            }
            if self.handshake_done && self.out_start < self.out_end {
                let (start, end) = (self.out_start, self.out_end);
                let Conn::Running(s) = &mut self.conn else { return Ok(()) };
                match s.ssl_write(&self.out_buf[start..end]) {
                    Ok(n) => {
                        self.out_start += n;
                        progress = true;
                    }
                    Err(e) if matches!(e.code(), ErrorCode::WANT_READ | ErrorCode::WANT_WRITE) => {}
                    Err(e) => return Err(describe(&e, self.wire_ended())),
                }
            }
            if self.upper_out_closed
                && self.out_start == self.out_end
                && (self.upper_in_closed || self.tls_in_closed)
                && !self.shutdown_sent
            {
                self.shutdown_sent = true;
                if self.handshake_done {
                    if let Some(s) = self.stream() {
                        // close_notify goes into the buffers; the peer's
                        // answer is not waited for.
                        let _ = s.shutdown();
                    }
                }
            }
            let queued = self.stream().map_or(0, |s| s.get_ref().tx_pending());
            if !progress || queued >= want {
                return Ok(());
            }
        }
    }
}

/// Make every certificate check fail (name verification without a name).
fn fail_all(ssl: &mut Ssl) {
    let mode = ssl.verify_mode();
    ssl.set_verify_callback(mode, |_, _| false);
}

/// Resume `session` (from this domain's cache) on `ssl`.
#[allow(unsafe_code)]
fn resume(ssl: &mut Ssl, session: &openssl::ssl::SslSessionRef) {
    // SAFETY: the session comes from the cache of the domain whose context
    // made `ssl`; a domain empties its cache whenever it makes a new
    // context, so the session belongs to this context, as OpenSSL requires.
    let _ = unsafe { ssl.set_session(session) };
}

/// OpenSSL's error for a stream that ended without close_notify
/// (`SSL_R_UNEXPECTED_EOF_WHILE_READING`). OpenSSL reports it itself for
/// its own memory buffers; through the buffers of [`SslStream`] it only
/// sees a failed read, so the layer supplies it.
const UNEXPECTED_EOF: &str = "SSL Failure: error:0A000126:SSL routines::unexpected eof while reading";

/// proton's description of a TLS failure: "SSL Failure: " and OpenSSL's
/// first queued error as `ERR_error_string_n` formats it. `eof`: the wire
/// input has ended.
fn describe(e: &openssl::ssl::Error, eof: bool) -> String {
    match e.ssl_error() {
        Some(stack) if !stack.errors().is_empty() => describe_stack(stack),
        _ if eof && e.code() == ErrorCode::SYSCALL => UNEXPECTED_EOF.to_owned(),
        _ => "SSL Failure: Unknown error".to_owned(),
    }
}

fn describe_stack(stack: &openssl::error::ErrorStack) -> String {
    match stack.errors().first() {
        Some(err) => {
            let code = err.code();
            let lib = err.library().map_or_else(|| format!("lib({})", (code >> 23) & 0xff), str::to_owned);
            let reason = err.reason().map_or_else(|| format!("reason({})", code & 0x7fffff), str::to_owned);
            format!("SSL Failure: error:{code:08X}:{lib}::{reason}")
        }
        None => "SSL Failure: Unknown error".to_owned(),
    }
}

impl TransformLayer for Tls {
    fn input(&mut self, st: &mut TransportState, wire: &[u8], upper: &mut dyn Upper) -> isize {
        if self.input_done {
            return EOS;
        }
        if self.failed {
            self.input_done = true;
            return EOS;
        }
        if let Err(d) = self.start(st) {
            return self.fail(st, &d);
        }
        let eof = wire.is_empty() && st.tail_closed;
        let Some(s) = self.stream() else { return EOS };
        let pipe = s.get_mut();
        let take = wire.len().min(RX_LIMIT.saturating_sub(pipe.rx_pending()));
        pipe.push_rx(&wire[..take]);
        if eof {
            pipe.eof = true;
        }
        loop {
            let (limit, held) = (self.in_limit, self.in_end - self.in_start);
            if let Err(d) = self.decrypt(st) {
                return self.fail(st, &d);
            }
            let decrypted = self.in_end - self.in_start > held;
            let taken = self.deliver(st, upper);
            // Again while the upper layers took something and more may be
            // decrypted, or they asked for more room.
            if self.failed || self.tls_in_closed || !decrypted || (taken == 0 && self.in_limit == limit) {
                break;
            }
        }
        if self.failed {
            return EOS;
        }
        if self.tls_in_closed && self.upper_in_closed {
            self.input_done = true;
            return EOS;
        }
        take as isize
    }

    fn output(&mut self, st: &mut TransportState, wire: &mut [u8], upper: &mut dyn Upper) -> isize {
        if self.output_done {
            return EOS;
        }
        if self.failed {
            self.output_done = true;
            return EOS;
        }
        if let Err(d) = self.start(st) {
            self.fail(st, &d);
            self.output_done = true;
            return EOS;
        }
        if let Err(d) = self.encrypt(st, upper, wire.len()) {
            self.fail(st, &d);
        }
        if self.failed {
            self.output_done = true;
            return EOS;
        }
        let Some(s) = self.stream() else { return EOS };
        let n = s.get_mut().pop_tx(wire);
        if n == 0 && self.shutdown_sent {
            self.output_done = true;
            return EOS;
        }
        n as isize
    }

    fn handle_error(&mut self, st: &mut TransportState) {
        let _ = st;
        // Another layer failed: nothing more is read; what the upper layers
        // still write goes out, then close_notify (unless TLS itself failed).
        self.upper_in_closed = true;
        self.in_start = 0;
        self.in_end = 0;
    }

    fn connection_bound(&mut self, st: &mut TransportState, hostname: Option<&std::ffi::CStr>) {
        let _ = st;
        // The connection's host name is the peer name unless
        // pn_ssl_set_peer_hostname chose one (applied when TLS starts).
        if let Some(h) = hostname.and_then(|h| h.to_str().ok()) {
            self.set_default_hostname(Some(h));
        }
    }

    fn buffered_output(&self) -> usize {
        let queued = match &self.conn {
            Conn::Running(s) => s.get_ref().tx_pending(),
            _ => 0,
        };
        queued + (self.out_end - self.out_start)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

