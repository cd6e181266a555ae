//! TLS (`src/transport/tls`): a client and a server transport wired in
//! memory, with the certificates of `tests/tls/make-certs.sh`.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proton::engine::{Connection, EventType as E, REMOTE_ACTIVE};
use proton::transport::Transport;
use proton::transport::tls::{Domain, HashAlg, Mode, Resume, Tls, Verify};

/// The test certificates (made once per build directory).
fn certs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tls-certs");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls/make-certs.sh");
        let out = std::process::Command::new("bash").arg(script).arg(&dir).output().expect("run make-certs.sh");
        assert!(out.status.success(), "make-certs.sh: {}", String::from_utf8_lossy(&out.stderr));
        dir
    })
}

fn cert(name: &str) -> PathBuf {
    certs().join(name)
}

/// One end: a transport and its connection.
struct End {
    conn: Connection,
    t: Transport,
    events: Vec<E>,
}

impl End {
    fn new(server: bool, tls: Option<Tls>) -> End {
        let mut conn = Connection::new();
        conn.collect(true);
        let mut t = Transport::new();
        if server {
            t.set_server();
        }
        if let Some(tls) = tls {
            t.set_tls(Box::new(tls));
        }
        t.bind(&mut conn);
        let mut e = End { conn, t, events: Vec::new() };
        e.collect();
        e
    }

    fn collect(&mut self) {
        self.events.extend(self.conn.events.drain(..).map(|e| e.0));
        self.conn.created.clear();
        self.conn.recheck.clear();
    }

    fn saw(&mut self, ty: E) -> bool {
        self.collect();
        self.events.contains(&ty)
    }

    fn tls(&self) -> &Tls {
        self.t.tls().expect("a TLS layer").as_any().downcast_ref::<Tls>().expect("our TLS layer")
    }

    fn condition(&self) -> Option<(String, String)> {
        let c = &self.t.st.condition;
        c.is_set().then(|| {
            (
                String::from_utf8_lossy(c.name().unwrap_or_default()).into_owned(),
                String::from_utf8_lossy(c.description().unwrap_or_default()).into_owned(),
            )
        })
    }

    fn remote_open(&self) -> bool {
        self.conn.ep.state & REMOTE_ACTIVE != 0
    }
}

/// Move bytes from `a` to `b`; the count moved. The end of `a`'s output
/// becomes the end of `b`'s input.
fn transfer(a: &mut End, b: &mut End) -> usize {
    let pending = a.t.pending(Some(&mut a.conn));
    a.collect();
    if pending < 0 {
        if !b.t.st.tail_closed {
            b.t.close_tail(Some(&mut b.conn));
            b.collect();
            return 1;
        }
        return 0;
    }
    if pending == 0 {
        return 0;
    }
    let cap = b.t.capacity();
    if cap <= 0 {
        // The reader is gone: drop the bytes.
        a.t.pop(Some(&mut a.conn), pending as usize);
        a.collect();
        return pending as usize;
    }
    let n = (pending as usize).min(cap as usize);
    let bytes = a.t.head()[..n].to_vec();
    a.t.pop(Some(&mut a.conn), n);
    b.t.push(Some(&mut b.conn), &bytes);
    a.collect();
    b.collect();
    n
}

fn pump(c: &mut End, s: &mut End) {
    for _ in 0..10_000 {
        let n = transfer(c, s) + transfer(s, c);
        if n == 0 {
            return;
        }
    }
    panic!("the pair never went quiet");
}

fn client_domain(verify: Verify) -> Domain {
    let d = Domain::new(Mode::Client);
    d.set_trusted_ca_db(&cert("ca.pem")).unwrap();
    d.set_peer_authentication(verify, None).unwrap();
    d
}

fn server_domain(name: &str) -> Domain {
    let d = Domain::new(Mode::Server);
    d.set_credentials(&cert(&format!("{name}.pem")), Some(&cert(&format!("{name}.key"))), None).unwrap();
    d
}

