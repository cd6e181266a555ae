//! Reading AMQP values.
//!
//! - [`Decoder`]: a zero-copy cursor over `&[u8]` for code that knows what
//!   it expects (frame performatives, message sections): typed reads that
//!   accept every encoding of a type, sub-decoders for lists and maps,
//!   skipping, and borrowing a value's raw bytes.
//! - [`Data::decode`]: one value into a tree, with proton-c 0.37's
//!   acceptance rules and error codes. Iterative (no recursion), with a
//!   nesting limit and a bound on elements that take no bytes, so hostile
//!   input can neither overflow the stack nor make it allocate without
//!   limit. A failed decode leaves the tree as it was.

use super::data::{Data, Span, Value};
use super::error::{CodecError, MAX_NESTING};
use super::stack::Stack;
use super::types::{Atom, Layout, Type, code, describe};

/// A cursor over encoded AMQP bytes. Values read borrow the input.
///
/// ```
/// use proton::codec::decoder::{Decoder, Descriptor};
/// let bytes = b"\x00\x53\x10\xc0\x0d\x02\xa1\x09container\x40";
/// let mut d = Decoder::new(bytes);
/// assert_eq!(d.read_descriptor().unwrap(), Descriptor::Code(0x10));
/// let (count, mut fields) = d.read_list().unwrap();
/// assert_eq!(count, 2);
/// assert_eq!(fields.read_string().unwrap(), b"container");
/// assert_eq!(fields.read_opt(Decoder::read_string).unwrap(), None);
/// assert!(d.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// A descriptor (the part of a described value before the value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Descriptor<'a> {
    /// A numeric descriptor (`0x10` for open, ...).
    Code(u64),
    /// A symbolic descriptor (`amqp:open:list`, ...).
    Symbol(&'a [u8]),
}

/// The elements of an array (from [`Decoder::read_array`]).
#[derive(Clone, Debug)]
pub struct ArrayDecoder<'a> {
    /// The array's descriptor, if it is described: its raw bytes.
    pub descriptor: Option<&'a [u8]>,
    /// The element constructor.
    pub constructor: u8,
    /// Elements not read yet.
    pub remaining: u32,
    body: Decoder<'a>,
}

