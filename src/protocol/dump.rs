//! The text of frames in protocol traces (`PN_TRACE_FRM`), as proton-c
//! 0.37 prints them: read straight from the encoded bytes, unsigned
//! integers in hex, described values of known types as
//! `@name(code) [field=value, ...]` without their null fields.
//!
//! It differs from `pn_data_format` (see `codec::format`) in those points
//! and in the quoting of symbols. Details reproduced from proton's output:
//! a symbol is bare when it starts with a letter and has only letters,
//! digits and `-`; an unknown descriptor that fits one byte prints in
//! decimal (sign-extended, as proton does) followed by a space; a wider or
//! symbolic one prints as its value directly followed by the described
//! value; `char`s print as nothing.

use std::fmt::Write as _;

use crate::codec::types::{Type, code, describe};
use crate::codec::{CodecError, Decoder};

/// Append the text of one value read from `d`.
pub fn value(d: &mut Decoder<'_>, out: &mut String) -> Result<(), CodecError> {
    let c = d.peek_constructor()?;
    match c {
        code::DESCRIBED => described(d, out),
        code::LIST0 | code::LIST8 | code::LIST32 => {
            let (n, mut items) = d.read_list()?;
            out.push('[');
            for i in 0..n {
                if i > 0 {
                    out.push_str(", ");
                }
                value(&mut items, out)?;
            }
            out.push(']');
            Ok(())
        }
        code::MAP8 | code::MAP32 => {
            let (n, mut items) = d.read_map()?;
            out.push('{');
            for i in 0..n {
                if i > 0 {
                    out.push_str(if i % 2 == 1 { "=" } else { ", " });
                }
                value(&mut items, out)?;
            }
            out.push('}');
            Ok(())
        }
        code::ARRAY8 | code::ARRAY32 => {
            let mut a = d.read_array()?;
            let ty = describe(a.constructor).map(|x| x.1).unwrap_or(Type::Null);
            let name = ty.name().trim_start_matches("PN_").to_ascii_lowercase();
            let _ = write!(out, "@<{name}>[");
            let ctor = a.constructor;
            let mut first = true;
            let mut buf = Vec::new();
            while let Some(b) = a.next_bytes()? {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                buf.clear();
                buf.push(ctor);
                buf.extend_from_slice(b);
                value(&mut Decoder::new(&buf), out)?;
            }
            out.push(']');
            Ok(())
        }
        _ => scalar(d, out),
    }
}

fn escaped(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\'' && b != b'\\' {
            out.push(b as char);
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
}

fn bare_symbol(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_alphabetic) && s.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

fn scalar(d: &mut Decoder<'_>, out: &mut String) -> Result<(), CodecError> {
    use crate::codec::Atom::*;
    match d.read_atom()? {
        Null => out.push_str("null"),
        Bool(v) => out.push_str(if v { "true" } else { "false" }),
        Ubyte(v) => {
            let _ = write!(out, "{v:#x}");
        }
        Ushort(v) => {
            let _ = write!(out, "{v:#x}");
        }
        Uint(v) => {
            let _ = write!(out, "{v:#x}");
        }
        Ulong(v) => {
            let _ = write!(out, "{v:#x}");
        }
        Byte(v) => {
            let _ = write!(out, "{v}");
        }
        Short(v) => {
            let _ = write!(out, "{v}");
        }
        Int(v) => {
            let _ = write!(out, "{v}");
        }
        Long(v) => {
            let _ = write!(out, "{v}");
        }
        Timestamp(v) => {
            let _ = write!(out, "{v}");
        }
        Float(v) => g(v as f64, out),
        Double(v) => g(v, out),
        Char(_) => {}
        Decimal32(v) => {
            let _ = write!(out, "D32({v:04x})");
        }
        Decimal64(v) => {
            let _ = write!(out, "D64({v:08x})");
        }
        Decimal128(v) => {
            out.push_str("D128(");
            for b in v {
                let _ = write!(out, "{b:02x}");
            }
            out.push(')');
        }
        Uuid(u) => {
            out.push_str("UUID(");
            for (i, b) in u.iter().enumerate() {
                if matches!(i, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                let _ = write!(out, "{b:02x}");
            }
            out.push(')');
        }
        Binary(b) => {
            out.push_str("b\"");
            escaped(b, out);
            out.push('"');
        }
        String(s) => {
            out.push('"');
            escaped(s, out);
            out.push('"');
        }
        Symbol(s) => {
            out.push(':');
            if bare_symbol(s) {
                out.push_str(&std::string::String::from_utf8_lossy(s));
            } else {
                out.push('"');
                escaped(s, out);
                out.push('"');
            }
        }
    }
    Ok(())
}

fn g(v: f64, out: &mut String) {
    let mut b = Vec::new();
    crate::codec::format::format_g(v, &mut b);
    out.push_str(&std::string::String::from_utf8_lossy(&b));
}

fn described(d: &mut Decoder<'_>, out: &mut String) -> Result<(), CodecError> {
    let rem = d.remaining();
    let dc = rem.get(1).copied().ok_or(CodecError::Underflow)?;
    if dc == code::ULONG0 || dc == code::SMALLULONG {
        let mut probe = d.clone();
        let crate::codec::Descriptor::Code(c) = probe.read_descriptor()? else {
            return Err(CodecError::Underflow);
        };
        let code = if dc == code::SMALLULONG { c as u8 as i8 as i64 as u64 } else { c };
        *d = probe;
        match crate::codec::format::descriptor(code) {
            Some((name, fields)) => {
                let _ = write!(out, "@{name}({code}) ");
                if matches!(d.peek_constructor()?, code::LIST0 | code::LIST8 | code::LIST32) {
                    let (n, mut items) = d.read_list()?;
                    out.push('[');
                    let mut first = true;
                    for i in 0..n as usize {
                        if items.peek_null() {
                            items.read_null()?;
                            continue;
                        }
                        if !first {
                            out.push_str(", ");
                        }
                        first = false;
                        if let Some(f) = fields.get(i) {
                            out.push_str(f);
                            out.push('=');
                        }
                        value(&mut items, out)?;
                    }
                    out.push(']');
                    Ok(())
                } else {
                    value(d, out)
                }
            }
            None => {
                let _ = write!(out, "@{code} ");
                value(d, out)
            }
        }
    } else {
        let mut inner = Decoder::new(&rem[1..]);
        out.push('@');
        value(&mut inner, out)?;
        value(&mut inner, out)?;
        *d = inner;
        Ok(())
    }
}

/// The text of a frame body's performative.
pub fn performative(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut d = Decoder::new(bytes);
    let _ = value(&mut d, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_print_as_proton() {
        let open = b"\x00\x53\x10\xc0\x14\x0a\xa1\x06client\x40\x40\x60\x7f\xff\x40\x40\x40\x40\x40\x40";
        assert_eq!(performative(open), "@open(16) [container-id=\"client\", channel-max=0x7fff]");
        let acc = b"\x00\x53\x24\x45";
        assert_eq!(performative(acc), "@accepted(36) []");
        let unk = b"\x00\x80\x00\x00\x00\x00\x00\x00\x12\x34\x54\x01";
        assert_eq!(performative(unk), "@0x12341");
        let neg = b"\x00\x53\x99\x45";
        assert_eq!(performative(neg), "@18446744073709551513 []");
        let syms = b"\xc0\x0b\x03\xa3\x02a1\xa3\x02a_\xa3\x00";
        assert_eq!(performative(syms), "[:a1, :\"a_\", :\"\"]");
    }
}
