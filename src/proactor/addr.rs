//! Proton's network address strings: "host:port", split at the last ':'.
//!
//! Measured on proton-c 0.37 (`pni_parse_addr`): an empty or missing host
//! means the local host (connect) or every interface (listen); an empty or
//! missing port is 5672; the service names "amqp" and "amqps" become 5672
//! and 5671, other names go to `getaddrinfo` as they are. So "::1:5672" is
//! host "::1", port 5672. Unlike proton-c, which hands "[::1]" to the
//! resolver and fails, a host in brackets is accepted without them.

/// The AMQP port.
pub const AMQP_PORT: &str = "5672";
/// The AMQPS port.
pub const AMQPS_PORT: &str = "5671";

/// A parsed address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPort {
    /// `None` for an empty host.
    pub host: Option<String>,
    pub port: String,
}

impl HostPort {
    /// Split `addr` as proton does.
    pub fn parse(addr: &str) -> HostPort {
        let (host, port) = split(addr);
        HostPort { host: host.map(str::to_string), port: port.to_string() }
    }

    /// The host to resolve: brackets around an IPv6 literal removed.
    pub fn resolver_host(&self) -> Option<&str> {
        self.host.as_deref().map(|h| h.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(h))
    }

    /// "host:port" with the port as resolved (empty host kept empty), the
    /// form proton's error descriptions print.
    pub fn text(&self) -> String {
        format!("{}:{}", self.host.as_deref().unwrap_or(""), self.port)
    }
}

/// `pni_parse_addr`'s split: host (`None` when empty) and port (defaulted).
pub fn split(addr: &str) -> (Option<&str>, &str) {
    let (host, port) = match addr.rfind(':') {
        Some(i) => (&addr[..i], &addr[i + 1..]),
        None => (addr, ""),
    };
    let host = if host.is_empty() { None } else { Some(host) };
    let port = match port {
        "" | "amqp" => AMQP_PORT,
        "amqps" => AMQPS_PORT,
        p => p,
    };
    (host, port)
}

/// `pn_proactor_addr`: "host:port" with NULLs as empty strings.
pub fn format(host: Option<&str>, port: Option<&str>) -> String {
    format!("{}:{}", host.unwrap_or(""), port.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_proton() {
        assert_eq!(split("host:port"), (Some("host"), "port"));
        assert_eq!(split(":5672"), (None, "5672"));
        assert_eq!(split("host"), (Some("host"), "5672"));
        assert_eq!(split(""), (None, "5672"));
        assert_eq!(split("[::1]:5671"), (Some("[::1]"), "5671"));
        assert_eq!(split("::1:5671"), (Some("::1"), "5671"));
        assert_eq!(split("host:"), (Some("host"), "5672"));
        assert_eq!(split(":"), (None, "5672"));
        assert_eq!(split("a:b:c"), (Some("a:b"), "c"));
        assert_eq!(split("h:amqps"), (Some("h"), "5671"));
        assert_eq!(split("h:amqp"), (Some("h"), "5672"));
        assert_eq!(split("amqps"), (Some("amqps"), "5672"));
    }

    #[test]
    fn brackets_and_text() {
        let hp = HostPort::parse("[::1]:99");
        assert_eq!(hp.resolver_host(), Some("::1"));
        assert_eq!(hp.text(), "[::1]:99");
        assert_eq!(HostPort::parse("").text(), ":5672");
        assert_eq!(format(None, Some("80")), ":80");
        assert_eq!(format(Some("h"), None), "h:");
    }
}
