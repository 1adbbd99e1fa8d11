"""A column page rendered in two parts: the body's frame, kept, and the page's own
content (issue 24, requirement 2: a page missing from the cache at half a bare view).

Most of what it costs to render a list or detail page is not the page's own: three
levels of templates (``base.html``, ``portal/base.html``), the static files'
addresses, the header, navigation, breadcrumb and footer — alike on every page of
a body. So the frame (``portal/frame.html``) is rendered once per body, 适老化 mode
and language under the content version (``cache.body_part``), with a marker in each
of its three holes — the page's title, its own address (the 适老化 switch's
``next``) and its content — and kept cut at the markers. A page then renders only
its content template and is joined into the frame, each hole escaped as the
template escapes it: the page is byte for byte what the whole template gives
(``tests/test_page_frame.py``).

The frame is rendered whole, with the page's values in its holes and nothing kept,
for a request whose pages are not cached (signed in, a flash message in a cookie:
``cache.cacheable``), for a request with a message to show, and when the frame's
text holds the request's CSP nonce (none does: a per-request value must never reach
another visitor).
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from gongkai.portal.cache import body_part, cacheable

FRAME_TEMPLATE = "portal/frame.html"
# The holes of the frame, in the order they appear in it.
HOLES = ("title", "next", "content")
# A marker no page text can contain: whatever a template prints from data is
# escaped, so "<" never comes from the body's or the page's data.
_MARKERS = {hole: SafeString(f"<!--gk-frame-{hole}-->") for hole in HOLES}
# What the frame shows besides its holes: the body (covered by the content
# version), the 适老化 mode and the ICP number. Nothing else of the page's context
# reaches the frame, so nothing else can be kept in it.
FRAME_CONTEXT = ("org", "apply_org", "breadcrumb", "icp", "elderly")

Frame = tuple[str, ...]  # the text between the holes: len(HOLES) + 1 pieces


def _frame_context(context: dict[str, Any], holes: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: context[name] for name in FRAME_CONTEXT},
        "frame_title": holes["title"],
        "frame_next": holes["next"],
        "frame_content": holes["content"],
    }


def _cut(request: HttpRequest, context: dict[str, Any]) -> Frame | None:
    """The frame rendered with markers, cut at them (None: it cannot be kept)."""
    html: str = render_to_string(
        FRAME_TEMPLATE, _frame_context(context, _MARKERS), request
    )
    nonce = getattr(request, "csp_nonce", None)
    if nonce and nonce in html:
        return None
    if any(html.count(marker) != 1 for marker in _MARKERS.values()):
        return None
    pieces: list[str] = []
    rest = html
    for hole in HOLES:
        before, found, rest = rest.partition(_MARKERS[hole])
        if not found:  # the holes out of order
            return None
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def _kept_frame(request: HttpRequest, context: dict[str, Any]) -> Frame | None:
    if not cacheable(request) or len(get_messages(request)):
        return None
    org, apply_org = context["org"], context["apply_org"]
    key = (
        "frame",
        org.pk,
        apply_org.pk if apply_org else None,
        bool(context["elderly"]),
        context["icp"],
        get_language(),
    )
    return body_part(request, key, lambda: _cut(request, context))


def framed_page(
    request: HttpRequest, content_template: str, context: dict[str, Any], *, title: str
) -> HttpResponse:
    """The page ``content_template`` in its body's frame, titled ``title``.

    ``context`` is the column's context (``views._context``) and the page's own."""
    # The content is rendered without the context processors (user, perms,
    # messages, CSRF: a third of its cost), which the frame alone uses; the
    # content templates read only their context and ``request``.
    content = mark_safe(  # noqa: S308 (rendered by the template engine, escaped there)
        render_to_string(content_template, {**context, "request": request})
    )
    holes: dict[str, Any] = {
        "title": title,
        "next": request.get_full_path(),
        "content": content,
    }
    frame = _kept_frame(request, context)
    html: str
    if frame is None:
        html = render_to_string(FRAME_TEMPLATE, _frame_context(context, holes), request)
    else:
        filled = [conditional_escape(holes[hole]) for hole in HOLES]
        html = "".join(
            piece + hole for piece, hole in zip(frame, [*filled, ""], strict=True)
        )
    return HttpResponse(html)