macro_rules! typed_read {
    ($(#[$m:meta])* $name:ident -> $t:ty, $expected:literal, { $($pat:pat => $e:expr),+ $(,)? }) => {
        $(#[$m])*
        pub fn $name(&mut self) -> Result<$t, CodecError> {
            let start = self.pos;
            let c = self.u8()?;
            let r = match c {
                $($pat => $e(self),)+
                _ => Err(CodecError::UnexpectedType { expected: $expected, found: c }),
            };
            if r.is_err() {
                self.pos = start;
            }
            r
        }
    };
}

impl<'a> Decoder<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Decoder { buf, pos: 0 }
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.buf.len() - self.pos < n {
            return Err(CodecError::Underflow);
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    #[inline]
    fn u8(&mut self) -> Result<u8, CodecError> {
        let b = *self.buf.get(self.pos).ok_or(CodecError::Underflow)?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let s = self.take(N)?;
        let mut a = [0; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// A 1- or 4-byte size or count.
    #[inline]
    fn width(&mut self, w: u8) -> Result<usize, CodecError> {
        Ok(if w == 1 { self.u8()? as usize } else { u32::from_be_bytes(self.array()?) as usize })
    }

    /// The next constructor byte, not consumed.
    pub fn peek_constructor(&self) -> Result<u8, CodecError> {
        self.buf.get(self.pos).copied().ok_or(CodecError::Underflow)
    }

    /// Whether the next value is a null (not consumed).
    pub fn peek_null(&self) -> bool {
        self.buf.get(self.pos) == Some(&code::NULL)
    }

    /// The body of a scalar whose constructor `c` was read.
    #[inline]
    pub(crate) fn scalar_body(&mut self, c: u8) -> Result<Atom<'a>, CodecError> {
        Ok(match c {
            code::NULL => Atom::Null,
            code::TRUE => Atom::Bool(true),
            code::FALSE => Atom::Bool(false),
            code::BOOLEAN => Atom::Bool(self.u8()? != 0),
            code::UBYTE => Atom::Ubyte(self.u8()?),
            code::BYTE => Atom::Byte(self.u8()? as i8),
            code::USHORT => Atom::Ushort(u16::from_be_bytes(self.array()?)),
            code::SHORT => Atom::Short(i16::from_be_bytes(self.array()?)),
            code::UINT0 => Atom::Uint(0),
            code::SMALLUINT => Atom::Uint(self.u8()? as u32),
            code::UINT => Atom::Uint(u32::from_be_bytes(self.array()?)),
            code::SMALLINT => Atom::Int(self.u8()? as i8 as i32),
            code::INT => Atom::Int(i32::from_be_bytes(self.array()?)),
            code::CHAR => Atom::Char(u32::from_be_bytes(self.array()?)),
            code::ULONG0 => Atom::Ulong(0),
            code::SMALLULONG => Atom::Ulong(self.u8()? as u64),
            code::ULONG => Atom::Ulong(u64::from_be_bytes(self.array()?)),
            code::SMALLLONG => Atom::Long(self.u8()? as i8 as i64),
            code::LONG => Atom::Long(i64::from_be_bytes(self.array()?)),
            code::TIMESTAMP => Atom::Timestamp(i64::from_be_bytes(self.array()?)),
            code::FLOAT => Atom::Float(f32::from_bits(u32::from_be_bytes(self.array()?))),
            code::DOUBLE => Atom::Double(f64::from_bits(u64::from_be_bytes(self.array()?))),
            code::DECIMAL32 => Atom::Decimal32(u32::from_be_bytes(self.array()?)),
            code::DECIMAL64 => Atom::Decimal64(u64::from_be_bytes(self.array()?)),
            code::DECIMAL128 => Atom::Decimal128(self.array()?),
            code::UUID => Atom::Uuid(self.array()?),
            code::VBIN8 | code::STR8 | code::SYM8 | code::VBIN32 | code::STR32 | code::SYM32 => {
                let n = self.width(if c & 0xf0 == 0xa0 { 1 } else { 4 })?;
                let b = self.take(n)?;
                match c & 0x0f {
                    0x0 => Atom::Binary(b),
                    0x1 => Atom::String(b),
                    _ => Atom::Symbol(b),
                }
            }
            _ => return Err(CodecError::InvalidConstructor(c)),
        })
    }

    /// The next value, which must be a scalar.
    pub fn read_atom(&mut self) -> Result<Atom<'a>, CodecError> {
        let start = self.pos;
        let c = self.u8()?;
        let r = self.scalar_body(c);
        if r.is_err() {
            self.pos = start;
        }
        r
    }

    /// `None` (consuming the null) when the next value is null, else
    /// `read(self)`: for optional fields.
    pub fn read_opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T, CodecError>) -> Result<Option<T>, CodecError> {
        if self.peek_null() {
            self.pos += 1;
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    pub fn read_null(&mut self) -> Result<(), CodecError> {
        match self.peek_constructor()? {
            code::NULL => {
                self.pos += 1;
                Ok(())
            }
            c => Err(CodecError::UnexpectedType { expected: "null", found: c }),
        }
    }

    typed_read!(read_bool -> bool, "boolean", {
        code::TRUE => |_: &mut Self| Ok(true),
        code::FALSE => |_: &mut Self| Ok(false),
        code::BOOLEAN => |s: &mut Self| Ok(s.u8()? != 0),
    });
    typed_read!(read_ubyte -> u8, "ubyte", { code::UBYTE => |s: &mut Self| s.u8() });
    typed_read!(read_byte -> i8, "byte", { code::BYTE => |s: &mut Self| Ok(s.u8()? as i8) });
    typed_read!(read_ushort -> u16, "ushort", {
        code::USHORT => |s: &mut Self| Ok(u16::from_be_bytes(s.array()?)),
    });
    typed_read!(read_short -> i16, "short", {
        code::SHORT => |s: &mut Self| Ok(i16::from_be_bytes(s.array()?)),
    });
    typed_read!(
        /// A uint in any of its encodings.
        read_uint -> u32, "uint", {
        code::UINT0 => |_: &mut Self| Ok(0),
        code::SMALLUINT => |s: &mut Self| Ok(s.u8()? as u32),
        code::UINT => |s: &mut Self| Ok(u32::from_be_bytes(s.array()?)),
    });
    typed_read!(read_int -> i32, "int", {
        code::SMALLINT => |s: &mut Self| Ok(s.u8()? as i8 as i32),
        code::INT => |s: &mut Self| Ok(i32::from_be_bytes(s.array()?)),
    });
    typed_read!(read_char -> u32, "char", {
        code::CHAR => |s: &mut Self| Ok(u32::from_be_bytes(s.array()?)),
    });
    typed_read!(
        /// A ulong in any of its encodings.
        read_ulong -> u64, "ulong", {
        code::ULONG0 => |_: &mut Self| Ok(0),
        code::SMALLULONG => |s: &mut Self| Ok(s.u8()? as u64),
        code::ULONG => |s: &mut Self| Ok(u64::from_be_bytes(s.array()?)),
    });
    typed_read!(read_long -> i64, "long", {
        code::SMALLLONG => |s: &mut Self| Ok(s.u8()? as i8 as i64),
        code::LONG => |s: &mut Self| Ok(i64::from_be_bytes(s.array()?)),
    });
    typed_read!(read_timestamp -> i64, "timestamp", {
        code::TIMESTAMP => |s: &mut Self| Ok(i64::from_be_bytes(s.array()?)),
    });
    typed_read!(read_float -> f32, "float", {
        code::FLOAT => |s: &mut Self| Ok(f32::from_bits(u32::from_be_bytes(s.array()?))),
    });
    typed_read!(read_double -> f64, "double", {
        code::DOUBLE => |s: &mut Self| Ok(f64::from_bits(u64::from_be_bytes(s.array()?))),
    });
    typed_read!(read_decimal32 -> u32, "decimal32", {
        code::DECIMAL32 => |s: &mut Self| Ok(u32::from_be_bytes(s.array()?)),
    });
    typed_read!(read_decimal64 -> u64, "decimal64", {
        code::DECIMAL64 => |s: &mut Self| Ok(u64::from_be_bytes(s.array()?)),
    });
    typed_read!(read_decimal128 -> [u8; 16], "decimal128", { code::DECIMAL128 => |s: &mut Self| s.array() });
    typed_read!(read_uuid -> [u8; 16], "uuid", { code::UUID => |s: &mut Self| s.array() });
    typed_read!(read_binary -> &'a [u8], "binary", {
        code::VBIN8 => |s: &mut Self| { let n = s.width(1)?; s.take(n) },
        code::VBIN32 => |s: &mut Self| { let n = s.width(4)?; s.take(n) },
    });
    typed_read!(
        /// A string's bytes (UTF-8 per AMQP; not checked).
        read_string -> &'a [u8], "string", {
        code::STR8 => |s: &mut Self| { let n = s.width(1)?; s.take(n) },
        code::STR32 => |s: &mut Self| { let n = s.width(4)?; s.take(n) },
    });
    typed_read!(read_symbol -> &'a [u8], "symbol", {
        code::SYM8 => |s: &mut Self| { let n = s.width(1)?; s.take(n) },
        code::SYM32 => |s: &mut Self| { let n = s.width(4)?; s.take(n) },
    });

    /// A described value's constructor and descriptor (a ulong or a
    /// symbol); the value follows.
    pub fn read_descriptor(&mut self) -> Result<Descriptor<'a>, CodecError> {
        let start = self.pos;
        let r = (|| {
            let c = self.u8()?;
            if c != code::DESCRIBED {
                return Err(CodecError::UnexpectedType { expected: "described value", found: c });
            }
            match self.peek_constructor()? {
                code::ULONG0 | code::SMALLULONG | code::ULONG => Ok(Descriptor::Code(self.read_ulong()?)),
                code::SYM8 | code::SYM32 => Ok(Descriptor::Symbol(self.read_symbol()?)),
                c => Err(CodecError::UnexpectedType { expected: "ulong or symbol descriptor", found: c }),
            }
        })();
        if r.is_err() {
            self.pos = start;
        }
        r
    }

    /// Header of a list or map with constructor `c`: the count and a
    /// decoder over exactly the elements' bytes.
    fn compound(&mut self, c: u8, list: bool) -> Result<(u32, Decoder<'a>), CodecError> {
        let w = match (c, list) {
            (code::LIST0, true) => return Ok((0, Decoder::new(&[]))),
            (code::LIST8, true) | (code::MAP8, false) => 1,
            (code::LIST32, true) | (code::MAP32, false) => 4,
            _ => {
                return Err(CodecError::UnexpectedType { expected: if list { "list" } else { "map" }, found: c });
            }
        };
        let size = self.width(w)?;
        let body = self.take(size)?;
        let mut inner = Decoder::new(body);
        let count = inner.width(w).map_err(|_| CodecError::Invalid("compound size smaller than its count"))?;
        Ok((count as u32, Decoder { buf: body, pos: inner.pos }))
    }

    /// A list (`list0`, `list8` or `list32`): its element count and a
    /// decoder over the elements. Elements past the declared size are an
    /// underflow of the sub-decoder.
    pub fn read_list(&mut self) -> Result<(u32, Decoder<'a>), CodecError> {
        let start = self.pos;
        let c = self.u8()?;
        self.compound(c, true).inspect_err(|_| self.pos = start)
    }

    /// A map: its count of keys plus values, and a decoder over them.
    pub fn read_map(&mut self) -> Result<(u32, Decoder<'a>), CodecError> {
        let start = self.pos;
        let c = self.u8()?;
        self.compound(c, false).inspect_err(|_| self.pos = start)
    }

    /// An array: its descriptor (raw bytes), element constructor, count
    /// and elements.
    pub fn read_array(&mut self) -> Result<ArrayDecoder<'a>, CodecError> {
        let start = self.pos;
        let r = (|| {
            let c = self.u8()?;
            let w = match c {
                code::ARRAY8 => 1,
                code::ARRAY32 => 4,
                _ => return Err(CodecError::UnexpectedType { expected: "array", found: c }),
            };
            let size = self.width(w)?;
            let mut body = Decoder::new(self.take(size)?);
            let count = body.width(w)? as u32;
            let mut ctor = body.u8()?;
            let mut descriptor = None;
            if ctor == code::DESCRIBED {
                let at = body.pos;
                body.skip_value()?;
                descriptor = Some(&body.buf[at..body.pos]);
                ctor = body.u8()?;
            }
            if describe(ctor).is_none() {
                return Err(CodecError::InvalidConstructor(ctor));
            }
            Ok(ArrayDecoder { descriptor, constructor: ctor, remaining: count, body })
        })();
        if r.is_err() {
            self.pos = start;
        }
        r
    }

    /// Skip one value of any type (iteratively: a described value's
    /// descriptor and value are skipped in a loop, compounds by size).
    pub fn skip_value(&mut self) -> Result<(), CodecError> {
        let start = self.pos;
        let r = (|| {
            let mut pending = 1usize;
            while pending > 0 {
                pending -= 1;
                let c = self.u8()?;
                if c == code::DESCRIBED {
                    pending += 2;
                    continue;
                }
                self.skip_body(c)?;
            }
            Ok(())
        })();
        if r.is_err() {
            self.pos = start;
        }
        r
    }

    /// Skip the bytes after constructor `c`.
    fn skip_body(&mut self, c: u8) -> Result<(), CodecError> {
        match describe(c).ok_or(CodecError::InvalidConstructor(c))?.0 {
            Layout::Fixed(n) => self.take(n as usize).map(drop),
            Layout::Variable(w) | Layout::Compound(w) | Layout::Array(w) => {
                let n = self.width(w)?;
                self.take(n).map(drop)
            }
        }
    }

    /// The raw bytes of the next value (whatever its type), consumed.
    pub fn read_value_bytes(&mut self) -> Result<&'a [u8], CodecError> {
        let start = self.pos;
        self.skip_value()?;
        Ok(&self.buf[start..self.pos])
    }

    /// Decode the next value into `data` (as [`Data::decode`]).
    pub fn read_into(&mut self, data: &mut Data) -> Result<(), CodecError> {
        let n = data.decode(self.remaining())?;
        self.pos += n;
        Ok(())
    }
}

