"""A link checker that behaves: bounded concurrency, per-host politeness, timeouts
(connect, read and a total per link), a cap on the bytes read, redirects followed by
hand with loop detection. Built on urllib3 (thread-safe pools, typed).

It never raises for a bad link: every URL gets a :class:`LinkResult` saying what
happened, in Chinese, and the run goes on.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)


class Outcome(StrEnum):
    OK = "ok"
    TOO_LARGE = "too_large"  # answered, we stopped reading at max_bytes (not broken)
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    TLS = "tls"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    MALFORMED = "malformed"

    @property
    def broken(self) -> bool:
        return self not in (Outcome.OK, Outcome.TOO_LARGE)


@dataclass(frozen=True)
class LinkConfig:
    concurrency: int = 16  # links in flight at once
    per_host: int = 2  # links in flight to one host at once
    per_host_delay: float = 0.0  # seconds between two requests to one host
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0  # one link, redirects included
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5
    verify_tls: bool = True
    user_agent: str = "Gongkai-inspection/1.0 (site self-inspection)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: Outcome
    status: int | None = None
    message: str = ""
    final_url: str = ""
    elapsed: float = 0.0

    @property
    def broken(self) -> bool:
        return self.outcome.broken


def is_checkable(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


class _Politeness:
    def __init__(self, config: LinkConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._last: dict[str, float] = defaultdict(float)

    def slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(
                    max(1, self.config.per_host)
                )
            return self._slots[host]

    def wait_turn(self, host: str) -> None:
        delay = self.config.per_host_delay
        if delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._last[host] + delay)
            self._last[host] = start
        if start > now:
            time.sleep(start - now)


class LinkChecker:
    def __init__(self, config: LinkConfig | None = None) -> None:
        self.config = config or LinkConfig()
        self.polite = _Politeness(self.config)
        self.pool = urllib3.PoolManager(
            num_pools=64,
            maxsize=max(1, self.config.per_host),
            cert_reqs=ssl.CERT_REQUIRED if self.config.verify_tls else ssl.CERT_NONE,
            headers={"User-Agent": self.config.user_agent},
            retries=False,
        )

    def check_many(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        unique = list(dict.fromkeys(urls))
        # Interleave hosts so the workers are not all queued behind one host's slots.
        by_host: dict[str, list[str]] = defaultdict(list)
        for url in unique:
            by_host[_host(url)].append(url)
        order: list[str] = []
        queues = list(by_host.values())
        while queues:
            order.extend(q.pop(0) for q in queues)
            queues = [q for q in queues if q]
        workers = max(1, min(self.config.concurrency, len(order) or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(self.check, order))
        return {r.url: r for r in results}

    def check(self, url: str) -> LinkResult:
        started = time.monotonic()
        try:
            return self._check(url, started)
        except Exception as exc:
            outcome = _classify(exc)
            return LinkResult(
                url,
                outcome,
                message=_MESSAGES[outcome],
                elapsed=time.monotonic() - started,
            )

    def _check(self, url: str, started: float) -> LinkResult:
        cfg = self.config
        seen: list[str] = []
        current = url
        while True:
            try:
                parts = urlsplit(current)
                hostname = parts.hostname
            except ValueError:
                hostname = None
            if hostname is None or parts.scheme not in ("http", "https"):
                return LinkResult(
                    url, Outcome.MALFORMED, message="链接地址格式错误", elapsed=0.0
                )
            if current in seen:
                return self._done(
                    url, Outcome.REDIRECT_LOOP, None, "重定向循环", current, started
                )
            if len(seen) > cfg.max_redirects:
                return self._done(
                    url,
                    Outcome.TOO_MANY_REDIRECTS,
                    None,
                    f"重定向超过{cfg.max_redirects}次",
                    current,
                    started,
                )
            seen.append(current)
            left = cfg.total_timeout - (time.monotonic() - started)
            if left <= 0:
                return self._done(
                    url, Outcome.TIMEOUT, None, "访问超时", current, started
                )
            host = parts.netloc.lower()
            slot = self.polite.slot(host)
            with slot:
                self.polite.wait_turn(host)
                status, location, outcome, message = self._fetch(current, started, left)
            if outcome is not None:
                return self._done(url, outcome, status, message, current, started)
            if status is not None and 300 <= status < 400 and location:
                current = urljoin(current, location)
                continue
            if status is not None and status >= 400:
                return self._done(
                    url,
                    Outcome.HTTP_ERROR,
                    status,
                    f"打不开（HTTP {status}）",
                    current,
                    started,
                )
            return self._done(url, Outcome.OK, status, "", current, started)

    def _fetch(
        self, url: str, started: float, left: float
    ) -> tuple[int | None, str, Outcome | None, str]:
        cfg = self.config
        timeout = urllib3.Timeout(
            connect=min(cfg.connect_timeout, left), read=min(cfg.read_timeout, left)
        )
        try:
            response = self.pool.request(
                "GET", url, redirect=False, preload_content=False, timeout=timeout
            )
        except NewConnectionError:  # before its base class ConnectTimeoutError
            return None, "", Outcome.UNREACHABLE, "无法连接"
        except (ConnectTimeoutError, ReadTimeoutError):
            return None, "", Outcome.TIMEOUT, "访问超时"
        except SSLError:
            return None, "", Outcome.TLS, "安全证书错误（HTTPS）"
        except LocationParseError:
            return None, "", Outcome.MALFORMED, "链接地址格式错误"
        except ProtocolError:
            return None, "", Outcome.UNREACHABLE, "无法连接"
        except HTTPError as exc:
            return None, "", _classify(exc), _MESSAGES[_classify(exc)]
        try:
            status = response.status
            location = response.headers.get("Location", "")
            if 300 <= status < 400:
                return status, location, None, ""
            read = 0
            try:
                for chunk in response.stream(64 * 1024):
                    read += len(chunk)
                    if read > cfg.max_bytes:
                        return (
                            status,
                            "",
                            (Outcome.TOO_LARGE if status < 400 else Outcome.HTTP_ERROR),
                            f"页面超过{cfg.max_bytes // 1024} KB，未读完",
                        )
                    if time.monotonic() - started > cfg.total_timeout:
                        return status, "", Outcome.TIMEOUT, "访问超时（页面传输过慢）"
            except ReadTimeoutError:
                return status, "", Outcome.TIMEOUT, "访问超时（页面传输过慢）"
            except (ProtocolError, HTTPError):
                return status, "", Outcome.UNREACHABLE, "连接中断"
            return status, "", None, ""
        finally:
            response.release_conn()

    @staticmethod
    def _done(
        url: str,
        outcome: Outcome,
        status: int | None,
        message: str,
        final: str,
        started: float,
    ) -> LinkResult:
        return LinkResult(
            url, outcome, status, message, final, time.monotonic() - started
        )


_MESSAGES = {
    Outcome.TIMEOUT: "访问超时",
    Outcome.TLS: "安全证书错误（HTTPS）",
    Outcome.UNREACHABLE: "无法连接",
    Outcome.MALFORMED: "链接地址格式错误",
}


def _classify(exc: BaseException) -> Outcome:
    """The kind of failure an exception stands for (its reason in Chinese is
    ``_MESSAGES[kind]``; the exception's class name is never shown)."""
    reason = getattr(exc, "reason", None)
    for candidate in (exc, reason, exc.__cause__):
        if isinstance(candidate, NewConnectionError):
            return Outcome.UNREACHABLE
        if isinstance(candidate, SSLError | ssl.SSLError | ssl.CertificateError):
            return Outcome.TLS
        if isinstance(candidate, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
            return Outcome.TIMEOUT
        if isinstance(candidate, LocationParseError | UnicodeError | ValueError):
            return Outcome.MALFORMED
    return Outcome.UNREACHABLE


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src", "iframe": "src", "link": "href"}.get(tag)
        if wanted is None:
            return
        for name, value in attrs:
            if name == wanted and value:
                self.found.append(value.strip())


SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")


def extract_links(body: str, base_url: str = "") -> list[str]:
    """Every link of an HTML body, made absolute against ``base_url``; mail, phone,
    script and in-page anchors left out. A malformed one stays (it is broken)."""
    parser = _Links()
    try:
        parser.feed(body or "")
        parser.close()
    except Exception:  # noqa: S110 - a broken body yields the links read so far
        pass
    out: list[str] = []
    for raw in parser.found:
        if raw.lower().startswith(SKIPPED_SCHEMES):
            continue
        try:
            out.append(urljoin(base_url, raw) if base_url else raw)
        except ValueError:
            out.append(raw)
    return list(dict.fromkeys(out))
