//! The proactor under threads: many threads in `pn_proactor_wait`, wakes
//! and timeouts from other threads, and a listener holding thousands of
//! connections. A watchdog aborts the process if anything hangs.

#[path = "proactor/support.rs"]
mod psupport;

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proton::ffi::connection::{pn_connection_get_context, pn_connection_set_context};
use proton::ffi::types::pn_connection_t;
use psupport::*;

fn watchdog(secs: u64, what: &'static str) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    std::thread::spawn(move || {
        let t0 = Instant::now();
        while !d.load(SeqCst) {
            if t0.elapsed() > Duration::from_secs(secs) {
                eprintln!("{what}: no progress for {secs}s, aborting");
                std::process::abort();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    done
}

/// What a test knows about one connection.
#[derive(Default)]
struct ConnState {
    client: bool,
    /// A batch of this connection is being handled.
    busy: AtomicBool,
    events: Mutex<Vec<String>>,
    wakes_seen: AtomicUsize,
    close_asked: AtomicBool,
}

fn state<'a>(c: *mut pn_connection_t) -> Option<&'a ConnState> {
    // SAFETY: the context is a ConnState the test keeps alive, or NULL.
    unsafe { pn_connection_get_context(c).cast::<ConnState>().as_ref() }
}

#[derive(Clone, Copy)]
struct C(usize);

/// Worker loop: handle batches until the proactor is inactive; checks that
/// a batch is about one connection and that no other thread handles that
/// connection meanwhile.
fn worker(p: &Proactor, handle: &(dyn Fn(&Ev) + Sync), stop: &AtomicBool, violations: &AtomicUsize) {
    loop {
        let b = p.wait();
        let mut owned: Option<&ConnState> = None;
        let mut exit = false;
        while let Some(e) = b.next() {
            let c = e.connection();
            if let Some(st) = (!c.is_null()).then(|| state(c)).flatten() {
                match owned {
                    None => {
                        if st.busy.compare_exchange(false, true, SeqCst, SeqCst).is_err() {
                            violations.fetch_add(1, SeqCst);
                        }
                        owned = Some(st);
                    }
                    Some(o) if !std::ptr::eq(o, st) => {
                        violations.fetch_add(1, SeqCst);
                    }
                    _ => {}
                }
                let mut ev = st.events.lock().unwrap();
                if ev.last().is_some_and(|l| l == "PN_TRANSPORT_CLOSED") {
                    violations.fetch_add(1, SeqCst);
                }
                ev.push(e.name());
            }
            match e.ty() {
                PN_PROACTOR_INACTIVE => {
                    stop.store(true, SeqCst);
                    p.interrupt();
                    exit = true;
                }
                PN_PROACTOR_INTERRUPT if stop.load(SeqCst) => {
                    p.interrupt();
                    exit = true;
                }
                _ => handle(&e),
            }
        }
        if let Some(st) = owned {
            st.busy.store(false, SeqCst);
        }
        p.done(b);
        if exit {
            return;
        }
    }
}

#[test]
fn threads_wakes_and_timeouts() {
    const THREADS: usize = 4;
    const CONNS: usize = 40;
    const WAKES: usize = 300;
    const TIMEOUTS: usize = 100;
    let dog = watchdog(120, "threads_wakes_and_timeouts");
    let p = Proactor::new();
    let stop = AtomicBool::new(false);
    let violations = AtomicUsize::new(0);
    let timeouts = AtomicUsize::new(0);
    let opened = AtomicUsize::new(0);
    let states: Mutex<Vec<Box<ConnState>>> = Mutex::new(Vec::new());
    let clients: Mutex<Vec<C>> = Mutex::new(Vec::new());
    let l = C(p.listen("127.0.0.1:0", 128) as usize);
    let port = Mutex::new(String::new());
    let new_state = |client: bool| -> *mut c_void {
        let b = Box::new(ConnState { client, ..ConnState::default() });
        let ptr = &*b as *const ConnState as *mut c_void;
        states.lock().unwrap().push(b);
        ptr
    };

    let handle = |e: &Ev| {
        let c = e.connection();
        match e.ty() {
            PN_LISTENER_OPEN => *port.lock().unwrap() = listener_port(e.listener()),
            PN_LISTENER_ACCEPT => {
                let s = new_connection("server");
                // SAFETY: a new connection.
                unsafe { pn_connection_set_context(s, new_state(false)) };
                accept(e.listener(), s);
            }
            PN_CONNECTION_INIT if state(c).is_some_and(|s| s.client) => open(c),
            PN_CONNECTION_REMOTE_OPEN => {
                if state(c).is_some_and(|s| !s.client) {
                    open(c);
                } else {
                    opened.fetch_add(1, SeqCst);
                }
            }
            PN_CONNECTION_WAKE => {
                let st = state(c).unwrap();
                st.wakes_seen.fetch_add(1, SeqCst);
                if st.close_asked.load(SeqCst) {
                    close(c);
                }
            }
            PN_CONNECTION_REMOTE_CLOSE => close(c),
            PN_PROACTOR_TIMEOUT => {
                timeouts.fetch_add(1, SeqCst);
            }
            _ => {}
        }
    };

    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| worker(&p, &handle, &stop, &violations));
        }
        while port.lock().unwrap().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let addr = format!("127.0.0.1:{}", port.lock().unwrap());
        for _ in 0..CONNS {
            let c = new_connection("client");
            // SAFETY: a new connection.
            unsafe { pn_connection_set_context(c, new_state(true)) };
            clients.lock().unwrap().push(C(c as usize));
            p.connect(c, &addr);
        }
        while opened.load(SeqCst) < CONNS {
            std::thread::sleep(Duration::from_millis(1));
        }
        // Wakes from two threads, timeouts from a third, all at once.
        let cs: Vec<C> = clients.lock().unwrap().clone();
        let wakers: Vec<_> = (0..2)
            .map(|_| {
                let cs = cs.clone();
                s.spawn(move || {
                    for i in 0..WAKES {
                        wake(cs[i % cs.len()].0 as *mut pn_connection_t);
                        if i % 50 == 0 {
                            std::thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        let timer = s.spawn(|| {
            for i in 0..TIMEOUTS {
                p.set_timeout(1);
                let t0 = Instant::now();
                while timeouts.load(SeqCst) < i + 1 {
                    assert!(t0.elapsed() < Duration::from_secs(10), "timeout {i} never fired");
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
            // A cancelled timeout never fires.
            p.set_timeout(50);
            p.cancel_timeout();
        });
        for w in wakers {
            w.join().unwrap();
        }
        timer.join().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(timeouts.load(SeqCst), TIMEOUTS, "each timeout fires exactly once");
        // The last wake of each connection must arrive: it closes it.
        for c in &cs {
            let st = state(c.0 as *mut _).unwrap();
            st.close_asked.store(true, SeqCst);
            wake(c.0 as *mut _);
        }
        // Once every connection is gone, the listener goes and the proactor
        // becomes inactive, which stops the workers.
        let t0 = Instant::now();
        while states.lock().unwrap().iter().any(|s| s.events.lock().unwrap().last().is_none_or(|l| l != "PN_TRANSPORT_CLOSED")) {
            assert!(t0.elapsed() < Duration::from_secs(30), "connections did not all close");
            std::thread::sleep(Duration::from_millis(5));
        }
        close_listener(l.0 as *mut _);
    });
    dog.store(true, SeqCst);
    assert_eq!(violations.load(SeqCst), 0, "a connection's events were handled concurrently or after PN_TRANSPORT_CLOSED");
    let states = states.into_inner().unwrap();
    assert_eq!(states.len(), 2 * CONNS);
    let mut total_wakes = 0;
    for st in &states {
        let ev = st.events.lock().unwrap();
        assert_eq!(ev.first().map(String::as_str), Some("PN_CONNECTION_INIT"));
        assert_eq!(ev.last().map(String::as_str), Some("PN_TRANSPORT_CLOSED"));
        if st.client {
            assert!(st.wakes_seen.load(SeqCst) >= 1);
            total_wakes += st.wakes_seen.load(SeqCst);
        } else {
            assert_eq!(st.wakes_seen.load(SeqCst), 0);
        }
    }
    assert!(total_wakes <= 2 * WAKES + CONNS, "more wakes than asked for");
}

fn rss_kib() -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn listener_holds_thousands_of_connections() {
    let limit = proton::proactor::sys::raise_fd_limit();
    // Two sockets per connection (both ends are here), plus some slack.
    let conns: usize = 2000.min((limit.saturating_sub(100) / 2) as usize);
    if conns < 500 {
        eprintln!("file descriptor limit {limit} too low for this test: skipped");
        return;
    }
    let dog = watchdog(120, "listener_holds_thousands_of_connections");
    let p = Proactor::new();
    let stop = AtomicBool::new(false);
    let violations = AtomicUsize::new(0);
    let l = C(p.listen("127.0.0.1:0", 1024) as usize);
    let port = Mutex::new(String::new());
    let (accepted, opened, closed) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let clients: Mutex<Vec<C>> = Mutex::new(Vec::new());
    let states: Mutex<Vec<Box<ConnState>>> = Mutex::new(Vec::new());
    let new_state = |client: bool| -> *mut c_void {
        let b = Box::new(ConnState { client, ..ConnState::default() });
        let ptr = &*b as *const ConnState as *mut c_void;
        states.lock().unwrap().push(b);
        ptr
    };
    let handle = |e: &Ev| {
        let c = e.connection();
        match e.ty() {
            PN_LISTENER_OPEN => *port.lock().unwrap() = listener_port(e.listener()),
            PN_LISTENER_ACCEPT => {
                accepted.fetch_add(1, SeqCst);
                let s = new_connection("server");
                // SAFETY: a new connection.
                unsafe { pn_connection_set_context(s, new_state(false)) };
                accept(e.listener(), s);
            }
            PN_CONNECTION_INIT if state(c).is_some_and(|s| s.client) => open(c),
            PN_CONNECTION_REMOTE_OPEN => {
                if state(c).is_some_and(|s| !s.client) {
                    open(c);
                } else {
                    opened.fetch_add(1, SeqCst);
                }
            }
            PN_CONNECTION_WAKE => close(c),
            PN_CONNECTION_REMOTE_CLOSE => close(c),
            PN_TRANSPORT_CLOSED => {
                if opened.load(SeqCst) < conns {
                    panic!("a connection closed early: {:?}", transport_cond(e.transport()));
                }
                if closed.fetch_add(1, SeqCst) + 1 == 2 * conns {
                    close_listener(l.0 as *mut _);
                }
            }
            _ => {}
        }
    };
    let rss0 = rss_kib();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| worker(&p, &handle, &stop, &violations));
        }
        while port.lock().unwrap().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let addr = format!("127.0.0.1:{}", port.lock().unwrap());
        for i in 0..conns {
            let c = new_connection("client");
            // SAFETY: a new connection.
            unsafe { pn_connection_set_context(c, new_state(true)) };
            clients.lock().unwrap().push(C(c as usize));
            p.connect(c, &addr);
            if i % 200 == 199 {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let t0 = Instant::now();
        while opened.load(SeqCst) < conns {
            assert!(t0.elapsed() < Duration::from_secs(20), "only {} of {conns} opened ({} accepted)", opened.load(SeqCst), accepted.load(SeqCst));
            std::thread::sleep(Duration::from_millis(5));
        }
        let rss1 = rss_kib();
        eprintln!(
            "{conns} open AMQP connections (both ends in this process): RSS {} KiB -> {} KiB, {:.1} KiB per end",
            rss0,
            rss1,
            (rss1.saturating_sub(rss0)) as f64 / (2 * conns) as f64
        );
        for c in clients.lock().unwrap().iter() {
            wake(c.0 as *mut _);
        }
    });
    dog.store(true, SeqCst);
    assert_eq!(accepted.load(SeqCst), conns);
    assert_eq!(closed.load(SeqCst), 2 * conns);
    assert_eq!(violations.load(SeqCst), 0);
}

/// While one thread is stuck in a long batch, another thread in
/// `pn_proactor_wait` still handles the other connections' I/O.
#[test]
fn a_long_batch_does_not_stall_other_connections() {
    let dog = watchdog(60, "a_long_batch_does_not_stall_other_connections");
    let p = Proactor::new();
    let l = C(p.listen("127.0.0.1:0", 16) as usize);
    let port = Mutex::new(String::new());
    let stuck_since: Mutex<Option<Instant>> = Mutex::new(None);
    let opened_at: Mutex<Option<Instant>> = Mutex::new(None);
    let stuck_until: Mutex<Option<Instant>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let violations = AtomicUsize::new(0);
    let handle = |e: &Ev| match e.ty() {
        PN_LISTENER_OPEN => *port.lock().unwrap() = listener_port(e.listener()),
        PN_LISTENER_ACCEPT => accept(e.listener(), new_connection("s")),
        PN_PROACTOR_TIMEOUT => {
            *stuck_since.lock().unwrap() = Some(Instant::now());
            std::thread::sleep(Duration::from_millis(800));
            *stuck_until.lock().unwrap() = Some(Instant::now());
        }
        PN_CONNECTION_INIT => open(e.connection()),
        PN_CONNECTION_REMOTE_OPEN => {
            if opened_at.lock().unwrap().is_none() {
                *opened_at.lock().unwrap() = Some(Instant::now());
            }
            close(e.connection());
        }
        PN_CONNECTION_REMOTE_CLOSE => close(e.connection()),
        _ => {}
    };
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| worker(&p, &handle, &stop, &violations));
        }
        while port.lock().unwrap().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        p.set_timeout(0);
        while stuck_since.lock().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(1));
        }
        p.connect(new_connection("c"), &format!("127.0.0.1:{}", port.lock().unwrap()));
        while stuck_until.lock().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(100));
        close_listener(l.0 as *mut _);
    });
    dog.store(true, SeqCst);
    let opened = opened_at.lock().unwrap().expect("the connection opened");
    assert!(opened < stuck_until.lock().unwrap().unwrap(), "the other connection waited for the long batch");
}
