"""A small AMQP 1.0 queue broker written with the Proton Python API.

Queues are made on demand, one per address. What the tests look at:
- `links`: every link a client attached, as the broker saw it on the wire
  (addresses, dynamic flag, filter, distribution mode, durability, expiry,
  settle modes, terminus type);
- `received`: (address, message, settled-on-arrival) of every message;
- `consumer_outcomes`: the outcome of each message the broker delivered;
- `connections`: remote container id, hostname and authenticated user.

Behaviour:
- a receiving link with a dynamic source gets a fresh address (dynamic-N);
- a message to a link whose target has no address goes to message.address;
- Copy (distribution mode copy) browses: the receiver gets the messages
  and they stay queued; otherwise (move) delivering removes them;
- a `selector` filter of the form  name = 'value'  [AND ...] picks
  messages by application property, and the filter is echoed in the
  attach so the client sees that it is in force;
- a message whose application property `test-outcome` is reject, release
  or modify is given that outcome instead of being accepted and queued;
- released or modified messages go back to the front of their queue;
- a coordinator link (transactions): declare gives txn-N; messages sent in
  a transaction are held and queued on commit, dropped on abort.

Run as a script (`broker.py --port N`) it serves until terminated, and
prints "listening" once bound.
"""
import argparse
import collections
import re

from proton import Condition, Delivery, Described, Endpoint, Terminus, symbol, ulong
from proton.handlers import MessagingHandler

DECLARE = symbol("amqp:declare:list")
DISCHARGE = symbol("amqp:discharge:list")
DECLARED = 0x33
TRANSACTIONAL_STATE = 0x34
ACCEPTED = 0x24

_SELECTOR_TERM = re.compile(r"\s*([\w-]+)\s*=\s*'([^']*)'\s*")


def parse_selector(text):
    """"a = 'x' AND b = 'y'" -> {'a': 'x', 'b': 'y'}; None if not that form."""
    terms = {}
    for part in re.split(r"\s+AND\s+", text, flags=re.IGNORECASE):
        m = _SELECTOR_TERM.fullmatch(part)
        if not m:
            return None
        terms[m.group(1)] = m.group(2)
    return terms


def data_value(data):
    data.rewind()
    return data.get_object() if data.next() else None


def selector_of(source):
    f = data_value(source.filter)
    if not f:
        return None
    for value in f.values():
        if isinstance(value, Described) and value.descriptor == symbol("apache.org:selector-filter:string"):
            return parse_selector(value.value)
    return None


def _binary(v):
    # the 0.40 binding decodes binary to memoryview (unhashable, and a view
    # of a buffer that does not outlive the delivery): keep a bytes copy
    return bytes(v) if isinstance(v, memoryview) else v


class Queue:
    def __init__(self, name):
        self.name = name
        self.messages = collections.deque()


