"""The website inspection's “互动回应差” item (issue 26) reads the platform's own 留言
(issue 21) by default: a message left unanswered past the period is a finding."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from gongkai.engagement import services
from gongkai.inspection import services as inspection
from gongkai.inspection.models import Finding

pytestmark = pytest.mark.django_db


def _ask(tree: Any, subject: str, on: date) -> Any:
    return services.message_submit(
        organisation=tree.street,
        subject=subject,
        question="小区路灯不亮，何时维修？",
        email="asker@example.com",
        today=on,
    )


def test_a_message_unanswered_for_months_fails_the_inspection_until_answered(
    tree: Any, settings: Any
) -> None:
    settings.INSPECTION_SITE_URL = ""
    old = _ask(tree, "路灯不亮", date(2026, 6, 1))
    _ask(tree, "刚提的问题", date(2026, 11, 30))  # within the period
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):
        inspection.inspection_run(
            actor=tree.officer, organisation=tree.street, below=False
        )
        flagged = set(
            Finding.objects.filter(
                organisation=tree.street,
                indicator="interaction_slow",
                state=Finding.State.OPEN,
            ).values_list("subject", flat=True)
        )
        assert flagged == {f"message:{old.pk}"}

        services.message_answer(
            actor=tree.officer,
            message=old,
            answer="已安排维修。",
            public=True,
            today=date(2026, 12, 7),
        )
        inspection.inspection_run(
            actor=tree.officer, organisation=tree.street, below=False
        )
        still_open = Finding.objects.filter(
            organisation=tree.street,
            indicator="interaction_slow",
            state=Finding.State.OPEN,
        )
        assert not still_open.exists()
