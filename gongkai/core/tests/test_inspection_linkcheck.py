"""The link checker against a local link farm on 127.0.0.1 (never an outside
address): a dead port, a slow page, a redirect loop, a 404, a 10 MB body and a TLS
error; a malformed URL; concurrency bounded per host."""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gongkai.core.inspection.linkcheck import (
    LinkChecker,
    LinkConfig,
    Outcome,
    extract_links,
)

BIG = 10 * 1024 * 1024


class Farm(BaseHTTPRequestHandler):
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/ok-busy"):
            # Counted from the request's arrival until just before the answer is
            # written: the client cannot start its next request to this host before
            # it has read this answer, so the count never depends on timing.
            with Farm.lock:
                Farm.in_flight += 1
                Farm.peak = max(Farm.peak, Farm.in_flight)
            time.sleep(0.05)
            with Farm.lock:
                Farm.in_flight -= 1
            self._send(200, b"<html>ok</html>")
            return
        self._answer()

    def _answer(self) -> None:
        path = self.path
        if path.startswith("/ok"):
            self._send(200, b"<html>ok</html>")
        elif path == "/missing":
            self._send(404, b"not found")
        elif path == "/slow":
            time.sleep(1.5)  # longer than the read timeout below
            self._send(200, b"late")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path == "/hop":
            self._redirect("/ok")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(BIG // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the TLS farm's refused handshakes are the point of the test


def _serve(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def farm() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Farm)
    yield from _serve(server)


@pytest.fixture(scope="module")
def tls_farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self-signed.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder: Path = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = QuietServer(("127.0.0.1", 0), Farm)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _serve(server)


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


CONFIG = LinkConfig(
    concurrency=8,
    per_host=2,
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=3.0,
    max_bytes=1024 * 1024,
)


def test_each_kind_of_bad_link_is_recorded_and_the_run_goes_on(
    farm: str, tls_farm: str
) -> None:
    dead = f"http://127.0.0.1:{_dead_port()}/"
    urls = {
        "ok": f"http://{farm}/ok",
        "hop": f"http://{farm}/hop",
        "missing": f"http://{farm}/missing",
        "slow": f"http://{farm}/slow",
        "loop": f"http://{farm}/loop-a",
        "big": f"http://{farm}/big",
        "dead": dead,
        "tls": f"https://{tls_farm}/ok",
        "malformed": "http://[::1/broken",
        "scheme": "ftp//nowhere",
    }
    results = LinkChecker(CONFIG).check_many(urls.values())
    got = {k: results[u].outcome for k, u in urls.items()}
    assert got == {
        "ok": Outcome.OK,
        "hop": Outcome.OK,
        "missing": Outcome.HTTP_ERROR,
        "slow": Outcome.TIMEOUT,
        "loop": Outcome.REDIRECT_LOOP,
        "big": Outcome.TOO_LARGE,
        "dead": Outcome.UNREACHABLE,
        "tls": Outcome.TLS,
        "malformed": Outcome.MALFORMED,
        "scheme": Outcome.MALFORMED,
    }
    assert results[urls["missing"]].status == 404
    assert results[urls["hop"]].final_url.endswith("/ok")
    broken = {k for k, u in urls.items() if results[u].broken}
    assert broken == set(urls) - {"ok", "hop", "big"}
    for r in results.values():
        assert r.outcome is Outcome.OK or r.message  # said in Chinese what happened


def test_no_more_than_per_host_links_in_flight_to_one_host(farm: str) -> None:
    Farm.peak = 0
    urls = [f"http://{farm}/ok-busy/{i}" for i in range(12)]
    results = LinkChecker(LinkConfig(concurrency=8, per_host=2)).check_many(urls)
    assert all(r.outcome is Outcome.OK for r in results.values())
    assert 1 <= Farm.peak <= 2


def test_links_of_a_body() -> None:
    body = (
        '<p><a href="/portal/1/">本站</a> <a href="mailto:a@b.cn">信</a>'
        '<a href="https://example.invalid/x">外</a><img src="pic.png">'
        '<a href="#top">顶</a><a href="tel:123">电话</a><a href="/portal/1/">重复</a></p>'
    )
    assert extract_links(body, "http://site.test/portal/") == [
        "http://site.test/portal/1/",
        "https://example.invalid/x",
        "http://site.test/portal/pic.png",
    ]


@pytest.mark.parametrize(
    ("exc", "outcome", "reason"),
    [
        (ssl.SSLError("bad cert"), Outcome.TLS, "安全证书错误（HTTPS）"),
        (TimeoutError(), Outcome.TIMEOUT, "访问超时"),
        (ConnectionRefusedError(), Outcome.UNREACHABLE, "无法连接"),
        (UnicodeError("label too long"), Outcome.MALFORMED, "链接地址格式错误"),
        (RuntimeError("anything else"), Outcome.UNREACHABLE, "无法连接"),
    ],
)
def test_an_unexpected_error_is_told_in_chinese_never_by_class_name(
    monkeypatch, exc, outcome, reason
) -> None:
    def explode(self, url, started):
        raise exc

    monkeypatch.setattr(LinkChecker, "_check", explode)
    result = LinkChecker(CONFIG).check("https://example.invalid/x")
    assert result.outcome is outcome and result.broken
    assert result.message == reason
    assert type(exc).__name__ not in result.message
