//! What proton-c 0.37's `pn_data_decode` leaves in a tree when it fails.
//!
//! The codec's [`Data::decode`] is all or nothing; proton's decoder adds
//! nodes as it goes and leaves them when it meets bad input. A message
//! decode keeps that partial tree as the body (or annotations), so after a
//! failed `Data::decode` this replays the input the way proton does and
//! stops where it fails, keeping the nodes made so far.
//!
//! The order of proton's work, which decides what is kept:
//! - a scalar node is added once its bytes are all read;
//! - a described node is added at its constructor; its descriptor may not
//!   be described, a list or map with contents, or an array;
//! - a list or map node is added once its size (checked against the
//!   remaining input), its count and its size being large enough for the
//!   count are established; elements follow by count;
//! - an array node is added after its size, count and first constructor
//!   byte are read and the size found large enough, with element type 0 (no
//!   type); then come the descriptor (for a described array), the element
//!   constructor (which must be a valid type, not a descriptor) and the
//!   elements, and only once all are read does the array get its type.
//!
//! Iterative, with the codec's nesting limit and bound on zero-width
//! elements.

use crate::codec::error::MAX_NESTING;
use crate::codec::types::{Layout, code, describe};
use crate::codec::{Data, Type};

#[derive(Clone, Copy)]
enum Frame {
    /// `left` more values, each with its constructor; the first is a
    /// descriptor when `descriptor`.
    Values { left: u32, descriptor: bool },
    /// A described array's descriptor (`read` once done), then its element
    /// constructor.
    ArrayDescriptor { count: u32, read: bool },
    /// `left` more elements of constructor `ctor` and type `ty`.
    Elements { ctor: u8, ty: Type, left: u32 },
}

struct Replay<'a, 'd> {
    data: &'d mut Data,
    input: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    zero_width_budget: usize,
}

/// Decode one value of `input` into `data` like proton, keeping every node
/// added before a failure.
pub(super) fn decode(data: &mut Data, input: &[u8]) {
    let mut r = Replay {
        data,
        input,
        pos: 0,
        stack: Vec::new(),
        zero_width_budget: (1usize << 16).saturating_add(input.len().saturating_mul(16)),
    };
    let _ = r.run();
}

/// Failure: the replay stops.
struct Stop;

type Step = Result<(), Stop>;

