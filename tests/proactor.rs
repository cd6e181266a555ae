//! The proactor through its C API (proactor.h, listener.h, netaddr.h,
//! raw_connection.h): event sequences and conditions as proton-c 0.37
//! gives them (measured with C programs against Debian's library), timers,
//! listeners, raw connections, and threads.

#[path = "proactor/support.rs"]
mod psupport;

use std::collections::HashMap;
use std::ffi::c_char;
use std::ptr;

use proton::ffi::{netaddr, proactor as pa};
use psupport::*;

fn names(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn addr_formats_like_proton() {
    let mut buf = [0 as c_char; 64];
    let f = |buf: &mut [c_char; 64], h: Option<&str>, p: Option<&str>| {
        let h = h.map(|s| std::ffi::CString::new(s).unwrap());
        let p = p.map(|s| std::ffi::CString::new(s).unwrap());
        // SAFETY: valid buffer and strings.
        let n = unsafe {
            pa::pn_proactor_addr(
                buf.as_mut_ptr(),
                buf.len(),
                h.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
                p.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            )
        };
        // SAFETY: NUL-terminated.
        (n, unsafe { cstr(buf.as_ptr()) }.unwrap())
    };
    assert_eq!(f(&mut buf, Some("localhost"), Some("5672")), (14, "localhost:5672".into()));
    assert_eq!(f(&mut buf, None, None), (1, ":".into()));
    assert_eq!(f(&mut buf, Some("::1"), Some("amqp")), (8, "::1:amqp".into()));
    let mut small = [0 as c_char; 4];
    let (h, p) = (c"abcdef", c"123");
    // SAFETY: valid buffer and strings.
    let n = unsafe { pa::pn_proactor_addr(small.as_mut_ptr(), small.len(), h.as_ptr(), p.as_ptr()) };
    assert_eq!(n, 10);
    // SAFETY: NUL-terminated.
    assert_eq!(unsafe { cstr(small.as_ptr()) }.unwrap(), "abc");

    // pni_parse_addr, as proton-c splits.
    let parse = |a: &str| {
        let a = std::ffi::CString::new(a).unwrap();
        let mut buf = [0 as c_char; 64];
        let (mut h, mut p): (*const c_char, *const c_char) = (ptr::null(), ptr::null());
        // SAFETY: valid arguments.
        let rc = unsafe { pa::pni_parse_addr(a.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut h, &mut p) };
        // SAFETY: pointers into buf or static.
        (rc, unsafe { cstr(h) }, unsafe { cstr(p) }.unwrap())
    };
    assert_eq!(parse("host:port"), (0, Some("host".into()), "port".into()));
    assert_eq!(parse(":5672"), (0, None, "5672".into()));
    assert_eq!(parse("host"), (0, Some("host".into()), "5672".into()));
    assert_eq!(parse("::1:5671"), (0, Some("::1".into()), "5671".into()));
    assert_eq!(parse("h:amqps"), (0, Some("h".into()), "5671".into()));
    let mut b3 = [0 as c_char; 3];
    let (mut h, mut p): (*const c_char, *const c_char) = (ptr::null(), ptr::null());
    // SAFETY: valid arguments.
    assert_eq!(unsafe { pa::pni_parse_addr(c"abcdef".as_ptr(), b3.as_mut_ptr(), 3, &mut h, &mut p) }, -3);
}

#[test]
fn timeout_then_inactive() {
    let p = Proactor::new();
    assert!(p.get().is_none(), "nothing to do yet");
    p.set_timeout(20);
    let t0 = std::time::Instant::now();
    let mut seen = Vec::new();
    let batches = p.run(|e| {
        seen.push(e.name());
        assert_eq!(e.proactor(), p.0);
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert!(t0.elapsed() >= std::time::Duration::from_millis(19));
    assert_eq!(names(&seen), ["PN_PROACTOR_TIMEOUT", "PN_PROACTOR_INACTIVE"]);
    assert_eq!(batches, 2, "proton-c delivers them in separate batches");
    assert!(p.get().is_none());
}

#[test]
fn timeout_zero_and_replaced() {
    let p = Proactor::new();
    p.set_timeout(10_000);
    p.set_timeout(0); // replaces the long one, fires at once
    let mut seen = Vec::new();
    p.run(|e| {
        seen.push(e.name());
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(names(&seen), ["PN_PROACTOR_TIMEOUT", "PN_PROACTOR_INACTIVE"]);
}

#[test]
fn cancel_timeout_makes_inactive() {
    let p = Proactor::new();
    p.set_timeout(100);
    p.cancel_timeout();
    let mut seen = Vec::new();
    p.run(|e| {
        seen.push(e.name());
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(names(&seen), ["PN_PROACTOR_INACTIVE"]);
    // Cancelling when nothing is set does nothing.
    p.cancel_timeout();
    assert!(p.get().is_none());
}

#[test]
fn timeout_rearmed_in_handler_is_not_inactive() {
    let p = Proactor::new();
    p.set_timeout(1);
    let mut timeouts = 0;
    let mut seen = Vec::new();
    p.run(|e| {
        seen.push(e.name());
        if e.ty() == PN_PROACTOR_TIMEOUT {
            timeouts += 1;
            if timeouts < 3 {
                p.set_timeout(1);
            }
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(names(&seen), ["PN_PROACTOR_TIMEOUT", "PN_PROACTOR_TIMEOUT", "PN_PROACTOR_TIMEOUT", "PN_PROACTOR_INACTIVE"]);
}

#[test]
fn interrupts_coalesce_and_wake_a_waiting_thread() {
    let p = Proactor::new();
    p.interrupt();
    p.interrupt();
    let b = p.wait();
    let e = b.next().unwrap();
    assert_eq!(e.ty(), PN_PROACTOR_INTERRUPT);
    assert!(b.next().is_none());
    p.done(b);
    assert!(p.get().is_none(), "two close interrupts make one event");

    // A thread blocked in wait is woken by an interrupt from another.
    std::thread::scope(|s| {
        let h = s.spawn(|| {
            let b = p.wait();
            let t = b.next().unwrap().ty();
            p.done(b);
            t
        });
        std::thread::sleep(std::time::Duration::from_millis(50));
        p.interrupt();
        assert_eq!(h.join().unwrap(), PN_PROACTOR_INTERRUPT);
    });
}

#[test]
fn disconnect_with_nothing_is_inactive() {
    let p = Proactor::new();
    p.disconnect("x:y", "z");
    let b = p.wait();
    assert_eq!(b.next().unwrap().ty(), PN_PROACTOR_INACTIVE);
    p.done(b);
}

/// The events of one connection, with conditions where proton-c shows them.
fn conn_trace(e: &Ev, out: &mut Vec<String>) {
    out.push(e.name());
    if matches!(e.ty(), PN_TRANSPORT_ERROR | PN_TRANSPORT_CLOSED) {
        if let Some(c) = transport_cond(e.transport()) {
            out.push(format!("  {c}"));
        }
    }
}

fn free_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port().to_string()
}

#[test]
fn connect_refused() {
    let p = Proactor::new();
    let port = free_port();
    let c = new_connection("c");
    p.connect(c, &format!("127.0.0.1:{port}"));
    let mut ev = Vec::new();
    p.run(|e| {
        if e.ty() == PN_CONNECTION_INIT {
            open(e.connection());
        }
        if e.ty() != PN_PROACTOR_INACTIVE {
            assert_eq!(e.connection(), c);
            conn_trace(e, &mut ev);
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    let refused = format!("  proton:io: Connection refused - disconnected 127.0.0.1:{port}");
    assert_eq!(
        names(&ev),
        [
            "PN_CONNECTION_INIT",
            "PN_CONNECTION_LOCAL_OPEN",
            "PN_CONNECTION_BOUND",
            "PN_TRANSPORT_TAIL_CLOSED",
            "PN_TRANSPORT_ERROR",
            &refused,
            "PN_TRANSPORT_HEAD_CLOSED",
            "PN_TRANSPORT_CLOSED",
            &refused,
        ]
    );
}

#[test]
fn name_resolution_failure() {
    let p = Proactor::new();
    for (addr, text) in [
        ("nosuch.invalid:5672", "proton:io: Name or service not known - connect to  nosuch.invalid:5672"),
        ("localhost:nosuchservice", "proton:io: Servname not supported for ai_socktype - connect to  localhost:nosuchservice"),
    ] {
        p.connect(new_connection("c"), addr);
        let mut cond = None;
        p.run(|e| {
            if e.ty() == PN_TRANSPORT_CLOSED {
                cond = transport_cond(e.transport());
            }
            e.ty() != PN_PROACTOR_INACTIVE
        });
        assert_eq!(cond.as_deref(), Some(text));
    }
}

#[test]
fn listener_open_port_zero_and_in_use() {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let mut port = String::new();
    let mut l2 = ptr::null_mut();
    let mut ev = Vec::new();
    p.run(|e| {
        let who = if e.listener() == l { "l1" } else { "l2" };
        ev.push(format!("{who} {}", e.name()));
        match e.ty() {
            PN_LISTENER_OPEN => {
                port = listener_port(l);
                assert_ne!(port, "0");
                // SAFETY: a live listener.
                let na = unsafe { netaddr::pn_listener_addr(l) };
                assert_eq!(addr_str(na), format!("127.0.0.1:{port}"));
                // SAFETY: a live address.
                assert!(unsafe { netaddr::pn_netaddr_next(na) }.is_null());
                // SAFETY: a live address.
                assert_eq!(unsafe { netaddr::pn_netaddr_socklen(na) }, 16);
                l2 = p.listen(&format!("127.0.0.1:{port}"), 16);
            }
            PN_LISTENER_CLOSE if e.listener() == l2 => {
                ev.push(listener_cond(l2).unwrap());
                close_listener(l);
            }
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(
        names(&ev),
        [
            "l1 PN_LISTENER_OPEN",
            "l2 PN_LISTENER_CLOSE",
            &format!("proton:io: Address already in use - listen on 127.0.0.1:{port}"),
            "l1 PN_LISTENER_CLOSE",
            "l2 PN_PROACTOR_INACTIVE",
        ]
    );
}

#[test]
fn listener_on_every_interface_shares_one_port() {
    let p = Proactor::new();
    let l = p.listen(":0", 16);
    let mut addrs = Vec::new();
    p.run(|e| {
        if e.ty() == PN_LISTENER_OPEN {
            // SAFETY: a live listener and its addresses.
            let mut na = unsafe { netaddr::pn_listener_addr(l) };
            while !na.is_null() {
                addrs.push(addr_str(na));
                // SAFETY: as above.
                na = unsafe { netaddr::pn_netaddr_next(na) };
            }
            close_listener(l);
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert!(!addrs.is_empty());
    let ports: Vec<&str> = addrs.iter().map(|a| a.rsplit(':').next().unwrap()).collect();
    assert!(ports.iter().all(|p| *p == ports[0]), "{addrs:?}");
}

#[test]
fn listen_failures() {
    let p = Proactor::new();
    for (addr, text) in [
        ("nosuch.invalid:0", "proton:io: Name or service not known - listen on nosuch.invalid:0"),
        ("localhost:nosuchservice", "proton:io: Servname not supported for ai_socktype - listen on localhost:nosuchservice"),
    ] {
        let l = p.listen(addr, 16);
        let mut ev = Vec::new();
        p.run(|e| {
            ev.push(e.name());
            if e.ty() == PN_LISTENER_CLOSE {
                assert_eq!(e.listener(), l);
                ev.push(listener_cond(l).unwrap());
            }
            e.ty() != PN_PROACTOR_INACTIVE
        });
        assert_eq!(names(&ev), ["PN_LISTENER_CLOSE", text, "PN_PROACTOR_INACTIVE"]);
    }
}

/// proactor_events.c's roundtrip: a client and a server connection in one
/// proactor, a wake from another thread; the per-connection sequences of
/// proton-c.
#[test]
fn roundtrip_event_sequences() {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let client = new_connection("pe-client");
    let mut server = ptr::null_mut();
    let mut streams: HashMap<&str, Vec<String>> = HashMap::new();
    let mut port = String::new();
    let mut waker = None;
    let client_addr = client as usize;
    p.run(|e| {
        let c = e.connection();
        let stream = if !e.listener().is_null() {
            "listener"
        } else if c == client {
            "client"
        } else if !c.is_null() && c == server {
            "server"
        } else {
            "proactor"
        };
        if e.ty() != PN_TRANSPORT {
            streams.entry(stream).or_default().push(e.name());
        }
        match e.ty() {
            PN_LISTENER_OPEN => {
                port = listener_port(l);
                p.connect(client, &format!("127.0.0.1:{port}"));
            }
            PN_LISTENER_ACCEPT => {
                server = new_connection("pe-server");
                accept(l, server);
            }
            PN_CONNECTION_INIT if c == client => open(c),
            PN_CONNECTION_REMOTE_OPEN => {
                // SAFETY: a live transport.
                let (lp, rp) = unsafe {
                    (addr_port(netaddr::pn_transport_local_addr(e.transport())), addr_port(netaddr::pn_transport_remote_addr(e.transport())))
                };
                if c == server {
                    open(c);
                    assert_eq!(lp, port);
                } else {
                    assert_eq!(rp, port);
                    assert_eq!(e.proactor(), p.0);
                    waker = Some(std::thread::spawn(move || {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        wake(client_addr as *mut _);
                    }));
                }
            }
            PN_CONNECTION_WAKE => close(c),
            PN_CONNECTION_REMOTE_CLOSE => close(c),
            PN_TRANSPORT_CLOSED if c == server => close_listener(l),
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    waker.unwrap().join().unwrap();
    assert_eq!(names(&streams["listener"]), ["PN_LISTENER_OPEN", "PN_LISTENER_ACCEPT", "PN_LISTENER_CLOSE"]);
    assert_eq!(
        names(&streams["client"]),
        [
            "PN_CONNECTION_INIT",
            "PN_CONNECTION_LOCAL_OPEN",
            "PN_CONNECTION_BOUND",
            "PN_CONNECTION_REMOTE_OPEN",
            "PN_CONNECTION_WAKE",
            "PN_CONNECTION_LOCAL_CLOSE",
            "PN_TRANSPORT_HEAD_CLOSED",
            "PN_CONNECTION_REMOTE_CLOSE",
            "PN_TRANSPORT_TAIL_CLOSED",
            "PN_TRANSPORT_CLOSED",
        ]
    );
    assert_eq!(
        names(&streams["server"]),
        [
            "PN_CONNECTION_INIT",
            "PN_CONNECTION_BOUND",
            "PN_CONNECTION_REMOTE_OPEN",
            "PN_CONNECTION_LOCAL_OPEN",
            "PN_CONNECTION_REMOTE_CLOSE",
            "PN_TRANSPORT_TAIL_CLOSED",
            "PN_CONNECTION_LOCAL_CLOSE",
            "PN_TRANSPORT_HEAD_CLOSED",
            "PN_TRANSPORT_CLOSED",
        ]
    );
    assert_eq!(names(&streams["proactor"]), ["PN_PROACTOR_INACTIVE"]);
    assert!(p.get().is_none());
}

#[test]
fn disconnect_closes_everything_with_the_condition() {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let client = new_connection("c");
    let mut conds = Vec::new();
    let mut lcond = None;
    p.run(|e| {
        match e.ty() {
            PN_LISTENER_OPEN => p.connect(client, &format!("127.0.0.1:{}", listener_port(l))),
            PN_LISTENER_ACCEPT => accept(l, new_connection("s")),
            PN_CONNECTION_INIT => open(e.connection()),
            PN_CONNECTION_REMOTE_OPEN if e.connection() == client => p.disconnect("test:disconnect", "proactor disconnected"),
            PN_TRANSPORT_CLOSED => conds.push(transport_cond(e.transport()).unwrap_or_default()),
            PN_LISTENER_CLOSE => lcond = listener_cond(l),
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(lcond.as_deref(), Some("test:disconnect: proactor disconnected"));
    assert_eq!(conds.len(), 2);
    for c in conds {
        assert!(c.starts_with("test:disconnect: proactor disconnected"), "{c}");
    }
}

#[test]
fn release_connection_stops_its_events() {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let client = new_connection("c");
    let mut after_release = 0;
    let mut released = false;
    let mut server_closed = false;
    p.run(|e| {
        let c = e.connection();
        if released && c == client {
            after_release += 1;
        }
        match e.ty() {
            PN_LISTENER_OPEN => p.connect(client, &format!("127.0.0.1:{}", listener_port(l))),
            PN_LISTENER_ACCEPT => accept(l, new_connection("s")),
            PN_CONNECTION_INIT if c == client => open(c),
            PN_CONNECTION_REMOTE_OPEN if c == client => {
                // SAFETY: a live connection of this batch.
                unsafe { pa::pn_proactor_release_connection(c) };
                released = true;
                // SAFETY: as above.
                assert!(unsafe { pa::pn_connection_proactor(c) }.is_null());
            }
            PN_CONNECTION_REMOTE_OPEN => open(c),
            PN_TRANSPORT_CLOSED if c != client => {
                server_closed = true;
                close_listener(l);
            }
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert!(released && server_closed);
    assert_eq!(after_release, 0);
    // The application owns the connection now.
    // SAFETY: released, not freed by the proactor.
    unsafe { proton::ffi::connection::pn_connection_free(client) };
}


// ---------------------------------------------------------------------------
// Raw connections

use proton::ffi::raw_connection::{self as rc, pn_raw_buffer_t};
use proton::ffi::types::pn_raw_connection_t;

fn raw_state(r: *mut pn_raw_connection_t) -> String {
    // SAFETY: a live raw connection.
    unsafe {
        format!(
            "rc={} wc={} rclosed={} wclosed={}",
            rc::pn_raw_connection_read_buffers_capacity(r),
            rc::pn_raw_connection_write_buffers_capacity(r),
            rc::pn_raw_connection_is_read_closed(r) as i32,
            rc::pn_raw_connection_is_write_closed(r) as i32
        )
    }
}

/// The scenario of a C probe run against proton-c 0.37: a raw client
/// writes "hello" to a raw server, which reads into two buffers; `mode`
/// says who closes what. Returns the client's and the server's lines.
fn raw_scenario(mode: &str) -> (Vec<String>, Vec<String>) {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let mut bufs = [[0u8; 64]; 2];
    let mut hello = *b"hello\0";
    let cli = rc::pn_raw_connection();
    let mut srv: *mut pn_raw_connection_t = ptr::null_mut();
    let (mut c_lines, mut s_lines) = (Vec::new(), Vec::new());
    p.set_timeout(500);
    p.run(|e| {
        let r = e.raw();
        let lines = if r == cli { &mut c_lines } else { &mut s_lines };
        if !r.is_null() {
            lines.push(format!("{} {}", e.name(), raw_state(r)));
        }
        // SAFETY: live objects of this batch; the buffers outlive the run.
        unsafe {
            match e.ty() {
                PN_LISTENER_OPEN => {
                    let port = if mode == "refused" { free_port() } else { listener_port(l) };
                    p.raw_connect(cli, &format!("127.0.0.1:{port}"));
                    if mode == "refused" {
                        close_listener(l);
                    }
                }
                PN_LISTENER_ACCEPT => {
                    srv = rc::pn_raw_connection();
                    proton::ffi::listener::pn_listener_raw_accept(l, srv);
                    close_listener(l);
                }
                PN_RAW_CONNECTION_CONNECTED if r == cli => {
                    let wb = pn_raw_buffer_t { context: 0, bytes: hello.as_mut_ptr().cast(), capacity: 6, size: 5, offset: 0 };
                    lines.push(format!("  gave write {}", rc::pn_raw_connection_write_buffers(r, &wb, 1)));
                    match mode {
                        "wclose" => rc::pn_raw_connection_write_close(r),
                        "close" => rc::pn_raw_connection_close(r),
                        _ => {}
                    }
                }
                PN_RAW_CONNECTION_CONNECTED => {
                    let rb = [
                        pn_raw_buffer_t { context: 1, bytes: bufs[0].as_mut_ptr().cast(), capacity: 64, size: 0, offset: 0 },
                        pn_raw_buffer_t { context: 2, bytes: bufs[1].as_mut_ptr().cast(), capacity: 64, size: 0, offset: 0 },
                    ];
                    lines.push(format!("  gave read {}", rc::pn_raw_connection_give_read_buffers(r, rb.as_ptr(), 2)));
                }
                PN_RAW_CONNECTION_READ => {
                    let mut out = [pn_raw_buffer_t { context: 0, bytes: ptr::null_mut(), capacity: 0, size: 0, offset: 0 }; 4];
                    let n = rc::pn_raw_connection_take_read_buffers(r, out.as_mut_ptr(), 4);
                    for b in &out[..n] {
                        let data = std::slice::from_raw_parts(b.bytes.cast::<u8>().add(b.offset as usize), b.size as usize);
                        lines.push(format!("  read ctx={} size={} '{}'", b.context, b.size, String::from_utf8_lossy(data)));
                    }
                    if r == srv && mode == "echo" {
                        rc::pn_raw_connection_close(r);
                    }
                }
                PN_RAW_CONNECTION_WRITTEN => {
                    let mut out = [pn_raw_buffer_t { context: 9, bytes: ptr::null_mut(), capacity: 0, size: 0, offset: 0 }; 4];
                    let n = rc::pn_raw_connection_take_written_buffers(r, out.as_mut_ptr(), 4);
                    for b in &out[..n] {
                        lines.push(format!("  written ctx={} size={}", b.context, b.size));
                    }
                }
                PN_RAW_CONNECTION_DISCONNECTED => {
                    if let Some(c) = raw_cond(r) {
                        lines.push(format!("  cond {c}"));
                    }
                }
                _ => {}
            }
        }
        !matches!(e.ty(), PN_PROACTOR_TIMEOUT | PN_PROACTOR_INACTIVE)
    });
    (c_lines, s_lines)
}

const S: &str = "rc=16 wc=16 rclosed=0 wclosed=0";

#[test]
fn raw_server_closes_after_reading() {
    let (c, s) = raw_scenario("echo");
    assert_eq!(
        names(&c),
        [
            &format!("PN_RAW_CONNECTION_CONNECTED {S}"),
            "  gave write 1",
            "PN_RAW_CONNECTION_NEED_READ_BUFFERS rc=16 wc=15 rclosed=0 wclosed=0",
            "PN_RAW_CONNECTION_WRITTEN rc=16 wc=15 rclosed=0 wclosed=0",
            "  written ctx=0 size=5",
            "PN_RAW_CONNECTION_NEED_WRITE_BUFFERS rc=16 wc=16 rclosed=0 wclosed=0",
        ]
    );
    let closed = "rc=0 wc=0 rclosed=1 wclosed=1";
    assert_eq!(
        names(&s),
        [
            &format!("PN_RAW_CONNECTION_CONNECTED {S}"),
            "  gave read 2",
            "PN_RAW_CONNECTION_NEED_WRITE_BUFFERS rc=14 wc=16 rclosed=0 wclosed=0",
            "PN_RAW_CONNECTION_READ rc=14 wc=16 rclosed=0 wclosed=0",
            "  read ctx=1 size=5 'hello'",
            &format!("PN_RAW_CONNECTION_CLOSED_READ {closed}"),
            &format!("PN_RAW_CONNECTION_CLOSED_WRITE {closed}"),
            &format!("PN_RAW_CONNECTION_DRAIN_BUFFERS {closed}"),
            &format!("PN_RAW_CONNECTION_READ {closed}"),
            "  read ctx=2 size=0 ''",
            &format!("PN_RAW_CONNECTION_DISCONNECTED {closed}"),
        ]
    );
}

#[test]
fn raw_client_write_close() {
    let (c, s) = raw_scenario("wclose");
    let wc = "rc=16 wc=0 rclosed=0 wclosed=1";
    assert_eq!(
        names(&c),
        [
            &format!("PN_RAW_CONNECTION_CONNECTED {S}"),
            "  gave write 1",
            &format!("PN_RAW_CONNECTION_CLOSED_WRITE {wc}"),
            &format!("PN_RAW_CONNECTION_NEED_READ_BUFFERS {wc}"),
            &format!("PN_RAW_CONNECTION_WRITTEN {wc}"),
            "  written ctx=0 size=5",
        ]
    );
    let rcl = "rc=0 wc=16 rclosed=1 wclosed=0";
    assert_eq!(
        names(&s),
        [
            &format!("PN_RAW_CONNECTION_CONNECTED {S}"),
            "  gave read 2",
            "PN_RAW_CONNECTION_NEED_WRITE_BUFFERS rc=14 wc=16 rclosed=0 wclosed=0",
            &format!("PN_RAW_CONNECTION_READ {rcl}"),
            "  read ctx=1 size=5 'hello'",
            "  read ctx=2 size=0 ''",
            &format!("PN_RAW_CONNECTION_CLOSED_READ {rcl}"),
        ]
    );
}

#[test]
fn raw_client_close_flushes_first() {
    let (c, _) = raw_scenario("close");
    let closed = "rc=0 wc=0 rclosed=1 wclosed=1";
    assert_eq!(
        names(&c),
        [
            &format!("PN_RAW_CONNECTION_CONNECTED {S}"),
            "  gave write 1",
            &format!("PN_RAW_CONNECTION_CLOSED_READ {closed}"),
            &format!("PN_RAW_CONNECTION_CLOSED_WRITE {closed}"),
            &format!("PN_RAW_CONNECTION_WRITTEN {closed}"),
            "  written ctx=0 size=5",
            &format!("PN_RAW_CONNECTION_DISCONNECTED {closed}"),
        ]
    );
}

#[test]
fn raw_connect_refused() {
    let (c, s) = raw_scenario("refused");
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0], "PN_RAW_CONNECTION_DISCONNECTED rc=0 wc=0 rclosed=1 wclosed=1");
    assert!(c[1].starts_with("  cond proton:io: Connection refused - on connect 127.0.0.1:"), "{c:?}");
    assert!(s.is_empty());
}

/// Heartbeats are driven by the proactor's timers: a client with a 100 ms
/// idle timeout stays up for longer than that with an otherwise silent
/// peer, because the peer's proactor ticks its transport and sends empty
/// frames in time.
#[test]
fn heartbeats_keep_an_idle_connection_alive() {
    use proton::ffi::transport as tr;
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let client = new_connection("c");
    let mut errors = Vec::new();
    let mut frames = 0;
    let mut t_open = None;
    p.run(|e| {
        match e.ty() {
            PN_LISTENER_OPEN => {
                let t = tr::pn_transport();
                // SAFETY: a new transport, given to the proactor below.
                unsafe { tr::pn_transport_set_idle_timeout(t, 100) };
                let a = std::ffi::CString::new(format!("127.0.0.1:{}", listener_port(l))).unwrap();
                // SAFETY: live objects.
                unsafe { pa::pn_proactor_connect2(p.0, client, t, a.as_ptr()) };
            }
            PN_LISTENER_ACCEPT => {
                accept(l, new_connection("s"));
                close_listener(l);
            }
            PN_CONNECTION_INIT if e.connection() == client => open(client),
            PN_CONNECTION_REMOTE_OPEN if e.connection() == client => {
                t_open = Some(std::time::Instant::now());
                p.set_timeout(700);
            }
            PN_CONNECTION_REMOTE_OPEN => open(e.connection()),
            PN_PROACTOR_TIMEOUT => {
                // SAFETY: the client's live transport.
                frames = unsafe { tr::pn_transport_get_frames_input(proton::ffi::connection::pn_connection_transport(client)) };
                close(client);
            }
            PN_CONNECTION_REMOTE_CLOSE => close(e.connection()),
            PN_TRANSPORT_ERROR => errors.push(transport_cond(e.transport())),
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert!(t_open.unwrap().elapsed() >= std::time::Duration::from_millis(700));
    assert!(errors.is_empty(), "{errors:?}");
    // The open frame and at least one empty frame per 100 ms.
    assert!(frames >= 6, "only {frames} frames came in 700 ms");
}

/// Freeing a proactor with a listener, open connections and raw
/// connections frees them all (no crash, no leak under a leak checker).
#[test]
fn free_with_everything_open() {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let mut opened = 0;
    p.set_timeout(5000);
    p.run(|e| {
        match e.ty() {
            PN_LISTENER_OPEN => {
                let port = listener_port(l);
                p.connect(new_connection("c"), &format!("127.0.0.1:{port}"));
                p.raw_connect(rc::pn_raw_connection(), &format!("127.0.0.1:{port}"));
            }
            PN_LISTENER_ACCEPT => {
                if opened == 0 {
                    accept(l, new_connection("s"));
                } else {
                    // SAFETY: a live listener handling its accept.
                    unsafe { proton::ffi::listener::pn_listener_raw_accept(l, rc::pn_raw_connection()) };
                }
            }
            PN_CONNECTION_INIT => open(e.connection()),
            PN_CONNECTION_REMOTE_OPEN => {
                open(e.connection());
                opened += 1;
            }
            _ => {}
        }
        opened < 2 && e.ty() != PN_PROACTOR_TIMEOUT
    });
    assert_eq!(opened, 2);
    drop(p);
}

/// IPv6: "::1:port" as proton-c writes it, and "[::1]:port" (which
/// proton-c hands to the resolver as it is, and fails).
#[test]
fn ipv6_addresses() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("no IPv6 loopback here: skipped");
        return;
    }
    let p = Proactor::new();
    let l = p.listen("::1:0", 16);
    let mut port = String::new();
    let mut remote = Vec::new();
    let mut closed = 0;
    p.run(|e| {
        match e.ty() {
            PN_LISTENER_OPEN => {
                // SAFETY: a live listener.
                let na = unsafe { netaddr::pn_listener_addr(l) };
                port = listener_port(l);
                assert_eq!(addr_str(na), format!("::1:{port}"));
                p.connect(new_connection("a"), &format!("::1:{port}"));
                p.connect(new_connection("b"), &format!("[::1]:{port}"));
            }
            PN_LISTENER_ACCEPT => accept(l, new_connection("s")),
            PN_CONNECTION_INIT => open(e.connection()),
            PN_CONNECTION_REMOTE_OPEN => {
                // SAFETY: a live transport.
                let na = unsafe { netaddr::pn_transport_remote_addr(e.transport()) };
                remote.push(addr_str(na));
                close(e.connection());
            }
            PN_CONNECTION_REMOTE_CLOSE => close(e.connection()),
            PN_TRANSPORT_CLOSED => {
                closed += 1;
                if closed == 4 {
                    close_listener(l);
                }
            }
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    assert_eq!(remote.len(), 4);
    assert!(remote.iter().all(|a| a.starts_with("::1:")), "{remote:?}");
    assert_eq!(remote.iter().filter(|a| **a == format!("::1:{port}")).count(), 2);
}

/// A server sending one message for each `PN_LINK_FLOW` (as Debian's C
/// broker does) to a client that granted `credit`; returns, for each
/// message, the server batch it was sent in, and the messages the client
/// received (tag, size) in order.
fn one_message_per_link_flow(credit: i32, size: usize) -> (Vec<usize>, Vec<(u64, usize)>) {
    use proton::ffi::{delivery, event, link, session};
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    let client = new_connection("flow-client");
    let mut server = ptr::null_mut();
    let mut sent_in = Vec::new();
    let mut received = Vec::new();
    let mut buf = vec![0u8; size];
    let body = vec![7u8; size];
    let mut batch = 0;
    let mut finished = false;
    while !finished {
        let b = p.wait();
        batch += 1;
        while let Some(e) = b.next() {
            let c = e.connection();
            // SAFETY: live objects of this event, handled in its batch.
            unsafe {
                match e.ty() {
                    PN_LISTENER_OPEN => p.connect(client, &format!("127.0.0.1:{}", listener_port(l))),
                    PN_LISTENER_ACCEPT => {
                        server = new_connection("flow-server");
                        accept(l, server);
                    }
                    PN_CONNECTION_INIT if c == client => {
                        open(c);
                        let s = session::pn_session(c);
                        session::pn_session_open(s);
                        let r = link::pn_receiver(s, c"r".as_ptr());
                        link::pn_link_open(r);
                        link::pn_link_flow(r, credit);
                    }
                    PN_CONNECTION_REMOTE_OPEN if c == server => open(c),
                    PN_SESSION_REMOTE_OPEN if c == server => session::pn_session_open(event::pn_event_session(e.0)),
                    PN_LINK_REMOTE_OPEN if c == server => link::pn_link_open(event::pn_event_link(e.0)),
                    PN_LINK_FLOW if c == server => {
                        let s = event::pn_event_link(e.0);
                        if link::pn_link_credit(s) > 0 && sent_in.len() < credit as usize {
                            let tag = (sent_in.len() as u64 + 1).to_le_bytes();
                            let d = delivery::pn_delivery(s, delivery::pn_dtag(tag.as_ptr().cast(), tag.len()));
                            link::pn_link_send(s, body.as_ptr().cast(), size);
                            link::pn_link_advance(s);
                            delivery::pn_delivery_settle(d);
                            sent_in.push(batch);
                        }
                    }
                    PN_DELIVERY if c == client => {
                        let d = event::pn_event_delivery(e.0);
                        if delivery::pn_delivery_readable(d) && !delivery::pn_delivery_partial(d) {
                            let r = event::pn_event_link(e.0);
                            let n = link::pn_link_recv(r, buf.as_mut_ptr().cast(), size);
                            let t = delivery::pn_delivery_tag(d);
                            let tag = u64::from_le_bytes(std::slice::from_raw_parts(t.start.cast::<u8>(), t.size).try_into().unwrap());
                            received.push((tag, n as usize));
                            delivery::pn_delivery_settle(d);
                            if received.len() == credit as usize {
                                close(c);
                            }
                        }
                    }
                    PN_CONNECTION_REMOTE_CLOSE => close(c),
                    PN_TRANSPORT_CLOSED if c == server => close_listener(l),
                    PN_PROACTOR_INACTIVE => finished = true,
                    _ => {}
                }
            }
        }
        p.done(b);
    }
    (sent_in, received)
}

#[test]
fn link_flow_from_encoding_comes_in_the_same_batch() {
    // Each transfer the transport encodes brings a PN_LINK_FLOW, and the
    // server answers it with the next message: all of them in the batch
    // that saw the client's credit, so they go out together. proton-c also
    // sends all 20 in one batch (tests/c/proactor.c flow_batches compares
    // the two).
    let (sent_in, received) = one_message_per_link_flow(20, 100);
    assert_eq!(sent_in.len(), 20);
    assert!(sent_in.iter().all(|b| *b == sent_in[0]), "messages sent in batches {sent_in:?}");
    assert_eq!(received, (1..=20).map(|t| (t, 100)).collect::<Vec<_>>());
}

#[test]
fn a_batch_ends_once_64_kib_wait_to_be_written() {
    // 40 KiB messages: the second one brings the pending output past 64 KiB,
    // so the batch ends there and the rest follow in later batches. (Our
    // own limit: proton-c writes before each of these events and sends
    // all 6 in one batch, measured.)
    let (sent_in, received) = one_message_per_link_flow(6, 40 * 1024);
    assert_eq!(sent_in.len(), 6);
    let per_batch = |b: usize| sent_in.iter().filter(|x| **x == b).count();
    assert!(sent_in.iter().all(|b| per_batch(*b) <= 2), "messages sent in batches {sent_in:?}");
    assert_eq!(received, (1..=6).map(|t| (t, 40 * 1024)).collect::<Vec<_>>());
}

/// What a client that opens writes: the AMQP header and an open frame
/// (encoded by a sans-I/O transport).
fn open_bytes() -> Vec<u8> {
    use proton::ffi::{connection, transport as t};
    let c = new_connection("hasty-client");
    // SAFETY: a new connection and transport, freed here.
    unsafe {
        let tr = t::pn_transport();
        t::pn_transport_bind(tr, c);
        open(c);
        let mut out = Vec::new();
        loop {
            let n = t::pn_transport_pending(tr);
            if n <= 0 {
                break;
            }
            out.extend_from_slice(std::slice::from_raw_parts(t::pn_transport_head(tr).cast::<u8>(), n as usize));
            t::pn_transport_pop(tr, n as usize);
        }
        t::pn_transport_free(tr);
        connection::pn_connection_free(c);
        out
    }
}

/// A raw TCP client sends `first`, pauses, then sends `rest` and its end
/// of stream together; the events the proactor's server connection saw.
fn server_sees(first: &[u8], rest: &[u8]) -> Vec<String> {
    let p = Proactor::new();
    let l = p.listen("127.0.0.1:0", 16);
    p.set_timeout(10_000);
    let (first, rest) = (first.to_vec(), rest.to_vec());
    let mut seen = Vec::new();
    let mut client = None;
    let mut server = ptr::null_mut();
    p.run(|e| {
        match e.ty() {
            PN_LISTENER_OPEN => {
                let port = listener_port(l);
                let (first, rest) = (first.clone(), rest.clone());
                client = Some(std::thread::spawn(move || {
                    use std::io::{Read, Write};
                    let mut s = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
                    s.write_all(&first).unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    s.write_all(&rest).unwrap();
                    s.shutdown(std::net::Shutdown::Write).unwrap();
                    let mut sink = Vec::new();
                    let _ = s.read_to_end(&mut sink);
                }));
            }
            PN_LISTENER_ACCEPT => {
                server = new_connection("server");
                accept(l, server);
            }
            PN_PROACTOR_TIMEOUT => panic!("the server never saw the client's end; it saw {seen:?}"),
            PN_TRANSPORT => {}
            _ if !e.connection().is_null() => {
                seen.push(e.name());
                match e.ty() {
                    PN_CONNECTION_REMOTE_OPEN => open(server),
                    PN_CONNECTION_REMOTE_CLOSE => close(server),
                    PN_TRANSPORT_CLOSED => {
                        p.cancel_timeout();
                        close_listener(l);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        e.ty() != PN_PROACTOR_INACTIVE
    });
    client.unwrap().join().unwrap();
    seen
}

#[test]
fn a_peer_end_right_after_its_last_bytes_is_seen() {
    // The client opens and goes away without a close. Its end of stream
    // comes with its open frame, or after the header alone made a short
    // read that left the socket drained: either way the end is seen (no
    // hang), and after the server has answered the open. The sequence is
    // proton-c's (tests/c/proactor.c hasty_* runs it on both libraries).
    let bytes = open_bytes();
    let expected = [
        "PN_CONNECTION_INIT",
        "PN_CONNECTION_BOUND",
        "PN_CONNECTION_REMOTE_OPEN",
        "PN_CONNECTION_LOCAL_OPEN",
        "PN_TRANSPORT_TAIL_CLOSED",
        "PN_TRANSPORT_ERROR",
        "PN_TRANSPORT_HEAD_CLOSED",
        "PN_TRANSPORT_CLOSED",
    ];
    assert_eq!(names(&server_sees(&bytes[..8], &bytes[8..])), expected, "header first");
    assert_eq!(names(&server_sees(&[], &bytes)), expected, "all at once");
}
