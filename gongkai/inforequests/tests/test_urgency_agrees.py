"""One urgency rule (issue 22): the badge on the case page, the deadline ledger's
explanation on the same page and the list's urgency filter say the same thing at
every number of working days left."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from gongkai.calendars.selectors import work_calendar
from gongkai.core.workdays.model import STATUS_LABELS
from gongkai.core.workdays.rules import DUE_SOON_WORKING_DAYS
from gongkai.inforequests import letters as L
from gongkai.inforequests.forms import FilterForm
from gongkai.inforequests.tests.factories import registration

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="ir-urgency ir-urgency--(\w+)">([^<]*)</span>')
EXPLANATION = re.compile(r'<pre class="ir-ledger">(.*?)</pre>', re.S)

# Received Monday 2025-03-03; day zero is the receipt day, so 20 working days are
# 3/4–7 (4), 3/10–14 (9), 3/17–21 (14), 3/24–28 (19), 3/31 (20): due 2025-03-31.
RECEIVED = date(2025, 3, 3)
DUE = date(2025, 3, 31)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture(autouse=True)
def _long_sessions(settings):
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    # … and the absolute lifetime (issue 18, F14) counts from the first request.
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 365 * 24 * 3600


def _days_by_left() -> dict[int, list[date]]:
    calendar = work_calendar()
    days: dict[int, list[date]] = {}
    day = DUE - timedelta(days=16)
    while day <= DUE:
        days.setdefault(calendar.working_days_between(day, DUE), []).append(day)
        day += timedelta(days=1)
    return days


def test_the_due_soon_label_is_built_from_the_one_threshold():
    assert DUE_SOON_WORKING_DAYS == 3
    assert ("due_soon", "3个工作日内到期") in FilterForm.URGENCY


def test_case_page_badge_and_explanation_agree_at_every_number_of_days_left(
    client, tree
):
    with at(RECEIVED):
        case, _code, _receipt = L.register(
            actor=tree.officer,
            organisation=tree.street,
            registration=registration(submitted_on=RECEIVED),
        )
    assert case.due_on == DUE
    by_left = _days_by_left()
    assert set(range(11)) <= set(by_left)  # weekends included where they fall
    client.force_login(tree.officer)
    for left in range(11):
        for day in by_left[left]:
            with at(day):
                body = client.get(reverse("inforequests:detail", args=[case.pk]))
                listed = client.get(
                    reverse("inforequests:list"), {"urgency": "due_soon"}
                )
            page = body.content.decode()
            [(key, label)] = BADGE.findall(page)
            [explanation] = EXPLANATION.findall(page)
            explanation = html.unescape(explanation)
            said = re.search(r"^状态：(\S+)$", explanation, re.M)
            assert said is not None, explanation[:200]
            expected = "due_soon" if left <= DUE_SOON_WORKING_DAYS else "on_time"
            where = f"{day} ({left} working days left)"
            assert key == expected, where
            # The badge opens with the ledger's words for the same status.
            assert said.group(1) == STATUS_LABELS[key], where
            assert label.startswith(STATUS_LABELS[key]), where
            assert f"剩余{left}个工作日" in label, where
            assert f"剩余{left}个工作日" in explanation, where
            assert f"<p>状态：{STATUS_LABELS[key]}" in page, where  # the summary line
            # The list's 3个工作日内到期 filter picks exactly the due-soon cases.
            in_filter = case.tracking_number in listed.content.decode()
            assert in_filter == (key == "due_soon"), where


def test_the_day_after_the_due_date_is_overdue_in_both(client, tree):
    with at(RECEIVED):
        case, _code, _receipt = L.register(
            actor=tree.officer,
            organisation=tree.street,
            registration=registration(submitted_on=RECEIVED),
        )
    client.force_login(tree.officer)
    with at(DUE + timedelta(days=1)):
        page = client.get(reverse("inforequests:detail", args=[case.pk]))
    body = page.content.decode()
    [(key, label)] = BADGE.findall(body)
    explanation = html.unescape(EXPLANATION.findall(body)[0])
    assert key == "overdue" and label == "已超期1个工作日"
    assert f"状态：{STATUS_LABELS['overdue']}" in explanation
