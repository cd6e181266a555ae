//! `proton/ssl.h`: TLS for a transport, and the shared configuration
//! (domain) of many.
#![allow(non_camel_case_types)]

use std::ffi::c_int;

use super::types::enum_from_raw;

/// TLS settings shared by the transports that use them.
pub struct pn_ssl_domain_t {
    _private: [u8; 0],
}

/// The TLS layer of one transport.
pub struct pn_ssl_t {
    _private: [u8; 0],
}

/// Which end of the TLS handshake a domain is for.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_mode_t {
    /// The client end.
    PN_SSL_MODE_CLIENT = 1,
    /// The server end.
    PN_SSL_MODE_SERVER = 2,
}

/// `pn_ssl_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_mode_t_raw = c_int;

enum_from_raw!(pn_ssl_mode_t { PN_SSL_MODE_CLIENT, PN_SSL_MODE_SERVER });

/// Whether a TLS session was resumed.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_resume_status_t {
    /// Not known (yet).
    PN_SSL_RESUME_UNKNOWN = 0,
    /// A new session.
    PN_SSL_RESUME_NEW = 1,
    /// A resumed session.
    PN_SSL_RESUME_REUSED = 2,
}

/// `pn_ssl_resume_status_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_resume_status_t_raw = c_int;

enum_from_raw!(pn_ssl_resume_status_t { PN_SSL_RESUME_UNKNOWN, PN_SSL_RESUME_NEW, PN_SSL_RESUME_REUSED });

/// How much of the peer's identity to check.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_verify_mode_t {
    /// Not set.
    PN_SSL_VERIFY_NULL = 0,
    /// Check the peer's certificate.
    PN_SSL_VERIFY_PEER = 1,
    /// Do not check the peer (allows anonymous peers).
    PN_SSL_ANONYMOUS_PEER = 2,
    /// Check the certificate and that it names the host connected to.
    PN_SSL_VERIFY_PEER_NAME = 3,
}

/// `pn_ssl_verify_mode_t` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_verify_mode_t_raw = c_int;

enum_from_raw!(pn_ssl_verify_mode_t {
    PN_SSL_VERIFY_NULL,
    PN_SSL_VERIFY_PEER,
    PN_SSL_ANONYMOUS_PEER,
    PN_SSL_VERIFY_PEER_NAME,
});

/// A field of the subject of a certificate.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_cert_subject_subfield {
    PN_SSL_CERT_SUBJECT_COUNTRY_NAME = 0,
    PN_SSL_CERT_SUBJECT_STATE_OR_PROVINCE = 1,
    PN_SSL_CERT_SUBJECT_CITY_OR_LOCALITY = 2,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_NAME = 3,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_UNIT = 4,
    PN_SSL_CERT_SUBJECT_COMMON_NAME = 5,
}

/// `pn_ssl_cert_subject_subfield` as C passes it (any int); convert with
/// `from_raw`.
pub type pn_ssl_cert_subject_subfield_raw = c_int;

enum_from_raw!(pn_ssl_cert_subject_subfield {
    PN_SSL_CERT_SUBJECT_COUNTRY_NAME,
    PN_SSL_CERT_SUBJECT_STATE_OR_PROVINCE,
    PN_SSL_CERT_SUBJECT_CITY_OR_LOCALITY,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_NAME,
    PN_SSL_CERT_SUBJECT_ORGANIZATION_UNIT,
    PN_SSL_CERT_SUBJECT_COMMON_NAME,
});

/// A hash algorithm for certificate fingerprints.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_ssl_hash_alg {
    PN_SSL_SHA1 = 0,
    PN_SSL_SHA256 = 1,
    PN_SSL_SHA512 = 2,
    PN_SSL_MD5 = 3,
}

/// `pn_ssl_hash_alg` as C passes it (any int); convert with `from_raw`.
pub type pn_ssl_hash_alg_raw = c_int;

enum_from_raw!(pn_ssl_hash_alg { PN_SSL_SHA1, PN_SSL_SHA256, PN_SSL_SHA512, PN_SSL_MD5 });

const _: () = {
    assert!(std::mem::size_of::<pn_ssl_mode_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_resume_status_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_verify_mode_t>() == 4);
    assert!(std::mem::size_of::<pn_ssl_cert_subject_subfield>() == 4);
    assert!(std::mem::size_of::<pn_ssl_hash_alg>() == 4);
};
