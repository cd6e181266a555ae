//! Raw connections: sockets the application reads and writes itself,
//! through buffers it lends the proactor.
//!
//! Events are made lazily, as the application takes them, so that they
//! reflect what it did while handling the previous one; their order
//! follows proton-c 0.37's (measured): `CONNECTED`, `WAKE`, `READ`,
//! `WRITTEN`, `CLOSED_READ`, `CLOSED_WRITE`, `DRAIN_BUFFERS` (buffers still
//! lent when the application closed a side come back after it),
//! `DISCONNECTED` (everything returned and closed), and last the
//! `NEED_READ_BUFFERS`/`NEED_WRITE_BUFFERS` requests, each made once until
//! buffers are given. The peer closing its side returns the unused read
//! buffers (empty) with the data in one `READ`. A failed connect is a
//! lone `DISCONNECTED` with condition "proton:io" "<strerror> - on connect
//! <host:port>".

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;

use mio::net::TcpStream;

use super::addr::HostPort;
use super::sys::{RawBuf, error_text};
use super::{Cond, Cx, Event, EventPtr, EventSink, Outcome, Proactor, Task, flag};


/// How many buffers each direction holds (proton-c's figure).
pub const BUFFER_SLOTS: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Not given to a proactor yet.
    New,
    Connecting,
    Connected,
    Closed,
}

/// A raw connection's state; owned by the thread running its batch.
pub struct RawWork {
    sink: Box<dyn EventSink>,
    sock: Option<TcpStream>,
    state: State,
    addrs: Vec<SocketAddr>,
    next: usize,
    text: String,
    readable: bool,
    writable: bool,
    /// Read buffers lent, not yet filled.
    rbufs: VecDeque<RawBuf>,
    /// Filled (or drained) read buffers for the application to take.
    rdone: VecDeque<RawBuf>,
    /// Write buffers lent, not yet written; `wpos` bytes of the first went.
    wbufs: VecDeque<RawBuf>,
    wpos: u32,
    /// Written (or drained) write buffers for the application to take.
    wdone: VecDeque<RawBuf>,
    // What happened, to make events from.
    connected: bool,
    connected_told: bool,
    wake: bool,
    read_new: bool,
    written_new: bool,
    rclosed: bool,
    rclosed_told: bool,
    wclosed: bool,
    wclosed_told: bool,
    /// The application closed a side with buffers still lent.
    drain: bool,
    need_read_told: bool,
    need_write_told: bool,
    disconnected_told: bool,
    write_shut: bool,
    /// Flags for the task after an application call.
    requests: u32,
}

impl RawWork {
    /// A raw connection whose events go to `sink`.
    pub fn new(sink: Box<dyn EventSink>) -> RawWork {
        RawWork {
            sink,
            sock: None,
            state: State::New,
            addrs: Vec::new(),
            next: 0,
            text: String::new(),
            readable: false,
            writable: false,
            rbufs: VecDeque::new(),
            rdone: VecDeque::new(),
            wbufs: VecDeque::new(),
            wpos: 0,
            wdone: VecDeque::new(),
            connected: false,
            connected_told: false,
            wake: false,
            read_new: false,
            written_new: false,
            rclosed: false,
            rclosed_told: false,
            wclosed: false,
            wclosed_told: false,
            drain: false,
            need_read_told: false,
            need_write_told: false,
            disconnected_told: false,
            write_shut: false,
            requests: 0,
        }
    }

    pub(crate) fn attach(&mut self, task: &Arc<Task>) {
        self.sink.attach(task);
    }

    pub(crate) fn connect(mut self, cx: &Cx, hp: &HostPort, resolved: Result<Vec<SocketAddr>, String>) -> RawWork {
        self.text = hp.text();
        match resolved {
            Err(text) => self.fail_connect(Cond::io(format!("{text} - connect to  {}", self.text))),
            Ok(addrs) => {
                self.addrs = addrs;
                self.start_connect(cx);
            }
        }
        self
    }

    pub(crate) fn accepted(mut self, cx: &Cx, sock: Option<(TcpStream, SocketAddr)>) -> RawWork {
        match sock {
            Some((mut s, peer)) => {
                self.text = peer.to_string();
                match Proactor::register(cx, &mut s, 0) {
                    Ok(()) => {
                        let _ = s.set_nodelay(true);
                        self.sock = Some(s);
                        self.state = State::Connected;
                        self.connected = true;
                        self.readable = true;
                        self.writable = true;
                    }
                    Err(e) => self.fail_connect(Cond::io(format!("{} - accept", error_text(&e)))),
                }
            }
            None => self.fail_connect(Cond::io("no connection to accept - accept".to_string())),
        }
        self
    }

