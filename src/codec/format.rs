//! Proton's text form of AMQP values (`pn_data_format`, `pn_inspect` of a
//! `pn_data_t`, `pn_data_dump`), reproduced from proton-c 0.37's output:
//!
//! - scalars: `null`, `true`, numbers in decimal, floats and doubles as C's
//!   `%g`, `D32(n)`, `D64(n)`, `D128(hex)`, `UUID(8-4-4-4-12)`, a char as
//!   the low byte of its code point (proton prints it with `%c`);
//! - `b"..."`, `"..."`, `:sym` or `:"sym bol"` (unquoted only when every
//!   byte is an ASCII letter); bytes outside printable ASCII, and `"`, `'`
//!   and `\`, as `\xNN`;
//! - `[a, b]`, `{k=v, k2=v2}`, `@TYPE[...]` for arrays (a described
//!   array's descriptor is the first element), `@descriptor value`;
//! - a described list or map whose descriptor is a known AMQP ulong code
//!   prints as `@name(code) [field=value, ...]`, naming the fields and
//!   leaving out null ones (see [`Data::format_into`] for the details:
//!   separators follow each node, so a hidden null can leave a `=` or a
//!   space behind it, as in `{"a"=1, "b"=}`).

use super::data::{Data, Value};
use super::types::type_name;

/// AMQP's numeric descriptors that proton prints by name, with the field
/// names of their lists (read off proton-c 0.37, see
/// `tests/data/codec/descriptors.txt`).
pub static DESCRIPTORS: &[(u64, &str, &[&str])] = &[
    ( 16, "open", &["container-id", "hostname", "max-frame-size", "channel-max", "idle-time-out", "outgoing-locales", "incoming-locales", "offered-capabilities", "desired-capabilities", "properties"]),
    ( 17, "begin", &["remote-channel", "next-outgoing-id", "incoming-window", "outgoing-window", "handle-max", "offered-capabilities", "desired-capabilities", "properties"]),
    ( 18, "attach", &["name", "handle", "role", "snd-settle-mode", "rcv-settle-mode", "source", "target", "unsettled", "incomplete-unsettled", "initial-delivery-count", "max-message-size", "offered-capabilities", "desired-capabilities", "properties"]),
    ( 19, "flow", &["next-incoming-id", "incoming-window", "next-outgoing-id", "outgoing-window", "handle", "delivery-count", "link-credit", "available", "drain", "echo", "properties"]),
    ( 20, "transfer", &["handle", "delivery-id", "delivery-tag", "message-format", "settled", "more", "rcv-settle-mode", "state", "resume", "aborted", "batchable"]),
    ( 21, "disposition", &["role", "first", "last", "settled", "state", "batchable"]),
    ( 22, "detach", &["handle", "closed", "error"]),
    ( 23, "end", &["error"]),
    ( 24, "close", &["error"]),
    ( 29, "error", &["condition", "description", "info"]),
    ( 35, "received", &["section-number", "section-offset"]),
    ( 36, "accepted", &[]),
    ( 37, "rejected", &["error"]),
    ( 38, "released", &[]),
    ( 39, "modified", &["delivery-failed", "undeliverable-here", "message-annotations"]),
    ( 40, "source", &["address", "durable", "expiry-policy", "timeout", "dynamic", "dynamic-node-properties", "distribution-mode", "filter", "default-outcome", "outcomes", "capabilities"]),
    ( 41, "target", &["address", "durable", "expiry-policy", "timeout", "dynamic", "dynamic-node-properties", "capabilities"]),
    ( 43, "delete-on-close", &[]),
    ( 44, "delete-on-no-links", &[]),
    ( 45, "delete-on-no-messages", &[]),
    ( 46, "delete-on-no-links-or-messages", &[]),
    ( 48, "coordinator", &["capabilities"]),
    ( 49, "declare", &["global-id"]),
    ( 50, "discharge", &["txn-id", "fail"]),
    ( 51, "declared", &["txn-id"]),
    ( 52, "transactional-state", &["txn-id", "outcome"]),
    ( 64, "sasl-mechanisms", &["sasl-server-mechanisms"]),
    ( 65, "sasl-init", &["mechanism", "initial-response", "hostname"]),
    ( 66, "sasl-challenge", &["challenge"]),
    ( 67, "sasl-response", &["response"]),
    ( 68, "sasl-outcome", &["code", "additional-data"]),
    (112, "header", &["durable", "priority", "ttl", "first-acquirer", "delivery-count"]),
    (113, "delivery-annotations", &[]),
    (114, "message-annotations", &[]),
    (115, "properties", &["message-id", "user-id", "to", "subject", "reply-to", "correlation-id", "content-type", "content-encoding", "absolute-expiry-time", "creation-time", "group-id", "group-sequence", "reply-to-group-id"]),
    (116, "application-properties", &[]),
    (117, "data", &[]),
    (118, "amqp-sequence", &[]),
    (119, "amqp-value", &[]),
    (120, "footer", &[]),
];

