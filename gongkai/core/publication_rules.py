"""When a publication's dates are lawful (条例第十九条、第二十六条).

An item discloses a document that already exists: its 成文日期 (the date the
document was formed) cannot lie after the day it is recorded. A future 成文日期
would also number the item in a year that has not begun (``…/2030-00001``).
"""

from __future__ import annotations

from datetime import date

from gongkai.core.inforequest_rules import StepRefused, chinese_day
from gongkai.core.workdays.calendar import MIN_YEAR

__all__ = ["StepRefused", "check_formed_on"]


def check_formed_on(*, formed_on: date, today: date) -> None:
    """Refuse a 成文日期 after ``today`` (the document must exist to be disclosed),
    or before the working-day calendar's first year (条例第二十六条's 20 working
    days could not be counted from it)."""
    if formed_on.year < MIN_YEAR:
        raise StepRefused(
            f"成文日期{chinese_day(formed_on)}超出可计算范围：公开期限（条例第二十六条，"
            f"20个工作日）只能从{MIN_YEAR}年以后的日期起算，请核对成文日期。",
            article="条例第二十六条",
            field="formed_on",
        )
    if formed_on > today:
        raise StepRefused(
            f"成文日期不能晚于今天（{chinese_day(today)}）：主动公开的是已经形成的"
            "政府信息（条例第十九条），请填写文件实际形成的日期。",
            article="条例第十九条",
            field="formed_on",
        )
