"""When a publication's dates are lawful (条例第十九条、第二十六条).

An item discloses a document that already exists: its 成文日期 (the date the
document was formed) cannot lie after the day it is recorded. A future 成文日期
would also number the item in a year that has not begun (``…/2030-00001``).
"""

from __future__ import annotations

from datetime import date

from gongkai.core.inforequest_rules import StepRefused, chinese_day

__all__ = ["EARLIEST_FORMED_ON", "StepRefused", "check_formed_on"]

# The earliest plausible 成文日期: a document of the People's Republic's
# administrative organs. Not the 条例's own start (2008-05-01, REGULATION_IN_FORCE of
# core/inforequest_intake, the floor of an application's date): a body still
# discloses documents formed before it — a 规范性文件 of 2004 still in force, its
# own rules. Later than the working-day calendar's first year (MIN_YEAR), so the 20
# working days of 条例第二十六条 can always be counted from it.
EARLIEST_FORMED_ON = date(1949, 10, 1)


def check_formed_on(*, formed_on: date, today: date) -> None:
    """Refuse a 成文日期 after ``today`` (the document must exist to be disclosed),
    or before ``EARLIEST_FORMED_ON`` (no document of the state's organs is older)."""
    if formed_on < EARLIEST_FORMED_ON:
        raise StepRefused(
            f"成文日期{chinese_day(formed_on)}早于中华人民共和国成立之日"
            f"（{chinese_day(EARLIEST_FORMED_ON)}），请核对：应填写文件实际形成的日期，"
            "如 2021-03-01。",
            article="条例第二条",
            field="formed_on",
        )
    if formed_on > today:
        raise StepRefused(
            f"成文日期不能晚于今天（{chinese_day(today)}）：主动公开的是已经形成的"
            "政府信息（条例第十九条），请填写文件实际形成的日期。",
            article="条例第十九条",
            field="formed_on",
        )
