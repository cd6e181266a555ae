//! Writing AMQP values.
//!
//! Two writers:
//! - [`Encoder`]: appends values to a `Vec<u8>` as the caller names them
//!   (frames, message sections), choosing the smallest encodings.
//! - [`Data::encode`] and friends: the bytes proton-c 0.37's
//!   `pn_data_encode` writes for a tree, byte for byte (32-bit sizes for
//!   every non-empty list and every map and array, `list0` for empty
//!   lists, `uint0`/`ulong0`/`smalluint`/`smallint`/... for small numbers,
//!   fixed-width elements inside arrays).

use super::data::{Data, Span, Value};
use super::error::CodecError;
use super::stack::Stack;
use super::types::{Atom, Type, code};

/// Where encoded bytes go. `patch_u32` rewrites 4 bytes written earlier
/// (sizes and counts known only after the contents).
pub(crate) trait Sink {
    fn pos(&self) -> usize;
    fn put(&mut self, b: &[u8]);
    fn put_u8(&mut self, b: u8);
    fn patch_u32(&mut self, at: usize, v: u32);
}

impl Sink for Vec<u8> {
    #[inline]
    fn pos(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
    #[inline]
    fn put_u8(&mut self, b: u8) {
        self.push(b);
    }
    #[inline]
    fn patch_u32(&mut self, at: usize, v: u32) {
        if let Some(dst) = self.get_mut(at..at + 4) {
            dst.copy_from_slice(&v.to_be_bytes());
        }
    }
}

/// A caller's buffer. Writes past its end are counted, not stored, so the
/// needed size is known when it is too small.
pub(crate) struct SliceSink<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> SliceSink<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceSink { buf, pos: 0 }
    }
    pub fn overflowed(&self) -> bool {
        self.pos > self.buf.len()
    }
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn pos(&self) -> usize {
        self.pos
    }
    #[inline]
    fn put(&mut self, b: &[u8]) {
        let end = self.pos + b.len();
        if let Some(dst) = self.buf.get_mut(self.pos..end) {
            dst.copy_from_slice(b);
        }
        self.pos = end;
    }
    #[inline]
    fn put_u8(&mut self, b: u8) {
        if let Some(dst) = self.buf.get_mut(self.pos) {
            *dst = b;
        }
        self.pos += 1;
    }
    #[inline]
    fn patch_u32(&mut self, at: usize, v: u32) {
        if let Some(dst) = self.buf.get_mut(at..at + 4) {
            dst.copy_from_slice(&v.to_be_bytes());
        }
    }
}

/// Counts bytes only (`pn_data_encoded_size`).
pub(crate) struct CountSink(pub usize);

impl Sink for CountSink {
    #[inline]
    fn pos(&self) -> usize {
        self.0
    }
    #[inline]
    fn put(&mut self, b: &[u8]) {
        self.0 += b.len();
    }
    #[inline]
    fn put_u8(&mut self, _: u8) {
        self.0 += 1;
    }
    #[inline]
    fn patch_u32(&mut self, _: usize, _: u32) {}
}

// ---------------------------------------------------------------------
// Tree encoding (pn_data_encode)

/// A compound node being written: where its size field is and what its
/// children are written as.
#[derive(Clone, Copy, Default)]
struct Open {
    node: u32,
    /// Offset of the 32-bit size (lists, maps, arrays), else `None`.
    size_at: Option<usize>,
    /// For arrays: the element constructor, once written (after the
    /// descriptor of a described array).
    element: Option<u8>,
    /// For described arrays whose descriptor is still to come.
    descriptor_pending: bool,
}

