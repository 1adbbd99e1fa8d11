"""Renderers of an annual report: ``render(report, fmt) -> bytes``.

Formats: ``txt`` (official layout, tab-separated tables), ``html`` (the official
tables with merged cells), ``docx`` (GB/T 9704 typography, merged cells),
``xlsx`` (cells, findings and tables sheets) and ``json`` (flat keys,
metadata, findings). Output is deterministic: the same report gives the same
bytes. Each renderer module is imported on first use, so importing this
package (e.g. for ``FORMATS`` in the CLI) does not load python-docx/openpyxl.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Literal

from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Finding, Report
from gongkai.core.annual.render.grid import NATIONAL_FORM, FormOptions

Format = Literal["txt", "html", "docx", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("txt", "html", "docx", "xlsx", "json")
# Formats that carry findings (the others print the report only).
_WITH_FINDINGS = frozenset({"json", "xlsx"})


def _renderer(fmt: str) -> Callable[..., bytes]:
    module = importlib.import_module(f"gongkai.core.annual.render.{fmt}")
    renderer: Callable[..., bytes] = getattr(module, f"render_{fmt}")
    return renderer


def render(
    report: Report,
    fmt: str,
    findings: Sequence[Finding] | None = None,
    *,
    options: FormOptions = NATIONAL_FORM,
) -> bytes:
    """The report as a file of format ``fmt``.

    ``findings`` go into the JSON and XLSX output; by default the report's own
    parse diagnostics followed by ``validate(report)``. ``options`` selects a
    regional variant of the printed tables (JSON holds the data only).
    """
    if fmt not in FORMATS:
        raise ValueError(f"未知的输出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    if fmt not in _WITH_FINDINGS:
        return bytes(_renderer(fmt)(report, options))
    if findings is None:
        findings = [*report.diagnostics, *validate(report)]
    if fmt == "xlsx":
        return bytes(_renderer(fmt)(report, findings, options))
    return bytes(_renderer(fmt)(report, findings))


__all__ = ["FORMATS", "NATIONAL_FORM", "FormOptions", "Format", "render"]
