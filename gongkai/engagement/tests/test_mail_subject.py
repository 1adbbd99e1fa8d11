"""A line break in a 留言's title must not block the mail outbox (review item 1):
the public form refuses it, the outbox flattens it, and a message that still
cannot be sent is marked failed while the next one leaves."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from gongkai.engagement import services as s
from gongkai.engagement.models import Message
from gongkai.security.mail import mail_queue, mail_send_due
from gongkai.security.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_a_title_or_name_with_a_line_break_is_refused(tree: Any) -> None:
    for field, value, label in (
        ("subject", "咨询\r\n低保", "标题"),
        ("subject", "咨询\n低保", "标题"),
        ("name", "王\r\n先生", "姓名"),
    ):
        fields = {"subject": "咨询低保", "name": "", field: value}
        with pytest.raises(ValidationError) as refused:
            s.message_submit(
                organisation=tree.street,
                question="问题内容。",
                email="a@example.com",
                today=date(2024, 9, 30),
                **fields,
            )
        assert f"{label}只能填写一行文字" in refused.value.message_dict[field][0]
    assert not Message.objects.exists()


def test_a_subject_with_line_breaks_is_queued_on_one_line() -> None:
    queued = mail_queue(to=["a@example.com"], subject="咨询\r\n低保\n答复", body="b")
    assert queued.subject == "咨询 低保 答复"
    mail_send_due()
    assert mail.outbox[0].subject == "咨询 低保 答复"


def test_a_mail_that_cannot_be_sent_does_not_stop_the_next() -> None:
    # A row written before the fix (or by any other path) with a newline subject.
    bad = mail_queue(to=["a@example.com"], subject="x", body="b")
    OutgoingMail.objects.filter(pk=bad.pk).update(subject="咨询\r\n低保")
    good = mail_queue(to=["b@example.com"], subject="受理回执", body="b")
    report = mail_send_due()
    assert (report.sent, report.failed) == (1, 1)
    assert [m.subject for m in mail.outbox] == ["受理回执"]
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == OutgoingMail.State.FAILED
    assert "换行" in bad.last_error
    assert good.state == OutgoingMail.State.SENT
    # The next run does not trip over it again.
    assert mail_send_due().failed == 0


def test_any_error_of_one_message_marks_only_that_one_failed() -> None:
    first = mail_queue(to=["a@example.com"], subject="一", body="b")
    second = mail_queue(to=["b@example.com"], subject="二", body="b")
    real_send = mail.EmailMessage.send

    def send(self: Any, *args: Any, **kwargs: Any) -> int:
        if self.subject == "一":
            raise UnicodeEncodeError("ascii", "一", 0, 1, "no")
        return real_send(self, *args, **kwargs)

    with mock.patch("django.core.mail.EmailMessage.send", send):
        report = mail_send_due()
    assert (report.sent, report.failed) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == OutgoingMail.State.FAILED
    assert "不再重试" in first.last_error
    assert second.state == OutgoingMail.State.SENT
