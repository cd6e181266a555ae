//! AMQP messages (`pn_message_t`): the header and properties fields, the
//! annotation and body sections, and their wire form, with proton-c 0.37's
//! rules.
//!
//! - [`Message`]: the fields, the section value trees (kept in a
//!   [`DataSlot`], which `ffi` backs with `pn_data_t` objects), the message
//!   and correlation ids in either of proton's two forms ([`Id`]).
//! - `encode`: the bytes proton writes (which sections, which fields,
//!   trailing nulls dropped, smallest list forms).
//! - `decode`: proton's reading of a byte string as a series of sections,
//!   including what it does with damaged input (it never fails: whatever it
//!   cannot read ends up in the body, or is dropped).
//! - `inspect`: the `Message{...}` text `pn_inspect` prints.
//!
//! Safe Rust; the C API is in `ffi::message`.

mod decode;
mod encode;
mod inspect;
mod partial;

use crate::codec::{Atom, Data, Type};

pub use decode::DecodeError;

/// The priority a message has unless told otherwise (AMQP's default).
pub const DEFAULT_PRIORITY: u8 = 4;

/// Descriptor codes of the message sections.
pub mod section {
    pub const HEADER: u64 = 0x70;
    pub const DELIVERY_ANNOTATIONS: u64 = 0x71;
    pub const MESSAGE_ANNOTATIONS: u64 = 0x72;
    pub const PROPERTIES: u64 = 0x73;
    pub const APPLICATION_PROPERTIES: u64 = 0x74;
    pub const DATA: u64 = 0x75;
    pub const AMQP_SEQUENCE: u64 = 0x76;
    pub const AMQP_VALUE: u64 = 0x77;
    pub const FOOTER: u64 = 0x78;
}

/// Storage for one value tree of a message (a section, or an id in its
/// tree form). `ffi` uses `pn_data_t` objects, so C can be handed them;
/// Rust code can use `Box<Data>`.
pub trait DataSlot {
    /// A new, empty tree.
    fn create() -> Self;
    fn data(&self) -> &Data;
    fn data_mut(&mut self) -> &mut Data;
}

impl DataSlot for Box<Data> {
    fn create() -> Self {
        Box::new(Data::new())
    }
    fn data(&self) -> &Data {
        self
    }
    fn data_mut(&mut self) -> &mut Data {
        self
    }
}

/// An optional byte string (address, subject, user id, ...). The bytes are
/// kept with a terminating NUL so C can be given a pointer to them; the
/// buffer is reused when the field changes.
#[derive(Default, Debug)]
pub struct Text {
    buf: Vec<u8>,
    set: bool,
}

impl Text {
    /// The bytes (no terminating NUL), or `None` when unset.
    #[inline]
    pub fn get(&self) -> Option<&[u8]> {
        self.set.then(|| &self.buf[..self.buf.len() - 1])
    }
    /// The bytes and a terminating NUL, or `None` when unset.
    #[inline]
    pub fn with_nul(&self) -> Option<&[u8]> {
        self.set.then_some(&self.buf[..])
    }
    /// Set (a copy of) the bytes, or unset. C may pass bytes that lie in
    /// this field's own buffer (a string it got from the getter); those are
    /// copied out first.
    #[inline]
    pub fn set(&mut self, value: Option<&[u8]>) {
        match value {
            Some(v) if self.buf.as_ptr_range().contains(&v.as_ptr()) => {
                let copy = v.to_vec();
                self.set(Some(&copy));
            }
            Some(v) => {
                self.buf.clear();
                self.buf.extend_from_slice(v);
                self.buf.push(0);
                self.set = true;
            }
            None => self.set = false,
        }
    }
    #[inline]
    pub fn is_set(&self) -> bool {
        self.set
    }
}

/// What an id holds in its plain form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum IdKind {
    #[default]
    Null,
    Ulong(u64),
    Uuid([u8; 16]),
    Binary,
    String,
}

/// A message id or correlation id in its plain form: one of the four types
/// AMQP allows (ulong, uuid, binary, string), or nothing. Setting any other
/// type leaves it empty, as proton does.
#[derive(Default, Debug)]
pub struct MsgId {
    kind: IdKind,
    bytes: Vec<u8>,
}

