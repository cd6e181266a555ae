//! TLS configuration shared by many transports (`pn_ssl_domain_t`).
//!
//! A [`Domain`] keeps the settings made through `pn_ssl_domain_set_*` and
//! the OpenSSL context built from them. Every setter checks its input the
//! way proton-c does (loading the files into a trial context) and returns
//! proton's error code when it fails, leaving the previous settings in
//! place. A transport takes the current context when it is initialised
//! (`pn_ssl_init`), so a change affects only transports initialised after
//! it, as the header says.
//!
//! Safe defaults: a client verifies the server's certificate against the
//! system's trust anchors and checks its name; a server asks for no client
//! certificate; only TLS 1.2 and 1.3 are enabled unless the application
//! lists protocols itself; anonymous cipher suites are only ever enabled
//! by `PN_SSL_ANONYMOUS_PEER`, never when verifying.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use openssl::dh::Dh;
use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslMethod, SslOptions, SslSession, SslSessionCacheMode,
    SslVerifyMode,
};
use openssl::x509::X509Name;

/// proton's error codes, as the setters return them.
pub const PN_EOS: i32 = -1;
pub const PN_ERR: i32 = -2;
pub const PN_OVERFLOW: i32 = -3;
pub const PN_UNDERFLOW: i32 = -4;
pub const PN_ARG_ERR: i32 = -6;

/// Which end of the handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Client,
    Server,
}

/// How much of the peer to check (`pn_ssl_verify_mode_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    /// A valid certificate from a trusted CA.
    Peer,
    /// Accept any peer, certificate or not; allows anonymous ciphers.
    Anonymous,
    /// A valid certificate that names the host connected to.
    PeerName,
}

/// The TLS versions proton lets an application choose from.
const PROTOCOLS: [(&str, SslOptions); 4] = [
    ("TLSv1", SslOptions::NO_TLSV1),
    ("TLSv1.1", SslOptions::NO_TLSV1_1),
    ("TLSv1.2", SslOptions::NO_TLSV1_2),
    ("TLSv1.3", SslOptions::NO_TLSV1_3),
];

/// Cipher suites when the peer is not verified: OpenSSL's, plus the
/// anonymous ones (which need security level 0 to be offered).
const ANONYMOUS_CIPHERS: &str = "ALL:aNULL:!eNULL:@STRENGTH:@SECLEVEL=0";

/// Diffie-Hellman parameters for servers (the RFC 7919 group ffdhe2048):
/// needed for the DHE and anonymous DH cipher suites of TLS 1.2.
const FFDHE2048: &[u8] = b"-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
";

/// Client sessions kept for resumption, by `pn_ssl_init` session id.
pub type SessionCache = Arc<Mutex<HashMap<String, SslSession>>>;

/// The most sessions a domain keeps (the oldest is dropped).
const SESSION_CACHE_MAX: usize = 256;

/// What `pn_ssl_domain_set_*` configured.
#[derive(Clone, Debug)]
struct Settings {
    mode: Mode,
    verify: Verify,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    password: Option<String>,
    trusted_db: Option<PathBuf>,
    /// The CA names a verifying server sends to clients.
    client_cas: Option<PathBuf>,
    ciphers: Option<String>,
    /// `SSL_OP_NO_*` for the versions left out (`None`: TLS 1.2 and 1.3).
    protocols: Option<SslOptions>,
    allow_unsecured: bool,
}

struct Inner {
    settings: Settings,
    /// The context for the current settings (made on first use).
    ctx: Option<SslContext>,
    /// Sessions of the current context.
    sessions: SessionCache,
}

/// A TLS domain. Shared (`Arc`) by the C handle and by every transport
/// initialised with it: it lives until the last of them lets go, which is
/// proton's reference counting of domains.
pub struct Domain {
    inner: Mutex<Inner>,
}

/// What a transport takes from its domain when initialised.
#[derive(Clone)]
pub struct Snapshot {
    pub mode: Mode,
    pub verify: Verify,
    pub ctx: SslContext,
    pub sessions: SessionCache,
}

/// The index of a transport's session id in its `Ssl` (for the callback
/// that stores new client sessions).
pub fn session_id_index() -> openssl::ex_data::Index<Ssl, (SessionCache, String)> {
    static INDEX: OnceLock<openssl::ex_data::Index<Ssl, (SessionCache, String)>> = OnceLock::new();
    *INDEX.get_or_init(|| Ssl::new_ex_index().expect("an OpenSSL ex_data index"))
}

