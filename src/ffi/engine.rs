//! `proton/engine.h`: only includes the engine headers (condition,
//! connection, session, terminus, link, delivery, event, transport); it
//! declares nothing of its own.
