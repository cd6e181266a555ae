//! An AMQP connection of the proactor: a socket and an [`AmqpDriver`].
//!
//! Errors are reported as proton-c 0.37 words them (measured): a name
//! resolution failure is "proton:io" "<resolver text> - connect to
//! <host:port>" (with two spaces, as proton prints), a refused connection
//! "<strerror> - disconnected <host:port>" when one address was tried and
//! "... - on read from <host:port>" after several, and I/O errors
//! "<strerror> - on read from / on write to <host:port>".

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};

use mio::net::TcpStream;

use super::addr::HostPort;
use super::sys::error_text;
use super::{AmqpDriver, Cond, Cx, EventPtr, Outcome, Proactor, flag};

/// Most bytes read in one pass before the batch is handed out (the rest is
/// read after it).
const READ_PER_PASS: usize = 256 * 1024;

/// Pending output that ends a batch (see `next_event`).
const WRITE_AT: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Connecting,
    Connected,
    /// No socket (failed, or finished).
    Closed,
}

/// A connection's I/O state; owned by the thread running its batch.
pub struct ConnWork {
    driver: Box<dyn AmqpDriver>,
    sock: Option<TcpStream>,
    state: State,
    /// Addresses still to try, and how many were tried.
    addrs: Vec<SocketAddr>,
    next: usize,
    tried: usize,
    /// "host:port" for error descriptions.
    text: String,
    readable: bool,
    /// The poller reported the peer's end of stream or an error: reads go
    /// on until the socket says so itself.
    read_end: bool,
    /// The socket reached its end while the application had events to
    /// handle: the transport is told after them (see `io`).
    eof_seen: bool,
    writable: bool,
    write_shut: bool,
    released: bool,
    /// The application has seen `PN_CONNECTION_INIT` and the transport is
    /// bound: failures can be reported. Before that they wait in
    /// `pending_fail`, so that they come after `PN_CONNECTION_BOUND` as in
    /// proton-c.
    bound: bool,
    pending_fail: Option<Cond>,
}

impl ConnWork {
    fn new(driver: Box<dyn AmqpDriver>, text: String) -> ConnWork {
        ConnWork {
            driver,
            sock: None,
            state: State::Closed,
            addrs: Vec::new(),
            next: 0,
            tried: 0,
            text,
            readable: false,
            read_end: false,
            eof_seen: false,
            writable: false,
            write_shut: false,
            released: false,
            bound: false,
            pending_fail: None,
        }
    }

    /// An outgoing connection to the resolved addresses of `hp`.
    pub(crate) fn connect(
        cx: &Cx,
        driver: Box<dyn AmqpDriver>,
        hp: &HostPort,
        resolved: Result<Vec<SocketAddr>, String>,
    ) -> ConnWork {
        let mut w = ConnWork::new(driver, hp.text());
        match resolved {
            Err(text) => w.fail(&Cond::io(format!("{text} - connect to  {}", w.text))),
            Ok(addrs) => {
                w.addrs = addrs;
                w.start_connect(cx);
            }
        }
        w
    }

    /// A connection over a socket a listener accepted (`None`: there was
    /// none to accept).
    pub(crate) fn accepted(cx: &Cx, driver: Box<dyn AmqpDriver>, sock: Option<(TcpStream, SocketAddr)>) -> ConnWork {
        let mut w = ConnWork::new(driver, String::new());
        match sock {
            Some((mut s, peer)) => {
                w.text = match s.local_addr() {
                    Ok(a) => a.to_string(),
                    Err(_) => peer.to_string(),
                };
                match Proactor::register(cx, &mut s, 0) {
                    Ok(()) => {
                        let _ = s.set_nodelay(true);
                        w.sock = Some(s);
                        w.state = State::Connected;
                        w.readable = true;
                        w.writable = true;
                    }
                    Err(e) => w.fail(&Cond::io(format!("{} - accept", error_text(&e)))),
                }
            }
            None => w.fail(&Cond::io("no connection to accept - accept".to_string())),
        }
        w
    }

    /// Report a failure: the transport's condition, both ends closed.
    fn fail(&mut self, cond: &Cond) {
        if self.bound {
            self.driver.fail(cond);
        } else if self.pending_fail.is_none() {
            self.pending_fail = Some(cond.clone());
        }
    }

