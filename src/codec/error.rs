//! Errors of encoding and decoding, with the codes proton reports them as.

use std::fmt;

/// Proton's `PN_ERR`.
pub const PN_ERR: i32 = -2;
/// Proton's `PN_OVERFLOW`.
pub const PN_OVERFLOW: i32 = -3;
/// Proton's `PN_UNDERFLOW`.
pub const PN_UNDERFLOW: i32 = -4;
/// Proton's `PN_ARG_ERR`.
pub const PN_ARG_ERR: i32 = -6;

/// The deepest nesting of compound values (lists, maps, arrays, described
/// values) the decoders accept. Decoding is iterative, so this bounds
/// memory, not stack; it is far beyond anything AMQP peers send.
pub const MAX_NESTING: usize = 1024;

/// Why an encode or decode failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecError {
    /// The input ended inside a value (`PN_UNDERFLOW`).
    Underflow,
    /// The output buffer is too small (`PN_OVERFLOW`).
    Overflow,
    /// A byte that is no constructor where one was expected, or a described
    /// constructor where proton does not allow one (`PN_ARG_ERR`).
    InvalidConstructor(u8),
    /// A list, map or array whose size cannot even hold its count (and
    /// element constructor) (`PN_ARG_ERR`, like proton).
    InvalidSize,
    /// Compound values nested deeper than [`MAX_NESTING`] (`PN_ERR`).
    TooDeep,
    /// An array of zero-width elements declares more elements than the
    /// decoder creates for input of this size (`PN_ERR`).
    TooManyElements,
    /// The value is not of the type the caller asked for (typed reads of
    /// the streaming [`Decoder`](super::decoder::Decoder); `PN_ERR`).
    UnexpectedType { expected: &'static str, found: u8 },
    /// A data object or value larger than 4 GiB (`PN_OVERFLOW`).
    TooLarge,
    /// Any other failure, with proton's message (`PN_ERR`).
    Invalid(&'static str),
}

impl CodecError {
    /// The proton error code (`PN_UNDERFLOW`, ...).
    pub fn code(&self) -> i32 {
        match self {
            CodecError::Underflow => PN_UNDERFLOW,
            CodecError::Overflow | CodecError::TooLarge => PN_OVERFLOW,
            CodecError::InvalidConstructor(_) | CodecError::InvalidSize => PN_ARG_ERR,
            CodecError::TooDeep
            | CodecError::TooManyElements
            | CodecError::UnexpectedType { .. }
            | CodecError::Invalid(_) => PN_ERR,
        }
    }

    /// Whether proton records this error in the data object's `pn_error_t`
    /// (it does not for invalid constructors and sizes: it only returns
    /// the code).
    pub fn is_recorded(&self) -> bool {
        !matches!(self, CodecError::InvalidConstructor(_) | CodecError::InvalidSize)
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Underflow => f.write_str("not enough data to decode"),
            CodecError::Overflow => f.write_str("not enough space to encode"),
            CodecError::InvalidConstructor(c) => write!(f, "unrecognized constructor: 0x{c:02x}"),
            CodecError::InvalidSize => f.write_str("compound size too small for its count"),
            CodecError::TooDeep => write!(f, "compound values nested deeper than {MAX_NESTING} levels"),
            CodecError::TooManyElements => f.write_str("array declares more zero-width elements than the decoder allows"),
            CodecError::UnexpectedType { expected, found } => write!(f, "expected {expected}, found constructor 0x{found:02x}"),
            CodecError::TooLarge => f.write_str("data too large"),
            CodecError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CodecError {}
