from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.feedback import services as s
from gongkai.feedback.models import Feedback, SurveyResponse
from gongkai.supervision.selectors import dashboard

pytestmark = pytest.mark.django_db


def test_feedback_from_the_portal_waits_for_moderation_then_shows(client, tree):
    response = client.post(
        reverse("portal:feedback", args=[tree.street.pk]),
        {
            "comment": "希望多公开老旧小区改造进度",
            "contact": "13811112222",
            "next": f"/gk/{tree.street.pk}/",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.state == "pending"
    page = client.get(f"/gk/{tree.street.pk}/").content.decode()
    assert "希望多公开老旧小区改造进度" not in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM feedback_feedback")
        assert "13811112222" not in cursor.fetchone()[0]
    s.feedback_moderate(
        actor=tree.officer, feedback=item, approve=True, reply="已纳入下季度公开计划"
    )
    page = client.get(f"/gk/{tree.street.pk}/").content.decode()
    assert "希望多公开老旧小区改造进度" in page and "已纳入下季度公开计划" in page


def test_empty_feedback_is_refused_in_chinese(client, tree):
    response = client.post(
        reverse("portal:feedback", args=[tree.street.pk]), {"comment": " "}, follow=True
    )
    assert "请选择" in response.content.decode() and not Feedback.objects.exists()


def test_a_liaison_cannot_moderate_another_communitys_feedback(client, tree):
    item = s.feedback_submit(
        organisation=tree.community_b, useful=False, comment="太慢"
    )
    client.force_login(tree.liaison_a)
    assert (
        client.post(
            reverse("feedback:moderate", args=[item.pk]), {"approve": "1"}
        ).status_code
        == 404
    )
    assert Feedback.objects.get().state == "pending"


def test_a_survey_collects_scores_and_the_supervisor_sees_the_average(client, tree):
    survey = s.survey_open(
        actor=tree.liaison_a,
        organisation=tree.community_a,
        title="2026年满意度测评",
        opens_on=date(2026, 6, 1),
        closes_on=date(2026, 6, 30),
    )
    answers = {"findable": "5", "timely": "4", "clear": "4", "application": "3"}
    with time_machine.travel("2026-06-10 10:00 +0800"):
        bad = client.post(
            reverse("portal:survey", args=[tree.community_a.pk, survey.pk]), answers
        )
        assert (
            "总体满意程度" in bad.content.decode()
            and not SurveyResponse.objects.exists()
        )
        for overall in ("5", "4"):  # two visitors (one answer each, issue 18 F5)
            Client().post(
                reverse("portal:survey", args=[tree.community_a.pk, survey.pk]),
                {**answers, "overall": overall},
            )
    with time_machine.travel("2026-07-01 10:00 +0800"):
        late = client.post(
            reverse("portal:survey", args=[tree.community_a.pk, survey.pk]),
            {**answers, "overall": "1"},
        )
        assert "不在开放时间" in late.content.decode()
        s.feedback_submit(organisation=tree.community_a, useful=True, comment="")
        board = dashboard(tree.district, 2026)
    row = next(u for u in board.units if u.unit.pk == tree.community_a.pk)
    assert (row.survey_avg, row.useful) == (4.5, 1)