    /// The batch ran dry: the transport is bound now.
    fn set_bound(&mut self) {
        self.bound = true;
        if let Some(c) = self.pending_fail.take() {
            self.driver.fail(&c);
        }
    }

    /// Try the next addresses until a connect is under way.
    fn start_connect(&mut self, cx: &Cx) {
        let mut last: Option<io::Error> = None;
        while self.next < self.addrs.len() {
            let a = self.addrs[self.next];
            self.next += 1;
            self.tried += 1;
            match TcpStream::connect(a) {
                Ok(mut s) => match Proactor::register(cx, &mut s, 0) {
                    Ok(()) => {
                        self.sock = Some(s);
                        self.state = State::Connecting;
                        return;
                    }
                    Err(e) => last = Some(e),
                },
                Err(e) => last = Some(e),
            }
        }
        let e = last.unwrap_or_else(|| io::Error::from_raw_os_error(libc::ECONNREFUSED));
        self.connect_failed_finally(&e);
    }

    fn connect_failed_finally(&mut self, e: &io::Error) {
        self.state = State::Closed;
        self.addrs = Vec::new();
        let what = if self.tried > 1 { "on read from" } else { "disconnected" };
        self.fail(&Cond::io(format!("{} - {what} {}", error_text(e), self.text)));
    }

