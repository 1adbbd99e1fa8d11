"""Untrusted rich text: bodies are sanitised with nh3; their text feeds the plain
channels. (Uploads are checked by ``gongkai.security.uploads.validate_upload``.)"""

from __future__ import annotations

import re
from html import unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr",
    "th", "td", "caption", "hr", "span", "div", "pre", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def clean_html(html: str) -> str:
    """Keep document structure; drop scripts, styles, event handlers, javascript: URLs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|tr|blockquote|pre)>|<br\s*/?>", re.I)


def plain_text(html: str) -> str:
    """The text of a body, one line per block (for feeds, posters, screens, diffs)."""
    text = nh3.clean(_BLOCK_END.sub("\n", html or ""), tags=set())
    lines = (line.strip() for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


_STRUCTURE = re.compile(
    r"<(?:p|div|br|ul|ol|li|table|h[1-6]|blockquote|pre|hr)\b", re.IGNORECASE
)


def body_html(body: str) -> str:
    """A body as safe HTML for a page. A body typed as plain text (older items, or
    saved without the editor's script) becomes one paragraph per line; an HTML body is
    cleaned again (it was cleaned on save; pages never trust stored markup)."""
    if not body:
        return ""
    if _STRUCTURE.search(body):
        return clean_html(body)
    # Plain text, possibly with inline tags only (<strong>…): one <p> per line.
    lines = [line.strip() for line in body.splitlines()]
    return "".join(f"<p>{clean_html(line)}</p>" for line in lines if line)
