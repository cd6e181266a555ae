//! A listener of the proactor: one listening socket per resolved address.
//!
//! As proton-c 0.37 does (measured): the addresses are resolved and bound
//! in the thread calling `pn_proactor_listen`; with port 0 every address
//! gets the port the first one was given; a failure is a
//! `PN_LISTENER_CLOSE` with condition "proton:io" "<text> - listen on
//! <host:port>" and no `PN_LISTENER_OPEN`. Each accepted socket is one
//! `PN_LISTENER_ACCEPT`; a socket the application did not accept during
//! that batch is closed.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;

use mio::net::{TcpListener, TcpStream};

use super::addr::HostPort;
use super::sys::{self, error_text};
use super::{Cond, Cx, Event, EventPtr, EventSink, Outcome, Proactor, flag};

/// Most connections accepted in one batch.
const ACCEPT_PER_BATCH: usize = 32;
/// How long to wait before accepting again after running out of file
/// descriptors.
const RETRY_MS: i64 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// `PN_LISTENER_OPEN` (or the failure's `PN_LISTENER_CLOSE`) not yet sent.
    Starting,
    Open,
    /// `PN_LISTENER_CLOSE` sent: finished after this batch.
    Closed,
}

pub struct ListenerWork {
    pub(crate) sink: Box<dyn EventSink>,
    socks: Vec<(TcpListener, bool)>,
    pending: VecDeque<(TcpStream, SocketAddr)>,
    /// Accepted sockets not yet announced by a `PN_LISTENER_ACCEPT`.
    /// Announcements are made one at a time, as the application takes
    /// them (a collector drops an event that repeats the one before it).
    unannounced: usize,
    state: State,
    failed: Option<Cond>,
    retry_at: Option<i64>,
}

impl ListenerWork {
    pub(crate) fn listen(
        cx: &Cx,
        sink: Box<dyn EventSink>,
        hp: &HostPort,
        resolved: Result<Vec<SocketAddr>, String>,
        backlog: i32,
    ) -> ListenerWork {
        let mut w = ListenerWork {
            sink,
            socks: Vec::new(),
            pending: VecDeque::new(),
            unannounced: 0,
            state: State::Starting,
            failed: None,
            retry_at: None,
        };
        let addrs = match resolved {
            Ok(a) => a,
            Err(text) => {
                w.failed = Some(Cond::io(format!("{text} - listen on {}", hp.text())));
                return w;
            }
        };
        let mut first_error: Option<io::Error> = None;
        let mut port = 0;
        for mut a in addrs {
            if a.port() == 0 && port != 0 {
                a.set_port(port);
            }
            let bound = sys::listen(&a, backlog).and_then(|l| {
                l.set_nonblocking(true)?;
                let mut l = TcpListener::from_std(l);
                Proactor::register(cx, &mut l, w.socks.len())?;
                Ok(l)
            });
            match bound {
                Ok(l) => {
                    if port == 0 {
                        port = l.local_addr().map(|a| a.port()).unwrap_or(0);
                    }
                    w.socks.push((l, true));
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if w.socks.is_empty() {
            let text = first_error.map_or_else(|| "no address".to_string(), |e| error_text(&e));
            w.failed = Some(Cond::io(format!("{text} - listen on {}", hp.text())));
        }
        w
    }

    fn close_sockets(&mut self, cx: &Cx) {
        for (mut l, _) in self.socks.drain(..) {
            let _ = cx.registry.deregister(&mut l);
        }
        self.pending.clear();
        self.unannounced = 0;
    }

    pub(crate) fn process(&mut self, cx: &Cx, f: u32, cond: Option<&Cond>) -> bool {
        if self.state == State::Starting {
            match self.failed.take() {
                Some(c) => {
                    self.sink.set_condition(&c);
                    self.sink.put(Event::ListenerClose);
                    self.state = State::Closed;
                }
                None => {
                    self.sink.put(Event::ListenerOpen);
                    self.state = State::Open;
                }
            }
        }
        if self.state == State::Open && f & (flag::CLOSE | flag::DISCONNECT) != 0 {
            if f & flag::DISCONNECT != 0 {
                if let Some(c) = cond {
                    self.sink.set_condition(c);
                }
            }
            self.close_sockets(cx);
            self.sink.put(Event::ListenerClose);
            self.state = State::Closed;
        }
        if f & flag::READABLE != 0 {
            for s in &mut self.socks {
                s.1 = true;
            }
        }
        if f & flag::TIMER != 0 {
            self.retry_at = None;
            for s in &mut self.socks {
                s.1 = true;
            }
        }
        if self.state == State::Open {
            self.accept_some(cx.now);
        }
        self.sink.has_event() || self.unannounced > 0
    }

    pub(crate) fn next_event(&mut self) -> Option<EventPtr> {
        if !self.sink.has_event() && self.unannounced > 0 && self.state == State::Open {
            self.unannounced -= 1;
            self.sink.put(Event::ListenerAccept);
        }
        self.sink.next()
    }

    fn accept_some(&mut self, now: i64) {
        for (l, readable) in &mut self.socks {
            while *readable && self.pending.len() < ACCEPT_PER_BATCH {
                match l.accept() {
                    Ok(s) => {
                        self.pending.push_back(s);
                        self.unannounced += 1;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => *readable = false,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)) => {
                        // Out of resources: try again a little later.
                        *readable = false;
                        self.retry_at = Some(now + RETRY_MS);
                        break;
                    }
                    // The peer gave up before we accepted (ECONNABORTED...).
                    Err(_) => {}
                }
            }
        }
    }

    pub(crate) fn after_batch(&mut self, cx: &Cx) -> Outcome {
        // Accepted sockets nobody took are closed.
        self.pending.clear();
        self.unannounced = 0;
        if self.state == State::Closed {
            self.close_sockets(cx);
            return Outcome { finished: true, ..Outcome::default() };
        }
        let more = self.state == State::Open && self.socks.iter().any(|s| s.1);
        Outcome { finished: false, more, deadline: self.retry_at }
    }

    pub(crate) fn take_pending(&mut self) -> Option<(TcpStream, SocketAddr)> {
        self.pending.pop_front()
    }

    pub(crate) fn addrs(&self) -> Vec<SocketAddr> {
        self.socks.iter().filter_map(|(l, _)| l.local_addr().ok()).collect()
    }
}