    /// The socket became ready while connecting: connected, or failed.
    fn check_connect(&mut self, cx: &Cx) {
        let Some(s) = self.sock.as_mut() else { return };
        let err = match s.take_error() {
            Ok(Some(e)) | Err(e) => Some(e),
            Ok(None) => match s.peer_addr() {
                Ok(_) => None,
                Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                    // Not yet: wait for the next readiness.
                    self.readable = false;
                    self.writable = false;
                    return;
                }
                Err(e) => Some(e),
            },
        };
        match err {
            None => {
                let _ = s.set_nodelay(true);
                self.state = State::Connected;
                self.addrs = Vec::new();
            }
            Some(e) => {
                self.close_socket(cx);
                self.readable = false;
                self.writable = false;
                if self.next < self.addrs.len() {
                    self.start_connect(cx);
                } else {
                    self.connect_failed_finally(&e);
                }
            }
        }
    }

    fn close_socket(&mut self, cx: &Cx) {
        if let Some(mut s) = self.sock.take() {
            let _ = cx.registry.deregister(&mut s);
        }
        self.state = State::Closed;
    }

    fn io_error(&mut self, cx: &Cx, e: &io::Error, what: &str) {
        self.close_socket(cx);
        self.fail(&Cond::io(format!("{} - {what} {}", error_text(e), self.text)));
    }

    /// Read what the socket has (up to `READ_PER_PASS`), then write.
    ///
    /// The end of the input waits while there are events: the application
    /// answers what it read before the connection sees the peer's end of
    /// stream, so its answer is encoded and written first, as with
    /// proton-c. (A reconnecting client counts on it: what it sent on the
    /// old connection is not sent again on the new one.)
    fn io(&mut self, cx: &Cx) {
        self.read(cx);
        self.flush(cx);
    }

    fn read(&mut self, cx: &Cx) {
        if self.state != State::Connected {
            return;
        }
        if self.eof_seen && !self.driver.has_event() && !self.driver.read_closed() {
            self.driver.read_close();
        }
        let mut total = 0;
        while self.readable && total < READ_PER_PASS && !self.driver.read_closed() {
            let Some(sock) = self.sock.as_mut() else { return };
            let buf = self.driver.read_buffer();
            if buf.is_empty() {
                break;
            }
            match sock.read(buf) {
                Ok(0) => {
                    self.readable = false;
                    if self.driver.has_event() {
                        self.eof_seen = true;
                    } else {
                        self.driver.read_close();
                    }
                }
                Ok(n) => {
                    let filled = n == buf.len();
                    total += n;
                    self.driver.read_done(n);
                    if filled {
                        self.driver.grow_read_buffer(READ_PER_PASS);
                    } else if !self.read_end {
                        // A short read took all the socket had: what
                        // arrives later is reported by the poller (its
                        // registration is edge-triggered), so no read just
                        // to be told "would block". Once the peer's end
                        // was reported, reads go on to see it.
                        self.readable = false;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.readable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.io_error(cx, &e, "on read from"),
            }
        }
    }

    fn flush(&mut self, cx: &Cx) {
        if self.state != State::Connected {
            return;
        }
        while self.writable {
            let Some(sock) = self.sock.as_mut() else { return };
            let buf = self.driver.write_buffer();
            if buf.is_empty() {
                break;
            }
            match sock.write(buf) {
                Ok(n) => self.driver.write_done(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.writable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.io_error(cx, &e, "on write to"),
            }
        }
        if !self.write_shut && self.driver.write_closed() {
            self.write_shut = true;
            if let Some(s) = self.sock.as_ref() {
                let _ = s.shutdown(Shutdown::Write);
            }
        }
    }

    /// One pass over what happened (`f`); true when there are events.
    pub(crate) fn process(&mut self, cx: &Cx, f: u32, cond: Option<&Cond>) -> bool {
        if f & flag::READABLE != 0 {
            self.readable = true;
        }
        if f & flag::READ_END != 0 {
            self.read_end = true;
        }
        if f & flag::WRITABLE != 0 {
            self.writable = true;
        }
        if self.state == State::Connecting && f & (flag::READABLE | flag::WRITABLE) != 0 {
            self.check_connect(cx);
        }
        if f & flag::DISCONNECT != 0 && !self.released {
            // Abort, as proton does; the condition (if any) is the transport's.
            self.close_socket(cx);
            let c = cond.cloned().unwrap_or_else(|| Cond { name: String::new(), description: String::new() });
            self.fail(&c);
        }
        if f & flag::WAKE != 0 && !self.released {
            self.driver.wake();
        }
        if f & flag::TIMER != 0 {
            self.driver.tick(cx.now);
        }
        self.io(cx);
        !self.released && self.driver.has_event()
    }

    /// After the batch: write what the application produced, tick, and see
    /// whether the connection is finished.
    pub(crate) fn after_batch(&mut self, cx: &Cx) -> Outcome {
        if !self.bound {
            self.set_bound();
        }
        let deadline = if self.state == State::Connected { self.driver.tick(cx.now) } else { None };
        // What the application produced goes out before anything more is
        // read.
        self.flush(cx);
        self.io(cx);
        if self.state == State::Closed && self.bound && !self.driver.write_closed() {
            // No socket to write to: nothing will ever be written.
            self.driver.write_close();
        }
        if self.state == State::Closed && self.bound && !self.driver.read_closed() {
            self.driver.read_close();
        }
        if self.released || self.driver.finished() {
            self.close_socket(cx);
            return Outcome { finished: true, ..Outcome::default() };
        }
        let more = self.driver.has_event()
            || (self.state == State::Connected
                && self.readable
                && !self.driver.read_closed()
                && !self.driver.read_buffer().is_empty());
        if !more {
            self.driver.park_buffers();
        }
        Outcome { finished: false, more, deadline }
    }

    /// The batch's next event. When the application has handled every
    /// event, what it did is encoded (as proton-c does at that point); the
    /// events that brings (a sender's `PN_LINK_FLOW` once its transfer is
    /// encoded) belong to the same batch. The bytes wait for the end of the
    /// batch, which comes early once `WRITE_AT` of them are pending, so that a
    /// sender answering each `PN_LINK_FLOW` with one message writes its
    /// messages in one system call rather than one each.
    pub(crate) fn next_event(&mut self) -> Option<EventPtr> {
        if self.released {
            return None;
        }
        if let Some(e) = self.driver.next_event() {
            return Some(e);
        }
        if !self.bound {
            self.set_bound();
            if let Some(e) = self.driver.next_event() {
                return Some(e);
            }
        }
        if self.state != State::Connected {
            return None;
        }
        if self.driver.encode() >= WRITE_AT {
            // Enough to write now: the batch ends; its events wait for
            // the next one.
            return None;
        }
        self.driver.next_event()
    }

    pub(crate) fn driver_mut(&mut self) -> &mut dyn AmqpDriver {
        &mut *self.driver
    }

    pub(crate) fn socket_addrs(&self) -> (Option<SocketAddr>, Option<SocketAddr>) {
        match (&self.sock, self.state) {
            (Some(s), State::Connected) => (s.local_addr().ok(), s.peer_addr().ok()),
            _ => (None, None),
        }
    }

    pub(crate) fn release(&mut self) {
        if !self.released {
            self.released = true;
            self.driver.release();
        }
    }
}
