"""Report builders shared by the annual-report tests (this module holds no tests).

The builders know only the cell keys of the schema and the arithmetic of the
form (spec §6.1–6.2), written out here independently of ``checks.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from gongkai.core.annual import schema
from gongkai.core.annual.model import CellNumber, Report

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other")
OUTCOMES = ("upheld", "corrected", "other", "pending")
S4_GROUPS = ("review", "suit_direct", "suit_after_review")

FEE_SENTENCE = "本年度未收取信息处理费。"

SECTION_TEXTS: dict[str, str] = {
    "一": (
        "（一）主动公开\n全年主动公开政府信息，及时更新公开目录。\n"
        "（二）依申请公开\n依法规范办理政府信息公开申请。\n"
        "（三）政府信息管理\n定期清理行政规范性文件。\n"
        "（四）政府信息公开平台建设\n加强政府网站和政务新媒体建设。\n"
        "（五）监督保障\n将政务公开纳入绩效考核。"
    ),
    "二": "",
    "三": "",
    "四": "",
    "五": "（一）存在的主要问题\n公开内容不够丰富。\n（二）改进情况\n加强培训，提高公开质量。",
    "六": FEE_SENTENCE,
}


def s3_rows(version: str) -> list[str]:
    """Row stems of section 三 for ``version`` (from the schema's cell keys)."""
    stems: list[str] = []
    for key in schema.s3_cell_keys(version):
        stem = key[len("s3.") :].rsplit(".", 1)[0]
        if stem not in stems:
            stems.append(stem)
    return stems


def result_rows(version: str) -> list[str]:
    return [
        r
        for r in s3_rows(version)
        if r not in ("new", "carried", "total", "carry_forward")
    ]


def zero_report(version: str = "2021", year: int | None = None) -> Report:
    """A complete, all-zero report: every check of spec §6 passes."""
    cells: dict[str, CellNumber | None] = dict.fromkeys(schema.cell_keys(version), 0)
    if version == "2021":
        cells["s2.fees.amount_wan"] = Decimal("0")
    return Report(
        version=version,  # type: ignore[arg-type]
        year=year or (2021 if version == "2021" else 2020),
        agency="示例市示例区人民政府办公室",
        title=None,
        cells=cells,
        sections=dict(SECTION_TEXTS),
    )


def set_row(report: Report, stem: str, **values: int) -> None:
    """Set some columns of a section-三 row (others 0 if new) and its 总计."""
    for col in APPLICANTS:
        report.cells.setdefault(f"s3.{stem}.{col}", 0)
    for col, value in values.items():
        report.cells[f"s3.{stem}.{col}"] = value
    report.cells[f"s3.{stem}.total"] = sum(
        int(report.cells.get(f"s3.{stem}.{col}") or 0) for col in APPLICANTS
    )


def small_consistent_report() -> Report:
    """Hand-computed example: 6 new + 1 carried = 6 concluded + 1 carried forward.

    natural: new 5, carried 1, granted 3, not held 2, carry forward 1 → 5+1 = 5+1
    commercial: new 1, state secret 1 → 1+0 = 1+0
    """
    report = zero_report()
    set_row(report, "new", natural=5, commercial=1)
    set_row(report, "carried", natural=1)
    set_row(report, "granted", natural=3)
    set_row(report, "withheld.state_secret", commercial=1)
    set_row(report, "unable.not_held", natural=2)
    set_row(report, "total", natural=5, commercial=1)
    set_row(report, "carry_forward", natural=1)
    return report


# --------------------------------------------------------------------------
# Random valid reports (hypothesis)
# --------------------------------------------------------------------------

_AGENCIES = (
    "老城区洛浦街道办事处",
    "平潭综合实验区管理委员会",
    "沭阳县发展和改革局",
    "淮安市洪泽区人民政府",
    "示例省示例市生态环境局",
)

_count = st.integers(min_value=0, max_value=40)
_cell_count = st.one_of(st.integers(0, 3), st.integers(0, 5000))


@st.composite
def valid_reports(draw: Any, version: str | None = None) -> Report:
    """A random report whose tables satisfy every relation of spec §6.1–6.2."""
    version = version or draw(st.sampled_from(schema.VERSIONS))
    year = draw(
        st.integers(2021, 2030) if version == "2021" else st.integers(2019, 2020)
    )
    report = zero_report(version, year)
    report.agency = draw(st.sampled_from(_AGENCIES))
    _draw_section_two(draw, report, version)
    _draw_section_three(draw, report, version)
    _draw_section_four(draw, report)
    unpaid = report.cells.get("s3.other.no_fee.total")
    if unpaid:
        report.sections["六"] = (
            f"本年度发出收费通知{unpaid}件，申请人均未缴费，实际收取信息处理费0元。"
        )
    return report


def _draw_section_two(draw: Any, report: Report, version: str) -> None:
    for table in schema.schema_for(version).s2_tables:
        for key in table.cell_keys():
            col = key.rsplit(".", 1)[1]
            if col in table.signed_columns:
                report.cells[key] = draw(st.integers(-50, 50))
            elif table.value_type == "amount":
                cents = draw(st.integers(0, 10**8))
                report.cells[key] = Decimal(cents).scaleb(-4)
            else:
                report.cells[key] = draw(st.integers(0, 5000))


def _draw_section_three(draw: Any, report: Report, version: str) -> None:
    rows = result_rows(version)
    for col in APPLICANTS:
        concluded = 0
        for stem in rows:
            # mostly small counts (a 街道), sometimes a city's thousands
            value = draw(_cell_count) if draw(st.booleans()) else 0
            report.cells[f"s3.{stem}.{col}"] = value
            concluded += value
        carry_forward = draw(st.integers(0, 5))
        carried = draw(st.integers(0, concluded + carry_forward))
        report.cells[f"s3.total.{col}"] = concluded
        report.cells[f"s3.carry_forward.{col}"] = carry_forward
        report.cells[f"s3.carried.{col}"] = carried
        report.cells[f"s3.new.{col}"] = concluded + carry_forward - carried
    for stem in s3_rows(version):
        set_row(report, stem)


def _draw_section_four(draw: Any, report: Report) -> None:
    for group in S4_GROUPS:
        outcomes = [draw(_count) for _ in OUTCOMES]
        for outcome, value in zip(OUTCOMES, outcomes):
            report.cells[f"s4.{group}.{outcome}"] = value
        report.cells[f"s4.{group}.total"] = sum(outcomes)
