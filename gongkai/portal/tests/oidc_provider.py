"""A small OpenID Connect provider on 127.0.0.1 for tests (the fake at the edge):
the authorization-code flow as a province's 统一身份认证 runs it — ``/authorize``
redirects back with a code and the state, ``/token`` checks the client and the code
and answers an HS256-signed id_token carrying the nonce, ``/userinfo`` answers the
claims for the access token."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt

from gongkai.inforequests.tests.local_servers import free_port


class OidcProvider:
    def __init__(self, client_id: str, client_secret: str, claims: dict[str, Any]):
        self.client_id, self.client_secret = client_id, client_secret
        self.claims = claims
        self.signing_key = client_secret  # a test may sign with another to forge
        self.codes: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, str] = {}
        self.port = free_port()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's hook name
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._answer(400, {"error": "unauthorized_client"})
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {
                        "nonce": query.get("nonce", ""),
                        "redirect_uri": query["redirect_uri"],
                    }
                    back = urlencode({"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    bearer = self.headers.get("Authorization", "")[len("Bearer ") :]
                    if bearer not in provider.tokens:
                        return self._answer(401, {"error": "invalid_token"})
                    return self._answer(200, provider.claims)
                return self._answer(404, {})

            def do_POST(self) -> None:  # http.server's hook name
                length = int(self.headers.get("Content-Length", 0))
                form = {
                    k: v[0]
                    for k, v in parse_qs(self.rfile.read(length).decode()).items()
                }
                if self.path != "/token":
                    return self._answer(404, {})
                if (form.get("client_id"), form.get("client_secret")) != (
                    provider.client_id,
                    provider.client_secret,
                ):
                    return self._answer(401, {"error": "invalid_client"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._answer(400, {"error": "invalid_grant"})
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": f"http://127.0.0.1:{provider.port}",
                        "sub": provider.claims["sub"],
                        "aud": provider.client_id,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": grant["nonce"],
                    },
                    provider.signing_key,
                    algorithm="HS256",
                )
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = provider.claims["sub"]
                return self._answer(
                    200,
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "id_token": id_token,
                    },
                )

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> OidcProvider:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
