"""A private RabbitMQ node with the AMQP 1.0 plugin, for the interop tests.

It runs as a plain process (no systemd, no system service): config, data,
logs, Erlang cookie and enabled_plugins live in a temporary folder named by
RABBITMQ_* variables; it listens on 127.0.0.1 only, on free ports, with its
own epmd on loopback, all stopped again by stop().
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from util import free_port

SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
AMQP10_HEADER_SASL = b"AMQP\x03\x01\x00\x00"


def installed():
    return os.path.exists(SERVER) and shutil.which("epmd") is not None


class RabbitMQ:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rabbitmq-test-")
        self.port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = "proton-test-%d@localhost" % os.getpid()
        self.proc = None
        self.epmd = None

    @property
    def url(self):
        return "amqp://127.0.0.1:%d" % self.port

    def _env(self):
        d = self.dir
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("RABBITMQ_") or k.startswith("ERL_"):
                del env[k]
        env.update({
            "HOME": d,  # the Erlang cookie goes here
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_EPMD_PORT": str(self.epmd_port),
            "RABBITMQ_CONFIG_FILE": os.path.join(d, "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(d, "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": os.path.join(d, "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(d, "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": os.path.join(d, "mnesia"),
            "RABBITMQ_LOG_BASE": os.path.join(d, "log"),
            "RABBITMQ_LOGS": os.path.join(d, "log", "rabbit.log"),
            "RABBITMQ_PID_FILE": os.path.join(d, "rabbit.pid"),
            "RABBITMQ_ALLOW_INPUT": "",
            # Erlang distribution on loopback too
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        })
        return env

    def start(self, timeout=60):
        d = self.dir
        os.makedirs(os.path.join(d, "log"), exist_ok=True)
        with open(os.path.join(d, "rabbitmq.conf"), "w") as f:
            f.write("listeners.tcp.1 = 127.0.0.1:%d\n" % self.port)
            f.write("loopback_users.guest = true\n")
            f.write("log.console = false\nlog.file.level = info\n")
        with open(os.path.join(d, "advanced.config"), "w") as f:
            f.write("[].\n")
        with open(os.path.join(d, "rabbitmq-env.conf"), "w") as f:
            f.write("# empty: every setting comes from the environment\n")
        with open(os.path.join(d, "enabled_plugins"), "w") as f:
            f.write("[rabbitmq_amqp1_0].\n")
        env = self._env()
        self.epmd = subprocess.Popen(
            ["epmd", "-address", "127.0.0.1", "-port", str(self.epmd_port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.proc = subprocess.Popen(
            [SERVER], env=env, cwd=d, stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(d, "stdout.log"), "wb"),
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("rabbitmq-server exited with %s:\n%s" % (self.proc.returncode, self.log_tail()))
            if self._amqp10_ready():
                return self
            time.sleep(0.25)
        raise RuntimeError("rabbitmq-server did not start in %ss:\n%s" % (timeout, self.log_tail()))

    def _amqp10_ready(self):
        """True once the port answers an AMQP 1.0 SASL protocol header."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(AMQP10_HEADER_SASL)
                s.settimeout(2)
                return s.recv(8) == AMQP10_HEADER_SASL
        except OSError:
            return False

    def log_tail(self, n=4000):
        out = []
        for name in ("stdout.log", os.path.join("log", "rabbit.log")):
            p = os.path.join(self.dir, name)
            if os.path.exists(p):
                with open(p, "rb") as f:
                    out.append("== %s\n%s" % (name, f.read()[-n:].decode("utf-8", "replace")))
        return "\n".join(out)

    def stop(self):
        for p in (self.proc, self.epmd):
            if p is None or p.poll() is not None:
                continue
            try:
                # the whole process group: the shell script, beam.smp, its helpers
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
