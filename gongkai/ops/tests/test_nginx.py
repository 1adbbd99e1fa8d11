"""Issue 23, requirement 6: the generated nginx site passes ``nginx -t`` on Debian 12's
nginx, and behind a load balancer the client address that reaches Gongkai is the
visitor's (real-IP settings + GONGKAI_TRUSTED_PROXIES), never a forged one.

Needs the Debian package ``nginx`` (scripts/bootstrap.sh --dev installs it)."""

from __future__ import annotations

import datetime
import http.client
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.test import RequestFactory

from gongkai.audit.middleware import client_ip

REPO = Path(__file__).resolve().parents[3]
HOST = "gk.example.gov.cn"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
MIME_TYPES = Path("/etc/nginx/mime.types")  # Debian's nginx-common
pytestmark = pytest.mark.skipif(
    NGINX is None or not MIME_TYPES.exists(),
    reason="nginx is not installed (Debian package nginx; scripts/bootstrap.sh --dev)",
)


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "fullchain.pem", folder / "privkey.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _generate(tmp_path: Path, *extra: str) -> Path:
    cert, key = _certificate(tmp_path)
    conf = tmp_path / "nginx.conf"
    call_command(
        "nginx_config",
        "--standalone",
        str(tmp_path),
        "--output",
        str(conf),
        "--server-name",
        HOST,
        "--certificate",
        str(cert),
        "--certificate-key",
        str(key),
        # the repository's own static folder (collectstatic's target in production)
        "--static-root",
        str(REPO / "gongkai" / "static"),
        "--mime-types",
        str(MIME_TYPES),
        *extra,
    )
    return conf


def _nginx(tmp_path: Path, conf: Path, *args: str) -> list[str]:
    return [
        str(NGINX),
        "-p",
        str(tmp_path),
        "-e",
        str(tmp_path / "error.log"),
        "-c",
        str(conf),
        *args,
    ]


@pytest.mark.parametrize("balancer", [[], ["--load-balancer", "10.0.0.0/24"]])
def test_nginx_t_accepts_the_generated_config(tmp_path, balancer):
    conf = _generate(tmp_path, *balancer)
    text = conf.read_text()
    assert "http2 on;" not in text  # nginx >= 1.25.1 only
    assert ("set_real_ip_from 10.0.0.0/24;" in text) == bool(balancer)
    result = subprocess.run(
        _nginx(tmp_path, conf, "-t"), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_nginx_t_accepts_a_subdomain_pattern_of_allowed_hosts(tmp_path, settings):
    settings.ALLOWED_HOSTS = [".example.gov.cn"]
    cert, key = _certificate(tmp_path)
    conf = tmp_path / "nginx.conf"
    call_command(
        "nginx_config",
        "--standalone",
        str(tmp_path),
        "--output",
        str(conf),
        "--certificate",
        str(cert),
        "--certificate-key",
        str(key),
        "--mime-types",
        str(MIME_TYPES),
    )
    assert "server_name example.gov.cn *.example.gov.cn;" in conf.read_text()
    result = subprocess.run(
        _nginx(tmp_path, conf, "-t"), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_load_balancer_network_is_refused_in_chinese(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不是有效的网段"):
        _generate(tmp_path, "--load-balancer", "not-a-network")


class _Echo(BaseHTTPRequestHandler):
    """The upstream: answers with the headers that reached it."""

    def do_GET(self) -> None:
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def _running_nginx(tmp_path: Path, conf: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(  # fixed argument list, no shell
        _nginx(tmp_path, conf, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "")
        time.sleep(0.05)
    proc.terminate()
    raise AssertionError("nginx did not start listening")


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """GET ``path`` from the nginx on ``port`` (its self-signed certificate)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=20)
    try:
        conn.request("GET", path, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _through_nginx(port: int, headers: dict[str, str]) -> dict[str, str]:
    status, body = _get(port, "/gk/", headers)
    assert status == 200
    seen: dict[str, str] = json.loads(body)
    return {k.lower(): v for k, v in seen.items()}


@contextmanager
def _nginx_in_front(tmp_path: Path, upstream: int, *extra: str) -> Iterator[int]:
    """nginx running the generated site before ``upstream``; yields its HTTPS port."""
    https_port = _free_port()
    conf = _generate(
        tmp_path,
        "--upstream",
        f"127.0.0.1:{upstream}",
        "--https-port",
        str(https_port),
        "--http-port",
        str(_free_port()),
        *extra,
    )
    proc = _running_nginx(tmp_path, conf, https_port)
    try:
        yield https_port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _gongkai_sees(seen: dict[str, str]) -> str | None:
    """client_ip() of the request as it reaches gunicorn from nginx (127.0.0.1)."""
    meta = {"REMOTE_ADDR": "127.0.0.1"}
    if "x-forwarded-for" in seen:
        meta["HTTP_X_FORWARDED_FOR"] = seen["x-forwarded-for"]
    if "x-real-ip" in seen:
        meta["HTTP_X_REAL_IP"] = seen["x-real-ip"]
    return client_ip(RequestFactory().get("/gk/", **meta))


@pytest.mark.parametrize("behind_balancer", [True, False])
def test_the_visitor_address_reaches_gongkai_through_nginx(
    tmp_path, upstream, settings, behind_balancer
):
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1/32"]  # nginx on the same host
    # This test is the load balancer: it connects from 127.0.0.1.
    balancer = ["--load-balancer", "127.0.0.1/32"] if behind_balancer else []
    with _nginx_in_front(tmp_path, upstream, *balancer) as https_port:
        plain = _through_nginx(https_port, {"X-Forwarded-For": "203.0.113.50"})
        # A visitor forged the left part; the balancer appended the real peer.
        forged = _through_nginx(
            https_port, {"X-Forwarded-For": "198.51.100.1, 203.0.113.50"}
        )
        real_ip_only = _through_nginx(https_port, {"X-Real-IP": "198.51.100.9"})
    if behind_balancer:
        assert _gongkai_sees(plain) == "203.0.113.50"
        assert _gongkai_sees(forged) == "203.0.113.50"
    else:
        # nginx is the edge: whatever the visitor wrote, its own address counts.
        assert _gongkai_sees(plain) == "127.0.0.1"
        assert _gongkai_sees(forged) == "127.0.0.1"
    assert _gongkai_sees(real_ip_only) == "127.0.0.1"  # X-Real-IP is never believed


def test_an_address_too_long_for_nginx_is_refused_in_chinese(tmp_path, upstream):
    with _nginx_in_front(tmp_path, upstream) as https_port:
        # 1,200 Chinese characters typed into the address: about 10.8 KB encoded.
        status, body = _get(https_port, "/gk/2/search/?q=" + "%E6%B4%9B" * 1200, {})
        fine, _ = _get(https_port, "/gk/2/search/?q=" + "%E6%B4%9B" * 400, {})
    assert status == 414
    assert "网址或请求信息过长" in body
    assert "nginx" not in body.lower() and "Request" not in body
    assert fine == 200  # 3.6 KB: passed on to the application
