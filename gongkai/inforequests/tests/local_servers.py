"""Real servers on 127.0.0.1 for the notification tests and the benchmark: an SMTP
listener (aiosmtpd) that keeps what it receives, and a tiny HTTP SMS gateway."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Keep:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(
        self, server: Any, session: Any, envelope: Any
    ) -> str:  # aiosmtpd's hook name
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


class SmtpListener:
    """``with SmtpListener() as smtp:`` — ``smtp.port``, ``smtp.messages``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.keep = _Keep()
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.keep.lock:
            return list(self.keep.messages)

    @property
    def recipients(self) -> list[list[str]]:
        with self.keep.lock:
            return list(self.keep.recipients)

    def __enter__(self) -> SmtpListener:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class SmsGateway:
    """A local HTTP SMS gateway: keeps each JSON POST; ``fail_with`` makes it answer
    that HTTP status (or a JSON ``code``) instead."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_with: int | None = None
        self.refuse_code: int | None = None
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's hook name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                if gateway.fail_with:
                    self.send_response(gateway.fail_with)
                    self.end_headers()
                    return
                gateway.received.append(body)
                gateway.headers.append(dict(self.headers))
                answer = {
                    "code": gateway.refuse_code or 0,
                    "message": "余额不足" if gateway.refuse_code else "ok",
                }
                data = json.dumps(answer).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmsGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