impl Data {
    /// Append the encoding of every value to `out` (proton's bytes).
    /// Like proton, the whole tree is encoded whatever the cursor is.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
        self.encode_to(out)
    }

    /// Encode into `buf`; the size written, or `Overflow` if `buf` is too
    /// small (its contents are then unspecified).
    pub fn encode_into(&self, buf: &mut [u8]) -> Result<usize, CodecError> {
        let mut sink = SliceSink::new(buf);
        self.encode_to(&mut sink)?;
        if sink.overflowed() { Err(CodecError::Overflow) } else { Ok(sink.pos()) }
    }

    /// The size [`encode`](Self::encode) would write.
    pub fn encoded_size(&self) -> Result<usize, CodecError> {
        let mut sink = CountSink(0);
        self.encode_to(&mut sink)?;
        Ok(sink.0)
    }

    /// Append the encoding of the current node (with its descendants)
    /// to `out`; nothing when there is no current node.
    pub fn encode_current(&self, out: &mut Vec<u8>) -> Result<(), CodecError> {
        self.encode_from(out, self.current, true)
    }

    pub(crate) fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), CodecError> {
        self.encode_from(out, self.first(), false)
    }

    /// Iterative pre/post-order walk from node `id` and (unless `single`)
    /// its following siblings.
    fn encode_from<S: Sink>(&self, out: &mut S, mut id: u32, single: bool) -> Result<(), CodecError> {
        if id != 0 {
            // A lone value without children (a typical body): no walk.
            let node = self.node(id);
            if node.down == 0 && (single || node.next == 0) {
                let open = self.write_node(out, id)?;
                self.close(out, open);
                return Ok(());
            }
        }
        let mut stack: Stack<Open, 16> = Stack::new();
        while id != 0 {
            let node = self.node(id);
            // How the enclosing array (if any) wants this node written.
            let element = match stack.last_mut() {
                Some(top) if top.descriptor_pending => {
                    top.descriptor_pending = false;
                    None
                }
                Some(top) => top.element,
                None => None,
            };
            let open = match element {
                None => self.write_node(out, id)?,
                Some(ctor) => self.write_element(out, id, ctor)?,
            };
            if node.down != 0 {
                stack.push(open);
                id = node.down;
                continue;
            }
            self.close(out, open);
            // Climb to the next node to write.
            let mut at = id;
            loop {
                let next = self.node(at).next;
                let Some(top) = stack.last_mut() else {
                    id = if single { 0 } else { next };
                    break;
                };
                // The descriptor of a described array was just finished:
                // the element constructor comes next.
                if top.element.is_none() && top.size_at.is_some() {
                    if let Value::Array { ty, .. } = self.node(top.node).value {
                        if !top.descriptor_pending {
                            let ctor = array_constructor(ty);
                            out.put_u8(ctor);
                            top.element = Some(ctor);
                        }
                    }
                }
                if next != 0 {
                    id = next;
                    break;
                }
                let done = stack.pop().expect("stack is not empty");
                at = done.node;
                self.close(out, done);
                if stack.is_empty() {
                    id = if single { 0 } else { self.node(at).next };
                    break;
                }
            }
        }
        Ok(())
    }

    /// Write a node with its own constructor.
    fn write_node<S: Sink>(&self, out: &mut S, id: u32) -> Result<Open, CodecError> {
        let node = self.node(id);
        let mut open = Open { node: id, size_at: None, element: None, descriptor_pending: false };
        match node.value {
            Value::Null => out.put_u8(code::NULL),
            Value::Bool(b) => out.put_u8(if b { code::TRUE } else { code::FALSE }),
            Value::Ubyte(v) => out.put(&[code::UBYTE, v]),
            Value::Byte(v) => out.put(&[code::BYTE, v as u8]),
            Value::Ushort(v) => put_fixed(out, code::USHORT, &v.to_be_bytes()),
            Value::Short(v) => put_fixed(out, code::SHORT, &v.to_be_bytes()),
            Value::Uint(0) => out.put_u8(code::UINT0),
            Value::Uint(v @ 1..=255) => out.put(&[code::SMALLUINT, v as u8]),
            Value::Uint(v) => put_fixed(out, code::UINT, &v.to_be_bytes()),
            Value::Int(v @ -128..=127) => out.put(&[code::SMALLINT, v as u8]),
            Value::Int(v) => put_fixed(out, code::INT, &v.to_be_bytes()),
            Value::Char(v) => put_fixed(out, code::CHAR, &v.to_be_bytes()),
            Value::Ulong(0) => out.put_u8(code::ULONG0),
            Value::Ulong(v @ 1..=255) => out.put(&[code::SMALLULONG, v as u8]),
            Value::Ulong(v) => put_fixed(out, code::ULONG, &v.to_be_bytes()),
            Value::Long(v @ -128..=127) => out.put(&[code::SMALLLONG, v as u8]),
            Value::Long(v) => put_fixed(out, code::LONG, &v.to_be_bytes()),
            Value::Timestamp(v) => put_fixed(out, code::TIMESTAMP, &v.to_be_bytes()),
            Value::Float(v) => put_fixed(out, code::FLOAT, &v.to_bits().to_be_bytes()),
            Value::Double(v) => put_fixed(out, code::DOUBLE, &v.to_bits().to_be_bytes()),
            Value::Decimal32(v) => put_fixed(out, code::DECIMAL32, &v.to_be_bytes()),
            Value::Decimal64(v) => put_fixed(out, code::DECIMAL64, &v.to_be_bytes()),
            Value::Decimal128(v) => put_fixed(out, code::DECIMAL128, &v),
            Value::Uuid(v) => put_fixed(out, code::UUID, &v),
            Value::Binary(s) => self.put_variable(out, code::VBIN8, code::VBIN32, s),
            Value::String(s) => self.put_variable(out, code::STR8, code::STR32, s),
            Value::Symbol(s) => self.put_variable(out, code::SYM8, code::SYM32, s),
            Value::Described => out.put_u8(code::DESCRIBED),
            Value::List if node.children == 0 => out.put_u8(code::LIST0),
            Value::List => {
                out.put_u8(code::LIST32);
                open.size_at = Some(self.open_compound(out, node.children));
            }
            Value::Map => {
                out.put_u8(code::MAP32);
                open.size_at = Some(self.open_compound(out, node.children));
            }
            Value::Array { .. } => {
                out.put_u8(code::ARRAY32);
                self.open_array(out, id, &mut open)?;
            }
        }
        Ok(open)
    }

    /// Write an array element: no constructor, the array's width.
    fn write_element<S: Sink>(&self, out: &mut S, id: u32, ctor: u8) -> Result<Open, CodecError> {
        let node = self.node(id);
        let mut open = Open { node: id, size_at: None, element: None, descriptor_pending: false };
        let v = node.value;
        let bits = raw_bits(&v);
        match ctor {
            code::NULL | code::DESCRIBED => {}
            code::BOOLEAN => out.put_u8(match v {
                Value::Bool(b) => b as u8,
                _ => bits as u8,
            }),
            code::UBYTE | code::BYTE => out.put_u8(bits as u8),
            code::USHORT | code::SHORT => out.put(&(bits as u16).to_be_bytes()),
            code::UINT | code::INT | code::CHAR | code::FLOAT | code::DECIMAL32 => {
                out.put(&(bits as u32).to_be_bytes())
            }
            code::ULONG | code::LONG | code::TIMESTAMP | code::DOUBLE | code::DECIMAL64 => {
                out.put(&bits.to_be_bytes())
            }
            code::DECIMAL128 | code::UUID => match v {
                Value::Decimal128(b) | Value::Uuid(b) => out.put(&b),
                _ => out.put(&(bits as u128).to_be_bytes()),
            },
            code::VBIN32 | code::STR32 | code::SYM32 => {
                let bytes = match v {
                    Value::Binary(s) | Value::String(s) | Value::Symbol(s) => self.span(s),
                    _ => &[],
                };
                out.put(&(bytes.len() as u32).to_be_bytes());
                out.put(bytes);
            }
            code::LIST32 | code::MAP32 => open.size_at = Some(self.open_compound(out, node.children)),
            code::ARRAY32 => self.open_array(out, id, &mut open)?,
            _ => return Err(CodecError::Invalid("array of an unknown type")),
        }
        Ok(open)
    }

    #[inline]
    fn put_variable<S: Sink>(&self, out: &mut S, small: u8, large: u8, s: Span) {
        let bytes = self.span(s);
        if bytes.len() < 256 {
            out.put(&[small, bytes.len() as u8]);
        } else {
            out.put_u8(large);
            out.put(&(bytes.len() as u32).to_be_bytes());
        }
        out.put(bytes);
    }

    /// Size placeholder and count of a list or map; returns the size's
    /// offset.
    #[inline]
    fn open_compound<S: Sink>(&self, out: &mut S, count: u32) -> usize {
        let at = out.pos();
        out.put(&[0, 0, 0, 0]);
        out.put(&count.to_be_bytes());
        at
    }

    /// Size placeholder, count and (unless described) the element
    /// constructor of an array.
    fn open_array<S: Sink>(&self, out: &mut S, id: u32, open: &mut Open) -> Result<(), CodecError> {
        let node = self.node(id);
        let (described, ty) = match node.value {
            Value::Array { described, ty } => (described, ty),
            // An element of an array of arrays that is something else.
            _ => (false, Type::Null as i32),
        };
        open.size_at = Some(out.pos());
        out.put(&[0, 0, 0, 0]);
        out.put(&node.children.wrapping_sub(described as u32).to_be_bytes());
        if described {
            out.put_u8(code::DESCRIBED);
            open.descriptor_pending = node.children > 0;
        } else {
            let ctor = array_constructor(ty);
            out.put_u8(ctor);
            open.element = Some(ctor);
        }
        Ok(())
    }

    /// Finish a node: fill in its size.
    #[inline]
    fn close<S: Sink>(&self, out: &mut S, open: Open) {
        if let Some(at) = open.size_at {
            let size = out.pos() - at - 4;
            out.patch_u32(at, size as u32);
        }
    }
}

