//! The SASL layer (AMQP 1.0 part 5.3): the SASL protocol header and the
//! mechanisms / init / challenge / response / outcome exchange, then a
//! pass-through to the layer above.
//!
//! The exchange is driven as proton-c 0.37 drives it: each side has a
//! *desired* state (what it wants to have sent or received next) and the
//! *last* state it reached; the frames between the two are posted when
//! output is generated ([`post_frames`]). Input is read one frame per call
//! until a final input state, and output switches to the next layer after
//! a final output state.
//!
//! Mechanisms come from an implementation ([`SaslImpl`]): the built-in one
//! ([`Builtin`]: ANONYMOUS, PLAIN and EXTERNAL on clients, ANONYMOUS and
//! EXTERNAL on servers, as proton-c without Cyrus), or one an application
//! installs through the `pnx_sasl_*` plugin API (`ffi/sasl_plugin.rs`).
//!
//! Differences from proton-c 0.37, on purpose:
//! - An AMQP frame received while SASL frames are expected is a framing
//!   error (proton-c dispatches it, so a client could open a connection
//!   without authenticating); SASL frames are never dispatched by the AMQP
//!   layer either.
//! - A `sasl-init` without a mechanism fails authentication (proton-c
//!   crashes).
//! - The client picks mechanisms by whole names: a server offering
//!   `ANONYMOUS AMQPLAIN PLAIN` (RabbitMQ) gets PLAIN when the client has
//!   a user and password; proton-c matches the first `PLAIN` substring,
//!   finds it inside `AMQPLAIN`, and falls back to ANONYMOUS.

use std::ffi::{CStr, CString, c_void};

use super::{EOS, TransportState, amqp};
use crate::engine::{Connection, EventType};
use crate::ffi::logger::{pn_log_level_t, pn_log_subsystem_t};
use crate::framing::{self, Protocol};

/// The SASL frame descriptors (part 5.3.3).
pub const SASL_MECHANISMS: u64 = 0x40;
pub const SASL_INIT: u64 = 0x41;
pub const SASL_CHALLENGE: u64 = 0x42;
pub const SASL_RESPONSE: u64 = 0x43;
pub const SASL_OUTCOME: u64 = 0x44;

/// `pn_sasl_outcome_t` values.
pub const OUTCOME_NONE: i32 = -1;
pub const OUTCOME_OK: i32 = 0;
pub const OUTCOME_AUTH: i32 = 1;
pub const OUTCOME_PERM: i32 = 3;

/// Mechanisms a client leaves out unless the application allows them
/// explicitly (they need Kerberos set up).
const EXCLUDED_MECHS: &str = "GSSAPI GSS-SPNEGO GS2-KRB5 GS2-IAKERB";

/// Where the exchange stands (`enum pnx_sasl_state`, same numbers).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    None = 0,
    PostedInit,
    PostedMechanisms,
    PostedResponse,
    PostedChallenge,
    RecvedSuccess,
    RecvedFailure,
    PostedOutcome,
    Error,
}

impl State {
    pub fn from_raw(v: i32) -> Option<State> {
        use State::*;
        [None, PostedInit, PostedMechanisms, PostedResponse, PostedChallenge, RecvedSuccess, RecvedFailure, PostedOutcome, Error]
            .get(usize::try_from(v).ok()?)
            .copied()
    }

    fn is_server_state(self) -> bool {
        matches!(self, State::None | State::PostedMechanisms | State::PostedChallenge | State::PostedOutcome | State::Error)
    }

    fn is_client_state(self) -> bool {
        matches!(
            self,
            State::None | State::PostedInit | State::PostedResponse | State::RecvedSuccess | State::RecvedFailure | State::Error
        )
    }
}

