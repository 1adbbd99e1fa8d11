"""The SMS adapter: a class with ``send(phone, text)``, chosen by ``GONGKAI_SMS_BACKEND``.

``NoSms`` (the default) sends nothing. ``HttpSmsGateway`` posts each message as JSON
to a gateway (a province's 短信平台 or a carrier's HTTP API behind a small shim):
``POST GONGKAI_SMS_GATEWAY_URL`` with ``{"phone": "…", "text": "…"}`` and
``Authorization: Bearer GONGKAI_SMS_GATEWAY_TOKEN``; a 2xx answer whose JSON (if any)
has no non-zero ``code`` is a success. Any other answer raises :class:`SmsError`
(Chinese, never the phone number), and the caller's outbox retries.

Written with ``urllib`` rather than a vendor SDK: each gateway has its own, and the
shim keeps the platform free of them (the WeChat adapter does the same).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(OSError):
    """The gateway refused or could not be reached; the message is Chinese."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class NoSms:
    """No SMS gateway configured: e-mail only."""

    def send(self, phone: str, text: str) -> None:
        return None


class HttpSmsGateway:
    """POST one message as JSON to the configured gateway."""

    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float = 10
    ):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout

    def send(self, phone: str, text: str) -> None:
        if not self.url:
            raise SmsError("未配置短信网关地址（GONGKAI_SMS_GATEWAY_URL）。")
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310  # URL from settings
            self.url, data=body.encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raise SmsError(f"短信网关返回错误 HTTP {exc.code}，将自动重试。") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError("无法连接短信网关，将自动重试。") from exc
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            answer = {}
        if isinstance(answer, dict) and answer.get("code") not in (None, 0, "0"):
            raise SmsError(
                f"短信网关拒绝发送（代码 {answer.get('code')}：{str(answer.get('message', ''))[:100]}）。"
            )


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
