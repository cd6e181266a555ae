//! The engine and transport driven from Rust, two of them wired together
//! (`support/pair.rs`): connection, session and link lifecycles, transfers
//! and settlement, flow control, outcomes, multi-frame and aborted
//! deliveries, idle timeouts, and hostile input.

mod support;

use proton::engine::{ACCEPTED, Connection, Ctx, EventType as E, LOCAL_ACTIVE, MODIFIED, REJECTED, REMOTE_ACTIVE, REMOTE_CLOSED};
use proton::transport::Transport;
use support::pair::{Pair, Peer};

/// Open a session and a link on the client, answer them on the server;
/// returns (client session, client link, server session, server link).
fn attach(p: &mut Pair, sender: bool) -> (proton::engine::SessionId, proton::engine::LinkId, proton::engine::SessionId, proton::engine::LinkId) {
    p.open();
    let cs = p.client.conn.new_session(1);
    p.client.conn.session_open(cs);
    let cl = p.client.conn.new_link(cs, b"link", sender, 1);
    p.client.conn.links[cl].target.address = Some(c"q".into());
    p.client.conn.link_open(cl);
    p.pump();
    let ss = p.server.conn.session_list[0];
    p.server.conn.session_open(ss);
    let sl = p.server.conn.sessions[ss].links[0];
    let src = std::mem::replace(&mut p.server.conn.links[sl].remote_source, proton::engine::Terminus::new(0));
    p.server.conn.links[sl].source.copy_from(&src);
    p.server.conn.links[sl].remote_source = src;
    p.server.conn.link_open(sl);
    p.pump();
    (cs, cl, ss, sl)
}

fn send(peer: &mut Peer, l: proton::engine::LinkId, tag: &[u8], body: &[u8]) -> proton::engine::DeliveryId {
    let d = peer.conn.new_delivery(l, tag, 1);
    peer.conn.link_send(l, body);
    peer.conn.link_advance(l);
    d
}

#[test]
fn open_and_close() {
    let mut p = Pair::new();
    p.client.conn.container = Some(c"c".into());
    p.open();
    assert_eq!(p.client.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(p.server.t.st.remote_container.as_deref(), Some(c"c"));
    assert!(p.server.saw(E::PN_CONNECTION_REMOTE_OPEN));
    p.client.conn.ep.condition.set(Some(b"amqp:connection:forced"), Some(b"bye"));
    p.client.conn.close();
    p.pump();
    assert!(p.server.conn.ep.state & REMOTE_CLOSED != 0);
    assert_eq!(p.server.t.st.remote_condition.name(), Some(&b"amqp:connection:forced"[..]));
    p.server.conn.close();
    p.pump();
    assert!(p.client.saw(E::PN_TRANSPORT_CLOSED));
    assert!(p.server.saw(E::PN_TRANSPORT_CLOSED));
    assert!(p.client.t.closed(Some(&mut p.client.conn)));
}

#[test]
fn the_first_bytes_are_exactly_proton_s() {
    let mut p = Pair::new();
    p.client.conn.container = Some(c"client".into());
    p.client.conn.open();
    p.pump();
    // Header, then open with container-id and channel-max, as proton-c.
    assert_eq!(
        &p.c2s[..41],
        b"AMQP\x00\x01\x00\x00\x00\x00\x00\x21\x02\x00\x00\x00\x00\x53\x10\xc0\x14\x0a\xa1\x06client\x40\x40\x60\x7f\xff\x40\x40\x40\x40\x40\x40"
    );
}

#[test]
fn transfer_accept_settle() {
    let mut p = Pair::new();
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 10);
    p.pump();
    assert_eq!(p.client.conn.links[cl].credit, 10);
    let d = send(&mut p.client, cl, b"t1", b"hello");
    p.pump();
    let rd = p.server.conn.links[sl].current.expect("a delivery arrived");
    let mut buf = [0u8; 16];
    assert_eq!(p.server.conn.link_recv(sl, &mut buf), 5);
    assert_eq!(&buf[..5], b"hello");
    assert_eq!(p.server.conn.link_recv(sl, &mut buf), -1, "PN_EOS at the end");
    p.server.conn.link_advance(sl);
    p.server.conn.delivery_update(rd, ACCEPTED);
    p.server.conn.delivery_settle(rd);
    p.pump();
    assert_eq!(p.client.conn.deliveries[d].remote.type_, ACCEPTED);
    assert!(p.client.conn.deliveries[d].remote.settled);
    assert_eq!(p.client.conn.links[cl].credit, 9);
}

#[test]
fn multi_frame_transfers_reassemble() {
    let mut p = Pair::new();
    p.server.t.set_max_frame(512);
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 1);
    p.pump();
    let body: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
    send(&mut p.client, cl, b"big", &body);
    p.chunk = 100;
    p.pump();
    let rd = p.server.conn.links[sl].current.unwrap();
    assert!(p.server.conn.deliveries[rd].done);
    assert_eq!(p.server.conn.deliveries[rd].bytes(), &body[..]);
    assert!(p.server.t.st.frames_input > 10);
}

