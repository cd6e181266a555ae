"""Sender and receiver for the RabbitMQ interop tests, run as processes so
that each side can use another interpreter, binding and library:

  interop_peer.py send --url URL --address /queue/NAME --count N
  interop_peer.py recv --url URL --address /queue/NAME --count N

The sender sends make_message(i) for i in range(N) and prints
"sent N accepted M". The receiver prints one JSON line per message,
canonical(message), then "received N".
"""
import argparse
import json
import sys
import uuid

from proton import (Array, Described, Message, UNDESCRIBED, Data, byte, char, decimal32,
                    decimal64, decimal128, float32, int32, short, symbol, timestamp, ubyte,
                    uint, ulong, ushort)
from proton.handlers import MessagingHandler

from util import run

NAMESPACE = uuid.UUID("9b3f0a52-46b2-4a8e-9d4d-1f0e7cf1a111")


def make_message(i):
    kind = i % 7
    if kind == 0:
        body = "text %d \u00e9\u4e2d\U0001F600" % i
    elif kind == 1:
        body = bytes((i * 7 + k) % 256 for k in range(64 + i % 50))
    elif kind == 2:
        body = {"i": i, "ulong": ulong(i), "symbol": symbol("s%d" % i), "list": [i, None, True],
                "ts": timestamp(1700000000000 + i), "uuid": uuid.uuid5(NAMESPACE, str(i)),
                "nested": {"f32": float32(0.5), "ubyte": ubyte(i % 256)}}
    elif kind == 3:
        # a list inside a map: RabbitMQ 3.10 fails (badarg, the session
        # ends) on an amqp-value body that is itself a list of 2+ elements
        body = {"list": [i, -i, float(i) / 3, "x" * (i % 10), b"\x00\x01", [symbol("deep")]]}
    elif kind == 4:
        body = {"ints": [byte(-5), short(-300), int32(-70000), ushort(60000), uint(4000000000)],
                "char": char("\u2603"), "dec": [decimal32(1), decimal64(2), decimal128(bytes(16))]}
    elif kind == 5:
        body = Described(symbol("x-interop:thing"), {"n": i})
    else:
        body = Array(UNDESCRIBED, Data.INT, *[int32(k) for k in range(i % 5 + 1)])
    m = Message(body=body)
    m.id = i
    m.correlation_id = uuid.uuid5(NAMESPACE, "corr-%d" % i)
    m.subject = "subject-%d" % i
    m.content_type = "application/x-test"
    m.properties = {"i": i, "kind": kind, "text": "prop %d" % i, "flag": i % 2 == 0,
                    "bin": b"\xff\x00", "long": 2 ** 40 + i, "double": i / 4}
    m.annotations = {symbol("x-opt-interop-i"): i, symbol("x-opt-interop-s"): "ann %d" % i}
    return m


def canonical(v):
    """A JSON-able form of an AMQP value that keeps its type."""
    if v is None or isinstance(v, bool):
        return v
    for t in (ulong, timestamp, ubyte, ushort, uint, byte, short, int32, decimal32, decimal64):
        if type(v) is t:
            return [t.__name__, int(v)]
    if type(v) is int:
        return ["int", v]
    if type(v) is float32:
        return ["float32", float(v)]
    if type(v) is float:
        return ["float", v]
    if type(v) in (symbol, char):
        return [type(v).__name__, str(v)]
    if type(v) is str:
        return ["str", v]
    if type(v) is decimal128:
        return ["decimal128", bytes(v).hex()]
    if isinstance(v, (bytes, memoryview)):
        return ["binary", bytes(v).hex()]
    if isinstance(v, uuid.UUID):
        return ["uuid", str(v)]
    if isinstance(v, Described):
        return ["described", canonical(v.descriptor), canonical(v.value)]
    if isinstance(v, Array):
        return ["array", canonical(v.descriptor), v.type, [canonical(e) for e in v.elements]]
    if isinstance(v, dict):
        return ["map", sorted([canonical(k), canonical(x)] for k, x in v.items())]
    if isinstance(v, (list, tuple)):
        return ["list", [canonical(x) for x in v]]
    return ["unknown", type(v).__name__, repr(v)]


def canonical_message(m):
    ann = {k: x for k, x in (m.annotations or {}).items() if str(k).startswith("x-opt-interop")}
    return {
        "body": canonical(m.body),
        "properties": canonical(m.properties),
        "annotations": canonical(ann),
        "id": canonical(m.id),
        "correlation_id": canonical(m.correlation_id),
        "subject": m.subject,
        "content_type": str(m.content_type) if m.content_type else None,
    }


class Sender(MessagingHandler):
    def __init__(self, url, address, count):
        super().__init__()
        self.url, self.address, self.count = url, address, count
        self.sent = self.accepted = self.refused = 0

    def on_start(self, event):
        self.conn = event.container.connect(self.url, user="guest", password="guest",
                                            allowed_mechs="PLAIN", reconnect=False)
        event.container.create_sender(self.conn, self.address)

    def on_sendable(self, event):
        while event.sender.credit and self.sent < self.count:
            event.sender.send(make_message(self.sent))
            self.sent += 1

    def on_accepted(self, event):
        self.accepted += 1
        self.check()

    def on_rejected(self, event):
        self.refused += 1
        self.check()

    def on_released(self, event):
        self.refused += 1
        self.check()

    def check(self):
        if self.accepted + self.refused == self.count:
            self.conn.close()


class Receiver(MessagingHandler):
    def __init__(self, url, address, count):
        super().__init__(prefetch=50)
        self.url, self.address, self.count, self.got = url, address, count, 0

    def on_start(self, event):
        self.conn = event.container.connect(self.url, user="guest", password="guest",
                                            allowed_mechs="PLAIN", reconnect=False)
        event.container.create_receiver(self.conn, self.address)

    def on_message(self, event):
        print(json.dumps(canonical_message(event.message), sort_keys=True), flush=True)
        self.got += 1
        if self.got == self.count:
            self.conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["send", "recv"])
    p.add_argument("--url", required=True)
    p.add_argument("--address", required=True)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()
    if a.role == "send":
        h = Sender(a.url, a.address, a.count)
        run(h, timeout=a.timeout)
        print("sent %d accepted %d refused %d" % (h.sent, h.accepted, h.refused))
    else:
        h = Receiver(a.url, a.address, a.count)
        run(h, timeout=a.timeout)
        print("received %d" % h.got)


if __name__ == "__main__":
    sys.exit(main())