    fn start_connect(&mut self, cx: &Cx) {
        let mut last: Option<io::Error> = None;
        while self.next < self.addrs.len() {
            let a = self.addrs[self.next];
            self.next += 1;
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
        self.fail_connect(Cond::io(format!("{} - on connect {}", error_text(&e), self.text)));
    }

    /// Never connected: a lone `DISCONNECTED` with `cond`.
    fn fail_connect(&mut self, cond: Cond) {
        self.sink.set_condition(&cond);
        self.state = State::Closed;
        self.addrs = Vec::new();
        self.connected_told = true;
        self.rclosed = true;
        self.rclosed_told = true;
        self.wclosed = true;
        self.wclosed_told = true;
        self.return_all();
    }

    fn check_connect(&mut self, cx: &Cx) {
        let Some(s) = self.sock.as_mut() else { return };
        let err = match s.take_error() {
            Ok(Some(e)) | Err(e) => Some(e),
            Ok(None) => match s.peer_addr() {
                Ok(_) => None,
                Err(e) if e.kind() == io::ErrorKind::NotConnected => {
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
                self.connected = true;
                self.addrs = Vec::new();
            }
            Some(e) => {
                self.close_socket(cx);
                if self.next < self.addrs.len() {
                    self.start_connect(cx);
                } else {
                    self.fail_connect(Cond::io(format!("{} - on connect {}", error_text(&e), self.text)));
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

    /// Every lent buffer comes back (read ones empty).
    fn return_all(&mut self) {
        for mut b in self.rbufs.drain(..) {
            b.size = 0;
            self.rdone.push_back(b);
            self.read_new = true;
        }
        if !self.wbufs.is_empty() {
            self.wdone.extend(self.wbufs.drain(..));
            self.wpos = 0;
            self.written_new = true;
        }
    }

    fn io_error(&mut self, cx: &Cx, e: &io::Error, what: &str) {
        self.sink.set_condition(&Cond::io(format!("{} - {what} {}", error_text(e), self.text)));
        self.close_socket(cx);
        self.rclosed = true;
        self.wclosed = true;
        self.return_all();
    }

    fn io(&mut self, cx: &Cx) {
        if self.state != State::Connected {
            return;
        }
        // Read, one buffer per read call.
        while self.readable && !self.rclosed && !self.rbufs.is_empty() {
            let Some(sock) = self.sock.as_mut() else { return };
            let b = self.rbufs.front_mut().expect("not empty");
            match sock.read(b.spare_mut()) {
                Ok(0) => {
                    // The peer closed its side: unused buffers come back
                    // with the data.
                    self.readable = false;
                    self.rclosed = true;
                    let _ = sock.shutdown(Shutdown::Read);
                    self.return_all_read();
                }
                Ok(n) => {
                    let mut b = self.rbufs.pop_front().expect("not empty");
                    b.size = n as u32;
                    self.rdone.push_back(b);
                    self.read_new = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.readable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.io_error(cx, &e, "on read from"),
            }
        }
        // Write, in order.
        while self.writable && !self.wbufs.is_empty() {
            let Some(sock) = self.sock.as_mut() else { return };
            let b = self.wbufs.front().expect("not empty");
            let data = b.data(self.wpos);
            if data.is_empty() {
                let b = self.wbufs.pop_front().expect("not empty");
                self.wpos = 0;
                self.wdone.push_back(b);
                self.written_new = true;
                continue;
            }
            match sock.write(data) {
                Ok(n) => self.wpos += n as u32,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.writable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.io_error(cx, &e, "on write to"),
            }
        }
        if self.wclosed && self.wbufs.is_empty() && !self.write_shut {
            self.write_shut = true;
            if let Some(s) = self.sock.as_ref() {
                let _ = s.shutdown(Shutdown::Write);
            }
        }
        if self.rclosed && self.wclosed && self.wbufs.is_empty() {
            self.close_socket(cx);
        }
    }

    fn return_all_read(&mut self) {
        for mut b in self.rbufs.drain(..) {
            b.size = 0;
            self.rdone.push_back(b);
            self.read_new = true;
        }
    }

    /// Make the next event, if one is due; true when one was made.
    fn generate(&mut self) -> bool {
        let ev = if self.connected && !self.connected_told {
            self.connected_told = true;
            Event::RawConnected
        } else if self.wake {
            self.wake = false;
            Event::RawWake
        } else if self.read_new {
            self.read_new = false;
            Event::RawRead
        } else if self.written_new {
            self.written_new = false;
            Event::RawWritten
        } else if self.rclosed && !self.rclosed_told {
            self.rclosed_told = true;
            Event::RawClosedRead
        } else if self.wclosed && !self.wclosed_told {
            self.wclosed_told = true;
            Event::RawClosedWrite
        } else if self.drain {
            self.drain = false;
            // Buffers of closed sides come back after this.
            if self.rclosed {
                self.return_all_read();
            }
            if self.wclosed && self.state == State::Closed {
                self.return_all();
            }
            Event::RawDrainBuffers
        } else if self.state == State::Closed
            && self.rclosed
            && self.wclosed
            && self.rbufs.is_empty()
            && self.wbufs.is_empty()
            && !self.disconnected_told
        {
            self.disconnected_told = true;
            Event::RawDisconnected
        } else if self.connected_told && !self.rclosed && self.rbufs.is_empty() && !self.need_read_told {
            self.need_read_told = true;
            Event::RawNeedReadBuffers
        } else if self.connected_told && !self.wclosed && self.wbufs.is_empty() && !self.need_write_told {
            self.need_write_told = true;
            Event::RawNeedWriteBuffers
        } else {
            return false;
        };
        self.sink.put(ev);
        true
    }

    pub(crate) fn next_event(&mut self) -> Option<EventPtr> {
        if !self.sink.has_event() {
            self.generate();
        }
        self.sink.next()
    }

    pub(crate) fn process(&mut self, cx: &Cx, f: u32, cond: Option<&Cond>) -> bool {
        if f & flag::READABLE != 0 {
            self.readable = true;
        }
        if f & flag::WRITABLE != 0 {
            self.writable = true;
        }
        if self.state == State::Connecting && f & (flag::READABLE | flag::WRITABLE) != 0 {
            self.check_connect(cx);
        }
        if f & flag::WAKE != 0 && !self.disconnected_told {
            self.wake = true;
        }
        if f & flag::DISCONNECT != 0 {
            if let Some(c) = cond {
                self.sink.set_condition(c);
            }
            self.close();
        }
        self.io(cx);
        self.sink.has_event() || self.generate()
    }

    pub(crate) fn after_batch(&mut self, cx: &Cx) -> Outcome {
        self.io(cx);
        if self.disconnected_told {
            self.close_socket(cx);
            return Outcome { finished: true, ..Outcome::default() };
        }
        let more = self.sink.has_event() || self.generate();
        Outcome { finished: false, more, deadline: None }
    }

    pub(crate) fn take_requests(&mut self) -> u32 {
        std::mem::take(&mut self.requests)
    }

    pub(crate) fn socket_addrs(&self) -> (Option<SocketAddr>, Option<SocketAddr>) {
        match (&self.sock, self.state) {
            (Some(s), State::Connected) => (s.local_addr().ok(), s.peer_addr().ok()),
            _ => (None, None),
        }
    }

    // ---- the application's calls (pn_raw_connection_*)

    /// How many more read buffers fit.
    pub fn read_capacity(&self) -> usize {
        if self.rclosed { 0 } else { BUFFER_SLOTS.saturating_sub(self.rbufs.len() + self.rdone.len()) }
    }

    /// How many more write buffers fit.
    pub fn write_capacity(&self) -> usize {
        if self.wclosed { 0 } else { BUFFER_SLOTS.saturating_sub(self.wbufs.len() + self.wdone.len()) }
    }

    /// Lend read buffers; returns how many were taken.
    pub fn give_read_buffers(&mut self, bufs: impl IntoIterator<Item = RawBuf>) -> usize {
        let mut n = 0;
        for b in bufs {
            if self.read_capacity() == 0 {
                break;
            }
            self.rbufs.push_back(b);
            n += 1;
        }
        if n > 0 {
            self.need_read_told = false;
            self.requests |= flag::GIVEN;
        }
        n
    }

    /// Lend buffers to write; returns how many were taken.
    pub fn write_buffers(&mut self, bufs: impl IntoIterator<Item = RawBuf>) -> usize {
        let mut n = 0;
        for b in bufs {
            if self.write_capacity() == 0 {
                break;
            }
            self.wbufs.push_back(b);
            n += 1;
        }
        if n > 0 {
            self.need_write_told = false;
            self.requests |= flag::GIVEN;
        }
        n
    }

    /// Take back up to `max` read buffers, filled or drained.
    pub fn take_read_buffers(&mut self, max: usize) -> Vec<RawBuf> {
        let n = max.min(self.rdone.len());
        self.rdone.drain(..n).collect()
    }

    /// Take back up to `max` written buffers.
    pub fn take_written_buffers(&mut self, max: usize) -> Vec<RawBuf> {
        let n = max.min(self.wdone.len());
        self.wdone.drain(..n).collect()
    }

    pub fn is_read_closed(&self) -> bool {
        self.rclosed
    }

    pub fn is_write_closed(&self) -> bool {
        self.wclosed
    }

    /// Stop reading; unused read buffers come back after
    /// `PN_RAW_CONNECTION_DRAIN_BUFFERS`.
    pub fn read_close(&mut self) {
        if self.rclosed {
            return;
        }
        self.rclosed = true;
        if let Some(s) = self.sock.as_ref() {
            let _ = s.shutdown(Shutdown::Read);
        }
        if !self.rbufs.is_empty() {
            self.drain = true;
        }
        self.requests |= flag::READ_CLOSE;
    }

    /// Stop writing once the buffers given so far are written.
    pub fn write_close(&mut self) {
        if self.wclosed {
            return;
        }
        self.wclosed = true;
        self.requests |= flag::WRITE_CLOSE;
    }

    /// Both.
    pub fn close(&mut self) {
        self.read_close();
        self.write_close();
    }

    /// Ask for a `PN_RAW_CONNECTION_WAKE` (before the connection runs).
    pub fn wake(&mut self) {
        self.wake = true;
    }
}
