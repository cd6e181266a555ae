//! Reading a message: proton-c 0.37's `pn_message_decode`.
//!
//! Proton reads the input as a run of sections, none required, in any
//! order, and never reports an error. For each section it first measures
//! it without decoding:
//!
//! - it must be a described value whose descriptor (any value, itself
//!   described at most once) is followed by a value; a value is measured by
//!   its constructor's high nibble (fixed widths, or the size field of
//!   variable, compound and array types: counts and contents are not
//!   looked at), and may be described once;
//! - a value that is not described is measured the same way, as a section
//!   of unknown kind;
//! - when measuring fails (input too short, constructor nibble 0-3, a
//!   value described twice), the section is everything that is left.
//!
//! Then, by descriptor:
//!
//! - header, properties: every field is reset, then the fields are read
//!   from the list (`list0`/`list8`/`list32`; anything else leaves the
//!   defaults) one after the other until its bytes run out (the count is
//!   ignored). A field of another type than expected is skipped and left
//!   at its default (except in the two timestamp fields, where only its
//!   constructor byte is skipped); once a field cannot be read, neither can
//!   any after it.
//! - delivery/message annotations, application properties: the tree is
//!   emptied, then (unless the value is null) the value is decoded into it.
//! - data and amqp-sequence sections set `inferred`, amqp-value clears it;
//!   then the body gets the value as above.
//! - footer: ignored.
//! - anything else (unknown or non-ulong descriptor, no descriptor, a
//!   section that could not be measured): the body is emptied and gets
//!   whatever one value `pn_data_decode` reads from the section's start
//!   (over all the remaining input, not just the section).
//!
//! A tree decode that fails keeps what was decoded before the failure,
//! as proton's decoder does ([`super::partial`]). Decoded trees are
//! rewound.
//!
//! The one error proton-rs adds: input nested deeper than the codec
//! allows (or a zero-width element bomb) stops the decode with
//! [`DecodeError`], where proton would recurse without bound.

use super::partial;
use super::{DataSlot, Id, Message, Section, section};
use crate::codec::{Atom, CodecError, Data};

/// Why a decode stopped (limits of this implementation; proton itself has
/// none and never fails).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub CodecError);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "data error: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

/// A cursor with proton's failure rule: once a read fails, the cursor is
/// at the end and every later read fails too.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    #[inline]
    fn fail<T>(&mut self) -> Option<T> {
        self.pos = self.buf.len();
        None
    }

    #[inline]
    fn u8(&mut self) -> Option<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Some(b)
            }
            None => self.fail(),
        }
    }

    #[inline]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.buf.len() - self.pos < n {
            return self.fail();
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Some(s)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let s = self.take(N)?;
        let mut a = [0; N];
        a.copy_from_slice(s);
        Some(a)
    }

    #[inline]
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }

    /// The bytes of a variable-width value after its constructor `c`.
    #[inline]
    fn variable(&mut self, c: u8) -> Option<&'a [u8]> {
        let n = if c & 0xf0 == 0xa0 { self.u8()? as usize } else { self.u32()? as usize };
        self.take(n)
    }

    /// Skip what follows constructor `c` of a value that is not described,
    /// judging by the constructor's high nibble alone.
    fn skip_body(&mut self, c: u8) -> Option<()> {
        let n = match c >> 4 {
            0x4 => 0,
            0x5 => 1,
            0x6 => 2,
            0x7 => 4,
            0x8 => 8,
            0x9 => 16,
            0xa | 0xc | 0xe => self.u8()? as usize,
            0xb | 0xd | 0xf => self.u32()? as usize,
            _ => return self.fail(),
        };
        self.take(n).map(drop)
    }

    /// Skip a value after its constructor `c`: one that is not described,
    /// or a described one whose descriptor and value are not.
    fn skip_after(&mut self, c: u8) -> Option<()> {
        if c == 0 {
            let d = self.u8()?;
            self.skip_body(d)?;
            let v = self.u8()?;
            self.skip_body(v)
        } else {
            self.skip_body(c)
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        let c = self.u8()?;
        self.skip_after(c)
    }

    /// Read one field: `accept` turns a constructor of an expected type into
    /// the value (`None` also when its bytes are missing); any other value
    /// is skipped and the field is absent.
    #[inline]
    fn field<T>(&mut self, accept: impl FnOnce(u8, &mut Self) -> Option<Option<T>>) -> Option<T> {
        let c = self.u8()?;
        match accept(c, self) {
            Some(v) => v,
            None => {
                self.skip_after(c);
                None
            }
        }
    }

    fn bool(&mut self) -> Option<bool> {
        self.field(|c, r| match c {
            0x41 => Some(Some(true)),
            0x42 => Some(Some(false)),
            0x56 => Some(r.u8().map(|b| b != 0)),
            _ => None,
        })
    }

    fn ubyte(&mut self) -> Option<u8> {
        self.field(|c, r| (c == 0x50).then(|| r.u8()))
    }

    fn uint(&mut self) -> Option<u32> {
        self.field(|c, r| match c {
            0x43 => Some(Some(0)),
            0x52 => Some(r.u8().map(u32::from)),
            0x70 => Some(r.u32()),
            _ => None,
        })
    }

    /// A timestamp. Unlike the other fields, a value of another type is not
    /// skipped: only its constructor is consumed (proton's behaviour), so
    /// its bytes are read as the next fields.
    fn timestamp(&mut self) -> Option<i64> {
        match self.u8()? {
            0x83 => self.array().map(i64::from_be_bytes),
            _ => None,
        }
    }

    /// Bytes of a variable-width value with one of the two constructors.
    fn bytes(&mut self, small: u8, large: u8) -> Option<&'a [u8]> {
        self.field(|c, r| (c == small || c == large).then(|| r.variable(c)))
    }

    /// A message-id or correlation-id: ulong, uuid, binary or string.
    fn msgid(&mut self) -> Option<Atom<'a>> {
        self.field(|c, r| match c {
            0x44 => Some(Some(Atom::Ulong(0))),
            0x53 => Some(r.u8().map(|v| Atom::Ulong(v as u64))),
            0x80 => Some(r.array().map(|v| Atom::Ulong(u64::from_be_bytes(v)))),
            0x98 => Some(r.array().map(Atom::Uuid)),
            0xa0 | 0xb0 => Some(r.variable(c).map(Atom::Binary)),
            0xa1 | 0xb1 => Some(r.variable(c).map(Atom::String)),
            _ => None,
        })
    }
}