impl Domain {
    /// A domain with proton's defaults for `mode`: clients verify the peer
    /// and its name, servers accept anonymous peers.
    pub fn new(mode: Mode) -> Domain {
        let verify = match mode {
            Mode::Client => Verify::PeerName,
            Mode::Server => Verify::Anonymous,
        };
        Domain {
            inner: Mutex::new(Inner {
                settings: Settings {
                    mode,
                    verify,
                    cert: None,
                    key: None,
                    password: None,
                    trusted_db: None,
                    client_cas: None,
                    ciphers: None,
                    protocols: None,
                    allow_unsecured: false,
                },
                ctx: None,
                sessions: SessionCache::default(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent settings behind.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn mode(&self) -> Mode {
        self.lock().settings.mode
    }

    /// `pn_ssl_domain_allow_unsecured_client` was called.
    pub fn allows_unsecured(&self) -> bool {
        self.lock().settings.allow_unsecured
    }

    /// Apply a change if the resulting settings build a context.
    fn change(&self, f: impl FnOnce(&mut Settings) -> Result<(), i32>) -> Result<(), i32> {
        let mut inner = self.lock();
        let mut s = inner.settings.clone();
        f(&mut s)?;
        inner.settings = s;
        inner.ctx = None;
        inner.sessions = SessionCache::default();
        Ok(())
    }

    /// `pn_ssl_domain_set_credentials`: a PEM certificate (chain) file and a
    /// PEM private key file, the key encrypted with `password` if given.
    /// Errors as proton-c: `PN_OVERFLOW` when the certificate cannot be
    /// loaded, `PN_UNDERFLOW` when the key cannot (or does not match).
    pub fn set_credentials(&self, cert: &Path, key: Option<&Path>, password: Option<&str>) -> Result<(), i32> {
        self.change(|s| {
            let mut b = SslContextBuilder::new(SslMethod::tls()).map_err(|_| PN_ERR)?;
            b.set_certificate_chain_file(cert).map_err(|_| PN_OVERFLOW)?;
            let key = key.ok_or(PN_UNDERFLOW)?;
            let pkey = load_key(key, password).ok_or(PN_UNDERFLOW)?;
            b.set_private_key(&pkey).map_err(|_| PN_UNDERFLOW)?;
            b.check_private_key().map_err(|_| PN_UNDERFLOW)?;
            s.cert = Some(cert.to_path_buf());
            s.key = Some(key.to_path_buf());
            s.password = password.map(str::to_owned);
            Ok(())
        })
    }

    /// `pn_ssl_domain_set_trusted_ca_db`: these CAs (a PEM file, or a
    /// directory of hashed certificates) replace the system's.
    pub fn set_trusted_ca_db(&self, db: &Path) -> Result<(), i32> {
        self.change(|s| {
            let mut b = SslContextBuilder::new(SslMethod::tls()).map_err(|_| PN_ERR)?;
            load_trust(&mut b, db).map_err(|_| PN_EOS)?;
            s.trusted_db = Some(db.to_path_buf());
            Ok(())
        })
    }

    /// `pn_ssl_domain_set_peer_authentication`. A verifying server needs its
    /// own certificate, a trusted CA database and the CA list to send to
    /// clients (`trusted_cas`).
    pub fn set_peer_authentication(&self, verify: Verify, trusted_cas: Option<&Path>) -> Result<(), i32> {
        self.change(|s| {
            if s.mode == Mode::Server && verify != Verify::Anonymous {
                let cas = trusted_cas.ok_or(PN_EOS)?;
                if s.trusted_db.is_none() || s.cert.is_none() {
                    return Err(PN_EOS);
                }
                X509Name::load_client_ca_file(cas).map_err(|_| PN_EOS)?;
                s.client_cas = Some(cas.to_path_buf());
            }
            s.verify = verify;
            Ok(())
        })
    }

    /// `pn_ssl_domain_set_protocols`: a space-separated list of `TLSv1`,
    /// `TLSv1.1`, `TLSv1.2`, `TLSv1.3`; only those are enabled. Anything
    /// else (or nothing) is `PN_ARG_ERR`.
    pub fn set_protocols(&self, list: &str) -> Result<(), i32> {
        let mut off = SslOptions::NO_TLSV1 | SslOptions::NO_TLSV1_1 | SslOptions::NO_TLSV1_2 | SslOptions::NO_TLSV1_3;
        let mut any = false;
        for word in list.split(' ').filter(|w| !w.is_empty()) {
            let (_, bit) = PROTOCOLS.iter().find(|(name, _)| *name == word).ok_or(PN_ARG_ERR)?;
            off.remove(*bit);
            any = true;
        }
        if !any {
            return Err(PN_ARG_ERR);
        }
        self.change(|s| {
            s.protocols = Some(off);
            Ok(())
        })
    }

    /// `pn_ssl_domain_set_ciphers`: an OpenSSL cipher list (TLS 1.2 and
    /// below); `PN_ARG_ERR` if OpenSSL accepts none of it.
    pub fn set_ciphers(&self, ciphers: &str) -> Result<(), i32> {
        let mut b = SslContextBuilder::new(SslMethod::tls()).map_err(|_| PN_ERR)?;
        b.set_cipher_list(ciphers).map_err(|_| PN_ARG_ERR)?;
        self.change(|s| {
            s.ciphers = Some(ciphers.to_owned());
            Ok(())
        })
    }

    /// `pn_ssl_domain_allow_unsecured_client`: servers only.
    pub fn allow_unsecured_client(&self) -> Result<(), i32> {
        self.change(|s| {
            if s.mode != Mode::Server {
                return Err(PN_EOS);
            }
            s.allow_unsecured = true;
            Ok(())
        })
    }

    /// The context for the current settings, for a new transport.
    pub fn snapshot(&self) -> Result<Snapshot, ErrorStack> {
        let mut inner = self.lock();
        if inner.ctx.is_none() {
            inner.ctx = Some(build(&inner.settings)?);
        }
        let ctx = inner.ctx.clone().expect("built above");
        Ok(Snapshot { mode: inner.settings.mode, verify: inner.settings.verify, ctx, sessions: inner.sessions.clone() })
    }
}

/// Load a private key; an encrypted one needs `password` (there is never a
/// prompt on the terminal).
fn load_key(path: &Path, password: Option<&str>) -> Option<PKey<Private>> {
    let pem = std::fs::read(path).ok()?;
    match password {
        Some(p) => PKey::private_key_from_pem_passphrase(&pem, p.as_bytes()).ok(),
        None => PKey::private_key_from_pem_callback(&pem, |_| Ok(0)).ok(),
    }
}

fn load_trust(b: &mut SslContextBuilder, db: &Path) -> Result<(), ErrorStack> {
    if db.is_dir() { b.load_verify_locations(None, Some(db)) } else { b.load_verify_locations(Some(db), None) }
}

/// Build the OpenSSL context for `s`.
fn build(s: &Settings) -> Result<SslContext, ErrorStack> {
    let mut b = SslContextBuilder::new(SslMethod::tls())?;
    let off = s.protocols.unwrap_or(SslOptions::NO_TLSV1 | SslOptions::NO_TLSV1_1);
    b.set_options(SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3 | SslOptions::NO_COMPRESSION | off);
    if let (Some(cert), Some(key)) = (&s.cert, &s.key) {
        b.set_certificate_chain_file(cert)?;
        let pkey = load_key(key, s.password.as_deref()).ok_or_else(ErrorStack::get)?;
        b.set_private_key(&pkey)?;
        b.check_private_key()?;
    }
    match &s.trusted_db {
        Some(db) => load_trust(&mut b, db)?,
        None => b.set_default_verify_paths()?,
    }
    match s.verify {
        Verify::Anonymous => {
            b.set_verify(SslVerifyMode::NONE);
            b.set_cipher_list(s.ciphers.as_deref().unwrap_or(ANONYMOUS_CIPHERS))?;
        }
        Verify::Peer | Verify::PeerName => {
            let mode = match s.mode {
                Mode::Client => SslVerifyMode::PEER,
                Mode::Server => SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT,
            };
            b.set_verify(mode);
            if let Some(c) = &s.ciphers {
                // Whatever the application lists, a verified peer must
                // authenticate itself.
                b.set_cipher_list(&format!("{c}:!aNULL:!eNULL"))?;
            }
            if let (Mode::Server, Some(cas)) = (s.mode, &s.client_cas) {
                b.set_client_ca_list(X509Name::load_client_ca_file(cas)?);
            }
        }
    }
    match s.mode {
        Mode::Server => {
            // Needed for resumption when client certificates are verified.
            b.set_session_id_context(b"proton-rs")?;
            let dh = Dh::params_from_pem(FFDHE2048)?;
            b.set_tmp_dh(&dh)?;
        }
        Mode::Client => {
            b.set_session_cache_mode(SslSessionCacheMode::CLIENT);
            b.set_new_session_callback(|ssl, session| {
                if let Some((cache, id)) = ssl.ex_data(session_id_index()) {
                    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
                    if map.len() >= SESSION_CACHE_MAX && !map.contains_key(id) {
                        if let Some(k) = map.keys().next().cloned() {
                            map.remove(&k);
                        }
                    }
                    map.insert(id.clone(), session);
                }
            });
        }
    }
    Ok(b.build())
}
