pub mod pair;
pub mod tls_double;
