//! Writing a message: `pn_message_encode`'s bytes and `pn_message_data`'s
//! tree.
//!
//! What proton-c 0.37 writes, in order:
//! - a header section, always: a list of durable, priority, ttl,
//!   first-acquirer, delivery-count, where a field at its default (false,
//!   4, 0) is null and trailing nulls are dropped (so an all-default header
//!   is `list0`);
//! - the delivery-annotations, message-annotations sections, when their
//!   trees hold anything: the descriptor, then every value of the tree;
//! - a properties section, always, with the same null and trailing rules
//!   (strings when set, even empty; times when not 0; group-sequence when
//!   not 0 or when there is a group id; ids of the types below);
//! - the application-properties section, then the body section (see
//!   [`Message::body_code`]), both when non-empty.
//!
//! String fields are written as C strings (up to a NUL a decoded one may
//! hold); the user id and ids are written whole. Lists use the smallest of
//! `list0`, `list8`, `list32`. An id in tree form
//! may be of any type, but only null, boolean, ubyte, ushort, uint, ulong,
//! timestamp, uuid, binary, string and symbol are written; anything else
//! is written as null.

use super::{DataSlot, IdValue, Message, Section, Text, section};
use crate::codec::{Atom, CompoundStart, Data, Encoder, Type};

/// The id as it goes on the wire: `None` for a null field.
fn wire_id(v: IdValue<'_>) -> Option<Atom<'_>> {
    match v {
        IdValue::Scalar(
            a @ (Atom::Bool(_)
            | Atom::Ubyte(_)
            | Atom::Ushort(_)
            | Atom::Uint(_)
            | Atom::Ulong(_)
            | Atom::Timestamp(_)
            | Atom::Uuid(_)
            | Atom::Binary(_)
            | Atom::String(_)
            | Atom::Symbol(_)),
        ) => Some(a),
        _ => None,
    }
}

/// One field of the header or properties list.
#[derive(Clone, Copy)]
enum Field<'a> {
    Null,
    Bool(bool),
    Ubyte(u8),
    Uint(u32),
    Timestamp(i64),
    Atom(Atom<'a>),
    Binary(&'a [u8]),
    String(&'a [u8]),
    Symbol(&'a [u8]),
}

impl Field<'_> {
    fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }
}

/// A string field as proton writes it: as a C string, so only up to a NUL
/// it may hold (decoded strings can hold any byte).
fn text<'a>(t: &'a Text, f: fn(&'a [u8]) -> Field<'a>) -> Field<'a> {
    t.get().map_or(Field::Null, |b| f(&b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]))
}

fn nonzero_uint<'a>(v: u32) -> Field<'a> {
    if v != 0 { Field::Uint(v) } else { Field::Null }
}

fn nonzero_time<'a>(v: i64) -> Field<'a> {
    if v != 0 { Field::Timestamp(v) } else { Field::Null }
}

impl<S: DataSlot> Message<S> {
    fn header_fields(&self) -> [Field<'_>; 5] {
        [
            if self.durable { Field::Bool(true) } else { Field::Null },
            if self.priority != super::DEFAULT_PRIORITY { Field::Ubyte(self.priority) } else { Field::Null },
            nonzero_uint(self.ttl),
            if self.first_acquirer { Field::Bool(true) } else { Field::Null },
            nonzero_uint(self.delivery_count),
        ]
    }