impl MsgId {
    /// The value (`Atom::Null` when there is none).
    pub fn get(&self) -> Atom<'_> {
        match self.kind {
            IdKind::Null => Atom::Null,
            IdKind::Ulong(v) => Atom::Ulong(v),
            IdKind::Uuid(v) => Atom::Uuid(v),
            IdKind::Binary => Atom::Binary(&self.bytes),
            IdKind::String => Atom::String(&self.bytes),
        }
    }
    /// Keep a copy of `value` if it is of an id type, else become empty.
    pub fn set(&mut self, value: Atom<'_>) {
        self.kind = match value {
            Atom::Ulong(v) => IdKind::Ulong(v),
            Atom::Uuid(v) => IdKind::Uuid(v),
            Atom::Binary(b) | Atom::String(b) => {
                // C may pass the bytes it got from the getter.
                let copy;
                let b = if self.bytes.as_ptr_range().contains(&b.as_ptr()) {
                    copy = b.to_vec();
                    &copy[..]
                } else {
                    b
                };
                self.bytes.clear();
                self.bytes.extend_from_slice(b);
                if matches!(value, Atom::Binary(_)) { IdKind::Binary } else { IdKind::String }
            }
            _ => IdKind::Null,
        };
    }
}

/// A message id or correlation id. It starts plain ([`MsgId`]); once C asks
/// for it as a `pn_data_t` (`pn_message_id`), proton keeps it in that tree
/// for the rest of the message's life, and the id is whatever node is
/// current there (any type at all).
pub enum Id<S> {
    Atom(MsgId),
    Data(S),
}

/// An id's value as the encoder, the printer and `pn_message_data` see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IdValue<'a> {
    /// A scalar (`Atom::Null` for no id).
    Scalar(Atom<'a>),
    /// The current node of the tree form is a list, map, array or described
    /// value.
    Compound(Type),
}

impl<S: DataSlot> Default for Id<S> {
    fn default() -> Self {
        Id::Atom(MsgId::default())
    }
}

impl<S: DataSlot> Id<S> {
    pub fn value(&self) -> IdValue<'_> {
        match self {
            Id::Atom(a) => IdValue::Scalar(a.get()),
            Id::Data(s) => {
                let d = s.data();
                match d.atom() {
                    Some(a) => IdValue::Scalar(a),
                    None => match d.type_of() {
                        Some(t) => IdValue::Compound(t),
                        None => IdValue::Scalar(Atom::Null),
                    },
                }
            }
        }
    }

    /// Switch to the tree form (if not already) and return the tree. A plain
    /// value becomes the tree's one node.
    pub fn tree(&mut self) -> &mut S {
        if let Id::Atom(a) = self {
            let mut s = S::create();
            let v = a.get();
            if v != Atom::Null {
                // A fresh tree always has room for one scalar.
                let _ = s.data_mut().put_atom(v);
            }
            *self = Id::Data(s);
        }
        match self {
            Id::Data(s) => s,
            Id::Atom(_) => unreachable!("switched to the tree form above"),
        }
    }

    /// Set the id from a decoded (or plain) value: the plain form keeps it
    /// if it is of an id type; the tree form writes it over its first node,
    /// like proton.
    pub fn set_atom(&mut self, value: Atom<'_>) {
        match self {
            // No id (the usual case) is quick.
            Id::Atom(a) if value == Atom::Null => a.kind = IdKind::Null,
            Id::Atom(a) => a.set(value),
            Id::Data(s) => {
                let d = s.data_mut();
                d.rewind();
                let _ = d.put_atom(value);
            }
        }
    }

    fn clear(&mut self) {
        match self {
            Id::Atom(a) => a.kind = IdKind::Null,
            Id::Data(s) => s.data_mut().clear(),
        }
    }
}

/// The four sections a message keeps as value trees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Delivery annotations (`pn_message_instructions`).
    Instructions,
    /// Message annotations (`pn_message_annotations`).
    Annotations,
    /// Application properties (`pn_message_properties`).
    Properties,
    Body,
}

