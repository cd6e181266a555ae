"""Fixtures of the Proton Python API tests, and the report of which binding
and which libqpid-proton-core this run loaded.

Environment:
  PROTON_EXPECT_LIB   directory the loaded libqpid-proton-core must come from
                      (run-tests.sh sets PREFIX/lib, or the system library
                      directory for `system`); the run stops if it does not.
  PROTON_REF_PYTHON   interpreter of the reference side of the interop tests
                      (default /usr/bin/python3: Debian's binding on Debian's
                      proton-c); PROTON_REF_LD_LIBRARY_PATH its library path
                      (default: none, i.e. the system library).
  PROTON_TEST_TIMEOUT seconds one exchange may take (default 30).
"""
import faulthandler
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import proton  # noqa: E402  (loads the binding and the library)

from util import ServerThread  # noqa: E402

HARD_LIMIT = 300  # seconds: past this, one test dumps all stacks and ends the run


def loaded_proton_libraries():
    """Paths of the libqpid-proton* files mapped into this process."""
    libs = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and "libqpid-proton" in parts[5]:
                path = parts[5].strip()
                if path not in libs:
                    libs.append(path)
    return libs


def core_library():
    core = [p for p in loaded_proton_libraries() if "libqpid-proton-core" in os.path.basename(p)]
    return core[0] if core else None


def binding_description():
    try:
        import cproton
        ext = getattr(cproton, "__file__", "?")
        try:
            import cproton_ffi  # the 0.40 binding's C extension
            ext = cproton_ffi.__file__
        except ImportError:
            ext = getattr(sys.modules.get("_cproton"), "__file__", ext)
    except ImportError:
        ext = "?"
    try:
        import importlib.metadata
        dist = importlib.metadata.version("python-qpid-proton")
    except Exception:
        dist = "(Debian's python3-qpid-proton)" if proton.__file__.startswith("/usr/lib/python3/") else "?"
    return "python-qpid-proton %s (%s; C extension %s; built on proton-c headers %s)" % (
        dist, os.path.dirname(proton.__file__), ext, ".".join(map(str, proton.VERSION)))


def pytest_report_header(config):
    return [
        "python: %s %s" % (sys.executable, sys.version.split()[0]),
        "binding: %s" % binding_description(),
        "libqpid-proton-core loaded: %s" % core_library(),
        "LD_LIBRARY_PATH=%s" % os.environ.get("LD_LIBRARY_PATH", ""),
    ]


def pytest_configure(config):
    expect = os.environ.get("PROTON_EXPECT_LIB")
    if expect:
        core = core_library()
        want = os.path.realpath(expect)
        if core is None or os.path.dirname(os.path.realpath(core)) != want:
            pytest.exit("libqpid-proton-core was loaded from %s, not from %s (PROTON_EXPECT_LIB)"
                        % (core, want), returncode=3)


@pytest.fixture(autouse=True)
def _hard_limit():
    # a last resort: the tests have their own deadlines (util.TIMEOUT)
    faulthandler.dump_traceback_later(HARD_LIMIT, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def broker():
    """The test broker (broker.Broker) in a thread on a free port."""
    from broker import Broker
    server = ServerThread(Broker())
    yield server
    server.stop()


# -- certificates ---------------------------------------------------------------
class Certs:
    def __init__(self, d):
        self.dir = d

    def path(self, name):
        return os.path.join(self.dir, name)


def _openssl(*args, cwd):
    r = subprocess.run(("openssl",) + args, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), r.stderr))


def _make_ca(d, name, cn):
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3",
             "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=%s/O=Proton Test" % cn,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)


def _make_cert(d, name, ca, cn, san, usage, password=None):
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", name + ".key",
             "-out", name + ".csr", "-subj", "/CN=%s/O=Proton Test" % cn, cwd=d)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=%s\n" % usage)
        if san:
            f.write("subjectAltName=%s\n" % san)
    _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
             "-CAcreateserial", "-sha256", "-days", "3", "-out", name + ".crt",
             "-extfile", name + ".ext", cwd=d)
    if password:
        _openssl("pkey", "-in", name + ".key", "-aes256", "-passout", "pass:" + password,
                 "-out", name + "-enc.key", cwd=d)


@pytest.fixture(scope="session")
def certs(tmp_path_factory):
    """CA, a server certificate for localhost/127.0.0.1, one for another
    name, a client certificate (also with a password-protected key), and an
    untrusted CA with its own localhost certificate."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is not installed")
    d = str(tmp_path_factory.mktemp("certs"))
    _make_ca(d, "ca", "Proton Test CA")
    _make_cert(d, "server", "ca", "localhost", "DNS:localhost,IP:127.0.0.1", "serverAuth")
    _make_cert(d, "other", "ca", "other.example", "DNS:other.example", "serverAuth")
    _make_cert(d, "client", "ca", "test-client", None, "clientAuth", password="client-secret")
    _make_ca(d, "rogue-ca", "Rogue CA")
    _make_cert(d, "rogue", "rogue-ca", "localhost", "DNS:localhost,IP:127.0.0.1", "serverAuth")
    return Certs(d)


# -- RabbitMQ -------------------------------------------------------------------
@pytest.fixture(scope="session")
def rabbitmq():
    """A private RabbitMQ node with the AMQP 1.0 plugin on loopback."""
    import rabbitmq as rmq
    if not rmq.installed():
        pytest.skip("rabbitmq-server is not installed "
                    "(apt-get install --no-install-recommends rabbitmq-server)")
    node = rmq.RabbitMQ()
    try:
        node.start()
    except Exception:
        node.stop()
        raise
    yield node
    node.stop()
