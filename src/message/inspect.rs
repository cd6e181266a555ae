//! The text `pn_inspect` gives for a message, as proton-c 0.37 prints it:
//! `Message{` then, separated by `, `, each field that differs from its
//! default (strings quoted with non-printable bytes as `\xNN`, numbers in
//! decimal, flags as 1, ids and section trees in `pn_data_format` style),
//! then `}`.

use super::encode::compound_name;
use super::{DataSlot, IdValue, Message, Section, Text};
use crate::codec::{Atom, Data};

struct Fields<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl Fields<'_> {
    fn name(&mut self, name: &str) {
        if !self.first {
            self.out.extend_from_slice(b", ");
        }
        self.first = false;
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'=');
    }

    fn num(&mut self, name: &str, v: impl std::fmt::Display) {
        self.name(name);
        self.out.extend_from_slice(v.to_string().as_bytes());
    }

    fn text(&mut self, name: &str, t: &Text) {
        if let Some(b) = t.get() {
            self.name(name);
            quote(b, self.out);
        }
    }

    fn id(&mut self, name: &str, v: IdValue<'_>) {
        match v {
            IdValue::Scalar(Atom::Null) => {}
            IdValue::Scalar(a) => {
                self.name(name);
                let mut d = Data::new();
                // One scalar always fits.
                let _ = d.put_atom(a);
                d.format_into(self.out);
            }
            IdValue::Compound(t) => {
                self.name(name);
                self.out.extend_from_slice(compound_name(t).as_bytes());
            }
        }
    }

    fn tree(&mut self, name: &str, d: Option<&Data>) {
        if let Some(d) = d {
            self.name(name);
            d.format_into(self.out);
        }
    }
}

/// `"bytes"` with bytes outside printable ASCII as `\xNN` (quotes and
/// backslashes stay as they are).
fn quote(bytes: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &b in bytes {
        if (0x20..=0x7e).contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        }
    }
    out.push(b'"');
}

impl<S: DataSlot> Message<S> {
    /// Append the message's text to `out`.
    pub fn inspect(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"Message{");
        let mut f = Fields { out, first: true };
        f.text("address", &self.address);
        if self.durable {
            f.num("durable", 1);
        }
        if self.priority != super::DEFAULT_PRIORITY {
            f.num("priority", self.priority);
        }
        if self.ttl != 0 {
            f.num("ttl", self.ttl);
        }
        if self.first_acquirer {
            f.num("first_acquirer", 1);
        }
        if self.delivery_count != 0 {
            f.num("delivery_count", self.delivery_count);
        }
        f.id("id", self.id.value());
        f.text("user_id", &self.user_id);
        f.text("subject", &self.subject);
        f.text("reply_to", &self.reply_to);
        f.id("correlation_id", self.correlation_id.value());
        f.text("content_type", &self.content_type);
        f.text("content_encoding", &self.content_encoding);
        if self.expiry_time != 0 {
            f.num("expiry_time", self.expiry_time);
        }
        if self.creation_time != 0 {
            f.num("creation_time", self.creation_time);
        }
        f.text("group_id", &self.group_id);
        if self.group_sequence != 0 {
            // Printed signed, as proton does.
            f.num("group_sequence", self.group_sequence as i32);
        }
        f.text("reply_to_group_id", &self.reply_to_group_id);
        if self.inferred {
            f.num("inferred", 1);
        }
        f.tree("instructions", self.nonempty(Section::Instructions));
        f.tree("annotations", self.nonempty(Section::Annotations));
        f.tree("properties", self.nonempty(Section::Properties));
        f.tree("body", self.nonempty(Section::Body));
        f.out.push(b'}');
    }
}
