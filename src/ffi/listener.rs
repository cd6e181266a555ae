//! `proton/listener.h`: proactor listeners, which accept incoming
//! connections (`pn_listener_t` itself is declared by `types.h`).