/// A list value's fields: a reader over the bytes after its count (empty
/// when the count cannot be read), or `None` when the value is no list.
fn list_fields(value: &[u8]) -> Option<Reader<'_>> {
    let mut r = Reader::new(value);
    let (size, w) = match r.u8()? {
        0x45 => return Some(Reader::new(&[])),
        0xc0 => (r.u8()? as usize, 1),
        0xd0 => (r.u32()? as usize, 4),
        _ => return None,
    };
    let mut fields = Reader::new(r.take(size)?);
    let _count = if w == 1 { fields.u8().map(u32::from) } else { fields.u32() };
    Some(fields)
}

/// Measure the section at the start of `input`: its descriptor code (when
/// it is described by a ulong), where its value starts, and its length
/// (all of `input` when it cannot be measured).
#[inline]
fn measure(input: &[u8]) -> (Option<u64>, usize, usize) {
    // The usual section: `0x00 0x53 code` and a value that is not
    // described (the general path below gives the same answer).
    if let [0x00, 0x53, code, c, ..] = *input {
        if c != 0 {
            let mut r = Reader { buf: input, pos: 4 };
            if r.skip_body(c).is_some() {
                return (Some(code as u64), 3, r.pos);
            }
        }
    }
    let mut r = Reader::new(input);
    let mut code = None;
    let mut value_at = 0;
    let ok = (|| {
        let c = r.u8()?;
        if c != 0 {
            return r.skip_body(c);
        }
        let d = r.u8()?;
        code = match d {
            0x44 => Some(0),
            0x53 => Some(r.u8()? as u64),
            0x80 => Some(u64::from_be_bytes(r.array()?)),
            _ => {
                r.skip_after(d)?;
                None
            }
        };
        value_at = r.pos;
        r.skip_value()
    })();
    match ok {
        Some(()) => (code, value_at, r.pos),
        None => (None, 0, input.len()),
    }
}

/// Decode one value of `input` into the (emptied) tree `d` as
/// `pn_data_decode` does, keeping a partial result on failure; then rewind.
fn decode_tree(d: &mut Data, input: &[u8]) -> Result<(), DecodeError> {
    let r = match d.decode(input) {
        Ok(_) => Ok(()),
        Err(e @ (CodecError::TooDeep | CodecError::TooManyElements | CodecError::TooLarge)) => {
            Err(DecodeError(e))
        }
        Err(_) => {
            partial::decode(d, input);
            Ok(())
        }
    };
    d.rewind();
    r
}