/// Name and fields of a numeric descriptor.
pub fn descriptor(code: u64) -> Option<(&'static str, &'static [&'static str])> {
    DESCRIPTORS.iter().find(|d| d.0 == code).map(|d| (d.1, d.2))
}

/// C's `printf("%g", v)` (glibc).
pub fn format_g(v: f64, out: &mut Vec<u8>) {
    if v.is_nan() {
        out.extend_from_slice(if v.is_sign_negative() { b"-nan" } else { b"nan" });
        return;
    }
    if v.is_infinite() {
        out.extend_from_slice(if v < 0.0 { b"-inf" } else { b"inf" });
        return;
    }
    if v == 0.0 {
        out.extend_from_slice(if v.is_sign_negative() { b"-0" } else { b"0" });
        return;
    }
    // %g with precision 6: the exponent of %.5e decides the style.
    let e = format!("{v:.5e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        let f = format!("{:.*}", (5 - exp) as usize, v);
        out.extend_from_slice(strip_zeros(&f).as_bytes());
    } else {
        out.extend_from_slice(strip_zeros(mantissa).as_bytes());
        out.extend_from_slice(format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs()).as_bytes());
    }
}

/// Drop trailing zeros of a fraction, and the point if nothing is left.
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

/// Append `bytes` with proton's escapes (`\xNN` for non-printable ASCII
/// and for `"`, `'`, `\\`).
pub fn escape(bytes: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        match b {
            b'"' | b'\'' | b'\\' => out.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
        }
    }
}

fn quoted(prefix: &[u8], bytes: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(prefix);
    out.push(b'"');
    escape(bytes, out);
    out.push(b'"');
}

fn hex(bytes: &[u8], out: &mut Vec<u8>) {
    for b in bytes {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
}

/// What a container prints between its children.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sequence,
    Map,
    Described,
}

