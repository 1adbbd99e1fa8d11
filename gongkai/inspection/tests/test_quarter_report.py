"""The quarterly report shows each body as it stood at the quarter's end, not today;
a quarter that has not begun is refused in Chinese."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.inspection import exports, services
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


def _rows(report: exports.QuarterReport) -> dict[str, exports.BodyRow]:
    return {r.name: r for r in report.rows}


def test_a_past_quarter_shows_the_verdict_at_its_end(tree: Any) -> None:
    with time_machine.travel("2026-09-20 10:00 +0800", tick=False):
        news = make_live(tree.street, tree.officer, tree.head, "动态", genre="news")
        then = timezone.now() - datetime.timedelta(days=30)
        Publication.objects.filter(pk=news.pk).update(
            published_at=then, last_changed_at=then
        )
        services.inspection_run(actor=None, organisation=tree.district, below=True)
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        make_live(tree.street, tree.officer, tree.head, "新动态", genre="news")
        services.inspection_run(actor=None, organisation=tree.district, below=True)
        q3 = _rows(exports.quarter_report(tree.supervisor, tree.district, 2026, 3))
        q4 = _rows(exports.quarter_report(tree.supervisor, tree.district, 2026, 4))
        q2 = _rows(exports.quarter_report(tree.supervisor, tree.district, 2026, 2))
    street = "测试街道办事处"
    assert q3[street].passed is False
    assert q3[street].open == 1  # the stale column, open at the quarter's end
    assert "首页栏目信息更新" in q3[street].veto[0]
    assert q3[street].checked_at is not None
    assert q3[street].checked_at.date() == datetime.date(2026, 9, 20)
    assert q4[street].passed is True and q4[street].open == 0
    assert q2[street].passed is None  # not yet checked by the end of June


def test_a_future_quarter_is_refused_in_chinese(tree: Any) -> None:
    with (
        time_machine.travel("2026-12-01 10:00 +0800", tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        exports.quarter_report(tree.supervisor, tree.district, 2027, 1)
    assert "2027年第一季度尚未开始" in caught.value.messages[0]
