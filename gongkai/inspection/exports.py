"""The quarterly self-inspection report (季度自查情况通报) as XLSX and DOCX: 总体情况,
不合格单位名单 with their 单项否决 items, 主要问题 by indicator, and one row per body.

Each body's verdict and 待整改 count are its result as it stood at the quarter's end
(the last :class:`DailyStatus` up to that day, never today's); found and fixed are
the findings first seen or confirmed fixed within the quarter. A quarter that has not
begun is refused."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from gongkai.core.letters import chinese_date
from gongkai.inspection.models import DailyStatus, Finding
from gongkai.inspection.selectors import indicators, quarter_bounds
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass
class BodyRow:
    name: str
    checked_at: datetime.datetime | None
    passed: bool | None
    veto: list[str]
    scored: list[str]
    found: int
    fixed: int
    open: int


@dataclass
class QuarterReport:
    root: Organisation
    year: int
    quarter: int
    start: datetime.date
    end: datetime.date
    document: str
    rows: list[BodyRow] = field(default_factory=list)
    by_indicator: list[tuple[str, bool, int, int]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.root.name}{self.year}年{QUARTER_NAMES[self.quarter]}政府网站自查情况通报"

    @property
    def checked(self) -> int:
        return sum(1 for r in self.rows if r.passed is not None)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r.passed)

    @property
    def failed(self) -> list[BodyRow]:
        return [r for r in self.rows if r.passed is False]


def quarter_report(
    user: Any, root: Organisation, year: int, quarter: int
) -> QuarterReport:
    start, end = quarter_bounds(year, quarter)
    today = timezone.localdate()
    if start > today:
        raise ValidationError(
            f"{year}年{QUARTER_NAMES[quarter]}尚未开始，不能出具自查情况通报"
            f"（{chinese_date(start)}起可出具）。"
        )
    until = min(end, today)
    ind = indicators()
    names = {code: i.name for code, i in ind.items.items()}
    report = QuarterReport(root, year, quarter, start, end, ind.document)
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    findings = scope(Finding.objects.all(), user, Perm.VIEW).filter(
        path_prefix_q(root.path, "organisation__path")
    )
    per_body = {
        row["organisation_id"]: row
        for row in findings.values("organisation_id").annotate(
            found=Count("pk", filter=Q(first_seen_at__gte=lo, first_seen_at__lt=hi)),
            fixed=Count("pk", filter=Q(fixed_at__gte=lo, fixed_at__lt=hi)),
        )
    }
    # Each body's last result up to the quarter's end (one indexed lookup each).
    last_day = (
        DailyStatus.objects.filter(organisation=OuterRef("pk"), day__lte=until)
        .order_by("-day")
        .values("pk")[:1]
    )
    bodies = list(
        scope(
            Organisation.objects.filter(
                path_prefix_q(root.path), is_active=True, is_disclosure_body=True
            ),
            user,
            Perm.VIEW,
            via="self",
        )
        .annotate(status_id=Subquery(last_day))
        .order_by("path")
    )
    statuses = DailyStatus.objects.in_bulk([b.status_id for b in bodies if b.status_id])
    still: dict[str, int] = {}
    for org in bodies:
        s = statuses.get(org.status_id)
        counts: dict[str, Any] = dict(per_body.get(org.pk, {}))
        for code, n in (s.open_by_indicator if s else {}).items():
            still[code] = still.get(code, 0) + int(n)
        report.rows.append(
            BodyRow(
                org.name,
                s.checked_at if s else None,
                s.passed if s else None,
                [names.get(c, c) for c in (s.veto_failed if s else [])],
                [names.get(c, c) for c in (s.scored_failed if s else [])],
                counts.get("found", 0),
                counts.get("fixed", 0),
                s.open_findings if s else 0,
            )
        )
    per_ind = {
        row["indicator"]: row["found"]
        for row in findings.values("indicator").annotate(
            found=Count("pk", filter=Q(first_seen_at__gte=lo, first_seen_at__lt=hi)),
        )
    }
    for code, item in ind.items.items():
        report.by_indicator.append(
            (item.name, item.veto, per_ind.get(code, 0), still.get(code, 0))
        )
    return report


HEAD = [
    "序号",
    "单位",
    "检查时间",
    "检查结论",
    "单项否决问题",
    "扣分问题",
    "本季度发现问题",
    "本季度已整改",
    "季度末待整改",
]


def _row_values(i: int, r: BodyRow) -> list[Any]:
    verdict = "未检查" if r.passed is None else ("合格" if r.passed else "不合格")
    local = timezone.localtime(r.checked_at) if r.checked_at else None
    when = f"{chinese_date(local.date())} {local:%H:%M}" if local else ""
    return [
        i,
        r.name,
        when,
        verdict,
        "、".join(r.veto),
        "、".join(r.scored),
        r.found,
        r.fixed,
        r.open,
    ]


def report_xlsx(report: QuarterReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "检查结果"
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"检查依据：{report.document}；统计期间：{chinese_date(report.start)}至{chinese_date(report.end)}"
        ]
    )
    ws.append(HEAD)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, r in enumerate(report.rows, start=1):
        ws.append(_row_values(i, r))
    ws.append([])
    ws.append(
        [
            "合计",
            f"检查单位 {report.checked} 个",
            "",
            f"合格 {report.passed} 个",
            f"不合格 {len(report.failed)} 个",
        ]
    )
    for col, width in zip("ABCDEFGHI", (6, 30, 17, 10, 40, 30, 14, 14, 10)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws2 = wb.create_sheet("主要问题")
    ws2.append(["指标", "类别", "本季度发现", "季度末待整改"])
    for name, veto, found, still in report.by_indicator:
        ws2.append([name, "单项否决" if veto else "扣分", found, still])
    ws2.column_dimensions["A"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_docx(report: QuarterReport) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    doc.add_heading(report.title, level=1)
    doc.add_paragraph(
        f"依据{report.document}，对{report.root.name}及所属单位的政府信息公开专栏"
        f"开展{report.year}年{QUARTER_NAMES[report.quarter]}自查"
        f"（{chinese_date(report.start)}至{chinese_date(report.end)}）。现将有关情况通报如下。"
    )
    doc.add_heading("一、总体情况", level=2)
    rate = f"{report.passed * 100 / report.checked:.1f}%" if report.checked else "—"
    doc.add_paragraph(
        f"本次共检查单位 {report.checked} 个，合格 {report.passed} 个，"
        f"不合格 {len(report.failed)} 个，合格率 {rate}。"
    )
    doc.add_heading("二、不合格单位名单", level=2)
    if report.failed:
        for r in report.failed:
            doc.add_paragraph(f"{r.name}：{'、'.join(r.veto)}。", style="List Number")
    else:
        doc.add_paragraph("无。")
    doc.add_heading("三、存在的主要问题", level=2)
    for name, veto, found, still in report.by_indicator:
        if found or still:
            kind = "单项否决" if veto else "扣分"
            doc.add_paragraph(
                f"{name}（{kind}）：本季度发现 {found} 个，季度末尚待整改 {still} 个。"
            )
    doc.add_heading("四、各单位检查结果", level=2)
    table = doc.add_table(rows=1, cols=len(HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEAD):
        cell.text = text
    for i, r in enumerate(report.rows, start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, _row_values(i, r)):
            cell.text = str(value)
    doc.add_heading("五、整改要求", level=2)
    doc.add_paragraph(
        "请各不合格单位对照问题清单立即整改，整改情况在平台“政府网站自查”中报告，"
        "由下一次自查确认；确属无法整改的，写明理由。"
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
