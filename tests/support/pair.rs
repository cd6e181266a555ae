//! Two engines wired together in memory: a client and a server
//! [`Transport`] with their [`Connection`]s, pumped until quiet, with a
//! manual clock and knobs for the size of each write and the max frame.
#![allow(dead_code)]

use proton::engine::{Connection, Ctx, EventType};
use proton::transport::Transport;

/// One end.
pub struct Peer {
    pub conn: Connection,
    pub t: Transport,
    /// Events seen so far (drained by the tests).
    pub events: Vec<(EventType, Ctx)>,
}

impl Peer {
    fn new(server: bool) -> Peer {
        let mut conn = Connection::new();
        conn.collect(true);
        let mut t = Transport::new();
        if server {
            t.set_server();
        }
        t.bind(&mut conn);
        let mut p = Peer { conn, t, events: Vec::new() };
        p.collect();
        p
    }

    /// Move the engine's queued events into `events`.
    pub fn collect(&mut self) {
        self.events.extend(self.conn.events.drain(..));
        self.conn.created.clear();
        self.conn.recheck.clear();
    }

    /// Take the event types seen so far.
    pub fn take(&mut self) -> Vec<EventType> {
        self.collect();
        self.events.drain(..).map(|e| e.0).collect()
    }

    /// Whether an event of this type was seen (and keep the others).
    pub fn saw(&mut self, ty: EventType) -> bool {
        self.collect();
        self.events.iter().any(|e| e.0 == ty)
    }

    /// Bytes the transport has to write.
    pub fn output(&mut self) -> Vec<u8> {
        let n = self.t.pending(Some(&mut self.conn));
        let out = if n > 0 { self.t.head().to_vec() } else { Vec::new() };
        self.collect();
        out
    }
}

/// A client and a server.
pub struct Pair {
    pub client: Peer,
    pub server: Peer,
    /// The clock, in milliseconds.
    pub now: i64,
    /// Largest write moved at once (0: all).
    pub chunk: usize,
    /// Every byte moved, client to server and back.
    pub c2s: Vec<u8>,
    pub s2c: Vec<u8>,
}

impl Default for Pair {
    fn default() -> Self {
        Pair::new()
    }
}

impl Pair {
    pub fn new() -> Pair {
        Pair { client: Peer::new(false), server: Peer::new(true), now: 1, chunk: 0, c2s: Vec::new(), s2c: Vec::new() }
    }

    /// Move bytes from `a` to `b`; the count moved.
    fn transfer(a: &mut Peer, b: &mut Peer, chunk: usize, log: &mut Vec<u8>) -> usize {
        let pending = a.t.pending(Some(&mut a.conn));
        if pending <= 0 {
            a.collect();
            return 0;
        }
        let mut n = pending as usize;
        if chunk > 0 {
            n = n.min(chunk);
        }
        let cap = b.t.capacity();
        if cap <= 0 {
            a.collect();
            return 0;
        }
        n = n.min(cap as usize);
        let bytes = a.t.head()[..n].to_vec();
        log.extend_from_slice(&bytes);
        a.t.pop(Some(&mut a.conn), n);
        b.t.tail()[..n].copy_from_slice(&bytes);
        b.t.process(Some(&mut b.conn), n);
        a.collect();
        b.collect();
        n
    }

    /// Move bytes both ways until nothing moves; the total moved.
    pub fn pump(&mut self) -> usize {
        let mut total = 0;
        for _ in 0..10_000 {
            let a = Self::transfer(&mut self.client, &mut self.server, self.chunk, &mut self.c2s);
            let b = Self::transfer(&mut self.server, &mut self.client, self.chunk, &mut self.s2c);
            if a + b == 0 {
                return total;
            }
            total += a + b;
        }
        panic!("the pair never went quiet");
    }

    /// Advance the clock and tick both transports; their next deadlines.
    pub fn advance(&mut self, ms: i64) -> (i64, i64) {
        self.now += ms;
        let a = self.client.t.tick(Some(&mut self.client.conn), self.now);
        let b = self.server.t.tick(Some(&mut self.server.conn), self.now);
        self.client.collect();
        self.server.collect();
        (a, b)
    }

    /// Open the connections on both sides and exchange the opens.
    pub fn open(&mut self) {
        self.client.conn.open();
        self.server.conn.open();
        self.pump();
    }
}
