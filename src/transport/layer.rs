//! The transport's layer stack, and the interface a transforming layer
//! (TLS) implements.
//!
//! # The stack
//!
//! Bytes go through at most three layers, as in proton-c (`io_layers[3]`):
//!
//! ```text
//!   wire  <->  [TLS]  <->  [SASL]  <->  AMQP
//!   slot 0 is nearest the wire; each layer hands input up and asks the
//!   layer above it for output.
//! ```
//!
//! - A **transforming** layer ([`TransformLayer`], TLS) stays for the
//!   whole connection: every byte that reaches the wire passes through it.
//!   It is always in slot 0 and is the only layer not written by this
//!   module; everything above it is reached through [`Upper`].
//! - A **negotiating** layer (SASL, `sasl.rs`) exchanges its own frames
//!   first and then passes bytes through unchanged.
//! - **AMQP** (`amqp.rs`) is always last: its protocol header, then frames.
//!
//! Which layers exist is decided at the first input or output (proton's
//! "setup" layer), not when the transport is made:
//!
//! - A client stacks what was configured by then: TLS if
//!   [`Transport::set_tls`] was called (by `pn_ssl`), SASL if `pn_sasl`
//!   was called (or a user name was set on the bound connection), then
//!   AMQP.
//! - A server starts with a single *autodetect* slot that writes nothing
//!   and reads the first bytes of input:
//!   - a TLS record (or an SSLv2 client hello) or the AMQP TLS header
//!     `AMQP\x02\x01\x00\x00` puts the TLS layer in slot 0 and a new
//!     autodetect slot above it, which then looks at the *plaintext*. If
//!     no TLS layer was installed, the stack behaves as proton's
//!     unconfigured TLS layer does: both directions just end.
//!   - the SASL header `AMQP\x03\x01\x00\x00` puts SASL in the slot (made
//!     on the fly with the default mechanisms when the application did not
//!     call `pn_sasl`, as proton-c 0.37 does) and autodetect above it, for
//!     the AMQP header that follows the SASL exchange;
//!   - the AMQP header ends detection. A transport that requires
//!     authentication (`pn_transport_require_auth`) and is not
//!     authenticated, or requires encryption and is not encrypted, refuses
//!     it with `amqp:connection:policy-error` ("Client skipped
//!     authentication - forbidden", "Client connection unencrypted -
//!     forbidden") and writes nothing back.
//!   - Each of TLS and SASL is accepted once; a second TLS or SASL header
//!     is refused ("... protocol header not allowed (maybe detected
//!     twice)"). A TLS server that allows unsecured clients simply does
//!     not set `encryption_required` (pn_ssl_init does, unless the domain
//!     allows unsecured clients), so plain clients are accepted on the same
//!     port.
//! - After a fatal error every slot becomes an *error* slot: input and
//!   output both end (`PN_EOS`); a TLS layer is no longer called.
//!
//! # Writing a transforming layer
//!
//! A TLS implementation is a type implementing [`TransformLayer`],
//! installed with [`Transport::set_tls`] before the transport starts (by
//! `pn_ssl`/`pn_ssl_init`). It is never called on a server whose client did
//! not start with TLS bytes. Its methods are called with the shared
//! [`TransportState`] and an [`Upper`] handle to the layers above it; it
//! owns its buffers (decrypted input not yet taken by the upper layers,
//! plaintext output not yet encrypted, encrypted output not yet written).
//!
//! The return values are proton's `ssize_t` conventions: `n >= 0` bytes,
//! [`EOS`](super::EOS) (or any negative value) for "this direction is
//! finished". Every method must bound its work by the buffers it is given
//! and must not panic on any input.
//!
//! The contract, method by method (proton-c's `openssl.c` is the model):
//!
//! - [`input`](TransformLayer::input)`(st, wire, upper)`: `wire` is what
//!   the peer sent. Take what you can (normally all of it), decrypt it, and
//!   hand the plaintext to `upper.input(st, plain)`, which returns how many
//!   bytes the upper layers used (keep the rest for the next call: they
//!   wait for a whole frame), `0` for none, or a negative value when the
//!   upper layers' input is finished (discard what you hold for them).
//!   Call `upper.input(st, &[])` once when the peer's TLS stream ended
//!   (close_notify, or the wire ended after the handshake), so the upper
//!   layers see the end of their stream. An empty `wire` with
//!   `st.tail_closed` set means the wire input ended: treat it as the
//!   network closing its read side. Return the wire bytes consumed, or
//!   `EOS` once your input side is finished (your close is complete, or
//!   after an error). A handshake may need input before anything else
//!   happens: consuming bytes and giving the upper layers nothing is fine.
//! - [`output`](TransformLayer::output)`(st, wire, upper)`: fill `wire`
//!   with bytes to send. Pull plaintext from `upper.output(st, buf)` (`> 0`
//!   bytes written into `buf`; `0` nothing now; negative: the upper layers
//!   have closed their output, which is when to send close_notify once
//!   your buffered plaintext is out), encrypt it, and copy encrypted bytes
//!   (including your own handshake messages, alerts, close_notify) into
//!   `wire`. Return the count written, `0` if nothing now, or `EOS` when
//!   your output is finished (close_notify written and nothing buffered).
//!   The upper layers may be asked for output before the handshake ends:
//!   buffer it, as OpenSSL does.
//! - [`handle_error`](TransformLayer::handle_error)`(st)`: the transport
//!   had a fatal error (from any layer). It is called before your next
//!   `input`/`output` call after the error; proton's TLS layer stops
//!   reading and, unless its own TLS failed, still sends close_notify.
//! - [`connection_bound`](TransformLayer::connection_bound): called by
//!   `pn_transport_bind` with the connection's host name, for the peer
//!   name (SNI and verification) when the application set none.
//! - [`buffered_output`](TransformLayer::buffered_output): bytes held
//!   for the wire that the transport cannot see (for
//!   `pn_transport_quiesced`).
//! - [`as_any`](TransformLayer::as_any)/`as_any_mut`: let `ffi/ssl.rs`
//!   reach its own type (`pn_ssl_get_cipher_name` …) through
//!   [`Transport::tls`]/[`Transport::tls_mut`].
//!
//! Errors of the layer itself (a failed handshake, a bad record) are
//! reported as proton does: [`TransportState::error`] with the condition
//! name and description (`amqp:connection:framing-error`, "SSL Failure:
//! …"), which sets the transport's condition, posts `PN_TRANSPORT_ERROR`,
//! logs the error, and ends the input side; then return `EOS`.
//!
//! Security facts the TLS layer publishes on [`TransportState`]:
//! [`external`](TransportState::external) — `ssf` (the cipher's strength
//! in bits, `> 0` once the handshake is done: `pn_transport_is_encrypted`
//! and the SASL layer read it) and `authid` (the peer certificate's subject
//! once verified: SASL's EXTERNAL mechanism on a server authenticates that
//! user, and `pn_transport_get_user` reports it on a server without SASL).
//! SASL copies both when the SASL header arrives, as proton-c does, so set
//! them as soon as the handshake completes.
//!
//! [`Transport::set_tls`]: super::Transport::set_tls
//! [`Transport::tls`]: super::Transport::tls
//! [`Transport::tls_mut`]: super::Transport::tls_mut
//! [`TransportState`]: super::TransportState
//! [`TransportState::error`]: super::TransportState::error