impl<S: DataSlot> Message<S> {
    /// Read `bytes` into the message, section by section, as proton-c 0.37
    /// does. Fields and trees the input has no section for keep their
    /// values. Fails only when a tree is beyond this implementation's
    /// limits; the sections before it are applied.
    pub fn decode(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            let (code, value_at, len) = measure(rest);
            let value = &rest[value_at..len];
            match code {
                Some(section::HEADER) => self.read_header(value),
                Some(section::PROPERTIES) => self.read_properties(value),
                Some(section::DELIVERY_ANNOTATIONS) => self.read_tree(Section::Instructions, value)?,
                Some(section::MESSAGE_ANNOTATIONS) => self.read_tree(Section::Annotations, value)?,
                Some(section::APPLICATION_PROPERTIES) => self.read_tree(Section::Properties, value)?,
                Some(section::DATA | section::AMQP_SEQUENCE) => {
                    self.inferred = true;
                    self.read_tree(Section::Body, value)?;
                }
                Some(section::AMQP_VALUE) => {
                    self.inferred = false;
                    self.read_tree(Section::Body, value)?;
                }
                Some(section::FOOTER) => {}
                _ => {
                    let body = self.section_mut(Section::Body).data_mut();
                    body.clear();
                    decode_tree(body, rest)?;
                }
            }
            at += len;
        }
        Ok(())
    }

    fn read_header(&mut self, value: &[u8]) {
        self.reset_header();
        let Some(mut f) = list_fields(value) else { return };
        self.durable = f.bool().unwrap_or(false);
        self.priority = f.ubyte().unwrap_or(super::DEFAULT_PRIORITY);
        self.ttl = f.uint().unwrap_or(0);
        self.first_acquirer = f.bool().unwrap_or(false);
        self.delivery_count = f.uint().unwrap_or(0);
    }

    fn read_properties(&mut self, value: &[u8]) {
        let (mut id, mut correlation_id) = (Atom::Null, Atom::Null);
        match list_fields(value) {
            None => self.reset_properties(),
            // Every field is assigned (its default when absent).
            Some(mut f) => {
                id = f.msgid().unwrap_or(Atom::Null);
                self.user_id.set(f.bytes(0xa0, 0xb0));
                self.address.set(f.bytes(0xa1, 0xb1));
                self.subject.set(f.bytes(0xa1, 0xb1));
                self.reply_to.set(f.bytes(0xa1, 0xb1));
                correlation_id = f.msgid().unwrap_or(Atom::Null);
                self.content_type.set(f.bytes(0xa3, 0xb3));
                self.content_encoding.set(f.bytes(0xa3, 0xb3));
                self.expiry_time = f.timestamp().unwrap_or(0);
                self.creation_time = f.timestamp().unwrap_or(0);
                self.group_id.set(f.bytes(0xa1, 0xb1));
                self.group_sequence = f.uint().unwrap_or(0);
                self.reply_to_group_id.set(f.bytes(0xa1, 0xb1));
            }
        }
        set_id(&mut self.id, id);
        set_id(&mut self.correlation_id, correlation_id);
    }

    /// A section stored as a tree: emptied, then given the value unless it
    /// is null.
    fn read_tree(&mut self, s: Section, value: &[u8]) -> Result<(), DecodeError> {
        if value.first() == Some(&0x40) {
            if let Some(slot) = self.sections[s as usize].as_mut() {
                let d = slot.data_mut();
                d.clear();
                d.rewind();
            }
            return Ok(());
        }
        let d = self.section_mut(s).data_mut();
        d.clear();
        // A short string, binary or symbol (a typical body) is put
        // directly: the tree decoding it makes.
        if let [c @ (0xa0 | 0xa1 | 0xa3), n, ref bytes @ ..] = *value {
            if bytes.len() == n as usize {
                let _ = match c {
                    0xa0 => d.put_binary(bytes),
                    0xa1 => d.put_string(bytes),
                    _ => d.put_symbol(bytes),
                };
                d.rewind();
                return Ok(());
            }
        }
        decode_tree(d, value)
    }
}

fn set_id<S: DataSlot>(id: &mut Id<S>, value: Atom<'_>) {
    id.set_atom(value);
}