#[inline]
fn put_fixed<S: Sink>(out: &mut S, ctor: u8, bytes: &[u8]) {
    out.put_u8(ctor);
    out.put(bytes);
}

/// The element constructor for an array type number; 0xfe (proton's
/// marker, which no decoder accepts) for a number that is no type.
fn array_constructor(ty: i32) -> u8 {
    Type::from_raw(ty).map_or(0xfe, Type::array_constructor)
}

/// The bits of a numeric value, for an element whose type differs from
/// its array's (proton writes the union's bits at the array's width).
fn raw_bits(v: &Value) -> u64 {
    match *v {
        Value::Bool(b) => b as u64,
        Value::Ubyte(x) => x as u64,
        Value::Byte(x) => x as u8 as u64,
        Value::Ushort(x) => x as u64,
        Value::Short(x) => x as u16 as u64,
        Value::Uint(x) | Value::Char(x) | Value::Decimal32(x) => x as u64,
        Value::Int(x) => x as u32 as u64,
        Value::Ulong(x) | Value::Decimal64(x) => x,
        Value::Long(x) | Value::Timestamp(x) => x as u64,
        Value::Float(x) => x.to_bits() as u64,
        Value::Double(x) => x.to_bits(),
        Value::Binary(s) | Value::String(s) | Value::Symbol(s) => s.len as u64,
        _ => 0,
    }
}

