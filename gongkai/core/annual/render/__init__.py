"""Renderers of an annual report: ``render(report, fmt) -> bytes``.

Formats: ``txt`` (official layout, tab-separated tables), ``html`` (the official
tables with merged cells), ``docx`` (GB/T 9704 typography, merged cells),
``xlsx`` (cells and findings sheets) and ``json`` (flat keys, metadata,
findings). Output is deterministic: the same report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Finding, Report
from gongkai.core.annual.render.docx import render_docx
from gongkai.core.annual.render.html import render_html
from gongkai.core.annual.render.json import render_json
from gongkai.core.annual.render.txt import render_txt
from gongkai.core.annual.render.xlsx import render_xlsx

Format = Literal["txt", "html", "docx", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("txt", "html", "docx", "xlsx", "json")
EXTENSIONS: dict[Format, str] = {f: f".{f}" for f in FORMATS}


def _text_renderers() -> dict[str, Callable[[Report], bytes]]:
    return {"txt": render_txt, "html": render_html, "docx": render_docx}


def render(
    report: Report, fmt: str, findings: Sequence[Finding] | None = None
) -> bytes:
    """The report as a file of format ``fmt``.

    ``findings`` go into the JSON and XLSX output; by default the report's own
    parse diagnostics followed by ``validate(report)``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"未知的输出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    if fmt in ("json", "xlsx"):
        if findings is None:
            findings = [*report.diagnostics, *validate(report)]
        renderer = render_json if fmt == "json" else render_xlsx
        return renderer(report, findings)
    return _text_renderers()[fmt](report)


__all__ = ["EXTENSIONS", "FORMATS", "Format", "render"]
