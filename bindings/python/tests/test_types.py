"""AMQP types: every type round-trips over a real connection, in the body,
the application properties, the message annotations and the delivery
annotations, nested in lists and maps too, and comes back as the same
Python type with the same value."""
import math
import uuid

import pytest

from proton import (UNDESCRIBED, AnnotationDict, Array, Data, Described, Message,
                    MessageException, PropertyDict, byte, char, decimal32, decimal64,
                    decimal128, float32, int32, short, symbol, timestamp, ubyte, uint,
                    ulong, ushort)
from proton.handlers import MessagingHandler

from util import BINARY, ServerThread, run

U = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")

SCALARS = [
    ("null", None, type(None)),
    ("true", True, bool),
    ("false", False, bool),
    ("ubyte", ubyte(255), ubyte),
    ("ushort", ushort(65535), ushort),
    ("uint", uint(2 ** 32 - 1), uint),
    ("ulong", ulong(2 ** 64 - 1), ulong),
    ("ulong-small", ulong(7), ulong),
    ("byte", byte(-128), byte),
    ("short", short(-32768), short),
    ("int32", int32(-2 ** 31), int32),
    ("int-long-min", -2 ** 63, int),
    ("int-long-max", 2 ** 63 - 1, int),
    ("int-small", 42, int),
    ("float32", float32(1.5), float32),
    ("float", 3.141592653589793, float),
    ("float-inf", float("inf"), float),
    ("char", char("\u2603"), char),
    ("char-astral", char("\U0001F600"), char),
    ("timestamp", timestamp(1700000000123), timestamp),
    ("decimal32", decimal32(0x22345678), decimal32),
    ("decimal64", decimal64(0x2234567890ABCDEF), decimal64),
    ("decimal128", decimal128(bytes(range(16))), decimal128),
    ("uuid", U, uuid.UUID),
    ("bytes", b"\x00\x01binary\xff", bytes),
    ("bytes-empty", b"", bytes),
    ("str", "unicode \u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9 \u4e2d\u6587", str),
    ("str-empty", "", str),
    ("str-long", "x" * 70000, str),
    ("symbol", symbol("a.symbol"), symbol),
]

COMPOUNDS = [
    ("described-symbol", Described(symbol("x-test:desc"), "payload"), Described),
    ("described-ulong", Described(ulong(0x1234), [1, "two", symbol("three")]), Described),
    ("array-int", Array(UNDESCRIBED, Data.INT, int32(1), int32(2), int32(-3)), Array),
    ("array-symbol", Array(UNDESCRIBED, Data.SYMBOL, symbol("a"), symbol("b")), Array),
    ("array-string-described", Array(symbol("x-test:arr"), Data.STRING, "x", "y"), Array),
    ("array-empty", Array(UNDESCRIBED, Data.LONG), Array),
    ("list", [1, "two", 3.0, [symbol("four"), None], {"five": ubyte(5)}], list),
    ("list-empty", [], list),
    ("dict", {"k": {"nested": [1, 2, {"deep": True}]}, symbol("s"): None, 7: b"bin",
              ulong(8): Described(symbol("d"), char("c"))}, dict),
    ("dict-empty", {}, dict),
]

CASES = SCALARS + COMPOUNDS




def same(expected, got, where="value"):
    """Equal value and identical Python type, recursively."""
    if type(expected) is bytes and BINARY is memoryview and type(got) is memoryview:
        assert bytes(got) == expected, where
        return
    assert type(got) is type(expected), "%s: %r is %s, want %s" % (where, got, type(got), type(expected))
    if isinstance(expected, dict):
        assert len(got) == len(expected), where
        for k, v in expected.items():
            match = [gk for gk in got if gk == k and type(gk) is type(k)]
            assert match, "%s: key %r (%s) missing in %r" % (where, k, type(k), got)
            same(v, got[match[0]], "%s[%r]" % (where, k))
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected), where
        for i, (e, g) in enumerate(zip(expected, got)):
            same(e, g, "%s[%d]" % (where, i))
    elif isinstance(expected, Described):
        same(expected.descriptor, got.descriptor, where + ".descriptor")
        same(expected.value, got.value, where + ".value")
    elif isinstance(expected, Array):
        same(expected.descriptor, got.descriptor, where + ".descriptor")
        assert got.type == expected.type, where
        same(list(expected.elements), list(got.elements), where + ".elements")
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected, "%s: %r != %r" % (where, got, expected)


class Collector(MessagingHandler):
    def __init__(self):
        super().__init__()
        self.messages = {}

    def on_link_opening(self, event):
        event.link.target.address = event.link.remote_target.address

    def on_message(self, event):
        self.messages[event.message.subject] = event.message


def build(name, value):
    m = Message(subject=name, body=value)
    m.annotations = AnnotationDict({"x-opt-value": value, ulong(99): [value], "x-opt-map": {"v": value}})
    m.instructions = AnnotationDict({"x-opt-instruction": value})
    if (name, value, type(value)) in SCALARS:
        m.properties = {"value": value, "other": "text"}
    return m