class Broker(MessagingHandler):
    def __init__(self, prefetch=100, declare_fails=False):
        super().__init__(prefetch=prefetch, auto_accept=False, auto_settle=True)
        self.queues = {}
        self.links = []
        self.received = []
        self.consumer_outcomes = []
        self.connections = []
        self.txns = {}
        self.committed = []
        self.aborted = []
        self.declare_fails = declare_fails
        self._dynamic = 0
        self._txn = 0
        self._consumers = collections.defaultdict(list)  # queue name -> sender links

    def queue(self, name):
        if name not in self.queues:
            self.queues[name] = Queue(name)
        return self.queues[name]

    # -- connections and links -------------------------------------------------
    def on_connection_opening(self, event):
        c = event.connection
        t = event.transport
        self.connections.append({
            "container": c.remote_container,
            "hostname": c.remote_hostname,
            "user": t.user if t else None,
        })

    def on_link_opening(self, event):
        link = event.link
        if link.is_sender:  # the client receives from us
            rs = link.remote_source
            info = self._record(link, rs)
            if rs.dynamic:
                self._dynamic += 1
                address = "dynamic-%d" % self._dynamic
            else:
                address = rs.address
            link.source.copy(rs)  # echo filter, distribution mode, ...
            link.source.address = address
            link.source.dynamic = False
            link.target.copy(link.remote_target)
            info["assigned"] = address
            link._queue = address
            link._browse = rs.distribution_mode == Terminus.DIST_MODE_COPY
            link._selector = selector_of(rs)
            link._cursor = 0
            self._consumers[address].append(link)
        else:  # the client sends to us
            rt = link.remote_target
            info = self._record(link, rt)
            link.target.copy(rt)
            link.source.copy(link.remote_source)
            link._coordinator = rt.type == Terminus.COORDINATOR
            link._queue = rt.address
        link.snd_settle_mode = link.remote_snd_settle_mode
        link.rcv_settle_mode = link.remote_rcv_settle_mode

    def _record(self, link, terminus):
        info = {
            "role": "sender" if link.is_sender else "receiver",  # the broker's role
            "name": link.name,
            "address": terminus.address,
            "dynamic": terminus.dynamic,
            "type": terminus.type,
            "filter": data_value(terminus.filter) if link.is_sender else None,
            "distribution_mode": terminus.distribution_mode,
            "durability": terminus.durability,
            "expiry_policy": terminus.expiry_policy,
            "capabilities": data_value(terminus.capabilities),
            "snd_settle_mode": link.remote_snd_settle_mode,
            "rcv_settle_mode": link.remote_rcv_settle_mode,
        }
        self.links.append(info)
        return info

    def on_link_closing(self, event):
        self._forget(event.link)

    def on_link_closed(self, event):
        self._forget(event.link)

    def on_disconnected(self, event):
        for link in list(self._all_consumers()):
            if link.connection == event.connection:
                self._forget(link)

    def on_connection_closing(self, event):
        self.on_disconnected(event)

    def _all_consumers(self):
        for links in self._consumers.values():
            yield from links

    def _forget(self, link):
        if link.is_sender:
            links = self._consumers.get(getattr(link, "_queue", None), [])
            if link in links:
                links.remove(link)

    def summary(self):
        return "received %d" % len(self.received)

    # -- messages in ---------------------------------------------------------
    def on_message(self, event):
        link, dlv, msg = event.link, event.delivery, event.message
        if getattr(link, "_coordinator", False):
            return self._control(dlv, msg)
        address = link._queue or msg.address
        if dlv.remote_state == TRANSACTIONAL_STATE:
            txn = _binary(dlv.remote.data[0]) if dlv.remote.data else None
            if txn not in self.txns:
                dlv.local.condition = Condition("amqp:transaction:unknown-id", "no transaction %r" % (txn,))
                self.settle(dlv, Delivery.REJECTED)
                return
            self.txns[txn].append((address, msg))
            dlv.local.data = [txn, Described(ulong(ACCEPTED), [])]
            dlv.update(TRANSACTIONAL_STATE)
            dlv.settle()
            return
        self.received.append((address, msg, dlv.settled))
        outcome = (msg.properties or {}).get("test-outcome")
        if outcome == "reject":
            dlv.local.condition = Condition("test:rejected", "rejected as asked", {symbol("reason"): "test"})
            self.reject(dlv)
        elif outcome == "release":
            self.release(dlv, delivered=False)
        elif outcome == "modify":
            dlv.local.failed = True
            dlv.local.undeliverable = True
            dlv.local.annotations = {symbol("x-opt-modified-by"): "broker"}
            self.settle(dlv, Delivery.MODIFIED)
        else:
            self.enqueue(address, msg)
            self.accept(dlv)

    def enqueue(self, address, msg):
        self.queue(address).messages.append(msg)
        self._pump_queue(address)

    def _control(self, dlv, msg):
        body = msg.body
        if not isinstance(body, Described):
            dlv.local.condition = Condition("amqp:decode-error", "not a transaction control")
            return self.settle(dlv, Delivery.REJECTED)
        if body.descriptor == DECLARE:
            if self.declare_fails:
                dlv.local.condition = Condition("amqp:not-implemented", "declare refused as asked")
                return self.settle(dlv, Delivery.REJECTED)
            self._txn += 1
            txn = b"txn-%d" % self._txn
            self.txns[txn] = []
            dlv.local.data = [txn]
            dlv.update(DECLARED)
            dlv.settle()
        elif body.descriptor == DISCHARGE:
            txn, failed = _binary(body.value[0]), body.value[1]
            if txn not in self.txns:
                dlv.local.condition = Condition("amqp:transaction:unknown-id", "no transaction %r" % (txn,))
                return self.settle(dlv, Delivery.REJECTED)
            work = self.txns.pop(txn)
            if failed:
                self.aborted.append((txn, work))
            else:
                self.committed.append((txn, work))
                for address, m in work:
                    self.enqueue(address, m)
            self.accept(dlv)
        else:
            dlv.local.condition = Condition("amqp:not-implemented", "unknown control %r" % (body.descriptor,))
            self.settle(dlv, Delivery.REJECTED)

    # -- messages out ----------------------------------------------------------
    def on_sendable(self, event):
        self._pump(event.link)

    def _pump_queue(self, address):
        for link in list(self._consumers.get(address, [])):
            self._pump(link)

    def _matches(self, link, msg):
        sel = link._selector
        if not sel:
            return True
        props = msg.properties or {}
        return all(props.get(k) == v for k, v in sel.items())

    def _pump(self, link):
        if not link.is_sender or not hasattr(link, "_queue"):
            return
        if not (link.state & Endpoint.LOCAL_ACTIVE):
            return
        q = self.queue(link._queue)
        while link.credit > 0:
            if link._browse:
                msgs = list(q.messages)[link._cursor:]
                picked = None
                for i, m in enumerate(msgs):
                    if self._matches(link, m):
                        picked = m
                        link._cursor += i + 1
                        break
                if picked is None:
                    link._cursor = len(q.messages)
                    return
            else:
                picked = None
                for m in q.messages:
                    if self._matches(link, m):
                        picked = m
                        break
                if picked is None:
                    return
                q.messages.remove(picked)
            dlv = link.send(picked)
            dlv._broker_msg = (q.name, picked, link._browse)  # Message.send settles on an at-most-once link

    def on_accepted(self, event):
        self.consumer_outcomes.append(Delivery.ACCEPTED)

    def on_rejected(self, event):
        self.consumer_outcomes.append(Delivery.REJECTED)

    def on_released(self, event):
        dlv = event.delivery
        self.consumer_outcomes.append(dlv.remote_state)
        name, msg, browsed = getattr(dlv, "_broker_msg", (None, None, True))
        if msg is not None and not browsed:
            if dlv.remote_state == Delivery.MODIFIED and dlv.remote.failed:
                msg.delivery_count += 1
            self.queue(name).messages.appendleft(msg)
            self._pump_queue(name)


def main():
    from util import serve_forever
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    a = p.parse_args()
    serve_forever(Broker(), a.port)


if __name__ == "__main__":
    main()
