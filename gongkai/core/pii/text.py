"""The text of a sanitised HTML body as the detectors read it: one line per block and
per table row, table cells separated by a tab (so "a name in the same row" is "a name
on the same line")."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_lines"]

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "table",
        "caption",
        "ul",
        "ol",
    ]
)
_CELLS = frozenset({"td", "th"})


class _Lines(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_lines(html: str) -> str:
    """Plain text of ``html``: blocks and rows on their own lines, cells tab-separated."""
    parser = _Lines()
    parser.feed(html or "")
    parser.close()
    lines = []
    for raw in "".join(parser.parts).split("\n"):
        line = raw.replace("\xa0", " ").strip(" \r")
        line = line.strip("\t") if not line.strip() else line.lstrip("\t")
        if line.strip():
            lines.append(line)
    return "\n".join(lines)
