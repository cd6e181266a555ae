//! proton-c 0.37's URL parser (`pn_url_t`, deprecated there), in safe Rust.
//!
//! The grammar is proton's loose one,
//! `[scheme://][user[:password]@]host[:port][/path]`, applied by a few
//! searches rather than validated:
//!
//! 1. A scheme is there when the first `/` directly follows a `:` (not at
//!    the start) and is followed by another `/`: the scheme is what is
//!    before that `:`.
//! 2. Of the rest, everything after the first `/` is the path.
//! 3. Before that, everything up to the first `@` is the user part: the
//!    user, then, after its first `:`, the password. Both are
//!    percent-decoded (see [`percent_decode`]).
//! 4. What is left is the host: if it starts with `[` and has a `]`, the
//!    host is what is between them and only what follows the `]` is looked
//!    at for a port; the port is whatever follows the last `:`.
//! 5. An empty host counts as none; every other part may be empty.
//!
//! [`Url::to_bytes`] puts the parts back together, percent-encoding `/`,
//! `:` and `@` in the user and password and bracketing a host that
//! contains `:`.

/// A URL split into its parts; `None` for a part that is not there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    pub scheme: Option<Vec<u8>>,
    pub username: Option<Vec<u8>>,
    pub password: Option<Vec<u8>>,
    pub host: Option<Vec<u8>>,
    pub port: Option<Vec<u8>>,
    pub path: Option<Vec<u8>>,
}

fn find(s: &[u8], b: u8) -> Option<usize> {
    s.iter().position(|&c| c == b)
}

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The value of the two characters after a `%` as C's `strtoul(.., 16)`
/// reads them (leading space and a sign allowed, stopping at the first
/// character that is no hex digit), truncated to a byte.
fn hex_pair(a: u8, b: u8) -> u8 {
    let s = [a, b];
    let mut i = 0;
    while i < 2 && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < 2 && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let mut v: u64 = 0;
    while i < 2 {
        match (s[i] as char).to_digit(16) {
            Some(d) => v = v * 16 + d as u64,
            None => break,
        }
        i += 1;
    }
    if negative {
        v = v.wrapping_neg();
    }
    v as u8
}

/// Proton's decoding of a user or password: `%` and the two characters
/// after it become one byte (see [`hex_pair`]; a `%` with fewer than two
/// characters after it stays as it is). The result ends at the first NUL
/// byte it produces, as the C string it is.
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            out.push(hex_pair(s[i + 1], s[i + 2]));
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    if let Some(nul) = find(&out, 0) {
        out.truncate(nul);
    }
    out
}

/// Percent-encode the bytes that separate URL parts (`/`, `:`, `@`).
fn percent_encode(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'/' => out.extend_from_slice(b"%2F"),
            b':' => out.extend_from_slice(b"%3A"),
            b'@' => out.extend_from_slice(b"%40"),
            _ => out.push(b),
        }
    }
}

impl Url {
    /// Split `s` (a C string's bytes: any NUL ends it) into parts; `None`
    /// for an empty string.
    pub fn parse(s: &[u8]) -> Option<Url> {
        let s = &s[..find(s, 0).unwrap_or(s.len())];
        if s.is_empty() {
            return None;
        }
        let mut u = Url::default();
        let mut rest = s;
        if let Some(slash) = find(rest, b'/') {
            if slash > 0 && rest[slash - 1] == b':' && rest.get(slash + 1) == Some(&b'/') {
                u.scheme = Some(rest[..slash - 1].to_vec());
                rest = &rest[slash + 2..];
            }
        }
        if let Some(slash) = find(rest, b'/') {
            u.path = Some(rest[slash + 1..].to_vec());
            rest = &rest[..slash];
        }
        if let Some(at) = find(rest, b'@') {
            let userinfo = &rest[..at];
            rest = &rest[at + 1..];
            match find(userinfo, b':') {
                Some(colon) => {
                    u.username = Some(percent_decode(&userinfo[..colon]));
                    u.password = Some(percent_decode(&userinfo[colon + 1..]));
                }
                None => u.username = Some(percent_decode(userinfo)),
            }
        }
        let mut host = rest;
        let mut tail = rest;
        let mut bracketed = false;
        if rest.first() == Some(&b'[') {
            if let Some(close) = find(rest, b']') {
                host = &rest[1..close];
                tail = &rest[close + 1..];
                bracketed = true;
            }
        }
        if let Some(colon) = tail.iter().rposition(|&c| c == b':') {
            u.port = Some(tail[colon + 1..].to_vec());
            if !bracketed {
                host = &tail[..colon];
            }
        }
        u.host = (!host.is_empty()).then(|| host.to_vec());
        Some(u)
    }

