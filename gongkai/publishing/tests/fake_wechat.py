"""A local stand-in for the part of the WeChat official-account API we call:
``GET /cgi-bin/token``, ``POST /cgi-bin/draft/add``, ``POST /cgi-bin/freepublish/submit``,
``/cgi-bin/freepublish/get`` and ``/cgi-bin/freepublish/delete``.
It runs on 127.0.0.1 in a thread and records what it received."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

APPID = "wx_test_appid"
SECRET = "test_secret"
TOKEN = "ACCESS_TOKEN_1"


class FakeWeChat:
    def __init__(self) -> None:
        self.drafts: dict[str, dict[str, Any]] = {}
        self.published: list[str] = []
        self.token_calls = 0
        self.fail_draft_with: tuple[int, str] | None = None
        self.deleted: list[str] = []  # article_ids taken down
        self.still_publishing: set[str] = set()  # publish_ids answering status 1
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeWeChat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def _reply(self, payload: dict[str, Any]) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _query(self) -> dict[str, str]:
                return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

            def do_GET(self) -> None:
                if urlparse(self.path).path != "/cgi-bin/token":
                    return self._reply({"errcode": 404, "errmsg": "not found"})
                q = self._query()
                fake.token_calls += 1
                if (
                    q.get("grant_type") != "client_credential"
                    or q.get("appid") != APPID
                    or q.get("secret") != SECRET
                ):
                    return self._reply({"errcode": 40013, "errmsg": "invalid appid"})
                return self._reply({"access_token": TOKEN, "expires_in": 7200})

            def do_POST(self) -> None:
                path = urlparse(self.path).path
                if self._query().get("access_token") != TOKEN:
                    return self._reply(
                        {"errcode": 40001, "errmsg": "invalid credential"}
                    )
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    data = json.loads(self.rfile.read(length).decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    return self._reply(
                        {"errcode": 47001, "errmsg": "data format error"}
                    )
                if path == "/cgi-bin/draft/add":
                    if fake.fail_draft_with:
                        code, msg = fake.fail_draft_with
                        return self._reply({"errcode": code, "errmsg": msg})
                    articles = data.get("articles")
                    if not articles or not all(
                        a.get("title") and a.get("content") for a in articles
                    ):
                        return self._reply(
                            {"errcode": 45004, "errmsg": "missing title or content"}
                        )
                    media_id = f"MEDIA_{len(fake.drafts) + 1}"
                    fake.drafts[media_id] = articles[0]
                    return self._reply({"media_id": media_id})
                if path == "/cgi-bin/freepublish/submit":
                    media_id = data.get("media_id")
                    if media_id not in fake.drafts:
                        return self._reply(
                            {"errcode": 40007, "errmsg": "invalid media_id"}
                        )
                    fake.published.append(media_id)
                    return self._reply(
                        {
                            "errcode": 0,
                            "errmsg": "ok",
                            "publish_id": f"PUB_{len(fake.published)}",
                        }
                    )
                if path == "/cgi-bin/freepublish/get":
                    publish_id = str(data.get("publish_id", ""))
                    number = publish_id.removeprefix("PUB_")
                    if not number.isdigit() or int(number) > len(fake.published):
                        return self._reply(
                            {"errcode": 53600, "errmsg": "invalid publish_id"}
                        )
                    article_id = f"ART_{number}"
                    if publish_id in fake.still_publishing:
                        status = 1
                    elif article_id in fake.deleted:
                        status = 5
                    else:
                        status = 0
                    return self._reply(
                        {
                            "publish_id": publish_id,
                            "publish_status": status,
                            "article_id": article_id if status in (0, 5) else "",
                        }
                    )
                if path == "/cgi-bin/freepublish/delete":
                    article_id = str(data.get("article_id", ""))
                    number = article_id.removeprefix("ART_")
                    if (
                        not number.isdigit()
                        or int(number) > len(fake.published)
                        or article_id in fake.deleted
                    ):
                        return self._reply(
                            {"errcode": 53600, "errmsg": "invalid article_id"}
                        )
                    fake.deleted.append(article_id)
                    return self._reply({"errcode": 0, "errmsg": "ok"})
                return self._reply({"errcode": 404, "errmsg": "not found"})

        return Handler
