"""When a step of the annual report is lawful (条例第四十九条、第五十条).

:mod:`gongkai.core.report_flow` says which steps follow which; this module says
*when*. A report may be drafted at any time (the officer watches the year's figures
grow), but it reports on a whole year: 条例第四十九条 asks for 上一年度's report by
31 January, and 第五十条 lists what happened in the year. So it is submitted for
审核 — and so approved and published — only once the year has ended and its data
is complete. The refusal names the article and the first day the step is possible.
"""

from __future__ import annotations

from datetime import date

from gongkai.core.inforequest_rules import StepRefused, chinese_day

__all__ = ["StepRefused", "check_report_year_ended", "first_submission_day"]

ARTICLE = "条例第四十九条"


def first_submission_day(year: int) -> date:
    """The first day a report on ``year`` may be submitted: 1 January of the next year."""
    return date(year + 1, 1, 1)


def check_report_year_ended(*, year: int, on: date, step: str = "提交审核") -> None:
    """Refuse ``step`` of the report on ``year`` while that year is not over on ``on``."""
    first = first_submission_day(year)
    if on < first:
        raise StepRefused(
            f"{year}年度报告须在该年度结束、全年数据完整后方可{step}"
            f"（{ARTICLE}：公布上一年度的年度报告）；现在可以编写草稿，"
            f"{chinese_day(first)}起可以{step}。",
            article=ARTICLE,
            possible_from=first,
        )
