//! SASL between two engines (tests/support/pair.rs): the built-in
//! mechanisms, mechanism choice, failures, a custom implementation, SASL
//! over the stand-in TLS layer (EXTERNAL), and hostile input.

mod support;

use std::ffi::{CStr, CString};

use proton::engine::{Connection, EventType as E, LOCAL_ACTIVE, REMOTE_ACTIVE};
use proton::transport::sasl::{self, SaslImpl, State};
use proton::transport::{EOS, Transport, TransportState};
use support::pair::Pair;
use support::tls_double::FakeTls;

fn creds(p: &mut Pair, user: &str, password: &str) {
    p.client.t.sasl().set_user_password(Some(CString::new(user).unwrap()), None, Some(CString::new(password).unwrap()));
}

fn outcome(t: &mut Transport) -> i32 {
    t.sasl().outcome
}

#[test]
fn anonymous_both_ends() {
    let mut p = Pair::new();
    p.client.t.sasl();
    p.server.t.sasl();
    p.open();
    assert_eq!(p.client.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert!(p.client.t.st.authenticated && p.server.t.st.authenticated);
    assert_eq!(p.server.t.sasl().user.as_deref(), Some(c"anonymous"));
    assert_eq!(p.client.t.sasl().selected_mechanism.as_deref(), Some(c"ANONYMOUS"));
    assert_eq!(&p.c2s[..8], b"AMQP\x03\x01\x00\x00");
    assert!(p.server.saw(E::PN_TRANSPORT));
}

#[test]
fn a_server_detects_sasl_without_being_asked() {
    let mut p = Pair::new();
    p.client.t.sasl();
    p.open();
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(outcome(&mut p.server.t), sasl::OUTCOME_OK);
}

#[test]
fn require_auth_refuses_plain_amqp_and_accepts_sasl() {
    let mut p = Pair::new();
    p.server.t.st.auth_required = true;
    p.open();
    assert_eq!(p.server.t.st.condition.description(), Some(&b"Client skipped authentication - forbidden"[..]));
    assert!(p.s2c.is_empty());
    let mut p = Pair::new();
    p.client.t.sasl();
    p.server.t.st.auth_required = true;
    p.open();
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
}

#[test]
fn no_common_mechanism_fails_the_client() {
    let mut p = Pair::new();
    p.client.t.sasl().included_mechanisms = Some(c"PLAIN".into());
    p.open();
    assert!(p.client.saw(E::PN_TRANSPORT_ERROR));
    assert_eq!(p.client.t.st.condition.name(), Some(&b"amqp:unauthorized-access"[..]));
    assert_eq!(p.client.t.st.condition.description(), Some(&b"Authentication failed [mech=none]"[..]));
    assert_eq!(outcome(&mut p.client.t), sasl::OUTCOME_PERM);
    assert!(!p.client.t.st.authenticated);
}

/// A server implementation offering `list` and checking PLAIN as
/// `bob`/`secret`.
struct PlainServer(&'static CStr);

impl SaslImpl for PlainServer {
    fn list_mechanisms(&mut self, _: &mut TransportState, _: Option<&mut Connection>) -> Option<CString> {
        Some(self.0.into())
    }
    fn init_server(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool {
        sasl::set_desired_state(st, conn, State::PostedMechanisms);
        true
    }
    fn init_client(&mut self, _: &mut TransportState, _: Option<&mut Connection>) -> bool {
        false
    }
    fn prepare_write(&mut self, _: &mut TransportState, _: Option<&mut Connection>) {}
    fn process_init(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mech: &CStr, recv: Option<&[u8]>) {
        if mech == c"PLAIN" && recv == Some(b"\0bob\0secret") {
            sasl::set_succeeded(st, Some(c"bob".into()), None);
        } else {
            sasl::set_failed(st);
        }
        sasl::set_desired_state(st, conn, State::PostedOutcome);
    }
    fn process_response(&mut self, _: &mut TransportState, _: Option<&mut Connection>, _: Option<&[u8]>) {}
    fn process_mechanisms(&mut self, _: &mut TransportState, _: Option<&mut Connection>, _: &CStr) -> bool {
        false
    }
    fn process_challenge(&mut self, _: &mut TransportState, _: Option<&mut Connection>, _: Option<&[u8]>) {}
    fn process_outcome(&mut self, _: &mut TransportState, _: Option<&mut Connection>, _: Option<&[u8]>) {}
}

fn plain_pair(list: &'static CStr, password: &str, insecure: bool) -> Pair {
    let mut p = Pair::new();
    creds(&mut p, "bob", password);
    p.client.t.sasl().allow_insecure_mechs = insecure;
    p.server.t.sasl().imp = Some(Box::new(PlainServer(list)));
    p.open();
    p
}

#[test]
fn plain_succeeds_and_wipes_the_password() {
    let mut p = plain_pair(c"ANONYMOUS PLAIN", "secret", true);
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    assert_eq!(p.client.t.sasl().selected_mechanism.as_deref(), Some(c"PLAIN"));
    assert_eq!(p.server.t.sasl().user.as_deref(), Some(c"bob"));
    assert!(p.client.t.sasl().password().is_none());
}

#[test]
fn plain_is_chosen_by_whole_name_from_a_rabbitmq_list() {
    // proton-c 0.37 sends ANONYMOUS here (it finds "PLAIN" inside
    // "AMQPLAIN" first).
    let mut p = plain_pair(c"ANONYMOUS AMQPLAIN PLAIN", "secret", true);
    assert_eq!(p.client.t.sasl().selected_mechanism.as_deref(), Some(c"PLAIN"));
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    let p2 = plain_pair(c"AMQPLAIN PLAIN", "secret", true);
    assert_eq!(p2.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
}

#[test]
fn plain_needs_encryption_or_permission() {
    // Not allowed in clear: ANONYMOUS is chosen, which this server refuses.
    let mut p = plain_pair(c"ANONYMOUS PLAIN", "secret", false);
    assert_eq!(p.client.t.sasl().selected_mechanism.as_deref(), Some(c"ANONYMOUS"));
    assert_eq!(p.client.t.st.condition.description(), Some(&b"Authentication failed [mech=ANONYMOUS]"[..]));
    assert_eq!(p.server.t.st.condition.description(), Some(&b"Failed to authenticate client [mech=ANONYMOUS]"[..]));
}

#[test]
fn a_wrong_password_is_refused_on_both_ends() {
    let mut p = plain_pair(c"PLAIN", "oops", true);
    assert_eq!(outcome(&mut p.client.t), sasl::OUTCOME_AUTH);
    assert!(p.client.saw(E::PN_TRANSPORT_ERROR) && p.server.saw(E::PN_TRANSPORT_ERROR));
    assert!(!p.server.t.st.authenticated);
    assert_eq!(p.server.conn.ep.state & REMOTE_ACTIVE, 0);
}

#[test]
fn external_over_tls_authenticates_the_certificate_subject() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    p.client.t.sasl().authzid = Some(c"boss".into());
    p.server.t.st.auth_required = true;
    p.server.t.st.encryption_required = true;
    p.open();
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
    let s = p.server.t.sasl();
    assert_eq!(s.selected_mechanism.as_deref(), Some(c"EXTERNAL"));
    assert_eq!(s.user.as_deref(), Some(c"CN=client"));
    assert_eq!(s.authzid.as_deref(), Some(c"boss"));
    use proton::transport::layer::{LAYER_AMQP1, LAYER_AMQPSASL, LAYER_SSL, Slot};
    assert_eq!(p.server.t.st.present_layers, LAYER_SSL | LAYER_AMQPSASL | LAYER_AMQP1);
    assert_eq!(p.server.t.st.slots, [Slot::Tls, Slot::Passthru, Slot::Amqp]);
    // The SASL header travels inside the first record.
    assert_eq!(&p.c2s[..13], b"\x16\x03\x01\x00\x08AMQP\x03\x01\x00\x00");
}

#[test]
fn plain_is_allowed_over_tls() {
    let mut p = Pair::new();
    p.client.t.set_tls(Box::new(FakeTls::default()));
    p.server.t.set_tls(Box::new(FakeTls::default()));
    creds(&mut p, "bob", "secret");
    p.server.t.sasl().imp = Some(Box::new(PlainServer(c"ANONYMOUS PLAIN")));
    p.open();
    assert_eq!(p.client.t.sasl().selected_mechanism.as_deref(), Some(c"PLAIN"));
    assert_eq!(p.server.conn.ep.state, LOCAL_ACTIVE | REMOTE_ACTIVE);
}

/// The server's input after a SASL header and `frames`.
fn server_reads(frames: &[u8]) -> Pair {
    let mut p = Pair::new();
    p.server.t.sasl();
    let mut input = b"AMQP\x03\x01\x00\x00".to_vec();
    input.extend_from_slice(frames);
    p.server.t.push(Some(&mut p.server.conn), &input);
    p.server.collect();
    p.server.output();
    p
}

#[test]
fn an_amqp_open_during_sasl_is_an_error_not_a_login() {
    let open = b"\x00\x00\x00\x21\x02\x00\x00\x00\x00\x53\x10\xc0\x14\x0a\xa1\x06client\x40\x40\x60\x7f\xff\x40\x40\x40\x40\x40\x40";
    let mut p = server_reads(open);
    assert!(!p.server.saw(E::PN_CONNECTION_REMOTE_OPEN));
    assert!(p.server.saw(E::PN_TRANSPORT_ERROR));
    assert_eq!(p.server.t.st.condition.description(), Some(&b"AMQP frame received during SASL negotiation"[..]));
    assert!(!p.server.t.st.authenticated);
    assert_eq!(p.server.t.capacity(), EOS);
}

#[test]
fn a_sasl_init_without_a_symbol_fails_authentication() {
    // The mechanism is a string (proton-c crashes on this).
    let mut p = server_reads(b"\x00\x00\x00\x12\x02\x01\x00\x00\x00\x53\x41\xc0\x05\x01\xa1\x02hi");
    assert_eq!(p.server.t.st.condition.description(), Some(&b"Failed to authenticate client [mech=none]"[..]));
    assert_eq!(outcome(&mut p.server.t), sasl::OUTCOME_AUTH);
}

#[test]
fn an_outcome_without_a_code_is_not_success() {
    let mut p = Pair::new();
    p.client.t.sasl();
    p.client.conn.open();
    p.client.output();
    let mechs = b"AMQP\x03\x01\x00\x00\x00\x00\x00\x1c\x02\x01\x00\x00\x00\x53\x40\xc0\x0f\x01\xe0\x0c\x01\xa3\x09ANONYMOUS";
    p.client.t.push(Some(&mut p.client.conn), mechs);
    p.client.output();
    p.client.t.push(Some(&mut p.client.conn), b"\x00\x00\x00\x0c\x02\x01\x00\x00\x00\x53\x44\x45");
    p.client.output();
    assert!(!p.client.t.st.authenticated);
    assert_eq!(p.client.t.st.condition.name(), Some(&b"amqp:unauthorized-access"[..]));
}

/// Random bytes after the SASL header, on both sides: no panic, and a
/// server never authenticates or opens.
#[test]
fn hostile_input_never_panics_or_authenticates() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces: [&[u8]; 6] = [
        b"\x00\x00\x00\x0c\x02\x01\x00\x00\x00\x53\x41\x45",
        b"\x00\x00\x00\x10\x02\x01\x00\x00\x00\x53\x44\xc0\x03\x01\x50\x00",
        b"\x00\x00\x00\x0c\x02\x00\x00\x00\x00\x53\x10\x45",
        b"\x00\x00\x00\x08\x02\x01\x00\x00",
        b"AMQP\x00\x01\x00\x00",
        b"\x00\x00\x00\x11\x02\x01\x00\x00\x00\x53\x43\xc0\x04\x01\xa0\x01x",
    ];
    for round in 0..3000 {
        let mut input = Vec::new();
        for _ in 0..(rnd() % 6) {
            if rnd() % 3 == 0 {
                input.extend_from_slice(pieces[(rnd() % 6) as usize]);
            } else {
                for _ in 0..(rnd() % 24) {
                    input.push(rnd() as u8);
                }
            }
        }
        for server in [true, false] {
            let mut p = Pair::new();
            let peer = if server { &mut p.server } else { &mut p.client };
            peer.t.sasl();
            peer.t.st.auth_required = true;
            let mut bytes = b"AMQP\x03\x01\x00\x00".to_vec();
            bytes.extend_from_slice(&input);
            let mut off = 0;
            while off < bytes.len() {
                let n = peer.t.push(Some(&mut peer.conn), &bytes[off..]);
                if n <= 0 {
                    break;
                }
                off += n as usize;
                peer.output();
                let n = peer.t.pending(Some(&mut peer.conn));
                if n > 0 {
                    peer.t.pop(Some(&mut peer.conn), n as usize);
                }
            }
            peer.t.close_tail(Some(&mut peer.conn));
            peer.t.close_head(Some(&mut peer.conn));
            if server {
                assert!(!peer.t.st.authenticated, "round {round}: {input:x?}");
                assert!(!peer.saw(E::PN_CONNECTION_REMOTE_OPEN), "round {round}: {input:x?}");
            }
        }
    }
}