#[test]
fn output_taken_in_small_pieces_is_the_same_stream() {
    // A large message leaves more output than the transport's buffer holds;
    // taking it 997 bytes at a time must give the bytes taking it whole gives.
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let run = |chunk: usize| {
        let mut p = Pair::new();
        let (_, cl, _, sl) = attach(&mut p, true);
        p.server.conn.link_flow(sl, 3);
        p.pump();
        for tag in [b"1", b"2", b"3"] {
            send(&mut p.client, cl, tag, &body);
        }
        p.chunk = chunk;
        p.pump();
        let rd = p.server.conn.links[sl].current.unwrap();
        assert!(p.server.conn.deliveries[rd].done);
        assert_eq!(p.server.conn.deliveries[rd].bytes(), &body[..]);
        p.c2s
    };
    let whole = run(0);
    assert!(whole.len() > 900_000);
    assert!(whole == run(997), "the streams differ");
}

#[test]
fn a_grown_input_buffer_is_kept_when_buffers_are_parked() {
    let mut p = Pair::new();
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 1);
    p.pump();
    // Parked and taken again: the usual 8 KiB.
    p.server.t.park_buffers();
    assert_eq!(p.server.t.capacity(), 8192);
    // A read that fills the buffer lets it double, up to the limit given.
    p.server.t.grow_input(20_000);
    assert_eq!(p.server.t.capacity(), 16_384);
    p.server.t.grow_input(20_000);
    assert_eq!(p.server.t.capacity(), 20_000);
    p.server.t.grow_input(20_000);
    assert_eq!(p.server.t.capacity(), 20_000);
    // A 100 KB frame grows the buffer; empty again, it is kept.
    send(&mut p.client, cl, b"big", &[5u8; 100_000]);
    p.pump();
    let rd = p.server.conn.links[sl].current.unwrap();
    assert!(p.server.conn.deliveries[rd].done);
    let grown = p.server.t.capacity();
    assert!(grown > 100_000, "{grown}");
    p.server.t.park_buffers();
    assert_eq!(p.server.t.capacity(), grown);
}

#[test]
fn abort_mid_delivery() {
    let mut p = Pair::new();
    p.server.t.set_max_frame(512);
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 2);
    p.pump();
    let d = p.client.conn.new_delivery(cl, b"a", 1);
    p.client.conn.link_send(cl, &[7u8; 2000]);
    // Only the first frames go out before the abort.
    let out = p.client.output();
    assert!(!out.is_empty());
    p.client.conn.delivery_abort(d);
    p.pump();
    let rd = p.server.conn.links[sl].current.unwrap();
    assert!(p.server.conn.deliveries[rd].aborted);
    let mut buf = [0u8; 8];
    assert_eq!(p.server.conn.link_recv(sl, &mut buf), -11, "PN_ABORTED");
}

#[test]
fn drain_returns_credit() {
    let mut p = Pair::new();
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_drain(sl, 5);
    p.pump();
    assert!(p.client.conn.links[cl].drain);
    assert_eq!(p.client.conn.link_drained(cl), 5);
    p.pump();
    assert_eq!(p.server.conn.link_drained(sl), 5);
    assert_eq!(p.server.conn.links[sl].credit, 0);
}

#[test]
fn rejected_and_modified_outcomes() {
    let mut p = Pair::new();
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 2);
    p.pump();
    let d1 = send(&mut p.client, cl, b"1", b"x");
    let d2 = send(&mut p.client, cl, b"2", b"y");
    p.pump();
    let r1 = p.server.conn.links[sl].unsettled.head.unwrap();
    let r2 = p.server.conn.deliveries[r1].unsettled_link.next.unwrap();
    p.server.conn.deliveries[r1].local.condition.set(Some(b"amqp:internal-error"), Some(b"no"));
    p.server.conn.delivery_update(r1, REJECTED);
    p.server.conn.deliveries[r2].local.failed = true;
    p.server.conn.delivery_update(r2, MODIFIED);
    p.pump();
    assert_eq!(p.client.conn.deliveries[d1].remote.type_, REJECTED);
    assert_eq!(p.client.conn.deliveries[d1].remote.condition.name(), Some(&b"amqp:internal-error"[..]));
    assert_eq!(p.client.conn.deliveries[d2].remote.type_, MODIFIED);
    assert!(p.client.conn.deliveries[d2].remote.failed);
}

