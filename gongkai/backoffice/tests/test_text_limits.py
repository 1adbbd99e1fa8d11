"""Text longer than its column is refused in Chinese before it reaches the database
(PostgreSQL raised DataError → 500; SQLite silently stored it). Found by the crawl."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gongkai.feedback.models import Survey
from gongkai.feedback.services import survey_open
from gongkai.supervision.models import SupervisionNotice
from gongkai.supervision.services import notice_send

pytestmark = pytest.mark.django_db


def test_a_notice_subject_longer_than_its_column_is_refused(tree: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        notice_send(
            actor=tree.supervisor,
            sender=tree.district,
            recipients=[tree.street],
            subject="督" * 201,
            body="请按期办理。",
        )
    assert refused.value.message_dict["subject"] == ["督办事由不能超过200个字。"]
    assert not SupervisionNotice.objects.exists()


def test_a_survey_title_longer_than_its_column_is_refused(tree: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        survey_open(
            actor=tree.officer,
            organisation=tree.street,
            title="测" * 101,
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 12, 31),
        )
    assert refused.value.message_dict["title"] == ["标题不能超过100个字。"]
    assert not Survey.objects.exists()
