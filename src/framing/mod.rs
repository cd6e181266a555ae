//! Frames and protocol headers (AMQP 1.0 part 2.3 and 5.1).
//!
//! A frame is an 8-byte header (size, data offset in 4-byte words, type,
//! channel), optional extended header bytes, and a body. A connection
//! starts with an 8-byte protocol header naming the protocol layer that
//! follows (AMQP, SASL or TLS). Safe Rust, no allocation.

/// Frame type of AMQP frames.
pub const AMQP_FRAME_TYPE: u8 = 0;
/// Frame type of SASL frames.
pub const SASL_FRAME_TYPE: u8 = 1;
/// Size of the fixed frame header.
pub const FRAME_HEADER_SIZE: usize = 8;
/// The smallest max-frame-size a peer may advertise (part 2.7.1).
pub const MIN_MAX_FRAME_SIZE: u32 = 512;

/// The AMQP protocol header (protocol id 0, version 1.0.0).
pub const AMQP_HEADER: [u8; 8] = *b"AMQP\x00\x01\x00\x00";
/// The SASL protocol header (protocol id 3).
pub const SASL_HEADER: [u8; 8] = *b"AMQP\x03\x01\x00\x00";

/// One frame, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    pub frame_type: u8,
    pub channel: u16,
    /// The extended header (between the fixed header and the body).
    pub extended: &'a [u8],
    /// The body (performative and payload); empty for heartbeats.
    pub body: &'a [u8],
}

/// Why input is not a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// The size exceeds the negotiated maximum.
    TooLarge,
    /// The data offset points outside the frame or into the fixed header.
    BadOffset,
}

/// Read one frame from the start of `input`. `Ok(None)` when more bytes
/// are needed; `max` is the largest frame accepted (0: no limit).
/// Returns the frame and the bytes it took.
pub fn read_frame(input: &[u8], max: u32) -> Result<Option<(Frame<'_>, usize)>, FrameError> {
    if input.len() < FRAME_HEADER_SIZE {
        return Ok(None);
    }
    let size = u32::from_be_bytes([input[0], input[1], input[2], input[3]]);
    if max != 0 && size > max {
        return Err(FrameError::TooLarge);
    }
    let size = size as usize;
    if input.len() < size {
        return Ok(None);
    }
    let doff = 4 * input[4] as usize;
    if doff < FRAME_HEADER_SIZE || doff > size {
        return Err(FrameError::BadOffset);
    }
    let frame = Frame {
        frame_type: input[5],
        channel: u16::from_be_bytes([input[6], input[7]]),
        extended: &input[FRAME_HEADER_SIZE..doff],
        body: &input[doff..size],
    };
    Ok(Some((frame, size)))
}

/// Append a frame header for a frame whose body is `body_len` bytes.
pub fn write_frame_header(out: &mut Vec<u8>, frame_type: u8, channel: u16, body_len: usize) {
    let size = (FRAME_HEADER_SIZE + body_len) as u32;
    out.extend_from_slice(&size.to_be_bytes());
    out.push(2);
    out.push(frame_type);
    out.extend_from_slice(&channel.to_be_bytes());
}

/// Reserve a frame header at the end of `out` (to be filled by
/// [`finish_frame`] once the body is written); returns its position.
pub fn begin_frame(out: &mut Vec<u8>) -> usize {
    let at = out.len();
    out.extend_from_slice(&[0; FRAME_HEADER_SIZE]);
    at
}

/// Fill in the header reserved at `at`: the body is everything after it.
pub fn finish_frame(out: &mut [u8], at: usize, frame_type: u8, channel: u16) {
    let size = (out.len() - at) as u32;
    out[at..at + 4].copy_from_slice(&size.to_be_bytes());
    out[at + 4] = 2;
    out[at + 5] = frame_type;
    out[at + 6..at + 8].copy_from_slice(&channel.to_be_bytes());
}

/// What the first bytes of a connection are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `AMQP` protocol id 0.
    Amqp,
    /// `AMQP` protocol id 3.
    Sasl,
    /// `AMQP` protocol id 2 (AMQP's own TLS header).
    AmqpTls,
    /// A TLS record (handshake), SSLv3 or later, or an SSLv2 client hello.
    Tls,
    /// `AMQP` with another protocol id or version.
    AmqpOther,
    /// Something else.
    Unknown,
    /// Not enough bytes to tell.
    Incomplete,
}

