//! The AMQP 1.0 type system: proton's type identifiers and the encoding
//! constructor codes (checked against the AMQP spec, `tests/data/spec/types.xml`).

/// An AMQP type, with proton's `pn_type_t` numbering.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Null = 1,
    Bool = 2,
    Ubyte = 3,
    Byte = 4,
    Ushort = 5,
    Short = 6,
    Uint = 7,
    Int = 8,
    Char = 9,
    Ulong = 10,
    Long = 11,
    Timestamp = 12,
    Float = 13,
    Double = 14,
    Decimal32 = 15,
    Decimal64 = 16,
    Decimal128 = 17,
    Uuid = 18,
    Binary = 19,
    String = 20,
    Symbol = 21,
    Described = 22,
    Array = 23,
    List = 24,
    Map = 25,
}

impl Type {
    /// Every type, in `pn_type_t` order.
    pub const ALL: [Type; 25] = [
        Type::Null,
        Type::Bool,
        Type::Ubyte,
        Type::Byte,
        Type::Ushort,
        Type::Short,
        Type::Uint,
        Type::Int,
        Type::Char,
        Type::Ulong,
        Type::Long,
        Type::Timestamp,
        Type::Float,
        Type::Double,
        Type::Decimal32,
        Type::Decimal64,
        Type::Decimal128,
        Type::Uuid,
        Type::Binary,
        Type::String,
        Type::Symbol,
        Type::Described,
        Type::Array,
        Type::List,
        Type::Map,
    ];

    /// The type with proton number `raw`, if any.
    #[inline]
    pub fn from_raw(raw: i32) -> Option<Type> {
        if (1..=25).contains(&raw) { Some(Type::ALL[(raw - 1) as usize]) } else { None }
    }

    /// Proton's name for the type (`pn_type_name`): `"PN_INT"`, ...
    pub fn name(self) -> &'static str {
        match self {
            Type::Null => "PN_NULL",
            Type::Bool => "PN_BOOL",
            Type::Ubyte => "PN_UBYTE",
            Type::Byte => "PN_BYTE",
            Type::Ushort => "PN_USHORT",
            Type::Short => "PN_SHORT",
            Type::Uint => "PN_UINT",
            Type::Int => "PN_INT",
            Type::Char => "PN_CHAR",
            Type::Ulong => "PN_ULONG",
            Type::Long => "PN_LONG",
            Type::Timestamp => "PN_TIMESTAMP",
            Type::Float => "PN_FLOAT",
            Type::Double => "PN_DOUBLE",
            Type::Decimal32 => "PN_DECIMAL32",
            Type::Decimal64 => "PN_DECIMAL64",
            Type::Decimal128 => "PN_DECIMAL128",
            Type::Uuid => "PN_UUID",
            Type::Binary => "PN_BINARY",
            Type::String => "PN_STRING",
            Type::Symbol => "PN_SYMBOL",
            Type::Described => "PN_DESCRIBED",
            Type::Array => "PN_ARRAY",
            Type::List => "PN_LIST",
            Type::Map => "PN_MAP",
        }
    }

    /// Lists, maps, arrays and described values hold other values.
    #[inline]
    pub fn is_compound(self) -> bool {
        matches!(self, Type::Described | Type::Array | Type::List | Type::Map)
    }

    /// The constructor proton uses for elements of an array of this type
    /// (fixed width, so one constructor serves every element).
    pub fn array_constructor(self) -> u8 {
        match self {
            Type::Null => code::NULL,
            Type::Bool => code::BOOLEAN,
            Type::Ubyte => code::UBYTE,
            Type::Byte => code::BYTE,
            Type::Ushort => code::USHORT,
            Type::Short => code::SHORT,
            Type::Uint => code::UINT,
            Type::Int => code::INT,
            Type::Char => code::CHAR,
            Type::Ulong => code::ULONG,
            Type::Long => code::LONG,
            Type::Timestamp => code::TIMESTAMP,
            Type::Float => code::FLOAT,
            Type::Double => code::DOUBLE,
            Type::Decimal32 => code::DECIMAL32,
            Type::Decimal64 => code::DECIMAL64,
            Type::Decimal128 => code::DECIMAL128,
            Type::Uuid => code::UUID,
            Type::Binary => code::VBIN32,
            Type::String => code::STR32,
            Type::Symbol => code::SYM32,
            Type::Described => code::DESCRIBED,
            Type::Array => code::ARRAY32,
            Type::List => code::LIST32,
            Type::Map => code::MAP32,
        }
    }
}

