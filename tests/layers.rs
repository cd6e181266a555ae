//! The transport's layer stack (src/transport/layer.rs) with a stand-in
//! TLS layer: bytes in and out, end of stream both ways, errors, and a
//! server detecting TLS, SASL and AMQP from the first bytes.

mod support;

use proton::engine::{EventType as E, LOCAL_ACTIVE, REMOTE_ACTIVE};
use proton::transport::layer::{TransformLayer, Upper};
use proton::transport::{EOS, TransportState};
use support::pair::Pair;

pub use support::tls_double::FakeTls;

#[test]
fn tls_both_ends_carry_amqp() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    assert_eq!(p.client.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    // Every byte on the wire is in a record; the AMQP header is inside.
    assert_eq!(&p.c2s[..5], b"\x16\x03\x01\x00\x08");
    assert_eq!(&p.c2s[5..13], b"AMQP\x00\x01\x00\x00");
    assert_eq!(p.s2c[0], 0x16);
    assert!(p.client.t.st.is_encrypted() && p.server.t.st.is_encrypted());
    assert!(!p.c2s.windows(4).any(|w| w == b"AMQP") || p.c2s[5..9] == *b"AMQP");
    // The server's user is the TLS peer's identity (no SASL).
    assert_eq!(p.server.t.st.external.authid.as_deref(), Some(c"CN=client"));
}

#[test]
fn tls_trickled_one_byte_at_a_time() {
    let mut p = Pair::new();
    p.chunk = 1;
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(p.client.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
}

#[test]
fn tls_close_sends_close_notify_and_both_ends_finish() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    p.client.conn.close();
    p.pump();
    p.server.conn.close();
    p.pump();
    // Both AMQP layers are done: each TLS layer sent its close record.
    assert!(p.c2s.ends_with(b"\x15\x03\x01\x00\x00"));
    assert!(p.s2c.ends_with(b"\x15\x03\x01\x00\x00"));
    for peer in [&mut p.client, &mut p.server] {
        assert_eq!(peer.t.pending(Some(&mut peer.conn)), EOS);
        assert!(peer.saw(E::PN_TRANSPORT_HEAD_CLOSED));
        // The client read the server's close record after sending its
        // own, so its input is over; the server sent its close last, and
        // its input ends when the socket reports the end.
        if peer.t.capacity() != EOS {
            peer.t.close_tail(Some(&mut peer.conn));
        }
        assert!(peer.saw(E::PN_TRANSPORT_CLOSED));
        assert!(!peer.t.st.condition.is_set());
    }
}

#[test]
fn tls_wire_end_is_the_end_of_the_plaintext() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    // The wire ends without a close: AMQP sees its stream end abruptly.
    p.server.t.close_tail(Some(&mut p.server.conn));
    p.server.collect();
    assert!(p.server.saw(E::PN_TRANSPORT_ERROR));
    assert_eq!(p.server.t.st.condition.name(), Some(&b"amqp:connection:framing-error"[..]));
    assert_eq!(p.server.t.st.condition.description(), Some(&b"connection aborted"[..]));
}

#[test]
fn tls_error_is_a_transport_error() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    // A record of an unknown type.
    let r = p.server.t.push(Some(&mut p.server.conn), b"\x17\x03\x01\x00\x01x");
    assert_eq!(r, 6);
    assert!(p.server.saw(E::PN_TRANSPORT_ERROR));
    assert!(p.server.saw(E::PN_TRANSPORT_TAIL_CLOSED));
    assert_eq!(p.server.t.st.condition.description(), Some(&b"SSL Failure: bad record type 23"[..]));
    assert_eq!(p.server.t.capacity(), EOS);
    // The layer stops writing after its own failure.
    assert_eq!(p.server.t.pending(Some(&mut p.server.conn)), EOS);
}

#[test]
fn server_detects_tls_and_then_amqp_inside_it() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.st.encryption_required = true;
    p.open();
    use proton::transport::layer::{LAYER_AMQP1, LAYER_SSL, Slot};
    assert_eq!(p.server.t.st.present_layers, LAYER_SSL | LAYER_AMQP1);
    assert_eq!(p.server.t.st.slots[0], Slot::Tls);
    assert_eq!(p.server.t.st.slots[1], Slot::Amqp);
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
}

#[test]
fn tls_server_accepts_plain_clients_unless_encryption_is_required() {
    // Allowed: the TLS layer is never used.
    let mut p = Pair::new();
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(p.s2c[..8], *b"AMQP\x00\x01\x00\x00");
    // Required (what pn_ssl_init does unless the domain allows unsecured
    // clients): refused, and nothing is written back.
    let mut p = Pair::new();
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.st.encryption_required = true;
    p.open();
    assert!(p.s2c.is_empty());
    assert_eq!(p.server.t.st.condition.name(), Some(&b"amqp:connection:policy-error"[..]));
    assert_eq!(p.server.t.st.condition.description(), Some(&b"Client connection unencrypted - forbidden"[..]));
}

#[test]
fn tls_bytes_without_a_tls_layer_end_both_directions() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.open();
    assert!(p.s2c.is_empty());
    assert_eq!(p.server.t.capacity(), EOS);
    assert_eq!(p.server.t.pending(Some(&mut p.server.conn)), EOS);
    assert!(!p.server.t.st.condition.is_set());
}

#[test]
fn a_second_tls_header_inside_tls_is_refused() {
    let mut p = Pair::new();
    p.server.t.set_tls(Box::new(FakeTls::default()));
    // A record whose plaintext is itself a TLS record header.
    p.server.t.push(Some(&mut p.server.conn), b"\x16\x03\x01\x00\x05\x16\x03\x01\x00\x00");
    assert_eq!(
        p.server.t.st.condition.description(),
        Some(&b"SSL protocol header not allowed (maybe detected twice): '\\x16\\x03\\x01\\x00\\x00'"[..])
    );
}

/// The trait objects can be reached again (for ffi/ssl.rs's accessors).
#[test]
fn the_tls_layer_can_be_downcast() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    let t = p.client.t.tls_mut().unwrap();
    assert!(t.as_any_mut().downcast_mut::<FakeTls>().is_some());
}

// Keep the trait names used (they document what the double implements).
#[allow(dead_code)]
fn _types(_: &dyn TransformLayer, _: &dyn Upper, _: &TransportState) {}