/// A mechanism implementation: the operations of `pnx_sasl_implementation`.
/// Each gets the transport's state (with its SASL state in `st.sasl`) and
/// the connection, if bound, for events.
pub trait SaslImpl {
    /// Space-separated mechanisms a server offers.
    fn list_mechanisms(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> Option<CString>;
    fn init_server(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool;
    fn init_client(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool;
    fn prepare_write(&mut self, st: &mut TransportState, conn: Option<&mut Connection>);
    /// Server: the client chose `mechanism` (`None`: the client named none)
    /// with an initial response (`None`: absent).
    fn process_init(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechanism: &CStr, recv: Option<&[u8]>);
    fn process_response(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>);
    /// Client: the offered mechanisms the client allows, space-separated.
    fn process_mechanisms(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechs: &CStr) -> bool;
    fn process_challenge(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>);
    fn process_outcome(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>);
    /// The implementation's resources go (the transport is freed).
    fn free(&mut self, st: &mut TransportState) {
        let _ = st;
    }
    /// Whether this is the built-in implementation.
    fn is_builtin(&self) -> bool {
        false
    }
}

/// The SASL state of a transport (`pni_sasl_t`).
pub struct Sasl {
    pub client: bool,
    /// The implementation (taken out while one of its operations runs).
    pub imp: Option<Box<dyn SaslImpl>>,
    /// The implementation's own data (`pnx_sasl_set_context`).
    pub impl_context: *mut c_void,
    pub selected_mechanism: Option<CString>,
    /// `pn_sasl_allowed_mechs` (None: every mechanism).
    pub included_mechanisms: Option<CString>,
    /// Client: the user to authenticate as; server: the authenticated user.
    pub user: Option<CString>,
    pub authzid: Option<CString>,
    password: Option<Vec<u8>>,
    pub remote_fqdn: Option<CString>,
    pub local_fqdn: Option<CString>,
    /// From the TLS layer when the SASL header arrived.
    pub external_auth: Option<CString>,
    pub external_ssf: i32,
    /// The bytes of the next init/response/challenge/outcome frame
    /// (`None`: a null field).
    pub bytes_out: Option<Vec<u8>>,
    pub outcome: i32,
    pub desired_state: State,
    pub last_state: State,
    pub allow_insecure_mechs: bool,
    /// The peer's SASL header was read / ours was written.
    header_read: bool,
    header_written: bool,
    pub config_name: Option<CString>,
    pub config_path: Option<CString>,
    /// Returned by `list_mechanisms` of a plugin, kept for its lifetime.
    pub mechs_cache: Option<CString>,
}

impl Drop for Sasl {
    fn drop(&mut self) {
        self.clear_password();
    }
}

impl Sasl {
    pub fn new(client: bool) -> Sasl {
        Sasl {
            client,
            imp: Some(new_default_impl()),
            impl_context: std::ptr::null_mut(),
            selected_mechanism: None,
            included_mechanisms: None,
            user: None,
            authzid: None,
            password: None,
            remote_fqdn: None,
            local_fqdn: None,
            external_auth: None,
            external_ssf: 0,
            bytes_out: None,
            outcome: OUTCOME_NONE,
            desired_state: State::None,
            last_state: State::None,
            allow_insecure_mechs: false,
            header_read: false,
            header_written: false,
            config_name: None,
            config_path: None,
            mechs_cache: None,
        }
    }

    /// The credentials of the bound connection.
    pub fn set_user_password(&mut self, user: Option<CString>, authzid: Option<CString>, password: Option<CString>) {
        self.user = user;
        self.authzid = authzid;
        self.clear_password();
        self.password = password.map(|p| p.into_bytes_with_nul());
    }

    /// The password (NUL-terminated), if any.
    pub fn password(&self) -> Option<&CStr> {
        self.password.as_deref().and_then(|p| CStr::from_bytes_with_nul(p).ok())
    }

    /// Wipe and forget the password.
    pub fn clear_password(&mut self) {
        if let Some(mut p) = self.password.take() {
            p.iter_mut().for_each(|b| *b = 0);
            std::hint::black_box(&p);
        }
    }

    fn final_input(&self) -> bool {
        matches!(self.desired_state, State::RecvedSuccess | State::RecvedFailure | State::Error | State::PostedOutcome)
    }

    fn final_output(&self) -> bool {
        (self.desired_state == State::RecvedSuccess && self.last_state >= State::PostedInit)
            || matches!(self.last_state, State::RecvedSuccess | State::RecvedFailure | State::Error | State::PostedOutcome)
    }
}

/// Makes the implementation new SASL layers start with (the built-in one
/// unless `pnx_sasl_set_default_implementation` installed another).
static DEFAULT_IMPL: std::sync::Mutex<Option<fn() -> Box<dyn SaslImpl>>> = std::sync::Mutex::new(None);

/// Install the maker of default implementations (None: the built-in one).
pub fn set_default_impl(f: Option<fn() -> Box<dyn SaslImpl>>) {
    *DEFAULT_IMPL.lock().unwrap_or_else(|e| e.into_inner()) = f;
}

fn new_default_impl() -> Box<dyn SaslImpl> {
    match *DEFAULT_IMPL.lock().unwrap_or_else(|e| e.into_inner()) {
        Some(f) => f(),
        None => Box::new(Builtin),
    }
}

/// What the SASL layer did with a call.
pub enum Step {
    /// Bytes used or written, or `EOS`.
    Done(isize),
    /// Hand the call to the next layer; `done`: from now on.
    Passthru { done: bool },
}

fn sasl_mut(st: &mut TransportState) -> &mut Sasl {
    st.sasl.get_or_insert_with(|| Box::new(Sasl::new(!st.server)))
}

/// Run an operation of the implementation (taken out of the state while
/// it runs; one it installed meanwhile wins).
fn with_impl<R>(
    st: &mut TransportState,
    conn: Option<&mut Connection>,
    f: impl FnOnce(&mut dyn SaslImpl, &mut TransportState, Option<&mut Connection>) -> R,
) -> R {
    let mut imp = sasl_mut(st).imp.take().unwrap_or_else(|| Box::new(Builtin));
    let r = f(&mut *imp, st, conn);
    let s = sasl_mut(st);
    if s.imp.is_none() {
        s.imp = Some(imp);
    }
    r
}

// ---------------------------------------------------------------------------
// The API an implementation uses (`pnx_sasl_*`)

/// Log at `level` in the SASL subsystem.
pub fn log(st: &TransportState, level: pn_log_level_t, msg: &str) {
    st.log(pn_log_subsystem_t::PN_SUBSYSTEM_SASL, level, msg);
}

/// `pnx_sasl_error`: log it and set the transport's condition.
pub fn error(st: &mut TransportState, err: &str, condition: &str) {
    log(st, pn_log_level_t::PN_LEVEL_ERROR, &format!("sasl error: {err}"));
    st.condition.set(Some(condition.as_bytes()), Some(err.as_bytes()));
}

fn text(s: Option<&CStr>) -> std::borrow::Cow<'_, str> {
    s.map_or("(null)".into(), CStr::to_string_lossy)
}

/// `pnx_sasl_set_succeeded`.
pub fn set_succeeded(st: &mut TransportState, user: Option<CString>, authzid: Option<CString>) {
    let Some(s) = st.sasl.as_mut() else { return };
    s.user = user;
    s.authzid = authzid;
    s.outcome = OUTCOME_OK;
    st.authenticated = true;
    let s = st.sasl.as_ref().expect("set above");
    let msg = match s.authzid.as_deref() {
        Some(z) => format!(
            "Authenticated user: {} for {} with mechanism {}",
            text(s.user.as_deref()),
            z.to_string_lossy(),
            text(s.selected_mechanism.as_deref())
        ),
        None => format!("Authenticated user: {} with mechanism {}", text(s.user.as_deref()), text(s.selected_mechanism.as_deref())),
    };
    log(st, pn_log_level_t::PN_LEVEL_INFO, &msg);
}

/// `pnx_sasl_set_failed`.
pub fn set_failed(st: &mut TransportState) {
    if let Some(s) = st.sasl.as_mut() {
        s.outcome = OUTCOME_AUTH;
    }
}

/// `pnx_sasl_set_desired_state`: ask for a frame to be sent (or the
/// exchange to end); refused with an error log when out of order or for
/// the other side. A change posts `PN_TRANSPORT`.
pub fn set_desired_state(st: &mut TransportState, conn: Option<&mut Connection>, desired: State) {
    let s = sasl_mut(st);
    let msg = if s.last_state > desired {
        Some(format!(
            "Trying to send SASL frame ({}), but illegal: already in later state ({})",
            desired as i32, s.last_state as i32
        ))
    } else if s.client && !desired.is_client_state() {
        Some(format!("Trying to send server SASL frame ({}) on a client", desired as i32))
    } else if !s.client && !desired.is_server_state() {
        Some(format!("Trying to send client SASL frame ({}) on a server", desired as i32))
    } else {
        // A repeated challenge or response is sent again.
        if s.last_state == desired && desired == State::PostedResponse {
            s.last_state = State::PostedInit;
        }
        if s.last_state == desired && desired == State::PostedChallenge {
            s.last_state = State::PostedMechanisms;
        }
        let changed = s.desired_state != desired;
        s.desired_state = desired;
        // An error has its own event (PN_TRANSPORT_ERROR).
        if desired != State::Error && changed {
            st.put(conn, EventType::PN_TRANSPORT);
        }
        None
    };
    if let Some(m) = msg {
        log(st, pn_log_level_t::PN_LEVEL_ERROR, &m);
    }
}

/// Whether `mech` is one of the space-separated `list` (case-insensitive,
/// whole words).
fn included(list: &[u8], mech: &[u8]) -> bool {
    list.split(|&b| b == b' ').any(|w| w.eq_ignore_ascii_case(mech))
}

/// A server accepts or offers `mech` (every one without a list).
pub fn server_included(s: &Sasl, mech: &[u8]) -> bool {
    s.included_mechanisms.as_ref().is_none_or(|l| included(l.as_bytes(), mech))
}

/// A client considers `mech` (without a list, all but the excluded ones).
fn client_included(s: &Sasl, mech: &[u8]) -> bool {
    match s.included_mechanisms.as_ref() {
        Some(l) => included(l.as_bytes(), mech),
        None => !included(EXCLUDED_MECHS.as_bytes(), mech),
    }
}

// ---------------------------------------------------------------------------
// The layer

/// A server saw the SASL header (autodetection): SASL is made if the
/// application did not ask for it, the header counts as read, and what the
/// TLS layer knows is taken over.
pub fn server_detected(st: &mut TransportState) {
    let server = st.server;
    let ext = st.external.clone();
    let s = st.sasl.get_or_insert_with(|| Box::new(Sasl::new(!server)));
    s.header_read = true;
    s.external_ssf = ext.ssf;
    s.external_auth = ext.authid;
    log(st, pn_log_level_t::PN_LEVEL_FRAME, "  <- SASL");
}

/// A fatal error elsewhere (`pn_error_sasl`): nothing more is written.
pub fn handle_error(st: &mut TransportState) {
    st.close_sent = true;
    if st.sasl.is_some() {
        set_desired_state(st, None, State::Error);
    }
}

fn start_server_if_needed(st: &mut TransportState, conn: Option<&mut Connection>) {
    let s = sasl_mut(st);
    if !s.client && s.desired_state < State::PostedMechanisms {
        with_impl(st, conn, |i, st, c| i.init_server(st, c));
    }
}

/// Input for the SASL layer.
pub fn input(st: &mut TransportState, mut conn: Option<&mut Connection>, bytes: &[u8]) -> Step {
    let eos = st.tail_closed;
    if !sasl_mut(st).header_read {
        if eos && bytes.is_empty() {
            amqp::do_error(
                st,
                conn,
                Some("amqp:connection:framing-error"),
                "Expected SASL protocol header: no protocol header found (connection aborted)",
            );
            st.set_error_layer();
            return Step::Done(EOS);
        }
        let p = framing::sniff(bytes);
        match p {
            Protocol::Sasl => {
                st.present_layers |= super::layer::LAYER_AMQPSASL;
                let ext = st.external.clone();
                let s = sasl_mut(st);
                s.header_read = true;
                s.external_ssf = ext.ssf;
                s.external_auth = ext.authid;
                log(st, pn_log_level_t::PN_LEVEL_FRAME, "  <- SASL");
                return Step::Done(8);
            }
            Protocol::Incomplete if !eos => return Step::Done(0),
            _ => {}
        }
        let msg = format!(
            "Expected SASL protocol header got: {} ['{}']{}",
            framing::protocol_name(p),
            super::quote(bytes, 1024).0,
            if eos { " (connection aborted)" } else { "" }
        );
        amqp::do_error(st, conn, Some("amqp:connection:framing-error"), &msg);
        st.set_error_layer();
        return Step::Done(EOS);
    }
    if eos {
        amqp::do_error(st, conn, Some("amqp:connection:framing-error"), "connection aborted");
        st.set_error_layer();
        return Step::Done(EOS);
    }
    start_server_if_needed(st, conn.as_deref_mut());
    let s = sasl_mut(st);
    if !s.final_input() {
        let n = amqp::input_sasl(st, conn, bytes);
        return Step::Done(if n < 0 || st.close_rcvd { EOS } else { n });
    }
    if !s.final_output() {
        return Step::Passthru { done: false };
    }
    Step::Passthru { done: true }
}

/// Output of the SASL layer.
pub fn output(st: &mut TransportState, mut conn: Option<&mut Connection>, out: &mut [u8]) -> Step {
    if !sasl_mut(st).header_written {
        if out.len() < 8 {
            return Step::Done(0);
        }
        log(st, pn_log_level_t::PN_LEVEL_FRAME, "  -> SASL");
        out[..8].copy_from_slice(&framing::SASL_HEADER);
        sasl_mut(st).header_written = true;
        return Step::Done(8);
    }
    // After an error (a timeout, say) nothing more is written.
    if st.close_sent {
        return Step::Done(EOS);
    }
    start_server_if_needed(st, conn.as_deref_mut());
    with_impl(st, conn.as_deref_mut(), |i, st, c| i.prepare_write(st, c));
    post_frames(st, conn.as_deref_mut());
    let pending = st.frame_pending();
    let s = sasl_mut(st);
    if pending != 0 || !s.final_output() {
        return Step::Done(copy_frames(st, out));
    }
    if !s.final_input() {
        return Step::Passthru { done: false };
    }
    if s.outcome != OUTCOME_OK {
        return Step::Done(EOS);
    }
    Step::Passthru { done: true }
}

/// Copy queued frames to `out`.
fn copy_frames(st: &mut TransportState, out: &mut [u8]) -> isize {
    let n = st.frame_pending().min(out.len());
    let start = st.frame_start;
    out[..n].copy_from_slice(&st.frame[start..start + n]);
    st.frame_start += n;
    if st.frame_start == st.frame.len() {
        st.frame.clear();
        st.frame_start = 0;
    }
    n as isize
}

/// Post the frames between the last and the desired state
/// (`pni_post_sasl_frame`).
fn post_frames(st: &mut TransportState, mut conn: Option<&mut Connection>) {
    let mut desired = sasl_mut(st).desired_state;
    loop {
        let s = sasl_mut(st);
        if s.desired_state <= s.last_state {
            break;
        }
        let s = sasl_mut(st);
        let last = s.last_state;
        match desired {
            State::PostedInit => {
                let mech = s.selected_mechanism.as_ref().map(|m| m.as_bytes().to_vec());
                let out = s.bytes_out.clone();
                let host = s.local_fqdn.as_ref().map(|h| h.as_bytes().to_vec());
                amqp::post_sasl_frame(st, |f| {
                    f.symbol(mech.as_deref());
                    match &out {
                        Some(b) => f.binary(b),
                        None => f.absent(),
                    };
                    f.string(host.as_deref());
                }, SASL_INIT);
                st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT);
            }
            State::PostedMechanisms => {
                let list = with_impl(st, conn.as_deref_mut(), |i, st, c| i.list_mechanisms(st, c));
                let s = sasl_mut(st);
                let mut mechs: Vec<&[u8]> = Vec::new();
                if let Some(l) = &list {
                    mechs.extend(l.as_bytes().split(|&b| b == b' ').filter(|m| !m.is_empty() && server_included(s, m)));
                }
                let array = symbol_array(&mechs);
                amqp::post_sasl_frame(st, |f| {
                    f.with(|e| e.put_raw(&array));
                }, SASL_MECHANISMS);
                st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT);
            }
            State::PostedResponse | State::PostedChallenge => {
                if desired == State::PostedChallenge && last < State::PostedMechanisms {
                    desired = State::PostedMechanisms;
                    continue;
                }
                if last != desired {
                    let out = s.bytes_out.clone().unwrap_or_default();
                    let code = if desired == State::PostedResponse { SASL_RESPONSE } else { SASL_CHALLENGE };
                    amqp::post_sasl_frame(st, |f| {
                        f.binary(&out);
                    }, code);
                    st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT);
                }
            }
            State::PostedOutcome => {
                if last < State::PostedMechanisms {
                    desired = State::PostedMechanisms;
                    continue;
                }
                let outcome = s.outcome;
                let out = s.bytes_out.clone();
                amqp::post_sasl_frame(st, |f| {
                    f.ubyte(outcome as u8);
                    match &out {
                        Some(b) => f.binary(b),
                        None => f.absent(),
                    };
                }, SASL_OUTCOME);
                st.put(conn.as_deref_mut(), EventType::PN_TRANSPORT);
                if outcome != OUTCOME_OK {
                    let mech = text_mech(st);
                    amqp::do_error(
                        st,
                        conn.as_deref_mut(),
                        Some("amqp:unauthorized-access"),
                        &format!("Failed to authenticate client [mech={mech}]"),
                    );
                    desired = State::Error;
                }
            }
            State::RecvedSuccess => {
                if last < State::PostedInit {
                    desired = State::PostedInit;
                    continue;
                }
            }
            State::RecvedFailure => {
                let mech = text_mech(st);
                amqp::do_error(
                    st,
                    conn.as_deref_mut(),
                    Some("amqp:unauthorized-access"),
                    &format!("Authentication failed [mech={mech}]"),
                );
                // Every layer, TLS included, ends here: nothing more is
                // written, not even TLS's close_notify (as proton-c).
                st.set_error_layer();
                desired = State::Error;
            }
            State::Error => {}
            State::None => return,
        }
        let s = sasl_mut(st);
        s.last_state = desired;
        desired = s.desired_state;
    }
}