/// A known descriptor: its name, code and field names.
type Known = (&'static str, u64, &'static [&'static str]);

/// A node whose children are being printed.
struct Level {
    node: u32,
    kind: Kind,
    /// The node's own descriptor, when it is a described value whose first
    /// child is a known ulong descriptor: that child prints by name.
    known: Option<Known>,
    /// The known descriptor of the node's parent: it names the node's
    /// children by their index, and hides the null ones.
    fields: Option<&'static [&'static str]>,
    /// Index of the child being printed.
    index: u32,
}

impl Data {
    /// The text of every value (whatever the cursor), as
    /// `pn_data_format` writes it.
    pub fn format(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.format_into(&mut out);
        out
    }

    /// The known descriptor of node `id`: `Some` when it is a described
    /// value whose first child is a ulong proton knows by name.
    fn known_descriptor(&self, id: u32) -> Option<Known> {
        let node = self.node(id);
        if node.value != Value::Described || node.down == 0 {
            return None;
        }
        match self.node(node.down).value {
            Value::Ulong(code) => descriptor(code).map(|(name, fields)| (name, code, fields)),
            _ => None,
        }
    }

    /// Append the text of every value to `out` (iteratively).
    ///
    /// Proton's rules (`tests/c/codec/fmt_tree.c`): each node prints its
    /// text, then its children, then (lists, maps, arrays) its closing
    /// bracket, then, when it has a next sibling, a separator chosen by the
    /// node's own position: `=` after a map key (even index), a space after
    /// the first child of a described value, else `, `. Below a described
    /// value with a known descriptor (for the children of each of its
    /// children), null nodes print nothing (no text, no separator; their
    /// children still print), the others are named `field=` by their
    /// index, and `, ` is written only when a non-null sibling follows.
    pub fn format_into(&self, out: &mut Vec<u8>) {
        let root = Level { node: 0, kind: Kind::Sequence, known: None, fields: None, index: 0 };
        let mut stack = vec![root];
        let mut id = self.first();
        while id != 0 {
            let lvl = stack.last().expect("root level");
            let node = self.node(id);
            let hidden = lvl.fields.is_some() && node.value == Value::Null;
            if !hidden {
                if let Some(name) = lvl.fields.and_then(|f| f.get(lvl.index as usize)) {
                    out.extend_from_slice(name.as_bytes());
                    out.push(b'=');
                }
                match (lvl.known, node.value) {
                    // The first child of a described value with a known
                    // descriptor (that ulong) prints as the name.
                    (Some((name, code, _)), v) if lvl.index == 0 && !v.type_of().is_compound() => {
                        out.extend_from_slice(format!("{name}({code})").as_bytes());
                    }
                    (_, v) => self.format_open(&v, out),
                }
            }
            if node.down != 0 {
                let kind = match node.value {
                    Value::Map => Kind::Map,
                    Value::Described => Kind::Described,
                    _ => Kind::Sequence,
                };
                let fields = lvl.known.map(|k| k.2);
                stack.push(Level { node: id, kind, known: self.known_descriptor(id), fields, index: 0 });
                id = node.down;
                continue;
            }
            // Close the node, then its ancestors that it was the last
            // child of, until one has a next sibling.
            loop {
                let lvl = stack.last_mut().expect("root level");
                let node = self.node(id);
                format_close(&node.value, out);
                let hidden = lvl.fields.is_some() && node.value == Value::Null;
                if node.next != 0 {
                    if !hidden {
                        let sep: &[u8] = match lvl.kind {
                            Kind::Map if lvl.index % 2 == 0 => b"=",
                            Kind::Described if lvl.index == 0 => b" ",
                            _ if lvl.fields.is_none() || self.non_null_follows(id) => b", ",
                            _ => b"",
                        };
                        out.extend_from_slice(sep);
                    }
                    lvl.index += 1;
                    id = node.next;
                    break;
                }
                if stack.len() == 1 {
                    id = 0;
                    break;
                }
                let done = stack.pop().expect("non-root level");
                id = done.node;
            }
        }
    }

    /// Whether a sibling after node `id` is not null.
    fn non_null_follows(&self, id: u32) -> bool {
        let mut next = self.node(id).next;
        while next != 0 {
            let n = self.node(next);
            if n.value != Value::Null {
                return true;
            }
            next = n.next;
        }
        false
    }

    /// The text of one node without its children (compounds: the opening).
    fn format_open(&self, v: &Value, out: &mut Vec<u8>) {
        match *v {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Value::Ubyte(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Byte(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Ushort(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Short(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Uint(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Int(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Char(c) => out.push(c as u8),
            Value::Ulong(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Long(x) | Value::Timestamp(x) => out.extend_from_slice(x.to_string().as_bytes()),
            Value::Float(x) => format_g(x as f64, out),
            Value::Double(x) => format_g(x, out),
            Value::Decimal32(x) => out.extend_from_slice(format!("D32({x})").as_bytes()),
            Value::Decimal64(x) => out.extend_from_slice(format!("D64({x})").as_bytes()),
            Value::Decimal128(b) => {
                out.extend_from_slice(b"D128(");
                hex(&b, out);
                out.push(b')');
            }
            Value::Uuid(b) => {
                out.extend_from_slice(b"UUID(");
                for (i, part) in [&b[0..4], &b[4..6], &b[6..8], &b[8..10], &b[10..16]].iter().enumerate() {
                    if i > 0 {
                        out.push(b'-');
                    }
                    hex(part, out);
                }
                out.push(b')');
            }
            Value::Binary(s) => quoted(b"b", self.span(s), out),
            Value::String(s) => quoted(b"", self.span(s), out),
            Value::Symbol(s) => {
                let bytes = self.span(s);
                if bytes.iter().all(u8::is_ascii_alphabetic) {
                    out.push(b':');
                    out.extend_from_slice(bytes);
                } else {
                    quoted(b":", bytes, out);
                }
            }
            Value::Described => out.push(b'@'),
            Value::Array { ty, .. } => {
                out.push(b'@');
                out.extend_from_slice(type_name(ty).as_bytes());
                out.push(b'[');
            }
            Value::List => out.push(b'['),
            Value::Map => out.push(b'{'),
        }
    }

    /// `pn_data_dump`'s text: the cursor, then every node with its links.
    pub fn dump(&self) -> Vec<u8> {
        let mut out = format!("{{current={}, parent={}}}\n", self.current, self.parent).into_bytes();
        for (id, node) in self.nodes.iter().enumerate().skip(1) {
            out.extend_from_slice(
                format!(
                    "Node {id}: prev={}, next={}, parent={}, down={}, children={}, type={} (",
                    node.prev,
                    node.next,
                    node.parent,
                    node.down,
                    node.children,
                    node.value.type_of().name()
                )
                .as_bytes(),
            );
            let text: Vec<u8> = match node.value {
                Value::Described => b"<described>".to_vec(),
                Value::Array { .. } => b"<array>".to_vec(),
                Value::List => b"<list>".to_vec(),
                Value::Map => b"<map>".to_vec(),
                v => {
                    let mut t = Vec::new();
                    self.format_open(&v, &mut t);
                    t
                }
            };
            // Proton prints the text with %s: a NUL (from a char) ends it.
            out.extend(text.iter().take_while(|&&b| b != 0));
            out.extend_from_slice(b")\n");
        }
        out
    }
}

fn format_close(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Array { .. } | Value::List => out.push(b']'),
        Value::Map => out.push(b'}'),
        _ => {}
    }
}