    /// The properties fields, in order, to `visit`; `full_ids`: ids of any
    /// type (for `pn_message_data`) rather than only those proton encodes.
    #[inline]
    fn visit_properties<'s>(&'s self, full_ids: bool, mut visit: impl FnMut(Field<'s>)) {
        fn id(v: IdValue<'_>, full_ids: bool) -> Field<'_> {
            if full_ids {
                match v {
                    IdValue::Scalar(Atom::Null) | IdValue::Compound(_) => Field::Null,
                    IdValue::Scalar(a) => Field::Atom(a),
                }
            } else {
                wire_id(v).map_or(Field::Null, Field::Atom)
            }
        }
        visit(id(self.id.value(), full_ids));
        visit(self.user_id.get().map_or(Field::Null, Field::Binary));
        visit(text(&self.address, Field::String));
        visit(text(&self.subject, Field::String));
        visit(text(&self.reply_to, Field::String));
        visit(id(self.correlation_id.value(), full_ids));
        visit(text(&self.content_type, Field::Symbol));
        visit(text(&self.content_encoding, Field::Symbol));
        visit(nonzero_time(self.expiry_time));
        visit(nonzero_time(self.creation_time));
        visit(text(&self.group_id, Field::String));
        // Proton writes the sequence whenever there is a group id.
        visit(if self.group_id.is_set() { Field::Uint(self.group_sequence) } else { nonzero_uint(self.group_sequence) });
        visit(text(&self.reply_to_group_id, Field::String));
    }

    /// The properties fields as an array (see `visit_properties`).
    fn properties_fields(&self, full_ids: bool) -> [Field<'_>; 13] {
        let mut fields = [Field::Null; 13];
        let mut i = 0;
        self.visit_properties(full_ids, |f| {
            fields[i] = f;
            i += 1;
        });
        fields
    }

    /// The message's bytes (in a buffer the message reuses).
    pub fn encode(&mut self) -> &[u8] {
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        self.encode_into(&mut out);
        self.scratch = out;
        &self.scratch
    }

    /// Append the message's bytes to `out`. Like proton, this rewinds the
    /// cursors of the four section trees.
    pub fn encode_into(&mut self, out: &mut Vec<u8>) {
        let body_code = self.body_code();
        self.rewind_sections();
        let mut header = ListWriter::begin(out, section::HEADER);
        self.header_fields().into_iter().for_each(|f| header.field(f));
        header.finish();
        put_data_section(out, section::DELIVERY_ANNOTATIONS, self.nonempty(Section::Instructions));
        put_data_section(out, section::MESSAGE_ANNOTATIONS, self.nonempty(Section::Annotations));
        let mut properties = ListWriter::begin(out, section::PROPERTIES);
        self.visit_properties(false, |f| properties.field(f));
        properties.finish();
        put_data_section(out, section::APPLICATION_PROPERTIES, self.nonempty(Section::Properties));
        put_data_section(out, body_code, self.nonempty(Section::Body));
    }

    /// Replace `out`'s contents with the message as described values, the
    /// way `pn_message_data` builds them (with proton's `pn_data_fill`): the
    /// header and properties lists (ids of any type), then, for each
    /// non-empty section, the first value of its tree. Where proton puts a
    /// null for a header field, a time or the group sequence, it also puts
    /// the value under the null and drops it (`pn_data_size` counts it);
    /// this does too.
    ///
    /// One difference: proton's lists also hold their trailing nulls, which
    /// its encoder then leaves out (a mark `pn_data_fill` sets on the nodes,
    /// which this crate's trees do not have); here the trailing nulls are
    /// not put, so the text and the encoding are proton's but the node
    /// count is smaller.
    pub fn to_data(&mut self, out: &mut Data) {
        let body_code = self.body_code();
        self.rewind_sections();
        out.clear();
        let header = [
            Slot::optional(self.durable, Field::Bool(self.durable)),
            Slot::optional(self.priority != super::DEFAULT_PRIORITY, Field::Ubyte(self.priority)),
            Slot::optional(self.ttl != 0, Field::Uint(self.ttl)),
            Slot::optional(self.first_acquirer, Field::Bool(self.first_acquirer)),
            Slot::optional(self.delivery_count != 0, Field::Uint(self.delivery_count)),
        ];
        put_list_tree(out, section::HEADER, &header);
        copy_section(out, section::DELIVERY_ANNOTATIONS, self.nonempty(Section::Instructions));
        copy_section(out, section::MESSAGE_ANNOTATIONS, self.nonempty(Section::Annotations));
        let p = self.properties_fields(true);
        let id = |v: IdValue<'_>, f: Field<'static>| match v {
            IdValue::Compound(t) => Slot::Compound(t),
            _ => Slot::Plain(f),
        };
        let props = [
            id(self.id.value(), Field::Null).or(p[0]),
            Slot::Plain(p[1]),
            Slot::Plain(p[2]),
            Slot::Plain(p[3]),
            Slot::Plain(p[4]),
            id(self.correlation_id.value(), Field::Null).or(p[5]),
            Slot::Plain(p[6]),
            Slot::Plain(p[7]),
            Slot::optional(self.expiry_time != 0, Field::Timestamp(self.expiry_time)),
            Slot::optional(self.creation_time != 0, Field::Timestamp(self.creation_time)),
            Slot::Plain(p[10]),
            Slot::optional(self.group_id.is_set() || self.group_sequence != 0, Field::Uint(self.group_sequence)),
            Slot::Plain(p[12]),
        ];
        put_list_tree(out, section::PROPERTIES, &props);
        copy_section(out, section::APPLICATION_PROPERTIES, self.nonempty(Section::Properties));
        copy_section(out, body_code, self.nonempty(Section::Body));
    }
}

/// A field of a `pn_message_data` list.
#[derive(Clone, Copy)]
enum Slot<'a> {
    /// A value, or null.
    Plain(Field<'a>),
    /// Fill's `?` when false: a null with this value put under it and
    /// dropped.
    Absent(Field<'a>),
    /// An id whose tree's current node is a compound: an empty one.
    Compound(Type),
}

impl<'a> Slot<'a> {
    fn optional(present: bool, value: Field<'a>) -> Slot<'a> {
        if present { Slot::Plain(value) } else { Slot::Absent(value) }
    }
    /// A plain slot takes `f`; others stay.
    fn or(self, f: Field<'a>) -> Slot<'a> {
        match self {
            Slot::Plain(_) => Slot::Plain(f),
            other => other,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self, Slot::Plain(Field::Null) | Slot::Absent(_))
    }
}

/// Writes a section's described list field by field. A null field is held
/// back until a later field is not null, so trailing nulls are left out.
struct ListWriter<'a> {
    e: Encoder<'a>,
    list: CompoundStart,
    nulls: u32,
}

impl<'a> ListWriter<'a> {
    #[inline]
    fn begin(out: &'a mut Vec<u8>, code: u64) -> Self {
        let mut e = Encoder::new(out);
        e.put_descriptor(code);
        let list = e.begin_list();
        ListWriter { e, list, nulls: 0 }
    }

    #[inline(always)]
    fn field(&mut self, f: Field<'_>) {
        if f.is_null() {
            self.nulls += 1;
        } else {
            self.value(f);
        }
    }

    fn value(&mut self, f: Field<'_>) {
        for _ in 0..std::mem::take(&mut self.nulls) {
            self.e.put_null();
            self.list.add();
        }
        let e = &mut self.e;
        match f {
            Field::Null => e.put_null(),
            Field::Bool(b) => e.put_bool(b),
            Field::Ubyte(v) => e.put_ubyte(v),
            Field::Uint(v) => e.put_uint(v),
            Field::Timestamp(v) => e.put_timestamp(v),
            Field::Atom(a) => e.put_atom(&a),
            Field::Binary(b) => e.put_binary(b),
            Field::String(b) => e.put_string(b),
            Field::Symbol(b) => e.put_symbol(b),
        }
        self.list.add();
    }

    #[inline]
    fn finish(mut self) {
        self.e.end_list(self.list);
    }
}

/// A section whose value is a whole tree. When the tree cannot be encoded,
/// proton moves its write position back by the error code (a negative
/// number) from where the tree would have started; this does the same.
fn put_data_section(out: &mut Vec<u8>, code: u64, data: Option<&Data>) {
    let Some(data) = data else { return };
    Encoder::new(out).put_descriptor(code);
    let at = out.len();
    if let Err(e) = data.encode(out) {
        let back = at.saturating_add_signed(e.code() as isize);
        out.truncate(back.min(at));
    }
}

// Putting into a tree only fails beyond 4 GiB of bytes; like proton's
// fill, pn_message_data does not report that.

fn open_described(out: &mut Data, code: u64) {
    let _ = out.put_described();
    out.enter();
    let _ = out.put_ulong(code);
}

fn put_field(out: &mut Data, f: &Field<'_>) {
    let _ = match *f {
        Field::Null => out.put_null(),
        Field::Bool(b) => out.put_bool(b),
        Field::Ubyte(v) => out.put_ubyte(v),
        Field::Uint(v) => out.put_uint(v),
        Field::Timestamp(v) => out.put_timestamp(v),
        Field::Atom(a) => out.put_atom(a),
        Field::Binary(b) => out.put_binary(b),
        Field::String(b) => out.put_string(b),
        Field::Symbol(b) => out.put_symbol(b),
    };
}

/// A described list of `slots`, without the trailing nulls.
fn put_list_tree(out: &mut Data, code: u64, slots: &[Slot<'_>]) {
    open_described(out, code);
    let _ = out.put_list();
    out.enter();
    let n = slots.iter().rposition(|s| !s.is_null()).map_or(0, |i| i + 1);
    for slot in &slots[..n] {
        match *slot {
            Slot::Plain(f) => put_field(out, &f),
            Slot::Absent(f) => {
                let _ = out.put_null();
                out.enter();
                put_field(out, &f);
                out.exit();
                out.drop_children();
            }
            Slot::Compound(t) => {
                let _ = match t {
                    Type::List => out.put_list(),
                    Type::Map => out.put_map(),
                    Type::Array => out.put_array(false, -1),
                    _ => out.put_described(),
                };
            }
        }
    }
    out.exit();
    out.exit();
}

fn copy_section(out: &mut Data, code: u64, data: Option<&Data>) {
    let Some(data) = data else { return };
    open_described(out, code);
    let _ = out.appendn(data, 1);
    out.exit();
}

/// The type of a compound id's current node, for callers that print it.
pub(super) fn compound_name(t: Type) -> &'static str {
    match t {
        Type::List => "<list>",
        Type::Map => "<map>",
        Type::Array => "<array>",
        _ => "<described>",
    }
}
