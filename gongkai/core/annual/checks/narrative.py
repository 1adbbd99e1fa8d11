"""Narrative checks (spec §6.3): the six sections, 信息处理费, counts quoted in the text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongkai.core.annual.checks.base import finding, fmt
from gongkai.core.annual.checks.layout import (
    FEE_UNPAID_TOTAL_KEY,
    OTHER_MATTERS_NUMERAL,
    OVERVIEW_NUMERAL,
    PROBLEMS_NUMERAL,
    SECTION_NUMERALS,
    T3_CARRIED,
    T3_CARRY_FORWARD,
    T3_NEW,
    T3_TOTAL,
    T3_TOTAL_COLUMN,
    section_heading,
    t3_key,
)
from gongkai.core.annual.model import CellNumber, Finding, Report
from gongkai.core.fees import FeeSchedule


def check_sections(report: Report) -> list[Finding]:
    """NARR_SECTIONS: the six headings 一…六 exist, in that order."""
    expected = list(SECTION_NUMERALS)
    found = [numeral for numeral in report.sections if numeral in expected]
    missing = [numeral for numeral in expected if numeral not in report.sections]
    findings = []
    if missing:
        names = "、".join(section_heading(n) for n in missing)
        findings.append(finding("NARR_SECTIONS", "error", f"缺少以下部分：{names}。"))
    if found != [numeral for numeral in expected if numeral in found]:
        findings.append(
            finding(
                "NARR_SECTIONS",
                "error",
                f"六个部分的顺序不对：{'、'.join(found)}（应为{'、'.join(expected)}）。",
            )
        )
    return findings


# The ways published reports word the fee statement: 本年度未收取信息处理费,
# 未产生信息公开处理费, 无向申请人收取政府信息公开费用的情况, 未收取任何费用,
# 收费0元 … (any of them is a statement; the exact word 信息处理费 is not required).
_FEE_STATEMENT = re.compile(
    r"处理费|收费|未收取|收取[^。；;]{0,20}费|费用[^。；;]{0,8}(?:收取|缴纳|为|共)"
    r"|(?:信息公开|申请人?)[^。；;]{0,10}费用|未产生[^。；;]{0,12}费"
)
_FEE_NOTICE = re.compile(r"收费通知|缴费通知|缴纳.{0,6}费")
# Reports of years before the fee measures took effect (国办函〔2020〕109号; the
# date is the one data point in core/fees.py) have no fee to state.
FEE_STATEMENT_FROM_YEAR = FeeSchedule().effective_from.year


def check_fee_statement(report: Report) -> list[Finding]:
    """NARR_FEE: section 六 states the 信息处理费 collected (spec §2, §8.6).

    Applies from the report year the fee measures took effect (2021) on; a
    report with no known year is checked. When applications ended unprocessed
    for unpaid fees (三（六）2 > 0), 六 must also mention the fee notices.
    """
    if report.year is not None and report.year < FEE_STATEMENT_FROM_YEAR:
        return []
    text = report.sections.get(OTHER_MATTERS_NUMERAL)
    if text is None:
        return []  # NARR_SECTIONS reports the missing section
    if not _FEE_STATEMENT.search(re.sub(r"\s+", "", text)):
        return [
            finding(
                "NARR_FEE",
                "warning",
                "“六、其他需要报告的事项”未说明信息处理费收取情况"
                "（未收取的应写明“本年度未收取信息处理费”）。",
            )
        ]
    unpaid = report.cells.get(FEE_UNPAID_TOTAL_KEY)
    if unpaid and not _FEE_NOTICE.search(text):
        return [
            finding(
                "NARR_FEE",
                "warning",
                f"三、表有{fmt(unpaid)}件申请因逾期未缴费不再处理，"
                "但“六、其他需要报告的事项”未提及收费通知。",
                [FEE_UNPAID_TOTAL_KEY],
            )
        ]
    return []


_EMPTY_TEXT = re.compile(r"^[\s。.:：、]*(无|暂无|没有)?[\s。.]*$")


def check_problems_section(report: Report) -> list[Finding]:
    """NARR_S5_NONEMPTY: section 五 is not empty or just 无."""
    text = report.sections.get(PROBLEMS_NUMERAL)
    if text is None or not _EMPTY_TEXT.match(text):
        return []
    return [
        finding(
            "NARR_S5_NONEMPTY",
            "warning",
            "“五、存在的主要问题及改进情况”为空或仅写“无”，应具体说明问题和改进措施。",
        )
    ]


# Counts an overview quotes about applications, each with the table-三 values
# it may legitimately mean. Practice words it either way: "受理政府信息公开申请21件",
# "共收到70件申请", "依申请公开方面，全年受理21件", "办结69件", "1件结转下年度".
_NOT_A_NUMBER = r"[^。；;，,\d]"
_RECEIVED_PATTERNS = (
    re.compile(
        rf"(?:收到|受理|新收|办理){_NOT_A_NUMBER}{{0,20}}?申请\s*(?:共计?)?\s*(\d+)\s*件"
    ),
    re.compile(r"(?:收到|受理|新收)\s*(?:各类)?\s*(\d+)\s*件[^。；;]{0,6}?申请"),
    re.compile(r"依申请公开[^。；;]{0,30}?(?:收到|受理|新收)\s*(?:各类)?\s*(\d+)\s*件"),
)
_CONCLUDED_PATTERNS = (re.compile(rf"办结{_NOT_A_NUMBER}{{0,10}}?(\d+)\s*件"),)
_CARRY_FORWARD_PATTERNS = (
    re.compile(r"(\d+)\s*件(?:申请)?结转(?:到|至)?下一?年度?"),
    re.compile(rf"结转(?:到|至)?下一?年度?{_NOT_A_NUMBER}{{0,8}}?(\d+)\s*件"),
)


def _quoted_numbers(text: str, patterns: Iterable[re.Pattern[str]]) -> list[int]:
    """Distinct numbers the patterns find, in order of first appearance."""
    found = (int(m.group(1)) for pattern in patterns for m in pattern.finditer(text))
    return list(dict.fromkeys(found))


def _total(report: Report, row: str) -> CellNumber | None:
    return report.cells.get(t3_key(row, T3_TOTAL_COLUMN))


def _quoted_count_findings(
    text: str,
    patterns: Iterable[re.Pattern[str]],
    accepted: set[CellNumber],
    what: str,
    table_says: str,
    key: str,
) -> list[Finding]:
    return [
        finding(
            "NARR_TEXT_VS_TABLE",
            "warning",
            f"总体情况中写{what}{quoted}件，但三、表{table_says}。",
            [key],
        )
        for quoted in _quoted_numbers(text, patterns)
        if quoted not in accepted
    ]


def check_narrative_numbers(report: Report) -> list[Finding]:
    """NARR_TEXT_VS_TABLE: counts quoted in 一、总体情况 agree with table 三.

    A received count may mean new applications or new + carried over (both
    readings occur in practice); a concluded count must equal （七）总计 and a
    carried-forward count 四、结转下年度继续办理.
    """
    text = report.sections.get(OVERVIEW_NUMERAL, "")
    new, carried = _total(report, T3_NEW), _total(report, T3_CARRIED)
    total, carry_forward = _total(report, T3_TOTAL), _total(report, T3_CARRY_FORWARD)
    findings = []
    if new is not None:
        with_carried = new + (carried or 0)
        findings += _quoted_count_findings(
            text,
            _RECEIVED_PATTERNS,
            {new, with_carried},
            "收到/受理申请",
            f"本年新收为{fmt(new)}件（含上年结转为{fmt(with_carried)}件）",
            t3_key(T3_NEW, T3_TOTAL_COLUMN),
        )
    if total is not None:
        findings += _quoted_count_findings(
            text,
            _CONCLUDED_PATTERNS,
            {total},
            "办结",
            f"办理结果总计为{fmt(total)}件",
            t3_key(T3_TOTAL, T3_TOTAL_COLUMN),
        )
    if carry_forward is not None:
        findings += _quoted_count_findings(
            text,
            _CARRY_FORWARD_PATTERNS,
            {carry_forward},
            "结转下年度",
            f"结转下年度继续办理为{fmt(carry_forward)}件",
            t3_key(T3_CARRY_FORWARD, T3_TOTAL_COLUMN),
        )
    return findings


_PERIOD = re.compile(
    r"(\d{4})\s*年\s*1\s*月\s*1\s*日\D{0,6}?(\d{4})\s*年\s*12\s*月\s*31\s*日"
)


def check_period(report: Report) -> list[Finding]:
    """NARR_PERIOD: a stated statistic period is 1 Jan – 31 Dec of the report year.

    The sentence is practice, not mandated (spec §0.1), so only a period that
    names another year is a warning.
    """
    if report.year is None:
        return []
    text = "".join(report.sections.values())
    findings = []
    for match in _PERIOD.finditer(text):
        years = {int(match.group(1)), int(match.group(2))}
        if years != {report.year}:
            findings.append(
                finding(
                    "NARR_PERIOD",
                    "warning",
                    f"统计期限“{match.group(0)}”与报告年度{report.year}年不符。",
                )
            )
    return findings