/// A scalar AMQP value, borrowing its bytes (strings, symbols, binaries)
/// from wherever it was read: a [`Data`](super::data::Data) or the input of
/// a [`Decoder`](super::decoder::Decoder).
///
/// Strings and symbols are kept as bytes: AMQP says UTF-8 and ASCII, but
/// proton passes through whatever it is given, and so does this crate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Atom<'a> {
    Null,
    Bool(bool),
    Ubyte(u8),
    Byte(i8),
    Ushort(u16),
    Short(i16),
    Uint(u32),
    Int(i32),
    /// A Unicode code point (not checked).
    Char(u32),
    Ulong(u64),
    Long(i64),
    /// Milliseconds since the Unix epoch.
    Timestamp(i64),
    Float(f32),
    Double(f64),
    /// IEEE 754 decimal32, raw bits.
    Decimal32(u32),
    /// IEEE 754 decimal64, raw bits.
    Decimal64(u64),
    /// IEEE 754 decimal128, raw bytes in network order.
    Decimal128([u8; 16]),
    /// Raw bytes in network order.
    Uuid([u8; 16]),
    Binary(&'a [u8]),
    String(&'a [u8]),
    Symbol(&'a [u8]),
}

impl Atom<'_> {
    /// The atom's AMQP type.
    pub fn type_of(&self) -> Type {
        match self {
            Atom::Null => Type::Null,
            Atom::Bool(_) => Type::Bool,
            Atom::Ubyte(_) => Type::Ubyte,
            Atom::Byte(_) => Type::Byte,
            Atom::Ushort(_) => Type::Ushort,
            Atom::Short(_) => Type::Short,
            Atom::Uint(_) => Type::Uint,
            Atom::Int(_) => Type::Int,
            Atom::Char(_) => Type::Char,
            Atom::Ulong(_) => Type::Ulong,
            Atom::Long(_) => Type::Long,
            Atom::Timestamp(_) => Type::Timestamp,
            Atom::Float(_) => Type::Float,
            Atom::Double(_) => Type::Double,
            Atom::Decimal32(_) => Type::Decimal32,
            Atom::Decimal64(_) => Type::Decimal64,
            Atom::Decimal128(_) => Type::Decimal128,
            Atom::Uuid(_) => Type::Uuid,
            Atom::Binary(_) => Type::Binary,
            Atom::String(_) => Type::String,
            Atom::Symbol(_) => Type::Symbol,
        }
    }
}

/// Name of a raw type number as `pn_type_name` prints it.
pub fn type_name(raw: i32) -> &'static str {
    Type::from_raw(raw).map_or("<UNKNOWN>", Type::name)
}

/// Constructor codes of the AMQP 1.0 encoding.
pub mod code {
    pub const DESCRIBED: u8 = 0x00;
    pub const NULL: u8 = 0x40;
    pub const TRUE: u8 = 0x41;
    pub const FALSE: u8 = 0x42;
    pub const BOOLEAN: u8 = 0x56;
    pub const UBYTE: u8 = 0x50;
    pub const BYTE: u8 = 0x51;
    pub const USHORT: u8 = 0x60;
    pub const SHORT: u8 = 0x61;
    pub const UINT0: u8 = 0x43;
    pub const SMALLUINT: u8 = 0x52;
    pub const UINT: u8 = 0x70;
    pub const SMALLINT: u8 = 0x54;
    pub const INT: u8 = 0x71;
    pub const ULONG0: u8 = 0x44;
    pub const SMALLULONG: u8 = 0x53;
    pub const ULONG: u8 = 0x80;
    pub const SMALLLONG: u8 = 0x55;
    pub const LONG: u8 = 0x81;
    pub const FLOAT: u8 = 0x72;
    pub const DOUBLE: u8 = 0x82;
    pub const DECIMAL32: u8 = 0x74;
    pub const DECIMAL64: u8 = 0x84;
    pub const DECIMAL128: u8 = 0x94;
    pub const CHAR: u8 = 0x73;
    pub const TIMESTAMP: u8 = 0x83;
    pub const UUID: u8 = 0x98;
    pub const VBIN8: u8 = 0xa0;
    pub const VBIN32: u8 = 0xb0;
    pub const STR8: u8 = 0xa1;
    pub const STR32: u8 = 0xb1;
    pub const SYM8: u8 = 0xa3;
    pub const SYM32: u8 = 0xb3;
    pub const LIST0: u8 = 0x45;
    pub const LIST8: u8 = 0xc0;
    pub const LIST32: u8 = 0xd0;
    pub const MAP8: u8 = 0xc1;
    pub const MAP32: u8 = 0xd1;
    pub const ARRAY8: u8 = 0xe0;
    pub const ARRAY32: u8 = 0xf0;
}

