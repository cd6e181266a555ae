//! pn_record_t.