#[test]
fn idle_timeout_heartbeats_and_expiry() {
    let mut p = Pair::new();
    p.client.t.st.local_idle_timeout = 2000;
    p.open();
    let (next, _) = p.advance(0);
    assert!(next > p.now);
    // The server sends heartbeats at half the client's advertised timeout.
    for _ in 0..5 {
        p.advance(500);
        p.pump();
    }
    assert!(!p.client.t.st.posted_idle_timeout);
    // Silence: the client gives up.
    for _ in 0..5 {
        p.advance(1000);
    }
    assert!(p.client.t.st.posted_idle_timeout);
    assert_eq!(p.client.t.st.condition.name(), Some(&b"amqp:resource-limit-exceeded"[..]));
    assert!(p.client.saw(E::PN_TRANSPORT_ERROR));
}

#[test]
fn pipelined_open_before_the_peer_answers() {
    let mut p = Pair::new();
    p.client.conn.open();
    let s = p.client.conn.new_session(1);
    p.client.conn.session_open(s);
    let l = p.client.conn.new_link(s, b"x", true, 1);
    p.client.conn.link_open(l);
    p.client.conn.link_close(l);
    p.client.conn.session_close(s);
    p.client.conn.close();
    // Everything is written at once, before the server says anything.
    let out = p.client.output();
    assert!(out.len() > 100);
    p.server.conn.open();
    p.pump();
    assert!(p.server.saw(E::PN_LINK_REMOTE_CLOSE));
    assert!(p.server.saw(E::PN_CONNECTION_REMOTE_CLOSE));
}

#[test]
fn final_events_when_nothing_needs_an_endpoint() {
    let mut p = Pair::new();
    let (cs, cl, _, _) = attach(&mut p, false);
    p.client.take();
    p.client.conn.link_close(cl);
    p.client.conn.session_close(cs);
    let mut settled = Vec::new();
    p.client.conn.link_free(cl, &mut settled);
    p.client.conn.link_free_end(cl);
    p.client.conn.session_free(cs);
    p.pump();
    // The server closes its end too: then nothing needs the endpoints.
    let ss = p.server.conn.session_list[0];
    let sl = p.server.conn.sessions[ss].links[0];
    p.server.conn.link_close(sl);
    p.server.conn.session_close(ss);
    p.pump();
    let evs = p.client.take();
    assert!(evs.contains(&E::PN_LINK_FINAL));
    assert!(evs.contains(&E::PN_SESSION_FINAL));
}

/// Feed bytes to a server and return its condition; must not panic.
fn hostile(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut c = Connection::new();
    c.collect(true);
    let mut t = Transport::new();
    t.set_server();
    t.bind(&mut c);
    t.push(Some(&mut c), bytes);
    t.close_tail(Some(&mut c));
    while t.pending(Some(&mut c)) > 0 {
        let n = t.head().len();
        t.pop(Some(&mut c), n);
    }
    t.st.condition.name().map(<[u8]>::to_vec)
}

#[test]
fn hostile_input_closes_with_the_right_condition() {
    let h = b"AMQP\x00\x01\x00\x00";
    // A frame too small for its own header.
    let mut bad = h.to_vec();
    bad.extend_from_slice(b"\x00\x00\x00\x04\x02\x00\x00\x00");
    assert_eq!(hostile(&bad).as_deref(), Some(&b"amqp:connection:framing-error"[..]));
    // A flow on a channel nobody began.
    let mut flow = h.to_vec();
    flow.extend_from_slice(b"\x00\x00\x00\x11\x02\x00\x00\x00\x00\x53\x10\xc0\x04\x01\xa1\x01x");
    flow.extend_from_slice(b"\x00\x00\x00\x10\x02\x00\x00\x05\x00\x53\x13\xc0\x03\x01\x43\x43");
    assert_eq!(hostile(&flow).as_deref(), Some(&b"amqp:not-allowed"[..]), "the first error's name stays");
    // Not AMQP at all.
    assert_eq!(hostile(b"GET / HTTP/1.1\r\n").as_deref(), Some(&b"amqp:connection:framing-error"[..]));
    // Garbage of every length never panics.
    let mut seed = 0x1234_5678u32;
    for len in 0..300 {
        let mut v = h.to_vec();
        for _ in 0..len {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            v.push((seed >> 16) as u8);
        }
        hostile(&v);
    }
}

#[test]
fn frames_are_split_at_the_peer_max_frame() {
    let mut p = Pair::new();
    p.server.t.set_max_frame(600);
    let (_, cl, _, sl) = attach(&mut p, true);
    p.server.conn.link_flow(sl, 1);
    p.pump();
    p.c2s.clear();
    send(&mut p.client, cl, b"t", &[1u8; 3000]);
    p.pump();
    let mut at = 0;
    let mut frames = 0;
    while at + 8 <= p.c2s.len() {
        let size = u32::from_be_bytes(p.c2s[at..at + 4].try_into().unwrap()) as usize;
        assert!(size <= 600);
        at += size;
        frames += 1;
    }
    assert!(frames >= 6);
    let _ = Ctx::Connection;
}
