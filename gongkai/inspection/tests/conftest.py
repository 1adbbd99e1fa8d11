from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _inspection_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INSPECTION_SITE_URL = ""
    settings.INSPECTION_OVERRIDES = {}
    settings.WORDING_DICTIONARY_PATH = ""
    settings.INSPECTION_LINKS = {
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "total_timeout": 3.0,
    }
    settings.GONGKAI_WECHAT_APPID = ""
    settings.GONGKAI_WECHAT_SECRET = ""


class _Farm(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        status = 404 if self.path.startswith("/missing") else 200
        body = b"<html>ok</html>" if status == 200 else b"gone"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def link_farm() -> Iterator[str]:
    """A local site on 127.0.0.1: /missing… answers 404, anything else 200."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Farm)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def dead_address() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"
