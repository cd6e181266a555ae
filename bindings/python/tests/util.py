"""Helpers shared by the tests: free ports, running containers with a
deadline, servers (brokers, peers) in threads or subprocesses."""
import os
import select
import socket
import subprocess
import sys
import threading
import time
import traceback

from proton import Endpoint, Handler
from proton.handlers import MessagingHandler
from proton.reactor import Container

HERE = os.path.dirname(os.path.abspath(__file__))
# seconds any one exchange may take before the test fails instead of hanging
TIMEOUT = float(os.environ.get("PROTON_TEST_TIMEOUT", "30"))


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunTimeout(AssertionError):
    pass


def run(*handlers, timeout=TIMEOUT, container=None):
    """Container(*handlers).run(), with a deadline.

    This is what Container.run() does (start, process until there is
    nothing left, stop, process once more), plus a look at the clock after
    each pass so that a peer that never answers fails the test instead of
    hanging it. Returns the container; raises RunTimeout past the deadline.
    """
    c = container or Container(*handlers)
    c.timeout = 0.2  # the longest one pass blocks in select()
    c.start()
    deadline = time.time() + timeout
    timed_out = False
    while c.process():
        if time.time() > deadline:
            timed_out = True
            break
    c.stop()
    c.process()
    if timed_out:
        raise RunTimeout("container still running after %ss; handler state: %s"
                      % (timeout, [describe(h) for h in handlers]))
    return c


def binary_type():
    """The Python type this binding decodes AMQP binary to: bytes for the
    0.37 binding; memoryview for the 0.40 one (cffi), which hands out views
    of the decoded data where it documents bytes. That is the binding's
    choice, not the library's, so the tests accept either."""
    from proton import Data
    d = Data()
    d.put_binary(b"probe")
    d.rewind()
    d.next()
    return type(d.get_binary())


BINARY = binary_type()


def data_value(data):
    """The value held by a proton.Data (e.g. a terminus filter), or None."""
    data.rewind()
    return data.get_object() if data.next() else None


def describe(handler):
    d = getattr(handler, "describe", None)
    return d() if d else repr(handler)


class Recorder(MessagingHandler):
    """A MessagingHandler that notes the callbacks it gets, in order."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.events = []

    def note(self, name, *detail):
        self.events.append((name,) + detail if detail else name)

    def names(self):
        return [e if isinstance(e, str) else e[0] for e in self.events]

    def describe(self):
        return "%s events=%s" % (type(self).__name__, self.events[-30:])


def close_all(connections):
    for c in connections:
        if c is not None and c.state & Endpoint.LOCAL_ACTIVE:
            c.close()


class _ConnectionTracker(Handler):
    def __init__(self):
        self.connections = []

    def on_connection_bound(self, event):
        self.connections.append(event.connection)


class ServerThread:
    """Runs a Container listening on 127.0.0.1:<free port> in a thread.

    handler: the server's handler (its connections are the accepted ones).
    stop() closes the listener and the open connections, lets the close
    frames go out, and joins the thread; an exception raised in the
    server's handlers is re-raised there.
    """

    def __init__(self, handler, scheme="amqp", ssl_domain=None, port=None, start=True):
        self.handler = handler
        self.port = port or free_port()
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        self.ssl_domain = ssl_domain
        self.error = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       name="server-%d" % self.port)
        handler.server = self
        if start:
            self.start()

    def start(self):
        self.thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("server thread did not start")
        if self.error:
            raise self.error[1]
        return self

    def _run(self):
        try:
            tracker = _ConnectionTracker()
            c = Container(self.handler, tracker)
            self.container = c
            acceptor = c.listen(self.url, ssl_domain=self.ssl_domain)
            self._ready.set()
            c.timeout = 0.2
            c.start()
            while c.process():
                if self._stop.is_set():
                    break
            # close what is open, give the peers a moment to answer, then
            # drop whatever is left
            acceptor.close()
            close_all(tracker.connections)
            c.timeout = 0.05
            deadline = time.time() + 1.0
            while time.time() < deadline and c.process():
                if all(not (x.state & Endpoint.REMOTE_ACTIVE) for x in tracker.connections):
                    break
            c.stop()
            c.process()
        except BaseException:
            self.error = sys.exc_info()
            self._ready.set()

    def stop(self):
        self._stop.set()
        self.thread.join(15)
        if self.thread.is_alive():
            raise RuntimeError("server thread on port %d did not stop" % self.port)
        if self.error:
            et, ev, tb = self.error
            raise AssertionError("server raised: %s" % "".join(traceback.format_exception(et, ev, tb)))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class ServerProcess:
    """A server script (tests/<script>.py) run by the same interpreter, or by
    another one with another library (python, env), on a free port."""

    def __init__(self, script, *args, port=None, python=None, env=None):
        self.port = port or free_port()
        self.url = "amqp://127.0.0.1:%d" % self.port
        self.cmd = [python or sys.executable, os.path.join(HERE, script), "--port", str(self.port)] + list(args)
        self.env = env
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        # the server says "listening" once bound
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else ""
        if "listening" not in line:
            if self.proc.poll() is None:
                self.proc.kill()
            out = line + self._rest()
            raise RuntimeError("%s did not start: %s" % (self.cmd, out))
        return self

    def _rest(self):
        try:
            out, _ = self.proc.communicate(timeout=5)
            return out or ""
        except subprocess.TimeoutExpired:
            return ""

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait(10)
            self.proc.stdout.close()

    def stop(self):
        """Ends the server and returns what it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate(timeout=10)
        return out


def serve_forever(handler, port, ssl_domain=None, scheme="amqp"):
    """For server scripts: listen on 127.0.0.1:port, print "listening", serve
    until SIGTERM or SIGINT, then print handler.summary() if it has one."""
    import signal
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    c = Container(handler)
    c.listen("%s://127.0.0.1:%d" % (scheme, port), ssl_domain=ssl_domain)
    print("listening on %d" % port, flush=True)
    c.timeout = 0.2
    c.start()
    while c.process():
        if stop.is_set():
            break
    summary = getattr(handler, "summary", None)
    if summary:
        print(summary(), flush=True)
    sys.stdout.flush()
    os._exit(0)
