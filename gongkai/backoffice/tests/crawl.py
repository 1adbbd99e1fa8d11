"""A small crawler over the Django test client: follows the links a signed-in user
sees, fills the URL patterns with the demo's ids, and posts every form it finds with
boundary values. Used by ``test_crawl.py`` (no 500s) and the internal-key scan.

Written here rather than taken from a library: the crawl must run inside the test
client (one transaction, force_login per role, no server), which the crawling
libraries (scrapy and the like) do not; what it does is a queue, an HTML parser
(selectolax) and a table of boundary values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

# Where the crawl never goes: signing out ends the session; the admin's own forms
# are Django's (the admin is covered by its own tests); files are not pages.
# /healthz and /metrics are for machines: /healthz answers 503 while no worker's
# scheduler runs (as in tests) and is tested in gongkai/ops/tests.
SKIP_PREFIXES = (
    "/logout/",
    "/static/",
    "/media/",
    "/admin/jsi18n/",
    "/healthz",
    "/metrics",
)
SKIP_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".zip", ".png", ".svg", ".ico")
# Links to file downloads (a PDF takes seconds to render; the pattern pass still
# requests each download view once, in the cheap text format).
SKIP_DOWNLOADS = re.compile(r"/download/|/(pdf|docx|xlsx|csv|zip)/?$|[?&]format=")
MAX_PER_SHAPE = 2  # pages of one URL shape (ids replaced) read per role
MAX_TRIES_PER_SHAPE = 4  # requests of one URL shape (404s included) per role

HUGE_TEXT = "长" * 100_000
DATE_FIELD = re.compile(r"(^|_)(on|date|from|until|at|day)$|日期")


def shape(url: str) -> str:
    """``/office/requests/12/`` and ``…/13/`` are one shape."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, templates or attribute values."""
    tree = HTMLParser(html)
    for node in tree.css("script, style, template, noscript"):
        node.decompose()
    body = tree.body
    return body.text(separator=" ") if body is not None else ""


@dataclass
class Form:
    page: str
    action: str
    fields: list[dict[str, Any]]

    @property
    def signature(self) -> str:
        names = ",".join(sorted(f["name"] for f in self.fields))
        return f"{shape(self.action)}|{names}"


def _field(node: Node) -> dict[str, Any] | None:
    name = node.attributes.get("name")
    if not name:
        return None
    tag = node.tag
    kind = (node.attributes.get("type") or "text").lower() if tag == "input" else tag
    if kind in ("submit", "button", "reset", "image"):
        return None
    options = []
    if tag == "select":
        options = [o.attributes.get("value", o.text()) for o in node.css("option")]
    return {
        "name": name,
        "kind": kind,
        "value": node.attributes.get("value") or "",
        "options": [o for o in options if o],
        "inputmode": node.attributes.get("inputmode") or "",
        "checked": "checked" in node.attributes,
    }


def forms_of(url: str, html: str) -> list[Form]:
    found = []
    for form in HTMLParser(html).css("form"):
        if (form.attributes.get("method") or "get").lower() != "post":
            continue
        action = urljoin(url, form.attributes.get("action") or url)
        fields = [
            f
            for node in form.css("input, select, textarea")
            if (f := _field(node)) is not None
        ]
        found.append(Form(url, action, fields))
    return found


def _targets(html: str) -> Iterator[str]:
    """Where the page lets a reader go by GET: its links, htmx GETs and GET forms."""
    tree = HTMLParser(html)
    for a in tree.css("a[href]"):
        yield a.attributes.get("href") or ""
    for node in tree.css("[hx-get]"):
        yield node.attributes.get("hx-get") or ""
    for form in tree.css("form"):
        if (form.attributes.get("method") or "get").lower() == "get":
            yield form.attributes.get("action") or ""


def links_of(url: str, html: str) -> list[str]:
    out = []
    for target in _targets(html):
        href = urldefrag(urljoin(url, target))[0]
        parts = urlsplit(href)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
            continue
        if SKIP_DOWNLOADS.search(path):
            continue
        out.append(path)
    return out


def _routes(patterns: Any = None, prefix: str = "") -> Iterator[str]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def pattern_urls(ids: list[int], years: list[int]) -> list[str]:
    """Every URL pattern of the site with the demo's ids and a few years filled in."""
    urls: set[str] = set()
    for route in _routes():
        if route.startswith(("admin/", "api/")) or "(?P" in route or "^" in route:
            continue
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if not params:
            urls.add("/" + route)
            continue
        for ident in ids:
            url = route
            for conv, name in params:
                if name == "year":
                    value = str(years[ident % len(years)])
                elif conv in ("int", ""):
                    value = str(ident)
                elif name in ("fmt", "kind"):
                    value = "txt"
                else:
                    value = "s3.new.natural" if name == "key" else "x"
                url = url.replace(f"<{conv + ':' if conv else ''}{name}>", value, 1)
            urls.add("/" + url)
    return sorted(
        u
        for u in urls
        if not u.endswith(SKIP_SUFFIXES) and not u.startswith(SKIP_PREFIXES)
    )


def _is_date(f: dict[str, Any]) -> bool:
    return f["kind"] == "date" or bool(DATE_FIELD.search(f["name"]))


def _is_number(f: dict[str, Any]) -> bool:
    return f["kind"] == "number" or f["inputmode"] in ("numeric", "decimal")


BOUNDARY_SETS: dict[str, dict[str, str]] = {
    "empty": {"date": "", "number": "", "text": ""},
    "huge": {"date": "2099-12-31", "number": "1000000000000", "text": HUGE_TEXT},
    "old": {"date": "1900-01-01", "number": "-1", "text": "　"},
}