impl<'a> ArrayDecoder<'a> {
    /// The next element as a scalar; `None` after the last.
    pub fn next_atom(&mut self) -> Result<Option<Atom<'a>>, CodecError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        self.body.scalar_body(self.constructor).map(Some)
    }

    /// The raw bytes of the next element (without the shared constructor);
    /// `None` after the last.
    pub fn next_bytes(&mut self) -> Result<Option<&'a [u8]>, CodecError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let start = self.body.pos;
        self.body.skip_body(self.constructor)?;
        Ok(Some(&self.body.buf[start..self.body.pos]))
    }

    /// The element type.
    pub fn element_type(&self) -> Option<Type> {
        describe(self.constructor).map(|d| d.1)
    }
}

// ---------------------------------------------------------------------
// Tree decoding (pn_data_decode)

/// What the decoder expects next inside an entered node.
#[derive(Clone, Copy)]
enum Frame {
    /// `left` more values, each with its own constructor. `descriptor`:
    /// the next one is a described value's descriptor.
    Values { left: u32, descriptor: bool },
    /// A described array's descriptor (`read` once it is done), then the
    /// element constructor.
    ArrayDescriptor { count: u32, read: bool },
    /// `left` more array elements, all of constructor `ctor`.
    Elements { ctor: u8, left: u32 },
}