/// An array of symbols, as compact as proton writes it (8-bit sizes and
/// counts when everything fits).
fn symbol_array(items: &[&[u8]]) -> Vec<u8> {
    let small = items.iter().all(|m| m.len() <= 255);
    let mut elems = Vec::new();
    for m in items {
        if small {
            elems.push(m.len() as u8);
        } else {
            elems.extend_from_slice(&(m.len() as u32).to_be_bytes());
        }
        elems.extend_from_slice(m);
    }
    let ctor = if small { 0xa3 } else { 0xb3 };
    let mut out = Vec::new();
    if items.len() <= 255 && elems.len() + 2 <= 255 {
        out.extend_from_slice(&[0xe0, (elems.len() + 2) as u8, items.len() as u8, ctor]);
    } else {
        out.push(0xf0);
        out.extend_from_slice(&((elems.len() + 5) as u32).to_be_bytes());
        out.extend_from_slice(&(items.len() as u32).to_be_bytes());
        out.push(ctor);
    }
    out.extend_from_slice(&elems);
    out
}

fn text_mech(st: &mut TransportState) -> String {
    sasl_mut(st).selected_mechanism.as_ref().map_or_else(|| "none".to_string(), |m| m.to_string_lossy().into_owned())
}

// ---------------------------------------------------------------------------
// Frames received (called by `amqp::input_sasl` with the frame's fields)