@pytest.fixture(scope="module")
def received():
    """Sends one message per case to a peer, returns what the peer decoded."""
    server = ServerThread(Collector())

    class Sender(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.accepted = 0

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            event.container.create_sender(self.conn, "types")
            self.sent = False

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for name, value, _ in CASES:
                    event.sender.send(build(name, value))

        def on_accepted(self, event):
            self.accepted += 1
            if self.accepted == len(CASES):
                self.conn.close()

    try:
        run(Sender())
    finally:
        server.stop()
    return server.handler.messages


IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,value,typ", CASES, ids=IDS)
def test_body(received, name, value, typ):
    assert type(value) is typ
    same(value, received[name].body, "body")


@pytest.mark.parametrize("name,value,typ", CASES, ids=IDS)
def test_message_annotations(received, name, value, typ):
    ann = received[name].annotations
    same(value, ann[symbol("x-opt-value")], "annotation")
    same([value], ann[ulong(99)], "annotation[ulong]")
    same({"v": value}, ann[symbol("x-opt-map")], "annotation map")
    assert all(type(k) in (symbol, ulong) for k in ann)


@pytest.mark.parametrize("name,value,typ", CASES, ids=IDS)
def test_delivery_annotations(received, name, value, typ):
    same(value, received[name].instructions[symbol("x-opt-instruction")], "instruction")


@pytest.mark.parametrize("name,value,typ", SCALARS, ids=[c[0] for c in SCALARS])
def test_application_properties(received, name, value, typ):
    props = received[name].properties
    same({"value": value, "other": "text"}, props, "properties")
    assert all(type(k) is str for k in props)


def test_annotation_and_property_dicts():
    """AnnotationDict turns str keys into symbols and keeps ulong keys;
    PropertyDict takes symbol keys; both refuse other key types. A symbol
    as an application property key is refused when sending."""
    a = AnnotationDict({"one": 1, symbol("two"): 2, ulong(3): 3})
    assert {type(k) for k in a} == {symbol, ulong}
    assert a[symbol("one")] == 1
    with pytest.raises(KeyError):
        AnnotationDict({"ok": 1, 2: "int key"})
    assert AnnotationDict({2: "kept"}, raise_on_error=False)[2] == "kept"
    p = PropertyDict(one=1)
    assert list(p) == [symbol("one")] and type(list(p)[0]) is symbol
    with pytest.raises(KeyError):
        PropertyDict({1: "x"})
    m = Message(properties={symbol("not-a-string"): 1})
    with pytest.raises(MessageException):
        m.encode()


def test_message_header_and_properties_fields():
    """The header and properties sections: ids of every allowed type,
    addresses, times, durability, priority, ttl, groups, user id."""
    msgs = [
        Message(id=ulong(12345), correlation_id=U, body=1),
        Message(id=U, correlation_id=b"corr-bytes", body=2),
        Message(id=b"\x00id", correlation_id="corr-string", body=3),
        Message(id="string-id", correlation_id=ulong(9), body=4),
    ]
    full = Message(
        body="full", address="dest/addr", subject="subj", reply_to="reply/here",
        user_id=b"the-user", content_type="text/plain", content_encoding="utf-8",
        creation_time=1700000000.25, expiry_time=1700000600.5, group_id="group-1",
        group_sequence=42, reply_to_group_id="reply-group", durable=True, priority=9,
        ttl=12.5, first_acquirer=True, delivery_count=3)
    msgs.append(full)
    server = ServerThread(Collector())

    class Sender(MessagingHandler):
        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            event.container.create_sender(self.conn, "fields")
            self.sent, self.accepted = False, 0

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for i, m in enumerate(msgs):
                    m.subject = m.subject or "m%d" % i
                    event.sender.send(m)

        def on_accepted(self, event):
            self.accepted += 1
            if self.accepted == len(msgs):
                self.conn.close()

    try:
        run(Sender())
    finally:
        server.stop()
    got = server.handler.messages
    # a ulong id comes back as int (documented: "int (unsigned)")
    assert isinstance(got["m0"].id, int) and got["m0"].id == 12345
    assert (type(got["m0"].correlation_id), got["m0"].correlation_id) == (uuid.UUID, U)
    assert (type(got["m1"].id), got["m1"].id) == (uuid.UUID, U)
    assert type(got["m1"].correlation_id) in (bytes, BINARY)
    assert bytes(got["m1"].correlation_id) == b"corr-bytes"
    assert type(got["m2"].id) in (bytes, BINARY) and bytes(got["m2"].id) == b"\x00id"
    assert got["m2"].correlation_id == "corr-string"
    assert got["m3"].id == "string-id" and type(got["m3"].id) is str
    assert isinstance(got["m3"].correlation_id, int) and got["m3"].correlation_id == 9
    f = got["subj"]
    assert f.body == "full"
    assert (f.address, f.reply_to, f.user_id) == ("dest/addr", "reply/here", b"the-user")
    assert (f.content_type, f.content_encoding) == ("text/plain", "utf-8")
    assert type(f.content_type) is symbol
    assert f.creation_time == 1700000000.25 and f.expiry_time == 1700000600.5
    assert (f.group_id, f.group_sequence, f.reply_to_group_id) == ("group-1", 42, "reply-group")
    assert (f.durable, f.priority, f.ttl, f.first_acquirer) == (True, 9, 12.5, True)
    assert f.delivery_count == 3
    # defaults
    d = got["m0"]
    assert (d.durable, d.priority, d.ttl, d.first_acquirer, d.delivery_count) == (False, 4, 0, False, 0)
    assert d.address is None and d.user_id == b""