/// Array elements that take no bytes (`null`, `true`, `list0`, ...) that
/// one decode may create, beyond 16 per input byte.
const ZERO_WIDTH_ALLOWANCE: usize = 1 << 16;

impl Default for Frame {
    fn default() -> Self {
        Frame::Values { left: 0, descriptor: false }
    }
}

struct TreeDecoder<'a, 'd> {
    data: &'d mut Data,
    input: Decoder<'a>,
    stack: Stack<Frame, 16>,
    zero_width_budget: usize,
}

impl Data {
    /// Decode one value from the start of `input` and put it after the
    /// current node (like a put: it reuses the next node if there is one);
    /// it becomes the current node. Returns the bytes consumed. On error
    /// the tree is unchanged.
    ///
    /// Errors are proton's: `Underflow` when the input ends inside the
    /// value (also for empty input), `InvalidConstructor` for a byte that
    /// is no constructor; plus `TooDeep` and `TooManyElements` (limits of
    /// this implementation).
    pub fn decode(&mut self, input: &[u8]) -> Result<usize, CodecError> {
        let cp = self.checkpoint();
        let mut t = TreeDecoder {
            data: self,
            input: Decoder::new(input),
            stack: Stack::new(),
            zero_width_budget: ZERO_WIDTH_ALLOWANCE.saturating_add(input.len().saturating_mul(16)),
        };
        let result = t.run().map(|()| t.input.pos);
        // Strings, binaries and symbols were recorded as spans of the input:
        // copy the consumed input once and move the spans onto the copy
        // (one memcpy instead of one per value).
        let result = result.and_then(|pos| {
            let base = self.bytes.len();
            let base32 = u32::try_from(base + pos).map(|_| base as u32).map_err(|_| CodecError::TooLarge)?;
            self.bytes.extend_from_slice(&input[..pos]);
            for &id in &self.rebase {
                if let Value::Binary(s) | Value::String(s) | Value::Symbol(s) = &mut self.nodes[id as usize].value {
                    s.off += base32;
                }
            }
            Ok(pos)
        });
        self.rebase.clear();
        if result.is_err() {
            self.rollback(cp);
        }
        result
    }
}