/// What a SASL frame handler says: `false` to refuse the frame (it was
/// for the other side); proton then stops reading, without an error.
pub type Handled = bool;

/// `sasl-init` (servers).
pub fn do_init(st: &mut TransportState, conn: Option<&mut Connection>, mech: Option<&[u8]>, recv: Option<&[u8]>) -> Handled {
    let s = sasl_mut(st);
    if s.client {
        return false;
    }
    s.selected_mechanism = mech.map(crate::ffi::error::to_cstring_nul);
    let Some(m) = s.selected_mechanism.clone() else {
        // No mechanism named: nothing to authenticate with.
        s.outcome = OUTCOME_AUTH;
        set_desired_state(st, conn, State::PostedOutcome);
        return true;
    };
    if !server_included(s, m.as_bytes()) {
        error(st, "Client mechanism not in mechanism inclusion list.", "amqp:unauthorized-access");
        sasl_mut(st).outcome = OUTCOME_AUTH;
        set_desired_state(st, conn, State::PostedOutcome);
    } else {
        with_impl(st, conn, |i, st, c| i.process_init(st, c, &m, recv));
    }
    true
}

/// `sasl-mechanisms` (clients): `mechs` is the offered list.
pub fn do_mechanisms(st: &mut TransportState, mut conn: Option<&mut Connection>, mechs: &[&[u8]]) -> Handled {
    let s = sasl_mut(st);
    if !s.client {
        return false;
    }
    let mut list = Vec::new();
    for m in mechs {
        if client_included(s, m) {
            if !list.is_empty() {
                list.push(b' ');
            }
            list.extend_from_slice(m);
        }
    }
    let list = crate::ffi::error::to_cstring(&list);
    let ok = with_impl(st, conn.as_deref_mut(), |i, st, c| i.init_client(st, c))
        && !list.as_bytes().is_empty()
        && with_impl(st, conn.as_deref_mut(), |i, st, c| i.process_mechanisms(st, c, &list));
    if !ok {
        sasl_mut(st).outcome = OUTCOME_PERM;
        set_desired_state(st, conn, State::RecvedFailure);
    }
    true
}

