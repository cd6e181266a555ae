//! What ssl.h reports about the peer's certificate: its subject as one
//! string, single subject fields, and fingerprints.

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::x509::{X509NameRef, X509Ref};

/// A subject field (`pn_ssl_cert_subject_subfield`, in its order).
pub const SUBFIELDS: [Nid; 6] = [
    Nid::COUNTRYNAME,
    Nid::STATEORPROVINCENAME,
    Nid::LOCALITYNAME,
    Nid::ORGANIZATIONNAME,
    Nid::ORGANIZATIONALUNITNAME,
    Nid::COMMONNAME,
];

/// A fingerprint algorithm (`pn_ssl_hash_alg`, in its order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    Sha1,
    Sha256,
    Sha512,
    Md5,
}

/// The subject in RFC 2253 form, as OpenSSL prints it with
/// `XN_FLAG_RFC2253` (last field first, short names, `,` between fields;
/// special characters, control characters and non-ASCII bytes escaped).
pub fn subject(name: &X509NameRef) -> String {
    let mut out = String::new();
    let entries: Vec<_> = name.entries().collect();
    for (i, e) in entries.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let nid = e.object().nid();
        match nid.short_name() {
            Ok(sn) if nid != Nid::UNDEF => out.push_str(sn),
            _ => out.push_str(&e.object().to_string()),
        }
        out.push('=');
        match e.data().to_string() {
            Ok(v) => escape_2253(v.as_bytes(), &mut out),
            Err(_) => {
                out.push('#');
                for b in e.data().as_slice() {
                    out.push_str(&format!("{b:02X}"));
                }
            }
        }
    }
    out
}

fn escape_2253(v: &[u8], out: &mut String) {
    let last = v.len().saturating_sub(1);
    for (i, &b) in v.iter().enumerate() {
        let special = matches!(b, b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';')
            || (i == 0 && (b == b'#' || b == b' '))
            || (i == last && b == b' ');
        if !(0x20..0x7f).contains(&b) {
            out.push_str(&format!("\\{b:02X}"));
        } else if special {
            out.push('\\');
            out.push(b as char);
        } else {
            out.push(b as char);
        }
    }
}

/// The first value of a subject field, as UTF-8.
pub fn subfield(name: &X509NameRef, nid: Nid) -> Option<String> {
    let e = name.entries_by_nid(nid).next()?;
    e.data().to_string().ok()
}

/// The certificate's fingerprint in lowercase hex.
pub fn fingerprint(cert: &X509Ref, alg: HashAlg) -> Option<String> {
    let md = match alg {
        HashAlg::Sha1 => MessageDigest::sha1(),
        HashAlg::Sha256 => MessageDigest::sha256(),
        HashAlg::Sha512 => MessageDigest::sha512(),
        HashAlg::Md5 => MessageDigest::md5(),
    };
    let d = cert.digest(md).ok()?;
    let mut s = String::with_capacity(d.len() * 2);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::x509::X509Name;

    #[test]
    fn subject_is_rfc2253() {
        let mut b = X509Name::builder().unwrap();
        b.append_entry_by_nid(Nid::COUNTRYNAME, "US").unwrap();
        b.append_entry_by_nid(Nid::ORGANIZATIONNAME, "A, B+C").unwrap();
        b.append_entry_by_nid(Nid::COMMONNAME, " #x ").unwrap();
        let n = b.build();
        assert_eq!(subject(&n), "CN=\\ #x\\ ,O=A\\, B\\+C,C=US");
        assert_eq!(subfield(&n, Nid::ORGANIZATIONNAME).as_deref(), Some("A, B+C"));
        assert_eq!(subfield(&n, Nid::LOCALITYNAME), None);
    }

    #[test]
    fn non_ascii_is_escaped() {
        let mut b = X509Name::builder().unwrap();
        b.append_entry_by_nid(Nid::COMMONNAME, "caf\u{e9}").unwrap();
        let n = b.build();
        assert_eq!(subject(&n), "CN=caf\\C3\\A9");
    }
}
