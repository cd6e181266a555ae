//! The AMQP 1.0 type system and its binary encoding.
//!
//! - [`types`]: type identifiers (proton's `pn_type_t` numbers), constructor
//!   codes, [`Atom`] (a borrowed scalar).
//! - [`data`]: [`Data`], the navigable value tree behind `pn_data_t`.
//! - [`encoder`]: [`Encoder`] (streaming, smallest encodings) and the tree
//!   encoder (proton's exact bytes).
//! - [`decoder`]: [`Decoder`] (streaming, zero-copy) and the tree decoder
//!   (iterative, bounded).
//! - [`format`]: proton's text form of values.
//! - [`error`]: [`CodecError`] and proton's codes for it.

pub mod data;
pub mod decoder;
pub mod encoder;
pub mod error;
pub mod format;
mod stack;
pub mod types;

pub use data::Data;
pub use decoder::{ArrayDecoder, Decoder, Descriptor};
pub use encoder::{CompoundStart, Encoder};
pub use error::CodecError;
pub use types::{Atom, Type};

#[cfg(test)]
mod tests;