/// `sasl-challenge` (clients).
pub fn do_challenge(st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>) -> Handled {
    if !sasl_mut(st).client {
        return false;
    }
    with_impl(st, conn, |i, st, c| i.process_challenge(st, c, recv));
    true
}

/// `sasl-response` (servers).
pub fn do_response(st: &mut TransportState, conn: Option<&mut Connection>, recv: Option<&[u8]>) -> Handled {
    if sasl_mut(st).client {
        return false;
    }
    with_impl(st, conn, |i, st, c| i.process_response(st, c, recv));
    true
}

/// `sasl-outcome` (clients).
pub fn do_outcome(st: &mut TransportState, mut conn: Option<&mut Connection>, code: u8, recv: Option<&[u8]>) -> Handled {
    if !sasl_mut(st).client {
        return false;
    }
    // The server's word first; the implementation may still refuse (it
    // could not authenticate the server, say).
    sasl_mut(st).outcome = code as i32;
    with_impl(st, conn.as_deref_mut(), |i, st, c| i.process_outcome(st, c, recv));
    let ok = sasl_mut(st).outcome == OUTCOME_OK;
    st.authenticated = ok;
    set_desired_state(st, conn, if ok { State::RecvedSuccess } else { State::RecvedFailure });
    true
}

// ---------------------------------------------------------------------------
// The built-in mechanisms