/// Identify the protocol from the first bytes of input, as proton's
/// autodetection does (servers). Bytes are compared as C's signed `char`s,
/// as proton compares them.
pub fn sniff(input: &[u8]) -> Protocol {
    let b = |i: usize| input[i] as i8;
    if input.len() < 3 {
        return Protocol::Incomplete;
    }
    // SSLv3/TLS handshake record: content type 22, version 3.0-3.3.
    if b(0) == 22 && b(1) == 3 && b(2) <= 3 {
        return Protocol::Tls;
    }
    let first3_amqp = &input[..3] == b"AMQ";
    let first3_ssl2 = b(2) == 1;
    if !first3_amqp && !first3_ssl2 {
        return Protocol::Unknown;
    }
    if input.len() < 4 {
        return Protocol::Incomplete;
    }
    let is_amqp = first3_amqp && input[3] == b'P';
    let first4_ssl2 = first3_ssl2 && (b(3) == 2 || b(3) == 3);
    if !is_amqp && !first4_ssl2 {
        return Protocol::Unknown;
    }
    if input.len() < 5 {
        return Protocol::Incomplete;
    }
    // SSLv2 client hello carrying SSL 2.0 or 3.0-3.3.
    if b(2) == 1 && ((b(3) == 3 && b(4) <= 3) || (b(3) == 2 && b(4) == 0)) {
        return Protocol::Tls;
    }
    if !is_amqp {
        return Protocol::Unknown;
    }
    if input.len() < 8 {
        return Protocol::Incomplete;
    }
    if input[5] != 1 {
        return Protocol::Unknown;
    }
    match (input[4], input[6], input[7]) {
        (0, 0, 0) => Protocol::Amqp,
        (2, 0, 0) => Protocol::AmqpTls,
        (3, 0, 0) => Protocol::Sasl,
        _ => Protocol::AmqpOther,
    }
}

/// proton's name of a protocol, for error messages.
pub fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Amqp => "AMQP 1.0 layer",
        Protocol::Sasl => "AMQP SASL layer",
        Protocol::AmqpTls => "AMQP TLS layer",
        Protocol::Tls => "SSL/TLS connection",
        Protocol::AmqpOther => "Pre standard AMQP connection",
        Protocol::Unknown => "Unknown protocol",
        Protocol::Incomplete => "Insufficient data to determine protocol",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_bounds() {
        let mut out = Vec::new();
        let at = begin_frame(&mut out);
        out.extend_from_slice(b"\x00\x53\x18\x45");
        finish_frame(&mut out, at, AMQP_FRAME_TYPE, 7);
        let (f, n) = read_frame(&out, 0).unwrap().unwrap();
        assert_eq!(n, 12);
        assert_eq!(f.channel, 7);
        assert_eq!(f.body, b"\x00\x53\x18\x45");
        assert_eq!(read_frame(&out[..11], 0), Ok(None));
        assert_eq!(read_frame(&out, 11), Err(FrameError::TooLarge));
        let mut bad = out.clone();
        bad[4] = 1;
        assert_eq!(read_frame(&bad, 0), Err(FrameError::BadOffset));
        bad[4] = 4;
        assert_eq!(read_frame(&bad, 0), Err(FrameError::BadOffset));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"AMQP\x00\x01\x00\x00"), Protocol::Amqp);
        assert_eq!(sniff(b"AMQP\x03\x01\x00\x00"), Protocol::Sasl);
        assert_eq!(sniff(b"AMQ"), Protocol::Incomplete);
        assert_eq!(sniff(b"\x16\x03\x01"), Protocol::Tls);
        assert_eq!(sniff(b"\x16\x03\xd7"), Protocol::Tls, "signed comparison, as proton");
        assert_eq!(sniff(b"\x7f)\x01\x02"), Protocol::Incomplete);
        assert_eq!(sniff(b"AMQP\x01\x01\x00\x00"), Protocol::AmqpOther);
        assert_eq!(sniff(b"AMQP\x01\x00\x00\x00"), Protocol::Unknown);
        assert_eq!(sniff(b"GET / HTTP"), Protocol::Unknown);
    }
}
