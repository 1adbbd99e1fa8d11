"""HTML (CMS pages, Word-exported HTML) -> linear document, with selectolax/lexbor."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.grid import Cell, span_value, table_lines
from gongkai.core.annual.parse.plain import text_doc

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "select",
        "option",
        "iframe",
        "svg",
        "button",
        "textarea",
        "input",
        "img",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "hr",
        "center",
        "form",
        "nav",
        "table",
    }
)
_WS = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")


def html_doc(text: str) -> Doc:
    try:
        tree = LexborHTMLParser(text)
        root = tree.body or tree.root
        title_node = tree.css_first("title")
        title = title_node.text(strip=True) if title_node is not None else None
        pieces: list[str] = []
        if root is not None:
            _walk(root, pieces)
    except Exception as exc:  # lexbor is C code: keep any surprise a diagnostic
        doc = text_doc(re.sub(r"<[^>]*>", " ", text), kind="html")
        doc.findings.append(finding("parse.html_unreadable", str(exc)[:120]))
        return doc
    linear = re.sub(r"\n[ \t]*\n+", "\n", "".join(pieces))
    doc = text_doc(linear, kind="html")
    doc.title_hint = title
    return doc


def _walk(root: LexborNode, out: list[str]) -> None:
    """Depth-first text walk without recursion (pages can nest very deep)."""
    stack: list[LexborNode | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        tag = item.tag or ""
        if tag == "-text":
            text = item.text_content or ""
            parent = item.parent
            in_pre = parent is not None and parent.tag in ("pre", "textarea")
            out.append(text if in_pre else _WS.sub(" ", text))
            continue
        if tag in _SKIP or tag.startswith("-"):
            continue
        if tag == "table" and len(item.css("table")) == 1:  # css() includes the node
            out.append("\n" + "\n".join(table_lines(_table_rows(item))) + "\n")
            continue
        if tag == "br":
            out.append("\n")
            continue
        children = list(item.iter(include_text=True))
        if tag in _BLOCK:
            stack.append("\n")
        stack.extend(reversed(children))
        if tag in _BLOCK:
            stack.append("\n")


def _table_rows(table: LexborNode) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for tr in table.css("tr"):
        cells = [
            Cell(
                _cell_text(td),
                colspan=span_value(td.attributes.get("colspan")),
                rowspan=span_value(td.attributes.get("rowspan")),
            )
            for td in tr.iter()
            if td.tag in ("td", "th")
        ]
        rows.append(cells)
    return rows


def _cell_text(td: LexborNode) -> str:
    # Text pieces of one cell are joined without separators: Word splits both
    # labels (社会/公益/组织) and numbers (20/23) over <p>/<span>.
    return "".join(
        _WS.sub(" ", t).strip()
        for t in td.text(deep=True, separator="\x00").split("\x00")
    )
