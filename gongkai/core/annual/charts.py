"""图解: the key figures of a report as self-contained SVG bar charts (no JS, no CDN).

Deterministic output, readable on a phone (viewBox scales) and in print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from gongkai.core.annual.model import Report

_OUTCOME_GROUPS = (
    ("予以公开", ("s3.granted",)),
    ("部分公开", ("s3.partial",)),
    (
        "不予公开",
        tuple(
            f"s3.withheld.{k}"
            for k in (
                "state_secret",
                "other_laws",
                "security_stability",
                "third_party",
                "internal_affairs",
                "process_info",
                "case_file",
                "query_matter",
            )
        ),
    ),
    (
        "无法提供",
        tuple(f"s3.unable.{k}" for k in ("not_held", "needs_creation", "unclear")),
    ),
    (
        "不予处理",
        tuple(
            f"s3.rejected.{k}"
            for k in ("petition", "repeat", "publication", "excessive", "confirm")
        ),
    ),
    (
        "其他处理",
        (
            "s3.other.no_supplement",
            "s3.other.no_fee",
            "s3.other.other",
            "s3.other.subtotal",
        ),
    ),
)
_APPLICANTS = (
    ("自然人", "natural"),
    ("商业企业", "commercial"),
    ("科研机构", "research"),
    ("社会公益组织", "social"),
    ("法律服务机构", "legal"),
    ("其他", "other"),
)


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[tuple[str, float], ...]


def _value(cells: Mapping[str, object], key: str) -> float:
    value = cells.get(key)
    try:
        return float(value) if value is not None else 0.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def outcome_chart(report: Report) -> Chart:
    bars = tuple(
        (label, sum(_value(report.cells, f"{k}.total") for k in keys))
        for label, keys in _OUTCOME_GROUPS
    )
    return Chart(f"{report.year}年申请办理结果", bars)


def applicant_chart(report: Report) -> Chart:
    return Chart(
        f"{report.year}年申请人类型",
        tuple(
            (label, _value(report.cells, f"s3.new.{col}")) for label, col in _APPLICANTS
        ),
    )


def trend_chart(reports: Sequence[Report]) -> Chart:
    """New applications year on year (reports in any order)."""
    ordered = sorted(
        (r for r in reports if r.year is not None), key=lambda r: r.year or 0
    )
    return Chart(
        "历年新收申请数量",
        tuple((f"{r.year}年", _value(r.cells, "s3.new.total")) for r in ordered),
    )


def proactive_chart(report: Report) -> Chart:
    return Chart(
        f"{report.year}年主动公开（第二十条）",
        (
            ("制发规范性文件", _value(report.cells, "s2.normative.issued")),
            ("行政许可", _value(report.cells, "s2.license.decisions")),
            ("行政处罚", _value(report.cells, "s2.penalty.decisions")),
            ("行政强制", _value(report.cells, "s2.coercion.decisions")),
        ),
    )


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# Sizes in SVG user units. The chart is drawn 320 units wide and shown at the
# width of its column (``.charts svg { width: 100% }``): a phone's column is
# ≥ 288 px and a printed A4 column wider, so a 16-unit label is drawn at
# ≥ 14 px (readable ≥ 12 px). Each label sits on its own line above its bar so
# long labels (社会公益组织, 制发规范性文件) need no side column.
CHART_WIDTH = 320
LABEL_SIZE = 16
TITLE_SIZE = 18


def bar_chart_svg(
    chart: Chart, *, width: int = CHART_WIDTH, bar_height: int = 20
) -> str:
    """A horizontal bar chart with labels and values, as an SVG document."""
    pad, top, gap = 8, 34, 6
    step = LABEL_SIZE + gap + bar_height + 12
    height = top + len(chart.bars) * step
    peak = max((v for _, v in chart.bars), default=0) or 1
    scale = (width - 2 * pad - 56) / peak
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(chart.title)}" font-family="Noto Sans CJK SC, sans-serif">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="{width // 2}" y="{TITLE_SIZE + 4}" text-anchor="middle" font-size="{TITLE_SIZE}" '
        f'font-weight="bold" fill="#1f2328">{escape(chart.title)}</text>',
    ]
    for i, (label, value) in enumerate(chart.bars):
        y = top + i * step
        bar_y = y + LABEL_SIZE + gap
        w = round(value * scale, 1)
        parts.append(
            f'<text x="{pad}" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}" '
            f'fill="#1f2328">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{pad}" y="{bar_y}" width="{w}" height="{bar_height}" fill="#b3261e"/>'
        )
        parts.append(
            f'<text x="{pad + w + 6:.1f}" y="{bar_y + bar_height - 4}" font-size="{LABEL_SIZE}" '
            f'fill="#1f2328">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