impl Replay<'_, '_> {
    fn u8(&mut self) -> Result<u8, Stop> {
        let b = *self.input.get(self.pos).ok_or(Stop)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], Stop> {
        if self.input.len() - self.pos < n {
            return Err(Stop);
        }
        let s = &self.input[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Stop> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn width(&mut self, w: u8) -> Result<usize, Stop> {
        Ok(if w == 1 { self.u8()? as usize } else { u32::from_be_bytes(self.array()?) as usize })
    }

    fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    fn ok(r: Result<(), crate::codec::CodecError>) -> Step {
        r.map_err(|_| Stop)
    }

    fn push(&mut self, frame: Frame) -> Step {
        if self.stack.len() >= MAX_NESTING {
            return Err(Stop);
        }
        self.data.enter();
        self.stack.push(frame);
        Ok(())
    }

    fn run(&mut self) -> Step {
        self.value(false)?;
        while let Some(top) = self.stack.last_mut() {
            match top {
                Frame::Values { left: 0, .. } => {
                    self.stack.pop();
                    self.data.exit();
                }
                Frame::Elements { left: 0, ty, .. } => {
                    let ty = *ty;
                    self.stack.pop();
                    self.data.set_parent_array_type(ty as i32);
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
                    let ctor = self.u8()?;
                    let (_, ty) = describe(ctor).ok_or(Stop)?;
                    *self.stack.last_mut().ok_or(Stop)? = Frame::Elements { ctor, ty, left: count };
                }
                Frame::Elements { ctor, left, .. } => {
                    *left -= 1;
                    let ctor = *ctor;
                    self.body(ctor)?;
                }
            }
        }
        Ok(())
    }

    fn value(&mut self, descriptor: bool) -> Step {
        let c = self.u8()?;
        if descriptor
            && (c == code::DESCRIBED || matches!(describe(c), Some((Layout::Compound(_) | Layout::Array(_), _))))
        {
            return Err(Stop);
        }
        if c == code::DESCRIBED {
            Self::ok(self.data.put_described())?;
            return self.push(Frame::Values { left: 2, descriptor: true });
        }
        self.body(c)
    }

    fn body(&mut self, c: u8) -> Step {
        let zero_width = matches!(c, code::NULL | code::TRUE | code::FALSE | code::UINT0 | code::ULONG0 | code::LIST0);
        if zero_width && matches!(self.stack.last(), Some(Frame::Elements { .. })) {
            self.zero_width_budget = self.zero_width_budget.checked_sub(1).ok_or(Stop)?;
        }
        let r = match c {
            code::NULL => self.data.put_null(),
            code::TRUE => self.data.put_bool(true),
            code::FALSE => self.data.put_bool(false),
            code::UINT0 => self.data.put_uint(0),
            code::ULONG0 => self.data.put_ulong(0),
            code::LIST0 => self.data.put_list(),
            code::BOOLEAN => {
                let v = self.u8()?;
                self.data.put_bool(v != 0)
            }
            code::UBYTE => {
                let v = self.u8()?;
                self.data.put_ubyte(v)
            }
            code::BYTE => {
                let v = self.u8()?;
                self.data.put_byte(v as i8)
            }
            code::SMALLUINT => {
                let v = self.u8()?;
                self.data.put_uint(v as u32)
            }
            code::SMALLULONG => {
                let v = self.u8()?;
                self.data.put_ulong(v as u64)
            }
            code::SMALLINT => {
                let v = self.u8()?;
                self.data.put_int(v as i8 as i32)
            }
            code::SMALLLONG => {
                let v = self.u8()?;
                self.data.put_long(v as i8 as i64)
            }
            code::USHORT => {
                let v = u16::from_be_bytes(self.array()?);
                self.data.put_ushort(v)
            }
            code::SHORT => {
                let v = i16::from_be_bytes(self.array()?);
                self.data.put_short(v)
            }
            code::UINT => {
                let v = u32::from_be_bytes(self.array()?);
                self.data.put_uint(v)
            }
            code::INT => {
                let v = i32::from_be_bytes(self.array()?);
                self.data.put_int(v)
            }
            code::CHAR => {
                let v = u32::from_be_bytes(self.array()?);
                self.data.put_char(v)
            }
            code::FLOAT => {
                let v = f32::from_bits(u32::from_be_bytes(self.array()?));
                self.data.put_float(v)
            }
            code::DECIMAL32 => {
                let v = u32::from_be_bytes(self.array()?);
                self.data.put_decimal32(v)
            }
            code::ULONG => {
                let v = u64::from_be_bytes(self.array()?);
                self.data.put_ulong(v)
            }
            code::LONG => {
                let v = i64::from_be_bytes(self.array()?);
                self.data.put_long(v)
            }
            code::TIMESTAMP => {
                let v = i64::from_be_bytes(self.array()?);
                self.data.put_timestamp(v)
            }
            code::DOUBLE => {
                let v = f64::from_bits(u64::from_be_bytes(self.array()?));
                self.data.put_double(v)
            }
            code::DECIMAL64 => {
                let v = u64::from_be_bytes(self.array()?);
                self.data.put_decimal64(v)
            }
            code::DECIMAL128 => {
                let v = self.array()?;
                self.data.put_decimal128(v)
            }
            code::UUID => {
                let v = self.array()?;
                self.data.put_uuid(v)
            }
            code::VBIN8 | code::STR8 | code::SYM8 | code::VBIN32 | code::STR32 | code::SYM32 => {
                let n = self.width(if c & 0xf0 == 0xa0 { 1 } else { 4 })?;
                let (input, at) = (self.input, self.pos);
                self.take(n)?;
                let bytes = &input[at..at + n];
                match c & 0x0f {
                    0x0 => self.data.put_binary(bytes),
                    0x1 => self.data.put_string(bytes),
                    _ => self.data.put_symbol(bytes),
                }
            }
            code::LIST8 | code::LIST32 | code::MAP8 | code::MAP32 => {
                let w = if c & 0xf0 == 0xc0 { 1 } else { 4 };
                let size = self.width(w)?;
                if size > self.remaining() {
                    return Err(Stop);
                }
                let count = self.width(w)? as u32;
                if size < w as usize {
                    return Err(Stop);
                }
                Self::ok(if c & 0x0f == 0 { self.data.put_list() } else { self.data.put_map() })?;
                return self.push(Frame::Values { left: count, descriptor: false });
            }
            code::ARRAY8 | code::ARRAY32 => {
                let w = if c == code::ARRAY8 { 1 } else { 4 };
                let size = self.width(w)?;
                if size > self.remaining() {
                    return Err(Stop);
                }
                let count = self.width(w)? as u32;
                let ctor = self.u8()?;
                if size < w as usize + 1 {
                    return Err(Stop);
                }
                Self::ok(self.data.put_array(ctor == code::DESCRIBED, 0))?;
                if ctor == code::DESCRIBED {
                    return self.push(Frame::ArrayDescriptor { count, read: false });
                }
                let (_, ty) = describe(ctor).ok_or(Stop)?;
                return self.push(Frame::Elements { ctor, ty, left: count });
            }
            _ => return Err(Stop),
        };
        Self::ok(r)
    }
}
