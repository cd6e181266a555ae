//! AMQP 1.0 performatives and described types on the wire.
//!
//! [`generated`] holds what the specification defines (descriptor codes,
//! field names and order, error condition names), generated from
//! `tests/data/spec/*.xml`. This module adds the writing and reading of
//! fields the way proton-c 0.37 does it:
//!
//! - a field that is absent (an optional value not set) is written as
//!   null only when a later field is present, so absent trailing fields
//!   shorten the list ([`Fields::absent`]);
//! - a field whose value comes from a `pn_data_t` the application fills
//!   (capabilities, properties, filters, ...) is copied as it is, and an
//!   empty one is an explicit null that keeps the list's length
//!   ([`Fields::data`]).
//!
//! Reading is lenient as proton's is: a list may be shorter than the
//! type's field count (missing fields are absent) and a field of the wrong
//! type is treated as absent where proton's scanner ignores it.

pub mod dump;
pub mod generated;

pub use generated as spec;

use crate::codec::{CodecError, CompoundStart, Data, Decoder, Descriptor, Encoder};

/// Writes the fields of one described list.
pub struct Fields<'e, 'a> {
    enc: &'e mut Encoder<'a>,
    list: CompoundStart,
    pending: u32,
}

impl<'e, 'a> Fields<'e, 'a> {
    /// Start `@descriptor [...]`.
    pub fn begin(enc: &'e mut Encoder<'a>, descriptor: u64) -> Self {
        enc.put_descriptor(descriptor);
        let list = enc.begin_list();
        Fields { enc, list, pending: 0 }
    }

    fn flush(&mut self) {
        for _ in 0..self.pending {
            self.enc.put_null();
            self.list.add();
        }
        self.pending = 0;
    }

    /// An absent field (null, written only if a later field is present).
    pub fn absent(&mut self) -> &mut Self {
        self.pending += 1;
        self
    }

    /// A field written with `f`.
    pub fn with(&mut self, f: impl FnOnce(&mut Encoder<'a>)) -> &mut Self {
        self.flush();
        f(self.enc);
        self.list.add();
        self
    }

    pub fn uint(&mut self, v: u32) -> &mut Self {
        self.with(|e| e.put_uint(v))
    }
    pub fn opt_uint(&mut self, v: Option<u32>) -> &mut Self {
        match v {
            Some(v) => self.uint(v),
            None => self.absent(),
        }
    }
    pub fn ulong(&mut self, v: u64) -> &mut Self {
        self.with(|e| e.put_ulong(v))
    }
    pub fn ushort(&mut self, v: u16) -> &mut Self {
        self.with(|e| e.put_ushort(v))
    }
    pub fn ubyte(&mut self, v: u8) -> &mut Self {
        self.with(|e| e.put_ubyte(v))
    }
    pub fn boolean(&mut self, v: bool) -> &mut Self {
        self.with(|e| e.put_bool(v))
    }
    /// A boolean sent only when true.
    pub fn flag(&mut self, v: bool) -> &mut Self {
        if v { self.boolean(true) } else { self.absent() }
    }
    pub fn string(&mut self, v: Option<&[u8]>) -> &mut Self {
        match v {
            Some(s) => self.with(|e| e.put_string(s)),
            None => self.absent(),
        }
    }
    pub fn symbol(&mut self, v: Option<&[u8]>) -> &mut Self {
        match v {
            Some(s) => self.with(|e| e.put_symbol(s)),
            None => self.absent(),
        }
    }
    pub fn binary(&mut self, v: &[u8]) -> &mut Self {
        self.with(|e| e.put_binary(v))
    }
    /// A value from an application's `pn_data_t`: copied, or an explicit
    /// null when there is none.
    pub fn data(&mut self, d: Option<&Data>) -> &mut Self {
        self.flush();
        match d {
            Some(d) if d.size() > 0 => {
                let mut buf = Vec::new();
                if d.encode(&mut buf).is_ok() {
                    // A tree holding several values contributes its first.
                    let mut dec = Decoder::new(&buf);
                    match dec.read_value_bytes() {
                        Ok(first) => self.enc.put_raw(first),
                        Err(_) => self.enc.put_null(),
                    }
                } else {
                    self.enc.put_null();
                }
            }
            _ => self.enc.put_null(),
        }
        self.list.add();
        self
    }
    /// A described list written by `f` (a nested composite).
    pub fn composite(&mut self, descriptor: u64, f: impl FnOnce(&mut Fields<'_, 'a>)) -> &mut Self {
        self.flush();
        {
            let mut inner = Fields::begin(self.enc, descriptor);
            f(&mut inner);
            inner.finish();
        }
        self.list.add();
        self
    }

    /// Close the list (absent trailing fields are left out).
    pub fn finish(self) {
        self.enc.end_list(self.list);
    }
}

/// Write an `error` composite (`@error [condition, description, info]`).
pub fn write_error(f: &mut Fields<'_, '_>, name: &[u8], description: Option<&[u8]>, info: Option<&Data>, with_info: bool) {
    f.composite(spec::error::DESCRIPTOR, |e| {
        e.symbol(Some(name)).string(description);
        if with_info {
            e.data(info);
        }
    });
}

// ---------------------------------------------------------------------------
// Reading

/// The encoded length of the value at the start of `buf`, from
/// constructors and size prefixes only (element contents are not
/// examined, as proton skips values). `None` when it is truncated or starts
/// with a constructor that is not one.
#[inline]
pub fn value_len(buf: &[u8]) -> Option<usize> {
    // A value that is not described (most fields): no walk.
    let c = *buf.first()?;
    if c != 0x00 {
        let n = match c >> 4 {
            0x4 => 0,
            0x5 => 1,
            0x6 => 2,
            0x7 => 4,
            0x8 => 8,
            0x9 => 16,
            0xa | 0xc | 0xe => 1 + *buf.get(1)? as usize,
            0xb | 0xd | 0xf => {
                let b = buf.get(1..5)?;
                4 + u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
            }
            _ => return None,
        };
        return if buf.len() - 1 < n { None } else { Some(1 + n) };
    }
    let mut pos = 0usize;
    let mut pending = 1usize;
    while pending > 0 {
        pending -= 1;
        let c = *buf.get(pos)?;
        pos += 1;
        if c == 0x00 {
            pending += 2;
            continue;
        }
        let n = match c >> 4 {
            0x4 => 0,
            0x5 => 1,
            0x6 => 2,
            0x7 => 4,
            0x8 => 8,
            0x9 => 16,
            0xa | 0xc | 0xe => 1 + *buf.get(pos)? as usize,
            0xb | 0xd | 0xf => {
                let b = buf.get(pos..pos + 4)?;
                4 + u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
            }
            _ => return None,
        };
        if buf.len() - pos < n {
            return None;
        }
        pos += n;
    }
    Some(pos)
}

/// The fields of a described list, read one at a time as proton's frame
/// decoder does: the element count is not trusted (fields are read while
/// the list's bytes last), a field of an unexpected type counts as absent,
/// and so does everything after a value that cannot be read.
pub struct FieldReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> FieldReader<'a> {
    /// The fields of the list value `v` (any other value has none).
    pub fn of(v: &'a [u8]) -> FieldReader<'a> {
        let body: &'a [u8] = match v.first() {
            Some(0xc0) if v.len() >= 3 => {
                let n = (v[1] as usize).min(v.len() - 2);
                if n == 0 { &[] } else { &v[3..2 + n] }
            }
            Some(0xd0) if v.len() >= 9 => {
                let n = (u32::from_be_bytes([v[1], v[2], v[3], v[4]]) as usize).min(v.len() - 5);
                if n < 4 { &[] } else { &v[9..5 + n] }
            }
            _ => &[],
        };
        FieldReader { buf: body, pos: 0 }
    }