def fill(form: Form, variant: str) -> dict[str, Any]:
    """The form's fields with one boundary set. In the "huge" set the first free-text
    field carries 10^5 characters and the others 10^3, so the body stays under
    DATA_UPLOAD_MAX_MEMORY_SIZE and reaches the form's own validation."""
    values = BOUNDARY_SETS[variant]
    data: dict[str, Any] = {}
    huge_given = False
    for f in form.fields:
        kind = f["kind"]
        if kind == "hidden" or f["name"] == "csrfmiddlewaretoken":
            data[f["name"]] = f["value"]
        elif kind == "file":
            continue
        elif kind in ("checkbox", "radio"):
            if variant != "empty":
                data.setdefault(f["name"], f["value"] or "on")
        elif kind == "select":
            data[f["name"]] = (
                "" if variant == "empty" or not f["options"] else f["options"][0]
            )
        elif _is_date(f):
            data[f["name"]] = values["date"]
        elif _is_number(f):
            data[f["name"]] = values["number"]
        elif variant == "huge" and huge_given:
            data[f["name"]] = HUGE_TEXT[:1000]
        else:
            huge_given = huge_given or variant == "huge"
            data[f["name"]] = values["text"]
    return data


def _reason(response: Any) -> str:
    text = " ".join(visible_text(response.content.decode("utf-8", "replace")).split())
    return (
        text[text.find("没有访问权限") :][:120]
        if "没有访问权限" in text
        else text[:120]
    )


@dataclass
class Crawl:
    client: Client
    failures: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)  # forms offered, 403 or 404
    pages: dict[str, str] = field(default_factory=dict)  # url -> visible text
    forms: list[Form] = field(default_factory=list)
    offered: dict[str, str] = field(default_factory=dict)  # link -> a page showing it
    status: dict[str, int] = field(default_factory=dict)  # url -> status of its GET
    _shapes: dict[str, int] = field(default_factory=dict)
    _tries: dict[str, int] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    def _get(self, url: str) -> tuple[int, str]:
        try:
            response = self.client.get(url)
        except Exception as exc:  # a crash is what the crawl is looking for
            self.failures.append(f"GET {url}: {type(exc).__name__}: {exc}")
            self.status[url] = 500
            return 500, ""
        self.status[url] = response.status_code
        if response.status_code >= 500:
            self.failures.append(f"GET {url}: {response.status_code}")
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "text/html" not in content_type:
            return response.status_code, ""
        return 200, response.content.decode("utf-8", "replace")

    def visit(self, start: list[str], *, allow: Callable[[str], bool]) -> None:
        """Breadth-first from ``start``: at most ``MAX_PER_SHAPE`` pages and
        ``MAX_TRIES_PER_SHAPE`` requests of each URL shape."""
        queue, seen = list(start), self._seen
        while queue:
            url = queue.pop(0)
            if url in seen or not allow(url):
                continue
            seen.add(url)
            key = shape(url)
            if (
                self._shapes.get(key, 0) >= MAX_PER_SHAPE
                or self._tries.get(key, 0) >= MAX_TRIES_PER_SHAPE
            ):
                continue
            self._tries[key] = self._tries.get(key, 0) + 1
            _status, html = self._get(url)
            if not html:
                continue
            self._shapes[key] = self._shapes.get(key, 0) + 1
            self.pages[url] = visible_text(html)
            self.forms.extend(forms_of(url, html))
            links = links_of(url, html)
            for link in links:
                self.offered.setdefault(link, url)
            queue.extend(u for u in links if u not in seen)

    def dead_links(self, *, on: Callable[[str], bool]) -> list[str]:
        """Every link shown on a page ``on`` accepts, followed (GET, redirects
        too): those answering 403, 404 or 500 — a link the user was offered
        and may not use. Links the crawl already read are not read again."""
        dead = []
        for link, page in self.offered.items():
            if not on(page):
                continue
            status, reason = self.status.get(link), ""
            if status is None or 300 <= status < 500:  # again, for the reason
                try:
                    response = self.client.get(link, follow=True)
                except Exception as exc:
                    self.failures.append(f"GET {link}: {type(exc).__name__}: {exc}")
                    continue
                status = self.status[link] = response.status_code
                reason = _reason(response)
            if status in (403, 404) or status >= 500:
                dead.append(f"{link} (on {page}): {status} {reason}")
        return dead

    def post_forms(self, done: set[str]) -> int:
        """Post each form this user was offered once empty (a form offered but
        refused is found for every role, not only for the first to meet it), and
        with the other boundary sets if no one posted it before (``done``:
        signatures); returns how many requests were made."""
        sent = 0
        mine: set[str] = set()
        for form in self.forms:
            path = urlsplit(form.action).path
            if form.signature in mine or path.startswith(SKIP_PREFIXES):
                continue
            mine.add(form.signature)
            variants = ["empty"] if form.signature in done else list(BOUNDARY_SETS)
            done.add(form.signature)
            for variant in variants:
                sent += 1
                try:
                    response = self.client.post(form.action, fill(form, variant))
                except Exception as exc:
                    self.failures.append(
                        f"POST {form.action} ({variant}, from {form.page}): "
                        f"{type(exc).__name__}: {exc}"
                    )
                    continue
                if response.status_code in (403, 404) and variant == "empty":
                    self.forbidden.append(
                        f"POST {form.action} (from {form.page}): "
                        f"{response.status_code} {_reason(response)}"
                    )
                if response.status_code >= 500:
                    self.failures.append(
                        f"POST {form.action} ({variant}, from {form.page}): "
                        f"{response.status_code}"
                    )
        return sent