    /// The URL as text, from its parts.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(s) = &self.scheme {
            out.extend_from_slice(s);
            out.extend_from_slice(b"://");
        }
        if self.username.is_some() || self.password.is_some() {
            if let Some(user) = &self.username {
                percent_encode(user, &mut out);
            }
            if let Some(pass) = &self.password {
                out.push(b':');
                percent_encode(pass, &mut out);
            }
            out.push(b'@');
        }
        if let Some(h) = &self.host {
            if h.contains(&b':') {
                out.push(b'[');
                out.extend_from_slice(h);
                out.push(b']');
            } else {
                out.extend_from_slice(h);
            }
        }
        if let Some(p) = &self.port {
            out.push(b':');
            out.extend_from_slice(p);
        }
        if let Some(p) = &self.path {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(o: &Option<Vec<u8>>) -> String {
        o.as_ref().map_or("NULL".into(), |v| format!("[{}]", String::from_utf8_lossy(v)))
    }

    fn fields(s: &str) -> String {
        match Url::parse(s.as_bytes()) {
            None => "NULL".into(),
            Some(u) => format!(
                "{} {} {} {} {} {} {}",
                show(&u.scheme),
                show(&u.username),
                show(&u.password),
                show(&u.host),
                show(&u.port),
                show(&u.path),
                String::from_utf8_lossy(&u.to_bytes())
            ),
        }
    }

    /// Expected values: proton-c 0.37 (probe url.c: every part, then
    /// pn_url_str).
    #[test]
    fn parses_like_proton() {
        let cases = [
            ("", "NULL"),
            ("a", "NULL NULL NULL [a] NULL NULL a"),
            ("amqp://user:pass@host:5672/path", "[amqp] [user] [pass] [host] [5672] [path] amqp://user:pass@host:5672/path"),
            ("//host", "NULL NULL NULL NULL NULL [/host] //host"),
            (":", "NULL NULL NULL NULL [] NULL :"),
            ("::", "NULL NULL NULL [:] [] NULL [:]:"),
            ("@", "NULL [] NULL NULL NULL NULL @"),
            ("a@b@c", "NULL [a] NULL [b@c] NULL NULL a@b@c"),
            ("a:b:c", "NULL NULL NULL [a:b] [c] NULL [a:b]:c"),
            ("[::1]:80", "NULL NULL NULL [::1] [80] NULL [::1]:80"),
            ("[::1", "NULL NULL NULL [[:] [1] NULL [[:]:1"),
            ("amqp://us%40er:p%3Ass@host", "[amqp] [us@er] [p:ss] [host] NULL NULL amqp://us%40er:p%3Ass@host"),
            ("amqp://us%4:p%zz@host", "[amqp] [us%4] [p] [host] NULL NULL amqp://us%4:p@host"),
            ("amqp://us%:p%@host", "[amqp] [us%] [p%] [host] NULL NULL amqp://us%:p%@host"),
            ("scheme:/", "NULL NULL NULL [scheme] [] [] scheme:/"),
            ("x://[a]b:c", "[x] NULL NULL [a] [c] NULL x://a:c"),
            ("[]:1", "NULL NULL NULL NULL [1] NULL :1"),
            ("://x", "[] NULL NULL [x] NULL NULL ://x"),
            ("a/b://c", "NULL NULL NULL [a] NULL [b://c] a/b://c"),
            ("a@b://c", "[a@b] NULL NULL [c] NULL NULL a@b://c"),
            ("[::1]]:5", "NULL NULL NULL [::1] [5] NULL [::1]:5"),
            ("host:80:", "NULL NULL NULL [host:80] [] NULL [host:80]:"),
            ("amqp://:@:/", "[amqp] [] [] NULL [] [] amqp://:@:/"),
            ("a:1/2:3", "NULL NULL NULL [a] [1] [2:3] a:1/2:3"),
        ];
        for (input, want) in cases {
            assert_eq!(fields(input), want, "{input:?}");
        }
    }

    #[test]
    fn percent_decoding_follows_strtoul() {
        assert_eq!(percent_decode(b"%41%4z%-1%+f% f"), b"A\x04\xff\x0f\x0f");
        assert_eq!(percent_decode(b"a%0xb"), b"a");
        assert_eq!(percent_decode(b"u%00x"), b"u");
        assert_eq!(percent_decode(b"%2f"), b"/");
        assert_eq!(percent_decode(b"%4"), b"%4");
    }

    #[test]
    fn rebuilds_with_escapes() {
        let u = Url { password: Some(b"pw".to_vec()), host: Some(b"".to_vec()), ..Url::default() };
        assert_eq!(u.to_bytes(), b":pw@");
        let u = Url { username: Some(b"a/b:c@d%".to_vec()), ..Url::default() };
        assert_eq!(u.to_bytes(), b"a%2Fb%3Ac%40d%@");
    }
}