/// How the bytes after a constructor are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `n` bytes of value (0, 1, 2, 4, 8 or 16).
    Fixed(u8),
    /// A 1- or 4-byte size, then that many bytes.
    Variable(u8),
    /// A 1- or 4-byte size, a count of the same width, then the elements.
    Compound(u8),
    /// A 1- or 4-byte size and count, one element constructor, the elements.
    Array(u8),
}

/// What a primitive constructor code means: its layout and proton type.
/// `None` for codes that are no AMQP 1.0 primitive (including 0x00).
#[inline]
pub fn describe(c: u8) -> Option<(Layout, Type)> {
    use Layout::*;
    Some(match c {
        code::NULL => (Fixed(0), Type::Null),
        code::TRUE | code::FALSE => (Fixed(0), Type::Bool),
        code::BOOLEAN => (Fixed(1), Type::Bool),
        code::UBYTE => (Fixed(1), Type::Ubyte),
        code::BYTE => (Fixed(1), Type::Byte),
        code::USHORT => (Fixed(2), Type::Ushort),
        code::SHORT => (Fixed(2), Type::Short),
        code::UINT0 => (Fixed(0), Type::Uint),
        code::SMALLUINT => (Fixed(1), Type::Uint),
        code::UINT => (Fixed(4), Type::Uint),
        code::SMALLINT => (Fixed(1), Type::Int),
        code::INT => (Fixed(4), Type::Int),
        code::ULONG0 => (Fixed(0), Type::Ulong),
        code::SMALLULONG => (Fixed(1), Type::Ulong),
        code::ULONG => (Fixed(8), Type::Ulong),
        code::SMALLLONG => (Fixed(1), Type::Long),
        code::LONG => (Fixed(8), Type::Long),
        code::FLOAT => (Fixed(4), Type::Float),
        code::DOUBLE => (Fixed(8), Type::Double),
        code::DECIMAL32 => (Fixed(4), Type::Decimal32),
        code::DECIMAL64 => (Fixed(8), Type::Decimal64),
        code::DECIMAL128 => (Fixed(16), Type::Decimal128),
        code::CHAR => (Fixed(4), Type::Char),
        code::TIMESTAMP => (Fixed(8), Type::Timestamp),
        code::UUID => (Fixed(16), Type::Uuid),
        code::VBIN8 => (Variable(1), Type::Binary),
        code::VBIN32 => (Variable(4), Type::Binary),
        code::STR8 => (Variable(1), Type::String),
        code::STR32 => (Variable(4), Type::String),
        code::SYM8 => (Variable(1), Type::Symbol),
        code::SYM32 => (Variable(4), Type::Symbol),
        code::LIST0 => (Fixed(0), Type::List),
        code::LIST8 => (Compound(1), Type::List),
        code::LIST32 => (Compound(4), Type::List),
        code::MAP8 => (Compound(1), Type::Map),
        code::MAP32 => (Compound(4), Type::Map),
        code::ARRAY8 => (Array(1), Type::Array),
        code::ARRAY32 => (Array(4), Type::Array),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_numbers_round_trip() {
        for t in Type::ALL {
            assert_eq!(Type::from_raw(t as i32), Some(t));
        }
        for raw in [-1, 0, 26, 99, i32::MIN] {
            assert_eq!(Type::from_raw(raw), None);
            assert_eq!(type_name(raw), "<UNKNOWN>");
        }
        assert_eq!(type_name(8), "PN_INT");
        assert_eq!(type_name(25), "PN_MAP");
    }

    /// Every constructor of types.xml, with its width, is known; no other
    /// code is.
    #[test]
    fn constructors_match_the_spec() {
        let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/spec/types.xml"))
            .expect("tests/data/spec/types.xml");
        let mut seen = Vec::new();
        for enc in spec.split("<encoding").skip(1) {
            let attr = |name: &str| {
                let start = enc.find(&format!("{name}=\""))? + name.len() + 2;
                Some(enc[start..start + enc[start..].find('"')?].to_string())
            };
            let c = u8::from_str_radix(attr("code").unwrap().trim_start_matches("0x"), 16).unwrap();
            let width: u8 = attr("width").unwrap().parse().unwrap();
            let layout = match attr("category").unwrap().as_str() {
                "fixed" => Layout::Fixed(width),
                "variable" => Layout::Variable(width),
                "compound" => Layout::Compound(width),
                "array" => Layout::Array(width),
                other => panic!("category {other}"),
            };
            assert_eq!(describe(c).map(|d| d.0), Some(layout), "code {c:#04x}");
            seen.push(c);
        }
        for c in 0..=255u8 {
            assert_eq!(describe(c).is_some(), seen.contains(&c), "code {c:#04x}");
        }
    }
}
