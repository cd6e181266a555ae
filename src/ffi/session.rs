//! `proton/session.h`: the AMQP session endpoint (`pn_session_t` itself is
//! declared by `types.h`).