impl TreeDecoder<'_, '_> {
    fn run(&mut self) -> Result<(), CodecError> {
        self.value(false)?;
        while let Some(top) = self.stack.last_mut() {
            match top {
                Frame::Values { left: 0, .. } | Frame::Elements { left: 0, .. } => {
                    self.stack.pop();
                    self.data.exit();
                }
                Frame::Values { left, descriptor } => {
                    *left -= 1;
                    let is_descriptor = std::mem::replace(descriptor, false);
                    self.value(is_descriptor)?;
                }
                Frame::ArrayDescriptor { read: read @ false, .. } => {
                    *read = true;
                    self.value(true)?;
                }
                Frame::ArrayDescriptor { count, read: true } => {
                    let count = *count;
                    let ctor = self.input.u8()?;
                    let ty = match describe(ctor) {
                        Some((_, ty)) => ty,
                        None => return Err(CodecError::InvalidConstructor(ctor)),
                    };
                    let array = self.data.parent;
                    self.data.nodes[array as usize].value = Value::Array { described: true, ty: ty as i32 };
                    *self.stack.last_mut().expect("top frame") = Frame::Elements { ctor, left: count };
                }
                Frame::Elements { ctor, left } => {
                    *left -= 1;
                    let ctor = *ctor;
                    self.body(ctor)?;
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, frame: Frame) -> Result<(), CodecError> {
        if self.stack.len() >= MAX_NESTING {
            return Err(CodecError::TooDeep);
        }
        self.data.enter();
        self.stack.push(frame);
        Ok(())
    }

    /// A value with its constructor. Proton allows only scalars (and
    /// `list0`) as descriptors: no described value, list, map or array.
    #[inline(always)]
    fn value(&mut self, descriptor: bool) -> Result<(), CodecError> {
        let c = self.input.u8()?;
        if descriptor
            && (c == code::DESCRIBED || matches!(describe(c), Some((Layout::Compound(_) | Layout::Array(_), _))))
        {
            return Err(CodecError::InvalidConstructor(c));
        }
        if c == code::DESCRIBED {
            self.data.add(Value::Described)?;
            return self.push(Frame::Values { left: 2, descriptor: true });
        }
        self.body(c)
    }

    /// The bytes after constructor `c` (read, or shared by an array). One
    /// match on the constructor (this is the decoder's hot path).
    #[inline(always)]
    fn body(&mut self, c: u8) -> Result<(), CodecError> {
        let v = match c {
            code::NULL | code::TRUE | code::FALSE | code::UINT0 | code::ULONG0 | code::LIST0 => {
                if matches!(self.stack.last(), Some(Frame::Elements { .. })) {
                    self.zero_width_budget =
                        self.zero_width_budget.checked_sub(1).ok_or(CodecError::TooManyElements)?;
                }
                match c {
                    code::NULL => Value::Null,
                    code::TRUE => Value::Bool(true),
                    code::FALSE => Value::Bool(false),
                    code::UINT0 => Value::Uint(0),
                    code::ULONG0 => Value::Ulong(0),
                    _ => Value::List,
                }
            }
            code::SMALLINT => Value::Int(self.input.u8()? as i8 as i32),
            code::INT => Value::Int(i32::from_be_bytes(self.input.array()?)),
            code::SMALLUINT => Value::Uint(self.input.u8()? as u32),
            code::UINT => Value::Uint(u32::from_be_bytes(self.input.array()?)),
            code::SMALLULONG => Value::Ulong(self.input.u8()? as u64),
            code::ULONG => Value::Ulong(u64::from_be_bytes(self.input.array()?)),
            code::SMALLLONG => Value::Long(self.input.u8()? as i8 as i64),
            code::LONG => Value::Long(i64::from_be_bytes(self.input.array()?)),
            code::BOOLEAN => Value::Bool(self.input.u8()? != 0),
            code::UBYTE => Value::Ubyte(self.input.u8()?),
            code::BYTE => Value::Byte(self.input.u8()? as i8),
            code::USHORT => Value::Ushort(u16::from_be_bytes(self.input.array()?)),
            code::SHORT => Value::Short(i16::from_be_bytes(self.input.array()?)),
            code::CHAR => Value::Char(u32::from_be_bytes(self.input.array()?)),
            code::TIMESTAMP => Value::Timestamp(i64::from_be_bytes(self.input.array()?)),
            code::FLOAT => Value::Float(f32::from_bits(u32::from_be_bytes(self.input.array()?))),
            code::DOUBLE => Value::Double(f64::from_bits(u64::from_be_bytes(self.input.array()?))),
            code::DECIMAL32 => Value::Decimal32(u32::from_be_bytes(self.input.array()?)),
            code::DECIMAL64 => Value::Decimal64(u64::from_be_bytes(self.input.array()?)),
            code::DECIMAL128 => Value::Decimal128(self.input.array()?),
            code::UUID => Value::Uuid(self.input.array()?),
            code::VBIN8 | code::STR8 | code::SYM8 | code::VBIN32 | code::STR32 | code::SYM32 => {
                let n = self.input.width(if c & 0xf0 == 0xa0 { 1 } else { 4 })?;
                let off = u32::try_from(self.input.pos).map_err(|_| CodecError::TooLarge)?;
                self.input.take(n)?;
                // Relative to the input until `Data::decode` copies it.
                let span = Span { off, len: n as u32 };
                let id = self.data.add(match c & 0x0f {
                    0x0 => Value::Binary(span),
                    0x1 => Value::String(span),
                    _ => Value::Symbol(span),
                })?;
                self.data.rebase.push(id);
                return Ok(());
            }
            code::LIST8 | code::LIST32 | code::MAP8 | code::MAP32 => {
                let w = if c & 0xf0 == 0xc0 { 1 } else { 4 };
                let size = self.input.width(w)?;
                if size > self.input.remaining().len() {
                    return Err(CodecError::Underflow);
                }
                // Like proton, the count decides where the value ends; the
                // size is only checked against the input, and against the
                // count's width once the count is read.
                let count = self.input.width(w)? as u32;
                if size < w as usize {
                    return Err(CodecError::InvalidSize);
                }
                self.data.add(if c & 0x0f == 0 { Value::List } else { Value::Map })?;
                return self.push(Frame::Values { left: count, descriptor: false });
            }
            code::ARRAY8 | code::ARRAY32 => {
                let w = if c == code::ARRAY8 { 1 } else { 4 };
                let size = self.input.width(w)?;
                if size > self.input.remaining().len() {
                    return Err(CodecError::Underflow);
                }
                let count = self.input.width(w)? as u32;
                let ctor = self.input.u8()?;
                if size < w as usize + 1 {
                    return Err(CodecError::InvalidSize);
                }
                if ctor == code::DESCRIBED {
                    self.data.add(Value::Array { described: true, ty: -1 })?;
                    return self.push(Frame::ArrayDescriptor { count, read: false });
                }
                let Some((_, ety)) = describe(ctor) else {
                    return Err(CodecError::InvalidConstructor(ctor));
                };
                self.data.add(Value::Array { described: false, ty: ety as i32 })?;
                return self.push(Frame::Elements { ctor, left: count });
            }
            _ => return Err(CodecError::InvalidConstructor(c)),
        };
        self.data.add(v)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::error::{PN_ARG_ERR, PN_UNDERFLOW};

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// (input, proton's return, proton's format after a successful decode)
    /// from proton-c 0.37 (probe dec.c).
    const CASES: &[(&str, isize, &str)] = &[
        ("40", 1, "null"),
        ("4040", 1, "null"),
        ("5601", 2, "true"),
        ("5600", 2, "false"),
        ("5602", 2, "true"),
        ("43", 1, "0"),
        ("44", 1, "0"),
        ("45", 1, "[]"),
        ("5007", 2, "7"),
        ("50", -4, ""),
        ("51ff", 2, "-1"),
        ("6000", -4, ""),
        ("600001", 3, "1"),
        ("61ffff", 3, "-1"),
        ("70000000", -4, ""),
        ("5201", 2, "1"),
        ("54ff", 2, "-1"),
        ("730000006100", 5, "a"),
        ("53ff", 2, "255"),
        ("55ff", 2, "-1"),
        ("8000000000000000ff", 9, "255"),
        ("80000000000000ff", -4, ""),
        ("83000000000000000a", 9, "10"),
        ("723f800000", 5, "1"),
        ("823ff0000000000000", 9, "1"),
        ("7401020304", 5, "D32(16909060)"),
        ("840102030405060708", 9, "D64(72623859790382856)"),
        ("94000102030405060708090a0b0c0d0e0f", 17, "D128(000102030405060708090a0b0c0d0e0f)"),
        ("98000102030405060708090a0b0c0d0e0f", 17, "UUID(00010203-0405-0607-0809-0a0b0c0d0e0f)"),
        ("98000102030405060708090a0b0c0d0e", -4, ""),
        ("a00161", 3, "b\"a\""),
        ("a00261", -4, ""),
        ("a0", -4, ""),
        ("b00000000161", 6, "b\"a\""),
        ("b000000002", -4, ""),
        ("a10361626364", 5, "\"abc\""),
        ("a30161", 3, ":a"),
        ("b300000001", -4, ""),
        ("c00302", -4, ""),
        ("c0030140", -4, ""),
        ("c0020140", 4, "[null]"),
        ("c003014040", 4, "[null]"),
        ("c0010140", 4, "[null]"),
        ("c000", -4, ""),
        ("e00020", -4, ""),
        ("c00100", 3, "[]"),
        ("c00140", -4, ""),
        ("d0000000050000000140", 10, "[null]"),
        ("d0000000040000000140", 10, "[null]"),
        ("d0000000060000000140", -4, ""),
        ("d0000000050000000240", -4, ""),
        ("c1050241014101", -6, ""),
        ("c1040141014101", 4, "{true}"),
        ("d10000000400000000", 9, "{}"),
        ("e00402540102", 6, "@PN_INT[1, 2]"),
        ("e0050271010203", -4, ""),
        ("f0000000050000000071", 10, "@PN_INT[]"),
        ("f00000000a00000001b30000000161", 15, "@PN_SYMBOL[:a]"),
        ("e00401a30161", 6, "@PN_SYMBOL[:a]"),
        ("e006010053014040", 7, "@PN_NULL[1, null]"),
        ("e0040100530171", -4, ""),
        ("e00501000001ffff", -6, ""),
        ("e0050100530141", 7, "@PN_BOOL[1, true]"),
        ("e00401005310450000", 7, "@PN_LIST[16, []]"),
        ("e003014040", 4, "@PN_NULL[null]"),
        ("e00201ff", -6, ""),
        ("e003010045", -4, ""),
        ("e0030100ff", -6, ""),
        ("e002000000", -6, ""),
        ("f00000000400000000", -4, ""),
        ("d000000004ffffffff", -4, ""),
        ("00", -4, ""),
        ("0053", -4, ""),
        ("005310", -4, ""),
        ("00531045", 4, "@open(16) []"),
        ("0000531045", -6, ""),
        ("00531000531145", 7, "@open(16) @container-id=begin(17) hostname=[]"),
        ("00a00161a00162", 7, "@b\"a\" b\"b\""),
        ("004540", 3, "@[] null"),
        ("e000025401", -6, ""),
        ("e001025401", -6, ""),
        ("e00202540102", 6, "@PN_INT[1, 2]"),
        ("c000014040", -6, ""),
        ("c001014040", 4, "[null]"),
        ("d0000000030100000040", -6, ""),
        ("d0000000040100000040", -4, ""),
        ("f000000004000000025401", -6, ""),
        ("f00000000500000002540102", 12, "@PN_INT[1, 2]"),
        ("00414040", 3, "@true null"),
        ("00c0010040", -6, ""),
        ("00d10000000400000000", -6, ""),
        ("00e00201404040", -6, ""),
        ("00f0000000050000000140", -6, ""),
        ("00f04242424242424242", -6, ""),
        ("e0070100c001004040", -6, ""),
        ("e0080100e0030140404040", -6, ""),
        ("ff", -6, ""),
        ("01", -6, ""),
        ("5f", -6, ""),
        ("b4", -6, ""),
        ("00ff", -6, ""),
        ("", -4, ""),
    ];

    #[test]
    fn decode_matches_proton() {
        for &(input, ret, text) in CASES {
            let bytes = unhex(input);
            let mut d = Data::new();
            let r = d.decode(&bytes);
            match r {
                Ok(n) => {
                    assert_eq!(n as isize, ret, "{input}");
                    assert_eq!(String::from_utf8_lossy(&d.format()), text, "{input}");
                }
                Err(e) => {
                    assert_eq!(e.code() as isize, ret, "{input}: {e}");
                    assert_eq!(d.size(), 0, "{input}: rolled back");
                }
            }
        }
        assert_eq!(PN_UNDERFLOW, -4);
        assert_eq!(PN_ARG_ERR, -6);
    }

    #[test]
    fn failed_decode_leaves_the_tree_unchanged() {
        let mut d = Data::new();
        d.put_int(1).unwrap();
        d.put_list().unwrap();
        d.enter();
        d.put_int(2).unwrap();
        d.exit();
        d.rewind();
        d.next();
        let before = (d.format(), d.size(), d.position());
        // Would overwrite the list (the node after the current one).
        assert_eq!(d.decode(&unhex("d00000000b0000000254015402")), Err(CodecError::Underflow));
        assert_eq!((d.format(), d.size(), d.position()), before);
        assert_eq!(d.decode(&unhex("c003025401ff")), Err(CodecError::InvalidConstructor(0xff)));
        assert_eq!((d.format(), d.size(), d.position()), before);
        // And a good decode overwrites it, like a put.
        assert_eq!(d.decode(&unhex("5421")), Ok(2));
        assert_eq!(d.format(), b"1, 33");
        assert_eq!(d.position(), (2, 0));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // 100000 nested list8s.
        let mut v = Vec::new();
        for _ in 0..100_000 {
            v.extend_from_slice(&[0xc0, 0x01, 0x01]);
        }
        v.push(0x40);
        let mut d = Data::new();
        assert_eq!(d.decode(&v), Err(CodecError::TooDeep));
        assert_eq!(d.size(), 0);
        // Just under the limit decodes.
        let ok: Vec<u8> = std::iter::repeat_n([0xc0u8, 0x01, 0x01], MAX_NESTING).flatten().chain([0x40]).collect();
        assert_eq!(d.decode(&ok), Ok(ok.len()));
        // Nested described values count too.
        let desc: Vec<u8> = std::iter::repeat_n([0x00u8, 0x53, 0x01], 5000).flatten().chain([0x40]).collect();
        assert_eq!(Data::new().decode(&desc), Err(CodecError::TooDeep));
        // Arrays of arrays: e0 [02 01 e0]* 02 01 40.
        let arr: Vec<u8> =
            [0xe0].into_iter().chain(std::iter::repeat_n([0x02u8, 0x01, 0xe0], 5000).flatten()).chain([2, 1, 0x40]).collect();
        assert_eq!(Data::new().decode(&arr), Err(CodecError::TooDeep));
        let ok: Vec<u8> =
            [0xe0].into_iter().chain(std::iter::repeat_n([0x02u8, 0x01, 0xe0], 100).flatten()).chain([2, 1, 0x40]).collect();
        let mut d = Data::new();
        assert_eq!(d.decode(&ok), Ok(ok.len()));
        assert_eq!(d.size(), 102);
    }

    #[test]
    fn zero_width_elements_are_bounded() {
        // array32 of 2^32-1 nulls in 10 bytes.
        let bomb = unhex("f000000005ffffffff40");
        assert_eq!(Data::new().decode(&bomb), Err(CodecError::TooManyElements));
        let mut ok = unhex("f00000000500001000"); // 4096 list0 elements
        ok.push(0x45);
        let mut d = Data::new();
        assert_eq!(d.decode(&ok), Ok(10));
        assert_eq!(d.size(), 4097);
    }

    #[test]
    fn streaming_decoder_reads_every_encoding() {
        let mut d = Decoder::new(&[0x43, 0x52, 0x07, 0x70, 0, 0, 1, 0, 0x44, 0x53, 9, 0x54, 0xff, 0x56, 1, 0x40, 0xa1, 1, b'x']);
        assert_eq!(d.read_uint(), Ok(0));
        assert_eq!(d.read_uint(), Ok(7));
        assert_eq!(d.read_uint(), Ok(256));
        assert_eq!(d.read_ulong(), Ok(0));
        assert_eq!(d.read_ulong(), Ok(9));
        assert_eq!(d.read_ulong(), Err(CodecError::UnexpectedType { expected: "ulong", found: 0x54 }));
        assert_eq!(d.read_int(), Ok(-1));
        assert_eq!(d.read_bool(), Ok(true));
        assert_eq!(d.read_opt(Decoder::read_string), Ok(None));
        assert_eq!(d.read_opt(Decoder::read_string), Ok(Some(&b"x"[..])));
        assert!(d.is_empty());
        assert_eq!(d.read_uint(), Err(CodecError::Underflow));
    }

    #[test]
    fn streaming_decoder_compounds() {
        let bytes = unhex("0053704545c0050240a10161d10000000900000002a3016b5207f00000000900000002a301610162");
        let mut d = Decoder::new(&bytes);
        assert_eq!(d.read_descriptor(), Ok(Descriptor::Code(0x70)));
        // The described value's value (list0) skipped.
        d.skip_value().unwrap();
        let (n, _) = d.read_list().unwrap();
        assert_eq!(n, 0);
        let (n, mut l) = d.read_list().unwrap();
        assert_eq!(n, 2);
        assert_eq!(l.read_atom(), Ok(Atom::Null));
        assert_eq!(l.read_string(), Ok(&b"a"[..]));
        assert!(l.is_empty());
        let (n, mut m) = d.read_map().unwrap();
        assert_eq!(n, 2);
        assert_eq!(m.read_symbol(), Ok(&b"k"[..]));
        assert_eq!(m.read_uint(), Ok(7));
        let start = d.position();
        let raw = d.read_value_bytes().unwrap();
        assert_eq!(raw, &bytes[start..]);
        assert!(d.is_empty());
        let mut a = Decoder::new(raw).read_array().unwrap();
        assert_eq!(a.element_type(), Some(Type::Symbol));
        assert_eq!(a.remaining, 2);
        assert_eq!(a.next_atom(), Ok(Some(Atom::Symbol(b"a"))));
        assert_eq!(a.next_atom(), Ok(Some(Atom::Symbol(b"b"))));
        assert_eq!(a.next_atom(), Ok(None));
        // Failed reads do not move the cursor.
        let mut d = Decoder::new(&bytes[5..10]);
        let before = d.position();
        assert!(d.read_list().is_err());
        assert_eq!(d.position(), before);
        assert_eq!(d.skip_value(), Err(CodecError::Underflow));
        assert_eq!(d.position(), before);
    }

    #[test]
    fn streaming_array_elements() {
        // Size larger than the input.
        let bytes = unhex("e0100200a30164710000000100000002");
        assert_eq!(Decoder::new(&bytes).read_array().unwrap_err(), CodecError::Underflow);
        let bytes = unhex("e00e0200a3016471000000010000000240");
        let mut d = Decoder::new(&bytes);
        let mut arr = d.read_array().unwrap();
        assert_eq!(arr.descriptor, Some(&b"\xa3\x01d"[..]));
        assert_eq!(arr.next_atom(), Ok(Some(Atom::Int(1))));
        assert_eq!(arr.next_bytes(), Ok(Some(&[0, 0, 0, 2][..])));
        assert_eq!(arr.next_atom(), Ok(None));
        assert_eq!(d.read_atom(), Ok(Atom::Null));
    }
}
