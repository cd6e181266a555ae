"""Interop with a real broker, RabbitMQ's AMQP 1.0 plugin: messages sent by
one side are received intact by the other.

The two sides are processes (interop_peer.py), each with its own
interpreter and library:
  "test"       this run's interpreter and environment: the binding and
               library under test;
  "reference"  PROTON_REF_PYTHON (default /usr/bin/python3: Debian's binding)
               with PROTON_REF_LD_LIBRARY_PATH (default none: Debian's
               proton-c).
Every direction is run: test -> test, test -> reference, reference -> test.
"""
import json
import os
import subprocess
import sys
import uuid

import pytest

from proton import Message
from proton.handlers import MessagingHandler

from interop_peer import canonical_message, make_message
from util import HERE, run

COUNT = 300


def _side(name):
    env = dict(os.environ)
    if name == "test":
        return sys.executable, env
    python = os.environ.get("PROTON_REF_PYTHON", "/usr/bin/python3")
    env.pop("LD_LIBRARY_PATH", None)
    env.pop("PROTON_EXPECT_LIB", None)
    if os.environ.get("PROTON_REF_LD_LIBRARY_PATH"):
        env["LD_LIBRARY_PATH"] = os.environ["PROTON_REF_LD_LIBRARY_PATH"]
    return python, env


_ref_checked = {}


def _reference_available():
    if "ok" not in _ref_checked:
        python, env = _side("reference")
        try:
            r = subprocess.run([python, "-c", "import proton.reactor; print(proton.VERSION)"],
                               env=env, capture_output=True, text=True, timeout=30)
            _ref_checked["ok"] = (r.returncode == 0, (r.stdout + r.stderr).strip())
        except OSError as e:
            _ref_checked["ok"] = (False, str(e))
    return _ref_checked["ok"]


def _peer(side, role, url, address, count=COUNT):
    python, env = _side(side)
    cmd = [python, os.path.join(HERE, "interop_peer.py"), role, "--url", url,
           "--address", address, "--count", str(count), "--timeout", "60"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, "%s %s failed (%s):\n%s\n%s" % (side, role, r.returncode, r.stdout[-3000:],
                                                               r.stderr[-3000:])
    return r.stdout.splitlines()


@pytest.mark.parametrize("sender,receiver", [("test", "test"), ("test", "reference"), ("reference", "test")])
def test_messages_cross_rabbitmq_intact(rabbitmq, sender, receiver):
    if "reference" in (sender, receiver):
        ok, detail = _reference_available()
        if not ok:
            pytest.skip("no reference binding (PROTON_REF_PYTHON): %s" % detail)
    address = "/queue/interop-%s" % uuid.uuid4().hex[:10]
    out = _peer(sender, "send", rabbitmq.url, address)
    assert out[-1] == "sent %d accepted %d refused 0" % (COUNT, COUNT), out[-5:]
    lines = _peer(receiver, "recv", rabbitmq.url, address)
    assert lines[-1] == "received %d" % COUNT, lines[-5:]
    got = [json.loads(x) for x in lines[:-1]]
    expected = [json.loads(json.dumps(canonical_message(make_message(i)), sort_keys=True))
                for i in range(COUNT)]
    assert len(got) == COUNT
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g == e, "message %d differs:\n got %s\nwant %s" % (i, g, e)


def test_queue_round_trip_in_process(rabbitmq):
    """The binding under test alone: 1000 messages to a RabbitMQ queue and
    back, every one accepted, in order."""
    address = "/queue/inproc-%s" % uuid.uuid4().hex[:10]
    n = 1000

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=100)
            self.sent = self.accepted = 0
            self.got = []

        def on_start(self, event):
            self.conn = event.container.connect(rabbitmq.url, user="guest", password="guest",
                                                allowed_mechs="PLAIN")
            event.container.create_sender(self.conn, address)

        def on_sendable(self, event):
            while event.sender.credit and self.sent < n:
                event.sender.send(Message(body={"n": self.sent}, properties={"n": self.sent}))
                self.sent += 1

        def on_accepted(self, event):
            self.accepted += 1
            if self.accepted == n:
                event.container.create_receiver(self.conn, address)

        def on_message(self, event):
            self.got.append((event.message.body["n"], event.message.properties["n"]))
            if len(self.got) == n:
                self.conn.close()

    c = Client()
    run(c, timeout=90)
    assert c.accepted == n
    assert c.got == [(i, i) for i in range(n)]


def test_release_and_reject_by_a_rabbitmq_consumer(rabbitmq):
    """A consumer that releases one message and rejects another: RabbitMQ
    delivers the released one again and drops the rejected one."""
    address = "/queue/outcome-%s" % uuid.uuid4().hex[:10]

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=10, auto_accept=False)
            self.accepted = 0
            self.seen = []

        def on_start(self, event):
            self.conn = event.container.connect(rabbitmq.url, user="guest", password="guest",
                                                allowed_mechs="PLAIN")
            self.sender = event.container.create_sender(self.conn, address)
            self.sent = False

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for b in ("keep", "drop"):
                    self.sender.send(Message(body=b))

        def on_accepted(self, event):
            if event.delivery.link == self.sender:
                self.accepted += 1
                if self.accepted == 2:
                    event.container.create_receiver(self.conn, address)

        def on_message(self, event):
            b = event.message.body
            self.seen.append(b)
            if b == "keep" and self.seen.count("keep") == 1:
                self.release(event.delivery, delivered=False)
            elif b == "drop":
                self.reject(event.delivery)
            else:
                self.accept(event.delivery)
            if self.seen.count("keep") == 2 and "drop" in self.seen:
                self.conn.close()

    c = Client()
    run(c, timeout=60)
    assert c.accepted == 2
    # released: delivered again; rejected: gone
    assert sorted(c.seen) == ["drop", "keep", "keep"]