fn tls(domain: &Domain, host: Option<&str>, session: Option<&str>) -> Tls {
    let mut t = Tls::new();
    t.init(domain, session).unwrap();
    t.set_peer_hostname(host);
    t
}

/// Connect a client and a server, open and pump; the two ends.
fn connect(client: Option<Tls>, server: Option<Tls>) -> (End, End) {
    let mut c = End::new(false, client);
    let mut s = End::new(true, server);
    c.conn.open();
    s.conn.open();
    pump(&mut c, &mut s);
    (c, s)
}

fn established(c: &End, s: &End) {
    assert!(c.remote_open() && s.remote_open(), "not open: client {:?} server {:?}", c.condition(), s.condition());
    assert!(c.t.st.is_encrypted() && s.t.st.is_encrypted());
}

fn failed_with(e: &mut End, text: &str) {
    let (name, desc) = e.condition().expect("a transport condition");
    assert_eq!(name, "amqp:connection:framing-error");
    assert!(desc.starts_with("SSL Failure: error:") && desc.ends_with(text), "{desc}");
    assert!(e.saw(E::PN_TRANSPORT_ERROR));
    assert!(e.saw(E::PN_TRANSPORT_CLOSED));
}

#[test]
fn verify_peer_name_matches() {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("server");
    let (c, s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    let t = c.tls();
    assert_eq!(t.protocol_name(), Some("TLSv1.3"));
    assert_eq!(t.cipher_name(), Some("TLS_AES_256_GCM_SHA384"));
    assert_eq!(t.ssf(), 256);
    assert_eq!(t.remote_subject().unwrap().to_str().unwrap(), "CN=localhost");
    assert_eq!(t.remote_subject_subfield(5).unwrap().to_str().unwrap(), "localhost");
    assert!(t.remote_subject_subfield(0).is_none());
    assert_eq!(t.cert_fingerprint(HashAlg::Sha1).unwrap().len(), 40);
    assert_eq!(t.cert_fingerprint(HashAlg::Sha256).unwrap().len(), 64);
    assert_eq!(t.cert_fingerprint(HashAlg::Sha512).unwrap().len(), 128);
    assert_eq!(t.cert_fingerprint(HashAlg::Md5).unwrap().len(), 32);
    // The server has no client certificate to show.
    assert!(s.tls().remote_subject().is_none());
    assert!(s.t.st.external.authid.is_none());
    assert_eq!(s.t.st.external.ssf, 256);
}

#[test]
fn clean_close_exchanges_close_notify() {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("server");
    let (mut c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    c.conn.close();
    s.conn.close();
    pump(&mut c, &mut s);
    for e in [&mut c, &mut s] {
        assert!(e.saw(E::PN_TRANSPORT_CLOSED));
        assert!(!e.saw(E::PN_TRANSPORT_ERROR), "{:?}", e.condition());
        assert!(e.condition().is_none());
    }
}

#[test]
fn name_mismatch_is_refused() {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("other");
    let (mut c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    failed_with(&mut c, "SSL routines::certificate verify failed");
    failed_with(&mut s, "SSL routines::unexpected eof while reading");
    assert!(!c.remote_open() && !s.remote_open());
}

#[test]
fn name_verification_without_a_name_is_refused() {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("server");
    let (mut c, _s) = connect(Some(tls(&cd, None, None)), Some(tls(&sd, None, None)));
    failed_with(&mut c, "certificate verify failed");
}

#[test]
fn verify_peer_ignores_the_name() {
    let cd = client_domain(Verify::Peer);
    let sd = server_domain("other");
    let (c, s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    assert_eq!(c.tls().remote_subject().unwrap().to_str().unwrap(), "CN=other.example.com");
}

#[test]
fn untrusted_ca_is_refused() {
    let cd = client_domain(Verify::Peer);
    let sd = server_domain("untrusted");
    let (mut c, _s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    failed_with(&mut c, "certificate verify failed");
}

#[test]
fn anonymous_peers() {
    let cd = Domain::new(Mode::Client);
    cd.set_peer_authentication(Verify::Anonymous, None).unwrap();
    let sd = Domain::new(Mode::Server);
    let (c, s) = connect(Some(tls(&cd, None, None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    assert_eq!((c.tls().cipher_name(), c.tls().protocol_name()), (Some("ADH-AES256-GCM-SHA384"), Some("TLSv1.2")));
    assert!(c.tls().remote_subject().is_none());
}

#[test]
fn a_verifying_client_refuses_an_anonymous_server() {
    let cd = client_domain(Verify::Peer);
    let sd = Domain::new(Mode::Server);
    let (_c, mut s) = connect(Some(tls(&cd, None, None)), Some(tls(&sd, None, None)));
    failed_with(&mut s, "no shared cipher");
}

fn verifying_server() -> Domain {
    let sd = server_domain("server");
    sd.set_trusted_ca_db(&cert("ca.pem")).unwrap();
    sd.set_peer_authentication(Verify::Peer, Some(&cert("ca.pem"))).unwrap();
    sd
}

#[test]
fn client_certificate_required_and_given() {
    for key in ["client.key", "client-enc.key"] {
        let cd = client_domain(Verify::PeerName);
        let password = (key == "client-enc.key").then_some("secret");
        cd.set_credentials(&cert("client.pem"), Some(&cert(key)), password).unwrap();
        let sd = verifying_server();
        let (c, s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
        established(&c, &s);
        let subject = "CN=test-client,OU=Tests,O=Proton RS,L=Boston,ST=Massachusetts,C=US";
        assert_eq!(s.tls().remote_subject().unwrap().to_str().unwrap(), subject);
        // For SASL EXTERNAL.
        assert_eq!(s.t.st.external.authid.as_deref().unwrap().to_str().unwrap(), subject);
        let fields: Vec<_> = (0..6).map(|i| s.tls().remote_subject_subfield(i).unwrap().to_str().unwrap().to_owned()).collect();
        assert_eq!(fields, ["US", "Massachusetts", "Boston", "Proton RS", "Tests", "test-client"]);
    }
}

#[test]
fn client_certificate_required_and_missing() {
    let cd = client_domain(Verify::PeerName);
    let sd = verifying_server();
    let (mut c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    failed_with(&mut s, "peer did not return a certificate");
    failed_with(&mut c, "unexpected eof while reading");
}

#[test]
fn client_certificate_from_an_untrusted_ca() {
    let cd = client_domain(Verify::PeerName);
    cd.set_credentials(&cert("untrusted.pem"), Some(&cert("untrusted.key")), None).unwrap();
    let sd = verifying_server();
    let (_c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    failed_with(&mut s, "certificate verify failed");
}

#[test]
fn credential_errors() {
    let d = Domain::new(Mode::Client);
    assert_eq!(d.set_credentials(&cert("missing.pem"), Some(&cert("client.key")), None), Err(-3));
    assert_eq!(d.set_credentials(&cert("client.pem"), Some(&cert("missing.key")), None), Err(-4));
    assert_eq!(d.set_credentials(&cert("client.pem"), Some(&cert("server.key")), None), Err(-4));
    assert_eq!(d.set_credentials(&cert("client.pem"), Some(&cert("client-enc.key")), None), Err(-4));
    assert_eq!(d.set_credentials(&cert("client.pem"), Some(&cert("client-enc.key")), Some("wrong")), Err(-4));
    assert_eq!(d.set_credentials(&cert("client.pem"), None, None), Err(-4));
    assert_eq!(d.set_credentials(&cert("client.pem"), Some(&cert("client-enc.key")), Some("secret")), Ok(()));
    assert_eq!(d.set_trusted_ca_db(&cert("missing.pem")), Err(-1));
    assert_eq!(d.set_protocols(""), Err(-6));
    assert_eq!(d.set_protocols("TLSv1.2 SSLv3"), Err(-6));
    assert_eq!(d.set_protocols(" TLSv1.3  TLSv1.2 "), Ok(()));
    assert_eq!(d.set_ciphers("no-such-cipher"), Err(-6));
    assert_eq!(d.allow_unsecured_client(), Err(-1));
    let s = Domain::new(Mode::Server);
    // A verifying server needs credentials and a CA database first.
    assert_eq!(s.set_peer_authentication(Verify::Peer, Some(&cert("ca.pem"))), Err(-1));
    s.set_credentials(&cert("server.pem"), Some(&cert("server.key")), None).unwrap();
    assert_eq!(s.set_peer_authentication(Verify::Peer, Some(&cert("ca.pem"))), Err(-1));
    s.set_trusted_ca_db(&cert("ca.pem")).unwrap();
    assert_eq!(s.set_peer_authentication(Verify::Peer, None), Err(-1));
    assert_eq!(s.set_peer_authentication(Verify::Peer, Some(&cert("ca.pem"))), Ok(()));
    assert_eq!(s.allow_unsecured_client(), Ok(()));
}

#[test]
fn protocol_restrictions() {
    for (client, server, expect) in [
        ("TLSv1.2", None, Some("TLSv1.2")),
        ("TLSv1.3", None, Some("TLSv1.3")),
        ("TLSv1.2 TLSv1.3", Some("TLSv1.2"), Some("TLSv1.2")),
        ("TLSv1.2", Some("TLSv1.3"), None),
    ] {
        let cd = client_domain(Verify::PeerName);
        cd.set_protocols(client).unwrap();
        let sd = server_domain("server");
        if let Some(p) = server {
            sd.set_protocols(p).unwrap();
        }
        let (c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
        match expect {
            Some(v) => {
                established(&c, &s);
                assert_eq!(c.tls().protocol_name(), Some(v));
                assert_eq!(s.tls().protocol_name(), Some(v));
            }
            None => failed_with(&mut s, "unsupported protocol"),
        }
    }
}

#[test]
fn cipher_restrictions() {
    let cd = client_domain(Verify::PeerName);
    cd.set_protocols("TLSv1.2").unwrap();
    cd.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256").unwrap();
    let sd = server_domain("server");
    let (c, s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    assert_eq!(s.tls().cipher_name(), Some("ECDHE-RSA-AES128-GCM-SHA256"));
    assert_eq!(c.tls().ssf(), 128);

    sd.set_ciphers("ECDHE-RSA-AES256-GCM-SHA384").unwrap();
    let (_c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    failed_with(&mut s, "no shared cipher");
}

#[test]
fn anonymous_ciphers_are_never_used_when_verifying() {
    // Even if the application lists them.
    let cd = client_domain(Verify::Peer);
    cd.set_protocols("TLSv1.2").unwrap();
    cd.set_ciphers("aNULL:ALL").unwrap();
    let sd = Domain::new(Mode::Server);
    sd.set_peer_authentication(Verify::Anonymous, None).unwrap();
    let (_c, mut s) = connect(Some(tls(&cd, None, None)), Some(tls(&sd, None, None)));
    failed_with(&mut s, "no shared cipher");
}

#[test]
fn session_resumption() {
    for protocols in ["TLSv1.3", "TLSv1.2"] {
        let cd = client_domain(Verify::PeerName);
        cd.set_protocols(protocols).unwrap();
        let sd = server_domain("server");
        let mut seen = Vec::new();
        for id in ["one", "one", "two", "one"] {
            let client = tls(&cd, Some("localhost"), Some(id));
            assert_eq!(client.resume_status(), Resume::New);
            let (mut c, mut s) = connect(Some(client), Some(tls(&sd, None, None)));
            established(&c, &s);
            seen.push((c.tls().resume_status(), s.tls().resume_status()));
            c.conn.close();
            s.conn.close();
            pump(&mut c, &mut s);
        }
        use Resume::*;
        assert_eq!(seen, [(New, New), (Reused, Reused), (New, New), (Reused, Reused)], "{protocols}");
    }
}

#[test]
fn before_init_nothing_is_known() {
    let mut t = Tls::new();
    assert_eq!(t.resume_status(), Resume::Unknown);
    assert_eq!(t.cipher_name(), None);
    assert_eq!(t.ssf(), 0);
    t.set_peer_hostname(Some("example.com"));
    assert_eq!(t.peer_hostname(), Some("example.com"));
    t.init(&Domain::new(Mode::Client), None).unwrap();
    assert_eq!(t.resume_status(), Resume::New);
    assert_eq!(t.protocol_name(), None);
    assert!(t.cert_fingerprint(HashAlg::Sha1).is_none());
}

/// Feed `bytes` to a TLS server; its condition once the input ended.
fn server_fed(bytes: &[u8]) -> (End, Vec<u8>) {
    let sd = server_domain("server");
    let mut s = End::new(true, Some(tls(&sd, None, None)));
    s.t.push(Some(&mut s.conn), bytes);
    let mut out = Vec::new();
    for _ in 0..10 {
        let n = s.t.pending(Some(&mut s.conn));
        if n <= 0 {
            break;
        }
        out.extend_from_slice(&s.t.head()[..n as usize]);
        s.t.pop(Some(&mut s.conn), n as usize);
    }
    s.t.close_tail(Some(&mut s.conn));
    s.t.pending(Some(&mut s.conn));
    s.collect();
    (s, out)
}

#[test]
fn garbage_instead_of_a_tls_record() {
    // Starts as a handshake record but is not a ClientHello.
    let mut bad = b"\x16\x03\x01\x00\x10".to_vec();
    bad.extend_from_slice(&[b'x'; 32]);
    let (mut s, out) = server_fed(&bad);
    failed_with(&mut s, "unexpected message");
    assert!(out.is_empty(), "nothing is written back: {out:?}");

    // A record cut short by the end of the stream.
    let (mut s, _) = server_fed(b"\x16\x03\x01");
    failed_with(&mut s, "unexpected eof while reading");

    // Random bytes after a valid record header.
    let mut junk = b"\x16\x03\x03\x01\x00".to_vec();
    junk.extend((0..256u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    let (mut s, _) = server_fed(&junk);
    assert!(s.condition().is_some());
    assert!(s.saw(E::PN_TRANSPORT_CLOSED));
}

#[test]
fn tls_client_of_a_plain_server() {
    let cd = client_domain(Verify::PeerName);
    let (mut c, mut s) = connect(Some(tls(&cd, Some("localhost"), None)), None);
    failed_with(&mut c, "unexpected eof while reading");
    assert!(s.saw(E::PN_TRANSPORT_CLOSED));
}

#[test]
fn the_wire_ending_mid_connection_is_an_error() {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("server");
    let (mut c, s) = connect(Some(tls(&cd, Some("localhost"), None)), Some(tls(&sd, None, None)));
    established(&c, &s);
    c.t.close_tail(Some(&mut c.conn));
    c.t.pending(Some(&mut c.conn));
    failed_with(&mut c, "unexpected eof while reading");
}

/// A `support::pair::Pair` whose transports talk TLS.
fn tls_pair(max_frame: u32) -> support::pair::Pair {
    let cd = client_domain(Verify::PeerName);
    let sd = server_domain("server");
    let mk = |server: bool, tls: Tls| {
        let mut conn = Connection::new();
        conn.collect(true);
        let mut t = Transport::new();
        if server {
            t.set_server();
        }
        t.set_max_frame(max_frame);
        t.set_tls(Box::new(tls));
        t.bind(&mut conn);
        support::pair::Peer { conn, t, events: Vec::new() }
    };
    let mut p = support::pair::Pair::new();
    p.client = mk(false, tls(&cd, Some("localhost"), None));
    p.server = mk(true, tls(&sd, None, None));
    p
}

#[test]
fn bulk_transfers_in_any_chunking() {
    // Deliveries from 1 byte to 300 KB (one frame or many, many TLS records),
    // with the wire cut into pieces of 1, 7, 1000 bytes or not at all.
    for (chunk, max_frame) in [(0, 0), (1000, 4096), (7, 512), (1, 16384)] {
        let mut p = tls_pair(max_frame);
        p.chunk = chunk;
        p.open();
        assert!(p.client.t.st.is_encrypted(), "chunk {chunk}");
        let cs = p.client.conn.new_session(1);
        p.client.conn.session_open(cs);
        let cl = p.client.conn.new_link(cs, b"bulk", true, 1);
        p.client.conn.link_open(cl);
        p.pump();
        let ss = p.server.conn.session_list[0];
        p.server.conn.session_open(ss);
        let sl = p.server.conn.sessions[ss].links[0];
        p.server.conn.link_open(sl);
        p.server.conn.link_flow(sl, 100);
        p.pump();
        assert_eq!(p.client.conn.links[cl].credit, 100, "chunk {chunk}");
        // (The pair gives up after 10000 rounds of pumping.)
        let sizes: &[usize] = match chunk {
            1 => &[1, 3_000],
            7 => &[1, 100, 16_385, 40_000],
            _ => &[1, 100, 16_000, 16_385, 70_000, 300_000],
        };
        for (i, &n) in sizes.iter().enumerate() {
            let body: Vec<u8> = (0..n).map(|j| (j * 7 + i) as u8).collect();
            let d = p.client.conn.new_delivery(cl, format!("d{i}").as_bytes(), 1);
            p.client.conn.link_send(cl, &body);
            p.client.conn.link_advance(cl);
            p.pump();
            let rd = p.server.conn.links[sl].current.unwrap_or_else(|| panic!("no delivery: chunk {chunk} size {n}"));
            assert!(p.server.conn.deliveries[rd].done, "chunk {chunk} size {n}");
            assert_eq!(p.server.conn.deliveries[rd].bytes(), &body[..], "chunk {chunk} size {n}");
            p.server.conn.link_advance(sl);
            p.server.conn.delivery_update(rd, proton::engine::ACCEPTED);
            p.server.conn.delivery_settle(rd);
            p.pump();
            assert_eq!(p.client.conn.deliveries[d].remote.type_, proton::engine::ACCEPTED);
        }
        p.client.conn.close();
        p.server.conn.close();
        p.pump();
        assert!(p.client.saw(E::PN_TRANSPORT_CLOSED) && p.server.saw(E::PN_TRANSPORT_CLOSED), "chunk {chunk}");
        assert!(!p.client.t.st.condition.is_set() && !p.server.t.st.condition.is_set(), "chunk {chunk}");
    }
}

#[test]
fn hostile_bytes_never_hang_or_panic() {
    // Every prefix of a real ClientHello with its bytes flipped, and
    // random records: the server ends with a condition or waits for more,
    // and closes once the input ends.
    let cd = client_domain(Verify::PeerName);
    let mut c = End::new(false, Some(tls(&cd, Some("localhost"), None)));
    c.conn.open();
    let n = c.t.pending(Some(&mut c.conn));
    assert!(n > 0);
    let hello = c.t.head()[..n as usize].to_vec();
    let mut seed = 12345u64;
    let mut rnd = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for round in 0..200 {
        let mut bytes = hello.clone();
        let cut = 1 + rnd() % bytes.len();
        bytes.truncate(cut);
        for _ in 0..(1 + rnd() % 4) {
            let i = rnd() % bytes.len();
            if i > 4 || round % 2 == 0 {
                bytes[i] ^= 1 << (rnd() % 8);
            }
        }
        let (mut s, _) = server_fed(&bytes);
        assert!(s.saw(E::PN_TRANSPORT_CLOSED), "round {round}");
    }
}