/// ANONYMOUS, PLAIN and EXTERNAL for clients; ANONYMOUS and EXTERNAL (when
/// TLS authenticated the peer) for servers.
pub struct Builtin;

/// Whether `mechs` (space-separated) contains exactly `name`.
fn offers(mechs: &CStr, name: &str) -> bool {
    mechs.to_bytes().split(|&b| b == b' ').any(|m| m == name.as_bytes())
}

impl SaslImpl for Builtin {
    fn list_mechanisms(&mut self, st: &mut TransportState, _conn: Option<&mut Connection>) -> Option<CString> {
        let ext = st.sasl.as_ref().is_some_and(|s| s.external_auth.is_some());
        Some(if ext { c"EXTERNAL ANONYMOUS".into() } else { c"ANONYMOUS".into() })
    }

    fn init_server(&mut self, st: &mut TransportState, conn: Option<&mut Connection>) -> bool {
        set_desired_state(st, conn, State::PostedMechanisms);
        true
    }

    fn init_client(&mut self, _st: &mut TransportState, _conn: Option<&mut Connection>) -> bool {
        true
    }

    fn prepare_write(&mut self, _st: &mut TransportState, _conn: Option<&mut Connection>) {}

    fn process_init(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechanism: &CStr, recv: Option<&[u8]>) {
        let s = sasl_mut(st);
        if mechanism == c"ANONYMOUS" {
            set_succeeded(st, Some(c"anonymous".into()), Some(c"anonymous".into()));
        } else if mechanism == c"EXTERNAL" && s.external_auth.is_some() {
            let user = s.external_auth.clone();
            let authzid = match recv {
                Some(r) if !r.is_empty() => Some(crate::ffi::error::to_cstring_nul(r)),
                _ => user.clone(),
            };
            set_succeeded(st, user, authzid);
        } else {
            set_failed(st);
        }
        set_desired_state(st, conn, State::PostedOutcome);
    }