/// An AMQP message. Field names follow the C API.
pub struct Message<S> {
    // header
    pub durable: bool,
    pub priority: u8,
    pub ttl: u32,
    pub first_acquirer: bool,
    pub delivery_count: u32,
    // properties
    pub id: Id<S>,
    pub user_id: Text,
    pub address: Text,
    pub subject: Text,
    pub reply_to: Text,
    pub correlation_id: Id<S>,
    pub content_type: Text,
    pub content_encoding: Text,
    pub expiry_time: i64,
    pub creation_time: i64,
    pub group_id: Text,
    pub group_sequence: u32,
    pub reply_to_group_id: Text,
    /// Encode a binary body as a data section and a list body as an
    /// amqp-sequence section (else everything is an amqp-value).
    pub inferred: bool,
    /// The trees, made on first use.
    sections: [Option<S>; 4],
    /// Output buffer of [`Message::encode`], reused.
    scratch: Vec<u8>,
}

impl<S: DataSlot> Default for Message<S> {
    fn default() -> Self {
        Message {
            durable: false,
            priority: DEFAULT_PRIORITY,
            ttl: 0,
            first_acquirer: false,
            delivery_count: 0,
            id: Id::default(),
            user_id: Text::default(),
            address: Text::default(),
            subject: Text::default(),
            reply_to: Text::default(),
            correlation_id: Id::default(),
            content_type: Text::default(),
            content_encoding: Text::default(),
            expiry_time: 0,
            creation_time: 0,
            group_id: Text::default(),
            group_sequence: 0,
            reply_to_group_id: Text::default(),
            inferred: false,
            sections: [None, None, None, None],
            scratch: Vec::new(),
        }
    }
}

impl<S: DataSlot> Message<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Back to the state of a new message. The trees handed out stay valid
    /// (emptied), and the ids keep their form.
    pub fn clear(&mut self) {
        self.reset_header();
        self.reset_properties();
        self.id.clear();
        self.correlation_id.clear();
        self.inferred = false;
        for s in self.sections.iter_mut().flatten() {
            s.data_mut().clear();
        }
    }

    fn reset_header(&mut self) {
        self.durable = false;
        self.priority = DEFAULT_PRIORITY;
        self.ttl = 0;
        self.first_acquirer = false;
        self.delivery_count = 0;
    }

    /// The properties other than the two ids to their defaults.
    fn reset_properties(&mut self) {
        self.user_id.set(None);
        self.address.set(None);
        self.subject.set(None);
        self.reply_to.set(None);
        self.content_type.set(None);
        self.content_encoding.set(None);
        self.expiry_time = 0;
        self.creation_time = 0;
        self.group_id.set(None);
        self.group_sequence = 0;
        self.reply_to_group_id.set(None);
    }

    /// A section's tree, made if the message has none yet.
    pub fn section_mut(&mut self, s: Section) -> &mut S {
        self.sections[s as usize].get_or_insert_with(S::create)
    }

    /// A section's tree if it was ever made.
    pub fn section(&self, s: Section) -> Option<&S> {
        self.sections[s as usize].as_ref()
    }

    /// The section's tree if it exists and holds something (proton writes and
    /// prints only those).
    fn nonempty(&self, s: Section) -> Option<&Data> {
        self.sections[s as usize].as_ref().map(S::data).filter(|d| d.size() > 0)
    }

    /// Put every section tree's cursor back at the start (encoding and
    /// `pn_message_data` do this in proton).
    fn rewind_sections(&mut self) {
        for s in self.sections.iter_mut().flatten() {
            s.data_mut().rewind();
        }
    }

    /// The section code the body is written with: with `inferred`, a body
    /// whose first value is a binary goes in a data section and one whose
    /// first value is a list in an amqp-sequence section; anything else is
    /// an amqp-value.
    fn body_code(&mut self) -> u64 {
        let inferred = self.inferred;
        let Some(body) = self.sections[Section::Body as usize].as_mut() else { return section::AMQP_VALUE };
        let d = body.data_mut();
        d.rewind();
        d.next();
        let t = d.type_of();
        d.rewind();
        match (inferred, t) {
            (true, Some(Type::Binary)) => section::DATA,
            (true, Some(Type::List)) => section::AMQP_SEQUENCE,
            _ => section::AMQP_VALUE,
        }
    }
}

#[cfg(test)]
mod tests;
