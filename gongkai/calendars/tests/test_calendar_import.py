from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.calendars.models import CalendarYearRecord
from gongkai.calendars.selectors import work_calendar
from gongkai.calendars.services import calendar_year_import_notice
from gongkai.inforequests.models import DeadlineChange, InfoRequest
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db

# A made-up 2027 notice (the real one is not published yet): New Year 1–5 January off.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至5日（周二）放假，共5天。
"""


def test_a_year_without_an_official_schedule_is_provisional_until_imported(
    tree, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        request = register(tree.officer, tree.street, submitted_on=date(2026, 12, 21))
        # Hand count from Mon 2026-12-21 (day zero): 22–25, 28–31 = 8; provisional 2027
        # has only 1 January off and counts Sat/Sun 2–3 (they could be 调休上班):
        # 2–3 = 10, 4–8 = 15, 11–15 = 20 → 2027-01-15.
        assert (request.due_on, request.due_provisional) == (date(2027, 1, 15), True)
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_import_notice(
                year=2027, text=NOTICE_2027, actor=tree.sysadmin
            )
    request.refresh_from_db()
    # With 1–5 January off: 6–8 = 11, 11–15 = 16, 18–21 = 20 → 2027-01-21, no longer provisional.
    assert (request.due_on, request.due_provisional) == (date(2027, 1, 21), False)
    change = DeadlineChange.objects.get(request=request)
    assert (change.old_due, change.new_due) == (date(2027, 1, 15), date(2027, 1, 21))
    assert "2027" in change.reason
    assert not work_calendar().is_working_day(date(2027, 1, 5))


def test_the_import_screen_previews_then_saves(client, tree):
    client.force_login(tree.sysadmin)
    preview = client.post(
        reverse("calendars:import"), {"year": 2027, "text": NOTICE_2027}
    )
    assert preview.status_code == 200
    assert (
        "预览" in preview.content.decode() and not CalendarYearRecord.objects.exists()
    )
    saved = client.post(
        reverse("calendars:import"), {"year": 2027, "text": NOTICE_2027, "confirm": "1"}
    )
    assert saved.status_code == 302
    record = CalendarYearRecord.objects.get(year=2027)
    assert record.holidays == [f"2027-01-0{d}" for d in range(1, 6)]


def test_a_notice_that_does_not_parse_is_refused_and_nothing_stored(client, tree):
    client.force_login(tree.sysadmin)
    page = client.post(
        reverse("calendars:import"), {"year": 2027, "text": "今天天气很好。"}
    ).content.decode()
    assert "field-error" in page
    assert not CalendarYearRecord.objects.exists()


def test_only_a_root_sysadmin_keeps_the_calendar(client, tree):
    client.force_login(tree.officer)
    assert client.get(reverse("calendars:index")).status_code == 403
    client.force_login(tree.sysadmin)
    page = client.get(reverse("calendars:index")).content.decode()
    assert "临时" in page or "chinesecalendar" in page


def test_open_requests_keep_their_due_date_when_nothing_changes(
    tree, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        register(tree.officer, tree.street)
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_import_notice(
                year=2027, text=NOTICE_2027, actor=tree.sysadmin
            )
    assert not DeadlineChange.objects.exists()
    assert InfoRequest.objects.get().due_on == date(2026, 10, 22)