    fn process_response(&mut self, _st: &mut TransportState, _conn: Option<&mut Connection>, _recv: Option<&[u8]>) {}

    fn process_mechanisms(&mut self, st: &mut TransportState, conn: Option<&mut Connection>, mechs: &CStr) -> bool {
        let s = sasl_mut(st);
        // Preferred in this order, whatever the server's order: EXTERNAL,
        // PLAIN (with credentials, over an encrypted connection unless
        // insecure mechanisms are allowed), ANONYMOUS.
        let choice: Option<(&CStr, Vec<u8>)> = if offers(mechs, "EXTERNAL") {
            Some((c"EXTERNAL", s.authzid.as_ref().map(|z| z.as_bytes().to_vec()).unwrap_or_default()))
        } else if offers(mechs, "PLAIN")
            && (s.external_ssf > 0 || s.allow_insecure_mechs)
            && s.user.is_some()
            && s.password.is_some()
        {
            let mut r = s.authzid.as_ref().map(|z| z.as_bytes().to_vec()).unwrap_or_default();
            r.push(0);
            r.extend_from_slice(s.user.as_ref().map_or(&[][..], |u| u.as_bytes()));
            r.push(0);
            r.extend_from_slice(s.password().map_or(&[][..], CStr::to_bytes));
            s.clear_password();
            Some((c"PLAIN", r))
        } else if offers(mechs, "ANONYMOUS") {
            Some((c"ANONYMOUS", s.user.as_ref().map_or(b"anonymous".to_vec(), |u| u.as_bytes().to_vec())))
        } else {
            None
        };
        let Some((mech, response)) = choice else { return false };
        s.selected_mechanism = Some(mech.into());
        s.bytes_out = Some(response);
        set_desired_state(st, conn, State::PostedInit);
        true
    }

    fn process_challenge(&mut self, _st: &mut TransportState, _conn: Option<&mut Connection>, _recv: Option<&[u8]>) {}

    fn process_outcome(&mut self, _st: &mut TransportState, _conn: Option<&mut Connection>, _recv: Option<&[u8]>) {}

    fn is_builtin(&self) -> bool {
        true
    }
}
