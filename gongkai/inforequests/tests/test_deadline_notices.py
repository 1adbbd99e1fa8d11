"""Notices that a holiday-calendar change moved a case's due date: listed on the
handler's 工作台 until someone marks them read (知道了), audited."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.calendars.services import calendar_year_import_notice
from gongkai.inforequests.models import DeadlineChange
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至5日（周二）放假，共5天。
"""


@pytest.fixture
def moved(tree, django_capture_on_commit_callbacks):
    """A 街道 case whose provisional due date the 2027 notice moves."""
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):
        case = register(tree.officer, tree.street, submitted_on=date(2026, 12, 21))
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_import_notice(
                year=2027, text=NOTICE_2027, actor=tree.sysadmin
            )
    assert DeadlineChange.objects.filter(request=case, acknowledged=False).exists()
    return case


def dashboard_page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("backoffice:dashboard")).content.decode()


def test_the_handlers_workbench_lists_the_moved_due_date(client, tree, moved):
    page = dashboard_page(client, tree.officer)
    assert "期限变更提醒（1）" in page and moved.tracking_number in page
    assert "2027年1月21日" in page


def test_nobody_else_is_reminded(client, tree, moved):
    # A community liaison does not handle the 街道's cases; a supervisor only reads.
    assert moved.tracking_number not in dashboard_page(client, tree.liaison_a)
    assert "期限变更提醒" not in dashboard_page(client, tree.supervisor)


def test_marking_read_clears_the_reminder_and_is_audited(client, tree, moved):
    client.force_login(tree.officer)
    response = client.post(
        reverse("inforequests:ack_deadline_changes", args=[moved.pk]),
        {"next": reverse("backoffice:dashboard")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dashboard")
    assert "期限变更提醒" not in dashboard_page(client, tree.officer)
    assert not DeadlineChange.objects.filter(acknowledged=False).exists()
    event = AuditEvent.objects.get(action="inforequest.deadline_changes.acknowledge")
    assert event.details["notices"] == 1
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        client.force_login(tree.officer)  # a fresh session in the travelled time
        case_page = client.get(reverse("inforequests:detail", args=[moved.pk]))
    page = case_page.content.decode()
    assert "期限变更通知" in page and "未读" not in page and "知道了" not in page


def test_the_case_page_shows_unread_notices_with_the_button(client, tree, moved):
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        client.force_login(tree.officer)
        page = client.get(reverse("inforequests:detail", args=[moved.pk]))
    assert "未读" in page.content.decode() and "知道了" in page.content.decode()


def test_a_reader_cannot_mark_them_read(client, tree, moved):
    client.force_login(tree.supervisor)
    response = client.post(
        reverse("inforequests:ack_deadline_changes", args=[moved.pk])
    )
    assert response.status_code == 403
    assert DeadlineChange.objects.filter(acknowledged=False).count() == 1


def test_an_outside_address_is_not_followed(client, tree, moved):
    client.force_login(tree.officer)
    response = client.post(
        reverse("inforequests:ack_deadline_changes", args=[moved.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("inforequests:detail", args=[moved.pk])
