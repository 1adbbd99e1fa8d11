"""Checks against last year's report of the same agency (spec §6.3, XY_*)."""

from __future__ import annotations

from gongkai.core.annual.checks.base import finding, fmt, values_of
from gongkai.core.annual.checks.layout import (
    S2_DOC_COLUMNS,
    S2_IN_FORCE_ROWS,
    T3_CARRIED,
    T3_CARRY_FORWARD,
    T3_COLUMNS,
    s2_key,
    s2_row_label,
    t3_column_label,
    t3_key,
)
from gongkai.core.annual.model import Finding, Report


def _comparable(report: Report, previous: Report) -> bool:
    """Is ``previous`` the report of the year before (unknown years: assume so)?"""
    if report.year is None or previous.year is None:
        return True
    return previous.year == report.year - 1


def check_previous_year(report: Report, previous: Report) -> list[Finding]:
    """XY_YEAR: the report given as last year's is of the year before.

    Otherwise the other XY_* checks are skipped: comparing with another year
    would only produce misleading differences.
    """
    if _comparable(report, previous):
        return []
    return [
        finding(
            "XY_YEAR",
            "warning",
            f"作为上年报告提供的是{previous.year}年的报告，"
            f"不是{report.year - 1 if report.year else ''}年的，未做跨年度核对。",
        )
    ]


def check_carry_over(report: Report, previous: Report) -> list[Finding]:
    """XY_CARRY: this year's 二、上年结转 = last year's 四、结转下年度, per column."""
    if not _comparable(report, previous):
        return []
    findings = []
    for col in T3_COLUMNS:
        this_key = t3_key(T3_CARRIED, col)
        last_key = t3_key(T3_CARRY_FORWARD, col)
        this, last = report.cells.get(this_key), previous.cells.get(last_key)
        if this is None or last is None or this == last:
            continue
        findings.append(
            finding(
                "XY_CARRY",
                "warning",
                f"三、表“{t3_column_label(col)}”列：本年上年结转{fmt(this)}件，"
                f"但上一年报告结转下年度{fmt(last)}件。",
                [this_key],
            )
        )
    return findings


def check_in_force(report: Report, previous: Report) -> list[Finding]:
    """XY_IN_FORCE: 现行有效(Y) ≈ 现行有效(Y−1) + 制发(Y) − 废止(Y); info only.

    Not a hard rule: agencies re-clean their document libraries (修改、失效、
    重新认定), e.g. Pingtan 2022→2023 (corpus README).
    """
    if report.version != "2021" or previous.version != "2021":
        return []
    if not _comparable(report, previous):
        return []
    findings = []
    for row in S2_IN_FORCE_ROWS:
        issued, repealed, in_force = (s2_key(row, col) for col in S2_DOC_COLUMNS)
        values = values_of(report, [issued, repealed, in_force])
        last = previous.cells.get(in_force)
        if values is None or last is None:
            continue
        expected = last + values[0] - values[1]
        if expected != values[2]:
            findings.append(
                finding(
                    "XY_IN_FORCE",
                    "info",
                    f"“{s2_row_label(row)}”现行有效件数为{fmt(values[2])}，"
                    f"按上年{fmt(last)}＋本年制发{fmt(values[0])}－本年废止"
                    f"{fmt(values[1])}推算应为{fmt(expected)}（清理、修改等可致差异）。",
                    [in_force],
                )
            )
    return findings