    /// Read `@descriptor [...]` from `dec`: the descriptor's code (0 for a
    /// symbol) and the fields.
    pub fn described(dec: &mut Decoder<'a>) -> Result<(u64, FieldReader<'a>), CodecError> {
        let code = match dec.read_descriptor()? {
            Descriptor::Code(c) => c,
            Descriptor::Symbol(s) => symbol_code(s),
        };
        let v = dec.read_value_bytes()?;
        Ok((code, FieldReader::of(v)))
    }

    /// The fields of a list read from `dec` (a null or other value: none).
    pub fn list(dec: &mut Decoder<'a>) -> Result<FieldReader<'a>, CodecError> {
        let v = dec.read_value_bytes()?;
        Ok(FieldReader::of(v))
    }

    /// The next field's bytes, `None` when absent (past the end, null, or
    /// unreadable).
    #[inline]
    pub fn raw(&mut self) -> Option<&'a [u8]> {
        let rest = &self.buf[self.pos..];
        if rest.is_empty() {
            return None;
        }
        match value_len(rest) {
            Some(n) => {
                self.pos += n;
                if rest[0] == 0x40 { None } else { Some(&rest[..n]) }
            }
            None => {
                self.pos = self.buf.len();
                None
            }
        }
    }

    /// The next field with `read`; absent when of another type.
    pub fn opt<T>(&mut self, read: impl FnOnce(&mut Decoder<'a>) -> Result<T, CodecError>) -> Option<T> {
        let b = self.raw()?;
        read(&mut Decoder::new(b)).ok()
    }

    pub fn skip(&mut self) {
        self.raw();
    }

    /// The next field's first bytes, when there are `n` of them.
    #[inline(always)]
    fn head<const N: usize>(&self) -> Option<&'a [u8; N]> {
        self.buf.get(self.pos..self.pos + N).and_then(|b| b.try_into().ok())
    }