// ---------------------------------------------------------------------
// Streaming encoder

/// Where a list, map or array being written started (from
/// [`Encoder::begin_list`] and friends; give it back to `end_*`).
#[must_use = "pass the start to the matching end_* call"]
#[derive(Debug)]
pub struct CompoundStart {
    at: usize,
    count: u32,
}

impl CompoundStart {
    /// Count one more element (or key, or value) written inside.
    #[inline]
    pub fn add(&mut self) {
        self.count += 1;
    }
    /// Elements counted so far.
    pub fn count(&self) -> u32 {
        self.count
    }
}

/// Appends AMQP values to a `Vec<u8>`, with the smallest encodings.
///
/// ```
/// use proton::codec::encoder::Encoder;
/// let mut buf = Vec::new();
/// let mut e = Encoder::new(&mut buf);
/// e.put_descriptor(0x10); // open
/// let mut l = e.begin_list();
/// e.put_string("container"); l.add();
/// e.put_null(); l.add();
/// e.end_list(l);
/// assert_eq!(buf, b"\x00\x53\x10\xc0\x0d\x02\xa1\x09container\x40");
/// ```
pub struct Encoder<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Encoder<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Encoder { out }
    }

    /// Bytes written so far (including what was in the vector before).
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Raw bytes (an already encoded value, for example).
    pub fn put_raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    pub fn put_null(&mut self) {
        self.out.push(code::NULL);
    }
    pub fn put_bool(&mut self, v: bool) {
        self.out.push(if v { code::TRUE } else { code::FALSE });
    }
    pub fn put_ubyte(&mut self, v: u8) {
        self.out.extend_from_slice(&[code::UBYTE, v]);
    }
    pub fn put_byte(&mut self, v: i8) {
        self.out.extend_from_slice(&[code::BYTE, v as u8]);
    }
    pub fn put_ushort(&mut self, v: u16) {
        self.out.push(code::USHORT);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_short(&mut self, v: i16) {
        self.out.push(code::SHORT);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_uint(&mut self, v: u32) {
        match v {
            0 => self.out.push(code::UINT0),
            1..=255 => self.out.extend_from_slice(&[code::SMALLUINT, v as u8]),
            _ => {
                self.out.push(code::UINT);
                self.out.extend_from_slice(&v.to_be_bytes());
            }
        }
    }
    pub fn put_int(&mut self, v: i32) {
        if (-128..=127).contains(&v) {
            self.out.extend_from_slice(&[code::SMALLINT, v as u8]);
        } else {
            self.out.push(code::INT);
            self.out.extend_from_slice(&v.to_be_bytes());
        }
    }
    pub fn put_char(&mut self, v: u32) {
        self.out.push(code::CHAR);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_ulong(&mut self, v: u64) {
        match v {
            0 => self.out.push(code::ULONG0),
            1..=255 => self.out.extend_from_slice(&[code::SMALLULONG, v as u8]),
            _ => {
                self.out.push(code::ULONG);
                self.out.extend_from_slice(&v.to_be_bytes());
            }
        }
    }
    pub fn put_long(&mut self, v: i64) {
        if (-128..=127).contains(&v) {
            self.out.extend_from_slice(&[code::SMALLLONG, v as u8]);
        } else {
            self.out.push(code::LONG);
            self.out.extend_from_slice(&v.to_be_bytes());
        }
    }
    pub fn put_timestamp(&mut self, v: i64) {
        self.out.push(code::TIMESTAMP);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_float(&mut self, v: f32) {
        self.out.push(code::FLOAT);
        self.out.extend_from_slice(&v.to_bits().to_be_bytes());
    }
    pub fn put_double(&mut self, v: f64) {
        self.out.push(code::DOUBLE);
        self.out.extend_from_slice(&v.to_bits().to_be_bytes());
    }
    pub fn put_decimal32(&mut self, v: u32) {
        self.out.push(code::DECIMAL32);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_decimal64(&mut self, v: u64) {
        self.out.push(code::DECIMAL64);
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    pub fn put_decimal128(&mut self, v: [u8; 16]) {
        self.out.push(code::DECIMAL128);
        self.out.extend_from_slice(&v);
    }
    pub fn put_uuid(&mut self, v: [u8; 16]) {
        self.out.push(code::UUID);
        self.out.extend_from_slice(&v);
    }
    fn put_variable(&mut self, small: u8, large: u8, bytes: &[u8]) {
        if bytes.len() < 256 {
            self.out.extend_from_slice(&[small, bytes.len() as u8]);
        } else {
            self.out.push(large);
            self.out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        }
        self.out.extend_from_slice(bytes);
    }
    pub fn put_binary(&mut self, v: &[u8]) {
        self.put_variable(code::VBIN8, code::VBIN32, v);
    }
    /// A string; `&str` or UTF-8 bytes.
    pub fn put_string(&mut self, v: impl AsRef<[u8]>) {
        self.put_variable(code::STR8, code::STR32, v.as_ref());
    }
    pub fn put_symbol(&mut self, v: impl AsRef<[u8]>) {
        self.put_variable(code::SYM8, code::SYM32, v.as_ref());
    }
    pub fn put_atom(&mut self, a: &Atom<'_>) {
        match *a {
            Atom::Null => self.put_null(),
            Atom::Bool(v) => self.put_bool(v),
            Atom::Ubyte(v) => self.put_ubyte(v),
            Atom::Byte(v) => self.put_byte(v),
            Atom::Ushort(v) => self.put_ushort(v),
            Atom::Short(v) => self.put_short(v),
            Atom::Uint(v) => self.put_uint(v),
            Atom::Int(v) => self.put_int(v),
            Atom::Char(v) => self.put_char(v),
            Atom::Ulong(v) => self.put_ulong(v),
            Atom::Long(v) => self.put_long(v),
            Atom::Timestamp(v) => self.put_timestamp(v),
            Atom::Float(v) => self.put_float(v),
            Atom::Double(v) => self.put_double(v),
            Atom::Decimal32(v) => self.put_decimal32(v),
            Atom::Decimal64(v) => self.put_decimal64(v),
            Atom::Decimal128(v) => self.put_decimal128(v),
            Atom::Uuid(v) => self.put_uuid(v),
            Atom::Binary(v) => self.put_binary(v),
            Atom::String(v) => self.put_string(v),
            Atom::Symbol(v) => self.put_symbol(v),
        }
    }

    /// The descriptor constructor and a numeric descriptor (the value
    /// follows).
    pub fn put_descriptor(&mut self, code: u64) {
        self.out.push(code::DESCRIBED);
        self.put_ulong(code);
    }
    /// The descriptor constructor and a symbolic descriptor.
    pub fn put_descriptor_symbol(&mut self, name: impl AsRef<[u8]>) {
        self.out.push(code::DESCRIBED);
        self.put_symbol(name);
    }

    /// Room for an 8-bit header (constructor, size, count): most lists and
    /// maps fit it, and `end` widens the rare one that does not.
    #[inline]
    fn begin(&mut self, ctor: u8) -> CompoundStart {
        let at = self.out.len();
        self.out.extend_from_slice(&[ctor, 0, 0]);
        CompoundStart { at, count: 0 }
    }

    /// Start a list: write the elements, counting each with
    /// [`CompoundStart::add`], then [`end_list`](Self::end_list).
    #[inline]
    pub fn begin_list(&mut self) -> CompoundStart {
        self.begin(code::LIST8)
    }
    /// Start a map (count keys and values: two per entry).
    #[inline]
    pub fn begin_map(&mut self) -> CompoundStart {
        self.begin(code::MAP8)
    }

    /// Finish a list: `list0` when empty, `list8` when it fits, else
    /// `list32`.
    #[inline]
    pub fn end_list(&mut self, start: CompoundStart) {
        self.end(start, code::LIST32, code::LIST0);
    }
    /// Finish a map: `map8` when it fits, else `map32`.
    #[inline]
    pub fn end_map(&mut self, start: CompoundStart) {
        self.end(start, code::MAP32, 0);
    }

    /// Fill in the 8-bit header written by `begin`, or widen it to the
    /// 32-bit form when the contents do not fit.
    #[inline]
    fn end(&mut self, start: CompoundStart, large: u8, empty: u8) {
        let body_at = start.at + 3;
        let body = self.out.len() - body_at;
        if start.count == 0 && empty != 0 {
            self.out.truncate(start.at);
            self.out.push(empty);
        } else if body < 255 && start.count <= 255 {
            self.out[start.at + 1] = (body + 1) as u8;
            self.out[start.at + 2] = start.count as u8;
        } else {
            self.widen(start, large, body);
        }
    }

    #[cold]
    fn widen(&mut self, start: CompoundStart, large: u8, body: usize) {
        let mut header = [0u8; 9];
        header[0] = large;
        header[1..5].copy_from_slice(&((body + 4) as u32).to_be_bytes());
        header[5..9].copy_from_slice(&start.count.to_be_bytes());
        self.out.splice(start.at..start.at + 3, header);
    }

    /// Start an array whose elements are all `element` constructor codes
    /// (`code::SYM8`, ...). Write each element with the `put_*_element`
    /// methods (or raw bytes of that width), counting with `add`.
    pub fn begin_array(&mut self, element: u8) -> CompoundStart {
        let at = self.out.len();
        self.out.extend_from_slice(&[code::ARRAY32, 0, 0, 0, 0, 0, 0, 0, 0, element]);
        CompoundStart { at, count: 0 }
    }

    /// Finish an array (always `array32`).
    pub fn end_array(&mut self, start: CompoundStart) {
        let body = self.out.len() - (start.at + 5);
        self.out[start.at + 1..start.at + 5].copy_from_slice(&(body as u32).to_be_bytes());
        self.out[start.at + 5..start.at + 9].copy_from_slice(&start.count.to_be_bytes());
    }

    /// A symbol element of an array begun with `code::SYM32`.
    pub fn put_symbol_element(&mut self, v: impl AsRef<[u8]>) {
        let v = v.as_ref();
        self.out.extend_from_slice(&(v.len() as u32).to_be_bytes());
        self.out.extend_from_slice(v);
    }

    /// A value copied from a tree: the current node of `data` with its
    /// descendants, in proton's encoding.
    pub fn put_data(&mut self, data: &Data) -> Result<(), CodecError> {
        data.encode_current(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn enc(f: impl FnOnce(&mut Data)) -> String {
        let mut d = Data::new();
        f(&mut d);
        let mut v = Vec::new();
        d.encode(&mut v).unwrap();
        assert_eq!(d.encoded_size().unwrap(), v.len());
        let mut buf = vec![0u8; v.len()];
        assert_eq!(d.encode_into(&mut buf), Ok(v.len()));
        assert_eq!(buf, v);
        if !v.is_empty() {
            let mut small = vec![0u8; v.len() - 1];
            assert_eq!(d.encode_into(&mut small), Err(CodecError::Overflow));
        }
        hex(&v)
    }

    /// Expected bytes: proton-c 0.37's `pn_data_encode` (probe enc.c).
    #[test]
    fn scalars_encode_like_proton() {
        assert_eq!(enc(|_| ()), "");
        assert_eq!(enc(|d| d.put_null().unwrap()), "40");
        assert_eq!(enc(|d| d.put_bool(true).unwrap()), "41");
        assert_eq!(enc(|d| d.put_bool(false).unwrap()), "42");
        assert_eq!(enc(|d| d.put_ubyte(7).unwrap()), "5007");
        assert_eq!(enc(|d| d.put_byte(-7).unwrap()), "51f9");
        assert_eq!(enc(|d| d.put_ushort(7).unwrap()), "600007");
        assert_eq!(enc(|d| d.put_short(-7).unwrap()), "61fff9");
        assert_eq!(enc(|d| d.put_uint(0).unwrap()), "43");
        assert_eq!(enc(|d| d.put_uint(1).unwrap()), "5201");
        assert_eq!(enc(|d| d.put_uint(255).unwrap()), "52ff");
        assert_eq!(enc(|d| d.put_uint(256).unwrap()), "7000000100");
        assert_eq!(enc(|d| d.put_int(0).unwrap()), "5400");
        assert_eq!(enc(|d| d.put_int(127).unwrap()), "547f");
        assert_eq!(enc(|d| d.put_int(-128).unwrap()), "5480");
        assert_eq!(enc(|d| d.put_int(128).unwrap()), "7100000080");
        assert_eq!(enc(|d| d.put_int(-129).unwrap()), "71ffffff7f");
        assert_eq!(enc(|d| d.put_char(0x1f600).unwrap()), "730001f600");
        assert_eq!(enc(|d| d.put_ulong(0).unwrap()), "44");
        assert_eq!(enc(|d| d.put_ulong(255).unwrap()), "53ff");
        assert_eq!(enc(|d| d.put_ulong(256).unwrap()), "800000000000000100");
        assert_eq!(enc(|d| d.put_long(0).unwrap()), "5500");
        assert_eq!(enc(|d| d.put_long(-128).unwrap()), "5580");
        assert_eq!(enc(|d| d.put_long(128).unwrap()), "810000000000000080");
        assert_eq!(enc(|d| d.put_timestamp(0).unwrap()), "830000000000000000");
        assert_eq!(enc(|d| d.put_float(1.0).unwrap()), "723f800000");
        assert_eq!(enc(|d| d.put_double(1.0).unwrap()), "823ff0000000000000");
        assert_eq!(enc(|d| d.put_decimal32(0x01020304).unwrap()), "7401020304");
        assert_eq!(enc(|d| d.put_decimal64(0x0102030405060708).unwrap()), "840102030405060708");
        let b: [u8; 16] = std::array::from_fn(|i| i as u8);
        assert_eq!(enc(|d| d.put_decimal128(b).unwrap()), "94000102030405060708090a0b0c0d0e0f");
        assert_eq!(enc(|d| d.put_uuid(b).unwrap()), "98000102030405060708090a0b0c0d0e0f");
        assert_eq!(enc(|d| d.put_binary(b"").unwrap()), "a000");
        let big = [b'x'; 256];
        assert_eq!(enc(|d| d.put_binary(&big[..255]).unwrap())[..4], *"a0ff");
        assert_eq!(enc(|d| d.put_binary(&big).unwrap())[..10], *"b000000100");
        assert_eq!(enc(|d| d.put_string(&big[..255]).unwrap())[..4], *"a1ff");
        assert_eq!(enc(|d| d.put_string(&big).unwrap())[..10], *"b100000100");
        assert_eq!(enc(|d| d.put_symbol(&big[..255]).unwrap())[..4], *"a3ff");
        assert_eq!(enc(|d| d.put_symbol(&big).unwrap())[..10], *"b300000100");
        assert_eq!(enc(|d| { d.put_int(1).unwrap(); d.put_int(2).unwrap() }), "54015402");
    }

    #[test]
    fn compounds_encode_like_proton() {
        assert_eq!(enc(|d| d.put_list().unwrap()), "45");
        assert_eq!(
            enc(|d| {
                d.put_list().unwrap();
                d.enter();
                d.put_null().unwrap();
            }),
            "d0000000050000000140"
        );
        assert_eq!(enc(|d| d.put_map().unwrap()), "d10000000400000000");
        assert_eq!(
            enc(|d| {
                d.put_map().unwrap();
                d.enter();
                d.put_null().unwrap();
            }),
            "d1000000050000000140"
        );
        assert_eq!(enc(|d| d.put_described().unwrap()), "00");
        assert_eq!(
            enc(|d| {
                d.put_described().unwrap();
                d.enter();
                d.put_ulong(0x10).unwrap();
                d.put_list().unwrap();
            }),
            "00531045"
        );
        assert_eq!(
            enc(|d| {
                d.put_list().unwrap();
                d.enter();
                d.put_list().unwrap();
                d.enter();
                d.put_list().unwrap();
            }),
            "d00000000e00000001d0000000050000000145"
        );
        // A scalar given children (proton allows entering anything).
        assert_eq!(
            enc(|d| {
                d.put_int(1).unwrap();
                d.enter();
                d.put_int(2).unwrap();
            }),
            "54015402"
        );
    }

    fn arr(described: bool, ty: Type, f: impl FnOnce(&mut Data)) -> String {
        enc(|d| {
            d.put_array(described, ty as i32).unwrap();
            d.enter();
            f(d);
        })
    }

    #[test]
    fn arrays_encode_like_proton() {
        assert_eq!(arr(false, Type::Int, |_| ()), "f0000000050000000071");
        assert_eq!(
            arr(false, Type::Int, |d| {
                d.put_int(1).unwrap();
                d.put_int(2).unwrap();
            }),
            "f00000000d00000002710000000100000002"
        );
        assert_eq!(
            arr(false, Type::Bool, |d| {
                d.put_bool(true).unwrap();
                d.put_bool(false).unwrap();
            }),
            "f00000000700000002560100"
        );
        assert_eq!(
            arr(false, Type::Uint, |d| {
                d.put_uint(0).unwrap();
                d.put_uint(1).unwrap();
            }),
            "f00000000d00000002700000000000000001"
        );
        assert_eq!(
            arr(false, Type::Null, |d| {
                d.put_null().unwrap();
                d.put_null().unwrap();
            }),
            "f0000000050000000240"
        );
        assert_eq!(
            arr(false, Type::String, |d| {
                d.put_string(b"a").unwrap();
                d.put_string(b"bc").unwrap();
            }),
            "f00000001000000002b10000000161000000026263"
        );
        assert_eq!(arr(false, Type::Symbol, |_| ()), "f00000000500000000b3");
        assert_eq!(
            arr(false, Type::List, |d| {
                d.put_list().unwrap();
                d.put_list().unwrap();
                d.enter();
                d.put_int(1).unwrap();
                d.exit();
            }),
            "f00000001700000002d0000000040000000000000006000000015401"
        );
        assert_eq!(
            arr(false, Type::Map, |d| d.put_map().unwrap()),
            "f00000000d00000001d10000000400000000"
        );
        assert_eq!(
            arr(false, Type::Array, |d| {
                d.put_array(false, Type::Int as i32).unwrap();
                d.enter();
                d.put_int(3).unwrap();
                d.exit();
                d.put_array(false, Type::Int as i32).unwrap();
            }),
            "f00000001b00000002f000000009000000017100000003000000050000000071"
        );
        assert_eq!(
            arr(true, Type::List, |d| {
                d.put_symbol(b"a").unwrap();
                d.put_list().unwrap();
            }),
            "f0000000110000000100a30161d00000000400000000"
        );
        assert_eq!(arr(true, Type::Int, |d| d.put_ulong(5).unwrap()), "f0000000080000000000530571");
        assert_eq!(arr(true, Type::Int, |_| ()), "f000000005ffffffff00");
        assert_eq!(
            arr(false, Type::Described, |d| {
                d.put_described().unwrap();
                d.enter();
                d.put_int(1).unwrap();
                d.put_int(2).unwrap();
                d.exit();
            }),
            "f000000009000000010054015402"
        );
        // Elements of another type are written at the array's width.
        assert_eq!(
            arr(false, Type::Int, |d| {
                d.put_int(1).unwrap();
                d.put_string(b"a").unwrap();
            }),
            "f00000000d00000002710000000100000001"
        );
        assert_eq!(arr(false, Type::Bool, |d| d.put_int(7).unwrap()), "f000000006000000015607");
        assert_eq!(arr(false, Type::Null, |d| d.put_int(7).unwrap()), "f0000000050000000140");
        assert_eq!(arr(false, Type::Char, |d| d.put_char('a' as u32).unwrap()), "f000000009000000017300000061");
        let mut d = Data::new();
        d.put_array(false, 99).unwrap();
        let mut v = Vec::new();
        d.encode(&mut v).unwrap();
        assert_eq!(hex(&v), "f00000000500000000fe");
        d.enter();
        d.put_int(7).unwrap();
        assert!(d.encode(&mut v).is_err());
    }

    #[test]
    fn streaming_encoder_picks_small_forms() {
        let mut buf = Vec::new();
        let mut e = Encoder::new(&mut buf);
        let l = e.begin_list();
        e.end_list(l);
        let mut m = e.begin_map();
        e.put_symbol("k");
        m.add();
        e.put_uint(70000);
        m.add();
        e.end_map(m);
        let mut a = e.begin_array(code::SYM32);
        e.put_symbol_element("x");
        a.add();
        e.end_array(a);
        e.put_uint(0);
        e.put_ulong(300);
        e.put_int(-1);
        assert_eq!(
            hex(&buf),
            "45c10902a3016b7000011170f00000000a00000001b300000001784380000000000000012c54ff"
        );
        // Long lists keep 32-bit sizes.
        let mut buf = Vec::new();
        let mut e = Encoder::new(&mut buf);
        let mut l = e.begin_list();
        e.put_binary(&[0; 300]);
        l.add();
        e.end_list(l);
        assert_eq!(hex(&buf[..9]), "d00000013500000001");
        assert_eq!(buf.len(), 9 + 5 + 300);
    }
}