use std::any::Any;

use super::TransportState;

/// The layers above a transforming layer, as it sees them.
pub trait Upper {
    /// Give plaintext to the upper layers: the bytes they used, `0`, or a
    /// negative value once their input is finished. An empty slice tells
    /// them their stream ended (only after the TLS stream ended, or when
    /// `st.tail_closed`).
    fn input(&mut self, st: &mut TransportState, plain: &[u8]) -> isize;
    /// Ask the upper layers for plaintext to send into `plain`: the bytes
    /// written, `0` for nothing now, or a negative value once their output
    /// is finished.
    fn output(&mut self, st: &mut TransportState, plain: &mut [u8]) -> isize;
}

/// A layer that transforms every byte between the wire and the layers
/// above it for the whole connection (TLS). See the module documentation
/// for what each method must do.
pub trait TransformLayer {
    /// Wire bytes in; plaintext up through `upper`. Returns the wire bytes
    /// consumed or `EOS`.
    fn input(&mut self, st: &mut TransportState, wire: &[u8], upper: &mut dyn Upper) -> isize;
    /// Plaintext from `upper`; wire bytes into `wire`. Returns the bytes
    /// written, `0`, or `EOS`.
    fn output(&mut self, st: &mut TransportState, wire: &mut [u8], upper: &mut dyn Upper) -> isize;
    /// The transport had a fatal error.
    fn handle_error(&mut self, st: &mut TransportState) {
        let _ = st;
    }
    /// Bytes held for the wire that `output` has not returned yet.
    fn buffered_output(&self) -> usize {
        0
    }
    /// The transport was bound to a connection with this host name (set
    /// and not empty): proton-c makes it the TLS peer name unless
    /// `pn_ssl_set_peer_hostname` chose one already.
    fn connection_bound(&mut self, st: &mut TransportState, hostname: Option<&std::ffi::CStr>) {
        let _ = (st, hostname);
    }
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// What occupies one position of the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Nothing decided yet: the first input or output sets the stack up.
    Setup,
    /// A server reading the first bytes (of the wire, or of the plaintext
    /// above TLS) to choose the next layer; writes nothing meanwhile.
    Autodetect,
    /// The transforming layer (slot 0 only).
    Tls,
    /// SASL (see `sasl.rs`).
    Sasl,
    /// Hands bytes to the next slot unchanged (SASL once it is done).
    Passthru,
    /// AMQP: header then frames, each direction at its own phase
    /// ([`InLayer`](super::InLayer), [`OutLayer`](super::OutLayer)).
    Amqp,
    /// After a fatal error: both directions ended.
    Error,
}

/// The number of slots.
pub const SLOTS: usize = 3;

/// Bits of which layers a server may still detect, and which it saw.
pub const LAYER_AMQP1: u8 = 1;
pub const LAYER_AMQPSASL: u8 = 2;
pub const LAYER_AMQPSSL: u8 = 4;
pub const LAYER_SSL: u8 = 8;