    // uint, boolean and binary read their common encodings directly (the
    // fields of every transfer); anything else takes the general way.
    #[inline]
    pub fn uint(&mut self) -> Option<u32> {
        match self.head::<1>() {
            None => return None,
            Some(&[0x43]) => {
                self.pos += 1;
                return Some(0);
            }
            Some(&[0x52]) => {
                if let Some(&[_, v]) = self.head::<2>() {
                    self.pos += 2;
                    return Some(v as u32);
                }
            }
            _ => {}
        }
        self.opt(Decoder::read_uint)
    }
    pub fn ulong(&mut self) -> Option<u64> {
        self.opt(Decoder::read_ulong)
    }
    pub fn ushort(&mut self) -> Option<u16> {
        self.opt(Decoder::read_ushort)
    }
    pub fn ubyte(&mut self) -> Option<u8> {
        self.opt(Decoder::read_ubyte)
    }
    #[inline]
    pub fn boolean(&mut self) -> Option<bool> {
        match self.head::<1>() {
            None => None,
            Some(&[0x41]) => {
                self.pos += 1;
                Some(true)
            }
            Some(&[0x42]) => {
                self.pos += 1;
                Some(false)
            }
            Some(&[0x40]) => {
                self.pos += 1;
                None
            }
            _ => self.opt(Decoder::read_bool),
        }
    }
    pub fn string(&mut self) -> Option<&'a [u8]> {
        self.opt(Decoder::read_string)
    }
    pub fn symbol(&mut self) -> Option<&'a [u8]> {
        self.opt(Decoder::read_symbol)
    }
    #[inline]
    pub fn binary(&mut self) -> Option<&'a [u8]> {
        if let Some(&[0xa0, n]) = self.head::<2>() {
            let start = self.pos + 2;
            if let Some(b) = self.buf.get(start..start + n as usize) {
                self.pos = start + n as usize;
                return Some(b);
            }
        }
        self.opt(Decoder::read_binary)
    }
    /// The next field decoded into a tree (cleared first; left empty when
    /// absent or not decodable).
    pub fn data(&mut self, into: &mut Data) {
        into.clear();
        if let Some(b) = self.raw() {
            if into.decode(b).is_err() {
                into.clear();
            }
        }
    }
}

/// The code of a described type named by symbol (`amqp:open:list`...), or
/// 0 when unknown.
pub fn symbol_code(s: &[u8]) -> u64 {
    spec::DESCRIBED_TYPES
        .iter()
        .map(|(code, name, _)| (*code, *name))
        .find(|(code, _)| {
            let sym = symbol_of(*code);
            sym.is_some_and(|x| x.as_bytes() == s)
        })
        .map_or(0, |(c, _)| c)
}

fn symbol_of(code: u64) -> Option<&'static str> {
    use spec::*;
    Some(match code {
        open::DESCRIPTOR => open::SYMBOL,
        begin::DESCRIPTOR => begin::SYMBOL,
        attach::DESCRIPTOR => attach::SYMBOL,
        flow::DESCRIPTOR => flow::SYMBOL,
        transfer::DESCRIPTOR => transfer::SYMBOL,
        disposition::DESCRIPTOR => disposition::SYMBOL,
        detach::DESCRIPTOR => detach::SYMBOL,
        end::DESCRIPTOR => end::SYMBOL,
        close::DESCRIPTOR => close::SYMBOL,
        error::DESCRIPTOR => error::SYMBOL,
        source::DESCRIPTOR => source::SYMBOL,
        target::DESCRIPTOR => target::SYMBOL,
        coordinator::DESCRIPTOR => coordinator::SYMBOL,
        received::DESCRIPTOR => received::SYMBOL,
        accepted::DESCRIPTOR => accepted::SYMBOL,
        rejected::DESCRIPTOR => rejected::SYMBOL,
        released::DESCRIPTOR => released::SYMBOL,
        modified::DESCRIPTOR => modified::SYMBOL,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_trail_off_and_data_nulls_stay() {
        let mut buf = Vec::new();
        let mut e = Encoder::new(&mut buf);
        let mut f = Fields::begin(&mut e, spec::detach::DESCRIPTOR);
        f.uint(0).flag(true).absent();
        f.finish();
        assert_eq!(buf, b"\x00\x53\x16\xc0\x03\x02\x43\x41");
        let mut buf = Vec::new();
        let mut e = Encoder::new(&mut buf);
        let mut f = Fields::begin(&mut e, spec::open::DESCRIPTOR);
        f.string(Some(b"")).absent().data(None);
        f.finish();
        assert_eq!(buf, b"\x00\x53\x10\xc0\x05\x03\xa1\x00\x40\x40");
    }

    #[test]
    fn reading_is_lenient() {
        let bytes = b"\x00\x53\x16\xc0\x05\x01\x43\x41\x52\x07";
        let mut d = Decoder::new(bytes);
        let (code, mut r) = FieldReader::described(&mut d).unwrap();
        assert_eq!(code, spec::detach::DESCRIPTOR);
        assert_eq!(r.uint(), Some(0));
        // The count says 1; the bytes have more, and they are read.
        assert_eq!(r.uint(), None, "a boolean is not a uint");
        assert_eq!(r.uint(), Some(7));
        assert_eq!(r.raw(), None);
        assert_eq!(symbol_code(b"amqp:open:list"), 0x10);
        assert_eq!(value_len(b"\x00\x53\x24\x45"), Some(4));
        assert_eq!(value_len(b"\xa1\x05ab"), None);
        assert_eq!(value_len(b"\x0f"), None);
    }
}
