"""Files of a report: the core renderers plus PDF (WeasyPrint from the official HTML)."""

from __future__ import annotations

import re

from gongkai.core.annual.charts import (
    applicant_chart,
    bar_chart_svg,
    outcome_chart,
    proactive_chart,
    trend_chart,
)
from gongkai.core.annual.render import render
from gongkai.reports.models import AnnualReport
from gongkai.reports.services import to_core_report

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FILE_FORMATS = ("docx", "pdf", "json", "xlsx", "txt", "html")


def report_file(report: AnnualReport, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in ``fmt``."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"不支持的格式：{fmt}")
    core = to_core_report(report)
    if fmt == "pdf":
        from weasyprint import HTML

        data = HTML(string=render(core, "html").decode("utf-8")).write_pdf()
    else:
        data = render(core, fmt)
    suffix = f"（更正版{report.revision}）" if report.revision > 1 else ""
    return data, CONTENT_TYPES[fmt], f"{report.title}{suffix}.{fmt}"


def report_article_html(report: AnnualReport) -> str:
    """The ``<article>`` of the official HTML (tables with merged cells), for embedding."""
    page = render(to_core_report(report), "html").decode("utf-8")
    match = re.search(r"<article.*?</article>", page, flags=re.S)
    return match.group(0) if match else ""


def link_cells(article_html: str, url_for_key: object) -> str:
    """Turn each value cell (``data-key``) into a link to the records behind it."""

    def _link(m: re.Match[str]) -> str:
        key, value = m.group(2), m.group(3)
        return f'{m.group(1)}<a href="{url_for_key(key)}" title="查看明细">{value}</a></td>'  # type: ignore[operator]

    return re.sub(
        r'(<td class="value"[^>]*data-key="([^"]+)"[^>]*>)([^<]*)</td>',
        _link,
        article_html,
    )


def report_charts(report: AnnualReport, history: list[AnnualReport]) -> list[str]:
    core = to_core_report(report)
    charts = [outcome_chart(core), applicant_chart(core), proactive_chart(core)]
    if len(history) > 1:
        charts.append(trend_chart([to_core_report(r) for r in history]))
    return [bar_chart_svg(c) for c in charts]
