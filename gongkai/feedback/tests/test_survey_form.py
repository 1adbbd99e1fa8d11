"""The public 满意度测评 (/gk/<org>/surveys/<n>/): a refused answer comes back with
everything typed and an error summary on top, and its comment follows the rule of
every public comment (no markup, no links, at most 1,000 characters)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.feedback import services as s
from gongkai.feedback.models import SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_survey_period():
    with time_machine.travel("2026-06-10 10:00 +0800"):
        yield


ALL_FIVE = {
    "findable": "5",
    "timely": "4",
    "clear": "5",
    "application": "3",
    "overall": "4",
}


@pytest.fixture
def url(tree):
    survey = s.survey_open(
        actor=tree.officer,
        organisation=tree.street,
        title="2026年满意度测评",
        opens_on=date(2026, 6, 1),
        closes_on=date(2026, 6, 30),
    )
    return reverse("portal:survey", args=[tree.street.pk, survey.pk])


def _checked(page: str, name: str) -> list[str]:
    """The values of the ticked radio buttons named ``name``."""
    return [
        value
        for tag in re.findall(r"<input[^>]*>", page)
        if f'name="{name}"' in tag and "checked" in tag
        for value in re.findall(r'value="([^"]*)"', tag)
    ]


def test_a_refused_answer_keeps_the_score_and_the_comment(client, url):
    response = client.post(url, {"timely": "2", "comment": "办事大厅的指引不清楚"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _checked(page, "timely") == ["2"]
    assert "办事大厅的指引不清楚</textarea>" in page
    # Each unanswered question is named, beside it and in the summary on top.
    assert "error-summary" in page
    assert page.index("error-summary") < page.index('name="findable"')
    assert "请修改以下 4 处" in page
    summary = page.split('<div class="error-summary"')[1].split("</div>")[0]
    assert "能否方便地找到需要的政府信息" in summary
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "comment, reason",
    [
        ("<script>alert(1)</script>", "不能包含网页代码或脚本"),
        ("详见 http://example.com/a", "不能包含网址或链接"),
        ("很" * 1001, "最多1000个字，现有1001个字"),
    ],
)
def test_a_comment_with_markup_a_link_or_too_long_is_refused(
    client, url, comment, reason
):
    response = client.post(url, {**ALL_FIVE, "comment": comment})
    page = response.content.decode()
    assert response.status_code == 200
    assert reason in page
    assert _checked(page, "overall") == ["4"]
    assert not SurveyResponse.objects.exists()


def test_a_comment_at_the_limit_is_taken(client, url):
    response = client.post(url, {**ALL_FIVE, "comment": "好" * 1000})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().comment == "好" * 1000
