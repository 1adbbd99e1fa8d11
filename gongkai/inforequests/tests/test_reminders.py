from __future__ import annotations

import pytest
import time_machine

from gongkai.inforequests.reminders import send_deadline_reminders
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingSms:
    def send(self, phone: str, text: str) -> None:
        SENT.append((phone, text))


def test_the_handler_is_reminded_at_five_and_two_working_days_left(
    tree, mailoutbox, settings
):
    settings.SMS_BACKEND = "gongkai.inforequests.tests.test_reminders.RecordingSms"
    tree.officer.email, tree.officer.phone = "officer@example.gov.cn", "13900000000"
    tree.officer.save()
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        request = register(tree.officer, tree.street)  # due Thu 2026-10-22
    # Working days before 10-22: 10-15 → 16, 19, 20, 21, 22 = 5 left; 10-20 → 21, 22 = 2 left.
    for day, expected in (
        ("2026-10-14", 0),
        ("2026-10-15", 1),
        ("2026-10-19", 0),
        ("2026-10-20", 1),
    ):
        before = len(mailoutbox)
        with time_machine.travel(f"{day} 09:00 +0800", tick=False):
            send_deadline_reminders()
        assert len(mailoutbox) - before == expected, day
    assert (
        request.tracking_number in mailoutbox[-1].body
        and "还剩 2 个工作日" in mailoutbox[-1].body
    )
    assert SENT and SENT[-1][0] == "13900000000"
