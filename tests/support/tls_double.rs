//! A stand-in TLS layer for testing the layer stack: no cryptography, just
//! records. Each record is `[type, 0x03, 0x01, len_hi, len_lo, payload]`:
//! type 0x16 carries plaintext, 0x15 is the close ("close_notify"), any
//! other type is an error. The first record received counts as the
//! handshake: it makes the connection "encrypted" (ssf 128) with the peer
//! identity `CN=client`.
#![allow(dead_code)]

use std::any::Any;

use proton::transport::layer::{TransformLayer, Upper};
use proton::transport::{EOS, TransportState};

pub const DATA: u8 = 0x16;
pub const CLOSE: u8 = 0x15;

#[derive(Default)]
pub struct FakeTls {
    /// Wire bytes not yet parsed into records.
    wire_in: Vec<u8>,
    /// Plaintext not yet taken by the upper layers.
    plain_in: Vec<u8>,
    /// Records not yet written to the wire.
    wire_out: Vec<u8>,
    upper_in_closed: bool,
    upper_out_closed: bool,
    peer_closed: bool,
    told_upper_eos: bool,
    sent_close: bool,
    failed: bool,
    /// The transport had an error from another layer.
    external_error: bool,
}

fn record(out: &mut Vec<u8>, ty: u8, payload: &[u8]) {
    out.extend_from_slice(&[ty, 3, 1]);
    out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    out.extend_from_slice(payload);
}

impl FakeTls {
    fn deliver(&mut self, st: &mut TransportState, upper: &mut dyn Upper) {
        while !self.upper_in_closed && !self.plain_in.is_empty() {
            let n = upper.input(st, &self.plain_in);
            if n > 0 {
                self.plain_in.drain(..n as usize);
            } else if n < 0 {
                self.upper_in_closed = true;
                self.plain_in.clear();
            } else {
                break;
            }
        }
        if self.peer_closed && self.plain_in.is_empty() && !self.upper_in_closed && !self.told_upper_eos {
            self.told_upper_eos = true;
            if upper.input(st, &[]) < 0 {
                self.upper_in_closed = true;
            }
        }
    }
}

impl TransformLayer for FakeTls {
    fn input(&mut self, st: &mut TransportState, wire: &[u8], upper: &mut dyn Upper) -> isize {
        if self.failed || self.external_error || (self.upper_in_closed && self.sent_close) {
            return EOS;
        }
        self.wire_in.extend_from_slice(wire);
        while self.wire_in.len() >= 5 {
            let len = u16::from_be_bytes([self.wire_in[3], self.wire_in[4]]) as usize;
            if self.wire_in.len() < 5 + len {
                break;
            }
            let ty = self.wire_in[0];
            let payload: Vec<u8> = self.wire_in.drain(..5 + len).skip(5).collect();
            match ty {
                DATA => {
                    if st.external.ssf == 0 {
                        st.external.ssf = 128;
                        st.external.authid = Some(c"CN=client".into());
                    }
                    self.plain_in.extend_from_slice(&payload);
                }
                CLOSE => self.peer_closed = true,
                other => {
                    self.failed = true;
                    st.error("amqp:connection:framing-error", &format!("SSL Failure: bad record type {other}"));
                    return EOS;
                }
            }
        }
        if wire.is_empty() && st.tail_closed {
            self.peer_closed = true;
        }
        self.deliver(st, upper);
        if self.upper_in_closed && self.sent_close {
            return EOS;
        }
        wire.len() as isize
    }

    fn output(&mut self, st: &mut TransportState, wire: &mut [u8], upper: &mut dyn Upper) -> isize {
        if self.failed || self.external_error {
            return EOS;
        }
        let mut buf = [0u8; 1024];
        while !self.upper_out_closed && self.wire_out.len() < wire.len() {
            let n = upper.output(st, &mut buf);
            if n > 0 {
                record(&mut self.wire_out, DATA, &buf[..n as usize]);
            } else {
                if n < 0 {
                    self.upper_out_closed = true;
                }
                break;
            }
        }
        if self.upper_out_closed && !self.sent_close {
            record(&mut self.wire_out, CLOSE, &[]);
            self.sent_close = true;
        }
        let n = self.wire_out.len().min(wire.len());
        wire[..n].copy_from_slice(&self.wire_out[..n]);
        self.wire_out.drain(..n);
        if n == 0 && self.sent_close {
            return EOS;
        }
        // The upper layers may have waited for the peer's close.
        n as isize
    }

    fn handle_error(&mut self, _st: &mut TransportState) {
        if !self.failed {
            self.external_error = true;
        }
    }

    fn buffered_output(&self) -> usize {
        self.wire_out.len()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
